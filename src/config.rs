//! Configuration: `[tool.backpop]` in `pyproject.toml`, or `backpop.toml`.
//!
//! As with ruff, the configuration that applies to a file is the closest one
//! above it: in each directory from the file's up to the root, a
//! `backpop.toml` (its keys at the top level) or a `pyproject.toml` with a
//! `[tool.backpop]` table. `--config PATH` uses one file for every file,
//! `--isolated` none. Globs in `exclude` and `extend-exclude` are relative to
//! the directory of the file that sets them. An unknown key or a bad value is
//! an error that names the key and the file.
//!
//! `line-length` defaults to the `line-length` of `[tool.ruff]` or
//! `[tool.black]` in the same `pyproject.toml` (ruff first), else 88; with no
//! backpop configuration at all, to the ruff or black setting of the closest
//! `pyproject.toml` that has one.
//!
//! It reads settings and nothing else: it walks no tree (that is
//! [`crate::discover`]) and reads no Python.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use anyhow::{Context, Result, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};

/// How the reverse of a backref onto a typed (`Mapped[...]`) class is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Typed {
    /// Annotated when the target module already writes SQLAlchemy 2.0 typed
    /// models (`Mapped[...]` with `mapped_column` or `DeclarativeBase`).
    #[default]
    Auto,
    /// Annotated whenever its direction (collection or scalar) is known.
    Always,
    /// Never annotated.
    Never,
}

/// A pair of wrappers of SQLAlchemy's `relationship()` and `backref()`
/// (a helper library's, or the project's) that add the same default keyword
/// arguments to both: a backref built with the family's `backref()` is
/// declared with the family's `relationship()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// Where the family's `relationship` is defined (`app.orm.relationship`).
    pub relationship: String,
    /// Where its `backref` is defined.
    pub backref: String,
    /// What the family's `relationship()` does with a backref given as a
    /// plain string or SQLAlchemy's own `backref()`: `None` when the
    /// configuration does not say (read from its body when it is in the tree).
    pub plain_backref: Option<PlainBackref>,
}

/// See [`Family::plain_backref`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainBackref {
    /// Passed to SQLAlchemy as given: the reverse is SQLAlchemy's own
    /// `relationship()`.
    Plain,
    /// Given the family's defaults (as Flask-SQLAlchemy 2 does): the reverse
    /// is the family's `relationship()`.
    Family,
}

/// Directories skipped by default in a walk (hidden ones are skipped anyway).
pub const DEFAULT_EXCLUDE: &[&str] = &[
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// The settings that apply to one file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file they come from (`None`: the defaults).
    pub source: Option<PathBuf>,
    /// The directory exclusion globs are relative to.
    pub root: PathBuf,
    pub exclude: Vec<String>,
    pub extend_exclude: Vec<String>,
    pub respect_gitignore: bool,
    pub extra_relationship_names: Vec<String>,
    pub extra_backref_names: Vec<String>,
    /// `identity-wrappers`: functions that return their first argument
    /// unchanged (`with_roles(relationship(...), read={...})`).
    pub identity_wrappers: Vec<String>,
    /// `wrapper-families`: pairs of project or library wrappers of
    /// `relationship()` and `backref()` that add the same defaults.
    pub families: Vec<Family>,
    pub typed: Typed,
    pub line_length: usize,
    /// `verify-import`: the modules `--verify` imports (else the changed ones).
    pub verify_import: Vec<String>,
    /// `verify-path`: more `sys.path` directories for `--verify` (absolute).
    pub verify_path: Vec<PathBuf>,
    /// `verify-setup`: Python code `--verify` runs before the imports.
    pub verify_setup: Option<String>,
    excluded: GlobSet,
}

impl Default for Settings {
    fn default() -> Self {
        let exclude: Vec<String> = DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect();
        Settings {
            source: None,
            root: PathBuf::new(),
            excluded: globs(&exclude, &[]).unwrap_or_default(),
            exclude,
            extend_exclude: Vec::new(),
            respect_gitignore: true,
            extra_relationship_names: Vec::new(),
            extra_backref_names: Vec::new(),
            identity_wrappers: Vec::new(),
            families: Vec::new(),
            typed: Typed::Auto,
            line_length: 88,
            verify_import: Vec::new(),
            verify_path: Vec::new(),
            verify_setup: None,
        }
    }
}

