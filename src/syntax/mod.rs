//! The only module that touches tree-sitter.
//!
//! It parses a Python file and hands out owned [`FileFacts`]: classes, their
//! members and columns, relationship calls with their `backref=` arguments,
//! imports and module-level bindings, all with byte ranges into the source.
//! It also analyses stand-alone expression text (the content of a string
//! `primaryjoin`, say). It never decides whether something can be migrated.

use std::cell::RefCell;
use std::path::PathBuf;

use tree_sitter::{Node, Parser, Tree};

use crate::facts::*;

mod class;
mod expression;
mod mapping;
mod module;
mod relationship;
pub mod scope;

use expression::expr;
pub use expression::{analyze_expr, swap_remote};
pub use mapping::MAPPING_CALLEES;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn parse(source: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        parser.reset();
        // tree-sitter-python does not take a lone CR (old Mac line endings) for
        // a line break; Python does. Parse a copy with those CRs as LFs: the
        // same length, so every offset stays valid in the original.
        let bytes = source.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        if lone_cr {
            let copy: Vec<u8> = bytes
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                        b'\n'
                    } else {
                        b
                    }
                })
                .collect();
            return parser.parse(&copy, None);
        }
        parser.parse(source, None)
    })
}

/// A `# backpop: ignore` comment in `line`: `Some(None)` ignores everything,
/// `Some(Some(codes))` only the diagnostics with those codes
/// (`# backpop: ignore[BP003, BP005]`).
pub fn suppression(line: &str) -> Option<Option<Vec<String>>> {
    let at = line.find("backpop: ignore")?;
    let rest = &line[at + "backpop: ignore".len()..];
    let Some(list) = rest.strip_prefix('[') else {
        return Some(None);
    };
    let codes: Vec<String> = list
        .split(']')
        .next()
        .unwrap_or_default()
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    // `ignore[]` names nothing: it ignores nothing.
    Some(Some(codes))
}

/// Factories of SQLAlchemy's dict collections (`collection_class=`), by their
/// last name, in the 1.x and 2.x spellings.
pub const KEYED_COLLECTIONS: &[&str] = &[
    "attribute_keyed_dict",
    "attribute_mapped_collection",
    "column_keyed_dict",
    "column_mapped_collection",
    "keyfunc_mapping",
    "mapped_collection",
    "KeyFuncDict",
    "MappedCollection",
];

/// Names whose call creates a relationship (last segment of the callee).
pub const RELATIONSHIP_CALLEES: &[&str] = &["relationship", "relation", "dynamic_loader"];

/// Where the first syntax error of `source` is (tree-sitter ERROR or MISSING
/// node, or a construct only Python 2 accepts), if it has one: the check a
/// rewritten file must pass, without extracting its facts.
pub fn syntax_error(source: &str) -> Option<Pos> {
    let Some(tree) = parse(source) else {
        return Some(Pos { line: 1, col: 1 });
    };
    let root = tree.root_node();
    if root.has_error() {
        return Some(first_error(root).map_or(Pos { line: 1, col: 1 }, pos));
    }
    python2_construct(root, source).map(pos)
}

/// Parse one file and extract its facts.
pub fn extract(path: PathBuf, source: String, stub: bool) -> FileFacts {
    extract_keeping_tree(path, source, stub).0
}

