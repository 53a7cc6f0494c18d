//! One function per API method. Requests follow the reference; replies go through the
//! lenient types and `shapes`.

use super::call::{Policy, to_params};
use super::client::{Client, Result};
use super::decode::Object;
use super::error::ApiError;
use super::lenient as l;
use super::shapes;
use super::types::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// getFilesInfo takes at most this many ids per request.
pub const FILES_INFO_BATCH: usize = 100;

fn obj(v: Value) -> Object {
    match v {
        Value::Object(m) => m,
        _ => Object::new(),
    }
}

fn need(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(ApiError::local(format!("{what} must not be empty")))
    } else {
        Ok(())
    }
}

impl Client {
    pub async fn request_recaptcha(&self) -> Result<Captcha> {
        let map = self.call("requestReCaptcha", Object::new(), Policy::READ).await?;
        shapes::record("requestReCaptcha", map)
    }

    pub async fn test(&self) -> Result<String> {
        let map = self.call("test", Object::new(), Policy::READ).await?;
        Ok(message(&map))
    }

    pub async fn account_info(&self) -> Result<AccountInfo> {
        shapes::record(
            "accountInfo",
            self.call("accountInfo", Object::new(), Policy::READ).await?,
        )
    }

    pub async fn get_balance(&self) -> Result<Balance> {
        shapes::record(
            "getBalance",
            self.call("getBalance", Object::new(), Policy::READ).await?,
        )
    }

    pub async fn get_domains_list(&self) -> Result<DomainsList> {
        shapes::record(
            "getDomainsList",
            self.call("getDomainsList", Object::new(), Policy::READ).await?,
        )
    }

    /// May buy a code: never retried blind.
    pub async fn reseller_get_code(
        &self,
        days: u32,
        use_exist: Option<bool>,
        auto_buy: Option<bool>,
    ) -> Result<ResellerCode> {
        let mut p = obj(json!({ "days": days }));
        if let Some(b) = use_exist {
            p.insert("useExist".into(), b.into());
        }
        if let Some(b) = auto_buy {
            p.insert("autoBuy".into(), b.into());
        }
        shapes::record(
            "resellerGetCode",
            self.call("resellerGetCode", p, Policy::WRITE).await?,
        )
    }

    pub async fn get_folders_list(&self, parent_id: Option<&str>) -> Result<FoldersList> {
        let mut p = Object::new();
        if let Some(id) = parent_id.filter(|s| !s.is_empty()) {
            p.insert("parent_id".into(), id.into());
        }
        let map = self.call("getFoldersList", p, Policy::READ).await?;
        Ok(shapes::folders_list(&map))
    }

    /// Never retried blind (could create duplicates).
    pub async fn create_folder(&self, req: &CreateFolder) -> Result<Created> {
        need("the folder name", &req.name)?;
        let map = self.call("createFolder", to_params(req)?, Policy::WRITE).await?;
        created("createFolder", map)
    }

    pub async fn get_files_list(&self, req: &ListFiles) -> Result<Vec<FileItem>> {
        let mut p = obj(json!({
            "parent": if req.parent.is_empty() { "/" } else { req.parent.as_str() },
            "limit": req.limit,
            "offset": req.offset,
            "only_available": req.only_available,
            "extended_info": req.extended_info,
        }));
        if let Some((field, dir)) = req.sort {
            let key = match field {
                SortField::Name => "name",
                SortField::DateCreated => "date_created",
                SortField::Size => "size",
            };
            p.insert("sort".into(), json!({ key: if dir < 0 { -1 } else { 1 } }));
        }
        if let Some(kind) = req.kind {
            p.insert("type".into(), serde_json::to_value(kind).unwrap_or(Value::Null));
        }
        let capacity = req.limit as usize;
        self.call_decoding("getFilesList", p, Policy::READ, |m, http, body| {
            super::files_page::files_page(m, http, body, capacity)
        })
        .await
    }

    /// Any number of ids; sent in batches of at most 100. Order follows `ids`; an id the
    /// server did not answer comes back with only its id (as unknown ids do).
    pub async fn get_files_info(&self, ids: &[String], extended_info: bool) -> Result<Vec<FileItem>> {
        let mut found: HashMap<String, FileItem> = HashMap::new();
        for batch in ids.chunks(FILES_INFO_BATCH) {
            let p = obj(json!({ "ids": batch, "extended_info": extended_info }));
            let map = self.call("getFilesInfo", p, Policy::READ).await?;
            for item in shapes::file_items(map.get("files")) {
                found.entry(item.id.clone()).or_insert(item);
            }
        }
        Ok(ids
            .iter()
            .map(|id| {
                found.get(id).cloned().unwrap_or_else(|| FileItem {
                    id: id.clone(),
                    ..FileItem::default()
                })
            })
            .collect())
    }

