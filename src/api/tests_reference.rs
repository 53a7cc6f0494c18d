//! Every "Response Body" example of the API reference (`tests/fixtures/reference/`, copied
//! verbatim as `<method>.<status>[.<n>].json`) through the real decoder of its method: a
//! success gives the typed value, an error the right code and recovery. A fixture without a
//! case here, or a case without its fixture, fails.
//!
//! Five examples are not strict JSON (single-quoted arrays in getDomainsList and
//! getFoldersList, trailing commas in updateFile and getSubscriptions, a missing comma in
//! getUrl's errorCode 21). They are read as they are: the decoder itself repairs those slips
//! (`json_text`), so the live service may make them too.

use super::decode::{Object, envelope};
use super::error::{ApiError, Recovery};
use super::types::*;
use super::{auth, methods, shapes};
use crate::folders::FolderTree;
use std::collections::BTreeMap;
use std::time::Duration;

type Check = fn(Object);
type ErrCheck = fn(&ApiError) -> bool;

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference")
}

/// "getUrl.406.2.json" -> ("getUrl", 406).
fn method_status(file: &str) -> (String, u16) {
    let mut parts = file.split('.');
    let method = parts.next().unwrap_or("").to_string();
    let status = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (method, status)
}

fn date(s: &str) -> Option<Timestamp> {
    super::lenient::parse_datetime(s)
}

fn record<T: serde::de::DeserializeOwned>(m: Object) -> T {
    shapes::record("fixture", m).unwrap()
}

fn account_cases() -> Vec<(&'static str, Check)> {
    vec![
        ("login.200.json", |m| {
            assert_eq!(auth::auth_token(&m).unwrap(), "cb9tg4rt9lom9gb5i6tudgqlse")
        }),
        ("requestReCaptcha.200.json", |m| {
            let c: Captcha = record(m);
            assert_eq!(c.challenge, "3fe7f38bba329");
            assert!(c.captcha_url.ends_with("reCaptcha.html?id=3fe7f38bba329"));
        }),
        ("requestCaptcha.200.json", |m| {
            let c: Captcha = record(m);
            assert_eq!(c.challenge, "3fe7f38bba329");
            assert!(c.captcha_url.starts_with("https://"));
        }),
        ("test.200.json", |m| {
            assert_eq!(methods::message(&m), "Test was successful!")
        }),
        ("accountInfo.200.json", |m| {
            let a: AccountInfo = record(m);
            assert_eq!(a.available_traffic, Some(53_687_091_200));
            assert_eq!(a.account_expires, date("2022-04-24T00:00:00.000Z"));
            assert!(a.account_expires.is_some());
        }),
        ("getBalance.200.json", |m| {
            let b: Balance = record(m);
            assert_eq!(b.balance, Some(0.2));
        }),
        ("getDomainsList.200.json", |m| {
            let d: DomainsList = record(m);
            assert_eq!(d.domains, vec!["k2s.cc".to_string()]);
        }),
        ("resellerGetCode.200.json", |m| {
            // The example names code_id twice (the second is surely the balance): the last wins.
            let r: ResellerCode = record(m);
            assert_eq!(r.reseller_code.as_deref(), Some("mt2dr45tlnev"));
            assert_eq!(r.code_id.as_deref(), Some("0.1"));
            assert_eq!(r.balance, None);
        }),
        ("getSubscriptions.200.json", |m| {
            let s: Subscriptions = record(m);
            assert_eq!(s.total, Some(10));
            assert_eq!(s.items.len(), 1);
            let i = &s.items[0];
            assert_eq!(i.user_email.as_deref(), Some("user1@test.test"));
            assert_eq!(i.domain_name.as_deref(), Some("test.test"));
            assert_eq!(i.expires_at, date("2021-08-25T15:23:15.000Z"));
            assert!(i.last_payment.is_some());
        }),
    ]
}

