//! Turning fixes into new file contents.
//!
//! Edits of all fixes are grouped per file; a fix whose edit overlaps another
//! fix's edit (its own or an import change), whose file would no longer parse,
//! or whose file cannot be written, is withdrawn whole, in every file it
//! touches, and reported. Imports are settled per file after the set of fixes
//! is final (`imports`); insertions sharing one place are joined and a
//! mapping call laid out again when they make it too long (`slots`). The
//! Python text of import statements and of calls laid out again comes from
//! [`crate::codegen`]. It verifies nothing about the meaning of the result:
//! that is the check stage ([`crate::check`]).

mod imports;
mod relayout;
mod slots;

use imports::{import_edits, satisfied, without_strings};
use relayout::relaid_around;
use slots::merge_slots;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::expr::Need;
use crate::facts::FileFacts;
use crate::index::Index;
use crate::plan::{Edit, Fix};
use crate::refusal::Refusal;
use crate::syntax;
use crate::syntax::scope::Parsed;

pub struct Applied {
    pub fixes: Vec<Fix>,
    pub withdrawn: Vec<Diagnostic>,
    /// New contents of every changed file.
    pub sources: BTreeMap<usize, String>,
    /// Each new content read, from the parse that showed it still parses
    /// (for the check stage, which reads the same text).
    pub read: BTreeMap<usize, Read>,
}

/// A new text read: its facts, and its scopes for the check stage (the
/// syntax tree is not kept).
#[derive(Clone)]
pub struct Read {
    pub facts: FileFacts,
    pub parsed: Parsed,
}

/// `unwritable` tells why a file that would change cannot be written (always
/// `None` when nothing is written): the fixes that touch it are withdrawn in
/// every file, so that no pairing is written by halves.
pub fn apply(ix: &Index, fixes: Vec<Fix>, unwritable: &dyn Fn(usize) -> Option<String>) -> Applied {
    apply_again(ix, fixes, unwritable, &Known::default())
}

/// The new texts of an earlier application and what was read from them: a
/// file whose new text comes out the same is not parsed again.
#[derive(Default)]
pub struct Known {
    pub sources: BTreeMap<usize, String>,
    pub read: BTreeMap<usize, Read>,
}

/// [`apply`] after an earlier application of more fixes (`known`).
pub fn apply_again(
    ix: &Index,
    mut fixes: Vec<Fix>,
    unwritable: &dyn Fn(usize) -> Option<String>,
    known: &Known,
) -> Applied {
    let mut withdrawn = Vec::new();
    let mut blocked: BTreeMap<usize, Option<String>> = BTreeMap::new();
    loop {
        let bad = overlapping(&fixes);
        let mut trouble = Trouble::default();
        if bad.is_empty() {
            let (sources, read) =
                new_sources(ix, &fixes, unwritable, &mut blocked, &mut trouble, known);
            if trouble.is_empty() {
                return Applied {
                    fixes,
                    withdrawn,
                    sources,
                    read,
                };
            }
        }
        let mut keep = Vec::new();
        for (i, fix) in fixes.into_iter().enumerate() {
            match refusal(ix, &fix, bad.contains(&i), &trouble, &blocked) {
                Some(why) => withdrawn.extend(withdrawal(ix, &fix, why)),
                None => keep.push(fix),
            }
        }
        fixes = keep;
    }
}

/// The changed files whose new text cannot be kept: it no longer parses
/// (`broken`), it cannot be written (`denied`), or its edits overlap
/// (`tangled`).
#[derive(Default)]
struct Trouble {
    broken: HashSet<usize>,
    denied: HashSet<usize>,
    tangled: HashSet<usize>,
}

impl Trouble {
    fn is_empty(&self) -> bool {
        self.broken.is_empty() && self.denied.is_empty() && self.tangled.is_empty()
    }
}