/// A glob without a `/` matches a name at any depth (`build` excludes every
/// directory named build), as in ruff and `.gitignore`.
fn globs(exclude: &[String], extend: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in exclude.iter().chain(extend) {
        let g = g.trim_end_matches('/');
        let pattern = if g.contains('/') {
            g.trim_start_matches("./").to_string()
        } else {
            format!("**/{g}")
        };
        b.add(Glob::new(&pattern).with_context(|| format!("invalid glob `{g}`"))?);
    }
    Ok(b.build()?)
}

impl Settings {
    /// Whether `path` (a file or directory met in a walk from `walk_root`)
    /// is excluded by these settings: its path below their root (the walk's
    /// for the defaults) matches a glob. The directories on the way were
    /// matched when the walk met them; what was named on the command line is
    /// never excluded.
    pub fn excludes(&self, path: &Path, walk_root: &Path) -> bool {
        let base = if self.source.is_some() {
            self.root.as_path()
        } else {
            walk_root
        };
        match path.strip_prefix(base) {
            Ok(rel) => {
                path.starts_with(walk_root) && path != walk_root && self.excluded.is_match(rel)
            }
            Err(_) => false,
        }
    }
}

/// Where settings come from: `--config`, `--isolated`, or discovery.
#[derive(Debug, Clone, Default)]
pub enum Source {
    #[default]
    Discover,
    File(PathBuf),
    Isolated,
}

/// Settings per directory, found once per directory.
pub struct Resolver {
    source: Source,
    fixed: Option<Arc<Settings>>,
    by_dir: RwLock<HashMap<PathBuf, Arc<Settings>>>,
}

impl Resolver {
    pub fn new(source: Source) -> Result<Resolver> {
        let fixed = match &source {
            Source::Isolated => Some(Arc::new(Settings::default())),
            Source::File(path) => match load(path, true)? {
                Here::Config(s) => Some(Arc::new(*s)),
                // `required` makes a file without settings an error in `load`.
                Here::LineLength(_) | Here::Nothing => {
                    bail!("{}: no [tool.backpop] table", path.display())
                }
            },
            Source::Discover => None,
        };
        Ok(Resolver {
            source,
            fixed,
            by_dir: RwLock::new(HashMap::new()),
        })
    }

    /// The settings for a file or directory at absolute path `path`
    /// (`is_dir`: the path is itself a directory to start from).
    pub fn for_path(&self, path: &Path, is_dir: bool) -> Result<Arc<Settings>> {
        if let Some(s) = &self.fixed {
            return Ok(s.clone());
        }
        let dir = if is_dir {
            path
        } else {
            path.parent().unwrap_or(path)
        };
        self.for_dir(dir)
    }

    fn for_dir(&self, dir: &Path) -> Result<Arc<Settings>> {
        let known = self
            .by_dir
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
            .cloned();
        if let Some(s) = known {
            return Ok(s);
        }
        let above = |dir: &Path| match dir.parent() {
            Some(parent) => self.for_dir(parent),
            None => Ok(Arc::new(Settings::default())),
        };
        let found = match find_here(dir)? {
            Here::Config(s) => Arc::new(*s),
            Here::Nothing => above(dir)?,
            // A formatter's line length, used when no configuration is found.
            Here::LineLength(n) => {
                let s = above(dir)?;
                if s.source.is_none() {
                    Arc::new(Settings {
                        line_length: n,
                        ..(*s).clone()
                    })
                } else {
                    s
                }
            }
        };
        // A poisoned lock only means another thread panicked; the map is intact.
        self.by_dir
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }

    pub fn source(&self) -> &Source {
        &self.source
    }
}

/// What directory `dir` says about the settings.
#[derive(Debug)]
enum Here {
    Config(Box<Settings>),
    /// A `pyproject.toml` without `[tool.backpop]` whose ruff or black
    /// configuration sets a line length.
    LineLength(usize),
    Nothing,
}

fn find_here(dir: &Path) -> Result<Here> {
    let own = dir.join("backpop.toml");
    if own.is_file() {
        return load(&own, true);
    }
    let pyproject = dir.join("pyproject.toml");
    if pyproject.is_file() {
        return load(&pyproject, false);
    }
    Ok(Here::Nothing)
}

