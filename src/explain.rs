//! `backpop explain BPxxx`: what a diagnostic means, why backpop refuses, and
//! how to finish the migration by hand.

use crate::diagnostics::Code;

/// The explanation of `code`, as printed by `backpop explain`.
pub fn explain(code: Code) -> String {
    let (title, meaning, why, fix) = text(code);
    format!(
        "{code}: {title}\n\nWhat it means\n{}\n\nWhy backpop leaves it\n{}\n\nHow to migrate it by hand\n{}\n",
        wrap(meaning),
        wrap(why),
        wrap(fix)
    )
}

/// The code named by `text` (`BP003`, `bp3`, `3`), if any.
pub fn parse_code(text: &str) -> Option<Code> {
    let t = text.trim();
    let digits = t
        .strip_prefix("BP")
        .or_else(|| t.strip_prefix("bp"))
        .unwrap_or(t);
    let n: usize = digits.parse().ok()?;
    Code::ALL
        .into_iter()
        .find(|c| c.as_str()[2..].parse() == Ok(n))
}

/// One-line titles, for listings (SARIF rules, `explain` with no code).
pub fn title(code: Code) -> &'static str {
    text(code).0
}

/// Paragraphs separated by blank lines, each indented by two spaces.
fn wrap(text: &str) -> String {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| format!("  {}", l.trim()))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

