//! Joining what several fixes insert at one place: entries of one new
//! `properties={...}` joined, and a one-line mapping call laid out again
//! when its new entries make it too long. It decides which insertions join
//! and which edits fold into a call laid out again; the text of that call
//! comes from [`crate::codegen`], the edits themselves from the planner.

use std::collections::BTreeMap;
use std::ops::Range;

use super::splice;
use crate::codegen::{DictArg, relaid_call_arguments, relaid_mapping_arguments};
use crate::facts::OneLineCall;
use crate::plan::Edit;

/// Join the insertions that share a slot (entries of one new `properties={...}`).
/// When the joined text makes a one-line call too long, the call's arguments
/// are laid out again instead (see [`crate::plan::Wrap`]).
pub(super) fn merge_slots(fi: usize, source: &str, list: &mut Vec<Edit>) {
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
    let folded: Vec<&Edit> = inside.iter().map(|i| &list[*i]).collect();
    if !folded.iter().all(|e| within_one_piece(call, &e.range)) {
        return None;
    }
    let text_of = |r: &Range<usize>| folded_text(fi, source, &folded, r);
    let args: Vec<String> = call.args.iter().map(text_of).collect::<Option<_>>()?;
    let existing: Vec<String> = match &call.properties {
        Some(p) => p.entries.iter().map(text_of).collect::<Option<_>>()?,
        None => Vec::new(),
    };
    let properties = call.properties.as_ref().map(|p| DictArg {
        at: p.index,
        open: &source[p.open.clone()],
        close: &p.close,
        existing: &existing,
    });
    let text = if call.entries_as_arguments {
        relaid_call_arguments(&w.indent, &args, entries, &w.style)
    } else {
        relaid_mapping_arguments(&w.indent, &args, properties, entries, &w.style)
    };
    let mut k = 0;
    list.retain(|_| {
        k += 1;
        !inside.contains(&(k - 1))
    });
    Some(Edit::new(fi, call.inner.clone(), text))
}

/// Whether an edit lies inside one argument of the call (other than its
/// `properties` dict) or one entry of that dict; an insertion at the start
/// of one does not count.
fn within_one_piece(call: &OneLineCall, r: &Range<usize>) -> bool {
    let mut pieces = call
        .args
        .iter()
        .enumerate()
        .filter(|(i, _)| call.properties.as_ref().is_none_or(|p| p.index != *i))
        .map(|(_, r)| r)
        .chain(call.properties.iter().flat_map(|p| p.entries.iter()));
    pieces.any(|p| p.start <= r.start && r.end <= p.end && (r.start < r.end || r.start > p.start))
}

/// The text of the piece of `source` at `r` with the edits inside it applied.
fn folded_text(fi: usize, source: &str, folded: &[&Edit], r: &Range<usize>) -> Option<String> {
    let mut edits: Vec<Edit> = folded
        .iter()
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
}
