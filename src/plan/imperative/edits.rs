//! The edits that add an imperative reverse: an entry in the target mapping's
//! `properties` (joined to the existing entries, or a new `properties={...}`
//! argument laid out with the call), or a
//! `class_mapper(Target, configure=False).add_property(...)` statement after
//! the source's mapping.
//!
//! The calls themselves are written by `codegen`; this module decides where
//! they go and how they join what is there. It does not decide whether the
//! pairing exists (the parent module does).

use super::*;
use crate::codegen::{Style, call_item_text, call_text};

/// `class_mapper(Target, configure=False).add_property("name", relationship(...))` on the line after
/// the source's mapping statement.
pub(super) fn late_reverse(
    ix: &Index,
    p: &ImperativePairing,
    callee: &str,
    args: &[String],
    style: &Style,
    needs: &mut BTreeSet<Need>,
) -> Result<Edit, Refusal> {
    let f = &ix.files[p.file];
    let source = &f.mappings[p.anchor.unwrap_or(p.source)];
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
    let mapper_args = format!("{}, configure=False", p.target_expr);
    let open = format!("{class_mapper}({mapper_args}).add_property(");
    let key = style.string(&p.name);
    let nl = style.line_ending;
    let unit = style.indent;
    let fits = |s: &str| crate::codegen::width(s) <= style.line_length && !s.contains('\n');
    // As black lays out `f(key, g(args))`: all on one line, else the two
    // arguments on one indented line, else one per line.
    let flat = format!("{indent}{open}{key}, {callee}({}))", args.join(", "));
    let body = format!("{indent}{unit}{key}, {callee}({})", args.join(", "));
    let arguments = || {
        if fits(&body) {
            format!("{nl}{body}{nl}{indent})")
        } else {
            let deeper = format!("{indent}{unit}");
            let call = call_item_text(&deeper, unit, "", callee, args, style);
            format!("{nl}{deeper}{key},{nl}{call},{nl}{indent})")
        }
    };
    let mut text = if fits(&flat) {
        flat
    } else if fits(&format!("{indent}{open}")) {
        format!("{indent}{open}{}", arguments())
    } else {
        // The head alone is too long: black splits `class_mapper(...)` first,
        // its arguments on one line when they fit, else one per line.
        let inner = format!("{indent}{unit}{mapper_args}");
        let head = if fits(&inner) {
            format!("{indent}{class_mapper}({nl}{inner}{nl}{indent}).add_property(")
        } else {
            format!(
                "{indent}{class_mapper}({nl}{indent}{unit}{},{nl}{indent}{unit}configure=False,{nl}{indent}).add_property(",
                p.target_expr
            )
        };
        let tail = format!(
            "{indent}).add_property({key}, {callee}({}))",
            args.join(", ")
        );
        if fits(&tail) {
            format!("{head}{key}, {callee}({}))", args.join(", "))
        } else {
            format!("{head}{}", arguments())
        }
    };
    text.push_str(nl);
    if at == f.source.len() && !f.source.ends_with(['\n', '\r']) {
        text.insert_str(0, style.line_ending);
    }
    Ok(Edit::new(p.file, at..at, text))
}

