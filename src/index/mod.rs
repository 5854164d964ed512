//! The whole-tree index: module names, classes, name lookup and target resolution.
//!
//! Built once from every file's facts, before any pairing is planned. It answers
//! "which class does this name mean here" the way Python and SQLAlchemy's
//! registry would, and says so when it cannot tell (ambiguous or missing); it
//! never picks one of several candidates by guessing.

mod demand;
mod family;
mod made;
pub use family::Member;
pub use made::Made;

pub use demand::Demand;
mod hierarchy;
mod names;
mod order;
mod registry;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::codegen::Style;
use crate::facts::{
    Binding, BindingKind, ClassFact, FactoryArg, FileFacts, MappingFact, TargetArg,
};
use crate::select::{Classes, Scan};

/// A class: its file, and its index among that file's classes. Ordered by
/// file, then class, which sorting and dedup of candidates rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassId {
    pub file: usize,
    pub class: usize,
}

impl ClassId {
    pub fn new(file: usize, class: usize) -> Self {
        ClassId { file, class }
    }
}

/// An imperative mapping (`registry.map_imperatively(...)`, `mapper(...)`): its
/// file, and its index among that file's mappings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MappingId {
    pub file: usize,
    pub mapping: usize,
}

impl MappingId {
    pub fn new(file: usize, mapping: usize) -> Self {
        MappingId { file, mapping }
    }
}

/// A module-level binding: its file, and its index among that file's bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingId {
    pub file: usize,
    pub binding: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    Class(ClassId),
    Module(String),
    /// A module-level binding of a file.
    Binding(BindingId),
    /// A name imported from a module outside the tree.
    External {
        module: String,
        name: Option<String>,
    },
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Class(ClassId),
    Ambiguous(Vec<ClassId>),
    Missing,
}

/// A file's relationships by attribute name, then owner.
type RelationshipsByAttr<'a> = HashMap<&'a str, HashMap<&'a crate::facts::Owner, Vec<usize>>>;

pub struct Index<'a> {
    /// Each file's facts (the check's view of the rewritten tree borrows
    /// the unchanged files' facts from the workspace).
    pub files: Vec<&'a FileFacts>,
    /// The module name of each file, and the tables derived from them.
    pub modules: std::rc::Rc<Modules>,
    by_name: HashMap<String, Vec<ClassId>>,
    /// Per file and class, its registry key (see [`Index::root`]), computed on
    /// first use; `None` for a file whose classes are not indexed.
    roots: Vec<Option<Vec<std::cell::OnceCell<Option<String>>>>>,
    /// `imports_transitively` per file, computed on first use.
    /// Shared by the indexes of a run that parses on demand (see
    /// [`Index::with_demand`]).
    reach: std::rc::Rc<Reach>,
    /// Per package `__init__` file, the order its import walk runs module-level
    /// mappings in (see [`Index::runs_before`]), on first use.
    order: std::cell::RefCell<HashMap<usize, Option<std::rc::Rc<order::Steps>>>>,
    /// The indexed classes that list each class as a base, on first use.
    children: std::cell::OnceCell<HashMap<ClassId, Vec<ClassId>>>,
    /// Per file, what each name of a scope binds: its last class, binding and
    /// import there (looked up in that order).
    names: Vec<std::cell::OnceCell<HashMap<(usize, &'a str), ScopeNames>>>,
    /// Per file, its classes that are not nested in another class, by name
    /// (in source order), on first use.
    classes_by_name: Vec<std::cell::OnceCell<HashMap<&'a str, Vec<usize>>>>,
    /// Per file, its relationships by owner and attribute name (in source
    /// order), on first use.
    relationships_by_attr: Vec<std::cell::OnceCell<RelationshipsByAttr<'a>>>,
    /// The relationships assigned to a name from outside a class body
    /// (`Post.author = relationship(...)`), by attribute, as (file,
    /// relationship) in file and source order; on first use.
    assigned_by_attr: std::cell::OnceCell<HashMap<&'a str, Vec<(usize, usize)>>>,
    /// [`Index::binding_places`] by (file, name, outside functions only).
    binding_places: std::cell::RefCell<HashMap<(usize, String, bool), Option<usize>>>,
    /// Per file, its [`Style`], measured on first use.
    styles: Vec<std::cell::OnceCell<Style>>,
    metadata_schema: bool,
    /// In a run that parses files as they are needed: which are parsed, and
    /// which the index asked for (see [`Demand`]).
    demand: Option<Demand<'a>>,
}

