//! Owned facts extracted from one Python file.
//!
//! These are plain data with byte ranges into the file's source. They carry no
//! tree-sitter types and make no decisions: whether a backref can be migrated
//! is decided by `plan`, which reads only these facts. This module holds the
//! file as a whole ([`FileFacts`]) and positions; the facts of its parts live
//! in submodules (expressions, relationships, classes, imperative mappings,
//! module-level names) and are re-exported here, so `crate::facts::X` names
//! every one of them. Nothing here reads source text except positions
//! ([`pos_in`], [`LineStarts`]).

use std::ops::Range;
use std::path::PathBuf;

mod class;
mod expression;
mod mapping;
mod module;
mod relationship;

pub use class::{
    ClassFact, ColumnFact, Member, MemberKind, PLAIN_DATACLASS_DECORATORS, decorator_name,
};
pub use expression::{Expr, ExprKind, Kwarg, NameRef};
pub use mapping::{
    HelperFact, HelperProps, MappingFact, OneLineCall, OneLineProperties, PropertiesFact,
};
pub use module::{Binding, BindingKind, ImportFact, ScopeFact};
pub use relationship::{
    BackrefFact, BackrefName, Branch, CommentAt, DeclaredAttrFact, NameExpr, Owner, RelFact,
    TargetArg,
};

/// A 1-based line and column (column counted in characters), as printed in diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    pub path: PathBuf,
    pub stub: bool,
    pub source: String,
    pub syntax_error: Option<Pos>,
    pub imports: Vec<ImportFact>,
    pub classes: Vec<ClassFact>,
    pub relationships: Vec<RelFact>,
    pub bindings: Vec<Binding>,
    /// Range of the module-level `if TYPE_CHECKING:` block, if any, and its body indent.
    pub type_checking_block: Option<(Range<usize>, String)>,
    /// End offset of the last top-level import statement (line end), or of the module docstring.
    pub import_insert_at: usize,
    pub future_annotations: bool,
    pub uses_typing_list: bool,
    pub uses_builtin_list: bool,
    pub uses_mapped: bool,
    /// Uses constructs that exist only in SQLAlchemy 2.0 (`mapped_column`, `DeclarativeBase`, ...).
    pub uses_sa20: bool,
    pub skip_file: bool,
    /// Calls `MetaData(schema=...)`: its tables' keys carry a schema.
    pub metadata_schema: bool,
    /// Every `backref=` keyword argument in the file, wherever it stands.
    pub backref_sites: Vec<BackrefSite>,
    /// Calls of functions that read a relationship's `backref` (see
    /// [`crate::syntax::BACKREF_READERS`]).
    pub backref_readers: Vec<BackrefReader>,
    /// Functions of this module that read a relationship's `backref`.
    pub reader_functions: Vec<String>,
    /// Function scopes: scope 0 is the module; each other one names its parent.
    pub scopes: Vec<ScopeFact>,
    pub mappings: Vec<MappingFact>,
    /// Module-level functions that map their first argument with the
    /// properties they are given.
    pub mapping_helpers: Vec<HelperFact>,
    /// Module-level functions that return their first argument unchanged:
    /// (name, offset of the `def`).
    pub identity_functions: Vec<(String, usize)>,
    /// Module-level functions that pass their arguments on to another
    /// after adding default keyword arguments.
    pub wrapper_functions: Vec<WrapperFn>,
    /// Module-level `Name = factory(...)` statements (classes made at run time).
    pub made_classes: Vec<MadeClassFact>,
    /// Module-level functions that return `type(name, (bases), namespace)`.
    pub class_factories: Vec<ClassFactoryFact>,
    /// Line starts of `source`, made when a position is first asked for.
    pub lines: LineCache,
}

/// `Tag = make_model("Tag", "tags")`: a name bound, at the top level of a
/// module, to what a call returns; a class when the callee is a class
/// factory ([`ClassFactoryFact`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeClassFact {
    pub name: String,
    /// Where the statement starts (the binding's offset) and ends.
    pub stmt_range: Range<usize>,
    pub callee: Vec<String>,
    pub args: Vec<CallArgFact>,
}

/// One argument of a call, as far as a class factory needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallArgFact {
    /// `None` for a positional argument.
    pub keyword: Option<String>,
    /// The value of a plain string literal.
    pub string: Option<String>,
    /// The keys of a dict literal whose keys are all plain strings.
    pub dict_keys: Option<Vec<String>>,
}

/// `def make_model(name, table): return type(name, (Base,), {...})`: a
/// module-level function whose only statement (after a docstring) returns a
/// class made by `type()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFactoryFact {
    pub name: String,
    pub offset: usize,
    /// The function body's scope, in which the bases are looked up.
    pub scope: usize,
    pub params: Vec<String>,
    /// The class name given to `type()`.
    pub class_name: FactoryArg,
    /// The bases, as written (dotted names).
    pub bases: Vec<Vec<String>>,
    /// The namespace given to `type()`.
    pub namespace: FactoryArg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactoryArg {
    /// The function's parameter of that index.
    Param(usize),
    /// A plain string literal.
    Literal(String),
    /// A dict literal with these plain string keys.
    Keys(Vec<String>),
}

