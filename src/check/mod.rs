//! The check stage: every pairing the planner migrated is verified again on
//! the rewritten text, before anything is shown or written.
//!
//! The changed files are parsed again and indexed with the unchanged ones;
//! then, per pairing, from that text alone: the file parses and keeps the
//! imports it still uses; the forward lost its `backref=` and names its
//! reverse with `back_populates=`; each reverse stands once on the target
//! class with `back_populates=` naming the forward; a declared_attr mixin has
//! one reverse per mapped class that runs it (classes made at run time make
//! that unprovable); the names the reverse uses (its callee, the names of its
//! annotation) mean, at its place, SQLAlchemy's, typing's or the builtins'
//! (class-body and module rebinding taken into account, see
//! [`crate::syntax::scope`]); a mapped dataclass keeps its `__init__`; a
//! `Mapped[...]` annotation agrees with the collection and direction the
//! arguments give. It shares no decision with the planner: a guard missing
//! there is caught here (the tests turn the guards off one by one).
//!
//! A pairing that fails is withdrawn in all its files (BP013) by the caller.

mod annotation;
mod assigned;
mod direction;
mod imperative;
mod names;
mod targets;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use crate::apply::Read;
use crate::facts::{
    FileFacts, Kwarg, Owner, PLAIN_DATACLASS_DECORATORS, RelFact, TargetArg, decorator_name,
};
use crate::index::{ClassId, Index};
use crate::plan::Fix;
use crate::syntax::scope::{Bound, Parsed};
use rayon::prelude::*;

/// The changed files read after the edits, and the forwards' files before.
struct Texts<'s> {
    new: BTreeMap<usize, &'s Parsed>,
    old: BTreeMap<usize, &'s Parsed>,
}

/// Why each failing fix (by its index in `fixes`) fails.
///
/// `read` holds each changed file's new text as apply read it (its facts are
/// `new`'s); `before` the scopes of a file's text before, where they were
/// read already (of every file [`reads_text_before`] names).
pub fn check<'p>(
    old: &Index,
    new: &Index,
    fixes: &[Fix],
    sources: &BTreeMap<usize, String>,
    read: &'p BTreeMap<usize, Read>,
    before: &dyn Fn(usize) -> Option<&'p Parsed>,
) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    let parsed: BTreeMap<usize, &Parsed> = read.iter().map(|(&fi, r)| (fi, &r.parsed)).collect();
    let file_problem = file_problems(old, new, sources, &parsed);
    // The text before, of the forwards whose values have names to follow.
    let files = &old.files;
    let wanted: std::collections::BTreeSet<usize> = fixes
        .iter()
        .filter(|fix| {
            let f = &old.files[fix.file];
            fix.forwards()
                .any(|rel| names_to_follow(&f.relationships[rel]))
        })
        .map(|fix| fix.file)
        .collect();
    // Read when the file was parsed up front, else now.
    let parsed_old: BTreeMap<usize, Parsed> = (wanted.iter())
        .filter(|&&fi| before(fi).is_none())
        .copied()
        .collect::<Vec<usize>>()
        .into_par_iter()
        .filter_map(|fi| Some((fi, Parsed::new(&files[fi].source)?)))
        .collect();
    let texts = Texts {
        new: parsed,
        old: (wanted.iter())
            .filter_map(|&fi| Some((fi, before(fi).or_else(|| parsed_old.get(&fi))?)))
            .collect(),
    };
    for (i, fix) in fixes.iter().enumerate() {
        let mut files: Vec<usize> = fix.edits.iter().map(|e| e.file).collect();
        files.dedup();
        if let Some(why) = files.iter().find_map(|f| file_problem.get(f)) {
            out.insert(i, why.clone());
            continue;
        }
        if let Err(why) = check_fix(old, new, fix, &texts) {
            out.insert(i, why);
        }
    }
    out
}

/// Whether the check reads the text before of a file (to follow the names
/// in a forward's values to where they were bound): a relationship of it has
/// a backref and a value that names something.
pub fn reads_text_before(f: &FileFacts) -> bool {
    (f.relationships.iter()).any(|r| r.backref.is_some() && names_to_follow(r))
}