/// [`Index::imports_transitively`] per file, computed on first use.
pub type Reach = std::cell::RefCell<HashMap<usize, std::rc::Rc<HashSet<usize>>>>;

/// The module name of every file of the tree (see [`module_names`]) and what
/// is derived from them alone: built once, shared by the indexes of a run.
pub struct Modules {
    names: Vec<String>,
    /// Files per module name; several when services of a monorepo reuse a package name.
    by_module: HashMap<String, Vec<usize>>,
    /// The directory each file's module name is relative to.
    source_roots: Vec<PathBuf>,
    /// Every proper prefix of a module name of the tree (its packages).
    packages: HashSet<String>,
    /// The configuration that applies to each file (empty: the defaults).
    settings: Vec<std::sync::Arc<crate::config::Settings>>,
}

impl Modules {
    pub fn new(names: Vec<String>, source_roots: Vec<PathBuf>) -> Self {
        let mut by_module: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in names.iter().enumerate() {
            by_module.entry(m.clone()).or_default().push(i);
        }
        let packages = names
            .iter()
            .flat_map(|m| m.match_indices('.').map(|(i, _)| m[..i].to_string()))
            .collect();
        Modules {
            names,
            by_module,
            source_roots,
            packages,
            settings: Vec::new(),
        }
    }

    /// The configuration of each file (by index).
    pub fn with_settings(mut self, settings: Vec<std::sync::Arc<crate::config::Settings>>) -> Self {
        self.settings = settings;
        self
    }
}

impl std::ops::Index<usize> for Modules {
    type Output = String;
    /// The module name of file `fi`.
    fn index(&self, fi: usize) -> &String {
        &self.names[fi]
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct ScopeNames {
    class: Option<usize>,
    binding: Option<usize>,
    import: Option<usize>,
}

/// The name table of one file (see `Index::names`).
fn scope_names(f: &FileFacts) -> HashMap<(usize, &str), ScopeNames> {
    let mut out: HashMap<(usize, &str), ScopeNames> = HashMap::new();
    for (ci, c) in f.classes.iter().enumerate() {
        if !c.nested {
            out.entry((c.scope, c.name.as_str())).or_default().class = Some(ci);
        }
    }
    for (bi, b) in f.bindings.iter().enumerate() {
        out.entry((b.scope, b.name.as_str())).or_default().binding = Some(bi);
    }
    for (ii, i) in f.imports.iter().enumerate() {
        out.entry((i.scope, i.bound.as_str())).or_default().import = Some(ii);
    }
    out
}

/// The dotted module name of each file (given by its real path): its
/// directories up to the last one without `__init__.py`, and the directory
/// that name is relative to. A directory holding one of the files' own
/// `__init__.py` is a package without a probe; others are probed once.
pub fn module_names<'p>(paths: &[&'p Path]) -> Vec<(String, PathBuf)> {
    let mut package: HashMap<&'p Path, bool> = HashMap::new();
    for p in paths {
        if p.file_stem().is_some_and(|s| s == "__init__")
            && let Some(d) = p.parent()
        {
            package.insert(d, true);
        }
    }
    let mut is_package = |d: &'p Path| -> bool {
        *package
            .entry(d)
            .or_insert_with(|| d.join("__init__.py").is_file() || d.join("__init__.pyi").is_file())
    };
    // Per directory: its dotted package name ("" outside packages) and the
    // directory that name is relative to.
    let mut dirs: HashMap<&'p Path, (String, PathBuf)> = HashMap::new();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let Some(parent) = path.parent() else {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            out.push((stem.unwrap_or_default(), PathBuf::new()));
            continue;
        };
        if !dirs.contains_key(parent) {
            // The directories up to the first one already known or not a package.
            let mut chain = Vec::new();
            let mut d = Some(parent);
            let (mut name, root) = loop {
                match d {
                    Some(x) if dirs.contains_key(x) => break dirs[x].clone(),
                    Some(x) if is_package(x) && x.file_name().is_some() => {
                        chain.push(x);
                        d = x.parent();
                    }
                    Some(x) => break (String::new(), x.to_path_buf()),
                    None => break (String::new(), PathBuf::new()),
                }
            };
            if chain.is_empty() {
                dirs.insert(parent, (name, root));
            } else {
                for x in chain.into_iter().rev() {
                    let n = x
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default();
                    name = if name.is_empty() {
                        n.into_owned()
                    } else {
                        format!("{name}.{n}")
                    };
                    dirs.insert(x, (name.clone(), root.clone()));
                }
            }
        }
        let (package_name, root) = &dirs[parent];
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = match (package_name.is_empty(), stem == "__init__") {
            (_, true) => package_name.clone(),
            (true, false) => stem,
            (false, false) => format!("{package_name}.{stem}"),
        };
        out.push((name, root.clone()));
    }
    out
}

