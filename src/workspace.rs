//! The files of a run, by [`FileId`]: where each one is read from, what the
//! byte scan saw in it, its module name and settings, and its facts once it
//! is parsed. Loading reads and scans every file and parses those that
//! mention `backref`; [`Facts::parse`] parses more as the plan asks.
//!
//! It owns the per-file state and the reading of files; it does not decide
//! which files to parse (the index's demand bookkeeping does), what a file
//! means, or what to write. The state is kept in columns, not a struct per
//! file, because the index and [`select::Classes`] borrow the facts, the
//! parse flags and the scans as slices indexed by `usize`:
//! [`FileId::index`] and [`FileId::from_index`] convert at that boundary.
//! The columns that never change once loaded ([`Files`]) are apart from the
//! ones parsing fills in ([`Facts`]), so that the class table can borrow the
//! first while the second grows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::config::{Resolver, Settings};
use crate::diagnostics::Diagnostic;
use crate::discover::Found;
use crate::facts::{FileFacts, Pos};
use crate::index::{Index, Modules, module_names};
use crate::print::Progress;
use crate::refusal::Refusal;
use crate::report::ChangedFile;
use crate::select::{self, Classes, Scan, scan};
use crate::syntax;
use crate::syntax::scope::Parsed;

/// A file of the workspace: its place in the walk's (sorted) order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct FileId(usize);

impl FileId {
    /// The position of the file in the slices the index works on.
    pub fn index(self) -> usize {
        self.0
    }

    /// The file at position `i` of the index's slices.
    pub fn from_index(i: usize) -> FileId {
        FileId(i)
    }
}

/// What the walk found and the byte scan saw, per file: fixed once loaded.
pub struct Files {
    /// The path each file is read from (and written to).
    opened: Vec<PathBuf>,
    scans: Vec<Scan>,
    /// The module name and the settings of each file.
    modules: Rc<Modules>,
    /// What each file imports transitively, by the scans: the same for every
    /// index of the run.
    reach: Rc<crate::index::Reach>,
}

impl Files {
    pub fn opened(&self, id: FileId) -> &Path {
        &self.opened[id.index()]
    }

    /// The classes, bases and names the byte scan saw, by name, for the
    /// index's parsing on demand.
    pub fn classes(&self) -> Classes<'_> {
        Classes::new(&self.scans)
    }
}

/// The facts of each file: whole once parsed, before that a placeholder that
/// has only the display path.
pub struct Facts {
    facts: Vec<FileFacts>,
    parsed: Vec<bool>,
    /// The scopes of each file parsed up front whose backrefs the check
    /// stage will read the text before of (see
    /// [`crate::check::reads_text_before`]), read from the same parse.
    before: Vec<Option<Box<Parsed>>>,
}

impl Facts {
    /// The files not parsed yet.
    pub fn unparsed(&self) -> Vec<FileId> {
        (0..self.parsed.len())
            .filter(|&f| !self.parsed[f])
            .map(FileId)
            .collect()
    }

    /// Parse files `which` (in parallel), reading them again; a file that
    /// cannot be read now is an error line and keeps its placeholder.
    pub fn parse(&mut self, files: &Files, which: &[FileId], errors: &mut Vec<String>) {
        let (opened, facts) = (&files.opened, &self.facts);
        let batch: Vec<(FileId, Result<FileFacts, String>)> = which
            .par_iter()
            .map(|&id| (id, parse_file(&opened[id.index()], &facts[id.index()].path)))
            .collect();
        for (id, result) in batch {
            self.parsed[id.index()] = true;
            match result {
                Ok(facts) => self.facts[id.index()] = facts,
                Err(e) => errors.push(e),
            }
        }
    }

    /// How many bytes of source files `which` have.
    pub fn bytes(&self, which: &[FileId]) -> usize {
        which
            .iter()
            .map(|id| self.facts[id.index()].source.len())
            .sum()
    }
}

