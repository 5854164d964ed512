//! Class bodies: members for placement and clash checks, columns with their
//! foreign keys, table names, typed annotations, and `declared_attr` relationships.

use tree_sitter::Node;

use super::*;

impl Extractor<'_> {
    pub(super) fn class(&mut self, node: Node, decorators: &[String], nested: bool) {
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let mut bases = Vec::new();
        let mut opaque_bases = 0;
        if let Some(sup) = node.child_by_field_name("superclasses") {
            let mut cursor = sup.walk();
            for b in sup.named_children(&mut cursor).filter(not_continuation) {
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
            str_attrs: Vec::new(),
            abstract_: false,
            nested,
            scope: self.scope,
            typed: false,
            allow_unmapped: false,
            columns: Vec::new(),
        });
        let mut cursor = body.walk();
        let stmts: Vec<Node> = body
            .named_children(&mut cursor)
            .filter(not_continuation)
            .collect();
        for stmt in stmts {
            self.class_statement(class_index, stmt);
        }
    }

    pub(super) fn class_statement(&mut self, ci: usize, stmt: Node) {
        let line_range = line_start(self.src, stmt.start_byte())..self.line_end(stmt.end_byte());
        let member = match stmt.kind() {
            "expression_statement" => self.class_assignment(ci, stmt, line_range),
            "function_definition" => {
                self.function(stmt);
                let name = stmt
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                Member::new(vec![name], MemberKind::Function, line_range)
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
                        self.declared_attr(ci, def, stmt, &name, &decos);
                    } else {
                        self.function(def);
                    }
                    Member::new(vec![name], MemberKind::Function, line_range)
                } else {
                    Member::new(vec![name], MemberKind::Class, line_range)
                }
            }
            "class_definition" => {
                let name = stmt
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                Member::new(vec![name], MemberKind::Class, line_range)
            }
            "if_statement" if !is_type_checking_if(stmt, self.src) => {
                // Conditional class-body statements: each branch's statements count.
                let mut cursor = stmt.walk();
                let blocks: Vec<Node> = stmt
                    .named_children(&mut cursor)
                    .filter(not_continuation)
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
                let first = self.facts.classes[ci].members.len();
                for block in blocks {
                    let mut cursor = block.walk();
                    let inner: Vec<Node> = block
                        .named_children(&mut cursor)
                        .filter(not_continuation)
                        .collect();
                    for s in inner {
                        self.class_statement(ci, s);
                    }
                }
                // Their names count for clashes; placement sees only the whole `if`.
                for m in &mut self.facts.classes[ci].members[first..] {
                    m.conditional = true;
                }
                Member::new(Vec::new(), MemberKind::Other, line_range)
            }
            "if_statement" => {
                let mut inner = Vec::new();
                if let Some(body) = stmt.child_by_field_name("consequence") {
                    let mut cursor = body.walk();
                    for s in body.named_children(&mut cursor).filter(not_continuation) {
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
                    conditional: false,
                }
            }
            _ => Member {
                names: Vec::new(),
                kind: if stmt.kind() == "pass_statement" || self.text(stmt) == "..." {
                    MemberKind::Pass
                } else {
                    MemberKind::Other
                },
                line_range,
                inner: Vec::new(),
                conditional: false,
            },
        };
        self.facts.classes[ci].members.push(member);
    }

    pub(super) fn assigned_name(&self, stmt: Node) -> Option<String> {
        let a = stmt.named_child(0).filter(|n| n.kind() == "assignment")?;
        let left = a.child_by_field_name("left")?;
        (left.kind() == "identifier").then(|| self.text(left).to_string())
    }

    pub(super) fn class_assignment(
        &mut self,
        ci: usize,
        stmt: Node,
        line_range: std::ops::Range<usize>,
    ) -> Member {
        let other = |line_range| Member::new(Vec::new(), MemberKind::Other, line_range);
        let Some(assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment") else {
            let mut member = other(line_range);
            if self.text(stmt).trim() == "..." {
                member.kind = MemberKind::Pass;
            }
            return member;
        };
        let Some(left) = assign.child_by_field_name("left") else {
            return other(line_range);
        };
        let names: Vec<String> = match left.kind() {
            "identifier" => vec![self.text(left).to_string()],
            "pattern_list" | "tuple_pattern" => {
                let mut cursor = left.walk();
                left.named_children(&mut cursor)
                    .filter(not_continuation)
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
                conditional: false,
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
            if let Some(v) = string_value(right, self.src) {
                self.facts.classes[ci].str_attrs.push((name.clone(), v));
            }
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
            conditional: false,
        }
    }

    pub(super) fn column(&self, attr: &str, call: Node, annotation: Option<&str>) -> ColumnFact {
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
        for (i, a) in args
            .named_children(&mut cursor)
            .filter(not_continuation)
            .enumerate()
        {
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

    /// `@declared_attr def name(cls): return relationship(...)`, with the
    /// function's simple assignments before the `return` followed to read how
    /// the backref name is computed from `cls`.
    pub(super) fn declared_attr(
        &mut self,
        ci: usize,
        def: Node,
        stmt: Node,
        name: &str,
        decorators: &[String],
    ) {
        let Some(body) = def.child_by_field_name("body") else {
            return;
        };
        let mut locals: Vec<String> = Vec::new();
        let mut cls = None;
        if let Some(params) = def.child_by_field_name("parameters") {
            let mut c = params.walk();
            for p in params.named_children(&mut c).filter(not_continuation) {
                let id = if p.kind() == "identifier" {
                    Some(p)
                } else {
                    p.named_child(0).filter(|n| n.kind() == "identifier")
                };
                if let Some(id) = id {
                    cls.get_or_insert_with(|| self.text(id).to_string());
                    locals.push(self.text(id).to_string());
                }
            }
        }
        // Names assigned anywhere in the body; the ones assigned once, at the
        // top level, can be followed.
        let mut assigned: Vec<(String, Option<Node>)> = Vec::new();
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            if n.kind() == "assignment" || n.kind() == "augmented_assignment" {
                let top =
                    n.parent().and_then(|e| e.parent()) == Some(body) && n.kind() == "assignment";
                if let Some(left) = n.child_by_field_name("left") {
                    let mut c = left.walk();
                    let ids: Vec<Node> = if left.kind() == "identifier" {
                        vec![left]
                    } else {
                        left.named_children(&mut c)
                            .filter(not_continuation)
                            .filter(|x| x.kind() == "identifier")
                            .collect()
                    };
                    for id in ids {
                        let value = (top && left.kind() == "identifier")
                            .then(|| n.child_by_field_name("right"))
                            .flatten();
                        assigned.push((self.text(id).to_string(), value));
                    }
                }
            }
            if matches!(
                n.kind(),
                "function_definition" | "class_definition" | "lambda"
            ) && n != body
            {
                continue;
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c).filter(not_continuation));
        }
        locals.extend(assigned.iter().map(|(n, _)| n.clone()));
        let known: Vec<(String, Node)> = assigned
            .iter()
            .filter(|(n, v)| v.is_some() && assigned.iter().filter(|(m, _)| m == n).count() == 1)
            .filter_map(|(n, v)| v.map(|v| (n.clone(), v)))
            .collect();
        let cascading = decorators.iter().any(|d| d.contains("cascading"));
        let mut cursor = body.walk();
        for s in body.named_children(&mut cursor).filter(not_continuation) {
            if s.kind() != "return_statement" {
                continue;
            }
            let Some(value) = s.named_child(0).filter(|v| v.kind() == "call") else {
                continue;
            };
            let Some(mut rel) =
                self.relationship(value, stmt, Owner::Class(ci), name.to_string(), None)
            else {
                continue;
            };
            let name_node = value
                .child_by_field_name("arguments")
                .and_then(|a| {
                    let mut c = a.walk();
                    a.named_children(&mut c).filter(not_continuation).find(|k| {
                        k.kind() == "keyword_argument"
                            && k.child_by_field_name("name").map(|n| self.text(n))
                                == Some("backref")
                    })
                })
                .and_then(|k| backref_name_node(k, self.src));
            if let Some(b) = rel.backref.as_mut()
                && let BackrefName::Constant(c) = &b.name
                && locals.contains(c)
            {
                // A local of the function, not a module constant.
                b.name = BackrefName::Dynamic(c.clone());
            }
            let name = name_node.and_then(|n| {
                let reader = NameReader {
                    src: self.src,
                    cls: cls.as_deref().unwrap_or("cls"),
                    known: &known,
                };
                reader.read(n, 0)
            });
            rel.declared_attr = Some(DeclaredAttrFact {
                cascading,
                cls: cls.clone(),
                locals: locals.clone(),
                name,
            });
            self.facts.relationships.push(rel);
        }
    }
}

