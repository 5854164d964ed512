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

mod assigned;
mod clash;
mod family;
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
    /// The forwards of the other branches of an `if`/`else` chain that each
    /// declare this forward with the same backref (one runs): migrated by
    /// this fix too, sharing its one reverse.
    pub siblings: Vec<usize>,
}

impl Fix {
    /// The forwards this fix migrates: its own, then its siblings'.
    pub fn forwards(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.rel).chain(self.siblings.iter().copied())
    }

    /// This fix as seen from the forward `rel` of another branch of its
    /// `if` chain: the same edits and reverse, that forward.
    pub fn for_sibling(&self, rel: usize) -> Fix {
        Fix {
            rel,
            edits: self.edits.clone(),
            needs: Vec::new(),
            also: Vec::new(),
            siblings: Vec::new(),
            name: self.name.clone(),
            source_class: self.source_class.clone(),
            target_class: self.target_class.clone(),
            ..*self
        }
    }
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
    /// A function of a `wrapper-families` family: the reverse is the
    /// family's `relationship()`.
    Family(crate::config::Family),
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
    assigned_fixes(ix, found.assigned, &mut out);
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
    /// Fixes of relationships assigned to classes made at run time.
    assigned: Vec<Fix>,
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
            if let Some(fix) = assigned::assigned_fix(ix, fi, ri, rel, b) {
                match fix {
                    Ok(fix) => found.assigned.push(fix),
                    Err(why) => out.diagnostics.push(diag(ix, fi, b.pos, why)),
                }
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

/// Fixes of assigned relationships, but two that create one name on one
/// class are both refused.
fn assigned_fixes(ix: &Index, fixes: Vec<Fix>, out: &mut Plan) {
    let clashing = clash::clashing(
        ix,
        fixes.iter().map(|f| {
            let slot = (f.target_file, f.target_class.as_str());
            (f.name.as_str(), None, slot)
        }),
        |_, _| false,
    );
    for (i, fix) in fixes.into_iter().enumerate() {
        if !clashing.contains(&i) {
            out.fixes.push(fix);
            continue;
        }
        let rel = &ix.files[fix.file].relationships[fix.rel];
        let pos = rel.backref.as_ref().map_or(rel.pos, |b| b.pos);
        out.diagnostics.push(diag(
            ix,
            fix.file,
            pos,
            Refusal::DuplicateBackref {
                class: Some(fix.target_class.clone()),
                name: fix.name.clone(),
            },
        ));
    }
}

/// Fixes for declarative pairings. Two backrefs creating one name on one class
/// (or a relative) are both refused; the pairings of one declared_attr (one per
/// class it runs for) share the forward, so they migrate together or not at all.
fn declarative_fixes(ix: &Index, pairings: &[Pairing], out: &mut Plan) {
    let chains = branch_chains(ix, pairings);
    let siblings = |i: usize, j: usize| chains.get(&i).is_some_and(|g| g.contains(&j));
    let clashing = clash::clashing(
        ix,
        pairings
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), Some(p.target), i)),
        siblings,
    );
    for group in forward_groups(pairings) {
        let p = &pairings[group[0]];
        if let Some(statement) = ix.files[p.file].relationships[p.rel].block {
            let result = match chains.get(&group[0]) {
                Some(chain) if chain[0] != group[0] => continue,
                Some(chain) => branch_fix(ix, pairings, chain, &clashing),
                None if clashing.contains(&group[0]) => Err(Refusal::DuplicateBackref {
                    class: Some(ix.class(p.target).name.clone()),
                    name: p.name.clone(),
                }),
                // The backref's attribute exists only when the branch runs;
                // an unconditional reverse would name a relationship that may not.
                None => Err(Refusal::Site(SiteContext::ClassBodyBlock { statement })),
            };
            match result {
                Ok(fix) => out.fixes.push(fix),
                Err(why) => {
                    // One per forward: each branch's, else this one (a
                    // declared_attr's group shares one forward).
                    for &i in chains.get(&group[0]).map_or(&group[..1], |c| c) {
                        let q = &pairings[i];
                        out.diagnostics
                            .push(diag(ix, q.file, backref_pos(ix, q), why.clone()));
                    }
                }
            }
            continue;
        }
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

/// Pairings whose forwards stand one in each branch of an `if`/`elif`/`else`
/// chain of a class body (so exactly one of them runs), each declaring the
/// same attribute with the same backref to the same class: each pairing's
/// index maps to the whole chain, ordered by branch.
fn branch_chains(ix: &Index, pairings: &[Pairing]) -> HashMap<usize, Vec<usize>> {
    type Key<'a> = (usize, usize, &'a Owner, &'a str, &'a str, ClassId);
    let mut groups: Vec<(Key, Vec<(usize, Branch)>)> = Vec::new();
    for (i, p) in pairings.iter().enumerate() {
        let rel = &ix.files[p.file].relationships[p.rel];
        let exhaustive = |b: &Branch| b.exhaustive || crate::guard::off("branch-exhaustive");
        if let Some(b) = rel.branch.filter(|b| exhaustive(b) && p.mixin.is_none()) {
            let key = (
                p.file,
                b.chain,
                &rel.owner,
                rel.attr.as_str(),
                p.name.as_str(),
                p.target,
            );
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push((i, b)),
                None => groups.push((key, vec![(i, b)])),
            }
        }
    }
    let mut out = HashMap::new();
    for (_, mut members) in groups {
        members.sort_by_key(|(_, b)| b.arm);
        let complete = members
            .iter()
            .enumerate()
            .all(|(k, (_, b))| b.arm == k && b.arms == members.len());
        if complete {
            let chain: Vec<usize> = members.iter().map(|(i, _)| *i).collect();
            for &i in &chain {
                out.insert(i, chain.clone());
            }
        }
    }
    out
}