fn folder_cases() -> Vec<(&'static str, Check)> {
    vec![
        ("getFoldersList.200.json", |m| {
            let l = shapes::folders_list(&m);
            assert!(!l.has_parents);
            let got: Vec<(&str, &str)> = l
                .folders
                .iter()
                .map(|f| (f.id.as_str(), f.name.as_str()))
                .collect();
            assert_eq!(got, vec![("5432a01230d2b", "test"), ("1632a04bb0d2a", "simple")]);
            let t = FolderTree::from_list(&l);
            assert!(!t.hierarchical);
            assert_eq!(t.id_of_path("/simple").as_deref(), Some("1632a04bb0d2a"));
        }),
        ("createFolder.201.json", |m| {
            assert_eq!(methods::created("createFolder", m).unwrap().id, "0632a04bb0d21")
        }),
        ("createFileByHash.201.json", |m| {
            let c = methods::created("createFileByHash", m).unwrap();
            assert_eq!(c.id, "0632a04bb0d21");
            assert_eq!(c.link.as_deref(), Some("https://k2s.cc/file/0632a04bb0d21"));
        }),
        ("updateFiles.200.1.json", |m| {
            let u = methods::update_items(&m);
            assert_eq!(u.len(), 1);
            assert_eq!(u[0].id, "0632a04bb0d21");
            assert!(u[0].ok());
        }),
        ("updateFiles.200.2.json", |m| {
            let u = methods::update_items(&m);
            assert!(!u[0].ok());
            assert_eq!(
                u[0].errors,
                vec!["Limit files in specified folder reached".to_string()]
            );
        }),
        ("updateFile.202.json", |m| assert!(m.get("code").is_some())),
        ("deleteFiles.200.json", |m| assert_eq!(methods::deleted(&m), 2)),
        ("findFile.200.json", |m| assert!(methods::found(&m))),
    ]
}

fn listing_cases() -> Vec<(&'static str, Check)> {
    vec![
        ("getFilesList.200.json", |m| {
            let f = &shapes::file_items(m.get("files"))[0];
            assert_eq!((f.id.as_str(), f.name()), ("4632a04bb0d2b", "test"));
            assert_eq!((f.is_folder(), f.is_available), (false, Some(false)));
            assert_eq!(f.size(), Some(1024));
            assert_eq!(f.md5.as_deref(), Some("a457f1dd3623a399d78a9672d225ddd5"));
            assert_eq!(f.created(), date("2019-01-01 00:00:01"));
            assert_eq!((f.downloads(), f.content_type()), (Some(1), Some("text")));
            assert_eq!(f.access(), Some(&Access::Public));
            assert!(f.is_blocked());
        }),
        ("getFilesInfo.200.1.json", |m| {
            let f = &shapes::file_items(m.get("files"))[0];
            assert_eq!((f.id.as_str(), f.name()), ("da4a6352cb666", "Super video.mp4"));
            assert_eq!((f.size(), f.is_available), (Some(479_125_093), Some(true)));
            assert!(f.exists() && f.extended_info.is_none());
        }),
        ("getFilesInfo.200.2.json", |m| {
            let f = &shapes::file_items(m.get("files"))[0];
            assert_eq!(f.created(), date("2022-11-19T12:52:20.000Z"));
            assert_eq!(f.parent_id.as_deref(), Some("6715a7cde4e55"));
            assert_eq!(f.is_available_for_free, Some(true));
            assert_eq!(f.content_type(), Some("video/mp4"));
            assert_eq!(f.last_download(), date("2022-12-17 10:14:11"));
            let v = f.video().unwrap();
            assert_eq!(
                (v.width, v.height, v.is_streamable),
                (Some(1920), Some(1080), Some(true))
            );
            assert_eq!(v.format.as_deref(), Some("MPEG-4"));
        }),
        ("getFilesInfo.200.3.json", |m| {
            let f = &shapes::file_items(m.get("files"))[0];
            assert_eq!(
                (f.is_available, f.name.as_deref(), f.size()),
                (Some(false), None, None)
            );
        }),
        ("getFilesInfo.200.4.json", |m| {
            let f = &shapes::file_items(m.get("files"))[0];
            assert_eq!(f.id, "da4a6352cbc6b");
            assert!(!f.exists());
        }),
        ("getFileStatus.200.1.json", |m| {
            match shapes::file_status("1632a04bb0d2a", m) {
                FileStatus::Folder(items) => {
                    assert_eq!(items.len(), 1);
                    let f = &items[0];
                    assert_eq!((f.id.as_str(), f.name()), ("1632a04bb0d2b", "test.mp4"));
                    assert_eq!(f.is_available_for_free, Some(true));
                    assert!((f.video().unwrap().duration.unwrap() - 848.901).abs() < 1e-9);
                }
                other => panic!("{other:?}"),
            }
        }),
        ("getFileStatus.200.2.json", |m| {
            match shapes::file_status("96a9d7445484c", m) {
                FileStatus::File(f) => {
                    assert_eq!(f.id, "96a9d7445484c");
                    assert_eq!((f.access(), f.size()), (Some(&Access::Premium), Some(7_777_777)));
                    assert_eq!(f.video().unwrap().height, Some(1024));
                }
                other => panic!("{other:?}"),
            }
        }),
    ]
}

