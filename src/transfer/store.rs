//! The saved queue: `<state dir>/queue.json`, written atomically by a background task, and a
//! lock file so that only one k2s process owns it at a time.

use super::model::{Outcome, Spec, State, TransferId};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tokio::sync::{mpsc, oneshot};

pub const QUEUE_FILE: &str = "queue.json";
const LOCK_FILE: &str = "queue.lock";
const VERSION: u32 = 1;
/// Finished transfers kept as history (the most recent ones).
const KEEP_FINISHED: usize = 500;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Saved {
    pub version: u32,
    pub next_id: u64,
    pub items: Vec<SavedItem>,
    /// Set by `load` when the file was unreadable and moved aside: what happened, naming the
    /// `.bad` file, for the UI to say. Never saved.
    #[serde(skip)]
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedItem {
    pub id: TransferId,
    #[serde(default)]
    pub parent: Option<TransferId>,
    pub spec: Spec,
    pub state: State,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Runs started and retries made so far (the transfer's details show it).
    #[serde(default)]
    pub attempts: u32,
}

impl Saved {
    /// Read the queue file. A missing file is an empty queue; an unreadable one is moved aside
    /// (`queue.json.bad`) so that a bad file never blocks k2s.
    pub fn load(path: &Path) -> Saved {
        if let Err(e) = crate::config::tighten_file(path) {
            tracing::warn!("cannot make {} private: {e}", path.display());
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Saved::default(),
            Err(e) => {
                tracing::warn!("cannot read {}: {e}", path.display());
                return Saved::default();
            }
        };
        match serde_json::from_slice::<Saved>(&bytes) {
            Ok(mut s) => {
                s.prune();
                s
            }
            Err(e) => Saved {
                notice: Some(move_aside(path, &e.to_string())),
                ..Saved::default()
            },
        }
    }

    /// Read-only view for `k2s queue`: errors are reported, nothing is moved.
    pub fn read(state_dir: &Path) -> anyhow::Result<Saved> {
        let path = state_dir.join(QUEUE_FILE);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Saved::default()),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }

    fn prune(&mut self) {
        let finished = self.items.iter().filter(|i| i.state.is_finished()).count();
        let mut drop = finished.saturating_sub(KEEP_FINISHED);
        if drop > 0 {
            // Items are in queue order; drop the oldest finished ones (lowest ids).
            let mut ids: Vec<TransferId> = self
                .items
                .iter()
                .filter(|i| i.state.is_finished())
                .map(|i| i.id)
                .collect();
            ids.sort();
            let cut: std::collections::HashSet<TransferId> = ids.into_iter().take(drop).collect();
            self.items.retain(|i| {
                if drop > 0 && cut.contains(&i.id) {
                    drop -= 1;
                    false
                } else {
                    true
                }
            });
        }
        let max = self.items.iter().map(|i| i.id.0).max().unwrap_or(0);
        self.next_id = self.next_id.max(max + 1);
    }

    /// The file's bytes. A failure reason never keeps a URL's query (a signed download URL's
    /// signature is a credential).
    pub fn to_bytes(mut items: Vec<SavedItem>, next_id: u64) -> Vec<u8> {
        for it in &mut items {
            if let State::Failed(why) = &mut it.state {
                *why = why.clone().redacted();
            }
        }
        let s = Saved {
            version: VERSION,
            next_id,
            items,
            notice: None,
        };
        serde_json::to_vec_pretty(&s).unwrap_or_default()
    }
}

/// Move an unreadable queue file to `queue.json.bad` (replacing an older one) and say so: the
/// message names both files and why.
fn move_aside(path: &Path, why: &str) -> String {
    let bad = path.with_extension("json.bad");
    let msg = match std::fs::rename(path, &bad) {
        Ok(()) => format!(
            "{}: the transfer queue was unreadable and was moved here; the queue starts empty ({why})",
            bad.display()
        ),
        Err(e) => format!(
            "the transfer queue {} is unreadable ({why}) and could not be moved aside ({e}); the queue starts empty",
            path.display()
        ),
    };
    tracing::warn!("{msg}");
    msg
}

/// Exclusive ownership of the queue file while it lives (flock on Unix).
pub struct QueueLock {
    _file: std::fs::File,
}

impl QueueLock {
    /// None when another process holds the lock.
    pub fn try_acquire(state_dir: &Path) -> std::io::Result<Option<QueueLock>> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        let file = crate::config::private_open(&state_dir.join(LOCK_FILE), &mut options)?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock on a descriptor we own; the lock ends when the file is closed.
            let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if r != 0 {
                let e = std::io::Error::last_os_error();
                if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
                    return Ok(None);
                }
                return Err(e);
            }
        }
        Ok(Some(QueueLock { _file: file }))
    }
}

/// Whether a live k2s process holds the queue of `state_dir` now. It only looks: the lock file
/// is not created, and a shared lock taken to look is let go at once.
pub fn queue_in_use(state_dir: &Path) -> bool {
    let Ok(file) = std::fs::File::open(state_dir.join(LOCK_FILE)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor we own; the lock ends when the file is closed.
        let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) };
        if r != 0 {
            return std::io::Error::last_os_error().raw_os_error() == Some(libc::EWOULDBLOCK);
        }
    }
    drop(file);
    false
}

