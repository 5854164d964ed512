//! What `--write` guarantees, through the real binary: a pairing whose files
//! cannot all be written is written nowhere; symbolic links are written
//! through, once, and never followed out of the given paths; an interrupt
//! leaves every pairing old or new; no temporary file is left behind.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const USER: &str = "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n    id = Column(Integer, primary_key=True)\n    posts = relationship(\"Post\", backref=\"author\")\n";
const POST: &str = "from sqlalchemy import Column, ForeignKey, Integer\n\nfrom app.user import Base\n\n\nclass Post(Base):\n    __tablename__ = \"posts\"\n    id = Column(Integer, primary_key=True)\n    user_id = Column(Integer, ForeignKey(\"users.id\"))\n";

/// A file with its own pairing: `Parent.children` and the reverse `Child.parent`.
const SELF_CONTAINED: &str = "from sqlalchemy import Column, ForeignKey, Integer\nfrom sqlalchemy.orm import declarative_base, relationship\n\nBase = declarative_base()\n\n\nclass Parent(Base):\n    __tablename__ = \"parent\"\n    id = Column(Integer, primary_key=True)\n    children = relationship(\"Child\", backref=\"parent\")\n\n\nclass Child(Base):\n    __tablename__ = \"child\"\n    id = Column(Integer, primary_key=True)\n    parent_id = Column(ForeignKey(\"parent.id\"))\n";

