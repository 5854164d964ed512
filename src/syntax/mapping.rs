//! Imperative (classical) mappings: `registry.map_imperatively(Cls, table,
//! properties={...})` and `mapper(Cls, table, properties=dict(...))`. Their
//! `properties` entries that are relationships become facts like class-level
//! ones, and the mapping records where a new entry or a new `properties=`
//! argument would go.
//!
//! Project helpers that wrap such a call (`def simple_mapping(model, **kw):
//! mapper(model, model.table, properties=kw)`) are read as they are
//! defined, and their calls as mappings whose properties are the call's
//! keyword arguments (or its dict argument); so is every call of a name the
//! module imports that has the shape of such a call, for the planner to
//! decide whether the name is a helper.
//!
//! It reads the call as written: it does not resolve the mapped class, and
//! does not decide whether a relationship or a new entry can be migrated.

use tree_sitter::Node;

use super::*;

/// Callees (last segment) that map a class imperatively.
pub const MAPPING_CALLEES: &[&str] = &["map_imperatively", "mapper"];

/// A `properties` argument as read: the facts a new entry needs, and the
/// entries with a key.
#[derive(Default)]
struct Properties<'t> {
    /// Absent when there is no `properties` argument or it is not a dict.
    fact: Option<PropertiesFact>,
    /// The argument, or one of its entries, has a form the tool cannot read.
    opaque: bool,
    /// (key, value, entry) in the order written.
    entries: Vec<(String, Node<'t>, Node<'t>)>,
}

