//! The summary line that ends a run on stderr (and the `text` of the JSON
//! summary): what migrated, in how many files, and what was left, by code.
//!
//! Counts only what the outcome holds; it decides nothing and is not the
//! exit status (that is `main.rs`).

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::run::{Mode, Outcome};

/// The summary of `outcome`: of the listing, of an interrupted `--write`, or
/// of the migration.
pub fn summary(outcome: &Outcome) -> String {
    if let Some(entries) = &outcome.listing {
        let migrates = entries.iter().filter(|e| e.status == "migrates").count();
        return format!(
            "{} implicit attribute{} from backrefs; {migrates} would migrate",
            entries.len(),
            if entries.len() == 1 { "" } else { "s" }
        );
    }
    if outcome.interrupted {
        // Which pairings are complete is not counted: run again to finish.
        return format!(
            "Interrupted after writing {} of {} files; run again to finish",
            outcome.files_changed,
            outcome.changed.len()
        );
    }
    migration(
        outcome.mode == Mode::Write && !outcome.stdin,
        outcome.migrated,
        outcome.files_changed,
        &outcome.diagnostics,
    )
}

fn migration(write: bool, migrated: usize, files: usize, diagnostics: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.unmigrated) {
        *counts.entry(d.code()).or_default() += 1;
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
