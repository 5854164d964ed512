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
use crate::index::{ClassId, Index, Resolved, Symbol};
use crate::refusal::{Construct, Refusal};
use crate::syntax::RELATIONSHIP_CALLEES;

mod imperative;
mod mixin;
mod placement;
mod reverse;
mod typed;

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

pub fn plan(ix: &Index) -> Plan {
    let mut out = Plan::default();
    let mut pairings = Vec::new();
    let mut imperative_pairings = Vec::new();
    let readers = backref_readers(ix);
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
            let class = match &rel.owner {
                Owner::Class(ci) => f.classes.get(*ci).map(|c| c.name.as_str()),
                Owner::Assigned(chain) => chain.last().map(String::as_str),
                Owner::Imperative(mi) => f
                    .mappings
                    .get(*mi)
                    .and_then(|m| m.class.last())
                    .map(String::as_str),
            };
            if let Some((path, r)) = class.and_then(|c| readers.get(&(c, rel.attr.as_str()))) {
                let why = Refusal::BackrefRead {
                    class: r.class.join("."),
                    attr: rel.attr.clone(),
                    function: r.function.clone(),
                    path: path.to_path_buf(),
                    pos: r.pos,
                };
                out.diagnostics.push(diag(ix, fi, b.pos, why));
                continue;
            }
            let result = match rel.owner {
                Owner::Imperative(mi) => {
                    imperative::pairing(ix, fi, ri, mi).map(|p| imperative_pairings.push(p))
                }
                _ => match &rel.declared_attr {
                    Some(da) => {
                        mixin::pairings(ix, fi, ri, rel, b, da).map(|ps| pairings.extend(ps))
                    }
                    None => pairing(ix, fi, ri, rel, b, None).map(|p| pairings.push(p)),
                },
            };
            if let Err(why) = result {
                out.diagnostics.push(diag(ix, fi, b.pos, why));
            }
        }
    }
    // Backrefs in places no fact covers (imperative mappings, classes built in functions).
    for (fi, f) in ix.files.iter().enumerate() {
        if f.stub || f.syntax_error.is_some() || f.skip_file {
            continue;
        }
        let covered: HashSet<usize> = f
            .relationships
            .iter()
            .filter_map(|r| r.backref.as_ref().map(|b| b.kw_range.start))
            .collect();
        for site in &f.backref_sites {
            if covered.contains(&site.offset) || !is_relationship_site(ix, fi, &site.callee) {
                continue;
            }
            let line_start = crate::syntax::line_start(&f.source, site.offset);
            let line_end = crate::syntax::line_end(&f.source, site.offset);
            match crate::syntax::suppression(&f.source[line_start..line_end]) {
                Some(None) => {
                    out.ignored += 1;
                    continue;
                }
                Some(Some(codes)) if codes.iter().any(|c| Code::UnsupportedSite.is_named_by(c)) => {
                    out.ignored += 1;
                    continue;
                }
                _ => {}
            }
            out.backrefs += 1;
            out.diagnostics
                .push(diag(ix, fi, site.pos, Refusal::Site(site.context)));
        }
    }
    // Two backrefs creating one name on one class (or a relative) are both refused.
    let mut clashing = HashSet::new();
    for (i, a) in pairings.iter().enumerate() {
        for (j, b) in pairings.iter().enumerate().skip(i + 1) {
            if a.name == b.name && related(ix, a.target, b.target) {
                clashing.insert(i);
                clashing.insert(j);
            }
        }
    }
    // The pairings of one declared_attr (one per class it runs for) share the
    // forward: they migrate together or not at all.
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
    for group in groups {
        let p = &pairings[group[0]];
        let pos = backref_pos(ix, p);
        let mut fixes: Vec<Fix> = Vec::new();
        let mut refusal = None;
        for &i in &group {
            let q = &pairings[i];
            let result = if clashing.contains(&i) {
                Err(Refusal::DuplicateBackref {
                    class: Some(ix.class(q.target).name.clone()),
                    name: q.name.clone(),
                })
            } else {
                build_fix(ix, q)
            };
            match result {
                Ok(fix) => fixes.push(fix),
                Err(why) => {
                    refusal = Some(match q.mixin {
                        Some(_) => why.for_subclass(&ix.class(q.source.unwrap_or(q.target)).name),
                        None => why,
                    });
                    break;
                }
            }
        }
        match refusal {
            Some(why) => out.diagnostics.push(diag(ix, p.file, pos, why)),
            None => out.fixes.extend(merge_group(fixes)),
        }
    }
    for (i, p) in imperative_pairings.iter().enumerate() {
        let pos = ix.files[p.file].relationships[p.rel]
            .backref
            .as_ref()
            .map_or(Pos::default(), |b| b.pos);
        // One name on one mapped class, or on two classes of one hierarchy.
        let class_of = |q: &imperative::ImperativePairing| {
            let m = &ix.files[q.target_file].mappings[q.target];
            match ix.lookup_dotted_in(q.target_file, m.scope, &m.class) {
                Symbol::Class(c) => Some(c),
                _ => None,
            }
        };
        let clash = imperative_pairings.iter().enumerate().any(|(j, q)| {
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
    out.fixes.sort_by_key(|f| (f.file, f.rel));
    suppress(ix, &mut out);
    out
}

/// The lines of a relationship statement and the codes its comment ignores.
type IgnoredSpan<'a> = (usize, usize, &'a [String]);

/// Drop the diagnostics that a `# backpop: ignore[CODE]` on their relationship
/// names (they count as ignored, not as unmigrated).
fn suppress(ix: &Index, out: &mut Plan) {
    let mut spans: HashMap<&std::path::Path, Vec<IgnoredSpan>> = HashMap::new();
    for f in ix.files {
        for r in f
            .relationships
            .iter()
            .filter(|r| !r.ignored_codes.is_empty())
        {
            let first = f.pos_of(r.stmt_range.start).line;
            let last = f.pos_of(r.stmt_range.end).line;
            spans
                .entry(f.path.as_path())
                .or_default()
                .push((first, last, &r.ignored_codes));
        }
    }
    if spans.is_empty() {
        return;
    }
    let before = out.diagnostics.len();
    out.diagnostics.retain(|d| {
        !spans.get(d.path.as_path()).is_some_and(|s| {
            s.iter().any(|(first, last, codes)| {
                (*first..=*last).contains(&d.pos.line)
                    && codes.iter().any(|c| d.code.is_named_by(c))
            })
        })
    });
    let dropped = before - out.diagnostics.len();
    out.ignored += dropped;
    out.backrefs -= dropped.min(out.backrefs);
}

/// One fix for the pairings of one forward: its edit once, every reverse.
/// (`build_fix` puts the forward's edit first.)
fn merge_group(fixes: Vec<Fix>) -> Option<Fix> {
    let mut it = fixes.into_iter();
    let mut first = it.next()?;
    for fix in it {
        first.edits.extend(fix.edits.into_iter().skip(1));
        first.needs.extend(fix.needs);
    }
    Some(first)
}

/// A call that may be SQLAlchemy's relationship(): a known spelling, or a name the tool cannot resolve.
fn is_relationship_site(ix: &Index, fi: usize, callee: &[String]) -> bool {
    let Some(last) = callee.last() else {
        return false;
    };
    RELATIONSHIP_CALLEES.contains(&last.as_str())
        || flavor_of(ix, fi, 0, callee, RELATIONSHIP_CALLEES).is_some()
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

/// What a callee means: a SQLAlchemy relationship constructor, in which flavor.
fn flavor_of(
    ix: &Index,
    fi: usize,
    scope: usize,
    callee: &[String],
    names: &[&str],
) -> Option<Flavor> {
    let last = callee.last()?;
    // Functions the configuration declares to be `relationship()` or
    // `backref()` under another name (project wrappers).
    let settings = ix.settings(fi);
    let extra = |wanted: &str, declared: &[String]| {
        names.contains(&wanted) && declared.iter().any(|d| d == last)
    };
    if extra("relationship", &settings.extra_relationship_names)
        || extra("backref", &settings.extra_backref_names)
    {
        return Some(Flavor::Plain);
    }
    if callee.len() >= 2 {
        if !names.contains(&last.as_str()) {
            return None;
        }
        let head = ix.lookup_dotted_in(fi, scope, &callee[..callee.len() - 1]);
        match &head {
            Symbol::Binding(bf, bi) if ix.is_flask_db(*bf, *bi) => {
                return Some(Flavor::Flask(head));
            }
            Symbol::External { module, name } => {
                let full = match name {
                    Some(n) => format!("{module}.{n}"),
                    None => module.clone(),
                };
                return Some(if full == "sqlalchemy" || full.starts_with("sqlalchemy.") {
                    Flavor::Plain
                } else {
                    // `db` imported from outside the tree: keep the spelling.
                    Flavor::Flask(head)
                });
            }
            _ => return None,
        }
    }
    match ix.lookup_in(fi, scope, last) {
        Symbol::External {
            module,
            name: Some(n),
        } if module.starts_with("sqlalchemy") && names.contains(&n.as_str()) => Some(Flavor::Plain),
        _ => None,
    }
}

/// What every backref needs before its target is looked at: a recognised
/// constructor, a static name, readable arguments.
pub(super) struct Basics {
    pub name: String,
    /// Text after `back_populates=` on the forward.
    pub forward_value: String,
    pub flavor: Flavor,
}

pub(super) fn basics(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    b: &BackrefFact,
) -> Result<Basics, Refusal> {
    let callee = rel.callee.join(".");
    let Some(mut flavor) = flavor_of(ix, fi, rel.scope, &rel.callee, RELATIONSHIP_CALLEES) else {
        return Err(Refusal::Unrecognised {
            callee,
            what: Construct::Relationship,
        });
    };
    let (name, forward_value) = match &b.name {
        BackrefName::Literal(s) => (s.clone(), String::new()),
        BackrefName::Constant(c) => match ix.lookup_in(fi, rel.scope, c) {
            Symbol::Binding(bf, bi) => match &ix.files[bf].bindings[bi].kind {
                BindingKind::StrConst(v) => (v.clone(), c.clone()),
                _ => return Err(Refusal::NameNotConstant { name: c.clone() }),
            },
            _ => return Err(Refusal::NameNotKnown { name: c.clone() }),
        },
        BackrefName::Dynamic(t) => return Err(Refusal::NameComputed { text: t.clone() }),
    };
    if let Some(o) = &b.opaque {
        return Err(Refusal::OpaqueBackrefArguments { text: o.clone() });
    }
    if rel.positional > 2 {
        return Err(Refusal::TooManyPositional);
    }
    if rel.has_star_kwargs {
        return Err(Refusal::StarKwargs);
    }
    if let Some(bc) = &b.callee {
        match flavor_of(ix, fi, rel.scope, bc, &["backref"]) {
            Some(Flavor::Flask(s)) => flavor = Flavor::Flask(s),
            Some(Flavor::Plain) => {}
            None => {
                return Err(Refusal::Unrecognised {
                    callee: bc.join("."),
                    what: Construct::Backref,
                });
            }
        }
    }
    if !valid_identifier(&name) {
        return Err(Refusal::NameNotIdentifier { name });
    }
    // The forward keeps the name as written (its quotes, its constant).
    let forward_value = match (&b.name_literal, forward_value.is_empty()) {
        (_, false) => forward_value,
        (Some(lit), true) if !lit.contains(['\n', '\r']) => lit.clone(),
        _ => ix.style(fi).string(&name),
    };
    Ok(Basics {
        name,
        forward_value,
        flavor,
    })
}

type Readers<'a> = HashMap<(&'a str, &'a str), (&'a std::path::Path, &'a BackrefReader)>;

/// The relationships passed to a function that reads their backref, by class
/// name and attribute (by name only: a namesake is refused too, never missed).
/// Readers: known library functions and the tree's own functions that read
/// `.backref`.
fn backref_readers<'a>(ix: &Index<'a>) -> Readers<'a> {
    let functions: HashSet<&str> = crate::syntax::BACKREF_READERS
        .iter()
        .copied()
        .chain(
            ix.files
                .iter()
                .flat_map(|f| f.reader_functions.iter().map(String::as_str)),
        )
        .collect();
    let mut out = HashMap::new();
    for f in ix.files {
        for r in &f.backref_readers {
            if !functions.contains(r.function.as_str()) {
                continue;
            }
            if let Some(c) = r.class.last() {
                for a in &r.attrs {
                    out.entry((c.as_str(), a.as_str()))
                        .or_insert((f.path.as_path(), r));
                }
            }
        }
    }
    out
}