/// Every usable file of the run: a file that is not UTF-8 or cannot be read
/// is reported when loading and is not part of it.
pub struct Workspace {
    pub files: Files,
    pub facts: Facts,
}

/// A file as read: scanned, and parsed at once when it mentions `backref`
/// (as a word of its own), else read again if a plan asks for it.
pub enum Loaded {
    Scanned(Option<(Box<FileFacts>, Option<Box<Parsed>>)>, Scan),
    Skipped(Diagnostic),
    Failed(String),
}

/// Read, scan and parse (what mentions `backref`) every file `found`, in
/// parallel; `input` is the text of the single file of a run on standard
/// input.
pub fn read(found: &[Found], input: Option<&[u8]>, progress: &Progress) -> Vec<Loaded> {
    match input {
        Some(bytes) => found.iter().map(|f| load(f, bytes.to_vec())).collect(),
        None => found
            .par_iter()
            .map(|f| {
                let l = match std::fs::read(&f.path) {
                    Ok(b) => load(f, b),
                    Err(e) => Loaded::Failed(format!("{}: cannot read: {e}", f.display.display())),
                };
                progress.read_one();
                l
            })
            .collect(),
    }
}

fn load(found: &Found, bytes: Vec<u8>) -> Loaded {
    match String::from_utf8(bytes) {
        Ok(s) => {
            let scanned = scan(&s);
            let facts = scanned.mentions.then(|| {
                let (facts, tree) =
                    syntax::extract_keeping_tree(found.display.clone(), s, is_stub(&found.path));
                let before = tree
                    .filter(|_| crate::check::reads_text_before(&facts))
                    .map(|t| Box::new(Parsed::from_tree(&facts.source, &t)));
                (Box::new(facts), before)
            });
            Loaded::Scanned(facts, scanned)
        }
        Err(e) => Loaded::Skipped(Diagnostic {
            path: found.display.clone(),
            pos: Pos { line: 1, col: 1 },
            reason: Refusal::NotUtf8,
            unmigrated: select::mentions_backref(e.as_bytes()),
        }),
    }
}

/// A `.pyi` type stub (read for names, never migrated).
fn is_stub(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "pyi")
}

/// Read a file again and parse it.
fn parse_file(path: &Path, display: &Path) -> Result<FileFacts, String> {
    let stub = is_stub(path);
    let source = std::fs::read(path)
        .map_err(|e| format!("{}: cannot read: {e}", display.display()))
        .and_then(|b| {
            String::from_utf8(b).map_err(|_| {
                format!(
                    "{}: changed while backpop ran (not UTF-8 now)",
                    display.display()
                )
            })
        })?;
    Ok(syntax::extract(display.to_path_buf(), source, stub))
}

impl Workspace {
    /// The workspace of the files that were read (`loaded`, in the order of
    /// `found`): a file that is not UTF-8 is a diagnostic, one that cannot
    /// be read an error line, and neither is part of it.
    pub fn new(
        found: Vec<Found>,
        loaded: Vec<Loaded>,
        resolver: &Resolver,
        diagnostics: &mut Vec<Diagnostic>,
        errors: &mut Vec<String>,
    ) -> Result<Workspace> {
        let (mut facts, mut parsed, mut before, mut opened, mut reals, mut scans) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for (f, l) in found.into_iter().zip(loaded) {
            match l {
                Loaded::Scanned(read, s) => {
                    let stub = is_stub(&f.path);
                    parsed.push(read.is_some());
                    let (file, scopes) = match read {
                        Some((file, scopes)) => (*file, scopes),
                        None => (FileFacts::unparsed(f.display, String::new(), stub), None),
                    };
                    facts.push(file);
                    before.push(scopes);
                    opened.push(f.path);
                    reals.push(f.real);
                    scans.push(s);
                }
                Loaded::Skipped(d) => diagnostics.push(d),
                Loaded::Failed(e) => errors.push(e),
            }
        }
        let modules = module_table(&reals, resolver)?;
        Ok(Workspace {
            files: Files {
                opened,
                scans,
                modules,
                reach: Default::default(),
            },
            facts: Facts {
                facts,
                parsed,
                before,
            },
        })
    }

