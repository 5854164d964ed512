//! Calls and statements laid out the way black and ruff format would: on one
//! line when they fit, else the arguments on one indented line, else one
//! argument per line with a trailing comma. It writes the text of calls whose
//! parts it is given; what the parts say, and where the text goes, is decided
//! by the planner and the applier.

use super::{Style, joined, relaid_unit};

pub fn width(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// `indent + lhs = callee(args)` laid out as black would, ending with the line ending.
pub fn call_statement(
    indent: &str,
    unit: &str,
    lhs: &str,
    callee: &str,
    args: &[String],
    style: &Style,
) -> String {
    let mut text = call_text(indent, unit, &format!("{lhs} = "), callee, args, style);
    text.push_str(style.line_ending);
    text
}

/// [`call_statement`] for arguments that carry comments (`(before, after)`
/// per argument: whole-line comments before it, one at the end of its line)
/// and comments after the last one (`end`): one argument per line, as black
/// lays out a call with comments inside. Without comments, [`call_statement`].
pub fn commented_call_statement(
    indent: &str,
    unit: &str,
    lhs: &str,
    callee: &str,
    args: &[(String, Vec<String>, Option<String>)],
    end: &[String],
    style: &Style,
) -> String {
    let plain: Vec<String> = args.iter().map(|(a, _, _)| a.clone()).collect();
    if end.is_empty() && args.iter().all(|(_, b, a)| b.is_empty() && a.is_none()) {
        return call_statement(indent, unit, lhs, callee, &plain, style);
    }
    let nl = style.line_ending;
    let deeper = format!("{indent}{unit}");
    let mut out = format!("{indent}{lhs} = {callee}({nl}");
    for (a, before, after) in args {
        for c in before {
            out.push_str(&format!("{deeper}{c}{nl}"));
        }
        let a = continued(&relaid_argument(a, &deeper, style), &deeper);
        out.push_str(&format!("{deeper}{a},"));
        if let Some(c) = after {
            out.push_str(&format!("  {c}"));
        }
        out.push_str(nl);
    }
    for c in end {
        out.push_str(&format!("{deeper}{c}{nl}"));
    }
    out.push_str(&format!("{indent}){nl}"));
    out
}

/// `indent + head + callee(args)` laid out as black would: on one line when it
/// fits, else the arguments on one indented line, else one argument per line
/// with a trailing comma. No final line ending.
pub fn call_text(
    indent: &str,
    unit: &str,
    head: &str,
    callee: &str,
    args: &[String],
    style: &Style,
) -> String {
    call_text_before(indent, unit, head, callee, args, style, 0)
}

/// [`call_text`] for a call followed on its last line by `tail` more
/// characters (a comma): they count where the call stands on one line, and
/// not on the lines of its arguments.
fn call_text_before(
    indent: &str,
    unit: &str,
    head: &str,
    callee: &str,
    args: &[String],
    style: &Style,
    tail: usize,
) -> String {
    let nl = style.line_ending;
    let at = format!("{indent}{unit}");
    let relaid: Vec<String> = args
        .iter()
        .map(|a| relaid_argument(a, &at, style))
        .collect();
    let args = &relaid[..];
    let flat = format!("{indent}{head}{callee}({})", args.join(", "));
    if width(&flat) + tail <= style.line_length && !args.iter().any(|a| a.contains('\n')) {
        return flat;
    }
    let inner = format!("{indent}{unit}{}", args.join(", "));
    if width(&inner) <= style.line_length && !args.iter().any(|a| a.contains('\n')) {
        return format!("{indent}{head}{callee}({nl}{inner}{nl}{indent})");
    }
    let mut out = format!("{indent}{head}{callee}({nl}");
    for a in args {
        let a = continued(a, &format!("{indent}{unit}"));
        out.push_str(&format!("{indent}{unit}{a},{nl}"));
    }
    out.push_str(&format!("{indent})"));
    out
}

/// [`call_text`] for an item of a list laid out one per line: the comma that
/// follows it counts in the line's width.
pub fn call_item_text(
    indent: &str,
    unit: &str,
    head: &str,
    callee: &str,
    args: &[String],
    style: &Style,
) -> String {
    call_text_before(indent, unit, head, callee, args, style, 1)
}

/// A moved argument of several lines laid out again for its new column `at`
/// (one per line, a comma after it), as black lays out its brackets: joined
/// when it now fits, split again otherwise. Kept as written when the bracket
/// layout does not cover it (comments, operators split across lines outside
/// brackets, strings of several lines) or its result would not fit.
fn relaid_argument(arg: &str, at: &str, style: &Style) -> String {
    // Without a line length (text laid out later, in its statement) the
    // column is not known yet.
    if !arg.contains('\n') || style.line_length == usize::MAX {
        return arg.to_string();
    }
    let placed = continued(arg, at);
    // Strings written one after another: ruff format joins them into one.
    if implicit_concatenation(&placed) {
        return arg.to_string();
    }
    let Some(laid) = relaid_unit(at, &format!("{placed},"), style) else {
        // Split outside brackets (`a\n== b`), or where the layout above
        // does not split (`key=(\n a\n == b\n)`): joined when it fits.
        return match joined(&placed) {
            Some(one) if width(&format!("{at}{one},")) <= style.line_length => one,
            _ => arg.to_string(),
        };
    };
    if laid.lines().any(|l| width(l) > style.line_length) {
        return arg.to_string();
    }
    match laid.strip_prefix(at).and_then(|l| l.strip_suffix(',')) {
        // Continuation lines are written from the column again by `continued`.
        Some(text) if !text.contains('\n') => text.to_string(),
        Some(text) => text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, line)| {
                if i == 0 {
                    line.to_string()
                } else {
                    format!("{HANGING}{}", line.strip_prefix(at).unwrap_or(line))
                }
            })
            .collect(),
        None => arg.to_string(),
    }
}

