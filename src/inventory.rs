//! `--list`: every attribute that a backref creates implicitly, where it comes
//! from and whether backpop migrates it; with `--usages`, the places of the
//! tree that name it.
//!
//! ```text
//! Post.author  <- User.posts  (app/user.py:14)  migrates
//!     app/views.py:33:18: return post.author.name
//! ```
//!
//! Usages are found in the text, not by type: `.author` after a name or a
//! bracket, `Post.author`, and `"author"` on a line that calls a loader
//! option (`joinedload("author")`); a reviewer reads them as leads.
//!
//! This finds the entries and their usages as data; it does not read files
//! (the run hands it their text) nor print ([`crate::print`] lays out the
//! listing).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::facts::{BackrefName, FileFacts, Owner, TargetArg};
use crate::plan::Plan;

/// One implicit attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// `Target.name` (the target as written when it is not resolved).
    pub attribute: String,
    /// `Source.attr`.
    pub source: String,
    pub path: PathBuf,
    pub line: usize,
    /// `migrates`, the code that refuses it, or `ignored`.
    pub status: String,
    /// The bare attribute name, for usages.
    pub name: String,
    /// With `--usages`: the places of the tree that may name it.
    pub usages: Vec<Usage>,
}

/// A place that may name an implicit attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Usage {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    /// The line, without its indent.
    pub text: String,
}

/// The entries of a planned run.
pub fn entries(files: &[FileFacts], planned: &Plan) -> Vec<Entry> {
    let mut fixes: HashMap<(usize, usize), Vec<&crate::plan::Fix>> = HashMap::new();
    for f in &planned.fixes {
        for rel in f.forwards() {
            fixes.entry((f.file, rel)).or_default().push(f);
        }
    }
    let refused: HashMap<(&std::path::Path, usize, usize), &Diagnostic> = planned
        .diagnostics
        .iter()
        .map(|d| ((d.path.as_path(), d.pos.line, d.pos.col), d))
        .collect();
    let mut out = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        if f.stub {
            continue;
        }
        for (ri, rel) in f.relationships.iter().enumerate() {
            let Some(b) = &rel.backref else { continue };
            let owner = match &rel.owner {
                Owner::Class(ci) => f.classes.get(*ci).map(|c| c.name.clone()),
                Owner::Assigned(chain) => Some(chain.join(".")),
                Owner::Imperative(mi) => f.mappings.get(*mi).map(|m| m.class.join(".")),
            }
            .unwrap_or_default();
            if let Some(done) = fixes.get(&(fi, ri)) {
                for fix in done {
                    out.push(Entry {
                        attribute: format!("{}.{}", fix.target_class, fix.name),
                        source: format!("{}.{}", fix.source_class, rel.attr),
                        path: f.path.clone(),
                        line: rel.pos.line,
                        status: "migrates".into(),
                        name: fix.name.clone(),
                        usages: Vec::new(),
                    });
                }
                continue;
            }
            let name = match &b.name {
                BackrefName::Literal(s) | BackrefName::Constant(s) => s.clone(),
                BackrefName::Dynamic(e) => format!("<{e}>"),
            };
            let target = match &rel.target {
                TargetArg::Str(s) => s.clone(),
                TargetArg::Name(d) | TargetArg::Lambda(d) => d.join("."),
                TargetArg::Absent => rel.annotation.clone().unwrap_or_else(|| "<target>".into()),
                TargetArg::Other(t) => format!("<{t}>"),
            };
            let status = if rel.ignored {
                "ignored".to_string()
            } else {
                refused
                    .get(&(f.path.as_path(), b.pos.line, b.pos.col))
                    .map_or_else(|| "left".to_string(), |d| d.code().to_string())
            };
            out.push(Entry {
                attribute: format!("{target}.{name}"),
                source: format!("{owner}.{}", rel.attr),
                path: f.path.clone(),
                line: rel.pos.line,
                status,
                name,
                usages: Vec::new(),
            });
        }
    }
    out.sort();
    out
}

/// Loader options and other calls that name relationships by string.
const LOADERS: &[&str] = &[
    "joinedload",
    "selectinload",
    "subqueryload",
    "lazyload",
    "noload",
    "raiseload",
    "immediateload",
    "defaultload",
    "contains_eager",
    "load_only",
    "with_parent",
    "undefer",
];

/// The places of `source` that may name attribute `name`: (line, column, line text).
pub fn usages(source: &str, name: &str) -> Vec<(usize, usize, String)> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut hits: Vec<usize> = Vec::new();
    for at in memchr::memmem::find_iter(bytes, name.as_bytes()) {
        let end = at + name.len();
        if bytes.get(end).is_some_and(|&b| ident(b)) || (at > 0 && ident(bytes[at - 1])) {
            continue;
        }
        let before = &bytes[..at];
        let quoted = matches!(before.last(), Some(b'"' | b'\'')) && bytes.get(end) == before.last();
        // `.name` after a name, a call or a subscript (not `from . import`).
        let attribute = before.last() == Some(&b'.')
            && before
                .len()
                .checked_sub(2)
                .is_some_and(|i| ident(before[i]) || matches!(before[i], b')' | b']'));
        if attribute || quoted {
            // The dot or the opening quote.
            hits.push(at - 1);
        }
    }
    for at in hits {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let line_text = source[start..end].trim_end_matches('\r');
        let trimmed = line_text.trim_start();
        // Comments, and module paths of imports (`from app.author import x`).
        if trimmed.starts_with('#')
            || trimmed.starts_with("from ")
            || trimmed.starts_with("import ")
        {
            continue;
        }
        let quoted = matches!(bytes[at], b'"' | b'\'');
        if quoted && !LOADERS.iter().any(|l| line_text.contains(&format!("{l}("))) {
            continue;
        }
        let pos = crate::facts::pos_in(source, at);
        out.push((pos.line, pos.col, trimmed.to_string()));
    }
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Fill in the usages of every entry from `sources` (display path and
/// text of every file of the tree), in path order.
pub fn find_usages(entries: &mut [Entry], sources: &BTreeMap<PathBuf, String>) {
    for e in entries {
        for (path, text) in sources {
            for (line, col, snippet) in usages(text, &e.name) {
                // The relationship's own line is not a usage.
                if *path == e.path && line == e.line {
                    continue;
                }
                e.usages.push(Usage {
                    path: path.clone(),
                    line,
                    col,
                    text: snippet,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_attribute_and_loader_usages() {
        let src = "from app.author import x\n\
                   x = post.author.name\n\
                   q = select(Post).options(joinedload(Post.author))\n\
                   q2 = session.query(Post).options(selectinload(\"author\"))\n\
                   d = {\"author\": 1}\n\
                   # post.author in a comment\n\
                   y = get_author(post).coauthor\n\
                   z = rows[0].author\n";
        let lines: Vec<usize> = usages(src, "author").iter().map(|u| u.0).collect();
        assert_eq!(lines, [2, 3, 4, 8]);
        assert_eq!(usages(src, "author")[0].1, 9);
    }
}
