//! Two backrefs that create one name on one class, or on two classes of one
//! hierarchy, clash: both are refused. Found by grouping, not by comparing
//! every pair, so that a module of thousands of pairings costs what its
//! groups hold.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use crate::index::{ClassId, Index};

/// The items that share their name with another item on a related class
/// (the same class, or one inheriting from the other), unless `exempt`
/// says the two may (the forwards of one `if`/`else` chain). `class` is the
/// class an item's name lands on, if it is known; `slot` is a key two items
/// clash on whenever they share it, known class or not.
pub(super) fn clashing<'n, S: Hash + Eq>(
    ix: &Index,
    items: impl Iterator<Item = (&'n str, Option<ClassId>, S)>,
    exempt: impl Fn(usize, usize) -> bool,
) -> HashSet<usize> {
    struct Group<S> {
        by_class: HashMap<ClassId, Vec<usize>>,
        by_slot: HashMap<S, Vec<usize>>,
        classes: Vec<ClassId>,
    }
    let mut groups: HashMap<&str, Group<S>> = HashMap::new();
    let mut names = Vec::new();
    for (i, (name, class, slot)) in items.enumerate() {
        let g = groups.entry(name).or_insert_with(|| {
            names.push(name);
            Group {
                by_class: HashMap::new(),
                by_slot: HashMap::new(),
                classes: Vec::new(),
            }
        });
        g.by_slot.entry(slot).or_default().push(i);
        if let Some(c) = class {
            let members = g.by_class.entry(c).or_default();
            if members.is_empty() {
                g.classes.push(c);
            }
            members.push(i);
        }
    }
    let mut out = HashSet::new();
    // Each of `a` that may not stand beside some item of `b`.
    let mark = |a: &[usize], b: &[usize], out: &mut HashSet<usize>| {
        for &i in a {
            if b.iter().any(|&j| j != i && !exempt(i, j) && !exempt(j, i)) {
                out.insert(i);
            }
        }
    };
    // Names in first-seen order, so the questions asked of the index (and
    // the files they demand) do not depend on hashing.
    for name in names {
        let g = &groups[name];
        for members in g.by_slot.values() {
            mark(members, members, &mut out);
        }
        for (c, members) in g.classes.iter().map(|c| (c, &g.by_class[c])) {
            mark(members, members, &mut out);
            if g.classes.len() < 2 {
                continue;
            }
            // Related both ways is found once: from the subclass up.
            for ancestor in ix.ancestors(*c) {
                if let Some(others) = g.by_class.get(&ancestor) {
                    mark(members, others, &mut out);
                    mark(others, members, &mut out);
                }
            }
        }
    }
    out
}