// Long: one entry per code, kept together so that the explanations read as one table.
fn text(code: Code) -> (&'static str, &'static str, &'static str, &'static str) {
    match code {
        Code::UnresolvedTarget => (
            "the target class is not defined in the given paths",
            "The relationship's target (`relationship(\"Address\", backref=...)`) names a class
             that backpop cannot find among the files it was given, or finds only in a `.pyi`
             stub. Or a class made at run time (`Tag = make_model(...)`) is not shown to be a
             declarative class: its factory does more than return `type(name, (bases),
             namespace)`, a base is not a declarative base, its name or namespace is not a
             literal, it is bound twice or after the relationship that names it.",
            "The reverse relationship has to be written into the target class. A class outside
             the given paths (another repository, an installed package, a class built at run
             time) cannot be edited, and guessing which class the name means could create the
             attribute on the wrong one.",
            "Run backpop on a tree that contains the target's module (the whole repository,
             or several services of a monorepo at once). If the target is in a package you do
             not own, keep the backref: `back_populates` needs code on both sides. For a class
             made at run time, write its factory as a single `return type(...)` with a literal
             namespace, or write the reverse by hand as `Target.attr = relationship(...)`.",
        ),
        Code::AmbiguousTarget => (
            "several classes could be the target",
            "The target name matches classes in several modules that share a declarative
             registry (or several services that reuse a module name), and nothing in the
             source file says which one SQLAlchemy would pick.",
            "SQLAlchemy resolves a registry string at configure time; when two classes of one
             registry have the same name it fails or picks by module path. Writing the reverse
             into one of them is a guess.",
            "Name the target unambiguously: a module-qualified string
             (`relationship(\"app.billing.models.Invoice\", backref=...)`) or the class itself,
             imported. Then run backpop again.",
        ),
        Code::NameExists => (
            "the target class already has an attribute of that name",
            "The backref would create an attribute (say `Post.author`) that the target class,
             one of its bases or one of its subclasses already defines: a column, a method, a
             property, another relationship. (A `name = None` placeholder in the target class
             itself is replaced by the reverse, unless the class body reads it, it is
             conditional, or the class is a dataclass.)",
            "Today the backref either overrides that attribute or is overridden by it when the
             mappers configure, depending on the class hierarchy; an explicit reverse written
             next to the existing attribute would change which one wins, or fail.",
            "Decide which attribute should exist. Rename the backref (and its users) or the
             existing attribute, check the application's behaviour, then run backpop again.",
        ),
        Code::DuplicateBackref => (
            "two backrefs create the same attribute on one class",
            "Two relationships (often in different modules) both say `backref=\"owner\"` onto the
             same class, or onto two classes of one hierarchy.",
            "At configure time the second backref fails or replaces the first; which one wins
             depends on import order. Migrating either would pick a winner silently.",
            "Give the backrefs distinct names (or drop one), then run backpop again.",
        ),
        Code::DynamicName => (
            "the backref name is computed at run time",
            "The name passed to `backref=` comes from a function call, a variable assigned in
             several places, or a `declared_attr.cascading`: something backpop cannot evaluate
             without running the code.",
            "The reverse is a class attribute: its name must be known when the file is
             written. backpop evaluates literals, f-strings, `%`, `.format()`, `cls.__name__`,
             `cls.__tablename__` and string class attributes in a `declared_attr`; anything
             else would be a guess.",
            "Replace the computed name with a literal (or with one of the forms above), or
             write the reverse by hand in every class that receives it, with `back_populates`
             on both sides.",
        ),
        Code::UnmovableExpression => (
            "an argument cannot be moved into the target class with the same meaning",
            "An argument the reverse must carry (`order_by=`, `primaryjoin=`, `remote_side=`,
             a `backref(...)` keyword) uses a name that is not visible, or means something
             else, in the target's module: a local variable, a helper function, a name the
             target module binds differently.",
            "The reverse is evaluated in the target class. backpop rewrites class references
             as registry strings and adds imports for module-level names, but it will not
             change what an expression means.",
            "Make the expression movable: use a registry string (`order_by=\"Post.created\"`),
             a lambda, or a module-level name the target module can import. Then run backpop
             again, or write the reverse by hand.",
        ),
        Code::ReservedName => (
            "the backref name cannot be declared in a class body",
            "The name is reserved by SQLAlchemy's declarative classes (`metadata`, `registry`),
             is a Python keyword (`as`) that a class body cannot assign, is not ASCII (Python
             reads a name in code in its NFKC form: `ﬁles` is `files`), or cannot be a keyword
             argument of a mapping helper's call (a keyword, a dunder name, the helper's own
             parameter).",
            "A backref creates the attribute with `setattr` when the mappers configure; an
             explicit reverse must be written as `name = relationship(...)` in the class body,
             which declarative rejects or Python cannot parse.",
            "Rename the backref. With an imperative mapping, a keyword name can go in the
             `properties` dictionary (backpop does that).",
        ),
        Code::SyntaxError => (
            "the file does not parse",
            "The file has a syntax error, a construct only Python 2 accepts (`print x`,
             `except E, e`, `0777`, backticks), or bytes that are not UTF-8.",
            "backpop edits files it understands completely; a file it cannot parse is left
             byte for byte as it is, and its backrefs are not migrated.",
            "Fix the syntax (or convert the file to Python 3 and UTF-8), then run backpop
             again.",
        ),
        Code::Unsupported => (
            "a form backpop does not migrate",
            "The relationship is built in a way backpop does not handle, for a reason that
             has no code of its own. Earlier versions reported more reasons under BP009; each
             now has its own code: BP014 (a callee not recognised as SQLAlchemy's), BP015
             (arguments that cannot be read statically), BP016 (a target that is not a class
             name), BP017 (a class that is not declaratively mapped), BP018 (a relationship
             outside a class body or mapping), BP019 (no imperative mapping to join), BP020 (a
             dataclass annotation that cannot be written), BP021 (a class body on its header
             line), BP022 (overlapping changes) and BP023 (a result that would not parse). A
             `# backpop: ignore[BP009]` comment still suppresses all of them.",
            "For these forms backpop cannot prove that the migrated model configures exactly
             like the original, so it does not change them.",
            "Write the reverse relationship by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::UnrecognisedCall => (
            "a call not recognised as SQLAlchemy's relationship(), backref() or mapping",
            "The call that carries the backref (or its `backref(...)` value, or the mapping
             it sits in) does not resolve to SQLAlchemy's `relationship()`, `backref()` or an
             imperative mapping (`mapper()`, `registry.map_imperatively()`): a project helper,
             a name bound to something else, an attribute of an object. Or the call is one
             of a `wrapper-families` family that is not shown to give the reverse the
             defaults its backref got (the two functions add different defaults, one does
             more than add defaults, a plain string backref under the family's relationship
             that `string-backref` does not cover, a family's backref given to another wrapper).",
            "A project function may pass the backref on, change it or drop it; rewriting
             its arguments as if it were SQLAlchemy's could change what configures.",
            "If the function is a thin wrapper that passes its arguments to SQLAlchemy
             unchanged, declare it with `extra-relationship-names` or `extra-backref-names` in
             `[tool.backpop]` and run again; if it is one of a pair that adds the same
             defaults to relationships and backrefs, declare the pair in `wrapper-families`. Otherwise write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::UnreadableArguments => (
            "the relationship's arguments cannot be read statically",
            "The relationship takes `**kwargs`, more than two positional arguments, or its
             `backref(...)` takes arguments backpop cannot read (`backref(\"x\", **opts)`).",
            "The reverse must carry exactly the arguments SQLAlchemy would give it; arguments
             that are only known at run time cannot be carried or checked.",
            "Spell the arguments out as keywords, or write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::TargetNotAClass => (
            "the relationship's target is not a class name",
            "The target is an expression backpop cannot follow to a class (a call, an
             attribute of an object, a mapper), or the relationship has no target, or its
             `Mapped[...]` annotation does not name a class backpop understands.",
            "The reverse is written into the target class; without knowing that class
             statically there is nowhere to write it.",
            "Name the target class (`relationship(\"Address\", ...)`) or write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::UnmappedClass => (
            "the source or target class is not declaratively mapped",
            "The target class is `__abstract__`, the declarative base itself, a mixin or a
             class mapped imperatively; or the relationship is written in such a class and
             copied to each mapped subclass.",
            "A reverse declared in a class that is not mapped is not a relationship of any
             mapper, and one relationship copied to several subclasses would need one reverse
             per subclass pointing at each.",
            "Point the relationship at the mapped class, or write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::UnsupportedSite => (
            "a relationship outside a class body or mapping, or there only on a condition",
            "The `relationship(..., backref=...)` call is built inside a function (classes
             or mappings made at run time), in a `properties` dict backpop does not read as an
             imperative mapping, or elsewhere outside a class body (passed to a helper); or a
             `declared_attr` is written outside a class body. Or it stands in a class body
             only on a condition (an `if` or `try:` block, `... if ... else ...`), or passed
             to another call there (`with_roles(relationship(...))`). An `if`/`elif`/`else`
             chain whose every branch declares the same attribute with the same backref is
             migrated (one branch runs, so one unconditional reverse stands for all) unless
             the branches' reverses differ.",
            "Where the relationship ends up, and on which class, is decided when that code
             runs; backpop cannot find the target class to write the reverse into. A
             relationship that exists only on a condition creates its backref only then: an
             unconditional reverse would name a relationship that may not exist, and the
             mappers would fail to configure. What a call does with the relationship it is
             given is not known.",
            "Write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::ImperativeTarget => (
            "no imperative mapping of the target to add the reverse to",
            "The source is mapped imperatively (`mapper(...)`, `map_imperatively(...)`), and
             the target's mapping is not in the same scope or at the top of a module the
             source's module imports, or its `properties` is a variable or a call backpop
             cannot extend, or the two mappings run under different conditions (`if`), or
             the mapping the reverse would follow shares its line with other code, or the
             two modules import each other and no package `__init__` that imports both
             gives the order of their mappings for certain (a module outside the package
             starts one of its modules).",
            "The reverse of an imperative mapping is an entry of the target's `properties`;
             without a mapping backpop can see and extend, and that runs together with the
             source's, there is no place it would provably be configured.",
            "Add the entry to the target's `properties` by hand, or write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::DataclassAnnotation => (
            "no longer reported: a reverse joins a mapped dataclass unannotated",
            "Earlier versions refused a pairing whose target is a mapped dataclass
             (`MappedAsDataclass`, `@mapped_as_dataclass`) when the reverse's `Mapped[...]`
             annotation could not be written. A reverse now joins a dataclass without an
             annotation, so this code is not reported any more; it stays reserved so that
             suppressions written for it keep their meaning.",
            "An attribute a backref creates is no dataclass field. An annotated reverse
             would become one (of `__init__`, `__repr__`, `__eq__`, `fields()` and
             `asdict()`); an unannotated `relationship()` in the class body stays a class
             attribute, as the backref's was, and SQLAlchemy maps it the same.",
            "Nothing to do.",
        ),
        Code::ClassLayout => (
            "the target class's body is on its header line",
            "The target class is written on one line (`class Tag(Base): __tablename__ =
             \"tag\"`).",
            "The reverse is inserted as a line of the class body; a body on the header line
             has no line to add to without reformatting the class.",
            "Put the class body on its own lines (a formatter does this) and run again, or
             write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::Overlap => (
            "the migration overlaps another change in the same place",
            "Two pairings would change the same text (two reverses inserted where one
             replaces a placeholder, a forward that is also a reverse's place).",
            "Edits that overlap cannot both be applied as planned; applying either alone
             could leave the other half of a pairing behind.",
            "Run backpop again after the other migrations are written: the remaining
             pairing usually migrates then. Otherwise write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::BrokenResult => (
            "the migrated file would not parse",
            "The text the migration produces for a file would not parse as Python; the
             file is left unchanged and its pairings are left unmigrated.",
            "A file that no longer parses no longer imports; backpop never writes one.",
            "Please report the case: it is a form the planner should handle. Meanwhile
             write the reverse by hand in the target class with
             `back_populates=\"<attribute>\"` on both sides, carrying the backref's keyword
             arguments (see the README's table of what the reverse carries).",
        ),
        Code::VerifyDifference => (
            "the models configure differently after the change",
            "`--verify` or `backpop verify` imported the models before and after the change
             with the project's Python, ran `configure_mappers()`, and compared every
             relationship: a field differs (`uselist`, `cascade`, `secondary`, a join
             condition, ...), a relationship or class is missing or new, an import or the
             configuration fails on one side only, or SQLAlchemy warns about something new.",
            "The change does not keep the mappers as they were: code that used the
             relationship behaves differently (a collection became a scalar, a cascade was
             lost). With `--verify --write` nothing is written.",
            "Read the difference: `Post.author: uselist True -> False` names the relationship,
             the field and both values. Fix the side that changed (for a hand migration,
             carry the backref's keyword arguments to the reverse and keep the forward's),
             then verify again. A difference backpop itself produced is a defect: please
             report it.",
        ),
        Code::Unverified => (
            "something could not be verified",
            "A module of the change, or `configure_mappers()`, fails the same way before and
             after the change, so what it defines is not compared; or a changed file cannot
             be imported by a module name.",
            "Verification is proof only for what was imported: a module that never imports
             proves nothing, and passing silently would claim more than was checked.",
            "Make the models importable: `--python` for the project's interpreter,
             `verify-path` for more `sys.path` entries, `verify-setup` (or `--verify-setup`)
             for an app factory or settings the models need, `--import` (or
             `verify-import`) for the modules that define them. To accept a module that
             cannot be imported, pass `--verify-allow-unimported`.",
        ),
        Code::SourceNotImported => (
            "the target's module can be used without the source's",
            "The backref comes from a plugin package or a test module onto a class of a core
             module that does not import it.",
            "With a backref the attribute exists only when the plugin is imported. An explicit
             reverse in the core class would name a class that may never be imported, and the
             mappers would fail to configure in every program that does not load the plugin.",
            "Keep the backref, or move the relationship pair into the plugin (for example with
             a mixin the plugin applies), or make the core module import the plugin's.",
        ),
        Code::BackrefRead => (
            "other code reads the relationship's backref",
            "The relationship is passed to code that reads its `backref` attribute:
             sqlalchemy-utils' `auto_delete_orphans(Entry.tags)`, or a function of the tree
             that reads `rel.backref` (directly or through another function of its module).",
            "With `back_populates` the relationship's `backref` is `None`; that code would fail
             at import or configure time.",
            "Change the reading code to use `back_populates` (or the reverse property), then
             run backpop again; or keep the backref.",
        ),
        Code::Unwritable => (
            "a file the pairing changes cannot be written",
            "With `--write`, one of the files a pairing changes is read-only, in a directory
             where no file can be created, or changed on disk since backpop read it.",
            "A pairing changes two places (the forward and the reverse, often in two files).
             Writing one half would leave models that no longer configure, so neither half is
             written; the run exits 2.",
            "Make the file writable (or let the other process finish), then run
             `backpop --write` again.",
        ),
        Code::SelfCheck => (
            "self-check failed: the migrated code would not configure as before",
            "After planning, backpop reads every file it would change again, as text, and
             verifies each pairing on its own terms: both halves exist on the classes where
             SQLAlchemy put them (for a declared_attr mixin, on every class that runs it),
             each side's `back_populates` names the other and its target is the intended
             class of the same registry (for a type checker and for SQLAlchemy alike),
             every name the new code uses (`relationship`, `Mapped`, `List`, `db`, the
             names of moved values) means at its place what it was meant to, a mapped
             dataclass keeps its `__init__`, a `Mapped[...]` annotation agrees with the
             collection and with the direction the foreign keys prove, and the file
             parses with its imports intact. The message says which of these failed.",
            "The planner produced a migration that this check could not prove: writing it could
             leave models that no longer import or configure, or an annotation that disagrees
             with SQLAlchemy. The pairing is left unmigrated in every file; the others are
             still migrated.",
            "Migrate this relationship by hand (the message says what to watch), and consider
             reporting the case: it is a form the planner should refuse or handle.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained_and_parsed() {
        for code in Code::ALL {
            let text = explain(code);
            assert!(text.starts_with(&format!("{code}: ")));
            assert!(text.contains("How to migrate it by hand"));
            assert_eq!(parse_code(code.as_str()), Some(code));
            assert_eq!(parse_code(&code.as_str().to_lowercase()), Some(code));
        }
        assert_eq!(parse_code("3"), Some(Code::NameExists));
        assert_eq!(parse_code("BP999"), None);
        assert_eq!(parse_code("x"), None);
    }
}
