//! Output formats and the commands around them, through the real binary:
//! `--output-format full|concise|json|github|sarif` (the JSON checked against
//! `schema/output.schema.json`, the SARIF log against the SARIF 2.1.0 schema,
//! both with Python's `jsonschema` in the test venv), `--color`, `-q`/`-v`,
//! standard input, `explain` and `completions`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::*;

/// A tree with one migration across two files and one refusal (BP006).
fn project(root: &Path) {
    let case = repo_root().join("testdata/cases/refuse_unmovable_expression/input");
    copy_tree(&case, root);
}

fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("backpop runs");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.unwrap_or_default())
            .expect("stdin written");
    }
    child.wait_with_output().expect("backpop finishes")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The test venv's Python (built by tests/equiv/setup_venv.sh), or `None`
/// outside CI when `BACKPOP_SKIP_EQUIV=1`.
fn python() -> Option<PathBuf> {
    static PY: OnceLock<Option<PathBuf>> = OnceLock::new();
    PY.get_or_init(|| {
        if !is_ci() && std::env::var("BACKPOP_SKIP_EQUIV").is_ok_and(|v| v == "1") {
            eprintln!("schema validation skipped (BACKPOP_SKIP_EQUIV=1)");
            return None;
        }
        Some(venv_python("sa20").expect("python environment"))
    })
    .clone()
}