/// [`extract`], and the syntax tree it read (for a file that parses with no
/// error), for callers with more questions about the same text.
pub fn extract_keeping_tree(
    path: PathBuf,
    source: String,
    stub: bool,
) -> (FileFacts, Option<tree_sitter::Tree>) {
    let mut facts = FileFacts::unparsed(path, source, stub);
    facts.skip_file = facts
        .source
        .lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .any(|l| l.contains("backpop: skip-file"));
    let Some(tree) = parse(&facts.source) else {
        facts.syntax_error = Some(Pos { line: 1, col: 1 });
        return (facts, None);
    };
    let root = tree.root_node();
    if root.has_error() {
        facts.syntax_error = Some(first_error(root).map_or(Pos { line: 1, col: 1 }, pos));
        return (facts, None);
    }
    if let Some(node) = python2_construct(root, &facts.source) {
        facts.syntax_error = Some(pos(node));
        return (facts, None);
    }
    if memchr::memmem::find(facts.source.as_bytes(), b"backref").is_some() {
        facts.backref_sites = backref_sites(root, &facts.source);
    }
    let has =
        |needle: &str| memchr::memmem::find(facts.source.as_bytes(), needle.as_bytes()).is_some();
    if has("MetaData") && has("schema") {
        facts.metadata_schema = metadata_with_schema(root, &facts.source);
    }
    if has("backref") || BACKREF_READERS.iter().any(|r| has(r)) {
        facts.backref_readers = backref_readers(root, &facts.source);
        if reads_backref_attribute(facts.source.as_bytes()) {
            facts.reader_functions = reader_functions(root, &facts.source);
        }
    }
    let src = facts.source.clone();
    let mut x = Extractor {
        src: &src,
        facts: &mut facts,
        scope: 0,
        globals: Vec::new(),
    };
    x.module(root);
    let s = &facts.source;
    facts.uses_typing_list = s.contains("List[");
    facts.uses_builtin_list = s.contains("list[");
    facts.uses_mapped = s.contains("Mapped[");
    facts.uses_sa20 = [
        "mapped_column",
        "DeclarativeBase",
        "MappedAsDataclass",
        "DynamicMapped",
        "WriteOnlyMapped",
    ]
    .iter()
    .any(|k| s.contains(k));
    (facts, Some(tree))
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
    let mut i = 0;
    while i < src.len() {
        if src[i].is_ascii_digit() && (i == 0 || !(ident(src[i - 1]) || src[i - 1] == b'.')) {
            let end = i + src[i..].iter().take_while(|&&b| ident(b)).count();
            let token = &src[i..end];
            if (token.len() > 1 && token[0] == b'0' && token[1].is_ascii_digit())
                || token.ends_with(b"l")
                || token.ends_with(b"L")
            {
                return true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    false
}

/// The first construct that only Python 2 accepts (the grammar parses them without errors).
fn python2_construct<'t>(root: Node<'t>, src: &str) -> Option<Node<'t>> {
    if !may_be_python2(src.as_bytes()) {
        return None;
    }
    let mut cursor = root.walk();
    let mut descend = true;
    loop {
        let node = cursor.node();
        if descend {
            let py2 = match node.kind() {
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
            };
            if py2 {
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

/// Every `backref=` keyword argument of a call, with the call's callee and context.
/// Whether a `MetaData(..., schema=...)` call appears.
fn metadata_with_schema(root: Node, src: &str) -> bool {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && node
                .child_by_field_name("function")
                .and_then(|f| dotted(f, src))
                .is_some_and(|d| d.last().is_some_and(|l| l == "MetaData"))
            && node.child_by_field_name("arguments").is_some_and(|a| {
                let mut c = a.walk();
                a.named_children(&mut c).filter(not_continuation).any(|k| {
                    k.kind() == "keyword_argument"
                        && k.child_by_field_name("name")
                            .is_some_and(|n| &src[n.byte_range()] == "schema")
                })
            })
        {
            return true;
        }
        let mut c = node.walk();
        stack.extend(node.children(&mut c));
    }
    false
}

/// Functions of other libraries that read `RelationshipProperty.backref` and
/// fail or change behaviour when a relationship uses `back_populates` instead:
/// sqlalchemy-utils' `auto_delete_orphans` raises `ImproperlyConfigured`.
pub const BACKREF_READERS: &[&str] = &["auto_delete_orphans"];

/// Calls that may hand a relationship to a backref reader: `f(Class.attr)` or
/// `f(Class, "attr", ...)`, any callee (whether `f` reads backrefs is decided
/// once every file's [`reader_functions`] are known).
fn backref_readers(root: Node, src: &str) -> Vec<BackrefReader> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && let Some(function) = node
                .child_by_field_name("function")
                .and_then(|f| dotted(f, src))
                .and_then(|d| d.last().cloned())
            && let Some(args) = node.child_by_field_name("arguments")
        {
            let mut c = args.walk();
            let items: Vec<Node> = args
                .named_children(&mut c)
                .filter(not_continuation)
                .filter(|n| !n.is_extra())
                .collect();
            match items.split_first() {
                // f(Class.attr)
                Some((first, [])) => {
                    if let Some(mut arg) = dotted(*first, src)
                        && let Some(attr) = arg.pop().filter(|_| !arg.is_empty())
                    {
                        out.push(BackrefReader {
                            function,
                            class: arg,
                            attrs: vec![attr],
                            pos: pos(node),
                        });
                    }
                }
                // f(Class, "attr", ...)
                Some((first, rest)) => {
                    let attrs: Option<Vec<String>> =
                        rest.iter().map(|n| string_value(*n, src)).collect();
                    if let (Some(class), Some(attrs)) = (dotted(*first, src), attrs) {
                        out.push(BackrefReader {
                            function,
                            class,
                            attrs,
                            pos: pos(node),
                        });
                    }
                }
                None => {}
            }
        }
        let mut c = node.walk();
        stack.extend(node.children(&mut c));
    }
    out
}

/// Functions of this module that read a relationship's `backref` attribute
/// (`rel.backref`, not a call of `backref(...)`), directly or through another
/// such function of the module.
/// Whether `src` can read an attribute named `backref` (`rel.backref`, also
/// across a line continuation): without one no function of the file is a
/// reader, and [`reader_functions`] need not walk it.
fn reads_backref_attribute(src: &[u8]) -> bool {
    memchr::memmem::find_iter(src, b"backref").any(|at| {
        src[..at]
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\\' | b'\n' | b'\r' | b'\x0c'))
            == Some(&b'.')
    })
}

fn reader_functions(root: Node, src: &str) -> Vec<String> {
    let mut defs: Vec<(String, Node)> = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "function_definition"
            && let Some(name) = node.child_by_field_name("name")
        {
            defs.push((src[name.byte_range()].to_string(), node));
        }
        let mut c = node.walk();
        stack.extend(node.children(&mut c));
    }
    let reads = |def: Node, readers: &[String]| {
        let mut stack = vec![def];
        while let Some(n) = stack.pop() {
            if n.kind() == "attribute"
                && n.child_by_field_name("attribute")
                    .is_some_and(|a| &src[a.byte_range()] == "backref")
                && !n.parent().is_some_and(|p| {
                    p.kind() == "call" && p.child_by_field_name("function") == Some(n)
                })
            {
                return true;
            }
            if n.kind() == "call"
                && n.child_by_field_name("function")
                    .and_then(|f| dotted(f, src))
                    .and_then(|d| d.last().cloned())
                    .is_some_and(|l| readers.contains(&l))
            {
                return true;
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        false
    };
    let mut readers: Vec<String> = Vec::new();
    loop {
        let before = readers.len();
        for (name, def) in &defs {
            if !readers.contains(name) && reads(*def, &readers) {
                readers.push(name.clone());
            }
        }
        if readers.len() == before {
            break;
        }
    }
    // A function is a reader when a function it encloses is one.
    for (name, def) in &defs {
        if !readers.contains(name)
            && defs.iter().any(|(inner, d)| {
                readers.contains(inner) && *d != *def && def.byte_range().contains(&d.start_byte())
            })
        {
            readers.push(name.clone());
        }
    }
    readers
}

fn backref_sites(root: Node, src: &str) -> Vec<BackrefSite> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "keyword_argument"
            && node
                .child_by_field_name("name")
                .is_some_and(|n| &src[n.byte_range()] == "backref")
        {
            let call = node
                .parent()
                .and_then(|a| a.parent())
                .filter(|c| c.kind() == "call");
            let callee = call
                .and_then(|c| c.child_by_field_name("function"))
                .and_then(|f| dotted(f, src))
                .unwrap_or_default();
            let mut context = SiteContext::Other;
            let mut up = call.and_then(|c| c.parent());
            while let Some(a) = up {
                match a.kind() {
                    "function_definition" | "lambda" => {
                        context = SiteContext::Function;
                        break;
                    }
                    "dictionary" | "pair" => context = SiteContext::Mapping,
                    "call" if context == SiteContext::Other => {
                        let f = a
                            .child_by_field_name("function")
                            .and_then(|f| dotted(f, src));
                        if f.as_ref()
                            .and_then(|f| f.last())
                            .is_some_and(|l| l == "dict")
                        {
                            context = SiteContext::Mapping;
                        }
                    }
                    _ => {}
                }
                up = a.parent();
            }
            out.push(BackrefSite {
                offset: node.start_byte(),
                pos: pos(node),
                callee,
                context,
            });
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor).filter(not_continuation) {
            stack.push(child);
        }
    }
    out.sort_by_key(|s| s.offset);
    out
}

fn pos(node: Node) -> Pos {
    let p = node.start_position();
    Pos {
        line: p.row + 1,
        col: p.column + 1,
    }
}

struct Extractor<'a> {
    src: &'a str,
    facts: &'a mut FileFacts,
    /// The function scope being read (0: the module).
    scope: usize,
    /// Names declared `global` in a function scope: (scope, name).
    globals: Vec<(usize, String)>,
}

