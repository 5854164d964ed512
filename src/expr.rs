//! Moving an expression from the class that wrote it into another class.
//!
//! A keyword value written in `class Address` is evaluated there: `id` means
//! `Address.id`, `post_tags` is a global of Address's module. Pasted into
//! `class User` the same text can mean something else or nothing at all. This
//! module decides, name by name, whether the text stays valid verbatim in the
//! destination, can be rewritten as a string that SQLAlchemy's registry
//! evaluates the same way everywhere, or cannot be moved (the pairing is then
//! refused). It never writes files; imports it needs are returned as [`Need`]s.

use std::collections::BTreeSet;

use crate::facts::{BindingKind, Expr, ExprKind, MemberKind, NameRef};
use crate::index::{ClassId, Index, Symbol};
use crate::syntax;

/// Keywords whose string values SQLAlchemy evaluates in the registry namespace.
pub const STRING_EVALUATED: &[&str] = &[
    "primaryjoin",
    "secondaryjoin",
    "order_by",
    "remote_side",
    "foreign_keys",
    "secondary",
];

/// Names of the `sqlalchemy` namespace that string arguments can use.
const REGISTRY_NAMES: &[&str] = &[
    "and_",
    "or_",
    "not_",
    "func",
    "desc",
    "asc",
    "select",
    "text",
    "cast",
    "literal",
    "literal_column",
    "null",
    "true",
    "false",
    "case",
    "exists",
    "between",
    "tuple_",
    "collate",
    "nulls_first",
    "nulls_last",
    "nullsfirst",
    "nullslast",
    "column",
    "type_coerce",
    "foreign",
    "remote",
    "distinct",
    "any_",
    "all_",
    "extract",
    "over",
    "within_group",
    "bindparam",
];

const BUILTINS: &[&str] = &[
    "set",
    "list",
    "dict",
    "tuple",
    "frozenset",
    "int",
    "str",
    "bool",
    "float",
    "len",
    "True",
    "False",
    "None",
    "object",
    "sorted",
    "min",
    "max",
];

/// An import the destination module must have.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// `from module import name [as alias]`
    From {
        module: String,
        name: String,
        alias: String,
    },
    /// `import module [as alias]`
    Import { module: String, alias: String },
    /// `from module import name` under `if TYPE_CHECKING:` (for annotations only).
    TypeChecking { module: String, name: String },
}

/// Where the expression was written.
pub struct Source {
    pub file: usize,
    /// Function scope of the statement (0: the module).
    pub scope: usize,
    pub class: Option<ClassId>,
    /// Offset of the statement that holds the expression.
    pub at: usize,
    /// A name that stands for a class here: the `cls` of a `declared_attr`
    /// run for that class.
    pub alias: Option<(String, ClassId)>,
}

/// Where the moved expression will be evaluated.
pub struct Dest {
    pub file: usize,
    pub scope: usize,
    /// The class body the value goes into; `None` for an imperative mapping call.
    pub class: Option<ClassId>,
    /// Where the value is evaluated: the class statement, or the mapping call.
    pub at: usize,
    pub insert_at: usize,
    /// The attribute being declared: the name is a class-local from then on.
    pub new_name: String,
    /// The quote character the destination module prefers.
    pub quote: char,
}

enum Meaning {
    Builtin,
    ClassLocal,
    Module(Symbol),
}

fn meaning(ix: &Index, src: &Source, name: &NameRef) -> Meaning {
    if let Some((alias, c)) = &src.alias
        && *alias == name.head
    {
        return Meaning::Module(Symbol::Class(*c));
    }
    if let Some(cid) = src.class {
        let local = ix
            .class(cid)
            .members
            .iter()
            .any(|m| m.line_range.end <= src.at && m.binds(&name.head));
        if local {
            return Meaning::ClassLocal;
        }
    }
    match ix.lookup_in(src.file, src.scope, &name.head) {
        Symbol::Unknown if BUILTINS.contains(&name.head.as_str()) => Meaning::Builtin,
        sym => Meaning::Module(sym),
    }
}

