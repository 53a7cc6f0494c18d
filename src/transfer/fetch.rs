//! One download connection: takes byte ranges from the plan, GETs them with a Range header and
//! writes them at their offsets in the .part file. Cuts are resumed where they stopped; an
//! expired URL (401/403) is replaced through getUrl. A connection the host refuses (429, 503, or
//! a reset before its first byte) while others work ends, its range left to the others: the
//! host has said how many it accepts.

use super::error::TransferError;
use super::gather::{self, Gather};
use super::job::{JobCtx, with_retries};
use super::plan::Plan;
use super::{geturl, hasher};
use futures::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, RANGE, RETRY_AFTER};
use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Bytes gathered (in the HTTP client's chunks) before one positioned write.
const CHUNK: usize = 256 * 1024;
/// Content-Length above this is nonsense (the API's size is trusted instead).
const MAX_SANE_LENGTH: u64 = 1 << 50;
/// URL refreshes in a row without progress before giving up.
const MAX_REFRESHES: u32 = 4;

/// The current download URL and its generation (bumped on every refresh).
pub(crate) struct Urls {
    file_id: String,
    cur: tokio::sync::Mutex<(String, u64)>,
}

impl Urls {
    pub fn new(file_id: &str, url: String) -> Urls {
        Urls {
            file_id: file_id.to_string(),
            cur: tokio::sync::Mutex::new((url, 0)),
        }
    }
    async fn current(&self) -> (String, u64) {
        self.cur.lock().await.clone()
    }
    /// Ask getUrl again, unless another connection already did since `seen`.
    async fn refresh(&self, ctx: &JobCtx, seen: u64) -> Result<(), TransferError> {
        let mut cur = self.cur.lock().await;
        if cur.1 != seen {
            return Ok(());
        }
        let (url, _) = with_retries(ctx, || geturl::resolve(ctx, &self.file_id))
            .await
            .map_err(|e| TransferError::api(&e))?;
        *cur = (url, seen + 1);
        Ok(())
    }
}

/// What the connections share.
pub(crate) struct Download {
    pub plan: Arc<Mutex<Plan>>,
    pub file: Arc<File>,
    pub urls: Urls,
    /// Chunks written where the md5 is go to it in memory.
    pub feed: Option<hasher::Feed>,
    /// Connections running now.
    pub live: AtomicUsize,
    /// Connections that have received body bytes.
    pub started: AtomicUsize,
    /// Body bytes received by all connections (before they are written).
    pub received: AtomicU64,
    /// One connection runs and no more will: a GET asks for the run of untouched ranges after
    /// its own and goes on through them, instead of one request per range.
    pub alone: AtomicBool,
}

/// How a connection ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// No range is left for it.
    Done,
    /// The host refused it while others ran: it stopped, leaving its range to them.
    Refused,
}

/// Whether a failed request says the host takes no more connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    No,
    /// It answered 429 or 503.
    Said,
    /// The connection failed before any answer: a refusal when it never got a byte.
    Reset,
}

impl Refusal {
    /// True when a connection so failed should leave its range to the others.
    fn gives_way(self, fresh: bool) -> bool {
        match self {
            Refusal::No => false,
            Refusal::Said => true,
            Refusal::Reset => fresh,
        }
    }
}

enum Failure {
    /// Try again (after a pause when nothing was gained).
    Retry {
        why: String,
        after: Option<Duration>,
        refused: Refusal,
    },
    /// The URL is no longer valid.
    Expired(StatusCode),
    Fatal(TransferError),
}

impl Download {
    pub fn with_plan<T>(&self, f: impl FnOnce(&mut Plan) -> T) -> T {
        let mut guard = self.plan.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }

