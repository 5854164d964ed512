//! Rendering: the unified diff and the summary line.
//!
//! The diff uses git's `a/` and `b/` prefixes and no timestamps, so that
//! `backpop | git apply -p1` reproduces `--write` byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use similar::TextDiff;

use crate::diagnostics::{Code, Diagnostic};

pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let p = path.to_string_lossy().replace('\\', "/");
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

pub fn summary(write: bool, migrated: usize, files: usize, diagnostics: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.unmigrated) {
        *counts.entry(d.code).or_default() += 1;
    }
    let left: usize = counts.values().sum();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    let mut s = if migrated == 0 && left == 0 {
        return "No backrefs to migrate".to_string();
    } else {
        format!(
            "{} {migrated} {} in {files} {}",
            if write { "Migrated" } else { "Would migrate" },
            plural(migrated, "backref", "backrefs"),
            plural(files, "file", "files"),
        )
    };
    if left > 0 {
        let detail: Vec<String> = counts.iter().map(|(c, n)| format!("{c} x{n}")).collect();
        s.push_str(&format!("; {left} left unmigrated ({})", detail.join(", ")));
    }
    s
}
