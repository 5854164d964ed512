//! One fix per backref pairing, or a diagnostic saying why not.
//!
//! For every `relationship(..., backref=...)` this module resolves the target
//! class, checks that the reverse attribute can be declared there, builds the
//! reverse relationship SQLAlchemy would have generated (see the rules in
//! `reverse_args`), and expresses it as edits: the forward's `backref=` becomes
//! `back_populates=`, the reverse is inserted into the target class body, and
//! the imports the new text needs are listed. It reads only facts and the
//! index; it never parses and never writes.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use crate::codegen::{Style, call_statement, unit_of};
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::{self, Dest, Need, Source};
use crate::facts::*;
use crate::index::{ClassId, Index, Resolved, Symbol};
use crate::syntax::RELATIONSHIP_CALLEES;

/// Replace `range` of a file's source with `text` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: usize,
    pub range: Range<usize>,
    pub text: String,
}

/// Everything one pairing changes, across files; applied all or nothing.
#[derive(Debug, Clone)]
pub struct Fix {
    pub file: usize,
    pub rel: usize,
    pub target: ClassId,
    pub name: String,
    pub edits: Vec<Edit>,
    pub needs: Vec<(usize, Need)>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub fixes: Vec<Fix>,
    pub diagnostics: Vec<Diagnostic>,
    /// Backref sites seen (excluding ignored ones).
    pub backrefs: usize,
    pub ignored: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Flavor {
    Plain,
    /// Flask-SQLAlchemy's `db.relationship`; the symbol `db` stands for.
    Flask(Symbol),
}

struct Pairing {
    file: usize,
    rel: usize,
    source: Option<ClassId>,
    target: ClassId,
    name: String,
    /// Text after `back_populates=` on the forward.
    forward_value: String,
    flavor: Flavor,
}

pub fn plan(ix: &Index) -> Plan {
    let mut out = Plan::default();
    let mut pairings = Vec::new();
    for (fi, f) in ix.files.iter().enumerate() {
        if f.stub || f.syntax_error.is_some() || f.skip_file {
            continue;
        }
        for (ri, rel) in f.relationships.iter().enumerate() {
            let Some(b) = &rel.backref else { continue };
            if rel.ignored {
                out.ignored += 1;
                continue;
            }
            out.backrefs += 1;
            match pairing(ix, fi, ri, rel, b) {
                Ok(p) => pairings.push(p),
                Err((code, message)) => out.diagnostics.push(diag(ix, fi, b.pos, code, message)),
            }
        }
    }
    // Backrefs in places no fact covers (imperative mappings, classes built in functions).
    for (fi, f) in ix.files.iter().enumerate() {
        if f.stub || f.syntax_error.is_some() || f.skip_file {
            continue;
        }
        let covered: HashSet<usize> = f
            .relationships
            .iter()
            .filter_map(|r| r.backref.as_ref().map(|b| b.kw_range.start))
            .collect();
        for site in &f.backref_sites {
            if covered.contains(&site.offset) || !is_relationship_site(ix, fi, &site.callee) {
                continue;
            }
            let line_start = crate::syntax::line_start(&f.source, site.offset);
            let line_end = crate::syntax::line_end(&f.source, site.offset);
            if f.source[line_start..line_end].contains("backpop: ignore") {
                out.ignored += 1;
                continue;
            }
            out.backrefs += 1;
            let why = match site.context {
                SiteContext::Function => "a relationship built inside a function is not migrated",
                SiteContext::Mapping => "imperative `properties` mappings are not migrated",
                SiteContext::Other => "a relationship outside a class body is not migrated",
            };
            out.diagnostics
                .push(diag(ix, fi, site.pos, Code::Unsupported, why.to_string()));
        }
    }
    // Two backrefs creating one name on one class (or a relative) are both refused.
    let mut clashing = HashSet::new();
    for (i, a) in pairings.iter().enumerate() {
        for (j, b) in pairings.iter().enumerate().skip(i + 1) {
            if a.name == b.name && related(ix, a.target, b.target) {
                clashing.insert(i);
                clashing.insert(j);
            }
        }
    }
    for (i, p) in pairings.iter().enumerate() {
        let pos = backref_pos(ix, p);
        if clashing.contains(&i) {
            let cls = &ix.class(p.target).name;
            out.diagnostics.push(diag(
                ix,
                p.file,
                pos,
                Code::DuplicateBackref,
                format!("another backref also creates `{cls}.{}`", p.name),
            ));
            continue;
        }
        match build_fix(ix, p) {
            Ok(fix) => out.fixes.push(fix),
            Err((code, message)) => out.diagnostics.push(diag(ix, p.file, pos, code, message)),
        }
    }
    out
}

/// A call that may be SQLAlchemy's relationship(): a known spelling, or a name the tool cannot resolve.
fn is_relationship_site(ix: &Index, fi: usize, callee: &[String]) -> bool {
    let Some(last) = callee.last() else {
        return false;
    };
    RELATIONSHIP_CALLEES.contains(&last.as_str())
        || flavor_of(ix, fi, callee, RELATIONSHIP_CALLEES).is_some()
}

fn backref_pos(ix: &Index, p: &Pairing) -> Pos {
    ix.files[p.file].relationships[p.rel]
        .backref
        .as_ref()
        .map_or(Pos::default(), |b| b.pos)
}

fn diag(ix: &Index, fi: usize, pos: Pos, code: Code, message: String) -> Diagnostic {
    Diagnostic {
        path: ix.files[fi].path.clone(),
        pos,
        code,
        message,
        unmigrated: true,
    }
}

fn related(ix: &Index, a: ClassId, b: ClassId) -> bool {
    a == b || ix.ancestors(a).contains(&b) || ix.descendants(a).contains(&b)
}

type Refusal = (Code, String);

/// What a callee means: a SQLAlchemy relationship constructor, in which flavor.
fn flavor_of(ix: &Index, fi: usize, callee: &[String], names: &[&str]) -> Option<Flavor> {
    let last = callee.last()?;
    if callee.len() >= 2 {
        if !names.contains(&last.as_str()) {
            return None;
        }
        let head = ix.lookup_dotted(fi, &callee[..callee.len() - 1]);
        match &head {
            Symbol::Binding(bf, bi)
                if ix.files[*bf].bindings[*bi].kind == BindingKind::FlaskSqlAlchemy =>
            {
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
    match ix.lookup(fi, last) {
        Symbol::External {
            module,
            name: Some(n),
        } if module.starts_with("sqlalchemy") && names.contains(&n.as_str()) => Some(Flavor::Plain),
        _ => None,
    }
}

fn pairing(
    ix: &Index,
    fi: usize,
    ri: usize,
    rel: &RelFact,
    b: &BackrefFact,
) -> Result<Pairing, Refusal> {
    let callee = rel.callee.join(".");
    let Some(mut flavor) = flavor_of(ix, fi, &rel.callee, RELATIONSHIP_CALLEES) else {
        return Err((
            Code::Unsupported,
            format!("`{callee}` is not recognised as SQLAlchemy's relationship()"),
        ));
    };
    if rel.in_declared_attr {
        return Err((
            Code::DynamicName,
            format!(
                "backref inside the declared_attr `{}` is created once per subclass",
                rel.attr
            ),
        ));
    }
    let (name, forward_value) = match &b.name {
        BackrefName::Literal(s) => (s.clone(), String::new()),
        BackrefName::Constant(c) => match ix.lookup(fi, c) {
            Symbol::Binding(bf, bi) => match &ix.files[bf].bindings[bi].kind {
                BindingKind::StrConst(v) => (v.clone(), c.clone()),
                _ => {
                    return Err((
                        Code::DynamicName,
                        format!("backref name `{c}` is not a string constant"),
                    ));
                }
            },
            _ => {
                return Err((
                    Code::DynamicName,
                    format!("backref name `{c}` is not known statically"),
                ));
            }
        },
        BackrefName::Dynamic(t) => {
            return Err((
                Code::DynamicName,
                format!("backref name `{t}` is computed at run time"),
            ));
        }
    };
    if let Some(o) = &b.opaque {
        return Err((
            Code::Unsupported,
            format!("backref arguments `{o}` cannot be read statically"),
        ));
    }
    if rel.has_star_kwargs {
        return Err((
            Code::Unsupported,
            "relationship() takes `**kwargs` that cannot be read statically".into(),
        ));
    }
    if let Some(bc) = &b.callee {
        match flavor_of(ix, fi, bc, &["backref"]) {
            Some(Flavor::Flask(s)) => flavor = Flavor::Flask(s),
            Some(Flavor::Plain) => {}
            None => {
                return Err((
                    Code::Unsupported,
                    format!(
                        "`{}` is not recognised as SQLAlchemy's backref()",
                        bc.join(".")
                    ),
                ));
            }
        }
    }
    if !valid_identifier(&name) {
        return Err((
            Code::DynamicName,
            format!("backref name `{name}` is not an identifier"),
        ));
    }
    let source = match &rel.owner {
        Owner::Class(ci) => Some((fi, *ci)),
        Owner::Assigned(chain) => match ix.lookup_dotted(fi, chain) {
            Symbol::Class(c) => Some(c),
            _ => {
                return Err((
                    Code::UnresolvedTarget,
                    format!("`{}` is not a class of the given paths", chain.join(".")),
                ));
            }
        },
    };
    let target_arg = match (&rel.target, &rel.annotation) {
        (TargetArg::Absent, Some(ann)) => match annotation_class(ann) {
            Some(c) => TargetArg::Str(c),
            None => {
                return Err((
                    Code::Unsupported,
                    format!("target class of `{ann}` not understood"),
                ));
            }
        },
        (TargetArg::Other(t), _) => {
            return Err((
                Code::Unsupported,
                format!("relationship target `{t}` is not a class name"),
            ));
        }
        (t, _) => t.clone(),
    };
    let target = match ix.resolve_target(fi, source, &target_arg) {
        Resolved::Class(c) => c,
        Resolved::Missing => {
            return Err((
                Code::UnresolvedTarget,
                format!(
                    "target class {} is not defined in the given paths",
                    show_target(&target_arg)
                ),
            ));
        }
        Resolved::Ambiguous(cands) => {
            let list: Vec<String> = cands
                .iter()
                .map(|&c| format!("{}.{}", ix.modules[c.0], ix.class(c).name))
                .collect();
            return Err((
                Code::AmbiguousTarget,
                format!(
                    "target {} could be any of {}",
                    show_target(&target_arg),
                    list.join(", ")
                ),
            ));
        }
    };
    if let Some(why) = not_mapped(ix, target) {
        return Err((
            Code::Unsupported,
            format!("target class `{}` {why}", ix.class(target).name),
        ));
    }
    if let Some(why) = source.and_then(|c| not_mapped(ix, c)) {
        let name = source.map(|c| ix.class(c).name.clone()).unwrap_or_default();
        return Err((
            Code::Unsupported,
            format!("`{name}` {why}; the relationship is copied to each mapped subclass"),
        ));
    }
    if ix.files[target.0].stub {
        return Err((
            Code::UnresolvedTarget,
            format!(
                "target class `{}` is only declared in a stub",
                ix.class(target).name
            ),
        ));
    }
    if matches!(name.as_str(), "metadata" | "registry")
        || name.starts_with("__")
        || name.starts_with("_sa_")
    {
        return Err((
            Code::ReservedName,
            format!("`{name}` is reserved by SQLAlchemy's declarative classes"),
        ));
    }
    if let Some((cls, what)) = existing_name(ix, target, &name) {
        return Err((
            Code::NameExists,
            format!("`{cls}` already has {what} named `{name}`"),
        ));
    }
    let forward_value = if forward_value.is_empty() {
        Style::measure(&ix.files[fi].source).string(&name)
    } else {
        forward_value
    };
    Ok(Pairing {
        file: fi,
        rel: ri,
        source,
        target,
        name,
        forward_value,
        flavor,
    })
}

/// Why a class is certainly not a declaratively mapped class, if it is not.
fn not_mapped(ix: &Index, cid: ClassId) -> Option<&'static str> {
    let c = ix.class(cid);
    if c.abstract_ {
        return Some("is `__abstract__`");
    }
    let chain: Vec<ClassId> = std::iter::once(cid).chain(ix.ancestors(cid)).collect();
    let has_table = chain.iter().any(|&a| {
        let k = ix.class(a);
        k.tablename.is_some()
            || k.members.iter().any(|m| {
                m.names
                    .iter()
                    .any(|n| n == "__table__" || n == "__tablename__")
            })
    });
    match ix.root(cid) {
        Some(root) if root == format!("{}:{}", cid.0, c.name) && !has_table => {
            Some("is the declarative base itself")
        }
        Some(_) => None,
        None if has_table => None,
        None => Some("is not a declaratively mapped class (a mixin, or mapped imperatively)"),
    }
}

fn show_target(t: &TargetArg) -> String {
    match t {
        TargetArg::Str(s) => format!("\"{s}\""),
        TargetArg::Name(d) | TargetArg::Lambda(d) => format!("`{}`", d.join(".")),
        TargetArg::Absent => "(none)".into(),
        TargetArg::Other(o) => format!("`{o}`"),
    }
}

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
fn existing_name(ix: &Index, target: ClassId, name: &str) -> Option<(String, &'static str)> {
    let mut family = vec![target];
    family.extend(ix.ancestors(target));
    family.extend(ix.descendants(target));
    for cid in family {
        let c = ix.class(cid);
        for m in &c.members {
            if !m.names.iter().any(|n| n == name) {
                continue;
            }
            // A typing-only stub in the target itself is replaced, not a clash.
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
    for (fi, f) in ix.files.iter().enumerate() {
        for r in &f.relationships {
            if let Owner::Assigned(chain) = &r.owner
                && r.attr == name
                && let Symbol::Class(c) = ix.lookup_dotted(fi, chain)
                && related(ix, c, target)
            {
                return Some((
                    ix.class(c).name.clone(),
                    "an attribute assigned after the class",
                ));
            }
        }
    }
    None
}

fn kw<'k>(list: &'k [Kwarg], name: &str) -> Option<&'k Kwarg> {
    list.iter().find(|k| k.name == name)
}

fn build_fix(ix: &Index, p: &Pairing) -> Result<Fix, Refusal> {
    let f = &ix.files[p.file];
    let rel = &f.relationships[p.rel];
    let b = rel
        .backref
        .as_ref()
        .ok_or((Code::Unsupported, String::new()))?;
    let tfi = p.target.0;
    let tfile = &ix.files[tfi];
    let tclass = ix.class(p.target);
    let style = Style::measure(&tfile.source);
    let Some(body_indent) = tclass.body_indent.clone() else {
        return Err((
            Code::Unsupported,
            format!("class `{}` has its body on the header line", tclass.name),
        ));
    };
    let class_indent: String = tfile.source
        [crate::syntax::line_start(&tfile.source, tclass.range.start)..tclass.range.start]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let unit = unit_of(&body_indent, &class_indent);
    let (insert_at, stub_edits) = placement(ix, p.target, &p.name);
    let mut needs: BTreeSet<Need> = BTreeSet::new();
    let src = Source {
        file: p.file,
        class: p.source.filter(|_| matches!(rel.owner, Owner::Class(_))),
        at: rel.stmt_range.start,
    };
    let dst = Dest {
        file: tfi,
        class: p.target,
        insert_at,
        new_name: p.name.clone(),
    };
    let source_cid = p
        .source
        .ok_or((Code::UnresolvedTarget, "source class unknown".to_string()))?;
    let src_name = ix.string_name(source_cid);
    if let (Some(a), Some(t)) = (ix.root(source_cid), ix.root(p.target))
        && a != t
    {
        return Err((
            Code::UnmovableExpression,
            format!(
                "`{}` and `{}` belong to different registries; a string target cannot name the other",
                ix.class(source_cid).name,
                tclass.name
            ),
        ));
    }

    let args = reverse_args(ix, p, rel, b, &src, &dst, &mut needs)?;
    let dynamic = args
        .iter()
        .find(|(k, _)| k == "lazy")
        .map(|(_, v)| v.trim_matches(|c| c == '"' || c == '\'').to_string());
    let callee = reverse_callee(ix, p, tfi, dynamic.as_deref(), &mut needs)?;

    // Typed target classes get an annotated attribute when the direction is known.
    let mut annotation = None;
    // Annotations only where the module already writes 2.0-style typed models.
    if tclass.typed
        && tfile.uses_sa20
        && !src_name.contains('.')
        && let Some(collection) = reverse_is_collection(ix, p, rel, b)
    {
        let scalar_nullable = !collection && reverse_scalar_nullable(ix, p);
        annotation = Some(typed_annotation(
            ix,
            tfi,
            &src_name,
            collection,
            scalar_nullable,
            b,
            dynamic.as_deref(),
            &mut needs,
        ));
        if source_cid.0 != tfi && ix.lookup(tfi, &ix.class(source_cid).name) == Symbol::Unknown {
            needs.insert(Need::TypeChecking {
                module: ix.modules[source_cid.0].clone(),
                name: ix.class(source_cid).name.clone(),
            });
        }
    }
    let mut all_args: Vec<String> = Vec::new();
    if annotation.is_none() {
        all_args.push(style.string(&src_name));
    }
    all_args.push(format!("back_populates={}", style.string(&rel.attr)));
    all_args.extend(args.iter().map(|(k, v)| format!("{k}={v}")));
    if is_dataclass(ix, p.target) {
        // A backref is no dataclass field: keep __init__, __repr__ and __eq__ as they were.
        for flag in ["init", "repr", "compare"] {
            if !args.iter().any(|(k, _)| k == flag) {
                all_args.push(format!("{flag}=False"));
            }
        }
    }
    let lhs = match &annotation {
        Some(a) => format!("{}: {a}", p.name),
        None => p.name.clone(),
    };
    let mut text = call_statement(&body_indent, &unit, &lhs, &callee, &all_args, &style);
    let src_text = &tfile.source;
    if insert_at > 0 && insert_at == src_text.len() && !src_text.ends_with(['\n', '\r']) {
        // The file ends without a line ending: keep it that way.
        text.insert_str(0, style.line_ending);
        text.truncate(text.len() - style.line_ending.len());
    }
    let mut edits = vec![
        Edit {
            file: p.file,
            range: b.kw_range.clone(),
            text: format!("back_populates={}", p.forward_value),
        },
        Edit {
            file: tfi,
            range: insert_at..insert_at,
            text,
        },
    ];
    edits.extend(stub_edits.into_iter().map(|range| Edit {
        file: tfi,
        range,
        text: String::new(),
    }));
    Ok(Fix {
        file: p.file,
        rel: p.rel,
        target: p.target,
        name: p.name.clone(),
        edits,
        needs: needs.into_iter().map(|n| (tfi, n)).collect(),
    })
}

/// The keyword arguments of the reverse, in order, as SQLAlchemy's backref would set them.
fn reverse_args(
    ix: &Index,
    p: &Pairing,
    rel: &RelFact,
    b: &BackrefFact,
    src: &Source,
    dst: &Dest,
    needs: &mut BTreeSet<Need>,
) -> Result<Vec<(String, String)>, Refusal> {
    let mv = |k: &Kwarg, needs: &mut BTreeSet<Need>| {
        expr::move_value(ix, &k.name, &k.value, src, dst, needs)
            .map_err(|m| (Code::UnmovableExpression, m))
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let secondary = kw(&rel.kwargs, "secondary");
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
        let swapped = expr::swap_remote_in(&moved).map_err(|m| (Code::UnmovableExpression, m))?;
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
    let _ = p;
    Ok(out)
}

/// `relationship` as the target module spells it, adding an import when needed.
fn reverse_callee(
    ix: &Index,
    p: &Pairing,
    tfi: usize,
    lazy: Option<&str>,
    needs: &mut BTreeSet<Need>,
) -> Result<String, Refusal> {
    let tfile = &ix.files[tfi];
    let bound_names: Vec<&str> = tfile
        .imports
        .iter()
        .filter(|i| !i.type_checking)
        .map(|i| i.bound.as_str())
        .chain(tfile.bindings.iter().map(|b| b.name.as_str()))
        .collect();
    if let Flavor::Flask(db) = &p.flavor {
        // Keep Flask-SQLAlchemy's query class: use the same `db` in the target module.
        return bound_names
            .iter()
            .find(|n| ix.lookup(tfi, n) == *db)
            .map(|n| format!("{n}.relationship"))
            .ok_or((
                Code::UnmovableExpression,
                "the target module has no name for the Flask-SQLAlchemy instance".into(),
            ));
    }
    // The spelling the module already uses for its own relationships.
    for r in &tfile.relationships {
        if r.callee.last().is_some_and(|l| l == "relationship")
            && flavor_of(ix, tfi, &r.callee, RELATIONSHIP_CALLEES) == Some(Flavor::Plain)
        {
            return Ok(r.callee.join("."));
        }
    }
    for n in &bound_names {
        match ix.lookup(tfi, n) {
            Symbol::External {
                module,
                name: Some(x),
            } if module == "sqlalchemy.orm" && x == "relationship" => {
                return Ok(n.to_string());
            }
            Symbol::External {
                module,
                name: Some(x),
            } if module == "sqlalchemy" && x == "orm" => {
                return Ok(format!("{n}.relationship"));
            }
            Symbol::External { module, name: None } if module == "sqlalchemy.orm" => {
                return Ok(format!("{n}.relationship"));
            }
            _ => {}
        }
    }
    let dynamic = matches!(lazy, Some("dynamic" | "write_only"));
    if !dynamic {
        for n in &bound_names {
            if let Symbol::Binding(bf, bi) = ix.lookup(tfi, n)
                && ix.files[bf].bindings[bi].kind == BindingKind::FlaskSqlAlchemy
            {
                return Ok(format!("{n}.relationship"));
            }
        }
    }
    if ix.lookup(tfi, "relationship") != Symbol::Unknown {
        return Err((
            Code::UnmovableExpression,
            "`relationship` means something else in the target module".into(),
        ));
    }
    needs.insert(Need::From {
        module: "sqlalchemy.orm".into(),
        name: "relationship".into(),
        alias: "relationship".into(),
    });
    Ok("relationship".into())
}

fn literal(k: Option<&Kwarg>) -> Option<String> {
    k.map(|k| {
        k.value
            .text
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string()
    })
}

/// Whether the reverse holds a collection; `None` when the direction cannot be proven.
fn reverse_is_collection(ix: &Index, p: &Pairing, rel: &RelFact, b: &BackrefFact) -> Option<bool> {
    match literal(kw(&b.kwargs, "uselist")).as_deref() {
        Some("True") => return Some(true),
        Some("False") => return Some(false),
        Some(_) => return None,
        None => {}
    }
    if matches!(
        literal(kw(&b.kwargs, "lazy")).as_deref(),
        Some("dynamic" | "write_only")
    ) {
        return Some(true);
    }
    if kw(&rel.kwargs, "secondary").is_some() {
        return Some(true);
    }
    let source = p.source?;
    if source == p.target {
        return Some(kw(&rel.kwargs, "remote_side").is_some());
    }
    let fwd_to_target = fks_between(ix, source, p.target);
    let target_to_fwd = fks_between(ix, p.target, source);
    match (fwd_to_target.is_empty(), target_to_fwd.is_empty()) {
        // The forward's table holds the key: forward is many-to-one, reverse a collection.
        (false, true) => Some(true),
        (true, false) => Some(false),
        _ => None,
    }
}

fn tablename(ix: &Index, cid: ClassId) -> Option<String> {
    std::iter::once(cid)
        .chain(ix.ancestors(cid))
        .find_map(|c| ix.class(c).tablename.clone())
}

/// Columns of `from` (and its ancestors) with a foreign key to `to`'s table.
fn fks_between<'a>(ix: &'a Index, from: ClassId, to: ClassId) -> Vec<&'a ColumnFact> {
    let table = tablename(ix, to);
    let to_name = &ix.class(to).name;
    std::iter::once(from)
        .chain(ix.ancestors(from))
        .flat_map(|c| ix.class(c).columns.iter())
        .filter(|col| {
            col.foreign_keys.iter().any(|fk| {
                let prefix = fk.rsplit_once('.').map_or(fk.as_str(), |(p, _)| p);
                let prefix = prefix.rsplit('.').next().unwrap_or(prefix);
                Some(prefix) == table.as_deref() || prefix == to_name
            })
        })
        .collect()
}

fn reverse_scalar_nullable(ix: &Index, p: &Pairing) -> bool {
    let Some(source) = p.source else { return true };
    let cols = fks_between(ix, p.target, source);
    cols.is_empty() || cols.iter().any(|c| c.nullable != Some(false))
}

#[allow(clippy::too_many_arguments)]
fn typed_annotation(
    ix: &Index,
    tfi: usize,
    src_name: &str,
    collection: bool,
    nullable: bool,
    b: &BackrefFact,
    lazy: Option<&str>,
    needs: &mut BTreeSet<Need>,
) -> String {
    let tfile = &ix.files[tfi];
    let mut name_for = |module: &str, name: &str| -> String {
        for i in tfile.imports.iter().filter(|i| !i.type_checking) {
            if let Symbol::External {
                module: m,
                name: Some(n),
            } = ix.lookup(tfi, &i.bound)
                && n == name
                && (m == module || m.starts_with("sqlalchemy") && module.starts_with("sqlalchemy"))
            {
                return i.bound.clone();
            }
        }
        needs.insert(Need::From {
            module: module.into(),
            name: name.into(),
            alias: name.into(),
        });
        name.to_string()
    };
    let q = format!("\"{src_name}\"");
    match lazy {
        Some("dynamic") => return format!("{}[{q}]", name_for("sqlalchemy.orm", "DynamicMapped")),
        Some("write_only") => {
            return format!("{}[{q}]", name_for("sqlalchemy.orm", "WriteOnlyMapped"));
        }
        _ => {}
    }
    let mapped = name_for("sqlalchemy.orm", "Mapped");
    if collection {
        let set = literal(kw(&b.kwargs, "collection_class")).as_deref() == Some("set");
        let builtin = tfile.uses_builtin_list && !tfile.uses_typing_list;
        let coll = match (set, builtin) {
            (true, true) => "set".to_string(),
            (false, true) => "list".to_string(),
            (true, false) => name_for("typing", "Set"),
            (false, false) => name_for("typing", "List"),
        };
        format!("{mapped}[{coll}[{q}]]")
    } else if nullable {
        format!("{mapped}[{}[{q}]]", name_for("typing", "Optional"))
    } else {
        format!("{mapped}[{q}]")
    }
}

fn is_dataclass(ix: &Index, cid: ClassId) -> bool {
    std::iter::once(cid).chain(ix.ancestors(cid)).any(|c| {
        ix.class(c)
            .bases
            .iter()
            .any(|b| b.last().is_some_and(|l| l == "MappedAsDataclass"))
    })
}

/// Where the reverse goes in the target class, and typing-only stubs of its name to delete.
fn placement(ix: &Index, target: ClassId, name: &str) -> (usize, Vec<Range<usize>>) {
    let class = ix.class(target);
    let is_rel = |m: &Member| match &m.kind {
        MemberKind::Assign {
            value_call: Some(c),
            ..
        } => c
            .last()
            .is_some_and(|l| RELATIONSHIP_CALLEES.contains(&l.as_str()) || l == "relationship"),
        _ => false,
    };
    let mut stubs = Vec::new();
    for m in &class.members {
        match m.kind {
            MemberKind::BareAnnotation if m.names.iter().any(|n| n == name) => {
                stubs.push(m.line_range.clone())
            }
            MemberKind::TypeChecking => {
                let mine: Vec<_> = m.inner.iter().filter(|(n, _)| n == name).collect();
                if !mine.is_empty() {
                    if mine.len() == m.inner.len() {
                        stubs.push(absorb_blank_lines(
                            &ix.files[target.0].source,
                            m.line_range.clone(),
                        ));
                    } else {
                        stubs.extend(mine.iter().map(|(_, r)| r.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    let first_fn = class
        .members
        .iter()
        .position(|m| matches!(m.kind, MemberKind::Function | MemberKind::Class))
        .unwrap_or(class.members.len());
    let candidates = |pred: &dyn Fn(&Member) -> bool| {
        class.members[..first_fn]
            .iter()
            .filter(|m| pred(m) && !stubs.contains(&m.line_range))
            .map(|m| m.line_range.end)
            .next_back()
    };
    let at = class
        .members
        .iter()
        .filter(|m| is_rel(m))
        .map(|m| m.line_range.end)
        .next_back()
        .or_else(|| {
            candidates(&|m| {
                matches!(
                    m.kind,
                    MemberKind::Assign { .. } | MemberKind::BareAnnotation
                )
            })
        })
        .or_else(|| candidates(&|m| matches!(m.kind, MemberKind::Other)))
        .unwrap_or_else(|| {
            class
                .members
                .first()
                .map_or(class.body_range.start, |m| m.line_range.start)
        });
    (at, stubs)
}

/// Extend a deleted block over the blank lines before it when a blank line follows,
/// so that removing it leaves one blank line, not two.
fn absorb_blank_lines(src: &str, mut range: Range<usize>) -> Range<usize> {
    let next_blank = src[range.end..]
        .split_inclusive('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty());
    if !next_blank {
        return range;
    }
    while range.start > 0 {
        let prev_start = crate::syntax::line_start(src, range.start - 1);
        if !src[prev_start..range.start].trim().is_empty() {
            break;
        }
        range.start = prev_start;
    }
    range
}

/// Group fixes' edits per file, ordered by position then by fix order.
pub fn edits_by_file(fixes: &[Fix]) -> BTreeMap<usize, Vec<Edit>> {
    let mut map: BTreeMap<usize, Vec<Edit>> = BTreeMap::new();
    for fix in fixes {
        for e in &fix.edits {
            map.entry(e.file).or_default().push(e.clone());
        }
    }
    for edits in map.values_mut() {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
    }
    map
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
