//! The pairing of one backref: its constructor recognised, its name read, its
//! target class resolved, and every reason the reverse could not be declared
//! there checked (reserved names, unmapped classes, clashes with existing names).
//!
//! It decides whether a pairing exists and between which classes; it does not
//! build the reverse's text (`reverse`) or place it (`placement`).

use super::*;
use crate::config::PlainBackref;
use crate::index::Member;

/// What a callee means: a SQLAlchemy relationship constructor, in which flavor.
pub(super) fn flavor_of(
    ix: &Index,
    fi: usize,
    scope: usize,
    callee: &[String],
    names: &[&str],
) -> Option<Flavor> {
    let last = callee.last()?;
    // Functions the configuration declares to be `relationship()` or
    // `backref()` under another name (project wrappers).
    let settings = ix.settings(fi);
    if let Some((family, member)) = ix.family_member(fi, scope, callee) {
        let wanted = match member {
            Member::Relationship => "relationship",
            Member::Backref => "backref",
        };
        return names
            .contains(&wanted)
            .then(|| Flavor::Family(family.clone()));
    }
    let extra = |wanted: &str, declared: &[String]| {
        names.contains(&wanted) && declared.iter().any(|d| d == last)
    };
    if extra("relationship", &settings.extra_relationship_names)
        || extra("backref", &settings.extra_backref_names)
    {
        return Some(Flavor::Plain);
    }
    if callee.len() >= 2 {
        if !names.contains(&last.as_str()) {
            return None;
        }
        let head = ix.lookup_dotted_in(fi, scope, &callee[..callee.len() - 1]);
        match &head {
            Symbol::Binding(b) if ix.is_flask_db(*b) => {
                return Some(Flavor::Flask(head));
            }
            Symbol::External { module, name } => {
                let full = match name {
                    Some(n) => format!("{module}.{n}"),
                    None => module.clone(),
                };
                return Some(if full == "sqlalchemy" || full.starts_with("sqlalchemy.") {
                    Flavor::Plain
                } else {
                    // `db` imported from outside the tree: keep the spelling.
                    Flavor::Flask(head)
                });
            }
            _ => return None,
        }
    }
    match ix.lookup_in(fi, scope, last) {
        Symbol::External {
            module,
            name: Some(n),
        } if module.starts_with("sqlalchemy") && names.contains(&n.as_str()) => Some(Flavor::Plain),
        _ => None,
    }
}

/// The flavor of the reverse from the forward's and the backref's: a backref
/// built by a wrapper family's `backref()` is declared with the family's
/// `relationship()`; a plain one under the family's `relationship()` as the
/// family passes it on. A family mixed with another wrapper, or whose
/// defaults are not shown to match, is refused.
fn family_flavor(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    backref_callee: &[String],
    forward: Flavor,
    backref: Option<Flavor>,
) -> Result<Flavor, Refusal> {
    let unproven = |callee: &[String], why: String| Refusal::FamilyUnproven {
        callee: callee.join("."),
        why,
    };
    match (forward, backref) {
        (forward, Some(Flavor::Family(g))) => {
            if !matches!(&forward, Flavor::Plain) && forward != Flavor::Family(g.clone()) {
                return Err(unproven(
                    backref_callee,
                    format!(
                        "it is passed to `{}`, another wrapper",
                        rel.callee.join(".")
                    ),
                ));
            }
            ix.family_proof(fi, &g)
                .map_err(|why| unproven(backref_callee, why))?;
            Ok(Flavor::Family(g))
        }
        (Flavor::Family(f), backref) => {
            if let Some(Flavor::Flask(_)) = backref {
                return Err(unproven(
                    &rel.callee,
                    "its backref is built by Flask-SQLAlchemy's `backref()`".into(),
                ));
            }
            match ix
                .family_proof(fi, &f)
                .map_err(|why| unproven(&rel.callee, why))?
            {
                Some(PlainBackref::Plain) => {
                    // SQLAlchemy copies these from the forward into the
                    // backref it builds: a family default among them reaches
                    // the reverse, which SQLAlchemy's own relationship lacks.
                    let copied = [
                        "viewonly",
                        "post_update",
                        "passive_updates",
                        "sync_backref",
                        "primaryjoin",
                        "secondaryjoin",
                        "secondary",
                        "foreign_keys",
                        "remote_side",
                    ];
                    let defaults = ix.family_defaults(fi, &f).unwrap_or_default();
                    if let Some(k) = defaults.iter().find(|k| {
                        copied.contains(&k.as_str()) && !rel.kwargs.iter().any(|x| x.name == **k)
                    }) {
                        return Err(unproven(
                            &rel.callee,
                            format!(
                                "its default `{k}=` reaches the backref SQLAlchemy builds from the forward"
                            ),
                        ));
                    }
                    Ok(Flavor::Plain)
                }
                Some(PlainBackref::Family) => Ok(Flavor::Family(f)),
                None => Err(unproven(
                    &rel.callee,
                    format!(
                        "what it does with a backref not built by `{}` is not declared (`string-backref` in `wrapper-families`)",
                        f.backref
                    ),
                )),
            }
        }
        (Flavor::Flask(_), Some(Flavor::Flask(s))) | (Flavor::Plain, Some(Flavor::Flask(s))) => {
            Ok(Flavor::Flask(s))
        }
        (forward, _) => Ok(forward),
    }
}

