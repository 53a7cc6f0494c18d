//! The demo server over raw HTTP (reqwest + serde_json::Value): every method's happy path and
//! main errors, the reference's upload.sh flow with curl + jq, downloads with ranges, the free
//! download flow, remote upload, metadata, the big folder, and every fault knob, against the
//! reference shape; `shapes` runs the documented forms against both shapes.

use k2s::demo::{DemoOptions, DemoServer, Faults, accounts, ids, names};
use md5::{Digest, Md5};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The documented forms, per shape (`tests/demo_server/shapes.rs`).
#[path = "demo_server/shapes.rs"]
mod shapes;

struct T {
    server: DemoServer,
    http: reqwest::Client,
}

impl T {
    async fn start() -> T {
        T::with(DemoOptions::default()).await
    }
    async fn with(opts: DemoOptions) -> T {
        let server = DemoServer::start(opts).await.expect("demo server starts");
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        T { server, http }
    }
    fn url(&self, method: &str) -> String {
        format!("{}/{method}", self.server.api_url())
    }
    /// POST a JSON body; (HTTP status, body).
    async fn call(&self, method: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(method))
            .json(&body)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        let text = r.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
    /// A call that must succeed; returns the body.
    async fn ok(&self, method: &str, body: Value) -> Value {
        let (s, v) = self.call(method, body).await;
        assert!((200..300).contains(&s), "{method}: HTTP {s}: {v}");
        assert_eq!(v["status"], "success", "{method}: {v}");
        assert_eq!(
            v["code"].as_u64(),
            Some(s as u64),
            "{method}: body code = HTTP status"
        );
        v
    }
    /// A call that must fail with this HTTP status and errorCode.
    async fn err(&self, method: &str, body: Value, http: u16, code: i64) -> Value {
        let (s, v) = self.call(method, body).await;
        assert_eq!(s, http, "{method}: {v}");
        assert_eq!(v["status"], "error", "{method}: {v}");
        assert_eq!(v["code"].as_u64(), Some(http as u64), "{method}: {v}");
        assert_eq!(v["errorCode"].as_i64(), Some(code), "{method}: {v}");
        v
    }
    async fn login(&self, user: &str, password: &str) -> String {
        let v = self
            .ok("login", json!({"username": user, "password": password}))
            .await;
        v["auth_token"].as_str().expect("auth_token").to_string()
    }
    async fn premium(&self) -> String {
        self.login(accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD)
            .await
    }
    async fn get(&self, url: &str) -> reqwest::Response {
        self.http.get(url).send().await.expect("GET")
    }
    async fn free(&self) -> String {
        self.login(accounts::FREE_USER, accounts::FREE_PASSWORD).await
    }
    /// `ok` with the partner token added to the body.
    async fn ok_pt(&self, method: &str, body: Value) -> Value {
        self.ok(method, with_pt(body)).await
    }
    /// `err` with the partner token added to the body.
    async fn err_pt(&self, method: &str, body: Value, http: u16, code: i64) -> Value {
        self.err(method, with_pt(body), http, code).await
    }
    /// The download URL of `file_id` for the partner token.
    async fn pt_url(&self, file_id: impl Into<Value>) -> String {
        self.download_url(with_pt(json!({"file_id": file_id.into()})))
            .await
    }
    /// GET with a Range header.
    async fn get_range(&self, url: &str, range: &str) -> reqwest::Response {
        self.http
            .get(url)
            .header("Range", range)
            .send()
            .await
            .expect("GET")
    }
    async fn download_url(&self, auth: Value) -> String {
        let v = self.ok("getUrl", auth).await;
        v["url"].as_str().expect("url").to_string()
    }
}

fn md5_hex(b: &[u8]) -> String {
    hex::encode(Md5::digest(b))
}

fn pt() -> Value {
    json!(accounts::PARTNER_TOKEN)
}

/// `body` (a JSON object) with the partner token as `access_token`.
fn with_pt(mut body: Value) -> Value {
    body["access_token"] = pt();
    body
}

/// The strings of a JSON array.
fn strs(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

/// One string field of every object in a JSON array.
fn fields<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn test_login_and_auth_errors() {
    let t = T::start().await;
    let v = t.ok("test", json!({})).await;
    assert_eq!(v["message"], "Test was successful!");
    // An empty body is accepted too.
    let r = t.http.post(t.url("test")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);

    let token = t.premium().await;
    t.ok("accountInfo", json!({"auth_token": token})).await;
    t.ok("accountInfo", json!({"access_token": pt()})).await;
    // The reference has no code for a wrong login: its login 400 table (errorCode 2) answers.
    t.err(
        "login",
        json!({"username": accounts::PREMIUM_USER, "password": "nope"}),
        400,
        2,
    )
    .await;
    t.err("login", json!({"username": "who@ever", "password": "x"}), 400, 2)
        .await;
    t.err("login", json!({"username": accounts::PREMIUM_USER}), 400, 2)
        .await;
    t.err("accountInfo", json!({}), 403, 10).await;
    t.err("accountInfo", json!({"auth_token": "bogus"}), 403, 10)
        .await;
    t.err("accountInfo", json!({"access_token": "bogus"}), 403, 10)
        .await;
    // Malformed bodies.
    let r = t
        .http
        .post(t.url("getFilesList"))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["errorCode"], 2);
    assert_eq!(v["message"], "Invalid request params");
    t.err_pt("getFilesList", json!({"limit": "lots"}), 400, 2).await;
    let (s, _) = t.call("noSuchMethod", json!({})).await;
    assert_eq!(s, 404);
    // expire_sessions: the session dies, the partner token does not.
    t.server.expire_sessions();
    t.err("accountInfo", json!({"auth_token": token}), 403, 10).await;
    t.ok("accountInfo", json!({"access_token": pt()})).await;
    assert!(t.server.calls("accountInfo") >= 6);
    assert_eq!(t.server.calls("neverCalled"), 0);
}

