//! The reverse relationship of one pairing, as edits.
//!
//! What SQLAlchemy's backref generation would have put on the target class —
//! `secondary`, the join conditions (swapped for many-to-many, `remote()`
//! moved otherwise), `foreign_keys`, the inherited flags and every keyword of
//! `backref(...)` — written as a statement in the target module's own spelling,
//! plus the forward's `backref=` turned into `back_populates=`.
//!
//! It does not decide whether the pairing exists (`pairing`) nor splice the
//! edits into files (`apply`); values move between modules through `expr`.

use std::collections::BTreeSet;

use super::placement::placement;
use super::typed::{
    Dataclass, dataclass_kind, reverse_is_collection, reverse_scalar_nullable, typed_annotation,
};
use super::*;
use crate::codegen::{commented_call_statement, unit_of};
use crate::expr::{self, Dest, Need, Source};

/// The one column of class `of` with a foreign key to the table of class
/// `to` (the column a many-to-one reverse is built on).
fn fk_column_to<'a>(ix: &Index<'a>, of: ClassId, to: ClassId) -> Option<&'a str> {
    let table = ix.class(to).tablename.as_deref()?;
    let mut cols = ix.class(of).columns.iter().filter(|c| {
        c.foreign_keys.iter().any(|fk| {
            fk.rsplit_once('.')
                .is_some_and(|(t, _)| t == table || t.ends_with(&format!(".{table}")))
        })
    });
    let one = cols.next()?;
    cols.next().is_none().then_some(one.attr.as_str())
}

/// Whether `wrapper(relationship(...), ...)` is the relationship itself: a
/// module-level function of the tree, its name's only binding, that returns
/// its first argument unchanged, or a function from outside the tree that the
/// configuration declares (`identity-wrappers`; a function the tree defines
/// is read, whatever the configuration says).
fn returns_its_argument(ix: &Index, fi: usize, scope: usize, wrapper: &[String]) -> bool {
    let Symbol::Binding(id) = ix.lookup_alias(fi, scope, wrapper) else {
        // A library's function: as the configuration declares it.
        return wrapper
            .last()
            .is_some_and(|w| ix.settings(fi).identity_wrappers.contains(w));
    };
    let b = ix.binding(id);
    let file = &ix.files[id.file];
    let unrebound = ix.only_called(id.file, &b.name, 0)
        && (id.file == fi || wrapper.len() > 1 || ix.only_called(fi, &wrapper[0], 1));
    b.scope == 0
        && unrebound
        && file
            .bindings
            .iter()
            .filter(|x| x.scope == 0 && x.name == b.name)
            .count()
            == 1
        && file
            .identity_functions
            .iter()
            .any(|(n, at)| *n == b.name && *at == b.offset)
}

