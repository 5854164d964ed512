//! Imperative (classical) mappings: a backref in one mapping's `properties`
//! becomes an entry `"name": relationship(Source, back_populates=...)` in the
//! `properties` of the target class's own mapping call (created when the call
//! has none), or, when the target is mapped first or in a module the source's
//! imports, a `class_mapper(Target, configure=False).add_property(...)` after
//! the source's mapping.
//!
//! It pairs only with a mapping that provably runs with the source's (a scope
//! that sees it, or the top of an imported module that does not import the
//! source's back, or whose package's import order runs it before or after the
//! source's); it does not follow mappings made by project helpers or in other
//! functions, which are refused. A target mapped in another module after the
//! source's mapping gets the entry in its own `properties`, naming the source
//! class by a name its module already has.

use std::collections::BTreeSet;

use super::reverse::{ReverseParts, reverse_parts};
use super::*;
use edits::{late_reverse, properties_entry};

mod edits;
use crate::expr::{Dest, Need, Source};
use crate::syntax::MAPPING_CALLEES;

#[derive(Clone)]
pub(super) struct ImperativePairing {
    pub file: usize,
    pub rel: usize,
    pub source: usize,
    /// The target's mapping: `target` in the mappings of `target_file`.
    pub target_file: usize,
    pub target: usize,
    /// How the source's module names the target class (for a target mapped in
    /// another module, whose reverse is added with `add_property`).
    pub target_expr: String,
    /// A target mapped in another module after the source's mapping: how that
    /// module names the source class (the reverse joins the target's
    /// `properties` there).
    pub source_expr: Option<String>,
    pub name: String,
    pub forward_value: String,
    pub flavor: Flavor,
    /// The target is mapped before the source: anything run in between (even the
    /// source call's own arguments, e.g. `aliased()`) may configure the mappers,
    /// and a reverse in the target's `properties` would then name a class not
    /// mapped yet. The reverse is added right after the source's mapping instead,
    /// with `Mapper.add_property`.
    pub late: bool,
    /// The mapping after which a late reverse goes when the target's mapping
    /// cannot take it (a function with properties of its own making): the one
    /// of the two that runs last. None: after the source's.
    pub anchor: Option<usize>,
}

/// Scopes visible from `scope`: itself and its enclosing ones.
fn scope_chain(f: &FileFacts, mut scope: usize) -> Vec<usize> {
    let mut out = vec![scope];
    while scope != 0 {
        scope = f.scopes.get(scope).map_or(0, |s| s.parent);
        out.push(scope);
    }
    out
}

fn is_mapping_callee(ix: &Index, fi: usize, scope: usize, callee: &[String]) -> bool {
    match callee.last().map(String::as_str) {
        // A registry's method: any object reached through attributes.
        Some("map_imperatively") => callee.len() >= 2,
        // Or another name for it: `mapper = orm.mapper`, called as `meta.mapper(...)`.
        Some("mapper") => matches!(
            ix.lookup_alias(fi, scope, callee),
            Symbol::External { module, .. } if module.starts_with("sqlalchemy")
        ),
        _ => false,
    }
}

/// Whether a mapping fact maps its class, and whether its properties are
/// those the call gives: SQLAlchemy's own call (`Some(true)`), or a call of a
/// function that maps its first argument. That function is the one
/// module-level binding of its name in its module, a `def` whose mapping call
/// is SQLAlchemy's or another such function's (see
/// [`crate::facts::HelperFact`]); its properties are the call's
/// (`Some(true)`) when it passes them through in the shape the call gives
/// them. `None`: no mapping is shown.
fn mapping_kind(ix: &Index, fi: usize, m: &MappingFact) -> Option<bool> {
    let Some(shape) = m.helper else {
        return is_mapping_callee(ix, fi, m.scope, &m.callee).then_some(true);
    };
    let h = helper_def(ix, fi, m.scope, &m.callee, 0)?;
    Some(h.props == shape && shape != HelperProps::Unknown)
}

