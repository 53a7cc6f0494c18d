//! `k2s status`: are files and public folders available? (getFileStatus, anonymous or not)
//! Ids and share links are asked as they are; paths are looked up in the account first.

use super::args::StatusArgs;
use super::ctx::{Ctx, item_id};
use super::output::{access_str, outln, print_json, s};
use crate::api::{FileItem, FileStatus};
use crate::text::human_bytes;
use serde_json::json;
use std::process::ExitCode;

/// What getFileStatus said about one id given by the user.
struct Row {
    given: String,
    id: Option<String>,
    available: bool,
    folder: bool,
    item: Option<FileItem>,
    reason: Option<String>,
}

impl Row {
    fn failed(given: &str, id: Option<String>, reason: impl Into<String>) -> Row {
        Row {
            given: given.to_string(),
            id,
            available: false,
            folder: false,
            item: None,
            reason: Some(reason.into()),
        }
    }

    fn json(&self) -> serde_json::Value {
        let item = self.item.as_ref();
        json!({
            "given": self.given,
            "id": self.id,
            "available": self.available,
            "is_folder": self.folder,
            "name": item.and_then(|i| i.name.clone()),
            "size": item.and_then(|i| i.size),
            "access": item.and_then(|i| i.access.as_ref()).map(|a| a.as_str()),
            "free": item.and_then(|i| i.is_available_for_free),
            "reason": self.reason,
        })
    }

    fn line(&self) -> String {
        let id = s(self.id.as_deref().unwrap_or(&self.given));
        if !self.available {
            return format!("{id}  unavailable  {}", s(self.reason.as_deref().unwrap_or("")));
        }
        let item = self.item.as_ref();
        let name = s(item.and_then(|i| i.name.as_deref()).unwrap_or(""));
        if self.folder {
            return format!("{id}  available  folder  {name}");
        }
        let size = item.and_then(|i| i.size).map_or("-".into(), human_bytes);
        let free = match item.and_then(|i| i.is_available_for_free) {
            Some(true) => "free",
            Some(false) => "premium only",
            None => "-",
        };
        let access = access_str(item.and_then(|i| i.access.as_ref()));
        format!("{id}  available  {size}  {access}  {free}  {name}")
    }
}

/// The id of what the user gave: an id or a share link as it is (no login needed), a path
/// like `/Movies/x.mp4` looked up in the account. `Err(row)` when it names nothing.
async fn id_of(ctx: &Ctx, given: &str) -> anyhow::Result<Result<String, Row>> {
    let t = given.trim();
    if !t.starts_with('/') || t.starts_with("//") {
        return Ok(item_id(given).ok_or_else(|| {
            Row::failed(
                given,
                None,
                "not a file id, share link or path like /Movies/x.mp4",
            )
        }));
    }
    let mut found = ctx.resolve_items(&[given.to_string()]).await?;
    Ok(match found.pop() {
        Some((_, Ok(item))) => Ok(item.id),
        Some((_, Err(e))) => Err(Row::failed(given, None, e.to_string())),
        None => Err(Row::failed(given, None, "not found")),
    })
}

async fn one(ctx: &Ctx, given: &str) -> anyhow::Result<Row> {
    let id = match id_of(ctx, given).await? {
        Ok(id) => id,
        Err(row) => return Ok(row),
    };
    // One item is enough to know a folder answers; its listing is `k2s ls`'s business.
    let (folder, item) = match ctx.client.get_file_status(&id, Some(1), None).await {
        Ok(FileStatus::Folder(_)) => (true, None),
        Ok(FileStatus::File(f)) => (f.is_folder(), Some(f)),
        Err(e) if e.is_not_available() => return Ok(Row::failed(given, Some(id), "not available")),
        Err(e) if !e.is_retryable() && !e.needs_login() => {
            return Ok(Row::failed(given, Some(id), e.to_string()));
        }
        Err(e) => return Err(e.into()),
    };
    let available = folder || item.as_ref().is_some_and(|f| f.is_available != Some(false));
    let reason = (!available).then(|| "not available".to_string());
    Ok(Row {
        given: given.to_string(),
        id: Some(id),
        available,
        folder,
        item,
        reason,
    })
}

pub async fn status(ctx: &Ctx, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let mut rows = Vec::new();
    for given in &args.ids {
        rows.push(one(ctx, given).await?);
    }
    if ctx.json() {
        print_json(&rows.iter().map(Row::json).collect::<Vec<_>>())?;
    } else {
        for r in &rows {
            outln!("{}", r.line())?;
        }
    }
    let missing = rows.iter().filter(|r| !r.available).count();
    if missing > 0 {
        eprintln!("k2s: {missing} of {} not available", rows.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