/// The fix of one declarative pairing: the forward's `back_populates=`, the
/// reverse statement in the target class, and the imports it needs.
pub(super) fn build_fix(ix: &Index, p: &Pairing) -> Result<Fix, Refusal> {
    let f = &ix.files[p.file];
    let rel = &f.relationships[p.rel];
    let b = backref_of(rel)?;
    if let Some(wrapper) = &rel.wrapper
        && !returns_its_argument(ix, p.file, rel.scope, wrapper)
    {
        return Err(Refusal::Site(SiteContext::ClassBodyCall {
            wrapper: wrapper.join("."),
        }));
    }
    let tfi = p.target.file;
    let tclass = ix.class(p.target);
    let (body_indent, unit) = body_layout(ix, p.target)?;
    let fk_column = p.source.and_then(|s| fk_column_to(ix, p.target, s));
    let (replaced, stub_edits) = placement(ix, p.target, &p.name, fk_column);
    let insert_at = replaced.start;
    let mut needs: BTreeSet<Need> = BTreeSet::new();
    let (src, dst) = scopes(ix, p, rel, insert_at);
    let (source_cid, src_name) = source_string(ix, p)?;
    let ReverseParts {
        args,
        lazy: dynamic,
        callee,
    } = reverse_parts(
        ix,
        (rel, b),
        (&src, &dst),
        &p.flavor,
        Some((p.target, insert_at)),
        &mut needs,
    )?;
    let dataclass = dataclass_kind(ix, p.target);
    let reverse = Reverse {
        insert_at,
        source_cid,
        src_name: &src_name,
        dynamic: dynamic.as_deref(),
        dataclass,
        body_indent,
        unit,
    };
    let annotation = reverse_annotation(ix, p, rel, b, &reverse, &mut needs)?;
    let text = reverse_statement(ix, p, rel, &reverse, annotation, &args, &callee);
    let mut edits = vec![
        forward_edit(
            ix,
            p.file,
            rel,
            b.kw_range.clone(),
            format!("back_populates={}", p.forward_value),
        ),
        Edit::new(tfi, replaced, text),
    ];
    edits.extend(
        stub_edits
            .into_iter()
            .map(|range| Edit::new(tfi, range, String::new())),
    );
    let source_class = match (p.source, &rel.owner) {
        (Some(c), _) => ix.class(c).name.clone(),
        (None, Owner::Assigned(chain)) => chain.join("."),
        (None, _) => String::new(),
    };
    Ok(Fix {
        file: p.file,
        rel: p.rel,
        name: p.name.clone(),
        edits,
        needs: needs.into_iter().map(|n| (tfi, n)).collect(),
        source_class,
        target_file: tfi,
        target_class: tclass.name.clone(),
        target: Some(p.target),
        also: Vec::new(),
        siblings: Vec::new(),
    })
}

/// What the reverse's annotation and text depend on, decided once.
struct Reverse<'a> {
    insert_at: usize,
    source_cid: ClassId,
    /// The source class as the reverse's string names it (module-qualified
    /// when another class of that name may share the registry).
    src_name: &'a str,
    /// The `lazy=` of the reverse, unquoted.
    dynamic: Option<&'a str>,
    dataclass: Dataclass,
    /// The indentation of the target class's body, and one indentation unit.
    body_indent: String,
    unit: String,
}

/// The indentation of the target class's body and one indentation unit.
fn body_layout(ix: &Index, target: ClassId) -> Result<(String, String), Refusal> {
    let tfile = &ix.files[target.file];
    let tclass = ix.class(target);
    let Some(body_indent) = tclass.body_indent.clone() else {
        return Err(Refusal::BodyOnHeaderLine {
            class: tclass.name.clone(),
        });
    };
    let class_indent: String = tfile.source
        [crate::syntax::line_start(&tfile.source, tclass.range.start)..tclass.range.start]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let unit = unit_of(&body_indent, &class_indent);
    Ok((body_indent, unit))
}

/// Where the forward's values are read and where the reverse's are written.
fn scopes(ix: &Index, p: &Pairing, rel: &RelFact, insert_at: usize) -> (Source, Dest) {
    let tclass = ix.class(p.target);
    let src = Source {
        file: p.file,
        scope: rel.scope,
        // A declared_attr body is a function: the class body's names are not visible.
        class: p
            .source
            .filter(|_| matches!(rel.owner, Owner::Class(_)) && p.mixin.is_none()),
        at: rel.stmt_range.start,
        // In a declared_attr, `cls` is the class it runs for.
        alias: rel
            .declared_attr
            .as_ref()
            .and_then(|d| d.cls.clone())
            .zip(p.source.filter(|_| p.mixin.is_some())),
    };
    let dst = Dest {
        file: p.target.file,
        scope: tclass.scope,
        class: Some(p.target),
        at: tclass.range.start,
        insert_at,
        new_name: p.name.clone(),
        quote: ix.style(p.target.file).quote,
    };
    (src, dst)
}

