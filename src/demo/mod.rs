//! The local K2S-compatible demo server.
//!
//! An axum server on 127.0.0.1 that implements every method of the K2S API v2 as the reference
//! documents it (shapes, HTTP statuses, error codes, limits), with in-memory state, file bodies on
//! disk, a signed single-use upload form and streaming upload node, signed expiring download URLs
//! with byte ranges, background remote uploads, deterministic seed data (see [`seed`] for every
//! id), and fault knobs ([`Faults`]). Accounts: see [`accounts`]. Replies take the forms of the
//! reference or of the live service ([`Shapes`]); every shape decision, and the reading picked
//! where the reference is ambiguous, is in [`shapes`] (the table is in its module docs).
//!
//! Routes: `POST /api/v2/<method>`; `GET /api/v2/reCaptcha.html?id=` (shows the answer);
//! `GET /api/v2/captcha?id=` (PNG); `POST /upload`; `GET|HEAD /dl/<token>/<name>`;
//! `GET /demo/stats` (API calls per method and upload bodies, as JSON).

pub mod accounts;
mod captcha;
mod download;
mod faults;
mod net;
mod remote;
mod routes;
pub mod seed;
pub mod seed_links;
mod server;
pub mod shapes;
mod sign;
mod state;
mod upload;

pub use faults::Faults;
pub use seed::{big_file_id, ids, names};
pub use shapes::{FolderNames, Shapes};
pub use upload::FORM_TTL_SECS;

use anyhow::Context;
use net::{ConnKill, KillListener};
use rand::Rng;
use server::Shared;
use state::{Node, ROOT};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Seconds a free user waits between a solved captcha and the download URL.
pub const FREE_WAIT_SECS: u64 = 3;

/// Options of `DemoServer::start`; `k2s demo-server` takes them as flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DemoOptions {
    /// Port to listen on, on 127.0.0.1 (0 = any free port)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Also create folder "/big" with N generated files (50,000 is the folder limit)
    #[arg(long)]
    pub big_folder: Option<usize>,
    /// Also create folder "/scale" with N files in folders of 100 (500,000 makes 5,000
    /// folders), for the account index
    #[arg(long, value_name = "N")]
    pub scale_files: Option<usize>,
    /// Where file bodies live (default: a temporary folder removed on exit)
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Reply forms: `reference` follows the API reference to the letter; `live` sends the forms
    /// the live service has been seen sending (numbers as strings, 0/1 booleans, 406/70 logins,
    /// the 200 free-download key, 403/11 on expiry, ...)
    #[arg(long, value_enum, default_value_t = Shapes::Reference)]
    pub shapes: Shapes,
    /// getFoldersList omits parentFoldersList and parentFoldersIds (as older servers do)
    #[arg(long)]
    pub no_parent_arrays: bool,
    /// How getFoldersList spells names: `name`, `/name` (slash) or the full `/Parent/Sub` path
    /// [default: name with --shapes reference, slash with --shapes live]
    #[arg(long, value_enum)]
    pub folder_names: Option<FolderNames>,
    #[command(flatten)]
    pub faults: Faults,
}

/// A file or folder as the server holds it (for tests).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFile {
    pub id: String,
    pub name: String,
    /// "/" for the root in this test-facing view (replies show the account's root id, see
    /// [`DemoServer::root_id`]).
    pub parent_id: String,
    pub is_folder: bool,
    pub size: u64,
    /// Empty for folders.
    pub md5: String,
    /// "public", "private" or "premium".
    pub access: String,
    pub is_public: bool,
    /// The owner's username.
    pub owner: String,
    pub content_type: String,
    pub downloads: u64,
    /// False for an abuse-blocked file, one held back, or one gone from storage.
    pub is_available: bool,
}

/// A file's metadata as the server holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoMeta {
    pub title: String,
    pub description: String,
    pub studio: String,
    pub categories: Vec<String>,
    pub actresses: Vec<String>,
    pub tags: Vec<String>,
}

