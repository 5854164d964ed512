//! Expressions: the free names of a keyword value (what moving it elsewhere
//! depends on), stand-alone analysis of expression text, and the `remote()`
//! swap of a copied join condition.
//!
//! It reads text and reports names; it does not say what a name means or
//! whether the value can be moved (that is `crate::expr`, with the index).

use super::not_continuation;
use std::collections::HashSet;

use tree_sitter::Node;

use super::{dotted, parse, string_value};
use crate::facts::*;

/// Whether a string literal (or any part of a concatenation) has interpolations.
fn is_fstring(node: Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "interpolation" {
            return true;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor).filter(not_continuation));
    }
    false
}

/// Facts about an expression node.
pub(super) fn expr(node: Node, src: &str) -> Expr {
    let kind = match node.kind() {
        "string" | "concatenated_string"
            if src[node.byte_range()].contains('{') && is_fstring(node) =>
        {
            ExprKind::Other
        }
        "string" => match string_value(node, src) {
            Some(s) => ExprKind::Str(s),
            None => ExprKind::OpaqueStr,
        },
        "concatenated_string" => ExprKind::OpaqueStr,
        "true" | "false" | "none" | "integer" | "float" => ExprKind::Constant,
        "lambda" if node.child_by_field_name("parameters").is_none() => {
            match node.child_by_field_name("body") {
                Some(b) => ExprKind::Lambda(Box::new(expr(b, src))),
                None => ExprKind::Other,
            }
        }
        _ => ExprKind::Other,
    };
    let mut names = Vec::new();
    let mut has_strings = false;
    let mut bound = HashSet::new();
    collect_names(node, src, &mut names, &mut has_strings, &mut bound);
    let text = src[node.byte_range()].to_string();
    Expr {
        text,
        range: node.start_byte()..node.end_byte(),
        kind,
        names,
        has_strings,
    }
}

// One arm per kind of node that binds or stops the walk; the dispatch reads best in one place.
fn collect_names(
    node: Node,
    src: &str,
    out: &mut Vec<NameRef>,
    has_strings: &mut bool,
    bound: &mut HashSet<String>,
) {
    match node.kind() {
        "string" | "concatenated_string" => {
            *has_strings = true;
            // Names inside f-string interpolations are names like any other.
            let mut stack = vec![node];
            while let Some(n) = stack.pop() {
                let mut cursor = n.walk();
                for child in n.named_children(&mut cursor).filter(not_continuation) {
                    if child.kind() == "interpolation" {
                        if let Some(e) = child.named_child(0) {
                            collect_names(e, src, out, has_strings, bound);
                        }
                    } else {
                        stack.push(child);
                    }
                }
            }
            return;
        }
        "identifier" | "attribute" => {
            if let Some(chain) = dotted(node, src) {
                if !bound.contains(&chain[0]) {
                    let called = node.parent().is_some_and(|p| {
                        p.kind() == "call"
                            && p.child_by_field_name("function").map(|f| f.id()) == Some(node.id())
                    });
                    out.push(NameRef {
                        head: chain[0].clone(),
                        dotted: chain,
                        range: node.start_byte()..node.end_byte(),
                        called,
                    });
                }
                return;
            }
            if let Some(obj) = node.child_by_field_name("object") {
                collect_names(obj, src, out, has_strings, bound);
            }
            return;
        }
        "keyword_argument" => {
            if let Some(v) = node.child_by_field_name("value") {
                collect_names(v, src, out, has_strings, bound);
            }
            return;
        }
        "lambda" => {
            let mut added = Vec::new();
            if let Some(params) = node.child_by_field_name("parameters") {
                let mut cursor = params.walk();
                for p in params.named_children(&mut cursor).filter(not_continuation) {
                    let id = if p.kind() == "identifier" {
                        Some(p)
                    } else {
                        p.child_by_field_name("name")
                    };
                    if let Some(id) = id {
                        let n = src[id.byte_range()].to_string();
                        if bound.insert(n.clone()) {
                            added.push(n);
                        }
                    }
                }
            }
            if let Some(b) = node.child_by_field_name("body") {
                collect_names(b, src, out, has_strings, bound);
            }
            for n in added {
                bound.remove(&n);
            }
            return;
        }
        _ => {}
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor).filter(not_continuation) {
        collect_names(child, src, out, has_strings, bound);
    }
}

