//! Backref readers: functions of other libraries that read
//! `RelationshipProperty.backref` ([`BACKREF_READERS`]), the calls that may
//! hand them a relationship, and the functions of a module that read a
//! relationship's `backref` attribute themselves.
//!
//! It records calls and function names only; whether a call reaches a reader
//! in another file is decided once every file's facts are known (`plan`).

use tree_sitter::Node;

use super::node::{code_children, dotted, pos, string_value};
use crate::facts::BackrefReader;

/// Functions of other libraries that read `RelationshipProperty.backref` and
/// fail or change behaviour when a relationship uses `back_populates` instead:
/// sqlalchemy-utils' `auto_delete_orphans` raises `ImproperlyConfigured`.
pub const BACKREF_READERS: &[&str] = &["auto_delete_orphans"];

/// Calls that may hand a relationship to a backref reader: `f(Class.attr)` or
/// `f(Class, "attr", ...)`, any callee (whether `f` reads backrefs is decided
/// once every file's [`reader_functions`] are known).
pub(super) fn backref_readers(root: Node, src: &str) -> Vec<BackrefReader> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && let Some(function) = node
                .child_by_field_name("function")
                .and_then(|f| dotted(f, src))
                .and_then(|d| d.last().cloned())
            && let Some(args) = node.child_by_field_name("arguments")
        {
            match code_children(args).split_first() {
                // f(Class.attr)
                Some((first, [])) => {
                    if let Some(mut arg) = dotted(*first, src)
                        && let Some(attr) = arg.pop().filter(|_| !arg.is_empty())
                    {
                        out.push(BackrefReader {
                            function,
                            class: arg,
                            attrs: vec![attr],
                            pos: pos(node),
                        });
                    }
                }
                // f(Class, "attr", ...)
                Some((first, rest)) => {
                    let attrs: Option<Vec<String>> =
                        rest.iter().map(|n| string_value(*n, src)).collect();
                    if let (Some(class), Some(attrs)) = (dotted(*first, src), attrs) {
                        out.push(BackrefReader {
                            function,
                            class,
                            attrs,
                            pos: pos(node),
                        });
                    }
                }
                None => {}
            }
        }
        let mut c = node.walk();
        stack.extend(node.children(&mut c));
    }
    out
}

/// Whether `src` can read an attribute named `backref` (`rel.backref`, also
/// across a line continuation): without one no function of the file is a
/// reader, and [`reader_functions`] need not walk it.
pub(super) fn reads_backref_attribute(src: &[u8]) -> bool {
    memchr::memmem::find_iter(src, b"backref").any(|at| {
        src[..at]
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\\' | b'\n' | b'\r' | b'\x0c'))
            == Some(&b'.')
    })
}

/// Functions of this module that read a relationship's `backref` attribute
/// (`rel.backref`, not a call of `backref(...)`), directly or through another
/// such function of the module.
pub(super) fn reader_functions(root: Node, src: &str) -> Vec<String> {
    let mut defs: Vec<(String, Node)> = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "function_definition"
            && let Some(name) = node.child_by_field_name("name")
        {
            defs.push((src[name.byte_range()].to_string(), node));
        }
        let mut c = node.walk();
        stack.extend(node.children(&mut c));
    }
    let reads = |def: Node, readers: &[String]| {
        let mut stack = vec![def];
        while let Some(n) = stack.pop() {
            if n.kind() == "attribute"
                && n.child_by_field_name("attribute")
                    .is_some_and(|a| &src[a.byte_range()] == "backref")
                && !n.parent().is_some_and(|p| {
                    p.kind() == "call" && p.child_by_field_name("function") == Some(n)
                })
            {
                return true;
            }
            if n.kind() == "call"
                && n.child_by_field_name("function")
                    .and_then(|f| dotted(f, src))
                    .and_then(|d| d.last().cloned())
                    .is_some_and(|l| readers.contains(&l))
            {
                return true;
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        false
    };
    let mut readers: Vec<String> = Vec::new();
    loop {
        let before = readers.len();
        for (name, def) in &defs {
            if !readers.contains(name) && reads(*def, &readers) {
                readers.push(name.clone());
            }
        }
        if readers.len() == before {
            break;
        }
    }
    // A function is a reader when a function it encloses is one.
    for (name, def) in &defs {
        if !readers.contains(name)
            && defs.iter().any(|(inner, d)| {
                readers.contains(inner) && *d != *def && def.byte_range().contains(&d.start_byte())
            })
        {
            readers.push(name.clone());
        }
    }
    readers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::extract;

    #[test]
    fn reader_functions_need_a_backref_attribute() {
        for (src, readers) in [
            ("def f(p):\n    return p.backref\n", vec!["f"]),
            (
                "def f(p):\n    return p \\\n        . backref\n\ndef g(x):\n    f(x)\n",
                vec!["f", "g"],
            ),
            (
                "def f(p):\n    return relationship('A', backref='b')\n",
                vec![],
            ),
        ] {
            let f = extract("m.py".into(), src.to_string(), false);
            assert_eq!(f.reader_functions, readers, "{src:?}");
            assert_eq!(reads_backref_attribute(src.as_bytes()), !readers.is_empty());
        }
    }
}
