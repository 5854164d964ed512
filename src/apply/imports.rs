//! Settling a changed module's imports once the set of fixes is final: which
//! names the new text needs that the module does not bind yet, which
//! imports (`backref`, names only typing stubs used) the migration left
//! unused, and where new import lines go (isort sections, after the last
//! import, in a `TYPE_CHECKING` block). The text of the statements comes
//! from [`crate::codegen::imports`]. It never touches code outside import
//! statements and the place new ones go.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::codegen::Style;
use crate::codegen::imports::{self as statements, Addition};
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
    needs: BTreeSet<Need>,
    removed: &[Range<usize>],
    stubs: &[Range<usize>],
    inserted: &str,
) -> Vec<Edit> {
    let f = &ix.files[fi];
    let style = ix.style(fi);
    let nl = style.line_ending;
    let needs = missing(ix, fi, needs);
    let mut changes = Changes::default();
    // Imports used only in the text the migration removed (`backref`, helpers of moved
    // keywords, `TYPE_CHECKING` of a deleted stub block) go with it.
    let gone: Vec<Range<usize>> = removed.iter().chain(stubs).cloned().collect();
    for imp in unused(f, &needs, &gone, inserted) {
        changes
            .rewrite(f, imp.stmt_range.start)
            .drop
            .push(imp.bound.clone());
    }
    for need in &needs {
        match statements::get_or_add(&f.source, &f.imports, need, nl) {
            Addition::Extend { stmt, item } => changes.rewrite(f, stmt).add.push(item),
            Addition::From { module, item } => {
                changes.new_from.entry(module).or_default().push(item)
            }
            Addition::Line(line) => changes.new_lines.push(line),
            Addition::TypeChecking(line) => changes.tc_lines.push(line),
        }
    }
    let mut edits = rewrite_edits(fi, f, &changes.rewrites, &style);
    let mut new_lines = changes.new_lines;
    for (module, items) in changes.new_from {
        new_lines.push(statements::from_line(&module, items, nl));
    }
    new_lines.sort();
    new_lines.dedup();
    let first_party = |top: &str| top.is_empty() || ix.defines_module(top);
    edits.extend(section_edits(fi, f, &mut new_lines, nl, &first_party));
    let mut tc_lines = changes.tc_lines;
    tc_lines.sort();
    tc_lines.dedup();
    edits.extend(block_edits(fi, f, &new_lines, &tc_lines, &style));
    edits
}

/// The needs the module does not satisfy yet, with `TYPE_CHECKING` itself
/// when a name must be imported for typing only and there is no block yet.
fn missing(ix: &Index, fi: usize, mut needs: BTreeSet<Need>) -> BTreeSet<Need> {
    needs.retain(|n| !satisfied(ix, fi, n));
    if needs.iter().any(|n| matches!(n, Need::TypeChecking { .. }))
        && ix.files[fi].type_checking_block.is_none()
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
    needs
}

/// The top-level imports that only the text in `gone` used: not needed by
/// the new text (`needs`, and the moved text `inserted` in its new place),
/// not a star import, not in a statement with a comment.
fn unused<'f>(
    f: &'f FileFacts,
    needs: &BTreeSet<Need>,
    gone: &[Range<usize>],
    inserted: &str,
) -> Vec<&'f ImportFact> {
    if gone.is_empty() {
        return Vec::new();
    }
    let needed: BTreeSet<&str> = needs
        .iter()
        .map(|n| match n {
            Need::From { alias, .. } | Need::Import { alias, .. } => alias.as_str(),
            Need::TypeChecking { .. } => "TYPE_CHECKING",
        })
        .collect();
    let everywhere = 0..inserted.len();
    f.imports
        .iter()
        .filter(|i| i.top_level && !i.type_checking)
        .filter(|imp| {
            let bound = imp.bound.as_str();
            !(needed.contains(bound)
                || imp.name.as_deref() == Some("*")
                || f.source[imp.stmt_range.clone()].contains('#')
                || !used_within(&f.source, bound, gone)
                // The moved text may use it in its new place.
                || used_within(inserted, bound, std::slice::from_ref(&everywhere))
                || used_outside(&f.source, bound, gone, &imp.stmt_range))
        })
        .collect()
}