/// Analyse stand-alone expression text (e.g. the content of a string argument).
/// `None` if it does not parse as exactly one expression.
pub fn analyze_expr(text: &str) -> Option<Expr> {
    let tree = parse(text)?;
    let root = tree.root_node();
    if root.has_error() || root.named_child_count() != 1 {
        return None;
    }
    let stmt = root.named_child(0)?;
    if stmt.kind() != "expression_statement" || stmt.named_child_count() != 1 {
        return None;
    }
    Some(expr(stmt.named_child(0)?, text))
}

/// A call's callee and the text of each of its arguments, when `text` is one
/// call expression with no comment inside it (a layout that can be written
/// again from its parts).
pub fn call_parts(text: &str) -> Option<(String, Vec<String>)> {
    let tree = parse(text)?;
    let root = tree.root_node();
    if root.has_error() || root.named_child_count() != 1 {
        return None;
    }
    let stmt = root.named_child(0)?;
    let call = stmt.named_child(0).filter(|c| c.kind() == "call")?;
    if stmt.kind() != "expression_statement" || stmt.named_child_count() != 1 {
        return None;
    }
    let args = call.child_by_field_name("arguments")?;
    if args.kind() != "argument_list" || has_comment(args) {
        return None;
    }
    let callee = call.child_by_field_name("function")?;
    let mut cursor = args.walk();
    let parts = args
        .named_children(&mut cursor)
        .filter(super::not_continuation)
        .map(|a| text[a.byte_range()].to_string())
        .collect();
    Some((text[callee.byte_range()].to_string(), parts))
}

fn has_comment(node: tree_sitter::Node) -> bool {
    if node.kind() == "comment" {
        return true;
    }
    let mut cursor = node.walk();
    node.children(&mut cursor).any(has_comment)
}

/// Swap `remote()` annotations across comparisons in a join condition: in every
/// comparison with exactly one `remote(...)`-wrapped operand, the wrapper moves
/// to the other operand. `None` when the expression has a `remote()` that is not
/// a direct operand of a two-operand comparison, or the other operand is not a
/// column reference.
///
/// A continuation line may start with the layout's hanging marker
/// ([`crate::codegen::HANGING`]); it is read as a space and kept where it is.
pub fn swap_remote(text: &str, remote_names: &[String]) -> Option<String> {
    // The marker and the space are both one byte: the parse's byte ranges are
    // the text's.
    let tree = parse(&text.replace(crate::codegen::HANGING, " "))?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    if remote_names.is_empty() {
        return None;
    }
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut handled: HashSet<usize> = HashSet::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comparison_operator" && node.named_child_count() == 2 {
            let (Some(a), Some(b)) = (node.named_child(0), node.named_child(1)) else {
                return None;
            };
            match (
                remote_call_arg(a, text, remote_names),
                remote_call_arg(b, text, remote_names),
            ) {
                (Some(inner), None) => {
                    if !is_column_ref(b, text) {
                        return None;
                    }
                    edits.push((a.byte_range(), text[inner.byte_range()].to_string()));
                    edits.push((
                        b.byte_range(),
                        format!("{}({})", remote_names[0], &text[b.byte_range()]),
                    ));
                    handled.insert(a.id());
                }
                (None, Some(inner)) => {
                    if !is_column_ref(a, text) {
                        return None;
                    }
                    edits.push((b.byte_range(), text[inner.byte_range()].to_string()));
                    edits.push((
                        a.byte_range(),
                        format!("{}({})", remote_names[0], &text[a.byte_range()]),
                    ));
                    handled.insert(b.id());
                }
                (Some(_), Some(_)) => return None,
                (None, None) => {}
            }
        }
        if node.kind() == "call"
            && remote_call_arg(node, text, remote_names).is_some()
            && !handled.contains(&node.id())
        {
            // A remote() outside a simple comparison: give up rather than guess.
            let parent_ok = node
                .parent()
                .is_some_and(|p| p.kind() == "comparison_operator");
            if !parent_ok {
                return None;
            }
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor).filter(not_continuation) {
            stack.push(child);
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (r, rep) in edits {
        if r.start < at {
            return None;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&rep);
        at = r.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The single argument of a `remote(...)` call (any of the given spellings).
fn remote_call_arg<'t>(n: Node<'t>, text: &str, remote_names: &[String]) -> Option<Node<'t>> {
    if n.kind() != "call" {
        return None;
    }
    let f = dotted(n.child_by_field_name("function")?, text)?;
    if !remote_names.iter().any(|r| f.join(".") == *r) {
        return None;
    }
    let args = n.child_by_field_name("arguments")?;
    if args.named_child_count() != 1 {
        return None;
    }
    args.named_child(0)
}

