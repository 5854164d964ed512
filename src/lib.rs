//! backpop: migrate SQLAlchemy `relationship(..., backref=...)` to explicit
//! `back_populates` on both sides.
//!
//! The pipeline, one module per stage:
//! discover files → extract facts per file (parallel) → index the tree →
//! plan one fix per pairing → apply (withdraw conflicting fixes, settle imports)
//! → render a diff or write files → report.

pub mod apply;
pub mod codegen;
pub mod diagnostics;
pub mod discover;
pub mod expr;
pub mod facts;
pub mod index;
pub mod output;
pub mod plan;
pub mod syntax;
pub mod write;

pub use run::{Mode, Options, Outcome, run};
mod run;