/// What settling one module's imports changes, before it becomes edits.
#[derive(Default)]
struct Changes<'f> {
    /// Existing statements to rewrite, by start offset.
    rewrites: BTreeMap<usize, Rewrite<'f>>,
    /// Items of new `from m import ...` lines, one line per module.
    new_from: BTreeMap<String, Vec<String>>,
    /// New `import m` lines.
    new_lines: Vec<String>,
    /// New lines of the `if TYPE_CHECKING:` block.
    tc_lines: Vec<String>,
}

impl<'f> Changes<'f> {
    /// The rewrite of the statement starting at `start`.
    fn rewrite(&mut self, f: &'f FileFacts, start: usize) -> &mut Rewrite<'f> {
        self.rewrites.entry(start).or_insert_with(|| Rewrite {
            stmt: statement_of(f, start),
            drop: Vec::new(),
            add: Vec::new(),
        })
    }
}

/// An import statement to rewrite: its facts, names to drop, items to add.
struct Rewrite<'f> {
    stmt: Vec<&'f ImportFact>,
    drop: Vec<String>,
    add: Vec<String>,
}

/// Each rewritten statement replaced, or its lines deleted when no name is left.
fn rewrite_edits(
    fi: usize,
    f: &FileFacts,
    rewrites: &BTreeMap<usize, Rewrite>,
    style: &Style,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (&start, r) in rewrites {
        if r.stmt.is_empty() {
            continue;
        }
        let end = r
            .stmt
            .iter()
            .map(|i| i.stmt_range.end)
            .max()
            .unwrap_or(start);
        match statements::rewritten_statement(&r.stmt, &r.drop, &r.add, style) {
            Some(new) => edits.push(Edit::new(fi, start..end, new)),
            None => {
                let ls = syntax::line_start(&f.source, start);
                let le = syntax::line_end(&f.source, end);
                edits.push(Edit::new(fi, ls..le, String::new()));
            }
        }
    }
    edits
}

/// Lines that join a section of imports of the same top-level package go
/// there (and leave `new_lines`).
fn section_edits(
    fi: usize,
    f: &FileFacts,
    new_lines: &mut Vec<String>,
    nl: &str,
    first_party: &dyn Fn(&str) -> bool,
) -> Vec<Edit> {
    let mut placed: BTreeMap<usize, String> = BTreeMap::new();
    new_lines.retain(|line| match section_point(f, line, first_party) {
        Some(at) => {
            placed.entry(at).or_default().push_str(line);
            false
        }
        None => true,
    });
    placed
        .into_iter()
        .map(|(at, lines)| {
            let next = &f.source[at..syntax::line_end(&f.source, at)];
            let mut text = statements::section_text(lines, next, nl);
            // A third-party line put in front of the first-party section
            // starts a section of its own.
            let next_top = next.split_whitespace().nth(1).unwrap_or("");
            let next_top = next_top.split('.').next().unwrap_or("");
            let top = text.split_whitespace().nth(1).unwrap_or("");
            let top = top.split('.').next().unwrap_or("");
            if next.starts_with(['f', 'i'])
                && !statements::is_stdlib(top)
                && !first_party(top)
                && first_party(next_top)
            {
                text.push_str(nl);
            }
            Edit::new(fi, at..at, text)
        })
        .collect()
}

