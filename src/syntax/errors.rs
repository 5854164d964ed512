//! Whether a file is Python 3 that tree-sitter reads without error: the first
//! ERROR or MISSING node, or the first construct only Python 2 accepts (which
//! the grammar parses without an error).
//!
//! It only finds where a file stops being readable; it does not say why to
//! the user beyond the position, and does not try to recover.

use tree_sitter::{Node, Tree};

use super::node::pos;
use super::parser::parse;
use crate::facts::Pos;

/// The syntax tree of a file that parses, else where its first syntax error
/// is (tree-sitter ERROR or MISSING node, or a construct only Python 2
/// accepts): the check a rewritten file must pass, without extracting its
/// facts.
pub fn parse_checked(source: &str) -> Result<Tree, Pos> {
    let Some(tree) = parse(source) else {
        return Err(Pos { line: 1, col: 1 });
    };
    match error_in(tree.root_node(), source) {
        Some(at) => Err(at),
        None => Ok(tree),
    }
}

/// Where the first syntax error of a parsed file is, if it has one.
pub(super) fn error_in(root: Node, src: &str) -> Option<Pos> {
    if root.has_error() {
        return Some(first_error(root).map_or(Pos { line: 1, col: 1 }, pos));
    }
    python2_construct(root, src).map(pos)
}

fn first_error(node: Node) -> Option<Node> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() {
            return first_error(child).or(Some(child));
        }
    }
    None
}

/// Whether `src` can hold a construct only Python 2 accepts: a byte-level
/// superset of what [`python2_construct`] finds, so that most files skip its
/// walk over every node. Words and numbers inside strings and comments count
/// too (it only has to never miss one).
fn may_be_python2(src: &[u8]) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let word_at = |at: usize, len: usize| {
        (at == 0 || !ident(src[at - 1])) && src.get(at + len).is_none_or(|&b| !ident(b))
    };
    // `print x`, `exec code`: the word not followed at once by `(`.
    for word in [&b"print"[..], b"exec"] {
        for at in memchr::memmem::find_iter(src, word) {
            if word_at(at, word.len()) && src.get(at + word.len()) != Some(&b'(') {
                return true;
            }
        }
    }
    // `except E, e:`: a comma outside brackets on the line of an `except`.
    for at in memchr::memmem::find_iter(src, b"except") {
        if !word_at(at, 6) {
            continue;
        }
        let mut depth = 0usize;
        for &b in src[at..].iter().take_while(|&&b| b != b'\n') {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => return true,
                _ => {}
            }
        }
    }
    if memchr::memmem::find(src, b"<>").is_some() || memchr::memchr(b'`', src).is_some() {
        return true;
    }
    // `0777`, `10L`: a number token with a leading zero or an `L` suffix.
    if number_runs(src)
        .any(|(_, token)| leading_zero(token) || token.ends_with(b"l") || token.ends_with(b"L"))
    {
        return true;
    }
    false
}

/// The first construct that only Python 2 accepts (the grammar parses them
/// without errors), by where it starts.
///
/// Each such construct starts at, or holds, a byte that [`candidates`] lists
/// (its keyword, `<>`, the backtick, the number), so only the nodes that
/// contain one of those bytes are looked at: in a file whose docstrings hold a
/// backtick (reST) the search follows a few chains of nodes, not every node.
fn python2_construct<'t>(root: Node<'t>, src: &str) -> Option<Node<'t>> {
    if !may_be_python2(src.as_bytes()) {
        return None;
    }
    let mut first: Option<Node> = None;
    let mut cursor = root.walk();
    for at in candidates(src.as_bytes()) {
        cursor.reset(root);
        loop {
            let node = cursor.node();
            // Of two that start at one place, the outer one comes first.
            let earlier = first.is_none_or(|f| {
                (node.start_byte(), std::cmp::Reverse(node.end_byte()))
                    < (f.start_byte(), std::cmp::Reverse(f.end_byte()))
            });
            if earlier && is_python2(node, src) {
                first = Some(node);
            }
            if cursor.goto_first_child_for_byte(at).is_none() {
                break;
            }
        }
    }
    first
}

/// Whether `node` is a construct only Python 2 accepts.
fn is_python2(node: Node, src: &str) -> bool {
    match node.kind() {
        "print_statement" | "exec_statement" => true,
        "except_clause" => {
            let mut c = node.walk();
            node.children_by_field_name("value", &mut c).count() > 1
        }
        "comparison_operator" => {
            let mut c = node.walk();
            node.children(&mut c).any(|t| t.kind() == "<>")
        }
        "integer" => {
            let t = &src[node.byte_range()];
            (t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()))
                || t.ends_with(['l', 'L'])
        }
        "string" => src[node.byte_range()].starts_with('`'),
        _ => false,
    }
}

