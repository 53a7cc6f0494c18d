//! Engine settings.

use crate::config::Config;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Transfers running at once (remote uploads, which only poll, are not counted).
    pub concurrency: usize,
    /// The most connections per large download, for downloads added without their own number.
    pub connections: usize,
    /// Where the queue is saved (`queue.json`); None keeps it in memory only.
    pub state_dir: Option<PathBuf>,
    /// Start the unfinished transfers of the saved queue at once (the TUI, `k2s queue --resume`).
    /// When false they stay held until `resume` / `resume_all`.
    pub autostart_restored: bool,
    /// Domain for share links.
    pub link_domain: String,
    /// First retry delay; doubles up to a minute.
    pub retry_base: Duration,
    /// Consecutive failures (without progress) before a transfer fails.
    pub max_attempts: u32,
    /// Wall-clock budget of a run of failures without progress: no retry starts after it
    /// (a call that timed out in the client has used it up already).
    pub retry_budget: Duration,
    /// The smallest byte range given to one connection.
    pub min_segment: u64,
    /// A download starts with one connection and opens more (up to `connections`, see `ramp`)
    /// only while it runs slower than this (bytes per second, checked after a quarter of a second
    /// and then every second): a stream that fast already fills the link, and more connections
    /// would only cost CPU. None opens every connection at once.
    pub one_stream_enough: Option<u64>,
    /// A download connection that sends nothing for this long is dropped and retried.
    pub read_timeout: Duration,
    /// How often progress events are sent.
    pub tick: Duration,
    /// Check each download's md5 (when the service gives one); the size is always checked.
    pub verify_md5: bool,
    /// The account the queue belongs to (`Client::account_key`): a transfer never starts while
    /// the client is logged in as another one. None: any.
    pub account: Option<String>,
    /// A download whose file name is already taken by a regular file is skipped without
    /// reading it (`--skip-existing`). Without it only a file of the same size and md5 is.
    pub skip_existing_downloads: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            concurrency: 3,
            connections: 16,
            state_dir: None,
            autostart_restored: true,
            link_domain: "k2s.cc".into(),
            retry_base: Duration::from_secs(1),
            max_attempts: 8,
            retry_budget: Duration::from_secs(25),
            min_segment: 1 << 20,
            one_stream_enough: Some(64 << 20),
            read_timeout: Duration::from_secs(60),
            tick: Duration::from_millis(250),
            verify_md5: true,
            account: None,
            skip_existing_downloads: false,
        }
    }
}

impl EngineOptions {
    /// Settings from the config file; the queue saved in `state_dir`.
    pub fn from_config(config: &Config, state_dir: Option<PathBuf>) -> EngineOptions {
        EngineOptions {
            concurrency: config.concurrency.max(1),
            connections: config.connections.max(1),
            state_dir,
            link_domain: config.link_domain.clone().unwrap_or_else(|| "k2s.cc".into()),
            verify_md5: config.verify_md5,
            ..EngineOptions::default()
        }
    }

    /// `--timeout`: how long a download connection may send nothing, and how long a transfer
    /// keeps retrying without progress.
    pub fn with_timeout(mut self, timeout: Duration) -> EngineOptions {
        let t = timeout.max(Duration::from_millis(100));
        self.read_timeout = t;
        self.retry_budget = t;
        self
    }
}
