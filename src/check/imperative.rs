//! The reverse of a forward in an imperative mapping (`registry.map_imperatively`,
//! `mapper(...)`): an entry of the `properties` dict of the target's mapping,
//! or an `add_property` call the fix wrote, naming the forward and targeting
//! the class mapped with it. No class body is involved, and it does not look
//! at the names the entry's values use.

use crate::facts::{Owner, RelFact, TargetArg};
use crate::index::{Index, Symbol};
use crate::plan::Fix;

use super::literal;

/// What a mapping maps or an entry targets, as written: the file, the scope
/// and the dotted name.
type Named = (usize, usize, Vec<String>);

pub(super) fn imperative_reverse(new: &Index, fix: &Fix, fwd: &RelFact) -> Result<(), String> {
    let tfile = &new.files[fix.target_file];
    let target = class_of(fix.file, fwd);
    let source = mapped(new, fix.file, &fwd.owner);
    // Entries of `properties` dicts: the one of the mapping of the forward's
    // target, which must target the forward's class.
    let entries: Vec<&RelFact> = tfile
        .relationships
        .iter()
        .filter(|r| {
            r.attr == fix.name
                && literal(&r.kwargs, "back_populates").as_deref() == Some(fwd.attr.as_str())
        })
        .filter(|r| {
            runs_with(new, fix, fwd, r)
                && same(new, &mapped(new, fix.target_file, &r.owner), &target)
        })
        .collect();
    match entries.as_slice() {
        [rev] => {
            if !same(new, &class_of(fix.target_file, rev), &source) {
                return Err(format!(
                    "the reverse `{}` does not target the class mapped with `{}`",
                    fix.name, fwd.attr
                ));
            }
            Ok(())
        }
        [] if add_property_written(fix, fwd) => Ok(()),
        [] => Err(format!(
            "no `{}` entry naming `{}` in the mapping of `{}`",
            fix.name, fwd.attr, fix.target_class
        )),
        _ => Err(format!(
            "`{}` is declared more than once in the mapping of `{}`",
            fix.name, fix.target_class
        )),
    }
}

/// What the mapping that owns a relationship maps.
fn mapped(ix: &Index, fi: usize, owner: &Owner) -> Option<Named> {
    match owner {
        Owner::Imperative(mi) => {
            let m = &ix.files[fi].mappings[*mi];
            Some((fi, m.scope, m.class.clone()))
        }
        _ => None,
    }
}

/// What a relationship targets, when it names it.
fn class_of(fi: usize, rel: &RelFact) -> Option<Named> {
    match &rel.target {
        TargetArg::Name(d) | TargetArg::Lambda(d) => Some((fi, rel.scope, d.clone())),
        _ => None,
    }
}

/// Whether two names name one thing, as the index says: a class, or the same
/// variable (`User, Address = self.classes.User, ...`); names bound nowhere
/// the index sees (a `global` set by a fixture) are the same when they are
/// spelled the same in one module.
fn same(ix: &Index, a: &Option<Named>, b: &Option<Named>) -> bool {
    let (Some((fa, sa, da)), Some((fb, sb, db))) = (a, b) else {
        return false;
    };
    match (
        ix.lookup_dotted_in(*fa, *sa, da),
        ix.lookup_dotted_in(*fb, *sb, db),
    ) {
        (Symbol::Unknown, Symbol::Unknown) => fa == fb && da == db,
        (x, y) => x == y,
    }
}

/// Whether an entry runs with the forward's mapping: in one function with it
/// (or around it), or at the top of a module.
fn runs_with(ix: &Index, fix: &Fix, fwd: &RelFact, r: &RelFact) -> bool {
    let encloses = |outer: usize, mut inner: usize| {
        let scopes = &ix.files[fix.file].scopes;
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
    r.scope == 0
        || (fix.target_file == fix.file
            && (encloses(r.scope, fwd.scope) || encloses(fwd.scope, r.scope)))
}

/// An `add_property("name", ...)` call (written where the class is in
/// scope, maybe the forward's module), whose key the text shows.
fn add_property_written(fix: &Fix, fwd: &RelFact) -> bool {
    fix.edits.iter().any(|e| {
        quoted(&fwd.attr)
            .iter()
            .any(|q| e.text.contains(&format!("back_populates={q}")))
            && (e.text.contains(&format!("\"{}\"", fix.name))
                || e.text.contains(&format!("'{}'", fix.name)))
            && e.text.contains("add_property(")
    })
}

fn quoted(s: &str) -> [String; 2] {
    [format!("\"{s}\""), format!("'{s}'")]
}