/// Byte offsets that every construct [`is_python2`] finds starts at or
/// holds: each `print`, `exec` and `except`, each `<>` and backtick, and the
/// start of each number whose run of word characters has a leading zero or
/// an `l`/`L` (an integer token is a prefix of the run it starts).
fn candidates(src: &[u8]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for word in [&b"print"[..], b"exec", b"except", b"<>"] {
        out.extend(memchr::memmem::find_iter(src, word));
    }
    out.extend(memchr::memchr_iter(b'`', src));
    out.extend(
        number_runs(src)
            .filter(|(_, token)| {
                leading_zero(token) || token.iter().any(|&b| b == b'l' || b == b'L')
            })
            .map(|(at, _)| at),
    );
    out
}

/// Each run of word characters that starts with a digit where a number can
/// start (not inside a name, not after a `.`), with its offset.
fn number_runs(src: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < src.len() {
            if src[i].is_ascii_digit() && (i == 0 || !(ident(src[i - 1]) || src[i - 1] == b'.')) {
                let start = i;
                i += src[i..].iter().take_while(|&&b| ident(b)).count();
                return Some((start, &src[start..i]));
            }
            i += 1;
        }
        None
    })
}

/// `07`: a leading zero followed by a digit.
fn leading_zero(token: &[u8]) -> bool {
    token.len() > 1 && token[0] == b'0' && token[1].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::extract;

    /// Every node in document order: what [`python2_construct`] must agree with.
    fn python2_construct_walk<'t>(root: Node<'t>, src: &str) -> Option<Node<'t>> {
        let mut cursor = root.walk();
        let mut descend = true;
        loop {
            let node = cursor.node();
            if descend {
                if is_python2(node, src) {
                    return Some(node);
                }
                if cursor.goto_first_child() {
                    continue;
                }
            }
            if cursor.goto_next_sibling() {
                descend = true;
            } else if cursor.goto_parent() {
                descend = false;
            } else {
                return None;
            }
        }
    }

    /// The search by candidate bytes finds what a walk over every node
    /// finds, on Python 2 constructs in several positions and on the Python
    /// files of every fixture.
    #[test]
    fn search_by_candidates_agrees_with_the_walk() {
        let mut sources: Vec<String> = [
            "x = `y` + 1\nprint 'a'\n",
            "\"\"\"``doc``\"\"\"\nif a <> b:\n    x = 0777\n",
            "def f():\n    '''`x`'''\n    return 10L + 0x1fL\n",
            "try:\n    pass\nexcept A, e:\n    exec code in ns\n",
            "x = [1, 2, 07, 3l]\n# print me\n",
            "print('x')\nx = 0o777 + 1.5 + 1_000 + 0 + 00\ns = '`'\n",
            "x = (0777 <> y)\n",
            "class A:\n    v = 1 if print_ else 0L\n",
            "lambda: `a`\n",
            "if x:\n    print >>sys.stderr, 'x'\n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let testdata = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut dirs = vec![testdata];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "py")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    sources.push(text);
                }
            }
        }
        let (mut walked, mut found) = (0, 0);
        for src in &sources {
            let Some(tree) = parse(src) else { continue };
            let root = tree.root_node();
            if root.has_error() || !may_be_python2(src.as_bytes()) {
                continue;
            }
            walked += 1;
            let walk = python2_construct_walk(root, src).map(|n| n.start_byte());
            found += usize::from(walk.is_some());
            assert_eq!(
                python2_construct(root, src).map(|n| n.start_byte()),
                walk,
                "{src:?}"
            );
        }
        assert!(
            found >= 10,
            "only {found} sources hold a Python 2 construct"
        );
        assert!(walked >= 30, "only {walked} sources compared");
    }

    #[test]
    fn python2_files_are_syntax_errors() {
        for src in [
            "print 'x'\n",
            "exec 'x = 1'\n",
            "try:\n    pass\nexcept ValueError, e:\n    pass\n",
            "if a <> b:\n    pass\n",
            "x = 0777\n",
            "x = 10L\n",
            "x = `y`\n",
            "x = [0xffL]\n",
            "f(a,b)\nx = 1 if y else 007\n",
            "if x:\n    print >>sys.stderr, 'x'\n",
            "try:\n    f()\nexcept (A, B), e:\n    pass\n",
        ] {
            assert!(
                may_be_python2(src.as_bytes()),
                "{src:?} skipped by the prefilter"
            );
            let f = extract("m.py".into(), src.to_string(), false);
            assert!(
                f.syntax_error.is_some(),
                "{src:?} should not parse as Python 3"
            );
        }
        for src in [
            "print('x')\nx = 0o777 + 0 + 1.05 + 0.0 + 1e10 + 0x1F\n",
            "try:\n    f(a, b)\nexcept (A, B) as e:\n    blueprint = fingerprint(e)\n",
            "def all(executor): return level_2l\n",
        ] {
            assert!(
                !may_be_python2(src.as_bytes()),
                "{src:?} walked for nothing"
            );
        }
        let f = extract(
            "m.py".into(),
            "print('x')\nx = 0o777 + 0\n".to_string(),
            false,
        );
        assert!(f.syntax_error.is_none());
    }
}
