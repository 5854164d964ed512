//! Which files to parse.
//!
//! Every file is read once and scanned at the byte level: does it mention
//! `backref` (or a function that reads backrefs), and which classes does it
//! define with which bases (a lexical superset: `class Name(Base, mod.Other)`
//! anywhere in the file). Only the files that can matter are parsed:
//!
//! 1. the files that mention `backref`;
//! 2. the files that define a class those backrefs name (source or target), or
//!    a subclass of one (transitively): clash checks look at the whole
//!    hierarchy, and a target found only once is not proof it is unique;
//! 3. every module the parsed files import, transitively: base classes,
//!    declarative registries and re-exports are followed through imports.
//!
//! The rest of the tree stays unparsed (no facts): resolution reaches files
//! only through these three ways, so the result is the same as parsing all.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::facts::{FileFacts, Owner, TargetArg};
use crate::index::{Index, Resolved, Symbol};
use crate::syntax::BACKREF_READERS;

/// What the byte scan found in one file.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Mentions `backref` or a backref reader: parse it.
    pub mentions: bool,
    /// Classes defined: name and the last segment of each base.
    pub classes: Vec<(String, Vec<String>)>,
    /// Module-level imports (statements at column 0): the module as written
    /// and the names imported from it (`import a.b` gives `("a.b", [])`).
    pub imports: Vec<(String, Vec<String>)>,
}

