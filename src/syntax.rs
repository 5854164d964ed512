//! The only module that touches tree-sitter.
//!
//! It parses a Python file and hands out owned [`FileFacts`]: classes, their
//! members and columns, relationship calls with their `backref=` arguments,
//! imports and module-level bindings, all with byte ranges into the source.
//! It also analyses stand-alone expression text (the content of a string
//! `primaryjoin`, say). It never decides whether something can be migrated.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::PathBuf;

use tree_sitter::{Node, Parser, Tree};

use crate::facts::*;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn parse(source: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        parser.reset();
        parser.parse(source, None)
    })
}

/// Names whose call creates a relationship (last segment of the callee).
pub const RELATIONSHIP_CALLEES: &[&str] = &["relationship", "relation", "dynamic_loader"];

/// Parse one file and extract its facts.
pub fn extract(path: PathBuf, source: String, stub: bool) -> FileFacts {
    let mut facts = FileFacts {
        path,
        stub,
        source,
        syntax_error: None,
        imports: Vec::new(),
        classes: Vec::new(),
        relationships: Vec::new(),
        bindings: Vec::new(),
        type_checking_block: None,
        import_insert_at: 0,
        future_annotations: false,
        uses_typing_list: false,
        uses_builtin_list: false,
        uses_mapped: false,
        uses_sa20: false,
        skip_file: false,
        backref_sites: Vec::new(),
    };
    facts.skip_file = facts
        .source
        .lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .any(|l| l.contains("backpop: skip-file"));
    let Some(tree) = parse(&facts.source) else {
        facts.syntax_error = Some(Pos { line: 1, col: 1 });
        return facts;
    };
    let root = tree.root_node();
    if root.has_error() {
        facts.syntax_error = Some(first_error(root).map_or(Pos { line: 1, col: 1 }, pos));
        return facts;
    }
    if let Some(node) = python2_construct(root, &facts.source) {
        facts.syntax_error = Some(pos(node));
        return facts;
    }
    if memchr::memmem::find(facts.source.as_bytes(), b"backref").is_some() {
        facts.backref_sites = backref_sites(root, &facts.source);
    }
    let src = facts.source.clone();
    let mut x = Extractor {
        src: &src,
        facts: &mut facts,
    };
    x.module(root);
    let s = &facts.source;
    facts.uses_typing_list = s.contains("List[");
    facts.uses_builtin_list = s.contains("list[");
    facts.uses_mapped = s.contains("Mapped[");
    facts.uses_sa20 = [
        "mapped_column",
        "DeclarativeBase",
        "MappedAsDataclass",
        "DynamicMapped",
        "WriteOnlyMapped",
    ]
    .iter()
    .any(|k| s.contains(k));
    facts
}

fn first_error(node: Node) -> Option<Node> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() {
            return first_error(child).or(Some(child));
        }
    }
    None
}

/// The first construct that only Python 2 accepts (the grammar parses them without errors).
fn python2_construct<'t>(root: Node<'t>, src: &str) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    let mut descend = true;
    loop {
        let node = cursor.node();
        if descend {
            let py2 = match node.kind() {
                "print_statement" | "exec_statement" => true,
                "except_clause" => {
                    let mut c = node.walk();
                    node.children_by_field_name("value", &mut c).count() > 1
                }
                "comparison_operator" => {
                    let mut c = node.walk();
                    node.children(&mut c).any(|t| t.kind() == "<>")
                }
                "integer" => {
                    let t = &src[node.byte_range()];
                    (t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()))
                        || t.ends_with(['l', 'L'])
                }
                "string" => src[node.byte_range()].starts_with('`'),
                _ => false,
            };
            if py2 {
                return Some(node);
            }
            if cursor.goto_first_child() {
                continue;
            }
        }
        if cursor.goto_next_sibling() {
            descend = true;
        } else if cursor.goto_parent() {
            descend = false;
        } else {
            return None;
        }
    }
}

