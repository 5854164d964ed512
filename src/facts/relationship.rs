//! Facts about one relationship: where it is defined, its target, keyword
//! arguments, its `backref=` argument in each spelling, and what a
//! `declared_attr` function computes for its backref name.
//!
//! Plain data: it does not resolve the target or decide whether the backref
//! can be migrated. [`NameExpr::eval`] only evaluates a name for a class the
//! caller has already resolved.

use std::ops::Range;

use super::Pos;
use super::expression::{Expr, Kwarg};

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
    /// Comments written inside a `backref(...)` call, with the keyword they
    /// go with: they move with the keywords to the reverse.
    pub comments: Vec<(CommentAt, String)>,
}

/// Where a comment inside a `backref(...)` call stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentAt {
    /// On its own line before the keyword of that name.
    Before(String),
    /// At the end of the line of the keyword of that name.
    After(String),
    /// After the last keyword.
    End,
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
    /// Early exits before the relationship is returned that the tool can read
    /// per class: `if not cls.allow_x: return` (`attr`, and whether it returns
    /// when the attribute is true).
    pub guards: Vec<(String, bool)>,
    /// A `return` before the relationship's that is not such a guard: the
    /// classes it runs for return something else on conditions not read.
    pub other_exit: bool,
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    /// Index into `FileFacts::classes`.
    Class(usize),
    /// `Cls.attr = relationship(...)` after the class; the dotted class expression.
    Assigned(Vec<String>),
    /// An entry of an imperative mapping's `properties`: index into `FileFacts::mappings`.
    Imperative(usize),
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
    /// The compound statement of the class body the relationship stands in
    /// (`if ...:`), whose condition a reverse would have to share.
    pub block: Option<&'static str>,
    /// Which branch of an `if`/`elif`/`else` chain directly in the class
    /// body the relationship stands in (`None` inside any other block, or in
    /// an `if` nested in another block).
    pub branch: Option<Branch>,
    /// `x = with_roles(relationship(...), ...)` in a class body: the callee of
    /// the call the relationship is passed to as its first argument.
    pub wrapper: Option<Vec<String>>,
}

/// A branch of an `if`/`elif`/`else` chain of a class body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Branch {
    /// Where the `if` statement starts.
    pub chain: usize,
    /// The branch's index (0 for the `if`, then each `elif`, then `else`).
    pub arm: usize,
    /// How many branches the chain has.
    pub arms: usize,
    /// The chain ends with an `else`: exactly one branch runs.
    pub exhaustive: bool,
}