fn is_docstring(stmt: Node) -> bool {
    stmt.named_child_count() == 1
        && stmt
            .named_child(0)
            .is_some_and(|c| matches!(c.kind(), "string" | "concatenated_string"))
}

fn is_type_checking_if(node: Node, src: &str) -> bool {
    node.kind() == "if_statement"
        && node.child_by_field_name("condition").is_some_and(|c| {
            matches!(
                &src[c.byte_range()],
                "TYPE_CHECKING" | "typing.TYPE_CHECKING"
            )
        })
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Indentation of the first statement of a block, if it starts on its own line.
fn body_indent(src: &str, body: Node) -> Option<String> {
    let start = body.start_byte();
    let ls = line_start(src, start);
    let prefix = &src[ls..start];
    prefix
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| prefix.to_string())
        .filter(|p| !p.is_empty())
}

pub fn line_start(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

pub fn line_end(src: &str, offset: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = offset.min(bytes.len());
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\n') {
        i += 1;
    }
    i
}

/// `a.b.c` as segments, when the node is a pure attribute chain of identifiers.
fn dotted(node: Node, src: &str) -> Option<Vec<String>> {
    match node.kind() {
        "identifier" => Some(vec![src[node.byte_range()].to_string()]),
        "attribute" => {
            let mut head = dotted(node.child_by_field_name("object")?, src)?;
            head.push(src[node.child_by_field_name("attribute")?.byte_range()].to_string());
            Some(head)
        }
        _ => None,
    }
}

