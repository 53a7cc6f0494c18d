//! Hand-written payloads for the type and shape quirks of the field notes: numbers as strings,
//! 0/1 booleans, nulls, both date forms, account_expires, getFoldersList, getFileStatus,
//! remoteUploadStatus, getUploadFormData, getUrl, one bad item in a list.

use super::decode::{Object, envelope};
use super::shapes;
use super::types::*;
use chrono::{TimeZone, Utc};

fn ok(body: &str) -> Object {
    envelope("test", 200, body.as_bytes()).unwrap()
}

fn date(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

#[test]
fn numbers_as_strings_booleans_as_01_and_nulls() {
    let m = ok(r#"{"status":"success","code":200,"files":[
        {"id":"aaaaaaaaaaaaa","name":"a.txt","size":"2857","is_folder":0,"is_available":"1",
         "isAvailableForFree":1,"access":"public","date_created":"2019-01-01 00:00:01","md5":null},
        {"id":"bbbbbbbbbbbbb","name":null,"size":null,"is_folder":null,"is_available":null,"access":null}
    ]}"#);
    let files = shapes::file_items(m.get("files"));
    assert_eq!(files.len(), 2);
    let a = &files[0];
    assert_eq!(a.size(), Some(2857));
    assert_eq!(a.is_folder, Some(false));
    assert_eq!(a.is_available, Some(true));
    assert_eq!(a.is_available_for_free, Some(true));
    assert_eq!(a.access(), Some(&Access::Public));
    assert_eq!(a.date_created, Some(date(2019, 1, 1, 0, 0, 1)));
    assert_eq!(a.md5, None);
    let b = &files[1];
    assert!(!b.exists());
    assert_eq!(b.size(), None);
}

#[test]
fn both_date_forms_and_extended_info() {
    let m = ok(r#"{"status":"success","code":200,"files":[{
        "id":"da4a6352cb666","name":"Super video.mp4","size":479125093,"is_folder":false,
        "created_at":"2022-11-19T12:52:20.000Z",
        "extended_info":{"access":"public","content_type":"video/mp4","date_download_last":"2022-12-17 10:14:11",
          "size":"479125093","storage_object":"available","downloads":"7",
          "abuses":[{"type":"hash","projects":["k2s"],"blocked_to":"2020-01-01 00:00:01"}],
          "video_info":{"duration":"1692.473","format":"MPEG-4","height":1080,"is_streamable":1,"width":"1920"}}
    }]}"#);
    let f = &shapes::file_items(m.get("files"))[0];
    assert_eq!(f.created(), Some(date(2022, 11, 19, 12, 52, 20)));
    assert_eq!(f.last_download(), Some(date(2022, 12, 17, 10, 14, 11)));
    assert_eq!(f.downloads(), Some(7));
    assert!(f.is_blocked());
    let v = f.video().unwrap();
    assert_eq!(
        (v.width, v.height, v.is_streamable),
        (Some(1920), Some(1080), Some(true))
    );
    assert!((v.duration.unwrap() - 1692.473).abs() < 1e-9);
}

