//! Multi-call flows against the scripted server of `tests_pipeline`: the free download in the
//! reference's form (406/41 with the key) and the live one (200), a used captcha never resent;
//! the re-login on 10, 11 and 75; another account's public folder, paged.

use super::client::Credentials;
use super::free_url::{WAIT_FREE, WAIT_SERVICE, get_url_free_flow};
use super::tests_pipeline::{client, server};
use super::types::Captcha;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const NEED_CAPTCHA: &str = r#"{"status":"error","code":406,"errorCode":30,"message":"Captcha required"}"#;
const URL: &str = r#"{"status":"success","code":200,"url":"https://dl.example/x"}"#;

fn captcha(challenge: &str) -> String {
    json!({"status":"success","code":200,"challenge":challenge,"captcha_url":""}).to_string()
}

/// Run the free flow, answering every captcha with "answer-<challenge>": the result, the
/// waits asked for, the captchas shown.
async fn flow(base: &str) -> (Result<(String, bool), String>, Vec<(Duration, &'static str)>, u32) {
    let c = client(base, Credentials::default(), None);
    let waits = Arc::new(Mutex::new(Vec::new()));
    let shown = Arc::new(Mutex::new(0u32));
    let r = get_url_free_flow(
        &c,
        "file0000000001",
        |cap: Captcha, _url, _img| {
            *shown.lock().unwrap() += 1;
            async move { Some(format!("answer-{}", cap.challenge)) }
        },
        |d, label| {
            waits.lock().unwrap().push((d, label));
            async {}
        },
    )
    .await
    .map_err(|e| e.to_string());
    let w = waits.lock().unwrap().clone();
    let n = *shown.lock().unwrap();
    (r, w, n)
}

fn has_captcha(call: &Value) -> bool {
    call.get("captcha_challenge").is_some() || call.get("captcha_response").is_some()
}

#[tokio::test]
async fn free_download_in_the_reference_form_and_the_live_form() {
    let reference = r#"{"status":"error","code":406,"errorCode":41,"message":"Need wait for free",
        "time_wait":"3","free_download_key":"fk1"}"#;
    let live = r#"{"status":"success","code":200,"message":"Captcha accepted, please wait",
        "time_wait":3,"free_download_key":"fk1"}"#;
    for (form, key_reply) in [("reference", reference), ("live", live)] {
        let (s, base) = server().await;
        s.push("getUrl", 406, NEED_CAPTCHA);
        s.push("requestCaptcha", 200, &captcha("ch1"));
        s.push("getUrl", if form == "live" { 200 } else { 406 }, key_reply);
        s.push("getUrl", 200, URL);
        let (r, waits, shown) = flow(&base).await;
        assert_eq!(r.unwrap(), ("https://dl.example/x".to_string(), true), "{form}");
        assert_eq!(waits, vec![(Duration::from_secs(3), WAIT_FREE)], "{form}");
        assert_eq!(shown, 1, "{form}");
        let calls = s.calls("getUrl");
        assert_eq!(calls.len(), 3, "{form}");
        assert_eq!(calls[1]["captcha_challenge"], "ch1", "{form}");
        assert_eq!(calls[1]["captcha_response"], "answer-ch1", "{form}");
        assert_eq!(calls[2]["free_download_key"], "fk1", "{form}");
        assert!(!has_captcha(&calls[2]), "{form}: a used captcha is never resent");
    }
}

#[tokio::test]
async fn a_wait_without_a_key_never_resends_the_used_captcha() {
    let (s, base) = server().await;
    s.push("getUrl", 406, NEED_CAPTCHA);
    s.push("requestCaptcha", 200, &captcha("ch1"));
    s.push(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":41,"message":"Need wait for free","time_wait":7}"#,
    );
    s.push("getUrl", 406, NEED_CAPTCHA);
    s.push("requestCaptcha", 200, &captcha("ch2"));
    s.push(
        "getUrl",
        200,
        r#"{"status":"success","code":200,"free_download_key":"fk2","time_wait":0}"#,
    );
    s.push("getUrl", 200, URL);
    let (r, waits, shown) = flow(&base).await;
    assert_eq!(r.unwrap().0, "https://dl.example/x");
    assert_eq!(
        waits,
        vec![
            (Duration::from_secs(7), WAIT_SERVICE),
            (Duration::ZERO, WAIT_FREE)
        ]
    );
    assert_eq!(shown, 2);
    let calls = s.calls("getUrl");
    assert_eq!(calls.len(), 5);
    assert!(!has_captcha(&calls[2]), "after the wait: no used captcha");
    assert_eq!(calls[3]["captcha_challenge"], "ch2");
    assert!(!has_captcha(&calls[4]) && calls[4]["free_download_key"] == "fk2");
}

#[tokio::test]
async fn a_lost_answer_to_a_captcha_is_not_resent_but_asked_afresh() {
    let (s, base) = server().await;
    s.push("getUrl", 406, NEED_CAPTCHA);
    s.push("requestCaptcha", 200, &captcha("ch1"));
    s.push(
        "getUrl",
        500,
        r#"{"status":"error","code":500,"message":"Internal error"}"#,
    );
    s.push("getUrl", 200, URL);
    let (r, waits, shown) = flow(&base).await;
    assert_eq!(r.unwrap().0, "https://dl.example/x");
    assert!(waits.is_empty());
    assert_eq!(shown, 1);
    let calls = s.calls("getUrl");
    assert_eq!(
        calls.len(),
        3,
        "the request with the captcha is not retried blind"
    );
    assert!(!has_captcha(&calls[2]));
}