/// Every `backref=` keyword argument of a call, with the call's callee and context.
fn backref_sites(root: Node, src: &str) -> Vec<BackrefSite> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "keyword_argument"
            && node
                .child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == "backref")
        {
            let call = node
                .parent()
                .and_then(|a| a.parent())
                .filter(|c| c.kind() == "call");
            let callee = call
                .and_then(|c| c.child_by_field_name("function"))
                .and_then(|f| dotted(f, src))
                .unwrap_or_default();
            let mut context = SiteContext::Other;
            let mut up = call.and_then(|c| c.parent());
            while let Some(a) = up {
                match a.kind() {
                    "function_definition" | "lambda" => {
                        context = SiteContext::Function;
                        break;
                    }
                    "dictionary" | "pair" => context = SiteContext::Mapping,
                    "call" if context == SiteContext::Other => {
                        let f = a
                            .child_by_field_name("function")
                            .and_then(|f| dotted(f, src));
                        if f.as_ref()
                            .and_then(|f| f.last())
                            .is_some_and(|l| l == "dict")
                        {
                            context = SiteContext::Mapping;
                        }
                    }
                    _ => {}
                }
                up = a.parent();
            }
            out.push(BackrefSite {
                offset: node.start_byte(),
                pos: pos(node),
                callee,
                context,
            });
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push(child);
        }
    }
    out.sort_by_key(|s| s.offset);
    out
}

fn pos(node: Node) -> Pos {
    let p = node.start_position();
    Pos {
        line: p.row + 1,
        col: p.column + 1,
    }
}

struct Extractor<'a> {
    src: &'a str,
    facts: &'a mut FileFacts,
}