/// `def relationship(*args, **kw): kw.setdefault("query_class", Q); return
/// sa_relationship(*args, **kw)`: a function that calls `callee` with
/// exactly the arguments it is given, plus `defaults` where not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapperFn {
    pub name: String,
    /// Where the `def` starts (its binding's offset).
    pub offset: usize,
    /// The function body's scope, in which `callee` is looked up.
    pub scope: usize,
    pub callee: Vec<String>,
    /// Each default keyword argument (`"query_class"`) and its value as
    /// written (a literal or a dotted name), in order.
    pub defaults: Vec<(String, String)>,
}

/// Where a `backref=` keyword stands, for reporting the ones no fact covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackrefSite {
    pub offset: usize,
    pub pos: Pos,
    pub callee: Vec<String>,
    pub context: SiteContext,
}

/// `auto_delete_orphans(Entry.tags)` or `populate_backrefs(Entry, "tags")`: a
/// call that may need `Entry.tags` to keep its `backref`, when the function
/// reads `RelationshipProperty.backref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackrefReader {
    /// The callee's last name.
    pub function: String,
    /// The class expression and the relationship attributes named.
    pub class: Vec<String>,
    pub attrs: Vec<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteContext {
    /// Inside a function body (a class or mapping built at run time).
    Function,
    /// Inside a dict or `dict(...)`, as in imperative `properties={...}`.
    Mapping,
    /// In a class body, passed to another call (`with_roles(relationship(...))`).
    ClassBodyCall {
        wrapper: String,
    },
    /// Outside a class, passed to a call that is not shown to map a class
    /// with it (`tag_mapping(Tag, tags=relationship(...))`).
    Call {
        callee: String,
    },
    /// In a class body, inside a compound statement (`if`, `try`, ...).
    ClassBodyBlock {
        statement: &'static str,
    },
    /// Assigned to a class inside a compound statement of the module.
    ModuleBlock,
    Other,
}

impl FileFacts {
    /// The facts of a file before (or without) parsing it: its path and source,
    /// and the module scope. A file the tree does not need stays like this.
    pub fn unparsed(path: PathBuf, source: String, stub: bool) -> FileFacts {
        let len = source.len();
        FileFacts {
            path,
            stub,
            source,
            syntax_error: None,
            imports: Vec::new(),
            classes: Vec::new(),
            relationships: Vec::new(),
            bindings: Vec::new(),
            type_checking_block: None,
            import_insert_at: 0,
            future_annotations: false,
            uses_typing_list: false,
            uses_builtin_list: false,
            uses_mapped: false,
            uses_sa20: false,
            skip_file: false,
            metadata_schema: false,
            backref_sites: Vec::new(),
            backref_readers: Vec::new(),
            reader_functions: Vec::new(),
            scopes: vec![ScopeFact {
                parent: 0,
                range: 0..len,
            }],
            mappings: Vec::new(),
            mapping_helpers: Vec::new(),
            identity_functions: Vec::new(),
            wrapper_functions: Vec::new(),
            made_classes: Vec::new(),
            class_factories: Vec::new(),
            lines: LineCache::default(),
        }
    }

    pub fn import_of(&self, bound: &str) -> Option<&ImportFact> {
        self.imports
            .iter()
            .rev()
            .find(|i| i.bound == bound && !i.type_checking)
    }

    pub fn binding(&self, name: &str) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.name == name)
    }

    /// Line and column of a byte offset (the line starts are found once per file).
    pub fn pos_of(&self, offset: usize) -> Pos {
        self.lines
            .0
            .get_or_init(|| line_starts(&self.source))
            .pos(&self.source, offset)
    }
}

/// Byte offsets of the line starts of a file, made on first use: a file
/// with thousands of relationships asks for thousands of positions.
#[derive(Debug, Clone, Default)]
pub struct LineCache(std::sync::OnceLock<LineStarts>);

/// A cache says nothing about the file: two facts are equal whether or not
/// either has made it yet.
impl PartialEq for LineCache {
    fn eq(&self, _: &LineCache) -> bool {
        true
    }
}

impl Eq for LineCache {}

/// Byte offset of the start of each line (the first is 0).
#[derive(Debug, Clone)]
pub struct LineStarts(Vec<usize>);

pub fn line_starts(source: &str) -> LineStarts {
    LineStarts(
        std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect(),
    )
}

impl LineStarts {
    /// Where 0-based line `line` starts; the end of the text (`len`) past
    /// its last line.
    pub fn start(&self, line: usize, len: usize) -> usize {
        self.0.get(line).copied().unwrap_or(len)
    }

    /// [`pos_in`] in O(log lines) and the length of the line.
    pub fn pos(&self, source: &str, offset: usize) -> Pos {
        let offset = offset.min(source.len());
        let line = self.0.partition_point(|&s| s <= offset);
        let line_start = self.0[line - 1];
        let col = source
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count())
            + 1;
        Pos { line, col }
    }
}

/// Line and column (1-based, characters) of a byte offset.
pub fn pos_in(source: &str, offset: usize) -> Pos {
    let offset = offset.min(source.len());
    let before = &source.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = source
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    Pos { line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_agree_with_the_scan() {
        let src = "ab\nçé\r\n\n\tx = 'ü'\nlast";
        let lines = line_starts(src);
        for offset in 0..src.len() + 3 {
            assert_eq!(
                lines.pos(src, offset),
                pos_in(src, offset),
                "offset {offset}"
            );
        }
        let empty = line_starts("");
        assert_eq!(empty.pos("", 5), Pos { line: 1, col: 1 });
    }
}
