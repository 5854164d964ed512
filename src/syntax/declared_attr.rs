//! `@declared_attr` functions of a class body that return a relationship:
//! the relationship becomes a fact with what the tool can read of how its
//! backref name is computed from the class the function runs for
//! (`cls.__name__.lower() + "s"`), through the function's simple assignments.
//!
//! It reads the function's text only: it does not run it, does not follow
//! names beyond the function's single-assignment locals, and does not decide
//! for which classes the function runs (the plan does, from the hierarchy).

use tree_sitter::Node;

use super::*;

impl Extractor<'_> {
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
        let (cls, mut locals) = self.parameter_names(def);
        // Names assigned anywhere in the body; the ones assigned once, at the
        // top level, can be followed.
        let assigned = self.body_assignments(body);
        locals.extend(assigned.iter().map(|(n, _)| n.clone()));
        let known: Vec<(String, Node)> = assigned
            .iter()
            .filter(|(n, v)| v.is_some() && assigned.iter().filter(|(m, _)| m == n).count() == 1)
            .filter_map(|(n, v)| v.map(|v| (n.clone(), v)))
            .collect();
        let cascading = decorators.iter().any(|d| d.contains("cascading"));
        let mut guards: Vec<(String, bool)> = Vec::new();
        let mut other_exit = false;
        let mut cursor = body.walk();
        for s in body.named_children(&mut cursor).filter(not_continuation) {
            if s.kind() != "return_statement" {
                match self.guard(s, cls.as_deref().unwrap_or("cls")) {
                    Some(g) => guards.push(g),
                    None => other_exit |= returns_within(s),
                }
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
                guards: guards.clone(),
                other_exit,
            });
            self.facts.relationships.push(rel);
            // Whatever follows runs only where this return did not.
            other_exit = true;
        }
    }

    /// `if cls.x: return` or `if not cls.x: return` (`return None`), with no
    /// other branch: the attribute and whether it returns when it is true.
    fn guard(&self, s: Node, cls: &str) -> Option<(String, bool)> {
        if s.kind() != "if_statement" || s.child_by_field_name("alternative").is_some() {
            return None;
        }
        let block = s.child_by_field_name("consequence")?;
        let mut c = block.walk();
        let stmts: Vec<Node> = block
            .named_children(&mut c)
            .filter(not_continuation)
            .filter(|n| n.kind() != "comment")
            .collect();
        let [ret] = stmts.as_slice() else {
            return None;
        };
        let bare = ret.kind() == "return_statement"
            && ret.named_child(0).is_none_or(|v| v.kind() == "none");
        if !bare {
            return None;
        }
        let mut cond = s.child_by_field_name("condition")?;
        let mut when_true = true;
        if cond.kind() == "not_operator" {
            cond = cond.child_by_field_name("argument")?;
            when_true = false;
        }
        let d = dotted(cond, self.src)?;
        match d.as_slice() {
            [c, attr] if c == cls => Some((attr.clone(), when_true)),
            _ => None,
        }
    }

    /// The function's parameter names, and the first of them (`cls`: the
    /// class it runs for).
    fn parameter_names(&self, def: Node) -> (Option<String>, Vec<String>) {
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
        (cls, locals)
    }

    /// Names assigned anywhere in the body (not in nested functions, classes
    /// or lambdas), with the value when the statement is a plain assignment
    /// to that name alone at the top level of the body.
    fn body_assignments<'t>(&self, body: Node<'t>) -> Vec<(String, Option<Node<'t>>)> {
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
        assigned
    }
}

/// The node that gives a backref its name: the value of `backref=`, the first
/// argument of `backref(...)`, the first item of `("name", {...})`.
fn backref_name_node<'t>(kw: Node<'t>, src: &str) -> Option<Node<'t>> {
    let value = kw.child_by_field_name("value")?;
    match value.kind() {
        "call" if super::relationship::is_backref_call(value, src) => {
            super::node::first_positional(value)
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
            "binary_operator" => self.operator(n, d),
            "call" => self.call(n, d),
            _ => None,
        }
    }

    /// `a + b`, and `"format %s" % args`.
    fn operator(&self, n: Node, d: usize) -> Option<NameExpr> {
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

    /// `str(x)`, `x.lower()`, `x.upper()`, and `"format {}".format(args)`.
    fn call(&self, n: Node, d: usize) -> Option<NameExpr> {
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

/// Whether statement `s` holds a `return` of the function it is in (not of a
/// function, lambda or class nested in it).
fn returns_within(s: Node) -> bool {
    if s.kind() == "return_statement" {
        return true;
    }
    if matches!(
        s.kind(),
        "function_definition" | "class_definition" | "lambda"
    ) {
        return false;
    }
    let mut c = s.walk();
    s.named_children(&mut c).any(returns_within)
}
