//! What each scope binds: the names the statements of a module, class,
//! function or lambda body bind (imports, assignments, `def`, `class`, loop
//! and `with` targets, `:=`, parameters), each with where it is bound and
//! whether only on some paths or only for type checkers.
//!
//! It does not enter nested function or class bodies (their names are
//! theirs), and does not decide what a name means at a place: that is the
//! parent module, which reads these binders scope by scope.

use tree_sitter::Node;

use crate::syntax::not_continuation;

/// One name a scope binds, and how.
pub(super) struct Binder {
    pub(super) name: String,
    pub(super) offset: usize,
    pub(super) kind: Kind,
    /// Inside an `if`/`try`/`for`/`while`/`with`/`match` block of its scope.
    pub(super) conditional: bool,
    pub(super) type_checking: bool,
}

pub(super) enum Kind {
    Import {
        module: String,
        name: Option<String>,
        star: bool,
    },
    Other,
}

/// What a scope (module, class, function or lambda) binds in its body.
pub(super) fn binders_of(scope: Node, source: &str) -> Vec<Binder> {
    let body = match scope.kind() {
        "module" => Some(scope),
        _ => scope.child_by_field_name("body"),
    };
    let mut binders = Vec::new();
    if let Some(body) = body {
        collect(body, source, false, false, &mut binders);
    }
    if matches!(scope.kind(), "function_definition" | "lambda") {
        parameters(scope, source, &mut binders);
    }
    binders
}

/// Whether an `if` statement tests `TYPE_CHECKING` (its first branch never runs).
fn is_type_checking(node: Node, src: &str) -> bool {
    node.child_by_field_name("condition")
        .is_some_and(|c| src[c.byte_range()].trim().ends_with("TYPE_CHECKING"))
}

/// Every binding made by the statements of `block`, not entering nested
/// function or class bodies (their names are theirs), in source order.
fn collect(block: Node, src: &str, conditional: bool, tc: bool, out: &mut Vec<Binder>) {
    let mut cursor = block.walk();
    let children: Vec<Node> = block
        .named_children(&mut cursor)
        .filter(not_continuation)
        .collect();
    for stmt in children {
        statement(stmt, src, conditional, tc, out);
    }
}

fn push(out: &mut Vec<Binder>, name: &str, offset: usize, conditional: bool, tc: bool) {
    out.push(Binder {
        name: name.to_string(),
        offset,
        kind: Kind::Other,
        conditional,
        type_checking: tc,
    });
}

fn statement(stmt: Node, src: &str, conditional: bool, tc: bool, out: &mut Vec<Binder>) {
    let text = |n: Node| &src[n.byte_range()];
    match stmt.kind() {
        "import_statement" => import(stmt, src, conditional, tc, out),
        "import_from_statement" | "future_import_statement" => {
            import_from(stmt, src, conditional, tc, out)
        }
        "function_definition" | "class_definition" => {
            if let Some(n) = stmt.child_by_field_name("name") {
                push(out, text(n), stmt.start_byte(), conditional, tc);
            }
        }
        "decorated_definition" => {
            if let Some(d) = stmt.child_by_field_name("definition") {
                statement(d, src, conditional, tc, out);
            }
        }
        "if_statement" => {
            let type_checking = is_type_checking(stmt, src);
            let mut c = stmt.walk();
            for part in stmt.named_children(&mut c).filter(not_continuation) {
                match part.kind() {
                    "block" => collect(part, src, true, tc || type_checking, out),
                    "elif_clause" | "else_clause" => {
                        let mut c2 = part.walk();
                        for b in part.named_children(&mut c2).filter(|b| b.kind() == "block") {
                            collect(b, src, true, tc, out);
                        }
                    }
                    _ => targets_in(part, src, stmt.start_byte(), conditional, tc, out),
                }
            }
        }
        "for_statement" | "while_statement" | "try_statement" | "with_statement"
        | "match_statement" => {
            if let Some(left) = stmt.child_by_field_name("left") {
                names_of_target(left, src, stmt.start_byte(), true, tc, out);
            }
            let mut c = stmt.walk();
            for part in stmt.named_children(&mut c).filter(not_continuation) {
                block_like(part, src, tc, out);
            }
        }
        "expression_statement" => targets_in(stmt, src, stmt.start_byte(), conditional, tc, out),
        // `del x` unbinds: what the name meant before no longer holds.
        "delete_statement" => {
            let mut c = stmt.walk();
            for t in stmt.named_children(&mut c) {
                names_of_target(t, src, stmt.start_byte(), conditional, tc, out);
            }
        }
        "global_statement" | "nonlocal_statement" => {}
        _ => targets_in(stmt, src, stmt.start_byte(), conditional, tc, out),
    }
}

/// `import a.b`, `import a as b`: each binds a module.
fn import(stmt: Node, src: &str, conditional: bool, tc: bool, out: &mut Vec<Binder>) {
    let text = |n: Node| &src[n.byte_range()];
    let mut c = stmt.walk();
    for n in stmt.children_by_field_name("name", &mut c) {
        let (module, bound) = match n.kind() {
            "aliased_import" => {
                let m = n.child_by_field_name("name").map(text).unwrap_or_default();
                let a = n.child_by_field_name("alias").map(text).unwrap_or_default();
                (m.to_string(), a.to_string())
            }
            _ => {
                let m = text(n).to_string();
                let head = m.split('.').next().unwrap_or_default().to_string();
                // `import a.b` binds `a`, the module `a`.
                (head.clone(), head)
            }
        };
        out.push(Binder {
            name: bound,
            offset: stmt.start_byte(),
            kind: Kind::Import {
                module,
                name: None,
                star: false,
            },
            conditional,
            type_checking: tc,
        });
    }
}

