//! Review-ready output: every file a fixture changes that the formatter
//! accepted before is still accepted after.
//!
//! For each case, each `.py` file whose expected text differs from its input
//! is checked with the pinned formatter (`ruff format --check`, from
//! `tests/equiv/requirements-format.txt`, built by `tests/equiv/setup_venv.sh
//! format`) at the case's line length (`line-length` of its `backpop.toml` or
//! `pyproject.toml`, else 88), its `indent-width` (else 4), and with tabs when
//! the file indents with tabs.
//! When the input passes, the expected file must pass too. Setting
//! `BACKPOP_SKIP_FORMAT=1` skips the test outside CI; under `CI=true` it never
//! skips.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

fn line_length(input: &Path) -> usize {
    setting(input, &["line-length", "line_length"]).unwrap_or(88)
}

/// A number the case's `backpop.toml` or `pyproject.toml` sets under one of `keys`.
fn setting(input: &Path, keys: &[&str]) -> Option<usize> {
    for name in ["backpop.toml", "pyproject.toml"] {
        let Ok(text) = fs::read_to_string(input.join(name)) else {
            continue;
        };
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            if keys.contains(&key.trim())
                && let Ok(n) = value.trim().parse()
            {
                return Some(n);
            }
        }
    }
    None
}

/// `None` when ruff leaves the file as it is, else the diff it would apply.
fn reformatted(ruff: &Path, file: &Path, line_length: usize, indent: usize) -> Option<String> {
    let text = fs::read_to_string(file).expect("readable fixture file");
    let tabs = text.lines().filter(|l| l.starts_with('\t')).count();
    let spaces = text.lines().filter(|l| l.starts_with(' ')).count();
    let mut cmd = Command::new(ruff);
    cmd.args([
        "-m",
        "ruff",
        "format",
        "--isolated",
        "--diff",
        "--line-length",
    ])
    .arg(line_length.to_string());
    if tabs > spaces {
        cmd.args(["--config", "format.indent-style = \"tab\""]);
    }
    cmd.args(["--config", &format!("indent-width = {indent}")]);
    let out = cmd.arg(file).output().expect("ruff runs");
    match out.status.code() {
        Some(0) => None,
        Some(1) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => Some(format!(
            "ruff failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

#[test]
fn files_the_formatter_accepted_stay_accepted() {
    if !is_ci() && std::env::var("BACKPOP_SKIP_FORMAT").is_ok_and(|v| v == "1") {
        eprintln!("formatter test skipped (BACKPOP_SKIP_FORMAT=1)");
        return;
    }
    let python = venv_python("format").expect("the format environment");
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        if !case.expected().is_dir() {
            continue;
        }
        let length = line_length(&case.input());
        let indent = setting(&case.input(), &["indent-width"]).unwrap_or(4);
        let before = read_tree(&case.input());
        let after = read_tree(&case.expected());
        for (rel, new) in &after {
            if rel.extension().is_none_or(|e| e != "py") || before.get(rel) == Some(new) {
                continue;
            }
            let input = case.input().join(rel);
            if !input.is_file() || reformatted(&python, &input, length, indent).is_some() {
                continue;
            }
            checked += 1;
            if let Some(diff) = reformatted(&python, &case.expected().join(rel), length, indent) {
                failures.push(format!("{}/{}:\n{diff}", case.name, rel.display()));
            }
        }
    }
    if std::env::var("BACKPOP_CASE").is_err() {
        assert!(
            checked >= 20,
            "only {checked} changed files were formatter-clean before; expected at least 20"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} formatter-clean files are no longer clean:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} changed files formatter-clean before and after");
}
