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
//! binding it returns names the statement that made it. What each scope binds
//! is collected in `binders`; the names a module uses in `used`.

use std::collections::HashMap;
use std::sync::Arc;

use tree_sitter::Node;

use super::parse;

mod binders;
mod used;

pub use used::used_names;

use binders::{Binder, Kind, binders_of};
use used::used_names_in;

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

impl Bound {
    /// Bound by the module itself (an import other than `*`, or another
    /// statement), the same way on every path.
    pub fn is_module_level(&self) -> bool {
        matches!(
            self,
            Bound::Import {
                module_level: true,
                star: false,
                ..
            } | Bound::Other {
                module_level: true,
                ..
            }
        )
    }
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
    binders: std::cell::RefCell<HashMap<usize, Arc<Binders>>>,
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

    /// Where the body of the class whose body holds byte `offset` binds (or
    /// deletes) `name`, at any depth of its blocks: the offsets of those
    /// statements. Empty when `offset` is in no class body.
    pub fn class_binds(&self, offset: usize, name: &str) -> Vec<usize> {
        let chain = chain_at(self.tree.root_node(), offset);
        let Some(class) = chain.last().filter(|s| s.kind() == "class_definition") else {
            return Vec::new();
        };
        binders_of(*class, self.source)
            .iter()
            .filter(|b| b.name == name)
            .map(|b| b.offset)
            .collect()
    }

    /// What each of `names` means at byte `offset` (see [`bindings_at`]).
    pub fn bindings_at(&self, offset: usize, names: &[&str]) -> Vec<Bound> {
        scoped(self.tree.root_node(), offset, names, &|scope| {
            self.binders
                .borrow_mut()
                .entry(scope.id())
                .or_insert_with(|| Arc::new(Binders::new(binders_of(scope, self.source))))
                .clone()
        })
    }
}

fn scoped(
    root: Node,
    offset: usize,
    names: &[&str],
    binders_of: &dyn Fn(Node) -> Arc<Binders>,
) -> Vec<Bound> {
    let chain = chain_at(root, offset);
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        out.push(resolve(name, &chain, offset, binders_of));
    }
    out
}

/// The binders of one scope, and where each name's are (a module of
/// thousands of classes answers each question without a scan of them all).
struct Binders {
    all: Vec<Binder>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Binders {
    fn new(all: Vec<Binder>) -> Self {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, b) in all.iter().enumerate() {
            by_name.entry(b.name.clone()).or_default().push(i);
        }
        Binders { all, by_name }
    }

    /// The binders of `name`, in source order.
    fn named<'b>(&'b self, name: &str) -> impl Iterator<Item = &'b Binder> + 'b {
        let at = self
            .by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        at.iter().map(|&i| &self.all[i])
    }
}

/// The chain of scopes around the place: the module, then each function
/// or class whose body holds it.
fn chain_at(root: Node, offset: usize) -> Vec<Node> {
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
    chain
}

/// What `name` means at `offset`, looked up from the innermost scope of
/// `chain` outwards.
fn resolve(
    name: &str,
    chain: &[Node],
    offset: usize,
    binders_of: &dyn Fn(Node) -> Arc<Binders>,
) -> Bound {
    let innermost = chain.len() - 1;
    let mut found = Bound::Unbound;
    for (depth, scope) in chain.iter().enumerate().rev() {
        let is_class = scope.kind() == "class_definition";
        // A class body's names are visible only to the body itself.
        if is_class && depth != innermost {
            continue;
        }
        let binders = binders_of(*scope);
        let function = matches!(scope.kind(), "function_definition" | "lambda");
        let mine: Vec<&Binder> = binders.named(name).collect();
        if mine.is_empty() {
            if binders
                .named("*")
                .any(|b| b.offset < offset && !b.type_checking)
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
    found
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
