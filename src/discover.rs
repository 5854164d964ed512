//! Finding the Python files to read.
//!
//! Directories are walked with the `ignore` crate: `.gitignore` and `.ignore`
//! rules apply (inside a git repository or not), hidden directories are
//! skipped, and `--exclude` globs drop matches. A file named on the command line
//! is always taken. Only `*.py` and `*.pyi` are returned, sorted, each once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// A file to read: the path used to open it and the path shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub display: PathBuf,
    pub path: PathBuf,
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

pub fn discover(roots: &[PathBuf], excludes: &[String]) -> Result<Vec<Found>> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut out = BTreeSet::new();
    for root in roots {
        let meta = std::fs::metadata(root)
            .with_context(|| format!("{}: cannot access", root.display()))?;
        if meta.is_file() {
            out.insert(Found {
                display: display_path(root, &cwd),
                path: root.clone(),
            });
            continue;
        }
        if !meta.is_dir() {
            bail!("{}: not a file or directory", root.display());
        }
        let mut overrides = OverrideBuilder::new(root);
        for glob in excludes {
            overrides
                .add(&format!("!{glob}"))
                .with_context(|| format!("invalid --exclude glob `{glob}`"))?;
        }
        let overrides = overrides.build().context("invalid --exclude globs")?;
        let walker = WalkBuilder::new(root)
            .hidden(true)
            .require_git(false)
            .follow_links(false)
            .overrides(overrides)
            .build();
        for entry in walker {
            let entry = entry.with_context(|| format!("{}: cannot walk", root.display()))?;
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file && is_python(entry.path()) {
                out.insert(Found {
                    display: display_path(entry.path(), &cwd),
                    path: entry.path().to_path_buf(),
                });
            }
        }
    }
    Ok(out.into_iter().collect())
}