impl Extractor<'_> {
    /// An imperative mapping call: which call, which class, which properties,
    /// and the layout a new entry or argument follows. A helper's call counts
    /// only as a statement of its own (`bare`).
    pub(super) fn mapping(&mut self, call: Node, bare: bool) {
        let Some((callee, args)) = self.mapping_call(call) else {
            return;
        };
        let items = code_children(args);
        let Some(class) = items.first().and_then(|n| dotted(*n, self.src)) else {
            return;
        };
        let helper = if MAPPING_CALLEES.contains(&callee.last().map_or("", String::as_str)) {
            None
        } else if !bare {
            return;
        } else {
            match self.helper_call(&callee, &items) {
                Some(shape) => Some(shape),
                None => return,
            }
        };
        let (props_node, properties) = match helper {
            Some(HelperProps::Keywords) => (None, self.keyword_properties(args, &items)),
            Some(HelperProps::Unknown) => (
                None,
                Properties {
                    opaque: true,
                    ..Properties::default()
                },
            ),
            _ => {
                let props_node = match helper {
                    Some(_) => items.get(1).copied(),
                    None => self.properties_argument(&items),
                };
                let properties = match props_node.map(|p| self.properties(p)) {
                    None => Properties::default(),
                    Some(Some(read)) => read,
                    // A `dict` call without an argument list: no mapping is recorded.
                    Some(None) => return,
                };
                (props_node, properties)
            }
        };
        let last = items.last().copied();
        let args_end = last.map_or(args.start_byte() + 1, |n| n.end_byte());
        let fact = MappingFact {
            callee,
            class,
            scope: self.scope,
            call_range: call.start_byte()..call.end_byte(),
            pos: pos(call),
            args_end,
            args_trailing_comma: has_comma(&self.src[args_end..args.end_byte()]),
            args_indent: last.and_then(|n| self.own_line_indent(n, args)),
            one_line: self.one_line_call(args, &items, props_node).map(|mut one| {
                one.entries_as_arguments = helper == Some(HelperProps::Keywords);
                one
            }),
            properties: properties.fact,
            opaque_properties: properties.opaque,
            helper,
            non_primary: self.keyword_named(&items, "non_primary"),
            block: enclosing_block(call),
            own_line: self.own_line(call),
        };
        let mapping_index = self.facts.mappings.len();
        self.facts.mappings.push(fact);
        self.property_relationships(mapping_index, properties.entries);
    }

    /// The callee and argument list of a call that maps a class imperatively,
    /// or may (a helper's call).
    fn mapping_call<'t>(&self, call: Node<'t>) -> Option<(Vec<String>, Node<'t>)> {
        let callee = call
            .child_by_field_name("function")
            .and_then(|f| dotted(f, self.src))?;
        let args = call.child_by_field_name("arguments")?;
        (args.kind() == "argument_list").then_some((callee, args))
    }

    /// How a call that is not SQLAlchemy's passes properties, when it may be
    /// a mapping helper's call: its callee is a helper of this module, or a
    /// name this module imports (the planner resolves it). None for any other
    /// call. `items` are its arguments; the first is the class.
    fn helper_call(&self, callee: &[String], items: &[Node]) -> Option<HelperProps> {
        let head = callee.first()?;
        let local = self
            .facts
            .mapping_helpers
            .iter()
            .rev()
            .find(|h| callee.len() == 1 && h.name == *head);
        if local.is_none() && !self.facts.imports.iter().any(|i| i.bound == *head) {
            return None;
        }
        let rest = items.get(1..).unwrap_or_default();
        let shape = if rest.iter().all(|n| n.kind() == "keyword_argument") {
            HelperProps::Keywords
        } else if rest.len() == 1 && self.dict_value(rest[0]) {
            HelperProps::Dict
        } else {
            HelperProps::Unknown
        };
        // A local helper called with another shape than its own maps the
        // class with properties that cannot be extended; another name's
        // shape is checked against its definition by the planner.
        Some(match local {
            Some(h) if h.props != shape => HelperProps::Unknown,
            _ => shape,
        })
    }

    /// Whether the statement holding `call` stands alone on its lines.
    fn own_line(&self, call: Node) -> bool {
        let mut stmt = call;
        while stmt.kind() != "expression_statement" {
            match stmt.parent() {
                Some(p) => stmt = p,
                None => return false,
            }
        }
        let before = &self.src[line_start(self.src, stmt.start_byte())..stmt.start_byte()];
        let after_end = line_end(self.src, stmt.end_byte());
        let after = self.src[stmt.end_byte()..after_end].trim();
        before.trim().is_empty() && (after.is_empty() || after.starts_with('#'))
    }

    /// Whether one of `items` is the keyword argument `name=`.
    fn keyword_named(&self, items: &[Node], name: &str) -> bool {
        items.iter().any(|n| {
            n.kind() == "keyword_argument"
                && n.child_by_field_name("name").map(|k| self.text(k)) == Some(name)
        })
    }

    /// `{...}` or `dict(...)`.
    fn dict_value(&self, n: Node) -> bool {
        n.kind() == "dictionary"
            || (n.kind() == "call"
                && n.child_by_field_name("function").map(|f| self.text(f)) == Some("dict"))
    }

    /// The properties of a helper called with keyword arguments: each
    /// keyword argument after the class is an entry; a new entry joins them.
    fn keyword_properties<'t>(&self, args: Node<'t>, items: &[Node<'t>]) -> Properties<'t> {
        let mut read = Properties::default();
        let mut keys = Vec::new();
        for kw in items.iter().skip(1) {
            match (
                kw.child_by_field_name("name"),
                kw.child_by_field_name("value"),
            ) {
                (Some(k), Some(v)) => {
                    let key = self.text(k).to_string();
                    keys.push(key.clone());
                    read.entries.push((key, v, *kw));
                }
                _ => read.opaque = true,
            }
        }
        let mut fact = self.properties_fact(args, false, keys, items.last().copied());
        // The class argument stands before the entries: with none, the first
        // one goes after it.
        fact.open_end = items.first().map_or(fact.open_end, |n| n.end_byte());
        read.fact = Some(fact);
        read
    }

    /// A module-level `def` that maps its first parameter. A helper passes its
    /// other parameter through as `properties`, and does nothing else:
    ///
    /// ```python
    /// def simple_mapping(model, **kwds):
    ///     mapper(model, model.table, properties=kwds)
    /// ```
    ///
    /// (or `props` in place of `**kwds`, `return mapper(...)`, a docstring
    /// first). Any other function that maps its first parameter (with
    /// SQLAlchemy's call or a helper's) before anything in its body may leave
    /// it is recorded with its properties [`HelperProps::Unknown`]. `scope` is
    /// the scope of its body.
    pub(super) fn mapping_helper(&mut self, def: Node, scope: usize) {
        let (Some(name), Some(params), Some(body)) = (
            def.child_by_field_name("name"),
            def.child_by_field_name("parameters"),
            def.child_by_field_name("body"),
        ) else {
            return;
        };
        let params = code_children(params);
        let Some(class_param) = params
            .first()
            .and_then(|p| self.param_name(*p, "identifier"))
        else {
            return;
        };
        let mut stmts = code_children(body);
        if stmts.first().is_some_and(|s| is_docstring(*s)) {
            stmts.remove(0);
        }
        let found = match (params.as_slice(), stmts.as_slice()) {
            ([_, second], [stmt]) => self.pass_through(*second, *stmt, &class_param),
            _ => None,
        }
        .or_else(|| self.maps_first_parameter(&stmts, &class_param));
        if let Some((callee, props)) = found {
            self.facts.mapping_helpers.push(HelperFact {
                name: self.text(name).to_string(),
                offset: def.start_byte(),
                scope,
                callee,
                props,
                class_param,
            });
        }
    }

    /// A parameter's name, when it is of `kind` (`identifier`, or
    /// `dictionary_splat_pattern` for `**kw`), annotated or not.
    fn param_name(&self, p: Node, kind: &str) -> Option<String> {
        let p = if p.kind() == "typed_parameter" {
            p.named_child(0)?
        } else {
            p
        };
        if p.kind() != kind {
            return None;
        }
        let ident = if kind == "identifier" {
            p
        } else {
            p.named_child(0)?
        };
        (ident.kind() == "identifier").then(|| self.text(ident).to_string())
    }

    /// The callee and shape of a helper body `stmt` that maps `class_param`
    /// with the parameter `second` passed through as `properties`.
    fn pass_through(
        &self,
        second: Node,
        stmt: Node,
        class_param: &str,
    ) -> Option<(Vec<String>, HelperProps)> {
        let (props, props_param) = match (
            self.param_name(second, "dictionary_splat_pattern"),
            self.param_name(second, "identifier"),
        ) {
            (Some(kw), _) => (HelperProps::Keywords, kw),
            (None, Some(p)) => (HelperProps::Dict, p),
            (None, None) => return None,
        };
        let call = match stmt.kind() {
            "expression_statement" | "return_statement" => stmt.named_child(0),
            _ => None,
        }
        .filter(|c| c.kind() == "call")?;
        let (callee, args) = self.mapping_call(call)?;
        if !MAPPING_CALLEES.contains(&callee.last().map_or("", String::as_str)) {
            return None;
        }
        let items = code_children(args);
        if self.keyword_named(&items, "non_primary") {
            return None;
        }
        let props_arg = self.properties_argument(&items);
        // The argument that holds the properties: `properties=kw` or `kw`.
        let holds = |n: Node| {
            Some(n) == props_arg
                || n.child_by_field_name("value")
                    .is_some_and(|v| Some(v) == props_arg)
        };
        let passes = items.first().map(|n| self.text(*n)) == Some(class_param)
            && props_arg.is_some_and(|p| p.kind() == "identifier" && self.text(p) == props_param)
            && items.iter().all(|n| {
                holds(*n)
                    || (!matches!(n.kind(), "list_splat" | "dictionary_splat")
                        && !mentions(*n, self.src, &props_param))
            });
        passes.then_some((callee, props))
    }

    /// The callee of the last statement of `stmts` when it maps
    /// `class_param`: a mapping call or a call of a helper of this module,
    /// reached through assignments to other names and plain expression
    /// statements only.
    fn maps_first_parameter(
        &self,
        stmts: &[Node],
        class_param: &str,
    ) -> Option<(Vec<String>, HelperProps)> {
        for (i, stmt) in stmts.iter().enumerate() {
            if stmt.kind() != "expression_statement" {
                return None;
            }
            let e = stmt.named_child(0)?;
            match e.kind() {
                "call" => {
                    let Some((callee, args)) = self.mapping_call(e) else {
                        continue;
                    };
                    let first = code_children(args).first().map(|n| self.text(*n));
                    let maps = MAPPING_CALLEES.contains(&callee.last().map_or("", String::as_str))
                        || (callee.len() == 1
                            && self
                                .facts
                                .mapping_helpers
                                .iter()
                                .any(|h| h.name == callee[0]));
                    // The body's last statement: whatever came after it could
                    // configure the mappers before a reverse is added.
                    if maps && first == Some(class_param) {
                        return (i + 1 == stmts.len()).then_some((callee, HelperProps::Unknown));
                    }
                }
                "assignment" | "augmented_assignment" => {
                    let left = e.child_by_field_name("left")?;
                    if mentions(left, self.src, class_param) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        None
    }

    /// The `properties=` keyword's value, or else the third positional
    /// argument (`mapper(Cls, table, {...})`).
    fn properties_argument<'t>(&self, items: &[Node<'t>]) -> Option<Node<'t>> {
        let positional: Vec<Node> = items
            .iter()
            .copied()
            .filter(|n| {
                !matches!(
                    n.kind(),
                    "keyword_argument" | "dictionary_splat" | "list_splat"
                )
            })
            .collect();
        items
            .iter()
            .find(|n| {
                n.kind() == "keyword_argument"
                    && n.child_by_field_name("name").map(|k| self.text(k)) == Some("properties")
            })
            .and_then(|k| k.child_by_field_name("value"))
            .or_else(|| positional.get(2).copied())
    }

    /// A `properties` value: a dict literal, a `dict(...)` call, or anything
    /// else (opaque). None for a `dict` call without an argument list.
    fn properties<'t>(&self, p: Node<'t>) -> Option<Properties<'t>> {
        let read = match p.kind() {
            "dictionary" => self.keyed_entries(p, true, |pair| {
                (pair.kind() == "pair")
                    .then(|| pair.child_by_field_name("key"))
                    .flatten()
                    .and_then(|k| string_value(k, self.src))
            }),
            "call" if p.child_by_field_name("function").map(|f| self.text(f)) == Some("dict") => {
                let dargs = p.child_by_field_name("arguments")?;
                self.keyed_entries(dargs, false, |kw| {
                    (kw.kind() == "keyword_argument")
                        .then(|| kw.child_by_field_name("name"))
                        .flatten()
                        .map(|k| self.text(k).to_string())
                })
            }
            _ => Properties {
                opaque: true,
                ..Properties::default()
            },
        };
        Some(read)
    }

    /// The entries of a `properties` container, each keyed by `key_of`; an
    /// entry without a key or a value makes the whole opaque.
    fn keyed_entries<'t>(
        &self,
        container: Node<'t>,
        literal: bool,
        key_of: impl Fn(Node<'t>) -> Option<String>,
    ) -> Properties<'t> {
        let children = code_children(container);
        let mut read = Properties::default();
        let mut keys = Vec::new();
        for entry in &children {
            match (key_of(*entry), entry.child_by_field_name("value")) {
                (Some(k), Some(v)) => {
                    keys.push(k.clone());
                    read.entries.push((k, v, *entry));
                }
                _ => read.opaque = true,
            }
        }
        read.fact = Some(self.properties_fact(container, literal, keys, children.last().copied()));
        read
    }

    /// The layout of a call whose arguments all stand on one line, so that it
    /// can be laid out again when a new entry makes it too long.
    fn one_line_call(
        &self,
        args: Node,
        items: &[Node],
        props_node: Option<Node>,
    ) -> Option<OneLineCall> {
        let inner = args.start_byte() + 1..args.end_byte().saturating_sub(1);
        (inner.start <= inner.end
            && !self.src[inner.clone()].trim().contains(['\n', '\r', '#'])
            && args.named_child_count() == items.len())
        .then(|| OneLineCall {
            inner,
            args: items.iter().map(|n| n.start_byte()..n.end_byte()).collect(),
            properties: props_node.and_then(|p| self.one_line_properties(items, p)),
            entries_as_arguments: false,
        })
    }

    /// Where the `properties` argument of a one-line call opens, closes and
    /// has its entries.
    fn one_line_properties(&self, items: &[Node], p: Node) -> Option<OneLineProperties> {
        let at = items
            .iter()
            .position(|n| n.start_byte() <= p.start_byte() && p.end_byte() <= n.end_byte())?;
        let container = if p.kind() == "call" {
            p.child_by_field_name("arguments")?
        } else {
            p
        };
        let mut c = container.walk();
        let entries = container
            .named_children(&mut c)
            .filter(not_continuation)
            .map(|n| n.start_byte()..n.end_byte())
            .collect();
        let open = items[at].start_byte()..container.start_byte() + 1;
        let close = self.text(container).chars().last()?.to_string();
        Some(OneLineProperties {
            index: at,
            open,
            close,
            entries,
        })
    }

    /// The relationships among the `properties` entries of a mapping, owned by it.
    fn property_relationships(&mut self, mapping: usize, entries: Vec<(String, Node, Node)>) {
        for (key, value, entry) in entries {
            if value.kind() != "call" {
                continue;
            }
            if let Some(rel) =
                self.relationship(value, entry, Owner::Imperative(mapping), key, None)
            {
                self.facts.relationships.push(rel);
            }
        }
    }

    fn properties_fact(
        &self,
        container: Node,
        literal: bool,
        keys: Vec<String>,
        last: Option<Node>,
    ) -> PropertiesFact {
        let open_end = container.start_byte() + 1;
        let close = container.end_byte().saturating_sub(1);
        let last_end = last.map(|n| n.end_byte());
        let trailing_comma = last_end.is_some_and(|e| has_comma(&self.src[e..close]));
        PropertiesFact {
            literal,
            keys,
            open_end,
            last_end,
            trailing_comma,
            entry_indent: last.and_then(|n| self.own_line_indent(n, container)),
        }
    }

    /// The indentation of `node` when it starts its own line inside `container`.
    fn own_line_indent(&self, node: Node, container: Node) -> Option<String> {
        let ls = line_start(self.src, node.start_byte());
        let prefix = &self.src[ls..node.start_byte()];
        (prefix.chars().all(|c| c == ' ' || c == '\t') && ls > container.start_byte())
            .then(|| prefix.to_string())
    }
}

/// The start of the innermost compound statement (`if`, `for`, `try`, ...)
/// around `node` within its function or module: `None` when the statement
/// runs whenever its scope does.
fn enclosing_block(node: Node) -> Option<usize> {
    let mut up = node.parent();
    while let Some(n) = up {
        match n.kind() {
            "function_definition" | "class_definition" | "module" | "lambda" => return None,
            "if_statement" | "for_statement" | "while_statement" | "try_statement"
            | "with_statement" | "match_statement" | "elif_clause" | "else_clause"
            | "except_clause" | "finally_clause" | "case_clause" => return Some(n.start_byte()),
            _ => {}
        }
        up = n.parent();
    }
    None
}

/// Whether the text between an item and its closing bracket holds a comma
/// (not one in a comment).
fn has_comma(between: &str) -> bool {
    between
        .lines()
        .any(|l| l.split('#').next().is_some_and(|code| code.contains(',')))
}
