//! Every method of the API client against the demo server (k2s::demo::DemoServer).

mod common;

use k2s::api::*;
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, accounts, ids};
use md5::{Digest, Md5};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const UNKNOWN_ID: &str = "zzzzzzzzzzzzz";

async fn demo() -> DemoServer {
    demo_with(Faults::default()).await
}

/// The demo server answering in `shapes`.
async fn demo_in(shapes: Shapes) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server starts")
}

async fn demo_with(faults: Faults) -> DemoServer {
    DemoServer::start(DemoOptions {
        faults,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server starts")
}

fn config(url: &str) -> ClientConfig {
    ClientConfig {
        base_url: url.to_string(),
        timeout: Duration::from_secs(20),
        requests_per_second: 200,
        ..ClientConfig::default()
    }
}

/// The partner token: acts on the premium account.
fn partner(d: &DemoServer) -> Client {
    let creds = Credentials {
        access_token: Some(accounts::PARTNER_TOKEN.into()),
        ..Credentials::default()
    };
    Client::new(ClientConfig {
        credentials: creds,
        ..config(&d.api_url())
    })
    .unwrap()
}

fn user_client(d: &DemoServer, user: &str, password: Option<&str>, session: Option<&Path>) -> Client {
    let creds = Credentials {
        access_token: None,
        username: Some(user.into()),
        password: password.map(str::to_string),
    };
    Client::new(ClientConfig {
        credentials: creds,
        session_file: session.map(Path::to_path_buf),
        ..config(&d.api_url())
    })
    .unwrap()
}

fn login_req(user: &str, password: &str) -> LoginRequest {
    LoginRequest {
        username: user.into(),
        password: password.into(),
        ..LoginRequest::default()
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    hex::encode(Md5::digest(bytes))
}

fn cached_token(path: &Path) -> String {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["auth_token"].as_str().unwrap().to_string()
}

shaped! {
    async fn login_caches_a_private_token_and_logs_in_again_after_expiry(shape) {
        let d = demo_in(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("session.json");
        let c = user_client(
            &d,
            accounts::PREMIUM_USER,
            Some(accounts::PREMIUM_PASSWORD),
            Some(&file),
        );
        c.login(&login_req(accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD))
            .await
            .unwrap();
        assert!(c.has_credentials());

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains(accounts::PREMIUM_PASSWORD),
            "the password is never stored"
        );
        assert!(
            text.contains(&d.api_url()) && text.contains(accounts::PREMIUM_USER),
            "{text}"
        );
        let first = cached_token(&file);
        for shown in [format!("{c:?}"), format!("{c:#?}")] {
            assert!(!shown.contains(&first), "Debug shows the token: {shown}");
            assert!(!shown.contains(accounts::PREMIUM_PASSWORD));
        }
        assert!(c.account_info().await.unwrap().account_expires.is_some());

        // A new process: the cached token is used, no login.
        let logins = d.calls("login");
        let c2 = user_client(&d, accounts::PREMIUM_USER, None, Some(&file));
        assert!(c2.has_credentials());
        assert!(c2.get_balance().await.unwrap().balance.is_some());
        assert_eq!(d.calls("login"), logins);

        // Sessions end: the client that knows the password logs in once, even for parallel calls.
        d.expire_sessions();
        let calls: Vec<_> = (0..4).map(|_| c.account_info()).collect();
        for r in futures::future::join_all(calls).await {
            r.unwrap();
        }
        assert_eq!(d.calls("login"), logins + 1);
        let second = cached_token(&file);
        assert_ne!(first, second, "the new token is cached");

        // The one without a password gets a clear "log in again" error.
        d.expire_sessions();
        let e = c2.account_info().await.unwrap_err();
        assert!(e.needs_login(), "{e}");
        let expired = match shape {
            Shapes::Reference => 10,
            Shapes::Live => 11,
        };
        assert_eq!(e.code(), Some(expired));

        c.logout().unwrap();
        assert!(!file.exists());
        assert!(!c.has_credentials());
        c.logout().unwrap();
    }
}

#[tokio::test]
async fn the_token_cache_belongs_to_one_server() {
    let d = demo().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.json");
    session_file::save(
        &file,
        "some-token",
        Some(accounts::PREMIUM_USER),
        "http://127.0.0.1:1/api/v2",
    )
    .unwrap();
    let c = user_client(&d, accounts::PREMIUM_USER, None, Some(&file));
    assert!(!c.has_credentials(), "a token for another base URL is not used");
}

shaped! {
    /// Reference: 400 errorCode 2 (its login table has no other answer for it); live: 406 / 70.
    /// Either way a clear, final error, never retried (repeats count towards a lock-out).
    async fn wrong_password_is_a_clear_final_error_and_stores_nothing(shape) {
        let d = demo_in(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("session.json");
        let c = user_client(&d, accounts::PREMIUM_USER, None, Some(&file));
        let e = c
            .login(&login_req(accounts::PREMIUM_USER, "not-the-password"))
            .await
            .unwrap_err();
        let (status, code) = match shape {
            Shapes::Reference => (400, 2),
            Shapes::Live => (406, 70),
        };
        assert!(matches!(&e, ApiError::Api { http_status, .. } if *http_status == status), "{e:?}");
        assert_eq!(e.code(), Some(code));
        assert!(e.to_string().contains("wrong") && e.to_string().contains("password"), "{e}");
        assert_eq!(e.recovery(), Recovery::Final);
        assert!(!file.exists());
        assert!(!c.has_credentials());
        assert_eq!(d.calls("login"), 1, "a login is not retried");
    }
}

shaped! {
    async fn recaptcha_login_flow(shape) {
        let d = demo_in(shape).await;
        let c = user_client(&d, accounts::RECAPTCHA_USER, None, None);
        let e = c
            .login(&login_req(accounts::RECAPTCHA_USER, accounts::RECAPTCHA_PASSWORD))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(33));
        assert!(e.needs_captcha());

        let cap = c.request_recaptcha().await.unwrap();
        assert!(!cap.challenge.is_empty());
        let page_url = c.recaptcha_page_url(&cap.challenge);
        assert_eq!(
            page_url,
            format!("{}/reCaptcha.html?id={}", d.api_url(), cap.challenge)
        );
        let page = c.http().get(&page_url).send().await.unwrap();
        assert!(page.status().is_success());
        let answer = d
            .recaptcha_answer(&cap.challenge)
            .expect("the server knows the answer");
        assert!(page.text().await.unwrap().contains(&answer));

        let mut req = login_req(accounts::RECAPTCHA_USER, accounts::RECAPTCHA_PASSWORD);
        req.re_captcha_challenge = Some(cap.challenge.clone());
        req.re_captcha_response = Some(answer);
        c.login(&req).await.unwrap();
        assert!(c.has_credentials());
        let files = c.get_files_list(&ListFiles::default()).await.unwrap();
        assert!(
            files
                .iter()
                .any(|f| f.id == ids::CAPTCHA_FILE || f.name() == "hello.txt"),
            "{files:?}"
        );
    }
}

shaped! {
    async fn free_user_download_needs_captcha_wait_and_key(shape) {
        let d = demo_in(shape).await;
        let c = user_client(&d, accounts::FREE_USER, None, None);
        c.login(&login_req(accounts::FREE_USER, accounts::FREE_PASSWORD))
            .await
            .unwrap();
        let get = GetUrl {
            file_id: ids::README.into(),
            ..GetUrl::default()
        };
        let e = c.get_url(&get).await.unwrap_err();
        assert_eq!(e.code(), Some(30));
        assert!(e.needs_captcha());

        // A wrong answer first.
        let cap = c.request_captcha().await.unwrap();
        let wrong = GetUrl {
            captcha_challenge: Some(cap.challenge.clone()),
            captcha_response: Some("WRONG1".into()),
            ..get.clone()
        };
        assert_eq!(c.get_url(&wrong).await.unwrap_err().code(), Some(31));

        let cap = c.request_captcha().await.unwrap();
        let image = c.captcha_image(&cap.challenge).await.unwrap();
        assert!(image.starts_with(b"\x89PNG"), "a PNG image");
        let answer = d.captcha_answer(&cap.challenge).unwrap();
        let solved = GetUrl {
            captcha_challenge: Some(cap.challenge),
            captcha_response: Some(answer),
            ..get.clone()
        };
        let UrlAnswer::FreeKey {
            free_download_key,
            time_wait,
        } = c.get_url(&solved).await.unwrap()
        else {
            panic!("expected a free download key")
        };
        assert!(time_wait > 0);
        let with_key = GetUrl {
            free_download_key: Some(free_download_key),
            ..get.clone()
        };
        let early = c.get_url(&with_key).await.unwrap_err();
        assert_eq!(early.code(), Some(41));
        assert!(
            matches!(early.recovery(), Recovery::Retry { after: Some(_) }),
            "{early:?}"
        );

        tokio::time::sleep(Duration::from_secs(time_wait) + Duration::from_millis(300)).await;
        let UrlAnswer::Url(url) = c.get_url(&with_key).await.unwrap() else {
            panic!("expected a URL")
        };
        let body = c.http().get(&url).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(md5_hex(&body), d.file(ids::README).unwrap().md5);

        // A bad challenge gives an error, not a panic.
        assert!(c.captcha_image("nosuchchallenge").await.is_err());
    }
}

shaped! {
    async fn account_methods(shape) {
        let d = demo_in(shape).await;
        let c = partner(&d);
        assert!(c.has_credentials());
        assert!(c.test().await.unwrap().contains("successful"));
        let info = c.account_info().await.unwrap();
        assert!(info.available_traffic.is_some() && info.account_expires.is_some());
        assert!(c.get_balance().await.unwrap().balance.is_some());
        assert!(!c.get_domains_list().await.unwrap().domains.is_empty());
        let subs = c
            .get_subscriptions(accounts::SUBSCRIPTION_DOMAIN, Some(5), Some(0))
            .await
            .unwrap();
        assert!(!subs.items.is_empty() && subs.items.len() <= 5);
        let code = c.reseller_get_code(7, None, None).await.unwrap();
        assert!(code.reseller_code.is_some());
        let again = c.reseller_get_code(7, Some(true), None).await.unwrap();
        assert_eq!(again.reseller_code, code.reseller_code);
        // Anonymous calls work without credentials.
        let anon = Client::new(config(&d.api_url())).unwrap();
        assert!(!anon.has_credentials());
        assert!(!anon.test().await.unwrap().is_empty());
        let e = anon.account_info().await.unwrap_err();
        assert!(e.needs_login(), "{e}");
    }
}

shaped! {
    async fn listings_and_lookups(shape) {
        let d = demo_in(shape).await;
        let c = partner(&d);
        let folders = c.get_folders_list(None).await.unwrap();
        assert!(folders.has_parents);
        let y2024 = folders.folders.iter().find(|f| f.id == ids::MOVIES_2024).unwrap();
        assert_eq!(y2024.name, "2024");
        assert_eq!(y2024.parent_id.as_deref(), Some(ids::MOVIES));
        // The reference's letter: a top-level folder's parent is the root's own id...
        assert_eq!(
            folders
                .folders
                .iter()
                .find(|f| f.id == ids::MOVIES)
                .unwrap()
                .parent_id
                .as_deref(),
            Some(ids::ROOT)
        );
        // ...which the tree knows as the root.
        let tree = k2s::folders::FolderTree::from_list(&folders);
        assert_eq!(tree.parent(ids::MOVIES), Some("/"));
        assert_eq!(tree.root_id(), Some(ids::ROOT));
        assert_eq!(tree.path_of(ids::MOVIES_2024).as_deref(), Some("/Movies/2024"));
        let below = c.get_folders_list(Some(ids::MOVIES)).await.unwrap();
        assert!(below.folders.iter().any(|f| f.id == ids::MOVIES_2024));

        let root = c.get_files_list(&ListFiles::default()).await.unwrap();
        assert!(root.iter().any(|f| f.id == ids::README));
        let decoded = root.iter().find(|f| f.id == ids::RFC2047).unwrap();
        assert_eq!(decoded.name(), "Привет мир.txt");
        let req = ListFiles {
            parent: ids::MOVIES.into(),
            extended_info: true,
            sort: Some((SortField::Name, -1)),
            kind: Some(ListType::File),
            ..ListFiles::default()
        };
        let movies = c.get_files_list(&req).await.unwrap();
        assert!(movies.iter().all(|f| !f.is_folder()));
        let names: Vec<&str> = movies.iter().map(FileItem::name).collect();
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(names, sorted);
        assert!(movies.iter().find(|f| f.id == ids::BLOCKED).unwrap().is_blocked());

        let asked = vec![
            ids::VIDEO_BUNNY.to_string(),
            UNKNOWN_ID.to_string(),
            ids::README.to_string(),
        ];
        let info = c.get_files_info(&asked, true).await.unwrap();
        assert_eq!(
            info.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            asked.iter().map(String::as_str).collect::<Vec<_>>()
        );
        assert!(info[0].video().is_some_and(|v| v.width.is_some()));
        assert!(!info[1].exists());
        assert_eq!(info[2].size(), Some(d.file(ids::README).unwrap().size));

        let FileStatus::File(f) = c.get_file_status(ids::VIDEO_BUNNY, None, None).await.unwrap() else {
            panic!("a file")
        };
        assert_eq!(f.id, ids::VIDEO_BUNNY);
        assert!(f.video().is_some());
        let FileStatus::Folder(kids) = c.get_file_status(ids::MOVIES, Some(100), Some(0)).await.unwrap() else {
            panic!("a folder")
        };
        assert_eq!(
            kids.len(),
            d.children(ids::MOVIES)
                .iter()
                .filter(|k| k.access != "private")
                .count()
        );
        assert!(matches!(
            c.get_file_status(ids::MOVIES, None, None).await.unwrap(),
            FileStatus::Folder(_)
        ));

        assert!(c.find_file(&d.file(ids::VIDEO_BUNNY).unwrap().md5).await.unwrap());
        assert!(!c.find_file("00000000000000000000000000000000").await.unwrap());

        let meta = c
            .get_files_meta(&MetaQuery {
                file_ids: Some(vec![ids::VIDEO_BUNNY.into()]),
                ..MetaQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(meta.items.len(), 1);
        assert_eq!(meta.items[0].title, d.meta(ids::VIDEO_BUNNY).unwrap().title);
    }
}

shaped! {
    async fn unknown_ids_and_short_names_are_clear_errors_that_change_nothing(shape) {
        let d = demo_in(shape).await;
        let c = partner(&d);
        let e = c.get_file_status(UNKNOWN_ID, None, None).await.unwrap_err();
        assert_eq!(e.code(), Some(20));
        assert_eq!(e.recovery(), Recovery::Final);
        let e = c
            .get_url(&GetUrl {
                file_id: UNKNOWN_ID.into(),
                ..GetUrl::default()
            })
            .await
            .unwrap_err();
        assert!(e.to_string().contains("not found"), "{e}");
        let changes = FileChanges {
            new_name: Some("whatever.txt".into()),
            ..FileChanges::default()
        };
        assert!(c.update_file(UNKNOWN_ID, &changes).await.is_err());

        let before = d.children("/").len();
        let short = CreateFolder {
            name: "ab".into(),
            parent: "/".into(),
            access: None,
            is_public: None,
        };
        let e = c.create_folder(&short).await.unwrap_err();
        assert!(e.to_string().to_lowercase().contains("too short"), "{e}");
        assert_eq!(e.recovery(), Recovery::Final);
        assert_eq!(d.children("/").len(), before);
        assert_eq!(d.calls("createFolder"), 1);
        let rename = FileChanges {
            new_name: Some("x".into()),
            ..FileChanges::default()
        };
        assert!(c.update_file(ids::README, &rename).await.is_err());
        assert_eq!(d.file(ids::README).unwrap().name, "README.txt");
    }
}

shaped! {
    async fn folder_and_file_changes(shape) {
        let d = demo_in(shape).await;
        let c = partner(&d);
        let req = CreateFolder {
            name: "Projects".into(),
            parent: "/".into(),
            access: Some(Access::Public),
            is_public: None,
        };
        let created = c.create_folder(&req).await.unwrap();
        let folder = d.file(&created.id).unwrap();
        assert!(folder.is_folder && folder.name == "Projects" && folder.parent_id == "/");

        c.update_file(
            ids::NOTES,
            &FileChanges {
                new_name: Some("notes-2025.md".into()),
                ..FileChanges::default()
            },
        )
        .await
        .unwrap();
        let notes = d.file(ids::NOTES).unwrap();
        assert_eq!(notes.name, "notes-2025.md");
        assert_eq!(notes.parent_id, "/", "a rename does not move");

        let moved = vec![ids::BUDGET.to_string(), ids::CONTRACT.to_string()];
        let res = c
            .update_files(
                &moved,
                &FileChanges {
                    new_parent: Some(created.id.clone()),
                    ..FileChanges::default()
                },
            )
            .await
            .unwrap();
        assert!(res.iter().all(UpdateItem::ok), "{res:?}");
        assert_eq!(d.file(ids::BUDGET).unwrap().parent_id, created.id);
        let access = FileChanges {
            new_access: Some(Access::Premium),
            ..FileChanges::default()
        };
        c.update_files(&[ids::CONTRACT.to_string()], &access)
            .await
            .unwrap();
        assert_eq!(d.file(ids::CONTRACT).unwrap().access, "premium");

        let readme = d.file(ids::README).unwrap();
        let copy = c
            .create_file_by_hash(&CreateFileByHash {
                hash: readme.md5.clone(),
                name: "README copy.txt".into(),
                parent: Some(created.id.clone()),
                access: None,
            })
            .await
            .unwrap();
        let copied = d.file(&copy.id).unwrap();
        assert_eq!(
            (copied.md5.as_str(), copied.size, copied.parent_id.as_str()),
            (readme.md5.as_str(), readme.size, created.id.as_str())
        );

        assert_eq!(
            c.delete_files(&[copy.id.clone(), ids::BUDGET.to_string()])
                .await
                .unwrap(),
            2
        );
        assert!(d.file(&copy.id).is_none() && d.file(ids::BUDGET).is_none());
    }
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_still_counted() {
    let d = demo().await;
    let c = partner(&d);
    // deleteFiles takes effect, its answer is lost; the retry finds nothing left to delete.
    d.lose_next_answers("deleteFiles", 1);
    let n = c.delete_files(&[ids::BUDGET.to_string()]).await.unwrap();
    assert_eq!(n, 1, "the file is gone, so it was deleted");
    assert!(d.file(ids::BUDGET).is_none());
    assert_eq!(d.calls("deleteFiles"), 2, "retried once");
    // An id that never existed is not counted as deleted.
    let n = c
        .delete_files(&["nosuchfile00".to_string(), ids::CONTRACT.to_string()])
        .await;
    assert_eq!(n.unwrap(), 1);
    assert!(d.file(ids::CONTRACT).is_none());
}

#[tokio::test]
async fn metadata_methods() {
    let d = demo().await;
    let c = partner(&d);
    let meta = MetaPatch {
        title: Some("Quarterly budget".into()),
        tags: Some(vec!["finance".into(), "2024".into()]),
        ..MetaPatch::default()
    };
    let m = c.create_file_meta(ids::BUDGET, &meta).await.unwrap();
    assert_eq!(m.file_id, ids::BUDGET);
    assert_eq!(d.meta(ids::BUDGET).unwrap().title, "Quarterly budget");

    let patch = MetaPatch {
        description: Some("numbers".into()),
        tags: Some(vec![]),
        ..MetaPatch::default()
    };
    let m = c.update_file_meta(ids::BUDGET, &patch).await.unwrap();
    assert_eq!(m.title, "Quarterly budget", "an omitted field is unchanged");
    let server = d.meta(ids::BUDGET).unwrap();
    assert_eq!(server.description, "numbers");
    assert!(server.tags.is_empty(), "an empty list clears");

    let copied = c.copy_file_meta(ids::BUDGET, ids::CONTRACT).await.unwrap();
    assert_eq!(copied.title, "Quarterly budget");
    assert_eq!(d.meta(ids::CONTRACT).unwrap().description, "numbers");

    c.delete_file_meta(ids::CONTRACT).await.unwrap();
    assert!(d.meta(ids::CONTRACT).is_none());
    let e = c.delete_file_meta(ids::CONTRACT).await.unwrap_err();
    assert!(matches!(e, ApiError::Api { .. }), "{e:?}");
}

shaped! {
    async fn upload_streams_the_file_with_progress(shape) {
        let d = demo_in(shape).await;
        let c = partner(&d);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("local name.bin");
        let data: Vec<u8> = (0..3_000_123u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&path, &data).unwrap();

        let form = c.get_upload_form_data(ids::DOCUMENTS).await.unwrap();
        assert!(!form.form_data.is_empty());
        let seen = Arc::new(AtomicU64::new(0));
        let calls = Arc::new(AtomicU64::new(0));
        let (s2, c2) = (seen.clone(), calls.clone());
        let progress: Arc<dyn Fn(u64) + Send + Sync> = Arc::new(move |n| {
            assert!(n >= s2.load(Ordering::SeqCst), "progress never goes back");
            s2.store(n, Ordering::SeqCst);
            c2.fetch_add(1, Ordering::SeqCst);
        });
        let res = c
            .upload_file(&form, &path, "uploaded ünïcode.bin", progress)
            .await
            .unwrap();
        assert_eq!(seen.load(Ordering::SeqCst), data.len() as u64);
        assert!(
            calls.load(Ordering::SeqCst) > 1,
            "progress is reported along the way"
        );
        let stored = d.file(&res.user_file_id).expect("the file is on the server");
        assert_eq!(stored.md5, md5_hex(&data));
        assert_eq!(stored.size, data.len() as u64);
        assert_eq!(stored.name, "uploaded ünïcode.bin");
        assert_eq!(stored.parent_id, ids::DOCUMENTS);
        assert!(res.link.unwrap_or_default().contains(&res.user_file_id));

        // The form is single-use: the node's own error envelope.
        let e = c
            .upload_file(&form, &path, "again.bin", Arc::new(|_| {}))
            .await
            .unwrap_err();
        assert!(matches!(&e, ApiError::Upload { http_status: 400, .. }), "{e:?}");
        assert!(!e.to_string().is_empty());

        // A missing local file is a local error.
        let fresh = c.get_upload_form_data("/").await.unwrap();
        let e = c
            .upload_file(&fresh, &dir.path().join("nope"), "nope", Arc::new(|_| {}))
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Local(_)), "{e:?}");
    }
}

shaped! {
    async fn remote_upload_from_a_loopback_url(shape) {
        let d = demo_in(shape).await;
        let c = partner(&d);
        let UrlAnswer::Url(url) = c
            .get_url(&GetUrl {
                file_id: ids::README.into(),
                ..GetUrl::default()
            })
            .await
            .unwrap()
        else {
            panic!("premium gets a URL")
        };
        let added = c
            .remote_upload_add(&[url, "ftp://example.invalid/x".into()])
            .await
            .unwrap();
        assert_eq!(added.accepted.len(), 1);
        assert_eq!(added.rejected.len(), 1);
        let id = added.accepted[0].id.clone();
        let deadline = Instant::now() + Duration::from_secs(30);
        let done = loop {
            let st = c.remote_upload_status(std::slice::from_ref(&id)).await.unwrap();
            assert_eq!(st.len(), 1);
            if st[0].state.is_final() {
                break st[0].clone();
            }
            assert!(Instant::now() < deadline, "remote upload did not finish");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(done.state, RemoteState::Completed, "{done:?}");
        let file_id = done.file_id.expect("a file id when completed");
        assert_eq!(d.file(&file_id).unwrap().md5, d.file(ids::README).unwrap().md5);
    }
}

#[tokio::test]
async fn reads_survive_a_server_failing_a_fifth_of_calls() {
    let d = demo_with(Faults {
        fail_rate: 0.2,
        ..Faults::default()
    })
    .await;
    let c = Client::new(ClientConfig {
        credentials: Credentials {
            access_token: Some(accounts::PARTNER_TOKEN.into()),
            ..Credentials::default()
        },
        max_retries: 10,
        ..config(&d.api_url())
    })
    .unwrap();
    for _ in 0..8 {
        c.test().await.unwrap();
        c.account_info().await.unwrap();
        c.get_folders_list(None).await.unwrap();
        assert!(!c.get_files_list(&ListFiles::default()).await.unwrap().is_empty());
        c.get_files_info(&[ids::README.to_string()], true).await.unwrap();
        c.get_file_status(ids::VIDEO_BUNNY, None, None).await.unwrap();
    }
    // Writes are attempted once: either done or a clear error, never a panic.
    for i in 0..5 {
        let req = CreateFolder {
            name: format!("flaky {i}"),
            parent: "/".into(),
            access: None,
            is_public: None,
        };
        if let Err(e) = c.create_folder(&req).await {
            assert!(!e.to_string().is_empty());
        }
    }
    // Every call fails: a write is sent exactly once.
    d.set_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    });
    let before = d.calls("createFolder");
    let req = CreateFolder {
        name: "never".into(),
        parent: "/".into(),
        access: None,
        is_public: None,
    };
    let e = c.create_folder(&req).await.unwrap_err();
    assert!(e.is_retryable(), "{e}");
    assert_eq!(d.calls("createFolder"), before + 1);
    assert!(d.find_by_name("never").is_empty());
}

#[tokio::test]
async fn bursts_of_429_are_waited_out() {
    let d = demo_with(Faults {
        burst_429: Some(2),
        ..Faults::default()
    })
    .await;
    let c = partner(&d);
    for _ in 0..4 {
        c.get_balance().await.unwrap();
    }
    assert!(
        d.calls("getBalance") > 4,
        "some calls were answered 429 and repeated"
    );
}

#[tokio::test]
async fn a_server_that_is_down_is_a_quick_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(config(&format!("http://127.0.0.1:{port}/api/v2"))).unwrap();
    let t = Instant::now();
    let e = c.test().await.unwrap_err();
    assert!(matches!(e, ApiError::Transport { .. }), "{e:?}");
    assert!(e.is_retryable());
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    let e = c.login(&login_req("a@b", "c")).await.unwrap_err();
    assert!(matches!(e, ApiError::Transport { .. }), "{e:?}");
}
