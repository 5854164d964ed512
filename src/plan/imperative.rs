//! Imperative (classical) mappings: a backref in one mapping's `properties`
//! becomes an entry `"name": relationship(Source, back_populates=...)` in the
//! `properties` of the target class's own mapping call (created when the call
//! has none), or, when the target is mapped first or in a module the source's
//! imports, a `class_mapper(Target, configure=False).add_property(...)` after
//! the source's mapping.
//!
//! It pairs only with a mapping that provably runs with the source's (a scope
//! that sees it, or the top of an imported module that does not import the
//! source's back); it does not follow mappings made by project helpers or in
//! other functions, which are refused.

use std::collections::BTreeSet;

use super::reverse::{reverse_args, reverse_callee};
use super::*;
use crate::codegen::{Style, call_text};
use crate::expr::{Dest, Need, Source};

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
    pub name: String,
    pub forward_value: String,
    pub flavor: Flavor,
    /// The target is mapped before the source: anything run in between (even the
    /// source call's own arguments, e.g. `aliased()`) may configure the mappers,
    /// and a reverse in the target's `properties` would then name a class not
    /// mapped yet. The reverse is added right after the source's mapping instead,
    /// with `Mapper.add_property`.
    pub late: bool,
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
        Some("mapper") => matches!(
            ix.lookup_dotted_in(fi, scope, callee),
            Symbol::External { module, .. } if module.starts_with("sqlalchemy")
        ),
        _ => false,
    }
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
    if !is_mapping_callee(ix, fi, source.scope, &source.callee) {
        return Err(Refusal::Unrecognised {
            callee: source.callee.join("."),
            what: Construct::ImperativeMapping,
        });
    }
    let wanted = wanted_class(rel)?;
    let MappingId {
        file: target_file,
        mapping: target,
    } = target_mapping(ix, fi, source, rel, &wanted)?;
    let t = &ix.files[target_file].mappings[target];
    extensible(ix, fi, source, (target_file, t), &name)?;
    let late = target_file != fi
        || (target != mi && t.call_range.start < source.call_range.end && t.scope == source.scope);
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
        name,
        forward_value,
        flavor,
        late,
    })
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
) -> Result<MappingId, Refusal> {
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
            same && (visible.contains(&m.scope)
                || scope_chain(f, m.scope).contains(&source.scope)
                || crate::guard::off("imperative-scope"))
        })
        .map(|(i, _)| i)
        .collect();
    match candidates.as_slice() {
        [one] => Ok(MappingId::new(fi, *one)),
        [] => mapped_elsewhere(ix, fi, source.scope, rel).ok_or_else(|| {
            Refusal::NoImperativeMapping {
                class: wanted.join("."),
            }
        }),
        [first, ..] if crate::guard::off("imperative-scope") => Ok(MappingId::new(fi, *first)),
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
    if !is_mapping_callee(ix, target_file, t.scope, &t.callee) || t.opaque_properties {
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

/// The mapping of the relationship's target in another module: at the top of
/// a module that the source's module imports (so it has run, and mapped the
/// class, before the source's mapping runs) and that does not import the
/// source's module back. The target must be named by a class, not a string.
fn mapped_elsewhere(ix: &Index, fi: usize, scope: usize, rel: &RelFact) -> Option<MappingId> {
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
            if m.scope == 0 && ix.lookup_dotted_in(tf, 0, &m.class) == Symbol::Class(class) {
                found.push(MappingId::new(tf, mi));
            }
        }
    }
    match found.as_slice() {
        [m] if !ix.imports_transitively(m.file).contains(&fi) => Some(*m),
        _ => None,
    }
}

