//! The pipeline, top to bottom.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::apply::apply;
use crate::diagnostics::{Code, Diagnostic};
use crate::discover::{Found, discover};
use crate::facts::{FileFacts, Pos};
use crate::index::{Index, Modules, module_names};
use crate::output;
use crate::plan::plan;
use crate::select::{self, Scan, scan};
use crate::syntax;
use crate::write::{check_writable, write_atomic};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Diff,
    Check,
    Write,
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
    /// least [`PROGRESS_MIN_FILES`] files.
    pub progress: bool,
    /// `--list`: the implicit attributes instead of a migration (with their
    /// usages when `usages` is set).
    pub list: bool,
    pub usages: bool,
    /// Parse every file before planning, not only the ones the plan asks for:
    /// the outcome must be the same (tests compare the two).
    pub parse_all: bool,
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
    /// With `Options::list`: the listing.
    pub listing: Option<String>,
    /// With `Options::stdin`: the migrated source (`None` when nothing changes).
    pub stdin_output: Option<String>,
    /// Every pairing migrated (or that would be), in path order.
    pub migrations: Vec<crate::report::Migration>,
    /// Every file changed (or that would be), in path order, with its edits.
    pub changes: Vec<crate::report::FileChange>,
    /// `--write` stopped early on an interrupt.
    pub interrupted: bool,
}

impl Outcome {
    pub fn unmigrated(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.unmigrated).count()
    }
}

enum Loaded {
    /// Read and scanned; parsed at once when the file mentions `backref` (as
    /// a word of its own), else read again if a plan asks for it.
    Scanned(Option<Box<FileFacts>>, Scan),
    Skipped(Diagnostic),
    Failed(String),
}

fn load(found: &Found) -> Loaded {
    match std::fs::read(&found.path) {
        Ok(b) => load_bytes(found, b),
        Err(e) => Loaded::Failed(format!("{}: cannot read: {e}", found.display.display())),
    }
}

