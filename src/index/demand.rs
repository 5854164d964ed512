//! Parsing on demand: which files a question needs that are not parsed yet.
//!
//! In a run that parses only what mentions `backref` up front, every lookup
//! that would enter an unparsed file records it (`want`) and answers as if
//! it knew nothing; the run parses what was wanted and plans again. This
//! module keeps that bookkeeping; it decides nothing about meaning.

use super::*;

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
    pub(super) parsed: &'a [bool],
    pub(super) scans: &'a [Scan],
    pub(super) classes: &'a Classes<'a>,
    pub(super) wanted: std::cell::RefCell<std::collections::BTreeSet<usize>>,
    /// (file, name) pairs already followed along import statements.
    pub(super) followed: std::cell::RefCell<HashSet<(usize, String)>>,
    /// Set while building the table of subclasses from every parsed class:
    /// its lookups ask for nothing (the classes that may matter are asked
    /// for by name in [`Index::descendants`]).
    pub(super) quiet: std::cell::Cell<bool>,
}

impl<'a> Index<'a> {
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
    /// what the byte scan saw in each (see [`Demand`]). What a file imports
    /// transitively is then read from the scans alone, the same for every
    /// index of the run: `reach` keeps it from one index to the next.
    pub fn with_demand(
        mut self,
        parsed: &'a [bool],
        scans: &'a [Scan],
        classes: &'a Classes<'a>,
        reach: std::rc::Rc<super::Reach>,
    ) -> Self {
        self.reach = reach;
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
    pub(super) fn have(&self, fi: usize, name: Option<&str>) -> bool {
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
    pub(super) fn want(&self, fi: usize, name: Option<&str>, depth: usize) {
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
    pub(super) fn facts_if(
        &self,
        f: usize,
        maybe: impl Fn(&Scan) -> bool,
    ) -> Option<&'a FileFacts> {
        match &self.demand {
            Some(d) if !d.parsed[f] => {
                if maybe(&d.scans[f]) {
                    self.want(f, None, 0);
                }
                None
            }
            _ => Some(self.files[f]),
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
    pub(super) fn runs(&self, f: usize) -> Vec<(String, Option<String>)> {
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

    pub(super) fn reach_of(&self, fi: usize) -> HashSet<usize> {
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

    /// In a run that parses on demand: the classes that may list class `c` as
    /// a base (by the byte scan: a base whose last name, or the name it was
    /// imported under, is `c`'s) are asked for, and the bases of the parsed
    /// ones resolved, asking for the files on the way.
    pub(super) fn want_subclasses_of(&self, c: ClassId) {
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
                        self.base_classes(ClassId::new(f, ci));
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
}
