//! Class bodies: members for placement and clash checks, columns with their
//! foreign keys, table names, typed annotations; a relationship assigned in
//! the body becomes a fact through `relationship`, one returned by a
//! `declared_attr` function through `declared_attr`.
//!
//! It records what each statement is and binds; it does not decide whether
//! the class is mapped or which registry it belongs to (the index does).

use std::ops::Range;

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
        let mut header_keywords = 0;
        if let Some(sup) = node.child_by_field_name("superclasses") {
            let mut cursor = sup.walk();
            for b in sup.named_children(&mut cursor).filter(not_continuation) {
                if b.kind() == "keyword_argument" {
                    header_keywords += 1;
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
            header_keywords,
            decorators: decorators.to_vec(),
            body_range: body.start_byte()..body.end_byte(),
            body_indent,
            members: Vec::new(),
            tablename: None,
            str_attrs: Vec::new(),
            bool_attrs: Vec::new(),
            name_attrs: Vec::new(),
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
                self.conditional_members(ci, stmt, line_range)
            }
            "if_statement" => self.type_checking_member(stmt, line_range),
            // `del x` and class-body imports change what a name means there.
            "delete_statement" | "import_statement" | "import_from_statement" => Member::new(
                self.unbound_or_imported(stmt),
                MemberKind::Other,
                line_range,
            ),
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
                placeholder: false,
            },
        };
        self.facts.classes[ci].members.push(member);
    }

    /// The names a `del` statement deletes or an import statement binds.
    fn unbound_or_imported(&self, stmt: Node) -> Vec<String> {
        let mut out = Vec::new();
        let mut cursor = stmt.walk();
        let parts: Vec<Node> = match stmt.kind() {
            "delete_statement" => stmt.named_children(&mut cursor).collect(),
            _ => stmt.children_by_field_name("name", &mut cursor).collect(),
        };
        for part in parts {
            match part.kind() {
                "identifier" => out.push(self.text(part).to_string()),
                "expression_list" | "tuple" | "list" | "parenthesized_expression" => {
                    let mut c = part.walk();
                    out.extend(
                        part.named_children(&mut c)
                            .filter(|n| n.kind() == "identifier")
                            .map(|n| self.text(n).to_string()),
                    );
                }
                "aliased_import" => {
                    if let Some(a) = part.child_by_field_name("alias") {
                        out.push(self.text(a).to_string());
                    }
                }
                // `import a.b` binds `a`.
                "dotted_name" => {
                    let text = self.text(part);
                    out.push(text.split('.').next().unwrap_or(text).to_string());
                }
                _ => {}
            }
        }
        out
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
                placeholder: false,
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
            self.class_attribute(
                ci,
                stmt,
                name,
                right,
                annotation.as_deref(),
                value_call.as_deref(),
            );
        }
        let placeholder = names.len() == 1 && right.kind() == "none";
        Member {
            names,
            placeholder,
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

    /// Conditional class-body statements (an `if` other than `if
    /// TYPE_CHECKING:`): each branch's statements count.
    fn conditional_members(&mut self, ci: usize, stmt: Node, line_range: Range<usize>) -> Member {
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
        let first_rel = self.facts.relationships.len();
        let mut arms = Vec::with_capacity(blocks.len());
        for block in &blocks {
            let mut cursor = block.walk();
            let inner: Vec<Node> = block
                .named_children(&mut cursor)
                .filter(not_continuation)
                .collect();
            for s in inner {
                self.class_statement(ci, s);
            }
            arms.push(self.facts.relationships.len());
        }
        // Their names count for clashes; placement sees only the whole `if`.
        for m in &mut self.facts.classes[ci].members[first..] {
            m.conditional = true;
        }
        // A relationship in a branch exists only when the branch runs; which
        // branch is known for an `if` chain whose branches hold it directly.
        let block = super::sites::conditional(stmt.kind());
        let exhaustive = stmt.kind() == "if_statement"
            && stmt
                .named_children(&mut stmt.walk())
                .any(|c| c.kind() == "else_clause");
        for (ri, r) in self
            .facts
            .relationships
            .iter_mut()
            .enumerate()
            .skip(first_rel)
        {
            r.branch = match r.block {
                None if stmt.kind() == "if_statement" => Some(Branch {
                    chain: stmt.start_byte(),
                    arm: arms.iter().position(|&end| ri < end).unwrap_or(0),
                    arms: blocks.len(),
                    exhaustive,
                }),
                _ => None,
            };
            r.block = r.block.or(block);
        }
        Member::new(Vec::new(), MemberKind::Other, line_range)
    }

    /// `if TYPE_CHECKING:` in a class body: the names its first branch
    /// assigns, each with the line range of its statement.
    fn type_checking_member(&self, stmt: Node, line_range: Range<usize>) -> Member {
        let mut inner = Vec::new();
        if let Some(body) = stmt.child_by_field_name("consequence") {
            let mut cursor = body.walk();
            for s in body.named_children(&mut cursor).filter(not_continuation) {
                if let Some(name) = self.assigned_name(s) {
                    let r = line_start(self.src, s.start_byte())..self.line_end(s.end_byte());
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
            placeholder: false,
        }
    }

    /// A class-body assignment to one name: its string value, the class
    /// settings it makes (`__tablename__`, `__abstract__`,
    /// `__allow_unmapped__`), and the column or relationship its call creates.
    fn class_attribute(
        &mut self,
        ci: usize,
        stmt: Node,
        name: &str,
        right: Node,
        annotation: Option<&str>,
        value_call: Option<&[String]>,
    ) {
        if let Some(v) = string_value(right, self.src) {
            self.facts.classes[ci].str_attrs.push((name.to_string(), v));
        }
        if matches!(right.kind(), "true" | "false") {
            self.facts.classes[ci]
                .bool_attrs
                .push((name.to_string(), right.kind() == "true"));
        }
        if matches!(right.kind(), "identifier" | "attribute")
            && let Some(d) = dotted(right, self.src)
        {
            self.facts.classes[ci]
                .name_attrs
                .push((name.to_string(), d));
        }
        match name {
            "__tablename__" => self.facts.classes[ci].tablename = string_value(right, self.src),
            "__abstract__" => self.facts.classes[ci].abstract_ = self.text(right) == "True",
            "__allow_unmapped__" => {
                self.facts.classes[ci].allow_unmapped = self.text(right) == "True"
            }
            _ => {}
        }
        if right.kind() == "call" {
            let last = value_call
                .and_then(|c| c.last())
                .map(String::as_str)
                .unwrap_or_default();
            if matches!(last, "Column" | "mapped_column") {
                let col = self.column(name, right, annotation);
                self.facts.classes[ci].columns.push(col);
            } else if let Some(rel) = self.relationship(
                right,
                stmt,
                Owner::Class(ci),
                name.to_string(),
                annotation.map(str::to_string),
            ) {
                self.facts.relationships.push(rel);
            } else if let Some(rel) = self.wrapped_relationship(ci, stmt, name, right, annotation) {
                self.facts.relationships.push(rel);
            }
        }
    }

    /// `x = wrapper(relationship(...), ...)`: the relationship passed to a call
    /// as its first argument, the call's callee recorded (the planner decides
    /// whether the call returns it unchanged).
    fn wrapped_relationship(
        &mut self,
        ci: usize,
        stmt: Node,
        name: &str,
        right: Node,
        annotation: Option<&str>,
    ) -> Option<RelFact> {
        let wrapper = right
            .child_by_field_name("function")
            .and_then(|f| dotted(f, self.src))?;
        let args = right.child_by_field_name("arguments")?;
        let first = code_children(args).into_iter().next()?;
        if first.kind() != "call" {
            return None;
        }
        let mut rel = self.relationship(
            first,
            stmt,
            Owner::Class(ci),
            name.to_string(),
            annotation.map(str::to_string),
        )?;
        rel.wrapper = Some(wrapper);
        Some(rel)
    }

    /// A module-level `def` that returns its first parameter unchanged: every
    /// `return` in it (and its last statement) is `return first`, nothing in
    /// it binds that name again, yields, or reads a `backref`.
    pub(super) fn identity_function(&mut self, def: Node) {
        let (Some(name), Some(params), Some(body)) = (
            def.child_by_field_name("name"),
            def.child_by_field_name("parameters"),
            def.child_by_field_name("body"),
        ) else {
            return;
        };
        let Some(first) = code_children(params)
            .first()
            .filter(|p| p.kind() == "identifier")
            .map(|p| self.text(*p).to_string())
        else {
            return;
        };
        let returns_first = |r: Node| {
            r.named_child(0)
                .is_some_and(|v| v.kind() == "identifier" && self.text(v) == first)
                && r.named_child_count() == 1
        };
        let last_returns = code_children(body)
            .last()
            .is_some_and(|s| s.kind() == "return_statement" && returns_first(*s));
        // A coroutine returns an awaitable, not its argument.
        let mut ok = last_returns && !self.text(def).starts_with("async");
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            if !ok {
                break;
            }
            match n.kind() {
                "return_statement" => ok = returns_first(n),
                "yield" | "await" => ok = false,
                "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                    ok = !n
                        .child_by_field_name("left")
                        .is_some_and(|l| binds(l, self.src, &first));
                }
                "named_expression"
                | "as_pattern"
                | "global_statement"
                | "nonlocal_statement"
                | "delete_statement"
                | "import_statement"
                | "import_from_statement"
                | "match_statement"
                | "except_clause" => {
                    ok = !mentions(n, self.src, &first);
                }
                "identifier" if self.text(n) == "backref" => ok = false,
                // Attributes reached by name can be anything, `backref` included.
                "call" => {
                    ok = !n.child_by_field_name("function").is_some_and(|f| {
                        matches!(
                            self.text(f),
                            "getattr"
                                | "setattr"
                                | "delattr"
                                | "vars"
                                | "globals"
                                | "locals"
                                | "exec"
                                | "eval"
                        )
                    });
                }
                "function_definition" | "lambda" | "class_definition" => {
                    // A nested scope returns for itself; it may still rebind:
                    // by its own name, or `nonlocal`.
                    let named_first = n
                        .child_by_field_name("name")
                        .is_some_and(|x| self.text(x) == first);
                    let nonlocal =
                        self.text(n).contains("nonlocal") && mentions(n, self.src, &first);
                    ok = !(named_first || nonlocal);
                    continue;
                }
                _ => {}
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        if ok {
            self.facts
                .identity_functions
                .push((self.text(name).to_string(), def.start_byte()));
        }
    }
}

/// Whether an assignment target binds `name` (not `x[name]` or `name.attr`).
fn binds(target: Node, src: &str, name: &str) -> bool {
    match target.kind() {
        "identifier" => &src[target.byte_range()] == name,
        "pattern_list"
        | "tuple_pattern"
        | "list_pattern"
        | "list_splat_pattern"
        | "parenthesized_expression"
        | "tuple"
        | "list" => {
            let mut cursor = target.walk();
            target
                .named_children(&mut cursor)
                .any(|c| binds(c, src, name))
        }
        _ => false,
    }
}