#[tokio::test]
async fn recaptcha_login_flow() {
    let t = T::start().await;
    let creds = json!({"username": accounts::RECAPTCHA_USER, "password": accounts::RECAPTCHA_PASSWORD});
    let v = t.err("login", creds.clone(), 406, 33).await;
    assert!(v["message"].as_str().unwrap().contains("re captcha"));
    let rc = t.ok("requestReCaptcha", json!({})).await;
    let challenge = rc["challenge"].as_str().unwrap().to_string();
    assert_eq!(challenge.len(), 13);
    let page_url = rc["captcha_url"].as_str().unwrap();
    assert!(page_url.contains("/api/v2/reCaptcha.html?id="));
    let page = t.get(page_url).await.text().await.unwrap();
    let answer = t.server.recaptcha_answer(&challenge).unwrap();
    assert!(page.contains(&answer), "the demo page shows the answer");
    let mut wrong = creds.clone();
    wrong["re_captcha_challenge"] = json!(challenge);
    wrong["re_captcha_response"] = json!("wrong");
    t.err("login", wrong, 406, 33).await;
    let mut right = creds.clone();
    right["re_captcha_challenge"] = json!(challenge);
    right["re_captcha_response"] = json!(answer);
    let v = t.ok("login", right.clone()).await;
    assert!(v["auth_token"].as_str().is_some());
    // The challenge is single-use.
    t.err("login", right, 406, 33).await;
    let r = t
        .get(&format!("{}/reCaptcha.html?id=unknown", t.server.api_url()))
        .await;
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test]
async fn account_methods() {
    let t = T::start().await;
    let a = json!({"access_token": pt()});
    let v = t.ok("accountInfo", a.clone()).await;
    assert_eq!(v["available_traffic"], 53_687_091_200u64);
    assert_eq!(v["account_expires"], "2030-12-31T00:00:00.000Z");
    let free = t.free().await;
    let v = t.ok("accountInfo", json!({"auth_token": free})).await;
    assert_eq!(v["account_expires"], false);
    assert_eq!(t.ok("getBalance", a.clone()).await["balance"], 12.5);
    let d = t.ok("getDomainsList", a.clone()).await;
    assert!(d["domains"].as_array().unwrap().contains(&json!("k2s.cc")));

    let c1 = t.ok_pt("resellerGetCode", json!({"days": 7})).await;
    assert!(c1["reseller_code"].as_str().unwrap().len() >= 8);
    assert_eq!(c1["balance"], 11.8);
    let c2 = t.ok_pt("resellerGetCode", json!({"days": 7})).await;
    assert_eq!(
        c1["reseller_code"], c2["reseller_code"],
        "useExist defaults to true"
    );
    let c3 = t
        .ok_pt("resellerGetCode", json!({"days": 7, "useExist": false}))
        .await;
    assert_ne!(c1["reseller_code"], c3["reseller_code"]);
    t.err_pt("resellerGetCode", json!({"days": 30, "autoBuy": false}), 406, 50)
        .await;
    t.err(
        "resellerGetCode",
        json!({"auth_token": free, "days": 30}),
        406,
        51,
    )
    .await;
    t.err("resellerGetCode", json!({"access_token": pt()}), 400, 2)
        .await;

    let s = t
        .ok_pt("getSubscriptions", json!({"domainName": "demo.k2s", "limit": 2}))
        .await;
    assert_eq!(s["total"], 3);
    assert_eq!(s["items"].as_array().unwrap().len(), 2);
    assert!(s["items"][0]["userEmail"].as_str().is_some());
    let (st, v) = t
        .call(
            "getSubscriptions",
            json!({"access_token": pt(), "domainName": "nope.example"}),
        )
        .await;
    assert_eq!(st, 404);
    assert_eq!(v["message"], "Domain not found");
}

#[tokio::test]
async fn folders_list_create_delete() {
    let t = T::start().await;
    let a = json!({"access_token": pt()});
    let v = t.ok("getFoldersList", a.clone()).await;
    let names: Vec<&str> = strs(&v["foldersList"]);
    let fids: Vec<&str> = strs(&v["foldersIds"]);
    let pids: Vec<&str> = strs(&v["parentFoldersIds"]);
    let pnames = v["parentFoldersList"].as_array().unwrap();
    assert_eq!(names.len(), fids.len());
    assert_eq!(pids.len(), fids.len());
    assert_eq!(pnames.len(), fids.len());
    let i = fids.iter().position(|x| *x == ids::MOVIES_2024).unwrap();
    assert_eq!(names[i], "2024", "the reference's example: plain names");
    assert_eq!(pids[i], ids::MOVIES);
    assert_eq!(pnames[i], "Movies");
    let m = fids.iter().position(|x| *x == ids::MOVIES).unwrap();
    assert_eq!(
        pids[m],
        ids::ROOT,
        "a top-level folder's parent is the root's own id"
    );
    assert_eq!(pnames[m], "/");
    // Sub-folders of one folder.
    let v = t
        .ok_pt("getFoldersList", json!({"parent_id": ids::DOCUMENTS}))
        .await;
    assert_eq!(v["foldersIds"], json!([ids::ARCHIVE, ids::DOCS_PRIVATE]));
    // getFoldersList documents no "not found": an unknown folder is an incorrect parameter.
    t.err_pt("getFoldersList", json!({"parent_id": "zzzzzzzzzzzzz"}), 400, 2)
        .await;

    // createFolder: 201, limits, errors.
    let v = t
        .ok_pt("createFolder", json!({"name": "New stuff", "parent": ids::EMPTY}))
        .await;
    assert_eq!(v["code"], 201);
    let new_id = v["id"].as_str().unwrap().to_string();
    assert_eq!(new_id.len(), 13);
    let f = t.server.file(&new_id).unwrap();
    assert!(f.is_folder);
    assert_eq!(f.parent_id, ids::EMPTY);
    let e = t.err_pt("createFolder", json!({"name": "ab"}), 406, 60).await;
    assert!(e["errors"][0].as_str().unwrap().contains("too short"));
    t.err_pt(
        "createFolder",
        json!({"name": "abc", "parent": "zzzzzzzzzzzzz"}),
        406,
        60,
    )
    .await;
    t.err_pt("createFolder", json!({"name": "Movies"}), 406, 60).await;
    t.err_pt(
        "createFolder",
        json!({"name": "abc", "access": "everyone"}),
        400,
        2,
    )
    .await;
    t.err_pt("createFolder", json!({"name": "abc", "parent": "../x"}), 400, 2)
        .await;
    t.err("createFolder", json!({"name": "abcd"}), 403, 10).await;
    assert_eq!(t.server.children(ids::EMPTY).len(), 1);

    // deleteFiles on a folder is recursive.
    let before = t.server.children("/").len();
    let v = t
        .ok_pt("deleteFiles", json!({"ids": [ids::MOVIES, "zzzzzzzzzzzzz"]}))
        .await;
    assert_eq!(v["deleted"], 1);
    assert_eq!(t.server.children("/").len(), before - 1);
    for gone in [
        ids::MOVIES,
        ids::MOVIES_2024,
        ids::VIDEO_BUNNY,
        ids::VIDEO_HOLIDAY,
    ] {
        assert!(t.server.file(gone).is_none(), "{gone} deleted");
    }
    assert!(
        t.server.meta(ids::VIDEO_BUNNY).is_none(),
        "metadata goes with the file"
    );
    t.err_pt("deleteFiles", json!({"ids": ["bad id!"]}), 400, 2).await;
    t.err_pt("deleteFiles", json!({"ids": "x"}), 400, 2).await;
    // Someone else's file is not deleted.
    let free = t.free().await;
    let v = t
        .ok("deleteFiles", json!({"auth_token": free, "ids": [ids::README]}))
        .await;
    assert_eq!(v["deleted"], 0);
    assert!(t.server.file(ids::README).is_some());
}