pub fn scan(text: &str) -> Scan {
    let source = text.as_bytes();
    let mentions = memchr::memmem::find(source, b"backref").is_some()
        || BACKREF_READERS
            .iter()
            .any(|r| memchr::memmem::find(source, r.as_bytes()).is_some());
    let mut classes = Vec::new();
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
    Scan {
        mentions,
        classes,
        imports: module_imports(text),
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

/// The identifiers of an annotation (`Mapped[List["Post"]]` -> Mapped, List, Post).
fn words(annotation: &str) -> impl Iterator<Item = &str> {
    annotation
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// What a name binds in one file: indices of its classes, bindings, imports.
type Binds = (Vec<usize>, Vec<usize>, Vec<usize>);

/// The class headers of all scans by name: built once per run, so that a
/// round looks at the files that define a name of interest, not at every
/// class of the tree.
#[derive(Debug, Default)]
pub struct Classes<'s> {
    /// Files defining a class of that name.
    files: HashMap<&'s str, Vec<usize>>,
    /// Names of the classes that list that base (by its last segment).
    subclasses: HashMap<&'s str, Vec<&'s str>>,
}

impl<'s> Classes<'s> {
    pub fn new(scans: &'s [Scan]) -> Self {
        let mut out = Classes::default();
        for (fi, s) in scans.iter().enumerate() {
            for (name, bases) in &s.classes {
                let files = out.files.entry(name.as_str()).or_default();
                if files.last() != Some(&fi) {
                    files.push(fi);
                }
                for b in bases {
                    out.subclasses
                        .entry(b.as_str())
                        .or_default()
                        .push(name.as_str());
                }
            }
        }
        out
    }
}

/// What the selection has learned so far, across rounds.
#[derive(Debug, Default)]
pub struct Selection {
    /// Class names of interest: both ends of every backref and their subclasses.
    names: BTreeSet<String>,
    /// Files whose every import is followed (they mention backref, or hold a
    /// class a backref resolves to).
    core: BTreeSet<usize>,
    /// Files parsed for some of their classes only (namesakes, subclasses).
    classes_only: BTreeSet<usize>,
    /// Names to resolve: a dotted name as written in a file.
    pending: Vec<(usize, Vec<String>)>,
    done: HashSet<(usize, Vec<String>)>,
}

/// Files to parse next, given the files parsed so far. `files` holds every
/// file, parsed or not; `parsed` says which are.
///
/// Resolution reaches other files only through names: a class's bases and
/// decorators, what an import binds, the callee of an instance
/// (`db = AppSQLAlchemy()`), a module's attribute. So instead of every import
/// of every parsed file, the names are followed on demand: all the imports of
/// the core files, and in other files only the names something asked for.
pub fn more(
    ix: &Index,
    files: &[FileFacts],
    scans: &[Scan],
    classes: &Classes,
    parsed: &[bool],
    sel: &mut Selection,
) -> BTreeSet<usize> {
    let mut want: BTreeSet<usize> = BTreeSet::new();
    let before = sel.names.len();
    // Names of interest: both ends of every backref.
    for (fi, f) in files.iter().enumerate().filter(|(i, _)| parsed[*i]) {
        if !scans[fi].mentions {
            continue;
        }
        for rel in f.relationships.iter().filter(|r| r.backref.is_some()) {
            match &rel.target {
                TargetArg::Str(s) => sel.names.extend(s.rsplit('.').next().map(str::to_string)),
                TargetArg::Name(d) | TargetArg::Lambda(d) => {
                    sel.names.extend(d.last().cloned());
                }
                _ => {}
            }
            if let Some(a) = &rel.annotation {
                sel.names.extend(words(a).map(str::to_string));
            }
            match &rel.owner {
                Owner::Class(ci) => sel.names.extend(f.classes.get(*ci).map(|c| c.name.clone())),
                Owner::Assigned(chain) => sel.names.extend(chain.last().cloned()),
                Owner::Imperative(mi) => sel
                    .names
                    .extend(f.mappings.get(*mi).and_then(|m| m.class.last().cloned())),
            }
        }
    }
    // Subclasses of those classes, transitively (by name: a superset).
    if sel.names.len() != before {
        let mut todo: Vec<String> = sel.names.iter().cloned().collect();
        while let Some(name) = todo.pop() {
            for &sub in classes.subclasses.get(name.as_str()).into_iter().flatten() {
                if sel.names.insert(sub.to_string()) {
                    todo.push(sub.to_string());
                }
            }
        }
    }
    // Core files (every import followed, the modules they name parsed): the
    // backref files, and the files of the classes their backrefs resolve to
    // (a reverse may be written there). Another file that defines a class of
    // interest by name (a namesake, a subclass) is needed for that class:
    // its bases and decorators.
    let mut core: BTreeSet<usize> = (0..scans.len()).filter(|&i| scans[i].mentions).collect();
    for (fi, f) in files.iter().enumerate() {
        if !parsed[fi] || !scans[fi].mentions {
            continue;
        }
        for rel in f.relationships.iter().filter(|r| r.backref.is_some()) {
            let source = match &rel.owner {
                Owner::Class(ci) => Some((fi, *ci)),
                Owner::Assigned(chain) => match ix.lookup_dotted_in(fi, rel.scope, chain) {
                    Symbol::Class(c) => Some(c),
                    _ => None,
                },
                Owner::Imperative(_) => None,
            };
            core.extend(source.map(|c| c.0));
            if let Resolved::Class(c) = ix.resolve_target(fi, rel.scope, source, &rel.target) {
                core.insert(c.0);
            }
            // A typed relationship may name its target only in `Mapped[...]`:
            // every file defining a class named there may receive the reverse.
            if let (TargetArg::Absent, Some(a)) = (&rel.target, &rel.annotation) {
                for w in words(a) {
                    core.extend(classes.files.get(w).into_iter().flatten());
                }
            }
        }
    }
    // The files to look at: core ones and those defining a name of interest.
    let mut candidates = core.clone();
    for n in &sel.names {
        candidates.extend(classes.files.get(n.as_str()).into_iter().flatten());
    }
    for fi in candidates {
        let s = &scans[fi];
        let named: Vec<&String> = s
            .classes
            .iter()
            .map(|(n, _)| n)
            .filter(|n| sel.names.contains(*n))
            .collect();
        if core.contains(&fi) {
            if sel.core.contains(&fi) {
                continue;
            }
            if !parsed[fi] {
                want.insert(fi);
                continue;
            }
            sel.core.insert(fi);
            let f = &files[fi];
            for imp in &f.imports {
                sel.pending.push((fi, vec![imp.bound.clone()]));
                // The module itself (an import for its side effects maps classes).
                let module = ix.absolute_module(fi, &imp.module);
                let sub = imp.name.as_ref().map(|n| format!("{module}.{n}"));
                for m in std::iter::once(module.as_str()).chain(sub.as_deref()) {
                    for &mf in ix.module_files(m) {
                        if !parsed[mf] {
                            want.insert(mf);
                        }
                    }
                }
            }
            for c in &f.classes {
                sel.pending.push((fi, vec![c.name.clone()]));
            }
        } else if !named.is_empty() && !sel.classes_only.contains(&fi) {
            if !parsed[fi] {
                want.insert(fi);
                continue;
            }
            sel.classes_only.insert(fi);
            for n in named {
                sel.pending.push((fi, vec![n.clone()]));
            }
        }
    }
    // Resolve the pending names, asking for the files they lead to. Per file,
    // what each name binds (classes, bindings, imports), built on first use.
    let mut tables: HashMap<usize, HashMap<&str, Binds>> = HashMap::new();
    let mut pending = std::mem::take(&mut sel.pending);
    while let Some((fi, dotted)) = pending.pop() {
        if dotted.is_empty() || !sel.done.insert((fi, dotted.clone())) {
            continue;
        }
        if !parsed[fi] {
            want.insert(fi);
            sel.done.remove(&(fi, dotted.clone()));
            sel.pending.push((fi, dotted));
            continue;
        }
        let f = &files[fi];
        let (head, rest) = (&dotted[0], &dotted[1..]);
        let table = tables.entry(fi).or_insert_with(|| {
            let mut t: HashMap<&str, Binds> = HashMap::new();
            for (i, c) in f.classes.iter().enumerate() {
                t.entry(c.name.as_str()).or_default().0.push(i);
            }
            for (i, b) in f.bindings.iter().enumerate() {
                t.entry(b.name.as_str()).or_default().1.push(i);
            }
            for (i, imp) in f.imports.iter().enumerate() {
                t.entry(imp.bound.as_str()).or_default().2.push(i);
            }
            t
        });
        let (classes, bindings, imports) = table.get(head.as_str()).cloned().unwrap_or_default();
        for c in classes.iter().map(|&i| &f.classes[i]) {
            for b in c.bases.iter() {
                pending.push((fi, b.clone()));
            }
            for d in &c.decorators {
                let name: Vec<String> = d
                    .split('(')
                    .next()
                    .unwrap_or_default()
                    .split('.')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect();
                pending.push((fi, name));
            }
        }
        for b in bindings.iter().map(|&i| &f.bindings[i]) {
            if let crate::facts::BindingKind::Instance(callee) = &b.kind {
                pending.push((fi, callee.clone()));
            }
        }
        for imp in imports.iter().map(|&i| &f.imports[i]) {
            let module = ix.absolute_module(fi, &imp.module);
            match &imp.name {
                Some(n) => {
                    let sub = format!("{module}.{n}");
                    if !ix.module_files(&sub).is_empty() {
                        // `from pkg import mod`: the module, then its attribute.
                        for &m in ix.module_files(&sub) {
                            pending.push((m, rest.to_vec()));
                            if !parsed[m] {
                                want.insert(m);
                            }
                        }
                    }
                    let mut name = vec![n.clone()];
                    name.extend(rest.iter().cloned());
                    for &m in ix.module_files(&module) {
                        pending.push((m, name.clone()));
                        if !parsed[m] {
                            want.insert(m);
                        }
                    }
                }
                None => {
                    // `import a.b.c` binds `a`; `import a.b as c` binds `a.b`.
                    let parts: Vec<&str> = module.split('.').collect();
                    let bound_is_top = imp.bound == parts[0] && imp.bound != module;
                    let (mut m, mut rest) = if bound_is_top {
                        (parts[0].to_string(), rest)
                    } else {
                        (module.clone(), rest)
                    };
                    // Walk down the submodules the dotted name names.
                    while let Some((next, tail)) = rest.split_first() {
                        let sub = format!("{m}.{next}");
                        if ix.module_files(&sub).is_empty() {
                            break;
                        }
                        m = sub;
                        rest = tail;
                    }
                    for &mf in ix.module_files(&m) {
                        pending.push((mf, rest.to_vec()));
                        if !parsed[mf] {
                            want.insert(mf);
                        }
                    }
                }
            }
        }
    }
    want
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