#[test]
fn account_expires_false_unix_or_iso() {
    let never: AccountInfo = shapes::record(
        "accountInfo",
        ok(r#"{"status":"success","code":200,"available_traffic":"0","account_expires":false}"#),
    )
    .unwrap();
    assert_eq!(never.account_expires, None);
    assert_eq!(never.available_traffic, Some(0));
    let unix: AccountInfo = shapes::record(
        "accountInfo",
        ok(r#"{"status":"success","code":200,"available_traffic":53687091200,"account_expires":1650758400}"#),
    )
    .unwrap();
    assert_eq!(unix.account_expires, Some(date(2022, 4, 24, 0, 0, 0)));
    assert_eq!(unix.available_traffic, Some(53_687_091_200));
    let iso: AccountInfo = shapes::record(
        "accountInfo",
        ok(r#"{"status":"success","code":200,"available_traffic":1,"account_expires":"2022-04-24T00:00:00.000Z"}"#),
    )
    .unwrap();
    assert_eq!(iso.account_expires, unix.account_expires);
}

#[test]
fn one_bad_item_never_fails_a_listing() {
    let m = ok(r#"{"status":"success","code":200,"files":[
        {"id":"aaaaaaaaaaaaa","name":"good.txt","size":{"weird":true},"date_created":"yesterday","access":"secret",
         "extended_info":"nope","video_info":[1,2]},
        "not an object",
        42,
        {"id":"ccccccccccccc","name":"also good.txt","size":10}
    ]}"#);
    let files = shapes::file_items(m.get("files"));
    assert_eq!(
        files.iter().map(|f| f.name()).collect::<Vec<_>>(),
        vec!["good.txt", "also good.txt"]
    );
    assert_eq!(files[0].size(), None);
    assert_eq!(files[0].date_created, None);
    assert_eq!(files[0].access, None);
    assert_eq!(files[0].extended_info, None);
    // Lists elsewhere: metadata, subscriptions.
    let page: MetaPage = shapes::record(
        "getFilesMeta",
        ok(r#"{"status":"success","code":200,"total":"2","items":[
            {"file_id":"f1","title":"T","tags":["a",1,null],"categories":"single"}, true]}"#),
    )
    .unwrap();
    assert_eq!(page.total, Some(2));
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].tags, vec!["a", "1"]);
    assert_eq!(page.items[0].categories, vec!["single"]);
}

#[test]
fn rfc2047_names_in_listings() {
    let m = ok(
        r#"{"status":"success","code":200,"files":[{"id":"aaaaaaaaaaaaa","name":"=?utf-8?B?0J/RgNC40LLQtdGCLm1wNA==?="}]}"#,
    );
    assert_eq!(shapes::file_items(m.get("files"))[0].name(), "Привет.mp4");
    let m = ok(
        r#"{"status":"success","code":200,"foldersList":["/=?utf-8?Q?Fotos_=C3=A9t=C3=A9?="],"foldersIds":["f1"]}"#,
    );
    assert_eq!(shapes::folders_list(&m).folders[0].name, "Fotos été");
}

#[test]
fn folders_list_with_parent_arrays() {
    let m = ok(r#"{"status":"success","code":200,
        "foldersList":["/Movies","/2024","/Music"],
        "foldersIds":["m0000000000001","y0000000000001","u0000000000001"],
        "parentFoldersList":["/","/Movies","/"],
        "parentFoldersIds":["/","m0000000000001",null]}"#);
    let l = shapes::folders_list(&m);
    assert!(l.has_parents);
    assert_eq!(l.folders.len(), 3);
    assert_eq!(l.folders[0].name, "Movies");
    assert_eq!(l.folders[0].parent_id, None);
    assert_eq!(l.folders[1].name, "2024");
    assert_eq!(l.folders[1].parent_id.as_deref(), Some("m0000000000001"));
    assert_eq!(l.folders[1].parent_name.as_deref(), Some("Movies"));
    assert_eq!(l.folders[2].parent_id, None);
}

