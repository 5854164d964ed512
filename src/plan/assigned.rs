//! Relationships assigned to classes made at run time: `Tag = make_model(...)`
//! then `Tag.user = relationship("User", backref="tags")`, or a class's
//! relationship to such a class. The reverse is assigned the same way right
//! after the forward (`User.tags = relationship(Tag, back_populates="user")`),
//! naming both classes by their module-level names: a class made at run time
//! has no class body to write into, and its string name is whatever the
//! factory was given.

use std::collections::BTreeSet;

use super::reverse::{ReverseParts, commented_arguments, reverse_parts};
use super::*;
use crate::codegen::commented_call_statement;
use crate::expr::{Dest, Source};
use crate::index::Made;

/// One side of an assigned pairing.
enum Side {
    Made(Made),
    Class(ClassId),
}

/// The fix for `X.attr = relationship(T, backref=...)` at the top of a
/// module when `X` or `T` is a class made at run time; `None` when neither
/// is (the declarative planner handles it).
pub(super) fn assigned_fix(
    ix: &Index,
    fi: usize,
    ri: usize,
    rel: &RelFact,
    b: &BackrefFact,
) -> Option<Result<Fix, Refusal>> {
    let Owner::Assigned(chain) = &rel.owner else {
        return None;
    };
    if rel.declared_attr.is_some() || rel.scope != 0 {
        return None;
    }
    // A statement of the module itself, not of a block (`if FEATURE:`): the
    // reverse, assigned after it, must run exactly when it does.
    let f = &ix.files[fi];
    let top_level =
        crate::syntax::line_start(&f.source, rel.stmt_range.start) == rel.stmt_range.start;
    // Whatever the classes are, a forward that runs on a condition cannot
    // have an unconditional reverse.
    if !top_level && !crate::guard::off("module-block") {
        return Some(Err(Refusal::Site(SiteContext::ModuleBlock)));
    }
    let [source_name] = chain.as_slice() else {
        return None;
    };
    let source = side_named(ix, fi, source_name);
    let target = target_side(ix, fi, &rel.target);
    let made =
        |s: &Option<Result<Side, Refusal>>| matches!(s, Some(Ok(Side::Made(_))) | Some(Err(_)));
    if !made(&source) && !made(&target) {
        return None;
    }
    Some(fix(ix, fi, ri, rel, b, source_name, source, target))
}

/// What a module-level name of file `fi` is: a class made at run time, a
/// class, or neither (`None`).
fn side_named(ix: &Index, fi: usize, name: &str) -> Option<Result<Side, Refusal>> {
    match ix.made_class_named(fi, name) {
        Ok(Some(m)) => Some(Ok(Side::Made(m))),
        Err(why) => Some(Err(Refusal::MadeClassUnproven {
            name: name.to_string(),
            why,
        })),
        Ok(None) => match ix.lookup(fi, name) {
            Symbol::Class(c) => Some(Ok(Side::Class(c))),
            _ => None,
        },
    }
}

