//! Turning fixes into new file contents.
//!
//! Edits of all fixes are grouped per file; a fix whose edit overlaps another
//! fix's edit (its own or an import change), whose file would no longer parse,
//! or whose file cannot be written, is withdrawn whole, in every file it
//! touches, and reported. Imports are settled per file after the set of fixes
//! is final (`imports`); insertions sharing one place are joined and a
//! mapping call laid out again when they make it too long (`layout`). It
//! verifies nothing about the meaning of the result: that is the check stage
//! ([`crate::check`]).

mod imports;
mod layout;

use imports::{import_edits, satisfied, without_strings};
use layout::merge_slots;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::expr::Need;
use crate::index::Index;
use crate::plan::{Edit, Fix};
use crate::refusal::Refusal;
use crate::syntax;

pub struct Applied {
    pub fixes: Vec<Fix>,
    pub withdrawn: Vec<Diagnostic>,
    /// New contents of every changed file.
    pub sources: BTreeMap<usize, String>,
}

/// `unwritable` tells why a file that would change cannot be written (always
/// `None` when nothing is written): the fixes that touch it are withdrawn in
/// every file, so that no pairing is written by halves.
pub fn apply(
    ix: &Index,
    mut fixes: Vec<Fix>,
    unwritable: &dyn Fn(usize) -> Option<String>,
) -> Applied {
    let mut withdrawn = Vec::new();
    let mut blocked: BTreeMap<usize, Option<String>> = BTreeMap::new();
    loop {
        let bad = overlapping(&fixes);
        let mut sources = BTreeMap::new();
        let mut broken: HashSet<usize> = HashSet::new();
        let mut denied: HashSet<usize> = HashSet::new();
        let mut tangled: HashSet<usize> = HashSet::new();
        if bad.is_empty() {
            // The new texts, and whether each still parses, in parallel.
            let files = ix.files;
            // `None`: the file's edits (the fixes' and the imports') overlap.
            let edited: Vec<(usize, Option<String>, bool)> = file_edits(ix, &fixes)
                .into_iter()
                .collect::<Vec<_>>()
                .into_par_iter()
                .filter_map(|(fi, edits)| {
                    let Some(new) = splice(&files[fi].source, &edits) else {
                        return Some((fi, None, true));
                    };
                    if new == files[fi].source {
                        return None;
                    }
                    let parses = syntax::syntax_error(&new).is_none();
                    Some((fi, Some(new), parses))
                })
                .collect();
            for (fi, new, parses) in edited {
                let Some(new) = new else {
                    tangled.insert(fi);
                    continue;
                };
                if !parses {
                    broken.insert(fi);
                } else if blocked
                    .entry(fi)
                    .or_insert_with(|| unwritable(fi))
                    .is_some()
                {
                    denied.insert(fi);
                } else {
                    sources.insert(fi, new);
                }
            }
            if broken.is_empty() && denied.is_empty() && tangled.is_empty() {
                return Applied {
                    fixes,
                    withdrawn,
                    sources,
                };
            }
        }
        let mut keep = Vec::new();
        for (i, fix) in fixes.into_iter().enumerate() {
            let touches_broken = fix.edits.iter().any(|e| broken.contains(&e.file));
            let touches_denied = fix.edits.iter().find(|e| denied.contains(&e.file));
            let touches_tangled = fix.edits.iter().any(|e| tangled.contains(&e.file));
            if bad.contains(&i) || touches_broken || touches_tangled || touches_denied.is_some() {
                let f = &ix.files[fix.file];
                let b = f.relationships[fix.rel].backref.as_ref();
                let why = match touches_denied {
                    Some(e) => Refusal::Unwritable {
                        path: ix.files[e.file].path.clone(),
                        why: blocked.get(&e.file).cloned().flatten().unwrap_or_default(),
                    },
                    None if touches_broken => Refusal::BrokenResult,
                    None => Refusal::Overlap,
                };
                let pos = b.map_or(f.relationships[fix.rel].pos, |b| b.pos);
                withdrawn.push(why.at(&f.path, pos));
            } else {
                keep.push(fix);
            }
        }
        fixes = keep;
    }
}

/// Indices of fixes whose edits overlap an earlier fix's edits.
fn overlapping(fixes: &[Fix]) -> BTreeSet<usize> {
    let mut all: Vec<(usize, Range<usize>, usize)> = Vec::new();
    for (i, fix) in fixes.iter().enumerate() {
        for e in &fix.edits {
            all.push((e.file, e.range.clone(), i));
        }
    }
    all.sort_by_key(|(f, r, i)| (*f, r.start, r.end, *i));
    let mut bad = BTreeSet::new();
    for w in all.windows(2) {
        let (fa, ra, ia) = &w[0];
        let (fb, rb, ib) = &w[1];
        if fa == fb && ia != ib && rb.start < ra.end && !(ra.is_empty() && rb.is_empty()) {
            bad.insert(*ia.max(ib));
        }
    }
    bad
}