/// The `line-length` of `[tool.ruff]`, else of `[tool.black]`, in a TOML document.
fn formatter_line_length_in(doc: &toml::Table) -> Option<usize> {
    let tool = doc.get("tool")?.as_table()?;
    ["ruff", "black"].into_iter().find_map(|name| {
        tool.get(name)?
            .get("line-length")?
            .as_integer()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
    })
}

/// Read one configuration file. A `pyproject.toml` without `[tool.backpop]`
/// (an error when `required`) gives the line length of its formatter
/// settings, if any, and is not an error when it does not parse at all.
fn load(path: &Path, required: bool) -> Result<Here> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let doc: toml::Table = match text.parse() {
        Ok(d) => d,
        Err(_) if is_pyproject && !text.contains("tool.backpop") && !required => {
            return Ok(Here::Nothing);
        }
        Err(e) => bail!("{}: invalid TOML: {}", path.display(), e.message()),
    };
    let Some(table) = backpop_table(path, &doc, is_pyproject, required)? else {
        return Ok(formatter_line_length_in(&doc).map_or(Here::Nothing, Here::LineLength));
    };
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut s = Settings {
        source: Some(path.to_path_buf()),
        root: std::fs::canonicalize(&root).unwrap_or(root),
        ..Settings::default()
    };
    // line-length: ruff's, else black's, in the same pyproject.toml.
    if is_pyproject && let Some(n) = formatter_line_length_in(&doc) {
        s.line_length = n;
    }
    for (key, value) in &table {
        set(&mut s, path, is_pyproject, key, value)?;
    }
    s.excluded = globs(&s.exclude, &s.extend_exclude)
        .with_context(|| format!("{}: `exclude`/`extend-exclude`", path.display()))?;
    Ok(Here::Config(Box::new(s)))
}

/// The backpop settings of a configuration file: all of a `backpop.toml`,
/// the `[tool.backpop]` table of a `pyproject.toml` (`None` when it has none
/// and none is `required`).
fn backpop_table(
    path: &Path,
    doc: &toml::Table,
    is_pyproject: bool,
    required: bool,
) -> Result<Option<toml::Table>> {
    if !is_pyproject {
        return Ok(Some(doc.clone()));
    }
    let tool = doc.get("tool").and_then(|t| t.as_table());
    match tool.and_then(|t| t.get("backpop")) {
        Some(toml::Value::Table(t)) => Ok(Some(t.clone())),
        Some(_) => bail!("{}: `tool.backpop` must be a table", path.display()),
        None if required => bail!("{}: no [tool.backpop] table", path.display()),
        None => Ok(None),
    }
}

/// Set one key of the settings read from the file at `path`.
fn set(
    s: &mut Settings,
    path: &Path,
    is_pyproject: bool,
    key: &str,
    value: &toml::Value,
) -> Result<()> {
    let key_err = |want: &str| key_error(path, key, want);
    match key {
        "exclude" => s.exclude = strings(path, key, value)?,
        "extend-exclude" => s.extend_exclude = strings(path, key, value)?,
        "respect-gitignore" => {
            s.respect_gitignore = value.as_bool().ok_or_else(|| key_err("true or false"))?;
        }
        "extra-relationship-names" => s.extra_relationship_names = identifiers(path, key, value)?,
        "extra-backref-names" => s.extra_backref_names = identifiers(path, key, value)?,
        "identity-wrappers" => s.identity_wrappers = identifiers(path, key, value)?,
        "wrapper-families" => s.families = families(path, key, value)?,
        "typed" => {
            s.typed = match value.as_str() {
                Some("auto") => Typed::Auto,
                Some("always") => Typed::Always,
                Some("never") => Typed::Never,
                _ => return Err(key_err("\"auto\", \"always\" or \"never\"")),
            }
        }
        "line-length" => {
            s.line_length = value
                .as_integer()
                .and_then(|n| usize::try_from(n).ok())
                .filter(|n| (1..=320).contains(n))
                .ok_or_else(|| key_err("an integer from 1 to 320"))?;
        }
        "verify-import" => {
            s.verify_import = strings(path, key, value)?;
            if let Some(bad) = s.verify_import.iter().find(|m| !dotted_name(m)) {
                bail!(
                    "{}: `verify-import`: `{bad}` is not a module name (write it as in `import a.b`)",
                    path.display()
                );
            }
        }
        "verify-path" => {
            s.verify_path = strings(path, key, value)?
                .into_iter()
                .map(|p| s.root.join(p))
                .collect();
        }
        "verify-setup" => {
            s.verify_setup = Some(
                value
                    .as_str()
                    .ok_or_else(|| key_err("a string of Python code"))?
                    .to_string(),
            );
        }
        other => bail!(
            "{}: unknown key `{other}` in {} (known: exclude, extend-exclude, respect-gitignore, extra-relationship-names, extra-backref-names, identity-wrappers, wrapper-families, typed, line-length, verify-import, verify-path, verify-setup)",
            path.display(),
            if is_pyproject {
                "[tool.backpop]"
            } else {
                "backpop.toml"
            }
        ),
    }
    Ok(())
}

