//! What a name of a moved expression means where it was written, and whether
//! it means the same written in the destination (adding an import when one
//! makes it so).
//!
//! It reads the index's name lookup and the classes' members; it does not
//! rewrite any text (that is `registry` and `text`).

use std::collections::BTreeSet;

use super::{Dest, Need, Source};
use crate::facts::NameRef;
use crate::index::{Index, Symbol};

/// Builtins a moved value may name.
const BUILTINS: &[&str] = &[
    "set",
    "list",
    "dict",
    "tuple",
    "frozenset",
    "int",
    "str",
    "bool",
    "float",
    "len",
    "True",
    "False",
    "None",
    "object",
    "sorted",
    "min",
    "max",
];

/// What a name means where the expression was written.
pub(super) enum Meaning {
    Builtin,
    ClassLocal,
    Module(Symbol),
}

/// The [`Meaning`] of `name` at `src`: a `declared_attr`'s class alias, a
/// class-body name bound above the statement, a module name, or a builtin.
pub(super) fn meaning(ix: &Index, src: &Source, name: &NameRef) -> Meaning {
    if let Some((alias, c)) = &src.alias
        && *alias == name.head
    {
        return Meaning::Module(Symbol::Class(*c));
    }
    if let Some(cid) = src.class {
        let local = ix
            .class(cid)
            .members
            .iter()
            .any(|m| m.line_range.end <= src.at && m.binds(&name.head));
        if local {
            return Meaning::ClassLocal;
        }
    }
    match ix.lookup_in(src.file, src.scope, &name.head) {
        Symbol::Unknown if BUILTINS.contains(&name.head.as_str()) => Meaning::Builtin,
        sym => Meaning::Module(sym),
    }
}

/// Whether a name means the same thing written at `dst` as at `src`.
pub(super) fn verbatim_ok(
    ix: &Index,
    src: &Source,
    dst: &Dest,
    name: &NameRef,
    needs: &mut BTreeSet<Need>,
) -> bool {
    if crate::guard::off("moved-name") {
        return true;
    }
    let shadowed_in_dst = dst.class.is_some_and(|c| {
        ix.class(c)
            .members
            .iter()
            .any(|m| m.line_range.start < dst.insert_at && m.binds(&name.head))
    });
    if name.head == dst.new_name {
        return false;
    }
    let meant = meaning(ix, src, name);
    // Inside its own body a class is not bound yet (`foreign_keys=[B.a_id]`
    // written in `class B` is a NameError): it is named by a registry string.
    if let (Meaning::Module(Symbol::Class(c)), Some(d)) = (&meant, dst.class)
        && *c == d
    {
        return false;
    }
    match meant {
        Meaning::Builtin => !shadowed_in_dst,
        Meaning::ClassLocal => {
            // Only the same class body sees its own names, and only those defined above.
            src.class.is_some() && src.class == dst.class
        }
        Meaning::Module(sym) => {
            if shadowed_in_dst {
                return false;
            }
            let there = ix.lookup_in(dst.file, dst.scope, &name.head);
            if dst.file == src.file {
                return there == sym && bound_before(ix, src, dst, name, sym);
            }
            if there == sym && sym != Symbol::Unknown {
                return true;
            }
            imported_into(ix, dst, name, &sym, there, needs)
        }
    }
}

/// In the same module, whether the symbol `name` means is bound before the
/// destination runs; module names are all bound by the time a function body
/// runs.
fn bound_before(ix: &Index, src: &Source, dst: &Dest, name: &NameRef, sym: Symbol) -> bool {
    let from_function = |scope: usize| scope == 0 && dst.scope != 0;
    match sym {
        Symbol::Class(c) => from_function(ix.class(c).scope) || ix.class(c).range.start < dst.at,
        Symbol::Binding(b) => {
            let binding = ix.binding(b);
            from_function(binding.scope) || binding.offset < dst.at
        }
        Symbol::Module(_) | Symbol::External { .. } => {
            dst.scope != 0
                || ix.files[src.file]
                    .import_of(&name.head)
                    .is_some_and(|i| i.stmt_range.start < dst.at)
        }
        Symbol::Unknown => false,
    }
}

/// In another module, whether an import into the destination makes `name`
/// mean `sym` there (recorded in `needs`): a name imported from outside the
/// tree that the destination neither binds nor names a class with.
fn imported_into(
    ix: &Index,
    dst: &Dest,
    name: &NameRef,
    sym: &Symbol,
    there: Symbol,
    needs: &mut BTreeSet<Need>,
) -> bool {
    match (sym, there) {
        (
            Symbol::External {
                module,
                name: imported,
            },
            Symbol::Unknown,
        ) => {
            if ix.files[dst.file]
                .classes
                .iter()
                .any(|c| c.name == name.head)
            {
                return false;
            }
            needs.insert(match imported {
                Some(n) => Need::From {
                    module: module.clone(),
                    name: n.clone(),
                    alias: name.head.clone(),
                },
                None => Need::Import {
                    module: module.clone(),
                    alias: name.head.clone(),
                },
            });
            true
        }
        _ => false,
    }
}
