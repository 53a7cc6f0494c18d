//! `GET|HEAD /dl/<signed token>/<name>`: streams a file from disk (or generates a big-folder
//! body), with single byte ranges (206, 416), the bandwidth cap, the drop-after fault and the
//! limit of connections served at once (503 beyond it).

use super::faults::{Faults, Pace};
use super::seed::big_body;
use super::server::Shared;
use super::sign;
use super::state::{Blob, Source};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The chunk of a paced body (smaller when the cap is low).
const CHUNK: usize = 256 * 1024;
/// The chunk of an unpaced body: fewer reads and wakeups per byte.
const FAST_CHUNK: usize = 1 << 20;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Range {
    Full,
    /// Inclusive first and last byte.
    Part(u64, u64),
    Unsatisfiable,
}

/// One `bytes=` range; several ranges or a malformed header serve the whole body.
pub(crate) fn parse_range(h: Option<&str>, size: u64) -> Range {
    let Some(h) = h else { return Range::Full };
    let Some(spec) = h.trim().strip_prefix("bytes=") else {
        return Range::Full;
    };
    if spec.contains(',') {
        return Range::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Range::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        let Ok(n) = b.parse::<u64>() else {
            return Range::Full;
        };
        if n == 0 || size == 0 {
            return Range::Unsatisfiable;
        }
        return Range::Part(size.saturating_sub(n), size - 1);
    }
    let Ok(start) = a.parse::<u64>() else {
        return Range::Full;
    };
    let end = if b.is_empty() {
        u64::MAX
    } else {
        match b.parse::<u64>() {
            Ok(e) if e >= start => e,
            _ => return Range::Full,
        }
    };
    if start >= size {
        return Range::Unsatisfiable;
    }
    Range::Part(start, end.min(size - 1))
}

/// Download bodies being sent, the most at once, and the GETs refused by the connection limit.
#[derive(Debug, Default)]
pub(crate) struct Streams {
    active: AtomicU64,
    peak: AtomicU64,
    refused: AtomicU64,
}

impl Streams {
    /// A slot for one more body, unless `limit` are being sent already.
    fn enter(self: &Arc<Self>, limit: Option<u32>) -> Option<Slot> {
        let limit = limit.map_or(u64::MAX, u64::from);
        let got = self
            .active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            });
        match got {
            Ok(n) => {
                self.peak.fetch_max(n + 1, Ordering::AcqRel);
                Some(Slot(self.clone()))
            }
            Err(_) => {
                self.refused.fetch_add(1, Ordering::AcqRel);
                None
            }
        }
    }
    /// The most bodies sent at once so far.
    pub(crate) fn peak(&self) -> u64 {
        self.peak.load(Ordering::Acquire)
    }
    /// GETs answered 503 by the connection limit so far.
    pub(crate) fn refused(&self) -> u64 {
        self.refused.load(Ordering::Acquire)
    }
}

/// One body being sent; frees its place when the body ends or is dropped.
struct Slot(Arc<Streams>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::AcqRel);
    }
}

enum Reader {
    /// Read in order, one chunk at a time.
    File(Arc<std::fs::File>),
    Mem(Bytes),
}

struct Dl {
    reader: Reader,
    remaining: u64,
    sent: u64,
    pace: Pace,
    drop_after: Option<u64>,
    chunk: usize,
    _slot: Slot,
}

async fn next_chunk(mut dl: Dl) -> Option<(io::Result<Bytes>, Option<Dl>)> {
    if dl.remaining == 0 {
        return None;
    }
    let mut n = (dl.chunk as u64).min(dl.remaining);
    if let Some(limit) = dl.drop_after {
        if dl.sent >= limit {
            // Let what was sent reach the socket before the connection is cut.
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            return Some((Err(io::Error::other("demo fault: download dropped")), None));
        }
        n = n.min(limit - dl.sent);
    }
    let bytes = match &mut dl.reader {
        Reader::Mem(b) => b.split_to((n as usize).min(b.len())),
        Reader::File(f) => {
            let f = f.clone();
            match tokio::task::spawn_blocking(move || read_chunk(&f, n)).await {
                Ok(Ok(b)) if b.is_empty() => {
                    return Some((Err(io::Error::other("file shorter than expected")), None));
                }
                Ok(Ok(b)) => b,
                Ok(Err(e)) => return Some((Err(e), None)),
                Err(e) => return Some((Err(io::Error::other(e)), None)),
            }
        }
    };
    if bytes.is_empty() {
        return Some((Err(io::Error::other("body shorter than expected")), None));
    }
    dl.remaining -= bytes.len() as u64;
    dl.sent += bytes.len() as u64;
    dl.pace.after(bytes.len() as u64).await;
    Some((Ok(bytes), Some(dl)))
}