/// The node that gives a backref its name: the value of `backref=`, the first
/// argument of `backref(...)`, the first item of `("name", {...})`.
fn backref_name_node<'t>(kw: Node<'t>, src: &str) -> Option<Node<'t>> {
    let value = kw.child_by_field_name("value")?;
    match value.kind() {
        "call" if super::relationship::is_backref_call(value, src) => {
            let args = value.child_by_field_name("arguments")?;
            let mut c = args.walk();
            args.named_children(&mut c)
                .filter(not_continuation)
                .find(|a| {
                    !matches!(
                        a.kind(),
                        "keyword_argument" | "comment" | "line_continuation"
                    )
                })
        }
        "tuple" | "list" => value.named_child(0),
        _ => Some(value),
    }
}

/// Reads a backref name expression of a `declared_attr` into a [`NameExpr`]:
/// string literals and f-strings, `+`, `%` and `.format()` with `%s`/`{}`,
/// `.lower()`/`.upper()`, `str()`, `cls.__name__`, `cls.__tablename__` and
/// the function's single-assignment locals.
struct NameReader<'s, 't> {
    src: &'s str,
    cls: &'s str,
    known: &'s [(String, Node<'t>)],
}

impl NameReader<'_, '_> {
    fn text(&self, n: Node) -> &str {
        &self.src[n.byte_range()]
    }