pub(super) fn build_fix(ix: &Index, p: &ImperativePairing) -> Result<Fix, Refusal> {
    let f = &ix.files[p.file];
    let rel = &f.relationships[p.rel];
    let b = backref_of(rel)?;
    let source = &f.mappings[p.source];
    let target = &ix.files[p.target_file].mappings[p.target];
    let style = ix.style(p.file);
    let src = Source {
        file: p.file,
        scope: rel.scope,
        class: None,
        at: rel.stmt_range.start,
        alias: None,
    };
    // A target mapped in another module gets its reverse here, after the
    // source's mapping: the values are evaluated there.
    let (scope, at) = if p.target_file == p.file {
        (target.scope, target.call_range.start)
    } else {
        (source.scope, source.call_range.end)
    };
    let dst = Dest {
        file: p.file,
        scope,
        class: None,
        at,
        insert_at: at,
        new_name: String::new(),
        quote: style.quote,
    };
    let mut needs: BTreeSet<Need> = BTreeSet::new();
    let args = reverse_args(ix, rel, b, &src, &dst, &mut needs)?;
    let lazy = args
        .iter()
        .find(|(k, _)| k == "lazy")
        .map(|(_, v)| v.trim_matches(|c| c == '"' || c == '\'').to_string());
    let callee = reverse_callee(ix, &p.flavor, p.file, None, lazy.as_deref(), &mut needs)?;
    let mut all_args = vec![
        source.class.join("."),
        format!("back_populates={}", style.string(&rel.attr)),
    ];
    all_args.extend(args.iter().map(|(k, v)| format!("{k}={v}")));
    let entry_edit = if p.late {
        late_reverse(ix, p, &callee, &all_args, &style, &mut needs)?
    } else {
        properties_entry(f, p, target, &callee, &all_args, &style)
    };
    Ok(Fix {
        file: p.file,
        rel: p.rel,
        name: p.name.clone(),
        edits: vec![
            Edit::new(
                p.file,
                b.kw_range.clone(),
                format!("back_populates={}", p.forward_value),
            ),
            entry_edit,
        ],
        needs: needs.into_iter().map(|n| (p.file, n)).collect(),
        source_class: source.class.join("."),
        target_file: p.target_file,
        target_class: target.class.join("."),
        target: None,
    })
}