fn key_error(path: &Path, key: &str, want: &str) -> anyhow::Error {
    anyhow::anyhow!("{}: `{key}` must be {want}", path.display())
}

fn strings(path: &Path, key: &str, v: &toml::Value) -> Result<Vec<String>> {
    v.as_array()
        .and_then(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| key_error(path, key, "a list of strings"))
}

/// `wrapper-families = [{ relationship = "app.orm.relationship", backref =
/// "app.orm.backref", string-backref = "plain" }]`.
fn families(path: &Path, key: &str, v: &toml::Value) -> Result<Vec<Family>> {
    let want = "a list of tables with `relationship` and `backref` (each a dotted name such as `app.orm.relationship`) and optionally `string-backref` (\"plain\" or \"family\")";
    let entries = v.as_array().ok_or_else(|| key_error(path, key, want))?;
    let mut out = Vec::new();
    for e in entries {
        let t = e.as_table().ok_or_else(|| key_error(path, key, want))?;
        let dotted = |k: &str| {
            t.get(k)
                .and_then(toml::Value::as_str)
                .filter(|d| dotted_name(d) && d.contains('.'))
                .map(str::to_string)
                .ok_or_else(|| key_error(path, key, want))
        };
        let plain_backref = match t.get("string-backref").map(toml::Value::as_str) {
            None => None,
            Some(Some("plain")) => Some(PlainBackref::Plain),
            Some(Some("family")) => Some(PlainBackref::Family),
            Some(_) => return Err(key_error(path, key, want)),
        };
        if let Some(other) = t
            .keys()
            .find(|k| !matches!(k.as_str(), "relationship" | "backref" | "string-backref"))
        {
            bail!(
                "{}: `{key}`: unknown key `{other}` (known: relationship, backref, string-backref)",
                path.display()
            );
        }
        out.push(Family {
            relationship: dotted("relationship")?,
            backref: dotted("backref")?,
            plain_backref,
        });
    }
    Ok(out)
}

/// Whether `m` is a dotted module name (`app.models`).
pub fn dotted_name(m: &str) -> bool {
    !m.is_empty()
        && m.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c == '_' || c.is_alphabetic())
                && part.chars().all(|c| c == '_' || c.is_alphanumeric())
        })
}

