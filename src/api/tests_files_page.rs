//! getFilesList's pages read straight from the bytes give what the long way (a JSON tree, then
//! the lenient items) gives, for every quirk of the field notes; errors stay errors.

use super::decode::envelope;
use super::error::{ApiError, ErrorCode};
use super::files_page::files_page;
use super::shapes;
use super::types::FileItem;

fn long_way(body: &str) -> Vec<FileItem> {
    let m = envelope("getFilesList", 200, body.as_bytes()).unwrap();
    shapes::file_items(m.get("files"))
}

fn direct(body: &str) -> Vec<FileItem> {
    files_page("getFilesList", 200, body.as_bytes(), 100).unwrap()
}

const BODIES: &[&str] = &[
    r#"{"status":"success","code":200,"files":[
        {"id":"aaaaaaaaaaaaa","name":"a.txt","size":"2857","is_folder":0,"is_available":"1",
         "isAvailableForFree":1,"access":"public","date_created":"2019-01-01 00:00:01","md5":null},
        {"id":"bbbbbbbbbbbbb","name":null,"size":null,"is_folder":null,"is_available":null,"access":null}
    ]}"#,
    r#"{"status":"success","code":200,"files":[{
        "id":"da4a6352cb666","name":"Super video.mp4","size":479125093,"is_folder":false,
        "created_at":"2022-11-19T12:52:20.000Z","md5":"0123456789abcdef0123456789abcdef","parent_id":"p1",
        "extended_info":{"access":"public","content_type":"video/mp4","date_download_last":"2022-12-17 10:14:11",
          "size":"479125093","storage_object":"available","downloads":"7",
          "abuses":[{"type":"hash","projects":["k2s"],"blocked_to":"2020-01-01 00:00:01"}],
          "video_info":{"duration":"1692.473","format":"MPEG-4","height":1080,"is_streamable":1,"width":"1920"}}
    }]}"#,
    r#"{"status":"success","code":200,"files":[
        {"id":"aaaaaaaaaaaaa","name":"good.txt","size":{"weird":true},"date_created":"yesterday","access":"secret",
         "extended_info":"nope","video_info":[1,2],"unknown":{"deep":[1,{"x":null}]}},
        "not an object", 42, null, true, [1, 2],
        {"id":"ccccccccccccc","name":"also good.txt","size":10,"id":"ddddddddddddd"}
    ]}"#,
    r#"{"status":"success","code":200,"files":[{"id":"aaaaaaaaaaaaa","name":"=?utf-8?B?0J/RgNC40LLQtdGCLm1wNA==?="}]}"#,
    r#"{"status":"success","code":200,"files":{"id":"a1b2c","name":"one object","size":1.5e3,"is_folder":"true"}}"#,
    r#"{"status":"success","code":200,"files":[]}"#,
    r#"{"status":"success","code":200,"files":null}"#,
    r#"{"status":"success","code":200}"#,
    r#"{"files":[{"id":12345,"name":67890,"is_available":"yes","size":-1}],"status":"success","code":200}"#,
    // The reference's slips: read after the repair, the long way.
    r#"{"status":"success","code":200,"files":[{"id":"aaaaaaaaaaaaa","name":'quoted',}],}"#,
];

#[test]
fn straight_from_the_bytes_as_the_long_way() {
    for body in BODIES {
        assert_eq!(direct(body), long_way(body), "{body}");
    }
    let f = &direct(BODIES[2]);
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].id, "ddddddddddddd", "a repeated field takes its last value");
    assert_eq!(direct(BODIES[3])[0].name(), "Привет.mp4");
    assert_eq!(direct(BODIES[4])[0].size, Some(1500));
}

#[test]
fn error_envelopes_and_bodies_that_are_no_json_stay_errors() {
    let e = files_page(
        "getFilesList",
        400,
        br#"{"status":"error","code":400,"errorCode":3,"message":"Incorrect param value"}"#,
        100,
    )
    .unwrap_err();
    assert!(
        matches!(
            &e,
            ApiError::Api {
                http_status: 400,
                code: ErrorCode::Num(3),
                ..
            }
        ),
        "{e:?}"
    );
    let e = files_page(
        "getFilesList",
        200,
        br#"{"status":"success","files":[{"id":"#,
        100,
    )
    .unwrap_err();
    assert!(matches!(&e, ApiError::Decode { .. }), "{e:?}");
    let e = files_page(
        "getFilesList",
        502,
        b"<html><title>Bad Gateway</title></html>",
        100,
    )
    .unwrap_err();
    assert!(e.to_string().contains("Bad Gateway"), "{e}");
    let e = files_page("getFilesList", 200, br#"[{"id":"aaaaaaaaaaaaa"}]"#, 100).unwrap_err();
    assert!(matches!(&e, ApiError::Decode { .. }), "{e:?}");
}
