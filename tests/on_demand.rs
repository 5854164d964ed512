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

/// A relationship assigned to the target from outside its class, in a module
/// nothing imports (`Post.author = relationship(...)`): the name-clash check
/// asks for that file, so the backref is refused as with every file parsed.
#[test]
fn a_relationship_assigned_in_an_unimported_module_is_asked_for() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let app = tmp.path().join("app");
    std::fs::create_dir_all(&app).expect("mkdir");
    let files = [
        ("__init__.py", ""),
        (
            "base.py",
            "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n",
        ),
        (
            "models.py",
            "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import relationship\n\nfrom app.base import Base\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n\n    id = Column(Integer, primary_key=True)\n    user_id = Column(Integer, ForeignKey(\"users.id\"))\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n\n    id = Column(Integer, primary_key=True)\n    posts = relationship(Post, backref=\"author\")\n",
        ),
        (
            "legacy.py",
            "from sqlalchemy.orm import relationship\n\nfrom app.models import Post\n\nPost . author = relationship(\"User\", viewonly=True)\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(app.join(name), text).expect("write");
    }
    let args = [".".to_string()];
    if let Some(diff) = compare("assigned relationship", tmp.path(), &args) {
        panic!("{diff}");
    }
    let out = run(tmp.path(), &args, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("BP003") && stderr.contains("an attribute assigned after the class"),
        "{stderr}"
    );
}
