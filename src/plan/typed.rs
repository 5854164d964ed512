//! Typed reverses: the direction of the reverse (collection or scalar), whether
//! a scalar may be `None`, and the `Mapped[...]` annotation in the target
//! module's own style. A direction that cannot be proven gives no annotation;
//! nothing here guesses one, and nothing annotates the forward.

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
    // A join condition or foreign keys given on the forward decide its
    // direction, whatever foreign keys the columns declare.
    if ["primaryjoin", "foreign_keys"]
        .iter()
        .any(|k| kw(&rel.kwargs, k).is_some())
        && !crate::guard::off("direction")
    {
        return None;
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

/// What the reverse's collection is, from `collection_class=` of the
/// `backref(...)`: `None` for a class the tool does not know, whose element
/// type it cannot state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Collection {
    List,
    Set,
    /// A keyed collection (`attribute_keyed_dict("key")` and its relatives):
    /// a dict whose keys the tool does not type.
    Dict,
}

pub(super) fn collection_of(b: &BackrefFact) -> Option<Collection> {
    let Some(k) = kw(&b.kwargs, "collection_class") else {
        return Some(Collection::List);
    };
    let text: String = k
        .value
        .text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let callee = text.split('(').next().unwrap_or_default();
    let last = callee.rsplit('.').next().unwrap_or_default();
    let called = text.len() > callee.len();
    match (last, called) {
        ("list", false) => Some(Collection::List),
        ("set", false) => Some(Collection::Set),
        ("ordering_list", true) => Some(Collection::List),
        (l, true)
            if crate::syntax::KEYED_COLLECTIONS.contains(&l) && !crate::guard::off("keyed") =>
        {
            Some(Collection::Dict)
        }
        (l, false)
            if (l == "KeyFuncDict" || l == "MappedCollection") && !crate::guard::off("keyed") =>
        {
            Some(Collection::Dict)
        }
        _ if crate::guard::off("keyed") => Some(Collection::List),
        _ => None,
    }
}

/// The reverse's `Mapped[...]` annotation in the target module's spelling,
/// or `None` when it cannot be written truthfully: an unknown collection
/// class, or a name it needs that the class body binds to something else
/// before the reverse (`place`: the class and the insertion offset).
#[allow(clippy::too_many_arguments)]
pub(super) fn typed_annotation(
    ix: &Index,
    place: (ClassId, usize),
    src_name: &str,
    collection: bool,
    nullable: bool,
    b: &BackrefFact,
    lazy: Option<&str>,
    needs: &mut BTreeSet<Need>,
) -> Option<String> {
    let tfi = place.0.file;
    let tfile = &ix.files[tfi];
    let mut wanted: BTreeSet<Need> = BTreeSet::new();
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
        wanted.insert(Need::From {
            module: module.into(),
            name: name.into(),
            alias: name.into(),
        });
        name.to_string()
    };
    let q = format!("\"{src_name}\"");
    let (text, names): (String, Vec<String>) = match lazy {
        Some("dynamic") => {
            let d = name_for("sqlalchemy.orm", "DynamicMapped");
            (format!("{d}[{q}]"), vec![d])
        }
        Some("write_only") => {
            let w = name_for("sqlalchemy.orm", "WriteOnlyMapped");
            (format!("{w}[{q}]"), vec![w])
        }
        _ => {
            let mapped = name_for("sqlalchemy.orm", "Mapped");
            if collection {
                collection_annotation(tfile, b, mapped, &q, &mut name_for)?
            } else if nullable {
                let opt = name_for("typing", "Optional");
                (format!("{mapped}[{opt}[{q}]]"), vec![mapped, opt])
            } else {
                (format!("{mapped}[{q}]"), vec![mapped])
            }
        }
    };
    // A name the class body binds before the reverse means the class attribute.
    let (cid, at) = place;
    let builtin_shadowed =
        |n: &str| ["list", "set", "dict"].contains(&n) && ix.lookup(tfi, n) != Symbol::Unknown;
    if names
        .iter()
        .any(|n| class_binds(ix, cid, n, at) || builtin_shadowed(n))
    {
        return None;
    }
    needs.extend(wanted);
    Some(text)
}

/// `Mapped[List["X"]]` (or `set`, `Dict[Any, ...]`) in the module's spelling
/// of the collection, and the names it uses.
fn collection_annotation(
    tfile: &FileFacts,
    b: &BackrefFact,
    mapped: String,
    q: &str,
    name_for: &mut dyn FnMut(&str, &str) -> String,
) -> Option<(String, Vec<String>)> {
    let builtin = tfile.uses_builtin_list && !tfile.uses_typing_list;
    let coll = match (collection_of(b)?, builtin) {
        (Collection::Set, true) => "set".to_string(),
        (Collection::List, true) => "list".to_string(),
        (Collection::Dict, true) => "dict".to_string(),
        (Collection::Set, false) => name_for("typing", "Set"),
        (Collection::List, false) => name_for("typing", "List"),
        (Collection::Dict, false) => name_for("typing", "Dict"),
    };
    let (text, mut names) = match collection_of(b)? {
        Collection::Dict => {
            let any = name_for("typing", "Any");
            (format!("{mapped}[{coll}[{any}, {q}]]"), vec![any])
        }
        _ => (format!("{mapped}[{coll}[{q}]]"), Vec::new()),
    };
    names.extend([mapped, coll]);
    Some((text, names))
}

/// How a class is a dataclass, which decides how a reverse can join it
/// without changing its `__init__`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dataclass {
    No,
    /// SQLAlchemy's own (`MappedAsDataclass`, `@reg.mapped_as_dataclass`):
    /// attributes need `Mapped[...]`, and `init=False` keeps `__init__`.
    Native,
    /// A plain `@dataclass` (or attrs) with `@reg.mapped`: annotated
    /// attributes are fields, unannotated ones are class attributes.
    Plain,
}

pub(super) fn dataclass_kind(ix: &Index, cid: ClassId) -> Dataclass {
    let mut kind = Dataclass::No;
    for c in std::iter::once(cid).chain(ix.ancestors(cid)) {
        let class = ix.class(c);
        let native = class
            .bases
            .iter()
            .any(|b| b.last().is_some_and(|l| l == "MappedAsDataclass"))
            || class.decorators.iter().any(|d| {
                decorator_name(d) == "mapped_as_dataclass" || d.starts_with("mapped_as_dataclass(")
            });
        if native {
            return Dataclass::Native;
        }
        if class
            .decorators
            .iter()
            .any(|d| PLAIN_DATACLASS_DECORATORS.contains(&decorator_name(d)))
        {
            kind = Dataclass::Plain;
        }
    }
    kind
}
