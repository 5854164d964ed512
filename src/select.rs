//! The byte scan of every file, and what it tells about the classes.
//!
//! Every file is read once and scanned at the byte level: does it mention
//! `backref` (or a function that reads backrefs), which classes does it define
//! with which bases (a lexical superset: `class Name(Base, mod.Other)` anywhere
//! in the file), what does it import at module level, may it call
//! `MetaData(schema=...)` or map classes imperatively. The files that mention
//! `backref` are parsed; the others only when the plan asks for them (see
//! [`crate::index::Demand`]), found through these scans.

use std::collections::HashMap;

use crate::syntax::BACKREF_READERS;

/// What the byte scan found in one file.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Mentions `backref` (see [`mentions_backref`]) or a backref reader:
    /// parse it.
    pub mentions: bool,
    /// Classes defined: name and the last segment of each base (a base
    /// imported under another name also under its own: `from m import Author
    /// as A` ... `class G(A)` gives `A` and `Author`).
    pub classes: Vec<(String, Vec<String>)>,
    /// Module-level imports (statements at column 0): the module as written
    /// and the names imported from it (`import a.b` gives `("a.b", [])`).
    pub imports: Vec<(String, Vec<String>)>,
    /// May call `MetaData(schema=...)` (the bytes hold both names).
    pub maybe_schema: bool,
    /// May map classes imperatively (the bytes hold `mapper` or
    /// `map_imperatively`).
    pub maybe_mapping: bool,
    /// In a file that names a relationship function: every attribute of a
    /// name assigned or annotated (`Owner.name =`, `Owner.name:`), as (owner,
    /// attribute): what a relationship assigned from outside its class needs
    /// (`Post.author = relationship(...)`). Empty in other files.
    pub assigned_attrs: Vec<(String, String)>,
    /// The names inside each `type(...)` call: a class made at run time
    /// (`type("Tag", (OwnedMixin, Base), {...})`) has its bases among them.
    pub type_call_names: Vec<String>,
}

