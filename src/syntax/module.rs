//! Module-level statements: imports, bindings (tables, bases, Flask-SQLAlchemy
//! instances, string constants), classes and relationships assigned after a class.

use tree_sitter::Node;

use super::*;

impl<'a> Extractor<'a> {
    pub(super) fn text(&self, node: Node) -> &'a str {
        &self.src[node.byte_range()]
    }

    pub(super) fn pos(&self, offset: usize) -> Pos {
        self.facts.pos_of(offset)
    }

    /// End of the line holding `offset`, after its newline.
    pub(super) fn line_end(&self, offset: usize) -> usize {
        line_end(self.src, offset)
    }

    pub(super) fn module(&mut self, root: Node) {
        let mut cursor = root.walk();
        let children: Vec<Node> = root
            .named_children(&mut cursor)
            .filter(not_continuation)
            .collect();
        let mut seen_code = false;
        for (i, child) in children.iter().enumerate() {
            match child.kind() {
                "import_statement" | "import_from_statement" | "future_import_statement" => {
                    self.import(*child, true, false);
                    if !seen_code {
                        self.facts.import_insert_at = self.line_end(child.end_byte());
                    }
                }
                "expression_statement" if i == 0 && is_docstring(*child) => {
                    self.facts.import_insert_at = self.line_end(child.end_byte());
                }
                "comment" | "line_continuation" => {}
                _ => {
                    if !is_type_checking_if(*child, self.src) {
                        seen_code = true;
                    }
                    self.top_statement(*child);
                }
            }
        }
    }

    pub(super) fn top_statement(&mut self, node: Node) {
        match node.kind() {
            "class_definition" => self.class(node, &[], false),
            "decorated_definition" => {
                if let Some(def) = node.child_by_field_name("definition") {
                    if def.kind() == "class_definition" {
                        let decos = self.decorators(node);
                        self.class(def, &decos, false);
                    } else {
                        self.def_binding(def);
                        self.function(def);
                    }
                }
            }
            "expression_statement" => {
                self.made_class(node);
                self.module_assignment(node);
            }
            "function_definition" => {
                self.def_binding(node);
                let scope = self.facts.scopes.len();
                self.function(node);
                self.mapping_helper(node, scope);
                self.identity_function(node);
                self.wrapper_function(node, scope);
                self.class_factory(node, scope);
            }
            "if_statement" => {
                let tc = is_type_checking_if(node, self.src);
                if let Some(body) = node.child_by_field_name("consequence") {
                    if tc && self.facts.type_checking_block.is_none() {
                        let indent = body_indent(self.src, body).unwrap_or_else(|| "    ".into());
                        self.facts.type_checking_block =
                            Some((node.start_byte()..self.line_end(node.end_byte()), indent));
                    }
                    self.nested_imports(body, tc);
                }
                let mut cursor = node.walk();
                for alt in node.children_by_field_name("alternative", &mut cursor) {
                    self.nested_imports(alt, false);
                }
                if !tc {
                    self.nested_statements(node);
                }
            }
            "try_statement" => {
                self.nested_imports(node, false);
                self.nested_statements(node);
            }
            _ => {}
        }
    }

    /// Classes and assignments in the blocks of a module-level `if`/`try`: they run at import.
    pub(super) fn nested_statements(&mut self, node: Node) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node
            .named_children(&mut cursor)
            .filter(not_continuation)
            .collect();
        for child in children {
            match child.kind() {
                "block" => {
                    let mut c = child.walk();
                    let stmts: Vec<Node> = child
                        .named_children(&mut c)
                        .filter(not_continuation)
                        .collect();
                    for stmt in stmts {
                        if !matches!(stmt.kind(), "import_statement" | "import_from_statement") {
                            self.top_statement(stmt);
                        }
                    }
                }
                "else_clause" | "except_clause" | "finally_clause" | "elif_clause" => {
                    self.nested_statements(child)
                }
                _ => {}
            }
        }
    }

    pub(super) fn nested_imports(&mut self, node: Node, type_checking: bool) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor).filter(not_continuation) {
            match child.kind() {
                "import_statement" | "import_from_statement" => {
                    self.import(child, false, type_checking)
                }
                "block" | "else_clause" | "except_clause" | "finally_clause" | "elif_clause" => {
                    self.nested_imports(child, type_checking)
                }
                _ => {}
            }
        }
    }

    pub(super) fn import(&mut self, node: Node, top_level: bool, type_checking: bool) {
        let stmt_range = node.start_byte()..node.end_byte();
        match node.kind() {
            "future_import_statement" if self.text(node).contains("annotations") => {
                self.facts.future_annotations = true;
            }
            "import_statement" => {
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    let (module, bound) = match name.kind() {
                        "aliased_import" => {
                            let m = name
                                .child_by_field_name("name")
                                .map(|n| self.text(n).to_string())
                                .unwrap_or_default();
                            let a = name
                                .child_by_field_name("alias")
                                .map(|n| self.text(n).to_string())
                                .unwrap_or_default();
                            (m, a)
                        }
                        _ => {
                            let m = self.text(name).to_string();
                            let head = m.split('.').next().unwrap_or_default().to_string();
                            (m, head)
                        }
                    };
                    self.facts.imports.push(ImportFact {
                        module,
                        name: None,
                        bound,
                        stmt_range: stmt_range.clone(),
                        top_level,
                        type_checking,
                        parenthesized: false,
                        scope: self.scope,
                    });
                }
            }
            "import_from_statement" => {
                let module = node
                    .child_by_field_name("module_name")
                    .map(|n| compact(self.text(n)))
                    .unwrap_or_default();
                let parenthesized = self.text(node).contains('(');
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    let (imported, bound) = match name.kind() {
                        "aliased_import" => (
                            name.child_by_field_name("name")
                                .map(|n| self.text(n).to_string())
                                .unwrap_or_default(),
                            name.child_by_field_name("alias")
                                .map(|n| self.text(n).to_string())
                                .unwrap_or_default(),
                        ),
                        _ => (self.text(name).to_string(), self.text(name).to_string()),
                    };
                    self.facts.imports.push(ImportFact {
                        module: module.clone(),
                        name: Some(imported),
                        bound,
                        stmt_range: stmt_range.clone(),
                        top_level,
                        type_checking,
                        parenthesized,
                        scope: self.scope,
                    });
                }
            }
            _ => {}
        }
    }

    pub(super) fn decorators(&self, decorated: Node) -> Vec<String> {
        let mut cursor = decorated.walk();
        decorated
            .named_children(&mut cursor)
            .filter(not_continuation)
            .filter(|c| c.kind() == "decorator")
            .map(|c| self.text(c).trim_start_matches('@').trim().to_string())
            .collect()
    }

    /// Module-level `x = ...` statements: bindings and `Cls.attr = relationship(...)`.
    pub(super) fn module_assignment(&mut self, stmt: Node) {
        // `mapper(...)` / `reg.map_imperatively(...)`, bare or assigned.
        if let Some((call, bare)) = stmt.named_child(0).and_then(|e| match e.kind() {
            "call" => Some((e, true)),
            "assignment" => e
                .child_by_field_name("right")
                .filter(|r| r.kind() == "call")
                .map(|r| (r, false)),
            _ => None,
        }) {
            self.mapping(call, bare);
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
        match left.kind() {
            "pattern_list" | "tuple_pattern" => {
                // `users, addresses = ...`: names bound here, values unknown.
                let mut cursor = left.walk();
                let names: Vec<String> = left
                    .named_children(&mut cursor)
                    .filter(not_continuation)
                    .filter(|n| n.kind() == "identifier")
                    .map(|n| self.text(n).to_string())
                    .collect();
                for name in names {
                    self.facts.bindings.push(Binding {
                        name,
                        offset: stmt.start_byte(),
                        kind: BindingKind::Other,
                        scope: self.scope,
                    });
                }
            }
            "identifier" => {
                let name = self.text(left).to_string();
                let kind = self.binding_kind(right);
                // `global x` in a function: the assignment binds a module name.
                let scope = if self
                    .globals
                    .iter()
                    .any(|(s, n)| *s == self.scope && *n == name)
                {
                    0
                } else {
                    self.scope
                };
                self.facts.bindings.push(Binding {
                    name,
                    offset: stmt.start_byte(),
                    kind,
                    scope,
                });
            }
            "attribute" => {
                let Some(chain) = dotted(left, self.src) else {
                    return;
                };
                if chain.len() < 2 || right.kind() != "call" {
                    return;
                }
                let attr = chain[chain.len() - 1].clone();
                let owner = Owner::Assigned(chain[..chain.len() - 1].to_vec());
                if let Some(rel) = self.relationship(right, stmt, owner, attr, None) {
                    self.facts.relationships.push(rel);
                }
            }
            _ => {}
        }
    }

    pub(super) fn binding_kind(&self, right: Node) -> BindingKind {
        match right.kind() {
            "call" => {
                let callee = right
                    .child_by_field_name("function")
                    .and_then(|f| dotted(f, self.src))
                    .unwrap_or_default();
                // `from sqlalchemy import Table as DBTable`: the imported name.
                let imported = match callee.as_slice() {
                    [one] => self
                        .facts
                        .imports
                        .iter()
                        .rev()
                        .find(|i| i.bound == *one)
                        .and_then(|i| i.name.clone()),
                    _ => None,
                };
                let last = imported
                    .as_deref()
                    .or(callee.last().map(String::as_str))
                    .unwrap_or_default();
                match last {
                    "Table" => {
                        let args = right.child_by_field_name("arguments");
                        let mut name = None;
                        let mut schema = None;
                        if let Some(args) = args {
                            let mut cursor = args.walk();
                            for a in args.named_children(&mut cursor).filter(not_continuation) {
                                if a.kind() == "string" && name.is_none() {
                                    name = string_value(a, self.src);
                                } else if a.kind() == "keyword_argument"
                                    && a.child_by_field_name("name").map(|n| self.text(n))
                                        == Some("schema")
                                {
                                    schema = a
                                        .child_by_field_name("value")
                                        .and_then(|v| string_value(v, self.src));
                                }
                            }
                        }
                        match name {
                            Some(name) => BindingKind::Table { name, schema },
                            None => BindingKind::Other,
                        }
                    }
                    "SQLAlchemy" => BindingKind::FlaskSqlAlchemy,
                    "declarative_base" | "as_declarative_base" | "generate_base" => {
                        BindingKind::DeclarativeBase
                    }
                    _ if !callee.is_empty() => BindingKind::Instance(callee),
                    _ => BindingKind::Other,
                }
            }
            "string" => string_value(right, self.src)
                .map(BindingKind::StrConst)
                .unwrap_or(BindingKind::Other),
            "identifier" | "attribute" => dotted(right, self.src)
                .map(BindingKind::Alias)
                .unwrap_or(BindingKind::Other),
            _ => BindingKind::Other,
        }
    }

    /// A function body: a scope of its own whose classes, imports and names are
    /// local (test suites and factories define models there).
    /// A `def` outside a class body binds its name in the scope it stands in
    /// (a module-level `def relationship(...)` hides an import of that name).
    fn def_binding(&mut self, def: Node) {
        if let Some(name) = def.child_by_field_name("name") {
            self.facts.bindings.push(Binding {
                name: self.text(name).to_string(),
                offset: def.start_byte(),
                kind: BindingKind::Other,
                scope: self.scope,
            });
        }
    }

    pub(super) fn function(&mut self, def: Node) {
        let Some(body) = def.child_by_field_name("body") else {
            return;
        };
        let parent = self.scope;
        self.facts.scopes.push(ScopeFact {
            parent,
            range: body.start_byte()..body.end_byte(),
        });
        self.scope = self.facts.scopes.len() - 1;
        self.parameters(def, body.start_byte());
        self.function_block(body);
        self.scope = parent;
    }

    fn function_block(&mut self, block: Node) {
        let mut cursor = block.walk();
        let stmts: Vec<Node> = block
            .named_children(&mut cursor)
            .filter(not_continuation)
            .collect();
        for stmt in stmts {
            match stmt.kind() {
                "import_statement" | "import_from_statement" => self.import(stmt, false, false),
                "class_definition" => self.class(stmt, &[], false),
                "function_definition" => {
                    self.def_binding(stmt);
                    self.function(stmt)
                }
                "decorated_definition" => {
                    if let Some(def) = stmt.child_by_field_name("definition") {
                        if def.kind() == "class_definition" {
                            let decos = self.decorators(stmt);
                            self.class(def, &decos, false);
                        } else {
                            self.def_binding(def);
                            self.function(def);
                        }
                    }
                }
                "expression_statement" => self.module_assignment(stmt),
                "global_statement" => {
                    let mut c = stmt.walk();
                    let names: Vec<String> = stmt
                        .named_children(&mut c)
                        .filter(not_continuation)
                        .map(|n| self.text(n).to_string())
                        .collect();
                    self.globals
                        .extend(names.into_iter().map(|n| (self.scope, n)));
                }
                "if_statement" | "for_statement" | "while_statement" | "with_statement"
                | "try_statement" => self.compound_blocks(stmt),
                _ => {}
            }
        }
    }

    /// The blocks of a compound statement inside a function, in the same scope.
    fn compound_blocks(&mut self, stmt: Node) {
        let mut cursor = stmt.walk();
        let children: Vec<Node> = stmt
            .named_children(&mut cursor)
            .filter(not_continuation)
            .collect();
        for child in children {
            match child.kind() {
                "block" => self.function_block(child),
                "else_clause" | "elif_clause" | "except_clause" | "finally_clause" => {
                    self.compound_blocks(child)
                }
                _ => {}
            }
        }
    }

    /// A function's parameters are names of its scope, bound before its body runs.
    fn parameters(&mut self, def: Node, at: usize) {
        let Some(params) = def.child_by_field_name("parameters") else {
            return;
        };
        let mut cursor = params.walk();
        let names: Vec<String> = params
            .named_children(&mut cursor)
            .filter(not_continuation)
            .filter_map(|p| match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
                "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                    p.named_child(0).filter(|n| n.kind() == "identifier")
                }
                _ => None,
            })
            .map(|n| self.text(n).to_string())
            .collect();
        for name in names {
            self.facts.bindings.push(Binding {
                name,
                offset: at,
                kind: BindingKind::Other,
                scope: self.scope,
            });
        }
    }
}