/// A list of Python names (of functions that stand for `relationship` or `backref`).
fn identifiers(path: &Path, key: &str, v: &toml::Value) -> Result<Vec<String>> {
    let names = strings(path, key, v)?;
    if let Some(bad) = names.iter().find(|n| {
        n.is_empty()
            || !n.chars().all(|c| c.is_alphanumeric() || c == '_')
            || n.starts_with(|c: char| c.is_ascii_digit())
    }) {
        bail!(
            "{}: `{key}`: `{bad}` is not a Python name (give the name the function is called by)",
            path.display()
        );
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).expect("mkdir");
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    #[test]
    fn reads_wrapper_families() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let p = write(
            tmp.path(),
            "backpop.toml",
            "wrapper-families = [\n  { relationship = \"app.orm.relationship\", backref = \"app.orm.backref\" },\n  { relationship = \"lib.relationship\", backref = \"lib.backref\", string-backref = \"family\" },\n]\n",
        );
        let Here::Config(s) = load(&p, false).expect("loads") else {
            panic!("has a table")
        };
        assert_eq!(s.families.len(), 2);
        assert_eq!(s.families[0].relationship, "app.orm.relationship");
        assert_eq!(s.families[0].plain_backref, None);
        assert_eq!(s.families[1].plain_backref, Some(PlainBackref::Family));
        for bad in [
            "wrapper-families = [{ relationship = \"relationship\", backref = \"lib.backref\" }]",
            "wrapper-families = [{ relationship = \"lib.relationship\" }]",
            "wrapper-families = [{ relationship = \"lib.r\", backref = \"lib.b\", string-backref = \"yes\" }]",
            "wrapper-families = [{ relationship = \"lib.r\", backref = \"lib.b\", query-class = \"x\" }]",
            "wrapper-families = \"lib\"",
        ] {
            let p = write(tmp.path(), "backpop.toml", bad);
            assert!(load(&p, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_keys_and_rejects_unknown_ones() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let p = write(
            tmp.path(),
            "pyproject.toml",
            "[tool.ruff]\nline-length = 100\n[tool.backpop]\ntyped = \"never\"\nextend-exclude = [\"legacy\"]\nextra-relationship-names = [\"rel\"]\n",
        );
        let Here::Config(s) = load(&p, false).expect("loads") else {
            panic!("has a table")
        };
        assert_eq!(s.line_length, 100);
        assert_eq!(s.typed, Typed::Never);
        assert_eq!(s.extra_relationship_names, ["rel"]);
        let r = &s.root;
        assert!(s.excludes(&r.join("app/legacy"), r));
        assert!(s.excludes(&r.join("build"), r));
        assert!(!s.excludes(&r.join("app/models.py"), r));
        // A directory named on the command line is walked even if excluded.
        assert!(!s.excludes(&r.join("build"), &r.join("build")));
        assert!(!s.excludes(&r.join("build/models.py"), &r.join("build")));
        assert!(s.excludes(&r.join("build/dist"), &r.join("build")));
        // The defaults are relative to the walk: a `build` above it does not count.
        let d = Settings::default();
        assert!(!d.excludes(
            Path::new("/home/build/app/m.py"),
            Path::new("/home/build/app")
        ));
        assert!(d.excludes(
            Path::new("/home/build/app/venv"),
            Path::new("/home/build/app")
        ));
        let bad = write(tmp.path(), "backpop.toml", "line-lenght = 90\n");
        let e = load(&bad, true).expect_err("unknown key");
        assert!(
            format!("{e:#}").contains("unknown key `line-lenght`"),
            "{e:#}"
        );
        assert!(format!("{e:#}").contains("backpop.toml"), "{e:#}");
        let bad = write(tmp.path(), "backpop.toml", "typed = \"sometimes\"\n");
        let e = load(&bad, true).expect_err("bad value");
        assert!(format!("{e:#}").contains("`typed` must be"), "{e:#}");
    }

    #[test]
    fn the_closest_configuration_applies() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(tmp.path()).expect("canonical");
        write(
            &root,
            "pyproject.toml",
            "[tool.backpop]\nline-length = 100\n",
        );
        write(&root.join("svc"), "backpop.toml", "line-length = 120\n");
        write(
            &root.join("lib"),
            "pyproject.toml",
            "[project]\nname = \"lib\"\n",
        );
        write(
            &root.join("lib/fmt"),
            "pyproject.toml",
            "[tool.black]\nline-length = 79\n",
        );
        let r = Resolver::new(Source::Discover).expect("resolver");
        let at = |p: &str| {
            r.for_path(&root.join(p), false)
                .expect("settings")
                .line_length
        };
        assert_eq!(at("a/models.py"), 100);
        assert_eq!(at("svc/app/models.py"), 120);
        assert_eq!(
            at("lib/models.py"),
            100,
            "a pyproject.toml without [tool.backpop] is passed over"
        );
        assert_eq!(
            at("lib/fmt/models.py"),
            100,
            "the backpop configuration above decides"
        );
        let alone = tempfile::tempdir().expect("tempdir");
        let alone = std::fs::canonicalize(alone.path()).expect("canonical");
        write(&alone, "pyproject.toml", "[tool.black]\nline-length = 79\n");
        assert_eq!(
            r.for_path(&alone.join("m.py"), false)
                .expect("s")
                .line_length,
            79,
            "no backpop configuration: the formatter's line length"
        );
        let isolated = Resolver::new(Source::Isolated).expect("resolver");
        assert_eq!(
            isolated
                .for_path(&root.join("svc/m.py"), false)
                .expect("s")
                .line_length,
            88
        );
    }
}