#[tokio::test]
async fn files_list_sort_type_extended() {
    let t = T::start().await;
    let list = |body: Value| {
        let mut b = body;
        b["access_token"] = pt();
        t.ok("getFilesList", b)
    };
    let v = list(json!({"parent": ids::MOVIES, "sort": {"name": 1}})).await;
    let names: Vec<&str> = fields(&v["files"], "name");
    assert_eq!(
        names,
        ["2024", "Big Buck Bunny.mp4", "Sintel.mkv", "blocked-video.mp4"]
    );
    let v = list(json!({"parent": ids::MOVIES, "sort": {"name": -1}, "type": "file"})).await;
    let names: Vec<&str> = fields(&v["files"], "name");
    assert_eq!(names, ["blocked-video.mp4", "Sintel.mkv", "Big Buck Bunny.mp4"]);
    let v = list(json!({"type": "folder"})).await;
    assert!(
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["is_folder"] == true)
    );
    let v = list(json!({"parent": ids::MOVIES, "only_available": true, "type": "file"})).await;
    assert_eq!(v["files"].as_array().unwrap().len(), 2);

    let v = list(json!({"parent": ids::MOVIES, "extended_info": true, "sort": {"name": 1}})).await;
    let files = v["files"].as_array().unwrap();
    let bunny = &files[1];
    assert_eq!(bunny["id"], ids::VIDEO_BUNNY);
    let f = t.server.file(ids::VIDEO_BUNNY).unwrap();
    assert_eq!(bunny["md5"], f.md5.as_str());
    assert_eq!(bunny["size"], f.size);
    assert_eq!(bunny["extended_info"]["content_type"], "video/mp4");
    assert_eq!(bunny["extended_info"]["downloads"], 42);
    assert_eq!(bunny["extended_info"]["access"], "public");
    assert!(bunny["date_created"].as_str().unwrap().len() == 19);
    let blocked = &files[3];
    assert_eq!(blocked["is_available"], false);
    assert!(!blocked["extended_info"]["abuses"].as_array().unwrap().is_empty());

    // Paging.
    let all = list(json!({"sort": {"name": 1}, "limit": 100})).await["files"]
        .as_array()
        .unwrap()
        .clone();
    let page = list(json!({"sort": {"name": 1}, "limit": 3, "offset": 2})).await["files"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(page.as_slice(), &all[2..5]);
    assert_eq!(all.len(), t.server.children("/").len());

    t.err_pt("getFilesList", json!({"limit": 10001}), 400, 2).await;
    t.err_pt("getFilesList", json!({"sort": {"color": 1}}), 400, 2)
        .await;
    t.err_pt("getFilesList", json!({"type": "blob"}), 400, 2).await;
    // Not the caller's folder: getFilesList's 400 table, errorCode 3.
    t.err_pt("getFilesList", json!({"parent": "zzzzzzzzzzzzz"}), 400, 3)
        .await;
    t.err_pt("getFilesList", json!({"parent": "a/b"}), 400, 2).await;
    t.err("getFilesList", json!({}), 403, 10).await;
    // The free user sees only its own storage.
    let free = t.free().await;
    let v = t.ok("getFilesList", json!({"auth_token": free})).await;
    let got: Vec<&str> = fields(&v["files"], "id");
    assert_eq!(got.len(), 3, "free-notes.txt, Uploads, Public Stuff");
    assert!(got.contains(&ids::FREE_FILE) && got.contains(&ids::FREE_FOLDER));
    assert!(got.contains(&ids::FREE_PUBLIC));
    t.err(
        "getFilesList",
        json!({"auth_token": free, "parent": ids::MOVIES}),
        400,
        3,
    )
    .await;
}

#[tokio::test]
async fn files_info_and_status() {
    let t = T::start().await;
    // Anonymous, public file: no md5, no parent.
    let v = t
        .ok(
            "getFilesInfo",
            json!({"ids": [ids::VIDEO_BUNNY], "extended_info": true}),
        )
        .await;
    let f = &v["files"][0];
    assert_eq!(f["name"], "Big Buck Bunny.mp4");
    assert!(f.get("md5").is_none());
    assert!(f.get("parent_id").is_none());
    assert_eq!(f["extended_info"]["video_info"]["width"], 1920);
    assert_eq!(f["extended_info"]["video_info"]["is_streamable"], true);
    assert_eq!(f["isAvailableForFree"], true);
    // Owner: md5 and parent_id.
    let v = t
        .ok_pt(
            "getFilesInfo",
            json!({"extended_info": true,
            "ids": [ids::VIDEO_BUNNY, ids::PRIVATE_NOTES, "zzzzzzzzzzzzz", ids::BLOCKED]}),
        )
        .await;
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert_eq!(
        files[0]["md5"],
        t.server.file(ids::VIDEO_BUNNY).unwrap().md5.as_str()
    );
    assert_eq!(files[0]["parent_id"], ids::MOVIES);
    assert_eq!(files[1]["access"], "private");
    assert_eq!(files[2]["id"], "zzzzzzzzzzzzz");
    assert!(files[2]["name"].is_null() && files[2]["is_folder"].is_null());
    assert_eq!(files[3]["is_available"], false);
    // Anonymous: private -> nulls, blocked -> red-abuse shape, premium visible.
    let v = t
        .ok(
            "getFilesInfo",
            json!({"ids": [ids::PRIVATE_NOTES, ids::BLOCKED, ids::PREMIUM_ALBUM, ids::SHARED, ids::MOVIES]}),
        )
        .await;
    let files = v["files"].as_array().unwrap();
    assert!(files[0]["name"].is_null());
    assert!(files[1]["name"].is_null() && files[1]["is_available"] == false);
    assert_eq!(files[2]["access"], "premium");
    assert_eq!(files[3]["is_folder"], true, "public folder visible");
    assert!(files[4]["name"].is_null(), "non-public folder hidden");
    let many: Vec<String> = (0..101).map(|i| format!("x{i:012}")).collect();
    t.err("getFilesInfo", json!({"ids": many}), 400, 2).await;
    t.err("getFilesInfo", json!({"ids": ["../etc"]}), 400, 2).await;
    t.err("getFilesInfo", json!({}), 400, 2).await;

    // getFileStatus: a file's fields at the root.
    let v = t
        .ok("getFileStatus", json!({"id": ids::VIDEO_SINTEL_PREMIUM}))
        .await;
    assert_eq!(v["access"], "premium");
    assert_eq!(v["isAvailableForFree"], false);
    assert_eq!(v["video_info"]["format"], "Matroska");
    assert!(v.get("id").is_none());
    assert!(v.get("date_created").is_none(), "date only for the owner");
    let v = t
        .ok(
            "getFileStatus",
            json!({"id": ids::VIDEO_BUNNY, "access_token": pt()}),
        )
        .await;
    assert!(v["date_created"].as_str().is_some());
    // A folder: the reference's single object, or a page with limit/offset.
    let v = t.ok("getFileStatus", json!({"id": ids::SHARED})).await;
    assert_eq!(v["files"]["id"], ids::SHARED_FILE);
    let v = t
        .ok(
            "getFileStatus",
            json!({"id": ids::MOVIES, "access_token": pt(), "limit": 2, "offset": 1}),
        )
        .await;
    let page = v["files"].as_array().unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0]["name"], "Big Buck Bunny.mp4");
    t.err("getFileStatus", json!({"id": ids::PRIVATE_NOTES}), 406, 20)
        .await;
    t.err("getFileStatus", json!({"id": "zzzzzzzzzzzzz"}), 406, 20)
        .await;
    t.err("getFileStatus", json!({"id": "no/good"}), 400, 2).await;
}

