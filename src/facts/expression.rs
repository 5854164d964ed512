//! Facts about an expression that may have to be moved into another class:
//! its text and range, its kind, and the free names it reads.
//!
//! Plain data: it does not say what a name means (that is `crate::expr` with
//! the index) and does not parse anything.

use std::ops::Range;

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
