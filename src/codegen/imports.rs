//! The text of import statements, in the module's own spelling: a name is
//! added to an existing `from` statement of its module when there is one
//! (kept in isort's order when it was in order, parenthesised when it was or
//! when the line gets too long), else written on a new line; `TYPE_CHECKING`
//! imports go in an `if TYPE_CHECKING:` block. It decides nothing: which
//! names a module needs, which imports became unused and where a new line
//! goes belong to the applier ([`crate::apply`]); the name the new code uses
//! (an alias when the plain name is taken) is chosen by the planner when it
//! records the [`Need`].

use crate::expr::Need;
use crate::facts::ImportFact;

use super::Style;

/// How a module gets a name it needs imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addition {
    /// One more item (`name` or `name as alias`) for the existing `from`
    /// statement that starts at `stmt`.
    Extend { stmt: usize, item: String },
    /// An item of a new `from module import ...` line; the items of one
    /// module share a line (see [`from_line`]).
    From { module: String, item: String },
    /// A new `import module [as alias]` line, line ending included.
    Line(String),
    /// A `from module import name` line for the `if TYPE_CHECKING:` block,
    /// without indentation or line ending.
    TypeChecking(String),
}

/// Get the `from` statement of `module` that the name can join, or add a
/// line: the text that imports what `need` asks for (bound to the name
/// `need` gives) into a module with `imports` and text `source`. A `from`
/// statement with a comment, a star import or one below the top level is
/// never extended.
pub fn get_or_add(source: &str, imports: &[ImportFact], need: &Need, nl: &str) -> Addition {
    match need {
        Need::From {
            module,
            name,
            alias,
        } => {
            let item = if name == alias {
                name.clone()
            } else {
                format!("{name} as {alias}")
            };
            let existing = imports.iter().find(|i| {
                i.top_level
                    && !i.type_checking
                    && i.name.is_some()
                    && i.module == *module
                    && !source[i.stmt_range.clone()].contains('#')
                    && i.name.as_deref().is_none_or(|n| n != "*")
            });
            match existing {
                Some(i) => Addition::Extend {
                    stmt: i.stmt_range.start,
                    item,
                },
                None => Addition::From {
                    module: module.clone(),
                    item,
                },
            }
        }
        Need::Import { module, alias } => {
            let last = module.rsplit('.').next().unwrap_or(module);
            Addition::Line(
                if alias == module || (alias == last && !module.contains('.')) {
                    format!("import {module}{nl}")
                } else {
                    format!("import {module} as {alias}{nl}")
                },
            )
        }
        Need::TypeChecking { module, name } => {
            Addition::TypeChecking(format!("from {module} import {name}"))
        }
    }
}

/// The new text of the import statement whose names are `stmt` (all from
/// one statement), without the names bound as in `drop` and with the items
/// `add`: a new item goes in isort's place when the names were in isort's
/// order, else at the end. `None` when no name is left: the statement goes.
pub fn rewritten_statement(
    stmt: &[&ImportFact],
    drop: &[String],
    add: &[String],
    style: &Style,
) -> Option<String> {
    let first = stmt.first()?;
    let mut items: Vec<String> = stmt
        .iter()
        .filter(|i| !drop.contains(&i.bound))
        .map(|i| match &i.name {
            Some(n) if *n != i.bound => format!("{n} as {}", i.bound),
            Some(n) => n.clone(),
            None if i.module.split('.').next() == Some(i.bound.as_str()) => i.module.clone(),
            None => format!("{} as {}", i.module, i.bound),
        })
        .collect();
    let sorted = items
        .windows(2)
        .all(|w| isort_key(&w[0]) <= isort_key(&w[1]));
    for a in add {
        if items.contains(a) {
            continue;
        }
        match items.iter().position(|i| isort_key(i) > isort_key(a)) {
            Some(at) if sorted => items.insert(at, a.clone()),
            _ => items.push(a.clone()),
        }
    }
    if items.is_empty() {
        return None;
    }
    if first.name.is_none() {
        return Some(format!("import {}", items.join(", ")));
    }
    let flat = format!("from {} import {}", first.module, items.join(", "));
    if !first.parenthesized && flat.chars().count() <= style.line_length {
        return Some(flat);
    }
    let nl = style.line_ending;
    let mut text = format!("from {} import ({nl}", first.module);
    for it in &items {
        text.push_str(&format!("{}{it},{nl}", style.indent));
    }
    text.push(')');
    Some(text)
}

/// A new `from module import ...` line with `items` in isort's order, line
/// ending included.
pub fn from_line(module: &str, mut items: Vec<String>, nl: &str) -> String {
    items.sort_by_key(|i| isort_key(i));
    items.dedup();
    format!("from {module} import {}{nl}", items.join(", "))
}