impl<'a> Index<'a> {
    pub fn build(files: Vec<&'a FileFacts>, modules: std::rc::Rc<Modules>) -> Self {
        let mut index = Index {
            names: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            classes_by_name: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            relationships_by_attr: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            styles: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            metadata_schema: files.iter().any(|f| f.metadata_schema),
            files,
            modules,
            by_name: HashMap::new(),
            roots: Vec::new(),
            reach: Default::default(),
            order: std::cell::RefCell::new(HashMap::new()),
            children: std::cell::OnceCell::new(),
            assigned_by_attr: Default::default(),
            binding_places: Default::default(),
            demand: None,
        };
        let mut by_name: HashMap<String, Vec<ClassId>> = HashMap::new();
        let mut roots = Vec::with_capacity(index.files.len());
        for (fi, f) in index.files.iter().enumerate() {
            // A `.pyi` stub beside its `.py` module adds no classes of its own.
            if f.classes.is_empty() || index.module_file(fi, &index.modules[fi]) != Some(fi) {
                roots.push(None);
                continue;
            }
            roots.push(Some(
                f.classes
                    .iter()
                    .map(|_| std::cell::OnceCell::new())
                    .collect(),
            ));
            for (ci, c) in f.classes.iter().enumerate() {
                if !c.nested {
                    by_name
                        .entry(c.name.clone())
                        .or_default()
                        .push(ClassId::new(fi, ci));
                }
            }
        }
        index.by_name = by_name;
        index.roots = roots;
        index
    }

    /// The conventions of file `fi` (line ending, quotes measured once; the
    /// line length of its configuration).
    pub fn style(&self, fi: usize) -> Style {
        *self.styles[fi].get_or_init(|| Style {
            line_length: self.settings(fi).line_length,
            ..Style::measure(&self.files[fi].source)
        })
    }

    /// The configuration that applies to file `fi`.
    pub fn settings(&self, fi: usize) -> &crate::config::Settings {
        static DEFAULT: std::sync::LazyLock<crate::config::Settings> =
            std::sync::LazyLock::new(crate::config::Settings::default);
        self.modules.settings.get(fi).map_or(&DEFAULT, |s| s)
    }

