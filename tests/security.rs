//! Secrets, file modes, untrusted configuration and per-account state, against the demo server.

mod common;

use k2s::api::account_key::{account_key, server_key};
use k2s::api::{Client, ClientConfig, Credentials};
use k2s::demo::{DemoOptions, DemoServer, accounts};
use k2s::transfer::{self, EngineOptions, Event, State};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const SIG: &str = "SECRETSIGNATURE0123";

async fn demo() -> DemoServer {
    DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server")
}

fn k2s(api: &str, cfg: &Path, args: &[&str]) -> Command {
    common::k2s_cmd(api, cfg, args)
}

async fn run(mut c: Command) -> Output {
    tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
        .await
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Where the partner token's queue lives for `api` with config dir `cfg`.
fn token_dir(cfg: &Path, api: &str) -> PathBuf {
    cfg.join("state")
        .join(server_key(api))
        .join(account_key(Some(accounts::PARTNER_TOKEN), None))
}

/// Every demo download URL in `text` has its token hidden (`/dl/…`).
fn no_download_token(text: &str) -> bool {
    text.match_indices("/dl/")
        .all(|(i, _)| text[i + 4..].starts_with('…'))
}

fn a_root_file(s: &DemoServer) -> k2s::demo::DemoFile {
    s.children("/")
        .into_iter()
        .find(|f| !f.is_folder)
        .expect("a file at the root")
}

/// An API in front of the demo server whose getUrl answers point at a closed port, with a
/// signature in the query as the live service's have.
async fn dead_download_host(demo: &DemoServer) -> String {
    use axum::body::Bytes;
    use axum::extract::{Path as AxPath, State as AxState};
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let upstream = demo.api_url();
    let handler = move |AxState(up): AxState<String>, AxPath(method): AxPath<String>, body: Bytes| async move {
        let reply = reqwest::Client::new()
            .post(format!("{up}/{method}"))
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let status = reply.status().as_u16();
        let mut json: serde_json::Value = reply.json().await.unwrap_or_default();
        if method == "getUrl"
            && let Some(url) = json.get("url").and_then(|u| u.as_str())
        {
            let path = url.split_once("/dl/").map_or("", |(_, p)| p);
            json["url"] =
                format!("http://127.0.0.1:{closed}/dl/{path}?temp_url_sig={SIG}&temp_url_expires=9").into();
        }
        (
            axum::http::StatusCode::from_u16(status).unwrap(),
            axum::Json(json),
        )
    };
    let app = axum::Router::new()
        .route("/api/v2/{method}", axum::routing::post(handler))
        .with_state(upstream);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://127.0.0.1:{port}/api/v2")
}

/// A download whose host refuses connections fails with a reason that names the host but not
/// the signature, and neither the reason nor the saved queue holds the signed URL.
#[tokio::test]
async fn a_failed_download_never_shows_or_saves_the_signed_url() {
    let demo = demo().await;
    let api = dead_download_host(&demo).await;
    let tmp = tempfile::tempdir().unwrap();
    let client = Client::new(ClientConfig {
        base_url: api,
        credentials: Credentials {
            access_token: Some(accounts::PARTNER_TOKEN.into()),
            ..Credentials::default()
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let opts = EngineOptions {
        state_dir: Some(tmp.path().join("state")),
        retry_base: Duration::from_millis(20),
        max_attempts: 2,
        tick: Duration::from_millis(50),
        ..EngineOptions::default()
    };
    let (h, mut ev) = transfer::start(client, opts);
    let file = a_root_file(&demo);
    h.download(&file.id, tmp.path().join("dl"), None);
    let why = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(e) = ev.recv().await {
            if let Event::Updated(v) = e
                && let State::Failed(why) = v.state
            {
                return why.to_string();
            }
        }
        panic!("the engine ended");
    })
    .await
    .expect("the download fails in time");
    h.shutdown().await;
    assert!(why.contains("127.0.0.1"), "{why}");
    assert!(!why.contains(SIG) && !why.contains("temp_url"), "{why}");
    let queue = std::fs::read_to_string(tmp.path().join("state/queue.json")).unwrap();
    assert!(!queue.contains(SIG) && no_download_token(&queue), "{queue}");
    assert!(queue.contains("failed"), "{queue}");
}

/// The state folder and everything k2s writes into it are private, also when they existed
/// before with looser modes; the log never holds a signed URL.
#[tokio::test]
async fn state_files_are_private() {
    let demo = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let state = cfg.join("state");
    std::fs::create_dir_all(&state).unwrap();
    chmod(&cfg, 0o755);
    chmod(&state, 0o755);
    std::fs::write(state.join("k2s.log"), b"").unwrap();
    chmod(&state.join("k2s.log"), 0o644);
    let file = a_root_file(&demo);
    let dl = tmp.path().join("out");
    let mut c = k2s(&demo.api_url(), &cfg, &["download", &file.id, "--dir"]);
    c.arg(&dl).env("K2S_LOG", "debug");
    let out = run(c).await;
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(mode(&cfg), 0o700);
    assert_eq!(mode(&state), 0o700);
    assert_eq!(mode(&state.join("k2s.log")), 0o600);
    let account = token_dir(&cfg, &demo.api_url());
    assert_eq!(mode(&account), 0o700);
    assert_eq!(mode(account.parent().unwrap()), 0o700);
    assert_eq!(mode(&account.join("queue.json")), 0o600);
    assert_eq!(mode(&account.join("queue.lock")), 0o600);
    let log = std::fs::read_to_string(state.join("k2s.log")).unwrap();
    assert!(no_download_token(&log), "{log}");
}

/// A config file others may write, or that is not ours, is refused with the fix named; a
/// dangling config symlink is an error.
#[tokio::test]
async fn untrusted_config_is_refused() {
    let demo = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    chmod(&cfg, 0o700);
    let file = cfg.join("config.toml");
    std::fs::write(&file, "api_url = \"http://127.0.0.1:9/api/v2\"\n").unwrap();
    chmod(&file, 0o666);
    let mut c = k2s(&demo.api_url(), &cfg, &["ls"]);
    c.env_remove("K2S_API_URL");
    let out = run(c).await;
    let (_, err) = text(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains(&format!("chmod go-w {}", file.display())), "{err}");

    chmod(&file, 0o600);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&file, Some(4321), None).unwrap();
        let out = run(k2s(&demo.api_url(), &cfg, &["ls"])).await;
        let (_, err) = text(&out);
        assert!(!out.status.success(), "{err}");
        assert!(
            err.contains("another user") && err.contains(&file.display().to_string()),
            "{err}"
        );
    }

    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere.toml"), &file).unwrap();
    let out = run(k2s(&demo.api_url(), &cfg, &["ls"])).await;
    let (_, err) = text(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("elsewhere.toml") && err.contains("does not exist"),
        "{err}"
    );
}