/// Whether a relationship's values (or its `backref(...)`'s) name something.
fn names_to_follow(r: &RelFact) -> bool {
    (r.backref.iter())
        .flat_map(|b| b.kwargs.iter())
        .chain(r.kwargs.iter())
        .any(|k| !k.value.names.is_empty())
}

/// The names a file's imports bound before (outside `TYPE_CHECKING`) that
/// no import binds after: the check asks whether the new text still uses
/// them (so apply reads the names a new text uses only when this is not empty).
pub fn lost_imports<'f>(before: &'f FileFacts, after: &FileFacts) -> Vec<&'f str> {
    let bound_after: HashSet<&str> = after.imports.iter().map(|i| i.bound.as_str()).collect();
    (before.imports.iter())
        .filter(|i| !i.type_checking && !bound_after.contains(i.bound.as_str()))
        .map(|i| i.bound.as_str())
        .collect()
}

/// Per changed file: a new syntax error, or an import removed that the file still uses.
fn file_problems(
    old: &Index,
    new: &Index,
    sources: &BTreeMap<usize, String>,
    parsed: &BTreeMap<usize, &Parsed>,
) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    for &fi in sources.keys() {
        let (before, after) = (&old.files[fi], &new.files[fi]);
        if after.syntax_error.is_some() && before.syntax_error.is_none() {
            out.insert(fi, format!("`{}` would not parse", before.path.display()));
            continue;
        }
        let names = |f: &FileFacts| f.classes.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        if names(before) != names(after) {
            out.insert(
                fi,
                format!(
                    "`{}` would not define the same classes",
                    before.path.display()
                ),
            );
            continue;
        }
        let lost = lost_imports(before, after);
        if lost.is_empty() {
            continue;
        }
        let used = parsed.get(&fi).map(|p| p.used_names()).unwrap_or_default();
        if let Some(name) = lost.iter().find(|n| used.contains(**n)) {
            out.insert(
                fi,
                format!(
                    "`{}` would lose the import of `{name}`, which it still uses",
                    before.path.display()
                ),
            );
        }
    }
    out
}

/// The value of keyword `key` as written, without surrounding quotes.
fn literal(kwargs: &[Kwarg], key: &str) -> Option<String> {
    kwargs.iter().find(|k| k.name == key).map(|k| {
        k.value
            .text
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string()
    })
}

/// The new fact of the forward: same owner, same attribute.
fn forward<'a>(old: &RelFact, new: &'a Index, fi: usize) -> Result<&'a RelFact, String> {
    let same: Vec<&RelFact> = (new.relationships_of(fi, &old.owner, &old.attr).iter())
        .map(|&ri| &new.files[fi].relationships[ri])
        .filter(|r| r.branch.map(|b| b.arm) == old.branch.map(|b| b.arm))
        .collect();
    match same.as_slice() {
        [r] => Ok(r),
        [] => Err(format!("the forward `{}` is not found again", old.attr)),
        _ => Err(format!(
            "the forward `{}` is found more than once",
            old.attr
        )),
    }
}

