//! Verification: import the models before and after a change with the
//! user's own Python and SQLAlchemy, configure the mappers, and compare
//! every relationship.
//!
//! `backpop --verify` verifies the migration it is about to write (the
//! migrated files are imported from their new text, through an overlay: the
//! user's files are never touched); `backpop verify` verifies a change made
//! by anyone, between a git revision and the working tree or between two
//! directories. The import and the dump run in `dump.py`, which ships inside
//! the binary; the comparison is [`compare`]. This module runs user code only
//! when asked to, and prints nothing: findings become diagnostics (BP024 for
//! a difference, BP025 for what could not be verified).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

mod compare;
mod failures;
mod git;
mod python;
mod select;

pub use git::Revision;
pub use python::Interpreter;
pub use select::{Group, Side, Tree, Watched};

use crate::diagnostics::Diagnostic;
use crate::facts::Pos;
use crate::refusal::Refusal;

/// The temporary directories of the verification in progress, removed by
/// [`cleanup`] when an interrupt ends the command before they are dropped.
static TEMPORARY: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// A new temporary directory, removed when dropped or by [`cleanup`].
fn temporary() -> Result<tempfile::TempDir> {
    use anyhow::Context;
    let dir = tempfile::Builder::new()
        .prefix("backpop-verify-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    TEMPORARY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(dir.path().to_path_buf());
    Ok(dir)
}

/// Remove the temporary directories of a verification that an interrupt
/// stops (a dropped one is already gone; removing it again does nothing).
pub fn cleanup() {
    let dirs = std::mem::take(&mut *TEMPORARY.lock().unwrap_or_else(|e| e.into_inner()));
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// What `--verify` and `backpop verify` are told on the command line and in
/// `[tool.backpop]`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--python`: the interpreter (else `$VIRTUAL_ENV`'s, else `python3`).
    pub python: Option<PathBuf>,
    /// `--import` / `verify-import`: the modules to import (else the ones
    /// the change touches).
    pub imports: Vec<String>,
    /// `verify-path`: more directories for `sys.path`.
    pub paths: Vec<PathBuf>,
    /// `--verify-setup` / `verify-setup`: code run before the imports.
    pub setup: Option<String>,
    /// `--verify-allow-unimported`: a module that fails to import on both
    /// sides does not fail the verification.
    pub allow_unimported: bool,
}

impl Settings {
    /// These settings completed by the configuration that applies at
    /// `first` (the first path of the run, or the tree after the change),
    /// and the project root that configuration names. Without a
    /// configuration file there is no project root: the modules' own roots
    /// are enough (a directory given as a path, or the current one, may be a
    /// package whose modules would shadow installed ones).
    pub fn resolved(
        self,
        resolver: &crate::config::Resolver,
        first: &Path,
    ) -> Result<(Settings, Option<PathBuf>)> {
        let first = std::fs::canonicalize(first).unwrap_or_else(|_| first.to_path_buf());
        let config = resolver.for_path(&first, first.is_dir())?;
        let project = config.source.as_ref().map(|_| config.root.clone());
        Ok((self.with_config(&config), project))
    }

    /// These settings, completed by a configuration file's (the command
    /// line wins; `verify-path` adds to `sys.path`).
    fn with_config(mut self, config: &crate::config::Settings) -> Settings {
        if self.imports.is_empty() {
            self.imports = config.verify_import.clone();
        }
        if self.setup.is_none() {
            self.setup = config.verify_setup.clone();
        }
        self.paths.extend(config.verify_path.iter().cloned());
        self
    }
}

/// Which side of the change something happened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Before,
    After,
    /// On both sides, the same way.
    Both,
    /// On both sides, differently (the error holds both).
    Differently,
}

impl When {
    pub fn as_str(self) -> &'static str {
        match self {
            When::Before => "before",
            When::After => "after",
            When::Both => "before and after",
            When::Differently => "before and after, differently",
        }
    }
}

/// A file and line a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
}

/// One thing the change altered in the configured mappers, or one thing
/// that kept them from being compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A field of a relationship (or, with no attribute, of a mapper)
    /// configures differently.
    Field {
        class: String,
        attribute: Option<String>,
        field: String,
        before: String,
        after: String,
        place: Option<Place>,
    },
    /// A relationship or attribute (or, with none, a whole mapped class)
    /// exists before the change and not after.
    Missing {
        class: String,
        attribute: Option<String>,
        place: Option<Place>,
    },
    /// One that exists only after the change.
    Added {
        class: String,
        attribute: Option<String>,
        place: Option<Place>,
    },
    ImportFails {
        module: String,
        when: When,
        error: String,
        place: Option<Place>,
    },
    /// `configure_mappers()` raised.
    ConfigureFails {
        when: When,
        error: String,
        place: Option<Place>,
    },
    /// The `verify-setup` code raised.
    SetupFails { when: When, error: String },
    /// SQLAlchemy warns after the change about something it did not before.
    NewWarning { warning: String },
    /// A changed file that cannot be imported by a module name
    /// (`my-models.py`, a script).
    NotImportable { file: PathBuf },
    /// The imports configured no relationship at all: nothing was compared.
    NothingCompared,
    /// A changed file that the imports never ran (no module named imports
    /// it, or another file of the same module name was imported instead).
    NotRun { file: PathBuf, when: When },
}

