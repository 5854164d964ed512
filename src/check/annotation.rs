//! What a reverse's `Mapped[...]` annotation says, read against its own
//! arguments: the loader (`DynamicMapped`, `WriteOnlyMapped`), the
//! collection class, `uselist`. Which way the reverse points is
//! [`super::direction`]'s business; which names the annotation uses,
//! [`super::names`]'.

use crate::facts::RelFact;

use super::literal;

/// A `Mapped[...]` annotation agrees with what the reverse's arguments make
/// of it: the loader (`DynamicMapped`, `WriteOnlyMapped`), the collection
/// class (list, set, dict for keyed collections), a scalar for `uselist=False`.
pub(super) fn annotation_agrees(rev: &RelFact) -> Result<(), String> {
    let Some(ann) = &rev.annotation else {
        return Ok(());
    };
    let (outer, kind) = annotation_shape(ann);
    let lazy = literal(&rev.kwargs, "lazy");
    let want_outer = match lazy.as_deref() {
        Some("dynamic") => "DynamicMapped",
        Some("write_only") => "WriteOnlyMapped",
        _ => "Mapped",
    };
    let fail = |why: &str| Err(format!("the annotation `{ann}` of `{}` {why}", rev.attr));
    if outer != want_outer {
        return fail(&format!("should be `{want_outer}[...]`"));
    }
    if want_outer != "Mapped" {
        return Ok(());
    }
    let collection = rev
        .kwargs
        .iter()
        .find(|k| k.name == "collection_class")
        .map(|k| {
            let t: String = k
                .value
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let callee = t.split('(').next().unwrap_or_default().to_string();
            let last = callee.rsplit('.').next().unwrap_or_default().to_string();
            (last, t.len() > callee.len())
        });
    let want = match &collection {
        None => None,
        Some((l, false)) if l == "list" => Some("list"),
        Some((l, false)) if l == "set" => Some("set"),
        Some((l, true)) if l == "ordering_list" => Some("list"),
        Some((l, _)) if crate::syntax::KEYED_COLLECTIONS.contains(&l.as_str()) => Some("dict"),
        Some(_) => return fail("cannot be proven for this collection class"),
    };
    let uselist = literal(&rev.kwargs, "uselist");
    match (kind, want, uselist.as_deref()) {
        (_, _, Some(u)) if u != "True" && u != "False" => {
            fail("cannot be proven for this `uselist`")
        }
        ("scalar", Some(_), _) => fail("is a scalar, but the collection class makes a collection"),
        ("scalar", None, Some("True")) => fail("is a scalar, but `uselist=True`"),
        (k, _, Some("False")) if k != "scalar" => fail("is a collection, but `uselist=False`"),
        (k, Some(w), _) if k != "scalar" && k != w => {
            fail(&format!("is a {k}, but the collection class makes a {w}"))
        }
        (k, None, _) if k != "scalar" && k != "list" => {
            fail(&format!("is a {k}, but the collection is a list"))
        }
        _ => Ok(()),
    }
}

/// How a reverse's annotation reads: its outer name (`Mapped`,
/// `DynamicMapped`, `WriteOnlyMapped`) and, inside it, the kind of its
/// container: `list`, `set`, `dict`, or `scalar` for anything else.
fn annotation_shape(ann: &str) -> (String, &'static str) {
    let flat: String = ann.chars().filter(|c| !c.is_whitespace()).collect();
    let (outer, inner) = flat.split_once('[').unwrap_or((&flat, ""));
    let outer = outer.rsplit('.').next().unwrap_or_default().to_string();
    let container = inner.split('[').next().unwrap_or_default();
    let kind = match container.rsplit('.').next().unwrap_or_default() {
        "List" | "list" => "list",
        "Set" | "set" => "set",
        "Dict" | "dict" => "dict",
        _ => "scalar",
    };
    (outer, kind)
}

/// Whether a reverse's annotation (as [`annotation_agrees`] accepts it)
/// declares a collection: a dynamic or write-only loader, or a container.
pub(super) fn is_collection(ann: &str) -> bool {
    let (outer, kind) = annotation_shape(ann);
    outer != "Mapped" || kind != "scalar"
}
