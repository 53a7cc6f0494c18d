//! Fault knobs: all off by default, changeable at run time with `DemoServer::set_faults`.

use rand::Rng;
use std::time::{Duration, Instant};

/// Fault knobs, all off by default. `k2s demo-server` flattens them into its flags.
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct Faults {
    /// Milliseconds added to every API call.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Fraction (0..1) of API calls answered with HTTP 500 and a JSON error, or with HTTP 200 and
    /// truncated JSON (half each, at random). A faulted call changes nothing.
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Download connections are closed after this many body bytes.
    #[arg(long)]
    pub drop_download_after: Option<u64>,
    /// Bytes per second, per download or upload connection.
    #[arg(long)]
    pub bandwidth: Option<u64>,
    /// Download connections served at once (per client; the demo listens on loopback, so all
    /// of them): a GET beyond them is answered HTTP 503 with `Retry-After: 1`.
    #[arg(long)]
    pub max_download_connections: Option<u32>,
    /// Upload connections are reset (TCP RST, no answer) after this many file bytes; nothing is
    /// stored.
    #[arg(long)]
    pub reset_upload_after: Option<u64>,
    /// Session tokens (from login) expire this many seconds after login: 403, errorCode 10
    /// (reference) or 11 (live).
    #[arg(long)]
    pub token_ttl: Option<u64>,
    /// Bursts of 429: with N, API calls run in cycles of N + 3: the first N are served, the next 3
    /// answer HTTP 429 "Too many requests, please wait 1 minute". N = 0 answers every call 429.
    #[arg(long = "burst-429")]
    pub burst_429: Option<u32>,
    /// Download URLs from getUrl expire this many seconds after they were issued (default one day);
    /// a stale URL answers 401.
    #[arg(long)]
    pub url_ttl: Option<u64>,
    /// Fraction (0..1) of API calls that take effect but whose answer is lost on the way back
    /// (HTTP 502, no JSON), as when a proxy times out: a blind retry then finds the work done.
    #[arg(long, default_value_t = 0.0)]
    pub lost_answer_rate: f64,
    /// Bytes each account may store: uploads and createFileByHash beyond it are refused with
    /// errorCode 64, "Disk quota exceeded" (the upload node says it in its message).
    #[arg(long)]
    pub quota: Option<u64>,
    /// Fraction (0..1) of API calls (every method, reads and writes) answered HTTP 400 "Invalid
    /// request params" (errorCode 2 reference, 4 live) without taking effect, as the live service
    /// sometimes answers a correct request.
    #[arg(long = "stray-400-rate", default_value_t = 0.0)]
    pub stray_400_rate: f64,
    /// Accept every connection and never answer (API, uploads and downloads alike), as a hung
    /// server or a black-holing proxy does.
    #[arg(long)]
    pub silent: bool,
    /// The download host dies after serving this many body bytes in all (from when the knob was
    /// set): the connection is cut there, and every later download connection is cut before its
    /// first byte, for good.
    #[arg(long)]
    pub die_download_after: Option<u64>,
    /// getFilesList ignores `sort` and answers in id order, as a server that does not know the
    /// key would (the reference lists no size order); paging stays consistent.
    #[arg(long)]
    pub unsorted_listing: bool,
    /// Milliseconds the upload node takes to store a file after its last byte came in, before
    /// it answers the POST (a slow final answer).
    #[arg(long, default_value_t = 0)]
    pub store_delay_ms: u64,
    /// The server goes down after this many API calls since it started: every later API call
    /// answers HTTP 500, as when a long crawl is cut off midway.
    #[arg(long, value_name = "N")]
    pub down_after_calls: Option<u64>,
}

/// Download URLs live this long unless `url_ttl` says otherwise.
pub(crate) const DEFAULT_URL_TTL: u64 = 24 * 3600;
/// A burst of 429s is this many calls long.
pub(crate) const BURST_LEN: u64 = 3;

/// What an API call gets instead of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiFault {
    TooMany,
    Fail500,
    Truncated,
    /// HTTP 400 "Invalid request params" for a correct request.
    Stray400,
}

/// Whether the answer of a call that went through is lost.
pub(crate) fn answer_lost(f: &Faults) -> bool {
    f.lost_answer_rate > 0.0 && rand::rng().random::<f64>() < f.lost_answer_rate
}

/// Decides the fault for the `n`-th API call (0-based).
pub(crate) fn decide(f: &Faults, n: u64) -> Option<ApiFault> {
    if f.down_after_calls.is_some_and(|k| n >= k) {
        return Some(ApiFault::Fail500);
    }
    if let Some(burst) = f.burst_429 {
        let burst = u64::from(burst);
        if n % (burst + BURST_LEN) >= burst {
            return Some(ApiFault::TooMany);
        }
    }
    if f.stray_400_rate > 0.0 && rand::rng().random::<f64>() < f.stray_400_rate {
        return Some(ApiFault::Stray400);
    }
    if f.fail_rate > 0.0 {
        let mut rng = rand::rng();
        if rng.random::<f64>() < f.fail_rate {
            return Some(if rng.random_bool(0.5) {
                ApiFault::Fail500
            } else {
                ApiFault::Truncated
            });
        }
    }
    None
}

/// Keeps a transfer at or under `bandwidth` bytes per second.
#[derive(Debug)]
pub(crate) struct Pace {
    bandwidth: Option<u64>,
    start: Instant,
    bytes: u64,
}

impl Pace {
    pub(crate) fn new(bandwidth: Option<u64>) -> Pace {
        Pace {
            bandwidth: bandwidth.filter(|b| *b > 0),
            start: Instant::now(),
            bytes: 0,
        }
    }
    /// A chunk size that keeps the pacing smooth.
    pub(crate) fn chunk(&self, default: usize) -> usize {
        match self.bandwidth {
            Some(bw) => (bw / 8).clamp(1, default as u64) as usize,
            None => default,
        }
    }
    /// Records `n` more bytes and sleeps while ahead of the allowed rate.
    pub(crate) async fn after(&mut self, n: u64) {
        self.bytes += n;
        if let Some(bw) = self.bandwidth {
            let due = Duration::from_secs_f64(self.bytes as f64 / bw as f64);
            let elapsed = self.start.elapsed();
            if due > elapsed {
                tokio::time::sleep(due - elapsed).await;
            }
        }
    }
}