fn is_mapping(ix: &Index, fi: usize, m: &MappingFact) -> bool {
    mapping_kind(ix, fi, m).is_some()
}

/// The definition of the mapping function `callee` names in scope `scope` of
/// file `fi`, when its own mapping call is shown to map (through at most a
/// few helpers).
fn helper_def<'a>(
    ix: &Index<'a>,
    fi: usize,
    scope: usize,
    callee: &[String],
    depth: usize,
) -> Option<&'a HelperFact> {
    let Symbol::Binding(id) = ix.lookup_dotted_in(fi, scope, callee) else {
        return None;
    };
    let b = ix.binding(id);
    let hf = &ix.files[id.file];
    let once = hf
        .bindings
        .iter()
        .filter(|x| x.scope == 0 && x.name == b.name)
        .count()
        == 1;
    // Called, not rebound (an import, a `for` target, `x = wrap(x)`), where it
    // is defined and where it is imported.
    let unrebound = ix.only_called(id.file, &b.name, 0)
        && (id.file == fi || callee.len() > 1 || ix.only_called(fi, &callee[0], 1));
    let h = hf
        .mapping_helpers
        .iter()
        .find(|h| h.offset == b.offset && h.name == b.name)
        .filter(|_| b.scope == 0 && once && unrebound)?;
    let inner = if MAPPING_CALLEES.contains(&h.callee.last().map_or("", String::as_str)) {
        is_mapping_callee(ix, id.file, h.scope, &h.callee)
    } else {
        depth < 4 && helper_def(ix, id.file, h.scope, &h.callee, depth + 1).is_some()
    };
    inner.then_some(h)
}

/// The pairing of a backref in an imperative mapping's `properties` with the
/// mapping of its target.
pub(super) fn pairing(
    ix: &Index,
    fi: usize,
    ri: usize,
    mi: usize,
) -> Result<ImperativePairing, Refusal> {
    let f = &ix.files[fi];
    let rel = &f.relationships[ri];
    let b = backref_of(rel)?;
    let Basics {
        name,
        forward_value,
        flavor,
    } = basics(ix, fi, rel, b)?;
    let source = &f.mappings[mi];
    if mapping_kind(ix, fi, source) != Some(true) {
        if source.helper.is_some() {
            return Err(Refusal::Site(SiteContext::Call {
                callee: source.callee.join("."),
            }));
        }
        return Err(Refusal::Unrecognised {
            callee: source.callee.join("."),
            what: Construct::ImperativeMapping,
        });
    }
    let wanted = wanted_class(rel)?;
    let (
        MappingId {
            file: target_file,
            mapping: target,
        },
        later,
    ) = target_mapping(ix, fi, source, rel, &wanted)?;
    let t = &ix.files[target_file].mappings[target];
    // A function that maps the target with properties of its own: the
    // reverse is added after whichever of the two mappings runs last.
    let opaque = t.helper.is_some() && mapping_kind(ix, target_file, t) == Some(false);
    let source_expr = if later {
        if opaque || source.block.is_some() {
            return Err(Refusal::PropertiesNotExtensible {
                class: t.class.join("."),
            });
        }
        extensible(ix, fi, source, (target_file, t), &name)?;
        Some(
            name_in(ix, fi, source, target_file, t).ok_or_else(|| Refusal::SourceNotVisible {
                source: source.class.join("."),
                target: t.class.join("."),
            })?,
        )
    } else {
        None
    };
    let anchor = if later {
        None
    } else if !opaque {
        extensible(ix, fi, source, (target_file, t), &name)?;
        None
    } else if target_file != fi {
        Some(mi)
    } else if t.scope == source.scope {
        Some(if t.call_range.start > source.call_range.start {
            target
        } else {
            mi
        })
    } else {
        return Err(Refusal::PropertiesNotExtensible {
            class: t.class.join("."),
        });
    };
    let late = anchor.is_some()
        || (target_file != fi && !later)
        || (target != mi && t.call_range.start < source.call_range.end && t.scope == source.scope);
    // The reverse must exist exactly when the backref's mapping has run: an
    // entry in the target's properties, or a statement after the later of the
    // two, runs under that mapping's condition.
    let after = if late { anchor.unwrap_or(mi) } else { target };
    let runs_with_source = if target_file != fi {
        t.block.is_none()
    } else if after == mi {
        // After the source: the target was mapped before it, unconditionally
        // or under the same condition.
        t.block.is_none() || t.block == source.block
    } else {
        t.block == source.block
    };
    if !runs_with_source {
        return Err(Refusal::MappedUnderOtherCondition {
            class: t.class.join("."),
        });
    }
    if late && !f.mappings[after].own_line {
        return Err(Refusal::MappingNotOnOwnLine {
            class: f.mappings[after].class.join("."),
        });
    }
    Ok(ImperativePairing {
        file: fi,
        rel: ri,
        source: mi,
        target_file,
        target,
        target_expr: if target_file == fi {
            t.class.join(".")
        } else {
            wanted.join(".")
        },
        source_expr,
        name,
        forward_value,
        flavor,
        late,
        anchor,
    })
}