/// Move a keyword value. Returns the text to write in the destination.
pub fn move_value(
    ix: &Index,
    kw: &str,
    value: &Expr,
    src: &Source,
    dst: &Dest,
    needs: &mut BTreeSet<Need>,
) -> Result<String, String> {
    let source = &ix.files[src.file].source;
    match &value.kind {
        ExprKind::Str(_) | ExprKind::OpaqueStr | ExprKind::Constant => {
            return Ok(relative_lines(source, value));
        }
        ExprKind::Lambda(body) => {
            if STRING_EVALUATED.contains(&kw) {
                let inner = to_registry_string(ix, kw, body, src)?;
                return quote(&inner, dst.quote);
            }
            return Err(format!(
                "`{kw}={}` is a lambda evaluated in its own module",
                value.text
            ));
        }
        ExprKind::Other => {}
    }
    let mut local_needs = BTreeSet::new();
    if value
        .names
        .iter()
        .all(|n| verbatim_ok(ix, src, dst, n, &mut local_needs))
    {
        needs.extend(local_needs);
        return Ok(relative_lines(source, value));
    }
    if STRING_EVALUATED.contains(&kw) {
        let inner = to_registry_string(ix, kw, value, src)?;
        return quote(&inner, dst.quote);
    }
    let bad: Vec<String> = value
        .names
        .iter()
        .filter(|n| !verbatim_ok(ix, src, dst, n, &mut BTreeSet::new()))
        .map(|n| n.dotted.join("."))
        .collect();
    Err(format!(
        "`{kw}={}` uses {} which the target class cannot see",
        value.text,
        bad.join(", ")
    ))
}

/// Whether a name means the same thing written at `dst` as at `src`.
fn verbatim_ok(
    ix: &Index,
    src: &Source,
    dst: &Dest,
    name: &NameRef,
    needs: &mut BTreeSet<Need>,
) -> bool {
    if crate::guard::off("moved-name") {
        return true;
    }
    let shadowed_in_dst = dst.class.is_some_and(|c| {
        ix.class(c)
            .members
            .iter()
            .any(|m| m.line_range.start < dst.insert_at && m.binds(&name.head))
    });
    if name.head == dst.new_name {
        return false;
    }
    let meant = meaning(ix, src, name);
    // Inside its own body a class is not bound yet (`foreign_keys=[B.a_id]`
    // written in `class B` is a NameError): it is named by a registry string.
    if let (Meaning::Module(Symbol::Class(c)), Some(d)) = (&meant, dst.class)
        && *c == d
    {
        return false;
    }
    match meant {
        Meaning::Builtin => !shadowed_in_dst,
        Meaning::ClassLocal => {
            // Only the same class body sees its own names, and only those defined above.
            src.class.is_some() && src.class == dst.class
        }
        Meaning::Module(sym) => {
            if shadowed_in_dst {
                return false;
            }
            let there = ix.lookup_in(dst.file, dst.scope, &name.head);
            if dst.file == src.file {
                if there != sym {
                    return false;
                }
                // Bound before the destination runs; module names are all bound by
                // the time a function body runs.
                let from_function = |scope: usize| scope == 0 && dst.scope != 0;
                return match sym {
                    Symbol::Class(c) => {
                        from_function(ix.class(c).scope) || ix.class(c).range.start < dst.at
                    }
                    Symbol::Binding(f, b) => {
                        let binding = &ix.files[f].bindings[b];
                        from_function(binding.scope) || binding.offset < dst.at
                    }
                    Symbol::Module(_) | Symbol::External { .. } => {
                        dst.scope != 0
                            || ix.files[src.file]
                                .import_of(&name.head)
                                .is_some_and(|i| i.stmt_range.start < dst.at)
                    }
                    Symbol::Unknown => false,
                };
            }
            if there == sym && sym != Symbol::Unknown {
                return true;
            }
            match (&sym, there) {
                (
                    Symbol::External {
                        module,
                        name: imported,
                    },
                    Symbol::Unknown,
                ) => {
                    if ix.files[dst.file]
                        .classes
                        .iter()
                        .any(|c| c.name == name.head)
                    {
                        return false;
                    }
                    needs.insert(match imported {
                        Some(n) => Need::From {
                            module: module.clone(),
                            name: n.clone(),
                            alias: name.head.clone(),
                        },
                        None => Need::Import {
                            module: module.clone(),
                            alias: name.head.clone(),
                        },
                    });
                    true
                }
                _ => false,
            }
        }
    }
}

