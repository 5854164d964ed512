//! What the names of the written code mean where they stand: the reverse's
//! callee and annotation (SQLAlchemy's, typing's, the builtins'), and every
//! name of a value moved from the forward's class into the target's, which
//! must mean at its destination what it meant where it was written. It
//! reads the bindings of the new text itself ([`crate::syntax::scope`]) and
//! trusts nothing the planner decided about them.

use std::collections::BTreeMap;

use crate::facts::RelFact;
use crate::index::{Index, Symbol};
use crate::plan::Fix;
use crate::syntax::scope::{Bound, Parsed};

/// The names the reverse statement uses mean, at its place, what they must.
pub(super) fn names_resolve(
    old: &Index,
    new: &Index,
    fix: &Fix,
    fwd: &RelFact,
    rev: &RelFact,
    parsed: &BTreeMap<usize, &Parsed>,
) -> Result<(), String> {
    let tfi = fix.target_file;
    let head = rev.callee.first().cloned().unwrap_or_default();
    let mut names: Vec<String> = vec![head.clone()];
    if let Some(ann) = &rev.annotation {
        names.extend(annotation_names(ann));
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let bound = parsed
        .get(&tfi)
        .map(|p| p.bindings_at(rev.stmt_range.start, &refs))
        .ok_or_else(|| format!("`{}` does not parse", new.files[tfi].path.display()))?;
    // The callee: a wrapper family's relationship when the backref was
    // built with the family's defaults; else SQLAlchemy's relationship, or
    // the forward's Flask `db`.
    let old_fwd = &old.files[fix.file].relationships[fix.rel];
    if let Some(family) = family_reverse(old, fix.file, old_fwd) {
        let wanted = new.family_function(tfi, &family);
        let module_level = bound[0].is_module_level();
        if !module_level
            || wanted == Symbol::Unknown
            || new.lookup_dotted(tfi, &rev.callee) != wanted
        {
            return Err(format!(
                "`{}` at `{}.{}` is not `{family}` there ({}), which the backref's defaults need",
                rev.callee.join("."),
                fix.target_class,
                rev.attr,
                describe(&bound[0])
            ));
        }
    } else if !sqlalchemy_relationship(rev, &bound[0])
        && !flask_relationship(old, new, fix, fwd, rev, &bound[0])
    {
        return Err(format!(
            "`{}` at `{}.{}` is not SQLAlchemy's relationship there ({})",
            rev.callee.join("."),
            fix.target_class,
            rev.attr,
            describe(&bound[0])
        ));
    }
    for (n, b) in names.iter().zip(&bound).skip(1) {
        if !annotation_name_means(n, b) {
            return Err(format!(
                "`{n}` in the annotation of `{}.{}` does not mean the name intended there ({})",
                fix.target_class,
                rev.attr,
                describe(b)
            ));
        }
    }
    Ok(())
}

/// The wrapper family `relationship` the reverse of `fwd` must be written
/// with: the family's whose `backref()` built the backref, or whose
/// `relationship()` is declared to give a plain backref its defaults.
fn family_reverse(old: &Index, fi: usize, fwd: &RelFact) -> Option<String> {
    use crate::config::PlainBackref;
    use crate::index::Member;
    let backref = fwd
        .backref
        .as_ref()
        .and_then(|b| b.callee.as_ref())
        .and_then(|bc| old.family_member(fi, fwd.scope, bc));
    if let Some((family, Member::Backref)) = backref {
        return Some(family.relationship.clone());
    }
    match old.family_member(fi, fwd.scope, &fwd.callee) {
        Some((family, Member::Relationship))
            if old.family_proof(fi, family) == Ok(Some(PlainBackref::Family)) =>
        {
            Some(family.relationship.clone())
        }
        _ => None,
    }
}

/// Whether the reverse's callee, its head bound as `head`, is SQLAlchemy's
/// `relationship` imported (or reached through its imported module).
fn sqlalchemy_relationship(rev: &RelFact, head: &Bound) -> bool {
    let Bound::Import {
        module,
        name,
        star: false,
        ..
    } = head
    else {
        return false;
    };
    let full = match name {
        Some(n) => format!("{module}.{n}"),
        None => module.clone(),
    };
    let rest = &rev.callee[1..];
    let full = std::iter::once(full)
        .chain(rest.iter().cloned())
        .collect::<Vec<_>>()
        .join(".");
    full == "sqlalchemy.orm.relationship"
        || full == "sqlalchemy.orm.relationships.relationship"
        || full == "sqlalchemy.orm._orm_constructors.relationship"
}

/// Whether the reverse's callee is `db.relationship` of a module-level `db`
/// that is a Flask-SQLAlchemy instance, or the same `db` the forward calls.
fn flask_relationship(
    old: &Index,
    new: &Index,
    fix: &Fix,
    fwd: &RelFact,
    rev: &RelFact,
    head: &Bound,
) -> bool {
    let module_level = head.is_module_level();
    if !module_level || rev.callee.len() != 2 || rev.callee[1] != "relationship" {
        return false;
    }
    let here = new.lookup(fix.target_file, &rev.callee[0]);
    let there = fwd
        .callee
        .first()
        .map(|h| old.lookup_in(fix.file, fwd.scope, h));
    matches!(&here, Symbol::Binding(b) if new.is_flask_db(*b))
        || (fwd.callee.len() == 2 && Some(&here) == there.as_ref() && here != Symbol::Unknown)
}

/// Whether a name of the reverse's annotation, bound as `b` at its place,
/// means what the planner wrote it for: a builtin container, SQLAlchemy's
/// `Mapped` family, typing's generics, else an import.
fn annotation_name_means(n: &str, b: &Bound) -> bool {
    match n {
        "list" | "set" | "dict" => *b == Bound::Unbound,
        "Mapped" | "DynamicMapped" | "WriteOnlyMapped" => matches!(b,
            Bound::Import { module, name: Some(x), star: false, .. }
                if module.starts_with("sqlalchemy") && x == n),
        "List" | "Optional" | "Set" | "Dict" | "Any" => matches!(b,
            Bound::Import { module, name: Some(x), star: false, .. }
                if (module == "typing" || module == "typing_extensions") && x == n),
        _ => matches!(b, Bound::Import { star: false, .. }),
    }
}

fn describe(b: &Bound) -> String {
    match b {
        Bound::Import {
            module,
            name: Some(n),
            ..
        } => format!("it is `{n}` imported from `{module}`"),
        Bound::Import { module, .. } => format!("it is the module `{module}`"),
        Bound::Other { .. } => "the module binds it to something else".into(),
        Bound::ClassLocal { .. } => "the class body binds it before".into(),
        Bound::Ambiguous => "it is bound differently on different paths".into(),
        Bound::Unbound => "nothing binds it".into(),
    }
}

/// The identifiers of an annotation outside its string literals.
fn annotation_names(ann: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for ch in ann.chars().chain(std::iter::once(' ')) {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        if ch == '"' || ch == '\'' {
            quote = Some(ch);
            continue;
        }
        if ch.is_alphanumeric() || ch == '_' || (ch == '.' && !word.is_empty()) {
            word.push(ch);
        } else if !word.is_empty() {
            let head = word.split('.').next().unwrap_or_default().to_string();
            if !out.contains(&head) && !head.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                out.push(head);
            }
            word.clear();
        }
    }
    out
}

