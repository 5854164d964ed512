//! Writing files in place, atomically.
//!
//! The new content goes to a temporary file in the same directory as the real
//! file (a symbolic link is written through, not replaced), is flushed to
//! disk, gets the original's permission bits, and is renamed over the
//! original, so a file is always either old or new. Before anything is
//! written, [`check_writable`] tells which files cannot be: a read-only file,
//! a directory where no temporary file can be made, a file that changed on
//! disk since it was read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Set by the interrupt handler: `--write` stops before its next file, so
/// every file is either written whole or left as it was.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Whether files are being written: an interrupt then waits for the current
/// file instead of ending the process at once.
pub static WRITING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The file a path names, through symbolic links.
fn real_path(path: &Path) -> Result<PathBuf> {
    fs::canonicalize(path).with_context(|| format!("{}: cannot resolve", path.display()))
}

/// Why `path` cannot be replaced by new content, if it cannot.
pub fn check_writable(path: &Path, expected_old: &str) -> Option<String> {
    let real = match real_path(path) {
        Ok(r) => r,
        Err(e) => return Some(format!("{e:#}")),
    };
    let meta = match fs::metadata(&real) {
        Ok(m) => m,
        Err(e) => return Some(format!("cannot stat: {e}")),
    };
    if meta.permissions().readonly() {
        return Some("the file is read-only".into());
    }
    match fs::read(&real) {
        Ok(current) if current == expected_old.as_bytes() => {}
        Ok(_) => return Some("changed on disk while backpop ran".into()),
        Err(e) => return Some(format!("cannot read: {e}")),
    }
    if let Err(e) = fs::OpenOptions::new().append(true).open(&real) {
        return Some(format!("cannot open for writing: {e}"));
    }
    let dir = real.parent().unwrap_or(Path::new("."));
    if let Err(e) = tempfile::Builder::new()
        .prefix(".backpop-")
        .tempfile_in(dir)
    {
        return Some(format!(
            "cannot create a temporary file in {}: {e}",
            dir.display()
        ));
    }
    None
}

pub fn write_atomic(path: &Path, expected_old: &str, new: &str) -> Result<()> {
    let real = real_path(path)?;
    let current = fs::read(&real).with_context(|| format!("{}: cannot read", path.display()))?;
    if current != expected_old.as_bytes() {
        bail!(
            "{}: changed on disk while backpop ran; not written",
            path.display()
        );
    }
    let meta = fs::metadata(&real).with_context(|| format!("{}: cannot stat", path.display()))?;
    let dir = real.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".backpop-")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    tmp.write_all(new.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    fs::set_permissions(tmp.path(), meta.permissions())
        .with_context(|| format!("{}: cannot set permissions", path.display()))?;
    tmp.persist(&real)
        .map_err(|e| e.error)
        .with_context(|| format!("{}: cannot replace", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        fs::write(&path, "saved by an editor\n").unwrap();
        assert_eq!(
            check_writable(&path, "as read\n").as_deref(),
            Some("changed on disk while backpop ran")
        );
        let err = write_atomic(&path, "as read\n", "migrated\n").unwrap_err();
        assert!(format!("{err:#}").contains("changed on disk"), "{err:#}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "saved by an editor\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_keep_permission_bits() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        fs::write(&path, "old\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o750)).unwrap();
        assert_eq!(check_writable(&path, "old\n"), None);
        write_atomic(&path, "old\n", "new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
    }
}
