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

/// The names of the index at this path, once read.
type Cache = Arc<Mutex<Option<(PathBuf, Arc<Loaded>)>>>;

/// The index side of the runner.
#[derive(Clone)]
pub struct IndexSide {
    /// The API server's state folder (the account's is inside it).
    server_dir: PathBuf,
    cache: Cache,
    /// The index changed since the names were read: read them again.
    stale: Arc<AtomicBool>,
    crawling: Arc<AtomicBool>,
}

impl IndexSide {
    pub fn new(server_dir: PathBuf) -> IndexSide {
        IndexSide {
            server_dir,
            cache: Arc::default(),
            stale: Arc::default(),
            crawling: Arc::default(),
        }
    }

    fn account_dir(&self, client: &Client) -> PathBuf {
        self.server_dir.join(client.account_key())
    }

    /// The names read again at the next query (the index changed).
    /// (Never waits: a read under way is dropped at the next query.)
    pub fn forget(&self) {
        self.stale.store(true, Ordering::SeqCst);
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
            IndexEffect::Usage { ticket, folder } => {
                let tx = tx.clone();
                tokio::task::spawn_blocking(move || {
                    let answer = usage(&dir, &folder);
                    let _ = tx.send(Msg::Index(IndexMsg::Usage { ticket, answer }));
                });
            }
            IndexEffect::Dupes { ticket } => {
                let tx = tx.clone();
                tokio::task::spawn_blocking(move || {
                    let answer = super::index_dupes::dupes(&dir);
                    let _ = tx.send(Msg::Index(IndexMsg::Dupes { ticket, answer }));
                });
            }
            IndexEffect::Health { ticket, days } => {
                let tx = tx.clone();
                tokio::task::spawn_blocking(move || {
                    let answer = health(&dir, days);
                    let _ = tx.send(Msg::Index(IndexMsg::Health { ticket, answer }));
                });
            }
            IndexEffect::NoteMeta { records, removed } => {
                let (side, tx) = (self.clone(), tx.clone());
                tokio::task::spawn_blocking(move || {
                    index::note_meta(&dir, &records);
                    if !removed.is_empty() {
                        index::note_meta_removed(&dir, &removed);
                    }
                    // Titles are matched by the finder: its names are read again.
                    side.forget();
                    let _ = tx.send(Msg::Index(IndexMsg::Noted));
                });
            }
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
                id: e.id.to_string(),
                parent: e.parent.to_string(),
                name: crate::text::sanitize(&e.name),
                path: crate::text::sanitize(&if e.is_folder {
                    loaded.folders.path_of(&e.id)
                } else {
                    loaded.folders.file_path(&e.parent, &e.name)
                }),
                is_folder: e.is_folder,
                size: e.size(),
            })
            .collect();
        Found::Hits(hits)
    }

    /// The names of the account's index, read once; None when there is no index yet. The
    /// cache stays locked while they are read: the queries of keys typed meanwhile wait for
    /// that one copy instead of each reading its own.
    fn loaded(&self, dir: &Path) -> Result<Option<Arc<Loaded>>, String> {
        let path = index::path_in(dir);
        let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if self.stale.swap(false, Ordering::SeqCst) {
            *c = None;
        }
        if let Some((p, l)) = c.as_ref()
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
        *c = Some((path, l.clone()));
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

/// `folder`'s totals, then its folders' largest first; None without an index.
fn usage(dir: &Path, folder: &str) -> crate::app::usage::UsageAnswer {
    use crate::app::usage::UsageRow;
    let Some(ix) = index::open_existing(&index::path_in(dir), &index::account_marker(dir)) else {
        return Ok(None);
    };
    let text = |e: index::IndexError| e.to_string();
    if ix.counts().map_err(text)? == (0, 0) && ix.crawled_at().map_err(text)?.is_none() {
        return Ok(None);
    }
    let folders = Folders::load(&ix).map_err(text)?;
    let top = if folders.contains(folder) {
        folder
    } else {
        index::paths::ROOT
    };
    let rows = index::query::du(&ix, &folders, top, 1)
        .map_err(text)?
        .into_iter()
        .map(|u| UsageRow {
            id: u.id,
            path: crate::text::sanitize(&u.path),
            size: u.size,
            files: u.files,
            folders: u.folders,
            downloads: u.downloads,
        })
        .collect();
    Ok(Some(rows))
}

/// The files in trouble, by problem then path; None without an index.
fn health(dir: &Path, days: u64) -> crate::app::health::HealthAnswer {
    use crate::app::health::HealthFile;
    let Some(ix) = index::open_existing(&index::path_in(dir), &index::account_marker(dir)) else {
        return Ok(None);
    };
    let text = |e: index::IndexError| e.to_string();
    if ix.counts().map_err(text)? == (0, 0) && ix.crawled_at().map_err(text)?.is_none() {
        return Ok(None);
    }
    let folders = Folders::load(&ix).map_err(text)?;
    let now = chrono::Utc::now().timestamp();
    let keep = crate::app::health::KEPT_PER_SECTION;
    let (kept, totals) = index::query::health_kept(&ix, &folders, now, days, keep).map_err(text)?;
    let files = kept
        .into_iter()
        .map(|(problem, path, f)| HealthFile {
            problem,
            id: f.id,
            parent: f.parent,
            raw_name: f.name,
            path: crate::text::sanitize(&path),
            size: f.size,
            downloads: f.downloads,
            last_download: f.last_download,
            created: f.created,
        })
        .collect();
    let totals = crate::app::health::SECTIONS
        .iter()
        .map(|p| (*p, totals.get(p).copied().unwrap_or(0)))
        .collect();
    Ok(Some(crate::app::health::HealthList { files, totals }))
}

async fn crawl(client: &Client, tx: &UnboundedSender<Msg>, dir: &Path) -> Result<(u64, u64), String> {
    let path = index::path_in(dir);
    let opened = index::open(&path, &index::account_marker(dir)).map_err(|e| e.to_string())?;
    for n in opened.notices {
        let _ = tx.send(Msg::Index(IndexMsg::Notice(n)));
    }
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

/// A write of the TUI's (or a listing it got) that the index should know of, when it exists.
enum Note {
    Removed(Vec<String>),
    Moved(Vec<String>, String),
    Renamed(String, String),
    Access(Vec<String>, String),
    FolderCreated {
        id: String,
        parent: String,
        name: String,
    },
    Listing {
        folder: String,
        items: Vec<crate::api::FileItem>,
    },
    /// Metadata records read or saved: their titles and tags.
    Meta(Vec<crate::api::FileMeta>),
}

impl IndexSide {
    /// Keep the index right as results arrive: a delete, move, rename or access change that
    /// succeeded, a folder made in `shown` (the folder the list shows), a page of `shown`'s
    /// listing (`listing` is its ticket). Written in a blocking task; never fatal. A write
    /// (not a listing) is told with `IndexMsg::Noted` once it is in, for the views to ask again.
    pub fn observe(
        &self,
        client: &Client,
        tx: &UnboundedSender<Msg>,
        shown: &str,
        listing: crate::app::Ticket,
        msg: &Msg,
    ) {
        let Some(note) = note_of(shown, listing, msg) else {
            return;
        };
        let dir = self.account_dir(client);
        let side = self.clone();
        let tx = tx.clone();
        tokio::task::spawn_blocking(move || {
            let wrote = !matches!(note, Note::Listing { .. });
            // The names are read again at the next query (a listing may hold new ones).
            write(&dir, note);
            side.forget();
            if wrote {
                let _ = tx.send(Msg::Index(IndexMsg::Noted));
            }
        });
    }
}

fn note_of(shown: &str, listing: crate::app::Ticket, msg: &Msg) -> Option<Note> {
    use crate::app::UpdateKind;
    match msg {
        Msg::Deleted {
            ids, result: Ok(_), ..
        } => Some(Note::Removed(ids.clone())),
        Msg::Updated {
            kind,
            ids,
            changes,
            result: Ok(items),
            ..
        } => {
            let done: Vec<String> = if items.is_empty() {
                ids.clone()
            } else {
                items
                    .iter()
                    .filter(|i| i.ok() && !i.id.is_empty())
                    .map(|i| i.id.clone())
                    .collect()
            };
            match kind {
                UpdateKind::Move => Some(Note::Moved(done, changes.new_parent.clone()?)),
                UpdateKind::Rename => Some(Note::Renamed(done.first()?.clone(), changes.new_name.clone()?)),
                UpdateKind::Access => Some(Note::Access(done, changes.new_access.as_ref()?.as_str().into())),
            }
        }
        Msg::FolderCreated {
            name,
            result: Ok(created),
            ..
        } if !created.id.is_empty() => Some(Note::FolderCreated {
            id: created.id.clone(),
            parent: shown.to_string(),
            name: name.clone(),
        }),
        Msg::FilesPage {
            ticket,
            result: Ok(items),
            ..
        } if *ticket == listing && !items.is_empty() => Some(Note::Listing {
            folder: shown.to_string(),
            items: items.clone(),
        }),
        Msg::Meta(m) => meta_note(m),
        _ => None,
    }
}

fn meta_note(m: &crate::app::MetaMsg) -> Option<Note> {
    use crate::app::MetaMsg;
    match m {
        MetaMsg::Loaded {
            result: Ok(records), ..
        } if !records.is_empty() => Some(Note::Meta(records.clone())),
        MetaMsg::Saved {
            file_id,
            sent,
            result: Ok(()),
            ..
        } => Some(Note::Meta(vec![crate::api::FileMeta {
            file_id: file_id.clone(),
            ..(**sent).clone()
        }])),
        _ => None,
    }
}

fn write(dir: &Path, note: Note) {
    match note {
        Note::Removed(ids) => index::note_removed(dir, &ids),
        Note::Moved(ids, to) => index::note_moved(dir, &ids, &to),
        Note::Renamed(id, name) => index::note_renamed(dir, &id, &name),
        Note::Access(ids, access) => index::note_access(dir, &ids, &access),
        Note::FolderCreated { id, parent, name } => index::note_folder_created(dir, &id, &parent, &name),
        Note::Meta(records) => index::note_meta(dir, &records),
        Note::Listing { folder, items } => {
            if let Err(e) = write_listing(dir, &folder, &items) {
                tracing::warn!("index: a listing of {folder}: {e}");
            }
        }
    }
}

/// A page of one folder's listing, in one transaction: its files upserted, its folders kept.
fn write_listing(dir: &Path, folder: &str, items: &[crate::api::FileItem]) -> rusqlite::Result<()> {
    let Some(ix) = index::open_existing(&index::path_in(dir), &index::account_marker(dir)) else {
        return Ok(());
    };
    let conn = ix.conn();
    let root = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [index::schema::keys::ROOT_ID],
            |r| r.get::<_, String>(0),
        )
        .ok();
    let parent = if folder == "/" || root.as_deref() == Some(folder) {
        "/"
    } else {
        folder
    };
    let tx = conn.unchecked_transaction()?;
    for item in items.iter().filter(|i| i.is_folder != Some(true)) {
        index::FileRow::from_item(item, parent).upsert(&tx)?;
    }
    index::totals::recount(&tx, parent)?;
    tx.commit()?;
    for item in items.iter().filter(|i| i.is_folder == Some(true)) {
        index::note_folder_created(dir, &item.id, parent, item.name());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ClientConfig, Credentials, FileChanges};
    use crate::app::UpdateKind;
    use crate::demo::{DemoOptions, DemoServer, accounts, ids};
    use std::time::Duration;

    fn client(d: &DemoServer) -> Client {
        Client::new(ClientConfig {
            base_url: d.api_url(),
            credentials: Credentials {
                access_token: Some(accounts::PARTNER_TOKEN.into()),
                ..Credentials::default()
            },
            ..ClientConfig::default()
        })
        .expect("client")
    }

    fn paths(found: Found) -> Vec<String> {
        match found {
            Found::Hits(h) => h.into_iter().map(|h| h.path).collect(),
            other => panic!("{other:?}"),
        }
    }

    /// Until `pred` holds for the finder's answer to `query` (the hooks write in a task).
    async fn eventually(side: &IndexSide, dir: &Path, query: &str, pred: impl Fn(&[String]) -> bool) {
        for _ in 0..100 {
            if pred(&paths(side.find(dir, query))) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{query}: {:?}", paths(side.find(dir, query)));
    }

    #[test]
    fn queries_typed_while_the_names_load_share_one_copy_of_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        let side = IndexSide::new(tmp.path().to_path_buf());
        let dir = tmp.path().join("acct");
        std::fs::create_dir_all(&dir).expect("dir");
        let ix = index::open(&index::path_in(&dir), &index::account_marker(&dir))
            .expect("open")
            .index;
        for i in 0..5_000 {
            index::FileRow {
                id: format!("f{i}"),
                parent: "/".into(),
                name: format!("name {i}.bin"),
                ..index::FileRow::default()
            }
            .upsert(ix.conn())
            .expect("row");
        }
        let all: Vec<Arc<Loaded>> = std::thread::scope(|s| {
            let reads: Vec<_> = (0..6)
                .map(|_| s.spawn(|| side.loaded(&dir).expect("read").expect("an index")))
                .collect();
            reads.into_iter().map(|r| r.join().expect("joined")).collect()
        });
        assert!(
            all.iter().all(|l| Arc::ptr_eq(l, &all[0])),
            "one copy of the names"
        );
        side.forget();
        let again = side.loaded(&dir).expect("read").expect("an index");
        assert!(
            !Arc::ptr_eq(&again, &all[0]),
            "read again after the index changed"
        );
    }

    #[test]
    fn a_metadata_record_saved_reaches_the_index_and_a_failed_save_does_not() {
        use crate::api::FileMeta;
        use crate::app::MetaMsg;
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("acct");
        std::fs::create_dir_all(&dir).expect("dir");
        let ix = index::open(&index::path_in(&dir), &index::account_marker(&dir))
            .expect("open")
            .index;
        index::FileRow {
            id: "f1".into(),
            parent: "/".into(),
            name: "a.mp4".into(),
            ..index::FileRow::default()
        }
        .upsert(ix.conn())
        .expect("row");
        let saved = |result| {
            Msg::Meta(MetaMsg::Saved {
                ticket: 1,
                file_id: "f1".into(),
                sent: Box::new(FileMeta {
                    title: "Dawn".into(),
                    tags: vec!["sky".into()],
                    ..FileMeta::default()
                }),
                result,
            })
        };
        assert!(note_of("/", 0, &saved(Err(crate::api::ApiError::local("no")))).is_none());
        write(&dir, note_of("/", 0, &saved(Ok(()))).expect("a note"));
        let (title, tags): (Option<String>, Option<String>) = ix
            .conn()
            .query_row("SELECT title, tags FROM files WHERE id = 'f1'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("the row");
        assert_eq!(title.as_deref(), Some("Dawn"));
        assert_eq!(tags.as_deref(), Some(r#"["sky"]"#));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_finder_answers_after_a_build_and_the_tuis_writes_keep_the_index_right() {
        let d = DemoServer::start(DemoOptions::default()).await.expect("demo");
        let c = client(&d);
        let tmp = tempfile::tempdir().expect("tmp");
        let side = IndexSide::new(tmp.path().to_path_buf());
        let dir = side.account_dir(&c);
        assert_eq!(side.find(&dir, "holiday"), Found::NoIndex);

        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        side.run(&c, &tx, IndexEffect::Build);
        let built = loop {
            match tokio::time::timeout(Duration::from_secs(60), rx.recv()).await {
                Ok(Some(Msg::Index(IndexMsg::Built(r)))) => break r,
                Ok(Some(_)) => {}
                other => panic!("no end of the crawl: {other:?}"),
            }
        };
        assert!(built.is_ok_and(|(_, files)| files > 10));
        assert_eq!(
            paths(side.find(&dir, "holiday")),
            ["/Movies/2024/Holiday 2024.mp4"]
        );
        // The usage view's totals: the root first, then its folders largest first.
        let rows = usage(&dir, "/").expect("totals").expect("an index");
        assert_eq!(rows[0].path, "/");
        assert!(rows.len() > 2 && rows[1].size >= rows[2].size, "{rows:?}");
        let below: u64 = rows[1..].iter().map(|r| r.files).sum();
        assert!(rows[0].files > below, "the root's own files count too: {rows:?}");

        // A rename the TUI made: the old name is gone from the finder, the new one found.
        let renamed = Msg::Updated {
            ticket: 1,
            kind: UpdateKind::Rename,
            ids: vec![ids::VIDEO_HOLIDAY.into()],
            changes: FileChanges {
                new_name: Some("Summer trip.mp4".into()),
                ..FileChanges::default()
            },
            result: Ok(vec![]),
        };
        side.observe(&c, &tx, "/", 0, &renamed);
        eventually(&side, &dir, "summer trip", |p| {
            p == ["/Movies/2024/Summer trip.mp4"]
        })
        .await;
        // A delete: gone.
        let deleted = Msg::Deleted {
            ticket: 2,
            ids: vec![ids::VIDEO_HOLIDAY.into()],
            result: Ok(1),
        };
        side.observe(&c, &tx, "/", 0, &deleted);
        eventually(&side, &dir, "summer trip", |p| p.is_empty()).await;
        // A page of the folder shown enters the index (another page's ticket does not).
        let page = |ticket, name: &str| Msg::FilesPage {
            ticket,
            offset: 0,
            result: Ok(vec![crate::api::FileItem {
                id: format!("id-{name}"),
                name: Some(name.into()),
                is_folder: Some(false),
                size: Some(5),
                ..crate::api::FileItem::default()
            }]),
        };
        side.observe(&c, &tx, "/", 7, &page(6, "stale listing.bin"));
        side.observe(&c, &tx, "/", 7, &page(7, "fresh listing.bin"));
        eventually(&side, &dir, "fresh listing", |p| p == ["/fresh listing.bin"]).await;
        assert!(paths(side.find(&dir, "stale listing")).is_empty());
        // A failed write changes nothing.
        let failed = Msg::Deleted {
            ticket: 3,
            ids: vec![ids::VIDEO_BUNNY.into()],
            result: Err(crate::api::ApiError::local("no")),
        };
        side.observe(&c, &tx, "/", 0, &failed);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(paths(side.find(&dir, "big buck")).len(), 1);
    }
}
