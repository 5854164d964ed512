//! The user's Python: which interpreter, and running `dump.py` in it, once
//! per side, both at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use super::{Settings, Side, Tree};

/// The dump script, shipped inside the binary.
const DUMP: &str = include_str!("dump.py");

/// dump.py's exit status when the interpreter cannot import SQLAlchemy.
const NO_SQLALCHEMY: i32 = 3;

/// The interpreter that imports the models, and where its name came from.
#[derive(Debug, Clone)]
pub struct Interpreter {
    program: PathBuf,
    from: &'static str,
}

impl Interpreter {
    /// `--python`, else the active virtualenv's, else `python3` on `PATH`.
    pub fn find(explicit: Option<&Path>) -> Interpreter {
        if let Some(p) = explicit {
            return Interpreter {
                program: p.to_path_buf(),
                from: "--python",
            };
        }
        if let Some(venv) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
            let bin = if cfg!(windows) {
                Path::new(&venv).join("Scripts").join("python.exe")
            } else {
                Path::new(&venv).join("bin").join("python")
            };
            return Interpreter {
                program: bin,
                from: "$VIRTUAL_ENV",
            };
        }
        Interpreter {
            program: PathBuf::from("python3"),
            from: "PATH",
        }
    }

    pub fn display(&self) -> String {
        self.program.display().to_string()
    }

    /// The dumps of both sides of `tree`, each from a fresh process.
    pub fn dump_both(&self, tree: &Tree, settings: &Settings) -> Result<(Value, Value)> {
        let work = tempfile::Builder::new()
            .prefix("backpop-verify-")
            .tempdir()
            .context("cannot create a temporary directory")?;
        let script = work.path().join("backpop_dump.py");
        std::fs::write(&script, DUMP)
            .with_context(|| format!("{}: cannot write", script.display()))?;
        let (before, after) = std::thread::scope(|s| {
            let before =
                s.spawn(|| self.dump(&script, work.path(), "before", &tree.before, tree, settings));
            let after = self.dump(&script, work.path(), "after", &tree.after, tree, settings);
            let before = before
                .join()
                .unwrap_or_else(|_| Err(anyhow!("the verification of the before side stopped")));
            (before, after)
        });
        Ok((before?, after?))
    }

    fn dump(
        &self,
        script: &Path,
        work: &Path,
        name: &str,
        side: &Side,
        tree: &Tree,
        settings: &Settings,
    ) -> Result<Value> {
        let output = work.join(format!("{name}.json"));
        let request = json!({
            "path": side.path,
            "modules": tree.modules,
            "overlay": side.overlay.iter().map(|(k, v)| (k.display().to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "setup": settings.setup,
            "rename": side.rename.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
            "output": output,
        });
        let request_path = work.join(format!("{name}.request.json"));
        std::fs::write(&request_path, request.to_string())
            .with_context(|| format!("{}: cannot write", request_path.display()))?;
        let cwd = if side.cwd.is_dir() {
            side.cwd.clone()
        } else {
            tree.after.cwd.clone()
        };
        let run = Command::new(&self.program)
            .arg("-B")
            .arg(script)
            .arg("--request")
            .arg(&request_path)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .output()
            .with_context(|| {
                format!(
                    "cannot run the Python interpreter `{}` (from {}); name one with --python",
                    self.display(),
                    self.from
                )
            })?;
        let text = std::fs::read_to_string(&output).ok();
        let doc: Option<Value> = text.and_then(|t| serde_json::from_str(&t).ok());
        let Some(doc) = doc else {
            let stderr = String::from_utf8_lossy(&run.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "`{}` ({name} the change) stopped with {} before it could report:\n{}",
                self.display(),
                run.status,
                tail.join("\n")
            );
        };
        if run.status.code() == Some(NO_SQLALCHEMY) || doc.get("fatal").is_some() {
            let why = doc.get("fatal").and_then(Value::as_str).unwrap_or("?");
            bail!(
                "the Python interpreter `{}` (from {}, Python {}) {why}; \
                 --verify imports the models with the project's own SQLAlchemy: \
                 name its interpreter with --python or activate its virtualenv",
                self.display(),
                self.from,
                doc.get("python").and_then(Value::as_str).unwrap_or("?"),
            );
        }
        Ok(doc)
    }
}
