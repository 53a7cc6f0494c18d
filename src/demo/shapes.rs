//! Reply shapes: which documented form the demo server speaks, and every decision that depends
//! on it, in one place.
//!
//! `reference` (the default) follows the API reference (`k2s-api-v2.txt`) to the letter wherever
//! it is explicit. `live` sends the forms the field notes say the live service sends, wherever
//! they differ, so that a client which handles one form only fails its tests.
//!
//! | what | `reference` | `live` |
//! |---|---|---|
//! | numbers (sizes, downloads, traffic, balance, progress, deleted) | JSON numbers | strings (`"2857"`) |
//! | booleans of file items | `true` / `false` | `1` / `0` |
//! | getFilesList `date_created` | `2019-01-01 00:00:01` | ISO `2022-11-19T12:52:20.000Z` |
//! | accountInfo `account_expires` | the example's ISO string (premium), `false` (free) | unix seconds (premium), `false` (free) |
//! | getFoldersList names (`--folder-names`) | `name` (the response example) | `/name` |
//! | wrong username or password | 400 / errorCode 2 | 406 / errorCode 70 |
//! | expired session | 403 / errorCode 10 | 403 / errorCode 11 |
//! | "Invalid request params" (and the stray 400 fault) | errorCode 2 | errorCode 4 |
//! | getUrl with a solved captcha | 406 / errorCode 41 "Need wait for free" + `free_download_key`, `time_wait` | 200 "Captcha accepted, please wait" + the same fields |
//! | getUrl on a folder | 406 / errorCode 20 | 406 / errorCode 23 |
//! | remoteUploadStatus `uploads` | array in the order of `ids` | object keyed by the remote-upload id |
//! | a remote upload not started yet | status 1 (new) | status 5 (accepted) |
//! | rejected URLs of remoteUploadAdd | reason in `error` | reason in `message` |
//! | getFileStatus on a folder | `files` a list, one object when the page holds one item | `files` always a list |
//! | updateFiles item that failed | `"status":"success"` with `errors` (the example) | `"status":"error"` with `errors` |
//!
//! Both shapes: every account's root folder has a 13-character id of its own (`root_id`); it is
//! the parent of top-level folders and of files at the root, it is never listed in `foldersIds`,
//! and "/" is never sent as an id. Requests accept "/" (the reference's default), "" and the root
//! id wherever a folder is named (`parent_in`). `parentFoldersList` names the root "/".
//! `--no-parent-arrays` drops `parentFoldersList` / `parentFoldersIds` (older servers).
//!
//! Readings where the reference is ambiguous:
//! - Wrong login: the reference lists no code for it; its login 400 table has "2 - Incorrect param
//!   value", which is read as the answer (the live 406/70 is from the field notes).
//! - getFilesList on a folder the caller does not own (another account's, or unknown): 400 with
//!   errorCode 3 "Incorrect param value" (its 400 table; its example body shows 2, used for
//!   malformed parameters). Another account's public folder is listed through getFileStatus.
//! - getFoldersList and getUploadFormData document no "not found": an unknown folder there is
//!   400 "Invalid request params".
//! - createFolder in a full folder: 406/60 with the reason in `errors` (its table has only 60);
//!   createFileByHash: 406/61 "Error create file" with the reason; updateFile on an unknown id:
//!   406/63 "Error update file" with "File not found" in `errors` (its table has 61, 63, 64).
//! - getFileStatus on a folder: the parameter table says `files` is an array, the example shows
//!   one object; pages follow `limit` / `offset` (default 100, offset 0) and a page of exactly
//!   one item is sent as that object.
//! - remoteUploadAdd shows no field for a rejected URL's reason: `error` is used.
//! - remoteUploadStatus items carry `status`, `progress`, `file_id` (the example), plus `message`
//!   for a failed upload.
//! - `parentFoldersList` spells parent names like `foldersList` (per `--folder-names`).
//! - The upload node is not among the reference's methods (only its PHP example shows a success,
//!   with an `http://` link): both shapes send the field notes' envelopes, success
//!   `{"status":"success","success":true,"status_code":200,"user_file_id":…,"link":"https://k2s.cc/file/<id>"}`
//!   and errors `{"name":"Bad Request","message":…,"code":0,"status":400}`.

use super::accounts::Acct;
use super::routes::{ApiError, Reply, fmt_date, fmt_iso, ok};
use super::seed::ids;
use super::state::ROOT;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};

