//! A run parses the files that mention `backref` and then only the files its
//! plan asks for (`index::Demand`). `BACKPOP_PARSE_ALL=1` parses every file
//! first: the output must be the same, byte for byte, with the same exit
//! status — for every fixture case, and for the whole `testdata/` directory run
//! as one tree (every case's input and expected trees side by side: many
//! classes of one name in several registries, the monorepo case).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn run(cwd: &Path, args: &[String], parse_all: bool) -> Output {
    let mut cmd = Command::new(bin());
    cmd.current_dir(cwd)
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("BACKPOP_PARSE_ALL");
    if parse_all {
        cmd.env("BACKPOP_PARSE_ALL", "1");
    }
    cmd.output().expect("backpop runs")
}

/// `None` when both runs printed the same; else what differs.
fn compare(what: &str, cwd: &Path, args: &[String]) -> Option<String> {
    let lazy = run(cwd, args, false);
    let all = run(cwd, args, true);
    if lazy.stdout == all.stdout && lazy.stderr == all.stderr && lazy.status == all.status {
        return None;
    }
    Some(format!(
        "{what}: parsing on demand differs from parsing every file\n--- on demand (exit {:?})\n{}{}\n--- every file (exit {:?})\n{}{}",
        lazy.status.code(),
        String::from_utf8_lossy(&lazy.stderr),
        String::from_utf8_lossy(&lazy.stdout),
        all.status.code(),
        String::from_utf8_lossy(&all.stderr),
        String::from_utf8_lossy(&all.stdout),
    ))
}

#[test]
fn every_case_plans_the_same_as_parsing_every_file() {
    let cases = cases();
    assert!(cases.len() > 50, "fixture cases missing");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| compare(&case.name, &case.input(), &case.args()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_whole_testdata_tree_plans_the_same_as_parsing_every_file() {
    let root = repo_root().join("testdata");
    let failures: Vec<String> = [
        vec![".".to_string()],
        vec!["--list".to_string(), ".".to_string()],
    ]
    .iter()
    .filter_map(|args| compare("testdata/", &root, args))
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The tree is big enough to mean something: both runs migrate and refuse.
    let out = run(&root, &[".".to_string()], false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Would migrate"), "{stderr}");
    assert!(stderr.contains("left unmigrated"), "{stderr}");
}
