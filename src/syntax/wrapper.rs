//! Wrapper functions: a module-level `def` that calls another function with
//! exactly the arguments it is given, after adding default keyword arguments
//! (`kw.setdefault("query_class", AppQuery)`). A family of such wrappers of
//! SQLAlchemy's `relationship()` and `backref()` (see
//! [`crate::config::Family`]) is proven from these facts.
//!
//! It reads the body as written: it does not resolve the callee.

use tree_sitter::Node;

use super::*;

impl Extractor<'_> {
    /// `def f(a, *args, **kw): ["doc"] kw.setdefault("k", v) ... return g(a, *args, **kw)`:
    /// every parameter passed on in order, nothing else done but defaults
    /// that are literals or names (never `backref`).
    pub(super) fn wrapper_function(&mut self, def: Node, scope: usize) {
        let (Some(name), Some(params), Some(body)) = (
            def.child_by_field_name("name"),
            def.child_by_field_name("parameters"),
            def.child_by_field_name("body"),
        ) else {
            return;
        };
        // Parameters: plain names, then `*args`, then `**kw` (required).
        let mut passed: Vec<(&str, String)> = Vec::new();
        let mut stage = 0;
        for p in code_children(params) {
            let (kind, inner, next) = match p.kind() {
                "identifier" if stage == 0 => ("", Some(p), 0),
                "list_splat_pattern" if stage == 0 => ("*", p.named_child(0), 1),
                "dictionary_splat_pattern" if stage < 2 => ("**", p.named_child(0), 2),
                _ => return,
            };
            let Some(inner) = inner.filter(|i| i.kind() == "identifier") else {
                return;
            };
            stage = next;
            passed.push((kind, self.text(inner).to_string()));
        }
        let Some(("**", kw)) = passed.last().map(|(k, n)| (*k, n.clone())) else {
            return;
        };
        let mut stmts = code_children(body);
        if stmts.first().is_some_and(|s| is_docstring(*s)) {
            stmts.remove(0);
        }
        let Some((last, defaults_stmts)) = stmts.split_last() else {
            return;
        };
        let mut defaults = Vec::new();
        for s in defaults_stmts {
            match self.setdefault(*s, &kw, &passed) {
                Some((k, v)) if k != "backref" && !defaults.iter().any(|(d, _)| *d == k) => {
                    defaults.push((k, v));
                }
                _ => return,
            }
        }
        if last.kind() != "return_statement" {
            return;
        }
        let Some(call) = last.named_child(0).filter(|c| c.kind() == "call") else {
            return;
        };
        let (Some(callee), Some(args)) = (
            call.child_by_field_name("function")
                .and_then(|f| dotted(f, self.src)),
            call.child_by_field_name("arguments"),
        ) else {
            return;
        };
        let args = code_children(args);
        let passes_all = args.len() == passed.len()
            && args.iter().zip(&passed).all(|(a, (kind, n))| {
                let inner = match (a.kind(), *kind) {
                    ("identifier", "") => Some(*a),
                    ("list_splat", "*") | ("dictionary_splat", "**") => a.named_child(0),
                    _ => None,
                };
                inner.is_some_and(|i| i.kind() == "identifier" && self.text(i) == n)
            });
        if !passes_all || passed.iter().any(|(_, n)| callee[0] == *n) {
            return;
        }
        self.facts.wrapper_functions.push(WrapperFn {
            name: self.text(name).to_string(),
            offset: def.start_byte(),
            scope,
            callee,
            defaults,
        });
    }

    /// `kw.setdefault("key", value)` with a literal or dotted-name value.
    fn setdefault(
        &self,
        stmt: Node,
        kw: &str,
        params: &[(&str, String)],
    ) -> Option<(String, String)> {
        if stmt.kind() != "expression_statement" || stmt.named_child_count() != 1 {
            return None;
        }
        let call = stmt.named_child(0).filter(|c| c.kind() == "call")?;
        let f = dotted(call.child_by_field_name("function")?, self.src)?;
        if f.len() != 2 || f[0] != kw || f[1] != "setdefault" {
            return None;
        }
        let args = code_children(call.child_by_field_name("arguments")?);
        let [key, value] = args.as_slice() else {
            return None;
        };
        let key = string_value(*key, self.src)?;
        let literal = match value.kind() {
            "string" => string_value(*value, self.src).is_some(),
            "integer" | "float" | "true" | "false" | "none" => true,
            _ => false,
        };
        let name = dotted(*value, self.src).is_some_and(|d| params.iter().all(|(_, p)| d[0] != *p));
        (literal || name).then(|| (key, self.text(*value).to_string()))
    }
}
