//! The equivalence test: for every fixture, the input tree and the expected
//! (migrated) tree are imported with real SQLAlchemy, each in a fresh process,
//! `configure_mappers()` runs, and a canonical dump of every relationship must
//! be identical (`tests/equiv/compare.py`). The mutants under
//! `tests/equiv/mutants/` are wrong hand migrations that the comparison must
//! reject, and the `*_ok` ones correct migrations it must accept. Typed cases
//! marked `mypy = strict` are also checked with `mypy --strict` after migration.
//!
//! The Python environments are built by `tests/equiv/setup_venv.sh` (pinned
//! requirements). Setting `BACKPOP_SKIP_EQUIV=1` skips this test outside CI;
//! under `CI=true` it never skips.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use rayon::prelude::*;

use common::*;

/// `common::venv_python`, once per environment for the whole test binary.
fn venv_python(env: &str) -> Result<PathBuf, String> {
    static SA20: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    static SA14: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let cell = if env == "sa14" { &SA14 } else { &SA20 };
    cell.get_or_init(|| common::venv_python(env)).clone()
}

fn env_of(sqlalchemy: &str) -> &'static str {
    if sqlalchemy.starts_with("1.") {
        "sa14"
    } else {
        "sa20"
    }
}

/// 0 equal, 1 different, 2 harness failure; with the comparison's output.
fn compare(python: &Path, left: &Path, right: &Path) -> (i32, String) {
    let out = Command::new(python)
        .arg(repo_root().join("tests/equiv/compare.py"))
        .arg(left)
        .arg(right)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("compare.py runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(2), text)
}

fn skip() -> bool {
    if is_ci() {
        return false;
    }
    if std::env::var("BACKPOP_SKIP_EQUIV").is_ok_and(|v| v == "1") {
        eprintln!("equivalence test skipped (BACKPOP_SKIP_EQUIV=1)");
        return true;
    }
    false
}

#[test]
fn fixtures_configure_identically() {
    if skip() {
        return;
    }
    let cases = cases();
    assert!(!cases.is_empty(), "no fixture cases found");
    let failures: Vec<String> = cases
        .par_iter()
        .filter_map(|case| {
            let python = match venv_python(env_of(case.sqlalchemy())) {
                Ok(p) => p,
                Err(e) => return Some(format!("{}: {e}", case.name)),
            };
            if !case.expected().is_dir() {
                return Some(format!("{}: no expected/ tree", case.name));
            }
            let (code, text) = compare(&python, &case.input(), &case.expected());
            (code != 0).then(|| format!("{} (exit {code}):\n{text}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases not equivalent:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn wrong_migrations_are_caught() {
    if skip() {
        return;
    }
    let python = venv_python("sa20").expect("python environment");
    let root = repo_root().join("tests/equiv/mutants");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("mutants directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("before").is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 8,
        "expected at least 8 mutants, found {}",
        dirs.len()
    );
    let failures: Vec<String> = dirs
        .par_iter()
        .filter_map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let want = if name.ends_with("_ok") { 0 } else { 1 };
            let (code, text) = compare(&python, &dir.join("before"), &dir.join("after"));
            (code != want).then(|| format!("{name}: expected exit {want}, got {code}\n{text}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn typed_fixtures_pass_mypy_strict() {
    if skip() {
        return;
    }
    let typed: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.conf.get("mypy").is_some_and(|m| m == "strict"))
        .collect();
    if std::env::var("BACKPOP_CASE").is_err() {
        assert!(!typed.is_empty(), "no typed fixture marked `mypy = strict`");
    }
    let python = venv_python("sa20").expect("python environment");
    let failures: Vec<String> = typed
        .par_iter()
        .filter_map(|case| {
            let cache = tempfile::tempdir().expect("temp dir");
            let out = Command::new(&python)
                .args([
                    "-m",
                    "mypy",
                    "--strict",
                    "--no-error-summary",
                    "--cache-dir",
                ])
                .arg(cache.path())
                .arg(".")
                .current_dir(case.expected())
                .output()
                .expect("mypy runs");
            (!out.status.success()).then(|| {
                format!(
                    "{}:\n{}{}",
                    case.name,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rewritten_files_compile() {
    if skip() {
        return;
    }
    // Every file the migration rewrites, across the fixtures.
    let mut rewritten: Vec<PathBuf> = Vec::new();
    for case in cases() {
        for (rel, new) in read_tree(&case.expected()) {
            let is_py = rel.extension().is_some_and(|e| e == "py");
            let old = std::fs::read(case.input().join(&rel)).ok();
            if is_py && old.as_deref() != Some(new.as_slice()) {
                rewritten.push(case.expected().join(rel));
            }
        }
    }
    assert!(!rewritten.is_empty(), "no rewritten file found");
    // What `python -m py_compile` checks, without writing bytecode.
    let script = "import sys\nbad = 0\nfor p in sys.argv[1:]:\n    try:\n        compile(open(p, 'rb').read(), p, 'exec', dont_inherit=True)\n    except SyntaxError as e:\n        bad += 1\n        print(f'{p}: {e}')\nsys.exit(1 if bad else 0)\n";
    let python = venv_python("sa20").expect("python environment");
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(&rewritten)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "rewritten files that do not compile:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
