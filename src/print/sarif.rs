//! `--output-format sarif`: a SARIF 2.1.0 log with one run, a rule per
//! diagnostic code (and `BP000` for a migration still to apply), a result
//! per pending migration and per diagnostic.
//!
//! It lays out what the outcome holds; rule texts come from
//! [`crate::explain`], not from here.

use std::io::{self, Write};
use std::path::Path;

use serde_json::json;

use super::path_str;
use crate::diagnostics::Code;
use crate::facts::Pos;
use crate::run::{Mode, Outcome};

/// The rule of a pending migration in SARIF (diagnostic codes are BP001-BP025).
const MIGRATE_RULE: &str = "BP000";

fn rules() -> Vec<serde_json::Value> {
    let mut rules = vec![json!({
        "id": MIGRATE_RULE,
        "name": "BackrefToMigrate",
        "shortDescription": { "text": "a backref= that backpop can migrate to back_populates" },
        "defaultConfiguration": { "level": "warning" },
    })];
    for code in Code::ALL {
        rules.push(json!({
            "id": code.as_str(),
            "shortDescription": { "text": crate::explain::title(code) },
            "fullDescription": { "text": crate::explain::explain(code) },
            "defaultConfiguration": { "level": "error" },
        }));
    }
    rules
}

fn location(path: &Path, pos: Pos) -> serde_json::Value {
    json!([{
        "physicalLocation": {
            "artifactLocation": { "uri": path_str(path), "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": pos.line, "startColumn": pos.col },
        }
    }])
}

pub(super) fn write(w: &mut dyn Write, o: &Outcome) -> io::Result<()> {
    let mut results = Vec::new();
    if o.mode != Mode::Write {
        for m in &o.migrations {
            results.push(json!({
                "ruleId": MIGRATE_RULE,
                "ruleIndex": 0,
                "level": "warning",
                "message": { "text": super::github::pending_message(m) },
                "locations": location(&m.source.path, m.source.pos),
            }));
        }
    }
    for d in &o.diagnostics {
        let index = Code::ALL
            .iter()
            .position(|c| *c == d.code())
            .map_or(0, |i| i + 1);
        results.push(json!({
            "ruleId": d.code().as_str(),
            "ruleIndex": index,
            "level": if d.is_error() { "error" } else { "note" },
            "message": { "text": d.message() },
            "locations": location(&d.path, d.pos),
        }));
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "backpop",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(),
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::json::write_document(w, &doc)
}
