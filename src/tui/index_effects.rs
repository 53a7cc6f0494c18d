//! The account index for the TUI: finder queries in a blocking task (the names are loaded
//! once and kept in memory until the index changes), a background crawl with its progress.
//! The index of the account the client is logged in as: `<server state>/<account>/index.sqlite`.

use crate::api::Client;
use crate::app::Msg;
use crate::app::finder::{FinderHit, Found, IndexEffect, IndexMsg, LIMIT};
use crate::index::paths::Folders;
use crate::index::query::Names;
use crate::index::{self, CrawlOptions, Progress};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// An index read into memory: every name, and the folders for their paths.
struct Loaded {
    names: Names,
    folders: Folders,
}

/// The index side of the runner.
#[derive(Clone)]
pub struct IndexSide {
    /// The API server's state folder (the account's is inside it).
    server_dir: PathBuf,
    /// The names of the index at this path, once read.
    cache: Arc<Mutex<Option<(PathBuf, Arc<Loaded>)>>>,
    crawling: Arc<AtomicBool>,
}

impl IndexSide {
    pub fn new(server_dir: PathBuf) -> IndexSide {
        IndexSide {
            server_dir,
            cache: Arc::default(),
            crawling: Arc::default(),
        }
    }

    fn account_dir(&self, client: &Client) -> PathBuf {
        self.server_dir.join(client.account_key())
    }

    /// The names read again at the next query (the index changed).
    pub fn forget(&self) {
        if let Ok(mut c) = self.cache.lock() {
            *c = None;
        }
    }

    pub fn run(&self, client: &Client, tx: &UnboundedSender<Msg>, effect: IndexEffect) {
        let dir = self.account_dir(client);
        match effect {
            IndexEffect::Find { ticket, query } => {
                let side = self.clone();
                let tx = tx.clone();
                tokio::task::spawn_blocking(move || {
                    let found = side.find(&dir, &query);
                    let _ = tx.send(Msg::Index(IndexMsg::Found { ticket, found }));
                });
            }
            IndexEffect::Build => self.build(client.clone(), tx.clone(), dir),
        }
    }

    fn find(&self, dir: &Path, query: &str) -> Found {
        let loaded = match self.loaded(dir) {
            Ok(Some(l)) => l,
            Ok(None) => return Found::NoIndex,
            Err(e) => return Found::Failed(e),
        };
        if query.trim().is_empty() {
            return Found::Hits(Vec::new());
        }
        let hits = loaded
            .names
            .fuzzy(query, LIMIT)
            .into_iter()
            .filter_map(|h| loaded.names.entries.get(h.entry))
            .map(|e| FinderHit {
                id: e.id.clone(),
                parent: e.parent.clone(),
                name: crate::text::sanitize(&e.name),
                path: crate::text::sanitize(&if e.is_folder {
                    loaded.folders.path_of(&e.id)
                } else {
                    loaded.folders.file_path(&e.parent, &e.name)
                }),
                is_folder: e.is_folder,
                size: e.size,
            })
            .collect();
        Found::Hits(hits)
    }

    /// The names of the account's index, read once; None when there is no index yet.
    fn loaded(&self, dir: &Path) -> Result<Option<Arc<Loaded>>, String> {
        let path = index::path_in(dir);
        if let Ok(c) = self.cache.lock()
            && let Some((p, l)) = c.as_ref()
            && *p == path
        {
            return Ok(Some(l.clone()));
        }
        let Some(ix) = index::open_existing(&path, &index::account_marker(dir)) else {
            return Ok(None);
        };
        let empty = ix.counts().map_err(|e| e.to_string())? == (0, 0);
        if empty && ix.crawled_at().map_err(|e| e.to_string())?.is_none() {
            return Ok(None);
        }
        let names = Names::load(&ix).map_err(|e| e.to_string())?;
        let folders = Folders::load(&ix).map_err(|e| e.to_string())?;
        let l = Arc::new(Loaded { names, folders });
        if let Ok(mut c) = self.cache.lock() {
            *c = Some((path, l.clone()));
        }
        Ok(Some(l))
    }

    /// Crawl in the background (one at a time), progress at most a few times a second.
    fn build(&self, client: Client, tx: UnboundedSender<Msg>, dir: PathBuf) {
        if self.crawling.swap(true, Ordering::SeqCst) {
            return;
        }
        let side = self.clone();
        tokio::spawn(async move {
            let result = crawl(&client, &tx, &dir).await;
            side.forget();
            side.crawling.store(false, Ordering::SeqCst);
            let _ = tx.send(Msg::Index(IndexMsg::Built(result)));
        });
    }
}

async fn crawl(client: &Client, tx: &UnboundedSender<Msg>, dir: &Path) -> Result<(u64, u64), String> {
    let path = index::path_in(dir);
    let opened = index::open(&path, &index::account_marker(dir)).map_err(|e| e.to_string())?;
    let mut ix = opened.index;
    let mut last = std::time::Instant::now() - std::time::Duration::from_secs(1);
    let progress_tx = tx.clone();
    let mut report = move |p: &Progress| {
        if last.elapsed() >= std::time::Duration::from_millis(250) || p.folders_done == p.folders_total {
            last = std::time::Instant::now();
            let _ = progress_tx.send(Msg::Index(IndexMsg::Progress(p.clone())));
        }
    };
    index::crawl(&mut ix, client, &CrawlOptions::default(), &mut report)
        .await
        .map_err(|e| e.to_string())?;
    ix.counts().map_err(|e| e.to_string())
}
