//! The statements around a changed forward laid out again, when the edit
//! makes black lay them out otherwise: `back_populates=` is longer than
//! `backref=` and pushes a one-line `properties={...}` argument, or a call's
//! arguments on one indented line, past the line length; a shorter result
//! lets a split argument fit on one line again.
//!
//! A piece of text is laid out again only when [`crate::codegen::relaid_unit`]
//! reproduces its current layout byte for byte (black laid it out, and the
//! layout code reads it the way black does), and only with the edits inside
//! it; every other byte stays.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::codegen::{Style, relaid_unit};
use crate::plan::Edit;

/// Lay out again, in `list` (the file's edits, sorted), the pieces around
/// each position of `at` (the forwards' `backref=` ranges).
pub(super) fn relaid_around(
    fi: usize,
    source: &str,
    list: &mut Vec<Edit>,
    at: &[Range<usize>],
    style: &Style,
) {
    // The units laid out again (disjoint), by start, with their edits: the
    // list is changed once at the end. A later unit never overlaps an earlier
    // one, so it sees the same edits either way.
    let mut done: BTreeMap<usize, (usize, Edit)> = BTreeMap::new();
    let edits = Sorted::new(list);
    for r in at {
        for unit in units(source, r.start) {
            let overlaps = done
                .range(..unit.end)
                .next_back()
                .is_some_and(|(_, (end, _))| unit.start < *end);
            if overlaps {
                break;
            }
            match relaid(fi, source, &edits, &unit, style) {
                Outcome::Relaid(edit) => {
                    done.insert(unit.start, (unit.end, edit));
                    break;
                }
                Outcome::AsItIs => break,
                Outcome::NotCovered => {}
            }
        }
    }
    if done.is_empty() {
        return;
    }
    list.retain(|e| {
        let unit = done.range(..=e.range.start).next_back();
        !unit.is_some_and(|(&start, (end, _))| inside(&e.range, &(start..*end)))
    });
    list.extend(done.into_values().map(|(_, edit)| edit));
    list.sort_by_key(|e| (e.range.start, e.range.end));
}

/// Edits sorted by start, with the furthest end reached by each prefix: the
/// edits that touch a unit are found by binary search, not by a scan of a
/// file's every edit.
struct Sorted<'e> {
    list: &'e [Edit],
    furthest: Vec<usize>,
}

impl<'e> Sorted<'e> {
    fn new(list: &'e [Edit]) -> Self {
        let furthest = list
            .iter()
            .scan(0, |m, e| {
                *m = (*m).max(e.range.end);
                Some(*m)
            })
            .collect();
        Sorted { list, furthest }
    }

    /// The edits inside `unit`, in order; `None` when an edit crosses one of
    /// its ends.
    fn inside(&self, unit: &Range<usize>) -> Option<&'e [Edit]> {
        let from = self.list.partition_point(|e| e.range.start < unit.start);
        let to = self.list.partition_point(|e| e.range.start < unit.end);
        // An edit starting before the unit that reaches into it.
        if from > 0 && self.furthest[from - 1] > unit.start {
            return None;
        }
        let within = &self.list[from..to];
        let crossing = |e: &Edit| unit.start < e.range.end && !inside(&e.range, unit);
        if within.iter().any(crossing) {
            return None;
        }
        Some(within)
    }
}

enum Outcome {
    Relaid(Edit),
    /// Black's layout already: nothing to do here nor further in.
    AsItIs,
    NotCovered,
}

/// An edit that lies inside the unit (an insertion at either end lies outside).
fn inside(e: &Range<usize>, unit: &Range<usize>) -> bool {
    let insertion_at_end = e.is_empty() && (e.start == unit.start || e.start == unit.end);
    e.start >= unit.start && e.end <= unit.end && !insertion_at_end
}

fn relaid(fi: usize, source: &str, edits: &Sorted, unit: &Range<usize>, style: &Style) -> Outcome {
    let line_start = crate::syntax::line_start(source, unit.start);
    let indent = &source[line_start..unit.start];
    let old = &source[unit.clone()];
    let lay = |text: &str| relaid_unit(indent, text, style);
    if lay(old).as_deref() != Some(&format!("{indent}{old}")) {
        return Outcome::NotCovered;
    }
    // The unit with the edits inside it; none may cross its ends.
    let Some(within) = edits.inside(unit) else {
        return Outcome::NotCovered;
    };
    let mut new = String::with_capacity(old.len() + 32);
    let mut pos = unit.start;
    for e in within.iter().filter(|e| inside(&e.range, unit)) {
        new.push_str(&source[pos..e.range.start]);
        new.push_str(&e.text);
        pos = e.range.end;
    }
    new.push_str(&source[pos..unit.end]);
    let Some(laid) = lay(&new) else {
        return Outcome::NotCovered;
    };
    let laid = laid.strip_prefix(indent).unwrap_or(&laid).to_string();
    if laid == new {
        return Outcome::AsItIs;
    }
    Outcome::Relaid(Edit::new(fi, unit.clone(), laid))
}

/// The pieces around offset `at` black lays out as one line before it splits
/// them, outermost first: the bracket two levels up, one level up (the lines
/// from one ending with an opening bracket to the one starting with its
/// closing bracket), and the line itself. Each starts at its first
/// non-blank character and ends at the end of its last line.
fn units(source: &str, at: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let line = line_unit(source, at);
    let mut current = line.clone();
    let mut enclosing = Vec::new();
    for _ in 0..2 {
        match enclosing_unit(source, &current) {
            Some(u) => {
                enclosing.push(u.clone());
                current = u;
            }
            None => break,
        }
    }
    out.extend(enclosing.into_iter().rev());
    out.push(line);
    out
}

fn line_unit(source: &str, at: usize) -> Range<usize> {
    let ls = crate::syntax::line_start(source, at);
    let le = source[at..]
        .find(['\n', '\r'])
        .map_or(source.len(), |i| at + i);
    let first = source[ls..le]
        .find(|c: char| c != ' ' && c != '\t')
        .map_or(le, |i| ls + i);
    first..le
}

/// The unit one bracket up from `unit`: the line before it ends with an
/// opening bracket whose closing bracket starts a line after it.
fn enclosing_unit(source: &str, unit: &Range<usize>) -> Option<Range<usize>> {
    let ls = crate::syntax::line_start(source, unit.start);
    if ls == 0 {
        return None;
    }
    // The end of the line before: its `\r` when lines end with `\r\n`.
    let mut back = ls - 1;
    if source[..back].ends_with('\r') && source[back..].starts_with('\n') {
        back -= 1;
    }
    let prev = line_unit(source, back);
    let open_at = prev.start + source[prev.clone()].trim_end().len().checked_sub(1)?;
    let open = source[open_at..].chars().next()?;
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        _ => return None,
    };
    let close_at = matching(source, open_at, open, close)?;
    if close_at < unit.end {
        return None;
    }
    let close_line = line_unit(source, close_at);
    (close_line.start == close_at).then_some(prev.start..close_line.end)
}

/// The offset of the bracket closing the one at `open_at`, skipping strings;
/// `None` at a comment or a triple-quoted string.
fn matching(source: &str, open_at: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in source[open_at..].char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            } else if c == '\n' {
                return None;
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                if source[open_at + i..].starts_with("\"\"\"")
                    || source[open_at + i..].starts_with("'''")
                {
                    return None;
                }
                quote = Some(c);
            }
            '#' => return None,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(open_at + i);
                }
            }
            _ => {}
        }
    }
    None
}