    /// Idempotent in effect (sets values), so retried like a read.
    pub async fn update_files(&self, ids: &[String], changes: &FileChanges) -> Result<Vec<UpdateItem>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = to_params(changes)?;
        p.insert("ids".into(), json!(ids));
        let map = self.call("updateFiles", p, Policy::READ).await?;
        Ok(update_items(&map))
    }

    pub async fn update_file(&self, id: &str, changes: &FileChanges) -> Result<()> {
        need("the id", id)?;
        let mut p = to_params(changes)?;
        p.insert("id".into(), id.into());
        self.call("updateFile", p, Policy::READ).await?;
        Ok(())
    }

    /// Returns the number deleted.
    pub async fn delete_files(&self, ids: &[String]) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        // What exists now: a retried call whose first try went through (its answer lost)
        // reports 0, and what disappeared since was deleted by it.
        let existed = self.existing(ids).await;
        let map = self
            .call("deleteFiles", obj(json!({ "ids": ids })), Policy::READ)
            .await?;
        let reported = deleted(&map);
        if reported >= ids.len() as u64 {
            return Ok(reported);
        }
        let (Some(before), Some(after)) = (existed, self.existing(ids).await) else {
            return Ok(reported);
        };
        let gone = before.difference(&after).count() as u64;
        Ok(reported.max(gone))
    }

    /// Which of `ids` exist, or None when that can't be told.
    async fn existing(&self, ids: &[String]) -> Option<std::collections::HashSet<String>> {
        match self.get_files_info(ids, false).await {
            Ok(info) => Some(info.into_iter().filter(|f| f.exists()).map(|f| f.id).collect()),
            Err(e) => {
                tracing::debug!("cannot tell which files exist: {e}");
                None
            }
        }
    }

    pub async fn find_file(&self, md5: &str) -> Result<bool> {
        need("the md5", md5)?;
        let map = self
            .call("findFile", obj(json!({ "md5": md5 })), Policy::READ)
            .await?;
        Ok(found(&map))
    }

    /// Never retried blind.
    pub async fn create_file_by_hash(&self, req: &CreateFileByHash) -> Result<Created> {
        need("the hash", &req.hash)?;
        need("the name", &req.name)?;
        let map = self
            .call("createFileByHash", to_params(req)?, Policy::WRITE)
            .await?;
        created("createFileByHash", map)
    }

    pub async fn get_file_status(
        &self,
        id: &str,
        limit: Option<u32>,
        offset: Option<u64>,
    ) -> Result<FileStatus> {
        need("the id", id)?;
        let mut p = obj(json!({ "id": id }));
        if let Some(n) = limit {
            p.insert("limit".into(), n.into());
        }
        if let Some(n) = offset {
            p.insert("offset".into(), n.into());
        }
        let map = self.call("getFileStatus", p, Policy::READ).await?;
        Ok(shapes::file_status(id, map))
    }

    pub async fn get_upload_form_data(&self, parent_id: &str) -> Result<UploadForm> {
        let parent = if parent_id.trim().is_empty() {
            "/"
        } else {
            parent_id
        };
        let map = self
            .call(
                "getUploadFormData",
                obj(json!({ "parent_id": parent })),
                Policy::READ,
            )
            .await?;
        shapes::upload_form(&map)
    }

    /// Starts downloads on the server: never retried blind.
    pub async fn remote_upload_add(&self, urls: &[String]) -> Result<RemoteUploadAdded> {
        let map = self
            .call("remoteUploadAdd", obj(json!({ "urls": urls })), Policy::WRITE)
            .await?;
        shapes::record("remoteUploadAdd", map)
    }

    pub async fn remote_upload_status(&self, ids: &[String]) -> Result<Vec<RemoteUpload>> {
        let map = self
            .call("remoteUploadStatus", obj(json!({ "ids": ids })), Policy::READ)
            .await?;
        Ok(shapes::remote_uploads(&map))
    }

    /// The URL, or a free download key: from a success (the live form) or from the reference's
    /// 406 errorCode 41 that carries `free_download_key` and `time_wait`. A captcha works
    /// once, so a request carrying an answer is repeated only when surely not processed.
    pub async fn get_url(&self, req: &GetUrl) -> Result<UrlAnswer> {
        need("the file id", &req.file_id)?;
        let policy = if req.captcha_response.is_some() {
            Policy::WRITE
        } else {
            Policy::READ
        };
        let map = self
            .call_accepting("getUrl", to_params(req)?, policy, shapes::is_free_key_envelope)
            .await?;
        shapes::url_answer(&map)
    }

    pub async fn request_captcha(&self) -> Result<Captcha> {
        shapes::record(
            "requestCaptcha",
            self.call("requestCaptcha", Object::new(), Policy::READ).await?,
        )
    }

    /// GET `<base>/captcha?id=<challenge>`: the image bytes.
    pub async fn captcha_image(&self, challenge: &str) -> Result<Vec<u8>> {
        need("the captcha challenge", challenge)?;
        self.get_image(&self.captcha_image_url(challenge)).await
    }

    pub async fn get_subscriptions(
        &self,
        domain_name: &str,
        limit: Option<u32>,
        offset: Option<u32>,
    ) -> Result<Subscriptions> {
        let mut p = obj(json!({ "domainName": domain_name }));
        if let Some(n) = limit {
            p.insert("limit".into(), n.into());
        }
        if let Some(n) = offset {
            p.insert("offset".into(), n.into());
        }
        shapes::record(
            "getSubscriptions",
            self.call("getSubscriptions", p, Policy::READ).await?,
        )
    }

    pub async fn get_files_meta(&self, query: &MetaQuery) -> Result<MetaPage> {
        shapes::record(
            "getFilesMeta",
            self.call("getFilesMeta", to_params(query)?, Policy::READ).await?,
        )
    }

    pub async fn create_file_meta(&self, file_id: &str, meta: &MetaPatch) -> Result<FileMeta> {
        self.meta_call("createFileMeta", file_id, meta, Policy::WRITE)
            .await
    }

    /// Sets the named fields: idempotent in effect, so retried like a read.
    pub async fn update_file_meta(&self, file_id: &str, patch: &MetaPatch) -> Result<FileMeta> {
        self.meta_call("updateFileMeta", file_id, patch, Policy::READ)
            .await
    }

    pub async fn copy_file_meta(&self, from_file_id: &str, to_file_id: &str) -> Result<FileMeta> {
        need("the source file id", from_file_id)?;
        need("the destination file id", to_file_id)?;
        let p = obj(json!({ "from_file_id": from_file_id, "to_file_id": to_file_id }));
        let map = self.call("copyFileMeta", p, Policy::WRITE).await?;
        meta_reply("copyFileMeta", to_file_id, map)
    }

    pub async fn delete_file_meta(&self, file_id: &str) -> Result<()> {
        need("the file id", file_id)?;
        self.call("deleteFileMeta", obj(json!({ "file_id": file_id })), Policy::READ)
            .await?;
        Ok(())
    }

    async fn meta_call(
        &self,
        method: &str,
        file_id: &str,
        patch: &MetaPatch,
        policy: Policy,
    ) -> Result<FileMeta> {
        need("the file id", file_id)?;
        let mut p = to_params(patch)?;
        p.insert("file_id".into(), file_id.into());
        let map = self.call(method, p, policy).await?;
        meta_reply(method, file_id, map)
    }
}

