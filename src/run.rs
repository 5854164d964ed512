//! The run: from the paths given to an [`Outcome`], top to bottom.
//!
//! Discover the files, load them into a [`Workspace`], plan (parsing more
//! files as the plan asks, then planning again), apply the fixes, check
//! them on the rewritten text, and write or hold the new text. The outcome
//! is data: counts, migrations, changed files with their old and new text,
//! diagnostics and errors. This module prints nothing a user reads (that is
//! [`crate::print`], apart from the progress it is handed) and does not
//! decide the exit status (that is `main.rs`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::apply::{Applied, Known, apply, apply_again};
use crate::diagnostics::{Code, Diagnostic};
use crate::discover::{Discovered, Found, discover};
use crate::facts::FileFacts;
use crate::index::Index;
use crate::inventory::Entry;
use crate::plan::{Fix, Plan, plan};
use crate::print::Progress;
use crate::refusal::Refusal;
use crate::report::{ChangedFile, Migration};
use crate::select::Classes;
use crate::workspace::{self, FileId, Workspace};
use crate::write::{check_writable, write_atomic};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Diff,
    Check,
    Write,
    /// `backpop verify`: a change made by anyone, compared; nothing migrated.
    Verify,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub mode: Mode,
    pub excludes: Vec<String>,
    /// Source read from standard input (path `-`), with the name it is
    /// reported under: only it is migrated, and printed whole.
    pub stdin: Option<(PathBuf, Vec<u8>)>,
    /// Print when each phase ends (`-v`, or `BACKPOP_TIMINGS=1`).
    pub verbose: bool,
    /// Where the configuration comes from (`--config`, `--isolated`).
    pub config: crate::config::Source,
    /// Show a progress bar on stderr (a terminal, not `-q`) for trees of at
    /// least [`crate::print::PROGRESS_MIN_FILES`] files.
    pub progress: bool,
    /// `--list`: the implicit attributes instead of a migration (with their
    /// usages when `usages` is set).
    pub list: bool,
    pub usages: bool,
    /// Parse every file before planning, not only the ones the plan asks for:
    /// the outcome must be the same (tests compare the two).
    pub parse_all: bool,
    /// `--verify`: import the models before and after the migration with the
    /// user's Python and compare them; write nothing unless they are equal.
    pub verify: Option<crate::verify::Settings>,
}

/// What a run found and did, as data; [`crate::print`] renders it.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `Options::mode`.
    pub mode: Mode,
    /// The run migrated standard input: nothing is written, and the
    /// migrated source is the output.
    pub stdin: bool,
    /// Sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Per-file failures (unreadable, not written); any of them makes the exit status 2.
    pub errors: Vec<String>,
    /// Pairings migrated (or that would be).
    pub migrated: usize,
    /// Every pairing migrated (or that would be), in path order.
    pub migrations: Vec<Migration>,
    /// Every file changed (or that would be), in the order of the walk, with
    /// its old and new text.
    pub changed: Vec<ChangedFile>,
    /// How many files changed: all of `changed`, or those written before an
    /// interrupt.
    pub files_changed: usize,
    /// With `Options::list`: the implicit attributes (with their usages
    /// when `Options::usages` is set), and nothing is migrated.
    pub listing: Option<Vec<Entry>>,
    /// `--write` stopped early on an interrupt.
    pub interrupted: bool,
    /// With `Options::verify` (or `backpop verify`): what the verification found.
    pub verification: Option<crate::verify::Verification>,
}

impl Outcome {
    pub fn unmigrated(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.unmigrated).count()
    }
}

