//! Shared server state and the router.

use super::faults::Faults;
use super::shapes::Shape;
use super::state::State;
use super::{download, routes, upload};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub faults: RwLock<Faults>,
    /// Which documented forms the replies take.
    pub shape: Shape,
    /// Per-run random secret for upload-form and download-URL signatures.
    pub secret: [u8; 32],
    /// "http://127.0.0.1:PORT"
    pub base: String,
    pub data_dir: PathBuf,
    pub calls: Mutex<HashMap<String, u64>>,
    pub api_seq: AtomicU64,
    pub upload_bodies: AtomicU64,
    /// Upload POSTs whose file body began to arrive (finished or not).
    pub upload_starts: AtomicU64,
    /// Download bodies being sent (the connection limit).
    pub streams: Arc<download::Streams>,
    /// The next so many calls of a method take effect but lose their answer (set by tests).
    pub lose_next: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    /// For remote uploads (loopback only).
    pub http: reqwest::Client,
}

impl Shared {
    /// The state, even after a panic elsewhere poisoned the lock.
    pub(crate) fn st(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    pub(crate) fn faults(&self) -> Faults {
        self.faults.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
    pub(crate) fn set_faults(&self, f: Faults) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = f;
    }
    pub(crate) fn count_call(&self, method: &str) {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        *calls.entry(method.to_string()).or_default() += 1;
    }
    pub(crate) fn calls(&self, method: &str) -> u64 {
        let calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.get(method).copied().unwrap_or(0)
    }
    /// Calls per method so far.
    pub(crate) fn call_counts(&self) -> std::collections::BTreeMap<String, u64> {
        let calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
    /// True for a call whose answer is to be lost (after it took effect).
    pub(crate) fn take_lost_answer(&self, method: &str) -> bool {
        let mut m = self.lose_next.lock().unwrap_or_else(|e| e.into_inner());
        match m.get_mut(method) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
    pub(crate) fn next_api_seq(&self) -> u64 {
        self.api_seq.fetch_add(1, Ordering::SeqCst)
    }
    pub(crate) fn api_url(&self) -> String {
        format!("{}/api/v2", self.base)
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let outage = Outage {
        shared: shared.clone(),
        served: Arc::new(AtomicU64::new(0)),
    };
    Router::new()
        .route("/", get(routes::index))
        .route("/api/v2/{method}", post(routes::api).get(routes::api_get))
        .route("/demo/stats", get(stats))
        .route("/upload", post(upload::upload).layer(DefaultBodyLimit::disable()))
        .route("/dl/{token}", get(download::download))
        .route("/dl/{token}/{*name}", get(download::download_named))
        .layer(axum::middleware::from_fn_with_state(outage, outage_faults))
        .with_state(shared)
}

/// `GET /demo/stats`: API calls per method, their total, the upload bodies begun and those
/// received in full, for a benchmark that runs the server in another process.
async fn stats(axum::extract::State(sh): axum::extract::State<Arc<Shared>>) -> axum::Json<serde_json::Value> {
    let calls = sh.call_counts();
    let total: u64 = calls.values().sum();
    axum::Json(serde_json::json!({
        "calls": calls,
        "total_calls": total,
        "upload_bodies": sh.upload_bodies.load(Ordering::SeqCst),
        "upload_starts": sh.upload_starts.load(Ordering::SeqCst),
    }))
}

/// What the `silent` and `die_download_after` knobs need: the faults, and the download bytes
/// served so far.
#[derive(Clone)]
struct Outage {
    shared: Arc<Shared>,
    served: Arc<AtomicU64>,
}

/// The `silent` and `die_download_after` knobs, before any route.
async fn outage_faults(
    axum::extract::State(o): axum::extract::State<Outage>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let f = o.shared.faults();
    if f.silent {
        // Hold the connection and never answer (the server's shutdown drops it).
        std::future::pending::<()>().await;
    }
    let Some(limit) = f.die_download_after else {
        o.served.store(0, Ordering::SeqCst);
        return next.run(req).await;
    };
    if !req.uri().path().starts_with("/dl/") {
        return next.run(req).await;
    }
    let resp = next.run(req).await;
    let (parts, body) = resp.into_parts();
    let served = o.served.clone();
    let stream = futures::StreamExt::map(body.into_data_stream(), move |chunk| {
        let mut chunk = chunk.map_err(std::io::Error::other)?;
        let before = served.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        if before >= limit {
            return Err(std::io::Error::other("demo fault: the download host died"));
        }
        if before + chunk.len() as u64 > limit {
            chunk.truncate((limit - before) as usize);
        }
        Ok(chunk)
    });
    // After the cut part of a chunk, the next poll fails: the connection ends early.
    axum::response::Response::from_parts(parts, axum::body::Body::from_stream(stream))
}
