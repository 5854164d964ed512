//! Machine-readable reports: what a run migrated, as data, and the renderings
//! of `--output-format` other than the diff (`concise`, `json`, `github`,
//! `sarif`).
//!
//! Positions are 1-based lines and columns ([`crate::facts::pos_in`]); edit
//! ranges are also given as byte offsets.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::diagnostics::{Code, Diagnostic};
use crate::facts::{Pos, pos_in};

/// One end of a pairing: where the class is and which attribute it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub path: PathBuf,
    pub pos: Pos,
    pub class: String,
    pub attribute: String,
}

/// One replacement in one file (an insertion when `start == end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: PathBuf,
    pub start: Pos,
    pub end: Pos,
    pub start_byte: usize,
    pub end_byte: usize,
    pub text: String,
}

/// A backref turned into `back_populates` on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The relationship that had `backref=` (its call).
    pub source: Side,
    /// The class that receives the reverse (its header).
    pub target: Side,
    pub edits: Vec<FileEdit>,
}

/// Everything that changes in one file: line-level replacements that turn
/// the old text into the new one (the reverses, the forwards and the imports
/// of all pairings together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    pub edits: Vec<FileEdit>,
}

impl FileChange {
    pub fn new(path: &Path, old: &str, new: &str) -> FileChange {
        let diff = similar::TextDiff::from_lines(old, new);
        // Byte offset of each line start, in both texts.
        let starts = |s: &str| -> Vec<usize> {
            std::iter::once(0)
                .chain(s.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        };
        let (old_starts, new_starts) = (starts(old), starts(new));
        let at =
            |starts: &[usize], line: usize, len: usize| starts.get(line).copied().unwrap_or(len);
        let edits = diff
            .ops()
            .iter()
            .filter(|op| op.tag() != similar::DiffTag::Equal)
            .map(|op| {
                let (o, n) = (op.old_range(), op.new_range());
                let start_byte = at(&old_starts, o.start, old.len());
                let end_byte = at(&old_starts, o.end, old.len());
                let text = new
                    [at(&new_starts, n.start, new.len())..at(&new_starts, n.end, new.len())]
                    .to_string();
                FileEdit {
                    path: path.to_path_buf(),
                    start: pos_in(old, start_byte),
                    end: pos_in(old, end_byte),
                    start_byte,
                    end_byte,
                    text,
                }
            })
            .collect();
        FileChange {
            path: path.to_path_buf(),
            edits,
        }
    }
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

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

/// What a run reports, for the renderers.
pub struct Report<'a> {
    pub mode: &'static str,
    pub migrations: &'a [Migration],
    pub changes: &'a [FileChange],
    pub diagnostics: &'a [Diagnostic],
    pub errors: &'a [String],
    pub files_changed: usize,
    pub summary: &'a str,
}

/// `--output-format json`: one document (schema: `schema/output.schema.json`).
pub fn json(r: &Report) -> String {
    let doc = json!({
        "version": 1,
        "tool": { "name": "backpop", "version": env!("CARGO_PKG_VERSION") },
        "mode": r.mode,
        "migrations": r.migrations.iter().map(|m| json!({
            "source": side_json(&m.source),
            "target": side_json(&m.target),
            "edits": m.edits.iter().map(edit_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "files": r.changes.iter().map(|c| json!({
            "path": path_str(&c.path),
            "edits": c.edits.iter().map(edit_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "diagnostics": r.diagnostics.iter().map(|d| json!({
            "code": d.code.as_str(),
            "path": path_str(&d.path),
            "line": d.pos.line,
            "column": d.pos.col,
            "message": d.message,
            "unmigrated": d.unmigrated,
        })).collect::<Vec<_>>(),
        "errors": r.errors,
        "summary": {
            "migrated": r.migrations.len(),
            "files_changed": r.files_changed,
            "unmigrated": r.diagnostics.iter().filter(|d| d.unmigrated).count(),
            "text": r.summary,
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// `--output-format concise`: one line per migration and per diagnostic.
pub fn concise(r: &Report) -> String {
    let mut out = String::new();
    for m in r.migrations {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}.{} <-> {}.{} ({}:{})",
            path_str(&m.source.path),
            m.source.pos.line,
            m.source.pos.col,
            m.source.class,
            m.source.attribute,
            m.target.class,
            m.target.attribute,
            path_str(&m.target.path),
            m.target.pos.line,
        );
    }
    out
}

/// What a pending migration is reported as (GitHub annotation, SARIF result).
fn pending_message(m: &Migration) -> String {
    format!(
        "`{}.{}` creates `{}.{}` with backref=; backpop --write declares it with back_populates on both sides",
        m.source.class, m.source.attribute, m.target.class, m.target.attribute
    )
}

/// GitHub Actions workflow commands: data must escape `%`, CR and LF;
/// properties also `:` and `,`.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `--output-format github`: an annotation per pending migration (warning)
/// and per diagnostic (error when it leaves a backref unmigrated).
pub fn github(r: &Report, pending: bool) -> String {
    let mut out = String::new();
    if pending {
        for m in r.migrations {
            let _ = writeln!(
                out,
                "::warning file={},line={},col={},title={}::{}",
                gh_prop(&path_str(&m.source.path)),
                m.source.pos.line,
                m.source.pos.col,
                gh_prop("backpop: backref to migrate"),
                gh_data(&pending_message(m)),
            );
        }
    }
    for d in r.diagnostics {
        let level = if d.unmigrated { "error" } else { "notice" };
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            gh_prop(&path_str(&d.path)),
            d.pos.line,
            d.pos.col,
            gh_prop(&format!("backpop {}", d.code)),
            gh_data(&d.message),
        );
    }
    out
}

/// The rule of a pending migration in SARIF (diagnostic codes are BP001-BP023).
const MIGRATE_RULE: &str = "BP000";

/// `--output-format sarif`: SARIF 2.1.0, one run, a rule per code.
pub fn sarif(r: &Report, pending: bool) -> String {
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
    let location = |path: &Path, pos: Pos| {
        json!([{
            "physicalLocation": {
                "artifactLocation": { "uri": path_str(path), "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": pos.line, "startColumn": pos.col },
            }
        }])
    };
    let mut results = Vec::new();
    if pending {
        for m in r.migrations {
            results.push(json!({
                "ruleId": MIGRATE_RULE,
                "ruleIndex": 0,
                "level": "warning",
                "message": { "text": pending_message(m) },
                "locations": location(&m.source.path, m.source.pos),
            }));
        }
    }
    for d in r.diagnostics {
        let index = Code::ALL
            .iter()
            .position(|c| *c == d.code)
            .map_or(0, |i| i + 1);
        results.push(json!({
            "ruleId": d.code.as_str(),
            "ruleIndex": index,
            "level": if d.unmigrated { "error" } else { "note" },
            "message": { "text": d.message },
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
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_offsets() {
        let src = "ab\ncd\n";
        assert_eq!(pos_in(src, 0), Pos { line: 1, col: 1 });
        assert_eq!(pos_in(src, 4), Pos { line: 2, col: 2 });
        assert_eq!(pos_in(src, 6), Pos { line: 3, col: 1 });
        assert_eq!(pos_in(src, 99), Pos { line: 3, col: 1 });
    }

    #[test]
    fn file_changes_rebuild_the_new_text() {
        let old = "a\nb\nc\nd";
        let new = "a\nB\nb\nc\nD";
        let change = FileChange::new(Path::new("m.py"), old, new);
        let mut text = old.to_string();
        for e in change.edits.iter().rev() {
            text.replace_range(e.start_byte..e.end_byte, &e.text);
        }
        assert_eq!(text, new);
        assert_eq!(change.edits[0].start, Pos { line: 2, col: 1 });
    }

    #[test]
    fn github_commands_escape_their_data() {
        assert_eq!(gh_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(gh_prop("x:y,z"), "x%3Ay%2Cz");
    }
}