#[tokio::test]
async fn update_files_change_only_named_fields() {
    let t = T::start().await;
    let before = t.server.file(ids::REPORT).unwrap();
    let v = t
        .ok_pt(
            "updateFile",
            json!({"id": ids::REPORT, "new_name": "report-final.pdf"}),
        )
        .await;
    assert_eq!(v["code"], 202);
    let after = t.server.file(ids::REPORT).unwrap();
    assert_eq!(after.name, "report-final.pdf");
    assert_eq!(
        (after.parent_id.as_str(), after.access.as_str()),
        (before.parent_id.as_str(), before.access.as_str())
    );
    t.ok_pt("updateFile", json!({"id": ids::REPORT, "new_access": "premium"}))
        .await;
    let after = t.server.file(ids::REPORT).unwrap();
    assert_eq!(
        (after.name.as_str(), after.access.as_str()),
        ("report-final.pdf", "premium")
    );
    t.ok_pt("updateFile", json!({"id": ids::REPORT, "new_parent": "/"}))
        .await;
    assert_eq!(t.server.file(ids::REPORT).unwrap().parent_id, "/");

    let e = t
        .err_pt(
            "updateFile",
            json!({"id": ids::REPORT, "new_name": "ab"}),
            406,
            63,
        )
        .await;
    assert!(e["errors"][0].as_str().unwrap().contains("too short"));
    // updateFile's table has 61, 63 and 64: an unknown id is 63 with the reason in errors.
    let e = t
        .err_pt(
            "updateFile",
            json!({"id": "zzzzzzzzzzzzz", "new_name": "abcd"}),
            406,
            63,
        )
        .await;
    assert_eq!(e["errors"], json!(["File not found"]));
    t.err_pt(
        "updateFile",
        json!({"id": ids::MOVIES, "new_parent": ids::MOVIES_2024}),
        406,
        63,
    )
    .await;
    t.err_pt(
        "updateFile",
        json!({"id": ids::REPORT, "new_access": "secret"}),
        400,
        2,
    )
    .await;
    t.err_pt("updateFile", json!({"id": "bad id"}), 400, 2).await;
    assert_eq!(
        t.server.file(ids::REPORT).unwrap().name,
        "report-final.pdf",
        "failed calls changed nothing"
    );

    let v = t
        .ok_pt(
            "updateFiles",
            json!({"ids": [ids::TRACK1, ids::TRACK2, "zzzzzzzzzzzzz"],
            "new_parent": ids::EMPTY}),
        )
        .await;
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["status"], "success");
    assert_eq!(files[0]["errors"], json!([]));
    // The reference's example: a failed item says "success" and lists its errors.
    assert_eq!(files[2]["status"], "success");
    assert_eq!(files[2]["errors"].as_array().unwrap().len(), 1);
    assert_eq!(t.server.file(ids::TRACK1).unwrap().parent_id, ids::EMPTY);
    assert_eq!(t.server.file(ids::TRACK2).unwrap().name, "02 - Интерлюдия.mp3");
    let v = t
        .ok_pt(
            "updateFiles",
            json!({"ids": [ids::TRACK1], "new_is_public": true}),
        )
        .await;
    assert_eq!(v["files"][0]["status"], "success");
    assert!(t.server.file(ids::TRACK1).unwrap().is_public);
    t.err_pt("updateFiles", json!({"ids": []}), 400, 2).await;
}

#[tokio::test]
async fn find_file_and_create_by_hash() {
    let t = T::start().await;
    let readme = t.server.file(ids::README).unwrap();
    let v = t.ok_pt("findFile", json!({"md5": readme.md5})).await;
    assert_eq!(v["found"], true);
    let v = t
        .ok_pt("findFile", json!({"md5": "0123456789abcdef0123456789abcdef"}))
        .await;
    assert_eq!(v["found"], false);
    t.err_pt("findFile", json!({"md5": "xyz"}), 400, 2).await;
    t.err("findFile", json!({"md5": readme.md5}), 403, 10).await;

    let free = t.free().await;
    let v = t
        .ok(
            "createFileByHash",
            json!({"auth_token": free, "hash": readme.md5, "name": "copy of readme.txt"}),
        )
        .await;
    assert_eq!(v["code"], 201);
    let id = v["id"].as_str().unwrap();
    assert_eq!(v["link"], format!("https://k2s.cc/file/{id}"));
    let f = t.server.file(id).unwrap();
    assert_eq!(
        (f.md5.as_str(), f.size, f.owner.as_str()),
        (readme.md5.as_str(), readme.size, accounts::FREE_USER)
    );
    t.err(
        "createFileByHash",
        json!({"auth_token": free, "hash": "0123456789abcdef0123456789abcdef", "name": "abc"}),
        406,
        20,
    )
    .await;
    let e = t.err("createFileByHash", json!({"auth_token": free, "hash": readme.md5, "name": "ab", "parent": "zzzzzzzzzzzzz", "access": "x"}), 406, 62).await;
    assert_eq!(e["errors"].as_array().unwrap().len(), 3);
}

/// The file part of an upload.
fn file_part(body: Vec<u8>, name: &str) -> Part {
    Part::bytes(body).file_name(name.to_string())
}

/// `mp` with the upload form's text fields (ajax, signature, params) appended.
fn signed_fields(mp: Form, form: &Value) -> Form {
    let fd = &form["form_data"];
    mp.text("ajax", fd["ajax"].to_string())
        .text("signature", fd["signature"].as_str().unwrap().to_string())
        .text("params", fd["params"].as_str().unwrap().to_string())
}

