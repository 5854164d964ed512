//! What a name means in a module: Python's lookup through function scopes,
//! the module, and imports followed into the tree (or named as external).
//! It does not know about registries or classes' bases.

use super::*;

impl<'a> Index<'a> {
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

    pub(super) fn lookup_depth(&self, fi: usize, scope: usize, name: &str, depth: usize) -> Symbol {
        if depth > 8 || !self.have(fi, Some(name)) {
            return Symbol::Unknown;
        }
        let f = &self.files[fi];
        let mut s = scope;
        let imp = loop {
            let table = self.names[fi].get_or_init(|| scope_names(self.files[fi]));
            if let Some(entry) = table.get(&(s, name)) {
                if let Some(ci) = entry.class {
                    return Symbol::Class(ClassId::new(fi, ci));
                }
                if let Some(bi) = entry.binding {
                    return Symbol::Binding(BindingId {
                        file: fi,
                        binding: bi,
                    });
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

    /// Whether the tree defines module or package `module` (its imports are
    /// first-party, in isort's words).
    pub fn defines_module(&self, module: &str) -> bool {
        self.modules.by_module.contains_key(module) || self.is_tree_package(module)
    }

    pub(super) fn is_tree_package(&self, module: &str) -> bool {
        self.modules.packages.contains(module)
    }

    pub(super) fn module_symbol(&self, module: &str) -> Symbol {
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

    /// Whether, in the code of file `fi` (comments aside), `name` is bound in
    /// at most `others` places (its binding, its import) and no `import *` can
    /// rebind it: the name then keeps the one meaning the index gives it
    /// wherever it is called. A place binds it, or may, when it is assigned
    /// (`name =`, `name :=`, `name, other =`), imported, named by `as`, `for`,
    /// `global`, `nonlocal` or `del`; a call or a read does not.
    pub fn only_called(&self, fi: usize, name: &str, others: usize) -> bool {
        self.binding_places(fi, name, false)
            .is_some_and(|seen| seen <= others)
    }

    /// Whether module-level `name` of file `fi` is bound in at most `others`
    /// places outside function bodies (as [`Index::only_called`] counts them),
    /// and no function declares it `global`: a function's own `name` is its
    /// local and leaves the module's alone.
    pub fn module_name_bound_once(&self, fi: usize, name: &str, others: usize) -> bool {
        self.binding_places(fi, name, true)
            .is_some_and(|seen| seen <= others)
    }

    /// The places that bind or may bind `name` (see [`Index::only_called`]),
    /// outside function bodies when `outside_functions` (a `global name` then
    /// counts as a place anywhere); `None` when an `import *` may bind it.
    fn binding_places(&self, fi: usize, name: &str, outside_functions: bool) -> Option<usize> {
        let key = (fi, name.to_string(), outside_functions);
        if let Some(&known) = self.binding_places.borrow().get(&key) {
            return known;
        }
        let found = self.binding_places_in(fi, name, outside_functions);
        self.binding_places.borrow_mut().insert(key, found);
        found
    }

    /// [`Index::binding_places`], read from the file's text: each question
    /// reads the whole file, so the answers are kept.
    fn binding_places_in(&self, fi: usize, name: &str, outside_functions: bool) -> Option<usize> {
        let f = &self.files[fi];
        let src = &f.source;
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let in_function = |at: usize| {
            outside_functions && f.scopes.iter().skip(1).any(|sc| sc.range.contains(&at))
        };
        let mut seen = 0;
        let mut line_at = 0;
        for line in src.split_inclusive('\n') {
            let start = line_at;
            line_at += line.len();
            let code = line.split('#').next().unwrap_or("");
            if code.contains("import *") {
                return None;
            }
            // A body starts at its first statement, after the indentation.
            let local = in_function(start + (line.len() - line.trim_start().len()));
            for (i, _) in code.match_indices(name) {
                let before = code[..i].chars().next_back();
                let after = &code[i + name.len()..];
                if before.is_some_and(|c| ident(c) || c == '.')
                    || after.chars().next().is_some_and(ident)
                {
                    continue;
                }
                let after = after.trim_start();
                let head = code[..i].trim_start();
                let is_global = ["global ", "nonlocal "]
                    .iter()
                    .any(|k| head.starts_with(k) || head.contains(&format!(" {k}")));
                if local && !is_global {
                    continue;
                }
                // `name, other = ...`: a comma at bracket depth 0 of the
                // statement, an `=` later on the line before any call; not
                // an argument (`mapper(name, table)`).
                let depth = head.chars().fold(0i32, |d, c| match c {
                    '(' | '[' | '{' => d + 1,
                    ')' | ']' | '}' => d - 1,
                    _ => d,
                });
                let tuple_target = after.starts_with(',')
                    && depth == 0
                    && after.find('=').is_some_and(|e| {
                        !after[..e].contains('(') && !after[e..].starts_with("==")
                    });
                let assigned = (after.starts_with('=') && !after.starts_with("=="))
                    || after.starts_with(":=")
                    || tuple_target;
                let bound_by_statement = ["import ", "for ", "global ", "nonlocal ", "del "]
                    .iter()
                    .any(|k| head.starts_with(k) || head.contains(&format!(" {k}")))
                    || head.ends_with(" as ")
                    || head.starts_with("from ");
                if assigned || bound_by_statement {
                    seen += 1;
                }
            }
        }
        Some(seen)
    }

    /// What `a.b.c` means, following module-level aliases (`mapper =
    /// orm.mapper`) that are their name's only binding in their scope.
    pub fn lookup_alias(&self, fi: usize, scope: usize, parts: &[String]) -> Symbol {
        let mut sym = self.lookup_dotted_in(fi, scope, parts);
        for _ in 0..4 {
            let Symbol::Binding(id) = sym else {
                break;
            };
            let b = self.binding(id);
            let BindingKind::Alias(chain) = &b.kind else {
                break;
            };
            let once = self.files[id.file]
                .bindings
                .iter()
                .filter(|x| x.scope == b.scope && x.name == b.name)
                .count()
                == 1;
            if !once || !self.only_called(id.file, &b.name, 1) {
                break;
            }
            sym = self.lookup_dotted_in(id.file, b.scope, chain);
        }
        sym
    }

    /// Whether binding `id` is a Flask-SQLAlchemy extension object
    /// (`db = SQLAlchemy(app)`, or an instance of a subclass of it in the tree
    /// that does not redefine `relationship` or `backref`).
    pub fn is_flask_db(&self, id: BindingId) -> bool {
        let b = self.binding(id);
        let class = match &b.kind {
            BindingKind::FlaskSqlAlchemy => return true,
            BindingKind::Instance(callee) => {
                match self.lookup_dotted_in(id.file, b.scope, callee) {
                    Symbol::Class(c) => c,
                    _ => return false,
                }
            }
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
                .any(|base| match self.lookup_dotted_in(c.file, k.scope, base) {
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
}
