//! The two sides of a verification: which modules to import, from where
//! (`sys.path`), and which files an import reads from other text (the
//! migrated files, through an overlay).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Settings;
use super::git::Revision;
use crate::index::module_names;

/// What one side's Python process is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// Put first on `sys.path`, in order.
    pub path: Vec<PathBuf>,
    /// A file imported from the text of another file.
    pub overlay: Vec<(PathBuf, PathBuf)>,
    /// Paths replaced in messages (a temporary checkout by the tree it
    /// stands for).
    pub rename: Vec<(PathBuf, PathBuf)>,
    /// The working directory of the process.
    pub cwd: PathBuf,
}

/// Both sides of a verification and the modules both import.
#[derive(Debug, Default)]
pub struct Tree {
    pub before: Side,
    pub after: Side,
    pub modules: Vec<String>,
    /// Files of the change that cannot be imported by a module name
    /// (`my-models.py`, a script): reported, never silently skipped.
    pub unimportable: Vec<PathBuf>,
    /// The first file of the change (where a finding without a place of its
    /// own is reported).
    pub first: Option<PathBuf>,
    /// Temporary directories the sides read; removed when the tree is dropped.
    temp: Vec<tempfile::TempDir>,
}

/// Whether a dotted name can be imported (`import a.b.c`) and is not a script.
fn importable(module: &str) -> bool {
    crate::config::dotted_name(module) && !module.ends_with("__main__")
}

/// A file's module name and the directory that name is relative to,
/// computed where the file exists.
fn module_of(file: &Path) -> (String, PathBuf) {
    module_names(&[file]).into_iter().next().unwrap_or_default()
}

fn push_unique(list: &mut Vec<PathBuf>, p: PathBuf) {
    if !list.contains(&p) {
        list.push(p);
    }
}

/// `from` re-rooted from `old` to `new` when it lies under `old`.
fn rebase(path: &Path, old: &Path, new: &Path) -> PathBuf {
    match path.strip_prefix(old) {
        Ok(rel) => new.join(rel),
        Err(_) => path.to_path_buf(),
    }
}

fn canonical(p: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(p).with_context(|| format!("{}: cannot open", p.display()))
}

impl Tree {
    /// The modules of `files` (each where it exists: in the after tree, or
    /// in the before tree when deleted), unless `settings` names the
    /// modules, and the `sys.path` of both sides; `to_after` and
    /// `to_before` take a directory from one tree to the other.
    fn select(
        &mut self,
        files: &[PathBuf],
        settings: &Settings,
        project: &Path,
        to_after: &dyn Fn(&Path) -> PathBuf,
        to_before: &dyn Fn(&Path) -> PathBuf,
    ) {
        let mut roots = Vec::new();
        let mut modules = BTreeSet::new();
        for file in files {
            let (module, root) = module_of(file);
            if importable(&module) {
                modules.insert(module);
                push_unique(&mut roots, to_after(&root));
            } else {
                self.unimportable.push(to_after(file));
            }
        }
        if !settings.imports.is_empty() {
            modules = settings.imports.iter().cloned().collect();
            self.unimportable.clear();
        }
        self.modules = modules.into_iter().collect();
        push_unique(&mut roots, project.to_path_buf());
        for p in &settings.paths {
            push_unique(&mut roots, p.clone());
        }
        self.first = files.first().map(|f| to_after(f));
        self.before.path = roots.iter().map(|r| to_before(r)).collect();
        self.after.path = roots;
    }

    /// A migration about to be written: `changed` holds each changed file's
    /// real path and new text; the after side imports the new text through
    /// an overlay, both sides from the user's tree.
    pub fn migration(
        changed: &[(PathBuf, &str)],
        settings: &Settings,
        project: &Path,
    ) -> Result<Tree> {
        let temp = tempfile::Builder::new()
            .prefix("backpop-verify-")
            .tempdir()
            .context("cannot create a temporary directory")?;
        let mut tree = Tree::default();
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let mut files = Vec::new();
        for (n, (real, text)) in changed.iter().enumerate() {
            let copy = temp.path().join(format!("{n}.py"));
            std::fs::write(&copy, text)
                .with_context(|| format!("{}: cannot write", copy.display()))?;
            tree.after.overlay.push((real.clone(), copy));
            files.push(real.clone());
        }
        let same = |p: &Path| p.to_path_buf();
        tree.select(&files, settings, project, &same, &same);
        tree.before.cwd = cwd.clone();
        tree.after.cwd = cwd;
        tree.temp.push(temp);
        Ok(tree)
    }

