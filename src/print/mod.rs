//! Everything a run prints: the diff, the `--output-format` renderings, the
//! `--list` listing, diagnostics, error lines, the summary, colors and the
//! progress shown while the run works.
//!
//! It reads a finished, data-only [`Outcome`] and writes text to the writer
//! it is given; the order and shape of all output live here. It decides
//! nothing about the run (what migrates, what is written, the exit status)
//! and never opens a stream of its own, except the progress bar on stderr.

mod color;
mod diff;
mod github;
mod json;
mod listing;
mod progress;
mod sarif;
mod summary;

use std::io::{self, Write};

use crate::run::{Mode, Outcome};

pub use color::{ColorChoice, color_enabled};
pub use diff::unified_diff;
pub use progress::{PROGRESS_MIN_FILES, Progress};
pub use summary::summary;

/// How to print the result (`--output-format`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The unified diff on stdout; diagnostics and a summary on stderr.
    Full,
    /// One line per migration on stdout; diagnostics and a summary on stderr.
    Concise,
    /// One JSON document on stdout (schema: schema/output.schema.json).
    Json,
    /// GitHub Actions workflow annotations on stdout.
    Github,
    /// A SARIF 2.1.0 log on stdout, for code-scanning uploads.
    Sarif,
}

impl Format {
    /// One document on stdout that nothing else may be printed around.
    fn is_document(self) -> bool {
        matches!(self, Format::Json | Format::Sarif)
    }
}

/// What goes to stdout: the listing; for standard input, the migrated
/// source (`input` as it was read when nothing changes); else the run in
/// `format` (`color`: the diff with git's colors).
pub fn stdout(
    w: &mut dyn Write,
    outcome: &Outcome,
    format: Format,
    color: bool,
    input: &[u8],
) -> io::Result<()> {
    if let Some(entries) = &outcome.listing {
        return listing::write(w, entries);
    }
    if outcome.stdin {
        if outcome.mode == Mode::Check {
            return Ok(());
        }
        let text = outcome.changed.first().map_or(input, |c| c.new.as_bytes());
        return w.write_all(text);
    }
    match format {
        Format::Full => diff::write(w, outcome, color),
        Format::Concise => github::concise(w, &outcome.migrations),
        Format::Json => json::write(w, outcome),
        Format::Github => github::write(w, outcome),
        Format::Sarif => sarif::write(w, outcome),
    }
}

/// What goes to stderr: the diagnostics, the error lines and (unless
/// `quiet`) the summary. A JSON or SARIF document on stdout carries the
/// diagnostics and the summary itself; only error lines go here then.
pub fn stderr(
    w: &mut dyn Write,
    outcome: &Outcome,
    format: Format,
    color: bool,
    quiet: bool,
) -> io::Result<()> {
    let on_stdout = format.is_document() && !outcome.stdin;
    if !on_stdout {
        for d in &outcome.diagnostics {
            color::diagnostic(w, d, color)?;
        }
    }
    for e in &outcome.errors {
        writeln!(w, "backpop: error: {e}")?;
    }
    if !quiet && !on_stdout {
        writeln!(w, "{}", summary(outcome))?;
    }
    Ok(())
}

/// A path as every format prints it: `/` between components on any system.
fn path_str(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
