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