/// One run over `opts`. Trouble with a single file is in the outcome (a
/// diagnostic or an error line); only a failure of the whole run (the
/// configuration, an `--exclude` glob, the current directory) is an `Err`.
pub fn run(opts: &Options) -> Result<Outcome> {
    let mut progress = Progress::new(opts.progress, opts.verbose);
    let resolver = crate::config::Resolver::new(opts.config.clone())?;
    let discovered = discover_input(opts, &resolver)?;
    progress.phase("discover");
    progress.vendored(&discovered.vendored);
    let mut out = Outcome {
        mode: opts.mode,
        stdin: opts.stdin.is_some(),
        errors: discovered.errors,
        ..Outcome::default()
    };
    progress.reading(discovered.files.len());
    let input = opts.stdin.as_ref().map(|(_, bytes)| bytes.as_slice());
    let loaded = workspace::read(&discovered.files, input, &progress);
    progress.resolving();
    progress.phase("read, scan, parse of backref files");
    let mut ws = Workspace::new(
        discovered.files,
        loaded,
        &resolver,
        &mut out.diagnostics,
        &mut out.errors,
    )?;
    progress.phase("module names");
    // What mentions `backref` is parsed; the rest as the plan asks for it
    // (see `index::Demand`): plan, parse what it wanted, plan again.
    let classes = ws.files.classes();
    if opts.parse_all && opts.stdin.is_none() {
        let all = ws.facts.unparsed();
        ws.facts.parse(&ws.files, &all, &mut out.errors);
    }
    let mut round = 0;
    let (index, planned) = loop {
        let ix = ws.index(&classes);
        let planned = plan(&ix);
        crate::apply::probe(&ix, &planned.fixes);
        let wanted: Vec<FileId> = ix.wanted().into_iter().map(FileId::from_index).collect();
        round += 1;
        progress.phase(&format!("plan {round}"));
        if wanted.is_empty() {
            break (ix, planned);
        }
        drop((ix, planned));
        ws.facts.parse(&ws.files, &wanted, &mut out.errors);
        progress.parsed(wanted.len(), || ws.facts.bytes(&wanted));
    };
    out.diagnostics.extend(ws.syntax_errors());
    progress.finish();
    if opts.list {
        out.listing = Some(listing(&ws, &planned, opts.usages));
        return Ok(out);
    }
    let applied = apply_checked(&ws, &classes, &index, planned, opts, &progress, &mut out);
    drop(index);
    drop(classes);
    if let Some(settings) = &opts.verify {
        verify_migration(&ws, &applied, settings, &resolver, opts, &mut out)?;
        progress.phase("verify");
    }
    Ok(finish(ws, applied, opts, &progress, out))
}

/// The files to work on: the walk of the paths given, or the single source
/// read from standard input.
fn discover_input(opts: &Options, resolver: &crate::config::Resolver) -> Result<Discovered> {
    match &opts.stdin {
        Some((name, _)) => {
            let cwd = std::env::current_dir().context("cannot read the current directory")?;
            Ok(Discovered {
                files: vec![Found {
                    display: name.clone(),
                    path: name.clone(),
                    real: cwd.join(name),
                }],
                errors: Vec::new(),
                vendored: Vec::new(),
            })
        }
        None => discover(&opts.paths, &opts.excludes, resolver),
    }
}

/// `--list`: the implicit attributes the plan found (with their usages).
fn listing(ws: &Workspace, planned: &Plan, usages: bool) -> Vec<Entry> {
    let mut entries = crate::inventory::entries(ws.all(), planned);
    if usages {
        crate::inventory::find_usages(&mut entries, &ws.read_all());
    }
    entries
}

/// Apply the planned fixes and check them: what is left is what the run
/// migrates. Before writing anything, every file a pairing changes must be
/// writable: a pairing with a file that is not stays unmigrated in all its
/// files (and the file is an error line).
fn apply_checked(
    ws: &Workspace,
    classes: &Classes,
    index: &Index,
    planned: Plan,
    opts: &Options,
    progress: &Progress,
    out: &mut Outcome,
) -> Applied {
    out.diagnostics.extend(planned.diagnostics);
    let denied = std::cell::RefCell::new(Vec::new());
    let unwritable = |fi: usize| {
        let id = FileId::from_index(fi);
        let why = (opts.mode == Mode::Write)
            .then(|| check_writable(ws.files.opened(id), &ws.facts(id).source))
            .flatten();
        if let Some(why) = &why {
            denied.borrow_mut().push(format!(
                "{}: cannot be written: {why}",
                ws.facts(id).path.display()
            ));
        }
        why
    };
    let applied = apply(index, planned.fixes, &unwritable);
    progress.phase("apply");
    let mut applied = checked(ws, classes, index, applied, &unwritable, out);
    progress.phase("check");
    out.errors.extend(denied.into_inner());
    out.diagnostics.append(&mut applied.withdrawn);
    applied
}

