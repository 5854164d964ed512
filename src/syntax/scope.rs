//! What a name means at one place of a module, as Python resolves it when the
//! statement there runs: the class body being executed (what it bound before
//! that place), the enclosing functions and lambdas (every name they bind
//! anywhere), the module (what it bound before the statement that holds the
//! place; all of it for a place inside a function or lambda, which runs
//! later), then the builtins.
//!
//! This is the check stage's own reading of scopes, made from the text alone
//! (`crate::check`); it does not use the facts the planner reads, so that a
//! mistake there is not repeated here. It does not follow imports: the
//! binding it returns names the statement that made it.

use std::collections::HashMap;
use std::sync::Arc;

use tree_sitter::Node;

use super::{not_continuation, parse};

/// The binding of a name in effect at a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// `import module [as name]` or `from module import name [as ...]`;
    /// `module` as written (relative imports keep their dots).
    Import {
        module: String,
        name: Option<String>,
        /// `from module import *`
        star: bool,
        /// Of the module (not a class body or function).
        module_level: bool,
    },
    /// Another statement binds it (an assignment, a `def`, a `class`, a
    /// loop variable...); `module_level` as for imports.
    Other { offset: usize, module_level: bool },
    /// A class body binds it before the place.
    ClassLocal { offset: usize },
    /// Bound in more than one way on the paths that reach the place (a
    /// conditional rebinding): its meaning cannot be proven.
    Ambiguous,
    /// Nothing binds it: a builtin, or a `NameError`.
    Unbound,
}

struct Binder {
    name: String,
    offset: usize,
    kind: Kind,
    /// Inside an `if`/`try`/`for`/`while`/`with`/`match` block of its scope.
    conditional: bool,
    type_checking: bool,
}

enum Kind {
    Import {
        module: String,
        name: Option<String>,
        star: bool,
    },
    Other,
}

/// What each of `names` means at byte `offset` of `source` (which must
/// parse). `None` when the source does not parse.
pub fn bindings_at(source: &str, offset: usize, names: &[&str]) -> Option<Vec<Bound>> {
    Some(Parsed::new(source)?.bindings_at(offset, names))
}

/// A module parsed once, for several questions.
pub struct Parsed<'s> {
    source: &'s str,
    tree: tree_sitter::Tree,
    /// The binders of each scope asked about, by the scope node's id: a
    /// module of thousands of classes is walked once, not once per question.
    binders: std::cell::RefCell<HashMap<usize, Arc<Vec<Binder>>>>,
}

impl<'s> Parsed<'s> {
    pub fn new(source: &'s str) -> Option<Self> {
        Some(Parsed {
            source,
            tree: parse(source)?,
            binders: Default::default(),
        })
    }

    /// A module already parsed (its tree must be of `source`).
    pub fn from_tree(source: &'s str, tree: tree_sitter::Tree) -> Self {
        Parsed {
            source,
            tree,
            binders: Default::default(),
        }
    }

    /// Every identifier the module uses (see [`used_names`]).
    pub fn used_names(&self) -> std::collections::HashSet<String> {
        used_names_in(self.tree.root_node(), self.source)
    }

    /// What each of `names` means at byte `offset` (see [`bindings_at`]).
    pub fn bindings_at(&self, offset: usize, names: &[&str]) -> Vec<Bound> {
        scoped(self.tree.root_node(), offset, names, &|scope| {
            self.binders
                .borrow_mut()
                .entry(scope.id())
                .or_insert_with(|| Arc::new(binders_of(scope, self.source)))
                .clone()
        })
    }
}

/// What a scope (module, class, function or lambda) binds in its body.
fn binders_of(scope: Node, source: &str) -> Vec<Binder> {
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

fn scoped(
    root: Node,
    offset: usize,
    names: &[&str],
    binders_of: &dyn Fn(Node) -> Arc<Vec<Binder>>,
) -> Vec<Bound> {
    // The chain of scopes around the place: the module, then each function
    // or class whose body holds it.
    let mut chain: Vec<Node> = vec![root];
    let mut node = root;
    while let Some(child) = node
        .first_named_child_for_byte(offset)
        .filter(|c| c.start_byte() <= offset)
    {
        match child
            .child_by_field_name("body")
            .filter(|_| {
                matches!(
                    child.kind(),
                    "function_definition" | "class_definition" | "lambda"
                )
            })
            .filter(|b| b.start_byte() <= offset)
        {
            Some(body) => {
                chain.push(child);
                node = body;
            }
            None => node = child,
        }
    }
    let innermost = chain.len() - 1;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let mut found = Bound::Unbound;
        for (depth, scope) in chain.iter().enumerate().rev() {
            let is_class = scope.kind() == "class_definition";
            // A class body's names are visible only to the body itself.
            if is_class && depth != innermost {
                continue;
            }
            let binders = binders_of(*scope);
            let function = matches!(scope.kind(), "function_definition" | "lambda");
            let mine: Vec<&Binder> = binders.iter().filter(|b| b.name == *name).collect();
            if mine.is_empty() {
                if binders
                    .iter()
                    .any(|b| b.name == "*" && b.offset < offset && !b.type_checking)
                {
                    // `from m import *` may bind it.
                    found = Bound::Ambiguous;
                    break;
                }
                continue;
            }
            let module_level = depth == 0;
            if function {
                // A local of the function wherever it is bound in it.
                found = match mine.as_slice() {
                    [b] if !b.conditional && b.offset < offset => to_bound(b, false),
                    _ => Bound::Ambiguous,
                };
                break;
            }
            // Module and class bodies run top to bottom: what ran before the
            // place; a function or lambda body runs later, when the module
            // has run to its end.
            let deferred = chain[depth + 1..]
                .iter()
                .any(|s| matches!(s.kind(), "function_definition" | "lambda"));
            let before: Vec<&&Binder> = mine
                .iter()
                .filter(|b| (deferred || b.offset < offset) && !b.type_checking)
                .collect();
            // Bound only later (or only for type checkers): at this place the
            // outer name, or nothing.
            let Some(last) = before.last() else {
                continue;
            };
            // Bound only on some paths: the outer name on the others.
            found = if last.conditional {
                Bound::Ambiguous
            } else if is_class {
                Bound::ClassLocal {
                    offset: last.offset,
                }
            } else {
                to_bound(last, module_level)
            };
            break;
        }
        out.push(found);
    }
    out
}