#[test]
fn folders_list_in_every_form_gives_the_same_tree() {
    use crate::folders::FolderTree;
    let with_parents = |names: &str| {
        format!(
            r#"{{"status":"success","code":200,"foldersList":{names},
            "foldersIds":["docs000000001","arch000000001","arch000000002"],
            "parentFoldersList":["/","/Documents","/"],
            "parentFoldersIds":["root000000001","docs000000001","root000000001"]}}"#
        )
    };
    let forms = [
        with_parents(r#"["Documents","Archive","Archive"]"#),
        with_parents(r#"["/Documents","/Archive","/Archive"]"#),
        with_parents(r#"["/Documents","/Documents/Archive","/Archive"]"#),
        // No parent arrays, full paths.
        r#"{"status":"success","code":200,"foldersList":["/Documents","/Documents/Archive","/Archive"],
            "foldersIds":["docs000000001","arch000000001","arch000000002"]}"#
            .to_string(),
    ];
    for (i, body) in forms.iter().enumerate() {
        let t = FolderTree::from_list(&shapes::folders_list(&ok(body)));
        assert!(t.hierarchical, "form {i}");
        assert_eq!(
            t.path_of("arch000000001").as_deref(),
            Some("/Documents/Archive"),
            "form {i}"
        );
        assert_eq!(
            t.id_of_path("/Archive").as_deref(),
            Some("arch000000002"),
            "form {i}"
        );
        assert_eq!(
            t.id_of_path("/Documents/Archive").as_deref(),
            Some("arch000000001"),
            "form {i}"
        );
        let root = (i < 3).then_some("root000000001");
        assert_eq!(t.root_id(), root, "form {i}");
    }
}

#[test]
fn folders_list_without_parent_arrays_and_unequal_lengths() {
    let m = ok(
        r#"{"status":"success","code":200,"foldersList":["test","/simple"],"foldersIds":["5432a01230d2b","1632a04bb0d2a"]}"#,
    );
    let l = shapes::folders_list(&m);
    assert!(!l.has_parents);
    assert_eq!(
        l.folders.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        vec!["test", "simple"]
    );
    assert!(l.folders.iter().all(|f| f.parent_id.is_none()));

    // More names than ids, a null id, fewer parents than ids: no panic, ids decide.
    let m = ok(
        r#"{"status":"success","code":200,"foldersList":["/a","/b","/c","/d"],
        "foldersIds":["ida",null,"idc"],"parentFoldersIds":["idc"]}"#,
    );
    let l = shapes::folders_list(&m);
    assert_eq!(
        l.folders
            .iter()
            .map(|f| (f.id.as_str(), f.name.as_str()))
            .collect::<Vec<_>>(),
        vec![("ida", "a"), ("idc", "c")]
    );
    assert_eq!(l.folders[0].parent_id.as_deref(), Some("idc"));
    assert_eq!(l.folders[1].parent_id, None);
    // Fewer names than ids.
    let m = ok(r#"{"status":"success","code":200,"foldersList":[],"foldersIds":["ida"]}"#);
    assert_eq!(shapes::folders_list(&m).folders[0].name, "");
    // Nothing at all.
    assert!(
        shapes::folders_list(&ok(r#"{"status":"success","code":200}"#))
            .folders
            .is_empty()
    );
}

#[test]
fn file_status_of_a_file_has_no_id() {
    let m = ok(
        r#"{"status":"success","code":200,"access":"premium","isAvailableForFree":false,"is_available":true,
        "is_folder":false,"name":"test.mp4","size":7777777,"date_created":"2019-01-01 00:00:01",
        "video_info":{"duration":5392.92,"format":"MPEG-4","width":768,"height":1024,"is_streamable":true}}"#,
    );
    let FileStatus::File(f) = shapes::file_status("96a9d7445484c", m) else {
        panic!("not a file")
    };
    assert_eq!(f.id, "96a9d7445484c");
    assert_eq!(f.access(), Some(&Access::Premium));
    assert_eq!(f.size(), Some(7_777_777));
    assert_eq!(f.video().and_then(|v| v.width), Some(768));
}

#[test]
fn file_status_of_a_folder_files_as_object_or_list() {
    let one = ok(
        r#"{"status":"success","code":200,"files":{"id":"1632a04bb0d2b","access":"public","name":"test.mp4",
        "is_available":true,"is_folder":false,"size":1024}}"#,
    );
    let FileStatus::Folder(items) = shapes::file_status("folder", one) else {
        panic!("not a folder")
    };
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, "1632a04bb0d2b");
    let list = ok(
        r#"{"status":"success","code":200,"files":[{"id":"a","name":"x"},{"id":"b","name":"y","size":"5"}]}"#,
    );
    let FileStatus::Folder(items) = shapes::file_status("folder", list) else {
        panic!("not a folder")
    };
    assert_eq!(
        items.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        vec!["a", "b"]
    );
    let empty = ok(r#"{"status":"success","code":200,"files":[]}"#);
    assert_eq!(shapes::file_status("folder", empty), FileStatus::Folder(vec![]));
}

