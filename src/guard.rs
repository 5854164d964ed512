//! Switches that turn off one of the planner's guards, for tests only.
//!
//! The check stage ([`crate::check`]) must catch what a missing guard lets
//! through: the test suite runs the binary with `BACKPOP_TEST_GUARDS_OFF`
//! set to a comma-separated list of guard names and expects BP013 refusals,
//! never a broken file. Nothing else sets it.

/// Whether the guard `name` is turned off for this run.
pub fn off(name: &str) -> bool {
    static OFF: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    OFF.get_or_init(|| {
        std::env::var("BACKPOP_TEST_GUARDS_OFF")
            .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default()
    })
    .iter()
    .any(|g| g == name)
}
