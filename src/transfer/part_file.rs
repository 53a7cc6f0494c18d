//! The `.part` file of a download, owned through an OS lock, and the free-space check made
//! before a download starts.
//!
//! Two k2s processes (or two transfers of one process) that download the same file into the
//! same folder would share one `.part`. The download holds an exclusive `flock` on its `.part`
//! from before it reads or truncates it until the file is moved into place and its sidecar
//! removed. The second one does not pick another name: after waiting `LOCK_GRACE` (for a
//! transfer that is just ending) it fails with "another k2s is downloading NAME into DIR",
//! before it has written anything (no truncated data, no sidecar). It can be retried once the
//! first one is done.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// Why the `.part` could not be taken.
#[derive(Debug)]
pub(crate) enum PartError {
    /// Another process (or transfer) holds its lock.
    Busy,
    Io(std::io::Error),
}

/// How long a held lock is waited for: a transfer that just ended (paused, cancelled, the
/// engine restarted) may keep its `.part` open that long on a blocking thread.
pub(crate) const LOCK_GRACE: Duration = Duration::from_secs(2);
const LOCK_POLL: Duration = Duration::from_millis(50);

/// Opens (creating it when missing, never truncating) and locks `part`, waiting up to
/// `LOCK_GRACE` for another holder to let go. The lock lasts as long as the returned file or
/// any clone of it is open.
pub(crate) fn open_locked(part: &Path) -> Result<File, PartError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(part)
        .map_err(PartError::Io)?;
    let until = Instant::now() + LOCK_GRACE;
    loop {
        match lock_exclusive(&file) {
            Err(PartError::Busy) if Instant::now() < until => std::thread::sleep(LOCK_POLL),
            r => return r.map(|()| file),
        }
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File) -> Result<(), PartError> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this File owns; no memory is passed.
    let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    if e.kind() == std::io::ErrorKind::WouldBlock {
        Err(PartError::Busy)
    } else {
        Err(PartError::Io(e))
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_file: &File) -> Result<(), PartError> {
    Ok(())
}

/// True when another process or transfer holds the lock of `part` right now.
#[cfg(test)]
fn is_locked(part: &Path) -> bool {
    let Ok(file) = std::fs::OpenOptions::new().read(true).write(true).open(part) else {
        return false;
    };
    matches!(lock_exclusive(&file), Err(PartError::Busy))
}

/// Deletes a cancelled download's `.part` and sidecar, unless another k2s is downloading into
/// them (still locked after `LOCK_GRACE`): its data is never removed from under it.
pub(crate) fn remove_part_unless_busy(dir: &Path, name: &str) {
    let part = super::names::part_path(dir, name);
    let file = match std::fs::OpenOptions::new().read(true).write(true).open(&part) {
        Ok(_) => open_locked(&part),
        Err(e) => Err(PartError::Io(e)),
    };
    if matches!(file, Err(PartError::Busy)) {
        tracing::info!("{} is in use by another k2s: kept", part.display());
        return;
    }
    // Removed while locked: nobody can take it in between.
    let _ = std::fs::remove_file(&part);
    let _ = std::fs::remove_file(super::names::sidecar_path(dir, name));
    drop(file);
}

/// Bytes that an unprivileged user may still write on the filesystem of `dir`.
#[cfg(unix)]
pub(crate) fn free_space(dir: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: statvfs writes into the zeroed struct we pass; the path is NUL-terminated.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let (avail, frsize) = (u64::from(st.f_bavail), st.f_frsize as u64);
    Ok(avail.saturating_mul(frsize))
}

#[cfg(not(unix))]
pub(crate) fn free_space(_dir: &Path) -> std::io::Result<u64> {
    Ok(u64::MAX)
}

/// Room for the sidecar and its temporary copy, on top of the file's own bytes.
const SLACK: u64 = 64 * 1024;

/// Fails with "needs X, Y free on DIR" when the `missing` bytes still to write do not fit.
/// An unreadable free space is not an error (the writes will say).
pub(crate) fn check_room(dir: &Path, missing: u64) -> Result<(), super::error::TransferError> {
    let Ok(free) = free_space(dir) else {
        return Ok(());
    };
    let need = missing.saturating_add(SLACK);
    if need > free {
        return Err(super::error::TransferError::NoRoom {
            dir: dir.to_path_buf(),
            needed: missing,
            free,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_part_is_refused_and_kept() {
        let d = tempfile::tempdir().unwrap();
        let part = super::super::names::part_path(d.path(), "f.bin");
        let first = open_locked(&part).unwrap();
        std::fs::write(d.path().join("f.bin.part.k2s"), b"{}").unwrap();
        // A second open of the same file, as another process would do: refused.
        assert!(matches!(open_locked(&part), Err(PartError::Busy)));
        assert!(is_locked(&part));
        remove_part_unless_busy(d.path(), "f.bin");
        assert!(part.exists() && d.path().join("f.bin.part.k2s").exists());
        drop(first);
        assert!(!is_locked(&part));
        assert!(open_locked(&part).is_ok());
        remove_part_unless_busy(d.path(), "f.bin");
        assert!(!part.exists() && !d.path().join("f.bin.part.k2s").exists());
    }

    #[test]
    fn room_is_checked() {
        let d = tempfile::tempdir().unwrap();
        assert!(free_space(d.path()).unwrap() > 0);
        assert!(check_room(d.path(), 1).is_ok());
        let e = check_room(d.path(), u64::MAX / 2).unwrap_err().to_string();
        assert!(e.contains("needs") && e.contains("free on"), "{e}");
    }
}
