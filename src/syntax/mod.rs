//! The only module that touches tree-sitter.
//!
//! It parses a Python file and hands out owned [`FileFacts`]: classes, their
//! members and columns, relationship calls with their `backref=` arguments,
//! imports and module-level bindings, all with byte ranges into the source.
//! It also analyses stand-alone expression text (the content of a string
//! `primaryjoin`, say). It never decides whether something can be migrated,
//! and never resolves a name across files.
//!
//! [`extract`] is the entry. The statement walk lives in `module`, `class`
//! (with `declared_attr`), `relationship` and `mapping`; whole-file searches
//! in `sites` and `readers`; syntax errors in `errors`; the shared parser in
//! `parser`; node and line helpers in `node` and `lines`; the check stage's
//! own reading of scopes in [`scope`].

use std::path::PathBuf;

use crate::facts::*;

mod class;
mod declared_attr;
mod errors;
mod expression;
mod factory;
mod lines;
mod mapping;
mod module;
mod node;
mod parser;
mod readers;
mod relationship;
pub mod scope;
mod sites;
mod wrapper;

use expression::expr;
pub use expression::{analyze_expr, call_parts, swap_remote};
pub use mapping::MAPPING_CALLEES;

pub use errors::parse_checked;
pub use lines::{line_end, line_start, suppression, without_blanks};
pub(crate) use node::not_continuation;
pub use readers::BACKREF_READERS;

use errors::error_in;
use lines::compact;
use node::{
    body_indent, code_children, dotted, is_docstring, is_type_checking_if, mentions, pos,
    string_value,
};
use parser::parse;
use readers::{backref_readers, reader_functions, reads_backref_attribute};
use sites::{backref_sites, metadata_with_schema};

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
    extract_parsed(path, source, stub, None)
}

/// [`extract_keeping_tree`] of a text whose syntax tree may be at hand
/// already (from [`parse_checked`] of the very same text); parsed here if not.
pub fn extract_parsed(
    path: PathBuf,
    source: String,
    stub: bool,
    tree: Option<tree_sitter::Tree>,
) -> (FileFacts, Option<tree_sitter::Tree>) {
    let mut facts = FileFacts::unparsed(path, source, stub);
    facts.skip_file = facts
        .source
        .lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .any(|l| l.contains("backpop: skip-file"));
    let Some(tree) = tree.or_else(|| parse(&facts.source)) else {
        facts.syntax_error = Some(Pos { line: 1, col: 1 });
        return (facts, None);
    };
    let root = tree.root_node();
    if let Some(at) = error_in(root, &facts.source) {
        facts.syntax_error = Some(at);
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

/// The statement walk of one file, writing what it reads into `facts`.
struct Extractor<'a> {
    src: &'a str,
    facts: &'a mut FileFacts,
    /// The function scope being read (0: the module).
    scope: usize,
    /// Names declared `global` in a function scope: (scope, name).
    globals: Vec<(usize, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
