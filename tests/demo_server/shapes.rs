//! Every documented form: each helper here takes the shape and runs as two tests,
//! `<name>::reference` and `<name>::live`, checking the reference's letter or the field notes'
//! form (see the table in `src/demo/shapes.rs`).

use super::*;
use k2s::demo::{FREE_WAIT_SECS, FolderNames, Shapes};

/// Runs each `helper(shape)` as two tests: `helper::reference` and `helper::live`.
macro_rules! both_shapes {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn reference() {
                super::$name(k2s::demo::Shapes::Reference).await
            }
            #[tokio::test]
            async fn live() {
                super::$name(k2s::demo::Shapes::Live).await
            }
        }
    )*};
}

both_shapes!(
    folders_list_arrays,
    root_id_names_the_root,
    root_id_in_writes,
    free_download_key,
    session_expiry,
    wrong_login,
    remote_upload_forms,
    file_status_of_folders,
    numbers_booleans_dates,
    stray_400_changes_nothing,
    write_answers,
);

impl T {
    async fn shaped(shapes: Shapes) -> T {
        T::with(DemoOptions {
            shapes,
            ..Default::default()
        })
        .await
    }
    fn live(&self) -> bool {
        self.server.shapes() == Shapes::Live
    }
    /// A count or size as this shape sends it: a number, or its decimal string (live).
    fn num(&self, n: u64) -> Value {
        if self.live() {
            json!(n.to_string())
        } else {
            json!(n)
        }
    }
    /// A boolean of a file item as this shape sends it: true/false, or 1/0 (live).
    fn boolean(&self, b: bool) -> Value {
        if self.live() { json!(u8::from(b)) } else { json!(b) }
    }
}

/// Position of `id` in a list of ids.
fn at(ids: &[&str], id: &str) -> usize {
    ids.iter()
        .position(|x| *x == id)
        .unwrap_or_else(|| panic!("{id} listed in {ids:?}"))
}

async fn folders_list_arrays(shape: Shapes) {
    let t = T::shaped(shape).await;
    let v = t.ok_pt("getFoldersList", json!({})).await;
    let (fids, names) = (strs(&v["foldersIds"]), strs(&v["foldersList"]));
    let (pids, pnames) = (strs(&v["parentFoldersIds"]), strs(&v["parentFoldersList"]));
    assert!(fids.len() == names.len() && fids.len() == pids.len() && fids.len() == pnames.len());
    assert!(!fids.contains(&ids::ROOT), "the root itself is not listed");
    assert!(
        pids.iter().all(|p| p.len() == 13 && *p != "/"),
        "parent ids are real ids: {pids:?}"
    );
    let (top, nested) = (at(&fids, ids::TOP_ARCHIVE), at(&fids, ids::ARCHIVE));
    assert_eq!((pids[top], pnames[top]), (ids::ROOT, "/"));
    assert_eq!(pids[nested], ids::DOCUMENTS);
    let (archive, documents) = if t.live() {
        ("/Archive", "/Documents")
    } else {
        ("Archive", "Documents")
    };
    assert_eq!((names[top], names[nested]), (archive, archive));
    assert_eq!(pnames[nested], documents);
    assert_eq!(pids[at(&fids, ids::DOCS_PRIVATE)], ids::DOCUMENTS);
    for f in t.server.children("/").iter().filter(|f| f.is_folder) {
        assert_eq!(pids[at(&fids, &f.id)], ids::ROOT, "{}", f.name);
    }
    // The free account's folders hang under its own root id.
    let free = t.free().await;
    let v = t.ok("getFoldersList", json!({"auth_token": free})).await;
    let (fids, pids) = (strs(&v["foldersIds"]), strs(&v["parentFoldersIds"]));
    assert_eq!(pids[at(&fids, ids::FREE_PUBLIC)], ids::FREE_ROOT);
    assert_eq!(pids[at(&fids, ids::FREE_PUBLIC_SUB)], ids::FREE_PUBLIC);

    // Full paths as names.
    let t = T::with(DemoOptions {
        shapes: shape,
        folder_names: Some(FolderNames::Path),
        ..Default::default()
    })
    .await;
    let v = t.ok_pt("getFoldersList", json!({})).await;
    let (fids, names, pnames) = (
        strs(&v["foldersIds"]),
        strs(&v["foldersList"]),
        strs(&v["parentFoldersList"]),
    );
    assert_eq!(names[at(&fids, ids::ARCHIVE)], "/Documents/Archive");
    assert_eq!(names[at(&fids, ids::TOP_ARCHIVE)], "/Archive");
    assert_eq!(names[at(&fids, ids::MOVIES_2024)], "/Movies/2024");
    assert_eq!(pnames[at(&fids, ids::MOVIES_2024)], "/Movies");

    // Older servers: no parent arrays, the same folders.
    let t = T::with(DemoOptions {
        shapes: shape,
        no_parent_arrays: true,
        ..Default::default()
    })
    .await;
    let old = t.ok_pt("getFoldersList", json!({})).await;
    assert!(old.get("parentFoldersIds").is_none() && old.get("parentFoldersList").is_none());
    assert_eq!(strs(&old["foldersIds"]).len(), fids.len());
}

