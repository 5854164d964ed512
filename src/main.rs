//! The `backpop` command: the flags, standard input, one run, and the exit
//! status, which is decided here and only here.
//!
//! It holds no logic of the migration and formats no report: the run is
//! [`backpop::run`], and everything it prints comes from [`backpop::print`]
//! (only an error that stops the command before or after the run is
//! written here).

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use backpop::print::{self, ColorChoice, Format, color_enabled};
use backpop::{Mode, Options, Outcome, run};
use clap::{CommandFactory, Parser, Subcommand};

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
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
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
struct RunArgs {
    /// Files or directories to process, or `-` for standard input [default: .]
    paths: Vec<PathBuf>,
    /// Rewrite the files in place.
    #[arg(long, visible_alias = "fix", conflicts_with = "check")]
    write: bool,
    /// Print no diff; exit 1 if anything would change or is left unmigrated.
    #[arg(long)]
    check: bool,
    /// Skip files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Threads for reading and parsing [default: one per core]; the output is
    /// the same for any number.
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    jobs: Option<std::num::NonZeroUsize>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Full, value_name = "FORMAT")]
    output_format: Format,
    /// Color the diff and the diagnostics (auto: when printing to a terminal,
    /// unless NO_COLOR is set; FORCE_COLOR forces it).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Use this configuration file (a backpop.toml, or a pyproject.toml with
    /// [tool.backpop]) for every file, instead of the closest one to each.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    isolated: bool,
    /// The name of the source read from standard input, for messages and
    /// for finding its configuration.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// List every attribute a backref creates implicitly (Post.author <- User.posts),
    /// where it comes from and whether it migrates; change nothing.
    #[arg(long, conflicts_with_all = ["write", "check"])]
    list: bool,
    /// With --list: also the places of the tree that name each attribute.
    #[arg(long, requires = "list")]
    usages: bool,
    /// Print no summary line and no progress bar.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print when each phase of the run ends.
    #[arg(short, long)]
    verbose: bool,
    /// Prove the migration before anything is written: import the models before and
    /// after it with the project's Python (this runs the project's code), run
    /// configure_mappers() and compare every relationship. On any difference nothing is
    /// written and the exit status is 1.
    #[arg(long, conflicts_with = "list")]
    verify: bool,
    #[command(flatten)]
    verify_args: VerifyArgs,
}

/// How a verification imports the models (`--verify`, `backpop verify`).
#[derive(clap::Args, Debug, Clone, Default)]
struct VerifyArgs {
    /// Verification: the Python interpreter that imports the models, with the project's
    /// SQLAlchemy [default: $VIRTUAL_ENV/bin/python, else python3].
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
    /// Verification: a module to import (repeatable; also `verify-import` in the
    /// configuration) [default: the modules of the files the change touches].
    #[arg(long = "import", value_name = "MODULE")]
    import: Vec<String>,
    /// Verification: Python code run before the imports, for projects that need an app
    /// factory or settings first (also `verify-setup`).
    #[arg(long, value_name = "CODE")]
    verify_setup: Option<String>,
    /// Verification: a module that fails to import both before and after the change
    /// is reported but does not fail the verification.
    #[arg(long)]
    verify_allow_unimported: bool,
}

impl VerifyArgs {
    fn given(&self) -> Option<&'static str> {
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

    fn settings(&self) -> Result<backpop::verify::Settings, String> {
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
struct VerifyCommand {
    /// Where the changed Python files are looked for [default: .]
    #[arg(conflicts_with_all = ["before", "after"])]
    paths: Vec<PathBuf>,
    /// The git revision the working tree is compared against [default: HEAD].
    #[arg(long, value_name = "REV", conflicts_with_all = ["before", "after"])]
    base: Option<String>,
    /// The tree before the change (with --after): compare two directories.
    #[arg(long, value_name = "DIR", requires = "after")]
    before: Option<PathBuf>,
    /// The tree after the change (with --before).
    #[arg(long, value_name = "DIR", requires = "before")]
    after: Option<PathBuf>,
    #[command(flatten)]
    verify: VerifyArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Full, value_name = "FORMAT")]
    output_format: Format,
    /// Color the diagnostics (auto: when printing to a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Use this configuration file instead of the closest one.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    isolated: bool,
    /// Print no summary line.
    #[arg(short, long)]
    quiet: bool,
}

