//! Facts about imperative (classical) mappings: `map_imperatively(...)` or
//! `mapper(...)` calls, their `properties` argument, and the layout the apply
//! stage needs to add an entry to it.
//!
//! Plain data: which class a mapping maps is not resolved here.

use std::ops::Range;

use super::Pos;

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
    /// A call of a project function that may map its first argument (see
    /// [`HelperFact`]), and how the call passes the properties; `None` for
    /// SQLAlchemy's own `mapper` / `map_imperatively`.
    pub helper: Option<HelperProps>,
    /// `non_primary=` is passed: a secondary mapper, which takes no backref.
    pub non_primary: bool,
    /// The compound statement the call stands in (its start): `None` when it
    /// runs whenever its scope does.
    pub block: Option<usize>,
    /// The statement is alone on its lines: nothing but indentation before
    /// it, nothing but a comment after it (a statement can go after it).
    pub own_line: bool,
}

/// How a mapping helper takes the properties it passes to `mapper(...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperProps {
    /// `def m(cls, **kw): mapper(cls, ..., properties=kw)`, called as
    /// `m(Cls, name=relationship(...))`.
    Keywords,
    /// `def m(cls, props): mapper(cls, ..., properties=props)`, called as
    /// `m(Cls, {...})` or `m(Cls, dict(...))`.
    Dict,
    /// A function that maps its first argument, with properties of its own
    /// making (`def tag_mapping(cls, name): simple_mapping(cls, tag=...)`),
    /// or a call whose arguments have neither shape above.
    Unknown,
}

/// A module-level function that maps its first parameter. With `props`
/// [`HelperProps::Keywords`] or [`HelperProps::Dict`], its body is one
/// mapping call that passes its other parameter through as `properties`:
/// calling it maps a class exactly as the mapping call would. With
/// [`HelperProps::Unknown`], the mapping call (or a call of a helper of the
/// same module) comes first among the statements that may leave the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperFact {
    pub name: String,
    /// Where the `def` starts (its binding's offset).
    pub offset: usize,
    /// The function body's scope, in which `callee` is looked up.
    pub scope: usize,
    /// The mapping call's callee, as written (SQLAlchemy's, or a helper's).
    pub callee: Vec<String>,
    pub props: HelperProps,
    /// Its first parameter's name (a keyword argument of that name would
    /// be taken for it).
    pub class_param: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneLineCall {
    /// Between the call's parentheses.
    pub inner: Range<usize>,
    /// Where each argument is written.
    pub args: Vec<Range<usize>>,
    pub properties: Option<OneLineProperties>,
    /// New entries are new keyword arguments of the call itself (a helper
    /// called as `m(Cls, name=relationship(...))`).
    pub entries_as_arguments: bool,
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
