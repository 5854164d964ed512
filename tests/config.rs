//! Configuration through the real binary: `[tool.backpop]` in
//! `pyproject.toml` and `backpop.toml`, the closest one to each file,
//! `--config`, `--isolated`, and each key.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::*;

const BASE: &str = "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n";

/// `app/` with a `User` whose backref onto `Post` makes a reverse of 99
/// characters on one line: wrapped at 88, not at 100.
fn service(root: &Path) {
    let app = root.join("app");
    fs::create_dir_all(&app).expect("mkdir");
    fs::write(app.join("__init__.py"), "").expect("write");
    fs::write(app.join("base.py"), BASE).expect("write");
    fs::write(
        app.join("models.py"),
        "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import backref, relationship\n\nfrom app.base import Base\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n    id = Column(Integer, primary_key=True)\n    posts = relationship(\n        \"Post\", backref=backref(\"author_of_the_post\", lazy=\"joined\", cascade=\"all\")\n    )\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n    id = Column(Integer, primary_key=True)\n    user_id = Column(ForeignKey(\"users.id\"))\n",
    )
    .expect("write");
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    backpop(cwd, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const ONE_LINE: &str = "+    author_of_the_post = relationship(\"User\", back_populates=\"posts\", lazy=\"joined\", cascade=\"all\")\n";

#[test]
fn line_length_comes_from_ruff_or_black_or_the_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    service(tmp.path());
    // Default: 88, so the 99-character reverse is wrapped.
    let out = run(tmp.path(), &["app"]);
    assert!(
        !text(&out.stdout).contains(ONE_LINE),
        "{}",
        text(&out.stdout)
    );
    // ruff's line length in the same pyproject.toml (no [tool.backpop] at all).
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.ruff]\nline-length = 100\n",
    )
    .expect("write");
    let out = run(tmp.path(), &["app"]);
    assert!(
        text(&out.stdout).contains(ONE_LINE),
        "{}",
        text(&out.stdout)
    );
    // black's, and the key itself wins.
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.black]\nline-length = 100\n[tool.backpop]\nline-length = 88\n",
    )
    .expect("write");
    let out = run(tmp.path(), &["app"]);
    assert!(!text(&out.stdout).contains(ONE_LINE));
    // --isolated: no configuration file is read.
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.backpop]\nline-length = 100\n",
    )
    .expect("write");
    assert!(text(&run(tmp.path(), &["app"]).stdout).contains(ONE_LINE));
    assert!(!text(&run(tmp.path(), &["--isolated", "app"]).stdout).contains(ONE_LINE));
}

#[test]
fn the_closest_configuration_applies_in_a_monorepo() {
    let tmp = tempfile::tempdir().expect("tempdir");
    service(&tmp.path().join("svc_a"));
    service(&tmp.path().join("svc_b"));
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.backpop]\nline-length = 100\n",
    )
    .expect("write");
    fs::write(tmp.path().join("svc_b/backpop.toml"), "line-length = 88\n").expect("write");
    let out = run(tmp.path(), &[]);
    let diff = text(&out.stdout);
    let a = diff.split("--- a/svc_b").next().unwrap_or_default();
    let b = diff.split("--- a/svc_b").nth(1).unwrap_or_default();
    assert!(a.contains(ONE_LINE), "{diff}");
    assert!(!b.is_empty() && !b.contains(ONE_LINE), "{diff}");
    // --config: one file for every file.
    let out = run(tmp.path(), &["--config", "svc_b/backpop.toml"]);
    assert!(!text(&out.stdout).contains(ONE_LINE));
}