/// What every backref needs before its target is looked at: a recognised
/// constructor, a static name, readable arguments.
pub(super) struct Basics {
    pub name: String,
    /// Text after `back_populates=` on the forward.
    pub forward_value: String,
    pub flavor: Flavor,
}

pub(super) fn basics(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    b: &BackrefFact,
) -> Result<Basics, Refusal> {
    let callee = rel.callee.join(".");
    let Some(mut flavor) = flavor_of(ix, fi, rel.scope, &rel.callee, RELATIONSHIP_CALLEES) else {
        return Err(Refusal::Unrecognised {
            callee,
            what: Construct::Relationship,
        });
    };
    let (name, forward_value) = match &b.name {
        BackrefName::Literal(s) => (s.clone(), String::new()),
        BackrefName::Constant(c) => match ix.lookup_in(fi, rel.scope, c) {
            Symbol::Binding(b) => match &ix.binding(b).kind {
                BindingKind::StrConst(v) => (v.clone(), c.clone()),
                _ => return Err(Refusal::NameNotConstant { name: c.clone() }),
            },
            _ => return Err(Refusal::NameNotKnown { name: c.clone() }),
        },
        BackrefName::Dynamic(t) => return Err(Refusal::NameComputed { text: t.clone() }),
    };
    if let Some(o) = &b.opaque {
        return Err(Refusal::OpaqueBackrefArguments { text: o.clone() });
    }
    if rel.positional > 2 {
        return Err(Refusal::TooManyPositional);
    }
    if rel.has_star_kwargs {
        return Err(Refusal::StarKwargs);
    }

    let backref_flavor = match &b.callee {
        Some(bc) => match flavor_of(ix, fi, rel.scope, bc, &["backref"]) {
            Some(f) => Some(f),
            None => {
                return Err(Refusal::Unrecognised {
                    callee: bc.join("."),
                    what: Construct::Backref,
                });
            }
        },
        None => None,
    };
    let bc = b.callee.as_deref().unwrap_or_default();
    flavor = family_flavor(ix, fi, rel, bc, flavor, backref_flavor)?;
    if !valid_identifier(&name) {
        return Err(Refusal::NameNotIdentifier { name });
    }
    // The forward keeps the name as written (its quotes, its constant).
    let forward_value = match (&b.name_literal, forward_value.is_empty()) {
        (_, false) => forward_value,
        (Some(lit), true) if !lit.contains(['\n', '\r']) => lit.clone(),
        _ => ix.style(fi).string(&name),
    };
    Ok(Basics {
        name,
        forward_value,
        flavor,
    })
}

/// The pairing of one backref; `source` names the class the relationship is
/// created for when that is not the class it is written in (a mixin).
pub(super) fn pairing(
    ix: &Index,
    fi: usize,
    ri: usize,
    rel: &RelFact,
    b: &BackrefFact,
    source: Option<ClassId>,
) -> Result<Pairing, Refusal> {
    let Basics {
        name,
        forward_value,
        flavor,
    } = basics(ix, fi, rel, b)?;
    // A properties dict or `add_property()` takes any name; a class body does not.
    if PYTHON_KEYWORDS.contains(&name.as_str()) {
        return Err(Refusal::PythonKeyword { name });
    }
    let source = source_class(ix, fi, rel, source)?;
    if let Owner::Class(ci) = rel.owner
        && !crate::guard::off("class-body-names")
    {
        stands_in_class_body(ix.files[fi], ci, rel)?;
    }
    let target_arg = target_arg(rel)?;
    let target = match class_attribute_target(ix, rel, source, &target_arg) {
        Some(Ok(t)) => t,
        // A string attribute: a class name for the registry, as written.
        Some(Err(name)) => target_class(ix, fi, rel, source, &TargetArg::Str(name))?,
        None => target_class(ix, fi, rel, source, &target_arg)?,
    };
    declarable(ix, source, target, &name)?;
    Ok(Pairing {
        file: fi,
        rel: ri,
        source,
        target,
        name,
        forward_value,
        flavor,
        mixin: None,
    })
}

