//! Sending a file the service may already have: the POST starts at once while the same file is
//! hashed on a thread of its own; when the hash is done first and the bytes still to send are
//! worth a call, findFile is asked (the POST going on meanwhile), and if the service knows the
//! content the POST is dropped and createFileByHash makes the file. When the POST is done
//! first, no lookup is made. Also the rule for when a lookup pays for itself at all.

use super::job::JobCtx;
use super::model::{HashMemo, State};
use crate::api::{ApiError, Client, CreateFileByHash, UploadResult};
use crate::md5sum::Md5;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The upload speed assumed until one is measured (a modest link).
const ASSUMED_SPEED: u64 = 8 << 20;
/// A POST this long tells the speed of the link better than the last upload does.
const MEASURED_AFTER: Duration = Duration::from_millis(500);

/// Whether a findFile for `bytes_left` bytes still to send can save more than it costs. When no
/// other upload shares the request budget, the call costs only its round trip: it pays. When
/// several do, it costs one request slot (1 / requests per second) that another file's upload
/// form is waiting for: it pays when sending the rest would take longer than that, at `speed`
/// (bytes/s, measured on this POST) or else the client's last measured upload speed.
pub(crate) fn lookup_pays(client: &Client, bytes_left: u64, speed: Option<u64>) -> bool {
    if !client.upload_budget_shared() {
        return true;
    }
    let speed = speed
        .or_else(|| client.upload_speed())
        .unwrap_or(ASSUMED_SPEED)
        .max(1) as f64;
    let slot = 1.0 / f64::from(client.requests_per_second().max(1));
    bytes_left as f64 / speed > slot
}

/// How a raced upload ended.
pub(crate) enum Raced {
    /// The POST went through.
    Posted(UploadResult),
    /// The service had the content: made by hash, the POST dropped.
    ByHash(crate::api::Created),
}

/// What the race needs to know of the file.
pub(crate) struct RaceFile<'a> {
    pub path: &'a Path,
    pub name: &'a str,
    pub size: u64,
    pub parent: &'a str,
    pub access: Option<crate::api::Access>,
    /// Size and mtime before sending: the memo's stamp when the hash is done.
    pub stamp: (u64, u64),
}

/// The POST of `form` raced against the hash (see the module docs). `memo` receives the hash
/// when it was done in time.
pub(crate) async fn race(
    ctx: &JobCtx,
    form: &crate::api::UploadForm,
    file: &RaceFile<'_>,
    memo: &mut Option<HashMemo>,
) -> Result<Raced, ApiError> {
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    // Boxed, so that dropping it below really ends the request (and closes its connection).
    let mut post = Box::pin(send(ctx, form, file.path, file.name, file.size, sent.clone()));
    let hashed = tokio::select! {
        r = &mut post => return r.map(Raced::Posted),
        h = hash_aside(file.path) => h,
    };
    let md5 = match hashed {
        Ok(md5) => md5,
        Err(e) => {
            tracing::info!("hashing {} aside failed: {e}", file.path.display());
            return post.await.map(Raced::Posted);
        }
    };
    *memo = Some(HashMemo {
        size: file.stamp.0,
        mtime_ns: file.stamp.1,
        md5: md5.clone(),
    });
    let done = sent.load(Ordering::Relaxed);
    let took = started.elapsed();
    let speed = (took >= MEASURED_AFTER).then(|| (done as f64 / took.as_secs_f64()) as u64);
    if !lookup_pays(&ctx.client, file.size.saturating_sub(done), speed) {
        return post.await.map(Raced::Posted);
    }
    let known = tokio::select! {
        r = &mut post => return r.map(Raced::Posted),
        k = ctx.client.find_file(&md5) => k,
    };
    match known {
        Ok(true) => {}
        Ok(false) => return post.await.map(Raced::Posted),
        Err(e) => {
            tracing::info!("findFile failed, the upload goes on: {e}");
            return post.await.map(Raced::Posted);
        }
    }
    // Known content: stop sending (dropping the POST closes its connection).
    drop(post);
    ctx.state(State::Checking);
    let req = CreateFileByHash {
        hash: md5,
        name: file.name.to_string(),
        parent: Some(file.parent.to_string()),
        access: file.access.clone(),
    };
    ctx.client.create_file_by_hash(&req).await.map(Raced::ByHash)
}