/// A name for the source's class in the target's module, bound by a
/// module-level import that runs before the target's mapping and is the
/// name's only binding there: the class itself (`from m import Tag`), or
/// `module.Tag` for an imported module (`from pkg import tag`).
fn name_in(
    ix: &Index,
    fi: usize,
    source: &MappingFact,
    target_file: usize,
    t: &MappingFact,
) -> Option<String> {
    let Symbol::Class(class) = ix.lookup_dotted_in(fi, source.scope, &source.class) else {
        return None;
    };
    let own = ix.class(class).name.clone();
    // `module.Tag` is looked up when the target is mapped, after the source's
    // module ran to its end: the class statement must be the name's only
    // binding there (no `del Tag`, no second `class Tag(Tag)`).
    let class_file = &ix.files[class.file];
    let defined_once = class_file
        .classes
        .iter()
        .filter(|k| !k.nested && k.scope == 0 && k.name == own)
        .count()
        == 1
        && ix.module_name_bound_once(class.file, &own, 0);
    let mut names: Vec<String> = Vec::new();
    for i in ix.files[target_file].imports.iter().filter(|i| {
        i.scope == 0 && i.top_level && !i.type_checking && i.stmt_range.end <= t.call_range.start
    }) {
        let through_module = defined_once.then(|| format!("{}.{own}", i.bound));
        for candidate in std::iter::once(i.bound.clone()).chain(through_module) {
            let parts: Vec<String> = candidate.split('.').map(str::to_string).collect();
            if ix.lookup_dotted_in(target_file, 0, &parts) == Symbol::Class(class)
                && ix.module_name_bound_once(target_file, &i.bound, 1)
            {
                names.push(candidate);
            }
        }
    }
    names.sort_by_key(|n| (n.len(), n.clone()));
    names.into_iter().next()
}

/// The target class's name as a mapping call names it (a string target by its last part).
fn wanted_class(rel: &RelFact) -> Result<Vec<String>, Refusal> {
    match &rel.target {
        TargetArg::Name(d) | TargetArg::Lambda(d) => Ok(d.clone()),
        TargetArg::Str(s) => Ok(vec![s.rsplit('.').next().unwrap_or(s).to_string()]),
        TargetArg::Other(t) => Err(Refusal::TargetNotAClassName { target: t.clone() }),
        TargetArg::Absent => Err(Refusal::NoTarget),
    }
}