/// The value of a plain string literal (no prefix other than `u`, no escapes, no interpolation).
fn string_value(node: Node, src: &str) -> Option<String> {
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let mut content = String::new();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "string_start" => {
                let t = &src[child.byte_range()];
                let prefix: String = t.chars().filter(|c| c.is_ascii_alphabetic()).collect();
                if !(prefix.is_empty() || prefix.eq_ignore_ascii_case("u")) {
                    return None;
                }
            }
            "string_content" => {
                if child.named_child_count() > 0 {
                    return None;
                }
                content.push_str(&src[child.byte_range()]);
            }
            "string_end" => {}
            _ => return None,
        }
    }
    Some(content)
}

/// A `\` line continuation is an extra node that tree-sitter puts among the
/// children it stands between (arguments, bases, statements): it is no part
/// of the code.
pub(crate) fn not_continuation(n: &Node) -> bool {
    n.kind() != "line_continuation"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_remote_in_comparisons() {
        let r = ["remote".to_string()];
        assert_eq!(
            swap_remote(
                "and_(User.id == remote(Address.user_id), Address.active == True)",
                &r
            )
            .as_deref(),
            Some("and_(remote(User.id) == Address.user_id, Address.active == True)")
        );
        assert_eq!(
            swap_remote("remote(Node.id) == foreign(Node.parent_id)", &r).as_deref(),
            Some("Node.id == remote(foreign(Node.parent_id))")
        );
        assert_eq!(swap_remote("f(remote(Node.id))", &r), None);
    }

    #[test]
    fn reader_functions_need_a_backref_attribute() {
        for (src, readers) in [
            ("def f(p):\n    return p.backref\n", vec!["f"]),
            (
                "def f(p):\n    return p \\\n        . backref\n\ndef g(x):\n    f(x)\n",
                vec!["f", "g"],
            ),
            (
                "def f(p):\n    return relationship('A', backref='b')\n",
                vec![],
            ),
        ] {
            let f = extract("m.py".into(), src.to_string(), false);
            assert_eq!(f.reader_functions, readers, "{src:?}");
            assert_eq!(reads_backref_attribute(src.as_bytes()), !readers.is_empty());
        }
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

    #[test]
    fn fstring_names_are_free_names() {
        let e = analyze_expr("f'{Address.__tablename__}.id'").unwrap();
        assert_eq!(e.kind, ExprKind::Other);
        assert_eq!(e.names[0].dotted.join("."), "Address.__tablename__");
    }

    #[test]
    fn analyses_names() {
        let e = analyze_expr("and_(User.id == Address.user_id, sa.func.lower(x) == 'a')").unwrap();
        let heads: Vec<_> = e.names.iter().map(|n| n.dotted.join(".")).collect();
        assert_eq!(
            heads,
            ["and_", "User.id", "Address.user_id", "sa.func.lower", "x"]
        );
        assert!(e.has_strings);
        let l = analyze_expr("lambda: Address.id").unwrap();
        assert!(matches!(l.kind, ExprKind::Lambda(_)));
    }

    #[test]
    fn extracts_relationship_with_backref_call() {
        let src = "class User(Base):\n    __tablename__ = 'users'\n    id = Column(Integer, primary_key=True)\n    posts = relationship('Post', backref=backref('author', lazy='joined'), cascade='all')\n";
        let f = extract("m.py".into(), src.to_string(), false);
        assert!(f.syntax_error.is_none());
        assert_eq!(f.classes.len(), 1);
        assert_eq!(f.classes[0].tablename.as_deref(), Some("users"));
        let r = &f.relationships[0];
        assert_eq!(r.attr, "posts");
        assert_eq!(r.target, TargetArg::Str("Post".into()));
        let b = r.backref.as_ref().unwrap();
        assert_eq!(b.name, BackrefName::Literal("author".into()));
        assert_eq!(b.kwargs[0].name, "lazy");
    }
}
