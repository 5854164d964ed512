//! The user's Python: which interpreter, and running `dump.py` in it, once
//! per side, both at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::{Group, Settings, Side};

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
            // A relative path with a directory in it is relative to here, not
            // to the directory the import runs in.
            let program = if p.components().count() > 1 && p.is_relative() {
                std::env::current_dir().map_or_else(|_| p.to_path_buf(), |d| d.join(p))
            } else {
                p.to_path_buf()
            };
            return Interpreter {
                program,
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

    /// The dumps of both sides of `group`, each from a fresh process, one
    /// after the other: models that touch a shared file or database at
    /// import must not race.
    pub fn dump_pair(&self, group: &Group, settings: &Settings) -> Result<(Value, Value)> {
        let work = super::temporary()?;
        let script = work.path().join("backpop_dump.py");
        std::fs::write(&script, DUMP)
            .with_context(|| format!("{}: cannot write", script.display()))?;
        let before = self.dump(
            &script,
            work.path(),
            "before",
            &group.before,
            group,
            settings,
        )?;
        let after = self.dump(&script, work.path(), "after", &group.after, group, settings)?;
        Ok((before, after))
    }

    fn dump(
        &self,
        script: &Path,
        work: &Path,
        name: &str,
        side: &Side,
        group: &Group,
        settings: &Settings,
    ) -> Result<Value> {
        let output = work.join(format!("{name}.json"));
        let request = json!({
            "path": side.path,
            "modules": group.modules,
            "overlay": side.overlay.iter().map(|(k, v)| (k.display().to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "setup": settings.setup,
            "rename": side.rename.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
            "output": output,
        });
        let request_path = work.join(format!("{name}.request.json"));
        std::fs::write(&request_path, request.to_string())
            .with_context(|| format!("{}: cannot write", request_path.display()))?;
        // Both sides run in the current directory: files the models read at
        // import that git does not hold (ignored settings) are there.
        let run = Command::new(&self.program)
            .arg("-B")
            .arg(script)
            .arg("--request")
            .arg(&request_path)
            // No bytecode is written into the tree (nor read from it: see
            // dump.py's loader).
            .env("PYTHONDONTWRITEBYTECODE", "1")
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
                "`{}` ({name} the change) stopped with {} before it could report \
                 (verification needs Python 3.7 or later):\n{}",
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
