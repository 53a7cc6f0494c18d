//! The transfer engine and the transfer commands against the demo server and its fault knobs.

mod common;

use k2s::api::{Client, ClientConfig, Credentials, LoginRequest};
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, accounts, ids};
use k2s::transfer::{self, EngineOptions, Event, Outcome, State, TransferHandle, TransferId, TransferView};
use md5::{Digest, Md5};
use rand::Rng;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

const LIMIT: Duration = Duration::from_secs(120);

/// The demo server answering in `shapes`, with `faults`.
async fn server_in(shapes: Shapes, faults: Faults) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes,
        faults,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

async fn login(demo: &DemoServer, user: &str, password: &str) -> Client {
    let client = Client::new(ClientConfig {
        base_url: demo.api_url(),
        timeout: Duration::from_secs(20),
        requests_per_second: 1000,
        credentials: Credentials {
            access_token: None,
            username: Some(user.into()),
            password: Some(password.into()),
        },
        session_file: None,
        ..ClientConfig::default()
    })
    .expect("client");
    let req = LoginRequest {
        username: user.into(),
        password: password.into(),
        ..LoginRequest::default()
    };
    client.login(&req).await.expect("login");
    client
}

async fn premium(demo: &DemoServer) -> Client {
    login(demo, accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await
}

fn options(state: &Path) -> EngineOptions {
    EngineOptions {
        state_dir: Some(state.to_path_buf()),
        retry_base: Duration::from_millis(50),
        min_segment: 64 * 1024,
        tick: Duration::from_millis(50),
        ..EngineOptions::default()
    }
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::rng().fill(&mut v[..]);
    v
}

fn md5_hex(data: &[u8]) -> String {
    hex::encode(Md5::digest(data))
}

/// Put a file on the demo server directly through the client (not the engine).
async fn put_file(client: &Client, dir: &Path, name: &str, data: &[u8]) -> String {
    put_file_in(client, dir, "/", name, data).await
}

/// The same into the remote folder `parent`.
async fn put_file_in(client: &Client, dir: &Path, parent: &str, name: &str, data: &[u8]) -> String {
    let path = dir.join(format!("seed-{name}"));
    std::fs::write(&path, data).unwrap();
    let form = client.get_upload_form_data(parent).await.expect("form");
    let r = client
        .upload_file(&form, &path, name, Arc::new(|_| {}))
        .await
        .expect("upload");
    r.user_file_id
}

/// Follow events until every id (and everything it queued) has finished; `on` sees each event.
async fn finish(
    events: &mut UnboundedReceiver<Event>,
    ids: &[TransferId],
    mut on: impl FnMut(&Event),
) -> HashMap<TransferId, TransferView> {
    let mut tracked: HashSet<TransferId> = ids.iter().copied().collect();
    let mut done = HashMap::new();
    let work = async {
        while !tracked.iter().all(|id| done.contains_key(id)) {
            let ev = events.recv().await.expect("engine alive");
            on(&ev);
            match ev {
                Event::Added(v) | Event::Updated(v) => {
                    if v.parent.is_some_and(|p| tracked.contains(&p)) {
                        tracked.insert(v.id);
                    }
                    if tracked.contains(&v.id) && v.state.is_finished() {
                        done.insert(v.id, v);
                    }
                }
                _ => {}
            }
        }
    };
    tokio::time::timeout(LIMIT, work)
        .await
        .expect("transfers finished in time");
    done
}

fn expect_done(v: &TransferView) -> &Outcome {
    assert_eq!(v.state, State::Done, "{} ended as {:?}", v.name, v.state);
    v.outcome.as_ref().expect("an outcome")
}

fn downloaded(v: &TransferView) -> (PathBuf, bool, u64) {
    match expect_done(v) {
        Outcome::Downloaded {
            path,
            md5_verified,
            resumed_from,
            ..
        } => (path.clone(), *md5_verified, *resumed_from),
        o => panic!("not a download: {o:?}"),
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part") || n.ends_with(".part.k2s"))
        .collect()
}

struct Setup {
    demo: DemoServer,
    client: Client,
    tmp: tempfile::TempDir,
}

async fn setup(faults: Faults) -> Setup {
    setup_in(Shapes::Reference, faults).await
}

/// A server in `shapes` with `faults`, a premium client logged in to it, a scratch folder.
async fn setup_in(shapes: Shapes, faults: Faults) -> Setup {
    let demo = server_in(shapes, faults).await;
    let client = premium(&demo).await;
    Setup {
        demo,
        client,
        tmp: tempfile::tempdir().unwrap(),
    }
}

impl Setup {
    fn engine(&self, tweak: impl FnOnce(&mut EngineOptions)) -> (TransferHandle, UnboundedReceiver<Event>) {
        let mut o = options(&self.tmp.path().join("state"));
        tweak(&mut o);
        transfer::start(self.client.clone(), o)
    }
    fn dir(&self, name: &str) -> PathBuf {
        let d = self.tmp.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_cut_several_times_completes_with_the_right_md5() {
    let s = setup(Faults::default()).await;
    let data = random_bytes(1_500_000);
    let id = put_file(&s.client, &s.dir("src"), "cut.bin", &data).await;
    s.demo.set_faults(Faults {
        drop_download_after: Some(200_000),
        ..Faults::default()
    });
    let (h, mut ev) = s.engine(|_| {});
    let dl = s.dir("dl");
    let t = h.download(&id, dl.clone(), Some(1));
    let res = finish(&mut ev, &[t], |_| {}).await;
    let (path, verified, _) = downloaded(&res[&t]);
    assert!(verified, "the md5 was checked");
    assert_eq!(md5_hex(&std::fs::read(&path).unwrap()), md5_hex(&data));
    assert_eq!(path, dl.join("cut.bin"));
    assert!(leftovers(&dl).is_empty(), "{:?}", leftovers(&dl));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_connection_download_equals_the_source() {
    let s = setup(Faults::default()).await;
    let data = random_bytes(3_000_000);
    let id = put_file(&s.client, &s.dir("src"), "multi.bin", &data).await;
    // Cuts too, so that ranges are resumed in the middle.
    s.demo.set_faults(Faults {
        drop_download_after: Some(500_000),
        ..Faults::default()
    });
    // Every connection from the start (by default the others open only when one is slow).
    let (h, mut ev) = s.engine(|o| o.one_stream_enough = None);
    let dl = s.dir("dl");
    let t = h.download(&id, dl.clone(), Some(4));
    let res = finish(&mut ev, &[t], |_| {}).await;
    let (path, verified, _) = downloaded(&res[&t]);
    assert!(verified);
    assert!(std::fs::read(&path).unwrap() == data, "content differs");
    assert!(leftovers(&dl).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_download_url_is_asked_again() {
    let s = setup(Faults::default()).await;
    let data = random_bytes(600_000);
    let id = put_file(&s.client, &s.dir("src"), "ttl.bin", &data).await;
    s.demo.set_faults(Faults {
        url_ttl: Some(1),
        bandwidth: Some(250_000),
        drop_download_after: Some(150_000),
        ..Faults::default()
    });
    let before = s.demo.calls("getUrl");
    let (h, mut ev) = s.engine(|_| {});
    let dl = s.dir("dl");
    let t = h.download(&id, dl.clone(), Some(1));
    let res = finish(&mut ev, &[t], |_| {}).await;
    let (path, _, _) = downloaded(&res[&t]);
    assert!(std::fs::read(&path).unwrap() == data);
    assert!(s.demo.calls("getUrl") >= before + 2, "getUrl was asked again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_upload_is_retried_and_exists_once() {
    let s = setup(Faults {
        reset_upload_after: Some(100_000),
        ..Faults::default()
    })
    .await;
    let src = s.dir("src");
    let data = random_bytes(400_000);
    std::fs::write(src.join("reset.bin"), &data).unwrap();
    let (h, mut ev) = s.engine(|o| o.max_attempts = 12);
    let t = h.upload(src.join("reset.bin"), "/", None, false);
    let demo = &s.demo;
    let mut retried = false;
    let res = finish(&mut ev, &[t], |e| {
        if let Event::Updated(v) = e
            && v.detail.as_deref().is_some_and(|d| d.starts_with("retrying"))
            && !retried
        {
            retried = true;
            demo.set_faults(Faults::default());
        }
    })
    .await;
    assert!(retried, "the reset was retried");
    let Outcome::Uploaded {
        file_id,
        deduplicated,
        ..
    } = expect_done(&res[&t])
    else {
        panic!()
    };
    assert!(!deduplicated);
    let found = s.demo.find_by_name("reset.bin");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(&found[0].id, file_id);
    assert_eq!(found[0].md5, md5_hex(&data));
}

shaped! {
    multi_thread;
    async fn known_content_is_created_by_hash_without_a_body(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let src = s.dir("src");
        let data = random_bytes(300_000);
        std::fs::write(src.join("first.bin"), &data).unwrap();
        std::fs::write(src.join("copy.bin"), &data).unwrap();
        let (h, mut ev) = s.engine(|_| {});
        let a = h.upload(src.join("first.bin"), "/", None, false);
        let res = finish(&mut ev, &[a], |_| {}).await;
        assert!(matches!(
            expect_done(&res[&a]),
            Outcome::Uploaded {
                deduplicated: false,
                ..
            }
        ));
        let bodies = s.demo.upload_bodies();
        let by_hash = s.demo.calls("createFileByHash");
        let b = h.upload(src.join("copy.bin"), "/", None, false);
        let res = finish(&mut ev, &[b], |_| {}).await;
        let Outcome::Uploaded {
            file_id,
            deduplicated,
            link,
        } = expect_done(&res[&b])
        else {
            panic!()
        };
        assert!(deduplicated);
        assert!(
            link.contains(file_id.as_str()) && link.ends_with("/copy.bin"),
            "{link}"
        );
        assert_eq!(s.demo.upload_bodies(), bodies, "no body was sent");
        assert_eq!(s.demo.calls("createFileByHash"), by_hash + 1);
        let f = s.demo.file(file_id).expect("created");
        assert_eq!(
            (f.name.as_str(), f.md5.as_str()),
            ("copy.bin", md5_hex(&data).as_str())
        );

        // The queue (with the hashes it remembers) survives a restart.
        h.shutdown().await;
        drop(ev);
        let (h2, _ev2) = s.engine(|_| {});
        let snap = h2.snapshot();
        assert_eq!(snap.len(), 2, "{snap:?}");
        assert!(snap.iter().all(|v| v.state == State::Done && v.outcome.is_some()));
        assert!(!s.tmp.path().join("state/queue.json.bad").exists());
    }
}

shaped! {
    multi_thread;
    async fn token_expiry_mid_queue_is_survived(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let src = s.dir("src");
        let mut ups = Vec::new();
        for i in 0..3 {
            std::fs::write(src.join(format!("t{i}.bin")), random_bytes(100_000 + i)).unwrap();
        }
        let data = random_bytes(200_000);
        let id = put_file(&s.client, &src, "tdl.bin", &data).await;
        let logins = s.demo.calls("login");
        let (h, mut ev) = s.engine(|o| o.concurrency = 1);
        for i in 0..3 {
            ups.push(h.upload(
                src.join(format!("t{i}.bin")),
                "/",
                Some(k2s::api::Access::Private),
                false,
            ));
        }
        let dl = s.dir("dl");
        ups.push(h.download(&id, dl.clone(), None));
        let demo = &s.demo;
        let mut expired = false;
        let res = finish(&mut ev, &ups, |e| {
            if let Event::Updated(v) = e
                && v.state == State::Done
                && !expired
            {
                expired = true;
                demo.expire_sessions();
            }
        })
        .await;
        for v in res.values() {
            expect_done(v);
        }
        assert!(s.demo.calls("login") > logins, "logged in again");
        let f = &s.demo.find_by_name("t2.bin")[0];
        assert_eq!(f.access, "private", "access set after upload");
        let (path, _, _) = downloaded(&res[&ups[3]]);
        assert!(std::fs::read(path).unwrap() == data);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_land_inside_the_download_folder() {
    let s = setup(Faults::default()).await;
    let dl = s.dir("a/b/dl");
    let (h, mut ev) = s.engine(|_| {});
    let ts = [
        h.download(ids::DOTDOT, dl.clone(), None),
        h.download(ids::ANSI, dl.clone(), None),
    ];
    let res = finish(&mut ev, &ts, |_| {}).await;
    for t in ts {
        let v = &res[&t];
        assert!(!v.name.contains('\u{1b}'), "{:?}", v.name);
        let (path, _, _) = downloaded(v);
        assert_eq!(path.parent(), Some(dl.as_path()), "{path:?}");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.chars().any(|c| c.is_control()) && !name.contains(".."),
            "{name:?}"
        );
        assert!(!name.starts_with('.'), "{name:?}");
    }
    // Nothing was written anywhere else.
    let outside: Vec<_> = walk(s.tmp.path())
        .into_iter()
        .filter(|p| !p.starts_with(&dl) && p.is_file())
        .collect();
    assert!(
        outside.iter().all(|p| p.starts_with(s.tmp.path().join("state"))),
        "{outside:?}"
    );
    assert_eq!(std::fs::read_dir(&dl).unwrap().count(), 2);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

shaped! {
    multi_thread;
    async fn folder_upload_recreates_the_structure_and_skip_existing_skips(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let root = s.dir("album");
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        std::fs::write(root.join("a.txt"), random_bytes(1000)).unwrap();
        std::fs::write(root.join("sub/b.txt"), random_bytes(2000)).unwrap();
        std::fs::write(root.join("sub/deeper/c.txt"), random_bytes(3000)).unwrap();
        let (h, mut ev) = s.engine(|_| {});
        let t = h.upload(root.clone(), "/", None, false);
        let res = finish(&mut ev, &[t], |_| {}).await;
        assert_eq!(
            res.len(),
            7,
            "folder, 3 sub-folders, 3 files: {:?}",
            res.values().map(|v| &v.name).collect::<Vec<_>>()
        );
        res.values().for_each(|v| {
            expect_done(v);
        });
        let deeper = s
            .demo
            .folder_id_by_path("/album/sub/deeper")
            .expect("structure recreated");
        let names: Vec<String> = s.demo.children(&deeper).into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["c.txt"]);
        assert!(s.demo.folder_id_by_path("/album/empty").is_some());

        // Again, with --skip-existing: same folders, nothing sent.
        std::fs::write(root.join("sub/new.txt"), random_bytes(500)).unwrap();
        let bodies = s.demo.upload_bodies();
        let t = h.upload(root.clone(), "/", None, true);
        let res = finish(&mut ev, &[t], |_| {}).await;
        let skipped = res
            .values()
            .filter(|v| matches!(v.outcome, Some(Outcome::Skipped { .. })))
            .count();
        assert_eq!(skipped, 3);
        assert_eq!(s.demo.upload_bodies(), bodies + 1, "only the new file was sent");
        assert_eq!(s.demo.find_by_name("sub").len(), 1, "the folder was reused");
        assert_eq!(s.demo.find_by_name("album").len(), 1);

        // A single file with --skip-existing, and one of the same name but another size.
        let before = s.demo.upload_bodies();
        let one = h.upload(
            root.join("a.txt"),
            &s.demo.folder_id_by_path("/album").unwrap(),
            None,
            true,
        );
        std::fs::write(s.dir("other").join("b.txt"), random_bytes(10)).unwrap();
        let sub = s.demo.folder_id_by_path("/album/sub").unwrap();
        let two = h.upload(s.tmp.path().join("other/b.txt"), &sub, None, true);
        let res = finish(&mut ev, &[one, two], |_| {}).await;
        assert!(matches!(expect_done(&res[&one]), Outcome::Skipped { .. }));
        assert!(matches!(expect_done(&res[&two]), Outcome::Uploaded { .. }));
        assert_eq!(s.demo.upload_bodies(), before + 1);
    }
}

/// A one-shot HTTP server on loopback that serves `body` to every GET.
async fn serve_once(body: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut req = vec![0u8; 4096];
                let _ = sock.read(&mut req).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
            });
        }
    });
    format!("http://{addr}/remote-file.bin")
}

shaped! {
    multi_thread;
    async fn remote_upload_of_a_loopback_url_completes_and_rejections_say_why(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let body = random_bytes(50_000);
        let url = serve_once(body.clone()).await;
        let (h, mut ev) = s.engine(|_| {});
        let ok = h.remote_upload(&url, true);
        let bad = h.remote_upload("ftp://127.0.0.1/nothing", true);
        let res = finish(&mut ev, &[ok, bad], |_| {}).await;
        let Outcome::RemoteDone {
            file_id: Some(id),
            link: Some(link),
            ..
        } = expect_done(&res[&ok])
        else {
            panic!("{:?}", res[&ok])
        };
        assert!(link.contains(id.as_str()));
        assert_eq!(s.demo.file(id).expect("file").md5, md5_hex(&body));
        match &res[&bad].state {
            State::Failed(why) => assert!(why.to_string().contains("Invalid URL"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_resume_cancel_and_reorder() {
    let s = setup(Faults::default()).await;
    let src = s.dir("src");
    let a_data = random_bytes(1_000_000);
    let a = put_file(&s.client, &src, "a.bin", &a_data).await;
    let b = put_file(&s.client, &src, "b.bin", &random_bytes(800_000)).await;
    let c = put_file(&s.client, &src, "c.bin", &random_bytes(1000)).await;
    s.demo.set_faults(Faults {
        bandwidth: Some(200_000),
        ..Faults::default()
    });
    let (h, mut ev) = s.engine(|o| o.concurrency = 1);
    let dl = s.dir("dl");
    let ta = h.download(&a, dl.clone(), Some(1));
    let tb = h.download(&b, dl.clone(), Some(1));
    let tc = h.download(&c, dl.clone(), Some(1));
    // c moves before b.
    h.move_up(tc);
    let order = wait_for(&mut ev, |e| matches!(e, Event::Order(_))).await;
    assert_eq!(order, Event::Order(vec![ta, tc, tb]));
    wait_for(&mut ev, move |e| matches!(e, Event::Progress { items, .. } if items.iter().any(|p| p.id == ta && p.done > 100_000)))
        .await;
    h.pause(ta);
    // With a paused, c runs and finishes, then b starts: cancel it once it has bytes.
    wait_for(
        &mut ev,
        move |e| matches!(e, Event::Progress { items, .. } if items.iter().any(|p| p.id == tb && p.done > 0)),
    )
    .await;
    let snap = h.snapshot();
    let state = |id| snap.iter().find(|v| v.id == id).map(|v| v.state.clone());
    assert_eq!(state(ta), Some(State::Paused));
    assert_eq!(state(tc), Some(State::Done));
    assert!(
        dl.join("a.bin.part").exists(),
        "the paused download keeps its .part"
    );
    h.cancel(tb);
    wait_for(
        &mut ev,
        move |e| matches!(e, Event::Updated(v) if v.id == tb && v.state == State::Cancelled),
    )
    .await;
    s.demo.set_faults(Faults::default());
    h.resume(ta);
    let res = finish(&mut ev, &[ta], |_| {}).await;
    let (path, _, resumed_from) = downloaded(&res[&ta]);
    assert!(
        resumed_from > 100_000,
        "continued from the .part ({resumed_from})"
    );
    assert!(std::fs::read(path).unwrap() == a_data);
    // The cancelled download's files go once its task has ended.
    let gone = async {
        while dl.join("b.bin.part").exists() || dl.join("b.bin.part.k2s").exists() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(LIMIT, gone)
        .await
        .expect("cancel removed the .part");
    h.retry(tb);
    let res = finish(&mut ev, &[tb], |_| {}).await;
    expect_done(&res[&tb]);
    h.clear_finished();
    let mut removed = HashSet::new();
    while removed.len() < 3 {
        if let Event::Removed(id) = wait_for(&mut ev, |e| matches!(e, Event::Removed(_))).await {
            removed.insert(id);
        }
    }
    assert_eq!(removed, HashSet::from([ta, tb, tc]));
    h.shutdown().await;
}

async fn wait_for(ev: &mut UnboundedReceiver<Event>, pred: impl Fn(&Event) -> bool) -> Event {
    let fut = async {
        loop {
            let e = ev.recv().await.expect("engine alive");
            if pred(&e) {
                return e;
            }
        }
    };
    tokio::time::timeout(LIMIT, fut)
        .await
        .expect("the event came in time")
}

shaped! {
    multi_thread;
    async fn free_download_goes_through_the_captcha(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let client = login(&s.demo, accounts::FREE_USER, accounts::FREE_PASSWORD).await;
        let dl = s.dir("dl");
        let (h, mut ev) = transfer::start(client, options(&s.tmp.path().join("state")));
        let t = h.download(ids::CAPTCHA_FILE, dl.clone(), None);
        let demo = &s.demo;
        let mut asked = 0;
        let res = finish(&mut ev, &[t], |e| {
            if let Event::Captcha(req) = e {
                asked += 1;
                assert!(
                    req.image.as_ref().is_some_and(|i| !i.is_empty()),
                    "the image came along"
                );
                h.answer_captcha(req.id, demo.captcha_answer(&req.challenge));
            }
        })
        .await;
        assert_eq!(asked, 1);
        downloaded(&res[&t]);
    }
}

fn k2s_cmd(demo: &DemoServer, config: &Path) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_k2s"));
    c.arg("--api-url")
        .arg(demo.api_url())
        .arg("--config-dir")
        .arg(config)
        .env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    c
}

fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

/// The JSON lines of a k2s run that must have succeeded.
fn ok_json_lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}

fn sidecar_done(path: &Path) -> u64 {
    let Ok(bytes) = std::fs::read(path) else { return 0 };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return 0;
    };
    v["segments"]
        .as_array()
        .map_or(0, |a| a.iter().filter_map(|s| s["done"].as_u64()).sum())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_download_resumes_from_its_part_file() {
    let s = setup(Faults::default()).await;
    let data = random_bytes(2_000_000);
    let id = put_file(&s.client, &s.dir("src"), "killed.bin", &data).await;
    s.demo.set_faults(Faults {
        bandwidth: Some(150_000),
        ..Faults::default()
    });
    let (cfg, dl) = (s.dir("cfg"), s.dir("dl"));
    let mut child = k2s_cmd(&s.demo, &cfg)
        .args(["--json", "download", &id, "--connections", "1", "--dir"])
        .arg(&dl)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let sidecar = dl.join("killed.bin.part.k2s");
    let progressed = async {
        while sidecar_done(&sidecar) < 300_000 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(LIMIT, progressed)
        .await
        .expect("the download made progress");
    child.start_kill().unwrap(); // SIGKILL
    child.wait().await.unwrap();
    assert!(dl.join("killed.bin.part").exists());
    let kept = sidecar_done(&sidecar);
    s.demo.set_faults(Faults::default());

    let out = k2s_cmd(&s.demo, &cfg)
        .args(["--json", "queue", "--resume"])
        .output()
        .await
        .unwrap();
    let lines = ok_json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let r = &lines[0];
    assert_eq!(r["state"], "done", "{r}");
    assert_eq!(r["file_id"], id.as_str());
    assert!(r["resumed_from"].as_u64().unwrap() >= kept, "{r}");
    assert!(kept >= 300_000);
    let path = PathBuf::from(r["path"].as_str().unwrap());
    assert_eq!(path, dl.join("killed.bin"));
    assert!(std::fs::read(&path).unwrap() == data);
    assert!(leftovers(&dl).is_empty());

    // The saved queue shows it done; nothing is left to resume.
    let out = k2s_cmd(&s.demo, &cfg)
        .args(["--json", "queue"])
        .output()
        .await
        .unwrap();
    let lines = json_lines(&out.stdout);
    assert!(
        lines
            .iter()
            .any(|l| l["state"] == "done" && l["file_id"] == id.as_str()),
        "{lines:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_reports_each_item_and_fails_when_one_fails() {
    let s = setup(Faults::default()).await;
    let src = s.dir("src");
    std::fs::write(src.join("cli.txt"), b"hello from the cli").unwrap();
    let cfg = s.dir("cfg");
    let out = k2s_cmd(&s.demo, &cfg)
        .args(["--json", "upload", "--access", "premium"])
        .arg(src.join("cli.txt"))
        .arg(src.join("missing.txt"))
        .output()
        .await
        .unwrap();
    assert!(!out.status.success(), "a missing file fails the command");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let up = lines
        .iter()
        .find(|l| l["state"] == "done")
        .expect("one upload done");
    let id = up["file_id"].as_str().unwrap();
    assert_eq!(s.demo.file(id).unwrap().access, "premium");
    assert!(
        lines
            .iter()
            .any(|l| l["state"] == "failed" && l["error"].as_str().is_some())
    );

    let dl = s.dir("dl");
    let out = k2s_cmd(&s.demo, &cfg)
        .args(["--json", "download", id, "zzzzzzzzzzzz9", "--dir"])
        .arg(&dl)
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().any(|l| l["state"] == "done" && l["file_id"] == id));
    assert!(
        lines
            .iter()
            .any(|l| l["state"] == "failed" && l["file_id"] == "zzzzzzzzzzzz9")
    );
    assert_eq!(std::fs::read(dl.join("cli.txt")).unwrap(), b"hello from the cli");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaky_api_is_retried_without_duplicates() {
    let s = setup(Faults::default()).await;
    let src = s.dir("src");
    let data = random_bytes(300_000);
    let id = put_file(&s.client, &src, "flaky-dl.bin", &data).await;
    let root = s.dir("flaky");
    std::fs::create_dir_all(root.join("inner")).unwrap();
    for (i, p) in ["a.bin", "inner/b.bin", "inner/c.bin"].iter().enumerate() {
        std::fs::write(root.join(p), random_bytes(20_000 + i)).unwrap();
    }
    s.demo.set_faults(Faults {
        fail_rate: 0.3,
        ..Faults::default()
    });
    let (h, mut ev) = s.engine(|o| o.max_attempts = 20);
    let up = h.upload(root.clone(), "/", None, false);
    let dl = s.dir("dl");
    let down = h.download(&id, dl.clone(), Some(2));
    let res = finish(&mut ev, &[up, down], |_| {}).await;
    for v in res.values() {
        expect_done(v);
    }
    assert_eq!(res.len(), 6);
    s.demo.set_faults(Faults::default());
    assert_eq!(s.demo.find_by_name("flaky").len(), 1);
    assert_eq!(s.demo.find_by_name("inner").len(), 1);
    for name in ["a.bin", "b.bin", "c.bin"] {
        assert_eq!(s.demo.find_by_name(name).len(), 1, "{name}");
    }
    let (path, _, _) = downloaded(&res[&down]);
    assert!(std::fs::read(path).unwrap() == data);
}

async fn make_folder(client: &Client, parent: &str, name: &str) -> String {
    let req = k2s::api::CreateFolder {
        name: name.into(),
        parent: parent.into(),
        access: None,
        is_public: None,
    };
    client.create_folder(&req).await.expect("createFolder").id
}

/// Give a remote file or folder a name createFolder would refuse.
async fn rename(client: &Client, id: &str, name: &str) {
    let changes = k2s::api::FileChanges {
        new_name: Some(name.into()),
        ..Default::default()
    };
    client.update_file(id, &changes).await.expect("rename");
}

/// A remote tree `/tree/{a.txt, empty/, sub/{b.bin, deeper/c.bin}}`: the top folder's id and
/// each file's local path (relative to the folder the tree lands in) and bytes.
async fn remote_tree(s: &Setup) -> (String, Vec<(PathBuf, Vec<u8>)>) {
    let src = s.dir("tree-src");
    let top = make_folder(&s.client, "/", "tree").await;
    let sub = make_folder(&s.client, &top, "sub").await;
    let deeper = make_folder(&s.client, &sub, "deeper").await;
    make_folder(&s.client, &top, "empty").await;
    let mut files = Vec::new();
    for (parent, rel, size) in [
        (&top, "tree/a.txt", 1_000),
        (&sub, "tree/sub/b.bin", 150_000),
        (&deeper, "tree/sub/deeper/c.bin", 90_001),
    ] {
        let data = random_bytes(size);
        let name = rel.rsplit('/').next().unwrap();
        put_file_in(&s.client, &src, parent, name, &data).await;
        files.push((PathBuf::from(rel), data));
    }
    (top, files)
}

/// Every path under `dir`, relative to it, sorted.
fn tree_of(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

shaped! {
    multi_thread;
    async fn folder_download_recreates_the_tree_and_never_overwrites(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let (top, files) = remote_tree(&s).await;
        let dl = s.dir("dl");
        // A local folder of that name exists, with a file of a name the download also uses.
        std::fs::create_dir_all(dl.join("tree")).unwrap();
        std::fs::write(dl.join("tree/a.txt"), b"old").unwrap();
        let (h, mut ev) = s.engine(|_| {});
        let info_calls = s.demo.calls("getFilesInfo");
        // A plain download of a folder id turns into a folder download.
        let t = h.download(&top, dl.clone(), Some(2));
        let res = finish(&mut ev, &[t], |_| {}).await;
        assert_eq!(
            s.demo.calls("getFilesInfo"),
            info_calls + 1,
            "only the top id is looked up: the listings give the files' names, sizes and md5s"
        );
        assert_eq!(
            res.len(),
            7,
            "4 folders, 3 files: {:?}",
            res.values().map(|v| &v.name).collect::<Vec<_>>()
        );
        match expect_done(&res[&t]) {
            Outcome::FolderDownload {
                folder_id,
                path,
                created,
                items,
            } => {
                assert_eq!(folder_id, &top);
                assert_eq!(path, &dl.join("tree"));
                assert!(!created, "the existing folder was reused");
                assert_eq!(*items, 3, "a.txt, empty, sub");
            }
            o => panic!("{o:?}"),
        }
        assert_eq!(res[&t].name, "tree/");
        let mut saved = HashMap::new();
        for v in res.values().filter(|v| v.id != t) {
            match expect_done(v) {
                Outcome::Downloaded {
                    path, md5_verified, ..
                } => {
                    assert!(md5_verified, "{path:?}");
                    saved.insert(path.strip_prefix(&dl).unwrap().to_path_buf(), path.clone());
                }
                Outcome::FolderDownload { path, .. } => assert!(path.is_dir()),
                o => panic!("{o:?}"),
            }
        }
        assert_eq!(
            std::fs::read(dl.join("tree/a.txt")).unwrap(),
            b"old",
            "never overwritten"
        );
        for (rel, data) in &files {
            let rel = if rel == Path::new("tree/a.txt") {
                PathBuf::from("tree/a (1).txt")
            } else {
                rel.clone()
            };
            let got = std::fs::read(dl.join(&rel)).unwrap_or_else(|e| panic!("{rel:?}: {e}"));
            assert_eq!(md5_hex(&got), md5_hex(data), "{rel:?}");
            assert_eq!(saved.get(&rel), Some(&dl.join(&rel)), "{saved:?}");
        }
        assert_eq!(
            tree_of(&dl),
            [
                "tree",
                "tree/a (1).txt",
                "tree/a.txt",
                "tree/empty",
                "tree/sub",
                "tree/sub/b.bin",
                "tree/sub/deeper",
                "tree/sub/deeper/c.bin",
            ]
        );
    }
}

shaped! {
    multi_thread;
    async fn hostile_folder_names_stay_inside_the_download_folder(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let src = s.dir("src");
        let top = make_folder(&s.client, "/", "evil-top").await;
        rename(&s.client, &top, "../../evil").await;
        let esc = make_folder(&s.client, &top, "esc").await;
        rename(&s.client, &esc, "\u{1b}[2J\u{1b}]0;pwned\u{7}screen").await;
        let dots = make_folder(&s.client, &top, "dots").await;
        rename(&s.client, &dots, "...").await;
        let mut want = HashMap::new();
        for (parent, name) in [(&top, "top.txt"), (&esc, "esc.txt"), (&dots, "dots.txt")] {
            let data = random_bytes(5_000);
            put_file_in(&s.client, &src, parent, name, &data).await;
            want.insert(name.to_string(), data);
        }
        let (cfg, dl) = (s.dir("cfg"), s.dir("a/b/dl"));
        let out = k2s_cmd(&s.demo, &cfg)
            .args(["--json", "download", &top, "--dir"])
            .arg(&dl)
            .output()
            .await
            .unwrap();
        let lines = ok_json_lines(&out);
        assert_eq!(lines.len(), 6, "3 folders, 3 files: {lines:?}");
        for l in &lines {
            assert_eq!(l["state"], "done", "{l}");
            let name = l["name"].as_str().unwrap();
            assert!(!name.chars().any(|c| c.is_control()), "{name:?}");
            let path = PathBuf::from(l["path"].as_str().unwrap());
            assert!(path.starts_with(&dl), "{path:?}");
            let rel = path.strip_prefix(&dl).unwrap();
            for c in rel.components() {
                let c = c.as_os_str().to_string_lossy();
                assert!(
                    !c.chars().any(|ch| ch.is_control()) && !c.contains("..") && !c.starts_with('.'),
                    "{c:?} in {path:?}"
                );
            }
            if let Some(name) = path.file_name().and_then(|n| n.to_str())
                && let Some(data) = want.get(name)
            {
                assert!(std::fs::read(&path).unwrap() == *data, "{path:?}");
            }
        }
        let folders: Vec<&serde_json::Value> = lines
            .iter()
            .filter(|l| l["result"] == "folder_download")
            .collect();
        assert_eq!(folders.len(), 3, "{lines:?}");
        // "..." has nothing left after sanitizing: its id names it.
        assert!(dl.join("_._evil").join(&dots).is_dir(), "{:?}", tree_of(&dl));
        assert_eq!(tree_of(&dl).iter().filter(|p| p.ends_with(".txt")).count(), 3);
        // Nothing was written anywhere else.
        for p in walk(s.tmp.path()) {
            assert!(
                p.starts_with(&dl) || p.starts_with(&cfg) || p.starts_with(&src) || dl.starts_with(&p),
                "{p:?}"
            );
        }
        assert!(!s.tmp.path().join("a/evil").exists() && !s.tmp.path().join("evil").exists());
    }
}

shaped! {
    multi_thread;
    async fn cli_downloads_a_folder_path_and_fails_when_one_item_fails(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let (cfg, dl) = (s.dir("cfg"), s.dir("dl"));
        let out = k2s_cmd(&s.demo, &cfg)
            .args(["--json", "download", "/Movies", "--dir"])
            .arg(&dl)
            .output()
            .await
            .unwrap();
        assert!(!out.status.success(), "the blocked file fails the command");
        let lines = json_lines(&out.stdout);
        assert_eq!(lines.len(), 7, "Movies, 2024, 5 files: {lines:?}");
        let failed: Vec<_> = lines.iter().filter(|l| l["state"] != "done").collect();
        assert_eq!(failed.len(), 1, "{lines:?}");
        assert_eq!(failed[0]["file_id"], ids::BLOCKED);
        assert!(failed[0]["error"].as_str().is_some_and(|e| !e.is_empty()));
        for (id, rel) in [
            (ids::VIDEO_BUNNY, "Movies/Big Buck Bunny.mp4"),
            (ids::VIDEO_SINTEL_PREMIUM, "Movies/Sintel.mkv"),
            (ids::VIDEO_HOLIDAY, "Movies/2024/Holiday 2024.mp4"),
            (ids::VIDEO_TRAILER, "Movies/2024/trailer.webm"),
        ] {
            let got = std::fs::read(dl.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(md5_hex(&got), s.demo.file(id).unwrap().md5, "{rel}");
        }
        assert!(!dl.join("Movies/blocked-video.mp4").exists());
        assert!(
            lines
                .iter()
                .any(|l| l["folder_id"] == ids::MOVIES_2024 && l["path"] == json_path(&dl.join("Movies/2024")))
        );
    }
}

fn json_path(p: &Path) -> serde_json::Value {
    serde_json::Value::String(p.to_string_lossy().into_owned())
}

/// An engine that owns the saved queue (the previous one lets go of its lock just after
/// `shutdown` returns).
async fn owner(s: &Setup) -> (TransferHandle, UnboundedReceiver<Event>) {
    for _ in 0..200 {
        let (h, ev) = s.engine(|_| {});
        if h.is_persistent() {
            return (h, ev);
        }
        h.shutdown().await;
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the queue lock was never released");
}

/// The published snapshot (refreshed every tick) once it shows every transfer finished.
async fn settled(h: &TransferHandle) -> Vec<TransferView> {
    let work = async {
        loop {
            let views = h.snapshot();
            if views.iter().all(|v| v.state.is_finished()) {
                return views;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(LIMIT, work).await.expect("snapshot settled")
}

/// Wait until the engine has expanded `n` folder downloads.
async fn expanded(ev: &mut UnboundedReceiver<Event>, n: usize) {
    let mut seen = HashSet::new();
    let work = async {
        while seen.len() < n {
            if let Event::Updated(v) = ev.recv().await.expect("engine alive")
                && matches!(v.outcome, Some(Outcome::FolderDownload { .. }))
            {
                seen.insert(v.id);
            }
        }
    };
    tokio::time::timeout(LIMIT, work)
        .await
        .expect("folders listed in time");
}

shaped! {
    multi_thread;
    async fn restored_folder_download_does_not_queue_its_content_twice(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let (top, files) = remote_tree(&s).await;
        let dl = s.dir("dl");
        // Slow downloads: the folders are listed long before any file is done.
        s.demo.set_faults(Faults {
            bandwidth: Some(20_000),
            ..Faults::default()
        });
        let (h, mut ev) = s.engine(|o| o.concurrency = 10);
        let t = h.download(&top, dl.clone(), Some(1));
        expanded(&mut ev, 4).await;
        h.shutdown().await;
        drop((h, ev));
        let state = s.tmp.path().join("state");
        let saved = transfer::Saved::read(&state).unwrap();
        assert_eq!(saved.items.len(), 7, "{:?}", saved.items);
        let unfinished = saved.items.iter().filter(|i| !i.state.is_finished()).count();
        assert!(unfinished >= 1, "some files were still downloading");

        // Restart on the same queue: the unfinished files continue, nothing is queued again.
        s.demo.set_faults(Faults::default());
        let (h, mut ev) = owner(&s).await;
        let before: Vec<TransferId> = h.snapshot().iter().map(|v| v.id).collect();
        assert_eq!(before.len(), 7);
        let pending: Vec<TransferId> = h
            .snapshot()
            .iter()
            .filter(|v| !v.state.is_finished())
            .map(|v| v.id)
            .collect();
        let res = finish(&mut ev, &pending, |_| {}).await;
        res.values().for_each(|v| {
            expect_done(v);
        });
        let after: Vec<TransferId> = settled(&h).await.iter().map(|v| v.id).collect();
        assert_eq!(after, before, "the same transfers, no duplicates");
        assert!(before.contains(&t));
        for (rel, data) in &files {
            assert!(std::fs::read(dl.join(rel)).unwrap() == *data, "{rel:?}");
        }
        let local = tree_of(&dl);
        assert_eq!(local.len(), 7, "4 folders, 3 files, no copies: {local:?}");
        assert!(
            local.iter().all(|p| !p.contains(" (1)") && !p.ends_with(".part")),
            "{local:?}"
        );
        h.shutdown().await;

        // A folder download killed while listing (saved as running, its local folder made): it
        // runs again, reuses the folder, and queues its content once.
        let state2 = s.dir("state2");
        let dl2 = s.dir("dl2");
        std::fs::create_dir_all(dl2.join("tree")).unwrap();
        let spec = transfer::Spec::DownloadFolder(transfer::DownloadFolderSpec {
            skip_existing: false,
            folder_id: top.clone(),
            dir: dl2.clone(),
            connections: 1,
            name: Some("tree".into()),
            foreign: false,
        });
        let item = transfer::SavedItem {
            id: TransferId(1),
            parent: None,
            spec,
            state: State::Running,
            outcome: None,
            attempts: 0,
        };
        std::fs::write(
            state2.join(transfer::QUEUE_FILE),
            transfer::Saved::to_bytes(vec![item], 2),
        )
        .unwrap();
        let (h, mut ev) = s.engine(|o| o.state_dir = Some(state2.clone()));
        let res = finish(&mut ev, &[TransferId(1)], |_| {}).await;
        assert_eq!(res.len(), 7);
        assert!(matches!(
            expect_done(&res[&TransferId(1)]),
            Outcome::FolderDownload { created: false, .. }
        ));
        assert_eq!(settled(&h).await.len(), 7);
        assert_eq!(tree_of(&dl2), tree_of(&dl), "the same tree, the folder reused");
        h.shutdown().await;
    }
}

fn failure(v: &TransferView) -> String {
    match &v.state {
        State::Failed(r) => r.to_string(),
        s => panic!("{} ended as {s:?}, not failed", v.name),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_quota_exceeded_stops_the_queued_uploads() {
    let s = setup(Faults {
        quota: Some(0),
        ..Faults::default()
    })
    .await;
    let src = s.dir("src");
    let (h, mut ev) = s.engine(|o| o.concurrency = 1);
    let ids: Vec<TransferId> = (0..3)
        .map(|i| {
            let p = src.join(format!("quota{i}.bin"));
            std::fs::write(&p, random_bytes(50_000)).unwrap();
            h.upload(p, "/", None, false)
        })
        .collect();
    let res = finish(&mut ev, &ids, |_| {}).await;
    let first = failure(&res[&ids[0]]);
    assert!(first.to_lowercase().contains("disk quota exceeded"), "{first}");
    for t in &ids[1..] {
        let why = failure(&res[t]);
        assert!(why.starts_with("not started") && why.contains("quota"), "{why}");
    }
    assert_eq!(
        s.demo.calls("getUploadFormData"),
        1,
        "only the first upload was sent"
    );

    // Once there is room, a retry goes through.
    s.demo.set_faults(Faults::default());
    while ev.try_recv().is_ok() {}
    h.retry(ids[2]);
    let res = finish(&mut ev, &[ids[2]], |_| {}).await;
    expect_done(&res[&ids[2]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_folder_stops_the_uploads_into_it_only() {
    let demo = DemoServer::start(DemoOptions {
        big_folder: Some(50_000),
        ..DemoOptions::default()
    })
    .await
    .expect("demo server starts");
    let s = Setup {
        client: premium(&demo).await,
        demo,
        tmp: tempfile::tempdir().unwrap(),
    };
    let src = s.dir("src");
    let (h, mut ev) = s.engine(|o| o.concurrency = 1);
    // Every file is written before the first is queued, and each API call takes 300 ms: all
    // three are queued before the first can fail (else the second, queued after the stop, would
    // meet the full folder itself rather than be stopped).
    for name in ["full1.bin", "full2.bin", "elsewhere.bin"] {
        std::fs::write(src.join(name), random_bytes(20_000)).unwrap();
    }
    s.demo.set_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });
    let add = |name: &str, parent: &str| h.upload(src.join(name), parent, None, false);
    let into_full = [
        add("full1.bin", "big0000000001"),
        add("full2.bin", "big0000000001"),
    ];
    let elsewhere = add("elsewhere.bin", "/");
    let mut all = into_full.to_vec();
    all.push(elsewhere);
    let res = finish(&mut ev, &all, |_| {}).await;
    assert!(
        failure(&res[&into_full[0]]).contains("Limit files"),
        "{}",
        failure(&res[&into_full[0]])
    );
    let why = failure(&res[&into_full[1]]);
    assert!(
        why.starts_with("not started") && why.contains("folder is full"),
        "{why}"
    );
    expect_done(&res[&elsewhere]);
}

shaped! {
    multi_thread;
    async fn a_new_login_reaches_the_engine(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let data = random_bytes(100_000);
        let id = put_file(&s.client, &s.dir("src"), "relogin.bin", &data).await;
        // The engine starts with a token the service does not know (an old one).
        let stale = Client::new(ClientConfig {
            base_url: s.demo.api_url(),
            credentials: Credentials {
                access_token: Some("no-such-token".into()),
                ..Credentials::default()
            },
            session_file: None,
            ..ClientConfig::default()
        })
        .expect("client");
        let (h, mut ev) = transfer::start(stale, options(&s.tmp.path().join("state")));
        let dl = s.dir("dl");
        let t = h.download(&id, dl.clone(), Some(1));
        let res = finish(&mut ev, &[t], |_| {}).await;
        let why = failure(&res[&t]);
        // The user logs in again (the TUI's login screen does this): the retry uses the new client.
        h.set_client(s.client.clone());
        while ev.try_recv().is_ok() {}
        h.retry(t);
        let res = finish(&mut ev, &[t], |_| {}).await;
        let (path, _, _) = downloaded(&res[&t]);
        assert!(std::fs::read(&path).unwrap() == data, "first failure was: {why}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn md5_check_can_be_left_out_but_is_on_by_default() {
    let s = setup(Faults::default()).await;
    let data = random_bytes(300_000);
    let id = put_file(&s.client, &s.dir("src"), "plain.bin", &data).await;
    let cfg = s.dir("cfg");
    for (flags, verified) in [(&[][..], true), (&["--no-verify-md5"][..], false)] {
        let dl = s.dir(if verified { "dl-md5" } else { "dl-size" });
        let out = k2s_cmd(&s.demo, &cfg)
            .args(["--json", "download", &id, "--dir"])
            .arg(&dl)
            .args(flags)
            .output()
            .await
            .unwrap();
        let lines = ok_json_lines(&out);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0]["md5_verified"], verified, "{}", lines[0]);
        assert!(std::fs::read(dl.join("plain.bin")).unwrap() == data);
    }
}

shaped! {
    multi_thread;
    async fn download_takes_share_links(shape) {
        let s = setup_in(shape, Faults::default()).await;
        let data = random_bytes(120_000);
        let id = put_file(&s.client, &s.dir("src"), "linked.bin", &data).await;
        let (cfg, dl) = (s.dir("cfg"), s.dir("dl"));
        let link = format!("https://k2s.cc/file/{id}/linked.bin");
        let out = k2s_cmd(&s.demo, &cfg)
            .args(["--json", "download", &link, "--dir"])
            .arg(&dl)
            .output()
            .await
            .unwrap();
        let lines = ok_json_lines(&out);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0]["state"], "done", "{}", lines[0]);
        assert!(std::fs::read(dl.join("linked.bin")).unwrap() == data);
        // Neither a link, an id nor a path: said, and the exit code says it.
        let out = k2s_cmd(&s.demo, &cfg)
            .args(["download", "https://example.com/folder/x", "--dir"])
            .arg(&dl)
            .output()
            .await
            .unwrap();
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("share link"),
            "{out:?}"
        );
    }
}