/// Every edit per file: the fixes' own, plus import changes.
fn file_edits(ix: &Index, fixes: &[Fix]) -> BTreeMap<usize, Vec<Edit>> {
    let mut map: BTreeMap<usize, Vec<Edit>> = BTreeMap::new();
    let mut needs: BTreeMap<usize, BTreeSet<Need>> = BTreeMap::new();
    let mut removed: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
    let mut stubs: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
    for fix in fixes {
        for e in &fix.edits {
            map.entry(e.file).or_default().push(e.clone());
            // Deleted typing stubs: names used only there may become unused.
            if e.text.is_empty() && !e.range.is_empty() {
                stubs.entry(e.file).or_default().push(e.range.clone());
            }
        }
        for (fi, n) in &fix.needs {
            needs.entry(*fi).or_default().insert(n.clone());
        }
        if let Some(b) = &ix.files[fix.file].relationships[fix.rel].backref {
            removed
                .entry(fix.file)
                .or_default()
                .push(b.kw_range.clone());
        }
    }
    let files: BTreeSet<usize> = map.keys().copied().collect();
    for fi in files {
        let inserted: String = map
            .get(&fi)
            .map(|l| {
                l.iter()
                    .map(|e| without_strings(&e.text))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let edits = import_edits(
            ix,
            fi,
            needs.get(&fi).cloned().unwrap_or_default(),
            removed.get(&fi).map(Vec::as_slice).unwrap_or_default(),
            stubs.get(&fi).map(Vec::as_slice).unwrap_or_default(),
            &inserted,
        );
        let list = map.entry(fi).or_default();
        list.extend(edits);
        merge_slots(fi, &ix.files[fi].source, list);
        list.sort_by_key(|e| (e.range.start, e.range.end));
    }
    map
}

/// `source` with `edits` (sorted by start) applied. `None` when an edit
/// starts inside the range the one before it replaced, or does not lie on
/// character boundaries of the text: applying both would silently lose one.
/// Insertions at one point are applied in order.
fn splice(source: &str, edits: &[Edit]) -> Option<String> {
    let mut out = String::with_capacity(source.len() + 256);
    let mut at = 0;
    for e in edits {
        let Range { start, end } = e.range;
        if start < at
            || end < start
            || !source.is_char_boundary(start)
            || !source.is_char_boundary(end)
        {
            return None;
        }
        out.push_str(&source[at..start]);
        out.push_str(&e.text);
        at = end;
    }
    out.push_str(&source[at..]);
    Some(out)
}

/// Make the name lookups that settling the fixes' imports makes, and nothing
/// else: in a run that parses on demand, they ask for the files they enter
/// (see [`crate::index::Demand`]).
pub fn probe(ix: &Index, fixes: &[Fix]) {
    for fix in fixes {
        for (fi, need) in &fix.needs {
            satisfied(ix, *fi, need);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::splice;
    use crate::plan::Edit;

    fn edit(range: std::ops::Range<usize>, text: &str) -> Edit {
        Edit::new(0, range, text.to_string())
    }

    #[test]
    fn insertions_deletions_and_replacements() {
        let src = "a = f(x, backref='b')\n";
        assert_eq!(splice(src, &[]).as_deref(), Some(src));
        // Replacement, then an insertion at the end.
        let out = splice(
            src,
            &[edit(9..20, "back_populates='b'"), edit(22..22, "c = 1\n")],
        );
        assert_eq!(
            out.as_deref(),
            Some("a = f(x, back_populates='b')\nc = 1\n")
        );
        // Deletion; an insertion at 0.
        let out = splice(src, &[edit(0..0, "# hi\n"), edit(7..20, "")]);
        assert_eq!(out.as_deref(), Some("# hi\na = f(x)\n"));
        // Adjacent replacements, and two insertions at one point in order.
        let out = splice(
            "abcd",
            &[
                edit(0..2, "X"),
                edit(2..4, "Y"),
                edit(4..4, "1"),
                edit(4..4, "2"),
            ],
        );
        assert_eq!(out.as_deref(), Some("XY12"));
    }

    #[test]
    fn overlapping_or_misplaced_edits_are_refused() {
        // Starts inside the range the previous edit replaced.
        assert_eq!(splice("abcdef", &[edit(0..4, "X"), edit(2..3, "Y")]), None);
        // An insertion inside a replaced range.
        assert_eq!(splice("abcdef", &[edit(1..4, "X"), edit(2..2, "Y")]), None);
        // Backwards, past the end, inside a character.
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = edit(2..1, "");
        assert_eq!(splice("abc", &[backwards]), None);
        assert_eq!(splice("abc", &[edit(1..9, "")]), None);
        assert_eq!(splice("aé", &[edit(2..2, "x")]), None);
    }
}