/// The one mapping of the target that runs with the source's: in a scope of
/// this module that sees the source's (or that it sees), else at the top of
/// a module this one imports.
fn target_mapping(
    ix: &Index,
    fi: usize,
    source: &MappingFact,
    rel: &RelFact,
    wanted: &[String],
) -> Result<(MappingId, bool), Refusal> {
    let f = &ix.files[fi];
    let visible = scope_chain(f, source.scope);
    let candidates: Vec<usize> = f
        .mappings
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            let same = match &rel.target {
                TargetArg::Str(_) => {
                    m.class.last().map(String::as_str) == wanted.last().map(String::as_str)
                }
                _ => m.class == wanted,
            };
            same && !m.non_primary
                && (visible.contains(&m.scope)
                    || scope_chain(f, m.scope).contains(&source.scope)
                    || crate::guard::off("imperative-scope"))
                && (m.helper.is_none() || is_mapping(ix, fi, m))
        })
        .map(|(i, _)| i)
        .collect();
    match candidates.as_slice() {
        [one] => Ok((MappingId::new(fi, *one), false)),
        [] => mapped_elsewhere(ix, fi, source, rel).ok_or_else(|| Refusal::NoImperativeMapping {
            class: wanted.join("."),
        }),
        [first, ..] if crate::guard::off("imperative-scope") => {
            Ok((MappingId::new(fi, *first), false))
        }
        _ => Err(Refusal::MappedTwice {
            class: wanted.join("."),
        }),
    }
}

/// Whether the target mapping's `properties` can take the reverse `name`,
/// naming the source class as the source's mapping does.
fn extensible(
    ix: &Index,
    fi: usize,
    source: &MappingFact,
    (target_file, t): (usize, &MappingFact),
    name: &str,
) -> Result<(), Refusal> {
    if !is_mapping(ix, target_file, t) || t.opaque_properties {
        return Err(Refusal::PropertiesNotExtensible {
            class: t.class.join("."),
        });
    }
    if t.properties
        .as_ref()
        .is_some_and(|p| p.keys.iter().any(|k| k == name))
    {
        return Err(Refusal::PropertyExists {
            class: t.class.join("."),
            name: name.to_string(),
        });
    }
    // A new keyword argument of a helper's call: an identifier that is not
    // the helper's own parameter.
    if t.helper == Some(HelperProps::Keywords) {
        if !name.is_ascii() {
            return Err(Refusal::NotAsciiName {
                name: name.to_string(),
            });
        }
        let taken = helper_def(ix, target_file, t.scope, &t.callee, 0)
            .is_none_or(|h| h.class_param == name);
        if taken || name.starts_with("__") || super::pairing::is_python_keyword(name) {
            return Err(Refusal::HelperKeyword {
                name: name.to_string(),
                helper: t.callee.join("."),
            });
        }
    }
    // The reverse names the source class where the target is mapped.
    let head = &source.class[0];
    let here = ix.lookup_in(fi, source.scope, head);
    if target_file == fi
        && ix.lookup_in(fi, t.scope, head) != here
        && !crate::guard::off("imperative-scope")
    {
        return Err(Refusal::SourceNotVisible {
            source: source.class.join("."),
            target: t.class.join("."),
        });
    }
    Ok(())
}

/// The mapping of the relationship's target in another module, at the top of
/// a module that the source's module imports, and whether it runs after the
/// source's mapping. It has run, and mapped the class, before the source's
/// mapping when the module does not import the source's module back, or when
/// the import order of a package holding both runs it first (see
/// [`Index::runs_before`]); that order may also put it after the source's
/// (`true`). The target must be named by a class, not a string.
fn mapped_elsewhere(
    ix: &Index,
    fi: usize,
    source: &MappingFact,
    rel: &RelFact,
) -> Option<(MappingId, bool)> {
    let scope = source.scope;
    let (TargetArg::Name(d) | TargetArg::Lambda(d)) = &rel.target else {
        return None;
    };
    let Symbol::Class(class) = ix.lookup_dotted_in(fi, scope, d) else {
        return None;
    };
    let reach = ix.imports_transitively(fi);
    let mut found = Vec::new();
    for &tf in reach.iter().filter(|&&tf| tf != fi) {
        for (mi, m) in ix.mappings_of(tf).iter().enumerate() {
            if m.scope == 0
                && !m.non_primary
                && ix.lookup_dotted_in(tf, 0, &m.class) == Symbol::Class(class)
                && is_mapping(ix, tf, m)
            {
                found.push(MappingId::new(tf, mi));
            }
        }
    }
    match found.as_slice() {
        [m] if !ix.imports_transitively(m.file).contains(&fi) => Some((*m, false)),
        [m] if source.scope == 0 => {
            let at = ix.mappings_of(m.file)[m.mapping].call_range.start;
            // `Some(false)`: both ran, the source's first.
            ix.runs_before((m.file, at), (fi, source.call_range.start))
                .map(|first| (*m, !first))
        }
        _ => None,
    }
}

