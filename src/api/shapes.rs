//! Methods whose replies have special shapes: getFoldersList's parallel arrays, getFileStatus
//! (file at the root or folder `files`), remoteUploadStatus (list or keyed object),
//! getUploadFormData's `form_data`, getUrl's URL or free download key; and the file lists.

use super::decode::Object;
use super::error::ApiError;
use super::lenient as l;
use super::rfc2047;
use super::types::*;
use serde_json::Value;

fn decode_err(method: &str, detail: impl Into<String>) -> ApiError {
    ApiError::Decode {
        method: method.into(),
        http_status: 200,
        detail: detail.into(),
    }
}

/// A record of the reply's root object, e.g. AccountInfo. Lenient types only fail on a
/// non-object, which cannot happen here; still, never panic.
pub(super) fn record<T: serde::de::DeserializeOwned>(method: &str, map: Object) -> Result<T, ApiError> {
    serde_json::from_value(Value::Object(map)).map_err(|e| decode_err(method, e.to_string()))
}

/// Decode the name of an item (RFC 2047).
pub(super) fn fix_item(mut item: FileItem) -> FileItem {
    if let Some(n) = &item.name {
        item.name = Some(rfc2047::decode(n));
    }
    item
}

/// `files`: a list (or one object); bad items are skipped.
pub(super) fn file_items(v: Option<&Value>) -> Vec<FileItem> {
    file_items_owned(v.cloned())
}

/// `file_items` of a value the caller gives up (a large page is not copied first).
pub(super) fn file_items_owned(v: Option<Value>) -> Vec<FileItem> {
    v.map(l::values_to_vec::<FileItem>)
        .unwrap_or_default()
        .into_iter()
        .map(fix_item)
        .collect()
}

fn strip_slash(name: &str) -> String {
    rfc2047::decode(name.strip_prefix('/').unwrap_or(name))
}

fn parent_id(v: Option<&Value>) -> Option<String> {
    v.and_then(l::to_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s != "/")
}

/// getFoldersList: `foldersList` + `foldersIds`, and optionally `parentFoldersList` +
/// `parentFoldersIds`. Arrays of unequal length: the ids decide; missing names are "".
pub(super) fn folders_list(map: &Object) -> FoldersList {
    let arr = |k: &str| map.get(k).and_then(Value::as_array).cloned();
    let names = arr("foldersList").unwrap_or_default();
    let ids = arr("foldersIds").unwrap_or_default();
    let parent_ids = arr("parentFoldersIds");
    let parent_names = arr("parentFoldersList");
    if names.len() != ids.len() {
        tracing::warn!("getFoldersList: {} names for {} ids", names.len(), ids.len());
    }
    let folders = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let id = l::to_string(id)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())?;
            Some(FolderEntry {
                id,
                name: names
                    .get(i)
                    .and_then(l::to_string)
                    .map(|n| strip_slash(&n))
                    .unwrap_or_default(),
                parent_id: parent_ids.as_ref().and_then(|p| parent_id(p.get(i))),
                parent_name: parent_names
                    .as_ref()
                    .and_then(|p| p.get(i))
                    .and_then(l::to_string)
                    .map(|n| strip_slash(&n))
                    .filter(|n| !n.is_empty()),
            })
        })
        .collect();
    FoldersList {
        folders,
        has_parents: parent_ids.is_some(),
    }
}

/// getFileStatus: a folder's `files` (one object or a list), or a file's fields at the root
/// (without `id`: the requested one is filled in).
pub(super) fn file_status(id: &str, map: Object) -> FileStatus {
    if let Some(files) = map.get("files").filter(|v| !v.is_null()) {
        return FileStatus::Folder(file_items(Some(files)));
    }
    let mut item: FileItem = serde_json::from_value(Value::Object(map)).unwrap_or_default();
    if item.id.is_empty() {
        item.id = id.to_string();
    }
    FileStatus::File(fix_item(item))
}

fn remote_item(key: Option<&str>, v: &Value) -> Option<RemoteUpload> {
    let m = v.as_object()?;
    let id = m
        .get("id")
        .and_then(l::to_string)
        .filter(|s| !s.is_empty())
        .or_else(|| key.map(str::to_string));
    Some(RemoteUpload {
        id,
        state: RemoteState::from_code(m.get("status").and_then(l::to_i64).unwrap_or(0)),
        progress: m.get("progress").and_then(l::to_f64),
        file_id: m.get("file_id").and_then(l::to_string).filter(|s| !s.is_empty()),
        message: m.get("message").and_then(l::to_string).filter(|s| !s.is_empty()),
    })
}

/// remoteUploadStatus `uploads`: a list, or an object keyed by the remote-upload id.
pub(super) fn remote_uploads(map: &Object) -> Vec<RemoteUpload> {
    match map.get("uploads") {
        Some(Value::Array(items)) => items.iter().filter_map(|v| remote_item(None, v)).collect(),
        Some(Value::Object(o)) if o.values().all(Value::is_object) => {
            o.iter().filter_map(|(k, v)| remote_item(Some(k), v)).collect()
        }
        Some(v @ Value::Object(_)) => remote_item(None, v).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A form_data value as the multipart text: strings as they are, `true` as "true", numbers as
/// digits, objects and arrays as JSON text. Null: None (the field is left out).
fn form_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// getUploadFormData.
pub(super) fn upload_form(map: &Object) -> Result<UploadForm, ApiError> {
    let method = "getUploadFormData";
    let form_action = map
        .get("form_action")
        .and_then(l::to_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| decode_err(method, "the reply has no form_action"))?;
    if url::Url::parse(&form_action).is_err() {
        return Err(decode_err(method, "form_action is not a URL"));
    }
    let file_field = map
        .get("file_field")
        .and_then(l::to_string)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "file".into());
    let form_data = match map.get("form_data") {
        Some(Value::Object(o)) => o
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), form_text(v)?)))
            .collect(),
        // A list of {name, value} pairs.
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|it| {
                let o = it.as_object()?;
                Some((
                    o.get("name").and_then(l::to_string)?,
                    o.get("value").and_then(form_text)?,
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(UploadForm {
        form_action,
        file_field,
        form_data,
    })
}

/// getUrl's error envelope that is an answer: errorCode 41 "Need wait for free" carrying a
/// `free_download_key` (the reference's form of an accepted captcha).
pub(super) fn is_free_key_envelope(map: &Object) -> bool {
    map.get("errorCode").and_then(l::to_i64) == Some(41) && free_key(map).is_some()
}

fn free_key(map: &Object) -> Option<String> {
    map.get("free_download_key")
        .and_then(l::to_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// getUrl: `url`, or `free_download_key` + `time_wait` (seconds, a number or a string).
pub(super) fn url_answer(map: &Object) -> Result<UrlAnswer, ApiError> {
    if let Some(url) = map
        .get("url")
        .and_then(l::to_string)
        .filter(|s| !s.trim().is_empty())
    {
        return Ok(UrlAnswer::Url(url));
    }
    if let Some(key) = free_key(map) {
        let time_wait = map.get("time_wait").and_then(l::to_u64).unwrap_or(0);
        return Ok(UrlAnswer::FreeKey {
            free_download_key: key,
            time_wait,
        });
    }
    Err(decode_err(
        "getUrl",
        "the reply has neither a url nor a free_download_key",
    ))
}
