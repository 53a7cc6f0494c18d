//! Typed transfer failures, and what a user sees of a transfer: a download already there, the
//! size of a remote upload, the "storing" state of an upload, a wrong captcha answer. Against
//! the demo server and its fault knobs.

mod common;

use k2s::api::{Client, ClientConfig, Credentials, LoginRequest};
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, accounts, ids};
use k2s::transfer::{
    self, EngineOptions, Event, Outcome, Remedy, State, TransferError, TransferId, TransferView,
};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

const LIMIT: Duration = Duration::from_secs(120);

struct Setup {
    demo: DemoServer,
    client: Client,
    tmp: tempfile::TempDir,
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

async fn setup(shapes: Shapes, faults: Faults) -> Setup {
    let demo = DemoServer::start(DemoOptions {
        shapes,
        faults,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let client = login(&demo, accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await;
    Setup {
        demo,
        client,
        tmp: tempfile::tempdir().unwrap(),
    }
}

impl Setup {
    fn state(&self) -> PathBuf {
        self.tmp.path().join("state")
    }
    fn engine(&self) -> (transfer::TransferHandle, UnboundedReceiver<Event>) {
        transfer::start(self.client.clone(), options(&self.state()))
    }
    fn dir(&self, name: &str) -> PathBuf {
        let d = self.tmp.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
    /// A file put on the server directly (not through the engine) into `parent`.
    async fn put(&self, parent: &str, name: &str, data: &[u8]) -> String {
        let path = self.dir("seed").join(name);
        std::fs::write(&path, data).unwrap();
        let form = self.client.get_upload_form_data(parent).await.expect("form");
        let r = self
            .client
            .upload_file(&form, &path, name, Arc::new(|_| {}))
            .await
            .expect("upload");
        r.user_file_id
    }
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

/// Follow events until every id (and what it queued) has finished; `on` sees each event.
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
            if let Event::Added(v) | Event::Updated(v) = ev {
                if v.parent.is_some_and(|p| tracked.contains(&p)) {
                    tracked.insert(v.id);
                }
                if tracked.contains(&v.id) && v.state.is_finished() {
                    done.insert(v.id, v);
                }
            }
        }
    };
    tokio::time::timeout(LIMIT, work)
        .await
        .expect("transfers finished in time");
    done
}

fn outcome(v: &TransferView) -> &Outcome {
    assert_eq!(v.state, State::Done, "{} ended as {:?}", v.name, v.state);
    v.outcome.as_ref().expect("an outcome")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

shaped! {
    multi_thread;
    async fn a_file_downloaded_again_is_already_there(shape) {
        let s = setup(shape, Faults::default()).await;
        let id = s.put("/", "song.bin", b"twelve bytes").await;
        let dl = s.dir("dl");
        let (h, mut ev) = s.engine();
        let first = h.download(&id, dl.clone(), None);
        finish(&mut ev, &[first], |_| {}).await;
        let again = h.download(&id, dl.clone(), None);
        let res = finish(&mut ev, &[again], |_| {}).await;
        match outcome(&res[&again]) {
            Outcome::Skipped { path: Some(p), .. } => assert_eq!(p, &dl.join("song.bin")),
            o => panic!("not skipped: {o:?}"),
        }
        assert_eq!(files_in(&dl), ["song.bin"], "no copy");
        // Another content under that name (same size): a new file beside it.
        std::fs::write(dl.join("song.bin"), b"other twelve").unwrap();
        let third = h.download(&id, dl.clone(), None);
        let res = finish(&mut ev, &[third], |_| {}).await;
        match outcome(&res[&third]) {
            Outcome::Downloaded { path, .. } => assert_eq!(path, &dl.join("song (1).bin")),
            o => panic!("not downloaded: {o:?}"),
        }
        h.shutdown().await;
    }
}

shaped! {
    multi_thread;
    async fn a_folder_downloaded_again_saves_no_copies(shape) {
        let s = setup(shape, Faults::default()).await;
        let req = k2s::api::CreateFolder {
            name: "Album".into(),
            parent: "/".into(),
            access: None,
            is_public: None,
        };
        let folder = s.client.create_folder(&req).await.expect("createFolder").id;
        s.put(&folder, "one.bin", b"first file").await;
        s.put(&folder, "two.bin", b"second file").await;
        let dl = s.dir("dl");
        let (h, mut ev) = s.engine();
        let first = h.download(&folder, dl.clone(), None);
        finish(&mut ev, &[first], |_| {}).await;
        let again = h.download(&folder, dl.clone(), None);
        let res = finish(&mut ev, &[again], |_| {}).await;
        let skipped = res
            .values()
            .filter(|v| matches!(v.outcome, Some(Outcome::Skipped { path: Some(_), .. })))
            .count();
        assert_eq!(skipped, 2, "{res:?}");
        assert_eq!(files_in(&dl.join("Album")), ["one.bin", "two.bin"]);
        h.shutdown().await;
    }
}

fn k2s(demo: &DemoServer, config: &Path) -> tokio::process::Command {
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

/// `k2s --json download ID --dir DL [flags]`: its one JSON line.
async fn cli_download(s: &Setup, id: &str, dl: &Path, flags: &[&str]) -> serde_json::Value {
    let out = k2s(&s.demo, &s.dir("cfg"))
        .args(["--json", "download", id, "--dir"])
        .arg(dl)
        .args(flags)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    serde_json::from_str(lines[0]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_download_again_skips_and_skip_existing_does_not_read() {
    let s = setup(Shapes::Reference, Faults::default()).await;
    let id = s.put("/", "report.pdf", b"the report").await;
    let dl = s.dir("dl");
    let first = cli_download(&s, &id, &dl, &[]).await;
    assert_eq!(first["result"], "downloaded", "{first}");
    let again = cli_download(&s, &id, &dl, &[]).await;
    assert_eq!(again["result"], "skipped", "{again}");
    assert_eq!(
        again["path"],
        dl.join("report.pdf").display().to_string(),
        "{again}"
    );
    assert_eq!(files_in(&dl), ["report.pdf"]);
    // A different local file of that name: kept, the download goes beside it...
    std::fs::write(dl.join("report.pdf"), b"mine, not theirs").unwrap();
    let beside = cli_download(&s, &id, &dl, &[]).await;
    assert_eq!(beside["result"], "downloaded", "{beside}");
    assert_eq!(files_in(&dl), ["report (1).pdf", "report.pdf"]);
    // ... unless --skip-existing: the name is enough.
    let other = s.dir("dl2");
    std::fs::write(other.join("report.pdf"), b"mine").unwrap();
    let skipped = cli_download(&s, &id, &other, &["--skip-existing"]).await;
    assert_eq!(skipped["result"], "skipped", "{skipped}");
    assert_eq!(std::fs::read(other.join("report.pdf")).unwrap(), b"mine");
    assert_eq!(files_in(&other), ["report.pdf"]);
}

/// An HTTP server on loopback answering every GET with `body`.
async fn serve(body: Vec<u8>) -> String {
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
    format!("http://{addr}/six.txt")
}

shaped! {
    multi_thread;
    async fn a_remote_upload_has_its_real_size_after_a_restart(shape) {
        let s = setup(shape, Faults::default()).await;
        let url = serve(b"six by".to_vec()).await;
        let (h, mut ev) = s.engine();
        let t = h.remote_upload(&url, true);
        let res = finish(&mut ev, &[t], |_| {}).await;
        assert!(matches!(outcome(&res[&t]), Outcome::RemoteDone { size: Some(6), .. }));
        assert_eq!(res[&t].size(), Some(6), "not the percent");
        h.shutdown().await;
        let (h, _ev) = s.engine();
        let back = h.snapshot().into_iter().find(|v| v.id == t).expect("restored");
        assert_eq!(back.size(), Some(6), "{back:?}");
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_waits_for_the_server_in_a_state_of_its_own() {
    let s = setup(Shapes::Reference, Faults::default()).await;
    s.demo.set_faults(Faults {
        store_delay_ms: 1500,
        ..Faults::default()
    });
    let path = s.dir("up").join("slow.bin");
    std::fs::write(&path, vec![7u8; 200_000]).unwrap();
    let (h, mut ev) = s.engine();
    let t = h.upload(path, "/", None, false);
    let mut states = Vec::new();
    let mut storing_speeds = Vec::new();
    let res = finish(&mut ev, &[t], |e| match e {
        Event::Updated(v) if v.id == t && states.last() != Some(&v.state) => {
            states.push(v.state.clone());
        }
        Event::Progress { items, .. } if states.last() == Some(&State::Storing) => {
            storing_speeds.extend(items.iter().filter(|p| p.id == t).map(|p| p.speed));
        }
        _ => {}
    })
    .await;
    outcome(&res[&t]);
    let storing = states.iter().position(|s| *s == State::Storing);
    let running = states.iter().position(|s| *s == State::Running);
    assert!(
        storing.is_some() && running < storing,
        "running, then storing: {states:?}"
    );
    assert_eq!(State::Storing.label(), "storing");
    assert!(
        storing_speeds.iter().all(|s| *s == 0.0),
        "no speed while storing: {storing_speeds:?}"
    );
    h.shutdown().await;
}

shaped! {
    multi_thread;
    async fn a_wrong_captcha_answer_is_said_with_the_next_picture(shape) {
        let s = setup(shape, Faults::default()).await;
        let client = login(&s.demo, accounts::FREE_USER, accounts::FREE_PASSWORD).await;
        let (h, mut ev) = transfer::start(client, options(&s.state()));
        let t = h.download(ids::CAPTCHA_FILE, s.dir("dl"), None);
        let demo = &s.demo;
        let mut wrong_flags = Vec::new();
        let res = finish(&mut ev, &[t], |e| {
            if let Event::Captcha(req) = e {
                wrong_flags.push(req.wrong_answer);
                let answer = if wrong_flags.len() == 1 {
                    Some("not it".to_string())
                } else {
                    demo.captcha_answer(&req.challenge)
                };
                h.answer_captcha(req.id, answer);
            }
        })
        .await;
        outcome(&res[&t]);
        assert_eq!(wrong_flags, [false, true]);
        h.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_failure_is_saved_and_comes_back() {
    let s = setup(Shapes::Reference, Faults::default()).await;
    let (h, mut ev) = s.engine();
    let t = h.download("zzzzzzzzzzzz9", s.dir("dl"), None);
    let res = finish(&mut ev, &[t], |_| {}).await;
    let err = res[&t].error().expect("failed").clone();
    assert!(matches!(err, TransferError::NotFound { .. }), "{err:?}");
    assert_eq!(err.remedy(), Remedy::Nothing);
    h.shutdown().await;
    let saved = std::fs::read_to_string(s.state().join(transfer::QUEUE_FILE)).unwrap();
    assert!(saved.contains(r#""kind": "not_found""#), "{saved}");
    let (h, _ev) = s.engine();
    let back = h.snapshot().into_iter().find(|v| v.id == t).expect("restored");
    assert_eq!(back.error(), Some(&err));
    h.shutdown().await;
}

#[tokio::test]
async fn an_old_queue_with_a_plain_text_failure_still_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let item = transfer::SavedItem {
        id: TransferId(1),
        parent: None,
        spec: transfer::Spec::Remote(transfer::RemoteSpec {
            url: "http://127.0.0.1:9/x".into(),
            wait: true,
            remote_id: None,
        }),
        state: State::Failed(TransferError::Incomplete),
        outcome: None,
        attempts: 0,
    };
    let mut v: serde_json::Value = serde_json::from_slice(&transfer::Saved::to_bytes(vec![item], 2)).unwrap();
    // How an older k2s wrote it: the reason as plain text.
    v["items"][0]["state"]["reason"] = "connection refused".into();
    std::fs::create_dir_all(tmp.path()).unwrap();
    std::fs::write(tmp.path().join(transfer::QUEUE_FILE), v.to_string()).unwrap();
    let demo = DemoServer::start(DemoOptions::default()).await.expect("demo");
    let client = login(&demo, accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await;
    let (h, _ev) = transfer::start(client, options(tmp.path()));
    assert!(h.restore_notice().is_none(), "{:?}", h.restore_notice());
    let back = h.snapshot();
    assert_eq!(back.len(), 1, "{back:?}");
    let err = back[0].error().expect("still failed");
    assert_eq!(err.to_string(), "connection refused");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_quota_stops_the_batch_with_a_hint_to_make_room() {
    let s = setup(Shapes::Reference, Faults::default()).await;
    s.demo.set_faults(Faults {
        quota: Some(1),
        ..Faults::default()
    });
    let up = s.dir("up");
    let paths: Vec<PathBuf> = (0..3)
        .map(|i| {
            let p = up.join(format!("f{i}.bin"));
            std::fs::write(&p, vec![i as u8 + 1; 5000]).unwrap();
            p
        })
        .collect();
    let mut o = options(&s.state());
    o.concurrency = 1;
    let (h, mut ev) = transfer::start(s.client.clone(), o);
    let ids: Vec<TransferId> = paths.into_iter().map(|p| h.upload(p, "/", None, false)).collect();
    let res = finish(&mut ev, &ids, |_| {}).await;
    let kinds: Vec<Remedy> = ids
        .iter()
        .map(|id| res[id].error().expect("failed").remedy())
        .collect();
    assert!(kinds.iter().all(|r| *r == Remedy::MakeRoom), "{res:?}");
    let stopped = ids
        .iter()
        .filter(|id| matches!(res[id].error(), Some(TransferError::BatchStopped { .. })))
        .count();
    assert!(stopped >= 1, "{res:?}");
    h.shutdown().await;
}

/// `k2s upload` on a terminal (a pseudo-terminal): its progress line says the server is storing
/// the file once the last byte is sent (the node answers 3 s later), with no speed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_progress_line_says_the_server_is_storing_it() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let s = setup(Shapes::Reference, Faults::default()).await;
    s.demo.set_faults(Faults {
        store_delay_ms: 3000,
        ..Faults::default()
    });
    let file = s.dir("up").join("slow.bin");
    std::fs::write(&file, vec![3u8; 100_000]).unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(["--api-url", &s.demo.api_url(), "--config-dir"]);
    cmd.arg(s.dir("cfg"));
    cmd.arg("upload");
    cmd.arg(&file);
    cmd.env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("K2S_API_URL");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn k2s");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let out = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        all
    });
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .expect("k2s ran");
    drop(pair.master);
    let text = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    assert!(status.success(), "{text}");
    assert!(text.contains("the server is storing it"), "{text}");
    assert!(text.contains("uploaded  slow.bin"), "{text}");
}
