//! New Python text, in the style of the file it goes into: the one place
//! that writes Python source.
//!
//! A [`Style`] is measured on the file being edited (line ending, quote
//! character, line length); calls and statements are laid out the way black
//! and ruff format would (`layout`), and import statements are written in the
//! module's own spelling (`imports`). It decides nothing: which fixes are
//! made, which names a module needs and where an edit goes belong to the
//! planner ([`crate::plan`]) and the applier ([`crate::apply`]); this module
//! only turns their decisions into text.

mod brackets;
pub mod imports;
mod layout;

pub use brackets::{joined, relaid_unit};

pub use layout::{
    DictArg, HANGING, call_item_text, call_statement, call_text, commented_call_statement,
    exploded_arguments, relaid_call_arguments, relaid_mapping_arguments, unit_of, width,
};

/// The keywords that open a block of statements.
const BLOCK_KEYWORDS: &[&str] = &[
    "class", "def", "async", "if", "elif", "else", "for", "while", "try", "except", "finally",
    "with", "match", "case",
];

/// Conventions measured on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub line_ending: &'static str,
    pub quote: char,
    pub line_length: usize,
    /// One level of indentation: a tab in a file whose blocks are indented
    /// with tabs, else four spaces (black's, and ruff format's default).
    pub indent: &'static str,
}

impl Style {
    pub fn measure(source: &str) -> Style {
        let b = source.as_bytes();
        let crlf = memchr::memmem::find_iter(b, b"\r\n").count();
        let lf = memchr::memchr_iter(b'\n', b).count() - crlf;
        let cr = memchr::memchr_iter(b'\r', b).count() - crlf;
        let line_ending = if crlf > lf && crlf >= cr {
            "\r\n"
        } else if cr > lf && cr > crlf {
            "\r"
        } else {
            "\n"
        };
        let doubles = memchr::memchr_iter(b'"', b).count();
        let singles = memchr::memchr_iter(b'\'', b).count();
        let (mut tabs, mut spaces) = (0usize, 0usize);
        // The step of indentation after a line that opens a block (a
        // compound statement's header ending in `:`), in spaces: the most
        // common one.
        let mut steps = [0usize; 9];
        let mut opener: Option<usize> = None;
        for line in source.lines() {
            match line.as_bytes().first() {
                Some(b'\t') => tabs += 1,
                Some(b' ') => spaces += 1,
                _ => {}
            }
            let code = line.trim();
            if code.is_empty() || code.starts_with('#') {
                continue;
            }
            let lead = line.len() - line.trim_start_matches(' ').len();
            if let Some(outer) = opener
                && lead > outer
                && lead - outer < steps.len()
            {
                steps[lead - outer] += 1;
            }
            let header = code
                .split([' ', '(', ':'])
                .next()
                .is_some_and(|w| BLOCK_KEYWORDS.contains(&w));
            opener = (header && code.ends_with(':')).then_some(lead);
        }
        let step = (1..steps.len())
            .max_by_key(|&n| (steps[n], n == 4))
            .filter(|&n| steps[n] > 0)
            .unwrap_or(4);
        Style {
            line_ending,
            quote: if singles > doubles { '\'' } else { '"' },
            line_length: 88,
            indent: if tabs > spaces {
                "\t"
            } else {
                // Four spaces (black's) unless the file's blocks step by
                // fewer.
                &"    "[..step.min(4)]
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_crlf_and_quotes() {
        let s = Style::measure("a = 'x'\r\nb = 'y'\r\n");
        assert_eq!(s.line_ending, "\r\n");
        assert_eq!(s.quote, '\'');
        assert_eq!(s.string("it's"), "\"it's\"");
    }

    #[test]
    fn the_indent_unit_is_the_step_of_the_files_blocks() {
        let two = "class A:\n  x = 1\n  def f(self):\n    return 1\n";
        assert_eq!(Style::measure(two).indent, "  ");
        let tabs = "class A:\n\tx = 1\n\tdef f(self):\n\t\treturn 1\n";
        assert_eq!(Style::measure(tabs).indent, "\t");
        // A docstring's own indentation is not the file's.
        let four = "def f():\n    \"\"\"Args:\n      x: a value\n\n    for example:\n      f()\n    \"\"\"\n    return 1\n";
        assert_eq!(Style::measure(four).indent, "    ");
        assert_eq!(Style::measure("x = 1\n").indent, "    ");
    }
}