/// A relationship in a class body that the body deletes or binds again
/// after it may never be mapped; a target named by a name the body binds
/// before it is not the module's class.
fn stands_in_class_body(f: &FileFacts, ci: usize, rel: &RelFact) -> Result<(), Refusal> {
    let members = &f.classes[ci].members;
    let forwards: Vec<usize> = f
        .relationships
        .iter()
        .filter(|r| r.owner == rel.owner && r.attr == rel.attr)
        .map(|r| r.stmt_range.start)
        .collect();
    let at = rel.stmt_range.start;
    if members.iter().any(|m| {
        m.line_range.start > at
            && m.binds(&rel.attr)
            && !forwards.iter().any(|s| m.line_range.contains(s))
    }) {
        return Err(Refusal::ForwardRebound {
            attr: rel.attr.clone(),
        });
    }
    if let TargetArg::Name(d) = &rel.target
        && let Some(head) = d.first()
        && members
            .iter()
            .any(|m| m.line_range.start < at && m.names.contains(head))
    {
        return Err(Refusal::TargetIsVariable {
            target: d.join("."),
        });
    }
    Ok(())
}

/// The class the relationship is created for: the one given (a mixin's
/// subclass), the class whose body holds it, or the class it is assigned to.
fn source_class(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    given: Option<ClassId>,
) -> Result<Option<ClassId>, Refusal> {
    Ok(match (&rel.owner, given) {
        (_, Some(c)) => Some(c),
        (Owner::Imperative(_), None) => return Err(Refusal::ImperativeElsewhere),
        (Owner::Class(ci), None) => Some(ClassId::new(fi, *ci)),
        (Owner::Assigned(chain), None) => match ix.lookup_dotted_in(fi, rel.scope, chain) {
            Symbol::Class(c) => Some(c),
            _ => {
                return Err(Refusal::SourceNotAClass {
                    chain: chain.join("."),
                });
            }
        },
    })
}

/// The relationship's target as written, or as its `Mapped[...]` annotation names it.
fn target_arg(rel: &RelFact) -> Result<TargetArg, Refusal> {
    match (&rel.target, &rel.annotation) {
        (TargetArg::Absent, Some(ann)) => match annotation_class(ann) {
            Some(c) => Ok(TargetArg::Str(c)),
            None => Err(Refusal::AnnotationNotUnderstood {
                annotation: ann.clone(),
            }),
        },
        (TargetArg::Other(t), _) => Err(Refusal::TargetNotAClassName { target: t.clone() }),
        (t, _) => Ok(t.clone()),
    }
}

/// The target of a `declared_attr` relationship named by a class attribute
/// of the class it runs for (`relationship(cls.question_class, ...)`, with
/// `question_class = Question` in that class or the nearest base that sets
/// it, bases in declaration order): the class that name means where it is
/// assigned, or (`Err`) the string it is assigned (`relation_name =
/// "PersonLink"`), a class name for the registry. The attribute must be
/// assigned once there, to a name or a string.
fn class_attribute_target(
    ix: &Index,
    rel: &RelFact,
    source: Option<ClassId>,
    target_arg: &TargetArg,
) -> Option<Result<ClassId, String>> {
    let cls = rel.declared_attr.as_ref()?.cls.as_deref()?;
    let (TargetArg::Name(d) | TargetArg::Lambda(d)) = target_arg else {
        return None;
    };
    let [head, attr] = d.as_slice() else {
        return None;
    };
    let c = source?;
    if head != cls {
        return None;
    }
    let setter = std::iter::once(c)
        .chain(ix.ancestors(c))
        .find(|k| ix.class(*k).members.iter().any(|m| m.names.contains(attr)))?;
    let class = ix.class(setter);
    let assigned = class
        .members
        .iter()
        .filter(|m| m.names.contains(attr))
        .count();
    let values: Vec<&Vec<String>> = class
        .name_attrs
        .iter()
        .filter(|(n, _)| n == attr)
        .map(|(_, v)| v)
        .collect();
    if assigned != 1 {
        return None;
    }
    if let Some((_, text)) = class.str_attrs.iter().find(|(n, _)| n == attr) {
        return Some(Err(text.clone()));
    }
    let [value] = values.as_slice() else {
        return None;
    };
    match ix.lookup_dotted_in(setter.file, class.scope, value) {
        Symbol::Class(t) => Some(Ok(t)),
        _ => None,
    }
}

