//! The message of each refusal: the one line users read after the code.
//!
//! Messages are part of the output other tools parse; a change here is a
//! change of the command-line contract. It does not choose codes (`code()`).

use std::fmt;

use super::{Construct, Refusal};
use crate::facts::SiteContext;

impl fmt::Display for Refusal {
    /// The message on one line: a quoted value that spans lines in the
    /// source (a multi-line `order_by=[...]`) is shown on one line,
    /// abbreviated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = Message(self).to_string();
        if !full.contains(['\n', '\r']) {
            return f.write_str(&full);
        }
        f.write_str(&one_line(&full))
    }
}

/// The longest a quoted value is shown when it had to be put on one line.
const SHOWN: usize = 60;

/// `message` with each backquoted span that spans lines collapsed to one line
/// (runs of white space become one space) and cut to [`SHOWN`] characters;
/// line breaks outside backquotes become spaces.
fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if !part.contains(['\n', '\r']) {
            out.push_str(part);
            continue;
        }
        // A moved value's continuation lines may carry the layout's hanging
        // marker: white space to a reader.
        // Comments of the source text are dropped: on one line, a comment
        // would seem to run to the end of the value.
        let code: String = part
            .split_inclusive(['\n', '\r'])
            .map(|line| {
                let cut = comment_start(line).unwrap_or(line.len());
                format!("{} ", &line[..cut])
            })
            .collect();
        let joined = code
            .split(|c: char| c.is_whitespace() || c == crate::codegen::HANGING)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let quoted = i % 2 == 1;
        if quoted && joined.chars().count() > SHOWN {
            out.extend(joined.chars().take(SHOWN - 1));
            out.push('…');
        } else {
            out.push_str(&joined);
        }
    }
    out
}

/// Where a `#` comment starts on a line of Python source (not inside a
/// string literal opened on the line).
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '#' => return Some(i),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    None
}

/// The message as each reason words it (possibly with line breaks inside
/// quoted source text).
struct Message<'a>(&'a Refusal);