/// Validate `doc` against `schema` (a path, or "sarif"): (exit code, report).
fn validate(python: &Path, schema: &str, doc: &[u8]) -> (i32, String) {
    let cache = repo_root().join("target/schemas");
    let mut child = Command::new(python)
        .arg(repo_root().join("tests/formats/validate.py"))
        .arg(schema)
        .arg(&cache)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("validate.py runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(doc)
        .expect("doc written");
    let out = child.wait_with_output().expect("validate.py finishes");
    (
        out.status.code().unwrap_or(2),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

#[test]
fn json_lists_migrations_edits_and_diagnostics_and_matches_its_schema() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let out = run_in(tmp.path(), &["--output-format", "json"], &[], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "json keeps stderr for errors: {}",
        text(&out.stderr)
    );
    let doc = text(&out.stdout);
    for needle in [
        "\"mode\": \"diff\"",
        "\"class\": \"Post\"",
        "\"attribute\": \"editor\"",
        "\"class\": \"User\"",
        "\"attribute\": \"edited_posts\"",
        // The forward's edit (the call laid out again: it no longer fits).
        "back_populates=\\\"edited_posts\\\"",
        "\"code\": \"BP006\"",
        "\"path\": \"app/user.py\"",
        "\"migrated\": 1",
        "\"unmigrated\": 1",
    ] {
        assert!(doc.contains(needle), "{needle} missing from\n{doc}");
    }
    // The file edits, applied from the last, give what --write writes.
    let before = std::fs::read_to_string(tmp.path().join("app/user.py")).expect("read");
    let out_w = run_in(tmp.path(), &["--write"], &[], None);
    assert_eq!(out_w.status.code(), Some(1));
    let after = std::fs::read_to_string(tmp.path().join("app/user.py")).expect("read");
    let mut rebuilt = before.clone();
    let edits = file_edits(&doc, "app/user.py");
    assert!(!edits.is_empty());
    for (start, end, new) in edits.into_iter().rev() {
        rebuilt.replace_range(start..end, &new);
    }
    assert_eq!(rebuilt, after);
    let Some(py) = python() else { return };
    let schema = repo_root().join("schema/output.schema.json");
    let schema = schema.to_string_lossy();
    let (code, report) = validate(&py, &schema, &out.stdout);
    assert_eq!(code, 0, "{report}");
    // The check fails on a document that breaks the schema.
    let broken = doc.replacen("\"line\": ", "\"line\": -", 1);
    let (code, report) = validate(&py, &schema, broken.as_bytes());
    assert_eq!(code, 1, "a negative line passed: {report}");
}

/// (start_byte, end_byte, text) of the file edits of `path` in a JSON report.
fn file_edits(doc: &str, path: &str) -> Vec<(usize, usize, String)> {
    let v: serde_json::Value = serde_json::from_str(doc).expect("valid JSON");
    let files = v["files"].as_array().expect("files");
    let file = files
        .iter()
        .find(|f| f["path"] == path)
        .expect("file listed");
    file["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                e["start_byte"].as_u64().unwrap_or_default() as usize,
                e["end_byte"].as_u64().unwrap_or_default() as usize,
                e["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let out = run_in(tmp.path(), &["--output-format", "sarif"], &[], None);
    assert_eq!(out.status.code(), Some(1));
    let doc = text(&out.stdout);
    assert!(doc.contains("\"version\": \"2.1.0\""));
    assert!(doc.contains("\"ruleId\": \"BP006\""));
    assert!(doc.contains("\"ruleId\": \"BP000\""));
    assert!(doc.contains("\"uri\": \"app/post.py\""));
    let Some(py) = python() else { return };
    let (code, report) = validate(&py, "sarif", &out.stdout);
    assert_eq!(code, 0, "{report}");
    let broken = doc.replacen("\"level\": \"error\"", "\"level\": \"fatal\"", 1);
    let (code, report) = validate(&py, "sarif", broken.as_bytes());
    assert_eq!(code, 1, "an unknown level passed: {report}");
}

#[test]
fn github_prints_workflow_annotations() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let out = run_in(tmp.path(), &["--output-format", "github"], &[], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines.contains(
            &"::warning file=app/post.py,line=26,col=14,title=backpop%3A backref to migrate::`Post.editor` creates `User.edited_posts` with backref=; backpop --write declares it with back_populates on both sides"
        ),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=app/post.py,line=24,col=9,title=backpop BP006::")),
        "{stdout}"
    );
    // After --write nothing is pending: only the refusal is annotated.
    let out = run_in(
        tmp.path(),
        &["--write", "--output-format", "github"],
        &[],
        None,
    );
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn concise_prints_a_line_per_migration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let out = run_in(tmp.path(), &["--output-format", "concise"], &[], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "app/post.py:26:14: Post.editor <-> User.edited_posts (app/user.py:11)\n"
    );
    assert!(text(&out.stderr).contains("BP006"));
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let piped = run_in(tmp.path(), &[], &[], None);
    assert!(!piped.stdout.contains(&0x1b), "piped output is plain");
    let always = run_in(tmp.path(), &["--color", "always"], &[], None);
    let diff = text(&always.stdout);
    assert!(diff.contains("\x1b[32m+"), "{diff}");
    assert!(diff.contains("\x1b[31m-"), "{diff}");
    assert!(text(&always.stderr).contains("\x1b[1;31mBP006\x1b[0m"));
    let forced = run_in(tmp.path(), &[], &[("FORCE_COLOR", "1")], None);
    assert!(forced.stdout.contains(&0x1b));
    let never = run_in(
        tmp.path(),
        &["--color", "never"],
        &[("FORCE_COLOR", "1")],
        None,
    );
    assert!(!never.stdout.contains(&0x1b));
    // The colored diff is the plain one with escapes around lines.
    let stripped = diff
        .replace("\x1b[0m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[31m", "")
        .replace("\x1b[32m", "");
    assert_eq!(stripped, text(&piped.stdout));
}

#[test]
fn quiet_and_verbose() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let quiet = run_in(tmp.path(), &["-q"], &[], None);
    let stderr = text(&quiet.stderr);
    assert!(stderr.contains("BP006"), "diagnostics stay: {stderr}");
    assert!(!stderr.contains("Would migrate"), "{stderr}");
    let verbose = run_in(tmp.path(), &["-v"], &[], None);
    let stderr = text(&verbose.stderr);
    assert!(stderr.contains("timing: discover done at"), "{stderr}");
    assert!(stderr.contains("Would migrate"), "{stderr}");
    assert_eq!(verbose.stdout, quiet.stdout);
}

#[test]
fn stdin_is_migrated_to_stdout() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let source = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n    id = Column(Integer, primary_key=True)\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n    id = Column(Integer, primary_key=True)\n    user_id = Column(ForeignKey(\"users.id\"))\n    author = relationship(\"User\", backref=\"posts\")\n    editor = relationship(\"Editor\", backref=\"posts\")\n";
    let out = run_in(
        tmp.path(),
        &["-", "--stdin-filename", "app/models.py"],
        &[],
        Some(source.as_bytes()),
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stdout.contains("    author = relationship(\"User\", back_populates=\"posts\")\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    posts = relationship(\"Post\", back_populates=\"author\")\n"),
        "{stdout}"
    );
    // The pairing with a class of another file is reported, under the given name.
    assert!(
        stderr.contains("app/models.py:17:37: BP001")
            && stderr.contains("from standard input only this source is migrated"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1), "a backref is left: {stderr}");
    // Nothing to do: the input comes back unchanged, exit 0.
    let plain = "x = 1\n";
    let out = run_in(tmp.path(), &["-"], &[], Some(plain.as_bytes()));
    assert_eq!(text(&out.stdout), plain);
    assert_eq!(out.status.code(), Some(0));
    // --check prints nothing and exits 1 when the source would change.
    let ok = source.replace(
        "    editor = relationship(\"Editor\", backref=\"posts\")\n",
        "",
    );
    let out = run_in(tmp.path(), &["-", "--check"], &[], Some(ok.as_bytes()));
    assert!(out.stdout.is_empty());
    assert_eq!(out.status.code(), Some(1));
    let out = run_in(tmp.path(), &["-"], &[], Some(ok.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // No file was written.
    assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 0);
    // `-` with other paths is a usage error.
    let out = run_in(tmp.path(), &["-", "."], &[], Some(b""));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_describes_every_code() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for n in 1..=25 {
        let code = format!("BP{n:03}");
        let out = run_in(tmp.path(), &["explain", &code], &[], None);
        assert_eq!(out.status.code(), Some(0), "{code}");
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with(&format!("{code}: ")), "{stdout}");
        for part in [
            "What it means",
            "Why backpop leaves it",
            "How to migrate it by hand",
        ] {
            assert!(stdout.contains(part), "{code}: {part}");
        }
    }
    let list = run_in(tmp.path(), &["explain"], &[], None);
    assert_eq!(text(&list.stdout).lines().count(), 25);
    let bad = run_in(tmp.path(), &["explain", "BP999"], &[], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("unknown diagnostic code `BP999`"));
}

#[test]
fn completions_for_each_shell() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run_in(tmp.path(), &["completions", shell], &[], None);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains("backpop"), "{shell}");
        assert!(script.contains("output-format"), "{shell}");
    }
    // The bash script is valid bash.
    let out = run_in(tmp.path(), &["completions", "bash"], &[], None);
    let path = tmp.path().join("backpop.bash");
    std::fs::write(&path, &out.stdout).expect("write");
    let check = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash");
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[test]
fn version_and_help() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = run_in(tmp.path(), &["--version"], &[], None);
    assert_eq!(
        text(&out.stdout),
        format!("backpop {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run_in(tmp.path(), &["--help"], &[], None);
    let help = text(&out.stdout);
    for needle in [
        "Examples:",
        "--output-format",
        "explain",
        "completions",
        "--stdin-filename",
    ] {
        assert!(help.contains(needle), "{needle}");
    }
}

#[test]
fn readme_ci_snippet_runs() {
    let snippet = readme_yaml_block("name: backpop");
    let command = snippet
        .lines()
        .find_map(|l| l.trim().strip_prefix("run: backpop "))
        .expect("a `run: backpop ...` line");
    let args: Vec<&str> = command.split_whitespace().collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    let out = run_in(tmp.path(), &args, &[], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the step fails on a backref left"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("::warning file=app/post.py"), "{stdout}");
    assert!(stdout.contains("::error file=app/post.py"), "{stdout}");
}

#[test]
fn list_shows_implicit_attributes_and_their_usages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    std::fs::write(
        tmp.path().join("app/views.py"),
        "from sqlalchemy.orm import selectinload\n\nfrom app.user import User\n\n\ndef feed(session, user):\n    q = session.query(User).options(selectinload(\"posts\"))\n    # user.posts in a comment is not a usage\n    return [p.title for p in user.posts] + [e.title for e in user.edited_posts]\n",
    )
    .expect("write");
    let before = read_tree(tmp.path());
    let out = run_in(tmp.path(), &["--list"], &[], None);
    assert_eq!(out.status.code(), Some(0), "a listing is not a check");
    assert_eq!(
        text(&out.stdout),
        "User.edited_posts  <- Post.editor  (app/post.py:26)  migrates\n\
         User.posts         <- Post.author  (app/post.py:21)  BP006\n"
    );
    assert!(text(&out.stderr).contains("2 implicit attributes from backrefs; 1 would migrate"));
    let out = run_in(tmp.path(), &["--list", "--usages"], &[], None);
    assert_eq!(
        text(&out.stdout),
        "User.edited_posts  <- Post.editor  (app/post.py:26)  migrates\n\
         \x20   app/views.py:9:66: return [p.title for p in user.posts] + [e.title for e in user.edited_posts]\n\
         User.posts         <- Post.author  (app/post.py:21)  BP006\n\
         \x20   app/views.py:7:50: q = session.query(User).options(selectinload(\"posts\"))\n\
         \x20   app/views.py:9:34: return [p.title for p in user.posts] + [e.title for e in user.edited_posts]\n"
    );
    assert_eq!(read_tree(tmp.path()), before, "--list changes nothing");
    let out = run_in(tmp.path(), &["--usages"], &[], None);
    assert_eq!(out.status.code(), Some(2), "--usages needs --list");
    // From standard input, the listing too (not the source).
    let post = std::fs::read(tmp.path().join("app/post.py")).expect("read");
    let out = run_in(
        tmp.path(),
        &["-", "--list", "--stdin-filename", "app/post.py"],
        &[],
        Some(&post),
    );
    assert!(
        text(&out.stdout).starts_with("User.edited_posts  <- Post.editor  (app/post.py:26)"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn progress_only_on_a_terminal_and_not_quiet() {
    let tmp = tempfile::tempdir().expect("tempdir");
    project(tmp.path());
    // A tree large enough for a progress bar.
    let many = tmp.path().join("many");
    std::fs::create_dir_all(&many).expect("mkdir");
    for i in 0..2100 {
        std::fs::write(many.join(format!("m{i}.py")), "x = 1\n").expect("write");
    }
    let piped = run_in(tmp.path(), &[], &[], None);
    assert!(
        !text(&piped.stderr).contains("files ("),
        "{}",
        text(&piped.stderr)
    );
    // `script` gives the command a terminal.
    let on_tty = |extra: &str| {
        let out = Command::new("script")
            .args(["-qec"])
            .arg(format!("{} {extra} > /dev/null", bin().display()))
            .arg("/dev/null")
            .current_dir(tmp.path())
            .env_remove("NO_COLOR")
            .output()
            .expect("script runs");
        text(&out.stdout)
    };
    let shown = on_tty("");
    assert!(shown.contains("/2104 files ("), "{shown}");
    assert!(shown.contains("Would migrate 1 backref"), "{shown}");
    let quiet = on_tty("-q");
    assert!(!quiet.contains("files ("), "{quiet}");
    let json = on_tty("--output-format json");
    assert!(!json.contains("files ("), "{json}");
}
