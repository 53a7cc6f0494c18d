//! Building the index: getFoldersList once, then getFilesList for every folder (pages of
//! 10,000 with extended_info), a few requests in flight within the client's own throttle.
//!
//! Resumable: each folder's files are written in one transaction together with the folder's
//! `listed` mark (the checkpoint), so an interrupted crawl lists again only the folders it had
//! not finished. A new crawl (or `refresh`) starts a new generation: every folder is listed
//! again, and what the server no longer shows is removed at the end.

use super::paths::ROOT;
use super::rows::FileRow;
use super::schema::keys;
use super::{Index, Result};
use crate::api::{Client, FileItem, ListFiles, ListType};
use crate::folders::FolderTree;
use futures::StreamExt;
use rusqlite::params;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// getFilesList's largest page.
pub const PAGE: u32 = 10_000;
/// A folder holds at most 50,000 items: more pages than this means the server ignores offset.
const MAX_PAGES: u64 = 100;

#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// List every folder again, even when the last crawl completed.
    pub refresh: bool,
    /// Files per getFilesList request.
    pub page: u32,
    /// Folders listed at once (the client's throttle still bounds requests per second).
    pub in_flight: usize,
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            refresh: false,
            page: PAGE,
            in_flight: 4,
        }
    }
}

/// Where a crawl stands; sent after the folder list and after each folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub folders_done: u64,
    pub folders_total: u64,
    /// Folders done before this run started (a resumed crawl).
    pub resumed_from: u64,
    /// Files written in this run.
    pub files: u64,
    /// API requests made in this run.
    pub requests: u64,
    pub elapsed: Duration,
}

impl Progress {
    pub fn requests_per_sec(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 { self.requests as f64 / s } else { 0.0 }
    }

    /// At this run's pace so far; None before a folder was done.
    pub fn time_left(&self) -> Option<Duration> {
        let done = self.folders_done.saturating_sub(self.resumed_from);
        if done == 0 {
            return None;
        }
        let left = self.folders_total.saturating_sub(self.folders_done);
        Some(self.elapsed.mul_f64(left as f64 / done as f64))
    }
}

/// Crawl the account into `index`. On an error the work done so far is kept, and the next
/// crawl resumes from it.
pub async fn crawl(
    index: &mut Index,
    client: &Client,
    opts: &CrawlOptions,
    report: &mut (dyn FnMut(&Progress) + Send),
) -> Result<Progress> {
    let started = Instant::now();
    let generation = begin(index, opts.refresh)?;
    let tree = FolderTree::from_list(&client.get_folders_list(None).await?);
    let mut p = Progress {
        requests: 1,
        ..Progress::default()
    };
    store_folders(index, &tree, generation)?;
    let todo = pending(index, generation)?;
    p.folders_total = seen_count(index, generation)?;
    p.folders_done = p.folders_total.saturating_sub(todo.len() as u64);
    p.resumed_from = p.folders_done;
    p.elapsed = started.elapsed();
    report(&p);
    let page = opts.page.clamp(1, PAGE);
    let mut listings = futures::stream::iter(todo)
        .map(|id| async move {
            let r = list_folder(client, &id, page).await;
            (id, r)
        })
        .buffer_unordered(opts.in_flight.max(1));
    while let Some((id, listed)) = listings.next().await {
        match listed {
            Ok((items, requests)) => {
                p.requests += requests;
                p.files += store_listing(index, &id, &items, generation)? as u64;
            }
            Err(e) if e.is_not_found() => {
                p.requests += 1;
                index.conn().execute("DELETE FROM folders WHERE id = ?1", [&id])?;
            }
            Err(e) => return Err(e.into()),
        }
        p.folders_done += 1;
        p.elapsed = started.elapsed();
        report(&p);
    }
    finish(index, generation)?;
    p.elapsed = started.elapsed();
    Ok(p)
}

