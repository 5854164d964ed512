//! A bracketed piece of a statement laid out again the way black and ruff
//! format lay it out: on one line when it fits and holds no magic trailing
//! comma, else split at its last bracket (the head up to the opening bracket,
//! the contents indented one level, the closing bracket on a line of its own),
//! the contents on one line when they fit and are not a collection of several
//! items, else one item per line with a trailing comma.
//!
//! It reads a narrow grammar: items made of names, strings, `key=` and `"key": `
//! prefixes and brackets, a comment only at the very end. What it cannot lay
//! out with certainty (an operator or a subscript where a split would fall,
//! a comment inside, triple-quoted strings, backslash continuations) gives
//! `None`; a caller lays out only text whose current layout this module
//! reproduces byte for byte, so a difference from black stays out of files
//! black left alone.

use super::{Style, width};

/// A sequence of pieces written one after another (`"key": relationship(...)`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seq(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text without brackets or commas at this depth.
    Atom(String),
    Bracket {
        open: char,
        items: Vec<Seq>,
        /// A comma after the last item (black's magic trailing comma).
        trailing_comma: bool,
    },
}

/// A unit read from source: the sequence, then what follows it on its last
/// line (`,`, a comment, or both).
struct Unit {
    seq: Seq,
    suffix: String,
}

/// `text` (a unit starting at its first non-blank character, which sits at
/// column `indent`) laid out as black would lay it out, `None` when the
/// grammar above does not cover it.
pub fn relaid_unit(indent: &str, text: &str, style: &Style) -> Option<String> {
    // A tab only as the file's own indentation (ruff format's tab style).
    if (indent.contains('\t') && (style.indent != "\t" || indent.contains(' '))) || !covered(text) {
        return None;
    }
    let unit = read_unit(text)?;
    let l = Layout {
        line_length: style.line_length,
        nl: style.line_ending,
        unit: style.indent,
    };
    l.lay(indent, &unit.seq, &unit.suffix)
}

/// `text` (an expression that may span lines, inside brackets or not) on one
/// line, as black joins it when it fits: `None` when the bracket grammar does
/// not cover it or a magic trailing comma keeps it split.
pub fn joined(text: &str) -> Option<String> {
    if !covered(text) {
        return None;
    }
    // Read as the one item of a bracket, where line breaks are white space.
    let chars: Vec<char> = format!("({text})").chars().collect();
    let mut at = 1;
    let Piece::Bracket { items, .. } = read_bracket(&chars, &mut at, '(')? else {
        return None;
    };
    match items.as_slice() {
        [item] if at == chars.len() && !magic(item) => Some(flat(item)),
        _ => None,
    }
}

struct Layout<'a> {
    line_length: usize,
    nl: &'a str,
    unit: &'a str,
}

impl Layout<'_> {
    fn fits(&self, line: &str) -> bool {
        width(line) <= self.line_length
    }

    fn lay(&self, indent: &str, seq: &Seq, suffix: &str) -> Option<String> {
        let one_line = format!("{indent}{}{suffix}", flat(seq));
        if self.fits(&one_line) && !magic(seq) {
            return Some(one_line);
        }
        // Split at the last bracket: it must end the sequence, and what comes
        // before it must be a plain head.
        let (
            Piece::Bracket {
                open,
                items,
                trailing_comma,
            },
            head,
        ) = seq.0.split_last()?
        else {
            // Nothing to split (a long name or string): black leaves it. An
            // operator between operands (`a == b`) black would split at.
            let operand = |p: &Piece| matches!(p, Piece::Atom(a) if !has_operator(a));
            return (!magic(seq) && seq.0.iter().all(operand)).then_some(one_line);
        };
        let head_text: String = head.iter().map(piece_flat).collect();
        if head
            .iter()
            .any(|p| matches!(p, Piece::Bracket { .. }) && piece_magic(p))
            || !plain_head(&head_text)
        {
            return None;
        }
        let call = *open == '(' && head_text.ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let collection = *open == '{' || (*open == '[' && !ends_with_name(&head_text));
        // `key=(a == b)`: the parenthesised value's one line inside them, when
        // it fits there (black would split a longer one at its operators).
        let parenthesised = *open == '('
            && (head_text.is_empty() || head_text.ends_with('='))
            && items.len() == 1
            && !*trailing_comma;
        if parenthesised {
            let inner = format!("{indent}{}", self.unit);
            let body = format!("{inner}{}", flat(&items[0]));
            if !self.fits(&body) || magic(&items[0]) {
                return None;
            }
            let nl = self.nl;
            return Some(format!(
                "{indent}{head_text}({nl}{body}{nl}{indent}){suffix}"
            ));
        }
        if !(call || collection) || items.is_empty() {
            return None;
        }
        let head_line = format!("{indent}{head_text}{open}");
        if !self.fits(&head_line) {
            return None;
        }
        let inner = format!("{indent}{}", self.unit);
        let explode = *trailing_comma || (collection && items.len() > 1);
        let joined = format!(
            "{inner}{}",
            items.iter().map(flat).collect::<Vec<_>>().join(", ")
        );
        let body = if !explode && self.fits(&joined) && !items.iter().any(magic) {
            joined
        } else if !explode && items.len() == 1 {
            self.lay(&inner, &items[0], "")?
        } else {
            let mut lines = Vec::with_capacity(items.len());
            for item in items {
                lines.push(self.lay(&inner, item, ",")?);
            }
            lines.join(self.nl)
        };
        let close = closing(*open);
        let nl = self.nl;
        Some(format!("{head_line}{nl}{body}{nl}{indent}{close}{suffix}"))
    }
}

