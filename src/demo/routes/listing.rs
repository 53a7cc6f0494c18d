//! getFoldersList, getFilesList, getFilesInfo, getFileStatus, and how items render.

use super::{ApiError, Params, Reply, fmt_date, fmt_iso, need, ok, who};
use crate::demo::accounts::Acct;
use crate::demo::server::Shared;
use crate::demo::state::{Access, Node, ROOT, State, valid_id};
use serde_json::{Value, json};
use std::cmp::Ordering;

pub(crate) const MAX_LIMIT: u64 = 10_000;
const DEFAULT_LIMIT: u64 = 100;
const MAX_INFO_IDS: usize = 100;

/// A parent given as "/" or a well-formed id; anything else is invalid.
pub(crate) fn parent_param(p: &Params, key: &str) -> Result<String, ApiError> {
    let parent = p.str(key)?.unwrap_or_else(|| ROOT.to_string());
    let parent = if parent.is_empty() {
        ROOT.to_string()
    } else {
        parent
    };
    if parent != ROOT && !valid_id(&parent) {
        return Err(ApiError::invalid());
    }
    Ok(parent)
}

pub(crate) fn folder_not_found() -> ApiError {
    ApiError::e406(20, "Folder not found")
}

fn abuses(n: &Node) -> Value {
    if n.blocked {
        json!([{"type": "hash", "projects": ["k2s"], "blocked_to": "2030-01-01 00:00:01"}])
    } else {
        json!([])
    }
}

fn video(n: &Node) -> Value {
    match &n.video {
        Some(v) => json!({
            "duration": v.duration, "width": v.width, "height": v.height,
            "format": v.format, "is_streamable": v.streamable,
        }),
        None => Value::Null,
    }
}

fn free_ok(n: &Node) -> bool {
    !n.is_folder && n.available() && n.access == Access::Public
}

/// getFilesList's item.
pub(crate) fn list_item(n: &Node, extended: bool) -> Value {
    let mut v = json!({
        "id": n.id, "name": n.name, "is_available": n.available(), "is_folder": n.is_folder,
        "date_created": fmt_date(&n.created), "size": n.size(), "md5": n.md5(),
    });
    if extended {
        let mut e = json!({
            "abuses": abuses(n), "storage_object": "available", "size": n.size(),
            "date_download_last": n.last_download.as_ref().map(fmt_date),
            "downloads": n.downloads, "access": n.access.as_str(),
            "content_type": if n.is_folder { Value::Null } else { json!(n.content_type) },
        });
        if n.video.is_some() {
            e["video_info"] = video(n);
        }
        v["extended_info"] = e;
    }
    v
}

/// Whether `viewer` may see `n` at all (owner, a non-private file, or a public folder).
pub(crate) fn visible(n: &Node, viewer: Option<Acct>) -> bool {
    if viewer == Some(n.owner) {
        return true;
    }
    if n.is_folder {
        n.is_public
    } else {
        n.access != Access::Private
    }
}

fn null_item(id: &str, available: Value) -> Value {
    json!({"id": id, "name": null, "access": null, "is_available": available, "is_folder": null,
        "md5": null, "size": null})
}

/// getFilesInfo's item for `id`.
fn info_item(st: &State, id: &str, viewer: Option<Acct>, extended: bool) -> Value {
    let Some(n) = st.nodes.get(id).filter(|n| visible(n, viewer)) else {
        return null_item(id, Value::Null);
    };
    let owner = viewer == Some(n.owner);
    if n.blocked && !owner {
        return null_item(id, json!(false));
    }
    let mut v = json!({
        "id": n.id, "name": n.name, "access": n.access.as_str(), "is_available": n.available(),
        "is_folder": n.is_folder, "size": n.size(),
    });
    if owner {
        v["md5"] = json!(n.md5());
    }
    if extended {
        v["created_at"] = json!(fmt_iso(&n.created));
        v["isAvailableForFree"] = json!(free_ok(n));
        if owner {
            v["parent_id"] = json!(n.parent);
        }
        let mut e = json!({
            "access": n.access.as_str(),
            "content_type": if n.is_folder { Value::Null } else { json!(n.content_type) },
            "size": n.size(), "storage_object": "available",
            "date_download_last": n.last_download.as_ref().map(fmt_date),
            "created_at": fmt_iso(&n.created),
        });
        if owner {
            e["abuses"] = abuses(n);
        }
        if n.video.is_some() {
            e["video_info"] = video(n);
        }
        v["extended_info"] = e;
    }
    v
}

