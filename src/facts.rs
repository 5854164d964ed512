//! Owned facts extracted from one Python file.
//!
//! These are plain data with byte ranges into the file's source. They carry no
//! tree-sitter types and make no decisions: whether a backref can be migrated
//! is decided by `plan`, which reads only these facts.

use std::ops::Range;
use std::path::PathBuf;

/// A 1-based line and column (column counted in characters), as printed in diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A name as it occurs inside an expression that may have to be moved.
///
/// `dotted` is the longest pure attribute chain starting at the name
/// (`sa.orm.foreign` for the head `sa`); `range` covers that chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    pub head: String,
    pub dotted: Vec<String>,
    pub range: Range<usize>,
    /// True when the chain is the callee of a call (`remote(x)`).
    pub called: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// A plain string literal whose value is known.
    Str(String),
    /// A string literal with prefixes, escapes or interpolation.
    OpaqueStr,
    /// `lambda: body` without parameters.
    Lambda(Box<Expr>),
    /// `True`, `False`, `None`, numbers.
    Constant,
    Other,
}

/// An expression from the source with the facts needed to move it elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    pub text: String,
    pub range: Range<usize>,
    pub kind: ExprKind,
    /// Free names, in source order (lambda parameters excluded).
    pub names: Vec<NameRef>,
    /// Whether the expression contains string literals (relevant when quoting it).
    pub has_strings: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kwarg {
    pub name: String,
    /// Range of the whole `name=value` argument.
    pub range: Range<usize>,
    pub value: Expr,
}

/// The `backref=` argument of a relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackrefFact {
    /// Range of the `backref=...` keyword argument.
    pub kw_range: Range<usize>,
    pub pos: Pos,
    pub name: BackrefName,
    /// The name's string literal as written, for a literal name.
    pub name_literal: Option<String>,
    /// Keywords given inside `backref("name", ...)` / `("name", {...})`.
    pub kwargs: Vec<Kwarg>,
    /// Dotted callee of a `backref(...)` call, when that form is used.
    pub callee: Option<Vec<String>>,
    /// Something the tool cannot read statically (`**kw`, positional extras).
    pub opaque: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackrefName {
    Literal(String),
    /// A bare module-level name (`backref=BACKREF_NAME`) to look up.
    Constant(String),
    /// Computed at run time; the text of the expression.
    Dynamic(String),
}

/// A relationship returned by `@declared_attr def attr(cls): ...`: created
/// again for each mapped class that inherits the function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredAttrFact {
    /// `@declared_attr.cascading`.
    pub cascading: bool,
    /// The function's first parameter (`cls`): the class it runs for.
    pub cls: Option<String>,
    /// The function's parameters and the names it assigns: they mean nothing
    /// outside the function.
    pub locals: Vec<String>,
    /// How the backref name is computed from the class, when the tool can
    /// follow it (`cls.__name__.lower() + "s"`).
    pub name: Option<NameExpr>,
}

/// A backref name computed from the class a `declared_attr` runs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameExpr {
    Literal(String),
    /// `cls.__name__`
    ClassName,
    /// `cls.__tablename__`
    TableName,
    /// `cls.name`: a string class attribute of the class or its bases.
    ClassAttr(String),
    Concat(Vec<NameExpr>),
    Lower(Box<NameExpr>),
    Upper(Box<NameExpr>),
}