/// Rewrite an expression (source scope) as the text of a registry-evaluated string.
fn to_registry_string(ix: &Index, kw: &str, value: &Expr, src: &Source) -> Result<String, String> {
    if value.text.contains('\\') {
        return Err(format!("`{}` cannot be written as a string", value.text));
    }
    // `"%s.id == User.owner_id" % cls.__name__` computes the string SQLAlchemy
    // evaluates; as a registry string it would evaluate to that string.
    let head = value.text.trim_start_matches(['(', ' ']);
    let head = head.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if head.starts_with(['"', '\'']) {
        return Err(format!(
            "`{kw}={}` computes a string at run time; it cannot be moved as one",
            value.text
        ));
    }
    let base = value.range.start;
    let mut out = String::new();
    let mut at = 0;
    for name in &value.names {
        let rep = registry_name(ix, src, name).ok_or_else(|| {
            format!(
                "`{kw}={}` uses `{}`, which the target class cannot see and SQLAlchemy's registry cannot name",
                value.text,
                name.dotted.join(".")
            )
        })?;

        let r = (name.range.start - base)..(name.range.end - base);
        out.push_str(&value.text[at..r.start]);
        out.push_str(&rep);
        at = r.end;
    }
    out.push_str(&value.text[at..]);
    collapse_lines(&out).ok_or_else(|| format!("`{}` cannot be written on one line", value.text))
}

/// The text of a value, its continuation lines indented relative to the
/// column where the value starts (the layout adds the new column back, see
/// [`crate::codegen::call_text`]). Text with triple-quoted strings or
/// backslash continuations is kept as it is.
fn relative_lines(source: &str, value: &Expr) -> String {
    let text = &value.text;
    if !text.contains(['\n', '\r'])
        || text.contains("\"\"\"")
        || text.contains("\'\'\'")
        || text.contains('\\')
    {
        return text.clone();
    }
    let start = value.range.start.min(source.len());
    let column = source[crate::syntax::line_start(source, start)..start]
        .chars()
        .count();
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == 0 {
            out.push_str(line);
            continue;
        }
        let lead = line
            .chars()
            .take(column)
            .take_while(|c| *c == ' ' || *c == '\t')
            .count();
        out.push_str(&line[lead..]);
    }
    out
}

/// The one-line form of a multi-line expression: each line break with the
/// indentation around it becomes one space (none just inside brackets), and a
/// comma left before `]` or `}` goes. `None` when comments, backslash
/// continuations or triple-quoted strings make joining lines unsafe.
pub fn collapse_lines(text: &str) -> Option<String> {
    if !text.contains(['\n', '\r']) {
        return Some(text.to_string());
    }
    if text.contains('#') || text.contains('\\') || text.contains("\"\"\"") || text.contains("'''")
    {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\n' && c != '\r' {
            out.push(c);
            continue;
        }
        while out.ends_with([' ', '\t']) {
            out.pop();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let next = chars.peek().copied();
        let drop_comma = match next {
            Some(']' | '}') => true,
            // A call's trailing comma goes; a one-element tuple keeps its comma.
            Some(')') => opening_is_call(&out),
            _ => false,
        };
        if drop_comma && out.ends_with(',') {
            out.pop();
        }
        let after_open = out.ends_with(['(', '[', '{']);
        let before_close = matches!(next, Some(')' | ']' | '}'));
        if !after_open && !before_close && next.is_some() {
            out.push(' ');
        }
    }
    Some(out)
}

/// The key a table has in its `MetaData` (what a registry string names): its
/// name, qualified by its schema. None when a `MetaData(schema=...)` of the
/// tree may give it a schema the tool cannot see.
fn table_key(ix: &Index, fi: usize, name: &str, schema: Option<&str>) -> Option<String> {
    match schema {
        Some(s) => Some(format!("{s}.{name}")),
        None if ix.metadata_schema_near(fi) => None,
        None => Some(name.to_string()),
    }
}

