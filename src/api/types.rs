//! Typed requests and responses for every method of the K2S API v2.
//!
//! Responses decode leniently (see `lenient`); requests serialize in the reference's form and
//! omit every field that is `None`, so that an update never changes what the caller did not name.

use super::lenient as l;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub type Timestamp = DateTime<Utc>;

/// File or folder access level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Public,
    Private,
    Premium,
}

impl Access {
    pub fn as_str(&self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Private => "private",
            Access::Premium => "premium",
        }
    }
    pub fn parse(s: &str) -> Option<Access> {
        match s.trim().to_ascii_lowercase().as_str() {
            "public" => Some(Access::Public),
            "private" => Some(Access::Private),
            "premium" => Some(Access::Premium),
            _ => None,
        }
    }
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub fn opt_access<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Access>, D::Error> {
    Ok(l::to_string(&serde_json::Value::deserialize(d)?).and_then(|s| Access::parse(&s)))
}

// ---------------------------------------------------------------- account

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// Download traffic left, in bytes.
    #[serde(default, deserialize_with = "l::opt_u64")]
    pub available_traffic: Option<u64>,
    /// Premium expiry; None when the account never had premium (`false`).
    #[serde(default, deserialize_with = "l::opt_datetime")]
    pub account_expires: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    #[serde(default, deserialize_with = "l::opt_f64")]
    pub balance: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainsList {
    #[serde(default, deserialize_with = "l::string_vec")]
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResellerCode {
    #[serde(default, deserialize_with = "l::opt_string")]
    pub code_id: Option<String>,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub reseller_code: Option<String>,
    #[serde(default, deserialize_with = "l::opt_f64")]
    pub balance: Option<f64>,
}

/// requestReCaptcha / requestCaptcha.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Captcha {
    #[serde(default, deserialize_with = "l::string")]
    pub challenge: String,
    #[serde(default, deserialize_with = "l::string")]
    pub captcha_url: String,
}

/// Everything `login` can take. Only username and password are required.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub re_captcha_challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub re_captcha_response: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_response: Option<String>,
}

// ---------------------------------------------------------------- folders

/// One folder of getFoldersList. `parent_id` is None when the server did not send the parent
/// arrays or for top-level folders whose parent is "/". In the reference a top-level folder's
/// parent is the id of the account's root folder, which is not listed itself; `FolderTree`
/// takes such an unlisted parent id as the root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderEntry {
    pub id: String,
    /// The name as sent, RFC 2047-decoded, with its leading "/" removed: `name`, or a path
    /// `a/b/name` when the server sends full paths (`FolderTree` takes the last segment as
    /// the name, and builds the tree from the paths when no parent ids are sent).
    pub name: String,
    pub parent_id: Option<String>,
    pub parent_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FoldersList {
    pub folders: Vec<FolderEntry>,
    /// Whether the server sent parentFoldersIds (so `parent_id` is meaningful).
    pub has_parents: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CreateFolder {
    pub name: String,
    /// A folder id, or "/" for the root.
    pub parent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
}

/// createFolder / createFileByHash result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Created {
    #[serde(default, deserialize_with = "l::string")]
    pub id: String,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub link: Option<String>,
}

