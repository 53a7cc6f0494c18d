//! The request pipeline against a scripted local server: which calls are retried and how
//! often, the re-login, the credentials a request carries, timeouts, batching, upload stalls.

use super::client::{Client, ClientConfig, Credentials};
use super::error::ApiError;
use super::types::*;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
pub(super) struct Script {
    replies: Mutex<HashMap<String, VecDeque<(u16, String)>>>,
    /// (method, content type, body)
    seen: Mutex<Vec<(String, String, Value)>>,
}

impl Script {
    pub(super) fn push(&self, method: &str, status: u16, body: &str) {
        let mut r = self.replies.lock().unwrap();
        r.entry(method.into())
            .or_default()
            .push_back((status, body.into()));
    }
    pub(super) fn calls(&self, method: &str) -> Vec<Value> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _, _)| m == method)
            .map(|(_, _, b)| b.clone())
            .collect()
    }
}

async fn handler(
    State(s): State<Arc<Script>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    let ctype = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    s.seen
        .lock()
        .unwrap()
        .push((method.clone(), ctype, value.clone()));
    if method == "slow" {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    if method == "getFilesInfo" {
        // Echo the ids, in reverse order, with names.
        let ids = value["ids"].as_array().cloned().unwrap_or_default();
        let files: Vec<Value> = ids
            .iter()
            .rev()
            .map(|id| json!({"id": id, "name": format!("n-{}", id.as_str().unwrap_or(""))}))
            .collect();
        return (
            StatusCode::OK,
            json!({"status":"success","code":200,"files":files}).to_string(),
        );
    }
    let next = s
        .replies
        .lock()
        .unwrap()
        .get_mut(&method)
        .and_then(VecDeque::pop_front);
    let (status, body) = next.unwrap_or((200, r#"{"status":"success","code":200}"#.into()));
    (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body)
}

/// GET captcha: a (fake) image.
async fn captcha_image() -> ([(axum::http::HeaderName, &'static str); 1], Vec<u8>) {
    (
        [(axum::http::header::CONTENT_TYPE, "image/png")],
        vec![0x89, b'P', b'N', b'G'],
    )
}

/// An upload node that never reads the body.
async fn stuck_upload() -> (StatusCode, String) {
    tokio::time::sleep(Duration::from_secs(30)).await;
    (StatusCode::OK, String::new())
}

pub(super) async fn server() -> (Arc<Script>, String) {
    let script = Arc::new(Script::default());
    let app = axum::Router::new()
        .route("/api/v2/{method}", post(handler))
        .route("/stuck", post(stuck_upload))
        .route("/api/v2/captcha", axum::routing::get(captcha_image))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (script, format!("http://{addr}"))
}

pub(super) fn client(base: &str, creds: Credentials, session_file: Option<std::path::PathBuf>) -> Client {
    Client::new(ClientConfig {
        base_url: format!("{base}/api/v2/"),
        timeout: Duration::from_secs(2),
        requests_per_second: 1000,
        max_retries: 3,
        credentials: creds,
        session_file,
        ..ClientConfig::default()
    })
    .unwrap()
}

const E500: &str = r#"{"status":"error","code":500,"message":"Internal error"}"#;
const STRAY: &str = r#"{"status":"error","code":400,"errorCode":2,"message":"Invalid request params"}"#;

#[tokio::test]
async fn reads_retry_on_5xx_and_malformed_replies() {
    let (s, base) = server().await;
    s.push("accountInfo", 500, E500);
    s.push(
        "accountInfo",
        200,
        r#"{"status":"success","code":200,"available_tra"#,
    );
    s.push("accountInfo", 503, "<html><title>503</title></html>");
    s.push(
        "accountInfo",
        200,
        r#"{"status":"success","code":200,"available_traffic":"5","account_expires":false}"#,
    );
    let c = client(
        &base,
        Credentials {
            access_token: Some("tok".into()),
            ..Credentials::default()
        },
        None,
    );
    let info = c.account_info().await.unwrap();
    assert_eq!(info.available_traffic, Some(5));
    assert_eq!(s.calls("accountInfo").len(), 4);
}

#[tokio::test]
async fn retries_are_bounded() {
    let (s, base) = server().await;
    for _ in 0..10 {
        s.push("getBalance", 500, E500);
    }
    let c = client(&base, Credentials::default(), None);
    let e = c.get_balance().await.unwrap_err();
    assert!(matches!(e, ApiError::Api { http_status: 500, .. }), "{e:?}");
    assert_eq!(s.calls("getBalance").len(), 4, "1 try + max_retries 3");
}

#[tokio::test]
async fn writes_are_not_retried_blind_but_429_is() {
    let (s, base) = server().await;
    s.push("createFolder", 500, E500);
    let c = client(&base, Credentials::default(), None);
    let req = CreateFolder {
        name: "abc".into(),
        parent: "/".into(),
        access: None,
        is_public: None,
    };
    assert!(c.create_folder(&req).await.is_err());
    assert_eq!(s.calls("createFolder").len(), 1);

    s.push("createFolder", 200, r#"{"status":"success","code":201,"id":"x"#);
    assert!(matches!(
        c.create_folder(&req).await,
        Err(ApiError::Decode { .. })
    ));
    assert_eq!(s.calls("createFolder").len(), 2);

    s.push(
        "createFolder",
        429,
        r#"{"status":"error","code":429,"message":"Too many requests, please wait 1 minute"}"#,
    );
    s.push(
        "createFolder",
        201,
        r#"{"status":"success","code":201,"id":"newid"}"#,
    );
    assert_eq!(c.create_folder(&req).await.unwrap().id, "newid");
    assert_eq!(s.calls("createFolder").len(), 4);
}

#[tokio::test]
async fn stray_invalid_request_params_is_retried_for_reads_and_writes() {
    // The policy itself (budget, pauses, giving up) is tested in tests_retry without sleeping.
    let (s, base) = server().await;
    for _ in 0..3 {
        s.push("getFilesList", 400, STRAY);
    }
    s.push(
        "getFilesList",
        200,
        r#"{"status":"success","code":200,"files":[{"id":"a","name":"x"}]}"#,
    );
    let c = client(&base, Credentials::default(), None);
    assert_eq!(c.get_files_list(&ListFiles::default()).await.unwrap().len(), 1);
    assert_eq!(s.calls("getFilesList").len(), 4, "3 strays, then the answer");

    s.push("createFolder", 400, STRAY);
    s.push("createFolder", 400, STRAY);
    s.push(
        "createFolder",
        201,
        r#"{"status":"success","code":201,"id":"newid"}"#,
    );
    let req = CreateFolder {
        name: "abc".into(),
        parent: "/".into(),
        access: None,
        is_public: None,
    };
    assert_eq!(c.create_folder(&req).await.unwrap().id, "newid");
    assert_eq!(
        s.calls("createFolder").len(),
        3,
        "a refused write did nothing: retried"
    );
}

#[tokio::test]
async fn requests_are_json_with_the_right_credential() {
    let (s, base) = server().await;
    let c = client(
        &base,
        Credentials {
            access_token: Some("perm".into()),
            ..Credentials::default()
        },
        None,
    );
    c.test().await.unwrap();
    let req = ListFiles {
        sort: Some((SortField::DateCreated, -1)),
        kind: Some(ListType::Folder),
        ..ListFiles::default()
    };
    c.get_files_list(&req).await.unwrap();
    c.update_file(
        "abc",
        &FileChanges {
            new_name: Some("new".into()),
            ..FileChanges::default()
        },
    )
    .await
    .unwrap();
    let seen = s.seen.lock().unwrap().clone();
    for (m, ctype, body) in &seen {
        assert!(ctype.starts_with("application/json"), "{m}: {ctype}");
        assert_eq!(body["access_token"], "perm", "{m}");
        assert!(body.get("auth_token").is_none(), "{m}");
    }
    let list = &s.calls("getFilesList")[0];
    assert_eq!(list["sort"], json!({"date_created": -1}));
    assert_eq!(list["type"], "folder");
    assert_eq!(list["parent"], "/");
    // Only the named change is sent.
    let upd = &s.calls("updateFile")[0];
    assert_eq!(upd["new_name"], "new");
    assert!(
        upd.get("new_parent").is_none()
            && upd.get("new_access").is_none()
            && upd.get("new_is_public").is_none()
    );
}

#[tokio::test]
async fn relogin_once_on_expired_session_and_cache_the_new_token() {
    let (s, base) = server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");
    super::session_file::save(&file, "old-token", Some("me"), &format!("{base}/api/v2")).unwrap();
    let creds = Credentials {
        username: Some("me".into()),
        password: Some("pw".into()),
        ..Credentials::default()
    };
    let c = client(&base, creds, Some(file.clone()));
    assert!(c.has_credentials());

    s.push(
        "getBalance",
        403,
        r#"{"status":"error","code":403,"errorCode":10,"message":"You are not authorized for this action"}"#,
    );
    s.push(
        "login",
        200,
        r#"{"status":"success","code":200,"auth_token":"new-token"}"#,
    );
    s.push(
        "getBalance",
        200,
        r#"{"status":"success","code":200,"balance":1.5}"#,
    );
    assert_eq!(c.get_balance().await.unwrap().balance, Some(1.5));
    let calls = s.calls("getBalance");
    assert_eq!(calls[0]["auth_token"], "old-token");
    assert_eq!(calls[1]["auth_token"], "new-token");
    let login = &s.calls("login")[0];
    assert_eq!(
        (login["username"].as_str(), login["password"].as_str()),
        (Some("me"), Some("pw"))
    );
    assert!(login.get("auth_token").is_none());
    assert!(std::fs::read_to_string(&file).unwrap().contains("new-token"));
    assert!(!std::fs::read_to_string(&file).unwrap().contains("pw"));

    // Still expired after the new login: the error, no second login.
    s.push(
        "getBalance",
        403,
        r#"{"status":"error","code":403,"errorCode":11}"#,
    );
    s.push(
        "login",
        200,
        r#"{"status":"success","code":200,"auth_token":"third"}"#,
    );
    s.push(
        "getBalance",
        403,
        r#"{"status":"error","code":403,"errorCode":11}"#,
    );
    let e = c.get_balance().await.unwrap_err();
    assert_eq!(e.code(), Some(11));
    assert_eq!(s.calls("login").len(), 2);

    c.logout().unwrap();
    assert!(!file.exists());
    assert!(!c.has_credentials());
}

#[tokio::test]
async fn no_relogin_with_a_permanent_token() {
    let (s, base) = server().await;
    let creds = Credentials {
        access_token: Some("perm".into()),
        username: Some("me".into()),
        password: Some("pw".into()),
    };
    let c = client(&base, creds, None);
    s.push(
        "getBalance",
        403,
        r#"{"status":"error","code":403,"errorCode":75,"message":"Illegal session IP"}"#,
    );
    let e = c.get_balance().await.unwrap_err();
    assert!(e.needs_login(), "{e}");
    assert!(s.calls("login").is_empty());
}

#[tokio::test]
async fn files_info_in_batches_of_100_in_the_order_asked() {
    let (s, base) = server().await;
    let c = client(&base, Credentials::default(), None);
    let ids: Vec<String> = (0..250).map(|i| format!("id{i:03}")).collect();
    let items = c.get_files_info(&ids, false).await.unwrap();
    let batches = s.calls("getFilesInfo");
    assert_eq!(
        batches
            .iter()
            .map(|b| b["ids"].as_array().unwrap().len())
            .collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    assert_eq!(items.iter().map(|f| f.id.clone()).collect::<Vec<_>>(), ids);
    assert_eq!(items[7].name(), "n-id007");
}

#[tokio::test]
async fn timeouts_and_a_server_that_is_down_are_transport_errors() {
    let (_s, base) = server().await;
    let c = client(&base, Credentials::default(), None);
    let t = Instant::now();
    let e = c
        .call("slow", Default::default(), super::call::Policy::WRITE)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Transport { timeout: true, .. }), "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(4));

    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = client(&format!("http://127.0.0.1:{port}"), Credentials::default(), None);
    let t = Instant::now();
    let e = c.test().await.unwrap_err();
    assert!(matches!(e, ApiError::Transport { timeout: false, .. }), "{e:?}");
    assert!(e.is_retryable());
    assert!(t.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_stalled_upload_is_abandoned() {
    let (_s, base) = server().await;
    let c = Client::new(ClientConfig {
        base_url: format!("{base}/api/v2"),
        timeout: Duration::from_millis(800),
        ..ClientConfig::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    std::fs::write(&path, vec![7u8; 32 * 1024 * 1024]).unwrap();
    let form = UploadForm {
        form_action: format!("{base}/stuck"),
        file_field: "file".into(),
        form_data: vec![],
    };
    let t = Instant::now();
    let e = c
        .upload_file(&form, &path, "big.bin", Arc::new(|_| {}))
        .await
        .unwrap_err();
    assert!(matches!(&e, ApiError::Transport { timeout: true, .. }), "{e:?}");
    assert!(e.to_string().contains("stalled"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn calls_are_throttled() {
    let (s, base) = server().await;
    let c = Client::new(ClientConfig {
        base_url: format!("{base}/api/v2"),
        requests_per_second: 2,
        ..ClientConfig::default()
    })
    .unwrap();
    let t = Instant::now();
    for _ in 0..6 {
        c.test().await.unwrap();
    }
    // A burst of 2, then one call every 500 ms.
    assert!(t.elapsed() >= Duration::from_millis(1900), "{:?}", t.elapsed());
    assert_eq!(s.calls("test").len(), 6);
}