/// The check stage: the rewritten text is read again and every pairing
/// verified on its own (see [`crate::check`]); one that fails is withdrawn in
/// all its files (BP013), and the rest applied again, until all pass.
fn checked(
    ws: &Workspace,
    classes: &Classes,
    ix: &Index,
    mut applied: Applied,
    unwritable: &dyn Fn(usize) -> Option<String>,
    out: &mut Outcome,
) -> Applied {
    loop {
        let failed = verify(ws, classes, ix, &applied);
        if failed.is_empty() {
            // What was read served the check; what follows reads the texts.
            applied.read.clear();
            return applied;
        }
        let mut keep = Vec::new();
        for (i, fix) in applied.fixes.into_iter().enumerate() {
            match failed.get(&i) {
                Some(why) => out.diagnostics.extend(self_check_failed(ws, &fix, why)),
                None => keep.push(fix),
            }
        }
        out.diagnostics.extend(applied.withdrawn);
        let known = Known {
            sources: applied.sources,
            read: applied.read,
        };
        applied = apply_again(ix, keep, unwritable, &known);
    }
}

/// Why each pairing of `applied` that fails the check does, by its place
/// in `applied.fixes`: checked on the index of the tree as rewritten (every
/// file's facts, the changed files' read from their new text by apply).
fn verify(
    ws: &Workspace,
    classes: &Classes,
    ix: &Index,
    applied: &Applied,
) -> BTreeMap<usize, String> {
    let mut view: Vec<&FileFacts> = ws.all().iter().collect();
    for (&fi, read) in &applied.read {
        view[fi] = &read.facts;
    }
    let rewritten = ws.index_of(view, classes);
    crate::check::check(
        ix,
        &rewritten,
        &applied.fixes,
        &applied.sources,
        &applied.read,
        &|fi| ws.scopes_before(fi),
    )
}

