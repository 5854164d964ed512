//! Finding the Python files to read.
//!
//! Directories are walked with the `ignore` crate: `.gitignore` and `.ignore`
//! rules apply (inside a git repository or not), hidden directories are
//! skipped, and `--exclude` globs drop matches. A file named on the command line
//! is always taken. Only regular `*.py` and `*.pyi` files are returned, sorted,
//! each once however many paths lead to it.
//!
//! Symbolic links met while walking are not followed (a link cannot lead out of
//! the given paths, and a link loop cannot hang the walk); a link named on the
//! command line is read and written through. A path that cannot be read, or
//! that is not a regular file or directory (a FIFO, a device), is reported and
//! the other paths are still processed.
//!
//! It reads no file's contents: which files mention `backref` is the scan's
//! business ([`crate::select`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use crate::config::Resolver;

/// A file to read: the path shown to the user, the path used to open it, and
/// its real path (no links, absolute).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub display: PathBuf,
    pub path: PathBuf,
    pub real: PathBuf,
}

/// The files found, and the paths that could not be used (one message each).
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<Found>,
    pub errors: Vec<String>,
    /// Copies of the libraries backpop migrates *for* found inside the given
    /// paths (see [`LIBRARIES`]): their files are left out.
    pub vendored: Vec<PathBuf>,
}

/// The packages whose own source is never part of a migration: a copy of
/// SQLAlchemy inside the tree would otherwise be the module that
/// `from sqlalchemy.orm import relationship` resolves to, its test models
/// would share the registry names of the application's, and its files would
/// be rewritten.
pub const LIBRARIES: &[&str] = &["sqlalchemy", "flask_sqlalchemy", "sqlmodel"];

/// Files that mark the root of a source distribution.
const DISTRIBUTION_MARKERS: &[&str] = &["setup.py", "pyproject.toml", "setup.cfg", "PKG-INFO"];

/// The directories of the found files that hold a copy of one of the
/// [`LIBRARIES`] (importable under its own top-level name: its directory is
/// no package) strictly below a root the user gave: the library's package
/// directory, or the source distribution around it (`setup.py`, ... beside
/// the package or beside the `lib/` or `src/` holding it, as SQLAlchemy's and
/// Flask-SQLAlchemy's sdists are laid out), whose tests and examples come with it.
fn vendored_roots(files: &[Found], given: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: BTreeSet<PathBuf> = BTreeSet::new();
    for f in files {
        let Some(name) = f.real.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(parent) = f.real.parent() else {
            continue;
        };
        // `sqlalchemy/__init__.py`, or a one-module library (`flask_sqlalchemy.py`).
        let package = if name == "__init__.py" || name == "__init__.pyi" {
            parent
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| LIBRARIES.contains(n))
                .map(|_| parent)
        } else {
            f.real
                .file_stem()
                .and_then(|n| n.to_str())
                .filter(|n| LIBRARIES.contains(n) && name.ends_with(".py"))
                .map(|_| f.real.as_path())
        };
        let Some(package) = package else { continue };
        let Some(holder) = package.parent() else {
            continue;
        };
        // Only a top-level `sqlalchemy` is the library: `app/db/sqlalchemy/`
        // inside a package is the application's own `app.db.sqlalchemy`.
        if holder.join("__init__.py").is_file() || holder.join("__init__.pyi").is_file() {
            continue;
        }
        let marked = |d: &Path| DISTRIBUTION_MARKERS.iter().any(|m| d.join(m).is_file());
        let in_lib_dir = holder.file_name().is_some_and(|n| n == "lib" || n == "src");
        let root = if marked(holder) {
            holder.to_path_buf()
        } else if let Some(up) = holder.parent().filter(|u| in_lib_dir && marked(u)) {
            up.to_path_buf()
        } else {
            package.to_path_buf()
        };
        // The user asked for the library itself (or for something inside it).
        if given.iter().any(|g| g.starts_with(&root)) {
            continue;
        }
        roots.insert(root);
    }
    // Keep the outermost of nested roots.
    let mut out: Vec<PathBuf> = Vec::new();
    for r in roots {
        if !out.iter().any(|o| r.starts_with(o)) {
            out.push(r);
        }
    }
    out
}

fn is_python(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("py" | "pyi")
    )
}

/// Path relative to the current directory when it lies below it.
fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    let p = path.strip_prefix("./").unwrap_or(path);
    if p.is_absolute()
        && let Ok(rel) = p.strip_prefix(cwd)
    {
        return rel.to_path_buf();
    }
    p.to_path_buf()
}

