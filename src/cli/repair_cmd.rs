//! `k2s check --repair`: dead links brought back from local copies (`--from DIR`, found by the
//! name the link carries): created again by hash when the service still has the content
//! (findFile, createFileByHash), uploaded otherwise; the old metadata is put on the new file
//! when the service still gives it.

use super::args::CheckArgs;
use super::check_cmd::Row;
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::output::s;
use crate::api::{CreateFileByHash, MetaPatch, MetaQuery, share_link};
use crate::links::LinkState;
use crate::md5sum::Md5;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How far below `--from` local copies are looked for.
const MAX_DEPTH: usize = 4;

/// One dead link and what became of it.
#[derive(Debug, Clone)]
pub struct Repaired {
    pub old: String,
    pub new: Option<String>,
    pub new_link: Option<String>,
    /// "by hash", "uploaded", or why not.
    pub how: String,
}

impl Repaired {
    pub fn json(&self) -> serde_json::Value {
        json!({"old": self.old, "new": self.new, "link": self.new_link, "how": self.how})
    }
    pub fn line(&self) -> String {
        match &self.new {
            Some(new) => format!(
                "repaired      {} -> {new}  {}  ({})",
                self.old,
                self.new_link.as_deref().unwrap_or(""),
                self.how
            ),
            None => format!("not repaired  {}  {}", self.old, s(&self.how)),
        }
    }
    fn failed(old: &str, why: impl Into<String>) -> Repaired {
        Repaired {
            old: old.to_string(),
            new: None,
            new_link: None,
            how: why.into(),
        }
    }
}

/// The file called `name` in `dir` or below it (first found, depth-first, sorted by name).
fn find_local(dir: &Path, name: &str, depth: usize) -> Option<PathBuf> {
    let direct = dir.join(name);
    if !name.contains(['/', '\\']) && name != ".." && direct.is_file() {
        return Some(direct);
    }
    if depth == 0 {
        return None;
    }
    let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subs.sort();
    subs.iter().find_map(|d| find_local(d, name, depth - 1))
}

/// md5 of a local file, read in chunks.
fn md5_of(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h.hex());
        }
        h.update(&buf[..n]);
    }
}

/// The content again on the service: by hash when it still has it, else uploaded. The new id
/// and how.
async fn bring_back(ctx: &Ctx, path: &Path, name: &str) -> anyhow::Result<(String, &'static str)> {
    let owned = path.to_path_buf();
    let md5 = tokio::task::spawn_blocking(move || md5_of(&owned)).await??;
    if ctx.client.find_file(&md5).await? {
        let req = CreateFileByHash {
            hash: md5,
            name: name.to_string(),
            parent: None,
            access: None,
        };
        let created = ctx.client.create_file_by_hash(&req).await?;
        return Ok((created.id, "created again by hash"));
    }
    let form = ctx.client.get_upload_form_data("/").await?;
    let done = ctx
        .client
        .upload_file(&form, path, name, Arc::new(|_| {}))
        .await?;
    Ok((done.user_file_id, "uploaded"))
}

/// The old file's metadata onto the new one, when the service still gives it.
async fn carry_metadata(ctx: &Ctx, old: &str, new: &str) -> bool {
    let q = MetaQuery {
        file_ids: Some(vec![old.to_string()]),
        ..MetaQuery::default()
    };
    let Ok(page) = ctx.client.get_files_meta(&q).await else {
        return false;
    };
    let Some(m) = page.items.into_iter().find(|m| m.file_id == old) else {
        return false;
    };
    let patch = MetaPatch {
        title: Some(m.title),
        description: Some(m.description),
        studio: Some(m.studio),
        categories: Some(m.categories),
        actresses: Some(m.actresses),
        tags: Some(m.tags),
    };
    ctx.client.create_file_meta(new, &patch).await.is_ok()
}

async fn repair_one(ctx: &Ctx, dir: &Path, row: &Row<'_>) -> Repaired {
    let old = row.report.id.as_str();
    let Some(name) = row.link.name.as_deref().filter(|n| !n.trim().is_empty()) else {
        return Repaired::failed(old, "the link carries no name to find a local copy by");
    };
    let Some(path) = find_local(dir, name, MAX_DEPTH) else {
        return Repaired::failed(old, format!("no local copy named {name:?} in {}", dir.display()));
    };
    match bring_back(ctx, &path, name).await {
        Ok((new, how)) => {
            let how = if carry_metadata(ctx, old, &new).await {
                format!("{how}, metadata copied")
            } else {
                how.to_string()
            };
            Repaired {
                old: old.to_string(),
                new_link: Some(share_link(ctx.link_domain(), &new, Some(name))),
                new: Some(new),
                how,
            }
        }
        Err(e) => Repaired::failed(old, format!("{e:#}")),
    }
}

/// Every dead link of `rows` brought back from `--from`.
pub async fn repair(ctx: &Ctx, args: &CheckArgs, rows: &[Row<'_>]) -> anyhow::Result<Vec<Repaired>> {
    let Some(dir) = args.from.as_deref() else {
        return Err(Failure::error(
            Exit::Usage,
            "--repair needs --from DIR: the local copies of the files (no account index to find them by md5)",
        ));
    };
    ctx.require_credentials()?;
    let mut out = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.report.state == LinkState::Dead && !r.report.is_folder)
    {
        out.push(repair_one(ctx, dir, row).await);
    }
    Ok(out)
}
