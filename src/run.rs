//! The pipeline, top to bottom.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use rayon::prelude::*;

use crate::apply::apply;
use crate::diagnostics::{Code, Diagnostic};
use crate::discover::{Found, discover};
use crate::facts::{FileFacts, Pos};
use crate::index::{Index, module_name};
use crate::output;
use crate::plan::plan;
use crate::syntax;
use crate::write::write_atomic;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Diff,
    Check,
    Write,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub mode: Mode,
    pub excludes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// The unified diff (empty unless `Mode::Diff`).
    pub diff: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Per-file failures (unreadable, not written); any of them makes the exit status 2.
    pub errors: Vec<String>,
    pub migrated: usize,
    pub files_changed: usize,
    pub summary: String,
}

impl Outcome {
    pub fn unmigrated(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.unmigrated).count()
    }
}

enum Loaded {
    Facts(Box<FileFacts>),
    Skipped(Diagnostic),
    Failed(String),
}

fn load(found: &Found) -> Loaded {
    let bytes = match std::fs::read(&found.path) {
        Ok(b) => b,
        Err(e) => return Loaded::Failed(format!("{}: cannot read: {e}", found.display.display())),
    };
    let stub = found.path.extension().is_some_and(|e| e == "pyi");
    let source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let mentions = memchr::memmem::find(e.as_bytes(), b"backref").is_some();
            return Loaded::Skipped(Diagnostic {
                path: found.display.clone(),
                pos: Pos { line: 1, col: 1 },
                code: Code::SyntaxError,
                message: "file is not valid UTF-8; skipped".into(),
                unmigrated: mentions,
            });
        }
    };
    Loaded::Facts(Box::new(syntax::extract(
        found.display.clone(),
        source,
        stub,
    )))
}

pub fn run(opts: &Options) -> Result<Outcome> {
    let found = discover(&opts.paths, &opts.excludes)?;
    let loaded: Vec<Loaded> = found.par_iter().map(load).collect();
    let mut out = Outcome::default();
    let mut files = Vec::new();
    let mut opened = Vec::new();
    for (f, l) in found.iter().zip(loaded) {
        match l {
            Loaded::Facts(facts) => {
                files.push(*facts);
                opened.push(f.path.clone());
            }
            Loaded::Skipped(d) => out.diagnostics.push(d),
            Loaded::Failed(e) => out.errors.push(e),
        }
    }
    for f in &files {
        if let Some(pos) = f.syntax_error {
            let mentions = f.source.contains("backref");
            if mentions && !f.stub {
                out.diagnostics.push(Diagnostic {
                    path: f.path.clone(),
                    pos,
                    code: Code::SyntaxError,
                    message: "syntax error; backrefs in this file are left unmigrated".into(),
                    unmigrated: true,
                });
            }
        }
    }
    let (modules, roots): (Vec<String>, Vec<PathBuf>) = opened
        .iter()
        .map(|p| module_name(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .unzip();
    let index = Index::build(&files, modules, roots);
    let planned = plan(&index);
    out.diagnostics.extend(planned.diagnostics);
    let applied = apply(&index, planned.fixes);
    out.diagnostics.extend(applied.withdrawn);
    out.migrated = applied.fixes.len();
    out.files_changed = applied.sources.len();
    let changed: BTreeMap<usize, String> = applied.sources;
    match opts.mode {
        Mode::Diff => {
            for (fi, new) in &changed {
                out.diff.push_str(&output::unified_diff(
                    &files[*fi].path,
                    &files[*fi].source,
                    new,
                ));
            }
        }
        Mode::Check => {}
        Mode::Write => {
            for (fi, new) in &changed {
                if let Err(e) = write_atomic(&opened[*fi], &files[*fi].source, new) {
                    out.errors.push(format!("{e:#}"));
                }
            }
        }
    }
    out.diagnostics.sort();
    out.summary = output::summary(
        opts.mode == Mode::Write,
        out.migrated,
        out.files_changed,
        &out.diagnostics,
    );
    Ok(out)
}
