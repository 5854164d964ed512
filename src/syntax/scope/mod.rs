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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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

/// A module read once for several questions: its scopes (the module, and
/// every function, class and lambda) with what each binds, and with
/// [`Parsed::with_used_names`] the names it uses. The syntax tree it is read
/// from is not kept: a run holds these for hundreds of files at once.
#[derive(Clone)]
pub struct Parsed {
    /// In the order they start (the module first); each after its parent.
    scopes: Vec<Scope>,
    used: Option<Arc<HashSet<String>>>,
}

#[derive(Clone)]
struct Scope {
    kind: ScopeKind,
    /// The definition's bytes (the whole module for the module).
    start: usize,
    end: usize,
    /// Where its body starts: a place before it (a decorator, a parameter's
    /// default) is not in the scope.
    body_start: usize,
    /// The enclosing scope (the module's is itself).
    parent: usize,
    binders: Arc<Binders>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Function,
    Class,
    Lambda,
}

impl Parsed {
    pub fn new(source: &str) -> Option<Self> {
        Some(Parsed::from_tree(source, &parse(source)?))
    }

    /// A module already parsed (`tree` must be of `source`).
    pub fn from_tree(source: &str, tree: &tree_sitter::Tree) -> Self {
        let root = tree.root_node();
        let mut scopes = vec![Scope {
            kind: ScopeKind::Module,
            start: 0,
            end: usize::MAX,
            body_start: 0,
            parent: 0,
            binders: Arc::new(Binders::new(binders_of(root, source))),
        }];
        // A walk in document order, with the scopes whose definitions it is in.
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut cursor = root.walk();
        let mut descend = true;
        loop {
            let node = cursor.node();
            if descend {
                let kind = match node.kind() {
                    "function_definition" => Some(ScopeKind::Function),
                    "class_definition" => Some(ScopeKind::Class),
                    "lambda" => Some(ScopeKind::Lambda),
                    _ => None,
                };
                if let (Some(kind), Some(body)) = (kind, node.child_by_field_name("body")) {
                    let parent = open.last().map_or(0, |&(s, _)| s);
                    open.push((scopes.len(), node.id()));
                    scopes.push(Scope {
                        kind,
                        start: node.start_byte(),
                        end: node.end_byte(),
                        body_start: body.start_byte(),
                        parent,
                        binders: Arc::new(Binders::new(binders_of(node, source))),
                    });
                }
                if cursor.goto_first_child() {
                    continue;
                }
            }
            // The node's definition ends here.
            if open.last().is_some_and(|&(_, id)| id == node.id()) {
                open.pop();
            }
            if cursor.goto_next_sibling() {
                descend = true;
            } else if cursor.goto_parent() {
                descend = false;
            } else {
                break;
            }
        }
        Parsed { scopes, used: None }
    }

    /// These scopes, with the names the module uses (see [`used_names`]);
    /// `tree` must be the one they were read from.
    pub fn with_used_names(self, source: &str, tree: &tree_sitter::Tree) -> Self {
        Parsed {
            used: Some(Arc::new(used_names_in(tree.root_node(), source))),
            ..self
        }
    }

    /// Every identifier the module uses (see [`used_names`]); empty unless
    /// read [`Parsed::with_used_names`].
    pub fn used_names(&self) -> HashSet<String> {
        self.used.as_deref().cloned().unwrap_or_default()
    }

    /// Where the body of the class whose body holds byte `offset` binds (or
    /// deletes) `name`, at any depth of its blocks: the offsets of those
    /// statements. Empty when `offset` is in no class body.
    pub fn class_binds(&self, offset: usize, name: &str) -> Vec<usize> {
        let chain = self.chain_at(offset);
        let Some(&class) = chain
            .last()
            .filter(|&&s| self.scopes[s].kind == ScopeKind::Class)
        else {
            return Vec::new();
        };
        self.scopes[class]
            .binders
            .named(name)
            .map(|b| b.offset)
            .collect()
    }

    /// What each of `names` means at byte `offset` (see [`bindings_at`]).
    pub fn bindings_at(&self, offset: usize, names: &[&str]) -> Vec<Bound> {
        let chain = self.chain_at(offset);
        names
            .iter()
            .map(|name| self.resolve(name, &chain, offset))
            .collect()
    }

    /// The chain of scopes around the place: the module, then each function
    /// or class whose body holds it.
    fn chain_at(&self, offset: usize) -> Vec<usize> {
        // The innermost scope holding the place is the last one to start
        // at or before it, or one of that one's enclosing scopes.
        let mut s = self
            .scopes
            .partition_point(|s| s.start <= offset)
            .saturating_sub(1);
        while s != 0 && !(self.scopes[s].start <= offset && offset < self.scopes[s].end) {
            s = self.scopes[s].parent;
        }
        let mut chain = Vec::new();
        while s != 0 {
            if self.scopes[s].body_start <= offset {
                chain.push(s);
            }
            s = self.scopes[s].parent;
        }
        chain.push(0);
        chain.reverse();
        chain
    }

    /// What `name` means at `offset`, looked up from the innermost scope of
    /// `chain` outwards.
    fn resolve(&self, name: &str, chain: &[usize], offset: usize) -> Bound {
        let innermost = chain.len() - 1;
        let mut found = Bound::Unbound;
        for (depth, &scope) in chain.iter().enumerate().rev() {
            let kind = self.scopes[scope].kind;
            let is_class = kind == ScopeKind::Class;
            // A class body's names are visible only to the body itself.
            if is_class && depth != innermost {
                continue;
            }
            let binders = &self.scopes[scope].binders;
            let function = matches!(kind, ScopeKind::Function | ScopeKind::Lambda);
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
                .any(|&s| matches!(self.scopes[s].kind, ScopeKind::Function | ScopeKind::Lambda));
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
    fn headers_belong_to_the_enclosing_scope() {
        // A default value and a decorator run in the class body; a lambda
        // there has a scope of its own, which does not see the class body.
        let src = "x = 1\nclass A:\n    x = 2\n    @dec(x)\n    def f(self, y=x, g=lambda: x):\n        return x\n";
        let nth = |n: usize| src.match_indices('x').map(|(i, _)| i).nth(n).expect("x");
        let bound = |at: usize| bindings_at(src, at, &["x"]).expect("parses").remove(0);
        assert!(
            matches!(bound(nth(2)), Bound::ClassLocal { .. }),
            "decorator"
        );
        assert!(matches!(bound(nth(3)), Bound::ClassLocal { .. }), "default");
        // A lambda in a default, and the method body, see the module.
        for n in [4, 5] {
            let module = Bound::Other {
                module_level: true,
                offset: 0,
            };
            assert_eq!(bound(nth(n)), module, "x number {n}");
        }
        let p = Parsed::new(src).expect("parses");
        assert_eq!(
            p.class_binds(nth(3), "x"),
            vec![src.find("x = 2").expect("x = 2")]
        );
        assert!(
            p.class_binds(nth(5), "x").is_empty(),
            "a method body is no class body"
        );
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
