//! The multipart POST to the upload node (`form_action`): form_data as text fields, then the
//! file streamed from disk with a known length, in constant memory, with progress. A stalled
//! connection (no byte sent, or no reply, for the client's timeout) is abandoned. Never retried.

use super::call::error_chain;
use super::client::{Client, Result};
use super::decode;
use super::error::ApiError;
use super::types::{UploadForm, UploadResult};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod file_body;

/// Progress shared between the body stream and the stall watchdog.
struct Activity {
    start: Instant,
    /// Milliseconds since `start` of the last chunk handed to the connection.
    last_ms: AtomicU64,
    sent: AtomicU64,
    done: AtomicBool,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }
    fn idle(&self) -> Duration {
        let now = self.start.elapsed();
        now.saturating_sub(Duration::from_millis(self.last_ms.load(Ordering::Relaxed)))
    }
}

/// Wrap the file stream: count bytes, report progress, note activity.
fn counting<S>(
    inner: S,
    activity: Arc<Activity>,
    total: u64,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static
where
    S: Stream<Item = std::io::Result<Bytes>> + Send + 'static,
{
    inner.map(move |chunk| {
        if let Ok(b) = &chunk {
            let sent = activity.sent.fetch_add(b.len() as u64, Ordering::Relaxed) + b.len() as u64;
            activity.touch();
            if sent >= total {
                activity.done.store(true, Ordering::Relaxed);
            }
            progress(sent);
        }
        chunk
    })
}

fn local_io(what: &str, path: &Path, e: std::io::Error) -> ApiError {
    ApiError::local(format!("cannot {what} {}: {e}", path.display()))
}

impl Client {
    /// The multipart POST to `form.form_action`: every form_data field as text, then the file
    /// under `form.file_field`, streamed from disk with a known Content-Length (constant memory).
    /// `progress` is called with the total bytes of the file actually sent so far. Never retried.
    pub async fn upload_file(
        &self,
        form: &UploadForm,
        path: &Path,
        file_name: &str,
        progress: Arc<dyn Fn(u64) + Send + Sync>,
    ) -> Result<UploadResult> {
        if form.form_action.trim().is_empty() {
            return Err(ApiError::local("the upload form has no form_action"));
        }
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| local_io("open", path, e))?;
        let meta = file.metadata().await.map_err(|e| local_io("read", path, e))?;
        if !meta.is_file() {
            return Err(ApiError::local(format!(
                "{} is not a regular file",
                path.display()
            )));
        }
        let size = meta.len();
        let name = if file_name.trim().is_empty() {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".into())
        } else {
            file_name.to_string()
        };
        let mime = mime_guess::from_path(&name).first_or_octet_stream();

        let activity = Arc::new(Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            done: AtomicBool::new(size == 0),
        });
        let stream = counting(
            file_body::stream(file.into_std().await, size),
            activity.clone(),
            size,
            progress,
        );
        let part = reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), size)
            .file_name(name)
            .mime_str(mime.as_ref())
            .map_err(|e| ApiError::local(format!("bad content type {mime}: {e}")))?;
        let mut multipart = reqwest::multipart::Form::new();
        for (k, v) in &form.form_data {
            multipart = multipart.text(k.clone(), v.clone());
        }
        let field = if form.file_field.trim().is_empty() {
            "file".to_string()
        } else {
            form.file_field.clone()
        };
        multipart = multipart.part(field, part);

        let request = async {
            let resp = self
                .inner
                .upload_http
                .post(&form.form_action)
                .multipart(multipart)
                .send()
                .await
                .map_err(|e| upload_transport(&e))?;
            let status = resp.status().as_u16();
            let body = resp.bytes().await.map_err(|e| upload_transport(&e))?;
            Ok::<_, ApiError>((status, body))
        };
        let stall = self.inner.timeout;
        // After the last byte the node still stores and hashes the file: allow it longer.
        let reply_wait = stall.saturating_mul(4).max(Duration::from_secs(60));
        let watchdog = async {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let limit = if activity.done.load(Ordering::Relaxed) {
                    reply_wait
                } else {
                    stall
                };
                if activity.idle() > limit {
                    return activity.done.load(Ordering::Relaxed);
                }
            }
        };
        tracing::info!("uploading {} bytes", size);
        let (status, body) = tokio::select! {
            r = request => r?,
            body_sent = watchdog => {
                let what = if body_sent { "no reply from the upload node" } else { "the upload stalled: no data accepted" };
                return Err(ApiError::Transport {
                    method: "upload".into(),
                    detail: format!("{what} for {} s", if body_sent { reply_wait } else { stall }.as_secs()),
                    timeout: true,
                });
            }
        };
        decode::upload_reply(status, &body)
    }
}

