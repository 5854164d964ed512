//! Where the reverse goes in the target class body: after its last
//! relationship, else after its last attribute; and which typing-only stubs of
//! the same name it replaces.
//!
//! It picks a byte offset; it does not write text or decide whether the name
//! is free (`pairing` does).

use std::ops::Range;

use super::typed::{Dataclass, dataclass_kind};
use super::*;

/// A statement `name = None` (or `name: ann = None`) in the target class
/// itself that the reverse replaces: SQLAlchemy replaces its value with the
/// backref's attribute when the mappers configure (1.3 to 2.1 alike), so
/// nothing after configuration can tell. Not in a dataclass (an annotated
/// one is a field) nor when a statement of the class body reads the value
/// while the class is built (methods read it later, after configuration).
pub(super) fn placeholder(ix: &Index, target: ClassId, name: &str) -> Option<Range<usize>> {
    let class = ix.class(target);
    let mut found = class
        .members
        .iter()
        .filter(|m| m.names.iter().any(|n| n == name) && m.binds(name));
    let m = found.next()?;
    if !m.placeholder || m.conditional || found.next().is_some() {
        return None;
    }
    if dataclass_kind(ix, target) != Dataclass::No {
        return None;
    }
    let src = &ix.files[target.file].source;
    let reads = class.members.iter().any(|other| {
        let text = &src[other.line_range.clone()];
        other.line_range != m.line_range
            && !matches!(other.kind, MemberKind::Function | MemberKind::Class)
            && !is_string_statement(text)
            && text.lines().any(|l| mentions_word(code_of(l), name))
    });
    (!reads).then(|| m.line_range.clone())
}

/// Whether a statement is only a string literal (a docstring of the
/// attribute before it), which reads no name. Conservative: a string with
/// its own quote inside (escaped, or an expression joining strings) is not.
fn is_string_statement(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(['r', 'R', 'u', 'U', 'b', 'B']);
    ["\"\"\"", "'''", "\"", "'"].iter().any(|q| {
        t.len() >= 2 * q.len()
            && t.starts_with(q)
            && t.ends_with(q)
            && !t[q.len()..t.len() - q.len()].contains(q)
    })
}

/// A line without its comment: up to the first `#` outside a string
/// literal (a line that opens a string it does not close is kept whole).
fn code_of(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return &line[..i],
            None => {}
        }
    }
    line
}

/// Whether `text` has `word` as a whole identifier.
fn mentions_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(ident)
            && !text[i + word.len()..].chars().next().is_some_and(ident)
    })
}

/// Where the reverse goes in the target class (and the placeholder statement
/// it replaces, if any), and typing-only stubs of its name to delete.
pub(super) fn placement(
    ix: &Index,
    target: ClassId,
    name: &str,
    fk_column: Option<&str>,
) -> (Range<usize>, Vec<Range<usize>>) {
    if let Some(replaced) = placeholder(ix, target, name) {
        return (replaced, typing_stubs(ix, target, name));
    }
    let class = ix.class(target);
    let mut stubs = typing_stubs(ix, target, name);
    let at = fk_column
        .and_then(|c| beside_column(class, c, &stubs))
        .unwrap_or_else(|| insertion_point(class, &stubs));
    // A body that is only a placeholder (`pass` or `...`, maybe after a docstring) loses it.
    let placeholder_only = class.members.iter().enumerate().all(|(i, m)| {
        m.kind == MemberKind::Pass || (i == 0 && m.kind == MemberKind::Other && !m.conditional)
    });
    if placeholder_only {
        for m in class.members.iter().filter(|m| m.kind == MemberKind::Pass) {
            stubs.push(m.line_range.clone());
        }
    }
    (at..at, stubs)
}

