//! backpop: migrate SQLAlchemy `relationship(..., backref=...)` to explicit
//! `back_populates` on both sides.
//!
//! The pipeline, one module per stage:
//! discover files → extract facts per file (parallel) → index the tree →
//! plan one fix per pairing → apply (withdraw conflicting fixes, settle imports)
//! → render a diff or write files → report.
//!
//! The command-line tool is the product; the stages are public so they can be
//! tested and reused. Extracting the facts of one file:
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

pub mod apply;
pub mod check;
pub mod codegen;
pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod explain;
pub mod expr;
pub mod facts;
pub mod guard;
pub mod index;
pub mod inventory;
pub mod output;
pub mod plan;
pub mod refusal;
pub mod report;
pub mod select;
pub mod syntax;
pub mod write;

pub use run::{Mode, Options, Outcome, run};
mod run;