#[test]
fn remote_upload_status_list_or_keyed_object() {
    let list = ok(
        r#"{"status":"success","code":200,"uploads":[{"status":3,"progress":100,"file_id":"27dddcb772fec"}]}"#,
    );
    let u = shapes::remote_uploads(&list);
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].state, RemoteState::Completed);
    assert_eq!(u[0].progress, Some(100.0));
    assert_eq!(u[0].file_id.as_deref(), Some("27dddcb772fec"));
    assert_eq!(u[0].id, None);

    let keyed = ok(r#"{"status":"success","code":200,"uploads":{
        "46564421":{"status":"2","progress":"42.5","file_id":null},
        "46564422":{"status":4,"progress":0,"file_id":null,"message":"Host not allowed"}}}"#);
    let mut u = shapes::remote_uploads(&keyed);
    u.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(u[0].id.as_deref(), Some("46564421"));
    assert_eq!(u[0].state, RemoteState::Processing);
    assert_eq!(u[0].progress, Some(42.5));
    assert_eq!(u[0].file_id, None);
    assert_eq!(u[1].state, RemoteState::Error);
    assert!(u[1].state.is_final());
    assert_eq!(u[1].message.as_deref(), Some("Host not allowed"));
    // An id inside a list item; an unknown status code.
    let m = ok(r#"{"status":"success","code":200,"uploads":[{"id":7,"status":9}, "junk"]}"#);
    let u = shapes::remote_uploads(&m);
    assert_eq!(
        (u[0].id.as_deref(), u[0].state),
        (Some("7"), RemoteState::Unknown(9))
    );
    assert_eq!(u.len(), 1);
}

#[test]
fn remote_upload_add_reply() {
    let r: RemoteUploadAdded = shapes::record(
        "remoteUploadAdd",
        ok(
            r#"{"status":"success","code":200,"acceptedUrls":[{"url":"http://a/x","id":46564421}],
            "rejectedUrls":[{"url":"ftp://b","message":"Bad scheme"}]}"#,
        ),
    )
    .unwrap();
    assert_eq!(r.accepted[0].id, "46564421");
    assert_eq!(r.rejected[0].message.as_deref(), Some("Bad scheme"));
}

#[test]
fn rejected_urls_give_their_reason_as_message_or_error() {
    let r: RemoteUploadAdded = shapes::record(
        "remoteUploadAdd",
        ok(
            r#"{"status":"success","code":200,"acceptedUrls":[],"rejectedUrls":[
            {"url":"ftp://a","error":"Bad scheme"},
            {"url":"http://b","message":"","error":"Not found"},
            {"url":"http://c","message":"Too big","error":"ignored"},
            {"url":"http://d","error":["one","two"]},
            {"url":"http://e","error":{"message":"nested"}},
            {"url":"http://f","error":null},
            "http://g",
            {"url":"http://h","message":5}
        ]}"#,
        ),
    )
    .unwrap();
    let got: Vec<(&str, Option<&str>)> = r
        .rejected
        .iter()
        .map(|u| (u.url.as_str(), u.message.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("ftp://a", Some("Bad scheme")),
            ("http://b", Some("Not found")),
            ("http://c", Some("Too big")),
            ("http://d", Some("one; two")),
            ("http://e", Some("nested")),
            ("http://f", None),
            ("http://g", None),
            ("http://h", Some("5")),
        ]
    );
}