/// The new text of every file the fixes change; files whose text cannot be
/// kept go to `trouble` instead. `blocked` remembers why a file cannot be
/// written, so that each file is asked once.
fn new_sources(
    ix: &Index,
    fixes: &[Fix],
    unwritable: &dyn Fn(usize) -> Option<String>,
    blocked: &mut BTreeMap<usize, Option<String>>,
    trouble: &mut Trouble,
    known: &Known,
) -> (BTreeMap<usize, String>, BTreeMap<usize, Read>) {
    let mut sources = BTreeMap::new();
    let mut reads = BTreeMap::new();
    for (fi, new, read) in edited(ix, fixes, known) {
        let Some(new) = new else {
            trouble.tangled.insert(fi);
            continue;
        };
        let Some(read) = read else {
            trouble.broken.insert(fi);
            continue;
        };
        if blocked
            .entry(fi)
            .or_insert_with(|| unwritable(fi))
            .is_some()
        {
            trouble.denied.insert(fi);
        } else {
            sources.insert(fi, new);
            reads.insert(fi, read);
        }
    }
    (sources, reads)
}

/// The new texts, and each that still parses read, in parallel; `None` for
/// a file whose edits (the fixes' and the imports') overlap. Files the edits
/// leave as they were are left out.
type Edited = (usize, Option<String>, Option<Read>);

fn edited(ix: &Index, fixes: &[Fix], known: &Known) -> Vec<Edited> {
    let files = &ix.files;
    file_edits(ix, fixes)
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|(fi, edits)| {
            let Some(new) = splice(&files[fi].source, &edits) else {
                return Some((fi, None, None));
            };
            if new == files[fi].source {
                return None;
            }
            let read = match (known.sources.get(&fi), known.read.get(&fi)) {
                (Some(text), Some(read)) if *text == new => Some(read.clone()),
                _ => read(files[fi], &new),
            };
            Some((fi, Some(new), read))
        })
        .collect()
}

/// The new text `new` of the file `old` read, if it still parses: its facts
/// and scopes from one parse, whose tree is let go here.
fn read(old: &FileFacts, new: &str) -> Option<Read> {
    let tree = syntax::parse_checked(new).ok()?;
    // The facts and the scopes are read from the tree at once: a generated
    // module of thousands of models is one file, with two threads to read it.
    let ((facts, _), parsed) = rayon::join(
        || {
            syntax::extract_parsed(
                old.path.clone(),
                new.to_string(),
                old.stub,
                Some(tree.clone()),
            )
        },
        || Parsed::from_tree(new, &tree),
    );
    let parsed = match crate::check::lost_imports(old, &facts).is_empty() {
        true => parsed,
        false => parsed.with_used_names(new, &tree),
    };
    Some(Read { facts, parsed })
}

/// Why a fix is withdrawn, if it is: its edits overlap another fix's
/// (`overlaps`), or it touches a file whose new text cannot be kept.
fn refusal(
    ix: &Index,
    fix: &Fix,
    overlaps: bool,
    trouble: &Trouble,
    blocked: &BTreeMap<usize, Option<String>>,
) -> Option<Refusal> {
    let touches_broken = fix.edits.iter().any(|e| trouble.broken.contains(&e.file));
    let touches_denied = fix.edits.iter().find(|e| trouble.denied.contains(&e.file));
    let touches_tangled = fix.edits.iter().any(|e| trouble.tangled.contains(&e.file));
    if !(overlaps || touches_broken || touches_tangled || touches_denied.is_some()) {
        return None;
    }
    Some(match touches_denied {
        Some(e) => Refusal::Unwritable {
            path: ix.files[e.file].path.clone(),
            why: blocked.get(&e.file).cloned().flatten().unwrap_or_default(),
        },
        None if touches_broken => Refusal::BrokenResult,
        None => Refusal::Overlap,
    })
}