    /// One connection's life: ranges until none is left, or until the host refuses it.
    pub async fn connection(&self, ctx: &JobCtx) -> Result<Ended, TransferError> {
        let min = ctx.opts.min_segment;
        self.live.fetch_add(1, Ordering::AcqRel);
        let mut fresh = true;
        let end = loop {
            let Some(mut idx) = self.with_plan(|p| p.take_work(min)) else {
                break Ok(Ended::Done);
            };
            let r = self.segment(ctx, &mut idx, &mut fresh).await;
            self.with_plan(|p| p.segments[idx].busy = false);
            match r {
                Ok(Ended::Done) => {}
                other => break other,
            }
        };
        // A refused connection has counted itself out already.
        if end != Ok(Ended::Refused) {
            self.live.fetch_sub(1, Ordering::AcqRel);
        }
        end
    }

    /// Counts this connection out when others still run. True when it did (it then stops).
    fn give_way(&self) -> bool {
        self.live
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n > 1).then(|| n - 1))
            .is_ok()
    }

    /// Range `idx` to its end (and the ranges a single connection went on into: `idx` is then
    /// the last of them).
    async fn segment(&self, ctx: &JobCtx, idx: &mut usize, fresh: &mut bool) -> Result<Ended, TransferError> {
        let mut fails = 0u32;
        let mut refreshes = 0u32;
        loop {
            let (first, before) = (*idx, self.with_plan(|p| p.segments[*idx]));
            if before.finished() {
                return Ok(Ended::Done);
            }
            let (url, generation) = self.urls.current().await;
            let result = self.fetch(ctx, idx, &url, fresh).await;
            let progressed = *idx != first || self.with_plan(|p| p.segments[*idx].done) > before.done;
            if progressed {
                fails = 0;
                refreshes = 0;
            }
            match result {
                Ok(()) if progressed || self.with_plan(|p| p.segments[*idx].finished()) => continue,
                Ok(()) => {
                    fails += 1;
                    if ctx.out_of_retries(fails) {
                        return Err(TransferError::host(
                            "the download host sends nothing for this range",
                        ));
                    }
                    ctx.wait_retry(fails, "no data for this range", None).await;
                }
                Err(Failure::Fatal(why)) => return Err(why),
                Err(Failure::Expired(status)) => {
                    refreshes += 1;
                    if refreshes > MAX_REFRESHES {
                        return Err(TransferError::host(format!(
                            "the download host keeps refusing the URL (HTTP {status})"
                        )));
                    }
                    tracing::info!("download URL refused (HTTP {status}); asking getUrl again");
                    self.urls.refresh(ctx, generation).await?;
                }
                Err(Failure::Retry { why, after, refused }) => {
                    tracing::debug!("download connection: {why}");
                    if progressed {
                        continue;
                    }
                    if refused.gives_way(*fresh) && self.give_way() {
                        tracing::debug!("download connection refused ({why}): leaving it to the others");
                        return Ok(Ended::Refused);
                    }
                    fails += 1;
                    if ctx.out_of_retries(fails) {
                        return Err(TransferError::host(why));
                    }
                    ctx.wait_retry(fails, &why, after).await;
                }
            }
        }
    }

    /// One GET for the rest of range `idx`. Ok when the range is complete.
    async fn fetch(&self, ctx: &JobCtx, idx: &mut usize, url: &str, fresh: &mut bool) -> Result<(), Failure> {
        let (seg, run_end) = self.with_plan(|p| (p.segments[*idx], p.free_run_end(*idx)));
        let from = seg.pos();
        let end = if self.alone.load(Ordering::Acquire) {
            run_end
        } else {
            seg.end
        };
        let range = match end {
            Some(e) => format!("bytes={from}-{}", e.saturating_sub(1)),
            None => format!("bytes={from}-"),
        };
        let req = ctx
            .client
            .http()
            .get(url)
            .header(RANGE, range)
            // The whole body may take hours; stalls are caught per chunk below.
            .timeout(Duration::from_secs(30 * 24 * 3600))
            .send();
        let resp = match tokio::time::timeout(ctx.opts.read_timeout, req).await {
            Err(_) => return Err(retry("no answer from the download host in time")),
            Ok(Err(e)) => {
                return Err(Failure::Retry {
                    why: format!("download host: {}", error_chain(&e)),
                    after: None,
                    refused: Refusal::Reset,
                });
            }
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        tracing::debug!("range {from}: HTTP {status}");
        let mut skip = 0u64;
        match status {
            StatusCode::PARTIAL_CONTENT => match content_range(&resp) {
                Some((start, total)) if start == from => {
                    if let Some(t) = total.filter(|t| *t <= MAX_SANE_LENGTH) {
                        self.with_plan(|p| p.learn_size(t));
                    }
                }
                _ => return Err(retry("the download host sent another range than asked")),
            },
            StatusCode::OK => {
                // No range support: read from the start and skip what we have.
                skip = from;
                let whole = self.with_plan(|p| p.segments.len() == 1);
                if let Some(len) = resp.content_length().filter(|l| *l <= MAX_SANE_LENGTH && whole) {
                    self.with_plan(|p| p.learn_size(len));
                }
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE => {
                return Err(Failure::Expired(status));
            }
            StatusCode::RANGE_NOT_SATISFIABLE => {
                let size = self.with_plan(|p| p.size);
                if size.is_some_and(|s| from >= s) {
                    return Ok(());
                }
                return Err(retry("the download host refused the byte range"));
            }
            s if s.is_server_error()
                || s == StatusCode::TOO_MANY_REQUESTS
                || s == StatusCode::REQUEST_TIMEOUT =>
            {
                let after = retry_after(&resp);
                return Err(Failure::Retry {
                    why: format!("download host: HTTP {s}"),
                    after,
                    refused: refuses_more(s),
                });
            }
            s => {
                return Err(Failure::Fatal(TransferError::host(format!(
                    "the download host answered HTTP {s}"
                ))));
            }
        }
        self.stream(ctx, idx, resp, (from, skip), fresh).await
    }

    async fn stream(
        &self,
        ctx: &JobCtx,
        idx: &mut usize,
        resp: reqwest::Response,
        (from, mut skip): (u64, u64),
        fresh: &mut bool,
    ) -> Result<(), Failure> {
        let mut body = resp.bytes_stream();
        let mut buf = Gather::default();
        let mut pos = from;
        loop {
            let next = tokio::time::timeout(ctx.opts.read_timeout, body.next()).await;
            let chunk = match next {
                Err(_) => {
                    self.flush(ctx, *idx, &mut buf, &mut pos).await?;
                    return Err(retry("the download stalled"));
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    self.flush(ctx, *idx, &mut buf, &mut pos).await?;
                    return Err(retry(&format!("download cut: {}", error_chain(&e))));
                }
                Ok(Some(Ok(c))) => c,
            };
            let mut data = chunk;
            if skip > 0 {
                let k = skip.min(data.len() as u64) as usize;
                data = data.slice(k..);
                skip -= k as u64;
            }
            if !data.is_empty() {
                self.received.fetch_add(data.len() as u64, Ordering::Relaxed);
                if std::mem::take(fresh) {
                    self.started.fetch_add(1, Ordering::AcqRel);
                }
            }
            buf.push(data);
            while buf.len() >= CHUNK && self.flush(ctx, *idx, &mut buf, &mut pos).await? {
                if !self.go_on(idx) {
                    return Ok(());
                }
            }
        }
        while self.flush(ctx, *idx, &mut buf, &mut pos).await? {
            if buf.len() == 0 || !self.go_on(idx) {
                return Ok(());
            }
        }
        // End of stream before the end of the range: a cut, unless the size was unknown.
        let seg = self.with_plan(|p| p.segments[*idx]);
        if seg.end.is_none() {
            self.with_plan(|p| p.learn_size(pos));
            return Ok(());
        }
        Err(retry("the download host closed the connection early"))
    }

    /// Range `idx` is complete: true when this lone connection goes on into the untouched
    /// range after it (`idx` then names that one).
    fn go_on(&self, idx: &mut usize) -> bool {
        if !self.alone.load(Ordering::Acquire) {
            return false;
        }
        match self.with_plan(|p| p.continue_after(*idx)) {
            Some(next) => {
                *idx = next;
                true
            }
            None => false,
        }
    }

    /// Write `buf` at `pos` (no further than the range's current end, which a split may have
    /// moved; what lies beyond stays in `buf`), then count it. True when the range is complete.
    async fn flush(
        &self,
        ctx: &JobCtx,
        idx: usize,
        buf: &mut Gather,
        pos: &mut u64,
    ) -> Result<bool, Failure> {
        let end = self.with_plan(|p| p.segments[idx].end);
        let allowed = end.map_or(buf.len() as u64, |e| e.saturating_sub(*pos));
        let n = (buf.len() as u64).min(allowed) as usize;
        // Bytes past the range's end (a split moved it) are dropped.
        let parts = buf.take(n);
        if n > 0 {
            let at = *pos;
            // Bytes the md5 needs soon go to it in memory; others are read back later.
            if let Some(f) = self.feed.as_ref() {
                f.catch_up(at, n as u64).await;
            }
            let feed = self.feed.as_ref().filter(|f| f.wants(at, n as u64));
            let file = self.file.clone();
            let back =
                tokio::task::spawn_blocking(move || gather::write_all_at(&file, &parts, at).map(|()| parts))
                    .await;
            let parts = match back {
                Ok(Ok(parts)) => parts,
                Ok(Err(e)) => {
                    return Err(Failure::Fatal(TransferError::other(format!(
                        "cannot write the download: {e}"
                    ))));
                }
                Err(e) => {
                    return Err(Failure::Fatal(TransferError::other(format!(
                        "cannot write the download: {e}"
                    ))));
                }
            };
            if let Some(f) = feed {
                f.offer_all(at, parts);
            }
            *pos += n as u64;
            self.with_plan(|p| p.segments[idx].done += n as u64);
            ctx.progress.add_done(n as u64);
        }
        Ok(end.is_some_and(|e| *pos >= e))
    }
}

fn retry(why: &str) -> Failure {
    Failure::Retry {
        why: why.to_string(),
        after: None,
        refused: Refusal::No,
    }
}

/// The statuses with which a host says it takes no more connections now.
fn refuses_more(s: StatusCode) -> Refusal {
    if s == StatusCode::TOO_MANY_REQUESTS || s == StatusCode::SERVICE_UNAVAILABLE {
        Refusal::Said
    } else {
        Refusal::No
    }
}

/// reqwest's message with its causes ("error decoding response body: connection reset"), the
/// signed URL's query redacted.
fn error_chain(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    crate::api::redact_text(&s)
}

/// "bytes 100-199/1000" -> (100, Some(1000)); "bytes 100-199/*" -> (100, None).
fn content_range(resp: &reqwest::Response) -> Option<(u64, Option<u64>)> {
    let v = resp.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    let rest = v.trim().strip_prefix("bytes")?.trim();
    let (range, total) = rest.split_once('/')?;
    let start = range.split_once('-')?.0.trim().parse().ok()?;
    Some((start, total.trim().parse().ok()))
}

fn retry_after(resp: &reqwest::Response) -> Option<Duration> {
    let secs: u64 = resp
        .headers()
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs.min(600)))
}

#[cfg(unix)]
#[allow(dead_code)]
pub(super) fn write_all_at(file: &File, data: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, data, at)
}

#[cfg(windows)]
pub(super) fn write_all_at(file: &File, mut data: &[u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !data.is_empty() {
        let n = file.seek_write(data, at)?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        data = &data[n..];
        at += n as u64;
    }
    Ok(())
}
