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
                "timing: {what} done at {} ms",
                self.start.elapsed().as_millis()
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