/// The source class and the string the reverse names it by, when that string
/// provably means it in the target's registry.
fn source_string(ix: &Index, p: &Pairing) -> Result<(ClassId, String), Refusal> {
    let source_cid = p.source.ok_or(Refusal::SourceUnknown)?;
    let Some(src_name) = ix.string_name(source_cid) else {
        return Err(Refusal::SourceNotNameable {
            class: ix.class(source_cid).name.clone(),
            module: ix.modules[source_cid.file].clone(),
        });
    };
    let source_text = &ix.files[source_cid.file].source;
    if src_name.contains('.')
        && (source_text.contains("__name__ == \"__main__\"")
            || source_text.contains("__name__ == '__main__'"))
    {
        // Run as a script the module is `__main__`, and a module path cannot name it.
        return Err(Refusal::SourceIsScript {
            class: ix.class(source_cid).name.clone(),
            path: ix.files[source_cid.file].path.clone(),
        });
    }
    if let (Some(a), Some(t)) = (ix.root(source_cid), ix.root(p.target))
        && a != t
    {
        return Err(Refusal::DifferentRegistries {
            source: ix.class(source_cid).name.clone(),
            target: ix.class(p.target).name.clone(),
        });
    }
    // Read where the reverse stands, the string must mean the source (a
    // declared_attr's reverse names a class it runs for, proven apart).
    let scope = ix.class(p.target).scope;
    if p.mixin.is_none()
        && !crate::guard::off("source-name-shared")
        && !matches!(
            ix.resolve_class_string(p.target.file, scope, Some(p.target), &src_name),
            Resolved::Class(c) if c == source_cid
        )
    {
        return Err(Refusal::SourceNameShared {
            class: ix.class(source_cid).name.clone(),
            name: src_name,
        });
    }
    Ok((source_cid, src_name))
}

/// The reverse's `Mapped[...]` annotation, when the target is typed and the
/// direction is known; refused for a mapped dataclass that needs one and
/// cannot get it.
fn reverse_annotation(
    ix: &Index,
    p: &Pairing,
    rel: &RelFact,
    b: &BackrefFact,
    r: &Reverse,
    needs: &mut BTreeSet<Need>,
) -> Result<Option<String>, Refusal> {
    let tfi = p.target.file;
    let tclass = ix.class(p.target);
    let mut annotation = None;
    // Annotations where the module already writes 2.0-style typed models
    // (`typed = "auto"`), everywhere (`"always"`) or nowhere (`"never"`).
    let typed = match ix.settings(tfi).typed {
        crate::config::Typed::Auto => tclass.typed && ix.files[tfi].uses_sa20,
        crate::config::Typed::Always => true,
        crate::config::Typed::Never => false,
    };
    // In a dataclass (SQLAlchemy's own, a plain `@dataclass`, attrs) an
    // annotated attribute becomes a field, which `__init__`, `__repr__`,
    // `__eq__`, `fields()` and `asdict()` see; an unannotated one stays a
    // class attribute, which is what a backref's attribute was.
    let typed = typed && (r.dataclass == Dataclass::No || crate::guard::off("dataclass"));
    if typed
        && !r.src_name.contains('.')
        && let Some(collection) = reverse_is_collection(ix, p, rel, b)
    {
        let scalar_nullable = !collection && reverse_scalar_nullable(ix, p);
        let mut typing_needs = BTreeSet::new();
        annotation = typed_annotation(
            ix,
            (p.target, r.insert_at),
            r.src_name,
            collection,
            scalar_nullable,
            b,
            r.dynamic,
            &mut typing_needs,
        );
        // The annotation names the class as the target module does: a
        // module whose name means something else (a schema class of the same
        // name, say) cannot name it there, for a type checker or for
        // SQLAlchemy, which evaluates the string in that module first.
        let source_cid = r.source_cid;
        match ix.lookup_in(tfi, tclass.scope, &ix.class(source_cid).name) {
            _ if annotation.is_none() => {}
            Symbol::Class(c) if c == source_cid => {}
            Symbol::Unknown if source_cid.file != tfi => {
                needs.insert(Need::TypeChecking {
                    module: ix.modules[source_cid.file].clone(),
                    name: ix.class(source_cid).name.clone(),
                });
            }
            _ if crate::guard::off("annotation-name") => {}
            _ => annotation = None,
        }
        if annotation.is_some() {
            needs.extend(typing_needs);
        }
    }
    Ok(annotation)
}

