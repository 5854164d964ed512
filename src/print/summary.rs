//! The summary line that ends a run on stderr (and the `text` of the JSON
//! summary): what migrated, in how many files, and what was left, by code.
//!
//! Counts only what the outcome holds; it decides nothing and is not the
//! exit status (that is `main.rs`).

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::run::{Mode, Outcome};
use crate::verify::Verification;

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
    let verified = outcome.verification.as_ref().map(verification);
    if outcome.mode == Mode::Verify {
        let v = verified.unwrap_or_default();
        let mut chars = v.chars();
        return chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    let failed = outcome.verification.as_ref().is_some_and(|v| v.failed());
    let mut s = migration(
        outcome.mode == Mode::Write && !outcome.stdin && !failed,
        outcome.migrated,
        outcome.files_changed,
        &outcome.diagnostics,
    );
    if let Some(v) = verified {
        s.push_str("; ");
        s.push_str(&v);
        if failed && outcome.mode == Mode::Write {
            s.push_str("; nothing written");
        }
    }
    s
}

/// What a verification found, in one sentence.
fn verification(v: &Verification) -> String {
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let unverified = v.findings.iter().filter(|f| f.unverified()).count();
    let differences = v.findings.len() - unverified;
    if v.modules.is_empty() && v.findings.is_empty() {
        return "nothing to verify (no changed Python file is a package or mentions SQLAlchemy)"
            .into();
    }
    let how = format!(
        "{} imported with SQLAlchemy {} ({}, {:.1} s)",
        plural(v.imported, "module"),
        v.sqlalchemy,
        v.python,
        v.elapsed.as_secs_f64()
    );
    if v.findings.is_empty() {
        return format!(
            "verified: {how}; {} configure as before",
            plural(v.relationships, "relationship")
        );
    }
    let mut parts = Vec::new();
    if differences > 0 {
        parts.push(format!("{} (BP024)", plural(differences, "difference")));
    }
    if unverified > 0 {
        parts.push(format!("{unverified} unverified (BP025)"));
    }
    let verdict = if v.failed() {
        "verification failed"
    } else {
        "verified with unimported modules allowed"
    };
    format!("{verdict}: {}; {how}", parts.join(", "))
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
