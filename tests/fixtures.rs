//! Every fixture case, through the real binary: the `--write` result equals the
//! expected tree byte for byte, the dry-run diff applied with `git apply -p1`
//! equals `--write`, a second run changes nothing, and the diagnostics and exit
//! status match `stderr.txt`. `BACKPOP_BLESS=1` rewrites the expectations
//! (with `BACKPOP_CASE=name`, of one case).

mod common;

use std::fs;
use std::process::Command;

use common::*;

fn check_case(case: &Case) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dry = tmp.path().join("dry");
    let written = tmp.path().join("written");
    copy_tree(&case.input(), &dry);
    copy_tree(&case.input(), &written);
    let before = read_tree(&dry);

    let out = backpop(&dry, &case.args());
    let diff = out.stdout.clone();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = format!("exit: {}\n{stderr}", out.status.code().unwrap_or(-1));
    if read_tree(&dry) != before {
        return Err("the dry run changed files".into());
    }

    let mut write_args = case.args();
    write_args.push("--write".into());
    let w = backpop(&written, &write_args);
    let written_tree = read_tree(&written);

    let bless = std::env::var("BACKPOP_BLESS").is_ok();
    if bless {
        let _ = fs::remove_dir_all(case.expected());
        copy_tree(&written, &case.expected());
        fs::write(case.dir.join("stderr.txt"), &report).map_err(|e| e.to_string())?;
    }
    if !case.expected().is_dir() {
        return Err("no expected/ tree (run with BACKPOP_BLESS=1)".into());
    }
    if written_tree != read_tree(&case.expected()) {
        let mut msg = String::from("--write result differs from expected/:\n");
        for (p, bytes) in &written_tree {
            if read_tree(&case.expected()).get(p) != Some(bytes) {
                msg.push_str(&format!("  {}\n", p.display()));
            }
        }
        return Err(msg);
    }
    let expected_report = fs::read_to_string(case.dir.join("stderr.txt")).unwrap_or_default();
    if report != expected_report {
        return Err(format!(
            "dry run report differs:\n--- expected\n{expected_report}--- got\n{report}"
        ));
    }
    let wcode = w.status.code().unwrap_or(-1);
    let has_unmigrated = stderr.contains("left unmigrated");
    if wcode != if has_unmigrated { 1 } else { 0 } {
        return Err(format!(
            "--write exited {wcode}: {}",
            String::from_utf8_lossy(&w.stderr)
        ));
    }

    // The diff applies to the input and gives the --write result.
    if !diff.is_empty() {
        let patch = tmp.path().join("patch.diff");
        fs::write(&patch, &diff).map_err(|e| e.to_string())?;
        let st = Command::new("git")
            .args(["apply", "-p1", "--unsafe-paths"])
            .arg(&patch)
            .current_dir(&dry)
            .output()
            .map_err(|e| e.to_string())?;
        if !st.status.success() {
            return Err(format!(
                "git apply failed: {}",
                String::from_utf8_lossy(&st.stderr)
            ));
        }
        if read_tree(&dry) != written_tree {
            return Err("git apply of the diff differs from --write".into());
        }
    }

    // A second run is a no-op.
    let again = backpop(&written, &case.args());
    if !again.stdout.is_empty() {
        return Err(format!(
            "second run still has a diff:\n{}",
            String::from_utf8_lossy(&again.stdout)
        ));
    }
    Ok(())
}

/// One test per case (`cargo test --test fixtures CASE` runs one; a failure
/// names its case), run in parallel.
fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let cases = cases();
    if cases.len() < 25 && std::env::var("BACKPOP_CASE").is_err() {
        eprintln!("expected at least 25 fixture cases, found {}", cases.len());
        return std::process::ExitCode::FAILURE;
    }
    let trials = cases
        .into_iter()
        .map(|case| {
            libtest_mimic::Trial::test(case.name.clone(), move || {
                check_case(&case).map_err(Into::into)
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
