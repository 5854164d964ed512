//! Names that statements bind, found in the bytes: the attributes assigned or
//! annotated on a dotted name (`Post.author = ...`) and `original as bound`
//! aliases, so that a name imported under another one also counts under its
//! own.
//!
//! Lexical supersets: `with ... as x` and `except E as e` count as aliases, a
//! comparison inside a string as an assignment. It does not check that the
//! assigned value is a relationship; the parse of the file does.

use super::is_ident;

/// What may stand between two tokens of one statement: spaces, tabs, form
/// feeds, and line breaks with their continuation backslash (a superset).
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0c' | b'\\' | b'\n' | b'\r')
}

/// Where the run of bytes matching `class` that ends at `end` starts.
fn run_before(source: &[u8], end: usize, class: fn(u8) -> bool) -> usize {
    end - source[..end]
        .iter()
        .rev()
        .take_while(|&&b| class(b))
        .count()
}

/// Where the run of bytes matching `class` that starts at `start` ends.
fn run_after(source: &[u8], start: usize, class: fn(u8) -> bool) -> usize {
    start + source[start..].iter().take_while(|&&b| class(b)).count()
}

/// The attributes of a name that stand before `=` or `:` (`a.Owner.name =`,
/// `Owner . name :`), as (owner, attribute); blanks and line continuations
/// allowed between. A superset of the attributes a statement assigns or
/// annotates on a dotted name.
pub(super) fn attribute_targets(source: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for at in memchr::memchr2_iter(b'=', b':', source) {
        if source[at] == b'=' && source.get(at + 1) == Some(&b'=') {
            continue;
        }
        let end = run_before(source, at, is_blank);
        let start = run_before(source, end, is_ident);
        if start == end {
            continue;
        }
        let dot = run_before(source, start, is_blank);
        if dot == 0 || source[dot - 1] != b'.' {
            continue;
        }
        let owner_end = run_before(source, dot - 1, is_blank);
        let owner_start = run_before(source, owner_end, is_ident);
        if owner_start < owner_end {
            let text = |r: std::ops::Range<usize>| String::from_utf8_lossy(&source[r]).into_owned();
            out.push((text(owner_start..owner_end), text(start..end)));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `original as bound` anywhere in the bytes, with any blanks around `as`
/// (imports, but also `with` and `except` clauses: a superset), as (bound,
/// original).
fn import_aliases(source: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut aliases = Vec::new();
    for at in memchr::memmem::find_iter(source, b"as") {
        if at == 0 || !is_blank(source[at - 1]) || !source.get(at + 2).is_some_and(|&b| is_blank(b))
        {
            continue;
        }
        let bound_start = run_after(source, at + 2, is_blank);
        let bound = &source[bound_start..run_after(source, bound_start, is_ident)];
        let original_end = run_before(source, at, is_blank);
        let original = &source[run_before(source, original_end, is_ident)..original_end];
        if !bound.is_empty() && !original.is_empty() && bound != original {
            aliases.push((bound, original));
        }
    }
    aliases
}

/// A name imported under another one (`from m import Author as A`) also
/// counts under its own, as a base (`class Guest(A)`) and as the owner of
/// an assigned attribute (`A.books = ...`).
pub(super) fn add_original_names(
    source: &[u8],
    classes: &mut [(String, Vec<String>)],
    assigned_attrs: &mut Vec<(String, String)>,
) {
    let aliases = import_aliases(source);
    let originals = |name: &str| -> Vec<String> {
        aliases
            .iter()
            .filter(|(bound, _)| *bound == name.as_bytes())
            .map(|(_, original)| String::from_utf8_lossy(original).into_owned())
            .collect()
    };
    for (_, bases) in classes.iter_mut() {
        for extra in bases.iter().flat_map(|b| originals(b)).collect::<Vec<_>>() {
            if !bases.contains(&extra) {
                bases.push(extra);
            }
        }
    }
    let extra: Vec<(String, String)> = assigned_attrs
        .iter()
        .flat_map(|(owner, attr)| originals(owner).into_iter().map(|o| (o, attr.clone())))
        .collect();
    assigned_attrs.extend(extra);
    assigned_attrs.sort_unstable();
    assigned_attrs.dedup();
}
