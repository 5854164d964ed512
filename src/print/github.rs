//! One line per finding: `--output-format concise` (a line per migration)
//! and `--output-format github` (GitHub Actions workflow annotations, a
//! warning per pending migration and one per diagnostic).
//!
//! Lines only, in the outcome's order; nothing here groups, filters or
//! counts.

use std::io::{self, Write};

use super::path_str;
use crate::report::Migration;
use crate::run::{Mode, Outcome};

/// `--output-format concise`: one line per migration.
pub(super) fn concise(w: &mut dyn Write, migrations: &[Migration]) -> io::Result<()> {
    for m in migrations {
        writeln!(
            w,
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
        )?;
    }
    Ok(())
}

/// What a pending migration is reported as (GitHub annotation, SARIF result).
pub(super) fn pending_message(m: &Migration) -> String {
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

/// `--output-format github`: an annotation per pending migration (warning;
/// none once written) and per diagnostic (error when it leaves a backref
/// unmigrated).
pub(super) fn write(w: &mut dyn Write, o: &Outcome) -> io::Result<()> {
    if o.mode != Mode::Write {
        for m in &o.migrations {
            writeln!(
                w,
                "::warning file={},line={},col={},title={}::{}",
                gh_prop(&path_str(&m.source.path)),
                m.source.pos.line,
                m.source.pos.col,
                gh_prop("backpop: backref to migrate"),
                gh_data(&pending_message(m)),
            )?;
        }
    }
    for d in &o.diagnostics {
        let level = if d.is_error() { "error" } else { "notice" };
        writeln!(
            w,
            "::{level} file={},line={},col={},title={}::{}",
            gh_prop(&path_str(&d.path)),
            d.pos.line,
            d.pos.col,
            gh_prop(&format!("backpop {}", d.code())),
            gh_data(&d.message()),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_escape_their_data() {
        assert_eq!(gh_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(gh_prop("x:y,z"), "x%3Ay%2Cz");
    }
}