/// The pairing of one backref; `source` names the class the relationship is
/// created for when that is not the class it is written in (a mixin).
fn pairing(
    ix: &Index,
    fi: usize,
    ri: usize,
    rel: &RelFact,
    b: &BackrefFact,
    source: Option<ClassId>,
) -> Result<Pairing, Refusal> {
    let Basics {
        name,
        forward_value,
        flavor,
    } = basics(ix, fi, rel, b)?;
    // A properties dict or `add_property()` takes any name; a class body does not.
    if PYTHON_KEYWORDS.contains(&name.as_str()) {
        return Err(Refusal::PythonKeyword { name });
    }
    let source = match (&rel.owner, source) {
        (_, Some(c)) => Some(c),
        (Owner::Imperative(_), None) => {
            return Err(Refusal::ImperativeElsewhere);
        }
        (Owner::Class(ci), None) => Some((fi, *ci)),
        (Owner::Assigned(chain), None) => match ix.lookup_dotted_in(fi, rel.scope, chain) {
            Symbol::Class(c) => Some(c),
            _ => {
                return Err(Refusal::SourceNotAClass {
                    chain: chain.join("."),
                });
            }
        },
    };
    let target_arg = match (&rel.target, &rel.annotation) {
        (TargetArg::Absent, Some(ann)) => match annotation_class(ann) {
            Some(c) => TargetArg::Str(c),
            None => {
                return Err(Refusal::AnnotationNotUnderstood {
                    annotation: ann.clone(),
                });
            }
        },
        (TargetArg::Other(t), _) => {
            return Err(Refusal::TargetNotAClassName { target: t.clone() });
        }
        (t, _) => t.clone(),
    };
    let target = match ix.resolve_target(fi, rel.scope, source, &target_arg) {
        Resolved::Class(c) => c,
        Resolved::Missing => {
            let undefined = || Refusal::TargetUndefined {
                target: show_target(&target_arg),
            };
            return Err(match &target_arg {
                TargetArg::Name(d) | TargetArg::Lambda(d) => {
                    match ix.lookup_dotted_in(fi, rel.scope, d) {
                        Symbol::Binding(..) => Refusal::TargetIsVariable {
                            target: d.join("."),
                        },
                        Symbol::External { module, .. } => Refusal::TargetExternal {
                            target: d.join("."),
                            module: module.to_string(),
                        },
                        _ => undefined(),
                    }
                }
                _ => undefined(),
            });
        }
        Resolved::Ambiguous(cands) => {
            return Err(Refusal::AmbiguousTarget {
                target: show_target(&target_arg),
                shown: cands
                    .iter()
                    .take(3)
                    .map(|&c| (ix.files[c.0].path.clone(), ix.class(c).pos.line))
                    .collect(),
                more: cands.len().saturating_sub(3),
            });
        }
    };
    if let Some(why) = not_mapped(ix, target) {
        return Err(Refusal::TargetNotMapped {
            class: ix.class(target).name.clone(),
            why,
        });
    }
    if let Some(why) = source.and_then(|c| not_mapped(ix, c)) {
        let class = source.map(|c| ix.class(c).name.clone()).unwrap_or_default();
        return Err(Refusal::SourceNotMapped { class, why });
    }
    if let Some(src) = source
        && src.0 != target.0
        && !ix.imports_transitively(target.0).contains(&src.0)
    {
        let top = |fi: usize| {
            ix.modules[fi]
                .split('.')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let plugin = top(src.0) != top(target.0);
        let test = ix.is_test_file(src.0) && !ix.is_test_file(target.0);
        if plugin || test {
            return Err(Refusal::SourceNotImported {
                target_module: ix.modules[target.0].clone(),
                test,
                source_module: ix.modules[src.0].clone(),
            });
        }
    }
    if ix.files[target.0].stub {
        return Err(Refusal::TargetInStub {
            class: ix.class(target).name.clone(),
        });
    }
    if matches!(name.as_str(), "metadata" | "registry")
        || name.starts_with("__")
        || name.starts_with("_sa_")
    {
        return Err(Refusal::ReservedName { name });
    }
    if let Some((class, what)) = existing_name(ix, target, &name) {
        return Err(Refusal::NameExists { class, what, name });
    }
    Ok(Pairing {
        file: fi,
        rel: ri,
        source,
        target,
        name,
        forward_value,
        flavor,
        mixin: None,
    })
}

/// Why a class is certainly not a declaratively mapped class, if it is not.
fn not_mapped(ix: &Index, cid: ClassId) -> Option<&'static str> {
    let c = ix.class(cid);
    if c.abstract_ {
        return Some("is `__abstract__`");
    }
    if ix.root(cid) == Some(Index::class_key(cid).as_str()) && c.tablename.is_none() {
        return Some("is the declarative base itself");
    }
    ix.certainly_unmapped(cid)
        .then_some("is not a declaratively mapped class (a mixin, or mapped imperatively)")
}

