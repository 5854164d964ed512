//! The whole-tree index: module names, classes, name lookup and target resolution.
//!
//! Built once from every file's facts, before any pairing is planned. It answers
//! "which class does this name mean here" the way Python and SQLAlchemy's
//! registry would, and says so when it cannot tell (ambiguous or missing); it
//! never picks one of several candidates by guessing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::codegen::Style;
use crate::facts::{BindingKind, ClassFact, FileFacts, MappingFact, TargetArg};
use crate::select::{Classes, Scan};

/// A class: (file index, class index in that file).
pub type ClassId = (usize, usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    Class(ClassId),
    Module(String),
    /// A module-level binding of a file: (file, binding index).
    Binding(usize, usize),
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

pub struct Index<'a> {
    pub files: &'a [FileFacts],
    /// The module name of each file, and the tables derived from them.
    pub modules: std::rc::Rc<Modules>,
    by_name: HashMap<String, Vec<ClassId>>,
    /// Per file and class, its registry key (see [`Index::root`]), computed on
    /// first use; `None` for a file whose classes are not indexed.
    roots: Vec<Option<Vec<std::cell::OnceCell<Option<String>>>>>,
    /// `imports_transitively` per file, computed on first use.
    reach: std::cell::RefCell<HashMap<usize, std::rc::Rc<HashSet<usize>>>>,
    /// The indexed classes that list each class as a base, on first use.
    children: std::cell::OnceCell<HashMap<ClassId, Vec<ClassId>>>,
    /// Per file, what each name of a scope binds: its last class, binding and
    /// import there (looked up in that order).
    names: Vec<std::cell::OnceCell<HashMap<(usize, &'a str), ScopeNames>>>,
    /// Per file, its [`Style`], measured on first use.
    styles: Vec<std::cell::OnceCell<Style>>,
    metadata_schema: bool,
    /// In a run that parses files as they are needed: which are parsed, and
    /// which the index asked for (see [`Demand`]).
    demand: Option<Demand<'a>>,
}

/// A run parses the files that mention `backref`, then plans with an index
/// that records every file a question needed and finds unparsed: a name looked
/// up there, the classes of a name (string targets, registry clashes), the
/// classes that may inherit from a class (found by the last name of their
/// bases in the bytes of every file), the mappings and `MetaData(schema=...)`
/// calls of the modules a file imports, the relationships of a name assigned
/// to a class from outside it. Those are parsed and the plan made
/// again, until a plan asks for nothing new: it then read only parsed files,
/// so it is the plan of a run that parsed the whole tree (`tests/on_demand.rs`
/// compares the two). The name-clash check asks for the files that may assign
/// a relationship of its name from outside a class (`Post.author =
/// relationship(...)`).
pub struct Demand<'a> {
    parsed: &'a [bool],
    scans: &'a [Scan],
    classes: &'a Classes<'a>,
    wanted: std::cell::RefCell<std::collections::BTreeSet<usize>>,
    /// (file, name) pairs already followed along import statements.
    followed: std::cell::RefCell<HashSet<(usize, String)>>,
    /// Set while building the table of subclasses from every parsed class:
    /// its lookups ask for nothing (the classes that may matter are asked
    /// for by name in [`Index::descendants`]).
    quiet: std::cell::Cell<bool>,
}

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
    pub fn build(files: &'a [FileFacts], modules: std::rc::Rc<Modules>) -> Self {
        let mut index = Index {
            files,
            modules,
            by_name: HashMap::new(),
            roots: Vec::new(),
            reach: std::cell::RefCell::new(HashMap::new()),
            children: std::cell::OnceCell::new(),
            names: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            styles: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            metadata_schema: files.iter().any(|f| f.metadata_schema),
            demand: None,
        };
        let mut by_name: HashMap<String, Vec<ClassId>> = HashMap::new();
        let mut roots = Vec::with_capacity(files.len());
        for (fi, f) in files.iter().enumerate() {
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
                    by_name.entry(c.name.clone()).or_default().push((fi, ci));
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
        &self.files[id.0].classes[id.1]
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

    /// Files that file `fi` imports, directly or not (within the tree), including
    /// the packages (`__init__`) of every module on the way.
    pub fn imports_transitively(&self, fi: usize) -> std::rc::Rc<HashSet<usize>> {
        if let Some(done) = self.reach.borrow().get(&fi) {
            return done.clone();
        }
        let seen = std::rc::Rc::new(self.reach_of(fi));
        self.reach.borrow_mut().insert(fi, seen.clone());
        seen
    }

    /// Parse on demand: `parsed` says which of the files have facts, `scans`
    /// what the byte scan saw in each (see [`Demand`]).
    pub fn with_demand(
        mut self,
        parsed: &'a [bool],
        scans: &'a [Scan],
        classes: &'a Classes<'a>,
    ) -> Self {
        self.metadata_schema |= scans.iter().zip(parsed).any(|(s, &p)| !p && s.maybe_schema);
        self.demand = Some(Demand {
            parsed,
            scans,
            classes,
            wanted: Default::default(),
            followed: Default::default(),
            quiet: Default::default(),
        });
        self
    }

    /// The unparsed files the questions asked so far needed, in order.
    pub fn wanted(&self) -> Vec<usize> {
        self.demand
            .as_ref()
            .map(|d| d.wanted.borrow().iter().copied().collect())
            .unwrap_or_default()
    }

    /// Whether the facts of file `fi` are here. If not (a run that parses on
    /// demand), the file is wanted, and with `name`, what was looked up
    /// there, so are the files its import statements lead that name to.
    fn have(&self, fi: usize, name: Option<&str>) -> bool {
        let Some(d) = &self.demand else {
            return true;
        };
        if d.parsed[fi] {
            return true;
        }
        // Asks for nothing while quiet (see `want`).
        self.want(fi, name, 0);
        false
    }

    /// Ask for file `fi`, and follow `name` along the module-level imports the
    /// byte scan saw there (`from m import name`, and the bases of a class
    /// `name`): files a later lookup would enter are parsed in the same round
    /// instead of one round per hop. Parsed files are followed too, unparsed
    /// ones asked for.
    fn want(&self, fi: usize, name: Option<&str>, depth: usize) {
        let Some(d) = &self.demand else {
            return;
        };
        if d.quiet.get() {
            return;
        }
        if !d.parsed[fi] {
            d.wanted.borrow_mut().insert(fi);
        }
        let Some(name) = name else {
            return;
        };
        if depth > 8 || !d.followed.borrow_mut().insert((fi, name.to_string())) {
            return;
        }
        let scan = &d.scans[fi];
        for (written, names) in &scan.imports {
            if !names.iter().any(|n| n == name) {
                continue;
            }
            let module = self.absolute_module(fi, written);
            for &mf in self.module_files(&format!("{module}.{name}")) {
                self.want(mf, None, depth + 1);
            }
            for &mf in self.module_files(&module) {
                self.want(mf, Some(name), depth + 1);
            }
        }
        for (_, bases) in scan.classes.iter().filter(|(c, _)| c == name) {
            for b in bases {
                self.want(fi, Some(b), depth + 1);
            }
        }
    }

    /// The facts of file `f` if they may hold what `maybe` looks for in its
    /// bytes; an unparsed file that may is asked for (and gives `None`).
    fn facts_if(&self, f: usize, maybe: impl Fn(&Scan) -> bool) -> Option<&'a FileFacts> {
        match &self.demand {
            Some(d) if !d.parsed[f] => {
                if maybe(&d.scans[f]) {
                    self.want(f, None, 0);
                }
                None
            }
            _ => Some(&self.files[f]),
        }
    }

    /// The imperative mappings of file `f` (asked for when not parsed).
    pub fn mappings_of(&self, f: usize) -> &'a [MappingFact] {
        self.facts_if(f, |s| s.maybe_mapping)
            .map_or(&[], |facts| facts.mappings.as_slice())
    }

    /// What importing file `f` runs first: its module-level imports, as
    /// (module, imported name); in a run, from the byte scan of every file
    /// (parsed or not).
    fn runs(&self, f: usize) -> Vec<(String, Option<String>)> {
        let scanned = self.demand.as_ref().map(|d| d.scans[f].imports.as_slice());
        match scanned {
            Some(imports) => imports
                .iter()
                .flat_map(|(m, names)| {
                    if names.is_empty() {
                        vec![(m.clone(), None)]
                    } else {
                        names.iter().map(|n| (m.clone(), Some(n.clone()))).collect()
                    }
                })
                .collect(),
            None => self.files[f]
                .imports
                .iter()
                .filter(|i| i.scope == 0 && !i.type_checking)
                .map(|i| (i.module.clone(), i.name.clone()))
                .collect(),
        }
    }

    fn reach_of(&self, fi: usize) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut stack = vec![fi];
        while let Some(f) = stack.pop() {
            if !seen.insert(f) {
                continue;
            }
            for (written, name) in self.runs(f) {
                let module = self.absolute_module(f, &written);
                let mut targets = vec![module.clone()];
                if let Some(name) = &name {
                    targets.push(format!("{module}.{name}"));
                }
                // Importing `a.b.c` runs `a` and `a.b` first.
                let parts: Vec<&str> = module.split('.').collect();
                for i in 1..parts.len() {
                    targets.push(parts[..i].join("."));
                }
                for t in targets {
                    if let Some(tf) = self.module_file(f, &t) {
                        stack.push(tf);
                    }
                }
            }
        }
        seen
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

    /// Absolute module of an import written in file `fi`.
    pub fn absolute_module(&self, fi: usize, module: &str) -> String {
        let level = module.chars().take_while(|&c| c == '.').count();
        if level == 0 {
            return module.to_string();
        }
        let me = &self.modules[fi];
        let is_pkg = self.files[fi]
            .path
            .file_stem()
            .is_some_and(|s| s == "__init__");
        let mut parts: Vec<&str> = me.split('.').filter(|s| !s.is_empty()).collect();
        if !is_pkg {
            parts.pop();
        }
        for _ in 1..level {
            parts.pop();
        }
        let rest = &module[level..];
        if !rest.is_empty() {
            parts.push(rest);
        }
        parts.join(".")
    }

    /// What a module-level name means in file `fi`.
    pub fn lookup(&self, fi: usize, name: &str) -> Symbol {
        self.lookup_depth(fi, 0, name, 0)
    }

    /// What a name means in function scope `scope` of file `fi` (enclosing scopes, then the module).
    pub fn lookup_in(&self, fi: usize, scope: usize, name: &str) -> Symbol {
        self.lookup_depth(fi, scope, name, 0)
    }

    fn lookup_depth(&self, fi: usize, scope: usize, name: &str, depth: usize) -> Symbol {
        if depth > 8 || !self.have(fi, Some(name)) {
            return Symbol::Unknown;
        }
        let f = &self.files[fi];
        let mut s = scope;
        let imp = loop {
            let table = self.names[fi].get_or_init(|| scope_names(&self.files[fi]));
            if let Some(entry) = table.get(&(s, name)) {
                if let Some(ci) = entry.class {
                    return Symbol::Class((fi, ci));
                }
                if let Some(bi) = entry.binding {
                    return Symbol::Binding(fi, bi);
                }
                if let Some(ii) = entry.import {
                    break &f.imports[ii];
                }
            }
            if s == 0 {
                return Symbol::Unknown;
            }
            s = f.scopes.get(s).map_or(0, |sc| sc.parent);
        };
        let module = self.absolute_module(fi, &imp.module);
        match &imp.name {
            None => {
                // `import a.b` binds `a`; `import a.b as c` binds `a.b`.
                let m = if imp.bound == module.split('.').next().unwrap_or_default() {
                    module.split('.').next().unwrap_or_default().to_string()
                } else {
                    module
                };
                self.module_symbol(&m)
            }
            Some(imported) => {
                let sub = format!("{module}.{imported}");
                if self.modules.by_module.contains_key(&sub) {
                    return Symbol::Module(sub);
                }
                match self.module_file(fi, &module) {
                    Some(mfi) => self.lookup_depth(mfi, 0, imported, depth + 1),
                    None if self.is_tree_package(&module) => Symbol::Unknown,
                    None => Symbol::External {
                        module,
                        name: Some(imported.clone()),
                    },
                }
            }
        }
    }

    fn is_tree_package(&self, module: &str) -> bool {
        self.modules.packages.contains(module)
    }

    fn module_symbol(&self, module: &str) -> Symbol {
        if self.modules.by_module.contains_key(module) || self.is_tree_package(module) {
            Symbol::Module(module.to_string())
        } else {
            Symbol::External {
                module: module.to_string(),
                name: None,
            }
        }
    }

    /// What `a.b.c` means at module level in file `fi`.
    pub fn lookup_dotted(&self, fi: usize, parts: &[String]) -> Symbol {
        self.lookup_dotted_in(fi, 0, parts)
    }

    /// What `a.b.c` means in function scope `scope` of file `fi`.
    pub fn lookup_dotted_in(&self, fi: usize, scope: usize, parts: &[String]) -> Symbol {
        let Some((head, rest)) = parts.split_first() else {
            return Symbol::Unknown;
        };
        let mut sym = self.lookup_in(fi, scope, head);
        for part in rest {
            sym = match sym {
                Symbol::Module(m) => {
                    let sub = format!("{m}.{part}");
                    if self.modules.by_module.contains_key(&sub) || self.is_tree_package(&sub) {
                        Symbol::Module(sub)
                    } else {
                        match self.module_file(fi, &m) {
                            Some(mfi) => self.lookup(mfi, part),
                            None => Symbol::Unknown,
                        }
                    }
                }
                Symbol::External { module, name } => Symbol::External {
                    module: match name {
                        Some(n) => format!("{module}.{n}"),
                        None => module,
                    },
                    name: Some(part.clone()),
                },
                _ => return Symbol::Unknown,
            };
        }
        sym
    }

    fn base_classes(&self, cid: ClassId) -> Vec<ClassId> {
        self.class(cid)
            .bases
            .iter()
            .filter_map(
                |b| match self.lookup_dotted_in(cid.0, self.class(cid).scope, b) {
                    Symbol::Class(c) if c != cid => Some(c),
                    _ => None,
                },
            )
            .collect()
    }

    /// A key naming the declarative registry of a class, when it can be traced.
    pub fn root(&self, cid: ClassId) -> Option<&str> {
        if self.files[cid.0].classes[cid.1].nested {
            return None;
        }
        let cell = self.roots.get(cid.0)?.as_ref()?.get(cid.1)?;
        cell.get_or_init(|| self.compute_root(cid, &mut HashSet::new()))
            .as_deref()
    }

    fn compute_root(&self, cid: ClassId, seen: &mut HashSet<ClassId>) -> Option<String> {
        if !seen.insert(cid) {
            return None;
        }
        let class = self.class(cid);
        let me = Self::class_key(cid);
        if class
            .decorators
            .iter()
            .any(|d| d.starts_with("as_declarative") || d.ends_with("as_declarative()"))
        {
            return Some(me);
        }
        if let Some(d) = class.decorators.iter().find(|d| d.ends_with(".mapped")) {
            return Some(format!("{}:{}", cid.0, d.trim_end_matches(".mapped")));
        }
        for base in &class.bases {
            // `db.Model`: the registry is the Flask-SQLAlchemy instance `db`.
            let sym = match base.as_slice() {
                [.., last] if last == "Model" && base.len() >= 2 => {
                    self.lookup_dotted_in(cid.0, class.scope, &base[..base.len() - 1])
                }
                _ => self.lookup_dotted_in(cid.0, class.scope, base),
            };
            match sym {
                Symbol::Class(parent) => {
                    if let Some(r) = self.compute_root(parent, seen) {
                        return Some(r);
                    }
                }
                Symbol::Binding(bf, bi) => {
                    let b = &self.files[bf].bindings[bi];
                    // A base made inside a function is a new registry on every call.
                    let in_function = self.files[bf]
                        .scopes
                        .iter()
                        .skip(1)
                        .any(|s| s.range.contains(&b.offset));
                    if in_function {
                        return None;
                    }
                    let key = format!("{bf}:{}:{}", b.scope, b.name);
                    if b.kind == BindingKind::DeclarativeBase
                        || (base.last().is_some_and(|l| l == "Model") && self.is_flask_db(bf, bi))
                    {
                        return Some(key);
                    }
                }
                Symbol::External { name: Some(n), .. }
                    if matches!(n.as_str(), "DeclarativeBase" | "DeclarativeBaseNoMeta") =>
                {
                    return Some(me);
                }
                _ => {}
            }
        }
        None
    }

    /// Every class that inherits from `cid`, transitively.
    /// A file of the tree that calls `type(...)` with `name` among its
    /// arguments: it may make a subclass of that class at run time.
    pub fn type_call_naming(&self, name: &str) -> Option<&Path> {
        let d = self.demand.as_ref()?;
        d.classes
            .files_calling_type_with(name)
            .first()
            .map(|&f| self.files[f].path.as_path())
    }

    pub fn descendants(&self, cid: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut stack = vec![cid];
        let mut seen = HashSet::new();
        while let Some(c) = stack.pop() {
            self.want_subclasses_of(c);
            let children = self.children.get_or_init(|| {
                let quiet = self.demand.as_ref().map(|d| d.quiet.replace(true));
                let mut children: HashMap<ClassId, Vec<ClassId>> = HashMap::new();
                for &cid in self.by_name.values().flatten() {
                    for parent in self.base_classes(cid) {
                        children.entry(parent).or_default().push(cid);
                    }
                }
                if let (Some(d), Some(q)) = (&self.demand, quiet) {
                    d.quiet.set(q);
                }
                children
            });
            for &child in children.get(&c).map(Vec::as_slice).unwrap_or_default() {
                if seen.insert(child) {
                    out.push(child);
                    stack.push(child);
                }
            }
        }
        out
    }

    /// In a run that parses on demand: the classes that may list class `c` as
    /// a base (by the byte scan: a base whose last name, or the name it was
    /// imported under, is `c`'s) are asked for, and the bases of the parsed
    /// ones resolved, asking for the files on the way.
    fn want_subclasses_of(&self, c: ClassId) {
        let Some(d) = &self.demand else {
            return;
        };
        let name = self.class(c).name.as_str();
        for &f in d.classes.files_subclassing(name) {
            let subs = d.scans[f]
                .classes
                .iter()
                .filter(|(_, bases)| bases.iter().any(|b| b == name))
                .map(|(sub, _)| sub.as_str());
            if !d.parsed[f] {
                for sub in subs {
                    self.want(f, Some(sub), 0);
                }
                continue;
            }
            if self.roots.get(f).is_none_or(Option::is_none) {
                continue;
            }
            for sub in subs {
                for (ci, k) in self.files[f].classes.iter().enumerate() {
                    if !k.nested && k.name == sub {
                        self.base_classes((f, ci));
                    }
                }
            }
        }
    }

    /// In a run that parses on demand: the files that may assign a
    /// relationship named `name` to one of the classes `owners` from outside
    /// it are asked for.
    pub fn want_assignments_of(&self, name: &str, owners: &[ClassId]) {
        let Some(d) = &self.demand else {
            return;
        };
        for &(owner, f) in d.classes.files_assigning(name) {
            if owners.iter().any(|&c| self.class(c).name == owner) {
                self.have(f, None);
            }
        }
    }

    /// Whether binding `bi` of file `bf` is a Flask-SQLAlchemy extension object
    /// (`db = SQLAlchemy(app)`, or an instance of a subclass of it in the tree
    /// that does not redefine `relationship` or `backref`).
    pub fn is_flask_db(&self, bf: usize, bi: usize) -> bool {
        let b = &self.files[bf].bindings[bi];
        let class = match &b.kind {
            BindingKind::FlaskSqlAlchemy => return true,
            BindingKind::Instance(callee) => match self.lookup_dotted_in(bf, b.scope, callee) {
                Symbol::Class(c) => c,
                _ => return false,
            },
            _ => return false,
        };
        let chain: Vec<ClassId> = std::iter::once(class)
            .chain(self.ancestors(class))
            .collect();
        let overrides = chain.iter().any(|&c| {
            self.class(c).members.iter().any(|m| {
                m.names.iter().any(|n| {
                    matches!(
                        n.as_str(),
                        "relationship" | "relation" | "dynamic_loader" | "backref"
                    )
                })
            })
        });
        let from_flask = chain.iter().any(|&c| {
            let k = self.class(c);
            k.bases
                .iter()
                .any(|base| match self.lookup_dotted_in(c.0, k.scope, base) {
                    Symbol::External {
                        module,
                        name: Some(n),
                    } => module.starts_with("flask_sqlalchemy") && n == "SQLAlchemy",
                    Symbol::External { module, name: None } => {
                        module == "flask_sqlalchemy.SQLAlchemy"
                    }
                    _ => false,
                })
        });
        from_flask && !overrides
    }

    /// Every class `cid` inherits from, transitively (within the tree).
    pub fn ancestors(&self, cid: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut stack = vec![cid];
        let mut seen = HashSet::new();
        while let Some(c) = stack.pop() {
            for parent in self.base_classes(c) {
                if seen.insert(parent) {
                    out.push(parent);
                    stack.push(parent);
                }
            }
        }
        out
    }

    /// Classes of this name in the tree.
    pub fn classes_named(&self, name: &str) -> &[ClassId] {
        if let Some(d) = &self.demand {
            for &f in d.classes.files_defining(name) {
                self.have(f, Some(name));
            }
        }
        self.by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Resolve a relationship target written in file `fi` (class `from` when known).
    pub fn resolve_target(
        &self,
        fi: usize,
        scope: usize,
        from: Option<ClassId>,
        target: &TargetArg,
    ) -> Resolved {
        let resolved = self.resolve_target_once(fi, scope, from, target);
        // A class defined twice in one scope (both branches of an `if`): which one runs
        // is decided at run time.
        if let Resolved::Class(c) = resolved {
            let class = self.class(c);
            let twins: Vec<ClassId> = self.files[c.0]
                .classes
                .iter()
                .enumerate()
                .filter(|(_, k)| !k.nested && k.scope == class.scope && k.name == class.name)
                .map(|(i, _)| (c.0, i))
                .collect();
            if twins.len() > 1 {
                return Resolved::Ambiguous(twins);
            }
        }
        resolved
    }

    fn resolve_target_once(
        &self,
        fi: usize,
        scope: usize,
        from: Option<ClassId>,
        target: &TargetArg,
    ) -> Resolved {
        match target {
            TargetArg::Str(s) => self.resolve_class_string(fi, scope, from, s),
            TargetArg::Name(d) | TargetArg::Lambda(d) => {
                match self.lookup_dotted_in(fi, scope, d) {
                    Symbol::Class(c) => Resolved::Class(c),
                    _ => Resolved::Missing,
                }
            }
            TargetArg::Absent | TargetArg::Other(_) => Resolved::Missing,
        }
    }

    /// Resolve a class name given as a string, as SQLAlchemy's registry would.
    pub fn resolve_class_string(
        &self,
        fi: usize,
        scope: usize,
        from: Option<ClassId>,
        s: &str,
    ) -> Resolved {
        let s = s.trim();
        if let Some((module, name)) = s.rsplit_once('.') {
            return match self.module_file(fi, module) {
                Some(mfi) if !self.have(mfi, Some(name)) => Resolved::Missing,
                Some(mfi) => {
                    let named: Vec<ClassId> = (self.files[mfi].classes.iter().enumerate())
                        .filter(|(_, c)| !c.nested && c.name == name)
                        .map(|(ci, _)| (mfi, ci))
                        .collect();
                    // Of several (models made per function, each with a
                    // registry of its own), the one of the asking class's
                    // registry.
                    let group = from.and_then(|c| self.registry_group(c));
                    let same: Vec<ClassId> = named
                        .iter()
                        .copied()
                        .filter(|&c| group.is_some() && self.registry_group(c) == group)
                        .collect();
                    match (same.as_slice(), named.last()) {
                        ([one], _) => Resolved::Class(*one),
                        (_, Some(last)) => Resolved::Class(*last),
                        (_, None) => Resolved::Missing,
                    }
                }
                None => Resolved::Missing,
            };
        }
        let mut candidates: Vec<ClassId> = self
            .classes_named(s)
            .iter()
            .copied()
            .filter(|&c| !self.certainly_unmapped(c))
            .collect();
        // Only classes in the same registry can be found by name.
        if let Some(root) = from.and_then(|c| self.root(c)) {
            let same: Vec<ClassId> = candidates
                .iter()
                .copied()
                .filter(|&c| self.root(c) == Some(root))
                .collect();
            if !same.is_empty() {
                candidates = same;
            } else {
                candidates.retain(|&c| self.root(c).is_none());
            }
        }
        match candidates.as_slice() {
            [] => return Resolved::Missing,
            [one] => return Resolved::Class(*one),
            _ => {}
        }
        // Several of one name: if they share a registry, SQLAlchemy itself could not choose.
        let roots: HashSet<Option<&str>> = candidates.iter().map(|&c| self.root(c)).collect();
        if roots.len() == 1 && !roots.contains(&None) {
            return Resolved::Ambiguous(candidates);
        }
        // The one visible from the source module: defined there, or imported.
        if let Symbol::Class(c) = self.lookup_in(fi, scope, s)
            && candidates.contains(&c)
        {
            return Resolved::Class(c);
        }
        // The one nearest in the package tree.
        let me: Vec<&str> = self.modules[fi].split('.').collect();
        let mut by_depth: BTreeMap<usize, Vec<ClassId>> = BTreeMap::new();
        for &c in &candidates {
            let theirs: Vec<&str> = self.modules[c.0].split('.').collect();
            let common = me
                .iter()
                .zip(theirs.iter())
                .take_while(|(a, b)| a == b)
                .count();
            by_depth.entry(common).or_default().push(c);
        }
        match by_depth.iter().next_back() {
            Some((&depth, best)) if depth > 0 && best.len() == 1 => Resolved::Class(best[0]),
            _ => Resolved::Ambiguous(candidates),
        }
    }

    /// The key of a class's declarative registry, for `root` keys of classes.
    pub fn class_key(cid: ClassId) -> String {
        format!("{}:c{}", cid.0, cid.1)
    }

    /// Which registry a class can be found in by name: its traced registry, else its
    /// function scope (a model built in a function has a registry of its own there),
    /// else unknown.
    fn registry_group(&self, cid: ClassId) -> Option<String> {
        if let Some(root) = self.root(cid) {
            return Some(root.to_string());
        }
        let scope = self.class(cid).scope;
        (scope != 0).then(|| format!("{}:s{scope}", cid.0))
    }

    /// Whether the class certainly is no mapped class a registry could find by name:
    /// it has no traced registry and no table anywhere in its chain (a plain class or
    /// mixin), or it is `__abstract__`.
    pub fn certainly_unmapped(&self, cid: ClassId) -> bool {
        if self.class(cid).abstract_ {
            return true;
        }
        if self.root(cid).is_some() {
            return false;
        }
        let chain: Vec<ClassId> = std::iter::once(cid).chain(self.ancestors(cid)).collect();
        let has_table = chain.iter().any(|&a| {
            let k = self.class(a);
            k.tablename.is_some()
                || k.members.iter().any(|m| {
                    m.names
                        .iter()
                        .any(|n| n == "__table__" || n == "__tablename__")
                })
        });
        if has_table {
            return false;
        }
        // Columns and a base from outside the tree (a declarative base of another
        // package, say `model_base.BASEV2`): possibly mapped, so not certainly unmapped.
        let has_columns = chain.iter().any(|&a| !self.class(a).columns.is_empty());
        let outside_base = chain.iter().any(|&a| {
            let k = self.class(a);
            k.opaque_bases > 0
                || k.bases.iter().any(|b| {
                    (b.len() > 1 || b[0] != "object")
                        && !matches!(self.lookup_dotted_in(a.0, k.scope, b), Symbol::Class(_))
                })
        });
        !(has_columns && outside_base)
    }

    /// How the class `cid` should be named in a string evaluated by its registry.
    /// `None` when the name is shared in the registry and the module path
    /// cannot name it either (a module file name that is no identifier, as in
    /// alembic's `2018-07-22_11-59_..._convert.py`).
    pub fn string_name(&self, cid: ClassId) -> Option<String> {
        let name = &self.class(cid).name;
        let mine = self.registry_group(cid);
        let clash = self.classes_named(name).iter().any(|&c| {
            c != cid
                && !self.certainly_unmapped(c)
                && match (&mine, self.registry_group(c)) {
                    (Some(a), Some(b)) => *a == b,
                    // A registry made in the tree (`Base = declarative_base()`) holds
                    // no class whose base comes from outside the tree.
                    (Some(_), None) => !self.outside_based(c),
                    (None, Some(_)) => !self.outside_based(cid),
                    (None, None) => true,
                }
        });
        if !clash || crate::guard::off("qualified-name") {
            return Some(name.clone());
        }
        let module = &self.modules[cid.0];
        let importable = !module.is_empty()
            && module.split('.').all(|p| {
                p.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && p.chars().all(|c| c.is_alphanumeric() || c == '_')
            });
        importable.then(|| format!("{module}.{name}"))
    }

    /// Whether a class untraced to a registry of the tree inherits from a class
    /// imported from outside the tree (Flask-AppBuilder's `Model`, say).
    fn outside_based(&self, cid: ClassId) -> bool {
        std::iter::once(cid).chain(self.ancestors(cid)).any(|c| {
            let k = self.class(c);
            k.bases.iter().any(|b| {
                matches!(
                    self.lookup_dotted_in(c.0, k.scope, b),
                    Symbol::External { .. }
                )
            })
        })
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
        Index::build(facts, std::rc::Rc::new(Modules::new(modules, roots)))
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
        let order = (2, 1);
        assert_eq!(
            idx.resolve_class_string(2, 0, Some(order), "User"),
            Resolved::Class((2, 0))
        );
        assert_eq!(idx.string_name((1, 0)).as_deref(), Some("User"));
        assert_eq!(
            idx.resolve_class_string(2, 0, None, "a.models.User"),
            Resolved::Class((1, 0))
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
        assert_eq!(idx.root((1, 0)), Some("0:0:db"));
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
            idx.resolve_class_string(3, 0, Some((3, 0)), "Tag"),
            Resolved::Ambiguous(_)
        ));
        assert_eq!(idx.string_name((1, 0)).as_deref(), Some("p.x.Tag"));
    }
}