fn transfer_cases() -> Vec<(&'static str, Check)> {
    vec![
        ("getUploadFormData.200.json", |m| {
            let f = shapes::upload_form(&m).unwrap();
            assert_eq!(f.form_action, "http://file-api-26.keep2share.cc:8000/upload");
            assert_eq!(f.file_field, "file");
            let mut d = f.form_data;
            d.sort();
            assert_eq!(d[0], ("ajax".to_string(), "true".to_string()));
            assert_eq!(d[1], ("params".to_string(), "{}".to_string()));
            assert_eq!(d[2].0, "signature");
        }),
        ("remoteUploadAdd.200.json", |m| {
            let r: RemoteUploadAdded = record(m);
            assert_eq!(r.accepted[0].url, "http://google.com");
            assert_eq!(r.accepted[0].id, "46564421");
            assert!(r.rejected.is_empty());
        }),
        ("remoteUploadStatus.200.json", |m| {
            let u = shapes::remote_uploads(&m);
            assert_eq!(u.len(), 1);
            assert_eq!((u[0].state, u[0].progress), (RemoteState::Completed, Some(100.0)));
            assert_eq!(u[0].file_id.as_deref(), Some("27dddcb772fec"));
        }),
        ("getUrl.200.json", |m| {
            assert_eq!(
                shapes::url_answer(&m).unwrap(),
                UrlAnswer::Url("https://prx-214.keep2share.cc/6b50f2add0ba8/name=sometfile.txt".into())
            )
        }),
    ]
}

fn meta_cases() -> Vec<(&'static str, Check)> {
    fn meta(method: &str, m: Object) -> FileMeta {
        methods::meta_reply(method, "96a9d7445484c", m).unwrap()
    }
    vec![
        ("getFilesMeta.200.json", |m| {
            let p: MetaPage = record(m);
            assert_eq!(p.total, Some(1));
            let i = &p.items[0];
            assert_eq!(
                (i.file_id.as_str(), i.title.as_str()),
                ("96a9d7445484c", "Video file")
            );
            assert_eq!(i.tags.len(), 3);
            assert_eq!(i.actresses, vec!["Jennifer Aniston".to_string()]);
        }),
        ("createFileMeta.200.json", |m| {
            let f = meta("createFileMeta", m);
            assert_eq!((f.studio.as_str(), f.categories.len()), ("Universal Studio", 2));
        }),
        ("updateFileMeta.200.json", |m| {
            let f = meta("updateFileMeta", m);
            assert_eq!(f.actresses[1], "Kim Kardashian");
            assert_eq!(f.description, "Simple video file");
        }),
        ("copyFileMeta.200.json", |m| {
            let f = meta("copyFileMeta", m);
            assert_eq!(
                (f.file_id.as_str(), f.studio.as_str()),
                ("96a9d74454842", "Universal Pictures")
            );
        }),
        ("deleteFileMeta.200.json", |m| assert!(m.get("status").is_some())),
    ]
}

const FINAL: Recovery = Recovery::Final;
const RELOGIN: Recovery = Recovery::Relogin;
const CAPTCHA: Recovery = Recovery::Captcha;

