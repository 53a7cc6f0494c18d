//! The md5 of a download, computed while it arrives, on its own thread.
//!
//! The hash has to go through the file from the start. Chunks that the connections write at or
//! a little after the hashed position are handed over in memory (`Feed::offer_all`) and wait, out of
//! order, in a reorder buffer of at most `BUDGET` bytes until the hash reaches them; so the usual
//! case never reads the file back. Only what falls outside that window (far ahead, or offered
//! while the buffer is full) is read back from the .part file once everything before it is
//! written. Little is left to hash when the last byte is in.

use super::plan::Plan;
use crate::md5sum::Md5;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel as unbounded};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Bytes that may wait for the hash in memory at most (offered chunks, in order or not).
pub(crate) const BUDGET: u64 = 8 << 20;
/// Bytes read back per call.
const READ: usize = 1 << 20;
/// How long the thread waits for an offer before looking at the plan again.
const IDLE: Duration = Duration::from_millis(20);

/// A connection whose next chunk is ahead of the hash and does not fit in the buffer waits this
/// long at most for the hash to catch up; after that the chunk is read back later instead.
const CATCH_UP: Duration = Duration::from_millis(500);

/// What the connections and the hasher share.
struct Shared {
    /// Bytes hashed from the start of the file.
    hashed: AtomicU64,
    /// Bytes offered and not yet hashed or dropped.
    held: AtomicU64,
    /// Woken whenever the hash moves on.
    moved: tokio::sync::Notify,
    /// The hasher waits for bytes (nothing in order to hash): nobody should wait for it.
    starved: AtomicBool,
}

/// The connections' side: where the hash is, and a way to hand it chunks.
pub(crate) struct Feed {
    shared: Arc<Shared>,
    tx: Sender<(u64, Bytes)>,
}

impl Feed {
    /// True when a chunk of `len` bytes written at `at` is worth handing over: it lies within
    /// the reorder window after the hashed position and the buffer has room for it.
    pub fn wants(&self, at: u64, len: u64) -> bool {
        let hashed = self.shared.hashed.load(Ordering::Acquire);
        at.saturating_add(len) > hashed
            && (at <= hashed
                || (at.saturating_add(len) <= hashed + BUDGET
                    && self.shared.held.load(Ordering::Acquire) + len <= BUDGET))
    }

    /// Waits (up to `CATCH_UP`) while a chunk of `len` bytes at `at` is ahead of the hash and
    /// has no room in the buffer, and the hasher is busy: when the hash is what limits the
    /// download (a fast link), the connection so goes at its pace and every byte is hashed from
    /// memory. Nobody waits while the hasher itself waits for bytes, so the connections cannot
    /// all wait for each other.
    pub async fn catch_up(&self, at: u64, len: u64) {
        let deadline = tokio::time::Instant::now() + CATCH_UP;
        loop {
            let moved = self.shared.moved.notified();
            if self.wants(at, len)
                || at.saturating_add(len) <= self.shared.hashed.load(Ordering::Acquire)
                || self.shared.starved.load(Ordering::Acquire)
            {
                return;
            }
            if tokio::time::timeout_at(deadline, moved).await.is_err() {
                return;
            }
        }
    }

    /// Hand over a chunk written at `at`. Dropped when the buffer is full: the hasher then reads
    /// the bytes back from the file.
    #[cfg(test)]
    pub fn offer(&self, at: u64, data: Bytes) {
        self.offer_all(at, vec![data]);
    }

    /// Hand over the consecutive chunks `parts` written from `at`, all or none: none when the
    /// buffer has no room for them (the hasher then reads the bytes back from the file).
    pub fn offer_all(&self, at: u64, parts: Vec<Bytes>) {
        let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
        // The next bytes of the hash are always taken (they leave the buffer at once).
        let next = at <= self.shared.hashed.load(Ordering::Acquire);
        let room = self
            .shared
            .held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |h| {
                (next || h + len <= BUDGET).then_some(h + len)
            });
        if room.is_err() {
            return;
        }
        let mut o = at;
        for p in parts {
            let n = p.len() as u64;
            if self.tx.send((o, p)).is_err() {
                self.shared.held.fetch_sub(n, Ordering::AcqRel);
            }
            o += n;
        }
    }
}

/// The hasher's side, consumed by [`follow`].
pub(crate) struct Follower {
    shared: Arc<Shared>,
    rx: Receiver<(u64, Bytes)>,
}

