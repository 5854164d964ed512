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
}

/// One pair of processes: both sides import `modules`.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub before: Side,
    pub after: Side,
    pub modules: Vec<String>,
    /// The changed files this group must have run as modules.
    pub files: Vec<Watched>,
}

/// A changed file, which the import must run on each side where it exists.
#[derive(Debug, Clone, Default)]
pub struct Watched {
    /// Its module name (when it has one).
    pub module: String,
    /// Its real path after the change, if it exists then.
    pub after: Option<PathBuf>,
    /// Its real path before the change, in the after tree's terms (as
    /// messages name it), if it existed then.
    pub before: Option<PathBuf>,
}

/// The verification of a change: the groups of modules to import (one,
/// unless services of a monorepo reuse a module name, which one process
/// cannot import twice), and what cannot be imported at all.
#[derive(Debug, Default)]
pub struct Tree {
    pub groups: Vec<Group>,
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

/// A changed file as `select` sees it: where it exists (after the change,
/// else before), and its real paths on each side in the after tree's terms.
struct Changed {
    exists: PathBuf,
    after: Option<PathBuf>,
    before: Option<PathBuf>,
}

impl Tree {
    /// The modules of the `changed` files, unless `settings` names the
    /// modules, and the `sys.path` of each side; `to_after` and `to_before`
    /// take a directory from one tree to the other.
    fn select(
        &mut self,
        changed: &[Changed],
        settings: &Settings,
        project: Option<&Path>,
        to_after: &dyn Fn(&Path) -> PathBuf,
        to_before: &dyn Fn(&Path) -> PathBuf,
    ) {
        // (module, its root in the after tree, the file)
        let mut found: Vec<(String, PathBuf, Watched)> = Vec::new();
        for c in changed {
            let (module, root) = module_of(&c.exists);
            let shown = c
                .after
                .clone()
                .or_else(|| c.before.clone())
                .unwrap_or_default();
            if importable(&module) {
                let watched = Watched {
                    module: module.clone(),
                    after: c.after.clone(),
                    before: c.before.clone(),
                };
                found.push((module, to_after(&root), watched));
            } else {
                self.unimportable.push(shown);
            }
        }
        self.first = changed
            .first()
            .and_then(|c| c.after.clone().or_else(|| c.before.clone()));
        let mut tail: Vec<PathBuf> = project.map(Path::to_path_buf).into_iter().collect();
        for p in &settings.paths {
            push_unique(&mut tail, p.clone());
        }
        let group = |roots: Vec<PathBuf>, modules: Vec<String>, files: Vec<Watched>| {
            let mut path = roots;
            for p in &tail {
                push_unique(&mut path, p.clone());
            }
            Group {
                before: Side {
                    path: path.iter().map(|r| to_before(r)).collect(),
                    ..Side::default()
                },
                after: Side {
                    path,
                    ..Side::default()
                },
                modules,
                files,
            }
        };
        let mut roots: Vec<PathBuf> = Vec::new();
        for (_, root, _) in &found {
            push_unique(&mut roots, root.clone());
        }
        if !settings.imports.is_empty() {
            let files = found.into_iter().map(|(_, _, w)| w).collect();
            self.groups = vec![group(roots, settings.imports.clone(), files)];
            return;
        }
        // One module name from two roots: one group per root.
        let mut names: std::collections::BTreeMap<&str, BTreeSet<&Path>> = Default::default();
        for (m, root, _) in &found {
            names.entry(m.as_str()).or_default().insert(root.as_path());
        }
        let shared = names.values().any(|r| r.len() > 1);
        let parts: Vec<Vec<PathBuf>> = if shared {
            roots.iter().map(|r| vec![r.clone()]).collect()
        } else {
            vec![roots.clone()]
        };
        for part in parts {
            let mine: Vec<&(String, PathBuf, Watched)> =
                found.iter().filter(|(_, r, _)| part.contains(r)).collect();
            let modules: BTreeSet<String> = mine.iter().map(|(m, _, _)| m.clone()).collect();
            let files = mine.iter().map(|(_, _, w)| w.clone()).collect();
            self.groups
                .push(group(part, modules.into_iter().collect(), files));
        }
    }

