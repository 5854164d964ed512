//! Class inheritance in the tree: bases, ancestors, descendants, and the
//! classes that may be made at run time with `type(...)`.
//!
//! It answers from the facts of the files already parsed; it does not ask for
//! more (the demand bookkeeping does) and does not know about mappers.

use super::*;

impl<'a> Index<'a> {
    pub(super) fn base_classes(&self, cid: ClassId) -> Vec<ClassId> {
        self.class(cid)
            .bases
            .iter()
            .filter_map(
                |b| match self.lookup_dotted_in(cid.file, self.class(cid).scope, b) {
                    Symbol::Class(c) if c != cid => Some(c),
                    _ => None,
                },
            )
            .collect()
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
}