/// POST a multipart body to the upload form's action.
async fn send_form(t: &T, form: &Value, mp: Form) -> reqwest::Result<reqwest::Response> {
    t.http
        .post(form["form_action"].as_str().unwrap())
        .multipart(mp)
        .send()
        .await
}

/// A multipart upload in upload.sh's field order (file first).
async fn upload(t: &T, token: Value, parent: &str, name: &str, body: Vec<u8>) -> (u16, Value) {
    let form = t
        .ok(
            "getUploadFormData",
            json!({"access_token": token, "parent_id": parent}),
        )
        .await;
    post_form(t, &form, name, body).await
}

async fn post_form(t: &T, form: &Value, name: &str, body: Vec<u8>) -> (u16, Value) {
    let mp = Form::new().part(
        form["file_field"].as_str().unwrap().to_string(),
        file_part(body, name),
    );
    let r = send_form(t, form, signed_fields(mp, form)).await.expect("upload");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn upload_then_find_and_download() {
    let t = T::start().await;
    let form = t
        .ok_pt("getUploadFormData", json!({"parent_id": ids::EMPTY}))
        .await;
    assert_eq!(form["file_field"], "file");
    assert_eq!(form["form_data"]["ajax"], true);
    let action = form["form_action"].as_str().unwrap();
    assert!(action.starts_with("http://127.0.0.1:") && action.ends_with("/upload"));
    let params: Value = serde_json::from_str(form["form_data"]["params"].as_str().unwrap()).unwrap();
    assert_eq!(params["parent_id"], ids::EMPTY);

    let body: Vec<u8> = (0..300_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let (s, v) = post_form(&t, &form, "upload test.bin", body.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "success");
    assert_eq!(v["success"], true);
    assert_eq!(v["status_code"], 200);
    let id = v["user_file_id"].as_str().unwrap().to_string();
    assert_eq!(v["link"], format!("https://k2s.cc/file/{id}"));
    let f = t.server.file(&id).unwrap();
    assert_eq!(
        (f.name.as_str(), f.size, f.parent_id.as_str()),
        ("upload test.bin", body.len() as u64, ids::EMPTY)
    );
    assert_eq!(f.md5, md5_hex(&body));
    assert_eq!(t.server.upload_bodies(), 1);
    let v = t.ok_pt("findFile", json!({"md5": md5_hex(&body)})).await;
    assert_eq!(v["found"], true);
    let url = t.pt_url(id).await;
    assert_eq!(t.get(&url).await.bytes().await.unwrap().as_ref(), body.as_slice());

    // The same form again: refused, nothing stored.
    let (s, v) = post_form(&t, &form, "again.bin", b"hello".to_vec()).await;
    assert_eq!(s, 400);
    assert_eq!(
        (v["name"].as_str(), v["status"].as_u64(), v["code"].as_u64()),
        (Some("Bad Request"), Some(400), Some(0))
    );
    assert!(v["message"].as_str().unwrap().contains("already used"));
    // The same refusal when the text fields come before the file (the early check).
    let bodies = t.server.upload_bodies();
    let mp = signed_fields(Form::new(), &form).part("file", file_part(vec![5u8; 100_000], "early.bin"));
    let r = send_form(&t, &form, mp).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert!(v["message"].as_str().unwrap().contains("already used"), "{v}");
    assert_eq!(
        t.server.upload_bodies(),
        bodies,
        "a body refused early is not counted"
    );
    // A tampered signature.
    let mut bad = t.ok_pt("getUploadFormData", json!({"parent_id": "/"})).await;
    bad["form_data"]["signature"] = json!("0000");
    let (s, v) = post_form(&t, &bad, "x.bin", b"hello".to_vec()).await;
    assert_eq!(s, 400);
    assert!(v["message"].as_str().unwrap().starts_with("Wrong signature"));
    assert_eq!(t.server.children(ids::EMPTY).len(), 1);
    assert!(t.server.find_by_name("again.bin").is_empty() && t.server.find_by_name("x.bin").is_empty());
    // getUploadFormData documents no "not found": an unknown folder is an incorrect parameter.
    t.err_pt("getUploadFormData", json!({"parent_id": "zzzzzzzzzzzzz"}), 400, 2)
        .await;
    t.err("getUploadFormData", json!({}), 403, 10).await;
}

#[tokio::test]
async fn reference_upload_sh_with_curl_and_jq() {
    let have = |bin: &str| {
        std::process::Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("curl") || !have("jq") {
        eprintln!("note: curl or jq missing, skipping the upload.sh test");
        return;
    }
    let t = T::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("yourFile.txt");
    let content: Vec<u8> = b"uploaded by the reference script\n".repeat(1000);
    std::fs::write(&file, &content).unwrap();
    // The reference's upload.sh, with the API URL and token filled in.
    let script = format!(
        r#"#!/bin/bash
cmd=$(curl -s -H 'Content-Type: application/json' -d '{{"access_token": "{token}"}}' "{api}/getUploadFormData" | jq -r .)
echo "$cmd" >&2

FullFileName="{file}"
Form_Action=$(echo "$cmd" | jq -r ".form_action")
FileField=$(echo "$cmd" | jq -r ".file_field")
Ajax=$(echo "$cmd" | jq -r ".form_data.ajax")
Params=$(echo "$cmd" | jq -r ".form_data.params")
Sig=$(echo "$cmd" | jq -r ".form_data.signature")

cmd2=$(curl -s -F "$FileField=@$FullFileName" -F "ajax=$Ajax" -F "signature=$Sig" -F "params=$Params" "$Form_Action")
echo "$cmd2"
"#,
        token = accounts::PARTNER_TOKEN,
        api = t.server.api_url(),
        file = file.display()
    );
    let sh = dir.path().join("upload.sh");
    std::fs::write(&sh, script).unwrap();
    let out = tokio::process::Command::new("bash")
        .arg(&sh)
        .output()
        .await
        .expect("bash runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("upload node JSON");
    assert_eq!(v["status"], "success", "{v}");
    let id = v["user_file_id"].as_str().unwrap();
    let f = t.server.file(id).unwrap();
    assert_eq!((f.name.as_str(), f.parent_id.as_str()), ("yourFile.txt", "/"));
    assert_eq!(f.md5, md5_hex(&content));
}

#[tokio::test]
async fn download_ranges_head_and_signed_urls() {
    let t = T::start().await;
    let f = t.server.file(ids::VIDEO_BUNNY).unwrap();
    let url = t.pt_url(ids::VIDEO_BUNNY).await;
    assert!(url.starts_with("http://127.0.0.1:") && url.contains("/dl/"));
    assert!(url.ends_with("/Big%20Buck%20Bunny.mp4"), "{url}");
    let r = t.get(&url).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["accept-ranges"], "bytes");
    assert_eq!(r.headers()["content-type"], "video/mp4");
    let body = r.bytes().await.unwrap();
    assert_eq!((body.len() as u64, md5_hex(&body)), (f.size, f.md5.clone()));
    assert_eq!(t.server.file(ids::VIDEO_BUNNY).unwrap().downloads, 43);

    let r = t.get_range(&url, "bytes=100-199").await;
    assert_eq!(r.status().as_u16(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 100-199/{}", f.size).as_str()
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), &body[100..200]);
    let r = t.get_range(&url, "bytes=-10").await;
    assert_eq!(r.status().as_u16(), 206);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &body[body.len() - 10..]);
    let r = t.get_range(&url, &format!("bytes={}-", f.size)).await;
    assert_eq!(r.status().as_u16(), 416);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{}", f.size).as_str()
    );
    let r = t.http.head(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-length"], f.size.to_string().as_str());
    assert!(r.bytes().await.unwrap().is_empty());

    // Tampered and stale URLs: 401.
    let tampered = url.replacen(ids::VIDEO_BUNNY, ids::VIDEO_HOLIDAY, 1);
    assert_eq!(t.get(&tampered).await.status().as_u16(), 401);
    assert_eq!(
        t.get(&format!(
            "{}/dl/garbage/x",
            t.server.api_url().trim_end_matches("/api/v2")
        ))
        .await
        .status()
        .as_u16(),
        401
    );
    t.server.set_faults(Faults {
        url_ttl: Some(1),
        ..Default::default()
    });
    let short = t.pt_url(ids::README).await;
    assert_eq!(t.get(&short).await.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(t.get(&short).await.status().as_u16(), 401);

    t.err_pt("getUrl", json!({"file_id": ids::BLOCKED}), 406, 22)
        .await;
    // getUrl's table has no "is a folder" code (23 is the live service's): 20.
    t.err_pt("getUrl", json!({"file_id": ids::MOVIES}), 406, 20).await;
    t.err_pt("getUrl", json!({"file_id": "zzzzzzzzzzzzz"}), 406, 20)
        .await;
    t.err_pt("getUrl", json!({"file_id": "a b"}), 400, 2).await;
}

#[tokio::test]
async fn free_download_flow() {
    let t = T::start().await;
    let free = t.free().await;
    let req = json!({"auth_token": free, "file_id": ids::README});
    t.err("getUrl", req.clone(), 406, 30).await;
    // Premium-only, private, blocked.
    let e = t
        .err(
            "getUrl",
            json!({"auth_token": free, "file_id": ids::PREMIUM_ALBUM}),
            406,
            21,
        )
        .await;
    assert_eq!(e["errors"][0]["code"], 7);
    let e = t
        .err(
            "getUrl",
            json!({"auth_token": free, "file_id": ids::PRIVATE_NOTES}),
            406,
            21,
        )
        .await;
    assert_eq!(e["errors"][0]["code"], 8);
    t.err("getUrl", json!({"file_id": ids::BLOCKED}), 406, 22).await;

    let c = t.ok("requestCaptcha", json!({})).await;
    let challenge = c["challenge"].as_str().unwrap().to_string();
    let img_url = c["captcha_url"].as_str().unwrap();
    assert!(img_url.contains("/api/v2/captcha?id="));
    let r = t.get(img_url).await;
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let answer = t.server.captcha_answer(&challenge).unwrap();
    assert_eq!(answer.len(), 6);
    let mut wrong = req.clone();
    wrong["captcha_challenge"] = json!(challenge);
    wrong["captcha_response"] = json!("nope42");
    t.err("getUrl", wrong, 406, 31).await;
    // A failed try spends the challenge: ask for another.
    let c = t.ok("requestCaptcha", json!({})).await;
    let challenge = c["challenge"].as_str().unwrap().to_string();
    let mut right = req.clone();
    right["captcha_challenge"] = json!(challenge);
    right["captcha_response"] = json!(t.server.captcha_answer(&challenge).unwrap().to_lowercase());
    // The reference: 406 / 41 "Need wait for free" with the key and the wait.
    let v = t.err("getUrl", right, 406, 41).await;
    assert_eq!(v["time_wait"], k2s::demo::FREE_WAIT_SECS);
    let key = v["free_download_key"].as_str().unwrap().to_string();
    let mut with_key = req.clone();
    with_key["free_download_key"] = json!(key);
    let e = t.err("getUrl", with_key.clone(), 406, 41).await;
    assert_eq!(e["errors"][0]["code"], 5);
    let left: f64 = e["errors"][0]["timeRemaining"].as_str().unwrap().parse().unwrap();
    assert!(left > 0.0 && left <= 3.0);
    let mut other = with_key.clone();
    other["file_id"] = json!(ids::NOTES);
    t.err("getUrl", other, 406, 40).await;
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let url = t.download_url(with_key.clone()).await;
    let body = t.get(&url).await.bytes().await.unwrap();
    assert_eq!(md5_hex(&body), t.server.file(ids::README).unwrap().md5);
    t.err("getUrl", with_key, 406, 40).await;
    // Anonymous callers go through the same captcha; the owner downloads directly.
    t.err("getUrl", json!({"file_id": ids::README}), 406, 30).await;
    t.ok("getUrl", json!({"auth_token": free, "file_id": ids::FREE_FILE}))
        .await;
    let r = t.get(&format!("{}/captcha?id=unknown", t.server.api_url())).await;
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test]
async fn remote_upload_fetches_loopback() {
    let t = T::start().await;
    let src = t.server.file(ids::BEACH).unwrap();
    let url = t.pt_url(ids::BEACH).await;
    let v = t
        .ok_pt(
            "remoteUploadAdd",
            json!({"urls": [url, "ftp://example.com/x", "http://example.invalid/file.bin"]}),
        )
        .await;
    let accepted = v["acceptedUrls"].as_array().unwrap();
    assert_eq!(accepted.len(), 2);
    let rejected = v["rejectedUrls"].as_array().unwrap();
    assert_eq!(rejected[0]["url"], "ftp://example.com/x");
    assert!(
        rejected[0]["error"].as_str().is_some(),
        "the reason (reference reading)"
    );
    let ids_: Vec<Value> = accepted.iter().map(|a| a["id"].clone()).collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    let uploads = loop {
        let v = t.ok_pt("remoteUploadStatus", json!({"ids": ids_})).await;
        let u = v["uploads"].as_array().unwrap().clone();
        if u.iter().all(|x| x["status"] == 3 || x["status"] == 4) {
            break u;
        }
        assert!(Instant::now() < deadline, "remote uploads finish: {u:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // The reference's items carry no id: they come in the order of `ids`.
    assert_eq!(uploads.len(), ids_.len());
    assert!(uploads[0].get("id").is_none(), "{uploads:?}");
    assert_eq!(uploads[0]["status"], 3, "{uploads:?}");
    assert_eq!(uploads[0]["progress"], 100);
    let f = t.server.file(uploads[0]["file_id"].as_str().unwrap()).unwrap();
    assert_eq!(
        (f.name.as_str(), f.md5.as_str(), f.size),
        ("beach.jpg", src.md5.as_str(), src.size)
    );
    assert_eq!(uploads[1]["status"], 4);
    assert!(uploads[1]["file_id"].is_null());
    t.err_pt("remoteUploadAdd", json!({"urls": []}), 400, 2).await;
    t.err_pt("remoteUploadStatus", json!({"ids": ["x y"]}), 400, 2)
        .await;
    // Another account does not see these uploads.
    let free = t.free().await;
    let v = t
        .ok(
            "remoteUploadStatus",
            json!({"auth_token": free, "ids": [ids_[0]]}),
        )
        .await;
    assert_eq!(v["uploads"][0]["status"], 4);
}

#[tokio::test]
async fn metadata_methods() {
    let t = T::start().await;
    let v = t.ok_pt("getFilesMeta", json!({"tag": "video_k2s"})).await;
    assert_eq!(v["total"], 2);
    let v = t
        .ok_pt("getFilesMeta", json!({"file_ids": [ids::VIDEO_BUNNY]}))
        .await;
    assert_eq!(v["items"][0]["title"], "Big Buck Bunny");
    assert_eq!(v["items"][0]["studio"], "Blender Foundation");
    let v = t
        .ok_pt(
            "getFilesMeta",
            json!({"actress": "Jane Doe", "category": "travel"}),
        )
        .await;
    assert_eq!(v["items"][0]["file_id"], ids::VIDEO_HOLIDAY);
    let v = t.ok_pt("getFilesMeta", json!({"size": 1, "page": 1})).await;
    assert_eq!(
        (v["items"].as_array().unwrap().len(), v["total"].as_u64()),
        (1, Some(4))
    );

    let v = t
        .ok_pt(
            "createFileMeta",
            json!({"file_id": ids::TRACK1, "title": "Opening",
            "tags": ["music"], "categories": ["ost"]}),
        )
        .await;
    assert_eq!(
        (v["title"].as_str(), v["description"].as_str()),
        (Some("Opening"), Some(""))
    );
    t.err_pt(
        "createFileMeta",
        json!({"file_id": ids::TRACK1, "title": "again"}),
        406,
        60,
    )
    .await;
    t.err_pt("createFileMeta", json!({"file_id": "zzzzzzzzzzzzz"}), 406, 60)
        .await;
    let v = t
        .ok_pt(
            "updateFileMeta",
            json!({"file_id": ids::TRACK1, "description": "First", "tags": null}),
        )
        .await;
    assert_eq!(
        (v["title"].as_str(), v["description"].as_str()),
        (Some("Opening"), Some("First"))
    );
    assert_eq!(v["tags"], json!(["music"]), "null leaves a list unchanged");
    t.ok_pt("updateFileMeta", json!({"file_id": ids::TRACK1, "tags": []}))
        .await;
    let m = t.server.meta(ids::TRACK1).unwrap();
    assert!(m.tags.is_empty());
    assert_eq!(m.categories, ["ost"]);
    let long = "x".repeat(256);
    t.err_pt(
        "updateFileMeta",
        json!({"file_id": ids::TRACK1, "title": long}),
        400,
        2,
    )
    .await;
    let ok255 = "é".repeat(255);
    t.ok_pt("updateFileMeta", json!({"file_id": ids::TRACK1, "title": ok255}))
        .await;
    let tags: Vec<String> = (0..51).map(|i| format!("t{i}")).collect();
    t.err_pt(
        "updateFileMeta",
        json!({"file_id": ids::TRACK1, "tags": tags}),
        400,
        2,
    )
    .await;
    t.err_pt(
        "updateFileMeta",
        json!({"file_id": ids::TRACK2, "title": "x"}),
        404,
        60,
    )
    .await;
    assert_eq!(t.server.meta(ids::VIDEO_TRAILER).unwrap().tags.len(), 50);

    let v = t
        .ok_pt(
            "copyFileMeta",
            json!({"from_file_id": ids::VIDEO_BUNNY, "to_file_id": ids::TRACK2}),
        )
        .await;
    assert_eq!(
        (v["file_id"].as_str(), v["title"].as_str()),
        (Some(ids::TRACK2), Some("Big Buck Bunny"))
    );
    assert_eq!(t.server.meta(ids::TRACK2).unwrap().studio, "Blender Foundation");
    t.err_pt(
        "copyFileMeta",
        json!({"from_file_id": ids::ALBUM_ZIP, "to_file_id": ids::TRACK2}),
        404,
        3,
    )
    .await;
    t.ok_pt("deleteFileMeta", json!({"file_id": ids::TRACK2})).await;
    assert!(t.server.meta(ids::TRACK2).is_none());
    t.err_pt("deleteFileMeta", json!({"file_id": ids::TRACK2}), 404, 60)
        .await;
    t.err("getFilesMeta", json!({}), 403, 10).await;
    // The free user sees none of the premium user's metadata.
    let free = t.free().await;
    let v = t.ok("getFilesMeta", json!({"auth_token": free})).await;
    assert_eq!(v["total"], 0);
}

#[tokio::test]
async fn big_folder_pages_and_limits() {
    let t = T::with(DemoOptions {
        big_folder: Some(50_000),
        ..Default::default()
    })
    .await;
    let big = t.server.folder_id_by_path("/big").unwrap();
    assert_eq!(big, ids::BIG);
    let mut seen = std::collections::HashSet::new();
    let mut sample = None;
    for page in 0..6 {
        let v = t
            .ok_pt(
                "getFilesList",
                json!({"parent": big, "limit": 10000,
                "offset": page * 10000, "sort": {"name": 1}}),
            )
            .await;
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), if page < 5 { 10000 } else { 0 });
        for f in files {
            seen.insert(f["id"].as_str().unwrap().to_string());
        }
        if page == 2 {
            sample = Some(files[1234].clone());
        }
    }
    assert_eq!(seen.len(), 50_000);
    // A generated body matches its listed md5 and size.
    let s = sample.unwrap();
    let url = t.pt_url(s["id"].clone()).await;
    let body = t.get(&url).await.bytes().await.unwrap();
    assert_eq!(body.len() as u64, s["size"].as_u64().unwrap());
    assert_eq!(md5_hex(&body), s["md5"].as_str().unwrap());
    // The folder is full: 50,000 items. createFolder's table has one 406 code, 60.
    let e = t
        .err_pt(
            "createFolder",
            json!({"name": "one more", "parent": big}),
            406,
            60,
        )
        .await;
    assert_eq!(e["errors"], json!(["Limit files in specified folder reached"]));
    t.err_pt("getUploadFormData", json!({"parent_id": big}), 406, 61)
        .await;
    let e = t
        .err_pt(
            "updateFile",
            json!({"id": ids::README, "new_parent": big}),
            406,
            61,
        )
        .await;
    assert_eq!(e["message"], "Limit files in specified folder reached");
    let v = t
        .ok_pt(
            "updateFiles",
            json!({"ids": [ids::README, ids::NOTES], "new_parent": big}),
        )
        .await;
    for f in v["files"].as_array().unwrap() {
        assert_eq!(f["errors"], json!(["Limit files in specified folder reached"]));
    }
    let readme = t.server.file(ids::README).unwrap();
    t.err_pt(
        "createFileByHash",
        json!({"hash": readme.md5, "name": "dup.txt", "parent": big}),
        406,
        61,
    )
    .await;
    // Moving within the folder itself is fine (renaming a file there).
    t.ok_pt(
        "updateFile",
        json!({"id": k2s::demo::big_file_id(7), "new_name": "seven.bin"}),
    )
    .await;
}

#[tokio::test]
async fn seed_names_reach_clients_unchanged() {
    let t = T::start().await;
    let v = t
        .ok_pt(
            "getFilesInfo",
            json!({"ids": [ids::ANSI, ids::DOTDOT, ids::CJK, ids::EMOJI, ids::RFC2047]}),
        )
        .await;
    let got: Vec<&str> = fields(&v["files"], "name");
    assert_eq!(
        got,
        [
            names::ANSI,
            names::DOTDOT,
            names::CJK,
            names::EMOJI,
            names::RFC2047
        ]
    );
    assert!(names::ANSI.contains('\u{1b}') && names::DOTDOT.contains("../"));
}

#[tokio::test]
async fn fault_latency_fail_rate_and_429() {
    let t = T::start().await;
    t.server.set_faults(Faults {
        latency_ms: 300,
        ..Default::default()
    });
    let start = Instant::now();
    t.ok("test", json!({})).await;
    assert!(start.elapsed() >= Duration::from_millis(300));

    t.server.set_faults(Faults {
        fail_rate: 1.0,
        ..Default::default()
    });
    let (mut five, mut trunc) = (0, 0);
    for i in 0..40 {
        let r = t
            .http
            .post(t.url("createFolder"))
            .json(&json!({"access_token": pt(), "name": format!("faulted {i}")}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => {
                assert_eq!((status, v["code"].as_u64()), (500, Some(500)), "{text}");
                five += 1;
            }
            Err(_) => trunc += 1,
        }
    }
    assert!(five > 0 && trunc > 0, "both kinds of failure: {five} / {trunc}");
    assert!(
        t.server
            .children("/")
            .iter()
            .all(|f| !f.name.starts_with("faulted")),
        "faulted calls change nothing"
    );

    t.server.set_faults(Faults {
        burst_429: Some(2),
        ..Default::default()
    });
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let (s, v) = t.call("test", json!({})).await;
        if s == 429 {
            assert_eq!(v["message"], "Too many requests, please wait 1 minute");
        }
        statuses.push(s);
    }
    // Cycles of 2 served + 3 refused, whatever call the cycle started on.
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(refused, 6, "{statuses:?}");
    assert!(
        statuses.windows(4).all(|w| !w.iter().all(|s| *s == 429)),
        "bursts are 3 long: {statuses:?}"
    );
    t.server.set_faults(Faults::default());
    t.ok("test", json!({})).await;
}

#[tokio::test]
async fn fault_token_ttl() {
    let t = T::with(DemoOptions {
        faults: Faults {
            token_ttl: Some(1),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let token = t.premium().await;
    t.ok("accountInfo", json!({"auth_token": token})).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    t.err("accountInfo", json!({"auth_token": token}), 403, 10).await;
    t.ok("accountInfo", json!({"access_token": pt()})).await;
    let fresh = t.premium().await;
    t.ok("accountInfo", json!({"auth_token": fresh})).await;
}

#[tokio::test]
async fn fault_download_drop_and_bandwidth() {
    let t = T::start().await;
    let url = t.pt_url(ids::BEACH).await;
    t.server.set_faults(Faults {
        drop_download_after: Some(10_000),
        ..Default::default()
    });
    let r = t.get(&url).await;
    assert_eq!(r.status().as_u16(), 200);
    let mut got = 0usize;
    let mut stream = r;
    let failed = loop {
        match stream.chunk().await {
            Ok(Some(c)) => got += c.len(),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(failed, "the body ends in an error");
    assert_eq!(got, 10_000);

    t.server.set_faults(Faults {
        bandwidth: Some(40_000),
        ..Default::default()
    });
    let start = Instant::now();
    let body = t.get(&url).await.bytes().await.unwrap();
    assert_eq!(body.len(), 98_765);
    assert!(
        start.elapsed() >= Duration::from_millis(1500),
        "capped: {:?}",
        start.elapsed()
    );

    let start = Instant::now();
    let (s, v) = upload(&t, pt(), "/", "slow.bin", vec![7u8; 80_000]).await;
    assert_eq!(s, 200, "{v}");
    assert!(
        start.elapsed() >= Duration::from_millis(1000),
        "upload capped: {:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn fault_upload_reset_stores_nothing() {
    let t = T::start().await;
    t.server.set_faults(Faults {
        reset_upload_after: Some(50_000),
        ..Default::default()
    });
    let before = t.server.children("/").len();
    let form = t.ok_pt("getUploadFormData", json!({"parent_id": "/"})).await;
    let mp = Form::new().part("file", file_part(vec![1u8; 2_000_000], "reset.bin"));
    let r = send_form(&t, &form, signed_fields(mp, &form)).await;
    match r {
        Err(_) => {}
        Ok(resp) => {
            let status = resp.status();
            let body = resp.text().await;
            assert!(
                body.is_err() || !status.is_success(),
                "the upload must not succeed"
            );
        }
    }
    assert_eq!(t.server.children("/").len(), before);
    assert!(t.server.find_by_name("reset.bin").is_empty());
    assert_eq!(t.server.upload_bodies(), 0);
    // Small files under the threshold still go through, on a new form.
    let (s, _) = upload(&t, pt(), "/", "small.bin", vec![2u8; 1000]).await;
    assert_eq!(s, 200);
}
