//! backpop: migrate SQLAlchemy `relationship(..., backref=...)` to explicit
//! `back_populates` on both sides.
//!
//! The pipeline, one module per stage, driven by [`run()`]:
//!
//! ```text
//! discover    discover, config     the files to work on, the settings of each
//! load        workspace, select    read and byte-scan every file, by FileId
//! extract     syntax -> facts      parse what mentions `backref` (more on demand)
//! index       index                names, registries, inheritance, across the tree
//! plan        plan, expr, codegen  one fix per pairing, or a refusal (diagnostics)
//! apply       apply                splice edits per file, withdraw conflicting fixes
//! check       check                verify every pairing again on the new text
//! verify      verify               --verify: import both trees with the user's
//!                                  Python and compare the mappers (opt-in)
//! write       write                atomic writes, or nothing (diff, check)
//! report      report, inventory    the Outcome, as data
//! print       print                all text: diff, formats, listing, summary
//! ```
//!
//! The exit status is decided by the command (`main.rs`) from the
//! [`Outcome`]. The command-line tool is the product; the stages are public
//! so they can be tested and reused. Extracting the facts of one file:
//!
//! ```
//! use backpop::facts::BackrefName;
//!
//! let source = "class User(Base):\n    posts = relationship('Post', backref='author')\n";
//! let facts = backpop::syntax::extract("models.py".into(), source.to_string(), false);
//! let rel = &facts.relationships[0];
//! assert_eq!(rel.attr, "posts");
//! assert_eq!(rel.backref.as_ref().unwrap().name, BackrefName::Literal("author".into()));
//! ```

// discover, load
pub mod config;
pub mod discover;
pub mod select;
pub mod workspace;
// extract, index
pub mod facts;
pub mod index;
pub mod syntax;
// plan, apply, check
pub mod apply;
pub mod check;
pub mod codegen;
pub mod diagnostics;
pub mod expr;
pub mod guard;
pub mod plan;
pub mod refusal;
pub mod verify;
// write, report, print
pub mod explain;
pub mod inventory;
pub mod print;
pub mod report;
pub mod write;

pub use run::{Mode, Options, Outcome, run};
mod run;