/// The reverse statement's text, laid out in the target module's style.
fn reverse_statement(
    ix: &Index,
    p: &Pairing,
    rel: &RelFact,
    r: &Reverse,
    annotation: Option<String>,
    args: &[(String, String)],
    callee: &str,
) -> String {
    let tfile = &ix.files[p.target.file];
    let style = ix.style(p.target.file);
    let mut first = Vec::new();
    if annotation.is_none() {
        first.push(style.string(r.src_name));
    }
    first.push(format!("back_populates={}", style.string(&rel.attr)));
    let (all_args, end) = commented_arguments(rel, first, args);
    let lhs = match &annotation {
        Some(a) => format!("{}: {a}", p.name),
        None => p.name.clone(),
    };
    let mut text = commented_call_statement(
        &r.body_indent,
        &r.unit,
        &lhs,
        callee,
        &all_args,
        &end,
        &style,
    );
    let src_text = &tfile.source;
    let insert_at = r.insert_at;
    if insert_at > 0 && insert_at == src_text.len() && !src_text.ends_with(['\n', '\r']) {
        // The file ends without a line ending: keep it that way.
        text.insert_str(0, style.line_ending);
        text.truncate(text.len() - style.line_ending.len());
    }
    text
}

/// The keyword arguments of the reverse, in order, as SQLAlchemy's backref would set them.
fn reverse_args(
    ix: &Index,
    rel: &RelFact,
    b: &BackrefFact,
    src: &Source,
    dst: &Dest,
    needs: &mut BTreeSet<Need>,
) -> Result<Vec<(String, String)>, Refusal> {
    let mv = |k: &Kwarg, needs: &mut BTreeSet<Need>| {
        expr::move_value(ix, &k.name, &k.value, src, dst, needs)
    };
    let mut out: Vec<(String, String)> = Vec::new();
    // `secondary` by keyword or as the second positional argument.
    let positional = rel.positional_secondary.as_ref().map(|value| Kwarg {
        name: "secondary".into(),
        range: value.range.clone(),
        value: value.clone(),
    });
    let secondary = kw(&rel.kwargs, "secondary").or(positional.as_ref());
    if let Some(s) = secondary {
        out.push(("secondary".into(), mv(s, needs)?));
    }
    let own = |name: &str| kw(&b.kwargs, name).is_some();
    let pj = kw(&rel.kwargs, "primaryjoin");
    let sj = kw(&rel.kwargs, "secondaryjoin");
    if secondary.is_some() {
        if let (Some(sj), false) = (sj, own("primaryjoin")) {
            out.push(("primaryjoin".into(), mv(sj, needs)?));
        }
        if let (Some(pj), false) = (pj, own("secondaryjoin")) {
            out.push(("secondaryjoin".into(), mv(pj, needs)?));
        }
    } else if let (Some(pj), false) = (pj, own("primaryjoin")) {
        let moved = mv(pj, needs)?;
        let swapped = expr::swap_remote_in(&moved)?;
        out.push(("primaryjoin".into(), swapped));
    }
    for name in [
        "foreign_keys",
        "viewonly",
        "post_update",
        "passive_updates",
        "sync_backref",
    ] {
        if let (Some(k), false) = (kw(&rel.kwargs, name), own(name)) {
            out.push((name.into(), mv(k, needs)?));
        }
    }
    for k in &b.kwargs {
        out.push((k.name.clone(), mv(k, needs)?));
    }
    Ok(out)
}

/// The reverse's arguments (`first`, then the moved `args`) with the
/// comments written among the backref's keywords: each with the keyword it
/// trails or precedes, and those after the last keyword (or on one the
/// reverse does not carry) after them all.
pub(super) type CommentedArguments = (Vec<(String, Vec<String>, Option<String>)>, Vec<String>);

