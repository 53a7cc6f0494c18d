//! `k2s check --repair`: dead links brought back. A dead file the account index remembers is
//! created again by hash with its md5, its old name, in its old folder (the root when that is
//! gone) with its old access; when the service no longer has the content, a local copy of the
//! same size and md5 under `--from DIR` is uploaded. A file the index does not know is found
//! under `--from` by the name its link carries. The old metadata goes on the new file.

use super::args::CheckArgs;
use super::check_cmd::Row;
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::output::s;
use crate::api::{Access, CreateFileByHash, FileChanges, FileItem, MetaPatch, MetaQuery, share_link};
use crate::index::FileRow;
use crate::links::LinkState;
use crate::links::repair::{self as plan, MAX_DEPTH, Source};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One dead link and what became of it.
#[derive(Debug, Clone)]
pub struct Repaired {
    pub old: String,
    pub new: Option<String>,
    pub new_link: Option<String>,
    /// Where the content came from, when repaired.
    pub source: Option<Source>,
    /// "created again by hash", "uploaded" (and what else was done), or why not.
    pub how: String,
}

impl Repaired {
    pub fn json(&self) -> serde_json::Value {
        json!({"old": self.old, "new": self.new, "link": self.new_link,
            "source": self.source.map(Source::as_str), "how": self.how})
    }
    pub fn line(&self) -> String {
        match &self.new {
            Some(new) => format!(
                "repaired      {} -> {new}  {}  ({}; source: {})",
                self.old,
                self.new_link.as_deref().unwrap_or(""),
                self.how,
                self.source.map_or("", Source::as_str)
            ),
            None => format!("not repaired  {}  {}", self.old, s(&self.how)),
        }
    }
    fn failed(old: &str, why: impl Into<String>) -> Repaired {
        Repaired {
            old: old.to_string(),
            new: None,
            new_link: None,
            source: None,
            how: why.into(),
        }
    }
}

/// Where and how the new file is made: its name, folder (None: the root) and access.
struct Target {
    name: String,
    parent: Option<String>,
    access: Option<Access>,
    /// Said of the placement ("its folder is gone: put in the root").
    notes: Vec<String>,
}

impl Target {
    fn named(name: &str) -> Target {
        Target {
            name: name.to_string(),
            parent: None,
            access: None,
            notes: Vec::new(),
        }
    }

    /// The old file's name, access and folder, when that folder still exists.
    async fn of_row(ctx: &Ctx, row: &FileRow) -> Target {
        let mut t = Target::named(&row.name);
        t.access = plan::access_of(row);
        if let Some(folder) = plan::folder_of(row) {
            let ask = [folder.to_string()];
            match ctx.client.get_files_info(&ask, false).await {
                Ok(items)
                    if items
                        .iter()
                        .any(|i| i.id == folder && i.exists() && i.is_folder()) =>
                {
                    t.parent = Some(folder.to_string());
                }
                _ => t.notes.push("its folder is gone: put in the root".into()),
            }
        }
        t
    }
}

/// What was made: the new id, where the content came from, how.
struct Made {
    id: String,
    source: Source,
    how: String,
}

async fn by_hash(ctx: &Ctx, md5: &str, t: &Target, source: Source) -> anyhow::Result<Made> {
    let req = CreateFileByHash {
        hash: md5.to_string(),
        name: t.name.clone(),
        parent: t.parent.clone(),
        access: t.access.clone(),
    };
    let created = ctx.client.create_file_by_hash(&req).await?;
    Ok(Made {
        id: created.id,
        source,
        how: "created again by hash".into(),
    })
}

async fn upload(ctx: &Ctx, path: &Path, t: &Target) -> anyhow::Result<Made> {
    let form = ctx
        .client
        .get_upload_form_data(t.parent.as_deref().unwrap_or("/"))
        .await?;
    let done = ctx
        .client
        .upload_file(&form, path, &t.name, Arc::new(|_| {}))
        .await?;
    if let Some(access) = t.access.clone().filter(|a| *a != Access::Public) {
        let changes = FileChanges {
            new_access: Some(access),
            ..FileChanges::default()
        };
        ctx.client.update_file(&done.user_file_id, &changes).await?;
    }
    Ok(Made {
        id: done.user_file_id,
        source: Source::Upload,
        how: "uploaded".into(),
    })
}

/// A local copy: by hash when the service still has its content, else uploaded.
async fn from_local(ctx: &Ctx, path: &Path, t: &Target) -> anyhow::Result<Made> {
    let owned = path.to_path_buf();
    let md5 = tokio::task::spawn_blocking(move || plan::md5_of_file(&owned)).await??;
    if ctx.client.find_file(&md5).await? {
        return by_hash(ctx, &md5, t, Source::LocalFile).await;
    }
    upload(ctx, path, t).await
}

/// A file the index remembers with its md5: by hash, else a local copy of its size and md5.
async fn from_index(
    ctx: &Ctx,
    from: Option<&Path>,
    t: &Target,
    row: &FileRow,
    md5: &str,
) -> anyhow::Result<Made> {
    if ctx.client.find_file(md5).await? {
        return by_hash(ctx, md5, t, Source::Index).await;
    }
    let Some(dir) = from else {
        anyhow::bail!("content gone; give --from DIR with the file");
    };
    let (size, want, d) = (row.size.unwrap_or(0), md5.to_string(), dir.to_path_buf());
    let found =
        tokio::task::spawn_blocking(move || plan::find_by_content(&d, size, &want, MAX_DEPTH)).await?;
    let Some(path) = found else {
        anyhow::bail!(
            "content gone, and no file of {size} bytes with md5 {md5} in {}",
            dir.display()
        );
    };
    upload(ctx, &path, t).await
}

