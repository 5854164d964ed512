//! The byte scan of every file, and what it tells about the classes.
//!
//! Every file is read once and scanned at the byte level: does it mention
//! `backref` (or a function that reads backrefs), which classes does it define
//! with which bases (a lexical superset: `class Name(Base, mod.Other)` anywhere
//! in the file), what does it import at module level, may it call
//! `MetaData(schema=...)` or map classes imperatively. The files that mention
//! `backref` are parsed; the others only when the plan asks for them (see
//! [`crate::index::Demand`]), found through these scans.
//!
//! This module never parses: every answer is a superset found in the bytes,
//! which the parse of the files it selects confirms or drops. Class headers
//! and `type(...)` calls are read in `headers`, module-level imports in
//! `imports`, assigned attributes and `as` aliases in `names`, and the
//! tree-wide lookup by name ([`Classes`]) in `lookup`.

use crate::syntax::BACKREF_READERS;

mod headers;
mod imports;
mod lookup;
mod names;

pub use lookup::Classes;

use headers::{class_headers, type_call_names};
use imports::module_imports;
use names::{add_original_names, attribute_targets};

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
    /// The classes whose header shows a plain class (no base but `object`,
    /// no keyword, certainly no decorator), once per such header: no
    /// registry maps them, whatever their body holds.
    pub plain_classes: Vec<String>,
}

impl Scan {
    /// Whether every class the file defines as `name` is a plain class (see
    /// [`Scan::plain_classes`]).
    pub fn only_plain_classes(&self, name: &str) -> bool {
        let plain = self.plain_classes.iter().filter(|c| *c == name).count();
        plain > 0 && plain == self.classes.iter().filter(|(c, _)| c == name).count()
    }
}

pub fn scan(text: &str) -> Scan {
    let source = text.as_bytes();
    let mentions = mentions_backref(source)
        || BACKREF_READERS
            .iter()
            .any(|r| memchr::memmem::find(source, r.as_bytes()).is_some());
    let (mut classes, plain_classes) = class_headers(source);
    let has = |needle: &[u8]| memchr::memmem::find(source, needle).is_some();
    let type_call_names = type_call_names(source);
    // `relation` also finds `relationship` (see `syntax::RELATIONSHIP_CALLEES`).
    let mut assigned_attrs = if has(b"relation") || has(b"dynamic_loader") {
        attribute_targets(source)
    } else {
        Vec::new()
    };
    if !assigned_attrs.is_empty() || classes.iter().any(|(_, bases)| !bases.is_empty()) {
        add_original_names(source, &mut classes, &mut assigned_attrs);
    }
    Scan {
        type_call_names,
        plain_classes,
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

pub(super) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
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
    fn plain_classes_by_their_headers() {
        let plain = |src: &str| scan(src).plain_classes;
        let src = "import x\n\n\nclass A:\n    pass\n\n# note\nclass B(object):\n    __tablename__ = 'b'\n\nx = 1\nclass C( ):\n    pass\n";
        assert_eq!(plain(src), ["A", "B", "C"]);
        for not_plain in [
            "class A(Base):\n    pass\n",
            "class A(object, Base):\n    pass\n",
            "class A(metaclass=Meta):\n    pass\n",
            "class A(object,):\n    pass\n",
            "@reg.mapped\nclass A:\n    pass\n",
            "@reg.mapped\n\n# why\nclass A:\n    pass\n",
            "@decorate(\n    x,\n)\nclass A:\n    pass\n",
            "@decorate(x)  # note\nclass A:\n    pass\n",
            "@a \\\n  .b\nclass A:\n    pass\n",
            "x = f(1)\nclass A:\n    pass\n",
            "class A(  # base\n    object):\n    pass\n",
        ] {
            assert!(plain(not_plain).is_empty(), "{not_plain}");
        }
        let twice = scan("class A:\n    pass\n\nif x:\n    class A(Base):\n        pass\n");
        assert!(!twice.only_plain_classes("A"));
        assert!(scan("class A:\n    pass\n").only_plain_classes("A"));
        assert!(!scan("class B:\n    pass\n").only_plain_classes("A"));
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