fn show_target(t: &TargetArg) -> String {
    match t {
        TargetArg::Str(s) => format!("\"{s}\""),
        TargetArg::Name(d) | TargetArg::Lambda(d) => format!("`{}`", d.join(".")),
        TargetArg::Absent => "(none)".into(),
        TargetArg::Other(o) => format!("`{o}`"),
    }
}

/// Hard keywords: names a backref can create (via `setattr`) but a class body cannot declare.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The class named inside a `Mapped[...]` annotation.
pub fn annotation_class(ann: &str) -> Option<String> {
    let mut s: String = ann.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let stripped = s.trim_matches(|c| c == '"' || c == '\'').to_string();
        let open = stripped.find('[');
        match open {
            Some(i) if stripped.ends_with(']') => {
                let inner = &stripped[i + 1..stripped.len() - 1];
                s = inner
                    .split(',')
                    .next()
                    .unwrap_or_default()
                    .split('|')
                    .find(|p| *p != "None")
                    .unwrap_or_default()
                    .to_string();
            }
            Some(_) => return None,
            None => {
                let s = stripped
                    .split('|')
                    .find(|p| *p != "None")
                    .unwrap_or_default()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                return valid_dotted(&s).then_some(s);
            }
        }
    }
}

fn valid_dotted(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(valid_identifier)
}

