//! Classes made at run time: module-level `Tag = make_model("Tag", ...)`
//! statements, and the module-level functions that make a class with
//! `type(name, (bases), namespace)` and return it.
//!
//! It reads the statements as written: whether a callee is such a factory,
//! and whether its bases are declarative, is decided by the index.

use tree_sitter::Node;

use super::*;

impl Extractor<'_> {
    /// `Name = callee(args)` as a statement of the module itself (not in a
    /// block).
    pub(super) fn made_class(&mut self, stmt: Node) {
        if stmt.parent().is_none_or(|p| p.kind() != "module") || self.scope != 0 {
            return;
        }
        let Some(assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment") else {
            return;
        };
        let (Some(left), Some(right)) = (
            assign.child_by_field_name("left"),
            assign.child_by_field_name("right"),
        ) else {
            return;
        };
        if left.kind() != "identifier" || right.kind() != "call" {
            return;
        }
        let (Some(callee), Some(args)) = (
            right
                .child_by_field_name("function")
                .and_then(|f| dotted(f, self.src)),
            right.child_by_field_name("arguments"),
        ) else {
            return;
        };
        let mut out = Vec::new();
        for a in code_children(args) {
            let (keyword, value) = match a.kind() {
                "keyword_argument" => (
                    a.child_by_field_name("name")
                        .map(|n| self.text(n).to_string()),
                    a.child_by_field_name("value"),
                ),
                "list_splat" | "dictionary_splat" => return,
                _ => (None, Some(a)),
            };
            let Some(value) = value else { return };
            out.push(CallArgFact {
                keyword,
                string: string_value(value, self.src),
                dict_keys: self.dict_keys(value),
            });
        }
        self.facts.made_classes.push(MadeClassFact {
            name: self.text(left).to_string(),
            stmt_range: stmt.start_byte()..stmt.end_byte(),
            callee,
            args: out,
        });
    }

    /// The keys of a dict literal whose keys are all plain strings.
    fn dict_keys(&self, n: Node) -> Option<Vec<String>> {
        if n.kind() != "dictionary" {
            return None;
        }
        code_children(n)
            .into_iter()
            .map(|pair| {
                (pair.kind() == "pair")
                    .then(|| pair.child_by_field_name("key"))
                    .flatten()
                    .and_then(|k| string_value(k, self.src))
            })
            .collect()
    }

    /// `def f(a, b=None): ["doc"] return type(a, (Base,), {...})`.
    pub(super) fn class_factory(&mut self, def: Node, scope: usize) {
        let (Some(name), Some(params), Some(body)) = (
            def.child_by_field_name("name"),
            def.child_by_field_name("parameters"),
            def.child_by_field_name("body"),
        ) else {
            return;
        };
        let mut names = Vec::new();
        for p in code_children(params) {
            let ident = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" => p.child_by_field_name("name"),
                _ => None,
            };
            match ident.filter(|i| i.kind() == "identifier") {
                Some(i) => names.push(self.text(i).to_string()),
                None => return,
            }
        }
        let mut stmts = code_children(body);
        if stmts.first().is_some_and(|s| is_docstring(*s)) {
            stmts.remove(0);
        }
        let [stmt] = stmts.as_slice() else { return };
        let Some(call) = (stmt.kind() == "return_statement")
            .then(|| stmt.named_child(0))
            .flatten()
            .filter(|c| c.kind() == "call")
        else {
            return;
        };
        let is_type = call
            .child_by_field_name("function")
            .is_some_and(|f| f.kind() == "identifier" && self.text(f) == "type");
        let Some(args) = call.child_by_field_name("arguments").filter(|_| is_type) else {
            return;
        };
        let [class_name, bases, namespace] = code_children(args)[..] else {
            return;
        };
        let param = |n: Node| {
            (n.kind() == "identifier")
                .then(|| names.iter().position(|p| p == self.text(n)))
                .flatten()
                .map(FactoryArg::Param)
        };
        let Some(class_name) = param(class_name)
            .or_else(|| string_value(class_name, self.src).map(FactoryArg::Literal))
        else {
            return;
        };
        let Some(namespace) =
            param(namespace).or_else(|| self.dict_keys(namespace).map(FactoryArg::Keys))
        else {
            return;
        };
        if bases.kind() != "tuple" {
            return;
        }
        let Some(bases) = code_children(bases)
            .into_iter()
            .map(|b| dotted(b, self.src))
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        if bases.is_empty() || bases.iter().any(|b| names.contains(&b[0])) {
            return;
        }
        self.facts.class_factories.push(ClassFactoryFact {
            name: self.text(name).to_string(),
            offset: def.start_byte(),
            scope,
            params: names,
            class_name,
            bases,
            namespace,
        });
    }
}