    /// Every before side reports paths of `before` as paths of `after`.
    fn set_rename(&mut self, before: &Path, after: &Path) {
        for g in &mut self.groups {
            g.before.rename = vec![(before.to_path_buf(), after.to_path_buf())];
        }
    }

    /// A migration about to be written: `changed` holds each changed file's
    /// path (absolute, as given: a symbolic link keeps its module name) and
    /// new text; the after side imports the new text through an overlay,
    /// both sides from the user's tree.
    pub fn migration(
        changed: &[(PathBuf, &str)],
        settings: &Settings,
        project: Option<&Path>,
    ) -> Result<Tree> {
        let temp = super::temporary()?;
        let mut tree = Tree::default();
        let mut overlay = Vec::new();
        let mut files = Vec::new();
        for (n, (path, text)) in changed.iter().enumerate() {
            let copy = temp.path().join(format!("{n}.py"));
            std::fs::write(&copy, text)
                .with_context(|| format!("{}: cannot write", copy.display()))?;
            overlay.push((path.clone(), copy));
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            files.push(Changed {
                exists: path.clone(),
                after: Some(real.clone()),
                before: Some(real),
            });
        }
        let same = |p: &Path| p.to_path_buf();
        tree.select(&files, settings, project, &same, &same);
        for g in &mut tree.groups {
            g.after.overlay = overlay.clone();
        }
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
        let mut tree = Tree::two_roots(
            &revision.tree,
            &top,
            &revision.changed,
            settings,
            Some(&project),
        )?;
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
        Tree::two_roots(&before, &after, &changed, settings, Some(&after))
    }

    /// The sides of two trees (real paths), `changed` holding the files
    /// (relative to either) that differ. Only packages and files that mention
    /// SQLAlchemy are imported: a changed `setup.py` or script is not run.
    fn two_roots(
        before: &Path,
        after: &Path,
        changed: &[PathBuf],
        settings: &Settings,
        project: Option<&Path>,
    ) -> Result<Tree> {
        let to_after = |p: &Path| rebase(p, before, after);
        let to_before = |p: &Path| rebase(p, after, before);
        let real = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
        let files: Vec<Changed> = changed
            .iter()
            .filter(|rel| {
                rel.file_name().is_some_and(|n| n == "__init__.py")
                    || mentions_sqlalchemy(&before.join(rel))
                    || mentions_sqlalchemy(&after.join(rel))
            })
            .map(|rel| {
                let (a, b) = (after.join(rel), before.join(rel));
                let after_real = a.is_file().then(|| real(a.clone()));
                let before_real = b.is_file().then(|| to_after(&real(b.clone())));
                Changed {
                    exists: if a.is_file() { a } else { b },
                    after: after_real,
                    before: before_real,
                }
            })
            .collect();
        let mut tree = Tree::default();
        tree.select(&files, settings, project, &to_after, &to_before);
        tree.set_rename(before, after);
        Ok(tree)
    }
}

/// Whether a Python file mentions SQLAlchemy's mapping (a model module, as
/// opposed to a script, a test helper or `setup.py`); a package's
/// `__init__.py` is imported whatever it says (it may import the models).
fn mentions_sqlalchemy(path: &Path) -> bool {
    const WORDS: [&[u8]; 8] = [
        b"relationship",
        b"backref",
        b"back_populates",
        b"mapper",
        b"mapped_column",
        b"Column",
        b"declarative",
        b"sqlalchemy",
    ];
    std::fs::read(path).is_ok_and(|bytes| {
        WORDS
            .iter()
            .any(|w| memchr::memmem::find(&bytes, w).is_some())
    })
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
