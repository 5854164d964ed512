//! Diagnostic codes and messages.
//!
//! Every backref the tool leaves alone is reported with a code from this closed
//! set, so that scripts can count and filter them. The README documents each.

use std::fmt;
use std::path::PathBuf;

use crate::facts::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The target class is not defined in the given paths.
    UnresolvedTarget,
    /// Several classes could be the target.
    AmbiguousTarget,
    /// The target class (or a relative) already has an attribute of the backref's name.
    NameExists,
    /// Two backrefs create the same attribute on one class.
    DuplicateBackref,
    /// The backref name is computed at run time.
    DynamicName,
    /// An argument cannot be moved into the target class with the same meaning.
    UnmovableExpression,
    /// The backref name is reserved by declarative (`metadata`, `registry`).
    ReservedName,
    /// The file does not parse.
    SyntaxError,
    /// A form the tool does not migrate (yet).
    Unsupported,
    /// The target's module can be used without the source's (a plugin or a test
    /// backref onto a core class): the reverse would name a class that may not exist.
    SourceNotImported,
    /// Other code reads the relationship's `backref` (sqlalchemy-utils'
    /// `auto_delete_orphans`), which `back_populates` leaves empty.
    BackrefRead,
    /// A file the migration changes cannot be written (read-only, no permission,
    /// changed on disk): the pairing is left whole, in every file.
    Unwritable,
    /// The check stage, which reads the migrated text again independently of
    /// the planner, found that the pairing would not configure as before.
    SelfCheck,
}

impl Code {
    pub const ALL: [Code; 13] = [
        Code::UnresolvedTarget,
        Code::AmbiguousTarget,
        Code::NameExists,
        Code::DuplicateBackref,
        Code::DynamicName,
        Code::UnmovableExpression,
        Code::ReservedName,
        Code::SyntaxError,
        Code::Unsupported,
        Code::SourceNotImported,
        Code::BackrefRead,
        Code::Unwritable,
        Code::SelfCheck,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnresolvedTarget => "BP001",
            Code::AmbiguousTarget => "BP002",
            Code::NameExists => "BP003",
            Code::DuplicateBackref => "BP004",
            Code::DynamicName => "BP005",
            Code::UnmovableExpression => "BP006",
            Code::ReservedName => "BP007",
            Code::SyntaxError => "BP008",
            Code::Unsupported => "BP009",
            Code::SourceNotImported => "BP010",
            Code::BackrefRead => "BP011",
            Code::Unwritable => "BP012",
            Code::SelfCheck => "BP013",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub pos: Pos,
    pub code: Code,
    pub message: String,
    /// Whether this diagnostic stands for a backref left unmigrated.
    pub unmigrated: bool,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {}",
            self.path.display(),
            self.pos.line,
            self.pos.col,
            self.code,
            self.message
        )
    }
}