fn load_bytes(found: &Found, bytes: Vec<u8>) -> Loaded {
    match String::from_utf8(bytes) {
        Ok(s) => {
            let scanned = scan(&s);
            let facts = scanned.mentions.then(|| {
                Box::new(syntax::extract(
                    found.display.clone(),
                    s,
                    is_stub(&found.path),
                ))
            });
            Loaded::Scanned(facts, scanned)
        }
        Err(e) => Loaded::Skipped(Diagnostic {
            path: found.display.clone(),
            pos: Pos { line: 1, col: 1 },
            code: Code::SyntaxError,
            message: "file is not valid UTF-8; skipped".into(),
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

/// Parse files `which` (in parallel) into `files`, marking them parsed.
fn parse_into(
    which: &[usize],
    opened: &[PathBuf],
    files: &mut [FileFacts],
    parsed: &mut [bool],
    errors: &mut Vec<String>,
) {
    let batch: Vec<(usize, Result<FileFacts, String>)> = which
        .par_iter()
        .map(|&fi| (fi, parse_file(&opened[fi], &files[fi].path)))
        .collect();
    for (fi, result) in batch {
        parsed[fi] = true;
        match result {
            Ok(facts) => files[fi] = facts,
            Err(e) => errors.push(e),
        }
    }
}

/// Below this many files a run is too short for a progress bar.
pub const PROGRESS_MIN_FILES: usize = 2000;

fn progress_bar(opts: &Options, files: usize) -> indicatif::ProgressBar {
    if !opts.progress || files < PROGRESS_MIN_FILES {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(files as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {msg} [{bar:30}] {pos}/{len} files ({elapsed})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message("reading");
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

pub fn run(opts: &Options) -> Result<Outcome> {
    // `BACKPOP_TIMINGS=1`: the time at the end of each phase, on stderr (for
    // profiling; see docs/performance.md).
    let t0 = std::time::Instant::now();
    let timings = opts.verbose || std::env::var_os("BACKPOP_TIMINGS").is_some();
    let tm = |what: &str| {
        if timings {
            eprintln!("timing: {what} done at {} ms", t0.elapsed().as_millis());
        }
    };
    let resolver = crate::config::Resolver::new(opts.config.clone())?;
    let discovered = match &opts.stdin {
        Some((name, _)) => {
            let cwd = std::env::current_dir().context("cannot read the current directory")?;
            crate::discover::Discovered {
                files: vec![Found {
                    display: name.clone(),
                    path: name.clone(),
                    real: cwd.join(name),
                }],
                errors: Vec::new(),
                vendored: Vec::new(),
            }
        }
        None => discover(&opts.paths, &opts.excludes, &resolver)?,
    };
    tm("discover");
    if opts.verbose {
        for v in &discovered.vendored {
            eprintln!(
                "{}: a copy of a library backpop migrates for; its files are left out",
                v.display()
            );
        }
    }
    let found = discovered.files;
    let bar = progress_bar(opts, found.len());
    let loaded: Vec<Loaded> = match &opts.stdin {
        Some((_, bytes)) => found.iter().map(|f| load_bytes(f, bytes.clone())).collect(),
        None => found
            .par_iter()
            .map(|f| {
                let l = load(f);
                bar.inc(1);
                l
            })
            .collect(),
    };
    bar.set_message("resolving");
    tm("read, scan, parse of backref files");
    let mut out = Outcome {
        errors: discovered.errors,
        ..Outcome::default()
    };
    let mut files = Vec::new();
    let mut opened = Vec::new();
    let mut reals = Vec::new();
    let mut scans = Vec::new();
    let mut parsed = Vec::new();
    for (f, l) in found.iter().zip(loaded) {
        match l {
            Loaded::Scanned(facts, s) => {
                let stub = is_stub(&f.path);
                parsed.push(facts.is_some());
                files.push(facts.map_or_else(
                    || FileFacts::unparsed(f.display.clone(), String::new(), stub),
                    |b| *b,
                ));
                opened.push(f.path.clone());
                reals.push(f.real.clone());
                scans.push(s);
            }
            Loaded::Skipped(d) => out.diagnostics.push(d),
            Loaded::Failed(e) => out.errors.push(e),
        }
    }
    let modules = module_table(&reals, &resolver)?;
    tm("module names");
    // What mentions `backref` is parsed; the rest as the plan asks for it
    // (see `index::Demand`): plan, parse what it wanted, plan again.
    let classes = select::Classes::new(&scans);
    if opts.parse_all && opts.stdin.is_none() {
        let all: Vec<usize> = (0..files.len()).filter(|&f| !parsed[f]).collect();
        parse_into(&all, &opened, &mut files, &mut parsed, &mut out.errors);
    }
    let mut round = 0;
    let (index, planned) = loop {
        let ix = Index::build(&files, modules.clone()).with_demand(&parsed, &scans, &classes);
        let planned = plan(&ix);
        crate::apply::probe(&ix, &planned.fixes);
        let wanted = ix.wanted();
        round += 1;
        tm(&format!("plan {round}"));
        if wanted.is_empty() {
            break (ix, planned);
        }
        drop((ix, planned));
        parse_into(&wanted, &opened, &mut files, &mut parsed, &mut out.errors);
        if timings {
            let bytes: usize = wanted.iter().map(|&f| files[f].source.len()).sum();
            tm(&format!("parse of {} files ({bytes} bytes)", wanted.len()));
        }
    };
    out.diagnostics.extend(syntax_errors(&files));
    bar.finish_and_clear();
    if opts.list {
        list(&files, &opened, &planned, opts.usages, &mut out);
        return Ok(out);
    }
    out.diagnostics.extend(planned.diagnostics);
    // Before writing anything, every file a pairing changes must be writable:
    // a pairing with a file that is not stays unmigrated in all its files.
    let denied = std::cell::RefCell::new(Vec::new());
    let unwritable = |fi: usize| {
        let why = (opts.mode == Mode::Write)
            .then(|| check_writable(&opened[fi], &files[fi].source))
            .flatten();
        if let Some(why) = &why {
            denied.borrow_mut().push(format!(
                "{}: cannot be written: {why}",
                files[fi].path.display()
            ));
        }
        why
    };
    let applied = apply(&index, planned.fixes, &unwritable);
    tm("apply");
    let demand = Demand {
        parsed: &parsed,
        scans: &scans,
        classes: &classes,
    };
    let applied = checked(
        &index,
        &demand,
        applied,
        &unwritable,
        &mut out.diagnostics,
        &tm,
    );
    tm("check");
    out.errors.extend(denied.into_inner());
    out.diagnostics.extend(applied.withdrawn);
    out.migrated = applied.fixes.len();
    out.migrations = migrations(&files, &applied.fixes);
    out.files_changed = applied.sources.len();
    let changed: BTreeMap<usize, String> = applied.sources;
    let mut changes: Vec<crate::report::FileChange> = changed
        .iter()
        .map(|(fi, new)| crate::report::FileChange::new(&files[*fi].path, &files[*fi].source, new))
        .collect();
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    out.changes = changes;
    // From standard input nothing is written: the migrated source is the output.
    let mode = match &opts.stdin {
        Some(_) => {
            for d in &mut out.diagnostics {
                if d.code == Code::UnresolvedTarget {
                    d.message.push_str(
                        " (from standard input only this source is migrated; run backpop on the tree for pairings across files)",
                    );
                }
            }
            out.stdin_output = changed.get(&0).cloned();
            None
        }
        None => Some(opts.mode),
    };
    match mode {
        Some(Mode::Diff) => {
            for (fi, new) in &changed {
                out.diff.push_str(&output::unified_diff(
                    &files[*fi].path,
                    &files[*fi].source,
                    new,
                ));
            }
        }
        Some(Mode::Check) | None => {}
        Some(Mode::Write) => write_changes(&opened, &files, &applied.fixes, &changed, &mut out),
    }
    tm("apply and output");
    out.diagnostics.sort();
    out.summary = if out.interrupted {
        // Which pairings are complete is not counted: run again to finish.
        format!(
            "Interrupted after writing {} of {} files; run again to finish",
            out.files_changed,
            changed.len()
        )
    } else {
        output::summary(
            mode == Some(Mode::Write),
            out.migrated,
            out.files_changed,
            &out.diagnostics,
        )
    };
    // Freeing the facts of ~20k files takes tens of milliseconds on one
    // thread; nothing waits for it (a command exits, the OS reclaims it).
    drop(index);
    std::thread::spawn(move || drop((files, changed)));
    Ok(out)
}

/// A syntax error in a file that mentions `backref`: its backrefs stay.
fn syntax_errors(files: &[FileFacts]) -> Vec<Diagnostic> {
    files
        .iter()
        .filter(|f| {
            f.syntax_error.is_some() && !f.stub && select::mentions_backref(f.source.as_bytes())
        })
        .filter_map(|f| {
            Some(Diagnostic {
                path: f.path.clone(),
                pos: f.syntax_error?,
                code: Code::SyntaxError,
                message: "syntax error; backrefs in this file are left unmigrated".into(),
                unmigrated: true,
            })
        })
        .collect()
}

/// `--list`: the implicit attributes the plan found (with their usages).
fn list(
    files: &[FileFacts],
    opened: &[PathBuf],
    planned: &crate::plan::Plan,
    usages: bool,
    out: &mut Outcome,
) {
    let entries = crate::inventory::entries(files, planned);
    let sources = usages.then(|| {
        // Every file of the tree, read again (most were only scanned).
        let texts: Vec<Option<String>> = opened
            .par_iter()
            .map(|p| {
                std::fs::read(p)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            })
            .collect();
        files
            .iter()
            .zip(texts)
            .filter_map(|(f, t)| t.map(|t| (f.path.clone(), t)))
            .collect::<BTreeMap<PathBuf, String>>()
    });
    out.listing = Some(crate::inventory::render(&entries, sources.as_ref()));
    let migrates = entries.iter().filter(|e| e.status == "migrates").count();
    out.summary = format!(
        "{} implicit attribute{} from backrefs; {migrates} would migrate",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" }
    );
}

/// The dotted module name of each file, and the settings that apply to it.
fn module_table(
    reals: &[PathBuf],
    resolver: &crate::config::Resolver,
) -> Result<std::rc::Rc<Modules>> {
    let (modules, roots): (Vec<String>, Vec<PathBuf>) =
        module_names(&reals.iter().map(PathBuf::as_path).collect::<Vec<_>>())
            .into_iter()
            .unzip();
    // Files are sorted: neighbours mostly share a directory, and its settings.
    let mut settings: Vec<std::sync::Arc<crate::config::Settings>> =
        Vec::with_capacity(reals.len());
    let mut last: Option<(&Path, std::sync::Arc<crate::config::Settings>)> = None;
    for r in reals {
        let dir = r.parent().unwrap_or(r);
        let s = match &last {
            Some((d, s)) if *d == dir => s.clone(),
            _ => resolver.for_path(r, false)?,
        };
        last = Some((dir, s.clone()));
        settings.push(s);
    }
    Ok(std::rc::Rc::new(
        Modules::new(modules, roots).with_settings(settings),
    ))
}

/// What the index of a run that parses on demand knows of the tree.
struct Demand<'a> {
    parsed: &'a [bool],
    scans: &'a [Scan],
    classes: &'a select::Classes<'a>,
}

/// The check stage: the rewritten text is read again and every pairing
/// verified on its own (see [`crate::check`]); one that fails is withdrawn in
/// all its files (BP013), and the rest applied again, until all pass.
fn checked(
    ix: &Index,
    demand: &Demand,
    mut applied: crate::apply::Applied,
    unwritable: &dyn Fn(usize) -> Option<String>,
    diagnostics: &mut Vec<Diagnostic>,
    tm: &dyn Fn(&str),
) -> crate::apply::Applied {
    loop {
        let failed = {
            let mut view: Vec<FileFacts> = ix.files.to_vec();
            let reparsed: Vec<(usize, FileFacts, Option<tree_sitter::Tree>)> = applied
                .sources
                .par_iter()
                .map(|(&fi, text)| {
                    let path = ix.files[fi].path.clone();
                    let (f, tree) =
                        syntax::extract_keeping_tree(path, text.clone(), ix.files[fi].stub);
                    (fi, f, tree)
                })
                .collect();
            let mut trees = BTreeMap::new();
            for (fi, f, tree) in reparsed {
                view[fi] = f;
                trees.extend(tree.map(|t| (fi, t)));
            }
            tm("check: changed files extracted again");
            let checked = Index::build(&view, ix.modules.clone()).with_demand(
                demand.parsed,
                demand.scans,
                demand.classes,
            );
            crate::check::check(ix, &checked, &applied.fixes, &applied.sources, trees)
        };
        if failed.is_empty() {
            break;
        }
        let mut keep = Vec::new();
        for (i, fix) in applied.fixes.into_iter().enumerate() {
            match failed.get(&i) {
                Some(why) => {
                    let f = &ix.files[fix.file];
                    let rel = &f.relationships[fix.rel];
                    diagnostics.push(Diagnostic {
                        path: f.path.clone(),
                        pos: rel.backref.as_ref().map_or(rel.pos, |b| b.pos),
                        code: Code::SelfCheck,
                        message: format!("self-check failed: {why}; left unmigrated"),
                        unmigrated: true,
                    });
                }
                None => keep.push(fix),
            }
        }
        diagnostics.extend(applied.withdrawn);
        applied = apply(ix, keep, unwritable);
    }
    applied
}

/// Write the changed files, group by group (the files pairings join), so
/// that an interrupt leaves no pairing written by halves.
fn write_changes(
    opened: &[PathBuf],
    files: &[FileFacts],
    fixes: &[crate::plan::Fix],
    changed: &BTreeMap<usize, String>,
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
        for fi in group {
            match write_atomic(&opened[fi], &files[fi].source, &changed[&fi]) {
                Ok(()) => written += 1,
                Err(e) => out.errors.push(format!("{e:#}")),
            }
        }
    }
    crate::write::WRITING.store(false, Ordering::SeqCst);
}

/// The applied fixes as reported migrations, sorted by the forward's place.
fn migrations(files: &[FileFacts], fixes: &[crate::plan::Fix]) -> Vec<crate::report::Migration> {
    use crate::facts::pos_in;
    use crate::report::{FileEdit, Migration, Side};
    let mut out: Vec<Migration> = fixes
        .iter()
        .map(|fix| {
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
                    pos: pos_in(&t.source, at),
                    class: fix.target_class.clone(),
                    attribute: fix.name.clone(),
                },
                edits: fix
                    .edits
                    .iter()
                    .map(|e| {
                        let src = &files[e.file].source;
                        FileEdit {
                            path: files[e.file].path.clone(),
                            start: pos_in(src, e.range.start),
                            end: pos_in(src, e.range.end),
                            start_byte: e.range.start,
                            end_byte: e.range.end,
                            text: e.text.clone(),
                        }
                    })
                    .collect(),
            }
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

/// The changed files in groups that pairings join: two files are in one group
/// when a fix edits both (transitively). Groups and their files are sorted.
fn write_groups(fixes: &[crate::plan::Fix], changed: &BTreeMap<usize, String>) -> Vec<Vec<usize>> {
    let mut parent: BTreeMap<usize, usize> = changed.keys().map(|&f| (f, f)).collect();
    fn find(parent: &mut BTreeMap<usize, usize>, f: usize) -> usize {
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
        let files: Vec<usize> = fix
            .edits
            .iter()
            .map(|e| e.file)
            .filter(|f| changed.contains_key(f))
            .collect();
        for pair in files.windows(2) {
            let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
            if a != b {
                parent.insert(a.max(b), a.min(b));
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &f in changed.keys() {
        let root = find(&mut parent, f);
        groups.entry(root).or_default().push(f);
    }
    groups.into_values().collect()
}