async fn root_id_names_the_root(shape: Shapes) {
    let t = T::shaped(shape).await;
    let list = |parent: Value| {
        let mut body = json!({"sort": {"name": 1}});
        if !parent.is_null() {
            body["parent"] = parent;
        }
        t.ok_pt("getFilesList", body)
    };
    let by_default = list(Value::Null).await;
    let (by_slash, by_id) = (list(json!("/")).await, list(json!(ids::ROOT)).await);
    let want = fields(&by_default["files"], "id");
    assert_eq!(fields(&by_slash["files"], "id"), want);
    assert_eq!(fields(&by_id["files"], "id"), want);
    assert_eq!(t.server.children(ids::ROOT), t.server.children("/"));
    let all = t.ok_pt("getFoldersList", json!({})).await;
    for parent in ["/", ids::ROOT] {
        let v = t.ok_pt("getFoldersList", json!({"parent_id": parent})).await;
        assert_eq!(v["foldersIds"], all["foldersIds"], "parent_id {parent}");
    }
    // Each account has its own root id; another account's is not a folder of ours.
    t.err_pt("getFilesList", json!({"parent": ids::FREE_ROOT}), 400, 3)
        .await;
    let free = t.free().await;
    let v = t
        .ok(
            "getFilesList",
            json!({"auth_token": free, "parent": ids::FREE_ROOT}),
        )
        .await;
    assert_eq!(v["files"].as_array().unwrap().len(), 3);
    t.err(
        "getFilesList",
        json!({"auth_token": free, "parent": ids::ROOT}),
        400,
        3,
    )
    .await;
}

async fn root_id_in_writes(shape: Shapes) {
    let t = T::shaped(shape).await;
    let v = t
        .ok_pt(
            "createFolder",
            json!({"name": "At the root", "parent": ids::ROOT}),
        )
        .await;
    let made = v["id"].as_str().unwrap().to_string();
    assert_eq!(t.server.file(&made).unwrap().parent_id, "/");
    t.ok_pt("updateFile", json!({"id": ids::REPORT, "new_parent": ids::ROOT}))
        .await;
    assert_eq!(t.server.file(ids::REPORT).unwrap().parent_id, "/");
    t.ok_pt(
        "updateFiles",
        json!({"ids": [ids::BUDGET], "new_parent": ids::ROOT}),
    )
    .await;
    assert_eq!(t.server.file(ids::BUDGET).unwrap().parent_id, "/");
    // Replies show the root's id as the parent, never "/".
    let v = t
        .ok_pt(
            "getFilesInfo",
            json!({"ids": [made, ids::REPORT, ids::README], "extended_info": true}),
        )
        .await;
    assert_eq!(fields(&v["files"], "parent_id"), [ids::ROOT; 3]);
    for parent in ["/", ids::ROOT] {
        let form = t.ok_pt("getUploadFormData", json!({"parent_id": parent})).await;
        let params: Value = serde_json::from_str(form["form_data"]["params"].as_str().unwrap()).unwrap();
        assert_eq!(params["parent_id"], ids::ROOT);
        let name = format!("root upload {}.bin", parent.len());
        let (s, v) = post_form(&t, &form, &name, b"to the root".to_vec()).await;
        assert_eq!(s, 200, "{v}");
        let f = t.server.file(v["user_file_id"].as_str().unwrap()).unwrap();
        assert_eq!(f.parent_id, "/");
    }
    let readme = t.server.file(ids::README).unwrap();
    let v = t
        .ok_pt(
            "createFileByHash",
            json!({"hash": readme.md5, "name": "by hash.txt", "parent": ids::ROOT}),
        )
        .await;
    assert_eq!(t.server.file(v["id"].as_str().unwrap()).unwrap().parent_id, "/");
}