async fn open(blob: &Blob, start: u64, len: u64, f: &Faults, slot: Slot) -> io::Result<Dl> {
    let reader = match &blob.src {
        Source::Disk(path) => {
            let path = path.clone();
            let file = tokio::task::spawn_blocking(move || -> io::Result<std::fs::File> {
                let mut file = std::fs::File::open(path)?;
                io::Seek::seek(&mut file, io::SeekFrom::Start(start))?;
                Ok(file)
            })
            .await
            .map_err(io::Error::other)??;
            Reader::File(Arc::new(file))
        }
        Source::Generated(i) => {
            let body = Bytes::from(big_body(*i));
            let end = (start + len).min(body.len() as u64) as usize;
            Reader::Mem(body.slice((start as usize).min(end)..end))
        }
    };
    let pace = Pace::new(f.bandwidth);
    let chunk = if f.bandwidth.is_some_and(|b| b > 0) {
        pace.chunk(CHUNK)
    } else {
        FAST_CHUNK
    };
    Ok(Dl {
        reader,
        remaining: len,
        sent: 0,
        pace,
        drop_after: f.drop_download_after,
        chunk,
        _slot: slot,
    })
}

/// Up to `n` bytes from the file's position, read straight into the chunk sent (no zeroed
/// buffer, no second copy); empty at the end of the file.
fn read_chunk(file: &std::fs::File, n: u64) -> io::Result<Bytes> {
    let mut buf = Vec::with_capacity(n as usize);
    let mut f: &std::fs::File = file;
    io::Read::read_to_end(&mut io::Read::take(&mut f, n), &mut buf)?;
    Ok(Bytes::from(buf))
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain")], text).into_response()
}

pub(crate) async fn download(
    State(sh): State<Arc<Shared>>,
    method: Method,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&sh, &method, &token, &headers).await
}

pub(crate) async fn download_named(
    State(sh): State<Arc<Shared>>,
    method: Method,
    Path((token, _name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    serve(&sh, &method, &token, &headers).await
}

async fn serve(sh: &Shared, method: &Method, token: &str, headers: &HeaderMap) -> Response {
    let Ok(id) = sign::check_download_token(&sh.secret, token, sign::now_ms()) else {
        return plain(
            StatusCode::UNAUTHORIZED,
            "This download link is invalid or has expired",
        );
    };
    let range_h = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let head = method == Method::HEAD;
    let found = {
        let mut st = sh.st();
        st.nodes.get_mut(&id).filter(|n| !n.blocked).and_then(|n| {
            let blob = n.blob.clone()?;
            let range = parse_range(range_h, blob.size);
            let first = match range {
                Range::Full => Some(0),
                Range::Part(s, _) => Some(s),
                Range::Unsatisfiable => None,
            };
            if !head && first == Some(0) {
                n.downloads += 1;
                n.last_download = Some(Utc::now());
            }
            Some((blob, range, n.name.clone(), n.content_type.clone()))
        })
    };
    let Some((blob, range, name, ctype)) = found else {
        return plain(StatusCode::NOT_FOUND, "File not found");
    };
    let size = blob.size;
    let (status, start, len) = match range {
        Range::Full => (StatusCode::OK, 0, size),
        Range::Part(s, e) => (StatusCode::PARTIAL_CONTENT, s, e - s + 1),
        Range::Unsatisfiable => {
            let mut r = plain(StatusCode::RANGE_NOT_SATISFIABLE, "Range not satisfiable");
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r.headers_mut()
                .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return r;
        }
    };
    let faults = sh.faults();
    let body = if head {
        Body::empty()
    } else {
        let Some(slot) = sh.streams.enter(faults.max_download_connections) else {
            let mut r = plain(StatusCode::SERVICE_UNAVAILABLE, "Too many connections");
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        };
        match open(&blob, start, len, &faults, slot).await {
            Ok(dl) => Body::from_stream(futures::stream::unfold(Some(dl), |s| async move {
                next_chunk(s?).await
            })),
            Err(e) => {
                tracing::warn!("demo download: {e}");
                return plain(StatusCode::INTERNAL_SERVER_ERROR, "Storage error");
            }
        }
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    let ctype = if ctype.is_empty() {
        "application/octet-stream".to_string()
    } else {
        ctype
    };
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        super::routes::encode_segment(&name)
    );
    for (k, v) in [
        (header::CONTENT_TYPE, ctype),
        (header::CONTENT_LENGTH, len.to_string()),
        (header::ACCEPT_RANGES, "bytes".to_string()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::ETAG, format!("\"{}\"", blob.md5)),
    ] {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{size}", start + len - 1))
    {
        h.insert(header::CONTENT_RANGE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 10), Range::Full);
        assert_eq!(parse_range(Some("bytes=0-4"), 10), Range::Part(0, 4));
        assert_eq!(parse_range(Some("bytes=5-"), 10), Range::Part(5, 9));
        assert_eq!(parse_range(Some("bytes=5-100"), 10), Range::Part(5, 9));
        assert_eq!(parse_range(Some("bytes=-3"), 10), Range::Part(7, 9));
        assert_eq!(parse_range(Some("bytes=-30"), 10), Range::Part(0, 9));
        assert_eq!(parse_range(Some("bytes=10-"), 10), Range::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Range::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,3-4"), 10), Range::Full);
        assert_eq!(parse_range(Some("bytes=4-2"), 10), Range::Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Range::Full);
    }
}
