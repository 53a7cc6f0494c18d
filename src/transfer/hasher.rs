//! The md5 of a download, computed while it arrives, on its own thread.
//!
//! The hash has to go through the file from the start. A chunk that a connection writes right
//! at the hashed position is handed over in memory (`Feed::offer`), so the usual case never
//! reads the file back; whatever was written out of order (other connections' pieces) is read
//! back from the .part file once everything before it is written. Little is left to hash when
//! the last byte is in.

use super::plan::Plan;
use crate::md5sum::Md5;
use bytes::Bytes;
use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Chunks waiting for the hasher at most (a few MiB); more are read back from the file later.
const QUEUE: usize = 16;
/// Bytes read back per call.
const READ: usize = 1 << 20;
/// How long the thread waits for an offer before looking at the plan again.
const IDLE: Duration = Duration::from_millis(20);

/// The connections' side: where the hash is, and a way to hand it the next chunk.
pub(crate) struct Feed {
    hashed: Arc<AtomicU64>,
    tx: SyncSender<(u64, Bytes)>,
}

impl Feed {
    /// True when a chunk written at `at` is the next one the hash needs.
    pub fn wants(&self, at: u64) -> bool {
        self.hashed.load(Ordering::Acquire) == at
    }

    /// Hand over a chunk written at `at`. Dropped when the hasher is busy or somewhere else:
    /// it then reads the bytes back from the file.
    pub fn offer(&self, at: u64, data: Bytes) {
        match self.tx.try_send((at, data)) {
            Ok(()) | Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

/// The hasher's side, consumed by [`follow`].
pub(crate) struct Follower {
    hashed: Arc<AtomicU64>,
    rx: Receiver<(u64, Bytes)>,
}

pub(crate) fn channel() -> (Feed, Follower) {
    let hashed = Arc::new(AtomicU64::new(0));
    let (tx, rx) = sync_channel(QUEUE);
    (
        Feed {
            hashed: hashed.clone(),
            tx,
        },
        Follower { hashed, rx },
    )
}

/// Ends with the md5 once the whole file is written and hashed. Dropping the future stops the
/// thread.
pub(crate) async fn follow(
    follower: Follower,
    plan: Arc<Mutex<Plan>>,
    file: Arc<File>,
) -> std::io::Result<String> {
    let stop = Arc::new(AtomicBool::new(false));
    let _guard = StopOnDrop(stop.clone());
    tokio::task::spawn_blocking(move || run(follower, &plan, &file, &stop))
        .await
        .map_err(std::io::Error::other)?
}

fn run(f: Follower, plan: &Mutex<Plan>, file: &File, stop: &AtomicBool) -> std::io::Result<String> {
    let mut md5 = Md5::new();
    let mut at = 0u64;
    let mut buf = vec![0u8; READ];
    let take = |md5: &mut Md5, at: &mut u64, (off, data): (u64, Bytes)| {
        if off == *at {
            md5.update(&data);
            *at += data.len() as u64;
            f.hashed.store(*at, Ordering::Release);
        }
    };
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("stopped"));
        }
        while let Ok(chunk) = f.rx.try_recv() {
            take(&mut md5, &mut at, chunk);
        }
        let (prefix, complete) = {
            let p = plan.lock().unwrap_or_else(|e| e.into_inner());
            (p.written_prefix(), p.complete())
        };
        if at < prefix {
            let n = ((prefix - at) as usize).min(READ);
            read_exact_at(file, &mut buf[..n], at)?;
            md5.update(&buf[..n]);
            at += n as u64;
            f.hashed.store(at, Ordering::Release);
        } else if complete {
            return Ok(md5.hex());
        } else {
            match f.rx.recv_timeout(IDLE) {
                Ok(chunk) => take(&mut md5, &mut at, chunk),
                Err(RecvTimeoutError::Timeout) => {}
                // The connections are gone: only the file is left to read.
                Err(RecvTimeoutError::Disconnected) => std::thread::sleep(IDLE),
            }
        }
    }
}

struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = file.seek_read(buf, at)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(size: u64) -> (tempfile::TempDir, Arc<File>, Arc<Mutex<Plan>>, Vec<u8>) {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("x.part");
        let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, vec![0u8; size as usize]).unwrap();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let plan = Plan::new("f", Some(size), 4, 1 << 20);
        (d, Arc::new(file), Arc::new(Mutex::new(plan)), data)
    }

    fn write(file: &File, plan: &Mutex<Plan>, data: &[u8], idx: usize, len: u64) -> (u64, Bytes) {
        let mut p = plan.lock().unwrap();
        let s = p.segments[idx];
        let at = s.pos();
        let bytes = Bytes::copy_from_slice(&data[at as usize..(at + len) as usize]);
        std::os::unix::fs::FileExt::write_all_at(file, &bytes, at).unwrap();
        p.segments[idx].done += len;
        (at, bytes)
    }

    async fn result(task: tokio::task::JoinHandle<std::io::Result<String>>) -> String {
        let joined = tokio::time::timeout(Duration::from_secs(20), task).await;
        joined.expect("hashed in time").expect("task").expect("md5")
    }

    #[tokio::test]
    async fn in_order_offers_and_out_of_order_read_back_give_the_md5() {
        let size = 6u64 << 20;
        let (_d, file, plan, data) = setup(size);
        let (feed, follower) = channel();
        let task = tokio::spawn(follow(follower, plan.clone(), file.clone()));
        let segs = plan.lock().unwrap().segments.len();
        // The last pieces first (read back later), then the first ones in order (offered).
        for idx in (1..segs).rev() {
            let len = plan.lock().unwrap().segments[idx].remaining().unwrap();
            let (at, bytes) = write(&file, &plan, &data, idx, len);
            assert!(!feed.wants(at));
            feed.offer(at, bytes);
        }
        let len0 = plan.lock().unwrap().segments[0].remaining().unwrap();
        let half = len0 / 2;
        for len in [half, len0 - half] {
            let (at, bytes) = write(&file, &plan, &data, 0, len);
            feed.offer(at, bytes);
        }
        assert_eq!(result(task).await, Md5::hex_of(&data));
    }

    #[tokio::test]
    async fn a_wrong_offer_is_ignored() {
        let size = 3u64 << 20;
        let (_d, file, plan, data) = setup(size);
        let (feed, follower) = channel();
        // Bytes offered for a position the hash is not at are not used.
        let task = tokio::spawn(follow(follower, plan.clone(), file.clone()));
        feed.offer(12345, Bytes::from_static(b"not at the hashed position"));
        let segs = plan.lock().unwrap().segments.len();
        for idx in 0..segs {
            let len = plan.lock().unwrap().segments[idx].remaining().unwrap();
            let (at, bytes) = write(&file, &plan, &data, idx, len);
            feed.offer(at, bytes);
        }
        assert_eq!(result(task).await, Md5::hex_of(&data));
    }
}
