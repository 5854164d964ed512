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

mod direction;
mod names;
mod targets;

use std::collections::{BTreeMap, HashSet};

use crate::facts::{
    FileFacts, Kwarg, Owner, PLAIN_DATACLASS_DECORATORS, RelFact, TargetArg, decorator_name,
};
use crate::index::{Index, Symbol};
use crate::plan::Fix;
use crate::syntax::scope::Parsed;
use rayon::prelude::*;

/// The changed files parsed after the edits, and the forwards' files before.
struct Texts<'s> {
    new: BTreeMap<usize, Parsed<'s>>,
    old: BTreeMap<usize, Parsed<'s>>,
}

/// Why each failing fix (by its index in `fixes`) fails.
///
/// `trees` holds the syntax tree of each changed file that parses (as
/// [`crate::syntax::extract_keeping_tree`] read it for `new`).
pub fn check(
    old: &Index,
    new: &Index,
    fixes: &[Fix],
    sources: &BTreeMap<usize, String>,
    mut trees: BTreeMap<usize, tree_sitter::Tree>,
) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    let parsed: BTreeMap<usize, Parsed> = sources
        .iter()
        .filter_map(|(&fi, text)| Some((fi, Parsed::from_tree(text, trees.remove(&fi)?))))
        .collect();
    let file_problem = file_problems(old, new, sources, &parsed);
    // The text before, of the forwards whose values have names to follow.
    let parsed_old: BTreeMap<usize, Parsed> = fixes
        .iter()
        .filter(|fix| {
            let r = &old.files[fix.file].relationships[fix.rel];
            r.backref
                .iter()
                .flat_map(|b| b.kwargs.iter())
                .chain(r.kwargs.iter())
                .any(|k| !k.value.names.is_empty())
        })
        .map(|fix| fix.file)
        .collect::<std::collections::BTreeSet<usize>>()
        .into_par_iter()
        .filter_map(|fi| Some((fi, Parsed::new(&old.files[fi].source)?)))
        .collect();
    let texts = Texts {
        new: parsed,
        old: parsed_old,
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

/// Per changed file: a new syntax error, or an import removed that the file still uses.
fn file_problems(
    old: &Index,
    new: &Index,
    sources: &BTreeMap<usize, String>,
    parsed: &BTreeMap<usize, Parsed>,
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
        let bound_after: HashSet<&str> = after.imports.iter().map(|i| i.bound.as_str()).collect();
        let lost: Vec<&str> = before
            .imports
            .iter()
            .filter(|i| !i.type_checking && !bound_after.contains(i.bound.as_str()))
            .map(|i| i.bound.as_str())
            .collect();
        if lost.is_empty() {
            continue;
        }
        let used = parsed.get(&fi).map(Parsed::used_names).unwrap_or_default();
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
fn forward<'a>(old: &RelFact, new: &'a FileFacts) -> Result<&'a RelFact, String> {
    let same: Vec<&RelFact> = new
        .relationships
        .iter()
        .filter(|r| r.owner == old.owner && r.attr == old.attr)
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

/// The reverse names a fix writes, read from its inserted statements.
fn reverse_names(fix: &Fix) -> Vec<String> {
    fix.edits
        .iter()
        .filter(|e| e.file == fix.target_file && e.range.is_empty() && !e.text.is_empty())
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
    let fwd = forward(old_fwd, &new.files[fix.file])?;
    if fwd.backref.is_some() {
        return Err(format!("the forward `{}` still has `backref=`", fwd.attr));
    }
    if !fwd.kwargs.iter().any(|k| k.name == "back_populates") {
        return Err(format!(
            "the forward `{}` has no `back_populates=`",
            fwd.attr
        ));
    }
    if matches!(fwd.owner, Owner::Imperative(_)) {
        // Imperative reverses are entries of a `properties` dict: their
        // presence is what the facts say; no class body is involved.
        return imperative_reverse(new, fix, fwd);
    }
    let names = reverse_names(fix);
    if names.is_empty() {
        return Err("no reverse relationship was written".into());
    }
    let tfile = &new.files[fix.target_file];
    // A declared_attr runs for every mapped class that inherits it: one
    // reverse each, and that set must be complete.
    if fwd.declared_attr.is_some()
        && let Owner::Class(ci) = fwd.owner
    {
        let runs = mixin_runs(new, (fix.file, ci), &fwd.attr)?;
        if runs != names.len() {
            return Err(format!(
                "the declared_attr `{}` runs for {runs} mapped classes, but {} reverses were written",
                fwd.attr,
                names.len()
            ));
        }
    }
    for name in &names {
        let revs: Vec<&RelFact> = tfile
            .relationships
            .iter()
            .filter(|r| {
                r.attr == *name
                    && matches!(r.owner, Owner::Class(c) if Some((fix.target_file, c)) == fix.target)
            })
            .collect();
        let [rev] = revs.as_slice() else {
            return Err(format!(
                "`{}.{name}` is not declared exactly once",
                fix.target_class
            ));
        };
        let Owner::Class(tci) = rev.owner else {
            continue;
        };
        if literal(&rev.kwargs, "back_populates").as_deref() != Some(fwd.attr.as_str()) {
            return Err(format!(
                "`{}.{name}` does not name `{}` in `back_populates=`",
                fix.target_class, fwd.attr
            ));
        }
        let tclass = &tfile.classes[tci];
        let values = tclass.members.iter().filter(|m| m.binds(name)).count();
        if values != 1 {
            return Err(format!(
                "`{}` binds `{name}` {values} times in its body",
                fix.target_class
            ));
        }
        names::names_resolve(old, new, fix, fwd, rev, &texts.new)?;
        let source = targets::forward_class(new, fix, fwd)?;
        targets::targets_agree(new, fix, fwd, source, rev, (fix.target_file, tci))?;
        names::moved_values_resolve(old, new, fix, rev, &texts.new, &texts.old)?;
        dataclass_kept(new, (fix.target_file, tci), rev)?;
        annotation_agrees(rev)?;
        if let Some(ann) = &rev.annotation {
            let collection =
                direction::reverse_is_collection(new, old_fwd, source, (fix.target_file, tci))
                    .map_err(|why| {
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
        }
    }
    Ok(())
}

fn imperative_reverse(new: &Index, fix: &Fix, fwd: &RelFact) -> Result<(), String> {
    let tfile = &new.files[fix.target_file];
    let names = |r: &&RelFact| {
        r.attr == fix.name
            && literal(&r.kwargs, "back_populates").as_deref() == Some(fwd.attr.as_str())
    };
    // What a mapping maps and what an entry targets, as the names say: a
    // class, or the same variable (`User, Address = self.classes.User, ...`);
    // names bound nowhere the index sees (a `global` set by a fixture) are
    // the same when they are spelled the same in one module.
    let mapped = |fi: usize, owner: &Owner| match owner {
        Owner::Imperative(mi) => {
            let m = &new.files[fi].mappings[*mi];
            Some((fi, m.scope, m.class.clone()))
        }
        _ => None,
    };
    let class_of = |fi: usize, rel: &RelFact| match &rel.target {
        TargetArg::Name(d) | TargetArg::Lambda(d) => Some((fi, rel.scope, d.clone())),
        _ => None,
    };
    let same = |a: &Option<(usize, usize, Vec<String>)>,
                b: &Option<(usize, usize, Vec<String>)>| {
        let (Some((fa, sa, da)), Some((fb, sb, db))) = (a, b) else {
            return false;
        };
        match (
            new.lookup_dotted_in(*fa, *sa, da),
            new.lookup_dotted_in(*fb, *sb, db),
        ) {
            (Symbol::Unknown, Symbol::Unknown) => fa == fb && da == db,
            (x, y) => x == y,
        }
    };
    let target = class_of(fix.file, fwd);
    let source = mapped(fix.file, &fwd.owner);
    // Entries of `properties` dicts: the one of the mapping of the forward's
    // target, which must target the forward's class,
    // and runs with the forward's mapping: in one function with it (or
    // around it), or at the top of a module.
    let encloses = |outer: usize, mut inner: usize| {
        let scopes = &new.files[fix.file].scopes;
        loop {
            if inner == outer {
                return true;
            }
            if inner == 0 {
                return false;
            }
            inner = scopes.get(inner).map_or(0, |s| s.parent);
        }
    };
    let runs_with = |r: &RelFact| {
        r.scope == 0
            || (fix.target_file == fix.file
                && (encloses(r.scope, fwd.scope) || encloses(fwd.scope, r.scope)))
    };
    let entries: Vec<&RelFact> = tfile
        .relationships
        .iter()
        .filter(names)
        .filter(|r| runs_with(r) && same(&mapped(fix.target_file, &r.owner), &target))
        .collect();
    match entries.as_slice() {
        [rev] => {
            if !same(&class_of(fix.target_file, rev), &source) {
                return Err(format!(
                    "the reverse `{}` does not target the class mapped with `{}`",
                    fix.name, fwd.attr
                ));
            }
            Ok(())
        }
        [] => {
            // An `add_property("name", ...)` call (written where the class is
            // in scope, maybe the forward's module), whose key the text shows.
            let found = fix.edits.iter().any(|e| {
                quoted(&fwd.attr)
                    .iter()
                    .any(|q| e.text.contains(&format!("back_populates={q}")))
                    && (e.text.contains(&format!("\"{}\"", fix.name))
                        || e.text.contains(&format!("'{}'", fix.name)))
                    && e.text.contains("add_property(")
            });
            if found {
                Ok(())
            } else {
                Err(format!(
                    "no `{}` entry naming `{}` in the mapping of `{}`",
                    fix.name, fwd.attr, fix.target_class
                ))
            }
        }
        _ => Err(format!(
            "`{}` is declared more than once in the mapping of `{}`",
            fix.name, fix.target_class
        )),
    }
}

fn quoted(s: &str) -> [String; 2] {
    [format!("\"{s}\""), format!("'{s}'")]
}

/// How many mapped classes run the declared_attr `attr` of class `mixin`:
/// the class itself when mapped, else each mapped descendant that does not
/// give the attribute a value of its own and has no mapped ancestor that
/// already ran it.
fn mixin_runs(ix: &Index, mixin: (usize, usize), attr: &str) -> Result<usize, String> {
    let mapped = |c: (usize, usize)| {
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
    let family: Vec<(usize, usize)> = ix.descendants(mixin);
    for &c in std::iter::once(&mixin).chain(family.iter()) {
        let name = &ix.class(c).name;
        if ix.type_call_naming(name).is_some() || ix.class(c).scope != 0 {
            return Err(format!(
                "classes inheriting `{name}` may be made at run time; the reverses the declared_attr `{attr}` needs cannot be listed"
            ));
        }
    }
    let own_value = |c: (usize, usize)| ix.class(c).members.iter().any(|m| m.binds(attr));
    let mut runs = 0;
    for &d in &family {
        if !mapped(d) || own_value(d) {
            continue;
        }
        let ran_above = ix
            .ancestors(d)
            .into_iter()
            .any(|a| a != mixin && mapped(a) && ix.ancestors(a).contains(&mixin));
        if !ran_above {
            runs += 1;
        }
    }
    Ok(runs)
}

/// A mapped dataclass keeps its `__init__`: SQLAlchemy's own dataclasses
/// need `init=False` on an annotated reverse; a plain `@dataclass` turns an
/// annotated one into a field.
fn dataclass_kept(ix: &Index, target: (usize, usize), rev: &RelFact) -> Result<(), String> {
    let mut native = false;
    let mut plain = false;
    for c in std::iter::once(target).chain(ix.ancestors(target)) {
        let k = ix.class(c);
        native |= k
            .bases
            .iter()
            .any(|b| b.last().is_some_and(|l| l == "MappedAsDataclass"))
            || k.decorators
                .iter()
                .any(|d| decorator_name(d) == "mapped_as_dataclass");
        plain |= k
            .decorators
            .iter()
            .any(|d| PLAIN_DATACLASS_DECORATORS.contains(&decorator_name(d)));
    }
    if native
        && rev.annotation.is_some()
        && literal(&rev.kwargs, "init").as_deref() != Some("False")
    {
        return Err(format!(
            "`{}` is a mapped dataclass and the reverse `{}` lacks `init=False`: `__init__` would change",
            ix.class(target).name,
            rev.attr
        ));
    }
    if plain && !native && rev.annotation.is_some() {
        return Err(format!(
            "`{}` is a dataclass: the annotated reverse `{}` would become an `__init__` field",
            ix.class(target).name,
            rev.attr
        ));
    }
    Ok(())
}

/// A `Mapped[...]` annotation agrees with what the reverse's arguments make
/// of it: the loader (`DynamicMapped`, `WriteOnlyMapped`), the collection
/// class (list, set, dict for keyed collections), a scalar for `uselist=False`.
fn annotation_agrees(rev: &RelFact) -> Result<(), String> {
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
fn is_collection(ann: &str) -> bool {
    let (outer, kind) = annotation_shape(ann);
    outer != "Mapped" || kind != "scalar"
}
