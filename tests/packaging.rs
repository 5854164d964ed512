//! Packaging: `pip install` of the wheel maturin builds gives a working
//! `backpop` command, and the pre-commit hooks of `.pre-commit-hooks.yaml`
//! check and fix a sample repository (`pre-commit try-repo`), with the hook
//! ids of the README's snippet.
//!
//! maturin and pre-commit come from the pinned `tests/equiv/requirements-tools.txt`
//! (`tests/equiv/setup_venv.sh tools`). Setting `BACKPOP_SKIP_PACKAGING=1`
//! skips these tests outside CI; under `CI=true` they never skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// Both tests build the crate with maturin in the checkout's target
/// directory (maturin moves the binary it builds): one at a time.
static BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    BUILD.lock().unwrap_or_else(|e| e.into_inner())
}

fn skip() -> bool {
    if is_ci() {
        return false;
    }
    let set = std::env::var("BACKPOP_SKIP_PACKAGING").is_ok_and(|v| v == "1");
    if set {
        eprintln!("packaging test skipped (BACKPOP_SKIP_PACKAGING=1)");
    }
    set
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tools() -> PathBuf {
    venv_python("tools").expect("the tools environment")
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn the_wheel_installs_the_command() {
    if skip() {
        return;
    }
    let _one_at_a_time = serial();
    let python = tools();
    let tmp = tempfile::tempdir().expect("tempdir");
    let wheels = tmp.path().join("wheels");
    let built = Command::new(&python)
        .args(["-m", "maturin", "build", "--release", "--out"])
        .arg(&wheels)
        .current_dir(repo_root())
        .output()
        .expect("maturin runs");
    ok(&built, "maturin build");
    let wheel = std::fs::read_dir(&wheels)
        .expect("wheels")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("a wheel");
    let venv = tmp.path().join("venv");
    ok(
        &Command::new(&python)
            .args(["-m", "venv"])
            .arg(&venv)
            .output()
            .expect("venv"),
        "python -m venv",
    );
    ok(
        &Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--no-index", "--no-deps"])
            .arg(&wheel)
            .output()
            .expect("pip"),
        "pip install",
    );
    let installed = venv.join("bin/backpop");
    let version = Command::new(&installed)
        .arg("--version")
        .output()
        .expect("installed backpop runs");
    assert_eq!(
        text(&version.stdout),
        format!("backpop {}\n", env!("CARGO_PKG_VERSION"))
    );
    // The installed command migrates the bundled example like the one built here.
    let example = repo_root().join("testdata/example");
    let theirs = Command::new(&installed)
        .arg(".")
        .current_dir(&example)
        .output()
        .expect("runs");
    let ours = backpop(&example, &[".".to_string()]);
    assert_eq!(theirs.status.code(), Some(1));
    assert!(!theirs.stdout.is_empty());
    assert_eq!(theirs.stdout, ours.stdout);
}

fn git(dir: &Path, args: &[&str]) {
    ok(
        &Command::new("git")
            .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs"),
        &format!("git {args:?}"),
    );
}

#[test]
fn pre_commit_hooks_check_then_fix() {
    if skip() {
        return;
    }
    let _one_at_a_time = serial();
    // The README's snippet names the hooks that the manifest defines.
    let snippet = readme_yaml_block("repos:");
    let ids: Vec<&str> = snippet
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
        .collect();
    assert_eq!(ids, ["backpop-check", "backpop"], "{snippet}");
    let manifest =
        std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).expect("manifest");
    for id in &ids {
        assert!(manifest.contains(&format!("- id: {id}\n")), "{id}");
    }
    let serial = manifest
        .lines()
        .filter(|l| l.trim() == "require_serial: true");
    assert_eq!(serial.count(), 2);

    let python = tools();
    let pre_commit = python.with_file_name("pre-commit");
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = tmp.path().join("sample");
    copy_tree(&repo_root().join("testdata/example"), &sample);
    git(&sample, &["init", "-q"]);
    git(&sample, &["add", "-A"]);
    git(&sample, &["commit", "-q", "-m", "models"]);
    let try_repo = |hook: Option<&str>| {
        let log_of = |out: &Output| format!("{}{}", text(&out.stdout), text(&out.stderr));
        let out = Command::new(&pre_commit)
            .arg("try-repo")
            .arg(repo_root())
            .args(hook)
            .arg("--all-files")
            .current_dir(&sample)
            .env("PRE_COMMIT_HOME", tmp.path().join("pre-commit-home"))
            // try-repo commits into a shadow repository: an identity for
            // machines without a global git configuration.
            .env("GIT_AUTHOR_NAME", "ci")
            .env("GIT_AUTHOR_EMAIL", "ci@example.com")
            .env("GIT_COMMITTER_NAME", "ci")
            .env("GIT_COMMITTER_EMAIL", "ci@example.com")
            // pip builds the hook's environment with maturin: reuse the
            // compiled dependencies of this checkout.
            .env("CARGO_TARGET_DIR", repo_root().join("target"))
            .output()
            .expect("pre-commit runs");
        (out.status.code(), log_of(&out))
    };
    // The check fails on the sample as it is, and changes nothing.
    let (code, log) = try_repo(Some("backpop-check"));
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("backpop (check)") && log.contains("Failed"),
        "{log}"
    );
    assert!(log.contains("Would migrate 6 backrefs in 3 files"), "{log}");
    let models = std::fs::read_to_string(sample.join("shop/models/order.py")).expect("read");
    assert!(models.contains("backref="), "{models}");
    // Both hooks (pre-commit runs `backpop` first): the models are rewritten,
    // then the check passes; the run fails because files were modified.
    let (code, log) = try_repo(None);
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("files were modified by this hook"), "{log}");
    assert!(log.contains("Migrated 6 backrefs in 3 files"), "{log}");
    let models = std::fs::read_to_string(sample.join("shop/models/order.py")).expect("read");
    assert!(models.contains("back_populates="), "{models}");
    assert!(!models.contains("backref="), "{models}");
    // Nothing left: both pass.
    let (code, log) = try_repo(None);
    assert_eq!(code, Some(0), "{log}");
    assert_eq!(log.matches("Passed").count(), 2, "{log}");
}