/// getFileStatus's fields for a file (or one item of a folder).
fn status_fields(n: &Node, viewer: Option<Acct>, with_id: bool) -> Value {
    let mut v = json!({
        "access": n.access.as_str(), "isAvailableForFree": free_ok(n), "name": n.name,
        "is_available": n.available(), "is_folder": n.is_folder, "size": n.size(),
    });
    if with_id {
        v["id"] = json!(n.id);
    }
    if viewer == Some(n.owner) {
        v["date_created"] = json!(fmt_date(&n.created));
    }
    if n.video.is_some() {
        v["video_info"] = video(n);
    }
    v
}

pub(super) fn folders_list(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let parent = parent_param(p, "parent_id")?;
    if !st.folder_ok(acct, &parent) {
        return Err(folder_not_found());
    }
    let folders = st.folders_below(acct, &parent);
    let parent_name = |n: &Node| match st.nodes.get(&n.parent) {
        Some(pn) => format!("/{}", pn.name),
        None => ROOT.to_string(),
    };
    ok(json!({
        "foldersList": folders.iter().map(|n| format!("/{}", n.name)).collect::<Vec<_>>(),
        "foldersIds": folders.iter().map(|n| n.id.clone()).collect::<Vec<_>>(),
        "parentFoldersList": folders.iter().map(|n| parent_name(n)).collect::<Vec<_>>(),
        "parentFoldersIds": folders.iter().map(|n| n.parent.clone()).collect::<Vec<_>>(),
    }))
}

#[derive(Clone, Copy)]
enum SortKey {
    Name,
    Date,
    Size,
}