// ---------------------------------------------------------------- files

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoInfo {
    /// Seconds.
    #[serde(default, deserialize_with = "l::opt_f64")]
    pub duration: Option<f64>,
    #[serde(default, deserialize_with = "l::opt_u32")]
    pub width: Option<u32>,
    #[serde(default, deserialize_with = "l::opt_u32")]
    pub height: Option<u32>,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub format: Option<String>,
    #[serde(default, deserialize_with = "l::opt_bool")]
    pub is_streamable: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Abuse {
    #[serde(rename = "type", default, deserialize_with = "l::opt_string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "l::string_vec")]
    pub projects: Vec<String>,
    #[serde(default, deserialize_with = "l::opt_datetime")]
    pub blocked_to: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExtendedInfo {
    #[serde(default, deserialize_with = "l::vec_lenient")]
    pub abuses: Vec<Abuse>,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub storage_object: Option<String>,
    #[serde(default, deserialize_with = "l::opt_u64")]
    pub size: Option<u64>,
    #[serde(default, deserialize_with = "l::opt_datetime")]
    pub date_download_last: Option<Timestamp>,
    #[serde(default, deserialize_with = "l::opt_u64")]
    pub downloads: Option<u64>,
    #[serde(default, deserialize_with = "opt_access")]
    pub access: Option<Access>,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub content_type: Option<String>,
    #[serde(default, deserialize_with = "l::opt_object")]
    pub video_info: Option<VideoInfo>,
    #[serde(default, deserialize_with = "l::opt_datetime")]
    pub created_at: Option<Timestamp>,
}

/// The accessors `FileItem` and `FileRow` share, written once: both hold the same fields under
/// the same names (a row boxes its extended and video info, which `Borrow` sees through).
macro_rules! file_accessors {
    () => {
        pub fn is_folder(&self) -> bool {
            self.is_folder.unwrap_or(false)
        }
        /// The name, or "" when the server did not send one.
        pub fn name(&self) -> &str {
            self.name.as_deref().unwrap_or("")
        }
        fn extended(&self) -> Option<&ExtendedInfo> {
            self.extended_info.as_ref().map(std::borrow::Borrow::borrow)
        }
        pub fn access(&self) -> Option<&Access> {
            self.access
                .as_ref()
                .or_else(|| self.extended().and_then(|e| e.access.as_ref()))
        }
        pub fn size(&self) -> Option<u64> {
            self.size.or_else(|| self.extended().and_then(|e| e.size))
        }
        pub fn video(&self) -> Option<&VideoInfo> {
            self.video_info
                .as_ref()
                .map(std::borrow::Borrow::borrow)
                .or_else(|| self.extended().and_then(|e| e.video_info.as_ref()))
        }
        pub fn downloads(&self) -> Option<u64> {
            self.extended().and_then(|e| e.downloads)
        }
        pub fn last_download(&self) -> Option<Timestamp> {
            self.extended().and_then(|e| e.date_download_last)
        }
        pub fn content_type(&self) -> Option<&str> {
            self.extended().and_then(|e| e.content_type.as_deref())
        }
        pub fn created(&self) -> Option<Timestamp> {
            self.date_created
                .or_else(|| self.extended().and_then(|e| e.created_at))
        }
        /// Blocked by the abuse system (any abuse record).
        pub fn is_blocked(&self) -> bool {
            self.extended().is_some_and(|e| !e.abuses.is_empty())
        }
    };
}

/// A file or folder as getFilesList, getFilesInfo and getFileStatus return it. Every field but
/// `id` is optional: getFilesInfo answers unknown ids with nulls. Read leniently field by
/// field (its `Deserialize` is in `files_page`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileItem {
    pub id: String,
    /// Already RFC 2047-decoded by the client.
    pub name: Option<String>,
    pub is_folder: Option<bool>,
    pub is_available: Option<bool>,
    #[serde(rename = "isAvailableForFree")]
    pub is_available_for_free: Option<bool>,
    pub access: Option<Access>,
    /// `date_created` (getFilesList, getFileStatus) or `created_at` (getFilesInfo).
    pub date_created: Option<Timestamp>,
    pub size: Option<u64>,
    pub md5: Option<String>,
    pub parent_id: Option<String>,
    pub extended_info: Option<ExtendedInfo>,
    /// getFileStatus puts video_info at the item's root.
    pub video_info: Option<VideoInfo>,
}

impl FileItem {
    file_accessors!();
    /// Whether the server knows this id (getFilesInfo answers unknown ids with all nulls).
    pub fn exists(&self) -> bool {
        self.name.is_some() || self.is_folder.is_some() || self.is_available.is_some()
    }
}

// ---------------------------------------------------------------- compact rows

/// A string many rows share (their folder's id), kept once.
pub type Shared = std::sync::Arc<str>;

/// Hands out one shared copy of each distinct string.
#[derive(Debug, Clone, Default)]
pub struct Interner(std::collections::HashSet<Shared>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Shared {
        if let Some(have) = self.0.get(s) {
            return have.clone();
        }
        let new: Shared = Shared::from(s);
        self.0.insert(new.clone());
        new
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An md5 as 16 bytes when the server sent 32 lowercase hex digits, else the text as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Md5 {
    Bytes([u8; 16]),
    Text(Box<str>),
}

impl Md5 {
    fn new(s: &str) -> Md5 {
        let hex = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let b = s.as_bytes();
        if b.len() == 32 {
            let mut out = [0u8; 16];
            let ok = out
                .iter_mut()
                .enumerate()
                .all(|(i, o)| match (hex(b[2 * i]), hex(b[2 * i + 1])) {
                    (Some(h), Some(l)) => {
                        *o = h << 4 | l;
                        true
                    }
                    _ => false,
                });
            if ok {
                return Md5::Bytes(out);
            }
        }
        Md5::Text(s.into())
    }
    fn text(&self) -> String {
        match self {
            Md5::Bytes(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
            Md5::Text(t) => t.to_string(),
        }
    }
}

/// A file or folder as the TUI's listing keeps it: `FileItem`'s fields without per-row
/// copies of what rows share. The folder id is shared, the md5 kept as bytes, and extended
/// info (boxed) only for the rows it was fetched for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileRow {
    pub id: String,
    /// Already RFC 2047-decoded, as the server sent it (not made terminal-safe).
    pub name: Option<Box<str>>,
    pub is_folder: Option<bool>,
    pub is_available: Option<bool>,
    pub is_available_for_free: Option<bool>,
    pub access: Option<Access>,
    pub date_created: Option<Timestamp>,
    pub size: Option<u64>,
    md5: Option<Md5>,
    pub parent_id: Option<Shared>,
    /// None until it came with the listing or was fetched for the row.
    pub extended_info: Option<Box<ExtendedInfo>>,
    /// video_info sent at the item's root.
    pub video_info: Option<Box<VideoInfo>>,
}

impl FileRow {
    /// The row of `item`; strings rows share come from `shared`.
    pub fn new(item: FileItem, shared: &mut Interner) -> FileRow {
        FileRow {
            md5: item.md5.as_deref().map(Md5::new),
            parent_id: item.parent_id.as_deref().map(|p| shared.get(p)),
            name: item.name.map(String::into_boxed_str),
            id: item.id,
            is_folder: item.is_folder,
            is_available: item.is_available,
            is_available_for_free: item.is_available_for_free,
            access: item.access,
            date_created: item.date_created,
            size: item.size,
            extended_info: item.extended_info.map(Box::new),
            video_info: item.video_info.map(Box::new),
        }
    }
    /// Take the extended and video info of a getFilesInfo answer for this row (an answer
    /// without any still marks the row as asked).
    pub fn set_extended(&mut self, answer: FileItem) {
        self.extended_info = Some(Box::new(answer.extended_info.unwrap_or_default()));
        if let Some(v) = answer.video_info {
            self.video_info = Some(Box::new(v));
        }
    }
    file_accessors!();
    pub fn md5(&self) -> Option<String> {
        self.md5.as_ref().map(Md5::text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    Name,
    DateCreated,
    Size,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListType {
    Any,
    File,
    Folder,
}

/// getFilesList parameters. `sort` is sent as an object: `{"date_created": -1}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListFiles {
    /// Folder id, or "/" for the root.
    pub parent: String,
    pub limit: u32,
    pub offset: u64,
    /// (field, 1 ascending | -1 descending)
    pub sort: Option<(SortField, i8)>,
    pub only_available: bool,
    pub extended_info: bool,
    pub kind: Option<ListType>,
}

impl Default for ListFiles {
    fn default() -> Self {
        ListFiles {
            parent: "/".into(),
            limit: 100,
            offset: 0,
            sort: None,
            only_available: false,
            extended_info: false,
            kind: None,
        }
    }
}

/// updateFile / updateFiles: only the fields that are Some are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_name: Option<String>,
    /// Folder id or "/".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_access: Option<Access>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_is_public: Option<bool>,
}

impl FileChanges {
    pub fn is_empty(&self) -> bool {
        self == &FileChanges::default()
    }
}

/// Per-item result of updateFiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateItem {
    #[serde(default, deserialize_with = "l::string")]
    pub id: String,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "l::string_vec")]
    pub errors: Vec<String>,
}

impl UpdateItem {
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.status.as_deref().is_none_or(|s| s == "success")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CreateFileByHash {
    pub hash: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
}

/// getFileStatus: a file's own fields, or a folder's (paged) contents.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum FileStatus {
    File(FileItem),
    Folder(Vec<FileItem>),
}

// ---------------------------------------------------------------- upload

/// getUploadFormData. `form_data` values are already turned into the text the multipart form
/// carries (`ajax` true becomes "true").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadForm {
    pub form_action: String,
    pub file_field: String,
    pub form_data: Vec<(String, String)>,
}