    pub fn class(&self, id: ClassId) -> &'a ClassFact {
        &self.files[id.file].classes[id.class]
    }

    pub fn binding(&self, id: BindingId) -> &'a Binding {
        &self.files[id.file].bindings[id.binding]
    }

    /// Whether a `MetaData(schema=...)` in file `fi` or a module it imports may
    /// give the tables defined there a default schema (their keys are then not
    /// their bare names).
    pub fn metadata_schema_near(&self, fi: usize) -> bool {
        if !self.metadata_schema {
            return false;
        }
        let schema = |f: usize| {
            self.facts_if(f, |s| s.maybe_schema)
                .is_some_and(|facts| facts.metadata_schema)
        };
        // Every file is looked at (not `any`), so that all are asked for at once.
        let near = std::iter::once(fi)
            .chain(self.imports_transitively(fi).iter().copied())
            .filter(|&f| schema(f))
            .count();
        near > 0
    }

    /// Every file whose module name is `module` (several in a monorepo).
    pub fn module_files(&self, module: &str) -> &[usize] {
        self.modules
            .by_module
            .get(module)
            .map_or(&[], Vec::as_slice)
    }

    /// The file of `module` as seen from file `from`: a `.py` over its stub, the
    /// same source root over others; `None` if missing or not one file.
    pub fn module_file(&self, from: usize, module: &str) -> Option<usize> {
        let all = self.modules.by_module.get(module)?;
        let real: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&f| !self.files[f].stub)
            .collect();
        let pool = if real.is_empty() { all.clone() } else { real };
        if let [one] = pool.as_slice() {
            return Some(*one);
        }
        let mine: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&f| self.modules.source_roots.get(f) == self.modules.source_roots.get(from))
            .collect();
        match mine.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Whether a file is test code (`tests/` or `test/` directories, `test_*.py`,
    /// `*_test.py`, `conftest.py`).
    pub fn is_test_file(&self, fi: usize) -> bool {
        let path = &self.files[fi].path;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        name.starts_with("test_")
            || name.ends_with("_test.py")
            || name == "conftest.py"
            || path
                .components()
                .any(|c| matches!(c.as_os_str().to_str(), Some("tests" | "test" | "testing")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::extract;

    fn index_of(files: Vec<(&str, &str)>) -> (Vec<FileFacts>, Vec<String>) {
        let facts: Vec<FileFacts> = files
            .iter()
            .map(|(m, src)| extract(format!("{m}.py").into(), src.to_string(), false))
            .collect();
        let modules = files.iter().map(|(m, _)| m.to_string()).collect();
        (facts, modules)
    }

    fn build<'f>(facts: &'f [FileFacts], modules: Vec<String>) -> Index<'f> {
        let roots = vec![PathBuf::new(); modules.len()];
        Index::build(
            facts.iter().collect(),
            std::rc::Rc::new(Modules::new(modules, roots)),
        )
    }

    #[test]
    fn resolves_through_registry_roots() {
        let (facts, modules) = index_of(vec![
            ("a.base", "Base = declarative_base()\n"),
            (
                "a.models",
                "from a.base import Base\nclass User(Base):\n    pass\n",
            ),
            (
                "b.models",
                "Base = declarative_base()\nclass User(Base):\n    pass\nclass Order(Base):\n    pass\n",
            ),
        ]);
        let idx = build(&facts, modules);
        let order = ClassId::new(2, 1);
        assert_eq!(
            idx.resolve_class_string(2, 0, Some(order), "User"),
            Resolved::Class(ClassId::new(2, 0))
        );
        assert_eq!(idx.string_name(ClassId::new(1, 0)).as_deref(), Some("User"));
        assert_eq!(
            idx.resolve_class_string(2, 0, None, "a.models.User"),
            Resolved::Class(ClassId::new(1, 0))
        );
    }

    #[test]
    fn flask_models_share_the_db_registry() {
        let (facts, modules) = index_of(vec![
            ("app.ext", "db = SQLAlchemy()\n"),
            (
                "app.models",
                "from app.ext import db\nclass Store(Mixin, db.Model):\n    pass\n",
            ),
        ]);
        let idx = build(&facts, modules);
        assert_eq!(idx.root(ClassId::new(1, 0)), Some("0:0:db"));
    }

    #[test]
    fn same_registry_duplicates_are_ambiguous() {
        let (facts, modules) = index_of(vec![
            ("p.base", "Base = declarative_base()\n"),
            (
                "p.x",
                "from p.base import Base\nclass Tag(Base):\n    pass\n",
            ),
            (
                "p.y",
                "from p.base import Base\nclass Tag(Base):\n    pass\n",
            ),
            (
                "p.z",
                "from p.base import Base\nclass Post(Base):\n    pass\n",
            ),
        ]);
        let idx = build(&facts, modules);
        assert!(matches!(
            idx.resolve_class_string(3, 0, Some(ClassId::new(3, 0)), "Tag"),
            Resolved::Ambiguous(_)
        ));
        assert_eq!(
            idx.string_name(ClassId::new(1, 0)).as_deref(),
            Some("p.x.Tag")
        );
    }

    fn package(files: &[(&str, &str, &str)]) -> (Vec<FileFacts>, Vec<String>) {
        let facts = files
            .iter()
            .map(|(path, _, src)| extract(PathBuf::from(path), src.to_string(), false))
            .collect();
        (facts, files.iter().map(|(_, m, _)| m.to_string()).collect())
    }

    /// Module `p.a` runs `p.b` before mapping `A`; `p.b` maps `B`, then
    /// imports `p.a` back.
    const A_SRC: &str =
        "from sqlalchemy.orm import mapper\nimport p.b\nclass A: pass\nmapper(A, t)\n";
    const B_SRC: &str =
        "from sqlalchemy.orm import mapper\nclass B: pass\nmapper(B, t)\nfrom p import a\n";

    #[test]
    fn package_import_order_runs_mappings_in_walk_order() {
        let (facts, modules) = package(&[
            ("p/__init__.py", "p", "from p import a, b\n"),
            ("p/a.py", "p.a", A_SRC),
            ("p/b.py", "p.b", B_SRC),
        ]);
        let ix = build(&facts, modules);
        let at = |fi: usize| ix.files[fi].mappings[0].call_range.start;
        // __init__ starts a, whose first import runs b to its end first.
        assert_eq!(ix.runs_before((2, at(2)), (1, at(1))), Some(true));
        assert_eq!(ix.runs_before((1, at(1)), (2, at(2))), Some(false));
    }

    #[test]
    fn package_import_order_is_unknown_when_an_outside_module_starts_one() {
        let (facts, modules) = package(&[
            ("p/__init__.py", "p", "import hooks\nfrom p import a, b\n"),
            ("hooks.py", "hooks", "from p import b\n"),
            ("p/a.py", "p.a", A_SRC),
            ("p/b.py", "p.b", B_SRC),
        ]);
        let ix = build(&facts, modules);
        let at = |fi: usize| ix.files[fi].mappings[0].call_range.start;
        assert_eq!(ix.runs_before((3, at(3)), (2, at(2))), None);
    }

    #[test]
    fn a_function_local_does_not_rebind_a_module_name() {
        let (facts, modules) = index_of(vec![(
            "m",
            "from p import tag\n\ndef f(x):\n    tag = x\n    for tag in x:\n        pass\n",
        )]);
        let ix = build(&facts, modules);
        assert!(ix.module_name_bound_once(0, "tag", 1));
        assert!(!ix.only_called(0, "tag", 1));
        let (facts, modules) = index_of(vec![(
            "m",
            "from p import tag\n\ndef f(x):\n    global tag\n    tag = x\n",
        )]);
        assert!(!build(&facts, modules).module_name_bound_once(0, "tag", 1));
        let (facts, modules) = index_of(vec![("m", "from p import tag\nfor tag in (): pass\n")]);
        assert!(!build(&facts, modules).module_name_bound_once(0, "tag", 1));
    }
}