/// A new entry in the target mapping's `properties` (created when absent).
pub(super) fn properties_entry(
    f: &FileFacts,
    p: &ImperativePairing,
    target: &MappingFact,
    callee: &str,
    all_args: &[String],
    style: &Style,
) -> Vec<Edit> {
    let call = (callee.to_string(), all_args.to_vec());
    match &target.properties {
        Some(props) => entry_in_properties(f, p, target, props, call, *style),
        None => vec![properties_argument(f, p, target, call, *style)],
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
) -> Vec<Edit> {
    let nl = style.line_ending;
    let head = if props.literal {
        format!("{}: ", style.string(&p.name))
    } else {
        format!("{}=", p.name)
    };
    match (props.last_end, &props.entry_indent) {
        (Some(last), Some(indent)) => {
            let entry = call_item_text(indent, style.indent, &head, &callee, &all_args, &style);
            if !props.trailing_comma
                && let Some(eol) = closes_on_a_later_line(&f.source, last)
            {
                // The entries one per line, the last without its comma (as
                // black leaves a lone entry): each gets one, the new one goes
                // after the last's line, its comment included. The comma is
                // shared by every reverse added here.
                let text = format!("{nl}{entry},");
                if eol == last {
                    return vec![merged(p.file, last, text, ",", "", "")];
                }
                return vec![
                    merged(p.file, last, String::new(), ",", "", ""),
                    Edit::new(p.file, eol..eol, text),
                ];
            }
            let (mut at, text) = after_last(&f.source, last, props.trailing_comma, |comma| {
                if comma {
                    format!("{nl}{entry},")
                } else {
                    format!(",{nl}{entry}")
                }
            });
            // A comment after the last entry's comma stays with that entry:
            // the new one goes on the next line.
            let eol = f.source[at..]
                .find(['\n', '\r'])
                .map_or(f.source.len(), |i| at + i);
            if props.trailing_comma && f.source[at..eol].trim_start().starts_with('#') {
                at = eol;
            }
            vec![Edit::new(p.file, at..at, text)]
        }
        (Some(last), None) => {
            let entry = call_text("", style.indent, &head, &callee, &all_args, &flat(&style));
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
            vec![e]
        }
        (None, _) => {
            let entry = call_text("", style.indent, &head, &callee, &all_args, &flat(&style));
            let mut e = merged(p.file, props.open_end, entry, "", ", ", "");
            if let Some(m) = e.merge.as_mut() {
                m.wrap = wrap(f, target, &style, (head, callee, all_args));
            }
            vec![e]
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
    let entry = call_text("", style.indent, &key, &callee, &all_args, &flat(&style));
    let at = target.args_end;
    let comma_at = f.source[at..].find(',').map_or(at, |i| at + i + 1);
    let wrap_entry = (key, callee, all_args);
    let wrap = wrap(f, target, &style, wrap_entry.clone());
    let merged = |at, entry, prefix: &str, suffix: &str| {
        let mut e = merged(p.file, at, entry, prefix, ", ", suffix);
        if let Some(m) = e.merge.as_mut() {
            m.wrap = wrap.clone();
        }
        e
    };
    let exploded = |indent: &str| {
        // `properties={...},` too long for its line: the entry on a line of
        // its own, as black explodes the dict.
        let line = format!("{indent}properties={{{entry}}},");
        (crate::codegen::width(&line) > style.line_length).then(|| {
            let deeper = format!("{indent}{}", style.indent);
            let (key, callee, args) = (
                format!("{}: ", style.string(&p.name)),
                &wrap_entry.1,
                &wrap_entry.2,
            );
            call_item_text(&deeper, style.indent, &key, callee, args, &style)
        })
    };
    match (&target.args_indent, target.args_trailing_comma) {
        // Arguments one per line: the new one on its own line too.
        (Some(indent), comma) if let Some(laid) = exploded(indent) => {
            let (at, lead) = if comma { (comma_at, "") } else { (at, ",") };
            let mut e = self::merged(
                p.file,
                at,
                laid,
                &format!("{lead}{nl}{indent}properties={{{nl}"),
                &format!(",{nl}"),
                &format!(",{nl}{indent}}},"),
            );
            if let Some(m) = e.merge.as_mut() {
                m.wrap = wrap.clone();
            }
            e
        }
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

/// The end of the last entry's line (before its line ending, after any
/// comment), when nothing but a comment follows the entry there: the
/// container closes on a later line.
fn closes_on_a_later_line(source: &str, last_end: usize) -> Option<usize> {
    let rest = &source[last_end..];
    let eol = rest.find(['\n', '\r'])?;
    let on_line = rest[..eol].trim_start();
    (on_line.is_empty() || on_line.starts_with('#')).then_some(last_end + eol)
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