/// The typing-only declarations of `name` in the class (a bare annotation, a
/// `TYPE_CHECKING` block's entries) that the reverse replaces.
fn typing_stubs(ix: &Index, target: ClassId, name: &str) -> Vec<Range<usize>> {
    let mut stubs = Vec::new();
    for m in &ix.class(target).members {
        match m.kind {
            MemberKind::BareAnnotation if m.names.iter().any(|n| n == name) => {
                stubs.push(m.line_range.clone())
            }
            MemberKind::TypeChecking => {
                let mine: Vec<_> = m.inner.iter().filter(|(n, _)| n == name).collect();
                if !mine.is_empty() {
                    if mine.len() == m.inner.len() {
                        stubs.push(absorb_blank_lines(
                            &ix.files[target.file].source,
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
    stubs
}

/// Right after the foreign-key column `column`, when the class keeps its
/// relationships beside their columns: at least one relationship `x` follows
/// its column `x_id` (one with a foreign key) on the next line, and none
/// stands apart from it.
fn beside_column(class: &ClassFact, column: &str, stubs: &[Range<usize>]) -> Option<usize> {
    let fk_columns: Vec<&str> = class
        .columns
        .iter()
        .filter(|c| !c.foreign_keys.is_empty())
        .map(|c| c.attr.as_str())
        .collect();
    let members: Vec<&Member> = class.members.iter().filter(|m| !m.conditional).collect();
    let mut beside = 0;
    for (i, m) in members.iter().enumerate() {
        let Some(attr) = m.names.first().filter(|_| is_relationship(m)) else {
            continue;
        };
        let col = format!("{attr}_id");
        if !fk_columns.contains(&col.as_str()) {
            continue;
        }
        // Directly after: on the next line, no blank line between.
        if i > 0
            && members[i - 1].names.contains(&col)
            && members[i - 1].line_range.end == m.line_range.start
        {
            beside += 1;
        } else {
            return None;
        }
    }
    if beside == 0 {
        return None;
    }
    members
        .iter()
        .find(|m| {
            m.names.iter().any(|n| n == column)
                && matches!(m.kind, MemberKind::Assign { .. })
                && !stubs.contains(&m.line_range)
        })
        .map(|m| m.line_range.end)
}

fn is_relationship(m: &Member) -> bool {
    match &m.kind {
        MemberKind::Assign {
            value_call: Some(c),
            ..
        } => c
            .last()
            .is_some_and(|l| RELATIONSHIP_CALLEES.contains(&l.as_str())),
        _ => false,
    }
}

/// After the class's last relationship, else after its last attribute (even
/// one declared between methods: columns interleaved with properties), else
/// after other statements before the methods, else at the top of the body.
fn insertion_point(class: &ClassFact, stubs: &[Range<usize>]) -> usize {
    let is_rel = is_relationship;
    let first_fn = class
        .members
        .iter()
        .position(|m| matches!(m.kind, MemberKind::Function | MemberKind::Class))
        .unwrap_or(class.members.len());
    let candidates = |pred: &dyn Fn(&Member) -> bool, upto: usize| {
        class.members[..upto]
            .iter()
            .filter(|m| pred(m) && !m.conditional && !stubs.contains(&m.line_range))
            .map(|m| m.line_range.end)
            .next_back()
    };
    class
        .members
        .iter()
        .filter(|m| is_rel(m) && !m.conditional)
        .map(|m| m.line_range.end)
        .next_back()
        .or_else(|| {
            candidates(
                &|m| {
                    matches!(
                        m.kind,
                        MemberKind::Assign { .. } | MemberKind::BareAnnotation
                    )
                },
                class.members.len(),
            )
        })
        .or_else(|| {
            candidates(
                &|m| matches!(m.kind, MemberKind::Other | MemberKind::Pass),
                first_fn,
            )
        })
        .unwrap_or_else(|| {
            class
                .members
                .first()
                .map_or(class.body_range.start, |m| m.line_range.start)
        })
}

/// Extend a deleted block over the blank lines before it when a blank line follows,
/// so that removing it leaves one blank line, not two.
pub(super) fn absorb_blank_lines(src: &str, mut range: Range<usize>) -> Range<usize> {
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

#[cfg(test)]
mod tests {
    use super::{is_string_statement, mentions_word};

    #[test]
    fn a_docstring_is_a_string_statement_and_reads_nothing() {
        assert!(is_string_statement(
            "    \"\"\"The author (set by a backref).\"\"\"\n"
        ));
        assert!(is_string_statement("    'author'\n"));
        assert!(is_string_statement("    r\"author\"\n"));
        assert!(!is_string_statement("    \"a\" if author else \"b\"\n"));
        assert!(!is_string_statement("    label = \"author\"\n"));
    }

    #[test]
    fn a_comment_reads_nothing() {
        assert_eq!(
            super::code_of("    x = None  # self.author"),
            "    x = None  "
        );
        assert_eq!(
            super::code_of("    x = \"#\" + author"),
            "    x = \"#\" + author"
        );
        assert_eq!(
            super::code_of("    x = 'a\\'#' + author  # c"),
            "    x = 'a\\'#' + author  "
        );
    }

    #[test]
    fn a_word_is_a_whole_identifier() {
        assert!(mentions_word("    x = author\n", "author"));
        assert!(mentions_word("    x = f(author.id)\n", "author"));
        assert!(!mentions_word(
            "    author_id = Column(Integer)\n",
            "author"
        ));
        assert!(!mentions_word("    coauthor = None\n", "author"));
    }
}