fn sort_dir(v: &Value) -> Option<bool> {
    match v {
        Value::Number(n) => match n.as_i64()? {
            1 => Some(true),
            -1 => Some(false),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "1" | "asc" => Some(true),
            "-1" | "desc" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn sort_key(k: &str) -> Option<SortKey> {
    match k {
        "name" => Some(SortKey::Name),
        "date_created" | "created" => Some(SortKey::Date),
        "size" => Some(SortKey::Size),
        _ => None,
    }
}

/// `sort` as the reference sends it (`{"name": 1}`), or as an array (`[{"name":1}]`,
/// `["name", 1]`), or a string (`"name"`, `"-name"`). Default: newest first.
fn parse_sort(v: Option<&Value>) -> Result<(SortKey, bool), ApiError> {
    let bad = ApiError::invalid;
    match v {
        None => Ok((SortKey::Date, false)),
        Some(Value::Object(m)) if m.is_empty() => Ok((SortKey::Date, false)),
        Some(Value::Object(m)) if m.len() == 1 => {
            let (k, d) = m.iter().next().ok_or_else(bad)?;
            Ok((sort_key(k).ok_or_else(bad)?, sort_dir(d).ok_or_else(bad)?))
        }
        Some(Value::Array(a)) => match a.as_slice() {
            [] => Ok((SortKey::Date, false)),
            [o @ Value::Object(_)] => parse_sort(Some(o)),
            [Value::String(k), d] => Ok((sort_key(k).ok_or_else(bad)?, sort_dir(d).ok_or_else(bad)?)),
            _ => Err(bad()),
        },
        Some(Value::String(s)) => match s.strip_prefix('-') {
            Some(k) => Ok((sort_key(k).ok_or_else(bad)?, false)),
            None => Ok((sort_key(s).ok_or_else(bad)?, true)),
        },
        Some(_) => Err(bad()),
    }
}

pub(super) fn files_list(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let parent = parent_param(p, "parent")?;
    let limit = p.u64("limit")?.unwrap_or(DEFAULT_LIMIT);
    let offset = p.u64("offset")?.unwrap_or(0);
    if limit > MAX_LIMIT {
        return Err(ApiError::invalid());
    }
    let (key, asc) = parse_sort(p.get("sort"))?;
    let kind = p.str("type")?.unwrap_or_else(|| "any".into());
    let (files, folders) = match kind.as_str() {
        "any" | "" => (true, true),
        "file" | "files" => (true, false),
        "folder" | "folders" => (false, true),
        _ => return Err(ApiError::invalid()),
    };
    let only_available = p.bool("only_available")?.unwrap_or(false);
    let extended = p.bool("extended_info")?.unwrap_or(false);
    if !st.folder_ok(acct, &parent) {
        return Err(folder_not_found());
    }
    let mut items: Vec<&Node> = st
        .children
        .get(&(acct, parent))
        .into_iter()
        .flatten()
        .filter_map(|id| st.nodes.get(id))
        .filter(|n| if n.is_folder { folders } else { files })
        .filter(|n| !only_available || n.available())
        .collect();
    items.sort_by(|a, b| {
        let o = match key {
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Date => a.created.cmp(&b.created),
            SortKey::Size => a.size().cmp(&b.size()),
        };
        let o = if asc { o } else { o.reverse() };
        if o == Ordering::Equal { a.id.cmp(&b.id) } else { o }
    });
    let out: Vec<Value> = items
        .into_iter()
        .skip(offset.min(usize::MAX as u64) as usize)
        .take(limit as usize)
        .map(|n| list_item(n, extended))
        .collect();
    ok(json!({"files": out}))
}

pub(super) fn files_info(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let viewer = who(sh, &st, p)?;
    let ids = p.list("ids")?.ok_or_else(ApiError::invalid)?;
    if ids.is_empty() || ids.len() > MAX_INFO_IDS || !ids.iter().all(|i| valid_id(i)) {
        return Err(ApiError::invalid());
    }
    let extended = p.bool("extended_info")?.unwrap_or(false);
    let files: Vec<Value> = ids
        .iter()
        .map(|id| info_item(&st, id, viewer, extended))
        .collect();
    ok(json!({"files": files}))
}

pub(super) fn file_status(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let viewer = who(sh, &st, p)?;
    let id = p.req_str("id")?;
    if !valid_id(&id) {
        return Err(ApiError::invalid());
    }
    let limit = p.u64("limit")?;
    let offset = p.u64("offset")?;
    if limit.is_some_and(|l| l > MAX_LIMIT) {
        return Err(ApiError::invalid());
    }
    let n = st
        .nodes
        .get(&id)
        .filter(|n| visible(n, viewer))
        .ok_or_else(|| ApiError::e406(20, "File not available"))?;
    if !n.is_folder {
        return ok(status_fields(n, viewer, false));
    }
    let mut kids: Vec<&Node> = st
        .children
        .get(&(n.owner, n.id.clone()))
        .into_iter()
        .flatten()
        .filter_map(|id| st.nodes.get(id))
        .filter(|k| visible(k, viewer))
        .collect();
    kids.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    if limit.is_none() && offset.is_none() {
        // The reference's form: `files` is one object (the first item).
        return match kids.first() {
            Some(k) => ok(json!({"files": status_fields(k, viewer, true)})),
            None => ok(json!({"files": []})),
        };
    }
    let page: Vec<Value> = kids
        .into_iter()
        .skip(offset.unwrap_or(0) as usize)
        .take(limit.unwrap_or(DEFAULT_LIMIT) as usize)
        .map(|k| status_fields(k, viewer, true))
        .collect();
    ok(json!({"files": page}))
}