async fn free_download_key(shape: Shapes) {
    let t = T::shaped(shape).await;
    let free = t.free().await;
    let req = json!({"auth_token": free, "file_id": ids::README});
    let c = t.ok("requestCaptcha", json!({})).await;
    let challenge = c["challenge"].as_str().unwrap().to_string();
    let mut solved = req.clone();
    solved["captcha_challenge"] = json!(challenge);
    solved["captcha_response"] = json!(t.server.captcha_answer(&challenge).unwrap());
    let v = if t.live() {
        let v = t.ok("getUrl", solved.clone()).await;
        assert_eq!(v["message"], "Captcha accepted, please wait");
        v
    } else {
        let v = t.err("getUrl", solved.clone(), 406, 41).await;
        assert_eq!(v["message"], "Need wait for free");
        v
    };
    assert_eq!(v["time_wait"], FREE_WAIT_SECS);
    let key = v["free_download_key"].as_str().unwrap().to_string();
    // A captcha works once.
    t.err("getUrl", solved, 406, 31).await;
    let mut with_key = req.clone();
    with_key["free_download_key"] = json!(key);
    let e = t.err("getUrl", with_key.clone(), 406, 41).await;
    assert!(
        e.get("free_download_key").is_none(),
        "waiting is not a new key: {e}"
    );
    tokio::time::sleep(Duration::from_millis(FREE_WAIT_SECS * 1000 + 200)).await;
    let url = t.download_url(with_key.clone()).await;
    let body = t.get(&url).await.bytes().await.unwrap();
    assert_eq!(md5_hex(&body), t.server.file(ids::README).unwrap().md5);
    t.err("getUrl", with_key, 406, 40).await;
}

async fn session_expiry(shape: Shapes) {
    let t = T::shaped(shape).await;
    let expired = if t.live() { 11 } else { 10 };
    let token = t.premium().await;
    t.ok("getFilesList", json!({"auth_token": token})).await;
    t.server.expire_sessions();
    t.err("accountInfo", json!({"auth_token": token}), 403, expired)
        .await;
    t.err("getFilesList", json!({"auth_token": token}), 403, expired)
        .await;
    // A token that never was a session is not an expired one.
    t.err("accountInfo", json!({"auth_token": "neverissued000"}), 403, 10)
        .await;
    t.err("accountInfo", json!({}), 403, 10).await;
    t.server.set_faults(Faults {
        token_ttl: Some(1),
        ..Default::default()
    });
    let fresh = t.premium().await;
    t.ok("accountInfo", json!({"auth_token": fresh})).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    t.err("accountInfo", json!({"auth_token": fresh}), 403, expired)
        .await;
    t.ok("accountInfo", json!({"access_token": pt()})).await;
}

async fn wrong_login(shape: Shapes) {
    let t = T::shaped(shape).await;
    let (http, code) = if t.live() { (406, 70) } else { (400, 2) };
    for (user, password) in [(accounts::PREMIUM_USER, "nope"), ("who@ever", "x")] {
        t.err(
            "login",
            json!({"username": user, "password": password}),
            http,
            code,
        )
        .await;
    }
    t.premium().await;
}

