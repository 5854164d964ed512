//! Why a pairing is left unmigrated: one variant per reason, carrying the data
//! the message needs.
//!
//! The planner and the applier return a [`Refusal`]; its [`Refusal::code`] is
//! the diagnostic code users see and suppress, and its `Display` is the message.
//! Keeping the reason typed until it becomes a [`Diagnostic`] means one reason
//! has one code, and a new reason must pick its code where it is declared.
//! This module does not decide anything: the checks live in `plan/` and
//! `apply/`; the rendering of diagnostics lives in `print/`. The message of
//! each reason is in `message`.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::facts::{Pos, SiteContext};

mod message;

/// A call that is not recognised as the SQLAlchemy construct it must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construct {
    Relationship,
    Backref,
    ImperativeMapping,
}

/// Why a pairing is not migrated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    // BP001: the target (or source) class is not in the given paths.
    /// The class a relationship is assigned to (`Owner.attr = relationship(...)`) is unknown.
    /// The target of a relationship assigned to a class made at run time is
    /// not a name of that module, which the reverse must be assigned to.
    AssignedTargetUnnamed {
        target: String,
    },
    /// A relationship assigned to a class, or its reverse, would not be
    /// mapped: no declarative base's metaclass maps attributes assigned to it.
    AssignedNotMapped {
        class: String,
        why: String,
    },
    /// A class made at run time (`Tag = make_model(...)`) not shown to be a
    /// declarative class of the tree.
    MadeClassUnproven {
        name: String,
        why: String,
    },
    SourceNotAClass {
        chain: String,
    },
    /// The source class of a pairing could not be determined.
    SourceUnknown,
    /// The target names a parameter or an assigned variable.
    TargetIsVariable {
        target: String,
    },
    /// The target is imported from a module outside the given paths.
    TargetExternal {
        target: String,
        module: String,
    },
    /// No class of the given paths has the target's name.
    TargetUndefined {
        target: String,
    },
    /// The target class exists only in a `.pyi` stub.
    TargetInStub {
        class: String,
    },

    // BP002: the target (or the reverse's name for the source) is ambiguous.
    /// Several classes match the target; `shown` holds the first three locations.
    AmbiguousTarget {
        target: String,
        shown: Vec<(PathBuf, usize)>,
        more: usize,
    },
    /// The source class cannot be named by a module-qualified string.
    SourceNotNameable {
        class: String,
        module: String,
    },
    /// The string the reverse would name the source by may mean another
    /// class (or none) where the reverse stands.
    SourceNameShared {
        class: String,
        name: String,
    },
    /// The source's module path fails when the module runs as a script.
    SourceIsScript {
        class: String,
        path: PathBuf,
    },
    /// The target class is mapped imperatively more than once in reach.
    MappedTwice {
        class: String,
    },

    // BP003: the target already has the name.
    NameExists {
        class: String,
        what: &'static str,
        name: String,
    },
    /// The target's imperative mapping already has a property of the name.
    PropertyExists {
        class: String,
        name: String,
    },

    // BP004
    /// Another backref creates the same attribute (`class` absent for imperative targets).
    DuplicateBackref {
        class: Option<String>,
        name: String,
    },

    // BP005: the name, or the set of classes, is decided at run time.
    NameNotConstant {
        name: String,
    },
    NameNotKnown {
        name: String,
    },
    NameComputed {
        text: String,
    },
    NameNotIdentifier {
        name: String,
    },
    CascadingDeclaredAttr {
        attr: String,
    },
    NoClassRunsDeclaredAttr {
        attr: String,
        mixin: String,
    },
    NameNeedsClassAttribute {
        text: String,
        class: String,
    },
    SubclassByTypeCall {
        path: PathBuf,
        class: String,
        attr: String,
    },
    SubclassInFunction {
        class: String,
        attr: String,
    },
    MappedUnknown {
        class: String,
        attr: String,
    },
    /// A declared_attr that returns before its relationship on a condition
    /// the tool cannot read for a class (`None`: any other early `return`).
    DeclaredAttrExits {
        attr: String,
        class: Option<String>,
    },
    BaseOrderDecides {
        class: String,
        attr: String,
        other: String,
    },

    // BP006: a value cannot be moved with the same meaning.
    /// A lambda value that SQLAlchemy evaluates in the source's module.
    LambdaElsewhere {
        kwarg: String,
        text: String,
    },
    /// A value using names the target class cannot see.
    NotVisible {
        kwarg: String,
        text: String,
        names: Vec<String>,
    },
    /// A value that cannot become a string SQLAlchemy evaluates.
    NotAString {
        text: String,
    },
    /// A value that computes the string SQLAlchemy evaluates.
    ComputedString {
        kwarg: String,
        text: String,
    },
    /// A name the target cannot see and the registry cannot name.
    NotNameable {
        kwarg: String,
        text: String,
        name: String,
    },
    /// A registry string that cannot be written on one line.
    NotOneLine {
        text: String,
    },
    /// A string that would need both quote characters.
    MixedQuotes {
        text: String,
    },
    /// `remote()` annotations that cannot be moved to the other side.
    RemoteNotSwappable {
        text: String,
    },
    DifferentRegistries {
        source: String,
        target: String,
    },
    NoFlaskInstance,
    RelationshipShadowed,
    ClassMapperShadowed,
    SourceNotVisible {
        source: String,
        target: String,
    },
    DeclaredAttrLocal {
        kwarg: String,
        local: String,
        attr: String,
    },

    // BP007
    /// A name with non-ASCII characters, written where Python reads it as
    /// an identifier (NFKC-normalised).
    NotAsciiName {
        name: String,
    },
    /// A name the reverse cannot take as a keyword argument of a mapping
    /// helper's call: a keyword, a dunder, or the helper's own parameter.
    HelperKeyword {
        name: String,
        helper: String,
    },
    PythonKeyword {
        name: String,
    },
    ReservedName {
        name: String,
    },

    // BP009: internal consistency; never expected.
    /// A pairing was made for a relationship without a backref.
    NoBackref,
    /// An imperative relationship reached the declarative planner.
    ImperativeElsewhere,

    // BP010
    SourceNotImported {
        target_module: String,
        test: bool,
        source_module: String,
    },

    // BP011
    BackrefRead {
        class: String,
        attr: String,
        function: String,
        path: PathBuf,
        pos: Pos,
    },

    // BP012
    Unwritable {
        path: PathBuf,
        why: String,
    },

    // BP014
    Unrecognised {
        callee: String,
        what: Construct,
    },
    /// A relationship or backref of a `wrapper-families` family whose
    /// reverse cannot be shown to get the defaults the backref got.
    FamilyUnproven {
        callee: String,
        why: String,
    },

    // BP015
    OpaqueBackrefArguments {
        text: String,
    },
    TooManyPositional,
    StarKwargs,

    // BP016
    NoTarget,
    TargetNotAClassName {
        target: String,
    },
    AnnotationNotUnderstood {
        annotation: String,
    },

    // BP017
    TargetNotMapped {
        class: String,
        why: &'static str,
    },
    SourceNotMapped {
        class: String,
        why: &'static str,
    },

    // BP018
    Site(SiteContext),
    DeclaredAttrOutsideClass,
    /// The branches of an `if`/`else` chain declare the forward with the same
    /// backref, but their reverses differ: one reverse cannot stand for all.
    BranchReversesDiffer {
        name: String,
    },
    /// The class body deletes the forward's attribute or binds it again
    /// after the relationship.
    ForwardRebound {
        attr: String,
    },
    /// A relationship assigned to a class is assigned or set again in the
    /// module.
    AssignedRebound {
        class: String,
        attr: String,
    },

    // BP019
    NoImperativeMapping {
        class: String,
    },
    PropertiesNotExtensible {
        class: String,
    },
    /// The two mappings do not run under the same condition: the reverse
    /// would exist when the backref's mapping does not, or the other way.
    MappedUnderOtherCondition {
        class: String,
    },
    /// The mapping statement after which the reverse would go shares its line
    /// with other code (`if x: mapper(...)`, `mapper(...); configure()`).
    MappingNotOnOwnLine {
        class: String,
    },

    // BP020: no reason any more (a reverse joins a dataclass unannotated).

    // BP021
    BodyOnHeaderLine {
        class: String,
    },

    // BP022
    Overlap,

    // BP023
    BrokenResult,

    // BP024 and BP025: what a verification found.
    Verify(Box<crate::verify::Finding>),

    // BP008
    /// The file does not parse.
    SyntaxError,
    /// The file is not UTF-8.
    NotUtf8,

    // BP013
    /// The check stage could not prove the pairing; `why` is its finding.
    SelfCheck {
        why: String,
    },

    /// A refusal for one class that runs a mixin's declared_attr.
    ForSubclass {
        class: String,
        inner: Box<Refusal>,
    },
    /// A refusal made from standard input, where only that source is migrated.
    FromStdinOnly(Box<Refusal>),
}