/// test's answer: its message.
pub(super) fn message(map: &Object) -> String {
    map.get("message").and_then(l::to_string).unwrap_or_default()
}

/// deleteFiles' answer: how many were deleted.
pub(super) fn deleted(map: &Object) -> u64 {
    map.get("deleted").and_then(l::to_u64).unwrap_or(0)
}

/// findFile's answer.
pub(super) fn found(map: &Object) -> bool {
    map.get("found").and_then(l::to_bool).unwrap_or(false)
}

/// updateFiles' answer: one result per file.
pub(super) fn update_items(map: &Object) -> Vec<UpdateItem> {
    map.get("files")
        .cloned()
        .map(l::values_to_vec)
        .unwrap_or_default()
}

pub(super) fn created(method: &str, map: Object) -> Result<Created> {
    let c: Created = shapes::record(method, map)?;
    if c.id.trim().is_empty() {
        return Err(ApiError::Decode {
            method: method.into(),
            http_status: 200,
            detail: "the reply has no id".into(),
        });
    }
    Ok(c)
}

pub(super) fn meta_reply(method: &str, file_id: &str, map: Object) -> Result<FileMeta> {
    let mut m: FileMeta = shapes::record(method, map)?;
    if m.file_id.is_empty() {
        m.file_id = file_id.to_string();
    }
    Ok(m)
}