impl NameExpr {
    /// The name for a class with this name, given how to read its string class
    /// attributes (`__tablename__` included); None when one is not known.
    pub fn eval(&self, class: &str, attr: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        Some(match self {
            NameExpr::Literal(s) => s.clone(),
            NameExpr::ClassName => class.to_string(),
            NameExpr::TableName => attr("__tablename__")?,
            NameExpr::ClassAttr(a) => attr(a)?,
            NameExpr::Concat(parts) => parts
                .iter()
                .map(|p| p.eval(class, attr))
                .collect::<Option<String>>()?,
            NameExpr::Lower(e) => e.eval(class, attr)?.to_lowercase(),
            NameExpr::Upper(e) => e.eval(class, attr)?.to_uppercase(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetArg {
    /// `"Post"` or `"app.models.Post"`.
    Str(String),
    /// `Post` or `models.Post`.
    Name(Vec<String>),
    /// `lambda: Post`.
    Lambda(Vec<String>),
    /// Typed relationship without positional target: taken from the annotation.
    Absent,
    Other(String),
}

/// Where a relationship is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Index into `FileFacts::classes`.
    Class(usize),
    /// `Cls.attr = relationship(...)` after the class; the dotted class expression.
    Assigned(Vec<String>),
    /// An entry of an imperative mapping's `properties`: index into `FileFacts::mappings`.
    Imperative(usize),
}

/// `registry.map_imperatively(Cls, table, properties={...})` or classical `mapper(...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingFact {
    pub callee: Vec<String>,
    /// The mapped class expression (first argument).
    pub class: Vec<String>,
    pub scope: usize,
    pub call_range: Range<usize>,
    pub pos: Pos,
    /// Where a new `properties=` argument goes (after the last argument), and
    /// whether the last argument is followed by a comma.
    pub args_end: usize,
    pub args_trailing_comma: bool,
    /// Indentation of the last argument when it stands on its own line.
    pub args_indent: Option<String>,
    /// The call's arguments when they all stand on one line (no comment), on
    /// the line of the parentheses or on one of their own: the
    /// call can then be laid out again when a new entry makes it too long.
    pub one_line: Option<OneLineCall>,
    pub properties: Option<PropertiesFact>,
    /// `properties` given in a form the tool cannot extend (a variable, a list of pairs).
    pub opaque_properties: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneLineCall {
    /// Between the call's parentheses.
    pub inner: Range<usize>,
    /// Where each argument is written.
    pub args: Vec<Range<usize>>,
    pub properties: Option<OneLineProperties>,
}

/// The `properties` argument of a [`OneLineCall`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneLineProperties {
    /// Its index among the call's arguments.
    pub index: usize,
    /// Its text up to and including the opening bracket (`properties={`, `{`,
    /// `properties=dict(`).
    pub open: Range<usize>,
    pub close: String,
    /// Where its entries are.
    pub entries: Vec<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertiesFact {
    /// `{"k": v}` (true) or `dict(k=v)` (false).
    pub literal: bool,
    pub keys: Vec<String>,
    /// Offset just after the opening `{` or `(`.
    pub open_end: usize,
    /// End of the last entry, and whether a comma follows it.
    pub last_end: Option<usize>,
    pub trailing_comma: bool,
    /// Indentation of the entries when they stand on their own lines.
    pub entry_indent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelFact {
    pub owner: Owner,
    pub attr: String,
    pub callee: Vec<String>,
    /// The relationship call.
    pub call_range: Range<usize>,
    /// The whole statement, for placement and ignore comments.
    pub stmt_range: Range<usize>,
    pub pos: Pos,
    pub target: TargetArg,
    /// `Mapped[...]` annotation text on the attribute, if any.
    pub annotation: Option<String>,
    pub kwargs: Vec<Kwarg>,
    pub backref: Option<BackrefFact>,
    pub positional: usize,
    /// `relationship(Target, secondary_table, ...)`: the second positional argument.
    pub positional_secondary: Option<Expr>,
    pub has_star_kwargs: bool,
    /// `# backpop: ignore` (without codes) on the statement's first or last
    /// line or on the backref line.
    pub ignored: bool,
    /// `# backpop: ignore[BP003, BP005]` there: those diagnostics are not reported.
    pub ignored_codes: Vec<String>,
    /// Returned by a `@declared_attr` function (only its return value is seen).
    pub declared_attr: Option<DeclaredAttrFact>,
    /// The function scope of the statement (0: the module).
    pub scope: usize,
}

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
    pub decorators: Vec<String>,
    pub body_range: Range<usize>,
    /// Indentation of the body's statements; `None` if the body is on the header line.
    pub body_indent: Option<String>,
    pub members: Vec<Member>,
    pub tablename: Option<String>,
    /// Class attributes assigned a string literal in the body (`name = "x"`).
    pub str_attrs: Vec<(String, String)>,
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
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub name: String,
    pub offset: usize,
    pub kind: BindingKind,
    pub scope: usize,
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
}

/// A function body whose classes and names are local to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeFact {
    pub parent: usize,
    pub range: Range<usize>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteContext {
    /// Inside a function body (a class or mapping built at run time).
    Function,
    /// Inside a dict or `dict(...)`, as in imperative `properties={...}`.
    Mapping,
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

    pub fn pos_of(&self, offset: usize) -> Pos {
        pos_in(&self.source, offset)
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
