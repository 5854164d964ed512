//! What a run shows while it works, on stderr: the progress bar (a terminal,
//! a tree of [`PROGRESS_MIN_FILES`] files or more), the time at the end of
//! each phase (`-v` or `BACKPOP_TIMINGS=1`, for profiling; see
//! docs/performance.md) and, with `-v`, the vendored libraries left out.
//!
//! The run calls it between its steps; it never holds the run's data and
//! prints nothing that the outcome reports afterwards.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this many files a run is too short for a progress bar.
pub const PROGRESS_MIN_FILES: usize = 2000;

pub struct Progress {
    start: Instant,
    bar: ProgressBar,
    /// May show a bar at all (`Options::progress`).
    show_bar: bool,
    timings: bool,
    verbose: bool,
}

impl Progress {
    /// From the start of the run: timings count from here.
    pub fn new(show_bar: bool, verbose: bool) -> Progress {
        Progress {
            start: Instant::now(),
            bar: ProgressBar::hidden(),
            show_bar,
            timings: verbose || std::env::var_os("BACKPOP_TIMINGS").is_some(),
            verbose,
        }
    }

    /// `-v`: the copies of libraries the walk left out.
    pub fn vendored(&self, dirs: &[PathBuf]) {
        if self.verbose {
            for v in dirs {
                eprintln!(
                    "{}: a copy of a library backpop migrates for; its files are left out",
                    v.display()
                );
            }
        }
    }

    /// Reading `files` files starts: the bar, on a tree large enough.
    pub fn reading(&mut self, files: usize) {
        if !self.show_bar || files < PROGRESS_MIN_FILES {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {pos}/{len} files ({elapsed})",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message("reading");
        bar.enable_steady_tick(Duration::from_millis(100));
        self.bar = bar;
    }

    /// One more file read.
    pub fn read_one(&self) {
        self.bar.inc(1);
    }

    /// Every file is read: the tree is resolved next.
    pub fn resolving(&self) {
        self.bar.set_message("resolving");
    }

    /// The work that needs the bar is done.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Phase `what` ends.
    pub fn phase(&self, what: &str) {
        if self.timings {
            eprintln!(
                "timing: {what} done at {} ms{}",
                self.start.elapsed().as_millis(),
                memory()
            );
        }
    }

    /// A round of parsing on demand ends: `files` files, `bytes()` bytes.
    pub fn parsed(&self, files: usize, bytes: impl FnOnce() -> usize) {
        if self.timings {
            self.phase(&format!("parse of {files} files ({} bytes)", bytes()));
        }
    }
}

/// The process's resident memory now and at its peak, where the system
/// tells (Linux: `/proc/self/status`), as printed after a phase's time.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix(" kB"))
            .and_then(|kb| kb.trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (RSS {} MB, peak {} MB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}