/// Every name of a value the reverse took over from the forward (a keyword
/// of its `backref(...)`, or one copied from its own arguments) means at its
/// destination what it meant where it was written. Values moved verbatim are
/// found again by their text; the names pair up in order. A non-string value
/// with names that is no copy of a value of the forward was made by the
/// planner, and only a class name, or SQLAlchemy's `foreign`/`remote`, may
/// appear in it.
pub(super) fn moved_values_resolve(
    old: &Index,
    new: &Index,
    fix: &Fix,
    rev: &RelFact,
    parsed: &BTreeMap<usize, &Parsed>,
    parsed_old: &BTreeMap<usize, &Parsed>,
) -> Result<(), String> {
    let old_fwd = &old.files[fix.file].relationships[fix.rel];
    let origins: Vec<&crate::facts::Expr> = old_fwd
        .backref
        .iter()
        .flat_map(|b| b.kwargs.iter())
        .chain(old_fwd.kwargs.iter())
        .map(|k| &k.value)
        .chain(old_fwd.positional_secondary.iter())
        .collect();
    let tfi = fix.target_file;
    let here = parsed
        .get(&tfi)
        .ok_or_else(|| format!("`{}` does not parse", new.files[tfi].path.display()))?;
    for kw in rev.kwargs.iter().filter(|k| k.name != "back_populates") {
        let value = &kw.value;
        if value.names.is_empty() {
            continue;
        }
        let flat = squeeze(&value.text);
        let origin = origins
            .iter()
            .find(|o| squeeze(&o.text) == flat && o.names.len() == value.names.len());
        let Some(origin) = origin else {
            made_by_planner(new, fix, rev, kw)?;
            continue;
        };
        let there = parsed_old
            .get(&fix.file)
            .ok_or_else(|| format!("`{}` does not parse", old.files[fix.file].path.display()))?;
        for (src, dst) in origin.names.iter().zip(&value.names) {
            let head = [src.head.as_str()];
            let before = there.bindings_at(src.range.start, &head).remove(0);
            let after = here.bindings_at(dst.range.start, &head).remove(0);
            let same = same_meaning(old, new, fix, old_fwd, rev, &src.head, &before, &after);
            if !same {
                return Err(format!(
                    "`{}` in `{}={}` of `{}.{}` does not mean there what it meant at the forward (where it was written: {}; there: {})",
                    src.head,
                    kw.name,
                    value.text,
                    fix.target_class,
                    rev.attr,
                    describe(&before),
                    describe(&after)
                ));
            }
        }
    }
    Ok(())
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a name bound `before` at the forward and `after` at the reverse
/// names one thing.
#[allow(clippy::too_many_arguments)]
fn same_meaning(
    old: &Index,
    new: &Index,
    fix: &Fix,
    old_fwd: &RelFact,
    rev: &RelFact,
    head: &str,
    before: &Bound,
    after: &Bound,
) -> bool {
    match (before, after) {
        (Bound::Ambiguous, _) | (_, Bound::Ambiguous) => false,
        (Bound::Unbound, Bound::Unbound) => true,
        (Bound::ClassLocal { offset: a }, Bound::ClassLocal { offset: b }) => {
            // The same statement of the same class (a self-referential pairing).
            fn line(s: &str, o: usize) -> Option<&str> {
                s.get(o..).and_then(|t| t.lines().next()).map(str::trim)
            }
            fix.file == fix.target_file
                && fix.source_class == fix.target_class
                && line(&old.files[fix.file].source, *a).is_some()
                && line(&old.files[fix.file].source, *a)
                    == line(&new.files[fix.target_file].source, *b)
        }
        (Bound::ClassLocal { .. }, _)
        | (_, Bound::ClassLocal { .. })
        | (Bound::Unbound, _)
        | (_, Bound::Unbound) => false,
        _ => {
            let was = old.lookup_in(fix.file, old_fwd.scope, head);
            let is = new.lookup_in(fix.target_file, rev.scope, head);
            match (identity(old, &was), identity(new, &is)) {
                (Some(a), Some(b)) => a == b,
                _ => match (before, after) {
                    // Both import it from one module outside what was read.
                    (
                        Bound::Import {
                            module: m1,
                            name: n1,
                            star: false,
                            ..
                        },
                        Bound::Import {
                            module: m2,
                            name: n2,
                            star: false,
                            ..
                        },
                    ) => {
                        n1 == n2
                            && old.absolute_module(fix.file, m1)
                                == new.absolute_module(fix.target_file, m2)
                    }
                    _ => false,
                },
            }
        }
    }
}

/// What a symbol names, comparable across the index before and after.
fn identity(ix: &Index, s: &Symbol) -> Option<String> {
    match s {
        Symbol::Class(c) => {
            let k = ix.class(*c);
            Some(format!("class {} {} {}", c.file, k.scope, k.name))
        }
        Symbol::Binding(id) => {
            let b = ix.binding(*id);
            Some(format!("binding {} {} {}", id.file, b.scope, b.name))
        }
        Symbol::Module(m) => Some(format!("module {m}")),
        Symbol::External { module, name } => Some(format!("external {module} {name:?}")),
        Symbol::Unknown => None,
    }
}

/// A value the planner wrote itself: its names are the forward's class or
/// SQLAlchemy's `foreign`/`remote`, meant as such at the reverse's place.
fn made_by_planner(
    new: &Index,
    fix: &Fix,
    rev: &RelFact,
    kw: &crate::facts::Kwarg,
) -> Result<(), String> {
    for n in &kw.value.names {
        let ok = match new.lookup_dotted_in(fix.target_file, rev.scope, &n.dotted[..1]) {
            Symbol::Class(c) => new.class(c).name == fix.source_class,
            Symbol::External {
                module,
                name: Some(x),
            } => module.starts_with("sqlalchemy") && (x == "foreign" || x == "remote"),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "`{}={}` of `{}.{}` is no value of the forward, and `{}` in it is not the forward's class",
                kw.name, kw.value.text, fix.target_class, rev.attr, n.head
            ));
        }
    }
    Ok(())
}
