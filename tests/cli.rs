//! The command-line contract, through the real binary: streams, exit codes,
//! file discovery, and what `--write` and `--check` do.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

const USER: &str = "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n    id = Column(Integer, primary_key=True)\n    posts = relationship(\"Post\", backref=\"author\")\n";
const POST: &str = "from sqlalchemy import Column, ForeignKey, Integer\n\nfrom app.user import Base\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n    id = Column(Integer, primary_key=True)\n    user_id = Column(Integer, ForeignKey(\"users.id\"))\n";

fn project(root: &Path) {
    fs::create_dir_all(root.join("app")).unwrap();
    fs::write(root.join("app/__init__.py"), "").unwrap();
    fs::write(root.join("app/user.py"), USER).unwrap();
    fs::write(root.join("app/post.py"), POST).unwrap();
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = backpop(cwd, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn dry_run_prints_diff_on_stdout_and_summary_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    let (code, stdout, stderr) = run(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("--- a/app/post.py\n+++ b/app/post.py\n"),
        "{stdout}"
    );
    assert!(stdout.contains("--- a/app/user.py\n+++ b/app/user.py\n"));
    assert_eq!(stderr, "Would migrate 1 backref in 2 files\n");
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/user.py")).unwrap(),
        USER
    );
}

#[test]
fn check_prints_no_diff_and_write_then_exits_zero() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    let (code, stdout, _) = run(tmp.path(), &["--check"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    let (code, stdout, stderr) = run(tmp.path(), &["--write"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(stderr, "Migrated 1 backref in 2 files\n");
    assert!(
        fs::read_to_string(tmp.path().join("app/post.py"))
            .unwrap()
            .contains("author = relationship(\"User\", back_populates=\"posts\")")
    );
    let (code, stdout, stderr) = run(tmp.path(), &["--check"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "", "No backrefs to migrate\n")
    );
    let (code, _, _) = run(tmp.path(), &["--fix"]);
    assert_eq!(code, 0);
}

#[test]
fn missing_path_and_usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(tmp.path(), &["does/not/exist"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("does/not/exist"), "{stderr}");
    let (code, _, _) = run(tmp.path(), &["--no-such-flag"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(tmp.path(), &["--write", "--check"]);
    assert_eq!(code, 2);
}

#[test]
fn gitignore_hidden_and_exclude_are_respected_but_named_files_are_not_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    fs::write(tmp.path().join(".gitignore"), "app/post.py\n").unwrap();
    // The target is ignored, so the pairing cannot be resolved.
    let (code, stdout, stderr) = run(tmp.path(), &["."]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("app/user.py:10:34: BP001"), "{stderr}");
    // Named on the command line, it is processed.
    let (_, stdout, _) = run(tmp.path(), &["app/user.py", "app/post.py"]);
    assert!(stdout.contains("+++ b/app/post.py"));
    fs::remove_file(tmp.path().join(".gitignore")).unwrap();
    let (_, _, stderr) = run(tmp.path(), &["--exclude", "post.py"]);
    assert!(stderr.contains("BP001"), "{stderr}");
    // Hidden directories are skipped.
    fs::create_dir_all(tmp.path().join(".venv/lib")).unwrap();
    fs::write(
        tmp.path().join(".venv/lib/other.py"),
        USER.replace("User", "Other"),
    )
    .unwrap();
    let (_, _, stderr) = run(tmp.path(), &[]);
    assert_eq!(stderr, "Would migrate 1 backref in 2 files\n");
}

#[test]
fn stubs_are_read_but_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    let stub = "class Post:\n    id: int\n";
    fs::write(tmp.path().join("app/post.pyi"), stub).unwrap();
    let (code, _, _) = run(tmp.path(), &["--write"]);
    assert_eq!(code, 0);
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/post.pyi")).unwrap(),
        stub
    );
    assert!(
        fs::read_to_string(tmp.path().join("app/post.py"))
            .unwrap()
            .contains("back_populates")
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let root = tmp.path().join(format!("svc{i}"));
        project(&root);
    }
    let mut child = Command::new(bin())
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn diff_applies_with_git_apply() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    let out = backpop(tmp.path(), &[]);
    let patch = tmp.path().join("p.diff");
    fs::write(&patch, &out.stdout).unwrap();
    let st = Command::new("git")
        .args(["apply", "-p1"])
        .arg(&patch)
        .current_dir(tmp.path())
        .status()
        .unwrap();
    assert!(st.success());
    let (code, stdout, _) = run(tmp.path(), &["app"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn a_file_without_final_newline_keeps_it_that_way() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    let post = POST.trim_end();
    fs::write(tmp.path().join("app/post.py"), post).unwrap();
    let (code, _, _) = run(tmp.path(), &["--write"]);
    assert_eq!(code, 0);
    let new = fs::read_to_string(tmp.path().join("app/post.py")).unwrap();
    assert!(
        new.contains("ForeignKey(\"users.id\"))\n    author"),
        "{new:?}"
    );
    assert!(
        new.ends_with("    author = relationship(\"User\", back_populates=\"posts\")"),
        "{new:?}"
    );
}

#[test]
fn output_is_the_same_for_any_number_of_threads() {
    // Many files, several pairings across files, refusals: one thread and the
    // default must print the same bytes on both streams.
    let root = repo_root().join("testdata/cases");
    let run_with = |jobs: &[&str]| {
        let mut args: Vec<String> = jobs.iter().map(|s| s.to_string()).collect();
        args.push(root.display().to_string());
        let out = backpop(&root, &args);
        (out.status.code(), out.stdout, out.stderr)
    };
    let one = run_with(&["-j", "1"]);
    let default = run_with(&[]);
    let three = run_with(&["--jobs", "3"]);
    assert!(!one.1.is_empty());
    assert_eq!(one, default);
    assert_eq!(one, three);
}
