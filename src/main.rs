//! The `backpop` command: standard input, one run, and the exit
//! status, which is decided here and only here (the flags are in `cli.rs`).
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
use clap::{CommandFactory, Parser};

mod cli;
use cli::{Cli, Command, RunArgs, VerifyCommand};

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