/// One fix for the forwards of a branch chain: each forward's edit, and the
/// reverse once, when every branch's pairing writes the very same reverse
/// (then the reverse is what the backref creates whichever branch runs).
fn branch_fix(
    ix: &Index,
    pairings: &[Pairing],
    chain: &[usize],
    clashing: &HashSet<usize>,
) -> Result<Fix, Refusal> {
    let first = &pairings[chain[0]];
    if chain.iter().any(|i| clashing.contains(i)) {
        return Err(Refusal::DuplicateBackref {
            class: Some(ix.class(first.target).name.clone()),
            name: first.name.clone(),
        });
    }
    let mut fixes = chain
        .iter()
        .map(|&i| build_fix(ix, &pairings[i]))
        .collect::<Result<Vec<Fix>, Refusal>>()?;
    let mut fix = fixes.remove(0);
    let reverse = fix.edits[1..].to_vec();
    // The backrefs spelled alike too (`"posts"` and `backref("posts")` make
    // the same reverse, but the check compares what is written).
    let f = &ix.files[first.file];
    let spelled = |p: &Pairing| {
        f.relationships[p.rel]
            .backref
            .as_ref()
            .and_then(|b| f.source.get(b.kw_range.clone()))
            .map(crate::syntax::without_blanks)
    };
    for (other, &i) in fixes.into_iter().zip(&chain[1..]) {
        let same_reverse = other.edits[1..] == reverse[..]
            && other.needs == fix.needs
            && spelled(&pairings[i]) == spelled(first);
        if !same_reverse && !crate::guard::off("branch-reverse") {
            return Err(Refusal::BranchReversesDiffer {
                name: first.name.clone(),
            });
        }
        fix.edits.push(other.edits[0].clone());
        fix.siblings.push(other.rel);
    }
    Ok(fix)
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
    let clashing = clash::clashing(
        ix,
        pairings
            .iter()
            .map(|p| (p.name.as_str(), class_of(p), (p.target_file, p.target))),
        |_, _| false,
    );
    for (i, p) in pairings.iter().enumerate() {
        let pos = ix.files[p.file].relationships[p.rel]
            .backref
            .as_ref()
            .map_or(Pos::default(), |b| b.pos);
        let clash = clashing.contains(&i);
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
