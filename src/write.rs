//! Writing files in place, atomically.
//!
//! The new content goes to a temporary file in the same directory, is flushed
//! to disk, gets the original's permission bits, and is renamed over the
//! original, so a file is always either old or new. A file that changed on disk
//! since it was read is not overwritten.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

pub fn write_atomic(path: &Path, expected_old: &str, new: &str) -> Result<()> {
    let current = fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if current != expected_old.as_bytes() {
        bail!(
            "{}: changed on disk while backpop ran; not written",
            path.display()
        );
    }
    let meta = fs::metadata(path).with_context(|| format!("{}: cannot stat", path.display()))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".backpop-")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    tmp.write_all(new.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    fs::set_permissions(tmp.path(), meta.permissions())
        .with_context(|| format!("{}: cannot set permissions", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{}: cannot replace", path.display()))?;
    Ok(())
}
