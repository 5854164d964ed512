//! Moving an expression from the class that wrote it into another class.
//!
//! A keyword value written in `class Address` is evaluated there: `id` means
//! `Address.id`, `post_tags` is a global of Address's module. Pasted into
//! `class User` the same text can mean something else or nothing at all. This
//! module decides, name by name, whether the text stays valid verbatim in the
//! destination, can be rewritten as a string that SQLAlchemy's registry
//! evaluates the same way everywhere, or cannot be moved (the pairing is then
//! refused). It never writes files; imports it needs are returned as [`Need`]s.
//!
//! [`move_value`] is the entry; what a name means on each side is `names`,
//! the registry-string rewrite is `registry`, the layout of the moved text is
//! `text`, and the `remote()` swap of a copied join condition is `remote`.

use std::collections::BTreeSet;

use crate::facts::{Expr, ExprKind};
use crate::index::{ClassId, Index};

mod class_name;
mod names;
mod registry;
mod remote;
mod text;

pub use remote::swap_remote_in;
pub use text::collapse_lines;

use crate::refusal::Refusal;
use names::verbatim_ok;
use registry::to_registry_string;
use text::{quote, relative_lines};

/// Keywords whose string values SQLAlchemy evaluates in the registry namespace.
pub const STRING_EVALUATED: &[&str] = &[
    "primaryjoin",
    "secondaryjoin",
    "order_by",
    "remote_side",
    "foreign_keys",
    "secondary",
];

/// An import the destination module must have.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// `from module import name [as alias]`
    From {
        module: String,
        name: String,
        alias: String,
    },
    /// `import module [as alias]`
    Import { module: String, alias: String },
    /// `from module import name` under `if TYPE_CHECKING:` (for annotations only).
    TypeChecking { module: String, name: String },
}

/// Where the expression was written.
pub struct Source {
    pub file: usize,
    /// Function scope of the statement (0: the module).
    pub scope: usize,
    pub class: Option<ClassId>,
    /// Offset of the statement that holds the expression.
    pub at: usize,
    /// A name that stands for a class here: the `cls` of a `declared_attr`
    /// run for that class.
    pub alias: Option<(String, ClassId)>,
}

/// Where the moved expression will be evaluated.
pub struct Dest {
    pub file: usize,
    pub scope: usize,
    /// The class body the value goes into; `None` for an imperative mapping call.
    pub class: Option<ClassId>,
    /// Where the value is evaluated: the class statement, or the mapping call.
    pub at: usize,
    pub insert_at: usize,
    /// The attribute being declared: the name is a class-local from then on.
    pub new_name: String,
    /// The quote character the destination module prefers.
    pub quote: char,
}

/// Move a keyword value. Returns the text to write in the destination.
pub fn move_value(
    ix: &Index,
    kw: &str,
    value: &Expr,
    src: &Source,
    dst: &Dest,
    needs: &mut BTreeSet<Need>,
) -> Result<String, Refusal> {
    let source = &ix.files[src.file].source;
    // The value as written, when every name it uses means the same at the
    // destination (with the imports that takes).
    let verbatim = |needs: &mut BTreeSet<Need>| {
        let mut local_needs = BTreeSet::new();
        let ok = value
            .names
            .iter()
            .all(|n| verbatim_ok(ix, src, dst, n, &mut local_needs));
        ok.then(|| {
            needs.extend(local_needs);
            relative_lines(source, value)
        })
    };
    // A string made from the name of the class a declared_attr runs for: its
    // value for that class.
    if let Some((alias, class)) = &src.alias
        && let Some(text) =
            class_name::class_name_string(&value.text, alias, &ix.class(*class).name)
    {
        return quote(&text, dst.quote);
    }
    match &value.kind {
        ExprKind::Str(_) | ExprKind::OpaqueStr | ExprKind::Constant => {
            return Ok(relative_lines(source, value));
        }
        ExprKind::Lambda(body) => {
            // An imperative mapping's reverse is written where the lambda's
            // names are seen as they are at the forward: the lambda is kept,
            // as SQLAlchemy calls it (a classical mapper of 1.3 evaluates no
            // strings at all).
            if dst.class.is_none() {
                if let Some(text) = verbatim(needs) {
                    return Ok(text);
                }
                return Err(Refusal::LambdaElsewhere {
                    kwarg: kw.to_string(),
                    text: value.text.clone(),
                });
            }
            if STRING_EVALUATED.contains(&kw) {
                let inner = to_registry_string(ix, kw, body, src)?;
                return quote(&inner, dst.quote);
            }
            return Err(Refusal::LambdaElsewhere {
                kwarg: kw.to_string(),
                text: value.text.clone(),
            });
        }
        ExprKind::Other => {}
    }
    if let Some(text) = verbatim(needs) {
        return Ok(text);
    }
    if STRING_EVALUATED.contains(&kw) {
        let inner = to_registry_string(ix, kw, value, src)?;
        return quote(&inner, dst.quote);
    }
    let bad: Vec<String> = value
        .names
        .iter()
        .filter(|n| !verbatim_ok(ix, src, dst, n, &mut BTreeSet::new()))
        .map(|n| n.dotted.join("."))
        .collect();
    Err(Refusal::NotVisible {
        kwarg: kw.to_string(),
        text: value.text.clone(),
        names: bad,
    })
}