/// Replace `path` with `bytes` atomically (a private temp file in the same folder, renamed over
/// it): a reader or a killed process never sees half a file. Unlike `config::write_atomic`
/// there is no fsync: on ext4 it would also force the gigabytes just downloaded to disk and
/// stall every save for seconds; losing the last save to a power cut is acceptable.
fn write_replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::config::private_dir(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

enum SaveMsg {
    Data(Vec<u8>),
    Flush(oneshot::Sender<()>),
}

/// Writes the latest queue bytes in the background; bursts of saves collapse into one write.
#[derive(Clone)]
pub struct Saver {
    tx: mpsc::UnboundedSender<SaveMsg>,
}

impl Saver {
    pub fn start(path: PathBuf) -> Saver {
        let (tx, mut rx) = mpsc::unbounded_channel::<SaveMsg>();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut latest = None;
                let mut waiters = Vec::new();
                let mut take = |m: SaveMsg| match m {
                    SaveMsg::Data(d) => latest = Some(d),
                    SaveMsg::Flush(w) => waiters.push(w),
                };
                take(first);
                while let Ok(m) = rx.try_recv() {
                    take(m);
                }
                if let Some(bytes) = latest {
                    let p = path.clone();
                    let r = tokio::task::spawn_blocking(move || write_replace(&p, &bytes)).await;
                    match r {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => tracing::warn!("cannot save the queue to {}: {e}", path.display()),
                        Err(e) => tracing::warn!("queue save task failed: {e}"),
                    }
                }
                for w in waiters {
                    let _ = w.send(());
                }
            }
        });
        Saver { tx }
    }

    pub fn save(&self, bytes: Vec<u8>) {
        let _ = self.tx.send(SaveMsg::Data(bytes));
    }

    /// Wait until everything saved before this call is on disk.
    pub async fn flush(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(SaveMsg::Flush(tx)).is_ok() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), rx).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::model::RemoteSpec;

    fn item(id: u64, state: State) -> SavedItem {
        let spec = Spec::Remote(RemoteSpec {
            url: format!("http://x/{id}"),
            wait: true,
            remote_id: None,
        });
        SavedItem {
            id: TransferId(id),
            parent: None,
            spec,
            state,
            outcome: None,
            attempts: 0,
        }
    }

    #[test]
    fn load_prunes_history_and_survives_garbage() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(QUEUE_FILE);
        let mut items: Vec<SavedItem> = (0..KEEP_FINISHED as u64 + 10)
            .map(|i| item(i, State::Done))
            .collect();
        items.push(item(9999, State::Running));
        std::fs::write(&p, Saved::to_bytes(items, 3)).unwrap();
        let s = Saved::load(&p);
        assert_eq!(s.items.len(), KEEP_FINISHED + 1);
        assert_eq!(s.items[0].id, TransferId(10));
        assert_eq!(s.next_id, 10_000);
        std::fs::write(&p, b"{not json").unwrap();
        assert!(Saved::load(&p).items.is_empty());
        assert!(d.path().join("queue.json.bad").exists());
    }

    #[test]
    fn every_kind_of_transfer_round_trips() {
        use crate::transfer::model::{DownloadSpec, HashMemo, Outcome, UploadSpec};
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(QUEUE_FILE);
        let upload = Spec::Upload(UploadSpec {
            path: "/x/a b.bin".into(),
            parent: "/".into(),
            access: Some(crate::api::Access::Private),
            skip_existing: true,
            hash: Some(HashMemo {
                size: 5,
                mtime_ns: u64::MAX - 1,
                md5: "0".repeat(32),
            }),
            attempted: true,
        });
        let download = Spec::Download(DownloadSpec {
            skip_existing: false,
            file_id: "abc".into(),
            dir: "/d".into(),
            connections: 4,
            name: Some("n.bin".into()),
            size: Some(1 << 40),
            md5: None,
            remote_name: None,
        });
        let mut items = vec![item(1, State::Failed("why".into())), item(2, State::Paused)];
        items.push(SavedItem {
            id: TransferId(3),
            parent: Some(TransferId(1)),
            spec: upload,
            state: State::Hashing,
            outcome: None,
            attempts: 0,
        });
        let outcome = Outcome::Downloaded {
            file_id: "abc".into(),
            path: "/d/n.bin".into(),
            size: 7,
            md5_verified: true,
            resumed_from: 3,
        };
        items.push(SavedItem {
            id: TransferId(4),
            parent: None,
            spec: download,
            state: State::Done,
            outcome: Some(outcome),
            attempts: 1,
        });
        std::fs::write(&p, Saved::to_bytes(items.clone(), 5)).unwrap();
        let back = Saved::load(&p);
        assert_eq!(back.items, items);
        assert!(!d.path().join("queue.json.bad").exists());
    }

    #[test]
    fn lock_is_exclusive() {
        let d = tempfile::tempdir().unwrap();
        let a = QueueLock::try_acquire(d.path()).unwrap();
        assert!(a.is_some());
        #[cfg(unix)]
        assert!(QueueLock::try_acquire(d.path()).unwrap().is_none());
        #[cfg(unix)]
        assert!(queue_in_use(d.path()));
        drop(a);
        assert!(QueueLock::try_acquire(d.path()).unwrap().is_some());
        assert!(!queue_in_use(d.path()));
    }
}