impl<'a> Extractor<'a> {
    fn text(&self, node: Node) -> &'a str {
        &self.src[node.byte_range()]
    }

    fn pos(&self, offset: usize) -> Pos {
        pos_in(self.src, offset)
    }

    /// End of the line holding `offset`, after its newline.
    fn line_end(&self, offset: usize) -> usize {
        line_end(self.src, offset)
    }

    fn module(&mut self, root: Node) {
        let mut cursor = root.walk();
        let children: Vec<Node> = root.named_children(&mut cursor).collect();
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
                "comment" => {}
                _ => {
                    if !is_type_checking_if(*child, self.src) {
                        seen_code = true;
                    }
                    self.top_statement(*child);
                }
            }
        }
    }

    fn top_statement(&mut self, node: Node) {
        match node.kind() {
            "class_definition" => self.class(node, &[], false),
            "decorated_definition" => {
                if let Some(def) = node.child_by_field_name("definition")
                    && def.kind() == "class_definition"
                {
                    let decos = self.decorators(node);
                    self.class(def, &decos, false);
                }
            }
            "expression_statement" => self.module_assignment(node),
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
    fn nested_statements(&mut self, node: Node) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "block" => {
                    let mut c = child.walk();
                    let stmts: Vec<Node> = child.named_children(&mut c).collect();
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

    fn nested_imports(&mut self, node: Node, type_checking: bool) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
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

    fn import(&mut self, node: Node, top_level: bool, type_checking: bool) {
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
                    });
                }
            }
            _ => {}
        }
    }

    fn decorators(&self, decorated: Node) -> Vec<String> {
        let mut cursor = decorated.walk();
        decorated
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "decorator")
            .map(|c| self.text(c).trim_start_matches('@').trim().to_string())
            .collect()
    }

    /// Module-level `x = ...` statements: bindings and `Cls.attr = relationship(...)`.
    fn module_assignment(&mut self, stmt: Node) {
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
            "identifier" => {
                let name = self.text(left).to_string();
                let kind = self.binding_kind(right);
                self.facts.bindings.push(Binding {
                    name,
                    offset: stmt.start_byte(),
                    kind,
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
                if let Some(rel) = self.relationship(right, stmt, owner, attr, None, false) {
                    self.facts.relationships.push(rel);
                }
            }
            _ => {}
        }
    }

    fn binding_kind(&self, right: Node) -> BindingKind {
        match right.kind() {
            "call" => {
                let callee = right
                    .child_by_field_name("function")
                    .and_then(|f| dotted(f, self.src))
                    .unwrap_or_default();
                let last = callee.last().map(String::as_str).unwrap_or_default();
                match last {
                    "Table" => {
                        let args = right.child_by_field_name("arguments");
                        let mut name = None;
                        let mut schema = None;
                        if let Some(args) = args {
                            let mut cursor = args.walk();
                            for a in args.named_children(&mut cursor) {
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
                    _ => BindingKind::Other,
                }
            }
            "string" => string_value(right, self.src)
                .map(BindingKind::StrConst)
                .unwrap_or(BindingKind::Other),
            _ => BindingKind::Other,
        }
    }

    fn class(&mut self, node: Node, decorators: &[String], nested: bool) {
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let mut bases = Vec::new();
        let mut opaque_bases = 0;
        if let Some(sup) = node.child_by_field_name("superclasses") {
            let mut cursor = sup.walk();
            for b in sup.named_children(&mut cursor) {
                if b.kind() == "keyword_argument" {
                    continue;
                }
                match dotted(b, self.src) {
                    Some(d) => bases.push(d),
                    None => opaque_bases += 1,
                }
            }
        }
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let class_index = self.facts.classes.len();
        let body_indent = body_indent(self.src, body);
        self.facts.classes.push(ClassFact {
            name,
            range: node.start_byte()..node.end_byte(),
            pos: pos(node),
            bases,
            opaque_bases,
            decorators: decorators.to_vec(),
            body_range: body.start_byte()..body.end_byte(),
            body_indent,
            members: Vec::new(),
            tablename: None,
            abstract_: false,
            nested,
            typed: false,
            allow_unmapped: false,
            columns: Vec::new(),
        });
        let mut cursor = body.walk();
        let stmts: Vec<Node> = body.named_children(&mut cursor).collect();
        for stmt in stmts {
            self.class_statement(class_index, stmt);
        }
    }

    fn class_statement(&mut self, ci: usize, stmt: Node) {
        let line_range = line_start(self.src, stmt.start_byte())..self.line_end(stmt.end_byte());
        let member = match stmt.kind() {
            "expression_statement" => self.class_assignment(ci, stmt, line_range),
            "function_definition" => {
                let name = stmt
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                Member {
                    names: vec![name],
                    kind: MemberKind::Function,
                    line_range,
                    inner: Vec::new(),
                }
            }
            "decorated_definition" => {
                let decos = self.decorators(stmt);
                let Some(def) = stmt.child_by_field_name("definition") else {
                    return;
                };
                let name = def
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                if def.kind() == "function_definition" {
                    if decos.iter().any(|d| d.contains("declared_attr")) {
                        self.declared_attr(ci, def, stmt, &name);
                    }
                    Member {
                        names: vec![name],
                        kind: MemberKind::Function,
                        line_range,
                        inner: Vec::new(),
                    }
                } else {
                    Member {
                        names: vec![name],
                        kind: MemberKind::Class,
                        line_range,
                        inner: Vec::new(),
                    }
                }
            }
            "class_definition" => {
                let name = stmt
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                Member {
                    names: vec![name],
                    kind: MemberKind::Class,
                    line_range,
                    inner: Vec::new(),
                }
            }
            "if_statement" if !is_type_checking_if(stmt, self.src) => {
                // Conditional class-body statements: each branch's statements count.
                let mut cursor = stmt.walk();
                let blocks: Vec<Node> = stmt
                    .named_children(&mut cursor)
                    .flat_map(|c| match c.kind() {
                        "block" => vec![c],
                        "else_clause" | "elif_clause" => c
                            .child_by_field_name("body")
                            .or(c.child_by_field_name("consequence"))
                            .into_iter()
                            .collect(),
                        _ => vec![],
                    })
                    .collect();
                for block in blocks {
                    let mut cursor = block.walk();
                    let inner: Vec<Node> = block.named_children(&mut cursor).collect();
                    for s in inner {
                        self.class_statement(ci, s);
                    }
                }
                return;
            }
            "if_statement" => {
                let mut inner = Vec::new();
                if let Some(body) = stmt.child_by_field_name("consequence") {
                    let mut cursor = body.walk();
                    for s in body.named_children(&mut cursor) {
                        if let Some(name) = self.assigned_name(s) {
                            let r =
                                line_start(self.src, s.start_byte())..self.line_end(s.end_byte());
                            inner.push((name, r));
                        }
                    }
                }
                Member {
                    names: inner.iter().map(|(n, _)| n.clone()).collect(),
                    kind: MemberKind::TypeChecking,
                    line_range,
                    inner,
                }
            }
            _ => Member {
                names: Vec::new(),
                kind: MemberKind::Other,
                line_range,
                inner: Vec::new(),
            },
        };
        self.facts.classes[ci].members.push(member);
    }

    fn assigned_name(&self, stmt: Node) -> Option<String> {
        let a = stmt.named_child(0).filter(|n| n.kind() == "assignment")?;
        let left = a.child_by_field_name("left")?;
        (left.kind() == "identifier").then(|| self.text(left).to_string())
    }

    fn class_assignment(
        &mut self,
        ci: usize,
        stmt: Node,
        line_range: std::ops::Range<usize>,
    ) -> Member {
        let other = |line_range| Member {
            names: Vec::new(),
            kind: MemberKind::Other,
            line_range,
            inner: Vec::new(),
        };
        let Some(assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment") else {
            return other(line_range);
        };
        let Some(left) = assign.child_by_field_name("left") else {
            return other(line_range);
        };
        let names: Vec<String> = match left.kind() {
            "identifier" => vec![self.text(left).to_string()],
            "pattern_list" | "tuple_pattern" => {
                let mut cursor = left.walk();
                left.named_children(&mut cursor)
                    .filter(|n| n.kind() == "identifier")
                    .map(|n| self.text(n).to_string())
                    .collect()
            }
            _ => Vec::new(),
        };
        let annotation = assign
            .child_by_field_name("type")
            .map(|t| self.text(t).to_string());
        let right = assign.child_by_field_name("right");
        if annotation.as_deref().is_some_and(|a| a.contains("Mapped[")) {
            self.facts.classes[ci].typed = true;
        }
        let Some(right) = right else {
            return Member {
                names,
                kind: MemberKind::BareAnnotation,
                line_range,
                inner: Vec::new(),
            };
        };
        let value_call = (right.kind() == "call")
            .then(|| {
                right
                    .child_by_field_name("function")
                    .and_then(|f| dotted(f, self.src))
            })
            .flatten();
        if let [name] = names.as_slice() {
            match name.as_str() {
                "__tablename__" => self.facts.classes[ci].tablename = string_value(right, self.src),
                "__abstract__" => self.facts.classes[ci].abstract_ = self.text(right) == "True",
                "__allow_unmapped__" => {
                    self.facts.classes[ci].allow_unmapped = self.text(right) == "True"
                }
                _ => {}
            }
            if right.kind() == "call" {
                let last = value_call
                    .as_ref()
                    .and_then(|c| c.last())
                    .map(String::as_str)
                    .unwrap_or_default();
                if matches!(last, "Column" | "mapped_column") {
                    let col = self.column(name, right, annotation.as_deref());
                    self.facts.classes[ci].columns.push(col);
                } else if let Some(rel) = self.relationship(
                    right,
                    stmt,
                    Owner::Class(ci),
                    name.clone(),
                    annotation.clone(),
                    false,
                ) {
                    self.facts.relationships.push(rel);
                }
            }
        }
        Member {
            names,
            kind: MemberKind::Assign {
                annotated: annotation.is_some(),
                value_call,
            },
            line_range,
            inner: Vec::new(),
        }
    }

    fn column(&self, attr: &str, call: Node, annotation: Option<&str>) -> ColumnFact {
        let mut col = ColumnFact {
            attr: attr.to_string(),
            column_name: None,
            foreign_keys: Vec::new(),
            nullable: None,
            primary_key: false,
        };
        if let Some(ann) = annotation {
            let compact: String = ann.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("Optional[")
                || compact.contains("|None")
                || compact.contains("None|")
            {
                col.nullable = Some(true);
            } else if compact.starts_with("Mapped[") {
                col.nullable = Some(false);
            }
        }
        let Some(args) = call.child_by_field_name("arguments") else {
            return col;
        };
        let mut cursor = args.walk();
        for (i, a) in args.named_children(&mut cursor).enumerate() {
            match a.kind() {
                "string" if i == 0 => col.column_name = string_value(a, self.src),
                "call" => {
                    let callee = a
                        .child_by_field_name("function")
                        .and_then(|f| dotted(f, self.src))
                        .unwrap_or_default();
                    if callee.last().map(String::as_str) == Some("ForeignKey")
                        && let Some(fk) = a
                            .child_by_field_name("arguments")
                            .and_then(|x| x.named_child(0))
                    {
                        let t = match string_value(fk, self.src) {
                            Some(s) => s,
                            None => self.text(fk).to_string(),
                        };
                        col.foreign_keys.push(t);
                    }
                }
                "keyword_argument" => {
                    let name = a.child_by_field_name("name").map(|n| self.text(n));
                    let value = a.child_by_field_name("value").map(|n| self.text(n));
                    match (name, value) {
                        (Some("nullable"), Some("True")) => col.nullable = Some(true),
                        (Some("nullable"), Some("False")) => col.nullable = Some(false),
                        (Some("primary_key"), Some("True")) => col.primary_key = true,
                        (Some("name"), _) => {
                            col.column_name = a
                                .child_by_field_name("value")
                                .and_then(|v| string_value(v, self.src))
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        if col.primary_key && col.nullable.is_none() {
            col.nullable = Some(false);
        }
        col
    }

    /// `@declared_attr def name(cls): return relationship(...)`.
    fn declared_attr(&mut self, ci: usize, def: Node, stmt: Node, name: &str) {
        let Some(body) = def.child_by_field_name("body") else {
            return;
        };
        let mut cursor = body.walk();
        for s in body.named_children(&mut cursor) {
            if s.kind() != "return_statement" {
                continue;
            }
            let Some(value) = s.named_child(0).filter(|v| v.kind() == "call") else {
                continue;
            };
            if let Some(rel) =
                self.relationship(value, stmt, Owner::Class(ci), name.to_string(), None, true)
            {
                self.facts.relationships.push(rel);
            }
        }
    }

    fn relationship(
        &self,
        call: Node,
        stmt: Node,
        owner: Owner,
        attr: String,
        annotation: Option<String>,
        in_declared_attr: bool,
    ) -> Option<RelFact> {
        let callee = call
            .child_by_field_name("function")
            .and_then(|f| dotted(f, self.src))?;
        let args = call.child_by_field_name("arguments")?;
        let mut kwargs = Vec::new();
        let mut positional = Vec::new();
        let mut has_star_kwargs = false;
        let mut cursor = args.walk();
        for a in args.named_children(&mut cursor) {
            match a.kind() {
                "keyword_argument" => {
                    if let Some(k) = self.kwarg(a) {
                        kwargs.push(k);
                    }
                }
                "dictionary_splat" | "list_splat" => has_star_kwargs = true,
                "comment" => {}
                _ => positional.push(a),
            }
        }
        let is_rel_callee = callee
            .last()
            .is_some_and(|l| RELATIONSHIP_CALLEES.contains(&l.as_str()));
        let backref_kw = kwargs.iter().position(|k: &Kwarg| k.name == "backref");
        if !is_rel_callee && backref_kw.is_none() {
            return None;
        }
        let backref = backref_kw.and_then(|i| {
            let mut cursor = args.walk();
            let node = args
                .named_children(&mut cursor)
                .find(|a| a.start_byte() == kwargs[i].range.start)?;
            self.backref(node)
        });
        let target = match positional.first() {
            None => TargetArg::Absent,
            Some(t) => self.target(*t),
        };
        let stmt_range = stmt.start_byte()..stmt.end_byte();
        let ignored = self.ignore_comment(&stmt_range, backref.as_ref().map(|b| b.kw_range.start));
        Some(RelFact {
            owner,
            attr,
            callee,
            call_range: call.start_byte()..call.end_byte(),
            stmt_range,
            pos: pos(call),
            target,
            annotation,
            kwargs,
            backref,
            positional: positional.len(),
            has_star_kwargs,
            ignored,
            in_declared_attr,
        })
    }

    fn ignore_comment(&self, stmt: &std::ops::Range<usize>, backref_at: Option<usize>) -> bool {
        let mut lines = vec![stmt.start, stmt.end];
        lines.extend(backref_at);
        lines.into_iter().any(|off| {
            let start = line_start(self.src, off);
            let end = self.line_end(off);
            self.src[start..end].contains("backpop: ignore")
        })
    }

    fn target(&self, node: Node) -> TargetArg {
        match node.kind() {
            "string" => match string_value(node, self.src) {
                Some(s) => TargetArg::Str(s),
                None => TargetArg::Other(self.text(node).to_string()),
            },
            "identifier" | "attribute" => match dotted(node, self.src) {
                Some(d) => TargetArg::Name(d),
                None => TargetArg::Other(self.text(node).to_string()),
            },
            "lambda" if node.child_by_field_name("parameters").is_none() => {
                match node
                    .child_by_field_name("body")
                    .and_then(|b| dotted(b, self.src))
                {
                    Some(d) => TargetArg::Lambda(d),
                    None => TargetArg::Other(self.text(node).to_string()),
                }
            }
            _ => TargetArg::Other(self.text(node).to_string()),
        }
    }

    fn kwarg(&self, node: Node) -> Option<Kwarg> {
        let name = self.text(node.child_by_field_name("name")?).to_string();
        let value = node.child_by_field_name("value")?;
        Some(Kwarg {
            name,
            range: node.start_byte()..node.end_byte(),
            value: expr(value, self.src),
        })
    }

    fn backref(&self, kw: Node) -> Option<BackrefFact> {
        let value = kw.child_by_field_name("value")?;
        let mut fact = BackrefFact {
            kw_range: kw.start_byte()..kw.end_byte(),
            pos: self.pos(kw.start_byte()),
            name: BackrefName::Dynamic(self.text(value).to_string()),
            kwargs: Vec::new(),
            callee: None,
            opaque: None,
        };
        let name_of = |n: Node| -> BackrefName {
            match n.kind() {
                "string" => match string_value(n, self.src) {
                    Some(s) => BackrefName::Literal(s),
                    None => BackrefName::Dynamic(self.text(n).to_string()),
                },
                "identifier" => BackrefName::Constant(self.text(n).to_string()),
                _ => BackrefName::Dynamic(self.text(n).to_string()),
            }
        };
        match value.kind() {
            "string" | "identifier" => fact.name = name_of(value),
            "call" => {
                fact.callee = value
                    .child_by_field_name("function")
                    .and_then(|f| dotted(f, self.src));
                let args = value.child_by_field_name("arguments")?;
                let mut cursor = args.walk();
                let mut positional = 0;
                for a in args.named_children(&mut cursor) {
                    match a.kind() {
                        "keyword_argument" => {
                            if let Some(k) = self.kwarg(a) {
                                fact.kwargs.push(k);
                            }
                        }
                        "comment" => {}
                        "dictionary_splat" | "list_splat" => {
                            fact.opaque = Some(self.text(a).to_string())
                        }
                        _ => {
                            if positional == 0 {
                                fact.name = name_of(a);
                            } else {
                                fact.opaque = Some(self.text(a).to_string());
                            }
                            positional += 1;
                        }
                    }
                }
                if positional == 0 {
                    fact.opaque = Some(self.text(value).to_string());
                }
            }
            "tuple" | "list" | "parenthesized_expression" => {
                let mut cursor = value.walk();
                let items: Vec<Node> = value
                    .named_children(&mut cursor)
                    .filter(|n| n.kind() != "comment")
                    .collect();
                match items.as_slice() {
                    [name, dict] if dict.kind() == "dictionary" => {
                        fact.name = name_of(*name);
                        let mut cursor = dict.walk();
                        for pair in dict.named_children(&mut cursor) {
                            if pair.kind() == "comment" {
                                continue;
                            }
                            let key = pair
                                .child_by_field_name("key")
                                .filter(|_| pair.kind() == "pair")
                                .and_then(|k| string_value(k, self.src));
                            let v = pair.child_by_field_name("value");
                            match (key, v) {
                                (Some(key), Some(v)) => fact.kwargs.push(Kwarg {
                                    name: key,
                                    range: pair.start_byte()..pair.end_byte(),
                                    value: expr(v, self.src),
                                }),
                                _ => fact.opaque = Some(self.text(pair).to_string()),
                            }
                        }
                    }
                    [name] if value.kind() != "parenthesized_expression" => {
                        fact.name = name_of(*name)
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        Some(fact)
    }
}

fn is_docstring(stmt: Node) -> bool {
    stmt.named_child_count() == 1
        && stmt
            .named_child(0)
            .is_some_and(|c| matches!(c.kind(), "string" | "concatenated_string"))
}

fn is_type_checking_if(node: Node, src: &str) -> bool {
    node.kind() == "if_statement"
        && node.child_by_field_name("condition").is_some_and(|c| {
            matches!(
                &src[c.byte_range()],
                "TYPE_CHECKING" | "typing.TYPE_CHECKING"
            )
        })
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Indentation of the first statement of a block, if it starts on its own line.
fn body_indent(src: &str, body: Node) -> Option<String> {
    let start = body.start_byte();
    let ls = line_start(src, start);
    let prefix = &src[ls..start];
    prefix
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| prefix.to_string())
        .filter(|p| !p.is_empty())
}

pub fn line_start(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

pub fn line_end(src: &str, offset: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = offset.min(bytes.len());
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\n') {
        i += 1;
    }
    i
}

/// `a.b.c` as segments, when the node is a pure attribute chain of identifiers.
fn dotted(node: Node, src: &str) -> Option<Vec<String>> {
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
fn string_value(node: Node, src: &str) -> Option<String> {
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

/// Facts about an expression node.
fn expr(node: Node, src: &str) -> Expr {
    let kind = match node.kind() {
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
        multiline: text.contains('\n') || text.contains('\r'),
        text,
        range: node.start_byte()..node.end_byte(),
        kind,
        names,
        has_strings,
    }
}

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
                for p in params.named_children(&mut cursor) {
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
    for child in node.named_children(&mut cursor) {
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

/// Swap `remote()` annotations across comparisons in a join condition: in every
/// comparison with exactly one `remote(...)`-wrapped operand, the wrapper moves
/// to the other operand. `None` when the expression has a `remote()` that is not
/// a direct operand of a two-operand comparison, or the other operand is not a
/// column reference.
pub fn swap_remote(text: &str, remote_names: &[String]) -> Option<String> {
    let tree = parse(text)?;
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
                    if !is_column_ref(b) {
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
                    if !is_column_ref(a) {
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
        for child in node.named_children(&mut cursor) {
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

/// `Cls.col`, `table.c.col`, or `foreign(Cls.col)`.
fn is_column_ref(n: Node) -> bool {
    match n.kind() {
        "attribute" | "identifier" => true,
        "call" => n
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
            .is_some_and(is_column_ref),
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
    }

    #[test]
    fn python2_files_are_syntax_errors() {
        for src in [
            "print 'x'\n",
            "exec 'x = 1'\n",
            "try:\n    pass\nexcept ValueError, e:\n    pass\n",
            "if a <> b:\n    pass\n",
            "x = 0777\n",
            "x = 10L\n",
            "x = `y`\n",
        ] {
            let f = extract("m.py".into(), src.to_string(), false);
            assert!(
                f.syntax_error.is_some(),
                "{src:?} should not parse as Python 3"
            );
        }
        let f = extract(
            "m.py".into(),
            "print('x')\nx = 0o777 + 0\n".to_string(),
            false,
        );
        assert!(f.syntax_error.is_none());
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

    #[test]
    fn extracts_relationship_with_backref_call() {
        let src = "class User(Base):\n    __tablename__ = 'users'\n    id = Column(Integer, primary_key=True)\n    posts = relationship('Post', backref=backref('author', lazy='joined'), cascade='all')\n";
        let f = extract("m.py".into(), src.to_string(), false);
        assert!(f.syntax_error.is_none());
        assert_eq!(f.classes.len(), 1);
        assert_eq!(f.classes[0].tablename.as_deref(), Some("users"));
        let r = &f.relationships[0];
        assert_eq!(r.attr, "posts");
        assert_eq!(r.target, TargetArg::Str("Post".into()));
        let b = r.backref.as_ref().unwrap();
        assert_eq!(b.name, BackrefName::Literal("author".into()));
        assert_eq!(b.kwargs[0].name, "lazy");
    }
}
