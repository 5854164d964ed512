//! What kept one side or both from being compared: the `verify-setup` code,
//! a module's import or `configure_mappers()` failing, a changed file that no
//! import ran; and the same failure on both sides (unverified) told from a
//! different one (a difference).

use std::path::Path;

use serde_json::Value;

use super::compare::strings;
use super::{Finding, Place, Watched, When};

/// The error line of a failure recorded by dump.py.
fn error(failure: Option<&Value>) -> Option<String> {
    failure
        .and_then(|f| f.get("error"))
        .and_then(Value::as_str)
        .map(String::from)
}

/// Where a failure recorded under `doc[key]` happened, as dump.py found it.
fn failure_place(failure: Option<&Value>) -> Option<Place> {
    let w = failure?.get("where")?;
    Some(Place {
        file: w.get("file")?.as_str()?.into(),
        line: w.get("line")?.as_u64()? as usize,
    })
}

fn when(before: bool, after: bool) -> Option<When> {
    match (before, after) {
        (true, true) => Some(When::Both),
        (true, false) => Some(When::Before),
        (false, true) => Some(When::After),
        (false, false) => None,
    }
}

/// A failure on both sides is the same failure only when its error is the
/// same; otherwise the change changed it, which is a difference.
fn differently(when: When, before: Option<String>, after: Option<String>) -> (When, String) {
    match (when, before, after) {
        (When::Both, Some(b), Some(a)) if a != b => {
            (When::Differently, format!("{a} (before the change: {b})"))
        }
        (_, b, a) => (when, a.or(b).unwrap_or_default()),
    }
}

/// The changed files that should have run as modules and did not, on the
/// sides where they exist (a module that failed to import is reported as
/// such, not again here).
pub(super) fn not_run(before: &Value, after: &Value, files: &[Watched]) -> Vec<Finding> {
    let mut out = Vec::new();
    if before.get("setup_error").is_some() || after.get("setup_error").is_some() {
        return out; // nothing was imported; the setup failure says why
    }
    // Whether `file` ran as a module on the side of `doc`, or its module is
    // reported as failing or absent there.
    let side = |doc: &Value| {
        let (absent, loaded) = (strings(doc, "absent"), strings(doc, "loaded"));
        let errors = doc.get("import_errors").cloned().unwrap_or(Value::Null);
        move |file: &Path, module: &str| {
            errors.get(module).is_some()
                || absent.contains(module)
                || loaded.contains(file.to_string_lossy().as_ref())
        }
    };
    let (ran_before, ran_after) = (side(before), side(after));
    for w in files {
        let missed_before = w
            .before
            .as_deref()
            .is_some_and(|f| !ran_before(f, &w.module));
        let missed_after = w.after.as_deref().is_some_and(|f| !ran_after(f, &w.module));
        if let Some(when) = when(missed_before, missed_after) {
            let file = w
                .after
                .clone()
                .or_else(|| w.before.clone())
                .unwrap_or_default();
            out.push(Finding::NotRun { file, when });
        }
    }
    out
}

/// How many modules imported on both sides.
pub(super) fn imported_on_both(before: &Value, after: &Value) -> usize {
    let b = strings(before, "imported");
    strings(after, "imported").intersection(&b).count()
}

pub(super) fn setup(before: &Value, after: &Value, out: &mut Vec<Finding>) {
    let (b, a) = (
        error(before.get("setup_error")),
        error(after.get("setup_error")),
    );
    if let Some(when) = when(b.is_some(), a.is_some()) {
        out.push(Finding::SetupFails {
            when,
            error: a.or(b).unwrap_or_default(),
        });
    }
}

pub(super) fn imports(before: &Value, after: &Value, modules: &[String], out: &mut Vec<Finding>) {
    let (absent_b, absent_a) = (strings(before, "absent"), strings(after, "absent"));
    for m in modules {
        let (b, a) = (
            before.get("import_errors").and_then(|e| e.get(m)),
            after.get("import_errors").and_then(|e| e.get(m)),
        );
        if let Some(when) = when(b.is_some(), a.is_some()) {
            let (when, error) = differently(when, error(b), error(a));
            out.push(Finding::ImportFails {
                module: m.clone(),
                when,
                error,
                place: failure_place(a).or(failure_place(b)),
            });
        } else if absent_b.contains(m) && absent_a.contains(m) {
            out.push(Finding::ImportFails {
                module: m.clone(),
                when: When::Both,
                error: format!("ModuleNotFoundError: No module named '{m}'"),
                place: None,
            });
        }
    }
}

/// The configure failures; whether both sides configured, so that their
/// mappers can be compared.
pub(super) fn configure(before: &Value, after: &Value, out: &mut Vec<Finding>) -> bool {
    let (b, a) = (before.get("configure_error"), after.get("configure_error"));
    match when(b.is_some(), a.is_some()) {
        None => true,
        Some(when) => {
            let (when, error) = differently(when, error(b), error(a));
            out.push(Finding::ConfigureFails {
                when,
                error,
                place: failure_place(a).or(failure_place(b)),
            });
            false
        }
    }
}