/// Which documented form the demo server speaks (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Shapes {
    /// The API reference to the letter, where it is explicit.
    #[default]
    Reference,
    /// The forms the field notes say the live service sends.
    Live,
}

/// How getFoldersList spells a folder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FolderNames {
    /// `Sub`
    Name,
    /// `/Sub`
    Slash,
    /// `/Parent/Sub`
    Path,
}

/// The per-server encoding decisions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub shapes: Shapes,
    pub folder_names: FolderNames,
    /// getFoldersList sends parentFoldersList / parentFoldersIds.
    pub parent_arrays: bool,
}

/// Premium users' subscription end, as accountInfo reports it.
fn premium_expiry() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The id of `acct`'s root folder.
pub(crate) fn root_id(acct: Acct) -> &'static str {
    match acct {
        Acct::Premium => ids::ROOT,
        Acct::Free => ids::FREE_ROOT,
        Acct::Recaptcha => ids::CAPTCHA_ROOT,
    }
}

/// The account whose root folder has this id.
pub(crate) fn root_owner(id: &str) -> Option<Acct> {
    Acct::ALL.into_iter().find(|a| root_id(*a) == id)
}

/// A folder named in a request, as the state holds it: "/", "" and `acct`'s root id are the root.
pub(crate) fn parent_in(acct: Acct, given: &str) -> String {
    let given = given.trim();
    if given.is_empty() || given == ROOT || given == root_id(acct) {
        ROOT.to_string()
    } else {
        given.to_string()
    }
}

/// A parent id as replies show it: the root is `acct`'s root id.
pub(crate) fn parent_out(acct: Acct, internal: &str) -> String {
    if internal == ROOT {
        root_id(acct).to_string()
    } else {
        internal.to_string()
    }
}

impl Shape {
    pub(crate) fn new(shapes: Shapes, folder_names: Option<FolderNames>, no_parent_arrays: bool) -> Shape {
        let default_names = match shapes {
            Shapes::Reference => FolderNames::Name,
            Shapes::Live => FolderNames::Slash,
        };
        Shape {
            shapes,
            folder_names: folder_names.unwrap_or(default_names),
            parent_arrays: !no_parent_arrays,
        }
    }

    fn live(&self) -> bool {
        self.shapes == Shapes::Live
    }

    /// A count or size.
    pub(crate) fn num(&self, n: u64) -> Value {
        if self.live() {
            json!(n.to_string())
        } else {
            json!(n)
        }
    }

    /// An amount of money (two decimals).
    pub(crate) fn money(&self, x: f64) -> Value {
        let x = (x * 100.0).round() / 100.0;
        if self.live() {
            json!(format!("{x:.2}"))
        } else {
            json!(x)
        }
    }

    /// A boolean field of a file item.
    pub(crate) fn boolean(&self, b: bool) -> Value {
        if self.live() { json!(u8::from(b)) } else { json!(b) }
    }

    /// getFilesList's `date_created`.
    pub(crate) fn list_date(&self, d: &DateTime<Utc>) -> Value {
        if self.live() {
            json!(fmt_iso(d))
        } else {
            json!(fmt_date(d))
        }
    }

    /// accountInfo's `account_expires`.
    pub(crate) fn account_expires(&self, acct: Acct) -> Value {
        if !acct.is_premium() {
            return json!(false);
        }
        let end = premium_expiry();
        if self.live() {
            json!(end.timestamp())
        } else {
            json!(fmt_iso(&end))
        }
    }

    /// The errorCode of "Invalid request params".
    pub(crate) fn invalid_code(&self) -> i64 {
        if self.live() { 4 } else { 2 }
    }

    /// `e` with this shape's errorCode when it is the generic "Invalid request params".
    pub(crate) fn invalid(&self, mut e: ApiError) -> ApiError {
        if e.is_invalid() {
            e.error_code = Some(json!(self.invalid_code()));
        }
        e
    }

    /// A session token that has expired.
    pub(crate) fn expired(&self) -> ApiError {
        if self.live() {
            ApiError::new(403, 11, "Authorization expired")
        } else {
            ApiError::unauthorized()
        }
    }

    /// A wrong username or password.
    pub(crate) fn wrong_login(&self) -> ApiError {
        if self.live() {
            ApiError::e406(70, "Incorrect username or password")
        } else {
            ApiError::new(400, 2, "Incorrect param value")
        }
    }

    /// getUrl on a folder.
    pub(crate) fn folder_not_file(&self) -> ApiError {
        if self.live() {
            ApiError::e406(23, "Requested id is a folder")
        } else {
            ApiError::e406(20, "File not found")
        }
    }