/// A session cache that others may read is tightened, still used, and the log says so.
#[tokio::test]
async fn a_loose_session_cache_is_tightened() {
    let demo = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let mut c = k2s(
        &demo.api_url(),
        &cfg,
        &["login", "--username", accounts::PREMIUM_USER, "--password-stdin"],
    );
    c.env_remove("K2S_ACCESS_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let line = format!("{}\n", accounts::PREMIUM_PASSWORD);
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = c.spawn().unwrap();
        child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(mode(&cfg), 0o700);
    let session = cfg.join("session.json");
    chmod(&session, 0o644);
    let mut c = k2s(&demo.api_url(), &cfg, &["account"]);
    c.env_remove("K2S_ACCESS_TOKEN");
    let out = run(c).await;
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(mode(&session), 0o600);
    let log = std::fs::read_to_string(cfg.join("state/k2s.log")).unwrap();
    assert!(log.contains("tightened") && log.contains("session.json"), "{log}");
}

/// Each server and each account has its own queue; --demo has its own state folder.
#[tokio::test]
async fn queues_are_per_server_and_account() {
    let a = demo().await;
    let b = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let file = a_root_file(&a);
    let mut c = k2s(&a.api_url(), &cfg, &["download", &file.id, "--dir"]);
    c.arg(tmp.path().join("dl"));
    let out = run(c).await;
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(token_dir(&cfg, &a.api_url()).join("queue.json").exists());
    assert!(!cfg.join("state/queue.json").exists());

    let listed = |api: String, token: bool, demo: bool| {
        let mut c = k2s(&api, &cfg, &["queue", "--json"]);
        if !token {
            c.env_remove("K2S_ACCESS_TOKEN");
        }
        if demo {
            c.arg("--demo");
        }
        run(c)
    };
    let (on_a, _) = text(&listed(a.api_url(), true, false).await);
    assert!(on_a.contains(&file.id), "{on_a}");
    let (on_b, err) = text(&listed(b.api_url(), true, false).await);
    assert!(
        on_b.trim().is_empty(),
        "another server sees the queue: {on_b} {err}"
    );
    let (other_account, _) = text(&listed(a.api_url(), false, false).await);
    assert!(
        other_account.trim().is_empty(),
        "another account sees the queue: {other_account}"
    );
    let (in_demo, _) = text(&listed(a.api_url(), true, true).await);
    assert!(in_demo.trim().is_empty(), "--demo sees the queue: {in_demo}");
}

/// A transfer never runs while the client is logged in as another account than the queue's.
#[tokio::test]
async fn a_transfer_never_runs_under_another_account() {
    let demo = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let client = Client::new(ClientConfig {
        base_url: demo.api_url(),
        credentials: Credentials {
            access_token: Some(accounts::PARTNER_TOKEN.into()),
            ..Credentials::default()
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let opts = EngineOptions {
        state_dir: Some(tmp.path().join("state")),
        account: Some("someone@else".into()),
        ..EngineOptions::default()
    };
    let (h, mut ev) = transfer::start(client, opts);
    h.download(&a_root_file(&demo).id, tmp.path().join("out"), None);
    let state = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(e) = ev.recv().await {
            if let Event::Updated(v) = e
                && v.state.is_finished()
            {
                return v.state;
            }
        }
        panic!("the engine ended");
    })
    .await
    .expect("the transfer ends in time");
    h.shutdown().await;
    match state {
        State::Failed(why) => assert!(
            why.to_string().contains("belongs to account someone@else"),
            "{why}"
        ),
        other => panic!("ran under another account: {other:?}"),
    }
    assert!(!tmp.path().join("out").exists());
}

/// A corrupt queue is reported, naming the .bad file it was moved to.
#[tokio::test]
async fn a_corrupt_queue_is_reported() {
    let demo = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let dir = token_dir(&cfg, &demo.api_url());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("queue.json"), b"{\"version\": 1, \"items\": [trunc").unwrap();
    let out = run(k2s(&demo.api_url(), &cfg, &["queue", "--resume"])).await;
    let (_, err) = text(&out);
    let bad = dir.join("queue.json.bad");
    assert!(bad.exists());
    assert!(err.contains(&bad.display().to_string()), "{err}");
    assert!(err.contains("unreadable"), "{err}");
}

/// The TUI says so too, on its status line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_reports_a_corrupt_queue() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let demo = demo().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("c");
    let dir = token_dir(&cfg, &demo.api_url());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("queue.json"), b"[garbage").unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(["--api-url", &demo.api_url()]);
    cmd.cwd(tmp.path());
    cmd.env("K2S_CONFIG_DIR", &cfg);
    cmd.env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN);
    cmd.env("TERM", "xterm-256color");
    for var in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "TMUX",
        "K2S_API_URL",
        "NO_COLOR",
        "K2S_TEST_PANIC",
    ] {
        cmd.env_remove(var);
    }
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let parser = std::sync::Arc::new(std::sync::Mutex::new(vt100::Parser::new(30, 200, 0)));
    let p2 = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p2.lock().unwrap().process(&buf[..n]);
        }
    });
    let bad = dir.join("queue.json.bad").display().to_string();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let screen = loop {
        let s = parser.lock().unwrap().screen().contents();
        if s.contains(&bad) || tokio::time::Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = child.kill();
    assert!(screen.contains(&bad) && screen.contains("unreadable"), "{screen}");
}

/// The CLI's retry lines and its final error for a download whose host is dead show the host,
/// never the signature; the log at debug level neither.
#[tokio::test]
async fn retry_lines_of_the_cli_never_show_the_signed_url() {
    let demo = demo().await;
    let api = dead_download_host(&demo).await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("cfg");
    let file = a_root_file(&demo);
    let mut c = k2s(&api, &cfg, &["--timeout", "3", "download", &file.id, "--dir"]);
    c.arg(tmp.path().join("dl")).env("K2S_LOG", "debug");
    let out = run(c).await;
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("retrying"), "{stderr}");
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
    assert!(!stderr.contains(SIG) && !stderr.contains("temp_url"), "{stderr}");
    assert!(no_download_token(&stderr), "{stderr}");
    let log = std::fs::read_to_string(cfg.join("state/k2s.log")).unwrap();
    assert!(!log.contains(SIG) && no_download_token(&log), "{log}");
}
