//! createFolder, updateFiles, updateFile, deleteFiles, findFile, createFileByHash.

use super::listing::{MAX_LIMIT, parent_param};
use super::{ApiError, Params, Reply, need, ok, ok_code};
use crate::demo::accounts::Acct;
use crate::demo::server::Shared;
use crate::demo::state::{Access, FOLDER_LIMIT, Node, State, name_problem, valid_id};
use chrono::Utc;
use serde_json::{Value, json};

const LIMIT_REACHED: &str = "Limit files in specified folder reached";
const NO_DEST: &str = "Destination directory was not found";

fn access_param(p: &Params, key: &str) -> Result<Option<Access>, ApiError> {
    match p.str(key)? {
        None => Ok(None),
        Some(s) => Access::parse(&s).map(Some).ok_or_else(ApiError::invalid),
    }
}

pub(super) fn create_folder(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let name = p.req_str("name")?;
    let parent = parent_param(p, "parent", acct)?;
    let access = access_param(p, "access")?.unwrap_or(Access::Public);
    let is_public = p.bool("is_public")?.unwrap_or(false);
    let mut errors: Vec<&str> = Vec::new();
    errors.extend(name_problem(&name));
    if name.contains('/') {
        errors.push("Name contains invalid characters.");
    }
    if !st.folder_ok(acct, &parent) {
        errors.push(NO_DEST);
    } else {
        let dup = st
            .child_ids(acct, &parent)
            .iter()
            .filter_map(|id| st.nodes.get(id))
            .any(|n| n.is_folder && n.name == name);
        if dup {
            errors.push("A folder with this name already exists.");
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::e406(60, "Error create folder").with_errors(json!(errors)));
    }
    if st.child_count(acct, &parent) >= FOLDER_LIMIT {
        // createFolder's table has one 406 code, 60: the reason goes in `errors`.
        return Err(ApiError::e406(60, "Error create folder").with_errors(json!([LIMIT_REACHED])));
    }
    let id = st.new_node_id();
    st.insert(Node::folder(
        id.clone(),
        acct,
        name,
        parent,
        access,
        is_public,
        Utc::now(),
    ));
    ok_code(201, json!({"id": id}))
}

/// The fields an update names; every other field stays as it is.
struct Changes {
    name: Option<String>,
    parent: Option<String>,
    access: Option<Access>,
    is_public: Option<bool>,
}

fn changes(p: &Params, acct: Acct) -> Result<Changes, ApiError> {
    Ok(Changes {
        name: p.str("new_name")?,
        parent: if p.has("new_parent") {
            Some(parent_param(p, "new_parent", acct)?)
        } else {
            None
        },
        access: access_param(p, "new_access")?,
        is_public: p.bool("new_is_public")?,
    })
}

/// Applies `ch` to `id` or changes nothing: Err((errorCode, message)).
fn apply(st: &mut State, acct: Acct, id: &str, ch: &Changes) -> Result<(), (i64, &'static str)> {
    let n = st.owned(acct, id).ok_or((20, "File not found"))?;
    if let Some(problem) = ch.name.as_deref().and_then(name_problem) {
        return Err((63, problem));
    }
    if let Some(dest) = &ch.parent {
        if !st.folder_ok(acct, dest) {
            return Err((63, NO_DEST));
        }
        if n.is_folder && st.is_within(dest, id) {
            return Err((63, "A folder cannot be moved into itself."));
        }
        if n.parent != *dest && st.child_count(acct, dest) >= FOLDER_LIMIT {
            return Err((61, LIMIT_REACHED));
        }
    }
    if let Some(dest) = &ch.parent {
        st.reparent(id, dest);
    }
    if let Some(n) = st.nodes.get_mut(id) {
        if let Some(name) = &ch.name {
            n.name = name.clone();
        }
        if let Some(a) = ch.access {
            n.access = a;
        }
        if let Some(b) = ch.is_public {
            n.is_public = b;
        }
    }
    Ok(())
}

fn ids_param(p: &Params) -> Result<Vec<String>, ApiError> {
    let ids = p.list("ids")?.ok_or_else(ApiError::invalid)?;
    if ids.is_empty() || ids.len() as u64 > MAX_LIMIT || !ids.iter().all(|i| valid_id(i)) {
        return Err(ApiError::invalid());
    }
    Ok(ids)
}

pub(super) fn update_files(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let ids = ids_param(p)?;
    let ch = changes(p, acct)?;
    let shape = sh.shape;
    let files: Vec<Value> = ids
        .iter()
        .map(|id| match apply(&mut st, acct, id, &ch) {
            Ok(()) => json!({"id": id, "status": shape.item_status(true), "errors": []}),
            Err((_, msg)) => json!({"id": id, "status": shape.item_status(false), "errors": [msg]}),
        })
        .collect();
    ok(json!({"files": files}))
}

pub(super) fn update_file(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let id = p.req_str("id")?;
    if !valid_id(&id) {
        return Err(ApiError::invalid());
    }
    let ch = changes(p, acct)?;
    // updateFile's table has 61, 63 and 64: an unknown id is 63 with the reason in `errors`.
    match apply(&mut st, acct, &id, &ch) {
        Ok(()) => ok_code(202, json!({})),
        Err((61, msg)) => Err(ApiError::e406(61, msg)),
        Err((_, msg)) => Err(ApiError::e406(63, "Error update file").with_errors(json!([msg]))),
    }
}

pub(super) fn delete_files(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let ids = ids_param(p)?;
    let mut deleted: u64 = 0;
    for id in &ids {
        if st.owned(acct, id).is_some() {
            st.remove_tree(id);
            deleted += 1;
        }
    }
    ok(json!({"deleted": sh.shape.num(deleted)}))
}

fn md5_param(p: &Params, key: &str) -> Result<String, ApiError> {
    let md5 = p.req_str(key)?.to_ascii_lowercase();
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::invalid());
    }
    Ok(md5)
}

pub(super) fn find_file(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    need(sh, &st, p)?;
    let md5 = md5_param(p, "md5")?;
    ok(json!({"found": st.blobs.contains_key(&md5)}))
}

pub(super) fn create_by_hash(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let quota = sh.faults().quota;
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let md5 = md5_param(p, "hash")?;
    let name = p.req_str("name")?;
    let parent = parent_param(p, "parent", acct)?;
    let access = p.str("access")?;
    let blob = st
        .blobs
        .get(&md5)
        .cloned()
        .ok_or_else(|| ApiError::e406(20, "File not found"))?;
    let mut errors: Vec<&str> = Vec::new();
    if !st.folder_ok(acct, &parent) {
        errors.push(NO_DEST);
    }
    errors.extend(name_problem(&name));
    let access = match access.as_deref() {
        None => Some(Access::Public),
        Some(a) => Access::parse(a),
    };
    if access.is_none() {
        errors.push("Access is not in the list.");
    }
    if !errors.is_empty() {
        return Err(ApiError::e406(62, "Error copy file").with_errors(json!(errors)));
    }
    if st.child_count(acct, &parent) >= FOLDER_LIMIT {
        return Err(ApiError::e406(61, "Error create file").with_errors(json!([LIMIT_REACHED])));
    }
    if st.over_quota(acct, blob.size, quota) {
        return Err(ApiError::e406(64, "Disk quota exceeded"));
    }
    let id = st.new_file(acct, &parent, &name, blob, access.unwrap_or(Access::Public));
    ok_code(
        201,
        json!({"id": id, "link": format!("https://k2s.cc/file/{id}")}),
    )
}