pub(super) fn build_fix(ix: &Index, p: &ImperativePairing) -> Result<Fix, Refusal> {
    let f = &ix.files[p.file];
    let rel = &f.relationships[p.rel];
    let b = backref_of(rel)?;
    let source = &f.mappings[p.source];
    let target = &ix.files[p.target_file].mappings[p.target];
    // The module the reverse is written in: the source's, or the target's
    // when its mapping runs later and takes the entry.
    let home = if p.source_expr.is_some() {
        p.target_file
    } else {
        p.file
    };
    let style = ix.style(home);
    let src = Source {
        file: p.file,
        scope: rel.scope,
        class: None,
        at: rel.stmt_range.start,
        alias: None,
    };
    // A target mapped in another module gets its reverse here, after the
    // source's mapping: the values are evaluated there.
    let (scope, at) = if let Some(a) = p.anchor.map(|a| &f.mappings[a]) {
        (a.scope, a.call_range.end)
    } else if p.target_file == p.file || p.source_expr.is_some() {
        (target.scope, target.call_range.start)
    } else {
        (source.scope, source.call_range.end)
    };
    let dst = Dest {
        file: home,
        scope,
        class: None,
        at,
        insert_at: at,
        new_name: String::new(),
        quote: style.quote,
    };
    let mut needs: BTreeSet<Need> = BTreeSet::new();
    let ReverseParts { args, callee, .. } =
        reverse_parts(ix, (rel, b), (&src, &dst), &p.flavor, None, &mut needs)?;
    if home != p.file {
        // Another module of the tree imported into the target's would be a
        // new import edge between modules that already import each other.
        if let Some(n) = needs.iter().find(|n| ix.defines_module(need_module(n))) {
            return Err(Refusal::SourceNotVisible {
                source: need_module(n).to_string(),
                target: target.class.join("."),
            });
        }
    }
    let mut all_args = vec![
        p.source_expr
            .clone()
            .unwrap_or_else(|| source.class.join(".")),
        format!("back_populates={}", style.string(&rel.attr)),
    ];
    all_args.extend(args.iter().map(|(k, v)| format!("{k}={v}")));
    let entry_edits = if p.late {
        vec![late_reverse(ix, p, &callee, &all_args, &style, &mut needs)?]
    } else if home != p.file {
        let there = ImperativePairing {
            file: home,
            ..p.clone()
        };
        properties_entry(ix.files[home], &there, target, &callee, &all_args, &style)
    } else {
        properties_entry(f, p, target, &callee, &all_args, &style)
    };
    Ok(Fix {
        file: p.file,
        rel: p.rel,
        name: p.name.clone(),
        edits: std::iter::once(super::forward_edit(
            ix,
            p.file,
            rel,
            b.kw_range.clone(),
            format!("back_populates={}", p.forward_value),
        ))
        .chain(entry_edits)
        .collect(),
        needs: needs.into_iter().map(|n| (home, n)).collect(),
        source_class: source.class.join("."),
        target_file: p.target_file,
        target_class: target.class.join("."),
        target: None,
        also: Vec::new(),
        siblings: Vec::new(),
    })
}

/// The module a needed import names.
fn need_module(n: &Need) -> &str {
    match n {
        Need::From { module, .. }
        | Need::Import { module, .. }
        | Need::TypeChecking { module, .. } => module,
    }
}