fn demo_file(n: &Node) -> DemoFile {
    DemoFile {
        id: n.id.clone(),
        name: n.name.clone(),
        parent_id: n.parent.clone(),
        is_folder: n.is_folder,
        size: n.size(),
        md5: n.md5().unwrap_or_default().to_string(),
        access: n.access.as_str().to_string(),
        is_public: n.is_public,
        owner: n.owner.email().to_string(),
        content_type: n.content_type.clone(),
        downloads: n.downloads,
        is_available: n.available(),
    }
}

/// A running demo server. Dropping it stops it (and removes its temporary data folder).
pub struct DemoServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    _tmp: Option<tempfile::TempDir>,
}

impl DemoServer {
    /// Seeds the state, binds 127.0.0.1:`opts.port` and returns once listening.
    pub async fn start(opts: DemoOptions) -> anyhow::Result<DemoServer> {
        let (dir, tmp) = match opts.data_dir {
            Some(d) => {
                std::fs::create_dir_all(&d).with_context(|| format!("creating data dir {}", d.display()))?;
                (d, None)
            }
            None => {
                let t = tempfile::Builder::new().prefix("k2s-demo-").tempdir()?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
            .await
            .with_context(|| format!("binding 127.0.0.1:{}", opts.port))?;
        let addr = listener.local_addr()?;
        let (seed_dir, big, scale) = (dir.clone(), opts.big_folder, opts.scale_files);
        let state = tokio::task::spawn_blocking(move || {
            let mut st = seed::build(&seed_dir, big)?;
            if let Some(n) = scale {
                seed::add_scale(&mut st, n);
            }
            anyhow::Ok(st)
        })
        .await
        .context("seeding the demo server")??;
        let mut secret = [0u8; 32];
        rand::rng().fill(&mut secret);
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(600))
            .build()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: RwLock::new(opts.faults),
            shape: shapes::Shape::new(opts.shapes, opts.folder_names, opts.no_parent_arrays),
            secret,
            base: format!("http://{addr}"),
            data_dir: dir,
            calls: Mutex::new(Default::default()),
            api_seq: Default::default(),
            lose_next: Default::default(),
            upload_bodies: Default::default(),
            upload_starts: Default::default(),
            streams: Default::default(),
            http,
        });
        let app = server::router(shared.clone()).into_make_service_with_connect_info::<ConnKill>();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(KillListener(listener), app).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!("demo server stopped: {e}");
            }
        });
        tracing::info!("demo server listening on {addr}");
        Ok(DemoServer {
            shared,
            addr,
            stop: Some(tx),
            task: Some(task),
            _tmp: tmp,
        })
    }

    /// "http://127.0.0.1:PORT/api/v2"
    pub fn api_url(&self) -> String {
        self.shared.api_url()
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// Changes the fault knobs at run time.
    pub fn set_faults(&self, f: Faults) {
        self.shared.set_faults(f);
    }
    /// The next `n` calls of `method` take effect, then answer 502 instead (a lost answer).
    pub fn lose_next_answers(&self, method: &str, n: u64) {
        let mut m = self.shared.lose_next.lock().unwrap_or_else(|e| e.into_inner());
        m.insert(method.to_string(), n);
    }
    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }
    /// A file or folder by id.
    pub fn file(&self, id: &str) -> Option<DemoFile> {
        self.shared.st().nodes.get(id).map(demo_file)
    }
    /// The reply forms this server speaks.
    pub fn shapes(&self) -> Shapes {
        self.shared.shape.shapes
    }
    /// The id of the premium account's root folder, as replies show it.
    pub fn root_id(&self) -> &'static str {
        ids::ROOT
    }
    /// Items of a folder, sorted by name; "/" is the premium account's root, and every
    /// account's root id names that account's root.
    pub fn children(&self, folder_id: &str) -> Vec<DemoFile> {
        let st = self.shared.st();
        let (owner, folder_id) = if folder_id == ROOT {
            (accounts::Acct::Premium, ROOT)
        } else if let Some(acct) = shapes::root_owner(folder_id) {
            (acct, ROOT)
        } else {
            match st.nodes.get(folder_id) {
                Some(n) => (n.owner, folder_id),
                None => return Vec::new(),
            }
        };
        let mut v: Vec<DemoFile> = st
            .child_ids(owner, folder_id)
            .iter()
            .filter_map(|id| st.nodes.get(id))
            .map(demo_file)
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        v
    }
    /// Every file or folder (any account) with exactly this name.
    pub fn find_by_name(&self, name: &str) -> Vec<DemoFile> {
        let st = self.shared.st();
        let mut v: Vec<DemoFile> = st
            .nodes
            .values()
            .filter(|n| n.name == name)
            .map(demo_file)
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }
    /// Folder id of a path in the premium account ("/Movies/2024"); "/" gives "/".
    pub fn folder_id_by_path(&self, path: &str) -> Option<String> {
        self.shared.st().folder_by_path(accounts::Acct::Premium, path)
    }
    /// The service deletes a file or folder by itself (see `seed_links::delete_by_service`):
    /// with `keep_content` findFile still finds its md5. Whether it was there.
    pub fn delete_by_service(&self, id: &str, keep_content: bool) -> bool {
        seed_links::delete_by_service(&mut self.shared.st(), id, keep_content)
    }
    pub fn meta(&self, file_id: &str) -> Option<DemoMeta> {
        self.shared.st().meta.get(file_id).cloned()
    }
    /// The text shown by the captcha image of `challenge` (requestCaptcha).
    pub fn captcha_answer(&self, challenge: &str) -> Option<String> {
        self.shared.st().captchas.get(challenge).cloned()
    }
    /// The texts of the captchas issued and not yet used (for tests that see only the image).
    pub fn open_captcha_answers(&self) -> Vec<String> {
        self.shared.st().captchas.values().cloned().collect()
    }
    /// The response that solves reCaptcha `challenge` (requestReCaptcha).
    pub fn recaptcha_answer(&self, challenge: &str) -> Option<String> {
        self.shared.st().recaptchas.get(challenge).cloned()
    }
    /// Upload POSTs whose file body was fully received (whatever the answer was).
    /// The most download bodies the server sent at once so far.
    pub fn download_streams_peak(&self) -> u64 {
        self.shared.streams.peak()
    }

    /// Download GETs refused (503) by `Faults::max_download_connections` so far.
    pub fn download_refusals(&self) -> u64 {
        self.shared.streams.refused()
    }

    pub fn upload_bodies(&self) -> u64 {
        self.shared.upload_bodies.load(Ordering::SeqCst)
    }
    /// Upload POSTs whose file body began to arrive, finished or not (an abandoned POST counts
    /// here and not in `upload_bodies`).
    pub fn upload_starts(&self) -> u64 {
        self.shared.upload_starts.load(Ordering::SeqCst)
    }
    /// How many times an API method was called (faulted calls included).
    pub fn calls(&self, method: &str) -> u64 {
        self.shared.calls(method)
    }
    /// API calls per method so far (faulted calls included), the same as `GET /demo/stats`.
    pub fn call_counts(&self) -> std::collections::BTreeMap<String, u64> {
        self.shared.call_counts()
    }
    /// Every session token now answers 403 / errorCode 10 (reference) or 11 (live).
    pub fn expire_sessions(&self) {
        let mut st = self.shared.st();
        let tokens: Vec<String> = st.sessions.drain().map(|(t, _)| t).collect();
        st.expired_sessions.extend(tokens);
    }
    /// Stops listening and waits (up to 3 s) for open connections to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(3), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// `k2s demo-server`: prints the API URL on the first line of stdout (then the accounts), and
/// serves until Ctrl-C or SIGTERM.
pub async fn run_standalone(opts: DemoOptions) -> anyhow::Result<()> {
    use std::io::Write;
    let server = DemoServer::start(opts).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", server.api_url())?;
    writeln!(
        out,
        "premium: {} / {}",
        accounts::PREMIUM_USER,
        accounts::PREMIUM_PASSWORD
    )?;
    writeln!(out, "free: {} / {}", accounts::FREE_USER, accounts::FREE_PASSWORD)?;
    writeln!(
        out,
        "reCaptcha: {} / {}",
        accounts::RECAPTCHA_USER,
        accounts::RECAPTCHA_PASSWORD
    )?;
    writeln!(out, "partner access_token: {}", accounts::PARTNER_TOKEN)?;
    out.flush()?;
    drop(out);
    wait_for_stop().await;
    server.shutdown().await;
    Ok(())
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