/// `Cls.col`, `table.c.col`, or `foreign(Cls.col)` (any spelling ending in
/// `foreign`). Another call (`func.lower(Cls.col)`) is not a column: where the
/// annotation would land on it is not proven the same configuration.
fn is_column_ref(n: Node, text: &str) -> bool {
    match n.kind() {
        "attribute" | "identifier" => true,
        "call" => {
            let is_foreign = n
                .child_by_field_name("function")
                .and_then(|f| dotted(f, text))
                .is_some_and(|d| d.last().is_some_and(|l| l == "foreign"));
            let args = n.child_by_field_name("arguments");
            is_foreign
                && args.is_some_and(|a| a.kind() == "argument_list" && a.named_child_count() == 1)
                && args
                    .and_then(|a| a.named_child(0))
                    .is_some_and(|c| is_column_ref(c, text))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_remote_in_comparisons() {
        let r = ["remote".to_string()];
        assert_eq!(
            swap_remote(
                "and_(User.id == remote(Address.user_id), Address.active == True)",
                &r
            )
            .as_deref(),
            Some("and_(remote(User.id) == Address.user_id, Address.active == True)")
        );
        assert_eq!(
            swap_remote("remote(Node.id) == foreign(Node.parent_id)", &r).as_deref(),
            Some("Node.id == remote(foreign(Node.parent_id))")
        );
        assert_eq!(swap_remote("f(remote(Node.id))", &r), None);
        assert_eq!(
            swap_remote("remote(Node.id) == func.lower(Node.parent_id)", &r),
            None
        );
        // Continuation lines hanging from the argument carry the layout's marker.
        assert_eq!(
            swap_remote("and_(\n\u{0}remote(T.c.a)\n\u{0}== T.c.b,\n)", &r).as_deref(),
            Some("and_(\n\u{0}T.c.a\n\u{0}== remote(T.c.b),\n)")
        );
    }

    #[test]
    fn fstring_names_are_free_names() {
        let e = analyze_expr("f'{Address.__tablename__}.id'").unwrap();
        assert_eq!(e.kind, ExprKind::Other);
        assert_eq!(e.names[0].dotted.join("."), "Address.__tablename__");
    }

    #[test]
    fn analyses_names() {
        let e = analyze_expr("and_(User.id == Address.user_id, sa.func.lower(x) == 'a')").unwrap();
        let heads: Vec<_> = e.names.iter().map(|n| n.dotted.join(".")).collect();
        assert_eq!(
            heads,
            ["and_", "User.id", "Address.user_id", "sa.func.lower", "x"]
        );
        assert!(e.has_strings);
        let l = analyze_expr("lambda: Address.id").unwrap();
        assert!(matches!(l.kind, ExprKind::Lambda(_)));
    }
}