fn upload_transport(e: &reqwest::Error) -> ApiError {
    ApiError::Transport {
        method: "upload".into(),
        detail: error_chain(e),
        timeout: e.is_timeout(),
    }
}

/// How the client's request budget is being spent by uploads, and how fast uploads go: what
/// decides whether a lookup by hash can pay for itself. Shared by every clone of a client.
pub(super) struct UploadLoad {
    start: Instant,
    /// Upload jobs in progress now.
    active: AtomicU64,
    /// Until when (ms since `start`) the budget counts as shared by several uploads.
    shared_until_ms: AtomicU64,
    /// The last measured upload speed in bytes per second (0: none measured yet).
    speed: AtomicU64,
}

impl UploadLoad {
    pub(super) fn new() -> UploadLoad {
        UploadLoad {
            start: Instant::now(),
            active: AtomicU64::new(0),
            shared_until_ms: AtomicU64::new(0),
            speed: AtomicU64::new(0),
        }
    }
    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
    fn shared_for(&self, d: Duration) {
        let until = self
            .now_ms()
            .saturating_add(u64::try_from(d.as_millis()).unwrap_or(0));
        self.shared_until_ms.fetch_max(until, Ordering::Relaxed);
    }
}

/// An upload in progress, counted while this lives (see [`Client::upload_started`]).
pub struct UploadTurn {
    client: Client,
}

impl Drop for UploadTurn {
    fn drop(&mut self) {
        let load = &self.client.inner.uploads;
        if load.active.fetch_sub(1, Ordering::Relaxed) > 1 {
            load.shared_for(SHARED_LINGER);
        }
    }
}

/// After several uploads ran at once, the budget counts as shared this much longer (so that the
/// first and last files of a batch are treated like the others).
const SHARED_LINGER: Duration = Duration::from_secs(1);
/// A batch of files just queued shares the budget from the start, for this long at least.
const BATCH_AHEAD: Duration = Duration::from_secs(3);
/// Transfers shorter than this say little about the link's speed.
const MIN_MEASURED: u64 = 256 * 1024;

impl Client {
    /// Counts an upload as in progress until the returned value is dropped.
    pub fn upload_started(&self) -> UploadTurn {
        let load = &self.inner.uploads;
        if load.active.fetch_add(1, Ordering::Relaxed) >= 1 {
            load.shared_for(SHARED_LINGER);
        }
        UploadTurn { client: self.clone() }
    }

    /// Several files were just queued for upload: they will share the request budget.
    pub fn uploads_queued(&self, files: usize) {
        if files > 1 {
            self.inner.uploads.shared_for(BATCH_AHEAD);
        }
    }

    /// Whether other uploads compete for the request budget now (or did a moment ago).
    pub fn upload_budget_shared(&self) -> bool {
        let load = &self.inner.uploads;
        load.active.load(Ordering::Relaxed) > 1
            || load.now_ms() < load.shared_until_ms.load(Ordering::Relaxed)
    }

    /// Notes that `bytes` went to the upload node in `took`; short transfers are not counted.
    pub fn note_upload_speed(&self, bytes: u64, took: Duration) {
        let secs = took.as_secs_f64();
        if bytes < MIN_MEASURED || secs <= 0.0 {
            return;
        }
        let speed = (bytes as f64 / secs).min(u64::MAX as f64) as u64;
        self.inner.uploads.speed.store(speed.max(1), Ordering::Relaxed);
    }

    /// The last measured upload speed in bytes per second, if any.
    pub fn upload_speed(&self) -> Option<u64> {
        Some(self.inner.uploads.speed.load(Ordering::Relaxed)).filter(|&s| s > 0)
    }
}
