//! getFilesMeta, createFileMeta, updateFileMeta, copyFileMeta, deleteFileMeta.

use super::{ApiError, Params, Reply, need, ok};
use crate::demo::accounts::Acct;
use crate::demo::server::Shared;
use crate::demo::state::{Meta, State, valid_id};
use serde_json::{Value, json};

/// At most this many categories, actresses or tags.
pub(crate) const MAX_LIST: usize = 50;
pub(crate) const MAX_TITLE: usize = 255;
const MAX_PAGE_SIZE: u64 = 1000;

fn meta_json(file_id: &str, m: &Meta) -> Value {
    json!({
        "file_id": file_id, "title": m.title, "description": m.description, "studio": m.studio,
        "categories": m.categories, "actresses": m.actresses, "tags": m.tags,
    })
}

/// Fields named in the request; None = leave as it is.
struct Patch {
    title: Option<String>,
    description: Option<String>,
    studio: Option<String>,
    categories: Option<Vec<String>>,
    actresses: Option<Vec<String>>,
    tags: Option<Vec<String>>,
}

fn patch(p: &Params) -> Result<Patch, ApiError> {
    let patch = Patch {
        title: p.str("title")?,
        description: p.str("description")?,
        studio: p.str("studio")?,
        categories: p.list("categories")?,
        actresses: p.list("actresses")?,
        tags: p.list("tags")?,
    };
    let mut errors = Vec::new();
    if patch
        .title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TITLE)
    {
        errors.push(format!("Title is too long (maximum is {MAX_TITLE} characters)."));
    }
    for (name, list) in [
        ("categories", &patch.categories),
        ("actresses", &patch.actresses),
        ("tags", &patch.tags),
    ] {
        if list.as_ref().is_some_and(|l| l.len() > MAX_LIST) {
            errors.push(format!("Too many {name} (maximum is {MAX_LIST})."));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid().with_errors(json!(errors)));
    }
    Ok(patch)
}

fn apply(m: &mut Meta, p: Patch) {
    if let Some(v) = p.title {
        m.title = v;
    }
    if let Some(v) = p.description {
        m.description = v;
    }
    if let Some(v) = p.studio {
        m.studio = v;
    }
    if let Some(v) = p.categories {
        m.categories = v;
    }
    if let Some(v) = p.actresses {
        m.actresses = v;
    }
    if let Some(v) = p.tags {
        m.tags = v;
    }
}

fn id_param(p: &Params, key: &str) -> Result<String, ApiError> {
    let id = p.req_str(key)?;
    if !valid_id(&id) {
        return Err(ApiError::invalid());
    }
    Ok(id)
}

fn owned_file(st: &State, acct: Acct, id: &str) -> bool {
    st.owned(acct, id).is_some_and(|n| !n.is_folder)
}

fn meta_not_found() -> ApiError {
    ApiError::new(404, 60, "File meta not found")
}

pub(super) fn list(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let ids = p.list("file_ids")?;
    if ids
        .as_ref()
        .is_some_and(|ids| ids.len() > 10_000 || !ids.iter().all(|i| valid_id(i)))
    {
        return Err(ApiError::invalid());
    }
    let tag = p.str("tag")?;
    let category = p.str("category")?;
    let actress = p.str("actress")?;
    let page = p.u64("page")?.unwrap_or(0);
    let size = p.u64("size")?.unwrap_or(100);
    if size == 0 || size > MAX_PAGE_SIZE {
        return Err(ApiError::invalid());
    }
    let has = |list: &[String], want: &Option<String>| want.as_ref().is_none_or(|w| list.contains(w));
    let matching: Vec<Value> = st
        .meta
        .iter()
        .filter(|(id, _)| owned_file(&st, acct, id))
        .filter(|(id, _)| ids.as_ref().is_none_or(|ids| ids.contains(*id)))
        .filter(|(_, m)| has(&m.tags, &tag) && has(&m.categories, &category) && has(&m.actresses, &actress))
        .map(|(id, m)| meta_json(id, m))
        .collect();
    let total = matching.len();
    let start = page.saturating_mul(size).min(usize::MAX as u64) as usize;
    let items: Vec<Value> = matching.into_iter().skip(start).take(size as usize).collect();
    ok(json!({"items": items, "total": total}))
}

pub(super) fn create(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let id = id_param(p, "file_id")?;
    let patch = patch(p)?;
    let fail = |why: &str| ApiError::e406(60, "Error create file meta").with_errors(json!([why]));
    if !owned_file(&st, acct, &id) {
        return Err(fail("File not found"));
    }
    if st.meta.contains_key(&id) {
        return Err(fail("File meta already exists: use updateFileMeta"));
    }
    let mut m = Meta::default();
    apply(&mut m, patch);
    let out = meta_json(&id, &m);
    st.meta.insert(id, m);
    ok(out)
}

pub(super) fn update(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let id = id_param(p, "file_id")?;
    let patch = patch(p)?;
    if !owned_file(&st, acct, &id) {
        return Err(meta_not_found());
    }
    let m = st.meta.get_mut(&id).ok_or_else(meta_not_found)?;
    apply(m, patch);
    ok(meta_json(&id, m))
}

pub(super) fn copy(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let from = id_param(p, "from_file_id")?;
    let to = id_param(p, "to_file_id")?;
    let src = st
        .meta
        .get(&from)
        .filter(|_| owned_file(&st, acct, &from))
        .cloned()
        .ok_or_else(|| ApiError::new(404, 3, "from_file_id not found"))?;
    if !owned_file(&st, acct, &to) {
        return Err(ApiError::new(404, 3, "to_file_id not found"));
    }
    let out = meta_json(&to, &src);
    st.meta.insert(to, src);
    ok(out)
}

pub(super) fn delete(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let id = id_param(p, "file_id")?;
    if !owned_file(&st, acct, &id) || st.meta.remove(&id).is_none() {
        return Err(meta_not_found());
    }
    ok(json!({}))
}