/// Exit status after an interrupt (128 + SIGINT), as shells report it.
const INTERRUPTED: u8 = 130;

// Parsing allocates and frees many small nodes on every thread; mimalloc's
// per-thread heaps do that at a fraction of glibc malloc's cost (see
// docs/performance.md). The parser's C code is given the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // SAFETY: called before any parser exists, so nothing allocated with the
    // previous allocator is ever freed with this one.
    unsafe {
        // mimalloc asks for transparent huge pages on its arenas before
        // `main` runs; in a run this short they only round the resident set
        // up (about 200 MB instead of 140 MB on the benchmark corpus, no
        // measurable speed-up), so they are turned off for the process.
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        tree_sitter::set_allocator(
            Some(libmimalloc_sys::mi_malloc),
            Some(libmimalloc_sys::mi_calloc),
            Some(libmimalloc_sys::mi_realloc),
            Some(libmimalloc_sys::mi_free),
        );
    }
    // While files are written, an interrupt lets the current file finish and
    // writes no other; otherwise it ends the run at once (nothing is changed).
    let _ = ctrlc::set_handler(|| {
        use std::sync::atomic::Ordering;
        if backpop::write::WRITING.load(Ordering::SeqCst) {
            backpop::write::INTERRUPTED.store(true, Ordering::SeqCst);
        } else {
            backpop::verify::cleanup();
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Some(Command::Explain { code }) => explain(code.as_deref()),
        Some(Command::Verify(args)) => verify_command(args),
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "backpop", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        None => migrate(cli.run),
    }
}

fn explain(code: Option<&str>) -> ExitCode {
    use backpop::diagnostics::Code;
    use backpop::explain;
    // A closed pipe (`backpop explain | head -1`) is not an error.
    let mut out = std::io::stdout().lock();
    let Some(text) = code else {
        for c in Code::ALL {
            let _ = writeln!(out, "{c}  {}", explain::title(c));
        }
        return ExitCode::SUCCESS;
    };
    match explain::parse_code(text) {
        Some(c) => {
            let _ = write!(out, "{}", explain::explain(c));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "backpop: error: unknown diagnostic code `{text}` (the codes are BP001 to BP{:03})",
                Code::ALL.len()
            );
            ExitCode::from(2)
        }
    }
}

