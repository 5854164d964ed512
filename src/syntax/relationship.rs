//! One relationship call: callee, target, keyword arguments and the `backref=`
//! argument in each of its spellings.
//!
//! It records the call as written: it does not resolve the target or the
//! callee, and does not judge whether the backref can be migrated.

use tree_sitter::Node;

use super::*;

impl Extractor<'_> {
    pub(super) fn relationship(
        &self,
        call: Node,
        stmt: Node,
        owner: Owner,
        attr: String,
        annotation: Option<String>,
    ) -> Option<RelFact> {
        let callee = call
            .child_by_field_name("function")
            .and_then(|f| dotted(f, self.src))?;
        let args = call.child_by_field_name("arguments")?;
        let mut kwargs = Vec::new();
        let mut positional = Vec::new();
        let mut has_star_kwargs = false;
        let mut cursor = args.walk();
        for a in args.named_children(&mut cursor).filter(not_continuation) {
            match a.kind() {
                "keyword_argument" => {
                    if let Some(k) = self.kwarg(a) {
                        kwargs.push(k);
                    }
                }
                "dictionary_splat" | "list_splat" => has_star_kwargs = true,
                "comment" | "line_continuation" => {}
                _ => positional.push(a),
            }
        }
        let is_rel_callee = callee
            .last()
            .is_some_and(|l| RELATIONSHIP_CALLEES.contains(&l.as_str()));
        let backref_kw = kwargs.iter().position(|k: &Kwarg| k.name == "backref");
        // A call under another name (an alias, a wrapper) counts when it has
        // `backref=`, or `back_populates=` (a migrated forward or reverse,
        // which the check stage reads again).
        if !is_rel_callee
            && backref_kw.is_none()
            && !kwargs.iter().any(|k| k.name == "back_populates")
        {
            return None;
        }
        let backref = backref_kw.and_then(|i| {
            let mut cursor = args.walk();
            let node = args
                .named_children(&mut cursor)
                .filter(not_continuation)
                .find(|a| a.start_byte() == kwargs[i].range.start)?;
            self.backref(node)
        });
        let target = match positional.first() {
            None => TargetArg::Absent,
            Some(t) => self.target(*t),
        };
        let stmt_range = stmt.start_byte()..stmt.end_byte();
        let (ignored, ignored_codes) =
            self.ignore_comment(&stmt_range, backref.as_ref().map(|b| b.kw_range.start));
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
            positional_secondary: positional.get(1).map(|n| expr(*n, self.src)),
            has_star_kwargs,
            ignored,
            ignored_codes,
            declared_attr: None,
            scope: self.scope,
            block: None,
            branch: None,
            wrapper: None,
        })
    }

    /// The suppression comments on the statement's first and last lines and
    /// on the backref line: whether one ignores the relationship, and the
    /// codes the others name.
    pub(super) fn ignore_comment(
        &self,
        stmt: &std::ops::Range<usize>,
        backref_at: Option<usize>,
    ) -> (bool, Vec<String>) {
        let mut lines = vec![stmt.start, stmt.end];
        lines.extend(backref_at);
        let mut all = false;
        let mut codes = Vec::new();
        for off in lines {
            let start = line_start(self.src, off);
            let end = self.line_end(off);
            match super::suppression(&self.src[start..end]) {
                Some(None) => all = true,
                Some(Some(c)) => codes.extend(c),
                None => {}
            }
        }
        codes.sort();
        codes.dedup();
        (all, codes)
    }

    pub(super) fn target(&self, node: Node) -> TargetArg {
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

    pub(super) fn kwarg(&self, node: Node) -> Option<Kwarg> {
        let name = self.text(node.child_by_field_name("name")?).to_string();
        let value = node.child_by_field_name("value")?;
        Some(Kwarg {
            name,
            range: node.start_byte()..node.end_byte(),
            value: expr(value, self.src),
        })
    }

    /// The `backref=` argument in any of its spellings: a name, a
    /// `backref(name, **kwargs)` call, or a `(name, {kwargs})` pair.
    pub(super) fn backref(&self, kw: Node) -> Option<BackrefFact> {
        let value = kw.child_by_field_name("value")?;
        let mut fact = BackrefFact {
            kw_range: kw.start_byte()..kw.end_byte(),
            pos: self.pos(kw.start_byte()),
            name: BackrefName::Dynamic(self.text(value).to_string()),
            name_literal: None,
            kwargs: Vec::new(),
            callee: None,
            opaque: None,
            comments: Vec::new(),
        };
        match value.kind() {
            "string" | "identifier" => fact.name = self.backref_name(value),
            "call" if is_backref_call(value, self.src) => self.backref_call(value, &mut fact)?,
            "tuple" | "list" | "parenthesized_expression" => self.backref_pair(value, &mut fact),
            _ => {}
        }
        if let BackrefName::Literal(_) = fact.name {
            fact.name_literal = literal_node(value, self.src).map(|n| self.text(n).to_string());
        }
        Some(fact)
    }

    /// A backref name as written: a plain string, a constant, or anything
    /// else (computed).
    fn backref_name(&self, n: Node) -> BackrefName {
        match n.kind() {
            "string" => match string_value(n, self.src) {
                Some(s) => BackrefName::Literal(s),
                None => BackrefName::Dynamic(self.text(n).to_string()),
            },
            "identifier" => BackrefName::Constant(self.text(n).to_string()),
            _ => BackrefName::Dynamic(self.text(n).to_string()),
        }
    }

    /// `backref("name", lazy=...)`: the callee, the name (first positional),
    /// the keywords, and what makes it opaque (a splat, a second positional,
    /// no name at all). None for a call without an argument list.
    fn backref_call(&self, value: Node, fact: &mut BackrefFact) -> Option<()> {
        fact.callee = value
            .child_by_field_name("function")
            .and_then(|f| dotted(f, self.src));
        let args = value.child_by_field_name("arguments")?;
        let mut cursor = args.walk();
        let mut positional = 0;
        // The keyword the last argument was (its name and last row), and
        // comments waiting for the next keyword.
        let mut last: Option<(Option<String>, usize)> = None;
        let mut waiting: Vec<String> = Vec::new();
        for a in args.named_children(&mut cursor).filter(not_continuation) {
            if a.kind() == "comment" {
                let text = self.text(a).trim_end().to_string();
                match &last {
                    Some((Some(key), row)) if *row == a.start_position().row => {
                        fact.comments.push((CommentAt::After(key.clone()), text));
                    }
                    _ => waiting.push(text),
                }
                continue;
            }
            last = Some((None, a.end_position().row));
            match a.kind() {
                "keyword_argument" => {
                    if let Some(k) = self.kwarg(a) {
                        for c in waiting.drain(..) {
                            fact.comments.push((CommentAt::Before(k.name.clone()), c));
                        }
                        last = Some((Some(k.name.clone()), a.end_position().row));
                        fact.kwargs.push(k);
                    }
                }
                "line_continuation" => {}
                "dictionary_splat" | "list_splat" => fact.opaque = Some(self.text(a).to_string()),
                _ => {
                    if positional == 0 {
                        fact.name = self.backref_name(a);
                    } else {
                        fact.opaque = Some(self.text(a).to_string());
                    }
                    positional += 1;
                }
            }
        }
        fact.comments
            .extend(waiting.into_iter().map(|c| (CommentAt::End, c)));
        if positional == 0 {
            fact.opaque = Some(self.text(value).to_string());
        }
        Some(())
    }

    /// `("name", {"lazy": ...})` or `["name"]`: the name, and the keywords of
    /// the dict when there is one. A parenthesized name alone is left as
    /// written (computed).
    fn backref_pair(&self, value: Node, fact: &mut BackrefFact) {
        match code_children(value).as_slice() {
            [name, dict] if dict.kind() == "dictionary" => {
                fact.name = self.backref_name(*name);
                self.backref_dict(*dict, fact);
            }
            [name] if value.kind() != "parenthesized_expression" => {
                fact.name = self.backref_name(*name)
            }
            _ => {}
        }
    }

    /// The entries of a backref's keyword dict; an entry without a plain
    /// string key makes the backref opaque.
    fn backref_dict(&self, dict: Node, fact: &mut BackrefFact) {
        let mut cursor = dict.walk();
        // As in a `backref(...)` call: each comment with the key it trails
        // or precedes.
        let mut last: Option<(String, usize)> = None;
        let mut waiting: Vec<String> = Vec::new();
        for pair in dict.named_children(&mut cursor).filter(not_continuation) {
            if pair.kind() == "comment" {
                let text = self.text(pair).trim_end().to_string();
                match &last {
                    Some((key, row)) if *row == pair.start_position().row => {
                        fact.comments.push((CommentAt::After(key.clone()), text));
                    }
                    _ => waiting.push(text),
                }
                continue;
            }
            if pair.is_extra() {
                continue;
            }
            let key = pair
                .child_by_field_name("key")
                .filter(|_| pair.kind() == "pair")
                .and_then(|k| string_value(k, self.src));
            let v = pair.child_by_field_name("value");
            match (key, v) {
                (Some(key), Some(v)) => {
                    for c in waiting.drain(..) {
                        fact.comments.push((CommentAt::Before(key.clone()), c));
                    }
                    last = Some((key.clone(), pair.end_position().row));
                    fact.kwargs.push(Kwarg {
                        name: key,
                        range: pair.start_byte()..pair.end_byte(),
                        value: expr(v, self.src),
                    });
                }
                _ => fact.opaque = Some(self.text(pair).to_string()),
            }
        }
        fact.comments
            .extend(waiting.into_iter().map(|c| (CommentAt::End, c)));
    }
}

/// The string node that names a backref in any of its spellings.
fn literal_node<'t>(value: Node<'t>, src: &str) -> Option<Node<'t>> {
    let node = match value.kind() {
        "call" => super::node::first_positional(value)?,
        "tuple" | "list" => value.named_child(0)?,
        _ => value,
    };
    (node.kind() == "string" && string_value(node, src).is_some()).then_some(node)
}

/// Whether a `backref=` value that is a call is the `backref(...)` form (a
/// dotted callee), not a name computed by a string method (`"{}s".format(x)`).
pub(super) fn is_backref_call(value: Node, src: &str) -> bool {
    value
        .child_by_field_name("function")
        .and_then(|f| dotted(f, src))
        .and_then(|d| d.last().cloned())
        .is_some_and(|last| !STR_METHODS.contains(&last.as_str()))
}

/// `str` methods that compute a name rather than call `backref()`.
const STR_METHODS: &[&str] = &[
    "format",
    "lower",
    "upper",
    "title",
    "capitalize",
    "replace",
    "strip",
    "join",
    "casefold",
];