fn project(root: &Path) {
    fs::create_dir_all(root.join("app")).unwrap();
    fs::write(root.join("app/__init__.py"), "").unwrap();
    fs::write(root.join("app/user.py"), USER).unwrap();
    fs::write(root.join("app/post.py"), POST).unwrap();
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = backpop(cwd, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every `.backpop-*` temporary file under `root`.
fn leftovers(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else if name.starts_with(".backpop-") {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

/// The migrated form of SELF_CONTAINED, as a single `--write` makes it.
fn migrated_self_contained() -> String {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("m.py"), SELF_CONTAINED).unwrap();
    let (code, _, stderr) = run(tmp.path(), &["--write"]);
    assert_eq!(code, 0, "{stderr}");
    let new = fs::read_to_string(tmp.path().join("m.py")).unwrap();
    assert_ne!(new, SELF_CONTAINED);
    new
}

#[test]
fn a_read_only_half_keeps_the_whole_pairing_unwritten() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    fs::write(tmp.path().join("app/other.py"), SELF_CONTAINED).unwrap();
    let post = tmp.path().join("app/post.py");
    fs::set_permissions(&post, fs::Permissions::from_mode(0o444)).unwrap();
    let (code, _, stderr) = run(tmp.path(), &["--write"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "app/user.py:10:34: BP012 `app/post.py` cannot be written (the file is read-only)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("backpop: error: app/post.py: cannot be written"));
    // Neither half of the pairing is written; the independent file is.
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/user.py")).unwrap(),
        USER
    );
    assert_eq!(fs::read_to_string(&post).unwrap(), POST);
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/other.py")).unwrap(),
        migrated_self_contained()
    );
    assert!(leftovers(tmp.path()).is_empty());
}

/// The binary run as an unprivileged user, where permissions apply (as root
/// they do not). Needs `setpriv` (util-linux) when the tests run as root.
fn run_unprivileged(cwd: &Path, args: &[&str]) -> (i32, String) {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let mut cmd = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin());
        c
    } else {
        Command::new(bin())
    };
    let out = cmd
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run backpop (as root, setpriv from util-linux is needed)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_directory_without_write_permission_keeps_the_whole_pairing_unwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    project(root);
    // `app/` belongs to the unprivileged user; `app/models/` does not and is
    // read-only to it, so no temporary file can be made there.
    fs::create_dir_all(root.join("app/models")).unwrap();
    fs::write(root.join("app/models/__init__.py"), "").unwrap();
    fs::rename(root.join("app/post.py"), root.join("app/models/post.py")).unwrap();
    let user = USER.replace(
        "relationship(\"Post\"",
        "relationship(\"app.models.post.Post\"",
    );
    fs::write(root.join("app/user.py"), &user).unwrap();
    for (path, mode) in [
        (root.to_path_buf(), 0o755),
        (root.join("app"), 0o777),
        (root.join("app/models"), 0o755),
    ] {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
    for f in [
        "app/__init__.py",
        "app/user.py",
        "app/models/__init__.py",
        "app/models/post.py",
    ] {
        fs::set_permissions(root.join(f), fs::Permissions::from_mode(0o666)).unwrap();
    }
    let (code, stderr) = run_unprivileged(root, &["--write"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("BP012 `app/models/post.py` cannot be written"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(root.join("app/user.py")).unwrap(), user);
    assert_eq!(
        fs::read_to_string(root.join("app/models/post.py")).unwrap(),
        POST
    );
    assert!(leftovers(root).is_empty());
}

#[test]
fn a_symlink_named_on_the_command_line_is_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("real")).unwrap();
    fs::write(tmp.path().join("real/m.py"), SELF_CONTAINED).unwrap();
    symlink("real/m.py", tmp.path().join("link.py")).unwrap();
    let (code, _, stderr) = run(tmp.path(), &["--write", "link.py"]);
    assert_eq!(code, 0, "{stderr}");
    let link = tmp.path().join("link.py");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("real/m.py")).unwrap(),
        migrated_self_contained()
    );
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_file_reached_twice_is_migrated_once() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("pkg")).unwrap();
    fs::write(tmp.path().join("pkg/m.py"), SELF_CONTAINED).unwrap();
    // A link inside the tree to a file of the tree, and the file named twice.
    symlink("m.py", tmp.path().join("pkg/alias.py")).unwrap();
    let (code, _, stderr) = run(
        tmp.path(),
        &["--write", "pkg", "pkg/m.py", "./pkg/m.py", "pkg/alias.py"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "Migrated 1 backref in 1 file\n");
    assert_eq!(
        fs::read_to_string(tmp.path().join("pkg/m.py")).unwrap(),
        migrated_self_contained()
    );
    assert!(
        fs::symlink_metadata(tmp.path().join("pkg/alias.py"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn links_out_of_the_tree_and_link_loops_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("o.py"), SELF_CONTAINED).unwrap();
    let tree = tmp.path().join("tree");
    fs::create_dir_all(&tree).unwrap();
    fs::write(tree.join("m.py"), SELF_CONTAINED).unwrap();
    symlink("../outside/o.py", tree.join("o.py")).unwrap();
    symlink("../outside", tree.join("outdir")).unwrap();
    symlink(".", tree.join("loop")).unwrap();
    let mut child = Command::new(bin())
        .args(["--write", "tree"])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("backpop did not finish on a tree with a symlink loop");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(outside.join("o.py")).unwrap(),
        SELF_CONTAINED
    );
    assert_eq!(
        fs::read_to_string(tree.join("m.py")).unwrap(),
        migrated_self_contained()
    );
}

#[test]
fn an_interrupt_leaves_every_pairing_old_or_new() {
    let tmp = tempfile::tempdir().unwrap();
    // 1500 packages, each with a pairing across two files.
    let n = 1500;
    let (user_new, post_new) = {
        let one = tempfile::tempdir().unwrap();
        project(one.path());
        assert_eq!(run(one.path(), &["--write"]).0, 0);
        (
            fs::read_to_string(one.path().join("app/user.py")).unwrap(),
            fs::read_to_string(one.path().join("app/post.py")).unwrap(),
        )
    };
    let pkg = |i: usize| format!("p{i}");
    for i in 0..n {
        let dir = tmp.path().join(pkg(i));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("__init__.py"), "").unwrap();
        fs::write(dir.join("user.py"), USER).unwrap();
        fs::write(
            dir.join("post.py"),
            POST.replace("app.", &format!("{}.", pkg(i))),
        )
        .unwrap();
    }
    let mut child = Command::new(bin())
        .args(["--write", "."])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first files are written, then interrupt.
    let first = tmp.path().join("p0/user.py");
    let start = Instant::now();
    while fs::read_to_string(&first).unwrap() == USER
        && start.elapsed() < Duration::from_secs(60)
        && child.try_wait().unwrap().is_none()
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (mut old, mut migrated) = (0, 0);
    for i in 0..n {
        let dir = tmp.path().join(pkg(i));
        let user = fs::read_to_string(dir.join("user.py")).unwrap();
        let post = fs::read_to_string(dir.join("post.py")).unwrap();
        let post_old = POST.replace("app.", &format!("{}.", pkg(i)));
        let post_migrated = post_new.replace("app.", &format!("{}.", pkg(i)));
        if user == USER && post == post_old {
            old += 1;
        } else {
            assert_eq!(
                (user.as_str(), post.as_str()),
                (user_new.as_str(), post_migrated.as_str()),
                "pairing {i} is written by halves"
            );
            migrated += 1;
        }
    }
    assert!(leftovers(tmp.path()).is_empty());
    match out.status.code() {
        // Interrupted while writing: some pairings written, the rest untouched.
        Some(130) => {
            assert!(migrated >= 1, "{stderr}");
            assert!(stderr.contains("interrupted:"), "{stderr}");
            assert!(stderr.contains("run again to finish"), "{stderr}");
        }
        // Finished before the signal arrived.
        Some(0) => assert_eq!(old, 0),
        other => panic!("exit {other:?}: {stderr}"),
    }
}

