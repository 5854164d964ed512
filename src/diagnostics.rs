//! Diagnostic codes and messages.
//!
//! Every backref the tool leaves alone is reported with a code from this closed
//! set, so that scripts can count and filter them. The README documents each.
//! Reasons map to codes in `refusal`; this module does not decide or render
//! anything beyond a diagnostic's one-line form.

use std::fmt;
use std::path::PathBuf;

use crate::facts::Pos;
use crate::refusal::Refusal;

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
    /// A form the tool does not migrate, for no reason with a code of its own
    /// (its former reasons are BP014-BP023).
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
    /// A call is not recognised as SQLAlchemy's `relationship()`, `backref()`
    /// or an imperative mapping (formerly BP009).
    UnrecognisedCall,
    /// The relationship's or backref's arguments cannot be read statically
    /// (`**kwargs`, extra positional arguments; formerly BP009).
    UnreadableArguments,
    /// The relationship's target is not a class name (formerly BP009).
    TargetNotAClass,
    /// The source or target class is not declaratively mapped (formerly BP009).
    UnmappedClass,
    /// The relationship is built outside a class body or an imperative mapping
    /// the tool reads (formerly BP009).
    UnsupportedSite,
    /// No imperative mapping of the target that the reverse can join (formerly BP009).
    ImperativeTarget,
    /// The target is a mapped dataclass and the reverse's annotation cannot be
    /// written (formerly BP009).
    DataclassAnnotation,
    /// The target class's body is on its header line (formerly BP009).
    ClassLayout,
    /// The migration overlaps another change in the same place (formerly BP009).
    Overlap,
    /// The migrated file would not parse (formerly BP009).
    BrokenResult,
    /// `--verify` / `backpop verify`: the models configure differently after
    /// the change (a relationship's field, a relationship or class missing or
    /// new, an import or `configure_mappers()` failing on one side only, a new
    /// SQLAlchemy warning).
    VerifyDifference,
    /// `--verify` / `backpop verify`: something could not be verified (a
    /// module or `configure_mappers()` failing the same way on both sides).
    Unverified,
}

impl Code {
    pub const ALL: [Code; 25] = [
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
        Code::UnrecognisedCall,
        Code::UnreadableArguments,
        Code::TargetNotAClass,
        Code::UnmappedClass,
        Code::UnsupportedSite,
        Code::ImperativeTarget,
        Code::DataclassAnnotation,
        Code::ClassLayout,
        Code::Overlap,
        Code::BrokenResult,
        Code::VerifyDifference,
        Code::Unverified,
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
            Code::UnrecognisedCall => "BP014",
            Code::UnreadableArguments => "BP015",
            Code::TargetNotAClass => "BP016",
            Code::UnmappedClass => "BP017",
            Code::UnsupportedSite => "BP018",
            Code::ImperativeTarget => "BP019",
            Code::DataclassAnnotation => "BP020",
            Code::ClassLayout => "BP021",
            Code::Overlap => "BP022",
            Code::BrokenResult => "BP023",
            Code::VerifyDifference => "BP024",
            Code::Unverified => "BP025",
        }
    }

    /// The code this one was reported as before it had its own, if any: a
    /// `# backpop: ignore[BP009]` written then still applies.
    pub fn formerly(self) -> Option<Code> {
        match self {
            Code::UnrecognisedCall
            | Code::UnreadableArguments
            | Code::TargetNotAClass
            | Code::UnmappedClass
            | Code::UnsupportedSite
            | Code::ImperativeTarget
            | Code::DataclassAnnotation
            | Code::ClassLayout
            | Code::Overlap
            | Code::BrokenResult => Some(Code::Unsupported),
            _ => None,
        }
    }

    /// Whether a code written in a suppression comment or a selection
    /// (`BP003`) names this code, directly or as its former code.
    pub fn is_named_by(self, written: &str) -> bool {
        written == self.as_str() || self.formerly().is_some_and(|c| written == c.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reason reported at a place. The message is rendered from the reason
/// when printed; stages pass the reason itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub pos: Pos,
    pub reason: Refusal,
    /// Whether this diagnostic stands for a backref left unmigrated.
    pub unmigrated: bool,
}

impl Diagnostic {
    pub fn code(&self) -> Code {
        self.reason.code()
    }

    /// Whether the diagnostic fails the run: a backref left unmigrated, or
    /// what a verification found.
    pub fn is_error(&self) -> bool {
        self.unmigrated || matches!(self.code(), Code::VerifyDifference | Code::Unverified)
    }

    /// The message users read after the code.
    pub fn message(&self) -> String {
        self.reason.to_string()
    }

    fn key(&self) -> (&PathBuf, Pos, Code) {
        (&self.path, self.pos, self.code())
    }
}

/// By place, then code, then message (the order diagnostics are printed in).
impl Ord for Diagnostic {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key()
            .cmp(&other.key())
            .then_with(|| self.message().cmp(&other.message()))
            .then_with(|| self.unmigrated.cmp(&other.unmigrated))
    }
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {}",
            self.path.display(),
            self.pos.line,
            self.pos.col,
            self.code(),
            self.reason
        )
    }
}