/// White space outside string literals: an atom of several operands.
fn has_operator(atom: &str) -> bool {
    crate::syntax::without_blanks(atom).len() != atom.len()
}

/// Text the reading below covers: no backslash (escapes, continuation
/// lines) and no triple-quoted string.
fn covered(text: &str) -> bool {
    !(text.contains('\\') || text.contains("\"\"\"") || text.contains("'''"))
}

fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

fn ends_with_name(s: &str) -> bool {
    s.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ')' || c == ']')
}

/// A head black splits after without looking further: names, dots, strings,
/// `key=` and `"key": `.
fn plain_head(head: &str) -> bool {
    // `name = callee(`, `obj.name = callee(`: an assignment of a call, which
    // black splits at the call's bracket as any other head.
    if let Some((target, value)) = head.split_once(" = ")
        && !target.is_empty()
        && target
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return !value.contains(' ') && plain_head(value);
    }
    let mut in_string: Option<char> = None;
    let mut prev = ' ';
    for c in head.chars() {
        match in_string {
            Some(q) if c == q => in_string = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => in_string = Some(c),
            // A space only after a dict key's colon: any other is an operator
            // or a keyword (`a == f(`, `lambda: f(`, `x = f(`), where black
            // splits otherwise.
            None if c == ' ' && prev != ':' => return false,
            None if c.is_alphanumeric() || "_.=: ".contains(c) => {}
            None => return false,
        }
        prev = c;
    }
    in_string.is_none() && !head.contains("==") && !head.contains("lambda")
}

fn flat(seq: &Seq) -> String {
    seq.0.iter().map(piece_flat).collect()
}

fn piece_flat(p: &Piece) -> String {
    match p {
        Piece::Atom(a) => a.clone(),
        Piece::Bracket {
            open,
            items,
            trailing_comma,
        } => {
            let inner = items.iter().map(flat).collect::<Vec<_>>().join(", ");
            // A one-element tuple keeps its comma; a magic one never reaches here.
            let comma = if *trailing_comma && *open == '(' && items.len() == 1 {
                ","
            } else {
                ""
            };
            format!("{open}{inner}{comma}{}", closing(*open))
        }
    }
}

fn magic(seq: &Seq) -> bool {
    seq.0.iter().any(piece_magic)
}

fn piece_magic(p: &Piece) -> bool {
    match p {
        Piece::Atom(_) => false,
        Piece::Bracket {
            items,
            trailing_comma,
            ..
        } => *trailing_comma || items.iter().any(magic),
    }
}

/// Read a unit: one sequence, then an optional `,` and an optional comment
/// on the last line.
fn read_unit(text: &str) -> Option<Unit> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let seq = read_seq(&chars, &mut at, None)?;
    let rest: String = chars[at..].iter().collect();
    let rest = rest.trim_end();
    let suffix_ok = rest.is_empty()
        || rest == ","
        || rest.trim_start_matches(',').trim_start().starts_with('#');
    if !suffix_ok || rest.chars().filter(|&c| c == '\n' || c == '\r').count() > 0 {
        return None;
    }
    // A comment right after the sequence: black puts two spaces before it.
    let suffix = if rest.starts_with('#') {
        format!("  {rest}")
    } else {
        rest.to_string()
    };
    Some(Unit { seq, suffix })
}

/// Read pieces until a comma or closing bracket at this depth (or the end,
/// or a comment at the top).
fn read_seq(chars: &[char], at: &mut usize, close: Option<char>) -> Option<Seq> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut atom = String::new();
    // White space inside an item is one space; at its ends it goes.
    let mut pending = false;
    let space = |atom: &mut String, pieces: &[Piece], pending: &mut bool| {
        if *pending && (!atom.is_empty() || !pieces.is_empty()) {
            atom.push(' ');
        }
        *pending = false;
    };
    while *at < chars.len() {
        let c = chars[*at];
        match c {
            '\'' | '"' => {
                space(&mut atom, &pieces, &mut pending);
                let start = *at;
                *at += 1;
                while *at < chars.len() && chars[*at] != c {
                    if chars[*at] == '\n' {
                        return None;
                    }
                    *at += if chars[*at] == '\\' { 2 } else { 1 };
                }
                *at += 1;
                atom.extend(chars.get(start..*at)?);
            }
            '(' | '[' | '{' => {
                space(&mut atom, &pieces, &mut pending);
                if !atom.is_empty() {
                    pieces.push(Piece::Atom(std::mem::take(&mut atom)));
                }
                *at += 1;
                pieces.push(read_bracket(chars, at, c)?);
            }
            ')' | ']' | '}' | ',' => break,
            '#' => {
                // A comment ends the unit; inside brackets it is not covered.
                if close.is_some() {
                    return None;
                }
                break;
            }
            '\n' | '\r' if close.is_none() => return None,
            ' ' | '\t' | '\n' | '\r' => {
                pending = true;
                *at += 1;
            }
            _ => {
                space(&mut atom, &pieces, &mut pending);
                atom.push(c);
                *at += 1;
            }
        }
    }
    if !atom.is_empty() {
        pieces.push(Piece::Atom(atom));
    }
    Some(Seq(pieces))
}