    /// The working tree against a git revision: the revision is checked out
    /// into a temporary directory (the before side), and the Python files
    /// that differ, under `paths`, are the modules.
    pub fn against(
        rev: &str,
        paths: &[PathBuf],
        settings: &Settings,
        project: Option<&Path>,
    ) -> Result<Tree> {
        let revision = Revision::checkout(rev, paths)?;
        let top = revision.toplevel.clone();
        let project = project.map_or_else(|| top.clone(), Path::to_path_buf);
        let mut tree =
            Tree::two_roots(&revision.tree, &top, &revision.changed, settings, &project)?;
        tree.temp.push(revision.into_temp());
        Ok(tree)
    }

    /// Two directories: the Python files that differ between them (or exist
    /// in one only) are the modules.
    pub fn between(before: &Path, after: &Path, settings: &Settings) -> Result<Tree> {
        let (before, after) = (canonical(before)?, canonical(after)?);
        let mut rels: BTreeSet<PathBuf> = python_files(&before)?;
        rels.extend(python_files(&after)?);
        let changed: Vec<PathBuf> = rels
            .into_iter()
            .filter(|rel| {
                match (
                    std::fs::read(before.join(rel)),
                    std::fs::read(after.join(rel)),
                ) {
                    (Ok(x), Ok(y)) => x != y,
                    _ => true,
                }
            })
            .collect();
        Tree::two_roots(&before, &after, &changed, settings, &after)
    }

    /// The sides of two trees, `changed` holding the files (relative to
    /// either) that differ.
    fn two_roots(
        before: &Path,
        after: &Path,
        changed: &[PathBuf],
        settings: &Settings,
        project: &Path,
    ) -> Result<Tree> {
        let existing: Vec<PathBuf> = changed
            .iter()
            .map(|rel| {
                let a = after.join(rel);
                if a.is_file() { a } else { before.join(rel) }
            })
            .collect();
        let to_after = |p: &Path| rebase(p, before, after);
        let to_before = |p: &Path| rebase(p, after, before);
        let mut tree = Tree::default();
        tree.select(&existing, settings, project, &to_after, &to_before);
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        tree.before.cwd = to_before(&cwd);
        tree.after.cwd = cwd;
        tree.before.rename = vec![(before.to_path_buf(), after.to_path_buf())];
        Ok(tree)
    }
}

/// The `.py` files under `dir`, relative to it, as a walk that respects
/// ignore files finds them.
fn python_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    for entry in ignore::WalkBuilder::new(dir).build() {
        let entry = entry.with_context(|| format!("{}: cannot walk", dir.display()))?;
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "py")
            && entry.file_type().is_some_and(|t| t.is_file())
            && let Ok(rel) = p.strip_prefix(dir)
        {
            out.insert(rel.to_path_buf());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importable_names() {
        assert!(importable("app.models"));
        assert!(importable("_private.m2"));
        assert!(!importable("my-models"));
        assert!(!importable("app.2fa"));
        assert!(!importable(""));
        assert!(!importable("app.__main__"));
    }

    #[test]
    fn rebase_moves_only_what_is_under_the_old_root() {
        let (old, new) = (Path::new("/tmp/x/tree"), Path::new("/repo"));
        assert_eq!(
            rebase(Path::new("/tmp/x/tree/src"), old, new),
            PathBuf::from("/repo/src")
        );
        assert_eq!(
            rebase(Path::new("/elsewhere"), old, new),
            PathBuf::from("/elsewhere")
        );
    }
}