/// A class-body name or after-class assignment that would collide with the reverse.
fn existing_name(ix: &Index, target: ClassId, name: &str) -> Option<(String, &'static str)> {
    let mut family = vec![target];
    family.extend(ix.ancestors(target));
    family.extend(ix.descendants(target));
    for &cid in &family {
        let c = ix.class(cid);
        for m in &c.members {
            if !m.names.iter().any(|n| n == name) {
                continue;
            }
            // A typing-only stub in the target itself is replaced, not a clash.
            if cid == target
                && matches!(
                    m.kind,
                    MemberKind::TypeChecking | MemberKind::BareAnnotation
                )
            {
                continue;
            }
            if matches!(m.kind, MemberKind::TypeChecking) {
                continue;
            }
            let what = match m.kind {
                MemberKind::Function => "a method or property",
                MemberKind::Class => "a nested class",
                _ => "an attribute",
            };
            return Some((c.name.clone(), what));
        }
    }
    ix.want_assignments_of(name, &family);
    for (fi, f) in ix.files.iter().enumerate() {
        for r in &f.relationships {
            if let Owner::Assigned(chain) = &r.owner
                && r.attr == name
                && let Symbol::Class(c) = ix.lookup_dotted_in(fi, r.scope, chain)
                && related(ix, c, target)
            {
                return Some((
                    ix.class(c).name.clone(),
                    "an attribute assigned after the class",
                ));
            }
        }
    }
    None
}