/// `class_mapper(Target, configure=False).add_property("name", relationship(...))` on the line after
/// the source's mapping statement.
fn late_reverse(
    ix: &Index,
    p: &ImperativePairing,
    callee: &str,
    args: &[String],
    style: &Style,
    needs: &mut BTreeSet<Need>,
) -> Result<Edit, Refusal> {
    let f = &ix.files[p.file];
    let source = &f.mappings[p.source];
    let class_mapper = match ix.lookup_in(p.file, source.scope, "class_mapper") {
        Symbol::External {
            module,
            name: Some(n),
        } if module == "sqlalchemy.orm" && n == "class_mapper" => "class_mapper".to_string(),
        Symbol::Unknown => {
            needs.insert(Need::From {
                module: "sqlalchemy.orm".into(),
                name: "class_mapper".into(),
                alias: "class_mapper".into(),
            });
            "class_mapper".to_string()
        }
        _ => return Err(Refusal::ClassMapperShadowed),
    };
    let stmt_start = crate::syntax::line_start(&f.source, source.call_range.start);
    let indent: String = f.source[stmt_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let at = crate::syntax::line_end(&f.source, source.call_range.end);
    // configure=False: configuring now would check the forward's back_populates
    // before the reverse exists.
    let open = format!(
        "{class_mapper}({}, configure=False).add_property(",
        p.target_expr
    );
    let key = style.string(&p.name);
    let nl = style.line_ending;
    let fits = |s: &str| crate::codegen::width(s) <= style.line_length;
    // As black lays out `f(key, g(args))`: all on one line, else the two
    // arguments on one indented line, else one per line.
    let flat = format!("{indent}{open}{key}, {callee}({}))", args.join(", "));
    let body = format!("{indent}    {key}, {callee}({})", args.join(", "));
    let mut text = if fits(&flat) {
        flat
    } else if fits(&body) {
        format!("{indent}{open}{nl}{body}{nl}{indent})")
    } else {
        let deeper = format!("{indent}    ");
        let call = call_text(&deeper, "    ", "", callee, args, style);
        format!("{indent}{open}{nl}{deeper}{key},{nl}{call},{nl}{indent})")
    };
    text.push_str(nl);
    if at == f.source.len() && !f.source.ends_with(['\n', '\r']) {
        text.insert_str(0, style.line_ending);
    }
    Ok(Edit::new(p.file, at..at, text))
}

/// A new entry in the target mapping's `properties` (created when absent).
fn properties_entry(
    f: &FileFacts,
    p: &ImperativePairing,
    target: &MappingFact,
    callee: &str,
    all_args: &[String],
    style: &Style,
) -> Edit {
    let call = (callee.to_string(), all_args.to_vec());
    match &target.properties {
        Some(props) => entry_in_properties(f, p, target, props, call, *style),
        None => properties_argument(f, p, target, call, *style),
    }
}

/// The reverse as a new entry of the mapping's existing `properties`.
fn entry_in_properties(
    f: &FileFacts,
    p: &ImperativePairing,
    target: &MappingFact,
    props: &PropertiesFact,
    (callee, all_args): (String, Vec<String>),
    style: Style,
) -> Edit {
    let nl = style.line_ending;
    let head = if props.literal {
        format!("{}: ", style.string(&p.name))
    } else {
        format!("{}=", p.name)
    };
    match (props.last_end, &props.entry_indent) {
        (Some(last), Some(indent)) => {
            let entry = call_text(indent, "    ", &head, &callee, &all_args, &style);
            let (at, text) = after_last(&f.source, last, props.trailing_comma, |comma| {
                if comma {
                    format!("{nl}{entry},")
                } else {
                    format!(",{nl}{entry}")
                }
            });
            Edit::new(p.file, at..at, text)
        }
        (Some(last), None) => {
            let entry = call_text("", "    ", &head, &callee, &all_args, &flat(&style));
            let comma = props.trailing_comma;
            let (at, _) = after_last(&f.source, last, comma, |_| String::new());
            let mut e = if comma {
                merged(p.file, at, entry, " ", ", ", ",")
            } else {
                merged(p.file, at, entry, ", ", ", ", "")
            };
            if let Some(m) = e.merge.as_mut() {
                m.wrap = wrap(f, target, &style, (head, callee, all_args));
            }
            e
        }
        (None, _) => {
            let entry = call_text("", "    ", &head, &callee, &all_args, &flat(&style));
            let mut e = merged(p.file, props.open_end, entry, "", ", ", "");
            if let Some(m) = e.merge.as_mut() {
                m.wrap = wrap(f, target, &style, (head, callee, all_args));
            }
            e
        }
    }
}

/// The reverse in a new `properties={...}` argument of the mapping call.
fn properties_argument(
    f: &FileFacts,
    p: &ImperativePairing,
    target: &MappingFact,
    (callee, all_args): (String, Vec<String>),
    style: Style,
) -> Edit {
    let nl = style.line_ending;
    let key = format!("{}: ", style.string(&p.name));
    let entry = call_text("", "    ", &key, &callee, &all_args, &flat(&style));
    let at = target.args_end;
    let comma_at = f.source[at..].find(',').map_or(at, |i| at + i + 1);
    let wrap = wrap(f, target, &style, (key, callee, all_args));
    let merged = |at, entry, prefix: &str, suffix: &str| {
        let mut e = merged(p.file, at, entry, prefix, ", ", suffix);
        if let Some(m) = e.merge.as_mut() {
            m.wrap = wrap.clone();
        }
        e
    };
    match (&target.args_indent, target.args_trailing_comma) {
        // Arguments one per line: the new one on its own line too.
        (Some(indent), true) => {
            merged(comma_at, entry, &format!("{nl}{indent}properties={{"), "},")
        }
        (Some(indent), false) => merged(at, entry, &format!(",{nl}{indent}properties={{"), "}"),
        (None, true) => merged(comma_at, entry, " properties={", "}"),
        (None, false) => merged(at, entry, ", properties={", "}"),
    }
}

/// How to lay the target's mapping call out again when its one line gets too long.
fn wrap(
    f: &FileFacts,
    target: &MappingFact,
    style: &Style,
    entry: (String, String, Vec<String>),
) -> Option<Box<Wrap>> {
    let call = target.one_line.clone()?;
    let ls = crate::syntax::line_start(&f.source, target.call_range.start);
    Some(Box::new(Wrap {
        call,
        indent: f.source[ls..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect(),
        style: *style,
        entry,
    }))
}

/// A style that never wraps (for entries written on the line of their container).
fn flat(style: &Style) -> Style {
    Style {
        line_length: usize::MAX,
        ..*style
    }
}

/// Where a new entry goes after the last one: after its trailing comma if it has one.
fn after_last(
    source: &str,
    last_end: usize,
    trailing_comma: bool,
    text: impl Fn(bool) -> String,
) -> (usize, String) {
    if trailing_comma {
        let at = source[last_end..]
            .find(',')
            .map_or(last_end, |i| last_end + i + 1);
        (at, text(true))
    } else {
        (last_end, text(false))
    }
}

fn merged(
    file: usize,
    at: usize,
    text: String,
    prefix: &str,
    separator: &str,
    suffix: &str,
) -> Edit {
    Edit {
        file,
        range: at..at,
        text,
        merge: Some(Merge {
            prefix: prefix.to_string(),
            separator: separator.to_string(),
            suffix: suffix.to_string(),
            wrap: None,
        }),
    }
}