pub fn scan(text: &str) -> Scan {
    let source = text.as_bytes();
    let mentions = mentions_backref(source)
        || BACKREF_READERS
            .iter()
            .any(|r| memchr::memmem::find(source, r.as_bytes()).is_some());
    let mut classes: Vec<(String, Vec<String>)> = Vec::new();
    for at in memchr::memmem::find_iter(source, b"class") {
        // `class` at the start of a line, after indentation, then whitespace.
        let line_start = source[..at]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        if !source[line_start..at]
            .iter()
            .all(|&b| b == b' ' || b == b'\t' || b == b'\x0c')
        {
            continue;
        }
        let rest = &source[at + 5..];
        let skip = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if skip == 0 {
            continue;
        }
        let rest = &rest[skip..];
        let name_len = rest.iter().take_while(|&&b| is_ident(b)).count();
        if name_len == 0 {
            continue;
        }
        let name = String::from_utf8_lossy(&rest[..name_len]).into_owned();
        let mut bases = Vec::new();
        let after = &rest[name_len..];
        let after = &after[after
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count()..];
        if after.first() == Some(&b'(') {
            // The text up to the matching parenthesis (bounded), split at
            // top-level commas; each base's last dotted segment.
            let mut depth = 0usize;
            let mut current = Vec::new();
            for &b in after.iter().take(4096) {
                match b {
                    b'(' | b'[' | b'{' => {
                        depth += 1;
                        if depth == 1 {
                            continue;
                        }
                    }
                    b')' | b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            bases.extend(last_segment(&current));
                            break;
                        }
                    }
                    b',' if depth == 1 => {
                        bases.extend(last_segment(&current));
                        current.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 1 {
                    current.push(b);
                }
            }
        }
        classes.push((name, bases));
    }
    let has = |needle: &[u8]| memchr::memmem::find(source, needle).is_some();
    let type_call_names = type_call_names(source);
    // `relation` also finds `relationship` (see `syntax::RELATIONSHIP_CALLEES`).
    let mut assigned_attrs = if has(b"relation") || has(b"dynamic_loader") {
        attribute_targets(source)
    } else {
        Vec::new()
    };
    // A name imported under another one (`from m import Author as A`) also
    // counts under its own, as a base (`class Guest(A)`) and as the owner of
    // an assigned attribute (`A.books = ...`).
    if !assigned_attrs.is_empty() || classes.iter().any(|(_, bases)| !bases.is_empty()) {
        let aliases = import_aliases(source);
        let originals = |name: &str| -> Vec<String> {
            aliases
                .iter()
                .filter(|(bound, _)| *bound == name.as_bytes())
                .map(|(_, original)| String::from_utf8_lossy(original).into_owned())
                .collect()
        };
        for (_, bases) in &mut classes {
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
    Scan {
        type_call_names,
        mentions,
        classes,
        imports: module_imports(text),
        maybe_schema: has(b"MetaData") && has(b"schema"),
        maybe_mapping: crate::syntax::MAPPING_CALLEES
            .iter()
            .any(|c| has(c.as_bytes())),
        assigned_attrs,
    }
}

/// The import statements that start at column 0: what importing the module
/// runs (indented ones sit in functions, `if TYPE_CHECKING:` or `try:`).
fn module_imports(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    // The lines that start with `import ` or `from `, found with a vectorised
    // search for the keyword after a newline (this runs over every byte of
    // every file), in order; a line taken into the statement before it (a
    // continuation) does not start another.
    let bytes = text.as_bytes();
    let mut starts: Vec<usize> = [&b"\nimport "[..], b"\nfrom "]
        .iter()
        .flat_map(|k| memchr::memmem::find_iter(bytes, k).map(|i| i + 1))
        .collect();
    if text.starts_with("import ") || text.starts_with("from ") {
        starts.push(0);
    }
    starts.sort_unstable();
    let line_at = |from: usize| -> (&str, usize) {
        let to = memchr::memchr(b'\n', &bytes[from..]).map_or(text.len(), |i| from + i);
        (&text[from..to], to + 1)
    };
    let mut consumed = 0;
    for start in starts {
        if start < consumed {
            continue;
        }
        let (line, mut next) = line_at(start);
        // The whole statement: backslash continuations and parentheses.
        let mut stmt = line.trim_end_matches('\r').to_string();
        while stmt.ends_with('\\') || (stmt.contains('(') && !stmt.contains(')')) {
            stmt = stmt.trim_end_matches('\\').to_string();
            if next > text.len() {
                break;
            }
            let (more, after) = line_at(next);
            next = after;
            stmt.push(' ');
            stmt.push_str(more.trim_end_matches('\r'));
        }
        consumed = next;
        let stmt = stmt.split('#').next().unwrap_or_default();
        let clean = |s: &str| {
            s.split(" as ")
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(|c| c == '(' || c == ')')
                .trim()
                .to_string()
        };
        if let Some(rest) = stmt.strip_prefix("import ") {
            for m in rest.split(',').map(clean).filter(|m| !m.is_empty()) {
                out.push((m, Vec::new()));
            }
        } else if let Some(rest) = stmt.strip_prefix("from ")
            && let Some((module, names)) = rest.split_once(" import ")
        {
            let names: Vec<String> = names
                .split(',')
                .map(clean)
                .filter(|n| !n.is_empty() && n != "*")
                .collect();
            out.push((module.trim().to_string(), names));
        }
    }
    out
}

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
fn attribute_targets(source: &[u8]) -> Vec<(String, String)> {
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

/// Whether `backref` stands in the bytes as a word of its own (`backref=`,
/// `.backref`, `import backref`, `"backref"`), not inside a longer one
/// (`backreference`, `self.backrefs`): every fact about backrefs is about that
/// exact name, so only such a file can hold one.
pub fn mentions_backref(source: &[u8]) -> bool {
    memchr::memmem::find_iter(source, b"backref").any(|at| {
        let before = at.checked_sub(1).map(|i| source[i]);
        let after = source.get(at + 7).copied();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `sa.orm.Model` -> `Model`; keyword arguments (`metaclass=M`) give none.
fn last_segment(text: &[u8]) -> Option<String> {
    let t = String::from_utf8_lossy(text);
    let t = t.trim();
    if t.contains('=') || t.is_empty() {
        return None;
    }
    let name = t.rsplit('.').next()?.trim();
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    (end > 0).then(|| name[..end].to_string())
}

/// The identifiers inside every `type(...)` call of the source (bounded,
/// parentheses balanced): a lexical superset of the bases of the classes the
/// file makes at run time.
fn type_call_names(source: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for at in memchr::memmem::find_iter(source, b"type(") {
        if at > 0 && (is_ident(source[at - 1]) || source[at - 1] == b'.') {
            continue;
        }
        let mut depth = 0usize;
        let mut word = Vec::new();
        for &b in source[at + 4..].iter().take(4096) {
            if is_ident(b) {
                word.push(b);
                continue;
            }
            if !word.is_empty() {
                let w = String::from_utf8_lossy(&word).into_owned();
                if !out.contains(&w) {
                    out.push(w);
                }
                word.clear();
            }
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// What the scans of all files say, by name: built once per run, so that a
/// question of the plan (`index::Demand`) finds the files that may answer it
/// without looking at every class of the tree.
#[derive(Debug, Default)]
pub struct Classes<'s> {
    /// Files defining a class of that name.
    files: HashMap<&'s str, Vec<usize>>,
    /// Files with a class that lists that base (by its last segment).
    base_files: HashMap<&'s str, Vec<usize>>,
    /// Per attribute name, the files that may assign a relationship of that
    /// name from outside a class, with the owner's name.
    assigning: HashMap<&'s str, Vec<(&'s str, usize)>>,
    /// Per name, the files with a `type(...)` call that names it.
    type_calls: HashMap<&'s str, Vec<usize>>,
}

impl<'s> Classes<'s> {
    pub fn new(scans: &'s [Scan]) -> Self {
        let mut out = Classes::default();
        for (fi, s) in scans.iter().enumerate() {
            for n in &s.type_call_names {
                out.type_calls.entry(n.as_str()).or_default().push(fi);
            }
            for (owner, attr) in &s.assigned_attrs {
                out.assigning
                    .entry(attr.as_str())
                    .or_default()
                    .push((owner.as_str(), fi));
            }
            for (name, bases) in &s.classes {
                let files = out.files.entry(name.as_str()).or_default();
                if files.last() != Some(&fi) {
                    files.push(fi);
                }
                for b in bases {
                    let files = out.base_files.entry(b.as_str()).or_default();
                    if files.last() != Some(&fi) {
                        files.push(fi);
                    }
                }
            }
        }
        out
    }

    /// The files that define a class of this name.
    pub fn files_defining(&self, name: &str) -> &[usize] {
        self.files.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files that may assign a relationship named `name` to a class from
    /// outside it, with the name of the class (or what it was imported as).
    pub fn files_assigning(&self, name: &str) -> &[(&'s str, usize)] {
        self.assigning.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files with a `type(...)` call that names `name`.
    pub fn files_calling_type_with(&self, name: &str) -> &[usize] {
        self.type_calls.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files with a class listing a base whose last name is `name`.
    pub fn files_subclassing(&self, name: &str) -> &[usize] {
        self.base_files.get(name).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_class_headers_and_mentions() {
        let src = b"import x\nclass A(Base, sa.orm.Model, metaclass=M):\n    pass\n\n    class Inner(Generic[T]):\n        x = 'class B(C)'\nclassy = 1\n";
        let s = scan(std::str::from_utf8(src).unwrap());
        assert!(!s.mentions);
        assert_eq!(
            s.classes,
            vec![
                (
                    "A".to_string(),
                    vec!["Base".to_string(), "Model".to_string()]
                ),
                ("Inner".to_string(), vec!["Generic".to_string()]),
            ]
        );
        assert!(scan("x = relationship('A', backref='b')").mentions);
        for yes in [
            "backref=",
            "r.backref",
            "(backref ,",
            "{'backref': 1}",
            "é.backref",
        ] {
            assert!(mentions_backref(yes.as_bytes()), "{yes}");
        }
        for no in [
            "backreference",
            "self.backrefs",
            "_backref",
            "backref_name",
            "a2backref",
        ] {
            assert!(!mentions_backref(no.as_bytes()), "{no}");
        }
        let src = "from sqlalchemy.orm import relationship\nPost.author = relationship(User)\nx . b \\\n  : int = 1\nif a.c == 2: d.e += 1\n";
        let pair = |o: &str, a: &str| (o.to_string(), a.to_string());
        assert_eq!(
            scan(src).assigned_attrs,
            [pair("Post", "author"), pair("x", "b")]
        );
        let src = "from m import (Post  as\n    P)\nfrom sqlalchemy.orm import relationship\nP.author = relationship(User)\n";
        assert_eq!(
            scan(src).assigned_attrs,
            [pair("P", "author"), pair("Post", "author")]
        );
        assert!(scan("Post.author = make(User)\n").assigned_attrs.is_empty());
        let src = "from m import Author as Writer\nclass Guest(Writer, mod.Base):\n    pass\n";
        assert_eq!(
            scan(src).classes,
            vec![(
                "Guest".to_string(),
                vec![
                    "Writer".to_string(),
                    "Base".to_string(),
                    "Author".to_string()
                ]
            )]
        );
    }

    #[test]
    fn reads_module_level_imports_only() {
        let src = b"import a.b as c, d\nfrom .m import (x,\n    y as z)  # note\nfrom p \\\n    import q\n\nif TYPE_CHECKING:\n    from t import T\n\ndef f():\n    import inner\n";
        assert_eq!(
            scan(std::str::from_utf8(src).unwrap()).imports,
            vec![
                ("a.b".to_string(), vec![]),
                ("d".to_string(), vec![]),
                (".m".to_string(), vec!["x".to_string(), "y".to_string()]),
                ("p".to_string(), vec!["q".to_string()]),
            ]
        );
        // A continuation line that looks like an import is not one; CRLF;
        // no newline at the end; an unclosed parenthesis at the end.
        let src = "from a import (b,\r\nimport c)\r\nx = 1\nimport e\nfrom f import (g";
        assert_eq!(
            scan(src).imports,
            vec![
                (
                    "a".to_string(),
                    vec!["b".to_string(), "import c".to_string()]
                ),
                ("e".to_string(), vec![]),
                ("f".to_string(), vec!["g".to_string()]),
            ]
        );
    }
}
