//! The equivalence test: for every fixture, the input tree and the expected
//! (migrated) tree are imported with real SQLAlchemy, each in a fresh process,
//! `configure_mappers()` runs, and a canonical dump of every relationship must
//! be identical (`tests/equiv/compare.py`). The mutants under
//! `tests/equiv/mutants/` are wrong hand migrations that the comparison must
//! reject, and the `*_ok` ones correct migrations it must accept. Typed cases
//! marked `mypy = strict` are also checked with `mypy --strict` after migration.
//!
//! Each check is a test of its own: `configure::CASE`, `mutant::NAME`,
//! `mypy::CASE` and `compile::CASE` (`cargo test --test equivalence CASE` runs
//! one case's checks; a failure names its case); they run in parallel.
//! `verify::...` runs `backpop --verify` and `backpop verify` (see
//! `verify/mod.rs`) with the same environments.
//!
//! The Python environments are built by `tests/equiv/setup_venv.sh` (pinned
//! requirements). Setting `BACKPOP_SKIP_EQUIV=1` marks these tests ignored
//! outside CI; under `CI=true` they never skip.

mod common;
mod verify;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;

/// `common::venv_python`, once per environment for the whole test binary.
fn venv_python(env: &str) -> Result<PathBuf, String> {
    static SA20: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    static SA14: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    static SA21: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    static SA13: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let cell = match env {
        "sa13" => &SA13,
        "sa14" => &SA14,
        "sa21" => &SA21,
        _ => &SA20,
    };
    cell.get_or_init(|| common::venv_python(env)).clone()
}