async fn remote_upload_forms(shape: Shapes) {
    let t = T::shaped(shape).await;
    let url = t.pt_url(ids::BEACH).await;
    let v = t
        .ok_pt("remoteUploadAdd", json!({"urls": [url, "ftp://example.com/x"]}))
        .await;
    let id = v["acceptedUrls"][0]["id"].as_str().unwrap().to_string();
    let rejected = &v["rejectedUrls"][0];
    let (field, not) = if t.live() {
        ("message", "error")
    } else {
        ("error", "message")
    };
    assert!(rejected[field].as_str().is_some(), "{rejected}");
    assert!(rejected.get(not).is_none(), "{rejected}");
    let status = || t.ok_pt("remoteUploadStatus", json!({"ids": [id]}));
    let item = |v: &Value| {
        if t.live() {
            assert!(v["uploads"].is_object(), "keyed by id: {v}");
            v["uploads"][id.as_str()].clone()
        } else {
            assert!(v["uploads"].is_array(), "an array: {v}");
            v["uploads"][0].clone()
        }
    };
    let first = item(&status().await);
    assert_eq!(
        first["status"],
        if t.live() { 5 } else { 1 },
        "not started: {first}"
    );
    assert!(first["file_id"].is_null());
    let deadline = Instant::now() + Duration::from_secs(30);
    let done = loop {
        let it = item(&status().await);
        if it["status"] == 3 || it["status"] == 4 {
            break it;
        }
        assert!(Instant::now() < deadline, "remote upload finishes: {it}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(done["status"], 3, "{done}");
    assert_eq!(done["progress"], t.num(100));
    let f = t.server.file(done["file_id"].as_str().unwrap()).unwrap();
    assert_eq!(f.md5, t.server.file(ids::BEACH).unwrap().md5);
}

async fn file_status_of_folders(shape: Shapes) {
    let t = T::shaped(shape).await;
    let names = ["More", "guide.pdf", "sunset.jpg"];
    // Another account's public folder, for the premium user and for anyone.
    for auth in [with_pt(json!({})), json!({})] {
        let mut body = auth.clone();
        body["id"] = json!(ids::FREE_PUBLIC);
        let v = t.ok("getFileStatus", body).await;
        assert_eq!(fields(&v["files"], "name"), names);
        assert_eq!(v["files"][0]["is_folder"], t.boolean(true));
        assert_eq!(v["files"][1]["id"], ids::FREE_PUBLIC_GUIDE);
        assert_eq!(v["files"][1]["size"], t.num(23_456));
    }
    let page = |limit: u64, offset: u64| {
        t.ok_pt(
            "getFileStatus",
            json!({"id": ids::FREE_PUBLIC, "limit": limit, "offset": offset}),
        )
    };
    let v = page(2, 1).await;
    assert_eq!(fields(&v["files"], "name"), &names[1..]);
    let v = page(1, 1).await;
    if t.live() {
        assert_eq!(fields(&v["files"], "name"), ["guide.pdf"]);
    } else {
        // The reference's example: a page of one item is that one object.
        assert_eq!(v["files"]["name"], "guide.pdf");
        assert_eq!(v["files"]["id"], ids::FREE_PUBLIC_GUIDE);
    }
    assert_eq!(page(10, 3).await["files"], json!([]));
    // getFilesList refuses another account's folder; getFileStatus refuses a non-public one.
    t.err_pt("getFilesList", json!({"parent": ids::FREE_PUBLIC}), 400, 3)
        .await;
    t.err_pt("getFileStatus", json!({"id": ids::FREE_FOLDER}), 406, 20)
        .await;
    t.err("getFileStatus", json!({"id": ids::FREE_FOLDER}), 406, 20)
        .await;
    // A file: its fields at the root, without an id.
    let v = t.ok("getFileStatus", json!({"id": ids::FREE_PUBLIC_GUIDE})).await;
    assert_eq!((v["name"].as_str(), v.get("id")), (Some("guide.pdf"), None));
    assert_eq!(v["size"], t.num(23_456));
    assert_eq!(v["isAvailableForFree"], t.boolean(true));
}

async fn numbers_booleans_dates(shape: Shapes) {
    let t = T::shaped(shape).await;
    let v = t
        .ok_pt(
            "getFilesList",
            json!({"parent": ids::MOVIES, "extended_info": true, "sort": {"name": 1}}),
        )
        .await;
    let (folder, bunny) = (&v["files"][0], &v["files"][1]);
    let f = t.server.file(ids::VIDEO_BUNNY).unwrap();
    assert_eq!(bunny["size"], t.num(f.size));
    assert_eq!(bunny["extended_info"]["size"], t.num(f.size));
    assert_eq!(bunny["extended_info"]["downloads"], t.num(42));
    assert_eq!(bunny["is_folder"], t.boolean(false));
    assert_eq!(bunny["is_available"], t.boolean(true));
    assert_eq!(folder["is_folder"], t.boolean(true));
    let date = bunny["date_created"].as_str().unwrap();
    if t.live() {
        assert!(
            date.len() == 24 && date.contains('T') && date.ends_with(".000Z"),
            "{date}"
        );
    } else {
        assert!(date.len() == 19 && date.contains(' '), "{date}");
    }
    let v = t.ok("getFilesInfo", json!({"ids": [ids::VIDEO_BUNNY]})).await;
    assert_eq!(v["files"][0]["size"], t.num(f.size));
    assert_eq!(v["files"][0]["is_folder"], t.boolean(false));
    let v = t.ok("getFileStatus", json!({"id": ids::VIDEO_BUNNY})).await;
    assert_eq!(v["size"], t.num(f.size));
    assert_eq!(v["video_info"]["is_streamable"], t.boolean(true));

    let v = t.ok_pt("accountInfo", json!({})).await;
    assert_eq!(v["available_traffic"], t.num(53_687_091_200));
    if t.live() {
        assert_eq!(v["account_expires"], 1_924_905_600, "unix seconds");
        assert_eq!(t.ok_pt("getBalance", json!({})).await["balance"], "12.50");
    } else {
        assert_eq!(v["account_expires"], "2030-12-31T00:00:00.000Z");
        assert_eq!(t.ok_pt("getBalance", json!({})).await["balance"], 12.5);
    }
    let free = t.free().await;
    let v = t.ok("accountInfo", json!({"auth_token": free})).await;
    assert_eq!(v["account_expires"], false);
    let v = t.ok_pt("deleteFiles", json!({"ids": [ids::NOTES]})).await;
    assert_eq!(v["deleted"], t.num(1));
    let folder_code = if t.live() { 23 } else { 20 };
    t.err_pt("getUrl", json!({"file_id": ids::MOVIES}), 406, folder_code)
        .await;
}

async fn stray_400_changes_nothing(shape: Shapes) {
    let t = T::with(DemoOptions {
        shapes: shape,
        faults: Faults {
            stray_400_rate: 1.0,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let code = if t.live() { 4 } else { 2 };
    let before = t.server.children("/");
    let calls = [
        ("createFolder", json!({"name": "stray folder"})),
        (
            "updateFile",
            json!({"id": ids::README, "new_name": "renamed.txt"}),
        ),
        ("deleteFiles", json!({"ids": [ids::NOTES]})),
        ("getFilesList", json!({})),
        ("getFoldersList", json!({})),
    ];
    for (method, body) in calls {
        let e = t.err_pt(method, body, 400, code).await;
        assert_eq!(e["message"], "Invalid request params");
    }
    t.err(
        "login",
        json!({"username": accounts::PREMIUM_USER, "password": accounts::PREMIUM_PASSWORD}),
        400,
        code,
    )
    .await;
    assert_eq!(t.server.children("/"), before, "faulted calls change nothing");
    // At half the calls: both answers, and exactly the answered calls took effect.
    t.server.set_faults(Faults {
        stray_400_rate: 0.5,
        ..Default::default()
    });
    let mut made = 0;
    for i in 0..40 {
        let (s, v) = t
            .call("createFolder", with_pt(json!({"name": format!("half {i:02}")})))
            .await;
        match s {
            201 => made += 1,
            400 => assert_eq!(v["errorCode"], code, "{v}"),
            _ => panic!("unexpected answer {s}: {v}"),
        }
    }
    assert!(made > 0 && made < 40, "{made} of 40 went through");
    let halves = t.server.children("/");
    assert_eq!(
        halves.iter().filter(|f| f.name.starts_with("half ")).count(),
        made
    );
    t.server.set_faults(Faults::default());
    t.ok_pt("getFilesList", json!({})).await;
}

async fn write_answers(shape: Shapes) {
    let t = T::shaped(shape).await;
    let v = t
        .ok_pt(
            "updateFiles",
            json!({"ids": [ids::TRACK1, "zzzzzzzzzzzzz"], "new_parent": ids::EMPTY}),
        )
        .await;
    assert_eq!(v["files"][0]["status"], "success");
    let failed = if t.live() { "error" } else { "success" };
    assert_eq!(v["files"][1]["status"], failed);
    assert_eq!(v["files"][1]["errors"], json!(["File not found"]));
    // The upload node's envelopes (field notes 8), in both shapes.
    let (s, v) = upload(&t, pt(), ids::ROOT, "node.bin", b"node answer".to_vec()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["success"].as_bool()),
        (Some("success"), Some(true))
    );
    assert_eq!(v["status_code"], 200);
    let id = v["user_file_id"].as_str().unwrap();
    assert_eq!(v["link"], format!("https://k2s.cc/file/{id}"));
    let form = t.ok_pt("getUploadFormData", json!({"parent_id": "/"})).await;
    let mut bad = form.clone();
    bad["form_data"]["signature"] = json!("0000");
    let (s, v) = post_form(&t, &bad, "bad.bin", b"x".to_vec()).await;
    assert_eq!(s, 400);
    assert_eq!(
        (v["name"].as_str(), v["status"].as_u64(), v["code"].as_u64()),
        (Some("Bad Request"), Some(400), Some(0))
    );
    // 201 and 202 success codes.
    let v = t.ok_pt("createFolder", json!({"name": "created"})).await;
    assert_eq!(v["code"], 201);
    let v = t
        .ok_pt(
            "updateFile",
            json!({"id": ids::README, "new_name": "README2.txt"}),
        )
        .await;
    assert_eq!(v["code"], 202);
}