/// Every method's 403 example is errorCode 10 "You are not authorized for this action".
const SESSION_403: &[&str] = &[
    "accountInfo",
    "getBalance",
    "getDomainsList",
    "resellerGetCode",
    "getFoldersList",
    "createFolder",
    "getFilesList",
    "getFilesInfo",
    "updateFiles",
    "deleteFiles",
    "findFile",
    "createFileByHash",
    "updateFile",
    "getUploadFormData",
    "remoteUploadAdd",
    "remoteUploadStatus",
    "getSubscriptions",
    "getFilesMeta",
    "createFileMeta",
    "updateFileMeta",
    "copyFileMeta",
    "deleteFileMeta",
];

/// Every method's 400 example is errorCode 2 "Invalid request params".
const INVALID_400: &[&str] = &[
    "login",
    "resellerGetCode",
    "createFolder",
    "getFilesList",
    "getFilesInfo",
    "updateFiles",
    "deleteFiles",
    "findFile",
    "createFileByHash",
    "getFileStatus",
    "updateFile",
    "getUploadFormData",
    "remoteUploadAdd",
    "remoteUploadStatus",
    "getUrl",
    "getSubscriptions",
    "getFilesMeta",
    "createFileMeta",
    "updateFileMeta",
    "copyFileMeta",
    "deleteFileMeta",
];

type ErrCase = (String, Option<i64>, Recovery, ErrCheck);

/// (file, errorCode, recovery, a further check).
fn error_cases() -> Vec<ErrCase> {
    let mut out: Vec<ErrCase> = Vec::new();
    for m in SESSION_403 {
        out.push((format!("{m}.403.json"), Some(10), RELOGIN, |e| {
            e.is_session_error()
        }));
    }
    for m in INVALID_400 {
        out.push((format!("{m}.400.json"), Some(2), FINAL, |e| e.is_invalid_params()));
    }
    out.extend(account_and_file_errors());
    out.extend(download_and_meta_errors());
    out
}

fn case(file: &str, code: Option<i64>, recovery: Recovery, check: ErrCheck) -> ErrCase {
    (file.to_string(), code, recovery, check)
}

fn account_and_file_errors() -> Vec<ErrCase> {
    vec![
        case("login.403.json", Some(77), FINAL, |e| {
            e.to_string().contains("banned")
        }),
        case("login.406.json", Some(33), CAPTCHA, |e| e.is_recaptcha_required()),
        case("reCaptcha.400.json", None, FINAL, |e| {
            e.to_string().contains("Id not found")
        }),
        case("resellerGetCode.406.json", Some(50), FINAL, |e| {
            e.to_string().contains("no reseller codes")
        }),
        case("createFolder.406.json", Some(60), FINAL, |e| {
            e.to_string().contains("could not be created")
        }),
        case("createFileByHash.406.json", Some(62), FINAL, |e| match e {
            ApiError::Api { errors, .. } => {
                errors.len() == 3 && e.to_string().contains("Destination directory")
            }
            _ => false,
        }),
        case("getFileStatus.406.json", Some(20), FINAL, |e| {
            e.is_not_available()
        }),
        case("updateFile.406.json", Some(63), FINAL, |e| {
            e.to_string().contains("could not be updated")
        }),
        case(
            "getUploadFormData.406.json",
            Some(63),
            Recovery::Retry { after: None },
            |e| e.to_string().contains("no upload node"),
        ),
        case("getSubscriptions.404.json", None, FINAL, |e| {
            matches!(e, ApiError::Api { http_status: 404, .. }) && e.to_string().contains("Domain not found")
        }),
    ]
}