fn env_of(sqlalchemy: &str) -> &'static str {
    if sqlalchemy == "1.3" {
        // Classical mappings as 1.3 wrote them (`mapper(..., order_by=...)`,
        // `extension=`) no longer import under 1.4.
        "sa13"
    } else if sqlalchemy.starts_with("1.") {
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

/// The input and expected trees of `case` configure identically.
fn configure_identically(case: &Case) -> Result<(), String> {
    let python = venv_python(env_of(case.sqlalchemy()))?;
    if !case.expected().is_dir() {
        return Err("no expected/ tree".into());
    }
    let (code, text) = compare(&python, &case.input(), &case.expected());
    if code != 0 {
        return Err(format!("not equivalent (exit {code}):\n{text}"));
    }
    Ok(())
}

/// The mutants under `tests/equiv/mutants/`: wrong hand migrations, and
/// correct ones whose names end in `_ok`.
fn mutants() -> Vec<PathBuf> {
    let root = repo_root().join("tests/equiv/mutants");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("before").is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// The comparison rejects a wrong migration and accepts a correct one.
fn mutant_is_judged(dir: &Path) -> Result<(), String> {
    let python = venv_python("sa20")?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let want = if name.ends_with("_ok") { 0 } else { 1 };
    let (code, text) = compare(&python, &dir.join("before"), &dir.join("after"));
    if code != want {
        return Err(format!("expected exit {want}, got {code}\n{text}"));
    }
    Ok(())
}

/// A typed case's migrated tree passes `mypy --strict`.
fn mypy_strict(case: &Case) -> Result<(), String> {
    let python = venv_python("sa20")?;
    let cache = tempfile::tempdir().map_err(|e| e.to_string())?;
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
        .map_err(|e| format!("mypy does not run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// The Python files the migration of `case` rewrites.
fn rewritten(case: &Case) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (rel, new) in read_tree(&case.expected()) {
        let is_py = rel.extension().is_some_and(|e| e == "py");
        let old = std::fs::read(case.input().join(&rel)).ok();
        if is_py && old.as_deref() != Some(new.as_slice()) {
            out.push(case.expected().join(rel));
        }
    }
    out
}

/// Every file the migration rewrites compiles, as `python -m py_compile`
/// checks, without writing bytecode.
fn rewritten_files_compile(files: &[PathBuf]) -> Result<(), String> {
    let script = "import sys\nbad = 0\nfor p in sys.argv[1:]:\n    try:\n        compile(open(p, 'rb').read(), p, 'exec', dont_inherit=True)\n    except SyntaxError as e:\n        bad += 1\n        print(f'{p}: {e}')\nsys.exit(1 if bad else 0)\n";
    let python = venv_python("sa20")?;
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .map_err(|e| format!("python does not run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rewritten files that do not compile:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// The trials of `verify/mod.rs`: every mutant with SQLAlchemy 1.4, 2.0 and
/// 2.1, and
/// the behaviours of `--verify` and `backpop verify`.
fn verify_trials(mutants: &[PathBuf]) -> Vec<libtest_mimic::Trial> {
    type Check = fn() -> Result<(), String>;
    let mut trials = Vec::new();
    for dir in mutants {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A mutant of SQLAlchemy 2.0 forms says so in a file `sqlalchemy`.
        let needs_20 = std::fs::read_to_string(dir.join("sqlalchemy"))
            .is_ok_and(|v| v.trim().starts_with('2'));
        for env in ["sa14", "sa20", "sa21"] {
            if needs_20 && env == "sa14" {
                continue;
            }
            let dir = dir.clone();
            trials.push(libtest_mimic::Trial::test(
                format!("verify::mutant::{name}::{env}"),
                move || verify::mutant(&dir, env).map_err(Into::into),
            ));
        }
    }
    for (case, env) in [("cross_file", "sa20"), ("declarative_14", "sa14")] {
        trials.push(libtest_mimic::Trial::test(
            format!("verify::writes_when_equal::{case}"),
            move || verify::migration_writes_when_equal(case, env).map_err(Into::into),
        ));
    }
    for env in ["sa14", "sa20"] {
        trials.push(libtest_mimic::Trial::test(
            format!("verify::base_revision::{env}"),
            move || verify::base_revision(env).map_err(Into::into),
        ));
    }
    let checks: [(&str, Check); 7] = [
        (
            "base_package_init_and_ignored_files",
            verify::base_package_init_and_ignored_files,
        ),
        ("dry_run_touches_nothing", verify::dry_run_touches_nothing),
        (
            "difference_blocks_the_write",
            verify::difference_blocks_the_write,
        ),
        (
            "unimported_module_is_named",
            verify::unimported_module_is_named,
        ),
        ("setup_code_runs_first", verify::setup_code_runs_first),
        ("interpreter_errors", verify::interpreter_errors),
        (
            "documents_match_their_schemas",
            verify::documents_match_their_schemas,
        ),
    ];
    for (name, check) in checks {
        trials.push(libtest_mimic::Trial::test(
            format!("verify::{name}"),
            move || check().map_err(Into::into),
        ));
    }
    trials
}

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let ignored = skip();
    let one_case = std::env::var("BACKPOP_CASE").is_ok();
    let cases = cases();
    let mutants = mutants();
    let mutants_for_verify = mutants.clone();
    let typed: Vec<Case> = cases
        .iter()
        .filter(|c| c.conf.get("mypy").is_some_and(|m| m == "strict"))
        .cloned()
        .collect();
    let compiled: Vec<(String, Vec<PathBuf>)> = cases
        .iter()
        .map(|c| (c.name.clone(), rewritten(c)))
        .filter(|(_, files)| !files.is_empty())
        .collect();
    // Each of these sets is what the checks stand on: one too small means
    // the test tested nothing.
    let inventory = [
        (cases.len(), 1, "fixture cases"),
        (mutants.len(), 8, "mutants"),
        (
            typed.len(),
            usize::from(!one_case),
            "typed fixtures marked `mypy = strict`",
        ),
        (
            compiled.len(),
            usize::from(!one_case),
            "fixtures that rewrite a file",
        ),
    ];
    let mut trials = vec![libtest_mimic::Trial::test("inventory", move || {
        for (found, least, what) in inventory {
            if found < least {
                return Err(format!("expected at least {least} {what}, found {found}").into());
            }
        }
        Ok(())
    })];
    trials.extend(cases.into_iter().map(|case| {
        libtest_mimic::Trial::test(format!("configure::{}", case.name), move || {
            configure_identically(&case).map_err(Into::into)
        })
    }));
    trials.extend(mutants.into_iter().map(|dir| {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        libtest_mimic::Trial::test(format!("mutant::{name}"), move || {
            mutant_is_judged(&dir).map_err(Into::into)
        })
    }));
    if !one_case {
        trials.extend(verify_trials(&mutants_for_verify));
    }
    trials.extend(typed.into_iter().map(|case| {
        libtest_mimic::Trial::test(format!("mypy::{}", case.name), move || {
            mypy_strict(&case).map_err(Into::into)
        })
    }));
    trials.extend(compiled.into_iter().map(|(name, files)| {
        libtest_mimic::Trial::test(format!("compile::{name}"), move || {
            rewritten_files_compile(&files).map_err(Into::into)
        })
    }));
    let trials = trials
        .into_iter()
        .map(|t| t.with_ignored_flag(ignored))
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
