//! Constructs found wherever they stand in a file, not only in the statements
//! the extractor follows: every `backref=` keyword argument (with its call's
//! callee and context), and a `MetaData(..., schema=...)` call.
//!
//! These are for reporting what no relationship fact covers and for refusing
//! what a schema could change; nothing here reads the relationship itself.

use tree_sitter::Node;

use super::node::{dotted, not_continuation, pos};
use crate::facts::{BackrefSite, SiteContext};

/// Every `backref=` keyword argument of a call, with the call's callee and context.
pub(super) fn backref_sites(root: Node, src: &str) -> Vec<BackrefSite> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "keyword_argument"
            && node
                .child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == "backref")
        {
            let call = node
                .parent()
                .and_then(|a| a.parent())
                .filter(|c| c.kind() == "call");
            let callee = call
                .and_then(|c| c.child_by_field_name("function"))
                .and_then(|f| dotted(f, src))
                .unwrap_or_default();
            let mut context = SiteContext::Other;
            // The first call around this one, and the first compound
            // statement, on the way up to a class body.
            let mut wrapper: Option<String> = None;
            let mut block: Option<&'static str> = None;
            let mut up = call.and_then(|c| c.parent());
            while let Some(a) = up {
                match a.kind() {
                    "function_definition" | "lambda" => {
                        context = SiteContext::Function;
                        break;
                    }
                    "class_definition" if context == SiteContext::Other => {
                        if let Some(wrapper) = wrapper.take() {
                            context = SiteContext::ClassBodyCall { wrapper };
                        } else if let Some(statement) = block {
                            context = SiteContext::ClassBodyBlock { statement };
                        }
                        break;
                    }
                    "dictionary" | "pair" => context = SiteContext::Mapping,
                    "call" if context == SiteContext::Other => {
                        let f = a
                            .child_by_field_name("function")
                            .and_then(|f| dotted(f, src));
                        if f.as_ref()
                            .and_then(|f| f.last())
                            .is_some_and(|l| l == "dict")
                        {
                            context = SiteContext::Mapping;
                        } else if wrapper.is_none() {
                            wrapper =
                                Some(f.map(|f| f.join(".")).unwrap_or_else(|| "a call".into()));
                        }
                    }
                    kind if block.is_none() => block = conditional(kind),
                    _ => {}
                }
                up = a.parent();
            }
            if let Some(callee) = wrapper.filter(|_| context == SiteContext::Other && up.is_none())
            {
                context = SiteContext::Call { callee };
            }
            out.push(BackrefSite {
                offset: node.start_byte(),
                pos: pos(node),
                callee,
                context,
            });
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor).filter(not_continuation) {
            stack.push(child);
        }
    }
    out.sort_by_key(|s| s.offset);
    out
}

/// How messages show a construct of kind `kind` whose body runs only on a
/// condition (`if ...:`), if it is one.
pub(super) fn conditional(kind: &str) -> Option<&'static str> {
    match kind {
        "if_statement" => Some("if ...:"),
        "try_statement" => Some("try:"),
        "for_statement" => Some("for ...:"),
        "while_statement" => Some("while ...:"),
        "with_statement" => Some("with ...:"),
        "match_statement" => Some("match ...:"),
        "conditional_expression" => Some("... if ... else ..."),
        _ => None,
    }
}

/// Whether a `MetaData(..., schema=...)` call appears.
pub(super) fn metadata_with_schema(root: Node, src: &str) -> bool {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && node
                .child_by_field_name("function")
                .and_then(|f| dotted(f, src))
                .is_some_and(|d| d.last().is_some_and(|l| l == "MetaData"))
            && node.child_by_field_name("arguments").is_some_and(|a| {
                let mut c = a.walk();
                a.named_children(&mut c).filter(not_continuation).any(|k| {
                    k.kind() == "keyword_argument"
                        && k.child_by_field_name("name")
                            .is_some_and(|n| &src[n.byte_range()] == "schema")
                })
            })
        {
            return true;
        }
        let mut c = node.walk();
        stack.extend(node.children(&mut c));
    }
    false
}