fn registry_name(ix: &Index, src: &Source, name: &NameRef) -> Option<String> {
    let rest = &name.dotted[1..];
    let with_rest = |head: String| {
        let mut parts = vec![head];
        parts.extend(rest.iter().cloned());
        parts.join(".")
    };
    match meaning(ix, src, name) {
        Meaning::Builtin => Some(name.dotted.join(".")),
        Meaning::ClassLocal => {
            let cid = src.class?;
            let is_attr = ix.class(cid).members.iter().any(|m| {
                m.names.contains(&name.head) && matches!(m.kind, MemberKind::Assign { .. })
            });
            let class = ix.string_name(cid)?;
            is_attr.then(|| format!("{class}.{}", name.dotted.join(".")))
        }
        // `Link.__table__`: the registry finds the table by its key, not through the class.
        Meaning::Module(Symbol::Class(c)) if rest.first().is_some_and(|r| r == "__table__") => {
            let class = ix.class(c);
            let own_table = class.members.iter().any(|m| {
                m.names
                    .iter()
                    .any(|n| n == "__table__" || n == "__table_args__")
            });
            let t = class.tablename.as_ref().filter(|_| !own_table)?;
            table_key(ix, c.0, t, None).map(|key| {
                let mut parts = vec![key];
                parts.extend(rest[1..].iter().cloned());
                parts.join(".")
            })
        }
        Meaning::Module(Symbol::Class(c)) => ix.string_name(c).map(with_rest),
        Meaning::Module(Symbol::Binding(f, b)) => match &ix.files[f].bindings[b].kind {
            BindingKind::Table { name: t, schema } => {
                table_key(ix, f, t, schema.as_deref()).map(with_rest)
            }
            _ => None,
        },
        Meaning::Module(Symbol::Module(m)) => {
            // `models.User` where `models` is a module of the tree.
            let (attr, tail) = rest.split_first()?;
            let fi = ix.module_file(src.file, &m)?;
            match ix.lookup(fi, attr) {
                Symbol::Class(c) => {
                    let mut parts = vec![ix.string_name(c)?];
                    parts.extend(tail.iter().cloned());
                    Some(parts.join("."))
                }
                _ => None,
            }
        }
        Meaning::Module(Symbol::External {
            module,
            name: imported,
        }) => {
            if !module.starts_with("sqlalchemy") {
                return None;
            }
            // The last segment that is a registry name, e.g. `sa.orm.foreign` -> `foreign`.
            let mut full: Vec<String> = module.split('.').map(str::to_string).collect();
            full.extend(imported);
            full.extend(rest.iter().cloned());
            let pos = full
                .iter()
                .position(|p| REGISTRY_NAMES.contains(&p.as_str()))?;
            Some(full[pos..].join("."))
        }
        Meaning::Module(Symbol::Unknown) => None,
    }
}

/// `inner` as a string literal, in the preferred quote character when it can be.
fn quote(inner: &str, prefer: char) -> Result<String, String> {
    let other = if prefer == '"' { '\'' } else { '"' };
    if !inner.contains(prefer) {
        Ok(format!("{prefer}{inner}{prefer}"))
    } else if !inner.contains(other) {
        Ok(format!("{other}{inner}{other}"))
    } else {
        Err(format!("`{inner}` mixes both quote characters"))
    }
}

/// Swap `remote()` annotations of a copied non-many-to-many join condition.
/// `value_text` is a moved value: a quoted string or an expression.
pub fn swap_remote_in(value_text: &str) -> Result<String, String> {
    let refuse =
        || format!("cannot move the remote() annotations of `{value_text}` to the other side");
    let is_quoted = value_text.len() >= 2
        && (value_text.starts_with('"') || value_text.starts_with('\''))
        && value_text.ends_with(&value_text[..1]);
    let inner = if is_quoted {
        &value_text[1..value_text.len() - 1]
    } else {
        value_text
    };
    if !inner.contains("remote") {
        return Ok(value_text.to_string());
    }
    let e = syntax::analyze_expr(inner).ok_or_else(refuse)?;
    let mut spellings: Vec<String> = e
        .names
        .iter()
        .filter(|n| n.called && n.dotted.last().is_some_and(|l| l == "remote"))
        .map(|n| n.dotted.join("."))
        .collect();
    spellings.sort();
    spellings.dedup();
    if spellings.is_empty() {
        return Ok(value_text.to_string());
    }
    let swapped = syntax::swap_remote(inner, &spellings).ok_or_else(refuse)?;
    if spellings.len() > 1 {
        return Err(refuse());
    }
    Ok(if is_quoted {
        format!("{}{swapped}{}", &value_text[..1], &value_text[..1])
    } else {
        swapped
    })
}

/// Whether the innermost unclosed `(` of `text` opens a call's arguments
/// (it follows a name, a `)` or a `]`) rather than a parenthesized group.
fn opening_is_call(text: &str) -> bool {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth > 0 => depth -= 1,
            '(' => {
                return text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_alphanumeric() || p == '_' || p == ')' || p == ']');
            }
            '[' | '{' => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::collapse_lines;

    #[test]
    fn joins_lines_like_a_formatter() {
        assert_eq!(
            collapse_lines("[\n    t.c.a,\n    t.c.b,\n]").as_deref(),
            Some("[t.c.a, t.c.b]")
        );
        assert_eq!(
            collapse_lines("and_(\n    a == b,\n    c == \"x y\"\n)").as_deref(),
            Some("and_(a == b, c == \"x y\")")
        );
        assert_eq!(collapse_lines("(x,\n)").as_deref(), Some("(x,)"));
        assert_eq!(
            collapse_lines("sa.and_(\n    a == b,\n    c == d,\n)").as_deref(),
            Some("sa.and_(a == b, c == d)")
        );
        assert_eq!(collapse_lines("a ==\n  b  # why\n"), None);
    }
}
