//! `backpop --verify` and `backpop verify`, through the real binary, with the
//! pinned SQLAlchemy 1.4, 2.0 and 2.1 environments: equal trees pass, every
//! mutant of `tests/equiv/mutants` is reported at the right relationship and
//! field, a module that fails to import is named, nothing is written when the
//! verification fails, and `--base` works on a git repository made here.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{backpop, copy_tree, read_tree, repo_root};
use crate::venv_python;

type Trial = Result<(), String>;

fn run(cwd: &Path, args: &[&str]) -> Output {
    backpop(cwd, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn expect_exit(out: &Output, code: i32) -> Trial {
    if out.status.code() != Some(code) {
        return Err(format!("expected exit {code}\n{}", text(out)));
    }
    Ok(())
}

fn json(out: &Output) -> Result<serde_json::Value, String> {
    serde_json::from_slice(&out.stdout).map_err(|e| format!("not JSON ({e})\n{}", text(out)))
}

/// The findings of a `--output-format json` document, one line each:
/// `path:line CODE kind subject field`, the path below `after/`.
fn finding_lines(doc: &serde_json::Value) -> Vec<String> {
    let empty = Vec::new();
    let diagnostics = doc["diagnostics"].as_array().unwrap_or(&empty);
    let findings = doc["verification"]["findings"].as_array().unwrap_or(&empty);
    findings
        .iter()
        .map(|f| {
            let at = diagnostics
                .iter()
                .find(|d| d["message"] == f["message"])
                .map(|d| {
                    let path = d["path"].as_str().unwrap_or_default();
                    let path = path.strip_prefix("after/").unwrap_or(path);
                    let path = path.split_once("/after/").map_or(path, |(_, p)| p);
                    format!("{path}:{}", d["line"])
                })
                .unwrap_or_else(|| "?".into());
            format!(
                "{at} {} {} {} {}",
                f["code"].as_str().unwrap_or_default(),
                f["kind"].as_str().unwrap_or_default(),
                f["subject"].as_str().unwrap_or_default(),
                f["field"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

fn python(env: &str) -> Result<String, String> {
    Ok(venv_python(env)?.display().to_string())
}

/// `verify --before before --after after` with `python`, printing `format`.
fn between(python: &str, format: &str) -> Vec<String> {
    let args = [
        "verify", "--python", python, "--before", "before", "--after", "after",
    ];
    let mut args: Vec<String> = args.map(str::to_string).to_vec();
    args.extend(["--output-format".to_string(), format.to_string()]);
    args
}

/// `verify --before --after` on one mutant: a wrong migration is reported
/// exactly as `verify.expected` says; a correct one passes.
pub fn mutant(dir: &Path, env: &str) -> Trial {
    let py = python(env)?;
    let out = backpop(dir, &between(&py, "json"));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.ends_with("_ok") {
        expect_exit(&out, 0)?;
        let doc = json(&out)?;
        if doc["verification"]["passed"] != true || doc["verification"]["imported"] == 0 {
            return Err(format!(
                "a correct migration did not verify\n{}",
                text(&out)
            ));
        }
        return Ok(());
    }
    expect_exit(&out, 1)?;
    let want = fs::read_to_string(dir.join("verify.expected"))
        .map_err(|e| format!("{}: verify.expected: {e}", dir.display()))?;
    let want: Vec<&str> = want.lines().collect();
    let got = finding_lines(&json(&out)?);
    if got != want {
        return Err(format!(
            "findings differ\nwant:\n{}\ngot:\n{}",
            want.join("\n"),
            got.join("\n")
        ));
    }
    Ok(())
}

/// A fixture's input copied into a fresh directory.
fn copy_case(name: &str) -> Result<(tempfile::TempDir, PathBuf), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = tmp.path().join("project");
    copy_tree(
        &repo_root().join("testdata/cases").join(name).join("input"),
        &root,
    );
    Ok((tmp, root))
}

/// Every file under `root`, `__pycache__` included, with its bytes.
fn every_file(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// `--verify --write` on trees that verify: written as without `--verify`.
pub fn migration_writes_when_equal(case: &str, env: &str) -> Trial {
    let py = python(env)?;
    let (_tmp, root) = copy_case(case)?;
    let out = run(&root, &["--verify", "--python", &py, "--write", "."]);
    expect_exit(&out, 0)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.contains("configure as before") {
        return Err(format!("no verification in the summary\n{}", text(&out)));
    }
    let expected = read_tree(
        &repo_root()
            .join("testdata/cases")
            .join(case)
            .join("expected"),
    );
    if read_tree(&root) != expected {
        return Err("the written tree differs from the fixture's expected tree".into());
    }
    Ok(())
}

/// `--verify` without `--write` leaves the tree byte for byte as it was, and
/// creates nothing in it (no bytecode, no temporary file).
pub fn dry_run_touches_nothing() -> Trial {
    let py = python("sa20")?;
    let (_tmp, root) = copy_case("cross_file")?;
    let before = every_file(&root);
    let out = run(&root, &["--verify", "--python", &py, "."]);
    expect_exit(&out, 1)?; // a diff is pending
    if every_file(&root) != before {
        return Err("the user's tree changed".into());
    }
    Ok(())
}

const MODELS: &str = "from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = \"users\"
    id = Column(Integer, primary_key=True)
    posts = relationship(\"Post\", backref=\"author\")


class Post(Base):
    __tablename__ = \"posts\"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey(\"users.id\"))
";

fn project(files: &[(&str, &str)]) -> Result<(tempfile::TempDir, PathBuf), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = tmp.path().join("project");
    for (name, body) in files {
        let p = root.join(name);
        fs::create_dir_all(p.parent().unwrap_or(&root)).map_err(|e| e.to_string())?;
        fs::write(&p, body).map_err(|e| e.to_string())?;
    }
    Ok((tmp, root))
}

/// A project's code reads the backref at configure time through a name
/// backpop cannot see: the migration is right statically and wrong at run
/// time. `--verify` catches it, and `--write` writes nothing.
pub fn difference_blocks_the_write() -> Trial {
    let py = python("sa20")?;
    let hook = "\nfrom sqlalchemy import event\nfrom sqlalchemy.orm import Mapper\n\n\n\
        @event.listens_for(Mapper, \"after_configured\", once=True)\n\
        def check():\n    name = getattr(User.posts.property, \"back\" + \"ref\")\n    \
        assert name == \"author\", \"posts lost its backref\"\n";
    let (_tmp, root) = project(&[
        ("app/__init__.py", ""),
        ("app/models.py", &format!("{MODELS}{hook}")),
    ])?;
    let before = every_file(&root);
    let out = run(&root, &["--verify", "--python", &py, "--write", "."]);
    expect_exit(&out, 1)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.contains("BP024")
        || !stderr.contains("configure_mappers() fails after the change")
        || !stderr.contains("nothing written")
    {
        return Err(format!("the difference is not reported\n{}", text(&out)));
    }
    if every_file(&root) != before {
        return Err("a failed verification wrote files".into());
    }
    Ok(())
}

/// A module that fails to import before and after is named (BP025), fails
/// the verification and blocks the write, unless allowed.
pub fn unimported_module_is_named() -> Trial {
    let py = python("sa20")?;
    let models = format!("import not_installed_anywhere  # noqa\n{MODELS}");
    let (_tmp, root) = project(&[("app/__init__.py", ""), ("app/models.py", &models)])?;
    let before = every_file(&root);
    let out = run(&root, &["--verify", "--python", &py, "--write", "."]);
    expect_exit(&out, 1)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr
        .contains("app/models.py:1:1: BP025 module `app.models` fails to import before and after")
        || !stderr.contains("No module named 'not_installed_anywhere'")
    {
        return Err(format!("the module is not named\n{}", text(&out)));
    }
    if every_file(&root) != before {
        return Err("an unverified migration was written".into());
    }
    let out = run(
        &root,
        &[
            "--verify",
            "--python",
            &py,
            "--verify-allow-unimported",
            "--write",
            ".",
        ],
    );
    expect_exit(&out, 0)?;
    if every_file(&root) == before {
        return Err("--verify-allow-unimported did not write".into());
    }
    Ok(())
}

/// Models that need settings first: `--verify-setup` and `verify-setup`.
pub fn setup_code_runs_first() -> Trial {
    let py = python("sa14")?;
    let models = format!(
        "import os\n\nif \"APP_SETTINGS\" not in os.environ:\n    raise RuntimeError(\"no settings\")\n{MODELS}"
    );
    let (_tmp, root) = project(&[("app/__init__.py", ""), ("app/models.py", &models)])?;
    let out = run(&root, &["--verify", "--python", &py, "."]);
    expect_exit(&out, 1)?;
    if !String::from_utf8_lossy(&out.stderr).contains("RuntimeError: no settings") {
        return Err(format!("the import error is not shown\n{}", text(&out)));
    }
    let setup = "import os; os.environ['APP_SETTINGS'] = 'test'";
    let out = run(
        &root,
        &[
            "--verify",
            "--python",
            &py,
            "--verify-setup",
            setup,
            "--write",
            ".",
        ],
    );
    expect_exit(&out, 0)?;
    // The same from the configuration, for `--verify` and for `backpop verify`
    // between two directories (the after tree's configuration).
    let config = format!("[tool.backpop]\nverify-setup = \"{setup}\"\n");
    let files = [
        ("pyproject.toml", config.as_str()),
        ("app/__init__.py", ""),
        ("app/models.py", models.as_str()),
    ];
    let (_tmp2, before) = project(&files)?;
    let (_tmp3, after) = project(&files)?;
    let out = run(&after, &["--verify", "--python", &py, "--write", "."]);
    expect_exit(&out, 0)?;
    let before = before.display().to_string();
    let out = run(
        &after,
        &[
            "verify", "--python", &py, "--before", &before, "--after", ".",
        ],
    );
    expect_exit(&out, 0)?;
    if !String::from_utf8_lossy(&out.stderr).contains("1 module imported") {
        return Err(format!("not verified\n{}", text(&out)));
    }
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> Trial {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .map_err(|e| format!("git does not run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

fn git_status(dir: &Path) -> String {
    Command::new("git")
        .current_dir(dir)
        .args(["status", "--porcelain", "--untracked-files=all"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// `verify --base`: a repository whose last commit uses `backref=`, and a
/// hand migration in the working tree, wrong then right.
pub fn base_revision(env: &str) -> Trial {
    let py = python(env)?;
    let mutants = repo_root().join("tests/equiv/mutants");
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let repo = tmp.path().join("repo");
    copy_tree(&mutants.join("drop_uselist_false/before"), &repo);
    git(&repo, &["init", "-q"])?;
    git(&repo, &["add", "."])?;
    git(&repo, &["commit", "-qm", "models"])?;
    copy_tree(&mutants.join("drop_uselist_false/after"), &repo);
    // A changed file that does not mention SQLAlchemy (a script, a helper) is
    // not run.
    fs::write(repo.join("app/extra.py"), "import sys\n\nsys.exit(3)\n")
        .map_err(|e| e.to_string())?;
    let status = git_status(&repo);
    let out = run(
        &repo,
        &[
            "verify",
            "--base",
            "HEAD",
            "--python",
            &py,
            "--output-format",
            "json",
        ],
    );
    expect_exit(&out, 1)?;
    let doc = json(&out)?;
    let got = finding_lines(&doc);
    let want = [
        "app/models.py:12 BP024 field app.models.User.profile collection_class",
        "app/models.py:12 BP024 field app.models.User.profile uselist",
    ];
    if got != want {
        return Err(format!("want {want:?}\ngot {got:?}"));
    }
    if doc["verification"]["modules"] != serde_json::json!(["app.models"]) {
        return Err(format!("modules: {}", doc["verification"]["modules"]));
    }
    if git_status(&repo) != status {
        return Err("verify --base changed the repository's status".into());
    }
    // From a subdirectory, with a path: the same change.
    let out = run(
        &repo.join("app"),
        &["verify", "--base", "HEAD", "--python", &py, "."],
    );
    expect_exit(&out, 1)?;
    // The right hand migration passes.
    copy_tree(&mutants.join("drop_uselist_false_ok/after"), &repo);
    let out = run(&repo, &["verify", "--base", "HEAD", "--python", &py]);
    expect_exit(&out, 0)?;
    // An untracked model module is part of the change.
    let tags = "from sqlalchemy import Column, Integer\n\nfrom app.models import Base\n\n\n\
        class Tag(Base):\n    __tablename__ = \"tags\"\n    id = Column(Integer, primary_key=True)\n";
    fs::write(repo.join("app/tags.py"), tags).map_err(|e| e.to_string())?;
    let out = run(&repo, &["verify", "--base", "HEAD", "--python", &py]);
    expect_exit(&out, 1)?;
    if !String::from_utf8_lossy(&out.stderr)
        .contains("app/tags.py:6:1: BP024 `app.tags.Tag` (mapped class): new after the change")
    {
        return Err(format!(
            "the untracked module is not verified\n{}",
            text(&out)
        ));
    }
    // A revision that does not exist is an error.
    let out = run(
        &repo,
        &["verify", "--base", "no-such-branch", "--python", &py],
    );
    expect_exit(&out, 2)?;
    Ok(())
}

/// `verify --base` where the models read an ignored file at import (both
/// sides run in the current directory, where it is) and the change is a
/// package's `__init__.py` alone (it is imported though it names no
/// SQLAlchemy).
pub fn base_package_init_and_ignored_files() -> Trial {
    let py = python("sa20")?;
    let tags = "from sqlalchemy import Column, ForeignKey, Integer\n\
        from sqlalchemy.orm import relationship\n\nfrom app.models import Base\n\n\n\
        class Tag(Base):\n    __tablename__ = \"tags\"\n    id = Column(Integer, primary_key=True)\n    \
        user_id = Column(ForeignKey(\"users.id\"))\n    user = relationship(\"User\", backref=\"tags\")\n";
    let models = format!("with open(\"settings.env\") as f:\n    SETTINGS = f.read()\n\n{MODELS}");
    let (_tmp, repo) = project(&[
        (".gitignore", "settings.env\n"),
        ("settings.env", "DEBUG=1\n"),
        (
            "app/__init__.py",
            "from app import models, tags  # noqa: F401\n",
        ),
        ("app/models.py", &models),
        ("app/tags.py", tags),
    ])?;
    git(&repo, &["init", "-q"])?;
    git(&repo, &["add", "."])?;
    git(&repo, &["commit", "-qm", "models"])?;
    fs::write(
        repo.join("app/__init__.py"),
        "from app import models  # noqa: F401\n",
    )
    .map_err(|e| e.to_string())?;
    let out = run(&repo, &["verify", "--base", "HEAD", "--python", &py]);
    expect_exit(&out, 1)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr
        .contains("app/tags.py:7:1: BP024 `app.tags.Tag` (mapped class): missing after the change")
        || !stderr.contains("`app.models.User.tags`: missing after the change")
        || stderr.contains("settings.env")
    {
        return Err(format!(
            "want Tag and User.tags missing after, nothing else\n{}",
            text(&out)
        ));
    }
    Ok(())
}

/// An interpreter that cannot import SQLAlchemy, or does not exist: exit 2,
/// naming the interpreter.
pub fn interpreter_errors() -> Trial {
    let (_tmp, root) = project(&[("app/__init__.py", ""), ("app/models.py", MODELS)])?;
    // Python without site-packages: no SQLAlchemy.
    let bare = root.join("bare-python");
    fs::write(&bare, "#!/bin/sh\nexec python3 -S \"$@\"\n").map_err(|e| e.to_string())?;
    let status = Command::new("chmod")
        .arg("+x")
        .arg(&bare)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("chmod failed".into());
    }
    let bare = bare.display().to_string();
    let out = run(&root, &["--verify", "--python", &bare, "--write", "."]);
    expect_exit(&out, 2)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.contains(&bare) || !stderr.contains("cannot import sqlalchemy") {
        return Err(format!("the interpreter is not named\n{}", text(&out)));
    }
    if fs::read_to_string(root.join("app/models.py")).unwrap_or_default() != MODELS {
        return Err("written although the verification could not run".into());
    }
    let out = run(&root, &["--verify", "--python", "/nonexistent/python", "."]);
    expect_exit(&out, 2)?;
    if !String::from_utf8_lossy(&out.stderr)
        .contains("cannot run the Python interpreter `/nonexistent/python`")
    {
        return Err(format!("no clear error\n{}", text(&out)));
    }
    Ok(())
}

/// `schema`'s validation of `doc` (tests/formats/validate.py).
fn validate(python: &str, schema: &str, doc: &[u8]) -> Trial {
    use std::io::Write;
    let mut child = Command::new(python)
        .arg(repo_root().join("tests/formats/validate.py"))
        .arg(schema)
        .arg(repo_root().join("target/schemas"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("validate.py does not run: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(doc).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("{schema}: {}", text(&out)));
    }
    Ok(())
}

/// The findings in JSON and SARIF, with their codes, and both documents
/// valid against their schemas.
pub fn documents_match_their_schemas() -> Trial {
    let py = python("sa20")?;
    let dir = repo_root().join("tests/equiv/mutants/cascade_copied");
    let out = backpop(&dir, &between(&py, "json"));
    expect_exit(&out, 1)?;
    let schema = repo_root().join("schema/output.schema.json");
    validate(&py, &schema.display().to_string(), &out.stdout)?;
    let doc = json(&out)?;
    if doc["mode"] != "verify" || doc["verification"]["passed"] != false {
        return Err(format!("not a failed verification\n{}", text(&out)));
    }
    let out = backpop(&dir, &between(&py, "sarif"));
    expect_exit(&out, 1)?;
    validate(&py, "sarif", &out.stdout)?;
    let doc = json(&out)?;
    let results = doc["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !results
        .iter()
        .any(|r| r["ruleId"] == "BP024" && r["level"] == "error")
    {
        return Err(format!("no BP024 error result\n{}", text(&out)));
    }
    Ok(())
}
