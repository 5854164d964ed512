//! Settling a changed module's imports once the set of fixes is final: the
//! names the new text needs are imported in the module's own style (isort
//! sections, existing `from` statements extended, `TYPE_CHECKING` blocks),
//! and `backref` (and names only typing stubs used) dropped when the
//! migration left them unused. It never touches code outside import
//! statements and the place new ones go.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::expr::Need;
use crate::facts::{FileFacts, ImportFact};
use crate::index::{Index, Symbol};
use crate::plan::Edit;
use crate::syntax;

pub(super) fn satisfied(ix: &Index, fi: usize, need: &Need) -> bool {
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

pub(super) fn import_edits(
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
pub(super) fn without_strings(text: &str) -> String {
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
