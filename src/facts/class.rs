//! Facts about a class: its header, each statement of its body (for placement
//! and name clashes) and its columns.
//!
//! Plain data: whether the class is mapped, and by which registry, is decided
//! by the index from these facts, not here.

use std::ops::Range;

use super::Pos;

/// One statement of a class body, for placement and clash checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberKind {
    /// `name = value` or `name: ann = value`.
    Assign {
        annotated: bool,
        value_call: Option<Vec<String>>,
    },
    /// `name: ann` without a value.
    BareAnnotation,
    Function,
    Class,
    /// `if TYPE_CHECKING:` block; names declared inside.
    TypeChecking,
    /// `pass` or `...`: a placeholder body statement.
    Pass,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub names: Vec<String>,
    pub kind: MemberKind,
    /// Statement range, extended to the end of its last line (including the newline).
    pub line_range: Range<usize>,
    /// For `TypeChecking`: per declared name, the line range of its statement.
    pub inner: Vec<(String, Range<usize>)>,
    /// Inside a conditional block of the class body.
    pub conditional: bool,
    /// `name = None` (or `name: ann = None`): a value for readers, which the
    /// ORM replaces when a backref of that name configures.
    pub placeholder: bool,
}

impl Member {
    /// Whether the statement gives `name` a value when the class body runs:
    /// an annotation without a value, or a stub under `if TYPE_CHECKING:`,
    /// binds nothing.
    pub fn binds(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
            && !matches!(
                self.kind,
                MemberKind::TypeChecking | MemberKind::BareAnnotation
            )
    }

    pub fn new(names: Vec<String>, kind: MemberKind, line_range: Range<usize>) -> Member {
        Member {
            names,
            kind,
            line_range,
            inner: Vec::new(),
            conditional: false,
            placeholder: false,
        }
    }
}

/// The last name of a decorator, without its call
/// (`reg.mapped_as_dataclass(kw_only=True)` -> `mapped_as_dataclass`).
pub fn decorator_name(d: &str) -> &str {
    let callee = d.split('(').next().unwrap_or(d).trim();
    callee.rsplit('.').next().unwrap_or(callee)
}

/// Decorators that make fields of a class's annotated attributes: the
/// standard library's `dataclass` and attrs' spellings.
pub const PLAIN_DATACLASS_DECORATORS: &[&str] =
    &["dataclass", "define", "frozen", "mutable", "attrs", "s"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFact {
    pub name: String,
    pub range: Range<usize>,
    pub pos: Pos,
    pub bases: Vec<Vec<String>>,
    /// Base expressions that are not dotted names (e.g. `db.Model` is dotted; `declarative_base()` is not).
    pub opaque_bases: usize,
    /// Keyword arguments of the class header (`metaclass=...`), which may map it.
    pub header_keywords: usize,
    pub decorators: Vec<String>,
    pub body_range: Range<usize>,
    /// Indentation of the body's statements; `None` if the body is on the header line.
    pub body_indent: Option<String>,
    pub members: Vec<Member>,
    pub tablename: Option<String>,
    /// Class attributes assigned a string literal in the body (`name = "x"`).
    pub str_attrs: Vec<(String, String)>,
    /// Class attributes assigned `True` or `False` in the body.
    pub bool_attrs: Vec<(String, bool)>,
    /// Class attributes assigned a name (`question_class = Question`).
    pub name_attrs: Vec<(String, Vec<String>)>,
    pub abstract_: bool,
    /// Nested classes are not mapped-class candidates.
    pub nested: bool,
    /// The function scope the class is defined in (0: the module).
    pub scope: usize,
    /// Whether the class body uses `Mapped[...]` annotations.
    pub typed: bool,
    pub allow_unmapped: bool,
    /// Columns: attribute name, foreign-key target text (`"users.id"`), nullable.
    pub columns: Vec<ColumnFact>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnFact {
    pub attr: String,
    pub column_name: Option<String>,
    pub foreign_keys: Vec<String>,
    pub nullable: Option<bool>,
    pub primary_key: bool,
}
