//! `--json` shapes as README documents them, `k2s queue` after its process died, the totals line
//! of parallel transfers on a terminal, and counted nouns.

mod common;

use common::k2s_cmd;
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, ids};
use serde_json::Value;
use std::process::Output;

async fn server(shapes: Shapes, faults: Faults) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes,
        faults,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

/// `k2s ARGS`, off the runtime's threads.
async fn k2s(api: &str, dir: &std::path::Path, args: &[&str]) -> Output {
    let mut c = k2s_cmd(api, dir, args);
    tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
        .await
        .unwrap()
}

fn stdout_ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// README's "JSON output" section: for each command named there, the keys it promises.
fn documented_keys() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("### JSON output")
        .nth(1)
        .expect("README has a JSON output section");
    let section = section.split("\n#").next().unwrap_or(section);
    let ticked = |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    let mut out = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("- `")) {
        let (cmds, rest) = line.split_once(':').expect("- `cmd`: keys");
        let keys = ticked(rest.split(';').next().unwrap_or(rest));
        for c in ticked(cmds) {
            out.push((c, keys.clone()));
        }
    }
    out
}

fn assert_keys(cmd: &str, v: &Value, keys: &[String]) {
    let o = v
        .as_object()
        .unwrap_or_else(|| panic!("{cmd}: not an object: {v}"));
    for k in keys {
        assert!(o.contains_key(k), "{cmd} --json lacks {k:?}: {v}");
    }
}

shaped! {
    async fn every_documented_json_key_is_in_the_real_output(shape) {
        let s = server(shape, Faults::default()).await;
        let dir = tempfile::tempdir().unwrap();
        let api = s.api_url();
        let doc = documented_keys();
        for cmd in ["ls", "info", "tree", "account", "queue"] {
            assert!(doc.iter().any(|(c, _)| c == cmd), "README documents no JSON for {cmd}");
        }
        // A queue with one finished transfer in it.
        let dl = tempfile::tempdir().unwrap();
        stdout_ok(&k2s(&api, dir.path(), &["--json", "download", ids::README, "--dir", dl.path().to_str().unwrap()]).await);
        for (cmd, keys) in &doc {
            let args: Vec<&str> = match cmd.as_str() {
                "ls" => vec!["--json", "ls", "/Movies"],
                "info" => vec!["--json", "info", ids::VIDEO_BUNNY, ids::MOVIES],
                "tree" => vec!["--json", "tree"],
                "account" => vec!["--json", "account"],
                "queue" => vec!["--json", "queue"],
                other => panic!("README documents JSON for {other}, which this test does not run"),
            };
            let text = stdout_ok(&k2s(&api, dir.path(), &args).await);
            let values: Vec<Value> = if cmd == "queue" {
                text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
            } else {
                match serde_json::from_str(&text).unwrap() {
                    Value::Array(a) => a,
                    v => vec![v],
                }
            };
            assert!(!values.is_empty(), "{cmd}: no output");
            for v in &values {
                assert_keys(cmd, v, keys);
            }
        }
    }
}

shaped! {
    async fn ls_and_info_json_carry_the_real_values(shape) {
        let s = server(shape, Faults::default()).await;
        let dir = tempfile::tempdir().unwrap();
        let api = s.api_url();
        let ls: Value = serde_json::from_str(&stdout_ok(&k2s(&api, dir.path(), &["--json", "ls", "/Movies"]).await)).unwrap();
        let info: Value = serde_json::from_str(&stdout_ok(&k2s(&api, dir.path(), &["--json", "info", ids::VIDEO_BUNNY]).await)).unwrap();
        let from_ls = ls
            .as_array()
            .and_then(|a| a.iter().find(|v| v["id"] == ids::VIDEO_BUNNY))
            .cloned()
            .expect("the video is listed");
        let truth = s.file(ids::VIDEO_BUNNY).expect("the demo has it");
        for (what, v) in [("ls", &from_ls), ("info", &info[0])] {
            assert_eq!(v["type"], "file", "{what}: {v}");
            assert_eq!(v["access"], truth.access.as_str(), "{what}: {v}");
            assert_eq!(v["size"], truth.size, "{what}: {v}");
            assert_eq!(v["md5"], truth.md5.as_str(), "{what}: {v}");
            assert_eq!(v["downloads"], truth.downloads, "{what}: {v}");
            assert!(v["last_download"].is_string(), "{what}: {v}");
            assert!(v["created"].is_string(), "{what}: {v}");
            assert!(v["duration"].as_f64().is_some_and(|d| d > 0.0), "{what}: {v}");
            assert_eq!(v["resolution"], "1920x1080", "{what}: {v}");
            assert_eq!(v["parent"], ids::MOVIES, "{what}: {v}");
            assert_eq!(v["path"], "/Movies/Big Buck Bunny.mp4", "{what}: {v}");
            assert!(v["link"].as_str().is_some_and(|l| l.contains(ids::VIDEO_BUNNY)), "{what}: {v}");
            assert!(v.get("extended_info").is_none(), "{what}: no raw API fields: {v}");
        }
    }
}

