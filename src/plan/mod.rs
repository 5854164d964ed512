//! One fix per backref pairing, or a diagnostic saying why not.
//!
//! For every `relationship(..., backref=...)` this module resolves the target
//! class, checks that the reverse attribute can be declared there, builds the
//! reverse relationship SQLAlchemy would have generated (see the rules in
//! `reverse_args`), and expresses it as edits: the forward's `backref=` becomes
//! `back_populates=`, the reverse is inserted into the target class body, and
//! the imports the new text needs are listed. It reads only facts and the
//! index; it never parses and never writes.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::codegen::Style;
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::Need;
use crate::facts::*;
use crate::index::{ClassId, Index, MappingId, Resolved, Symbol};
use crate::refusal::{Construct, Refusal};
use crate::syntax::RELATIONSHIP_CALLEES;

mod forward;
mod imperative;
mod mixin;
mod pairing;
mod placement;
mod reverse;
mod sites;
mod typed;

use forward::forward_edit;
pub use pairing::annotation_class;
use pairing::{Basics, basics, class_binds, flavor_of, not_mapped, pairing};
use reverse::build_fix;

/// Replace `range` of a file's source with `text` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: usize,
    pub range: Range<usize>,
    pub text: String,
    /// Insertions that share a slot are joined into one text (entries of a new
    /// `properties={...}` argument that several fixes contribute to).
    pub merge: Option<Merge>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub prefix: String,
    pub separator: String,
    pub suffix: String,
    /// How to lay the call out again when the merged text makes its line too long.
    pub wrap: Option<Box<Wrap>>,
}

/// A one-line mapping call that gets a new `properties` entry: when the line
/// gets too long, the text between the call's parentheses is replaced by the
/// arguments laid out the way black would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrap {
    pub call: OneLineCall,
    /// Indentation of the line the call starts on.
    pub indent: String,
    pub style: Style,
    /// This entry of the new dict: `"name": `, the callee and its arguments.
    pub entry: (String, String, Vec<String>),
}

impl Edit {
    pub fn new(file: usize, range: Range<usize>, text: String) -> Edit {
        Edit {
            file,
            range,
            text,
            merge: None,
        }
    }
}

/// Everything one pairing changes, across files; applied all or nothing.
#[derive(Debug, Clone)]
pub struct Fix {
    pub file: usize,
    pub rel: usize,
    pub name: String,
    pub edits: Vec<Edit>,
    pub needs: Vec<(usize, Need)>,
    /// The class that holds the forward (the class a `declared_attr` runs
    /// for), and the class that receives the reverse with its file.
    pub source_class: String,
    pub target_file: usize,
    pub target_class: String,
    /// The class body that receives the reverse (`None`: an imperative mapping).
    pub target: Option<ClassId>,
    /// A `declared_attr` runs for several classes: the other classes that
    /// receive a reverse, each with its class name and the reverse's name.
    pub also: Vec<(ClassId, String, String)>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub fixes: Vec<Fix>,
    pub diagnostics: Vec<Diagnostic>,
    /// Backref sites seen (excluding ignored ones).
    pub backrefs: usize,
    pub ignored: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Flavor {
    Plain,
    /// Flask-SQLAlchemy's `db.relationship`; the symbol `db` stands for.
    Flask(Symbol),
}

struct Pairing {
    file: usize,
    rel: usize,
    source: Option<ClassId>,
    target: ClassId,
    name: String,
    /// Text after `back_populates=` on the forward.
    forward_value: String,
    flavor: Flavor,
    /// For a `declared_attr` relationship: the mixin it is written in (the
    /// source is then one of the classes it runs for).
    mixin: Option<ClassId>,
}

/// Plan every backref of the index: a fix per pairing that can be proven, a
/// diagnostic per backref that cannot.
pub fn plan(ix: &Index) -> Plan {
    let mut out = Plan::default();
    let found = pairings(ix, &mut out);
    sites::report_uncovered(ix, &mut out);
    declarative_fixes(ix, &found.declarative, &mut out);
    imperative_fixes(ix, &found.imperative, &mut out);
    out.fixes.sort_by_key(|f| (f.file, f.rel));
    sites::suppress(ix, &mut out);
    out
}

/// The pairings found for the backrefs of the index, before fixes are built.
#[derive(Default)]
struct Found {
    declarative: Vec<Pairing>,
    imperative: Vec<imperative::ImperativePairing>,
}

/// Pair every backref of a relationship fact with its target, or refuse it.
fn pairings(ix: &Index, out: &mut Plan) -> Found {
    let mut found = Found::default();
    let readers = sites::backref_readers(ix);
    for (fi, f) in ix.files.iter().enumerate() {
        if f.stub || f.syntax_error.is_some() || f.skip_file {
            continue;
        }
        for (ri, rel) in f.relationships.iter().enumerate() {
            let Some(b) = &rel.backref else { continue };
            if rel.ignored {
                out.ignored += 1;
                continue;
            }
            out.backrefs += 1;
            if let Some(why) = sites::read_elsewhere(f, rel, &readers) {
                out.diagnostics.push(diag(ix, fi, b.pos, why));
                continue;
            }
            let result = match rel.owner {
                Owner::Imperative(mi) => {
                    imperative::pairing(ix, fi, ri, mi).map(|p| found.imperative.push(p))
                }
                _ => match &rel.declared_attr {
                    Some(da) => mixin::pairings(ix, fi, ri, rel, b, da)
                        .map(|ps| found.declarative.extend(ps)),
                    None => pairing(ix, fi, ri, rel, b, None).map(|p| found.declarative.push(p)),
                },
            };
            if let Err(why) = result {
                out.diagnostics.push(diag(ix, fi, b.pos, why));
            }
        }
    }
    found
}

/// Fixes for declarative pairings. Two backrefs creating one name on one class
/// (or a relative) are both refused; the pairings of one declared_attr (one per
/// class it runs for) share the forward, so they migrate together or not at all.
fn declarative_fixes(ix: &Index, pairings: &[Pairing], out: &mut Plan) {
    let mut clashing = HashSet::new();
    for (i, a) in pairings.iter().enumerate() {
        for (j, b) in pairings.iter().enumerate().skip(i + 1) {
            if a.name == b.name && related(ix, a.target, b.target) {
                clashing.insert(i);
                clashing.insert(j);
            }
        }
    }
    for group in forward_groups(pairings) {
        let p = &pairings[group[0]];
        let fixes: Result<Vec<Fix>, Refusal> = group
            .iter()
            .map(|&i| {
                let q = &pairings[i];
                let result = if clashing.contains(&i) {
                    Err(Refusal::DuplicateBackref {
                        class: Some(ix.class(q.target).name.clone()),
                        name: q.name.clone(),
                    })
                } else {
                    build_fix(ix, q)
                };
                result.map_err(|why| match q.mixin {
                    Some(_) => why.for_subclass(&ix.class(q.source.unwrap_or(q.target)).name),
                    None => why,
                })
            })
            .collect();
        match fixes {
            Ok(fixes) => out.fixes.extend(merge_group(fixes)),
            Err(why) => out
                .diagnostics
                .push(diag(ix, p.file, backref_pos(ix, p), why)),
        }
    }
}

/// Runs of consecutive pairings made for one declared_attr forward (a single
/// pairing otherwise), as indexes into `pairings`.
fn forward_groups(pairings: &[Pairing]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, p) in pairings.iter().enumerate() {
        match groups.last_mut() {
            Some(g)
                if p.mixin.is_some()
                    && pairings[g[0]].rel == p.rel
                    && pairings[g[0]].file == p.file =>
            {
                g.push(i)
            }
            _ => groups.push(vec![i]),
        }
    }
    groups
}