#[tokio::test]
async fn a_wrong_captcha_asks_again_and_a_stale_key_starts_over() {
    let (s, base) = server().await;
    s.push("getUrl", 406, NEED_CAPTCHA);
    s.push("requestCaptcha", 200, &captcha("ch1"));
    s.push(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":31,"message":"Invalid captcha"}"#,
    );
    s.push("requestCaptcha", 200, &captcha("ch2"));
    s.push(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":41,"time_wait":1,"free_download_key":"old"}"#,
    );
    s.push(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":40,"message":"Wrong free download key"}"#,
    );
    s.push("getUrl", 200, URL);
    let (r, _, shown) = flow(&base).await;
    assert_eq!(r.unwrap().0, "https://dl.example/x");
    assert_eq!(shown, 2);
    let calls = s.calls("getUrl");
    assert_eq!(calls.len(), 5);
    assert_eq!(calls[2]["captcha_challenge"], "ch2");
    assert_eq!(calls[3]["free_download_key"], "old");
    assert!(calls[4].get("free_download_key").is_none() && !has_captcha(&calls[4]));
}

#[tokio::test]
async fn a_session_error_10_11_or_75_logs_in_again_once() {
    for code in [10, 11, 75] {
        let (s, base) = server().await;
        let creds = Credentials {
            username: Some("me".into()),
            password: Some("pw".into()),
            ..Credentials::default()
        };
        let c = client(&base, creds, None);
        s.push(
            "getBalance",
            403,
            &format!(r#"{{"status":"error","code":403,"errorCode":{code}}}"#),
        );
        s.push(
            "login",
            200,
            r#"{"status":"success","code":200,"auth_token":"fresh"}"#,
        );
        s.push(
            "getBalance",
            200,
            r#"{"status":"success","code":200,"balance":"2"}"#,
        );
        assert_eq!(c.get_balance().await.unwrap().balance, Some(2.0), "{code}");
        assert_eq!(s.calls("login").len(), 1, "{code}");
        let calls = s.calls("getBalance");
        assert_eq!(calls.len(), 2, "{code}");
        assert_eq!(calls[1]["auth_token"], "fresh", "{code}");
    }
}

fn page(from: usize, n: usize) -> String {
    let files: Vec<Value> = (from..from + n)
        .map(|i| {
            json!({"id": format!("p{i:012}"), "name": format!("f{i}.mp4"), "is_folder": i % 10 == 0,
                        "size": "1024", "access": "public", "video_info": {"duration": 1.5}})
        })
        .collect();
    json!({"status":"success","code":200,"files":files}).to_string()
}

#[tokio::test]
async fn a_public_folder_is_listed_page_by_page() {
    let (s, base) = server().await;
    let c = client(&base, Credentials::default(), None);
    s.push("getFileStatus", 200, &page(0, 100));
    s.push("getFileStatus", 200, &page(100, 100));
    s.push("getFileStatus", 200, &page(200, 5));
    let items = c.list_public_folder("folder0000001").await.unwrap();
    assert_eq!(items.len(), 205);
    assert_eq!(items[204].id, "p000000000204");
    assert!(items[0].is_folder() && !items[1].is_folder());
    assert_eq!((items[1].size(), items[1].name()), (Some(1024), "f1.mp4"));
    assert!(items[1].video().is_some());
    let calls = s.calls("getFileStatus");
    let asked: Vec<(Value, Value, Value)> = calls
        .iter()
        .map(|b| (b["id"].clone(), b["limit"].clone(), b["offset"].clone()))
        .collect();
    assert_eq!(
        asked,
        vec![
            (json!("folder0000001"), json!(100), json!(0)),
            (json!("folder0000001"), json!(100), json!(100)),
            (json!("folder0000001"), json!(100), json!(200)),
        ]
    );
}

#[tokio::test]
async fn public_folder_odd_answers() {
    let (s, base) = server().await;
    let c = client(&base, Credentials::default(), None);
    // The reference's form: `files` is one object.
    s.push(
        "getFileStatus",
        200,
        r#"{"status":"success","code":200,"files":{"id":"1632a04bb0d2b","name":"test.mp4","is_folder":false}}"#,
    );
    assert_eq!(c.list_public_folder("folder0000001").await.unwrap().len(), 1);
    // A server that ignores offset: the same full page again ends the listing.
    s.push("getFileStatus", 200, &page(0, 100));
    s.push("getFileStatus", 200, &page(0, 100));
    assert_eq!(c.list_public_folder("folder0000001").await.unwrap().len(), 100);
    assert_eq!(s.calls("getFileStatus").len(), 3);
    // Not public: 406/20.
    s.push(
        "getFileStatus",
        406,
        r#"{"status":"error","code":406,"errorCode":20,"message":"File not available"}"#,
    );
    let e = c.list_public_folder("private000001").await.unwrap_err();
    assert!(e.is_not_available(), "{e:?}");
    // A file id.
    s.push(
        "getFileStatus",
        200,
        r#"{"status":"success","code":200,"name":"a.mp4","is_folder":false}"#,
    );
    let e = c.list_public_folder("file000000001").await.unwrap_err();
    assert!(e.to_string().contains("not a folder"), "{e}");
    // An empty folder.
    s.push(
        "getFileStatus",
        200,
        r#"{"status":"success","code":200,"files":[]}"#,
    );
    assert!(c.list_public_folder("empty00000001").await.unwrap().is_empty());
}