/// New import lines put in front of the line `next`: a standard-library line
/// before a third-party one keeps isort's blank line between the sections.
pub fn section_text(mut lines: String, next: &str, nl: &str) -> String {
    let lines_top = top_package(&lines);
    if is_stdlib(lines_top) && !is_stdlib(top_package(next)) && !next.trim().is_empty() {
        lines.push_str(nl);
    }
    lines
}

/// The top-level package an import line imports from (`sqlalchemy` for
/// `from sqlalchemy.orm import relationship`); empty when there is none.
fn top_package(line: &str) -> &str {
    line.split_whitespace()
        .nth(1)
        .and_then(|m| m.split('.').next())
        .unwrap_or("")
}

/// Lines added to an existing `if TYPE_CHECKING:` block whose body is
/// indented by `indent`.
pub fn type_checking_lines(lines: &[String], indent: &str, nl: &str) -> String {
    lines.iter().map(|l| format!("{indent}{l}{nl}")).collect()
}

/// A new `if TYPE_CHECKING:` block holding `lines`, after a blank line.
pub fn type_checking_block(lines: &[String], unit: &str, nl: &str) -> String {
    let mut block = format!("{nl}if TYPE_CHECKING:{nl}");
    for l in lines {
        block.push_str(&format!("{unit}{l}{nl}"));
    }
    block
}

/// isort's default order within a `from` import: CONSTANTS, Classes, functions.
fn isort_key(item: &str) -> (u8, String) {
    let name = item.split_whitespace().next().unwrap_or(item);
    let kind = if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
        0
    } else if name.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (kind, name.to_string())
}

/// Standard-library modules commonly imported next to models.
const STDLIB: &[&str] = &[
    "__future__",
    "abc",
    "collections",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "itertools",
    "json",
    "logging",
    "os",
    "re",
    "sys",
    "typing",
    "uuid",
];