/// Whether `text` holds string literals written one after another (`"a" "b"`).
fn implicit_concatenation(text: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut after_string = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                    after_string = true;
                }
            }
            None if c == '"' || c == '\'' => {
                if after_string {
                    return true;
                }
                quote = Some(c);
            }
            None if c.is_whitespace() => {}
            // A prefix (`f"`, `r'`) after a string still follows it.
            None if after_string && "rRbBfFuU".contains(c) => {}
            None => after_string = false,
        }
    }
    false
}

/// An argument written at column `at` (its text before it): continuation lines
/// of its value, written relative to the value's first column, are indented to
/// that column. Triple-quoted strings are left as they are.
fn continued(arg: &str, at: &str) -> String {
    if !arg.contains('\n') || arg.contains("\"\"\"") || arg.contains("'''") {
        return arg.to_string();
    }
    // `key=value`: the value starts after the `=`.
    let key = arg
        .split_once('=')
        .filter(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .map_or(0, |(k, _)| k.len() + 1);
    let pad = format!("{at}{}", " ".repeat(key));
    let mut out = String::with_capacity(arg.len() + 64);
    for (i, line) in arg.split_inclusive('\n').enumerate() {
        if let Some(hung) = line.strip_prefix(HANGING) {
            // Indented from the argument's column, as it was from its own.
            out.push_str(at);
            out.push_str(hung);
            continue;
        }
        if i > 0 && !line.trim().is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

/// Marks a continuation line of a moved value that hung from its argument's
/// column rather than aligned with its value (see `expr::text`): the layout
/// indents it from the new argument's column and removes the mark.
pub const HANGING: char = '\u{0}';

/// The dict argument of a call that gets new entries: its index among the
/// call's arguments (the argument count when it is new), its text up to the
/// opening bracket and its closing bracket (`properties={` and `}`), and the
/// entries it already has, as written.
pub struct DictArg<'a> {
    pub at: usize,
    pub open: &'a str,
    pub close: &'a str,
    pub existing: &'a [String],
}

/// The text between the parentheses of a call whose dict argument `dict`
/// gets the new `entries` (each `"key": `, a callee and its arguments), laid
/// out as black lays out a call too long for one line: all arguments on one
/// indented line when they fit, else one per line with a trailing comma, the
/// dict's entries one per line in turn when it does not fit either.
pub fn exploded_arguments(
    indent: &str,
    unit: &str,
    args: &[String],
    dict: DictArg,
    entries: &[(String, String, Vec<String>)],
    style: &Style,
) -> String {
    let nl = style.line_ending;
    let fits = |s: &str| width(s) <= style.line_length && !s.contains('\n');
    let all_entries: Vec<String> = dict
        .existing
        .iter()
        .cloned()
        .chain(
            entries
                .iter()
                .map(|(head, callee, a)| format!("{head}{callee}({})", a.join(", "))),
        )
        .collect();
    let dict_flat = format!("{}{}{}", dict.open, all_entries.join(", "), dict.close);
    let mut items: Vec<&str> = args.iter().map(String::as_str).collect();
    if dict.at < items.len() {
        items[dict.at] = &dict_flat;
    } else {
        items.push(&dict_flat);
    }
    let inner = format!("{indent}{unit}{}", items.join(", "));
    if fits(&inner) {
        return format!("{nl}{inner}{nl}{indent}");
    }
    let deeper = format!("{indent}{unit}");
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let line = format!("{deeper}{item},");
        if i != dict.at.min(items.len() - 1) || fits(&line) {
            out.push_str(&format!("{nl}{line}"));
            continue;
        }
        out.push_str(&format!("{nl}{deeper}{}", dict.open));
        for e in dict.existing {
            out.push_str(&format!("{nl}{deeper}{unit}{e},"));
        }
        for (head, callee, a) in entries {
            out.push_str(nl);
            out.push_str(&call_item_text(
                &format!("{deeper}{unit}"),
                unit,
                head,
                callee,
                a,
                style,
            ));
            out.push(',');
        }
        out.push_str(&format!("{nl}{deeper}{},", dict.close));
    }
    out.push_str(&format!("{nl}{indent}"));
    out
}

/// The indentation unit of a body indented by `body` inside something indented by `outer`.
pub fn unit_of(body: &str, outer: &str) -> String {
    body.strip_prefix(outer)
        .filter(|u| !u.is_empty())
        .unwrap_or("    ")
        .to_string()
}

/// The text between the parentheses of a one-line mapping call laid out again
/// with its new `properties` entries (see [`exploded_arguments`]):
/// `properties` is the call's own dict argument, `None` when a new
/// `properties={...}` goes after the other arguments.
pub fn relaid_mapping_arguments(
    indent: &str,
    args: &[String],
    properties: Option<DictArg>,
    entries: &[(String, String, Vec<String>)],
    style: &Style,
) -> String {
    let dict = properties.unwrap_or(DictArg {
        at: args.len(),
        open: "properties={",
        close: "}",
        existing: &[],
    });
    exploded_arguments(indent, style.indent, args, dict, entries, style)
}

/// The text between the parentheses of a one-line call whose new `entries`
/// are new arguments of its own (`name=relationship(...)`), laid out as black
/// lays out a call too long for one line: all arguments on one indented line
/// when they fit, else one per line with a trailing comma.
pub fn relaid_call_arguments(
    indent: &str,
    args: &[String],
    entries: &[(String, String, Vec<String>)],
    style: &Style,
) -> String {
    let nl = style.line_ending;
    let unit = style.indent;
    let flat_entries = entries
        .iter()
        .map(|(head, callee, a)| format!("{head}{callee}({})", a.join(", ")));
    let all: Vec<String> = args.iter().cloned().chain(flat_entries).collect();
    let inner = format!("{indent}{unit}{}", all.join(", "));
    if width(&inner) <= style.line_length && !all.iter().any(|a| a.contains('\n')) {
        return format!("{nl}{inner}{nl}{indent}");
    }
    let deeper = format!("{indent}{unit}");
    let mut out = String::new();
    for a in args {
        out.push_str(&format!("{nl}{deeper}{a},"));
    }
    for (head, callee, a) in entries {
        out.push_str(nl);
        out.push_str(&call_item_text(&deeper, unit, head, callee, a, style));
        out.push(',');
    }
    out.push_str(&format!("{nl}{indent}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_like_black() {
        let style = Style::measure("x = 1\n");
        let short = call_statement(
            "    ",
            "    ",
            "author",
            "relationship",
            &["\"User\"".into(), "back_populates=\"posts\"".into()],
            &style,
        );
        assert_eq!(
            short,
            "    author = relationship(\"User\", back_populates=\"posts\")\n"
        );
        let args: Vec<String> = (0..4)
            .map(|i| format!("keyword_number_{i}=\"some long value\""))
            .collect();
        let long = call_statement("    ", "    ", "author", "relationship", &args, &style);
        assert!(long.starts_with("    author = relationship(\n        keyword_number_0="));
        assert!(long.ends_with(",\n    )\n"));
    }

    #[test]
    fn a_mapping_call_gets_a_new_properties_argument() {
        let style = Style::measure("x = 1\n");
        let entry = (
            "\"addresses\": ".to_string(),
            "relationship".to_string(),
            vec!["Address".to_string(), "back_populates=\"user\"".to_string()],
        );
        let text = relaid_mapping_arguments(
            "",
            &["User".into(), "users_table".into()],
            None,
            std::slice::from_ref(&entry),
            &style,
        );
        assert_eq!(
            text,
            "\n    User,\n    users_table,\n    properties={\"addresses\": relationship(Address, back_populates=\"user\")},\n"
        );
        let existing = ["\"orders\": relationship(Order)".to_string()];
        let text = relaid_mapping_arguments(
            "",
            &["User".into(), "users_table".into(), "properties={}".into()],
            Some(DictArg {
                at: 2,
                open: "properties={",
                close: "}",
                existing: &existing,
            }),
            std::slice::from_ref(&entry),
            &style,
        );
        assert!(text.starts_with("\n    User,\n    users_table,\n    properties={\n"));
        assert!(text.contains("\n        \"orders\": relationship(Order),\n"));
    }
}