pub(crate) fn channel() -> (Feed, Follower) {
    let shared = Arc::new(Shared {
        hashed: AtomicU64::new(0),
        held: AtomicU64::new(0),
        moved: tokio::sync::Notify::new(),
        starved: AtomicBool::new(false),
    });
    let (tx, rx) = unbounded();
    (
        Feed {
            shared: shared.clone(),
            tx,
        },
        Follower { shared, rx },
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

/// The running hash and the chunks waiting for it.
struct Hashing {
    md5: Md5,
    at: u64,
    waiting: BTreeMap<u64, Bytes>,
    shared: Arc<Shared>,
}

impl Hashing {
    fn hash(&mut self, data: &[u8]) {
        self.md5.update(data);
        self.at += data.len() as u64;
        self.shared.hashed.store(self.at, Ordering::Release);
        self.shared.starved.store(false, Ordering::Release);
        self.shared.moved.notify_waiters();
    }

    fn release(&self, len: usize) {
        self.shared.held.fetch_sub(len as u64, Ordering::AcqRel);
        self.shared.moved.notify_waiters();
    }

    /// Files an offered chunk (dropped when already hashed), then hashes what is in order.
    fn take(&mut self, (off, data): (u64, Bytes)) {
        if off + data.len() as u64 <= self.at {
            self.release(data.len());
        } else if let Some(old) = self.waiting.insert(off, data) {
            self.release(old.len());
        }
        self.drain();
    }

    /// Hashes the waiting chunks that start at or before the hashed position.
    fn drain(&mut self) {
        while let Some(entry) = self.waiting.first_entry() {
            if *entry.key() > self.at {
                return;
            }
            let (off, data) = entry.remove_entry();
            let skip = (self.at - off) as usize;
            if skip < data.len() {
                self.hash(&data[skip..]);
            }
            self.release(data.len());
        }
    }

    /// Where the next waiting chunk starts.
    fn next_waiting(&self) -> Option<u64> {
        self.waiting.keys().next().copied()
    }
}

impl Drop for Hashing {
    fn drop(&mut self) {
        let held: usize = self.waiting.values().map(Bytes::len).sum();
        self.release(held);
    }
}

fn run(f: Follower, plan: &Mutex<Plan>, file: &File, stop: &AtomicBool) -> std::io::Result<String> {
    let mut h = Hashing {
        md5: Md5::new(),
        at: 0,
        waiting: BTreeMap::new(),
        shared: f.shared.clone(),
    };
    let mut buf = vec![0u8; READ];
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("stopped"));
        }
        // The plan first: a chunk is offered before the plan counts it, so every chunk offered
        // of what the plan says is written is in the channel by now (and is not read back).
        let (prefix, complete) = {
            let p = plan.lock().unwrap_or_else(|e| e.into_inner());
            (p.written_prefix(), p.complete())
        };
        while let Ok(chunk) = f.rx.try_recv() {
            h.take(chunk);
        }
        if h.at < prefix {
            // Read back up to the next chunk held in memory.
            let upto = h.next_waiting().map_or(prefix, |w| w.min(prefix));
            let n = ((upto - h.at) as usize).min(READ);
            read_exact_at(file, &mut buf[..n], h.at)?;
            h.hash(&buf[..n]);
            h.drain();
        } else if complete {
            return Ok(h.md5.clone().hex());
        } else {
            h.shared.starved.store(true, Ordering::Release);
            h.shared.moved.notify_waiters();
            match f.rx.recv_timeout(IDLE) {
                Ok(chunk) => h.take(chunk),
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

    fn setup(size: u64, connections: usize) -> (tempfile::TempDir, Arc<File>, Arc<Mutex<Plan>>, Vec<u8>) {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("x.part");
        let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, vec![0u8; size as usize]).unwrap();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let plan = Plan::new("f", Some(size), connections, 1 << 20);
        (d, Arc::new(file), Arc::new(Mutex::new(plan)), data)
    }

    struct Writer {
        feed: Feed,
        file: Arc<File>,
        plan: Arc<Mutex<Plan>>,
        data: Vec<u8>,
        /// Whether the bytes go to the file too (else it keeps zeros: a read-back shows).
        to_file: bool,
    }

    impl Writer {
        fn pos(&self, idx: usize) -> u64 {
            self.plan.lock().unwrap().segments[idx].pos()
        }
        fn rest(&self, idx: usize) -> u64 {
            self.plan.lock().unwrap().segments[idx].remaining().unwrap()
        }
        /// The next `len` bytes of range `idx`: written, offered, then counted in the plan, in
        /// the order a connection does it.
        fn write(&self, idx: usize, len: u64) {
            let at = self.pos(idx);
            let bytes = Bytes::copy_from_slice(&self.data[at as usize..(at + len) as usize]);
            if self.to_file {
                std::os::unix::fs::FileExt::write_all_at(&*self.file, &bytes, at).unwrap();
            }
            self.feed.offer(at, bytes);
            self.plan.lock().unwrap().segments[idx].done += len;
        }
    }

    fn start(
        size: u64,
        connections: usize,
        to_file: bool,
    ) -> (
        tempfile::TempDir,
        Writer,
        tokio::task::JoinHandle<std::io::Result<String>>,
    ) {
        let (d, file, plan, data) = setup(size, connections);
        let (feed, follower) = channel();
        let task = tokio::spawn(follow(follower, plan.clone(), file.clone()));
        let w = Writer {
            feed,
            file,
            plan,
            data,
            to_file,
        };
        (d, w, task)
    }

    async fn result(task: tokio::task::JoinHandle<std::io::Result<String>>) -> String {
        let joined = tokio::time::timeout(Duration::from_secs(20), task).await;
        joined.expect("hashed in time").expect("task").expect("md5")
    }

    #[tokio::test]
    async fn out_of_order_chunks_wait_in_memory_not_on_disk() {
        let (_d, w, task) = start(6 << 20, 4, false);
        let segs = w.plan.lock().unwrap().segments.len();
        // The last pieces first, then the first one in two halves; none reaches the file (it
        // holds zeros), so a right md5 means nothing was read back.
        for idx in (1..segs).rev() {
            assert!(w.feed.wants(w.pos(idx), w.rest(idx)), "within the reorder window");
            w.write(idx, w.rest(idx));
        }
        let half = w.rest(0) / 2;
        w.write(0, half);
        w.write(0, w.rest(0));
        assert_eq!(result(task).await, Md5::hex_of(&w.data));
        assert_eq!(
            w.feed.shared.held.load(Ordering::Acquire),
            0,
            "the buffer is empty again"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_connection_faster_than_the_hash_waits_for_it() {
        // One range, written far faster than MD5 goes, never to the file: every byte must reach
        // the hash in memory.
        let (_d, w, task) = start(3 * BUDGET, 1, false);
        let step = 256 << 10;
        for _ in 0..3 * BUDGET / step {
            w.feed.catch_up(w.pos(0), step).await;
            assert!(w.feed.wants(w.pos(0), step));
            w.write(0, step);
        }
        assert_eq!(result(task).await, Md5::hex_of(&w.data));
    }

    #[tokio::test]
    async fn chunks_beyond_the_window_are_read_back() {
        let (_d, w, task) = start(BUDGET + (4 << 20), 4, true);
        let segs = w.plan.lock().unwrap().segments.len();
        // The last piece lies beyond the window: not wanted, so written to the file only.
        let last = segs - 1;
        assert!(!w.feed.wants(w.pos(last), w.rest(last)), "beyond the window");
        w.write(last, w.rest(last));
        for idx in 0..last {
            w.write(idx, w.rest(idx));
        }
        assert_eq!(result(task).await, Md5::hex_of(&w.data));
    }

    #[tokio::test]
    async fn chunks_offered_in_pieces_and_out_of_order_are_hashed_in_order() {
        // As connections hand over the HTTP client's chunks: each write is several pieces of
        // odd sizes, the ranges arrive last first. Nothing reaches the file (zeros): a right
        // md5 means every piece was hashed from memory, in file order.
        let (_d, w, task) = start(5 << 20, 4, false);
        let segs = w.plan.lock().unwrap().segments.len();
        for idx in (0..segs).rev() {
            while w.rest(idx) > 0 {
                let at = w.pos(idx);
                let len = w.rest(idx).min(300_001);
                let piece = |a: u64, b: u64| Bytes::copy_from_slice(&w.data[a as usize..b as usize]);
                let cut = at + len / 3;
                assert!(w.feed.wants(at, len));
                w.feed.offer_all(at, vec![piece(at, cut), piece(cut, at + len)]);
                w.plan.lock().unwrap().segments[idx].done += len;
            }
        }
        assert_eq!(result(task).await, Md5::hex_of(&w.data));
        assert_eq!(w.feed.shared.held.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn a_wrong_offer_is_ignored() {
        let size = 3u64 << 20;
        let (_d, w, task) = start(size, 4, true);
        // Bytes offered inside a range that is then written whole are not used.
        w.feed
            .offer(size - 26, Bytes::from_static(b"not at the hashed position"));
        let segs = w.plan.lock().unwrap().segments.len();
        for idx in 0..segs {
            w.write(idx, w.rest(idx));
        }
        assert_eq!(result(task).await, Md5::hex_of(&w.data));
    }
}