impl Refusal {
    /// The diagnostic code of this reason.
    pub fn code(&self) -> Code {
        use Refusal::*;
        match self {
            SourceNotAClass { .. }
            | MadeClassUnproven { .. }
            | AssignedTargetUnnamed { .. }
            | SourceUnknown
            | TargetIsVariable { .. }
            | TargetExternal { .. }
            | TargetUndefined { .. }
            | TargetInStub { .. } => Code::UnresolvedTarget,
            AmbiguousTarget { .. }
            | SourceNotNameable { .. }
            | SourceNameShared { .. }
            | SourceIsScript { .. }
            | MappedTwice { .. } => Code::AmbiguousTarget,
            NameExists { .. } | PropertyExists { .. } => Code::NameExists,
            DuplicateBackref { .. } => Code::DuplicateBackref,
            NameNotConstant { .. }
            | NameNotKnown { .. }
            | NameComputed { .. }
            | NameNotIdentifier { .. }
            | CascadingDeclaredAttr { .. }
            | NoClassRunsDeclaredAttr { .. }
            | NameNeedsClassAttribute { .. }
            | SubclassByTypeCall { .. }
            | SubclassInFunction { .. }
            | MappedUnknown { .. }
            | DeclaredAttrExits { .. }
            | BaseOrderDecides { .. } => Code::DynamicName,
            LambdaElsewhere { .. }
            | NotVisible { .. }
            | NotAString { .. }
            | ComputedString { .. }
            | NotNameable { .. }
            | NotOneLine { .. }
            | MixedQuotes { .. }
            | RemoteNotSwappable { .. }
            | DifferentRegistries { .. }
            | NoFlaskInstance
            | RelationshipShadowed
            | ClassMapperShadowed
            | SourceNotVisible { .. }
            | DeclaredAttrLocal { .. } => Code::UnmovableExpression,
            PythonKeyword { .. }
            | ReservedName { .. }
            | NotAsciiName { .. }
            | HelperKeyword { .. } => Code::ReservedName,
            NoBackref | ImperativeElsewhere => Code::Unsupported,
            SourceNotImported { .. } => Code::SourceNotImported,
            BackrefRead { .. } => Code::BackrefRead,
            Unwritable { .. } => Code::Unwritable,
            Unrecognised { .. } | FamilyUnproven { .. } => Code::UnrecognisedCall,
            OpaqueBackrefArguments { .. } | TooManyPositional | StarKwargs => {
                Code::UnreadableArguments
            }
            NoTarget | TargetNotAClassName { .. } | AnnotationNotUnderstood { .. } => {
                Code::TargetNotAClass
            }
            TargetNotMapped { .. } | SourceNotMapped { .. } | AssignedNotMapped { .. } => {
                Code::UnmappedClass
            }
            Site(_)
            | DeclaredAttrOutsideClass
            | BranchReversesDiffer { .. }
            | ForwardRebound { .. }
            | AssignedRebound { .. } => Code::UnsupportedSite,
            NoImperativeMapping { .. }
            | PropertiesNotExtensible { .. }
            | MappedUnderOtherCondition { .. }
            | MappingNotOnOwnLine { .. } => Code::ImperativeTarget,
            BodyOnHeaderLine { .. } => Code::ClassLayout,
            Overlap => Code::Overlap,
            BrokenResult => Code::BrokenResult,
            Verify(f) if f.unverified() => Code::Unverified,
            Verify(_) => Code::VerifyDifference,
            SyntaxError | NotUtf8 => Code::SyntaxError,
            SelfCheck { .. } => Code::SelfCheck,
            ForSubclass { inner, .. } | FromStdinOnly(inner) => inner.code(),
        }
    }

