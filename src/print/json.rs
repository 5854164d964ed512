//! `--output-format json`: one document (schema: `schema/output.schema.json`)
//! with the migrations, the line-level changes of every file, the
//! diagnostics, the errors and the summary.
//!
//! Positions are 1-based lines and columns; edit ranges are also given as
//! byte offsets. It lays out what the outcome holds and computes nothing
//! beyond the line-level edits of each changed file.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::path_str;
use crate::diagnostics::Code;
use crate::facts::Pos;
use crate::report::{FileChange, FileEdit, Side};
use crate::run::{Mode, Outcome};
use crate::verify::{Finding, Verification};

fn pos_json(p: Pos) -> Value {
    json!({ "line": p.line, "column": p.col })
}

fn edit_json(e: &FileEdit) -> Value {
    json!({
        "path": path_str(&e.path),
        "start": pos_json(e.start),
        "end": pos_json(e.end),
        "start_byte": e.start_byte,
        "end_byte": e.end_byte,
        "text": e.text,
    })
}

fn side_json(s: &Side) -> Value {
    json!({
        "path": path_str(&s.path),
        "line": s.pos.line,
        "column": s.pos.col,
        "class": s.class,
        "attribute": s.attribute,
    })
}

/// A value as a pretty-printed document and a line end.
fn verification_json(v: &Verification) -> Value {
    json!({
        "passed": !v.failed(),
        "python": v.python,
        "sqlalchemy": v.sqlalchemy,
        "modules": v.modules,
        "imported": v.imported,
        "relationships": v.relationships,
        "seconds": (v.elapsed.as_secs_f64() * 100.0).round() / 100.0,
        "findings": v.findings.iter().map(finding_json).collect::<Vec<_>>(),
    })
}

fn finding_json(f: &Finding) -> Value {
    let code = if f.unverified() {
        Code::Unverified
    } else {
        Code::VerifyDifference
    };
    let mut doc = json!({
        "code": code.as_str(),
        "subject": f.subject(),
        "message": f.to_string(),
    });
    let (kind, extra) = match f {
        Finding::Field {
            field,
            before,
            after,
            ..
        } => (
            "field",
            json!({ "field": field, "before": before, "after": after }),
        ),
        Finding::Missing { .. } => ("missing-after", json!({})),
        Finding::Added { .. } => ("new-after", json!({})),
        Finding::ImportFails { when, error, .. } => (
            "import-fails",
            json!({ "when": when.as_str(), "error": error }),
        ),
        Finding::ConfigureFails { when, error, .. } => (
            "configure-fails",
            json!({ "when": when.as_str(), "error": error }),
        ),
        Finding::SetupFails { when, error } => (
            "setup-fails",
            json!({ "when": when.as_str(), "error": error }),
        ),
        Finding::NewWarning { warning } => ("new-warning", json!({ "warning": warning })),
        Finding::NotRun { when, .. } => ("not-run", json!({ "when": when.as_str() })),
        Finding::NotImportable { .. } => ("not-importable", json!({})),
        Finding::NothingCompared => ("nothing-compared", json!({})),
    };
    doc["kind"] = json!(kind);
    if let (Some(d), Some(e)) = (doc.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    doc
}

pub(super) fn write_document(w: &mut dyn Write, doc: &Value) -> io::Result<()> {
    let mut out = serde_json::to_string_pretty(doc).unwrap_or_default();
    out.push('\n');
    w.write_all(out.as_bytes())
}

pub(super) fn write(w: &mut dyn Write, o: &Outcome) -> io::Result<()> {
    let mut changes: Vec<FileChange> = o
        .changed
        .iter()
        .map(|c| FileChange::new(&c.path, &c.old, &c.new))
        .collect();
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    let doc = json!({
        "version": 1,
        "tool": { "name": "backpop", "version": env!("CARGO_PKG_VERSION") },
        "mode": match o.mode {
            Mode::Diff => "diff",
            Mode::Check => "check",
            Mode::Write => "write",
            Mode::Verify => "verify",
        },
        "migrations": o.migrations.iter().map(|m| json!({
            "source": side_json(&m.source),
            "target": side_json(&m.target),
            "edits": m.edits.iter().map(edit_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "files": changes.iter().map(|c| json!({
            "path": path_str(&c.path),
            "edits": c.edits.iter().map(edit_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "diagnostics": o.diagnostics.iter().map(|d| json!({
            "code": d.code().as_str(),
            "path": path_str(&d.path),
            "line": d.pos.line,
            "column": d.pos.col,
            "message": d.message(),
            "unmigrated": d.unmigrated,
        })).collect::<Vec<_>>(),
        "errors": o.errors,
        "summary": {
            "migrated": o.migrations.len(),
            "files_changed": o.files_changed,
            "unmigrated": o.unmigrated(),
            "text": super::summary(o),
        },
    });
    let mut doc = doc;
    if let (Some(v), Some(map)) = (&o.verification, doc.as_object_mut()) {
        map.insert("verification".into(), verification_json(v));
    }
    write_document(w, &doc)
}