fn read_bracket(chars: &[char], at: &mut usize, open: char) -> Option<Piece> {
    let close = closing(open);
    let mut items = Vec::new();
    let mut trailing_comma = false;
    loop {
        let seq = read_seq(chars, at, Some(close))?;
        let c = *chars.get(*at)?;
        let empty = seq.0.is_empty();
        if c == ',' {
            if empty {
                return None;
            }
            items.push(seq);
            *at += 1;
            // A comma followed by the closing bracket.
            let next = chars[*at..].iter().position(|c| !c.is_whitespace())?;
            if chars[*at + next] == close {
                trailing_comma = true;
                *at += next + 1;
                break;
            }
        } else if c == close {
            if !empty {
                items.push(seq);
            }
            *at += 1;
            break;
        } else {
            return None;
        }
    }
    Some(Piece::Bracket {
        open,
        items,
        trailing_comma,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(indent: &str, text: &str, len: usize) -> Option<String> {
        relaid_unit(
            indent,
            text,
            &Style {
                line_length: len,
                ..Style::measure("")
            },
        )
    }

    #[test]
    fn a_dict_argument_too_long_is_split_at_its_brace() {
        // As ruff format 0.17.6 lays it out at line length 79.
        let old = "properties={\"addresses\": relationship(Address, back_populates=\"user\")},";
        assert_eq!(
            lay("            ", old, 79).as_deref(),
            Some(
                "            properties={\n                \"addresses\": relationship(Address, back_populates=\"user\")\n            },"
            )
        );
    }

    #[test]
    fn a_split_that_now_fits_is_joined() {
        let old = "properties=dict(\n                orders=relationship(Order, back_populates=\"user\")\n            ),";
        assert_eq!(
            lay("            ", old, 79).as_deref(),
            Some(
                "            properties=dict(orders=relationship(Order, back_populates=\"user\")),"
            )
        );
    }

    #[test]
    fn a_trailing_comment_stays_after_the_closing_bracket() {
        let old = "\"orders\": relationship(Order, back_populates=\"user\"),  # o2m, m2o";
        assert_eq!(
            lay("                ", old, 79).as_deref(),
            Some(
                "                \"orders\": relationship(\n                    Order, back_populates=\"user\"\n                ),  # o2m, m2o"
            )
        );
    }

    #[test]
    fn a_statement_with_a_trailing_comment_is_split_before_it() {
        let old = "author = relationship(User, back_populates=\"written_posts\")  # the author";
        assert_eq!(
            lay("    ", old, 70).as_deref(),
            Some(
                "    author = relationship(\n        User, back_populates=\"written_posts\"\n    )  # the author"
            )
        );
    }

    #[test]
    fn call_arguments_on_one_line_become_one_per_line() {
        let old = "self.mapper_registry.map_imperatively(\n    A, a_table, properties={\"dest\": relationship(Dest, back_populates=\"a\")}\n)";
        assert_eq!(
            lay("        ", old, 79).as_deref(),
            Some(
                "        self.mapper_registry.map_imperatively(\n            A,\n            a_table,\n            properties={\"dest\": relationship(Dest, back_populates=\"a\")},\n        )"
            )
        );
    }

    #[test]
    fn a_collection_of_several_items_is_exploded_and_a_magic_comma_kept() {
        assert_eq!(
            lay("", "x={\"a\": f(1), \"b\": g(2)},", 20).as_deref(),
            Some("x={\n    \"a\": f(1),\n    \"b\": g(2),\n},")
        );
        assert_eq!(
            lay("", "f(\n    a,\n)", 79).as_deref(),
            Some("f(\n    a,\n)")
        );
    }

    #[test]
    fn what_it_cannot_lay_out_is_none() {
        // An operator where the split would fall, a comment inside, a subscript.
        assert_eq!(
            lay("", "x=f(a) == g(bbbbbbbbbbbbbbbbbbbbbbbbbbbbb)", 20),
            None
        );
        assert_eq!(lay("", "f(\n    a,  # c\n    b,\n)", 79), None);
        assert_eq!(
            lay("", "x[aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbb]", 20),
            None
        );
        // Fits: left as it is, whatever it holds.
        assert_eq!(
            lay("", "x=f(a) == g(b)", 79).as_deref(),
            Some("x=f(a) == g(b)")
        );
    }
}