/// The old metadata onto the new file: what the service still gives for the old id, else the
/// title and tags the index holds.
async fn carry_metadata(ctx: &Ctx, old: &str, new: &str, row: Option<&FileRow>) -> bool {
    let q = MetaQuery {
        file_ids: Some(vec![old.to_string()]),
        ..MetaQuery::default()
    };
    let from_service = match ctx.client.get_files_meta(&q).await {
        Ok(page) => page
            .items
            .into_iter()
            .find(|m| m.file_id == old)
            .map(|m| MetaPatch {
                title: Some(m.title),
                description: Some(m.description),
                studio: Some(m.studio),
                categories: Some(m.categories),
                actresses: Some(m.actresses),
                tags: Some(m.tags),
            }),
        Err(e) => {
            tracing::debug!("getFilesMeta {old}: {e}");
            None
        }
    };
    let Some(patch) = from_service.or_else(|| row.and_then(plan::index_meta)) else {
        return false;
    };
    ctx.client.create_file_meta(new, &patch).await.is_ok()
}

/// The index follows: the dead file leaves it, the new one enters.
fn note_in_index(ctx: &Ctx, old: &str, new: &str, t: &Target, row: Option<&FileRow>) {
    crate::index::note_removed(&ctx.state_dir, &[old.to_string()]);
    let item = FileItem {
        id: new.to_string(),
        name: Some(t.name.clone()),
        is_folder: Some(false),
        is_available: Some(true),
        access: t.access.clone(),
        size: row.and_then(|r| r.size),
        md5: row.and_then(plan::md5_of_row),
        date_created: Some(chrono::Utc::now()),
        ..FileItem::default()
    };
    crate::index::note_added(&ctx.state_dir, &item, t.parent.as_deref().unwrap_or("/"));
}

async fn repair_one(ctx: &Ctx, from: Option<&Path>, known: Option<&FileRow>, row: &Row<'_>) -> Repaired {
    let old = row.report.id.as_str();
    let remembered = known.and_then(|r| Some((r, plan::md5_of_row(r)?)));
    let (t, made) = match (remembered, from) {
        (Some((r, md5)), _) => {
            let t = Target::of_row(ctx, r).await;
            let made = from_index(ctx, from, &t, r, &md5).await;
            (t, made)
        }
        (None, Some(dir)) => {
            let name = known.map(|r| r.name.as_str()).or(row.link.name.as_deref());
            let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
                return Repaired::failed(old, "the link carries no name to find a local copy by");
            };
            let Some(path) = plan::find_by_name(dir, name, MAX_DEPTH) else {
                return Repaired::failed(old, format!("no local copy named {name:?} in {}", dir.display()));
            };
            let t = match known {
                Some(r) => Target::of_row(ctx, r).await,
                None => Target::named(name),
            };
            let made = from_local(ctx, &path, &t).await;
            (t, made)
        }
        (None, None) => {
            return Repaired::failed(
                old,
                "not in the account index (not yours, or newer than the last `k2s index`): give --from DIR with the file",
            );
        }
    };
    let made = match made {
        Ok(m) => m,
        Err(e) => return Repaired::failed(old, format!("{e:#}")),
    };
    let mut how = vec![made.how];
    how.extend(t.notes.iter().cloned());
    if carry_metadata(ctx, old, &made.id, known).await {
        how.push("metadata copied".into());
    }
    note_in_index(ctx, old, &made.id, &t, known);
    Repaired {
        old: old.to_string(),
        new_link: Some(share_link(ctx.link_domain(), &made.id, Some(&t.name))),
        new: Some(made.id),
        source: Some(made.source),
        how: how.join(", "),
    }
}

/// The index rows of the dead files, or None when this account has no index yet.
fn index_rows(ctx: &Ctx, ids: &[String]) -> Option<HashMap<String, FileRow>> {
    let path = crate::index::path_in(&ctx.state_dir);
    let ix = crate::index::open_existing(&path, &crate::index::account_marker(&ctx.state_dir))?;
    if ix.crawled_at().ok().flatten().is_none() && ix.counts().ok()? == (0, 0) {
        return None;
    }
    match plan::remembered(&ix, ids) {
        Ok(rows) => Some(rows),
        Err(e) => {
            eprintln!("k2s: the account index {}: {}", path.display(), s(&e.to_string()));
            None
        }
    }
}

/// Every dead file link of `rows` brought back, from the account index and `--from`.
pub async fn repair(ctx: &Ctx, args: &CheckArgs, rows: &[Row<'_>]) -> anyhow::Result<Vec<Repaired>> {
    ctx.require_credentials()?;
    let dead: Vec<&Row> = rows
        .iter()
        .filter(|r| r.report.state == LinkState::Dead && !r.report.is_folder)
        .collect();
    let ids: Vec<String> = dead.iter().map(|r| r.report.id.clone()).collect();
    let known = index_rows(ctx, &ids);
    let from = args.from.as_deref();
    match (&known, from) {
        (None, None) => {
            return Err(Failure::error(
                Exit::Usage,
                "--repair needs the account index, to find the dead files by md5 (there is none yet: \
                 build it with `k2s index`), or --from DIR with the files",
            ));
        }
        (None, Some(_)) => eprintln!(
            "k2s: no account index (`k2s index` builds one): local copies are found by the names the links carry"
        ),
        _ => {}
    }
    let mut out = Vec::new();
    for row in dead {
        let k = known.as_ref().and_then(|m| m.get(&row.report.id));
        out.push(repair_one(ctx, from, k, row).await);
    }
    Ok(out)
}