/// The upload node's success reply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadResult {
    #[serde(default, deserialize_with = "l::string")]
    pub user_file_id: String,
    #[serde(default, deserialize_with = "l::opt_string")]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AcceptedUrl {
    #[serde(default, deserialize_with = "l::string")]
    pub url: String,
    #[serde(default, deserialize_with = "l::string")]
    pub id: String,
}

/// A URL remoteUploadAdd refused. The reason arrives as `message` or `error` (a string, a list
/// of strings or an object with a `message`); an item may also be the bare URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RejectedUrl {
    pub url: String,
    pub message: Option<String>,
}

impl<'de> Deserialize<'de> for RejectedUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        let v = Value::deserialize(d)?;
        let reason = |v: &Value| -> Option<String> {
            let text = match v {
                Value::Object(o) => o.get("message").and_then(l::to_string),
                Value::Array(_) => Some(l::to_string_vec(v).join("; ")),
                other => l::to_string(other),
            };
            text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
        };
        Ok(match &v {
            Value::Object(o) => RejectedUrl {
                url: o.get("url").and_then(l::to_string).unwrap_or_default(),
                message: ["message", "error", "errors", "reason"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(reason)),
            },
            other => RejectedUrl {
                url: l::to_string(other).unwrap_or_default(),
                message: None,
            },
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RemoteUploadAdded {
    #[serde(rename = "acceptedUrls", default, deserialize_with = "l::vec_lenient")]
    pub accepted: Vec<AcceptedUrl>,
    #[serde(rename = "rejectedUrls", default, deserialize_with = "l::vec_lenient")]
    pub rejected: Vec<RejectedUrl>,
}

/// remoteUploadStatus codes: 1 new, 2 processing, 3 completed, 4 error, 5 accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemoteState {
    New,
    Processing,
    Completed,
    Error,
    Accepted,
    Unknown(i64),
}

impl RemoteState {
    pub fn from_code(c: i64) -> RemoteState {
        match c {
            1 => RemoteState::New,
            2 => RemoteState::Processing,
            3 => RemoteState::Completed,
            4 => RemoteState::Error,
            5 => RemoteState::Accepted,
            n => RemoteState::Unknown(n),
        }
    }
    pub fn is_final(&self) -> bool {
        matches!(self, RemoteState::Completed | RemoteState::Error)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteUpload {
    /// The remote-upload id (from the object key, or an `id` field when sent as a list).
    pub id: Option<String>,
    pub state: RemoteState,
    /// Percent, 0 to 100.
    pub progress: Option<f64>,
    pub file_id: Option<String>,
    pub message: Option<String>,
}

// ---------------------------------------------------------------- download

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GetUrl {
    pub file_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_download_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_response: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_referrer: Option<String>,
}

/// getUrl's answer: the URL, or (free accounts, after a solved captcha) a key to present again
/// after `time_wait` seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UrlAnswer {
    Url(String),
    FreeKey {
        free_download_key: String,
        time_wait: u64,
    },
}

// ---------------------------------------------------------------- subscriptions

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    #[serde(rename = "userEmail", default, deserialize_with = "l::opt_string")]
    pub user_email: Option<String>,
    #[serde(rename = "domainName", default, deserialize_with = "l::opt_string")]
    pub domain_name: Option<String>,
    #[serde(rename = "expiresAt", default, deserialize_with = "l::opt_datetime")]
    pub expires_at: Option<Timestamp>,
    #[serde(rename = "lastPayment", default, deserialize_with = "l::opt_datetime")]
    pub last_payment: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscriptions {
    #[serde(default, deserialize_with = "l::opt_u64")]
    pub total: Option<u64>,
    #[serde(default, deserialize_with = "l::vec_lenient")]
    pub items: Vec<Subscription>,
}

// ---------------------------------------------------------------- metadata

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    #[serde(default, deserialize_with = "l::string")]
    pub file_id: String,
    #[serde(default, deserialize_with = "l::string")]
    pub title: String,
    #[serde(default, deserialize_with = "l::string")]
    pub description: String,
    #[serde(default, deserialize_with = "l::string")]
    pub studio: String,
    #[serde(default, deserialize_with = "l::string_vec")]
    pub categories: Vec<String>,
    #[serde(default, deserialize_with = "l::string_vec")]
    pub actresses: Vec<String>,
    #[serde(default, deserialize_with = "l::string_vec")]
    pub tags: Vec<String>,
}

/// createFileMeta / updateFileMeta body. None = omitted = unchanged; Some(vec![]) = cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MetaPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub studio: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actresses: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

impl MetaPatch {
    pub fn is_empty(&self) -> bool {
        self == &MetaPatch::default()
    }
}

/// getFilesMeta filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetaQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actress: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetaPage {
    #[serde(default, deserialize_with = "l::vec_lenient")]
    pub items: Vec<FileMeta>,
    #[serde(default, deserialize_with = "l::opt_u64")]
    pub total: Option<u64>,
}