/// The reverse names a fix writes, read from its inserted statements (or
/// the whole lines they replace: a `= None` placeholder).
fn reverse_names(fix: &Fix) -> Vec<String> {
    fix.edits
        .iter()
        .filter(|e| {
            e.file == fix.target_file
                && !e.text.is_empty()
                && (e.range.is_empty() || e.text.ends_with('\n'))
        })
        .filter(|e| !e.text.trim_start().starts_with("back_populates="))
        .filter_map(|e| {
            let t = e.text.trim_start();
            let t = t.trim_start_matches(['"', '\'']);
            let name: String = t
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

fn check_fix(old: &Index, new: &Index, fix: &Fix, texts: &Texts) -> Result<(), String> {
    let old_fwd = &old.files[fix.file].relationships[fix.rel];
    let fwd = migrated_forward(old_fwd, new, fix.file)?;
    if matches!(fwd.owner, Owner::Imperative(_)) {
        // Imperative reverses are entries of a `properties` dict: their
        // presence is what the facts say; no class body is involved.
        return imperative::imperative_reverse(new, fix, fwd);
    }
    if matches!(fwd.owner, Owner::Assigned(_)) {
        // Assigned at the top of the module, not in a block that may not run.
        let source = &new.files[fix.file].source;
        if crate::syntax::line_start(source, fwd.stmt_range.start) != fwd.stmt_range.start {
            return Err(format!(
                "the forward `{}` is assigned inside a block of the module",
                fwd.attr
            ));
        }
    }
    if fix.target.is_none() && matches!(fwd.owner, Owner::Assigned(_)) {
        return assigned::assigned_reverse(old, new, fix, fwd, texts);
    }
    let names = reverse_names(fix);
    if names.is_empty() {
        return Err("no reverse relationship was written".into());
    }
    if let Some(parsed) = texts.new.get(&fix.file)
        && fwd.declared_attr.is_none()
    {
        forward_stands(parsed, new, fix.file, fwd)?;
    }
    // A declared_attr runs for every mapped class that inherits it: one
    // reverse each, and that set must be complete.
    if let Some(da) = &fwd.declared_attr
        && let Owner::Class(ci) = fwd.owner
    {
        if da.other_exit {
            return Err(format!(
                "the declared_attr `{}` may return before its relationship",
                fwd.attr
            ));
        }
        let runs = mixin_runs(new, ClassId::new(fix.file, ci), &fwd.attr, &da.guards)?;
        let written = names.len()
            + fix
                .also
                .iter()
                .filter(|(c, ..)| c.file != fix.target_file)
                .count();
        if runs != written {
            return Err(format!(
                "the declared_attr `{}` runs for {runs} mapped classes, but {written} reverses were written",
                fwd.attr,
            ));
        }
        // Each reverse in the class it was written for.
        class_reverse(old, new, fix, fwd, &fix.name, texts)?;
        for (c, class, name) in &fix.also {
            let view = Fix {
                target_file: c.file,
                target_class: class.clone(),
                target: Some(*c),
                edits: Vec::new(),
                needs: Vec::new(),
                also: Vec::new(),
                siblings: Vec::new(),
                name: name.clone(),
                source_class: fix.source_class.clone(),
                ..*fix
            };
            class_reverse(old, new, &view, fwd, name, texts)?;
        }
        return Ok(());
    }
    for name in &names {
        class_reverse(old, new, fix, fwd, name, texts)?;
    }
    // The forwards of the other branches of its `if` chain share the reverse.
    if !fix.siblings.is_empty() {
        let chain = |r: &RelFact| r.branch.filter(|b| b.exhaustive).map(|b| b.arms);
        let arms = chain(old_fwd);
        if arms != Some(fix.siblings.len() + 1) {
            return Err(format!(
                "the forward `{}` is not in one branch of an `if`/`else` chain of {} branches",
                fwd.attr,
                fix.siblings.len() + 1
            ));
        }
        for &sibling in &fix.siblings {
            let old_sibling = &old.files[fix.file].relationships[sibling];
            if chain(old_sibling) != arms || old_sibling.attr != old_fwd.attr {
                return Err(format!(
                    "the forward `{}` of another branch is not the same attribute",
                    old_sibling.attr
                ));
            }
            same_backref_inputs(&old.files[fix.file].source, old_fwd, old_sibling)?;
            let sibling_fwd = migrated_forward(old_sibling, new, fix.file)?;
            let view = fix.for_sibling(sibling);
            for name in &names {
                class_reverse(old, new, &view, sibling_fwd, name, texts)?;
            }
        }
    }
    Ok(())
}

/// The forward in a class body is what the class ends up with under its
/// name (no later `del` or other value), and the name of its target is not
/// one the class body binds (then it would not be the module's class).
fn forward_stands(parsed: &Parsed, new: &Index, fi: usize, fwd: &RelFact) -> Result<(), String> {
    let forwards: Vec<&Range<usize>> = (new.relationships_of(fi, &fwd.owner, &fwd.attr).iter())
        .map(|&ri| &new.files[fi].relationships[ri].stmt_range)
        .collect();
    let at = fwd.stmt_range.start;
    if parsed
        .class_binds(at, &fwd.attr)
        .iter()
        .any(|o| *o > at && !forwards.iter().any(|r| r.contains(o)))
    {
        return Err(format!(
            "the class body binds or deletes `{}` besides the relationship",
            fwd.attr
        ));
    }
    if let TargetArg::Name(d) = &fwd.target
        && let Some(head) = d.first()
        && matches!(
            parsed.bindings_at(at, &[head.as_str()]).first(),
            Some(Bound::ClassLocal { .. } | Bound::Ambiguous)
        )
    {
        return Err(format!(
            "the target `{}` is a name the class body binds",
            d.join(".")
        ));
    }
    Ok(())
}

/// What SQLAlchemy builds a backref from, besides the target (checked with
/// the reverse): the `backref=` argument itself and the forward's arguments
/// the backref inherits. Two forwards that agree on these get the same
/// reverse.
fn same_backref_inputs(source: &str, a: &RelFact, b: &RelFact) -> Result<(), String> {
    const INHERITED: [&str; 8] = [
        "secondary",
        "primaryjoin",
        "secondaryjoin",
        "foreign_keys",
        "viewonly",
        "post_update",
        "passive_updates",
        "sync_backref",
    ];
    let text = |r: Option<Range<usize>>| {
        r.and_then(|r| source.get(r))
            .map(crate::syntax::without_blanks)
    };
    let backref = |r: &RelFact| text(r.backref.as_ref().map(|b| b.kw_range.clone()));
    let inherited = |r: &RelFact| -> Vec<(String, Option<String>)> {
        INHERITED
            .iter()
            .map(|k| {
                let kw = r.kwargs.iter().find(|kw| kw.name == *k);
                (k.to_string(), text(kw.map(|kw| kw.range.clone())))
            })
            .collect()
    };
    if backref(a) != backref(b)
        || inherited(a) != inherited(b)
        || a.has_star_kwargs
        || b.has_star_kwargs
    {
        return Err(format!(
            "the forwards `{}` of the branches do not give the same backref",
            a.attr
        ));
    }
    Ok(())
}

/// The forward, found again in its new text: without `backref=`, with
/// `back_populates=`.
fn migrated_forward<'a>(
    old_fwd: &RelFact,
    new: &'a Index,
    fi: usize,
) -> Result<&'a RelFact, String> {
    let fwd = forward(old_fwd, new, fi)?;
    if fwd.backref.is_some() {
        return Err(format!("the forward `{}` still has `backref=`", fwd.attr));
    }
    if !fwd.kwargs.iter().any(|k| k.name == "back_populates") {
        return Err(format!(
            "the forward `{}` has no `back_populates=`",
            fwd.attr
        ));
    }
    Ok(fwd)
}

/// The reverse `name` in the target's class body: declared once, naming the
/// forward, its names meaning what they must, both halves pointing at each
/// other, the class's `__init__` kept and its annotation agreeing with its
/// arguments and its direction.
fn class_reverse(
    old: &Index,
    new: &Index,
    fix: &Fix,
    fwd: &RelFact,
    name: &str,
    texts: &Texts,
) -> Result<(), String> {
    let tfile = &new.files[fix.target_file];
    let owner = fix
        .target
        .filter(|t| t.file == fix.target_file)
        .map(|t| Owner::Class(t.class));
    let revs: Vec<&RelFact> = owner
        .iter()
        .flat_map(|o| new.relationships_of(fix.target_file, o, name))
        .map(|&ri| &tfile.relationships[ri])
        .collect();
    let [rev] = revs.as_slice() else {
        return Err(format!(
            "`{}.{name}` is not declared exactly once",
            fix.target_class
        ));
    };
    let Owner::Class(tci) = rev.owner else {
        return Ok(());
    };
    if literal(&rev.kwargs, "back_populates").as_deref() != Some(fwd.attr.as_str()) {
        return Err(format!(
            "`{}.{name}` does not name `{}` in `back_populates=`",
            fix.target_class, fwd.attr
        ));
    }
    let values = tfile.classes[tci]
        .members
        .iter()
        .filter(|m| m.binds(name))
        .count();
    if values != 1 {
        return Err(format!(
            "`{}` binds `{name}` {values} times in its body",
            fix.target_class
        ));
    }
    let target = ClassId::new(fix.target_file, tci);
    names::names_resolve(old, new, fix, fwd, rev, &texts.new)?;
    let source = targets::forward_class(new, fix, fwd)?;
    targets::targets_agree(new, fix, fwd, source, rev, target)?;
    names::moved_values_resolve(old, new, fix, rev, &texts.new, &texts.old)?;
    dataclass_kept(new, target, rev)?;
    annotation::annotation_agrees(rev)?;
    let old_fwd = &old.files[fix.file].relationships[fix.rel];
    direction::annotation_direction(new, old_fwd, source, target, rev)
}

/// How many mapped classes run the declared_attr `attr` of class `mixin`:
/// the class itself when mapped, else each mapped descendant that does not
/// give the attribute a value of its own and has no mapped ancestor that
/// already ran it.
fn mixin_runs(
    ix: &Index,
    mixin: ClassId,
    attr: &str,
    guards: &[(String, bool)],
) -> Result<usize, String> {
    let mapped = |c: ClassId| {
        let k = ix.class(c);
        !k.abstract_
            && ix.root(c).is_some()
            && std::iter::once(c).chain(ix.ancestors(c)).any(|a| {
                let x = ix.class(a);
                x.tablename.is_some()
                    || x.members.iter().any(|m| {
                        m.names
                            .iter()
                            .any(|n| n == "__table__" || n == "__tablename__")
                    })
            })
    };
    if mapped(mixin) {
        return Ok(1);
    }
    let family: Vec<ClassId> = ix.descendants(mixin);
    for &c in std::iter::once(&mixin).chain(family.iter()) {
        let name = &ix.class(c).name;
        if ix.type_call_naming(name).is_some() || ix.class(c).scope != 0 {
            return Err(format!(
                "classes inheriting `{name}` may be made at run time; the reverses the declared_attr `{attr}` needs cannot be listed"
            ));
        }
    }
    let own_value = |c: ClassId| ix.class(c).members.iter().any(|m| m.binds(attr));
    let mut runs = 0;
    for &d in &family {
        if !mapped(d) || own_value(d) {
            continue;
        }
        let ran_above = ix
            .ancestors(d)
            .into_iter()
            .any(|a| a != mixin && mapped(a) && ix.ancestors(a).contains(&mixin));
        if !ran_above && !returns_early(ix, d, guards)? {
            runs += 1;
        }
    }
    Ok(runs)
}

/// Whether a guard `if (not) cls.flag: return` of the declared_attr returns
/// for class `d`: the flag is read from `d` or the first of its ancestors
/// that assigns it, which must assign it once, `True` or `False`.
fn returns_early(ix: &Index, d: ClassId, guards: &[(String, bool)]) -> Result<bool, String> {
    for (flag, when_true) in guards {
        let setter = std::iter::once(d)
            .chain(ix.ancestors(d))
            .find(|&a| ix.class(a).members.iter().any(|m| m.names.contains(flag)));
        let value = setter.and_then(|a| {
            let k = ix.class(a);
            let assigned = k.members.iter().filter(|m| m.names.contains(flag)).count();
            let values: Vec<bool> = k
                .bool_attrs
                .iter()
                .filter(|(n, _)| n == flag)
                .map(|(_, v)| *v)
                .collect();
            match (assigned, values.as_slice()) {
                (1, [v]) => Some(*v),
                _ => None,
            }
        });
        match value {
            Some(v) if v == *when_true => return Ok(true),
            Some(_) => {}
            None => {
                return Err(format!(
                    "`{}.{flag}` decides whether the declared_attr returns early and is not `True` or `False`",
                    ix.class(d).name
                ));
            }
        }
    }
    Ok(false)
}

/// A dataclass keeps its fields: in SQLAlchemy's own dataclasses as in a
/// plain `@dataclass`, an annotated reverse would become a field (of
/// `__init__`, `__repr__`, `__eq__`, `fields()`, `asdict()`), which the
/// backref's attribute was not.
fn dataclass_kept(ix: &Index, target: ClassId, rev: &RelFact) -> Result<(), String> {
    let mut dataclass = false;
    for c in std::iter::once(target).chain(ix.ancestors(target)) {
        let k = ix.class(c);
        dataclass |= k
            .bases
            .iter()
            .any(|b| b.last().is_some_and(|l| l == "MappedAsDataclass"))
            || k.decorators.iter().any(|d| {
                decorator_name(d) == "mapped_as_dataclass"
                    || PLAIN_DATACLASS_DECORATORS.contains(&decorator_name(d))
            });
    }
    if dataclass && rev.annotation.is_some() {
        return Err(format!(
            "`{}` is a dataclass: the annotated reverse `{}` would become a dataclass field",
            ix.class(target).name,
            rev.attr
        ));
    }
    Ok(())
}