#[test]
fn upload_form_values_become_text() {
    let m = ok(
        r#"{"status":"success","code":200,"form_action":"http://file-api-26.keep2share.cc:8000/upload",
        "file_field":"file","form_data":{"ajax":true,"params":"{}","signature":"264567c43b813fce606d5a390b71","n":5,"z":null}}"#,
    );
    let f = shapes::upload_form(&m).unwrap();
    assert_eq!(f.form_action, "http://file-api-26.keep2share.cc:8000/upload");
    assert_eq!(f.file_field, "file");
    let mut d = f.form_data.clone();
    d.sort();
    assert_eq!(
        d,
        vec![
            ("ajax".to_string(), "true".to_string()),
            ("n".into(), "5".into()),
            ("params".into(), "{}".into()),
            ("signature".into(), "264567c43b813fce606d5a390b71".into()),
        ]
    );
    // No file_field: "file". No form_action: a decode error.
    let f = shapes::upload_form(&ok(
        r#"{"status":"success","form_action":"http://h/upload","form_data":{}}"#,
    ))
    .unwrap();
    assert_eq!(f.file_field, "file");
    assert!(shapes::upload_form(&ok(r#"{"status":"success","file_field":"file"}"#)).is_err());
}

#[test]
fn get_url_answers() {
    let u = shapes::url_answer(&ok(
        r#"{"status":"success","code":200,"url":"https://prx-214.keep2share.cc/x?name=a.txt"}"#,
    ));
    assert_eq!(
        u.unwrap(),
        UrlAnswer::Url("https://prx-214.keep2share.cc/x?name=a.txt".into())
    );
    let k = shapes::url_answer(&ok(
        r#"{"status":"success","code":200,"free_download_key":"k123","time_wait":"30"}"#,
    ));
    assert_eq!(
        k.unwrap(),
        UrlAnswer::FreeKey {
            free_download_key: "k123".into(),
            time_wait: 30
        }
    );
    assert!(shapes::url_answer(&ok(r#"{"status":"success","code":200}"#)).is_err());
}

#[test]
fn small_records() {
    let b: Balance = shapes::record("getBalance", ok(r#"{"status":"success","balance":"0.20"}"#)).unwrap();
    assert_eq!(b.balance, Some(0.2));
    let d: DomainsList = shapes::record(
        "getDomainsList",
        ok(r#"{"status":"success","domains":["k2s.cc","keep2share.cc"]}"#),
    )
    .unwrap();
    assert_eq!(d.domains.len(), 2);
    let r: ResellerCode = shapes::record(
        "resellerGetCode",
        ok(r#"{"status":"success","code_id":1,"reseller_code":"mt2dr45tlnev","balance":0.1}"#),
    )
    .unwrap();
    assert_eq!(r.code_id.as_deref(), Some("1"));
    let s: Subscriptions = shapes::record(
        "getSubscriptions",
        ok(r#"{"status":"success","total":10,"items":[{"userEmail":"u@t","domainName":"t.t","expiresAt":"2021-08-25T15:23:15.000Z"}]}"#),
    )
    .unwrap();
    assert_eq!(s.items[0].expires_at, Some(date(2021, 8, 25, 15, 23, 15)));
    let c: Captcha = shapes::record(
        "requestReCaptcha",
        ok(r#"{"status":"success","challenge":"9c726b3ce8b34","captcha_url":"http://keep2share.cc/api/v2/reCaptcha.html?id=9c726b3ce8b34"}"#),
    )
    .unwrap();
    assert_eq!(c.challenge, "9c726b3ce8b34");
    let u: Vec<UpdateItem> = super::lenient::values_to_vec(serde_json::json!([
        {"id":"0632a04bb0d21","status":"success","errors":[]},
        {"id":"0632a04bb0d22","status":"success","errors":["Limit files in specified folder reached"]}
    ]));
    assert!(u[0].ok() && !u[1].ok());
}
