//! getFoldersList, getFilesList, getFilesInfo, getFileStatus (items render in `items`).

use super::items::{info_item, status_fields, visible};
use super::list_order::{self, Ask, SortKey};
use super::{ApiError, Params, Reply, need, ok, who};
use crate::demo::accounts::Acct;
use crate::demo::server::Shared;
use crate::demo::shapes::{parent_in, parent_out};
use crate::demo::state::{Node, ROOT, valid_id};
use serde_json::{Value, json};

pub(crate) const MAX_LIMIT: u64 = 10_000;
const DEFAULT_LIMIT: u64 = 100;
const MAX_INFO_IDS: usize = 100;

/// A folder named by `key`: "/", "" or `acct`'s root id (the root, as the state holds it: see
/// `parent_in`), or a well-formed id; anything else is invalid. Absent is the root.
pub(crate) fn parent_param(p: &Params, key: &str, acct: Acct) -> Result<String, ApiError> {
    let parent = parent_in(acct, &p.str(key)?.unwrap_or_default());
    if parent != ROOT && !valid_id(&parent) {
        return Err(ApiError::invalid());
    }
    Ok(parent)
}

/// getFilesList's answer for a folder the caller does not own (its 400 table: errorCode 3).
fn not_own_folder() -> ApiError {
    ApiError::new(400, 3, "Incorrect param value")
}

pub(super) fn folders_list(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let parent = parent_param(p, "parent_id", acct)?;
    if !st.folder_ok(acct, &parent) {
        return Err(ApiError::invalid());
    }
    let shape = &sh.shape;
    let folders = st.folders_below(acct, &parent);
    let name = |n: &Node| shape.folder_name(&n.name, &st.path_of(&n.id));
    let parent_name = |n: &Node| match st.nodes.get(&n.parent) {
        Some(pn) => name(pn),
        None => ROOT.to_string(),
    };
    let mut out = json!({
        "foldersList": folders.iter().map(|n| name(n)).collect::<Vec<_>>(),
        "foldersIds": folders.iter().map(|n| n.id.clone()).collect::<Vec<_>>(),
    });
    if shape.parent_arrays {
        out["parentFoldersList"] = json!(folders.iter().map(|n| parent_name(n)).collect::<Vec<_>>());
        out["parentFoldersIds"] = json!(
            folders
                .iter()
                .map(|n| parent_out(acct, &n.parent))
                .collect::<Vec<_>>()
        );
    }
    ok(out)
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
    let parent = parent_param(p, "parent", acct)?;
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
        return Err(not_own_folder());
    }
    let ask = Ask {
        acct,
        parent: &parent,
        key,
        asc,
        files,
        folders,
        only_available,
        unsorted: sh.faults().unsorted_listing,
    };
    let ids = list_order::sorted(&st, &ask);
    let page = ids
        .iter()
        .skip(offset.min(usize::MAX as u64) as usize)
        .take(limit as usize)
        .filter_map(|id| st.nodes.get(id));
    let text = list_order::render(&sh.shape, page, extended);
    Ok(Reply::with_files(200, text))
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
        .map(|id| info_item(&st, &sh.shape, id, viewer, extended))
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
        return ok(status_fields(&sh.shape, n, viewer, false));
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
    let page: Vec<Value> = kids
        .into_iter()
        .skip(offset.unwrap_or(0).min(usize::MAX as u64) as usize)
        .take(limit.unwrap_or(DEFAULT_LIMIT) as usize)
        .map(|k| status_fields(&sh.shape, k, viewer, true))
        .collect();
    ok(json!({"files": sh.shape.status_page(page)}))
}
