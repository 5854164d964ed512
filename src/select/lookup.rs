//! The scans of all files, indexed by name: which files define a class, list
//! a base, assign an attribute from outside a class, or name something in a
//! `type(...)` call.
//!
//! Built once per run from the [`Scan`]s; it answers "which files may", never
//! "which file does": the plan parses the files it names to find out.

use std::collections::HashMap;

use super::Scan;

/// What the scans of all files say, by name: built once per run, so that a
/// question of the plan (`index::Demand`) finds the files that may answer it
/// without looking at every class of the tree.
#[derive(Debug, Default)]
pub struct Classes<'s> {
    /// Files defining a class of that name.
    files: HashMap<&'s str, Vec<usize>>,
    /// Files with a class that lists that base (by its last segment).
    base_files: HashMap<&'s str, Vec<usize>>,
    /// Per attribute name, the files that may assign a relationship of that
    /// name from outside a class, with the owner's name.
    assigning: HashMap<&'s str, Vec<(&'s str, usize)>>,
    /// Per name, the files with a `type(...)` call that names it.
    type_calls: HashMap<&'s str, Vec<usize>>,
}

impl<'s> Classes<'s> {
    pub fn new(scans: &'s [Scan]) -> Self {
        let mut out = Classes::default();
        for (fi, s) in scans.iter().enumerate() {
            for n in &s.type_call_names {
                out.type_calls.entry(n.as_str()).or_default().push(fi);
            }
            for (owner, attr) in &s.assigned_attrs {
                out.assigning
                    .entry(attr.as_str())
                    .or_default()
                    .push((owner.as_str(), fi));
            }
            for (name, bases) in &s.classes {
                let files = out.files.entry(name.as_str()).or_default();
                if files.last() != Some(&fi) {
                    files.push(fi);
                }
                for b in bases {
                    let files = out.base_files.entry(b.as_str()).or_default();
                    if files.last() != Some(&fi) {
                        files.push(fi);
                    }
                }
            }
        }
        out
    }

    /// The files that define a class of this name.
    pub fn files_defining(&self, name: &str) -> &[usize] {
        self.files.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files that may assign a relationship named `name` to a class from
    /// outside it, with the name of the class (or what it was imported as).
    pub fn files_assigning(&self, name: &str) -> &[(&'s str, usize)] {
        self.assigning.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files with a `type(...)` call that names `name`.
    pub fn files_calling_type_with(&self, name: &str) -> &[usize] {
        self.type_calls.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files with a class listing a base whose last name is `name`.
    pub fn files_subclassing(&self, name: &str) -> &[usize] {
        self.base_files.get(name).map_or(&[], Vec::as_slice)
    }
}
