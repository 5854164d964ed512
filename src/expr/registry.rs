//! Rewriting a moved expression as the text of a string that SQLAlchemy's
//! registry evaluates: classes by their registry names, tables by their
//! `MetaData` keys, and the `sqlalchemy` functions the registry namespace
//! holds.
//!
//! It only rewrites names it can prove the registry resolves the same way;
//! anything else is an error message for the refusal. It does not quote the
//! result (that is `text`).

use super::Source;
use super::names::{Meaning, meaning};
use super::text::collapse_lines;
use crate::facts::{BindingKind, Expr, MemberKind, NameRef};
use crate::index::{Index, Symbol};
use crate::refusal::Refusal;

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

/// Rewrite an expression (source scope) as the text of a registry-evaluated string.
pub(super) fn to_registry_string(
    ix: &Index,
    kw: &str,
    value: &Expr,
    src: &Source,
) -> Result<String, Refusal> {
    if value.text.contains('\\') {
        return Err(Refusal::NotAString {
            text: value.text.clone(),
        });
    }
    // `"%s.id == User.owner_id" % cls.__name__` computes the string SQLAlchemy
    // evaluates; as a registry string it would evaluate to that string.
    let head = value.text.trim_start_matches(['(', ' ']);
    let head = head.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if head.starts_with(['"', '\'']) {
        return Err(Refusal::ComputedString {
            kwarg: kw.to_string(),
            text: value.text.clone(),
        });
    }
    let base = value.range.start;
    let mut out = String::new();
    let mut at = 0;
    for name in &value.names {
        let rep = registry_name(ix, src, name).ok_or_else(|| Refusal::NotNameable {
            kwarg: kw.to_string(),
            text: value.text.clone(),
            name: name.dotted.join("."),
        })?;

        let r = (name.range.start - base)..(name.range.end - base);
        out.push_str(&value.text[at..r.start]);
        out.push_str(&rep);
        at = r.end;
    }
    out.push_str(&value.text[at..]);
    collapse_lines(&out).ok_or_else(|| Refusal::NotOneLine {
        text: value.text.clone(),
    })
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
            table_key(ix, c.file, t, None).map(|key| {
                let mut parts = vec![key];
                parts.extend(rest[1..].iter().cloned());
                parts.join(".")
            })
        }
        Meaning::Module(Symbol::Class(c)) => ix.string_name(c).map(with_rest),
        Meaning::Module(Symbol::Binding(b)) => match &ix.binding(b).kind {
            BindingKind::Table { name: t, schema } => {
                table_key(ix, b.file, t, schema.as_deref()).map(with_rest)
            }
            // Flask-SQLAlchemy's instance carries the `sqlalchemy` and
            // `sqlalchemy.orm` names as its attributes (`db.remote`, `db.and_`):
            // the same objects the registry namespace holds.
            _ if ix.is_flask_db(b)
                && rest
                    .first()
                    .is_some_and(|r| REGISTRY_NAMES.contains(&r.as_str())) =>
            {
                Some(rest.join("."))
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
