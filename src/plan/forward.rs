//! The forward's own edit: `backref=...` becomes `back_populates=...` in
//! place. When that pushes a one-line statement past the line length it
//! fitted before, the relationship call is laid out again as black and ruff
//! format would lay out the statement (its arguments on one indented line,
//! else one per line with a trailing comma); every other byte stays.

use std::ops::Range;

use super::*;
use crate::codegen::call_text;

/// The edit that replaces `range` (inside the call of `rel`) with `text`.
pub(super) fn forward_edit(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    range: Range<usize>,
    text: String,
) -> Edit {
    relaid(ix, fi, rel, &range, &text).unwrap_or_else(|| Edit::new(fi, range, text))
}

/// The call laid out again, when the line it ends (`name = call(...)`,
/// `return call(...)`, a `"key": call(...),` entry or `key=call(...),`
/// argument of a call laid out one argument per line) is laid out as black
/// lays it out, and the edit makes black lay it out otherwise: split when it
/// no longer fits on one line, joined when it now does. A call laid out by
/// hand (a magic trailing comma, comments, arguments that span lines) keeps
/// its layout.
fn relaid(ix: &Index, fi: usize, rel: &RelFact, range: &Range<usize>, text: &str) -> Option<Edit> {
    let src = &ix.files[fi].source;
    let call = rel.call_range.clone();
    if !(call.start <= range.start && range.end <= call.end) {
        return None;
    }
    let ls = crate::syntax::line_start(src, call.start);
    let le = src[call.end..]
        .find(['\n', '\r'])
        .map_or(src.len(), |i| call.end + i);
    let indent_len = src[ls..call.start]
        .find(|c| c != ' ' && c != '\t')
        .unwrap_or(call.start - ls);
    let indent = &src[ls..ls + indent_len];
    let head = &src[ls + indent_len..call.start];
    let tail = src[call.end..le].trim_end();
    let one_line = |s: &str| !s.contains(['\n', '\r']);
    if !one_line(head) || !(tail.is_empty() || tail == ",") || head.trim_start().starts_with('#') {
        return None;
    }
    // The line's width counts what follows the call (`,`).
    let style = Style {
        line_length: ix.style(fi).line_length.saturating_sub(tail.len()),
        ..ix.style(fi)
    };
    let unit = style.indent;
    let layout = |call_text_now: &str| {
        let (callee, args) = crate::syntax::call_parts(call_text_now)?;
        if args.is_empty() || !args.iter().all(|a| one_line(a)) {
            return None;
        }
        let laid = call_text(indent, unit, head, &callee, &args, &style);
        laid.strip_prefix(&format!("{indent}{head}"))
            .map(str::to_string)
    };
    let old_call = &src[call.clone()];
    // One argument per line ends with a comma, which black keeps as a magic
    // trailing comma: that layout stays whatever the edit.
    let magic = old_call
        .strip_suffix(')')
        .is_some_and(|inner| inner.trim_end().ends_with(','));
    if magic || layout(old_call)?.as_str() != old_call {
        return None;
    }
    let new_call = format!(
        "{}{text}{}",
        &src[call.start..range.start],
        &src[range.end..call.end]
    );
    let relaid = layout(&new_call)?;
    (relaid != new_call).then(|| Edit::new(fi, call, relaid))
}
