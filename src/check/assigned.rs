//! A reverse assigned at the top of a module (`User.tags =
//! relationship(Tag, back_populates="user")`) for a forward assigned to a
//! class made at run time, or naming one: read again from the new text.

use super::*;
use crate::index::Symbol;

/// The reverse is assigned once, after the forward, to the class the
/// forward's target names, naming the forward's class; it maps (a class made
/// by a factory of the tree, or one with a declarative base); its callee and
/// moved values mean what they meant.
pub(super) fn assigned_reverse(
    old: &Index,
    new: &Index,
    fix: &Fix,
    fwd: &RelFact,
    texts: &Texts,
) -> Result<(), String> {
    let fi = fix.file;
    let owner = Owner::Assigned(vec![fix.target_class.clone()]);
    let revs: Vec<&RelFact> = new.files[fi]
        .relationships
        .iter()
        .filter(|r| r.attr == fix.name && r.owner == owner)
        .collect();
    let [rev] = revs.as_slice() else {
        return Err(format!(
            "`{}.{}` is not assigned exactly once",
            fix.target_class, fix.name
        ));
    };
    if rev.scope != 0 || rev.block.is_some() || rev.stmt_range.start < fwd.stmt_range.end {
        return Err(format!(
            "`{}.{}` is not assigned at the top of the module after its forward",
            fix.target_class, fix.name
        ));
    }
    if literal(&rev.kwargs, "back_populates").as_deref() != Some(fwd.attr.as_str()) {
        return Err(format!(
            "`{}.{}` does not name `{}` in `back_populates=`",
            fix.target_class, fix.name, fwd.attr
        ));
    }
    let Owner::Assigned(source) = &fwd.owner else {
        return Err("the forward is not assigned to a class".into());
    };
    if rev.target != TargetArg::Name(source.clone()) {
        return Err(format!(
            "`{}.{}` does not name `{}`, the forward's class",
            fix.target_class,
            fix.name,
            source.join(".")
        ));
    }
    // The class the reverse is assigned to is the forward's target.
    let old_fwd = &old.files[fi].relationships[fix.rel];
    let name = fix.target_class.as_str();
    let made = new.made_class_named(fi, name).ok().flatten();
    let class = match new.lookup(fi, name) {
        Symbol::Class(c) => Some(c),
        _ => None,
    };
    let same = match &old_fwd.target {
        TargetArg::Name(d) => d.len() == 1 && d[0] == name,
        TargetArg::Str(s) => {
            made.as_ref().is_some_and(|m| m.registry_name == *s)
                || class.is_some_and(|c| {
                    new.resolve_class_string(fi, 0, None, s) == crate::index::Resolved::Class(c)
                })
        }
        _ => false,
    };
    if !same {
        return Err(format!(
            "`{name}` is not the class the forward `{}` names",
            fwd.attr
        ));
    }
    // Both classes map what is assigned to them.
    for side in [name, source[0].as_str()] {
        let maps = match (new.made_class_named(fi, side), new.lookup(fi, side)) {
            (Ok(Some(_)), _) => true,
            (Ok(None), Symbol::Class(c)) => !new.declarative_roots(c).is_empty(),
            _ => false,
        };
        if !maps {
            return Err(format!(
                "`{side}` is not shown to map a relationship assigned to it"
            ));
        }
    }
    // Both names are the module's where the reverse is assigned.
    let parsed = texts
        .new
        .get(&fi)
        .ok_or_else(|| format!("`{}` does not parse", new.files[fi].path.display()))?;
    let names = [name, source[0].as_str()];
    for (n, b) in names
        .iter()
        .zip(parsed.bindings_at(rev.stmt_range.start, &names))
    {
        if !b.is_module_level() {
            return Err(format!(
                "`{n}` is not bound by the module where `{name}.{}` is assigned",
                fix.name
            ));
        }
    }
    names::names_resolve(old, new, fix, fwd, rev, &texts.new)?;
    names::moved_values_resolve(old, new, fix, rev, &texts.new, &texts.old)
}
