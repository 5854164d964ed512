//! Small readings of tree-sitter nodes shared by the extractor: a node's
//! position, dotted names, plain string values, docstrings, `if
//! TYPE_CHECKING:` tests, block indentation, line continuations, and the
//! children that are code.
//!
//! Each answers one question about one node; none walks a whole file or
//! records a fact.

use tree_sitter::Node;

use super::lines::line_start;
use crate::facts::Pos;

pub(super) fn pos(node: Node) -> Pos {
    let p = node.start_position();
    Pos {
        line: p.row + 1,
        col: p.column + 1,
    }
}

pub(super) fn is_docstring(stmt: Node) -> bool {
    stmt.named_child_count() == 1
        && stmt
            .named_child(0)
            .is_some_and(|c| matches!(c.kind(), "string" | "concatenated_string"))
}

pub(super) fn is_type_checking_if(node: Node, src: &str) -> bool {
    node.kind() == "if_statement"
        && node.child_by_field_name("condition").is_some_and(|c| {
            matches!(
                &src[c.byte_range()],
                "TYPE_CHECKING" | "typing.TYPE_CHECKING"
            )
        })
}

/// Indentation of the first statement of a block, if it starts on its own line.
pub(super) fn body_indent(src: &str, body: Node) -> Option<String> {
    let start = body.start_byte();
    let ls = line_start(src, start);
    let prefix = &src[ls..start];
    prefix
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| prefix.to_string())
        .filter(|p| !p.is_empty())
}

/// `a.b.c` as segments, when the node is a pure attribute chain of identifiers.
pub(super) fn dotted(node: Node, src: &str) -> Option<Vec<String>> {
    match node.kind() {
        "identifier" => Some(vec![src[node.byte_range()].to_string()]),
        "attribute" => {
            let mut head = dotted(node.child_by_field_name("object")?, src)?;
            head.push(src[node.child_by_field_name("attribute")?.byte_range()].to_string());
            Some(head)
        }
        _ => None,
    }
}

/// The value of a plain string literal (no prefix other than `u`, no escapes, no interpolation).
pub(super) fn string_value(node: Node, src: &str) -> Option<String> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let mut content = String::new();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "string_start" => {
                let t = &src[child.byte_range()];
                let prefix: String = t.chars().filter(|c| c.is_ascii_alphabetic()).collect();
                if !(prefix.is_empty() || prefix.eq_ignore_ascii_case("u")) {
                    return None;
                }
            }
            "string_content" => {
                if child.named_child_count() > 0 {
                    return None;
                }
                content.push_str(&src[child.byte_range()]);
            }
            "string_end" => {}
            _ => return None,
        }
    }
    Some(content)
}

/// The first positional argument of a call: no keyword argument, comment or
/// line continuation.
pub(super) fn first_positional(call: Node) -> Option<Node> {
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(not_continuation)
        .find(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "comment" | "line_continuation"
            )
        })
}

/// The named children that are code: no comment, no line continuation.
pub(super) fn code_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(not_continuation)
        .filter(|n| !n.is_extra())
        .collect()
}

/// A `\` line continuation is an extra node that tree-sitter puts among the
/// children it stands between (arguments, bases, statements): it is no part
/// of the code.
pub(crate) fn not_continuation(n: &Node) -> bool {
    n.kind() != "line_continuation"
}

/// Whether an identifier `name` occurs in `node`.
pub(super) fn mentions(node: Node, src: &str, name: &str) -> bool {
    if node.kind() == "identifier" {
        return &src[node.byte_range()] == name;
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .any(|c| mentions(c, src, name))
}