/// Whether a top-level package belongs in isort's standard-library section
/// (as far as models import it).
pub fn is_stdlib(top: &str) -> bool {
    STDLIB.contains(&top)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts of `from module import a, b as c` (or `import a, b` when
    /// `module` is `None`) written at the start of the file.
    fn statement(
        module: Option<&str>,
        names: &[(&str, &str)],
        len: usize,
        parenthesized: bool,
    ) -> Vec<ImportFact> {
        names
            .iter()
            .map(|(name, bound)| ImportFact {
                module: module.unwrap_or(name).to_string(),
                name: module.map(|_| name.to_string()),
                bound: bound.to_string(),
                stmt_range: 0..len,
                top_level: true,
                type_checking: false,
                parenthesized,
                scope: 0,
            })
            .collect()
    }

    fn from(module: &str, name: &str, alias: &str) -> Need {
        Need::From {
            module: module.into(),
            name: name.into(),
            alias: alias.into(),
        }
    }

    fn rewritten(
        stmt: &[ImportFact],
        drop: &[&str],
        add: &[&str],
        style: &Style,
    ) -> Option<String> {
        let stmt: Vec<&ImportFact> = stmt.iter().collect();
        let drop: Vec<String> = drop.iter().map(|s| s.to_string()).collect();
        let add: Vec<String> = add.iter().map(|s| s.to_string()).collect();
        rewritten_statement(&stmt, &drop, &add, style)
    }

    #[test]
    fn a_new_from_import() {
        let need = from("sqlalchemy.orm", "relationship", "relationship");
        assert_eq!(
            get_or_add("x = 1\n", &[], &need, "\n"),
            Addition::From {
                module: "sqlalchemy.orm".into(),
                item: "relationship".into()
            }
        );
        // One line per module, in isort's order: CONSTANTS, Classes, functions.
        let items = ["relationship", "Mapped", "TYPE_CHECKING", "Mapped"].map(String::from);
        assert_eq!(
            from_line("sqlalchemy.orm", items.to_vec(), "\r\n"),
            "from sqlalchemy.orm import TYPE_CHECKING, Mapped, relationship\r\n"
        );
    }

    #[test]
    fn a_name_joins_the_from_import_of_its_module() {
        let source = "from sqlalchemy.orm import Mapped, mapped_column\n";
        let stmt = statement(
            Some("sqlalchemy.orm"),
            &[("Mapped", "Mapped"), ("mapped_column", "mapped_column")],
            source.len() - 1,
            false,
        );
        let need = from("sqlalchemy.orm", "relationship", "relationship");
        assert_eq!(
            get_or_add(source, &stmt, &need, "\n"),
            Addition::Extend {
                stmt: 0,
                item: "relationship".into()
            }
        );
        let style = Style::measure(source);
        assert_eq!(
            rewritten(&stmt, &[], &["relationship", "DynamicMapped"], &style).as_deref(),
            Some("from sqlalchemy.orm import DynamicMapped, Mapped, mapped_column, relationship")
        );
        // Names out of isort's order: new ones go at the end.
        let unsorted = statement(
            Some("sqlalchemy.orm"),
            &[("relationship", "relationship"), ("Mapped", "Mapped")],
            40,
            false,
        );
        assert_eq!(
            rewritten(&unsorted, &[], &["DynamicMapped"], &style).as_deref(),
            Some("from sqlalchemy.orm import relationship, Mapped, DynamicMapped")
        );
        // A name already there is not added twice; one dropped goes.
        assert_eq!(
            rewritten(&stmt, &["mapped_column"], &["Mapped"], &style).as_deref(),
            Some("from sqlalchemy.orm import Mapped")
        );
        assert_eq!(
            rewritten(&stmt, &["Mapped", "mapped_column"], &[], &style),
            None
        );
    }

    #[test]
    fn a_parenthesised_or_long_from_import_has_one_name_per_line() {
        let style = Style::measure("x = 1\r\n");
        let stmt = statement(Some("sqlalchemy.orm"), &[("Mapped", "Mapped")], 40, true);
        assert_eq!(
            rewritten(&stmt, &[], &["relationship"], &style).as_deref(),
            Some("from sqlalchemy.orm import (\r\n    Mapped,\r\n    relationship,\r\n)")
        );
        let narrow = Style {
            line_length: 40,
            ..style
        };
        let stmt = statement(Some("sqlalchemy.orm"), &[("Mapped", "Mapped")], 40, false);
        assert_eq!(
            rewritten(&stmt, &[], &["relationship"], &narrow).as_deref(),
            Some("from sqlalchemy.orm import (\r\n    Mapped,\r\n    relationship,\r\n)")
        );
    }

    #[test]
    fn aliases_are_written_as_the_planner_chose_them() {
        // `relationship` is taken in the module: the planner asks for an alias.
        let need = from("sqlalchemy.orm", "relationship", "sa_relationship");
        assert_eq!(
            get_or_add("", &[], &need, "\n"),
            Addition::From {
                module: "sqlalchemy.orm".into(),
                item: "relationship as sa_relationship".into()
            }
        );
        // Existing aliases are kept when the statement is rewritten.
        let stmt = statement(Some("sqlalchemy"), &[("orm", "sa_orm")], 30, false);
        assert_eq!(
            rewritten(&stmt, &[], &["Column"], &Style::measure("")).as_deref(),
            Some("from sqlalchemy import Column, orm as sa_orm")
        );
        let plain = statement(
            None,
            &[("os", "os"), ("os.path", "os"), ("json", "js")],
            30,
            false,
        );
        assert_eq!(
            rewritten(&plain, &[], &[], &Style::measure("")).as_deref(),
            Some("import os, os.path, json as js")
        );
        let import = |module: &str, alias: &str| {
            let need = Need::Import {
                module: module.into(),
                alias: alias.into(),
            };
            get_or_add("", &[], &need, "\n")
        };
        assert_eq!(
            import("sqlalchemy", "sqlalchemy"),
            Addition::Line("import sqlalchemy\n".into())
        );
        assert_eq!(
            import("sqlalchemy.orm", "sqlalchemy.orm"),
            Addition::Line("import sqlalchemy.orm\n".into())
        );
        assert_eq!(
            import("sqlalchemy", "sa"),
            Addition::Line("import sqlalchemy as sa\n".into())
        );
        assert_eq!(
            import("sqlalchemy.orm", "orm"),
            Addition::Line("import sqlalchemy.orm as orm\n".into())
        );
    }

    #[test]
    fn statements_with_comments_or_stars_are_not_extended() {
        let source = "from app.models import *  # noqa\n";
        let stmt = statement(Some("app.models"), &[("*", "*")], source.len() - 1, false);
        let need = from("app.models", "User", "User");
        assert!(matches!(
            get_or_add(source, &stmt, &need, "\n"),
            Addition::From { .. }
        ));
    }

    #[test]
    fn type_checking_imports_and_sections() {
        let need = Need::TypeChecking {
            module: "app.models".into(),
            name: "User".into(),
        };
        let Addition::TypeChecking(line) = get_or_add("", &[], &need, "\n") else {
            panic!("a TYPE_CHECKING line")
        };
        assert_eq!(line, "from app.models import User");
        let lines = [line];
        assert_eq!(
            type_checking_block(&lines, "    ", "\n"),
            "\nif TYPE_CHECKING:\n    from app.models import User\n"
        );
        assert_eq!(
            type_checking_lines(&lines, "\t", "\n"),
            "\tfrom app.models import User\n"
        );
        // A standard-library line before a third-party section keeps a blank line.
        let typing = "from typing import TYPE_CHECKING\n".to_string();
        assert_eq!(
            section_text(typing.clone(), "from sqlalchemy import Column", "\n"),
            "from typing import TYPE_CHECKING\n\n"
        );
        assert_eq!(section_text(typing.clone(), "import os", "\n"), typing);
        assert_eq!(section_text(typing.clone(), "", "\n"), typing);
    }
}
