//! The unified diff of every changed file, in the order the files were
//! found.
//!
//! The diff uses git's `a/` and `b/` prefixes and no timestamps, so that
//! `backpop | git apply -p1` reproduces `--write` byte for byte. It renders
//! only; which files change and how is decided before it is called.

use std::io::{self, Write};
use std::path::Path;

use similar::TextDiff;

use crate::run::{Mode, Outcome};

/// `--output-format full`: the diff of a dry run (nothing for `--check` and
/// `--write`).
pub(super) fn write(w: &mut dyn Write, outcome: &Outcome, color: bool) -> io::Result<()> {
    if outcome.mode != Mode::Diff {
        return Ok(());
    }
    let mut diff = String::new();
    for c in &outcome.changed {
        diff.push_str(&unified_diff(&c.path, &c.old, &c.new));
    }
    if color {
        super::color::diff(w, &diff)
    } else {
        w.write_all(diff.as_bytes())
    }
}

pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let p = super::path_str(path);
    // Lines end at LF only, as git sees them: a lone CR (classic Mac OS line
    // endings) is part of its line, so `git apply` takes the patch. The diff
    // splits at CR too, so lone CRs stand in as a character absent from both.
    let lone_cr = |s: &str| {
        s.as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\r' && w[1] != b'\n')
            || s.ends_with('\r')
    };
    let mark = ('\u{e000}'..='\u{f8ff}').find(|c| !old.contains(*c) && !new.contains(*c));
    if let Some(mark) = mark.filter(|_| lone_cr(old) || lone_cr(new)) {
        let hide = |s: &str| {
            let mut out = String::with_capacity(s.len());
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\r' && chars.peek() != Some(&'\n') {
                    out.push(mark);
                } else {
                    out.push(c);
                }
            }
            out
        };
        let (old, new) = (hide(old), hide(new));
        let diff = TextDiff::from_lines(&old, &new);
        return diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{p}"), &format!("b/{p}"))
            .to_string()
            .replace(mark, "\r");
    }
    let diff = TextDiff::from_lines(old, new);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{p}"), &format!("b/{p}"))
        .to_string()
}
