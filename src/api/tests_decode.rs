//! Hand-written payloads for the envelope quirks of the field notes (errors, statuses, bodies
//! that are not JSON, the upload node's envelopes, RFC 2047 names) and the retry policy.

use super::call::{Class, backoff, classify};
use super::decode::{envelope, upload_reply};
use super::error::{ApiError, ErrorCode, Recovery, SubError};
use super::rfc2047;
use std::time::Duration;

fn err(method: &str, http: u16, body: &str) -> ApiError {
    match envelope(method, http, body.as_bytes()) {
        Ok(m) => panic!("expected an error, got {m:?}"),
        Err(e) => e,
    }
}

#[test]
fn success_by_status_whatever_the_code() {
    for (http, code) in [(200, 200), (201, 201), (202, 202), (200, 201)] {
        let body = format!(r#"{{"status":"success","code":{code},"id":"abc"}}"#);
        let m = envelope("createFolder", http, body.as_bytes()).unwrap();
        assert_eq!(m["id"], "abc");
    }
    // updateFile's reply has only status and code.
    assert!(envelope("updateFile", 202, br#"{"status":"success","code":202}"#).is_ok());
}

#[test]
fn json_error_bodies_on_any_http_status_are_api_errors() {
    let e = err(
        "login",
        406,
        r#"{"message":"Please verify your request via re captcha challenge","status":"error","code":406,"errorCode":33}"#,
    );
    assert!(
        matches!(
            &e,
            ApiError::Api {
                http_status: 406,
                code: ErrorCode::Num(33),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.recovery(), Recovery::Captcha);
    assert!(e.to_string().contains("reCaptcha"), "{e}");

    let e = err(
        "accountInfo",
        403,
        r#"{"status":"error","code":403,"errorCode":10,"message":"You are not authorized for this action"}"#,
    );
    assert_eq!(e.code(), Some(10));
    assert_eq!(e.recovery(), Recovery::Relogin);

    let e = err(
        "getFilesList",
        429,
        r#"{"status":"error","code":429,"message":"Too many requests, please wait 1 minute"}"#,
    );
    assert!(matches!(
        &e,
        ApiError::Api {
            http_status: 429,
            code: ErrorCode::None,
            ..
        }
    ));
    assert_eq!(
        e.recovery(),
        Recovery::Retry {
            after: Some(Duration::from_secs(60))
        }
    );
    assert_eq!(classify(&e), Class::NotSent);

    let e = err(
        "login",
        406,
        r#"{"status":"error","code":406,"errorCode":70,"message":"Wrong login or password"}"#,
    );
    assert!(e.to_string().contains("wrong username or password"), "{e}");
    assert_eq!(e.recovery(), Recovery::Final);
    assert_eq!(classify(&e), Class::Final);
}

#[test]
fn error_envelope_with_http_200_takes_the_body_code() {
    let e = err(
        "getFilesList",
        200,
        r#"{"status":"error","code":500,"message":"Internal error"}"#,
    );
    assert!(matches!(&e, ApiError::Api { http_status: 500, .. }), "{e:?}");
    assert_eq!(classify(&e), Class::Transient);
}

#[test]
fn error_code_as_string() {
    let e = err(
        "login",
        400,
        r#"{"status":"error","code":400,"errorCode":"captcha_need_wait","message":"x"}"#,
    );
    assert!(matches!(&e, ApiError::Api { code: ErrorCode::Text(t), .. } if t == "captcha_need_wait"));
    assert!(e.is_retryable());
    assert!(e.to_string().contains("too many wrong captcha"), "{e}");
    let e = err(
        "login",
        400,
        r#"{"status":"error","code":400,"errorCode":"captcha_need_wait_daily"}"#,
    );
    assert_eq!(e.recovery(), Recovery::Final);
    // A number in a string is a number.
    let e = err(
        "accountInfo",
        403,
        r#"{"status":"error","code":"403","errorCode":"11"}"#,
    );
    assert_eq!(e.code(), Some(11));
    assert!(e.needs_login());
}

#[test]
fn sub_errors_objects_with_time_remaining_and_plain_strings() {
    let e = err(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":42,"message":"Download is not available",
            "errors":[{"code":5,"timeRemaining":"2521.000000"}]}"#,
    );
    let ApiError::Api { errors, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        errors,
        &vec![SubError {
            code: Some(5),
            message: None,
            time_remaining: Some(2521.0)
        }]
    );
    assert_eq!(
        e.recovery(),
        Recovery::Retry {
            after: Some(Duration::from_secs(2521))
        }
    );
    assert!(e.to_string().contains("wait 42m 1s"), "{e}");

    let e = err(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":21,"message":"File is not available",
            "errors":[{"code":1,"message":"Download count files exceed"}]}"#,
    );
    assert!(e.to_string().contains("Download count files exceed"), "{e}");
    assert_eq!(e.recovery(), Recovery::Final);

    let e = err(
        "createFileByHash",
        406,
        r#"{"status":"error","code":406,"errorCode":62,"message":"Error copy file",
            "errors":["Destination directory was not found","Name is too short (minimum is 3 characters).",null]}"#,
    );
    let ApiError::Api { errors, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(errors.len(), 2);
    assert!(e.to_string().contains("Name is too short"), "{e}");

    let e = err(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":21,"errors":[{"code":"6"}]}"#,
    );
    assert!(e.to_string().contains("too many parallel free downloads"), "{e}");
    assert!(e.is_retryable());
}

#[test]
fn overloaded_codes_read_per_method() {
    let e = err(
        "getUrl",
        406,
        r#"{"status":"error","code":406,"errorCode":2,"message":"Download traffic exceeded"}"#,
    );
    assert!(e.to_string().contains("traffic limit"), "{e}");
    let e = err(
        "getUploadFormData",
        406,
        r#"{"status":"error","code":406,"errorCode":63,"message":"No available nodes"}"#,
    );
    assert!(e.to_string().contains("no upload node"), "{e}");
    assert!(e.is_retryable());
    let e = err(
        "updateFile",
        406,
        r#"{"status":"error","code":406,"errorCode":63,"message":"Error update file"}"#,
    );
    assert!(e.to_string().contains("could not be updated"), "{e}");
    assert!(!e.is_retryable());
    // A generic code keeps the server's explanation.
    let e = err(
        "createFolder",
        400,
        r#"{"status":"error","code":400,"errorCode":2,"message":"Name is too short (minimum is 3 characters)."}"#,
    );
    assert!(e.to_string().contains("Name is too short"), "{e}");
    let e = err(
        "login",
        406,
        r#"{"status":"error","code":406,"errorCode":71,"message":"Login attempts exceeded"}"#,
    );
    assert!(e.to_string().contains("too many login attempts"), "{e}");
    assert_eq!(
        e.recovery(),
        Recovery::Retry {
            after: Some(Duration::from_secs(60))
        }
    );
    // Codes only the field notes list.
    for (code, words) in [
        (4, "invalid request"),
        (11, "expired"),
        (23, "folder"),
        (43, "premium"),
        (64, "quota"),
        (75, "IP"),
    ] {
        let body = format!(r#"{{"status":"error","code":403,"errorCode":{code}}}"#);
        let e = err("getUrl", 403, &body);
        assert!(e.to_string().contains(words), "{code}: {e}");
    }
}

#[test]
fn stray_invalid_request_params_is_its_own_class() {
    let e = err(
        "getFilesList",
        400,
        r#"{"status":"error","code":400,"errorCode":2,"message":"Invalid request params"}"#,
    );
    assert_eq!(classify(&e), Class::StrayInvalid);
    assert_eq!(e.recovery(), Recovery::Final);
}

#[test]
fn bodies_that_are_not_json_are_decode_errors() {
    let e = err(
        "getFilesList",
        200,
        r#"{"status":"success","code":200,"files":[{"id":"ab"#,
    );
    assert!(matches!(&e, ApiError::Decode { http_status: 200, .. }), "{e:?}");
    assert!(e.to_string().contains("cut short"), "{e}");
    assert_eq!(classify(&e), Class::Transient);
    assert!(e.is_retryable());

    let e = err(
        "test",
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    );
    assert!(
        e.to_string().contains("HTML page") && e.to_string().contains("502 Bad Gateway"),
        "{e}"
    );
    assert_eq!(classify(&e), Class::Transient);

    let e = err("test", 200, "");
    assert!(e.to_string().contains("empty"), "{e}");
    let e = err("test", 200, "[1,2]");
    assert!(matches!(e, ApiError::Decode { .. }));
    let e = err("test", 200, "Internal Server Error");
    assert!(e.to_string().contains("not valid JSON"), "{e}");
}

#[test]
fn upload_node_success_envelope() {
    let r = upload_reply(
        200,
        br#"{"status":"success","success":true,"status_code":200,"user_file_id":"a4b8776255952","link":"https://k2s.cc/file/a4b8776255952"}"#,
    )
    .unwrap();
    assert_eq!(r.user_file_id, "a4b8776255952");
    assert_eq!(r.link.as_deref(), Some("https://k2s.cc/file/a4b8776255952"));
    // Only `success` and a numeric id.
    let r = upload_reply(200, br#"{"success":1,"user_file_id":12345}"#).unwrap();
    assert_eq!(r.user_file_id, "12345");
    let e = upload_reply(200, br#"{"status":"success","success":true,"status_code":200}"#).unwrap_err();
    assert!(e.to_string().contains("no file id"), "{e}");
}

#[test]
fn upload_node_error_envelope() {
    let e = upload_reply(
        400,
        br#"{"name":"Bad Request","message":"Wrong signature. IP 1.2.3.4","code":0,"status":400}"#,
    )
    .unwrap_err();
    assert!(matches!(&e, ApiError::Upload { http_status: 400, .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("Bad Request: Wrong signature") && text.contains("stale"),
        "{text}"
    );
    assert_eq!(e.recovery(), Recovery::Final);
    // Status only in the body.
    let e = upload_reply(
        200,
        br#"{"name":"Bad Request","message":"File is empty","code":0,"status":400}"#,
    )
    .unwrap_err();
    assert!(matches!(&e, ApiError::Upload { http_status: 400, .. }), "{e:?}");
    // An API-style error from the node.
    let e = upload_reply(
        406,
        br#"{"status":"error","code":406,"errorCode":64,"message":"Disk quota exceeded"}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("disk quota"), "{e}");
    assert!(e.is_quota() && e.hint().contains("make room"), "{e:?}");
    // The node's own envelope says it in words only.
    let e = upload_reply(
        400,
        br#"{"name":"Bad Request","message":"Disk quota exceeded","code":0,"status":400}"#,
    )
    .unwrap_err();
    assert!(e.is_quota(), "{e:?}");
}

#[test]
fn upload_node_html_503() {
    let page = b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>";
    let e = upload_reply(503, page).unwrap_err();
    assert!(matches!(&e, ApiError::Upload { http_status: 503, .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("HTML page") && text.contains("503 Service Temporarily Unavailable"),
        "{text}"
    );
    assert!(e.is_retryable());
    // Garbage with a 200: the upload may have happened; not retried blindly.
    let e = upload_reply(200, b"OK").unwrap_err();
    assert!(e.to_string().contains("may or may not"), "{e}");
    assert!(!e.is_retryable());
}

#[test]
fn rfc2047_names() {
    assert_eq!(
        rfc2047::decode("=?utf-8?B?0J/RgNC40LLQtdGCLm1wNA==?="),
        "Привет.mp4"
    );
    assert_eq!(
        rfc2047::decode("=?UTF-8?Q?caf=C3=A9_au_lait.txt?="),
        "café au lait.txt"
    );
    assert_eq!(rfc2047::decode("=?utf-8?q?na=C3=AFve?="), "naïve");
    assert_eq!(rfc2047::decode("=?iso-8859-1?Q?d=E9j=E0?="), "déjà");
    assert_eq!(rfc2047::decode("plain name.txt"), "plain name.txt");
    assert_eq!(rfc2047::decode("odd =? name ?= here"), "odd =? name ?= here");
    assert_eq!(rfc2047::decode("=?utf-8?X?broken?="), "=?utf-8?X?broken?=");
}

#[test]
fn backoff_is_bounded_and_grows() {
    let (min, max) = (Duration::from_millis(200), Duration::from_secs(5));
    for attempt in 0..40 {
        let d = backoff(attempt, min, max);
        assert!(d >= min / 2 && d <= max, "{attempt}: {d:?}");
    }
    assert!(backoff(0, min, max) <= min);
    assert!(backoff(10, min, max) >= max / 2);
}

#[test]
fn debug_never_shows_secrets() {
    use super::client::{Client, ClientConfig, Credentials};
    let cfg = ClientConfig {
        base_url: "http://127.0.0.1:9/api/v2".into(),
        credentials: Credentials {
            access_token: Some("SECRET-ACCESS-TOKEN".into()),
            username: Some("me@example".into()),
            password: Some("SECRET-PASSWORD".into()),
        },
        ..ClientConfig::default()
    };
    let client = Client::new(cfg.clone()).unwrap();
    for text in [format!("{cfg:?}"), format!("{client:?}"), format!("{client:#?}")] {
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}

#[test]
fn bad_base_url_is_a_local_error() {
    use super::client::{Client, ClientConfig};
    let e = Client::new(ClientConfig {
        base_url: "not a url".into(),
        ..ClientConfig::default()
    })
    .unwrap_err();
    assert!(matches!(e, ApiError::Local(_)));
    let e = Client::new(ClientConfig {
        base_url: "ftp://x/api".into(),
        ..ClientConfig::default()
    })
    .unwrap_err();
    assert!(e.to_string().contains("not http"), "{e}");
}

#[test]
fn the_default_https_client_builds() {
    use super::client::{Client, ClientConfig};
    let c = Client::new(ClientConfig::default()).unwrap();
    assert_eq!(c.base_url(), super::client::DEFAULT_API_URL);
    assert!(!c.has_credentials());
    assert_eq!(
        c.recaptcha_page_url("9c726b3ce8b34"),
        "https://keep2share.cc/api/v2/reCaptcha.html?id=9c726b3ce8b34"
    );
}

#[test]
fn a_full_folder_is_named_by_its_code_for_the_methods_that_have_it_or_by_its_words() {
    let api = |method: &str, code: i64, message: &str| ApiError::Api {
        method: method.into(),
        http_status: 400,
        code: ErrorCode::Num(code),
        message: message.into(),
        errors: vec![],
    };
    assert!(api("getUploadFormData", 61, "").is_folder_full());
    assert!(api("updateFiles", 61, "").is_folder_full());
    // createFileByHash's 61 is "Error create file", not a full folder.
    assert!(!api("createFileByHash", 61, "Error create file").is_folder_full());
    assert!(!api("getUploadFormData", 63, "").is_folder_full());
    let node = ApiError::Upload {
        http_status: 400,
        message: "Limit files in specified folder reached".into(),
    };
    assert!(node.is_folder_full() && !node.is_quota());
}
