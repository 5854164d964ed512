//! The check stage on its own: with one of the planner's guards turned off
//! (`BACKPOP_TEST_GUARDS_OFF`), the fixture that guard protects must come out
//! refused with BP013 — exit 1, nothing written — never as a broken file.
//! And a tree holding copies of SQLAlchemy's and Flask-SQLAlchemy's own
//! source migrates its application exactly as without them.

mod common;

use std::process::Command;

use common::*;

/// (guard turned off, fixture case whose migration it protects)
const CASES: &[(&str, &str)] = &[
    ("mixin-annotation", "da_annotation_only"),
    ("mixin-annotation", "da_type_checking_stub"),
    ("mixin-runtime", "da_type_call"),
    ("mixin-runtime", "da_factory_never_called"),
    ("class-shadow", "shadow_relationship_column"),
    ("class-shadow", "shadow_sa_orm"),
    ("class-shadow", "typed_shadow_list_optional"),
    ("callee-shadow", "project_sqlalchemy_helpers"),
    ("dataclass", "mapped_as_dataclass_bare"),
    ("dataclass", "mapped_as_dataclass_kw_only"),
    ("keyed", "attribute_keyed_dict"),
    ("keyed", "keyed_dict_backref_tuple"),
    ("annotation-name", "typed_annotation_name_taken"),
    (
        "qualified-name,source-name-shared",
        "namesake_in_unimported_module",
    ),
    ("moved-name", "class_local_kwarg"),
    ("moved-name", "namesake_of_class_in_backref_arguments"),
    ("moved-name", "refuse_unmovable_expression"),
    ("direction", "typed_primaryjoin_direction"),
    ("imperative-scope", "imperative_per_function"),
    ("branch-reverse", "refuse_branch_chain_forms"),
    ("branch-exhaustive", "refuse_branch_chain_forms"),
    ("class-body-names", "refuse_class_body_rebinds"),
    ("family-callee", "wrapper_family_through_module"),
    ("assigned-maps", "refuse_made_class_forms"),
    ("module-block", "refuse_assigned_in_module_block"),
    ("source-name-shared", "refuse_source_name_shared"),
];

#[test]
fn each_guard_off_is_caught_by_the_check() {
    let mut failures = Vec::new();
    let all = cases();
    for (guard, case) in CASES {
        let input = repo_root().join("testdata/cases").join(case).join("input");
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_tree(&input, tmp.path());
        let before = read_tree(tmp.path());
        // The paths the fixture gives the tool (`args` in its case.conf).
        let mut args = (all.iter().find(|c| c.name == *case))
            .map(Case::args)
            .unwrap_or_default();
        if args.is_empty() {
            args.push(".".into());
        }
        let out = Command::new(bin())
            .arg("--write")
            .args(&args)
            .current_dir(tmp.path())
            .env("BACKPOP_TEST_GUARDS_OFF", guard)
            .output()
            .expect("backpop runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let problems = [
            (!stderr.contains("BP013 self-check failed"), "no BP013"),
            (out.status.code() != Some(1), "exit status is not 1"),
            (read_tree(tmp.path()) != before, "files were written"),
        ];
        for (bad, what) in problems {
            if bad {
                failures.push(format!("{guard} / {case}: {what}\n{stderr}"));
            }
        }
        // With the guard on, the same case is no self-check failure.
        let on = backpop(&input, &[".".into()]);
        if String::from_utf8_lossy(&on.stderr).contains("BP013") {
            failures.push(format!("{case}: BP013 with every guard on"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The installed SQLAlchemy and Flask-SQLAlchemy packages of the test
/// environment, copied into the tree as vendored folders (a bare package and
/// an sdist-like layout with `setup.py` and a `lib/` folder).
#[test]
fn vendored_library_sources_change_nothing() {
    let python = match venv_python("sa20") {
        Ok(p) => p,
        Err(e) if !is_ci() => {
            eprintln!("skipped: {e}");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let out = Command::new(&python)
        .args([
            "-c",
            "import os, sqlalchemy, flask_sqlalchemy; print(os.path.dirname(sqlalchemy.__file__)); print(os.path.dirname(flask_sqlalchemy.__file__))",
        ])
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let dirs: Vec<&str> = text.lines().collect();
    assert_eq!(dirs.len(), 2, "library paths: {text}");
    let tmp = tempfile::tempdir().expect("temp dir");
    let plain = tmp.path().join("plain");
    let vendored = tmp.path().join("vendored");
    for root in [&plain, &vendored] {
        for case in [
            "cross_file",
            "flask_sqlalchemy_subclass",
            "typed_same_module",
        ] {
            copy_tree(
                &repo_root().join("testdata/cases").join(case).join("input"),
                &root.join("apps").join(case),
            );
        }
    }
    copy_tree(
        std::path::Path::new(dirs[0]),
        &vendored.join("third_party/sqlalchemy"),
    );
    let sdist = vendored.join("vendor/SQLAlchemy-x");
    copy_tree(std::path::Path::new(dirs[0]), &sdist.join("lib/sqlalchemy"));
    std::fs::write(
        sdist.join("setup.py"),
        "from setuptools import setup\nsetup()\n",
    )
    .expect("write");
    // The sdist's own tests, with models and backrefs of their own.
    copy_tree(
        &repo_root().join("testdata/cases/cross_file/input"),
        &sdist.join("test/orm"),
    );
    copy_tree(
        std::path::Path::new(dirs[1]),
        &vendored.join("libs/flask_sqlalchemy"),
    );
    let a = backpop(&plain, &[".".into()]);
    let b = backpop(&vendored, &[".".into()]);
    assert!(
        !a.stdout.is_empty(),
        "the applications have something to migrate"
    );
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout),
        "the diff changes with the libraries in the tree"
    );
    assert_eq!(
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(a.status.code(), b.status.code());
}