/// The one class of the given paths the target names.
fn target_class(
    ix: &Index,
    fi: usize,
    rel: &RelFact,
    source: Option<ClassId>,
    target_arg: &TargetArg,
) -> Result<ClassId, Refusal> {
    match ix.resolve_target(fi, rel.scope, source, target_arg) {
        Resolved::Class(c) => Ok(c),
        Resolved::Missing => {
            let undefined = || Refusal::TargetUndefined {
                target: show_target(target_arg),
            };
            Err(match target_arg {
                TargetArg::Name(d) | TargetArg::Lambda(d) => {
                    match ix.lookup_dotted_in(fi, rel.scope, d) {
                        Symbol::Binding(..) => Refusal::TargetIsVariable {
                            target: d.join("."),
                        },
                        Symbol::External { module, .. } => Refusal::TargetExternal {
                            target: d.join("."),
                            module: module.to_string(),
                        },
                        _ => undefined(),
                    }
                }
                _ => undefined(),
            })
        }
        Resolved::Ambiguous(cands) => Err(Refusal::AmbiguousTarget {
            target: show_target(target_arg),
            shown: cands
                .iter()
                .take(3)
                .map(|&c| (ix.files[c.file].path.clone(), ix.class(c).pos.line))
                .collect(),
            more: cands.len().saturating_sub(3),
        }),
    }
}

/// Whether the reverse `name` can be declared in `target` for `source`: both
/// mapped, the source's module loaded whenever the target's is, the target
/// not a stub, the name neither reserved nor taken.
pub(super) fn declarable(
    ix: &Index,
    source: Option<ClassId>,
    target: ClassId,
    name: &str,
) -> Result<(), Refusal> {
    if let Some(why) = not_mapped(ix, target) {
        return Err(Refusal::TargetNotMapped {
            class: ix.class(target).name.clone(),
            why,
        });
    }
    if let Some(why) = source.and_then(|c| not_mapped(ix, c)) {
        let class = source.map(|c| ix.class(c).name.clone()).unwrap_or_default();
        return Err(Refusal::SourceNotMapped { class, why });
    }
    if let Some(src) = source {
        source_imported(ix, src, target)?;
    }
    if ix.files[target.file].stub {
        return Err(Refusal::TargetInStub {
            class: ix.class(target).name.clone(),
        });
    }
    declarable_name(name)?;
    if let Some((class, what)) = existing_name(ix, target, name) {
        return Err(Refusal::NameExists {
            class,
            what,
            name: name.to_string(),
        });
    }
    Ok(())
}

/// A name declarative maps as given: not one it keeps for itself or skips
/// (dunder names, `_sa_`), and ASCII.
pub(super) fn declarable_name(name: &str) -> Result<(), Refusal> {
    if matches!(name, "metadata" | "registry") || name.starts_with("__") || name.starts_with("_sa_")
    {
        return Err(Refusal::ReservedName {
            name: name.to_string(),
        });
    }
    if !name.is_ascii() {
        return Err(Refusal::NotAsciiName {
            name: name.to_string(),
        });
    }
    Ok(())
}

/// A plugin package or a test module pairing onto a core class whose module
/// can be imported without it: the reverse would name a class that may not exist.
fn source_imported(ix: &Index, src: ClassId, target: ClassId) -> Result<(), Refusal> {
    if src.file == target.file || ix.imports_transitively(target.file).contains(&src.file) {
        return Ok(());
    }
    let top = |fi: usize| {
        ix.modules[fi]
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let plugin = top(src.file) != top(target.file);
    let test = ix.is_test_file(src.file) && !ix.is_test_file(target.file);
    if plugin || test {
        return Err(Refusal::SourceNotImported {
            target_module: ix.modules[target.file].clone(),
            test,
            source_module: ix.modules[src.file].clone(),
        });
    }
    Ok(())
}

/// Why a class is certainly not a declaratively mapped class, if it is not.
pub(super) fn not_mapped(ix: &Index, cid: ClassId) -> Option<&'static str> {
    let c = ix.class(cid);
    if c.abstract_ {
        return Some("is `__abstract__`");
    }
    if ix.root(cid) == Some(Index::class_key(cid).as_str()) && c.tablename.is_none() {
        return Some("is the declarative base itself");
    }
    ix.certainly_unmapped(cid)
        .then_some("is not a declaratively mapped class (a mixin, or mapped imperatively)")
}