impl Finding {
    /// Whether the finding is something that could not be verified (the
    /// same failure on both sides) rather than a difference.
    pub fn unverified(&self) -> bool {
        matches!(
            self,
            Finding::ImportFails {
                when: When::Both,
                ..
            } | Finding::ConfigureFails {
                when: When::Both,
                ..
            } | Finding::SetupFails {
                when: When::Both,
                ..
            } | Finding::NotRun {
                when: When::Both,
                ..
            } | Finding::NotImportable { .. }
                | Finding::NothingCompared
        )
    }

    fn place(&self) -> Option<Place> {
        if let Finding::NotRun { file, .. } | Finding::NotImportable { file } = self {
            return Some(Place {
                file: file.clone(),
                line: 1,
            });
        }
        self.place_found().cloned()
    }

    fn place_found(&self) -> Option<&Place> {
        match self {
            Finding::Field { place, .. }
            | Finding::Missing { place, .. }
            | Finding::Added { place, .. }
            | Finding::ImportFails { place, .. }
            | Finding::ConfigureFails { place, .. } => place.as_ref(),
            Finding::SetupFails { .. }
            | Finding::NewWarning { .. }
            | Finding::NotRun { .. }
            | Finding::NotImportable { .. }
            | Finding::NothingCompared => None,
        }
    }

    /// What the finding is about: `module.Class.attribute`, a module, or the
    /// whole configuration.
    pub fn subject(&self) -> String {
        match self {
            Finding::Field {
                class, attribute, ..
            }
            | Finding::Missing {
                class, attribute, ..
            }
            | Finding::Added {
                class, attribute, ..
            } => match attribute {
                Some(a) => format!("{class}.{a}"),
                None => class.clone(),
            },
            Finding::ImportFails { module, .. } => module.clone(),
            Finding::ConfigureFails { .. } | Finding::NewWarning { .. } => {
                "configure_mappers()".into()
            }
            Finding::SetupFails { .. } => "verify-setup".into(),
            Finding::NotRun { file, .. } | Finding::NotImportable { file } => {
                file.display().to_string()
            }
            Finding::NothingCompared => "configure_mappers()".into(),
        }
    }
}

impl std::fmt::Display for Finding {
    // Long: one arm per finding and side, kept together so that the messages
    // read as one list.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let subject = self.subject();
        match self {
            Finding::Field {
                field,
                before,
                after,
                ..
            } => write!(f, "`{subject}`: {field} {before} -> {after}"),
            Finding::Missing { attribute, .. } => {
                let what = if attribute.is_some() {
                    ""
                } else {
                    " (mapped class)"
                };
                write!(f, "`{subject}`{what}: missing after the change")
            }
            Finding::Added { attribute, .. } => {
                let what = if attribute.is_some() {
                    ""
                } else {
                    " (mapped class)"
                };
                write!(f, "`{subject}`{what}: new after the change")
            }
            Finding::ImportFails { when, error, .. } => match when {
                When::Both => write!(
                    f,
                    "module `{subject}` fails to import before and after the change, so it is unverified: {error}"
                ),
                When::After => write!(
                    f,
                    "module `{subject}` imports before the change and fails after: {error}"
                ),
                When::Before => write!(
                    f,
                    "module `{subject}` fails to import before the change and imports after: {error}"
                ),
                When::Differently => write!(
                    f,
                    "module `{subject}` fails to import before and after the change, differently: {error}"
                ),
            },
            Finding::ConfigureFails { when, error, .. } => match when {
                When::Both => write!(
                    f,
                    "configure_mappers() fails before and after the change, so nothing is verified: {error}"
                ),
                When::After => write!(f, "configure_mappers() fails after the change: {error}"),
                When::Before => write!(
                    f,
                    "configure_mappers() fails before the change and succeeds after: {error}"
                ),
                When::Differently => write!(
                    f,
                    "configure_mappers() fails before and after the change, differently: {error}"
                ),
            },
            Finding::SetupFails { when, error } => {
                write!(f, "the verify-setup code fails {}: {error}", when.as_str())
            }
            Finding::NewWarning { warning } => {
                write!(f, "new warning after the change: {warning}")
            }
            Finding::NotImportable { .. } => f.write_str(
                "this changed file cannot be imported by a module name, so it is unverified",
            ),
            Finding::NothingCompared => f.write_str(
                "the imported modules configure no relationship, so nothing is verified (name the modules that map the models with --import or verify-import)",
            ),
            Finding::NotRun { when, .. } => write!(
                f,
                "this changed file did not run as a module {} the change (name its module with --import or verify-import), so it is unverified",
                when.as_str()
            ),
        }
    }
}

