//! A git revision as a directory: checked out with a private index into a
//! temporary directory, so that neither the repository's index nor its
//! working tree nor its list of worktrees changes.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// A revision checked out into a temporary directory, and the Python files
/// that differ between it and the working tree.
pub struct Revision {
    /// The top of the working tree (real path).
    pub toplevel: PathBuf,
    /// Python files (relative to `toplevel`) that differ between the
    /// revision and the working tree, or exist in one only, under the paths
    /// asked for.
    pub changed: Vec<PathBuf>,
    /// The directory holding the revision's files (real path).
    pub tree: PathBuf,
    temp: tempfile::TempDir,
}

/// Run git in `dir`; its stdout, or an error with its stderr.
fn git(dir: &Path, args: &[&str], envs: &[(&str, &Path)]) -> Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .with_context(|| format!("cannot run `git {}`", args.join(" ")))?;
    if !out.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

fn nul_separated(bytes: &[u8]) -> Vec<PathBuf> {
    bytes
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| PathBuf::from(String::from_utf8_lossy(s).into_owned()))
        .collect()
}

impl Revision {
    /// Check out `rev` of the repository holding the current directory.
    pub fn checkout(rev: &str, paths: &[PathBuf]) -> Result<Revision> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let top = git(&cwd, &["rev-parse", "--show-toplevel"], &[])
            .context("`verify --base` needs a git repository")?;
        let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
        let toplevel = std::fs::canonicalize(&top)
            .with_context(|| format!("{}: cannot open", top.display()))?;
        let commit = format!("{rev}^{{commit}}");
        let sha = git(&cwd, &["rev-parse", "--verify", "--quiet", &commit], &[])
            .with_context(|| format!("`{rev}` is not a revision of this repository"))?;
        let sha = String::from_utf8_lossy(&sha).trim().to_string();

        let mut pathspec: Vec<String> = paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if pathspec.is_empty() {
            pathspec.push(".".into());
        }
        let spec: Vec<&str> = pathspec.iter().map(String::as_str).collect();
        // Tracked files changed since the revision, then untracked files
        // that are not ignored; both relative to the top.
        // Names relative to the top whatever `diff.relative` says.
        let mut args = vec![
            "-c",
            "diff.relative=false",
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            &sha,
            "--",
        ];
        args.extend(&spec);
        let mut changed = nul_separated(&git(&cwd, &args, &[])?);
        let mut args = vec![
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
            "-z",
            "--",
        ];
        args.extend(&spec);
        changed.extend(nul_separated(&git(&cwd, &args, &[])?));
        changed.retain(|p| p.extension().is_some_and(|e| e == "py"));
        changed.sort();
        changed.dedup();

        let temp = super::temporary()?;
        let index = temp.path().join("index");
        let prefix = format!("{}/", temp.path().join("tree").display());
        git(
            &toplevel,
            &["read-tree", &sha],
            &[("GIT_INDEX_FILE", &index)],
        )?;
        git(
            &toplevel,
            &[
                "checkout-index",
                "--all",
                "--force",
                &format!("--prefix={prefix}"),
            ],
            &[("GIT_INDEX_FILE", &index)],
        )?;
        let tree = temp.path().join("tree");
        std::fs::create_dir_all(&tree)
            .with_context(|| format!("{}: cannot create", tree.display()))?;
        let tree = std::fs::canonicalize(&tree)
            .with_context(|| format!("{}: cannot open", tree.display()))?;
        Ok(Revision {
            toplevel,
            changed,
            tree,
            temp,
        })
    }

    /// The temporary directory, to keep until the verification ends.
    pub fn into_temp(self) -> tempfile::TempDir {
        self.temp
    }
}
