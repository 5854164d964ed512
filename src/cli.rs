//! The command line: the flags and subcommands, as clap reads them.

use std::path::PathBuf;

use backpop::print::{ColorChoice, Format};
use clap::{Parser, Subcommand};

/// Migrate SQLAlchemy `relationship(..., backref=...)` to explicit `back_populates` on both sides.
///
/// By default prints a unified diff of every file it would change and changes nothing.
#[derive(Parser, Debug)]
#[command(
    name = "backpop",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  backpop                          # diff for the current directory
  backpop src/ | git apply -p1     # apply the diff
  backpop --write src/             # rewrite files in place
  backpop --check .                # CI: exit 1 if anything is left to migrate
  backpop --output-format github . # annotations in a GitHub Actions log
  backpop - < models.py            # migrate standard input to standard output
  backpop --list --usages .        # where every implicit attribute comes from and who uses it
  backpop --verify --write src/    # write only if the models configure as before
  backpop verify --base origin/main # prove a hand migration against a revision
  backpop explain BP003            # what a diagnostic means and how to fix it"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    #[command(flatten)]
    pub(crate) run: RunArgs,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Explain a diagnostic code: what it means, why backpop refuses, how to migrate by hand.
    Explain {
        /// The code (BP001 ... BP023); without it, every code with its title.
        code: Option<String>,
    },
    /// Prove a change made by anyone (a hand migration, a pull request): import the
    /// models before and after it with the project's Python, run configure_mappers()
    /// and compare every relationship. This runs the project's code.
    ///
    /// Exit status: 0 the models configure the same, 1 they differ (or something could
    /// not be verified), 2 the verification could not run.
    #[command(after_help = "Examples:
  backpop verify                          # the working tree against HEAD
  backpop verify --base origin/main src/  # a branch's changes under src/
  backpop verify --before old/ --after new/")]
    Verify(VerifyCommand),
    /// Print a completion script for a shell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct RunArgs {
    /// Files or directories to process, or `-` for standard input [default: .]
    pub(crate) paths: Vec<PathBuf>,
    /// Rewrite the files in place.
    #[arg(long, visible_alias = "fix", conflicts_with = "check")]
    pub(crate) write: bool,
    /// Print no diff; exit 1 if anything would change or is left unmigrated.
    #[arg(long)]
    pub(crate) check: bool,
    /// Skip files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Threads for reading and parsing [default: one per core]; the output is
    /// the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub(crate) jobs: Option<std::num::NonZeroUsize>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Full, value_name = "FORMAT")]
    pub(crate) output_format: Format,
    /// Color the diff and the diagnostics (auto: when printing to a terminal,
    /// unless NO_COLOR is set; FORCE_COLOR forces it).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    /// Use this configuration file (a backpop.toml, or a pyproject.toml with
    /// [tool.backpop]) for every file, instead of the closest one to each.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub(crate) isolated: bool,
    /// The name of the source read from standard input, for messages and
    /// for finding its configuration.
    #[arg(long, value_name = "PATH")]
    pub(crate) stdin_filename: Option<PathBuf>,
    /// List every attribute a backref creates implicitly (Post.author <- User.posts),
    /// where it comes from and whether it migrates; change nothing.
    #[arg(long, conflicts_with_all = ["write", "check"])]
    pub(crate) list: bool,
    /// With --list: also the places of the tree that name each attribute.
    #[arg(long, requires = "list")]
    pub(crate) usages: bool,
    /// Print no summary line and no progress bar.
    #[arg(short, long, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print when each phase of the run ends.
    #[arg(short, long)]
    pub(crate) verbose: bool,
    /// Prove the migration before anything is written: import the models before and
    /// after it with the project's Python (this runs the project's code), run
    /// configure_mappers() and compare every relationship. On any difference nothing is
    /// written and the exit status is 1.
    #[arg(long, conflicts_with = "list")]
    pub(crate) verify: bool,
    #[command(flatten)]
    pub(crate) verify_args: VerifyArgs,
}

/// How a verification imports the models (`--verify`, `backpop verify`).
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct VerifyArgs {
    /// Verification: the Python interpreter that imports the models, with the project's
    /// SQLAlchemy [default: $VIRTUAL_ENV/bin/python, else python3].
    #[arg(long, value_name = "PATH")]
    pub(crate) python: Option<PathBuf>,
    /// Verification: a module to import (repeatable; also `verify-import` in the
    /// configuration) [default: the modules of the files the change touches].
    #[arg(long = "import", value_name = "MODULE")]
    pub(crate) import: Vec<String>,
    /// Verification: Python code run before the imports, for projects that need an app
    /// factory or settings first (also `verify-setup`).
    #[arg(long, value_name = "CODE")]
    pub(crate) verify_setup: Option<String>,
    /// Verification: a module that fails to import both before and after the change
    /// is reported but does not fail the verification.
    #[arg(long)]
    pub(crate) verify_allow_unimported: bool,
}

impl VerifyArgs {
    pub(crate) fn given(&self) -> Option<&'static str> {
        if self.python.is_some() {
            Some("--python")
        } else if !self.import.is_empty() {
            Some("--import")
        } else if self.verify_setup.is_some() {
            Some("--verify-setup")
        } else if self.verify_allow_unimported {
            Some("--verify-allow-unimported")
        } else {
            None
        }
    }

    pub(crate) fn settings(&self) -> Result<backpop::verify::Settings, String> {
        if let Some(bad) = self
            .import
            .iter()
            .find(|m| !backpop::config::dotted_name(m))
        {
            return Err(format!(
                "`--import {bad}`: not a module name (write it as in `import a.b`)"
            ));
        }
        Ok(backpop::verify::Settings {
            python: self.python.clone(),
            imports: self.import.clone(),
            paths: Vec::new(),
            setup: self.verify_setup.clone(),
            allow_unimported: self.verify_allow_unimported,
        })
    }
}

#[derive(clap::Args, Debug)]
pub(crate) struct VerifyCommand {
    /// Where the changed Python files are looked for [default: .]
    #[arg(conflicts_with_all = ["before", "after"])]
    pub(crate) paths: Vec<PathBuf>,
    /// The git revision the working tree is compared against [default: HEAD].
    #[arg(long, value_name = "REV", conflicts_with_all = ["before", "after"])]
    pub(crate) base: Option<String>,
    /// The tree before the change (with --after): compare two directories.
    #[arg(long, value_name = "DIR", requires = "after")]
    pub(crate) before: Option<PathBuf>,
    /// The tree after the change (with --before).
    #[arg(long, value_name = "DIR", requires = "before")]
    pub(crate) after: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) verify: VerifyArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Full, value_name = "FORMAT")]
    pub(crate) output_format: Format,
    /// Color the diagnostics (auto: when printing to a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    /// Use this configuration file instead of the closest one.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub(crate) isolated: bool,
    /// Print no summary line.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}