fn show_target(t: &TargetArg) -> String {
    match t {
        TargetArg::Str(s) => format!("\"{s}\""),
        TargetArg::Name(d) | TargetArg::Lambda(d) => format!("`{}`", d.join(".")),
        TargetArg::Absent => "(none)".into(),
        TargetArg::Other(o) => format!("`{o}`"),
    }
}

/// Hard keywords: names a backref can create (via `setattr`) but a class body cannot declare.
/// Whether `name` is a Python keyword (it cannot name an attribute in code).
pub(super) fn is_python_keyword(name: &str) -> bool {
    PYTHON_KEYWORDS.contains(&name)
}

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The class named inside a `Mapped[...]` annotation.
pub fn annotation_class(ann: &str) -> Option<String> {
    let mut s: String = ann.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let stripped = s.trim_matches(|c| c == '"' || c == '\'').to_string();
        let open = stripped.find('[');
        match open {
            Some(i) if stripped.ends_with(']') => {
                let inner = &stripped[i + 1..stripped.len() - 1];
                s = inner
                    .split(',')
                    .next()
                    .unwrap_or_default()
                    .split('|')
                    .find(|p| *p != "None")
                    .unwrap_or_default()
                    .to_string();
            }
            Some(_) => return None,
            None => {
                let s = stripped
                    .split('|')
                    .find(|p| *p != "None")
                    .unwrap_or_default()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                return valid_dotted(&s).then_some(s);
            }
        }
    }
}

fn valid_dotted(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(valid_identifier)
}

/// A class-body name or after-class assignment that would collide with the reverse.
pub(super) fn existing_name(
    ix: &Index,
    target: ClassId,
    name: &str,
) -> Option<(String, &'static str)> {
    let mut family = vec![target];
    family.extend(ix.ancestors(target));
    family.extend(ix.descendants(target));
    for &cid in &family {
        let c = ix.class(cid);
        for m in &c.members {
            if !m.names.iter().any(|n| n == name) {
                continue;
            }
            // A typing-only stub or a `= None` placeholder in the target
            // itself is replaced, not a clash.
            if cid == target
                && m.placeholder
                && super::placement::placeholder(ix, target, name).is_some()
            {
                continue;
            }
            if cid == target
                && matches!(
                    m.kind,
                    MemberKind::TypeChecking | MemberKind::BareAnnotation
                )
            {
                continue;
            }
            if matches!(m.kind, MemberKind::TypeChecking) {
                continue;
            }
            let what = match m.kind {
                MemberKind::Function => "a method or property",
                MemberKind::Class => "a nested class",
                _ => "an attribute",
            };
            return Some((c.name.clone(), what));
        }
    }
    ix.want_assignments_of(name, &family);
    for &(fi, ri) in ix.assigned_relationships(name) {
        let r = &ix.files[fi].relationships[ri];
        if let Owner::Assigned(chain) = &r.owner
            && let Symbol::Class(c) = ix.lookup_dotted_in(fi, r.scope, chain)
            && related(ix, c, target)
        {
            return Some((
                ix.class(c).name.clone(),
                "an attribute assigned after the class",
            ));
        }
    }
    None
}

/// Whether `name` is bound in the body of class `cid` before offset `at`: a
/// name written there after it means the class attribute, not the module's
/// name. An annotation without a value or a `TYPE_CHECKING` stub binds nothing.
pub(super) fn class_binds(ix: &Index, cid: ClassId, name: &str, at: usize) -> bool {
    if crate::guard::off("class-shadow") {
        return false;
    }
    ix.class(cid)
        .members
        .iter()
        .any(|m| m.line_range.start < at && m.binds(name))
}

#[cfg(test)]
mod tests {
    use super::annotation_class;

    #[test]
    fn reads_annotation_targets() {
        assert_eq!(
            annotation_class("Mapped[List[\"Post\"]]").as_deref(),
            Some("Post")
        );
        assert_eq!(
            annotation_class("Mapped[\"User\"]").as_deref(),
            Some("User")
        );
        assert_eq!(
            annotation_class("Mapped[Optional['User']]").as_deref(),
            Some("User")
        );
        assert_eq!(
            annotation_class("Mapped[\"User | None\"]").as_deref(),
            Some("User")
        );
        assert_eq!(
            annotation_class("Mapped[list[app.Post]]").as_deref(),
            Some("app.Post")
        );
        assert_eq!(
            annotation_class("WriteOnlyMapped[Post]").as_deref(),
            Some("Post")
        );
    }
}
