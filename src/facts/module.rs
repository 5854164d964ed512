//! Facts about the names a module binds: imports, other bindings (tables,
//! declarative bases, string constants, instances) and function scopes.
//!
//! Plain data: names are not looked up across files here (that is
//! `crate::index`).

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFact {
    /// Module as written (`.models`, `sqlalchemy.orm`); for `import a.b`, the full `a.b`.
    pub module: String,
    /// Imported name for `from m import name`; `None` for `import m`.
    pub name: Option<String>,
    /// The local name bound by the import.
    pub bound: String,
    pub stmt_range: Range<usize>,
    /// Top-level statement (not inside a function, class or `if TYPE_CHECKING:`).
    pub top_level: bool,
    pub type_checking: bool,
    /// For `from m import a, b`: whether names are in parentheses.
    pub parenthesized: bool,
    pub scope: usize,
}

/// A module-level binding other than imports and classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingKind {
    /// `t = Table("name", metadata, ...)`
    Table {
        name: String,
        schema: Option<String>,
    },
    /// `db = SQLAlchemy(...)`
    FlaskSqlAlchemy,
    /// `Base = declarative_base()` or similar.
    DeclarativeBase,
    /// A string constant `NAME = "value"`.
    StrConst(String),
    /// `x = Something(...)`: an instance of a class, maybe a subclass of
    /// Flask-SQLAlchemy's `SQLAlchemy` (see `Index::is_flask_db`).
    Instance(Vec<String>),
    /// `x = a.b.c`: another name for what `a.b.c` names.
    Alias(Vec<String>),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    pub offset: usize,
    pub kind: BindingKind,
    pub scope: usize,
}

/// A function body whose classes and names are local to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeFact {
    pub parent: usize,
    pub range: Range<usize>,
}