pub(super) fn commented_arguments(
    rel: &RelFact,
    first: Vec<String>,
    args: &[(String, String)],
) -> CommentedArguments {
    let comments = rel.backref.as_ref().map_or(&[][..], |b| &b.comments[..]);
    let before = |key: &str| -> Vec<String> {
        comments
            .iter()
            .filter(|(at, _)| *at == CommentAt::Before(key.to_string()))
            .map(|(_, c)| c.clone())
            .collect()
    };
    let after = |key: &str| -> Option<String> {
        let all: Vec<&str> = comments
            .iter()
            .filter(|(at, _)| *at == CommentAt::After(key.to_string()))
            .map(|(_, c)| c.as_str())
            .collect();
        (!all.is_empty()).then(|| all.join("  "))
    };
    let end: Vec<String> = comments
        .iter()
        .filter(|(at, _)| *at == CommentAt::End)
        .map(|(_, c)| c.clone())
        .chain(
            // A comment on a keyword the reverse does not carry stays with
            // the others, after them.
            comments.iter().filter_map(|(at, c)| match at {
                CommentAt::Before(k) | CommentAt::After(k)
                    if !args.iter().any(|(key, _)| key == k) =>
                {
                    Some(c.clone())
                }
                _ => None,
            }),
        )
        .collect();
    let all_args = first
        .into_iter()
        .map(|a| (a, Vec::new(), None))
        .chain(
            args.iter()
                .map(|(k, v)| (format!("{k}={v}"), before(k), after(k))),
        )
        .collect();
    (all_args, end)
}

/// What a reverse is made of: the arguments moved from the forward and its
/// backref, its `lazy=` unquoted, and its callee as the destination module
/// spells it.
pub(super) struct ReverseParts {
    pub args: Vec<(String, String)>,
    pub lazy: Option<String>,
    pub callee: String,
}

/// The [`ReverseParts`] of the reverse of `rel` (with backref `b`), moved
/// from `src` to `dst`; `place` as for [`reverse_callee`].
pub(super) fn reverse_parts(
    ix: &Index,
    (rel, b): (&RelFact, &BackrefFact),
    (src, dst): (&Source, &Dest),
    flavor: &Flavor,
    place: Option<(ClassId, usize)>,
    needs: &mut BTreeSet<Need>,
) -> Result<ReverseParts, Refusal> {
    let args = reverse_args(ix, rel, b, src, dst, needs)?;
    let lazy = args
        .iter()
        .find(|(k, _)| k == "lazy")
        .map(|(_, v)| v.trim_matches(|c| c == '"' || c == '\'').to_string());
    let callee = reverse_callee(ix, flavor, dst.file, place, lazy.as_deref(), needs)?;
    Ok(ReverseParts { args, lazy, callee })
}

/// `relationship` as the target module spells it, adding an import when
/// needed. `place` is the class body the reverse goes into and where: a name
/// bound there before it (`relationship = Column(String)`) means the class
/// attribute, not the module's import, so that spelling cannot be used.
pub(super) fn reverse_callee(
    ix: &Index,
    flavor: &Flavor,
    tfi: usize,
    place: Option<(ClassId, usize)>,
    lazy: Option<&str>,
    needs: &mut BTreeSet<Need>,
) -> Result<String, Refusal> {
    let tfile = &ix.files[tfi];
    let free_here = |spelling: &str| {
        let head = spelling.split('.').next().unwrap_or(spelling);
        place.is_none_or(|(c, at)| !class_binds(ix, c, head, at))
    };
    let bound_names: Vec<&str> = tfile
        .imports
        .iter()
        .filter(|i| !i.type_checking)
        .map(|i| i.bound.as_str())
        .chain(tfile.bindings.iter().map(|b| b.name.as_str()))
        .filter(|n| free_here(n))
        .collect();
    if let Flavor::Family(family) = flavor
        && !crate::guard::off("family-callee")
    {
        return super::family::family_callee(ix, family, tfi, place, &free_here, needs);
    }
    if let Flavor::Flask(db) = flavor {
        // Keep Flask-SQLAlchemy's query class: use the same `db` in the target
        // module. Without one, SQLAlchemy's own relationship is the same
        // relationship unless it is dynamic: `db.relationship` only adds a
        // `query_class`, which nothing but a dynamic loader reads.
        let same_db = bound_names
            .iter()
            .find(|n| ix.lookup(tfi, n) == *db)
            .map(|n| format!("{n}.relationship"));
        match same_db {
            Some(spelling) => return Ok(spelling),
            // Only a loader known not to be dynamic: `lazy=u"dynamic"` or a
            // constant is not shown to be anything else.
            None if !lazy.is_none_or(|l| {
                matches!(
                    l,
                    "select"
                        | "joined"
                        | "subquery"
                        | "selectin"
                        | "immediate"
                        | "noload"
                        | "raise"
                        | "raise_on_sql"
                        | "True"
                        | "False"
                        | "None"
                )
            }) =>
            {
                return Err(Refusal::NoFlaskInstance);
            }
            None => {}
        }
    }
    if let Some(spelling) = spelling_in_module(ix, tfi, &bound_names, lazy, &free_here) {
        return Ok(spelling);
    }
    new_import(ix, tfi, &free_here, needs)
}

