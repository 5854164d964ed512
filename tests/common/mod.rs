//! Helpers shared by the integration tests: fixture cases, tree copies, running the binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_backpop"))
}

/// One fixture: `testdata/cases/<name>/{input,expected,case.conf,stderr.txt}`.
#[derive(Clone)]
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
    pub conf: BTreeMap<String, String>,
}

impl Case {
    pub fn input(&self) -> PathBuf {
        self.dir.join("input")
    }
    pub fn expected(&self) -> PathBuf {
        self.dir.join("expected")
    }
    pub fn sqlalchemy(&self) -> &str {
        self.conf.get("sqlalchemy").map_or("2.0", String::as_str)
    }
    pub fn args(&self) -> Vec<String> {
        self.conf
            .get("args")
            .map(|a| a.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    }
}

pub fn cases() -> Vec<Case> {
    let root = repo_root().join("testdata/cases");
    let mut out = Vec::new();
    for entry in fs::read_dir(&root).expect("testdata/cases exists") {
        let dir = entry.expect("readable entry").path();
        if !dir.join("input").is_dir() {
            continue;
        }
        let conf_text = fs::read_to_string(dir.join("case.conf")).unwrap_or_default();
        let conf = conf_text
            .lines()
            .filter_map(|l| {
                let l = l.split('#').next().unwrap_or_default().trim();
                let (k, v) = l.split_once('=')?;
                Some((k.trim().to_string(), v.trim().to_string()))
            })
            .collect();
        out.push(Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            dir,
            conf,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if let Ok(only) = std::env::var("BACKPOP_CASE") {
        out.retain(|c| c.name == only);
    }
    out
}

pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let ty = entry.file_type().unwrap();
        if ty.is_dir() {
            if entry.file_name() == "__pycache__" || entry.file_name() == ".mypy_cache" {
                continue;
            }
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `root` with its bytes, keyed by relative path.
pub fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for entry in rd {
            let entry = entry.unwrap();
            let p = entry.path();
            let name = entry.file_name();
            if name == "__pycache__" || name == ".mypy_cache" {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    walk(root, root, &mut out);
    out
}

/// Run the binary in `cwd` with `args`.
pub fn backpop(cwd: &Path, args: &[String]) -> Output {
    Command::new(bin())
        .current_dir(cwd)
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .output()
        .expect("backpop runs")
}

/// The Python of a pinned test environment (`sa21`, `sa20`, `sa14`, `sa13`, `tools`), built
/// on first use by `tests/equiv/setup_venv.sh`.
pub fn venv_python(env: &str) -> Result<PathBuf, String> {
    let out = Command::new("bash")
        .arg(repo_root().join("tests/equiv/setup_venv.sh"))
        .arg(env)
        .output()
        .map_err(|e| format!("cannot run setup_venv.sh: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "setup_venv.sh {env} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(PathBuf::from(
        stdout.lines().last().unwrap_or_default().trim(),
    ))
}

/// The README's first ```` ```yaml ```` block that contains `needle`.
pub fn readme_yaml_block(needle: &str) -> String {
    let readme = fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains(needle))
        .unwrap_or_else(|| panic!("no yaml block with `{needle}` in README.md"))
        .to_string()
}

pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}