/// The lines of `k2s --json queue`.
async fn queue_json(api: &str, dir: &std::path::Path) -> Vec<Value> {
    stdout_ok(&k2s(api, dir, &["--json", "queue"]).await)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

shaped! {
    async fn a_transfer_whose_process_died_is_interrupted_not_running(shape) {
        let s = server(shape, Faults { bandwidth: Some(40_000), ..Faults::default() }).await;
        let dir = tempfile::tempdir().unwrap();
        let dl = tempfile::tempdir().unwrap();
        let api = s.api_url();
        let mut child = k2s_cmd(
            &api,
            dir.path(),
            &["download", ids::VIDEO_BUNNY, "--connections", "1", "--dir", dl.path().to_str().unwrap()],
        )
        .spawn()
        .expect("spawn k2s download");
        // While it runs, the queue says so.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
        loop {
            let q = queue_json(&api, dir.path()).await;
            if q.iter().any(|v| v["state"] == "running") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "never running: {q:?}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        child.kill().expect("kill -9 the download");
        let _ = child.wait();
        let text = stdout_ok(&k2s(&api, dir.path(), &["queue"]).await);
        assert!(
            text.contains("interrupted") && text.contains("(resume with `k2s queue --resume`)"),
            "{text}"
        );
        assert!(!text.contains("running"), "{text}");
        assert!(text.contains("1 unfinished transfer: `k2s queue --resume` continues it"), "{text}");
        let q = queue_json(&api, dir.path()).await;
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0]["state"], "interrupted", "{q:?}");
        assert_eq!(q[0]["file_id"], ids::VIDEO_BUNNY, "{q:?}");
    }
}

shaped! {
    async fn one_item_is_counted_in_the_singular(shape) {
        let s = server(shape, Faults::default()).await;
        let dir = tempfile::tempdir().unwrap();
        let api = s.api_url();
        let local = tempfile::tempdir().unwrap();
        let folder = local.path().join("solo-folder");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("only.txt"), b"just one file\n").unwrap();
        let up = stdout_ok(&k2s(&api, dir.path(), &["upload", folder.to_str().unwrap()]).await);
        assert!(up.contains("(created, 1 item)"), "{up}");
        let dl = tempfile::tempdir().unwrap();
        let down = stdout_ok(
            &k2s(&api, dir.path(), &["download", "/solo-folder", "--dir", dl.path().to_str().unwrap()]).await,
        );
        assert!(down.contains("(1 item queued)"), "{down}");
        assert!(!format!("{up}{down}").contains("1 items"), "{up}{down}");
    }
}

/// `k2s ARGS` in a pseudo-terminal (stdout and stderr both on it): everything printed, and
/// whether it succeeded.
fn run_in_pty(api: &str, dir: &std::path::Path, args: &[&str]) -> (String, bool) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 140,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(args);
    cmd.env("K2S_API_URL", api);
    cmd.env("K2S_CONFIG_DIR", dir);
    cmd.env("K2S_ACCESS_TOKEN", k2s::demo::accounts::PARTNER_TOKEN);
    cmd.env("TERM", "xterm-256color");
    for var in ["K2S_LOG", "DISPLAY", "WAYLAND_DISPLAY"] {
        cmd.env_remove(var);
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn k2s");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let o2 = out.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            o2.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            std::thread::sleep(std::time::Duration::from_millis(200));
            return (out.lock().unwrap().clone(), st.success());
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("k2s did not finish; printed:\n{}", out.lock().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

shaped! {
    async fn parallel_downloads_on_a_terminal_show_a_bar_each_and_a_totals_line(shape) {
        let s = server(shape, Faults { bandwidth: Some(1_000_000), ..Faults::default() }).await;
        let dir = tempfile::tempdir().unwrap();
        let dl = tempfile::tempdir().unwrap();
        let (api, d, to) = (s.api_url(), dir.path().to_path_buf(), dl.path().to_str().unwrap().to_string());
        let (out, success) = tokio::task::spawn_blocking(move || {
            run_in_pty(
                &api,
                &d,
                &["download", ids::VIDEO_BUNNY, ids::VIDEO_SINTEL_PREMIUM, "--connections", "1", "--dir", &to],
            )
        })
        .await
        .unwrap();
        assert!(success, "{out}");
        assert!(out.contains("Big Buck Bunny"), "a bar of its own: {out}");
        assert!(out.contains("Sintel"), "a bar of its own: {out}");
        assert!(out.contains("2 transfers  "), "the totals line: {out}");
        assert_eq!(out.matches("saved ").count(), 2, "{out}");
    }
}

shaped! {
    async fn an_unknown_id_alone_is_one_item_not_found(shape) {
        let s = server(shape, Faults::default()).await;
        let dir = tempfile::tempdir().unwrap();
        let out = k2s(&s.api_url(), dir.path(), &["info", "unknown000001"]).await;
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("1 of 1 item not found"), "{err}");
    }
}
