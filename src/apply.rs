//! Turning fixes into new file contents.
//!
//! Edits of all fixes are grouped per file; a fix whose edit overlaps another
//! fix's edit, or whose file would no longer parse, is withdrawn whole, in every
//! file it touches, and reported. Imports are settled per file after the set of
//! fixes is final: the ones the new text needs are added in the module's own
//! style, and `backref` imports the migration left unused are dropped.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic};
use crate::expr::Need;
use crate::facts::{FileFacts, ImportFact};
use crate::index::{Index, Symbol};
use crate::plan::{Edit, Fix};
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
        if bad.is_empty() {
            // The new texts, and whether each still parses, in parallel.
            let files = ix.files;
            let edited: Vec<(usize, String, bool)> = file_edits(ix, &fixes)
                .into_iter()
                .collect::<Vec<_>>()
                .into_par_iter()
                .filter_map(|(fi, edits)| {
                    let new = splice(&files[fi].source, &edits);
                    if new == files[fi].source {
                        return None;
                    }
                    let parses = syntax::syntax_error(&new).is_none();
                    Some((fi, new, parses))
                })
                .collect();
            for (fi, new, parses) in edited {
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
            if broken.is_empty() && denied.is_empty() {
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
            if bad.contains(&i) || touches_broken || touches_denied.is_some() {
                let f = &ix.files[fix.file];
                let b = f.relationships[fix.rel].backref.as_ref();
                let (code, message) = match touches_denied {
                    Some(e) => (
                        Code::Unwritable,
                        format!(
                            "`{}` cannot be written ({}); the pairing is left unmigrated in every file",
                            ix.files[e.file].path.display(),
                            blocked.get(&e.file).cloned().flatten().unwrap_or_default()
                        ),
                    ),
                    None if touches_broken => (
                        Code::Unsupported,
                        "the migrated file would not parse; left unchanged".into(),
                    ),
                    None => (
                        Code::Unsupported,
                        "the migration overlaps another change in the same place".into(),
                    ),
                };
                withdrawn.push(Diagnostic {
                    path: f.path.clone(),
                    pos: b.map_or(f.relationships[fix.rel].pos, |b| b.pos),
                    code,
                    message,
                    unmigrated: true,
                });
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

/// Join the insertions that share a slot (entries of one new `properties={...}`).
/// When the joined text makes a one-line call too long, the call's arguments
/// are laid out again instead (see [`crate::plan::Wrap`]).
fn merge_slots(fi: usize, source: &str, list: &mut Vec<Edit>) {
    type Slot = (
        crate::plan::Merge,
        Vec<String>,
        Vec<(String, String, Vec<String>)>,
    );
    let mut slots: BTreeMap<usize, Slot> = BTreeMap::new();
    list.retain(|e| match &e.merge {
        Some(m) => {
            let slot = slots
                .entry(e.range.start)
                .or_insert_with(|| (m.clone(), Vec::new(), Vec::new()));
            slot.1.push(e.text.clone());
            if let Some(w) = &m.wrap {
                slot.2.push(w.entry.clone());
            }
            false
        }
        None => true,
    });
    let starts: Vec<usize> = slots.keys().copied().collect();
    for (at, (m, texts, entries)) in slots {
        let text = format!("{}{}{}", m.prefix, texts.join(&m.separator), m.suffix);
        let too_long = || {
            let ls = crate::syntax::line_start(source, at);
            let le = source[at..]
                .find(['\n', '\r'])
                .map_or(source.len(), |i| at + i);
            let line = format!("{}{text}{}", &source[ls..at], &source[at..le]);
            m.wrap
                .as_ref()
                .is_some_and(|w| crate::codegen::width(&line) > w.style.line_length)
        };
        let relaid = m
            .wrap
            .as_ref()
            .filter(|_| entries.len() == texts.len() && too_long())
            .filter(|w| starts.iter().all(|s| *s == at || !w.call.inner.contains(s)))
            .and_then(|w| relaid_call(fi, source, w, &entries, list));
        list.push(relaid.unwrap_or_else(|| Edit::new(fi, at..at, text)));
    }
}

/// The one edit that lays a one-line mapping call out again with its new
/// `properties` entries; the edits inside its arguments (a forward's
/// `back_populates=`) are folded into it. None when an edit there is not
/// inside one argument or one entry.
fn relaid_call(
    fi: usize,
    source: &str,
    w: &crate::plan::Wrap,
    entries: &[(String, String, Vec<String>)],
    list: &mut Vec<Edit>,
) -> Option<Edit> {
    let call = &w.call;
    let inside: Vec<usize> = (0..list.len())
        .filter(|i| {
            let r = &list[*i].range;
            r.start < call.inner.end && call.inner.start < r.end.max(r.start + 1)
        })
        .collect();
    let pieces: Vec<&Range<usize>> = call
        .args
        .iter()
        .enumerate()
        .filter(|(i, _)| call.properties.as_ref().is_none_or(|p| p.index != *i))
        .map(|(_, r)| r)
        .chain(call.properties.iter().flat_map(|p| p.entries.iter()))
        .collect();
    let within = |r: &Range<usize>| {
        pieces
            .iter()
            .any(|p| p.start <= r.start && r.end <= p.end && (r.start < r.end || r.start > p.start))
    };
    if !inside.iter().all(|i| within(&list[*i].range)) {
        return None;
    }
    let text_of = |r: &Range<usize>| {
        let mut edits: Vec<Edit> = inside
            .iter()
            .map(|i| &list[*i])
            .filter(|e| r.start <= e.range.start && e.range.end <= r.end)
            .map(|e| {
                Edit::new(
                    fi,
                    e.range.start - r.start..e.range.end - r.start,
                    e.text.clone(),
                )
            })
            .collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        splice(&source[r.clone()], &edits)
    };
    let args: Vec<String> = call.args.iter().map(text_of).collect();
    let (at, open, close, existing) = match &call.properties {
        Some(p) => (
            p.index,
            source[p.open.clone()].to_string(),
            p.close.clone(),
            p.entries.iter().map(text_of).collect(),
        ),
        None => (
            call.args.len(),
            "properties={".to_string(),
            "}".to_string(),
            Vec::new(),
        ),
    };
    let text = crate::codegen::exploded_arguments(
        &w.indent,
        "    ",
        &args,
        crate::codegen::DictArg {
            at,
            open: &open,
            close: &close,
            existing: &existing,
        },
        entries,
        &w.style,
    );
    let mut k = 0;
    list.retain(|_| {
        k += 1;
        !inside.contains(&(k - 1))
    });
    Some(Edit::new(fi, call.inner.clone(), text))
}

fn splice(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len() + 256);
    let mut at = 0;
    for e in edits {
        if e.range.start < at {
            continue;
        }
        out.push_str(&source[at..e.range.start]);
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(&source[at..]);
    out
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

fn satisfied(ix: &Index, fi: usize, need: &Need) -> bool {
    let f = &ix.files[fi];
    match need {
        Need::From { alias, .. } | Need::Import { alias, .. } => {
            ix.lookup(fi, alias) != Symbol::Unknown
        }
        Need::TypeChecking { name, .. } => {
            f.imports.iter().any(|i| i.bound == *name) || f.classes.iter().any(|c| c.name == *name)
        }
    }
}

fn import_edits(
    ix: &Index,
    fi: usize,
    mut needs: BTreeSet<Need>,
    removed: &[Range<usize>],
    stubs: &[Range<usize>],
    inserted: &str,
) -> Vec<Edit> {
    let f = &ix.files[fi];
    let style = ix.style(fi);
    let nl = style.line_ending;
    needs.retain(|n| !satisfied(ix, fi, n));
    if needs.iter().any(|n| matches!(n, Need::TypeChecking { .. }))
        && f.type_checking_block.is_none()
    {
        let n = Need::From {
            module: "typing".into(),
            name: "TYPE_CHECKING".into(),
            alias: "TYPE_CHECKING".into(),
        };
        if !satisfied(ix, fi, &n) {
            needs.insert(n);
        }
    }
    // Statements to rewrite: start offset -> (facts of the statement, names to drop, names to add).
    let mut rewrites: BTreeMap<usize, Rewrite> = BTreeMap::new();
    // Imports used only in the text the migration removed (`backref`, helpers of moved
    // keywords, `TYPE_CHECKING` of a deleted stub block) go with it.
    let gone: Vec<Range<usize>> = removed.iter().chain(stubs).cloned().collect();
    let needed: BTreeSet<&str> = needs
        .iter()
        .map(|n| match n {
            Need::From { alias, .. } | Need::Import { alias, .. } => alias.as_str(),
            Need::TypeChecking { .. } => "TYPE_CHECKING",
        })
        .collect();
    for imp in f.imports.iter().filter(|i| i.top_level && !i.type_checking) {
        let bound = imp.bound.as_str();
        if gone.is_empty()
            || needed.contains(bound)
            || imp.name.as_deref() == Some("*")
            || f.source[imp.stmt_range.clone()].contains('#')
            || !used_within(&f.source, bound, &gone)
            // The moved text may use it in its new place.
            || used_within(inserted, bound, std::slice::from_ref(&(0..inserted.len())))
            || used_outside(&f.source, bound, &gone, &imp.stmt_range)
        {
            continue;
        }
        let stmt = statement_of(f, imp.stmt_range.start);
        rewrites
            .entry(imp.stmt_range.start)
            .or_insert((stmt, Vec::new(), Vec::new()))
            .1
            .push(imp.bound.clone());
    }
    let mut new_lines: Vec<String> = Vec::new();
    // New `from m import ...` lines, one per module.
    let mut new_from: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut tc_lines: Vec<String> = Vec::new();
    for need in &needs {
        match need {
            Need::From {
                module,
                name,
                alias,
            } => {
                let item = if name == alias {
                    name.clone()
                } else {
                    format!("{name} as {alias}")
                };
                let existing = f.imports.iter().find(|i| {
                    i.top_level
                        && !i.type_checking
                        && i.name.is_some()
                        && i.module == *module
                        && !f.source[i.stmt_range.clone()].contains('#')
                        && i.name.as_deref().is_none_or(|n| n != "*")
                });
                match existing {
                    Some(i) => {
                        let stmt = statement_of(f, i.stmt_range.start);
                        rewrites
                            .entry(i.stmt_range.start)
                            .or_insert((stmt, Vec::new(), Vec::new()))
                            .2
                            .push(item);
                    }
                    None => new_from.entry(module.clone()).or_default().push(item),
                }
            }
            Need::Import { module, alias } => {
                let last = module.rsplit('.').next().unwrap_or(module);
                new_lines.push(
                    if alias == module || (alias == last && !module.contains('.')) {
                        format!("import {module}{nl}")
                    } else {
                        format!("import {module} as {alias}{nl}")
                    },
                );
            }
            Need::TypeChecking { module, name } => {
                tc_lines.push(format!("from {module} import {name}"))
            }
        }
    }
    let mut edits = Vec::new();
    for (start, (stmt, drop, add)) in rewrites {
        let Some(first) = stmt.first() else { continue };
        let end = stmt.iter().map(|i| i.stmt_range.end).max().unwrap_or(start);
        let mut items: Vec<String> = stmt
            .iter()
            .filter(|i| !drop.contains(&i.bound))
            .map(|i| match &i.name {
                Some(n) if *n != i.bound => format!("{n} as {}", i.bound),
                Some(n) => n.clone(),
                None if i.module.split('.').next() == Some(i.bound.as_str()) => i.module.clone(),
                None => format!("{} as {}", i.module, i.bound),
            })
            .collect();
        let sorted = items
            .windows(2)
            .all(|w| isort_key(&w[0]) <= isort_key(&w[1]));
        for a in add {
            if items.contains(&a) {
                continue;
            }
            match items.iter().position(|i| isort_key(i) > isort_key(&a)) {
                Some(at) if sorted => items.insert(at, a),
                _ => items.push(a),
            }
        }
        if items.is_empty() {
            let ls = syntax::line_start(&f.source, start);
            let le = syntax::line_end(&f.source, end);
            edits.push(Edit::new(fi, ls..le, String::new()));
            continue;
        }
        if first.name.is_none() {
            edits.push(Edit::new(
                fi,
                start..end,
                format!("import {}", items.join(", ")),
            ));
            continue;
        }
        let flat = format!("from {} import {}", first.module, items.join(", "));
        let text = if first.parenthesized || flat.chars().count() > style.line_length {
            let mut t = format!("from {} import ({nl}", first.module);
            for it in &items {
                t.push_str(&format!("    {it},{nl}"));
            }
            t.push(')');
            t
        } else {
            flat
        };
        edits.push(Edit::new(fi, start..end, text));
    }
    for (module, mut items) in new_from {
        items.sort_by_key(|i| isort_key(i));
        items.dedup();
        new_lines.push(format!("from {module} import {}{nl}", items.join(", ")));
    }
    new_lines.sort();
    new_lines.dedup();
    // Lines that join a section of imports of the same top-level package go there.
    let mut placed: BTreeMap<usize, String> = BTreeMap::new();
    new_lines.retain(|line| match section_point(f, line) {
        Some(at) => {
            placed.entry(at).or_default().push_str(line);
            false
        }
        None => true,
    });
    for (at, mut text) in placed {
        // A standard-library line put before a third-party section keeps isort's blank line.
        let next = &f.source[at..syntax::line_end(&f.source, at)];
        let next_top = next
            .split_whitespace()
            .nth(1)
            .and_then(|m| m.split('.').next())
            .unwrap_or("");
        let text_top = text
            .split_whitespace()
            .nth(1)
            .and_then(|m| m.split('.').next())
            .unwrap_or("");
        if STDLIB.contains(&text_top) && !STDLIB.contains(&next_top) && !next.trim().is_empty() {
            text.push_str(nl);
        }
        edits.push(Edit::new(fi, at..at, text));
    }
    tc_lines.sort();
    tc_lines.dedup();
    let mut block = new_lines.concat();
    if !tc_lines.is_empty() {
        match &f.type_checking_block {
            Some((range, indent)) => {
                let text: String = tc_lines
                    .iter()
                    .map(|l| format!("{indent}{l}{nl}"))
                    .collect();
                edits.push(Edit::new(fi, range.end..range.end, text));
            }
            None => {
                block.push_str(&format!("{nl}if TYPE_CHECKING:{nl}"));
                for l in &tc_lines {
                    block.push_str(&format!("    {l}{nl}"));
                }
            }
        }
    }
    if !block.is_empty() {
        let at = insertion_point(f);
        if at > 0 && !f.source[..at].ends_with(['\n', '\r']) {
            block.insert_str(0, nl);
        }
        edits.push(Edit::new(fi, at..at, block));
    }
    edits
}

/// isort's default order within a `from` import: CONSTANTS, Classes, functions.
fn isort_key(item: &str) -> (u8, String) {
    let name = item.split_whitespace().next().unwrap_or(item);
    let kind = if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
        0
    } else if name.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (kind, name.to_string())
}

/// An import statement to rewrite: its facts, names to drop, names to add.
type Rewrite<'f> = (Vec<&'f ImportFact>, Vec<String>, Vec<String>);

/// Standard-library modules commonly imported next to models.
const STDLIB: &[&str] = &[
    "__future__",
    "abc",
    "collections",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "itertools",
    "json",
    "logging",
    "os",
    "re",
    "sys",
    "typing",
    "uuid",
];

/// Where an import line of a package the module already imports from belongs:
/// after the last top-level import of that package; `typing` before the first
/// third-party import. `None` for the default place after all imports.
fn section_point(f: &FileFacts, line: &str) -> Option<usize> {
    let module = line.split_whitespace().nth(1)?;
    let top = module.split('.').next()?;
    let top_level: Vec<&ImportFact> = f
        .imports
        .iter()
        .filter(|i| i.top_level && !i.type_checking)
        .collect();
    let same = top_level
        .iter()
        .filter(|i| i.module.split('.').next() == Some(top))
        .map(|i| i.stmt_range.end)
        .max();
    if let Some(end) = same {
        let at = syntax::line_end(&f.source, end);
        return (at != f.import_insert_at).then_some(at);
    }
    if STDLIB.contains(&top) {
        // Among the standard-library imports, in module order; else before the first import.
        let stdlib: Vec<&&ImportFact> = top_level
            .iter()
            .filter(|i| {
                let t = i.module.split('.').next().unwrap_or("");
                i.module != "__future__" && STDLIB.contains(&t)
            })
            .collect();
        if let Some(after) = stdlib
            .iter()
            .filter(|i| i.module.as_str() < module)
            .map(|i| i.stmt_range.end)
            .max()
        {
            let at = syntax::line_end(&f.source, after);
            return (at != f.import_insert_at).then_some(at);
        }
        let first = top_level
            .iter()
            .filter(|i| i.module != "__future__")
            .map(|i| i.stmt_range.start)
            .min()?;
        return Some(syntax::line_start(&f.source, first));
    }
    None
}

fn statement_of(f: &FileFacts, start: usize) -> Vec<&ImportFact> {
    f.imports
        .iter()
        .filter(|i| i.stmt_range.start == start)
        .collect()
}

fn insertion_point(f: &FileFacts) -> usize {
    if f.import_insert_at > 0 {
        return f.import_insert_at;
    }
    // After a shebang, encoding line or leading comments.
    let mut at = 0;
    for line in f.source.split_inclusive('\n') {
        if line.starts_with('#') {
            at += line.len();
        } else {
            break;
        }
    }
    at
}

/// Generated text with the contents of its string literals blanked out, so that a
/// name inside a registry string does not count as a use of an import.
fn without_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => out.push(' '),
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// Whether `name` occurs as a word inside one of the ranges.
fn used_within(source: &str, name: &str, ranges: &[Range<usize>]) -> bool {
    ranges
        .iter()
        .any(|r| word_occurrences(&source[r.clone()], name).next().is_some())
}

/// Whether `name` occurs as a word outside the given ranges (and outside comments).
fn used_outside(source: &str, name: &str, removed: &[Range<usize>], stmt: &Range<usize>) -> bool {
    word_occurrences(source, name).any(|s| {
        let e = s + name.len();
        let line = &source[syntax::line_start(source, s)..s];
        let in_comment = line.find('#').is_some_and(|h| {
            let before = &line[..h];
            before.matches('"').count().is_multiple_of(2)
                && before.matches('\'').count().is_multiple_of(2)
        });
        let inside = in_comment
            || removed
                .iter()
                .chain(std::iter::once(stmt))
                .any(|r| r.start <= s && e <= r.end);
        !inside
    })
}

/// Start offsets of `name` in `text` where it stands as a whole identifier.
fn word_occurrences<'t>(text: &'t str, name: &'t str) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.match_indices(name).map(|(s, _)| s).filter(move |&s| {
        let e = s + name.len();
        (s == 0 || !is_ident(bytes[s - 1])) && (e >= bytes.len() || !is_ident(bytes[e]))
    })
}
