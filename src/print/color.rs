//! Colors: when to use them, and git's colors for the diff and bold/red for
//! diagnostics.
//!
//! Only ANSI escapes around text the other printers produce; it does not
//! change a byte of the text itself, so colored and plain output differ in
//! the escapes alone.

use std::io::{self, Write};

use crate::diagnostics::Diagnostic;

/// `--color`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to color a stream: `--color`, then `FORCE_COLOR`, `NO_COLOR`, and
/// whether the stream is a terminal.
pub fn color_enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("FORCE_COLOR") => true,
        ColorChoice::Auto => is_terminal && !set("NO_COLOR"),
    }
}

/// A diagnostic line: its place in bold, its code in bold red.
pub(super) fn diagnostic(w: &mut dyn Write, d: &Diagnostic, color: bool) -> io::Result<()> {
    if !color {
        return writeln!(w, "{d}");
    }
    writeln!(
        w,
        "\x1b[1m{}:{}:{}:\x1b[0m \x1b[1;31m{}\x1b[0m {}",
        d.path.display(),
        d.pos.line,
        d.pos.col,
        d.code(),
        d.reason
    )
}

/// The diff with git's colors: headers bold, hunks cyan, removals red,
/// additions green.
pub(super) fn diff(w: &mut dyn Write, diff: &str) -> io::Result<()> {
    let mut out = String::with_capacity(diff.len() + diff.len() / 8);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let code = if body.starts_with("---") || body.starts_with("+++") {
            "1"
        } else if body.starts_with("@@") {
            "36"
        } else if body.starts_with('-') {
            "31"
        } else if body.starts_with('+') {
            "32"
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("\x1b[{code}m{body}\x1b[0m{end}"));
        }
    }
    w.write_all(out.as_bytes())
}
