//! `--list`: one line per implicit attribute, its usages indented below it.
//!
//! ```text
//! Post.author  <- User.posts  (app/user.py:14)  migrates
//!     app/views.py:33:18: return post.author.name
//! ```
//!
//! Formatting only: the entries and their usages are found by
//! [`crate::inventory`].

use std::io::{self, Write};

use super::path_str;
use crate::inventory::Entry;

pub(super) fn write(w: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    let width_a = entries.iter().map(|e| e.attribute.len()).max().unwrap_or(0);
    let width_s = entries.iter().map(|e| e.source.len()).max().unwrap_or(0);
    for e in entries {
        writeln!(
            w,
            "{:<width_a$}  <- {:<width_s$}  ({}:{})  {}",
            e.attribute,
            e.source,
            path_str(&e.path),
            e.line,
            e.status
        )?;
        for u in &e.usages {
            writeln!(
                w,
                "    {}:{}:{}: {}",
                path_str(&u.path),
                u.line,
                u.col,
                u.text
            )?;
        }
    }
    Ok(())
}
