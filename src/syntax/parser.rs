//! The tree-sitter parser, one per thread, reset before each parse.
//!
//! It parses text and nothing more: it reads no facts and reports no errors
//! (a tree with ERROR nodes is still a tree; see `errors`).

use std::cell::RefCell;

use tree_sitter::{Parser, Tree};

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

pub(super) fn parse(source: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        parser.reset();
        // tree-sitter-python does not take a lone CR (old Mac line endings) for
        // a line break; Python does. Parse a copy with those CRs as LFs: the
        // same length, so every offset stays valid in the original.
        let bytes = source.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        if lone_cr {
            let copy: Vec<u8> = bytes
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                        b'\n'
                    } else {
                        b
                    }
                })
                .collect();
            return parser.parse(&copy, None);
        }
        parser.parse(source, None)
    })
}
