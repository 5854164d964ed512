//! Which way the reverse points, read again from the models: under
//! SQLAlchemy 2.x a `Mapped[...]` annotation decides `uselist`, so a scalar
//! annotation where the backref made a collection (or a collection where it
//! made a scalar) changes the mapping.
//!
//! A backref's `uselist` defaults from the reverse's direction, the opposite
//! of the forward's: the forward's table holding the foreign key makes the
//! forward many-to-one and the reverse a collection; the target's table
//! holding it makes the reverse many-to-one, a scalar. A secondary table, a
//! dynamic or write-only loader make a collection; a self-referential forward
//! is many-to-one exactly when it names `remote_side`. Anything else
//! (`primaryjoin=` or `foreign_keys=` on the forward, keys both ways or
//! none) is unproven, and an annotation there fails the check.

use super::annotation::is_collection;
use super::literal;
use crate::facts::{Kwarg, RelFact};
use crate::index::{ClassId, Index};

/// Whether the reverse is a collection, as SQLAlchemy configures the
/// backref; `Err` when the models do not prove it.
pub(super) fn reverse_is_collection(
    ix: &Index,
    old_fwd: &RelFact,
    source: ClassId,
    target: ClassId,
) -> Result<bool, String> {
    let given: &[Kwarg] = old_fwd.backref.as_ref().map_or(&[], |b| &b.kwargs);
    match literal(given, "uselist").as_deref() {
        Some("True") => return Ok(true),
        Some("False") => return Ok(false),
        Some(other) => return Err(format!("`uselist={other}` is not a constant")),
        None => {}
    }
    if matches!(
        literal(given, "lazy").as_deref(),
        Some("dynamic" | "write_only")
    ) {
        return Ok(true);
    }
    let fwd = &old_fwd.kwargs;
    if literal(fwd, "secondary").is_some() || old_fwd.positional_secondary.is_some() {
        return Ok(true);
    }
    if ["primaryjoin", "foreign_keys"]
        .iter()
        .any(|k| literal(fwd, k).is_some())
    {
        return Err("the forward's `primaryjoin=`/`foreign_keys=` decide its direction".into());
    }
    if source == target {
        return Ok(literal(fwd, "remote_side").is_some());
    }
    match (keys_to(ix, source, target), keys_to(ix, target, source)) {
        (true, false) => Ok(true),
        (false, true) => Ok(false),
        (true, true) => Err("both tables hold a foreign key to the other".into()),
        (false, false) => Err("no foreign key between the two tables is declared".into()),
    }
}

/// Whether a column of `from`'s class chain has a foreign key to `to`'s table.
fn keys_to(ix: &Index, from: ClassId, to: ClassId) -> bool {
    let chain = |c: ClassId| {
        std::iter::once(c)
            .chain(ix.ancestors(c))
            .collect::<Vec<_>>()
    };
    let table = chain(to)
        .into_iter()
        .find_map(|c| ix.class(c).tablename.clone());
    let name = &ix.class(to).name;
    chain(from)
        .into_iter()
        .flat_map(|c| ix.class(c).columns.iter())
        .flat_map(|col| col.foreign_keys.iter())
        .any(|fk| {
            // `"schema.table.column"`, `"table.column"`, or `Class.column`.
            let Some((owner, _column)) = fk.rsplit_once('.') else {
                return false;
            };
            let owner = owner.rsplit('.').next().unwrap_or(owner);
            Some(owner) == table.as_deref() || owner == name
        })
}

/// A reverse's annotation declares the direction the backref made: a
/// collection where it made a collection, a scalar where it made a scalar.
pub(super) fn annotation_direction(
    ix: &Index,
    old_fwd: &RelFact,
    source: ClassId,
    target: ClassId,
    rev: &RelFact,
) -> Result<(), String> {
    let Some(ann) = &rev.annotation else {
        return Ok(());
    };
    let collection = reverse_is_collection(ix, old_fwd, source, target).map_err(|why| {
        format!(
            "the annotation `{ann}` of `{}` cannot be proven: {why}",
            rev.attr
        )
    })?;
    if collection != is_collection(ann) {
        return Err(format!(
            "the annotation `{ann}` of `{}` makes a {} where the backref made a {}",
            rev.attr,
            if collection { "scalar" } else { "collection" },
            if collection { "collection" } else { "scalar" },
        ));
    }
    Ok(())
}