/// `--verify`: the changed files' new text imported against their old text,
/// with the user's Python. Nothing to migrate is nothing to verify.
fn verify_migration(
    ws: &Workspace,
    applied: &Applied,
    settings: &crate::verify::Settings,
    resolver: &crate::config::Resolver,
    opts: &Options,
    out: &mut Outcome,
) -> Result<()> {
    use crate::verify::{Tree, verify};
    if applied.sources.is_empty() {
        return Ok(());
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let first = opts
        .paths
        .first()
        .map_or_else(|| cwd.clone(), |p| cwd.join(p));
    let (settings, project) = settings.clone().resolved(resolver, &first)?;
    let changed: Vec<(PathBuf, &str)> = applied
        .sources
        .iter()
        .map(|(&fi, text)| {
            // As given (absolute): a symbolic link keeps the module name
            // its path gives it.
            let id = FileId::from_index(fi);
            (cwd.join(ws.files.opened(id)), text.as_str())
        })
        .collect();
    let tree = Tree::migration(&changed, &settings, project.as_deref())?;
    let verification = verify(&tree, &settings)?;
    // Findings point at the files as the run names them (dump.py reports
    // real paths).
    let display: BTreeMap<PathBuf, &std::path::Path> = applied
        .sources
        .keys()
        .map(|&fi| {
            let id = FileId::from_index(fi);
            let given = cwd.join(ws.files.opened(id));
            let real = std::fs::canonicalize(&given).unwrap_or(given);
            (real, ws.facts(id).path.as_path())
        })
        .collect();
    let fallback = applied
        .sources
        .keys()
        .next()
        .map(|&fi| ws.facts(FileId::from_index(fi)).path.clone())
        .unwrap_or_default();
    let shown = |p: &std::path::Path| {
        display
            .get(p)
            .map_or_else(|| crate::verify::relative_to(p, &cwd), |d| d.to_path_buf())
    };
    out.diagnostics
        .extend(verification.diagnostics(&fallback, &shown));
    out.verification = Some(verification);
    Ok(())
}

/// BP013: `fix` failed the check, for reason `why`: one per forward it migrated.
fn self_check_failed(ws: &Workspace, fix: &Fix, why: &str) -> Vec<Diagnostic> {
    let f = ws.facts(FileId::from_index(fix.file));
    fix.forwards()
        .map(|rel| {
            let rel = &f.relationships[rel];
            Diagnostic {
                path: f.path.clone(),
                pos: rel.backref.as_ref().map_or(rel.pos, |b| b.pos),
                reason: Refusal::SelfCheck {
                    why: why.to_string(),
                },
                unmigrated: true,
            }
        })
        .collect()
}

/// The outcome of the applied fixes: the migrations, and the new text of
/// every changed file, written with `--write`. From standard input nothing
/// is written: the migrated source is the output.
fn finish(
    mut ws: Workspace,
    applied: Applied,
    opts: &Options,
    progress: &Progress,
    mut out: Outcome,
) -> Outcome {
    out.migrated = applied.fixes.iter().map(|f| f.forwards().count()).sum();
    out.migrations = crate::report::migrations(ws.all(), &applied.fixes);
    out.files_changed = applied.sources.len();
    let changed: BTreeMap<FileId, String> = applied
        .sources
        .into_iter()
        .map(|(fi, text)| (FileId::from_index(fi), text))
        .collect();
    if out.stdin {
        for d in &mut out.diagnostics {
            if d.code() == Code::UnresolvedTarget {
                d.reason = Refusal::FromStdinOnly(Box::new(d.reason.clone()));
            }
        }
    } else if opts.mode == Mode::Write && !out.verification.as_ref().is_some_and(|v| v.failed()) {
        write_changes(&ws, &applied.fixes, &changed, &mut out);
    }
    progress.phase("apply and output");
    out.diagnostics.sort();
    out.changed = ws.take_changed(changed);
    // Freeing the facts of ~20k files takes tens of milliseconds on one
    // thread; nothing waits for it (a command exits, the OS reclaims it).
    let facts = ws.facts;
    std::thread::spawn(move || drop(facts));
    out
}

/// Write the changed files, group by group (the files pairings join), so
/// that an interrupt leaves no pairing written by halves.
fn write_changes(
    ws: &Workspace,
    fixes: &[Fix],
    changed: &BTreeMap<FileId, String>,
    out: &mut Outcome,
) {
    use std::sync::atomic::Ordering;
    crate::write::WRITING.store(true, Ordering::SeqCst);
    let mut written = 0;
    // An interrupt is honoured between groups of files that pairings
    // join, so that no pairing is left written by halves.
    for group in write_groups(fixes, changed) {
        if crate::write::INTERRUPTED.load(Ordering::SeqCst) {
            out.interrupted = true;
            out.errors.push(format!(
                "interrupted: {written} of {} files written, the others left unchanged",
                changed.len()
            ));
            out.files_changed = written;
            break;
        }
        for id in group {
            match write_atomic(ws.files.opened(id), &ws.facts(id).source, &changed[&id]) {
                Ok(()) => written += 1,
                Err(e) => out.errors.push(format!("{e:#}")),
            }
        }
    }
    crate::write::WRITING.store(false, Ordering::SeqCst);
}

/// The changed files in groups that pairings join: two files are in one group
/// when a fix edits both (transitively). Groups and their files are sorted.
fn write_groups(fixes: &[Fix], changed: &BTreeMap<FileId, String>) -> Vec<Vec<FileId>> {
    let mut parent: BTreeMap<FileId, FileId> = changed.keys().map(|&f| (f, f)).collect();
    fn find(parent: &mut BTreeMap<FileId, FileId>, f: FileId) -> FileId {
        let mut root = f;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        parent.insert(f, root);
        root
    }
    for fix in fixes {
        let files: Vec<FileId> = fix
            .edits
            .iter()
            .map(|e| FileId::from_index(e.file))
            .filter(|f| changed.contains_key(f))
            .collect();
        for pair in files.windows(2) {
            let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
            if a != b {
                parent.insert(a.max(b), a.min(b));
            }
        }
    }
    let mut groups: BTreeMap<FileId, Vec<FileId>> = BTreeMap::new();
    for &f in changed.keys() {
        let root = find(&mut parent, f);
        groups.entry(root).or_default().push(f);
    }
    groups.into_values().collect()
}