    /// The scopes of file `fi` as read when it was parsed up front, if the
    /// check stage will read them (see [`Facts::before`]).
    pub fn scopes_before(&self, fi: usize) -> Option<&Parsed> {
        self.facts.before.get(fi)?.as_deref()
    }

    /// The facts of every file, by [`FileId::index`].
    pub fn all(&self) -> &[FileFacts] {
        &self.facts.facts
    }

    pub fn facts(&self, id: FileId) -> &FileFacts {
        &self.facts.facts[id.index()]
    }

    /// The index of the workspace's facts.
    pub fn index<'w>(&'w self, classes: &'w Classes<'w>) -> Index<'w> {
        self.index_of(self.facts.facts.iter().collect(), classes)
    }

    /// The index of `facts` (one per file of the workspace, some of them
    /// not the workspace's), asking for files the way the workspace's would.
    pub fn index_of<'w>(
        &'w self,
        facts: Vec<&'w FileFacts>,
        classes: &'w Classes<'w>,
    ) -> Index<'w> {
        Index::build(facts, self.files.modules.clone()).with_demand(
            &self.facts.parsed,
            &self.files.scans,
            classes,
            self.files.reach.clone(),
        )
    }

    /// A syntax error in a file that mentions `backref`: its backrefs stay.
    pub fn syntax_errors(&self) -> Vec<Diagnostic> {
        self.facts
            .facts
            .iter()
            .filter(|f| {
                f.syntax_error.is_some() && !f.stub && select::mentions_backref(f.source.as_bytes())
            })
            .filter_map(|f| {
                Some(Diagnostic {
                    path: f.path.clone(),
                    pos: f.syntax_error?,
                    reason: Refusal::SyntaxError,
                    unmigrated: true,
                })
            })
            .collect()
    }

    /// Every file of the tree read again (most were only scanned), by
    /// display path; a file that cannot be read now is left out.
    pub fn read_all(&self) -> BTreeMap<PathBuf, String> {
        let texts: Vec<Option<String>> = self
            .files
            .opened
            .par_iter()
            .map(|p| {
                std::fs::read(p)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            })
            .collect();
        self.facts
            .facts
            .iter()
            .zip(texts)
            .filter_map(|(f, t)| t.map(|t| (f.path.clone(), t)))
            .collect()
    }

    /// The files given new text, in file order, with the text they had:
    /// taken out of the workspace, which is not read after this.
    pub fn take_changed(&mut self, changed: BTreeMap<FileId, String>) -> Vec<ChangedFile> {
        changed
            .into_iter()
            .map(|(id, new)| {
                let f = &mut self.facts.facts[id.index()];
                ChangedFile {
                    path: f.path.clone(),
                    old: std::mem::take(&mut f.source),
                    new,
                }
            })
            .collect()
    }
}

/// The dotted module name of each file, and the settings that apply to it.
fn module_table(reals: &[PathBuf], resolver: &Resolver) -> Result<Rc<Modules>> {
    let (modules, roots): (Vec<String>, Vec<PathBuf>) =
        module_names(&reals.iter().map(PathBuf::as_path).collect::<Vec<_>>())
            .into_iter()
            .unzip();
    // Files are sorted: neighbours mostly share a directory, and its settings.
    let mut settings: Vec<Arc<Settings>> = Vec::with_capacity(reals.len());
    let mut last: Option<(&Path, Arc<Settings>)> = None;
    for r in reals {
        let dir = r.parent().unwrap_or(r);
        let s = match &last {
            Some((d, s)) if *d == dir => s.clone(),
            _ => resolver.for_path(r, false)?,
        };
        last = Some((dir, s.clone()));
        settings.push(s);
    }
    Ok(Rc::new(
        Modules::new(modules, roots).with_settings(settings),
    ))
}