    /// getUrl's answer to a solved captcha.
    pub(crate) fn captcha_accepted(&self, key: &str, wait: u64) -> Result<Reply, ApiError> {
        let fields = json!({"free_download_key": key, "time_wait": wait});
        if self.live() {
            let mut f = fields;
            f["message"] = json!("Captcha accepted, please wait");
            return ok(f);
        }
        Err(ApiError::e406(41, "Need wait for free").with_fields(fields))
    }

    /// The status of a remote upload that has not started.
    pub(crate) fn remote_waiting(&self) -> u8 {
        if self.live() { 5 } else { 1 }
    }

    /// remoteUploadStatus's `uploads` from (remote-upload id, item) pairs in request order.
    pub(crate) fn remote_uploads(&self, items: Vec<(String, Value)>) -> Value {
        if self.live() {
            Value::Object(items.into_iter().collect::<Map<String, Value>>())
        } else {
            Value::Array(items.into_iter().map(|(_, v)| v).collect())
        }
    }

    /// A URL remoteUploadAdd refused, with the reason.
    pub(crate) fn rejected_url(&self, url: &str, reason: &str) -> Value {
        let field = if self.live() { "message" } else { "error" };
        json!({"url": url, field: reason})
    }

    /// getFileStatus's `files` for one page of a folder.
    pub(crate) fn status_page(&self, mut page: Vec<Value>) -> Value {
        if !self.live() && page.len() == 1 {
            return page.remove(0);
        }
        Value::Array(page)
    }

    /// An updateFiles item's `status`.
    pub(crate) fn item_status(&self, succeeded: bool) -> &'static str {
        if succeeded || !self.live() {
            "success"
        } else {
            "error"
        }
    }

    /// A folder's name in getFoldersList, from its own name and its full path.
    pub(crate) fn folder_name(&self, name: &str, path: &str) -> String {
        match self.folder_names {
            FolderNames::Name => name.to_string(),
            FolderNames::Slash => format!("/{name}"),
            FolderNames::Path => path.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_translate_both_ways() {
        for a in Acct::ALL {
            assert_eq!(root_id(a).len(), 13);
            assert_eq!(root_owner(root_id(a)), Some(a));
            assert_eq!(parent_in(a, root_id(a)), ROOT);
            assert_eq!(parent_in(a, "/"), ROOT);
            assert_eq!(parent_in(a, ""), ROOT);
            assert_eq!(parent_out(a, ROOT), root_id(a));
            assert_eq!(parent_out(a, "movies0000001"), "movies0000001");
        }
        // Another account's root is not this account's root.
        assert_eq!(parent_in(Acct::Free, ids::ROOT), ids::ROOT);
    }

    #[test]
    fn encodings_per_shape() {
        let r = Shape::new(Shapes::Reference, None, false);
        let l = Shape::new(Shapes::Live, None, true);
        assert_eq!((r.num(5), l.num(5)), (json!(5), json!("5")));
        assert_eq!((r.boolean(true), l.boolean(false)), (json!(true), json!(0)));
        assert_eq!((r.money(12.5), l.money(12.5)), (json!(12.5), json!("12.50")));
        assert_eq!(
            (r.folder_names, l.folder_names),
            (FolderNames::Name, FolderNames::Slash)
        );
        assert!(r.parent_arrays && !l.parent_arrays);
        assert_eq!(r.folder_name("Sub", "/A/Sub"), "Sub");
        assert_eq!(l.folder_name("Sub", "/A/Sub"), "/Sub");
        let p = Shape::new(Shapes::Reference, Some(FolderNames::Path), false);
        assert_eq!(p.folder_name("Sub", "/A/Sub"), "/A/Sub");
        assert_eq!(
            r.account_expires(Acct::Premium),
            json!("2030-12-31T00:00:00.000Z")
        );
        assert_eq!(l.account_expires(Acct::Premium), json!(1_924_905_600));
        assert_eq!(l.account_expires(Acct::Free), json!(false));
        assert_eq!(r.status_page(vec![json!(1)]), json!(1));
        assert_eq!(l.status_page(vec![json!(1)]), json!([1]));
        assert_eq!(r.status_page(vec![]), json!([]));
        let items = vec![("7".to_string(), json!({"status": 5}))];
        assert_eq!(l.remote_uploads(items.clone()), json!({"7": {"status": 5}}));
        assert_eq!(r.remote_uploads(items), json!([{"status": 5}]));
    }
}