/// The diagnostics of a withdrawn fix, one per forward it migrated, at its
/// `backref=` (else its forward).
fn withdrawal(ix: &Index, fix: &Fix, why: Refusal) -> Vec<Diagnostic> {
    let f = &ix.files[fix.file];
    fix.forwards()
        .map(|rel| {
            let r = &f.relationships[rel];
            why.clone()
                .at(&f.path, r.backref.as_ref().map_or(r.pos, |b| b.pos))
        })
        .collect()
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
    let mut joined: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
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
        for rel in fix.forwards() {
            if let Some(b) = &ix.files[fix.file].relationships[rel].backref {
                removed
                    .entry(fix.file)
                    .or_default()
                    .push(b.kw_range.clone());
            }
        }
        // A reverse joined to an existing statement (an entry of a mapping's
        // `properties`): its statement is laid out again as the forward's is.
        for e in &fix.edits {
            let source = &ix.files[e.file].source;
            if e.range.is_empty()
                && crate::syntax::line_start(source, e.range.start) != e.range.start
            {
                joined.entry(e.file).or_default().push(e.range.clone());
            }
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
        let mut at: Vec<Range<usize>> = removed.get(&fi).cloned().unwrap_or_default();
        at.extend(joined.get(&fi).into_iter().flatten().cloned());
        if !at.is_empty() {
            relaid_around(fi, &ix.files[fi].source, list, &at, &ix.style(fi));
        }
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
    use super::{overlapping, splice};
    use crate::plan::{Edit, Fix};

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit::new(0, start..end, text.to_string())
    }

    #[test]
    fn no_edits_leave_the_text_as_it_is() {
        let src = "a = f(x, backref='b')\n";
        assert_eq!(splice(src, &[]).as_deref(), Some(src));
    }

    #[test]
    fn insertion() {
        let src = "a = 1\n";
        assert_eq!(
            splice(src, &[edit(0, 0, "# hi\n")]).as_deref(),
            Some("# hi\na = 1\n")
        );
        assert_eq!(
            splice(src, &[edit(6, 6, "b = 2\n")]).as_deref(),
            Some("a = 1\nb = 2\n")
        );
        // Two insertions at one point, in order.
        assert_eq!(
            splice("ab", &[edit(1, 1, "1"), edit(1, 1, "2")]).as_deref(),
            Some("a12b")
        );
    }

    #[test]
    fn deletion() {
        let src = "a = f(x, backref='b')\n";
        assert_eq!(
            splice(src, &[edit(7, 20, "")]).as_deref(),
            Some("a = f(x)\n")
        );
    }

    #[test]
    fn replacement() {
        let src = "a = f(x, backref='b')\n";
        assert_eq!(
            splice(src, &[edit(9, 20, "back_populates='b'")]).as_deref(),
            Some("a = f(x, back_populates='b')\n")
        );
    }

    #[test]
    fn adjacent_edits() {
        // One ends where the next starts; an insertion right after a replacement.
        assert_eq!(
            splice("abcd", &[edit(0, 2, "X"), edit(2, 4, "Y"), edit(4, 4, "!")]).as_deref(),
            Some("XY!")
        );
        assert_eq!(
            splice("abcd", &[edit(1, 1, "<"), edit(1, 3, "B"), edit(3, 3, ">")]).as_deref(),
            Some("a<B>d")
        );
    }

    #[test]
    fn an_edit_starting_inside_the_previous_one_is_refused() {
        assert_eq!(splice("abcdef", &[edit(0, 4, "X"), edit(2, 3, "Y")]), None);
        // An insertion inside a replaced range.
        assert_eq!(splice("abcdef", &[edit(1, 4, "X"), edit(2, 2, "Y")]), None);
    }

    #[test]
    fn misplaced_edits_are_refused() {
        // Backwards, past the end, inside a character.
        assert_eq!(splice("abc", &[edit(2, 1, "")]), None);
        assert_eq!(splice("abc", &[edit(1, 9, "")]), None);
        assert_eq!(splice("aé", &[edit(2, 2, "x")]), None);
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            file: 0,
            rel: 0,
            name: String::new(),
            edits,
            needs: Vec::new(),
            source_class: String::new(),
            target_file: 0,
            target_class: String::new(),
            target: None,
            also: Vec::new(),
            siblings: Vec::new(),
        }
    }

    #[test]
    fn the_later_of_two_overlapping_fixes_is_withdrawn() {
        let fixes = [
            fix(vec![edit(0, 4, "X")]),
            fix(vec![edit(10, 12, "Y"), edit(3, 5, "Z")]),
            fix(vec![edit(20, 20, "a")]),
            // Insertions at one point and edits in another file do not overlap.
            fix(vec![edit(20, 20, "b"), Edit::new(1, 0..4, "W".into())]),
        ];
        assert_eq!(overlapping(&fixes).into_iter().collect::<Vec<_>>(), [1]);
        // Edits of one fix may touch each other.
        let one = [fix(vec![edit(0, 4, "X"), edit(2, 6, "Y")])];
        assert!(overlapping(&one).is_empty());
    }
}
