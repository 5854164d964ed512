//! The real-world suite's own code paths, offline: `scripts/realworld
//! --offline-sample` runs the small packages of `testdata/realworld-sample/`
//! through the same steps as the pinned releases (site counts, `backpop
//! --write`, compile check, mapper-configuration oracle in the pinned
//! SQLAlchemy venvs) and writes the Markdown report, which must have one row
//! per sample package, no broken file and an equal oracle everywhere.
//!
//! Nothing is downloaded but the venvs' pinned requirements
//! (`tests/equiv/setup_venv.sh`). Like the equivalence test, it is skipped
//! outside CI when `BACKPOP_SKIP_EQUIV=1`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn skip() -> bool {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        return false;
    }
    if std::env::var("BACKPOP_SKIP_EQUIV").is_ok_and(|v| v == "1") {
        eprintln!("real-world sample test skipped (BACKPOP_SKIP_EQUIV=1)");
        return true;
    }
    false
}

fn realworld(args: &[&str], cache: &Path) -> Output {
    Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg(repo_root().join("scripts/realworld"))
        .arg("--backpop")
        .arg(env!("CARGO_BIN_EXE_backpop"))
        .arg("--cache")
        .arg(cache)
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs scripts/realworld")
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The `name` of every `testdata/realworld-sample/*/package.conf`.
fn sample_names() -> Vec<String> {
    let root = repo_root().join("testdata/realworld-sample");
    let mut names = Vec::new();
    for entry in fs::read_dir(&root).expect("testdata/realworld-sample exists") {
        let conf = entry.expect("readable entry").path().join("package.conf");
        let Ok(text) = fs::read_to_string(&conf) else {
            continue;
        };
        let name = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == "name")
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| panic!("{} has no name", conf.display()));
        names.push(name);
    }
    names.sort();
    names
}

/// The rows of the report's Markdown table, keyed by package, each a map
/// from column header to cell.
fn table_rows(markdown: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_start_matches('|')
            .trim_end_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut lines = markdown
        .lines()
        .skip_while(|l| !l.starts_with("| package |"));
    let header = cells(lines.next().expect("the report has a table"));
    lines
        .skip(1) // the | --- | line
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let row: BTreeMap<String, String> = header.iter().cloned().zip(cells(l)).collect();
            (row["package"].clone(), row)
        })
        .collect()
}

#[test]
fn offline_sample_runs_through_the_suite() {
    if skip() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let report = tmp.path().join("report.md");
    let out = realworld(
        &["--offline-sample", "--markdown", report.to_str().unwrap()],
        &tmp.path().join("cache"),
    );
    assert!(out.status.success(), "{}", describe(&out));

    let markdown = fs::read_to_string(&report).expect("the Markdown report is written");
    let command = markdown
        .lines()
        .skip_while(|l| *l != "```sh")
        .nth(1)
        .unwrap_or_default();
    assert!(
        command.starts_with("scripts/realworld ") && command.contains(" --offline-sample"),
        "the report names the command that made it:\n{markdown}"
    );
    let rows = table_rows(&markdown);
    let names = sample_names();
    assert!(names.len() >= 2, "expected at least two sample packages");
    assert_eq!(
        rows.keys().cloned().collect::<Vec<_>>(),
        names,
        "one row per sample package:\n{markdown}"
    );
    for (name, row) in &rows {
        assert_eq!(row["broken files"], "0", "{name}: broken files\n{markdown}");
        assert!(
            row["oracle equal"].starts_with("yes"),
            "{name}: oracle is {:?}\n{markdown}",
            row["oracle equal"]
        );
        let sites: u32 = row["sites"].parse().expect("sites is a number");
        let migrated: u32 = row["migrated"].parse().expect("migrated is a number");
        assert!(
            migrated > 0 && migrated <= sites,
            "{name}: {migrated} of {sites}"
        );
    }
    // The sample covers the report's special cells: a file that does not
    // parse (BP008), a form backpop refuses, a suppressed site.
    let left: Vec<String> = rows
        .values()
        .flat_map(|r| {
            r["left by reason"]
                .split(", ")
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        left.iter().any(|c| c.starts_with("BP008")),
        "no BP008 in the table:\n{markdown}"
    );
    assert!(
        left.iter().any(|c| c.starts_with("suppressed")),
        "no suppressed site in the table:\n{markdown}"
    );
    assert!(
        left.iter()
            .any(|c| c.starts_with("BP") && !c.starts_with("BP008")),
        "no refused form in the table:\n{markdown}"
    );
    assert!(
        rows.values().any(|r| r["unparsable files"] != "0"),
        "no unparsable file in the sample:\n{markdown}"
    );
}

#[test]
fn a_download_that_does_not_match_its_pin_stops_the_run() {
    if skip() {
        return;
    }
    // A cached file whose sha256 is not the pinned one: no download is
    // attempted (the file is there), the check fails loudly.
    let tmp = tempfile::tempdir().expect("temp dir");
    let cache = tmp.path().join("cache");
    let list = realworld(&["--list", "--only", "keystone"], &cache);
    assert!(list.status.success(), "{}", describe(&list));
    let listing = String::from_utf8_lossy(&list.stdout).into_owned();
    let file = listing
        .split_whitespace()
        .find(|w| w.ends_with(".whl") || w.ends_with(".tar.gz"))
        .unwrap_or_else(|| panic!("--list names the pinned file:\n{listing}"))
        .to_string();
    assert!(
        listing
            .split_whitespace()
            .any(|w| w.len() == 64 && w.chars().all(|c| c.is_ascii_hexdigit())),
        "--list shows the sha256:\n{listing}"
    );
    fs::create_dir_all(cache.join("downloads")).unwrap();
    fs::write(cache.join("downloads").join(&file), b"not the release").unwrap();

    let out = realworld(&["--only", "keystone"], &cache);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SHA256 MISMATCH"), "{}", describe(&out));
}