/// Fixes for imperative pairings: one name on one mapped class, or on two
/// classes of one hierarchy, is refused for both.
fn imperative_fixes(ix: &Index, pairings: &[imperative::ImperativePairing], out: &mut Plan) {
    let class_of = |q: &imperative::ImperativePairing| {
        let m = &ix.files[q.target_file].mappings[q.target];
        match ix.lookup_dotted_in(q.target_file, m.scope, &m.class) {
            Symbol::Class(c) => Some(c),
            _ => None,
        }
    };
    for (i, p) in pairings.iter().enumerate() {
        let pos = ix.files[p.file].relationships[p.rel]
            .backref
            .as_ref()
            .map_or(Pos::default(), |b| b.pos);
        let clash = pairings.iter().enumerate().any(|(j, q)| {
            i != j
                && q.name == p.name
                && ((q.target_file, q.target) == (p.target_file, p.target)
                    || matches!((class_of(p), class_of(q)), (Some(a), Some(b)) if related(ix, a, b)))
        });
        let result = if clash {
            Err(Refusal::DuplicateBackref {
                class: None,
                name: p.name.clone(),
            })
        } else {
            imperative::build_fix(ix, p)
        };
        match result {
            Ok(fix) => out.fixes.push(fix),
            Err(why) => out.diagnostics.push(diag(ix, p.file, pos, why)),
        }
    }
}

/// One fix for the pairings of one forward: its edit once, every reverse.
/// (`build_fix` puts the forward's edit first.)
fn merge_group(fixes: Vec<Fix>) -> Option<Fix> {
    let mut it = fixes.into_iter();
    let mut first = it.next()?;
    for fix in it {
        first.edits.extend(fix.edits.into_iter().skip(1));
        first.needs.extend(fix.needs);
        if let Some(t) = fix.target {
            first.also.push((t, fix.target_class, fix.name));
        }
    }
    Some(first)
}

fn backref_pos(ix: &Index, p: &Pairing) -> Pos {
    ix.files[p.file].relationships[p.rel]
        .backref
        .as_ref()
        .map_or(Pos::default(), |b| b.pos)
}

fn diag(ix: &Index, fi: usize, pos: Pos, why: Refusal) -> Diagnostic {
    why.at(&ix.files[fi].path, pos)
}

fn related(ix: &Index, a: ClassId, b: ClassId) -> bool {
    a == b || ix.ancestors(a).contains(&b) || ix.descendants(a).contains(&b)
}

/// The backref of a relationship that a pairing was made for (always there).
pub(super) fn backref_of(rel: &RelFact) -> Result<&BackrefFact, Refusal> {
    rel.backref.as_ref().ok_or(Refusal::NoBackref)
}

fn kw<'k>(list: &'k [Kwarg], name: &str) -> Option<&'k Kwarg> {
    list.iter().find(|k| k.name == name)
}