/// A spelling of SQLAlchemy's `relationship` the target module already has:
/// the one its relationships use, an import of it or of `orm`, or its
/// Flask-SQLAlchemy `db` (not for dynamic relationships, whose query class
/// `db` would change).
fn spelling_in_module(
    ix: &Index,
    tfi: usize,
    bound_names: &[&str],
    lazy: Option<&str>,
    free_here: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let tfile = &ix.files[tfi];
    for r in &tfile.relationships {
        if r.callee.last().is_some_and(|l| l == "relationship")
            && flavor_of(ix, tfi, r.scope, &r.callee, RELATIONSHIP_CALLEES) == Some(Flavor::Plain)
            && free_here(&r.callee[0])
        {
            return Some(r.callee.join("."));
        }
    }
    for n in bound_names {
        match ix.lookup(tfi, n) {
            Symbol::External {
                module,
                name: Some(x),
            } if module == "sqlalchemy.orm" && x == "relationship" => {
                return Some(n.to_string());
            }
            Symbol::External {
                module,
                name: Some(x),
            } if module == "sqlalchemy" && x == "orm" => {
                return Some(format!("{n}.relationship"));
            }
            Symbol::External { module, name: None } if module == "sqlalchemy.orm" => {
                return Some(format!("{n}.relationship"));
            }
            _ => {}
        }
    }
    let dynamic = matches!(lazy, Some("dynamic" | "write_only"));
    if !dynamic {
        for n in bound_names {
            if let Symbol::Binding(b) = ix.lookup(tfi, n)
                && ix.is_flask_db(b)
            {
                return Some(format!("{n}.relationship"));
            }
        }
    }
    None
}

/// An import of SQLAlchemy's `relationship` (or of `orm`, when the module
/// binds `relationship` to something else) under a name the module leaves free.
fn new_import(
    ix: &Index,
    tfi: usize,
    free_here: &dyn Fn(&str) -> bool,
    needs: &mut BTreeSet<Need>,
) -> Result<String, Refusal> {
    let free = |n: &str| ix.lookup(tfi, n) == Symbol::Unknown && free_here(n);
    if free("relationship") || crate::guard::off("callee-shadow") {
        needs.insert(Need::From {
            module: "sqlalchemy.orm".into(),
            name: "relationship".into(),
            alias: "relationship".into(),
        });
        return Ok("relationship".into());
    }
    // `relationship` means something else here (a column of that name, a
    // helper of the module): reach SQLAlchemy's through its module.
    if free("orm") {
        needs.insert(Need::From {
            module: "sqlalchemy".into(),
            name: "orm".into(),
            alias: "orm".into(),
        });
        return Ok("orm.relationship".into());
    }
    Err(Refusal::RelationshipShadowed)
}
