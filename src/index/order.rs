//! The order in which module-level statements of two files run, when a
//! package's `__init__` imports them both and the files import each other.
//!
//! Importing any module of a package runs the package's `__init__` first, so
//! the first module of package `P` to start is always `P/__init__`. From then
//! on, Python runs each module's top-level import statements in order and
//! skips a module already started (complete or not): the order of the
//! statements of `P`'s modules is that of a depth-first walk from
//! `P/__init__`, provided no module outside `P` starts one of `P`'s modules
//! (such a module may have been started before `P` by whatever imported `P`,
//! and then skipped, which the walk cannot know). The walk finds that case
//! and then answers nothing.
//!
//! Every file on the walk must be parsed: an import inside a top-level `if`
//! or `try` runs too, and only the parse sees it. A run that parses on demand
//! asks for the files and answers nothing until they are here.

use super::*;

/// When each module-level statement offset of interest ran, as a step of one
/// walk: `(file, offset)` to its step. Offsets are those of imperative
/// mappings at module level.
pub(super) type Steps = HashMap<(usize, usize), usize>;

impl Index<'_> {
    /// Whether the module-level statement at `first` (file, offset) has run
    /// before the one at `then` whenever `then` runs, by the import order of a
    /// package that contains both files and whose `__init__` runs them both.
    /// `None` when no such package gives a certain order.
    pub fn runs_before(&self, first: (usize, usize), then: (usize, usize)) -> Option<bool> {
        let a = self.modules[first.0].clone();
        let b = self.modules[then.0].clone();
        // The packages holding both modules, innermost first.
        let mut packages: Vec<String> = Vec::new();
        let mut p = a.as_str();
        while let Some((parent, _)) = p.rsplit_once('.') {
            if b.starts_with(&format!("{parent}.")) {
                packages.push(parent.to_string());
            }
            p = parent;
        }
        for package in packages {
            let Some(init) = self.module_file(first.0, &package) else {
                continue;
            };
            if self.files[init]
                .path
                .file_stem()
                .is_none_or(|s| s != "__init__")
            {
                continue;
            }
            let steps = self.package_steps(init, &package)?;
            if let (Some(x), Some(y)) = (steps.get(&first), steps.get(&then)) {
                return Some(x < y);
            }
        }
        None
    }

    /// The walk from package `package`'s `__init__` (file `init`), cached.
    fn package_steps(&self, init: usize, package: &str) -> Option<std::rc::Rc<Steps>> {
        if let Some(done) = self.order.borrow().get(&init) {
            return done.clone();
        }
        let steps = self.walk_package(init, package).map(std::rc::Rc::new);
        self.order.borrow_mut().insert(init, steps.clone());
        steps
    }

    fn walk_package(&self, init: usize, package: &str) -> Option<Steps> {
        let inside = |f: usize| {
            let m = &self.modules[f];
            m == package || m.starts_with(&format!("{package}."))
        };
        let mut started: HashSet<usize> = HashSet::new();
        let mut steps = Steps::new();
        let mut clock = 0usize;
        let mut complete = true;
        // Frames: the file, the files each of its import statements starts (in
        // order, with the statement's offset), the next one to run, and the
        // file's mapping offsets still to pass.
        struct Frame {
            file: usize,
            starts: Vec<(usize, usize)>,
            next: usize,
            marks: Vec<usize>,
        }
        let frame = |f: usize, complete: &mut bool| -> Frame {
            if !self.have(f, None) {
                *complete = false;
            }
            let mut marks: Vec<usize> = self
                .mappings_of(f)
                .iter()
                .filter(|m| m.scope == 0)
                .map(|m| m.call_range.start)
                .collect();
            marks.sort_unstable();
            marks.reverse();
            Frame {
                file: f,
                starts: if self.have(f, None) {
                    self.statement_starts(f)
                } else {
                    // Followed only to ask for every file of the walk at once.
                    self.scanned_starts(f)
                },
                next: 0,
                marks,
            }
        };
        if self.imports_unseen(init) {
            return None;
        }
        started.insert(init);
        let mut stack = vec![frame(init, &mut complete)];
        while let Some(top) = stack.last_mut() {
            let at = top.starts.get(top.next).map_or(usize::MAX, |s| s.0);
            while top.marks.last().is_some_and(|&m| m < at) {
                if let Some(m) = top.marks.pop() {
                    clock += 1;
                    steps.insert((top.file, m), clock);
                }
            }
            let Some(&(_, g)) = top.starts.get(top.next) else {
                stack.pop();
                continue;
            };
            top.next += 1;
            if !started.insert(g) {
                continue;
            }
            if !inside(top.file) && inside(g) {
                return None;
            }
            if self.have(g, None) && self.imports_unseen(g) {
                return None;
            }
            let next = frame(g, &mut complete);
            stack.push(next);
        }
        complete.then_some(steps)
    }

    /// Whether importing file `f` may import modules its import statements do
    /// not show: `importlib` or `__import__`, or a function holding an import
    /// statement that code outside functions calls.
    fn imports_unseen(&self, f: usize) -> bool {
        let facts = &self.files[f];
        let src = &facts.source;
        // A dynamic import of a module of the tree, or of one the text does
        // not name; `__import__('logging')` is harmless.
        let dynamic = ["import_module(", "__import__("].iter().any(|call| {
            src.match_indices(call).any(|(at, _)| {
                let arg = src[at + call.len()..].trim_start();
                let Some(q) = arg.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                    return true;
                };
                arg[1..]
                    .split(q)
                    .next()
                    .is_none_or(|m| m.starts_with('.') || self.defines_module(m))
            })
        });
        if dynamic {
            return true;
        }
        let in_function = |at: usize| facts.scopes.iter().skip(1).any(|sc| sc.range.contains(&at));
        facts.imports.iter().filter(|i| i.scope != 0).any(|i| {
            let Some(scope) = facts.scopes.get(i.scope) else {
                return true;
            };
            // The name of the function whose body this is.
            let head = &src[..scope.range.start];
            let Some(def) = head.rfind("def ") else {
                return true;
            };
            let name: String = head[def + 4..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let call = format!("{name}(");
            src.match_indices(&call).any(|(at, _)| {
                let before = src[..at].chars().next_back();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                    && !src[..at].ends_with("def ")
                    && !in_function(at)
            })
        })
    }

    /// The files each module-level import statement of file `f` starts, in
    /// the order they start: `import a.b` starts `a` then `a.b`; `from m
    /// import n` starts `m`'s packages, `m`, then `m.n` when it is a module.
    /// Each with its statement's offset. Imports under `TYPE_CHECKING` and
    /// inside functions do not run.
    fn statement_starts(&self, f: usize) -> Vec<(usize, usize)> {
        let facts = &self.files[f];
        let mut imports: Vec<(usize, &str, Option<&str>)> = facts
            .imports
            .iter()
            .filter(|i| i.scope == 0 && !i.type_checking)
            .map(|i| (i.stmt_range.start, i.module.as_str(), i.name.as_deref()))
            .collect();
        // `from m import *` binds no name the facts list, but runs `m`.
        let in_function = |at: usize| facts.scopes.iter().skip(1).any(|sc| sc.range.contains(&at));
        let mut at = 0;
        for line in facts.source.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let code = line.split('#').next().unwrap_or("").trim();
            if let Some(rest) = code.strip_prefix("from ")
                && let Some((module, names)) = rest.split_once(" import ")
                && names.trim() == "*"
                && !in_function(start)
            {
                imports.push((start, module.trim(), None));
            }
        }
        imports.sort_by_key(|i| i.0);
        let mut out = Vec::new();
        for (at, module, name) in imports {
            self.import_starts(f, at, module, name, &mut out);
        }
        out
    }

    /// The files the byte scan's imports of unparsed file `f` start (offsets
    /// unknown: 0).
    fn scanned_starts(&self, f: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (module, name) in self.runs(f) {
            self.import_starts(f, 0, &module, name.as_deref(), &mut out);
        }
        out
    }

    fn import_starts(
        &self,
        f: usize,
        at: usize,
        written: &str,
        name: Option<&str>,
        out: &mut Vec<(usize, usize)>,
    ) {
        let module = self.absolute_module(f, written);
        let parts: Vec<&str> = module.split('.').collect();
        let mut names: Vec<String> = (1..=parts.len()).map(|n| parts[..n].join(".")).collect();
        if let Some(n) = name {
            names.push(format!("{module}.{n}"));
        }
        for name in names {
            if let Some(g) = self.module_file(f, &name) {
                out.push((at, g));
            }
        }
    }
}