    fn read(&self, n: Node, depth: usize) -> Option<NameExpr> {
        if depth > 16 {
            return None;
        }
        let d = depth + 1;
        match n.kind() {
            "parenthesized_expression" => self.read(n.named_child(0)?, d),
            "string" => self.string(n, d),
            "concatenated_string" => {
                let mut c = n.walk();
                let parts: Option<Vec<NameExpr>> = n
                    .named_children(&mut c)
                    .filter(not_continuation)
                    .map(|p| self.string(p, d))
                    .collect();
                Some(NameExpr::Concat(parts?))
            }
            "identifier" => {
                let name = self.text(n);
                let (_, v) = self.known.iter().find(|(k, _)| k == name)?;
                self.read(*v, d)
            }
            "attribute" => {
                let object = n.child_by_field_name("object")?;
                let attr = self.text(n.child_by_field_name("attribute")?);
                if object.kind() != "identifier" || self.text(object) != self.cls {
                    return None;
                }
                match attr {
                    "__name__" => Some(NameExpr::ClassName),
                    "__tablename__" => Some(NameExpr::TableName),
                    a if !a.starts_with("__") => Some(NameExpr::ClassAttr(a.to_string())),
                    _ => None,
                }
            }
            "binary_operator" => {
                let left = n.child_by_field_name("left")?;
                let right = n.child_by_field_name("right")?;
                let op = self.text(n.child_by_field_name("operator")?);
                match op {
                    "+" => Some(NameExpr::Concat(vec![
                        self.read(left, d)?,
                        self.read(right, d)?,
                    ])),
                    "%" => {
                        let format = string_value(left, self.src)?;
                        let args: Vec<Node> = if right.kind() == "tuple" {
                            let mut c = right.walk();
                            right
                                .named_children(&mut c)
                                .filter(not_continuation)
                                .collect()
                        } else {
                            vec![right]
                        };
                        self.format(&format, "%s", &args, d)
                    }
                    _ => None,
                }
            }
            "call" => {
                let function = n.child_by_field_name("function")?;
                let args = n.child_by_field_name("arguments")?;
                let mut c = args.walk();
                let args: Vec<Node> = args
                    .named_children(&mut c)
                    .filter(not_continuation)
                    .collect();
                if function.kind() == "identifier" && self.text(function) == "str" {
                    return match args.as_slice() {
                        [one] => self.read(*one, d),
                        _ => None,
                    };
                }
                if function.kind() != "attribute" {
                    return None;
                }
                let object = function.child_by_field_name("object")?;
                let method = self.text(function.child_by_field_name("attribute")?);
                match (method, args.is_empty()) {
                    ("lower", true) => Some(NameExpr::Lower(Box::new(self.read(object, d)?))),
                    ("upper", true) => Some(NameExpr::Upper(Box::new(self.read(object, d)?))),
                    ("format", _) => {
                        let format = string_value(object, self.src)?;
                        if args.iter().any(|a| a.kind() == "keyword_argument") {
                            return None;
                        }
                        let format = format.replace("{0}", "{}");
                        if args.len() > 1 && format.contains("{1}") {
                            return None;
                        }
                        self.format(&format, "{}", &args, d)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A plain string or an f-string whose fields this reader can follow.
    fn string(&self, n: Node, d: usize) -> Option<NameExpr> {
        if n.kind() != "string" {
            return None;
        }
        if let Some(s) = string_value(n, self.src) {
            return Some(NameExpr::Literal(s));
        }
        let prefix = self.text(n).split(['"', '\'']).next().unwrap_or_default();
        if !prefix.eq_ignore_ascii_case("f") {
            return None;
        }
        let mut c = n.walk();
        let mut parts = Vec::new();
        for p in n.named_children(&mut c).filter(not_continuation) {
            match p.kind() {
                "string_start" | "string_end" => {}
                "string_content" => {
                    let text = self.text(p);
                    if text.contains(['\\', '{', '}']) {
                        return None;
                    }
                    parts.push(NameExpr::Literal(text.to_string()));
                }
                "interpolation" => {
                    let mut c2 = p.walk();
                    let inner: Vec<Node> =
                        p.named_children(&mut c2).filter(not_continuation).collect();
                    match inner.as_slice() {
                        [e] => parts.push(self.read(*e, d)?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        Some(NameExpr::Concat(parts))
    }

    /// `format` with each `placeholder` replaced by the next argument.
    fn format(&self, format: &str, placeholder: &str, args: &[Node], d: usize) -> Option<NameExpr> {
        let pieces: Vec<&str> = format.split(placeholder).collect();
        if pieces.len() != args.len() + 1 {
            return None;
        }
        let mut out = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            if piece.contains(['%', '{', '}']) {
                return None;
            }
            out.push(NameExpr::Literal((*piece).to_string()));
            if let Some(a) = args.get(i) {
                out.push(self.read(*a, d)?);
            }
        }
        Some(NameExpr::Concat(out))
    }
}