impl fmt::Display for Message<'_> {
    // Long: one arm per reason, kept together so that the messages read as one list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Refusal::*;
        match self.0 {
            SourceNotAClass { chain } => write!(f, "`{chain}` is not a class of the given paths"),
            AssignedTargetUnnamed { target } => write!(
                f,
                "the reverse of a relationship assigned to a class made at run time is assigned to its target by the module's name for it, and `{target}` is not shown to be that name there (not bound before the relationship, or a class of another registry)"
            ),
            AssignedNotMapped { class, why } => write!(
                f,
                "`{class}` is not shown to map a relationship assigned to it: {why}"
            ),
            MadeClassUnproven { name, why } => write!(
                f,
                "`{name}` is made at run time, but not shown to be a declarative class that maps attributes assigned to it: {why}"
            ),
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
            SourceNameShared { class, name } => write!(
                f,
                "the reverse would name `{class}` as \"{name}\", which the target's registry may resolve to another class"
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
            DeclaredAttrExits {
                attr,
                class: Some(class),
            } => write!(
                f,
                "the declared_attr `{attr}` may return before its relationship: the attribute it tests is not `True` or `False` in `{class}` or its bases"
            ),
            DeclaredAttrExits { attr, class: None } => write!(
                f,
                "the declared_attr `{attr}` may return before its relationship on a condition that cannot be read per class"
            ),
            MappedUnknown { class, attr } => write!(
                f,
                "cannot tell whether `{class}`, which inherits the declared_attr `{attr}`, is mapped"
            ),
            BaseOrderDecides { class, attr, other } => write!(
                f,
                "`{class}` also gets `{attr}` from `{other}`; which one applies depends on the order of its bases"
            ),
            LambdaElsewhere { kwarg, text } => {
                write!(
                    f,
                    "`{kwarg}={text}` is a lambda evaluated in its own module"
                )
            }
            NotVisible { kwarg, text, names } => write!(
                f,
                "`{kwarg}={text}` uses {} which the target class cannot see",
                names.join(", ")
            ),
            NotAString { text } => write!(f, "`{text}` cannot be written as a string"),
            ComputedString { kwarg, text } => write!(
                f,
                "`{kwarg}={text}` computes a string at run time; it cannot be moved as one"
            ),
            NotNameable { kwarg, text, name } => write!(
                f,
                "`{kwarg}={text}` uses `{name}`, which the target class cannot see and SQLAlchemy's registry cannot name"
            ),
            NotOneLine { text } => write!(f, "`{text}` cannot be written on one line"),
            MixedQuotes { text } => write!(f, "`{text}` mixes both quote characters"),
            RemoteNotSwappable { text } => write!(
                f,
                "cannot move the remote() annotations of `{text}` to the other side"
            ),
            DifferentRegistries { source, target } => write!(
                f,
                "`{source}` and `{target}` belong to different registries; a string target cannot name the other"
            ),
            NoFlaskInstance => {
                f.write_str("the target module has no name for the Flask-SQLAlchemy instance, whose query class a dynamic relationship needs")
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
            NotAsciiName { name } => write!(
                f,
                "backref name `{name}` is not ASCII: Python reads a name written in code in its NFKC form, which may not be the attribute the backref creates"
            ),
            HelperKeyword { name, helper } => write!(
                f,
                "backref name `{name}` cannot be a keyword argument of `{helper}()` (a Python keyword, a dunder name, or the function's own parameter)"
            ),
            PythonKeyword { name } => write!(
                f,
                "backref name `{name}` is a Python keyword; it cannot be declared in a class body"
            ),
            ReservedName { name } => {
                if name.len() > 4 && name.starts_with("__") && name.ends_with("__") {
                    write!(
                        f,
                        "`{name}` cannot be a mapped attribute: declarative classes skip dunder names"
                    )
                } else if name.starts_with("__") {
                    write!(
                        f,
                        "`{name}` cannot be declared in a class body: Python renames a name that starts with two underscores there (to `_<Class>{name}`)"
                    )
                } else if name.starts_with("_sa_") {
                    write!(
                        f,
                        "`{name}` is reserved: SQLAlchemy's instrumentation uses the `_sa_` prefix"
                    )
                } else {
                    write!(
                        f,
                        "`{name}` is reserved by SQLAlchemy's declarative classes"
                    )
                }
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
            FamilyUnproven { callee, why } => write!(
                f,
                "`{callee}` is a wrapper family's, but the reverse is not shown to get the defaults its backref got: {why}"
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
            Site(SiteContext::ClassBodyCall { wrapper }) => write!(
                f,
                "a relationship passed to `{wrapper}()` in a class body is not migrated: it is not shown to return it (`identity-wrappers` declares functions that do)"
            ),
            AssignedRebound { class, attr } => write!(
                f,
                "`{class}.{attr}` is assigned again in the module (a chained assignment, `setattr`), or `setattr` sets an attribute of the class; the backref may never be created"
            ),
            ForwardRebound { attr } => write!(
                f,
                "the class body deletes `{attr}` or binds it again after the relationship; the backref may never be created"
            ),
            BranchReversesDiffer { name } => write!(
                f,
                "each branch of this `if` declares the relationship with backref `{name}`, but their backrefs are not written alike or their reverses differ; one reverse cannot stand for all"
            ),
            Site(SiteContext::ClassBodyBlock { statement }) => write!(
                f,
                "a relationship inside `{statement}` in a class body is not migrated (the reverse would have to be declared under the same condition)"
            ),
            Site(SiteContext::Call { callee }) => write!(
                f,
                "a relationship passed to `{callee}()` is not migrated: it is not shown to pass it to mapper() as a property"
            ),
            Site(SiteContext::ModuleBlock) => f.write_str(
                "a relationship assigned to a class inside a compound statement of the module (`if`, `try`, ...) is not migrated (the reverse would have to be assigned under the same condition)",
            ),
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
            MappedUnderOtherCondition { class } => write!(
                f,
                "`{class}` is mapped under another condition than the backref's mapping: the reverse would not exist exactly when the backref does"
            ),
            MappingNotOnOwnLine { class } => write!(
                f,
                "the mapping of `{class}` shares its line with other code: the reverse cannot be added right after it"
            ),
            BodyOnHeaderLine { class } => {
                write!(f, "class `{class}` has its body on the header line")
            }
            Overlap => f.write_str("the migration overlaps another change in the same place"),
            BrokenResult => f.write_str("the migrated file would not parse; left unchanged"),
            Verify(finding) => write!(f, "{finding}"),
            SyntaxError => f.write_str("syntax error; backrefs in this file are left unmigrated"),
            NotUtf8 => f.write_str("file is not valid UTF-8; skipped"),
            SelfCheck { why } => write!(f, "self-check failed: {why}; left unmigrated"),
            ForSubclass { class, inner } => write!(f, "for `{class}` (declared_attr): {inner}"),
            FromStdinOnly(inner) => write!(
                f,
                "{inner} (from standard input only this source is migrated; run backpop on the tree for pairings across files)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_line_value_is_shown_on_one_line_abbreviated() {
        let r = Refusal::NotOneLine {
            text: "[\n    Post.created_at.desc(),\n    Post.id,\n]".into(),
        };
        assert_eq!(
            r.to_string(),
            "`[ Post.created_at.desc(), Post.id, ]` cannot be written on one line"
        );
        let long = format!(
            "[\n{}]",
            "    Post.some_rather_long_column_name,\n".repeat(4)
        );
        let shown = Refusal::NotOneLine { text: long }.to_string();
        assert!(!shown.contains('\n'));
        assert!(
            shown.starts_with("`[ Post.some_rather_long_column_name, Post.some_rather_long_…`")
        );
    }

    #[test]
    fn comments_of_a_multi_line_value_are_left_out() {
        let r = Refusal::NotOneLine {
            text:
                "[  # newest first\n    Post.id,  # '#' is no comment here: \"#\"\n    \"#tag\",\n]"
                    .into(),
        };
        assert_eq!(
            r.to_string(),
            "`[ Post.id, \"#tag\", ]` cannot be written on one line"
        );
    }

    #[test]
    fn a_hanging_continuation_is_shown_without_its_marker() {
        let r = Refusal::RemoteNotSwappable {
            text: "and_(\n\u{0}remote(T.c.a)\n\u{0}== f(T.c.b),\n)".into(),
        };
        assert_eq!(
            r.to_string(),
            "cannot move the remote() annotations of `and_( remote(T.c.a) == f(T.c.b), )` to the other side"
        );
    }

    #[test]
    fn a_reserved_name_says_why() {
        let why = |name: &str| Refusal::ReservedName { name: name.into() }.to_string();
        assert!(why("__secret").contains("Python renames"));
        assert!(why("__weird__").contains("skip dunder names"));
        assert!(why("_sa_state").contains("`_sa_` prefix"));
        assert!(why("metadata").contains("reserved by SQLAlchemy's declarative classes"));
    }
}