/// The relationship's target: a module-level name of the module, or the
/// string name of exactly one class made at run time there (and of no class
/// the registry could find instead).
fn target_side(ix: &Index, fi: usize, target: &TargetArg) -> Option<Result<Side, Refusal>> {
    match target {
        TargetArg::Name(d) if d.len() == 1 => side_named(ix, fi, &d[0]),
        TargetArg::Str(s) => {
            match ix.resolve_class_string(fi, 0, None, s) {
                Resolved::Missing => {}
                // A class the module names: the reverse is assigned to it there.
                Resolved::Class(c) if ix.lookup(fi, &ix.class(c).name) == Symbol::Class(c) => {
                    return Some(Ok(Side::Class(c)));
                }
                _ => {
                    return Some(Err(Refusal::AssignedTargetUnnamed {
                        target: s.to_string(),
                    }));
                }
            }
            let named: Vec<Made> = ix.files[fi]
                .made_classes
                .iter()
                .filter_map(|m| ix.made_class(fi, &m.name).ok().flatten())
                .filter(|m| m.registry_name == *s)
                .collect();
            match <[Made; 1]>::try_from(named) {
                Ok([one]) => Some(Ok(Side::Made(one))),
                Err(_) => None,
            }
        }
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn fix(
    ix: &Index,
    fi: usize,
    ri: usize,
    rel: &RelFact,
    b: &BackrefFact,
    source_name: &str,
    source: Option<Result<Side, Refusal>>,
    target: Option<Result<Side, Refusal>>,
) -> Result<Fix, Refusal> {
    let source = source.ok_or_else(|| Refusal::SourceNotAClass {
        chain: source_name.to_string(),
    })??;
    let target = target.ok_or_else(|| Refusal::TargetUndefined {
        target: show(&rel.target),
    })??;
    let Basics {
        name,
        forward_value,
        flavor,
    } = basics(ix, fi, rel, b)?;
    // Assigning a relationship maps it only on a class whose metaclass does.
    if let Side::Class(c) = &source {
        intercepts(ix, *c)?;
    }
    let target_name = match &target {
        Side::Made(m) => {
            if m.stmt_range.end > rel.stmt_range.start {
                return Err(Refusal::MadeClassUnproven {
                    name: m.name.clone(),
                    why: "it is made after the relationship that names it".into(),
                });
            }
            super::pairing::declarable_name(&name)?;
            if m.members.contains(&name) {
                return Err(Refusal::NameExists {
                    class: m.name.clone(),
                    what: "an attribute",
                    name,
                });
            }
            m.name.clone()
        }
        Side::Class(c) => {
            intercepts(ix, *c)?;
            // A class named by a string: its name must be bound where the
            // forward stands (an import after it would be a NameError).
            let class_name = ix.class(*c).name.clone();
            let bound = crate::syntax::scope::bindings_at(
                &ix.files[fi].source,
                rel.stmt_range.start,
                &[class_name.as_str()],
            );
            if !matches!(bound.as_deref(), Some([b]) if b.is_module_level()) {
                return Err(Refusal::AssignedTargetUnnamed { target: class_name });
            }
            super::pairing::declarable(ix, None, *c, &name)?;
            ix.class(*c).name.clone()
        }
    };
    // A string target names a class of the source's registry.
    if let TargetArg::Str(s) = &rel.target {
        let roots = |side: &Side| match side {
            Side::Made(m) => m.bases.clone(),
            Side::Class(c) => ix.declarative_roots(*c),
        };
        let (a, b) = (roots(&source), roots(&target));
        if !a.iter().any(|x| b.contains(x)) {
            return Err(Refusal::AssignedTargetUnnamed { target: s.clone() });
        }
    }
    // Another statement of the module reading or assigning the attribute,
    // or the forward again (`Tag.user = Tag.owner = ...`, `setattr(Tag, ...)`).
    let f = &ix.files[fi];
    let spelled = format!("{target_name}.{name}");
    if word_positions(&f.source, &spelled).next().is_some() {
        return Err(Refusal::NameExists {
            class: target_name,
            what: "an attribute assigned after the class",
            name,
        });
    }
    let forward = format!("{source_name}.{}", rel.attr);
    let setattr = f.source.split("setattr(").skip(1).any(|rest| {
        let first = rest.split(',').next().unwrap_or("").trim();
        first == source_name || first == target_name
    });
    if word_positions(&f.source, &forward).count() != 1 || setattr {
        return Err(Refusal::AssignedRebound {
            class: source_name.to_string(),
            attr: rel.attr.clone(),
        });
    }
    // Right after the forward's statement.
    let line_end = crate::syntax::line_end(&f.source, rel.stmt_range.end);
    let style = ix.style(fi);
    let nl = style.line_ending;
    let insert_at = line_end;
    let lead = if f.source[..line_end].ends_with(['\n', '\r']) {
        ""
    } else {
        nl
    };
    let src = Source {
        file: fi,
        scope: 0,
        class: None,
        at: rel.stmt_range.start,
        alias: None,
    };
    let dst = Dest {
        file: fi,
        scope: 0,
        class: None,
        at: insert_at,
        insert_at,
        new_name: String::new(),
        quote: style.quote,
    };
    let mut needs: BTreeSet<Need> = BTreeSet::new();
    let ReverseParts { args, callee, .. } =
        reverse_parts(ix, (rel, b), (&src, &dst), &flavor, None, &mut needs)?;
    let first = vec![
        source_name.to_string(),
        format!("back_populates={}", style.string(&rel.attr)),
    ];
    let (all_args, end) = commented_arguments(rel, first, &args);
    let mut text =
        commented_call_statement("", style.indent, &spelled, &callee, &all_args, &end, &style);
    if !lead.is_empty() {
        text.insert_str(0, lead);
        text.truncate(text.len() - nl.len());
    }
    let edits = vec![
        super::forward::forward_edit(
            ix,
            fi,
            rel,
            b.kw_range.clone(),
            format!("back_populates={forward_value}"),
        ),
        Edit::new(fi, insert_at..insert_at, text),
    ];
    Ok(Fix {
        file: fi,
        rel: ri,
        name,
        edits,
        needs: needs.into_iter().map(|n| (fi, n)).collect(),
        source_class: source_name.to_string(),
        target_file: fi,
        target_class: target_name,
        target: None,
        also: Vec::new(),
        siblings: Vec::new(),
    })
}

/// A class whose metaclass maps an attribute assigned to it: a declarative
/// base among its bases or its ancestors' (not a decorator's mapping).
fn intercepts(ix: &Index, c: ClassId) -> Result<(), Refusal> {
    let ok = !ix.declarative_roots(c).is_empty();
    let why = if crate::guard::off("assigned-maps") {
        return Ok(());
    } else if !ok {
        "no declarative base is among its bases, whose metaclass would (a class mapped by a decorator keeps it as a plain attribute)".to_string()
    } else if ix.deferred_reflection(c) {
        "it derives from `DeferredReflection`, mapped only when it is prepared".to_string()
    } else if let Some(why) = super::pairing::not_mapped(ix, c) {
        format!("it {why}")
    } else {
        return Ok(());
    };
    Err(Refusal::AssignedNotMapped {
        class: ix.class(c).name.clone(),
        why,
    })
}

/// Where `dotted` (`Tag.users`) stands as a whole name in `text`.
fn word_positions<'t>(text: &'t str, dotted: &'t str) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.match_indices(dotted)
        .map(|(s, _)| s)
        .filter(move |&s| {
            let e = s + dotted.len();
            (s == 0 || !(ident(bytes[s - 1]) || bytes[s - 1] == b'.'))
                && (e >= bytes.len() || !ident(bytes[e]))
        })
}

fn show(t: &TargetArg) -> String {
    match t {
        TargetArg::Str(s) => format!("\"{s}\""),
        TargetArg::Name(d) | TargetArg::Lambda(d) => d.join("."),
        TargetArg::Other(o) => o.clone(),
        TargetArg::Absent => String::new(),
    }
}
