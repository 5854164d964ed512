//! SQLAlchemy's view of the classes: which declarative registry each class
//! is mapped by, how a string names a class in it, and how the tool should
//! name a class in a registry-evaluated string. It never picks one of
//! several candidates by guessing.

use super::*;

impl<'a> Index<'a> {
    /// A key naming the declarative registry of a class, when it can be traced.
    pub fn root(&self, cid: ClassId) -> Option<&str> {
        if self.files[cid.file].classes[cid.class].nested {
            return None;
        }
        let cell = self.roots.get(cid.file)?.as_ref()?.get(cid.class)?;
        cell.get_or_init(|| self.compute_root(cid, &mut HashSet::new()))
            .as_deref()
    }

    pub(super) fn compute_root(&self, cid: ClassId, seen: &mut HashSet<ClassId>) -> Option<String> {
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
            return Some(format!("{}:{}", cid.file, d.trim_end_matches(".mapped")));
        }
        for base in &class.bases {
            // `db.Model`: the registry is the Flask-SQLAlchemy instance `db`.
            let sym = match base.as_slice() {
                [.., last] if last == "Model" && base.len() >= 2 => {
                    self.lookup_dotted_in(cid.file, class.scope, &base[..base.len() - 1])
                }
                _ => self.lookup_dotted_in(cid.file, class.scope, base),
            };
            match sym {
                Symbol::Class(parent) => {
                    if let Some(r) = self.compute_root(parent, seen) {
                        return Some(r);
                    }
                }
                Symbol::Binding(id) => {
                    let bf = id.file;
                    let b = self.binding(id);
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
                        || (base.last().is_some_and(|l| l == "Model") && self.is_flask_db(id))
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

    /// Classes of this name in the tree.
    pub fn classes_named(&self, name: &str) -> &[ClassId] {
        self.classes_named_where(name, false)
    }

    /// [`Index::classes_named`] for a question that
    /// [`Index::certainly_unmapped`] answers for each: a file whose every
    /// class of the name is a plain class by its header (which that answers
    /// `true` for) is not asked for.
    fn possibly_mapped_named(&self, name: &str) -> &[ClassId] {
        self.classes_named_where(name, true)
    }

    fn classes_named_where(&self, name: &str, skip_plain: bool) -> &[ClassId] {
        if let Some(d) = &self.demand {
            for &f in d.classes.files_defining(name) {
                if skip_plain && !d.parsed[f] && d.scans[f].only_plain_classes(name) {
                    continue;
                }
                self.have(f, Some(name));
            }
        }
        self.by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The classes of file `fi` named `name` that are not nested in another
    /// class, in source order (any scope).
    pub fn file_classes_named(&self, fi: usize, name: &str) -> &[usize] {
        let table = self.classes_by_name[fi].get_or_init(|| {
            let mut table: HashMap<&str, Vec<usize>> = HashMap::new();
            for (ci, c) in self.files[fi].classes.iter().enumerate() {
                if !c.nested {
                    table.entry(c.name.as_str()).or_default().push(ci);
                }
            }
            table
        });
        table.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// The relationships of file `fi` that `owner` declares as attribute
    /// `attr`, in source order.
    pub fn relationships_of(&self, fi: usize, owner: &crate::facts::Owner, attr: &str) -> &[usize] {
        let table = self.relationships_by_attr[fi].get_or_init(|| {
            let mut table: RelationshipsByAttr = HashMap::new();
            for (ri, r) in self.files[fi].relationships.iter().enumerate() {
                let by_owner = table.entry(r.attr.as_str()).or_default();
                by_owner.entry(&r.owner).or_default().push(ri);
            }
            table
        });
        (table.get(attr).and_then(|by_owner| by_owner.get(owner)))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The relationships of the tree assigned as attribute `attr` of a name
    /// from outside a class body (`Post.author = relationship(...)`), as
    /// (file, relationship), in file and source order.
    pub fn assigned_relationships(&self, attr: &str) -> &[(usize, usize)] {
        let table = self.assigned_by_attr.get_or_init(|| {
            let mut table: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
            for (fi, f) in self.files.iter().enumerate() {
                for (ri, r) in f.relationships.iter().enumerate() {
                    if matches!(r.owner, crate::facts::Owner::Assigned(_)) {
                        table.entry(r.attr.as_str()).or_default().push((fi, ri));
                    }
                }
            }
            table
        });
        table.get(attr).map(Vec::as_slice).unwrap_or_default()
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
            let twins: Vec<ClassId> = (self.file_classes_named(c.file, &class.name).iter())
                .filter(|&&i| self.files[c.file].classes[i].scope == class.scope)
                .map(|&i| ClassId::new(c.file, i))
                .collect();
            if twins.len() > 1 {
                return Resolved::Ambiguous(twins);
            }
        }
        resolved
    }

    pub(super) fn resolve_target_once(
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
            return self.resolve_qualified(fi, from, module, name);
        }
        let candidates = self.registry_candidates(from, s);
        match candidates.as_slice() {
            [] => Resolved::Missing,
            [one] => Resolved::Class(*one),
            _ => self.choose_among(fi, scope, s, candidates),
        }
    }

    /// `module.Name`: the class of that name defined in that module.
    fn resolve_qualified(
        &self,
        fi: usize,
        from: Option<ClassId>,
        module: &str,
        name: &str,
    ) -> Resolved {
        let Some(mfi) = self.module_file(fi, module) else {
            return Resolved::Missing;
        };
        if !self.have(mfi, Some(name)) {
            return Resolved::Missing;
        }
        let named: Vec<ClassId> = (self.file_classes_named(mfi, name).iter())
            .map(|&ci| ClassId::new(mfi, ci))
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

    /// The classes named `s` that the registry of the asking class `from`
    /// can find by name (all possibly mapped ones when it is unknown).
    fn registry_candidates(&self, from: Option<ClassId>, s: &str) -> Vec<ClassId> {
        let mut candidates: Vec<ClassId> = self
            .possibly_mapped_named(s)
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
        candidates
    }

    /// One of several classes named `s`, when the string can only mean it.
    fn choose_among(&self, fi: usize, scope: usize, s: &str, candidates: Vec<ClassId>) -> Resolved {
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
            let theirs: Vec<&str> = self.modules[c.file].split('.').collect();
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
        format!("{}:c{}", cid.file, cid.class)
    }

    /// Which registry a class can be found in by name: its traced registry, else its
    /// function scope (a model built in a function has a registry of its own there),
    /// else unknown.
    pub(super) fn registry_group(&self, cid: ClassId) -> Option<String> {
        if let Some(root) = self.root(cid) {
            return Some(root.to_string());
        }
        let scope = self.class(cid).scope;
        (scope != 0).then(|| format!("{}:s{scope}", cid.file))
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
        // A `__tablename__` maps nothing by itself: a class whose every
        // ancestor is a plain class of the tree (named bases found in the
        // tree, no decorator, no `metaclass=`) and none under a declarative
        // base is a mixin that carries one for its subclasses.
        let plain = |a: ClassId| {
            let k = self.class(a);
            k.opaque_bases == 0
                && k.header_keywords == 0
                && k.decorators.is_empty()
                && k.bases.iter().all(|b| {
                    (b.len() == 1 && b[0] == "object")
                        || (matches!(self.lookup_dotted_in(a.file, k.scope, b), Symbol::Class(_))
                            // `class Base: ...` then `Base = declarative_base(cls=Base)`.
                            && self.module_name_bound_once(
                                a.file,
                                &b[0],
                                // An imported name counts its import.
                                usize::from(
                                    self.files[a.file]
                                        .imports
                                        .iter()
                                        .any(|i| i.scope == 0 && i.bound == b[0]),
                                ),
                            ))
                })
        };
        if has_table && !chain.iter().all(|&a| plain(a)) {
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
                        && !matches!(self.lookup_dotted_in(a.file, k.scope, b), Symbol::Class(_))
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
        let clash = self.possibly_mapped_named(name).iter().any(|&c| {
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
        let module = &self.modules[cid.file];
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
    pub(super) fn outside_based(&self, cid: ClassId) -> bool {
        std::iter::once(cid).chain(self.ancestors(cid)).any(|c| {
            let k = self.class(c);
            k.bases.iter().any(|b| {
                matches!(
                    self.lookup_dotted_in(c.file, k.scope, b),
                    Symbol::External { .. }
                )
            })
        })
    }
}