#[test]
fn unreadable_files_and_directories_are_reported_and_the_rest_migrates() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("ok")).unwrap();
    fs::write(root.join("ok/m.py"), SELF_CONTAINED).unwrap();
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("locked/x.py"), SELF_CONTAINED).unwrap();
    fs::write(root.join("secret.py"), SELF_CONTAINED).unwrap();
    for (path, mode) in [
        (root.to_path_buf(), 0o777),
        (root.join("ok"), 0o777),
        (root.join("ok/m.py"), 0o666),
        (root.join("locked"), 0o700),
        (root.join("secret.py"), 0o600),
    ] {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
    let (code, stderr) = run_unprivileged(root, &["--write", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("secret.py: cannot read"), "{stderr}");
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("ok/m.py")).unwrap(),
        migrated_self_contained()
    );
    assert_eq!(
        fs::read_to_string(root.join("secret.py")).unwrap(),
        SELF_CONTAINED
    );
    assert_eq!(
        fs::read_to_string(root.join("locked/x.py")).unwrap(),
        SELF_CONTAINED
    );
}

#[test]
fn a_kill_leaves_every_file_old_or_new() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 2000;
    for i in 0..n {
        let dir = tmp.path().join(format!("pkg{}", i / 100));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("m{i}.py")), SELF_CONTAINED).unwrap();
    }
    let new = migrated_self_contained();
    let mut child = Command::new(bin())
        .args(["--write", "."])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let first = tmp.path().join("pkg0/m0.py");
    let start = Instant::now();
    while fs::read_to_string(&first).unwrap() == SELF_CONTAINED
        && start.elapsed() < Duration::from_secs(60)
        && child.try_wait().unwrap().is_none()
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    // SIGKILL: no handler runs; the rename makes each file old or new anyway.
    let _ = child.kill();
    let _ = child.wait();
    for i in 0..n {
        let path = tmp
            .path()
            .join(format!("pkg{}", i / 100))
            .join(format!("m{i}.py"));
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text == SELF_CONTAINED || text == new,
            "{} is neither old nor new:\n{text}",
            path.display()
        );
    }
}

#[test]
fn ignored_files_are_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path());
    // The target's module is ignored: it is neither read nor written, and the
    // backref onto it stays (its target is not in the given paths).
    fs::write(tmp.path().join(".gitignore"), "app/post.py\n").unwrap();
    let (code, _, stderr) = run(tmp.path(), &["--write"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("BP001"), "{stderr}");
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/post.py")).unwrap(),
        POST
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("app/user.py")).unwrap(),
        USER
    );
}
