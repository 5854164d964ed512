//! Why a pairing is left unmigrated: one variant per reason, carrying the data
//! the message needs.
//!
//! The planner and the applier return a [`Refusal`]; its [`Refusal::code`] is
//! the diagnostic code users see and suppress, and its `Display` is the message.
//! Keeping the reason typed until it becomes a [`Diagnostic`] means one reason
//! has one code, and a new reason must pick its code where it is declared.
//! This module does not decide anything: the checks live in `plan/` and
//! `apply/`; the rendering of diagnostics lives in the output modules.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::facts::{Pos, SiteContext};

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
    BaseOrderDecides {
        class: String,
        attr: String,
        other: String,
    },

    // BP006: a value cannot be moved with the same meaning.
    /// A value of the relationship cannot be written in the target class; the
    /// text says which and why.
    Unmovable(String),
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

    // BP019
    NoImperativeMapping {
        class: String,
    },
    PropertiesNotExtensible {
        class: String,
    },

    // BP020
    DataclassTypedNever {
        class: String,
    },
    DataclassAnnotationUnproven {
        class: String,
    },

    // BP021
    BodyOnHeaderLine {
        class: String,
    },

    // BP022
    Overlap,

    // BP023
    BrokenResult,

    /// A refusal for one class that runs a mixin's declared_attr.
    ForSubclass {
        class: String,
        inner: Box<Refusal>,
    },
}

impl Refusal {
    /// The diagnostic code of this reason.
    pub fn code(&self) -> Code {
        use Refusal::*;
        match self {
            SourceNotAClass { .. }
            | SourceUnknown
            | TargetIsVariable { .. }
            | TargetExternal { .. }
            | TargetUndefined { .. }
            | TargetInStub { .. } => Code::UnresolvedTarget,
            AmbiguousTarget { .. }
            | SourceNotNameable { .. }
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
            | BaseOrderDecides { .. } => Code::DynamicName,
            Unmovable(_)
            | DifferentRegistries { .. }
            | NoFlaskInstance
            | RelationshipShadowed
            | ClassMapperShadowed
            | SourceNotVisible { .. }
            | DeclaredAttrLocal { .. } => Code::UnmovableExpression,
            PythonKeyword { .. } | ReservedName { .. } => Code::ReservedName,
            NoBackref | ImperativeElsewhere => Code::Unsupported,
            SourceNotImported { .. } => Code::SourceNotImported,
            BackrefRead { .. } => Code::BackrefRead,
            Unwritable { .. } => Code::Unwritable,
            Unrecognised { .. } => Code::UnrecognisedCall,
            OpaqueBackrefArguments { .. } | TooManyPositional | StarKwargs => {
                Code::UnreadableArguments
            }
            NoTarget | TargetNotAClassName { .. } | AnnotationNotUnderstood { .. } => {
                Code::TargetNotAClass
            }
            TargetNotMapped { .. } | SourceNotMapped { .. } => Code::UnmappedClass,
            Site(_) | DeclaredAttrOutsideClass => Code::UnsupportedSite,
            NoImperativeMapping { .. } | PropertiesNotExtensible { .. } => Code::ImperativeTarget,
            DataclassTypedNever { .. } | DataclassAnnotationUnproven { .. } => {
                Code::DataclassAnnotation
            }
            BodyOnHeaderLine { .. } => Code::ClassLayout,
            Overlap => Code::Overlap,
            BrokenResult => Code::BrokenResult,
            ForSubclass { inner, .. } => inner.code(),
        }
    }

