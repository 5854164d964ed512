//! New Python text, in the style of the file it goes into.
//!
//! A [`Style`] is measured on the file being edited (line ending, quote
//! character, indentation unit); statements are laid out the way black and
//! ruff format would: on one line when they fit, else the arguments on one
//! indented line, else one argument per line with a trailing comma.

/// Conventions measured on one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    pub line_ending: &'static str,
    pub quote: char,
    pub line_length: usize,
}

impl Style {
    pub fn measure(source: &str) -> Style {
        let crlf = source.matches("\r\n").count();
        let lf = source.matches('\n').count() - crlf;
        let cr = source.matches('\r').count() - crlf;
        let line_ending = if crlf > lf && crlf >= cr {
            "\r\n"
        } else if cr > lf && cr > crlf {
            "\r"
        } else {
            "\n"
        };
        let doubles = source.matches('"').count();
        let singles = source.matches('\'').count();
        Style {
            line_ending,
            quote: if singles > doubles { '\'' } else { '"' },
            line_length: 88,
        }
    }

    pub fn string(&self, value: &str) -> String {
        let q = if value.contains(self.quote) {
            if self.quote == '"' { '\'' } else { '"' }
        } else {
            self.quote
        };
        format!("{q}{value}{q}")
    }
}

fn width(s: &str) -> usize {
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
    let nl = style.line_ending;
    let flat = format!("{indent}{head}{callee}({})", args.join(", "));
    if width(&flat) <= style.line_length && !args.iter().any(|a| a.contains('\n')) {
        return flat;
    }
    let inner = format!("{indent}{unit}{}", args.join(", "));
    if width(&inner) <= style.line_length && !args.iter().any(|a| a.contains('\n')) {
        return format!("{indent}{head}{callee}({nl}{inner}{nl}{indent})");
    }
    let mut out = format!("{indent}{head}{callee}({nl}");
    for a in args {
        out.push_str(&format!("{indent}{unit}{a},{nl}"));
    }
    out.push_str(&format!("{indent})"));
    out
}

/// The indentation unit of a body indented by `body` inside something indented by `outer`.
pub fn unit_of(body: &str, outer: &str) -> String {
    body.strip_prefix(outer)
        .filter(|u| !u.is_empty())
        .unwrap_or("    ")
        .to_string()
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
    fn measures_crlf_and_quotes() {
        let s = Style::measure("a = 'x'\r\nb = 'y'\r\n");
        assert_eq!(s.line_ending, "\r\n");
        assert_eq!(s.quote, '\'');
        assert_eq!(s.string("it's"), "\"it's\"");
    }
}