fn to_bound(b: &Binder, module_level: bool) -> Bound {
    match &b.kind {
        Kind::Import { module, name, star } => Bound::Import {
            module: module.clone(),
            name: name.clone(),
            star: *star,
            module_level,
        },
        Kind::Other => Bound::Other {
            offset: b.offset,
            module_level,
        },
    }
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
        "import_statement" => {
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
        "import_from_statement" | "future_import_statement" => {
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
        "global_statement" | "nonlocal_statement" => {}
        _ => targets_in(stmt, src, stmt.start_byte(), conditional, tc, out),
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

/// Every identifier the module uses outside import statements (as a name, not
/// as an attribute or keyword): what an import it still needs binds.
pub fn used_names(source: &str) -> Option<std::collections::HashSet<String>> {
    Some(used_names_in(parse(source)?.root_node(), source))
}

fn used_names_in(root: Node, source: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    // (node, inside an annotation): names in a string annotation are used
    // too (`"Optional[User]"`); other strings are data.
    let mut stack = vec![(root, false)];
    while let Some((n, in_type)) = stack.pop() {
        match n.kind() {
            "import_statement" | "import_from_statement" | "future_import_statement" => continue,
            // `a.b`: only `a` is a name; `f(k=v)`: only `v`.
            "attribute" => {
                stack.extend(n.child_by_field_name("object").map(|o| (o, in_type)));
                continue;
            }
            "keyword_argument" => {
                stack.extend(n.child_by_field_name("value").map(|v| (v, in_type)));
                continue;
            }
            "identifier" => {
                out.insert(source[n.byte_range()].to_string());
            }
            "string" if in_type => {
                let t = &source[n.byte_range()];
                let mut word = String::new();
                for ch in t.chars().chain(std::iter::once(' ')) {
                    if ch.is_alphanumeric() || ch == '_' {
                        word.push(ch);
                    } else if !word.is_empty() {
                        out.insert(std::mem::take(&mut word));
                    }
                }
            }
            _ => {}
        }
        let inner = in_type || n.kind() == "type";
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c).map(|k| (k, inner)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, marker: &str, name: &str) -> Bound {
        let offset = src.find(marker).expect("marker");
        bindings_at(src, offset, &[name]).expect("parses").remove(0)
    }

    #[test]
    fn class_body_binding_before_the_place_wins() {
        let src = "from sqlalchemy.orm import relationship\nclass A:\n    relationship = 1\n    x = HERE\n";
        assert!(matches!(
            at(src, "x = HERE", "relationship"),
            Bound::ClassLocal { .. }
        ));
        let src = "from sqlalchemy.orm import relationship\nclass A:\n    x = HERE\n    relationship = 1\n";
        assert!(matches!(
            at(src, "x = HERE", "relationship"),
            Bound::Import { module, .. } if module == "sqlalchemy.orm"
        ));
    }

    #[test]
    fn module_rebinding_before_the_class_and_type_checking() {
        let src = "from sqlalchemy.orm import relationship\ndef relationship(*a):\n    pass\nclass A:\n    x = HERE\n";
        assert!(matches!(
            at(src, "x = HERE", "relationship"),
            Bound::Other {
                module_level: true,
                ..
            }
        ));
        let src = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from m import User\nclass A:\n    x = HERE\n";
        assert_eq!(at(src, "x = HERE", "User"), Bound::Unbound);
        let src = "try:\n    from a import f\nexcept ImportError:\n    f = None\nclass A:\n    x = HERE\n";
        assert_eq!(at(src, "x = HERE", "f"), Bound::Ambiguous);
        let src = "class A:\n    x = HERE\ndef later():\n    pass\n";
        assert_eq!(at(src, "x = HERE", "later"), Bound::Unbound);
    }

    #[test]
    fn functions_and_used_names() {
        let src = "def f(db):\n    class A:\n        x = HERE\n";
        assert!(matches!(
            at(src, "x = HERE", "db"),
            Bound::Other {
                module_level: false,
                ..
            }
        ));
        // A lambda's body does not see the class body, and sees the module
        // as it is at its end.
        let src =
            "id = 1\nclass A:\n    id = 2\n    x = f(lambda: HERE + id)\nclass Post:\n    pass\n";
        assert!(matches!(
            at(src, "HERE", "id"),
            Bound::Other {
                module_level: true,
                offset: 0
            }
        ));
        assert!(matches!(
            at(src, "HERE", "Post"),
            Bound::Other {
                module_level: true,
                ..
            }
        ));
        assert!(matches!(at(src, "x = f", "id"), Bound::ClassLocal { .. }));
        assert_eq!(at(src, "x = f", "Post"), Bound::Unbound);
        let src = "class A:\n    x = f(lambda id: HERE)\n";
        assert!(matches!(
            at(src, "HERE", "id"),
            Bound::Other {
                module_level: false,
                ..
            }
        ));
        let used = used_names("import os\nx: 'Optional[User]' = os.path\n").expect("parses");
        assert!(used.contains("os") && used.contains("Optional") && used.contains("User"));
        assert!(!used.contains("path"));
    }
}
