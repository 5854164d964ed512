//! What a run migrated, as data: each pairing's two sides and edits
//! ([`Migration`]), each changed file's old and new text ([`ChangedFile`])
//! and its line-level edits ([`FileChange`]).
//!
//! Positions are 1-based lines and columns ([`crate::facts::pos_in`]); edit
//! ranges are also given as byte offsets. Nothing here renders text: the
//! output formats are in [`crate::print`].

use std::path::{Path, PathBuf};

use crate::facts::{FileFacts, Pos, line_starts};
use crate::plan::Fix;

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
        let (old_lines, new_lines) = (line_starts(old), line_starts(new));
        let edits = diff
            .ops()
            .iter()
            .filter(|op| op.tag() != similar::DiffTag::Equal)
            .map(|op| {
                let (o, n) = (op.old_range(), op.new_range());
                let start_byte = old_lines.start(o.start, old.len());
                let end_byte = old_lines.start(o.end, old.len());
                let text = new
                    [new_lines.start(n.start, new.len())..new_lines.start(n.end, new.len())]
                    .to_string();
                FileEdit {
                    path: path.to_path_buf(),
                    start: old_lines.pos(old, start_byte),
                    end: old_lines.pos(old, end_byte),
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

/// A file the run changes (or would): its display path, the text read and
/// the text it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
}

/// The applied fixes as reported migrations, sorted by the forward's place.
pub fn migrations(files: &[FileFacts], fixes: &[Fix]) -> Vec<Migration> {
    let mut out: Vec<Migration> = fixes
        .iter()
        .flat_map(|fix| {
            // The forwards of the other branches of an `if` chain, each with
            // the reverse they share.
            let siblings = fix.siblings.iter().map(|&rel| fix.for_sibling(rel));
            std::iter::once(migration(files, fix)).chain(siblings.map(|f| migration(files, &f)))
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.source.path, a.source.pos, &a.source.attribute).cmp(&(
            &b.source.path,
            b.source.pos,
            &b.source.attribute,
        ))
    });
    out
}

fn migration(files: &[FileFacts], fix: &Fix) -> Migration {
    let f = &files[fix.file];
    let rel = &f.relationships[fix.rel];
    let t = &files[fix.target_file];
    // The reverse's place: where its text goes in the target file.
    let at = fix
        .edits
        .iter()
        .filter(|e| {
            e.file == fix.target_file
                && !e.text.is_empty()
                && !e.text.starts_with("back_populates=")
        })
        .map(|e| e.range.start)
        .min()
        .unwrap_or(0);
    Migration {
        source: Side {
            path: f.path.clone(),
            pos: rel.pos,
            class: fix.source_class.clone(),
            attribute: rel.attr.clone(),
        },
        target: Side {
            path: t.path.clone(),
            pos: t.pos_of(at),
            class: fix.target_class.clone(),
            attribute: fix.name.clone(),
        },
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let file = &files[e.file];
                FileEdit {
                    path: file.path.clone(),
                    start: file.pos_of(e.range.start),
                    end: file.pos_of(e.range.end),
                    start_byte: e.range.start,
                    end_byte: e.range.end,
                    text: e.text.clone(),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::pos_in;

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
}