/// The POST with progress, the "storing" state after the last byte, and the speed noted.
pub(crate) async fn send(
    ctx: &JobCtx,
    form: &crate::api::UploadForm,
    path: &Path,
    name: &str,
    size: u64,
    sent: Arc<AtomicU64>,
) -> Result<UploadResult, ApiError> {
    ctx.state(State::Running);
    let progress = ctx.progress.clone();
    // After the last byte the service stores the file before it answers: say so.
    let (storing, sent_all) = (ctx.state_sender(), AtomicBool::new(false));
    let report: Arc<dyn Fn(u64) + Send + Sync> = Arc::new(move |n| {
        progress.set_done(n);
        sent.store(n, Ordering::Relaxed);
        if n >= size && !sent_all.swap(true, Ordering::Relaxed) {
            storing(State::Storing);
        }
    });
    let started = Instant::now();
    let result = ctx.client.upload_file(form, path, name, report).await?;
    ctx.client.note_upload_speed(size, started.elapsed());
    if result.user_file_id.is_empty() {
        return Err(ApiError::Upload {
            http_status: 0,
            message: "the upload node sent no file id".into(),
        });
    }
    Ok(result)
}

/// Sets a flag when dropped, so that the hashing thread stops when its upload is done.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The md5 of a file, read on a thread of its own at a lower CPU priority, so that on a busy
/// machine the POST (and the node it sends to) go first. Stops when the future is dropped.
async fn hash_aside(path: &Path) -> std::io::Result<String> {
    let stop = Arc::new(AtomicBool::new(false));
    let _guard = StopOnDrop(stop.clone());
    let (tx, rx) = oneshot::channel();
    let path: PathBuf = path.to_path_buf();
    std::thread::Builder::new()
        .name("k2s-hash".into())
        .spawn(move || {
            lower_priority();
            let _ = tx.send(hash_until(&path, &stop));
        })?;
    rx.await
        .map_err(|_| std::io::Error::other("the hashing thread stopped"))?
}

fn hash_until(path: &Path, stop: &AtomicBool) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("stopped"));
        }
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h.hex());
        }
        h.update(&buf[..n]);
    }
}

/// A niceness of 10 for the calling thread only (Linux); elsewhere nothing.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid);
        if let Ok(tid) = libc::id_t::try_from(tid) {
            let _ = libc::setpriority(libc::PRIO_PROCESS, tid, 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ClientConfig;

    fn client() -> Client {
        Client::new(ClientConfig {
            base_url: "http://127.0.0.1:9/api/v2".into(),
            ..ClientConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn a_lookup_is_weighed_only_when_uploads_share_the_budget() {
        let c = client();
        // Alone: the call costs its round trip only.
        assert!(lookup_pays(&c, 1, None));
        let _a = c.upload_started();
        assert!(lookup_pays(&c, 1, None));
        let _b = c.upload_started();
        // Shared, 5 calls/s, 8 MiB/s assumed: a slot is worth 1.6 MiB of sending.
        assert!(!lookup_pays(&c, 1 << 20, None));
        assert!(lookup_pays(&c, 2 << 20, None));
        // A slow link makes small files worth a look.
        assert!(lookup_pays(&c, 1 << 20, Some(1 << 20)));
        c.note_upload_speed(64 << 20, Duration::from_secs(1));
        assert!(!lookup_pays(&c, 8 << 20, None), "at 64 MiB/s 8 MiB take 125 ms");
    }

    #[test]
    fn a_queued_batch_shares_the_budget_from_its_first_file() {
        let c = client();
        assert!(!c.upload_budget_shared());
        c.uploads_queued(1);
        assert!(!c.upload_budget_shared());
        c.uploads_queued(200);
        assert!(c.upload_budget_shared());
    }
}