fn migrate(args: RunArgs) -> ExitCode {
    if let Some(n) = args.jobs
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.get())
            .build_global()
    {
        eprintln!("backpop: error: cannot start {n} threads: {e}");
        return ExitCode::from(2);
    }
    let stdin = match read_stdin(&args) {
        Ok(stdin) => stdin,
        Err(code) => return code,
    };
    let verify = match verify_settings(&args, stdin.is_some()) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("backpop: error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut opts = options(&args, stdin);
    opts.verify = verify;
    let outcome = match run(&opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("backpop: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let shown = Shown {
        format: args.output_format,
        color: args.color,
        quiet: args.quiet,
    };
    let input = opts
        .stdin
        .as_ref()
        .map_or(&[][..], |(_, bytes)| bytes.as_slice());
    if let Err(code) = show(&shown, input, &outcome) {
        return code;
    }
    exit_status(&opts, &outcome)
}

/// `--verify` and the flags that tune it.
fn verify_settings(
    args: &RunArgs,
    stdin: bool,
) -> Result<Option<backpop::verify::Settings>, String> {
    if !args.verify {
        return match args.verify_args.given() {
            Some(flag) => Err(format!(
                "`{flag}` is a flag of verification: add `--verify`"
            )),
            None => Ok(None),
        };
    }
    if stdin {
        return Err(
            "`--verify` imports the models from files; it cannot verify standard input".into(),
        );
    }
    args.verify_args.settings().map(Some)
}

/// `backpop verify`: a change made by anyone, between a revision and the
/// working tree or between two directories.
fn verify_command(args: VerifyCommand) -> ExitCode {
    use backpop::verify::{Change, verify_change};
    let run = || -> anyhow::Result<Outcome> {
        let settings = args.verify.settings().map_err(anyhow::Error::msg)?;
        let config = config_source(args.config.as_ref(), args.isolated);
        let change = match (&args.before, &args.after) {
            (Some(before), Some(after)) => Change::Directories {
                before: before.clone(),
                after: after.clone(),
            },
            _ => Change::Revision {
                rev: args.base.clone().unwrap_or_else(|| "HEAD".into()),
                paths: args.paths.clone(),
            },
        };
        verify_change(&change, settings, config)
    };
    let outcome = match run() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("backpop: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let shown = Shown {
        format: args.output_format,
        color: args.color,
        quiet: args.quiet,
    };
    if let Err(code) = show(&shown, &[], &outcome) {
        return code;
    }
    let failed = outcome.verification.as_ref().is_some_and(|v| v.failed());
    ExitCode::from(u8::from(failed))
}

/// Standard input, with the name it is reported under, when the path is `-`.
fn read_stdin(args: &RunArgs) -> Result<Option<(PathBuf, Vec<u8>)>, ExitCode> {
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if reads_stdin && args.paths.len() > 1 {
        eprintln!("backpop: error: `-` (standard input) cannot be combined with other paths");
        return Err(ExitCode::from(2));
    }
    if !reads_stdin {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        eprintln!("backpop: error: cannot read standard input: {e}");
        return Err(ExitCode::from(2));
    }
    let name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    Ok(Some((name, bytes)))
}

/// The flags as the run's options.
fn options(args: &RunArgs, stdin: Option<(PathBuf, Vec<u8>)>) -> Options {
    Options {
        paths: if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        },
        mode: if args.write && stdin.is_none() {
            Mode::Write
        } else if args.check {
            Mode::Check
        } else {
            Mode::Diff
        },
        excludes: args.exclude.clone(),
        stdin,
        verbose: args.verbose,
        config: config_source(args.config.as_ref(), args.isolated),
        list: args.list,
        usages: args.usages,
        // A check of the on-demand parsing (docs/performance.md): the output
        // must not change.
        parse_all: std::env::var_os("BACKPOP_PARSE_ALL").is_some(),
        verify: None,
        // On a terminal only, and not when the output is for a machine.
        progress: !args.quiet
            && std::io::stderr().is_terminal()
            && matches!(args.output_format, Format::Full | Format::Concise),
    }
}

/// Where the settings come from: `--config`, `--isolated`, or discovery.
fn config_source(config: Option<&PathBuf>, isolated: bool) -> backpop::config::Source {
    match (config, isolated) {
        (_, true) => backpop::config::Source::Isolated,
        (Some(p), false) => backpop::config::Source::File(p.clone()),
        (None, false) => backpop::config::Source::Discover,
    }
}

/// How the outcome is printed.
struct Shown {
    format: Format,
    color: ColorChoice,
    quiet: bool,
}

/// Print the outcome: stdout whole, then stderr. A closed stdout ends the
/// command at once, successfully when it was a pipe (`backpop | head`).
fn show(shown: &Shown, input: &[u8], outcome: &Outcome) -> Result<(), ExitCode> {
    let mut stdout_text = Vec::new();
    let color = color_enabled(shown.color, std::io::stdout().is_terminal());
    // Into memory first: a closed pipe is noticed in one place, below.
    let _ = print::stdout(&mut stdout_text, outcome, shown.format, color, input);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(&stdout_text).and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Err(ExitCode::SUCCESS);
        }
        eprintln!("backpop: error: cannot write the output: {e}");
        return Err(ExitCode::from(2));
    }
    let mut stderr = std::io::stderr().lock();
    let color = color_enabled(shown.color, std::io::stderr().is_terminal());
    let _ = print::stderr(&mut stderr, outcome, shown.format, color, shown.quiet);
    Ok(())
}

fn exit_status(opts: &Options, outcome: &Outcome) -> ExitCode {
    if opts.list {
        // A listing is not a check: only unusable input fails it.
        return ExitCode::from(if outcome.errors.is_empty() { 0 } else { 2 });
    }
    if outcome.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if !outcome.errors.is_empty() {
        ExitCode::from(2)
    } else if outcome.verification.as_ref().is_some_and(|v| v.failed())
        || outcome.unmigrated() > 0
        || (opts.mode != Mode::Write && outcome.migrated > 0 && opts.stdin.is_none())
        || (opts.stdin.is_some() && opts.mode == Mode::Check && outcome.migrated > 0)
    {
        // Something is left to do: a change not yet written, or a backref refused.
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
