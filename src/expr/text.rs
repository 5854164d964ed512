//! The text of a moved value: its continuation lines made relative to its
//! column, joined on one line, or quoted as a string literal.
//!
//! Pure text work: it does not look at what the names mean, and refuses
//! (returns `None` or an error) rather than guess where comments, backslash
//! continuations or triple-quoted strings make a change unsafe.

use crate::facts::Expr;
use crate::refusal::Refusal;

/// The text of a value, its continuation lines indented relative to the
/// column where the value starts (the layout adds the new column back, see
/// [`crate::codegen::call_text`]). Text with triple-quoted strings or
/// backslash continuations is kept as it is.
pub(super) fn relative_lines(source: &str, value: &Expr) -> String {
    let text = &value.text;
    if !text.contains(['\n', '\r'])
        || text.contains("\"\"\"")
        || text.contains("\'\'\'")
        || text.contains('\\')
    {
        return text.clone();
    }
    let start = value.range.start.min(source.len());
    let column = source[crate::syntax::line_start(source, start)..start]
        .chars()
        .count();
    let indent_of = |line: &str| line.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    // Continuation lines left of the value's column hang from the line that
    // holds the value (black's `key=a\n== b`): they are kept relative to
    // their least indented line and marked, for the layout to indent them
    // from the argument's column rather than the value's.
    let least = text
        .split_inclusive('\n')
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(indent_of)
        .min()
        .unwrap_or(column);
    let hanging = least < column;
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == 0 {
            out.push_str(line);
            continue;
        }
        let lead = indent_of(line).min(if hanging { least } else { column });
        if hanging && !line.trim().is_empty() {
            out.push(crate::codegen::HANGING);
        }
        out.push_str(&line[lead..]);
    }
    out
}

/// The one-line form of a multi-line expression: each line break with the
/// indentation around it becomes one space (none just inside brackets), and a
/// comma left before `]` or `}` goes. `None` when comments, backslash
/// continuations or triple-quoted strings make joining lines unsafe.
pub fn collapse_lines(text: &str) -> Option<String> {
    if !text.contains(['\n', '\r']) {
        return Some(text.to_string());
    }
    if text.contains('#') || text.contains('\\') || text.contains("\"\"\"") || text.contains("'''")
    {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\n' && c != '\r' {
            out.push(c);
            continue;
        }
        while out.ends_with([' ', '\t']) {
            out.pop();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let next = chars.peek().copied();
        let drop_comma = match next {
            Some(']' | '}') => true,
            // A call's trailing comma goes; a one-element tuple keeps its comma.
            Some(')') => opening_is_call(&out),
            _ => false,
        };
        if drop_comma && out.ends_with(',') {
            out.pop();
        }
        let after_open = out.ends_with(['(', '[', '{']);
        let before_close = matches!(next, Some(')' | ']' | '}'));
        if !after_open && !before_close && next.is_some() {
            out.push(' ');
        }
    }
    Some(out)
}

/// `inner` as a string literal, in the preferred quote character when it can be.
pub(super) fn quote(inner: &str, prefer: char) -> Result<String, Refusal> {
    let other = if prefer == '"' { '\'' } else { '"' };
    if !inner.contains(prefer) {
        Ok(format!("{prefer}{inner}{prefer}"))
    } else if !inner.contains(other) {
        Ok(format!("{other}{inner}{other}"))
    } else {
        Err(Refusal::MixedQuotes {
            text: inner.to_string(),
        })
    }
}

/// Whether the innermost unclosed `(` of `text` opens a call's arguments
/// (it follows a name, a `)` or a `]`) rather than a parenthesized group.
fn opening_is_call(text: &str) -> bool {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth > 0 => depth -= 1,
            '(' => {
                return text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_alphanumeric() || p == '_' || p == ')' || p == ']');
            }
            '[' | '{' => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::collapse_lines;

    #[test]
    fn joins_lines_like_a_formatter() {
        assert_eq!(
            collapse_lines("[\n    t.c.a,\n    t.c.b,\n]").as_deref(),
            Some("[t.c.a, t.c.b]")
        );
        assert_eq!(
            collapse_lines("and_(\n    a == b,\n    c == \"x y\"\n)").as_deref(),
            Some("and_(a == b, c == \"x y\")")
        );
        assert_eq!(collapse_lines("(x,\n)").as_deref(), Some("(x,)"));
        assert_eq!(
            collapse_lines("sa.and_(\n    a == b,\n    c == d,\n)").as_deref(),
            Some("sa.and_(a == b, c == d)")
        );
        assert_eq!(collapse_lines("a ==\n  b  # why\n"), None);
    }
}