fn download_and_meta_errors() -> Vec<ErrCase> {
    vec![
        case("getUrl.406.1.json", Some(30), CAPTCHA, |e| {
            e.is_captcha_required()
        }),
        case("getUrl.406.2.json", Some(21), FINAL, |e| match e {
            ApiError::Api { errors, .. } => errors.first().and_then(|s| s.code) == Some(1),
            _ => false,
        }),
        case("getFilesMeta.406.json", Some(60), FINAL, |e| {
            e.to_string().contains("could not be listed")
        }),
        case("createFileMeta.406.json", Some(60), FINAL, |e| {
            !e.is_invalid_params()
        }),
        case("updateFileMeta.404.json", Some(60), FINAL, |e| {
            e.to_string().contains("no metadata yet")
        }),
        case("updateFileMeta.406.json", Some(60), FINAL, |e| {
            e.to_string().contains("could not be updated")
        }),
        case("copyFileMeta.404.json", Some(3), FINAL, |e| {
            !e.is_invalid_params() && e.to_string().contains("source file")
        }),
        case("copyFileMeta.406.json", Some(60), FINAL, |e| {
            e.to_string().contains("could not be copied")
        }),
        case("deleteFileMeta.404.json", Some(60), FINAL, |e| {
            e.to_string().contains("has no metadata")
        }),
        case("deleteFileMeta.406.json", Some(60), FINAL, |e| {
            e.to_string().contains("could not be deleted")
        }),
    ]
}

fn success_cases() -> BTreeMap<&'static str, Check> {
    [
        account_cases(),
        folder_cases(),
        listing_cases(),
        transfer_cases(),
        meta_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn fixture_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/fixtures/reference")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_has_a_case_and_every_case_a_fixture() {
    let files = fixture_files();
    let ok = success_cases();
    let errs = error_cases();
    let known = |f: &String| ok.contains_key(f.as_str()) || errs.iter().any(|e| &e.0 == f);
    let no_case: Vec<&String> = files.iter().filter(|f| !known(f)).collect();
    assert!(no_case.is_empty(), "fixtures without a case: {no_case:?}");
    let cases = ok
        .keys()
        .map(|k| k.to_string())
        .chain(errs.iter().map(|e| e.0.clone()));
    let no_file: Vec<String> = cases.filter(|c| !files.contains(c)).collect();
    assert!(no_file.is_empty(), "cases without a fixture: {no_file:?}");
    assert_eq!(files.len(), 96, "the reference has 96 response examples");
}

#[test]
fn every_success_example_decodes() {
    for (file, check) in success_cases() {
        let body = std::fs::read(dir().join(file)).unwrap();
        let (method, status) = method_status(file);
        let map = envelope(&method, status, &body).unwrap_or_else(|e| panic!("{file}: {e}"));
        check(map);
    }
}

#[test]
fn every_error_example_is_an_api_error_with_its_code_and_recovery() {
    for (file, code, recovery, check) in error_cases() {
        let body = std::fs::read(dir().join(&file)).unwrap();
        let (method, status) = method_status(&file);
        let e = envelope(&method, status, &body).expect_err(&file);
        assert!(matches!(e, ApiError::Api { .. }), "{file}: {e:?}");
        assert_eq!(e.code(), code, "{file}");
        assert_eq!(e.recovery(), recovery, "{file}");
        assert!(check(&e), "{file}: {e}");
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn the_reference_free_key_form_is_an_answer() {
    // Field notes 25: the reference answers an accepted captcha with 406/41 carrying the key.
    let body = br#"{"status":"error","code":406,"errorCode":41,"message":"Need wait for free",
        "time_wait":"30","free_download_key":"fk123"}"#;
    let map = super::decode::envelope_accepting("getUrl", 406, body, shapes::is_free_key_envelope).unwrap();
    assert_eq!(
        shapes::url_answer(&map).unwrap(),
        UrlAnswer::FreeKey {
            free_download_key: "fk123".into(),
            time_wait: 30
        }
    );
    // Without a key it stays an error, waiting the server's time_wait.
    let body =
        br#"{"status":"error","code":406,"errorCode":41,"message":"Need wait for free","time_wait":12}"#;
    let e = super::decode::envelope_accepting("getUrl", 406, body, shapes::is_free_key_envelope).unwrap_err();
    assert!(e.is_free_wait());
    assert_eq!(
        e.recovery(),
        Recovery::Retry {
            after: Some(Duration::from_secs(12))
        }
    );
    assert!(e.to_string().contains("wait 12s"), "{e}");
}