/// `from m import a, b as c`, `from m import *`.
fn import_from(stmt: Node, src: &str, conditional: bool, tc: bool, out: &mut Vec<Binder>) {
    let text = |n: Node| &src[n.byte_range()];
    let module = stmt
        .child_by_field_name("module_name")
        .map(|m| text(m).replace(char::is_whitespace, ""))
        .unwrap_or_else(|| "__future__".into());
    let mut c = stmt.walk();
    let mut any = false;
    for n in stmt.children_by_field_name("name", &mut c) {
        any = true;
        let (name, bound) = match n.kind() {
            "aliased_import" => (
                n.child_by_field_name("name").map(text).unwrap_or_default(),
                n.child_by_field_name("alias").map(text).unwrap_or_default(),
            ),
            _ => (text(n), text(n)),
        };
        out.push(Binder {
            name: bound.to_string(),
            offset: stmt.start_byte(),
            kind: Kind::Import {
                module: module.clone(),
                name: Some(name.to_string()),
                star: false,
            },
            conditional,
            type_checking: tc,
        });
    }
    let mut c = stmt.walk();
    if !any
        && stmt
            .named_children(&mut c)
            .any(|n| n.kind() == "wildcard_import")
    {
        // Binds names the text does not show: every name may be it.
        out.push(Binder {
            name: "*".into(),
            offset: stmt.start_byte(),
            kind: Kind::Import {
                module,
                name: None,
                star: true,
            },
            conditional,
            type_checking: tc,
        });
    }
}

/// The blocks of a compound statement and the names its clauses bind
/// (`except E as e`, `with x as y`, `case` patterns): all conditional.
fn block_like(part: Node, src: &str, tc: bool, out: &mut Vec<Binder>) {
    match part.kind() {
        "block" => collect(part, src, true, tc, out),
        "except_clause"
        | "else_clause"
        | "finally_clause"
        | "except_group_clause"
        | "case_clause"
        | "with_clause"
        | "with_item"
        | "as_pattern" => {
            if part.kind() == "as_pattern"
                && let Some(alias) = part.child_by_field_name("alias")
            {
                names_of_target(alias, src, part.start_byte(), true, tc, out);
            }
            let mut c = part.walk();
            for p in part.named_children(&mut c).filter(not_continuation) {
                block_like(p, src, tc, out);
            }
        }
        _ => {}
    }
}

/// Assignment targets and `:=` names inside an expression statement (not
/// inside lambdas or comprehensions, which have scopes of their own).
fn targets_in(
    node: Node,
    src: &str,
    at: usize,
    conditional: bool,
    tc: bool,
    out: &mut Vec<Binder>,
) {
    match node.kind() {
        "assignment" | "augmented_assignment" => {
            // `x: int` alone binds nothing.
            if node.child_by_field_name("right").is_some()
                && let Some(left) = node.child_by_field_name("left")
            {
                names_of_target(left, src, at, conditional, tc, out);
            }
            if let Some(right) = node.child_by_field_name("right") {
                targets_in(right, src, at, conditional, tc, out);
            }
        }
        "named_expression" => {
            if let Some(n) = node.child_by_field_name("name") {
                push(out, &src[n.byte_range()], at, conditional, tc);
            }
        }
        "lambda"
        | "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression" => {}
        _ => {
            let mut c = node.walk();
            for child in node.named_children(&mut c).filter(not_continuation) {
                targets_in(child, src, at, conditional, tc, out);
            }
        }
    }
}

fn names_of_target(
    node: Node,
    src: &str,
    at: usize,
    conditional: bool,
    tc: bool,
    out: &mut Vec<Binder>,
) {
    match node.kind() {
        "identifier" => push(out, &src[node.byte_range()], at, conditional, tc),
        "pattern_list"
        | "expression_list"
        | "tuple_pattern"
        | "list_pattern"
        | "list_splat_pattern"
        | "tuple"
        | "list"
        | "parenthesized_expression" => {
            let mut c = node.walk();
            for child in node.named_children(&mut c).filter(not_continuation) {
                names_of_target(child, src, at, conditional, tc, out);
            }
        }
        // `a.b = ...`, `a[i] = ...` bind no name.
        _ => {}
    }
}

fn parameters(def: Node, src: &str, out: &mut Vec<Binder>) {
    let Some(params) = def.child_by_field_name("parameters") else {
        return;
    };
    let at = def.start_byte();
    let mut c = params.walk();
    for p in params.named_children(&mut c).filter(not_continuation) {
        let name = match p.kind() {
            "identifier" => Some(p),
            "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
            "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                p.named_child(0).filter(|n| n.kind() == "identifier")
            }
            _ => None,
        };
        if let Some(n) = name {
            push(out, &src[n.byte_range()], at, false, false);
        }
    }
}