#[test]
fn unknown_keys_and_bad_values_are_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    service(tmp.path());
    for (config, needle) in [
        (
            "[tool.backpop]\nline-lenght = 100\n",
            "unknown key `line-lenght` in [tool.backpop]",
        ),
        (
            "[tool.backpop]\ntyped = \"yes\"\n",
            "`typed` must be \"auto\", \"always\" or \"never\"",
        ),
        (
            "[tool.backpop]\nexclude = \"legacy\"\n",
            "`exclude` must be a list of strings",
        ),
        (
            "[tool.backpop]\nextra-relationship-names = [\"db.rel\"]\n",
            "`db.rel` is not a Python name",
        ),
        ("[tool.backpop\n", "invalid TOML"),
    ] {
        fs::write(tmp.path().join("pyproject.toml"), config).expect("write");
        let out = run(tmp.path(), &[]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(needle) && stderr.contains("pyproject.toml"),
            "{config}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn exclusion_and_gitignore() {
    let tmp = tempfile::tempdir().expect("tempdir");
    service(&tmp.path().join("svc"));
    service(&tmp.path().join("legacy"));
    service(&tmp.path().join("build"));
    service(&tmp.path().join("ignored"));
    fs::write(tmp.path().join(".gitignore"), "ignored/\n").expect("write");
    let files = |args: &[&str]| -> Vec<String> {
        let out = run(tmp.path(), args);
        let mut v: Vec<String> = text(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("--- a/"))
            .filter_map(|p| p.split('/').next().map(str::to_string))
            .collect();
        v.dedup();
        v
    };
    // Defaults: `build` is excluded, the gitignored directory too.
    assert_eq!(files(&[]), ["legacy", "svc"]);
    // A directory named on the command line is walked.
    assert_eq!(files(&["build"]), ["build"]);
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.backpop]\nextend-exclude = [\"legacy\"]\nrespect-gitignore = false\n",
    )
    .expect("write");
    assert_eq!(files(&[]), ["ignored", "svc"]);
    // `exclude` replaces the defaults.
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.backpop]\nexclude = [\"svc\"]\n",
    )
    .expect("write");
    assert_eq!(files(&[]), ["build", "legacy"]);
}

/// A typed (2.0) model and a classic one, each with a backref.
fn typed_tree(root: &Path) {
    let app = root.join("app");
    fs::create_dir_all(&app).expect("mkdir");
    fs::write(app.join("__init__.py"), "").expect("write");
    fs::write(
        app.join("models.py"),
        "from typing import Optional\n\nfrom sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey(\"users.id\"))\n    author: Mapped[Optional[User]] = relationship(backref=\"posts\")\n",
    )
    .expect("write");
}

#[test]
fn typed_auto_always_never() {
    let tmp = tempfile::tempdir().expect("tempdir");
    typed_tree(tmp.path());
    let auto = text(&run(tmp.path(), &[]).stdout);
    assert!(
        auto.contains(
            "+    posts: Mapped[List[\"Post\"]] = relationship(back_populates=\"author\")"
        ),
        "{auto}"
    );
    fs::write(tmp.path().join("backpop.toml"), "typed = \"never\"\n").expect("write");
    let never = text(&run(tmp.path(), &[]).stdout);
    assert!(
        never.contains("+    posts = relationship(\"Post\", back_populates=\"author\")"),
        "{never}"
    );
    // `always` on a classic model annotates too.
    let classic = tempfile::tempdir().expect("tempdir");
    service(classic.path());
    let plain = text(&run(classic.path(), &[]).stdout);
    assert!(!plain.contains("Mapped["), "{plain}");
    fs::write(classic.path().join("backpop.toml"), "typed = \"always\"\n").expect("write");
    let always = text(&run(classic.path(), &[]).stdout);
    assert!(always.contains("author_of_the_post: Mapped["), "{always}");
}

#[test]
fn extra_relationship_and_backref_names() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("app");
    fs::create_dir_all(&app).expect("mkdir");
    fs::write(app.join("__init__.py"), "").expect("write");
    fs::write(app.join("base.py"), BASE).expect("write");
    fs::write(
        app.join("orm.py"),
        "from sqlalchemy.orm import backref, relationship\n\n\ndef rel(*args, **kwargs):\n    return relationship(*args, **kwargs)\n\n\ndef ref(*args, **kwargs):\n    return backref(*args, **kwargs)\n",
    )
    .expect("write");
    fs::write(
        app.join("models.py"),
        "from sqlalchemy import Column, ForeignKey, Integer\n\nfrom app.base import Base\nfrom app.orm import ref, rel\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n    id = Column(Integer, primary_key=True)\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n    id = Column(Integer, primary_key=True)\n    user_id = Column(ForeignKey(\"users.id\"))\n    author = rel(\"User\", backref=ref(\"posts\", lazy=\"dynamic\"))\n",
    )
    .expect("write");
    let out = run(tmp.path(), &[]);
    assert!(text(&out.stderr).contains("BP014"), "{}", text(&out.stderr));
    fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.backpop]\nextra-relationship-names = [\"rel\"]\nextra-backref-names = [\"ref\"]\n",
    )
    .expect("write");
    let out = run(tmp.path(), &[]);
    let diff = text(&out.stdout);
    assert!(
        diff.contains("+    author = rel(\"User\", back_populates=\"posts\")"),
        "{diff}{}",
        text(&out.stderr)
    );
    assert!(
        diff.contains(
            "+    posts = relationship(\"Post\", back_populates=\"author\", lazy=\"dynamic\")"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("+from sqlalchemy.orm import relationship"),
        "{diff}"
    );
}