/// The other new lines after all imports, and the `TYPE_CHECKING` lines in
/// the module's block or, when it has none, a new block after them.
fn block_edits(
    fi: usize,
    f: &FileFacts,
    new_lines: &[String],
    tc_lines: &[String],
    style: &Style,
) -> Vec<Edit> {
    let nl = style.line_ending;
    let mut edits = Vec::new();
    let mut block = new_lines.concat();
    if !tc_lines.is_empty() {
        match &f.type_checking_block {
            Some((range, indent)) => {
                // Each line in isort's order among the block's imports (by
                // module, then as written), else at the block's end.
                let module_of = |l: &str| l.split_whitespace().nth(1).unwrap_or("").to_string();
                let existing: Vec<(String, usize, &str)> = f
                    .imports
                    .iter()
                    .filter(|i| i.type_checking && range.contains(&i.stmt_range.start))
                    .map(|i| {
                        let text = f.source[i.stmt_range.clone()].trim();
                        (module_of(text), i.stmt_range.start, text)
                    })
                    .collect();
                let mut at_points: BTreeMap<usize, Vec<String>> = BTreeMap::new();
                for l in tc_lines {
                    let key = (module_of(l), l.as_str());
                    let at = existing
                        .iter()
                        .filter(|(m, _, text)| (m.clone(), *text) > (key.0.clone(), key.1))
                        .map(|(_, start, _)| syntax::line_start(&f.source, *start))
                        .min()
                        .unwrap_or(range.end);
                    at_points.entry(at).or_default().push(l.clone());
                }
                for (at, lines) in at_points {
                    let text = statements::type_checking_lines(&lines, indent, nl);
                    edits.push(Edit::new(fi, at..at, text));
                }
            }
            None => block.push_str(&statements::type_checking_block(tc_lines, style.indent, nl)),
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

/// Where an import line of a package the module already imports from belongs:
/// after the last top-level import of that package; `typing` before the first
/// third-party import. `None` for the default place after all imports.
fn section_point(f: &FileFacts, line: &str, first_party: &dyn Fn(&str) -> bool) -> Option<usize> {
    let module = line.split_whitespace().nth(1)?;
    let top = module.split('.').next()?;
    let top_level: Vec<&ImportFact> = f
        .imports
        .iter()
        .filter(|i| i.top_level && !i.type_checking)
        .collect();
    let section = |t: &str| {
        if statements::is_stdlib(t) {
            0
        } else if first_party(t) {
            2
        } else {
            1
        }
    };
    if line.starts_with("import ") {
        // Within a section, isort and ruff put `import m` lines in module
        // order before the `from m import ...` lines.
        let in_section: Vec<&&ImportFact> = top_level
            .iter()
            .filter(|i| {
                i.module != "__future__"
                    && section(i.module.split('.').next().unwrap_or("")) == section(top)
            })
            .collect();
        let after = in_section
            .iter()
            .filter(|i| i.name.is_none() && i.module.as_str() < module)
            .map(|i| i.stmt_range.end)
            .max();
        if let Some(end) = after {
            let at = syntax::line_end(&f.source, end);
            return (at != f.import_insert_at).then_some(at);
        }
        if let Some(first) = in_section.iter().map(|i| i.stmt_range.start).min() {
            return Some(syntax::line_start(&f.source, first));
        }
    }
    let same = top_level
        .iter()
        .filter(|i| i.module.split('.').next() == Some(top))
        .map(|i| i.stmt_range.end)
        .max();
    if let Some(end) = same {
        let at = syntax::line_end(&f.source, end);
        return (at != f.import_insert_at).then_some(at);
    }
    if statements::is_stdlib(top) {
        // Among the standard-library imports, in module order; else before the first import.
        let stdlib: Vec<&&ImportFact> = top_level
            .iter()
            .filter(|i| {
                let t = i.module.split('.').next().unwrap_or("");
                i.module != "__future__" && statements::is_stdlib(t)
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
    if first_party(top) {
        return None;
    }
    // A third-party package: among the third-party `from` imports in module
    // order, else in front of the first-party section.
    let is_third = |i: &&&ImportFact| {
        let t = i.module.split('.').next().unwrap_or("");
        i.module != "__future__" && !statements::is_stdlib(t) && !first_party(t)
    };
    let third: Vec<&&ImportFact> = top_level.iter().filter(is_third).collect();
    if !third.is_empty() {
        let after = third
            .iter()
            .filter(|i| i.name.is_none() || i.module.as_str() < module)
            .map(|i| i.stmt_range.end)
            .max();
        return match after {
            Some(end) => {
                let at = syntax::line_end(&f.source, end);
                (at != f.import_insert_at).then_some(at)
            }
            None => third
                .iter()
                .map(|i| i.stmt_range.start)
                .min()
                .map(|first| syntax::line_start(&f.source, first)),
        };
    }
    let first = top_level
        .iter()
        .filter(|i| {
            let t = i.module.split('.').next().unwrap_or("");
            i.module != "__future__" && first_party(t)
        })
        .map(|i| i.stmt_range.start)
        .min()?;
    Some(syntax::line_start(&f.source, first))
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
        // `sqlalchemy.orm`, `x.orm`: an attribute or a module path, not the name.
        if source[..s].ends_with('.') {
            return false;
        }
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