/// Whether `name` is bound in the body of class `cid` before offset `at`: a
/// name written there after it means the class attribute, not the module's
/// name. An annotation without a value or a `TYPE_CHECKING` stub binds nothing.
pub(super) fn class_binds(ix: &Index, cid: ClassId, name: &str, at: usize) -> bool {
    if crate::guard::off("class-shadow") {
        return false;
    }
    ix.class(cid)
        .members
        .iter()
        .any(|m| m.line_range.start < at && m.binds(name))
}

fn kw<'k>(list: &'k [Kwarg], name: &str) -> Option<&'k Kwarg> {
    list.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::annotation_class;

    #[test]
    fn reads_annotation_targets() {
        assert_eq!(
            annotation_class("Mapped[List[\"Post\"]]").as_deref(),
            Some("Post")
        );
        assert_eq!(
            annotation_class("Mapped[\"User\"]").as_deref(),
            Some("User")
        );
        assert_eq!(
            annotation_class("Mapped[Optional['User']]").as_deref(),
            Some("User")
        );
        assert_eq!(
            annotation_class("Mapped[\"User | None\"]").as_deref(),
            Some("User")
        );
        assert_eq!(
            annotation_class("Mapped[list[app.Post]]").as_deref(),
            Some("app.Post")
        );
        assert_eq!(
            annotation_class("WriteOnlyMapped[Post]").as_deref(),
            Some("Post")
        );
    }
}
