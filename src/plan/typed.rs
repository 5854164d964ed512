//! Typed reverses: the direction of the reverse (collection or scalar), whether
//! a scalar may be `None`, and the `Mapped[...]` annotation in the target
//! module's own style. A direction that cannot be proven gives no annotation.

use std::collections::BTreeSet;

use super::*;
use crate::expr::Need;

pub(super) fn literal(k: Option<&Kwarg>) -> Option<String> {
    k.map(|k| {
        k.value
            .text
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string()
    })
}

/// Whether the reverse holds a collection; `None` when the direction cannot be proven.
pub(super) fn reverse_is_collection(
    ix: &Index,
    p: &Pairing,
    rel: &RelFact,
    b: &BackrefFact,
) -> Option<bool> {
    match literal(kw(&b.kwargs, "uselist")).as_deref() {
        Some("True") => return Some(true),
        Some("False") => return Some(false),
        Some(_) => return None,
        None => {}
    }
    if matches!(
        literal(kw(&b.kwargs, "lazy")).as_deref(),
        Some("dynamic" | "write_only")
    ) {
        return Some(true);
    }
    if kw(&rel.kwargs, "secondary").is_some() || rel.positional_secondary.is_some() {
        return Some(true);
    }
    let source = p.source?;
    if source == p.target {
        return Some(kw(&rel.kwargs, "remote_side").is_some());
    }
    let fwd_to_target = fks_between(ix, source, p.target);
    let target_to_fwd = fks_between(ix, p.target, source);
    match (fwd_to_target.is_empty(), target_to_fwd.is_empty()) {
        // The forward's table holds the key: forward is many-to-one, reverse a collection.
        (false, true) => Some(true),
        (true, false) => Some(false),
        _ => None,
    }
}

pub(super) fn tablename(ix: &Index, cid: ClassId) -> Option<String> {
    std::iter::once(cid)
        .chain(ix.ancestors(cid))
        .find_map(|c| ix.class(c).tablename.clone())
}

/// Columns of `from` (and its ancestors) with a foreign key to `to`'s table.
pub(super) fn fks_between<'a>(ix: &'a Index, from: ClassId, to: ClassId) -> Vec<&'a ColumnFact> {
    let table = tablename(ix, to);
    let to_name = &ix.class(to).name;
    std::iter::once(from)
        .chain(ix.ancestors(from))
        .flat_map(|c| ix.class(c).columns.iter())
        .filter(|col| {
            col.foreign_keys.iter().any(|fk| {
                let prefix = fk.rsplit_once('.').map_or(fk.as_str(), |(p, _)| p);
                let prefix = prefix.rsplit('.').next().unwrap_or(prefix);
                Some(prefix) == table.as_deref() || prefix == to_name
            })
        })
        .collect()
}

pub(super) fn reverse_scalar_nullable(ix: &Index, p: &Pairing) -> bool {
    let Some(source) = p.source else { return true };
    let cols = fks_between(ix, p.target, source);
    cols.is_empty() || cols.iter().any(|c| c.nullable != Some(false))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn typed_annotation(
    ix: &Index,
    tfi: usize,
    src_name: &str,
    collection: bool,
    nullable: bool,
    b: &BackrefFact,
    lazy: Option<&str>,
    needs: &mut BTreeSet<Need>,
) -> String {
    let tfile = &ix.files[tfi];
    let mut name_for = |module: &str, name: &str| -> String {
        for i in tfile.imports.iter().filter(|i| !i.type_checking) {
            if let Symbol::External {
                module: m,
                name: Some(n),
            } = ix.lookup(tfi, &i.bound)
                && n == name
                && (m == module || m.starts_with("sqlalchemy") && module.starts_with("sqlalchemy"))
            {
                return i.bound.clone();
            }
        }
        needs.insert(Need::From {
            module: module.into(),
            name: name.into(),
            alias: name.into(),
        });
        name.to_string()
    };
    let q = format!("\"{src_name}\"");
    match lazy {
        Some("dynamic") => return format!("{}[{q}]", name_for("sqlalchemy.orm", "DynamicMapped")),
        Some("write_only") => {
            return format!("{}[{q}]", name_for("sqlalchemy.orm", "WriteOnlyMapped"));
        }
        _ => {}
    }
    let mapped = name_for("sqlalchemy.orm", "Mapped");
    if collection {
        let set = literal(kw(&b.kwargs, "collection_class")).as_deref() == Some("set");
        let builtin = tfile.uses_builtin_list && !tfile.uses_typing_list;
        let coll = match (set, builtin) {
            (true, true) => "set".to_string(),
            (false, true) => "list".to_string(),
            (true, false) => name_for("typing", "Set"),
            (false, false) => name_for("typing", "List"),
        };
        format!("{mapped}[{coll}[{q}]]")
    } else if nullable {
        format!("{mapped}[{}[{q}]]", name_for("typing", "Optional"))
    } else {
        format!("{mapped}[{q}]")
    }
}

pub(super) fn is_dataclass(ix: &Index, cid: ClassId) -> bool {
    std::iter::once(cid).chain(ix.ancestors(cid)).any(|c| {
        ix.class(c)
            .bases
            .iter()
            .any(|b| b.last().is_some_and(|l| l == "MappedAsDataclass"))
    })
}