    /// The diagnostic for this reason at `pos` of `path`, counted as unmigrated.
    pub fn at(self, path: &Path, pos: Pos) -> Diagnostic {
        Diagnostic {
            path: path.to_path_buf(),
            pos,
            reason: self,
            unmigrated: true,
        }
    }

    /// The refusal as it applies to `class`, one of the classes a mixin's
    /// declared_attr runs for (said once, however deep).
    pub fn for_subclass(self, class: &str) -> Refusal {
        match self {
            Refusal::ForSubclass { .. } => self,
            inner => Refusal::ForSubclass {
                class: class.to_string(),
                inner: Box::new(inner),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_codes_keep_their_old_code_for_suppressions() {
        let r = Refusal::StarKwargs;
        assert_eq!(r.code(), Code::UnreadableArguments);
        assert_eq!(r.code().formerly(), Some(Code::Unsupported));
        assert_eq!(Refusal::NoBackref.code().formerly(), None);
        assert_eq!(
            Refusal::NameComputed { text: "x".into() }.code().formerly(),
            None
        );
    }

    #[test]
    fn subclass_prefix_is_said_once() {
        let r = Refusal::NoTarget.for_subclass("A").for_subclass("B");
        assert_eq!(
            r.to_string(),
            "for `A` (declared_attr): relationship() has no target"
        );
        assert_eq!(r.code(), Code::TargetNotAClass);
    }

    #[test]
    fn ambiguity_lists_three_and_counts_the_rest() {
        let r = Refusal::AmbiguousTarget {
            target: "\"User\"".into(),
            shown: vec![("a.py".into(), 1), ("b.py".into(), 2)],
            more: 4,
        };
        assert_eq!(
            r.to_string(),
            "target \"User\" could be any of a.py:1, b.py:2, and 4 more"
        );
    }
}
