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

use std::collections::BTreeSet;

use crate::facts::{FileFacts, Owner, TargetArg};
use crate::index::Index;
use crate::syntax::BACKREF_READERS;

/// What the byte scan found in one file.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Mentions `backref` or a backref reader: parse it.
    pub mentions: bool,
    /// Classes defined: name and the last segment of each base.
    pub classes: Vec<(String, Vec<String>)>,
}

pub fn scan(source: &[u8]) -> Scan {
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
    Scan { mentions, classes }
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

/// Files to parse next, given the files parsed so far. `files` holds every
/// file, parsed or not; `parsed` says which are.
pub fn more(
    ix: &Index,
    files: &[FileFacts],
    scans: &[Scan],
    parsed: &[bool],
    names: &mut BTreeSet<String>,
) -> BTreeSet<usize> {
    let mut want: BTreeSet<usize> = BTreeSet::new();
    // Names of interest: both ends of every backref.
    for f in files
        .iter()
        .zip(parsed)
        .filter(|(_, p)| **p)
        .map(|(f, _)| f)
    {
        for rel in f.relationships.iter().filter(|r| r.backref.is_some()) {
            match &rel.target {
                TargetArg::Str(s) => names.extend(s.rsplit('.').next().map(str::to_string)),
                TargetArg::Name(d) | TargetArg::Lambda(d) => {
                    names.extend(d.last().cloned());
                }
                _ => {}
            }
            if let Some(a) = &rel.annotation {
                names.extend(
                    a.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
            match &rel.owner {
                Owner::Class(ci) => names.extend(f.classes.get(*ci).map(|c| c.name.clone())),
                Owner::Assigned(chain) => names.extend(chain.last().cloned()),
                Owner::Imperative(mi) => {
                    names.extend(f.mappings.get(*mi).and_then(|m| m.class.last().cloned()))
                }
            }
        }
    }
    // Subclasses of those classes, transitively (by name: a superset).
    loop {
        let before = names.len();
        for s in scans {
            for (name, bases) in &s.classes {
                if !names.contains(name) && bases.iter().any(|b| names.contains(b)) {
                    names.insert(name.clone());
                }
            }
        }
        if names.len() == before {
            break;
        }
    }
    for (fi, s) in scans.iter().enumerate() {
        if !parsed[fi] && s.classes.iter().any(|(n, _)| names.contains(n)) {
            want.insert(fi);
        }
    }
    // Every module a parsed file imports, and the packages on the way.
    for (fi, f) in files.iter().enumerate().filter(|(i, _)| parsed[*i]) {
        for imp in &f.imports {
            let module = ix.absolute_module(fi, &imp.module);
            let mut targets = vec![module.clone()];
            if let Some(name) = &imp.name {
                targets.push(format!("{module}.{name}"));
            }
            let parts: Vec<&str> = module.split('.').collect();
            for i in 1..parts.len() {
                targets.push(parts[..i].join("."));
            }
            for t in targets {
                for &m in ix.module_files(&t) {
                    if !parsed[m] {
                        want.insert(m);
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
        let s = scan(src);
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
        assert!(scan(b"x = relationship('A', backref='b')").mentions);
    }
}
