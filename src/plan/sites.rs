//! Backrefs the planner reports without pairing them: relationship calls in
//! places no fact covers (functions, helpers' arguments), relationships other
//! code reads the backref of, and the `# backpop: ignore[...]` comments that
//! silence a diagnostic.
//!
//! It does not resolve targets or build fixes.

use super::*;

pub(super) type Readers<'a> = HashMap<(&'a str, &'a str), (&'a std::path::Path, &'a BackrefReader)>;

/// The relationships passed to a function that reads their backref, by class
/// name and attribute (by name only: a namesake is refused too, never missed).
/// Readers: known library functions and the tree's own functions that read
/// `.backref`.
pub(super) fn backref_readers<'a>(ix: &Index<'a>) -> Readers<'a> {
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
    for &f in &ix.files {
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

/// A call that may be SQLAlchemy's relationship(): a known spelling, or a name the tool cannot resolve.
fn is_relationship_site(ix: &Index, fi: usize, callee: &[String]) -> bool {
    let Some(last) = callee.last() else {
        return false;
    };
    RELATIONSHIP_CALLEES.contains(&last.as_str())
        || flavor_of(ix, fi, 0, callee, RELATIONSHIP_CALLEES).is_some()
}

/// The lines of a relationship statement and the codes its comment ignores.
type IgnoredSpan<'a> = (usize, usize, &'a [String]);

/// Drop the diagnostics that a `# backpop: ignore[CODE]` on their relationship
/// names (they count as ignored, not as unmigrated).
pub(super) fn suppress(ix: &Index, out: &mut Plan) {
    let mut spans: HashMap<&std::path::Path, Vec<IgnoredSpan>> = HashMap::new();
    for &f in &ix.files {
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
                    && codes.iter().any(|c| d.code().is_named_by(c))
            })
        })
    });
    let dropped = before - out.diagnostics.len();
    out.ignored += dropped;
    out.backrefs -= dropped.min(out.backrefs);
}

/// A relationship passed to a function that needs its backref (BP011).
pub(super) fn read_elsewhere(f: &FileFacts, rel: &RelFact, readers: &Readers) -> Option<Refusal> {
    let class = match &rel.owner {
        Owner::Class(ci) => f.classes.get(*ci).map(|c| c.name.as_str()),
        Owner::Assigned(chain) => chain.last().map(String::as_str),
        Owner::Imperative(mi) => f
            .mappings
            .get(*mi)
            .and_then(|m| m.class.last())
            .map(String::as_str),
    };
    let (path, r) = class.and_then(|c| readers.get(&(c, rel.attr.as_str())))?;
    Some(Refusal::BackrefRead {
        class: r.class.join("."),
        attr: rel.attr.clone(),
        function: r.function.clone(),
        path: path.to_path_buf(),
        pos: r.pos,
    })
}

/// Backrefs in places no fact covers (imperative mappings, classes built in
/// functions): reported (BP018) unless a comment on their line ignores them.
pub(super) fn report_uncovered(ix: &Index, out: &mut Plan) {
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
                .push(diag(ix, fi, site.pos, Refusal::Site(site.context.clone())));
        }
    }
}