/// The result of one verification.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// The interpreter and the SQLAlchemy version it imported.
    pub python: String,
    pub sqlalchemy: String,
    /// The modules asked for, and how many of them imported on both sides.
    pub modules: Vec<String>,
    pub imported: usize,
    /// Relationships compared (after the change).
    pub relationships: usize,
    pub findings: Vec<Finding>,
    /// The findings that make the verification fail: all of them, except
    /// modules unimported on both sides when that is allowed.
    pub failures: usize,
    pub elapsed: Duration,
}

impl Verification {
    pub fn failed(&self) -> bool {
        self.failures > 0
    }

    /// The findings as diagnostics; one without a place of its own points
    /// at `fallback` (the first file of the change).
    pub fn diagnostics(
        &self,
        fallback: &Path,
        display: &dyn Fn(&Path) -> PathBuf,
    ) -> Vec<Diagnostic> {
        self.findings
            .iter()
            .map(|f| {
                let (path, line) = match f.place() {
                    Some(p) => (display(&p.file), p.line),
                    None => (fallback.to_path_buf(), 1),
                };
                Diagnostic {
                    path,
                    pos: Pos { line, col: 1 },
                    reason: Refusal::Verify(Box::new(f.clone())),
                    unmigrated: false,
                }
            })
            .collect()
    }
}

/// What `backpop verify` compares.
#[derive(Debug, Clone)]
pub enum Change {
    /// The working tree against a git revision, for the Python files under
    /// `paths` (the current directory when empty).
    Revision { rev: String, paths: Vec<PathBuf> },
    /// Two directories.
    Directories { before: PathBuf, after: PathBuf },
}

/// `backpop verify`: the verification of `change` as an outcome to print
/// (mode `Verify`: no migration, the findings as diagnostics).
pub fn verify_change(
    change: &Change,
    settings: Settings,
    config: crate::config::Source,
) -> Result<crate::Outcome> {
    let resolver = crate::config::Resolver::new(config)?;
    let cwd = std::env::current_dir()?;
    // The configuration of the tree after the change (or of the first path).
    let first = match change {
        Change::Directories { after, .. } => after.clone(),
        Change::Revision { paths, .. } => paths.first().cloned().unwrap_or_else(|| ".".into()),
    };
    let (settings, project) = settings.resolved(&resolver, &cwd.join(first))?;
    let tree = match change {
        Change::Directories { before, after } => Tree::between(before, after, &settings)?,
        Change::Revision { rev, paths } => {
            Tree::against(rev, paths, &settings, project.as_deref())?
        }
    };
    let verification = verify(&tree, &settings)?;
    let fallback = tree
        .first
        .as_deref()
        .map_or_else(|| PathBuf::from("."), |f| relative_to(f, &cwd));
    let mut diagnostics = verification.diagnostics(&fallback, &|p| relative_to(p, &cwd));
    diagnostics.sort();
    Ok(crate::Outcome {
        mode: crate::Mode::Verify,
        diagnostics,
        verification: Some(verification),
        ..crate::Outcome::default()
    })
}

/// `path` relative to `base` when it lies under it, as messages show paths.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// Import both sides of every group of `tree` with the interpreter
/// `settings` name, compare, and say what differs.
pub fn verify(tree: &Tree, settings: &Settings) -> Result<Verification> {
    let started = std::time::Instant::now();
    let python = Interpreter::find(settings.python.as_deref());
    let mut v = Verification {
        python: python.display(),
        ..Verification::default()
    };
    v.findings = tree
        .unimportable
        .iter()
        .map(|file| Finding::NotImportable { file: file.clone() })
        .collect();
    for group in &tree.groups {
        if group.modules.is_empty() {
            continue;
        }
        let (before, after) = python.dump_pair(group, settings)?;
        v.findings
            .extend(compare::compare(&before, &after, &group.modules));
        v.findings
            .extend(failures::not_run(&before, &after, &group.files));
        v.modules.extend(group.modules.iter().cloned());
        v.imported += failures::imported_on_both(&before, &after);
        v.relationships += compare::relationships(&after);
        if let Some(version) = after
            .pointer("/versions/sqlalchemy")
            .and_then(serde_json::Value::as_str)
        {
            v.sqlalchemy = version.to_string();
        }
    }
    if !v.modules.is_empty() && v.relationships == 0 && v.findings.is_empty() {
        v.findings.push(Finding::NothingCompared);
    }
    v.failures = v
        .findings
        .iter()
        .filter(|f| {
            !(settings.allow_unimported
                && matches!(
                    f,
                    Finding::ImportFails {
                        when: When::Both,
                        ..
                    } | Finding::NotRun {
                        when: When::Both,
                        ..
                    } | Finding::NotImportable { .. }
                ))
        })
        .count();
    v.elapsed = started.elapsed();
    Ok(v)
}