/// `settings` gives the configuration of each directory met: its `exclude`
/// globs prune the walk (never a path named on the command line), and the
/// root's decides whether `.gitignore` files are respected.
pub fn discover(
    roots: &[PathBuf],
    excludes: &[String],
    settings: &crate::config::Resolver,
) -> Result<Discovered> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut out = Discovered::default();
    let mut given: Vec<PathBuf> = Vec::new();
    // One entry per real file: the canonical path decides, the first path wins.
    let mut seen: BTreeMap<PathBuf, Found> = BTreeMap::new();
    let mut take = |found: Found| {
        seen.entry(found.real.clone()).or_insert(found);
    };
    for root in roots {
        let (meta, real_root) = match access(root) {
            Ok(found) => found,
            Err(message) => {
                out.errors.push(message);
                continue;
            }
        };
        given.push(real_root.clone());
        if meta.is_file() {
            take(Found {
                display: display_path(root, &cwd),
                path: root.clone(),
                real: real_root,
            });
            continue;
        }
        if !meta.is_dir() {
            out.errors.push(format!(
                "{}: not a regular file or directory; skipped",
                root.display()
            ));
            continue;
        }
        let (paths, errors) = walk(root, &real_root, excludes, settings)?;
        for path in paths {
            // Not following links, the path below the root has none.
            let real = path
                .strip_prefix(root)
                .map_or_else(|_| path.clone(), |rel| real_root.join(rel));
            take(Found {
                display: display_path(&path, &cwd),
                path,
                real,
            });
        }
        out.errors.extend(errors);
    }
    let files: BTreeSet<Found> = seen.into_values().collect();
    let files: Vec<Found> = files.into_iter().collect();
    out.vendored = vendored_roots(&files, &given);
    out.files = if out.vendored.is_empty() {
        files
    } else {
        files
            .into_iter()
            .filter(|f| !out.vendored.iter().any(|v| f.real.starts_with(v)))
            .collect()
    };
    Ok(out)
}

/// The metadata and the real path of a path named on the command line, or
/// the message that says why it cannot be used.
fn access(root: &Path) -> Result<(std::fs::Metadata, PathBuf), String> {
    let meta =
        std::fs::metadata(root).map_err(|e| format!("{}: cannot access: {e}", root.display()))?;
    let real_root = std::fs::canonicalize(root)
        .map_err(|e| format!("{}: cannot access: {e}", root.display()))?;
    Ok((meta, real_root))
}

/// What the walk workers send: a Python file found, or why a path could not be read.
type Sender = std::sync::mpsc::Sender<Result<PathBuf, String>>;

/// A configuration error met by a walk worker; the first one ends the walk.
type ConfigError = Mutex<Option<anyhow::Error>>;

/// The Python files below the directory `root` (whose real path is
/// `real_root`), and the messages of the paths that could not be read,
/// sorted.
fn walk(
    root: &Path,
    real_root: &Path,
    excludes: &[String],
    settings: &Resolver,
) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in excludes {
        overrides
            .add(&format!("!{glob}"))
            .with_context(|| format!("invalid --exclude glob `{glob}`"))?;
    }
    let overrides = overrides.build().context("invalid --exclude globs")?;
    // A parallel walk (one worker per thread of the run); its order does
    // not matter, the files are sorted by the caller and the errors here.
    let gitignore = settings.for_path(real_root, true)?.respect_gitignore;
    let config_error: ConfigError = Mutex::new(None);
    let (tx, rx) = std::sync::mpsc::channel::<Result<PathBuf, String>>();
    WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .git_ignore(gitignore)
        .git_global(gitignore)
        .git_exclude(gitignore)
        .ignore(gitignore)
        .follow_links(false)
        .overrides(overrides)
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            let tx = tx.clone();
            let config_error = &config_error;
            Box::new(move |entry| visit(entry, root, real_root, settings, config_error, &tx))
        });
    drop(tx);
    if let Some(e) = config_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    for item in rx {
        match item {
            Ok(path) => paths.push(path),
            Err(e) => errors.push(e),
        }
    }
    errors.sort();
    Ok((paths, errors))
}

/// One entry met by a walk worker: a Python file is sent, a directory an
/// `exclude` glob matches is skipped, anything else passed over.
fn visit(
    entry: Result<ignore::DirEntry, ignore::Error>,
    root: &Path,
    real_root: &Path,
    settings: &Resolver,
    config_error: &ConfigError,
    tx: &Sender,
) -> WalkState {
    let sent = match entry {
        Ok(e) => {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let is_file = e.file_type().is_some_and(|t| t.is_file());
            if !is_dir && (!is_file || !is_python(e.path())) {
                return WalkState::Continue;
            }
            if e.depth() > 0
                && let Some(state) = excluded(&e, root, real_root, settings, config_error)
            {
                return state;
            }
            if is_dir {
                return WalkState::Continue;
            }
            tx.send(Ok(e.into_path()))
        }
        Err(e) => tx.send(Err(format!("{}: {e}", root.display()))),
    };
    if sent.is_err() {
        return WalkState::Quit;
    }
    WalkState::Continue
}

/// `Skip` when the settings of its directory exclude an entry below the
/// root, `Quit` when they cannot be read (the error kept for the caller).
fn excluded(
    e: &ignore::DirEntry,
    root: &Path,
    real_root: &Path,
    settings: &Resolver,
    config_error: &ConfigError,
) -> Option<WalkState> {
    // Not following links, the path below the root has none.
    let real = e
        .path()
        .strip_prefix(root)
        .map_or_else(|_| e.path().to_path_buf(), |r| real_root.join(r));
    let parent = real.parent().unwrap_or(&real);
    match settings.for_path(parent, true) {
        Ok(s) if s.excludes(&real, real_root) => Some(WalkState::Skip),
        Ok(_) => None,
        Err(err) => {
            let mut slot = config_error.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert(err);
            Some(WalkState::Quit)
        }
    }
}