    /// The diagnostic for this reason at `pos` of `path`, counted as unmigrated.
    pub fn at(&self, path: &Path, pos: Pos) -> Diagnostic {
        Diagnostic {
            path: path.to_path_buf(),
            pos,
            code: self.code(),
            message: self.to_string(),
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

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Refusal::*;
        match self {
            SourceNotAClass { chain } => write!(f, "`{chain}` is not a class of the given paths"),
            SourceUnknown => f.write_str("source class unknown"),
            TargetIsVariable { target } => write!(
                f,
                "target `{target}` is a variable (a parameter or an assignment), not a class the tool can follow"
            ),
            TargetExternal { target, module } => write!(
                f,
                "target `{target}` is imported from `{module}`, outside the given paths"
            ),
            TargetUndefined { target } => {
                write!(f, "target class {target} is not defined in the given paths")
            }
            TargetInStub { class } => {
                write!(f, "target class `{class}` is only declared in a stub")
            }
            AmbiguousTarget {
                target,
                shown,
                more,
            } => {
                write!(f, "target {target} could be any of ")?;
                for (i, (path, line)) in shown.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}:{line}", path.display())?;
                }
                if *more > 0 {
                    write!(f, ", and {more} more")?;
                }
                Ok(())
            }
            SourceNotNameable { class, module } => write!(
                f,
                "another `{class}` may share the registry, and `{module}` is no module path a string can name"
            ),
            SourceIsScript { class, path } => write!(
                f,
                "another `{class}` may share the registry, and naming this one by module path fails when `{}` runs as a script",
                path.display()
            ),
            MappedTwice { class } => {
                write!(f, "`{class}` is mapped imperatively more than once here")
            }
            NameExists { class, what, name } => {
                write!(f, "`{class}` already has {what} named `{name}`")
            }
            PropertyExists { class, name } => write!(
                f,
                "the mapping of `{class}` already has a property `{name}`"
            ),
            DuplicateBackref {
                class: Some(class),
                name,
            } => write!(f, "another backref also creates `{class}.{name}`"),
            DuplicateBackref { class: None, name } => {
                write!(f, "another backref also creates `{name}`")
            }
            NameNotConstant { name } => {
                write!(f, "backref name `{name}` is not a string constant")
            }
            NameNotKnown { name } => write!(f, "backref name `{name}` is not known statically"),
            NameComputed { text } => write!(f, "backref name `{text}` is computed at run time"),
            NameNotIdentifier { name } => {
                write!(f, "backref name `{name}` is not an identifier")
            }
            CascadingDeclaredAttr { attr } => write!(
                f,
                "backref inside the cascading declared_attr `{attr}` is created for every subclass"
            ),
            NoClassRunsDeclaredAttr { attr, mixin } => write!(
                f,
                "no mapped class of the given paths runs the declared_attr `{attr}` of `{mixin}`"
            ),
            NameNeedsClassAttribute { text, class } => write!(
                f,
                "backref name `{text}` needs a class attribute of `{class}` that is not a string in its body or its bases"
            ),
            SubclassByTypeCall { path, class, attr } => write!(
                f,
                "`{}` may make a subclass of `{class}` at run time with `type(...)`; the classes that run the declared_attr `{attr}` cannot be listed",
                path.display()
            ),
            SubclassInFunction { class, attr } => write!(
                f,
                "`{class}` is defined inside a function, made each time it runs; the classes that run the declared_attr `{attr}` cannot be listed"
            ),
            MappedUnknown { class, attr } => write!(
                f,
                "cannot tell whether `{class}`, which inherits the declared_attr `{attr}`, is mapped"
            ),
            BaseOrderDecides { class, attr, other } => write!(
                f,
                "`{class}` also gets `{attr}` from `{other}`; which one applies depends on the order of its bases"
            ),
            Unmovable(why) => f.write_str(why),
            DifferentRegistries { source, target } => write!(
                f,
                "`{source}` and `{target}` belong to different registries; a string target cannot name the other"
            ),
            NoFlaskInstance => {
                f.write_str("the target module has no name for the Flask-SQLAlchemy instance")
            }
            RelationshipShadowed => {
                f.write_str("`relationship` and `orm` mean something else in the target module")
            }
            ClassMapperShadowed => {
                f.write_str("`class_mapper` means something else in this module")
            }
            SourceNotVisible { source, target } => {
                write!(f, "`{source}` is not visible where `{target}` is mapped")
            }
            DeclaredAttrLocal { kwarg, local, attr } => write!(
                f,
                "`{kwarg}` uses `{local}`, a name of the declared_attr `{attr}`, which the target class cannot see"
            ),
            PythonKeyword { name } => write!(
                f,
                "backref name `{name}` is a Python keyword; it cannot be declared in a class body"
            ),
            ReservedName { name } => {
                write!(
                    f,
                    "`{name}` is reserved by SQLAlchemy's declarative classes"
                )
            }
            NoBackref => f.write_str("relationship() has no backref"),
            ImperativeElsewhere => f.write_str("imperative mapping handled apart"),
            SourceNotImported {
                target_module,
                test,
                source_module,
            } => write!(
                f,
                "`{target_module}` can be imported without {} `{source_module}`; its reverse would name a class that may not exist",
                if *test {
                    "the test module"
                } else {
                    "the package of"
                }
            ),
            BackrefRead {
                class,
                attr,
                function,
                path,
                pos,
            } => write!(
                f,
                "`{class}.{attr}` is passed to `{function}` ({}:{}:{}), which needs its backref",
                path.display(),
                pos.line,
                pos.col
            ),
            Unwritable { path, why } => write!(
                f,
                "`{}` cannot be written ({why}); the pairing is left unmigrated in every file",
                path.display()
            ),
            Unrecognised { callee, what } => match what {
                Construct::Relationship => {
                    write!(
                        f,
                        "`{callee}` is not recognised as SQLAlchemy's relationship()"
                    )
                }
                Construct::Backref => {
                    write!(f, "`{callee}` is not recognised as SQLAlchemy's backref()")
                }
                Construct::ImperativeMapping => {
                    write!(f, "`{callee}` is not recognised as an imperative mapping")
                }
            },
            OpaqueBackrefArguments { text } => {
                write!(f, "backref arguments `{text}` cannot be read statically")
            }
            TooManyPositional => {
                f.write_str("relationship() takes more than two positional arguments")
            }
            StarKwargs => {
                f.write_str("relationship() takes `**kwargs` that cannot be read statically")
            }
            NoTarget => f.write_str("relationship() has no target"),
            TargetNotAClassName { target } => {
                write!(f, "relationship target `{target}` is not a class name")
            }
            AnnotationNotUnderstood { annotation } => {
                write!(f, "target class of `{annotation}` not understood")
            }
            TargetNotMapped { class, why } => write!(f, "target class `{class}` {why}"),
            SourceNotMapped { class, why } => write!(
                f,
                "`{class}` {why}; the relationship is copied to each mapped subclass"
            ),
            Site(SiteContext::Function) => {
                f.write_str("a relationship built inside a function is not migrated")
            }
            Site(SiteContext::Mapping) => {
                f.write_str("imperative `properties` mappings are not migrated")
            }
            Site(SiteContext::Other) => {
                f.write_str("a relationship outside a class body is not migrated")
            }
            DeclaredAttrOutsideClass => f.write_str("a declared_attr outside a class body"),
            NoImperativeMapping { class } => write!(
                f,
                "no imperative mapping of `{class}` in the same scope, or at the top of a module this one imports, to add the reverse to"
            ),
            PropertiesNotExtensible { class } => write!(
                f,
                "the `properties` of the mapping of `{class}` cannot be extended"
            ),
            DataclassTypedNever { class } => write!(
                f,
                "`{class}` is a mapped dataclass, whose attributes need annotations, and the configuration says `typed = \"never\"`"
            ),
            DataclassAnnotationUnproven { class } => write!(
                f,
                "`{class}` is a mapped dataclass and the reverse's `Mapped[...]` annotation cannot be proven (its direction or collection is not known statically)"
            ),
            BodyOnHeaderLine { class } => {
                write!(f, "class `{class}` has its body on the header line")
            }
            Overlap => f.write_str("the migration overlaps another change in the same place"),
            BrokenResult => f.write_str("the migrated file would not parse; left unchanged"),
            ForSubclass { class, inner } => write!(f, "for `{class}` (declared_attr): {inner}"),
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