/// The generation to fill: the interrupted one, or a new one.
fn begin(index: &Index, refresh: bool) -> Result<i64> {
    let current: i64 = index
        .meta(keys::GENERATION)?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let running = index.meta(keys::CRAWL_STATE)?.as_deref() == Some("running");
    if running && !refresh && current > 0 {
        return Ok(current);
    }
    let next = current + 1;
    index.set_meta(keys::GENERATION, &next.to_string())?;
    index.set_meta(keys::CRAWL_STATE, "running")?;
    Ok(next)
}

fn store_folders(index: &mut Index, tree: &FolderTree, generation: i64) -> Result<()> {
    let tx = index.conn_mut().transaction()?;
    tx.execute("UPDATE folders SET seen = ?1 WHERE id = '/'", [generation])?;
    {
        let mut up = tx.prepare(
            "INSERT INTO folders(id, parent, name, seen) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, name = excluded.name,
                seen = excluded.seen",
        )?;
        for (_, id) in tree.walk() {
            if let Some(f) = tree.get(&id)
                && id != ROOT
            {
                up.execute(params![f.id, tree.canonical(&f.parent), f.name, generation])?;
            }
        }
    }
    if let Some(root) = tree.root_id() {
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [keys::ROOT_ID, root],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Folders of this generation whose files are not listed yet, the root first.
fn pending(index: &Index, generation: i64) -> Result<Vec<String>> {
    let mut stmt = index
        .conn()
        .prepare("SELECT id FROM folders WHERE seen = ?1 AND listed < ?1 ORDER BY id <> '/', rowid")?;
    let ids = stmt.query_map([generation], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<Vec<String>>>()?)
}

fn seen_count(index: &Index, generation: i64) -> Result<u64> {
    let n: i64 = index.conn().query_row(
        "SELECT COUNT(*) FROM folders WHERE seen = ?1",
        [generation],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Every file of one folder, page by page; with the number of requests made.
async fn list_folder(
    client: &Client,
    id: &str,
    page: u32,
) -> std::result::Result<(Vec<FileItem>, u64), crate::api::ApiError> {
    let mut all = Vec::new();
    let mut seen = HashSet::new();
    let mut requests = 0;
    for n in 0..MAX_PAGES {
        let req = ListFiles {
            parent: id.to_string(),
            limit: page,
            offset: n * u64::from(page),
            extended_info: true,
            kind: Some(ListType::File),
            ..ListFiles::default()
        };
        let items = client.get_files_list(&req).await?;
        requests += 1;
        let got = items.len();
        let before = all.len();
        all.extend(
            items
                .into_iter()
                .filter(|f| !f.is_folder() && !f.id.is_empty() && seen.insert(f.id.clone())),
        );
        if got < page as usize || all.len() == before {
            break;
        }
    }
    Ok((all, requests))
}

/// One folder's files replace what the index held for it, with its checkpoint, at once.
fn store_listing(index: &mut Index, folder: &str, items: &[FileItem], generation: i64) -> Result<usize> {
    let tx = index.conn_mut().transaction()?;
    tx.execute("DELETE FROM files WHERE parent = ?1", [folder])?;
    for item in items {
        FileRow::from_item(item, folder).upsert(&tx)?;
    }
    tx.execute(
        "UPDATE folders SET listed = ?1 WHERE id = ?2",
        params![generation, folder],
    )?;
    super::totals::recount(&tx, folder)?;
    tx.commit()?;
    Ok(items.len())
}

/// Drop what this generation did not see; mark the crawl done.
fn finish(index: &mut Index, generation: i64) -> Result<()> {
    let tx = index.conn_mut().transaction()?;
    tx.execute("DELETE FROM folders WHERE seen < ?1 AND id <> '/'", [generation])?;
    tx.execute(
        "DELETE FROM files WHERE parent NOT IN (SELECT id FROM folders)",
        [],
    )?;
    // Files that moved between folders during the crawl left their old folder's totals behind.
    super::totals::recount_all(&tx)?;
    tx.commit()?;
    index.set_meta(keys::CRAWL_STATE, "done")?;
    index.set_meta(keys::CRAWLED_AT, &chrono::Utc::now().timestamp().to_string())?;
    Ok(())
}
