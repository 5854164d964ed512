//! The `backpop` command. Exit status is decided here and only here.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use backpop::{Mode, Options, run};
use clap::Parser;

/// Migrate SQLAlchemy `relationship(..., backref=...)` to explicit `back_populates` on both sides.
///
/// By default prints a unified diff of every file it would change and changes nothing.
#[derive(Parser, Debug)]
#[command(
    name = "backpop",
    version,
    after_help = "Examples:\n  backpop                  # diff for the current directory\n  backpop src/ | git apply -p1\n  backpop --write src/     # rewrite files in place\n  backpop --check .        # CI: exit 1 if anything is left to migrate"
)]
struct Cli {
    /// Files or directories to process [default: .]
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
}

/// Exit status after an interrupt (128 + SIGINT), as shells report it.
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    // While files are written, an interrupt lets the current file finish and
    // writes no other; otherwise it ends the run at once (nothing is changed).
    let _ = ctrlc::set_handler(|| {
        use std::sync::atomic::Ordering;
        if backpop::write::WRITING.load(Ordering::SeqCst) {
            backpop::write::INTERRUPTED.store(true, Ordering::SeqCst);
        } else {
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
    if let Some(n) = cli.jobs
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.get())
            .build_global()
    {
        eprintln!("backpop: error: cannot start {n} threads: {e}");
        return ExitCode::from(2);
    }
    let opts = Options {
        paths: if cli.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            cli.paths
        },
        mode: if cli.write {
            Mode::Write
        } else if cli.check {
            Mode::Check
        } else {
            Mode::Diff
        },
        excludes: cli.exclude,
    };
    let outcome = match run(&opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("backpop: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(outcome.diff.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
        eprintln!("backpop: error: cannot write the diff: {e}");
        return ExitCode::from(2);
    }
    let mut stderr = std::io::stderr().lock();
    for d in &outcome.diagnostics {
        let _ = writeln!(stderr, "{d}");
    }
    for e in &outcome.errors {
        let _ = writeln!(stderr, "backpop: error: {e}");
    }
    let _ = writeln!(stderr, "{}", outcome.summary);
    if outcome.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if !outcome.errors.is_empty() {
        ExitCode::from(2)
    } else if outcome.unmigrated() > 0 || (opts.mode != Mode::Write && outcome.migrated > 0) {
        // Something is left to do: a change not yet written, or a backref refused.
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
