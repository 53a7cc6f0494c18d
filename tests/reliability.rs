//! Dead, silent and dying servers, a full stdout, hostile characters in JSON, and running
//! failed transfers again: the `k2s` command line against the demo server and its fault knobs.

mod common;

use k2s::demo::{DemoOptions, DemoServer, Faults, accounts};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Env {
    server: DemoServer,
    dir: tempfile::TempDir,
}

async fn env_with(faults: Faults) -> Env {
    env_shaped(k2s::demo::Shapes::Reference, faults).await
}

async fn env_shaped(shapes: k2s::demo::Shapes, faults: Faults) -> Env {
    let server = DemoServer::start(DemoOptions {
        shapes,
        faults,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    Env {
        server,
        dir: tempfile::tempdir().expect("temp dir"),
    }
}

/// `k2s ARGS` with the partner token against `api_url`, its config and state in `dir`.
fn cmd(api_url: &str, dir: &Path, args: &[&str]) -> Command {
    common::k2s_cmd(api_url, dir, args)
}

/// Run off the runtime's threads (the demo server runs on them); the output and how long it took.
async fn run(mut c: Command) -> (Output, Duration) {
    tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        let out = c.output().expect("run k2s");
        (out, start.elapsed())
    })
    .await
    .expect("join")
}

impl Env {
    fn cmd(&self, args: &[&str]) -> Command {
        cmd(&self.server.api_url(), self.dir.path(), args)
    }
    async fn run(&self, args: &[&str]) -> (Output, Duration) {
        run(self.cmd(args)).await
    }
    fn file_id(&self, name: &str) -> String {
        self.server
            .find_by_name(name)
            .first()
            .expect("seeded file")
            .id
            .clone()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Failed with exit 1 and no panic.
fn failed_cleanly(o: &Output) -> String {
    failed_with(o, 1)
}

/// Failed with this exit code and no panic.
fn failed_with(o: &Output, code: i32) -> String {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {e}\nstdout: {}", stdout(o));
    assert!(!e.contains("panicked"), "{e}");
    e
}

/// The exit code of a command the server never answered: 5 (unreachable), for the transfer
/// commands too when every item failed that way.
fn unreachable_code(_args: &[&str]) -> i32 {
    5
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
    stdout(o)
}

/// An address nothing listens on.
fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    format!("http://127.0.0.1:{port}/api/v2")
}

#[tokio::test]
async fn a_closed_port_fails_within_the_timeout_and_shows_the_retries() {
    let url = closed_port_url();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("f.txt");
    std::fs::write(&file, b"hello").expect("write");
    let dl = dir.path().join("dl");
    for args in [
        vec!["--timeout", "3", "ls"],
        vec![
            "--timeout",
            "3",
            "download",
            "abcdef1234567",
            "--dir",
            dl.to_str().unwrap(),
        ],
        vec!["--timeout", "3", "upload", file.to_str().unwrap()],
    ] {
        let (o, took) = run(cmd(&url, dir.path(), &args)).await;
        let e = failed_with(&o, unreachable_code(&args));
        assert!(took < Duration::from_secs(15), "{args:?} took {took:?}: {e}");
        assert!(e.contains("retrying in"), "{args:?}: no retry shown: {e}");
        assert!(e.contains("connection refused"), "{args:?}: {e}");
        assert!(e.contains(" of "), "{args:?}: retry count not shown: {e}");
    }
}

#[tokio::test]
async fn a_silent_server_fails_within_the_timeout() {
    let e = env_with(Faults {
        silent: true,
        ..Faults::default()
    })
    .await;
    let file = e.dir.path().join("f.txt");
    std::fs::write(&file, b"hello").expect("write");
    let dl = e.dir.path().join("dl");
    for args in [
        vec!["--timeout", "2", "ls"],
        vec![
            "--timeout",
            "2",
            "download",
            "abcdef1234567",
            "--dir",
            dl.to_str().unwrap(),
        ],
        vec!["--timeout", "2", "upload", file.to_str().unwrap()],
    ] {
        let (o, took) = e.run(&args).await;
        let err = failed_with(&o, unreachable_code(&args));
        assert!(took < Duration::from_secs(8), "{args:?} took {took:?}: {err}");
        assert!(err.contains("no answer"), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn a_download_host_that_dies_mid_download_fails_within_the_timeout() {
    let e = env_with(Faults {
        die_download_after: Some(50_000),
        ..Faults::default()
    })
    .await;
    let id = e.file_id("report.pdf");
    let dl = e.dir.path().join("dl");
    let (o, took) = e
        .run(&["--timeout", "3", "download", &id, "--dir", dl.to_str().unwrap()])
        .await;
    let err = failed_cleanly(&o);
    assert!(took < Duration::from_secs(20), "took {took:?}: {err}");
    assert!(err.contains("report.pdf: retrying in"), "{err}");
    assert!(err.contains("report.pdf: failed"), "{err}");
}

#[tokio::test]
async fn a_full_stdout_is_an_error_not_a_panic() {
    let e = env_with(Faults::default()).await;
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    for args in [
        vec!["ls"],
        vec!["ls", "--json"],
        vec!["info", "--json", "/README.txt"],
    ] {
        let mut c = e.cmd(&args);
        c.stdout(full());
        let (o, _) = run(c).await;
        let err = failed_cleanly(&o);
        assert!(err.contains("cannot write the output"), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn a_download_with_a_full_stdout_leaves_the_queue_consistent() {
    let e = env_with(Faults::default()).await;
    let id = e.file_id("README.txt");
    let dl = e.dir.path().join("dl");
    let mut c = e.cmd(&["download", &id, "--json", "--dir", dl.to_str().unwrap()]);
    c.stdout(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full"),
    );
    let (o, _) = run(c).await;
    let err = failed_cleanly(&o);
    assert!(err.contains("cannot write the output"), "{err}");
    assert!(dl.join("README.txt").is_file());
    // Saved as done: a resume does not fetch it again as "README (1).txt".
    let queue = ok(&e.run(&["queue", "--json"]).await.0);
    assert!(queue.contains(r#""state":"done""#), "{queue}");
    ok(&e.run(&["queue", "--resume"]).await.0);
    let names: Vec<_> = std::fs::read_dir(&dl)
        .expect("dir")
        .map(|d| d.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("README.txt")]);
}

#[tokio::test]
async fn json_escapes_del_and_c1_controls_and_keeps_every_character() {
    let e = env_with(Faults::default()).await;
    let id = e.file_id("README.txt");
    let hostile = "a\u{9b}31mb\u{7f}c\u{85}d\u{202e}e.txt";
    // The CLI refuses such a name; another client (or the web site) may not.
    let client = k2s::api::Client::new(k2s::api::ClientConfig {
        base_url: e.server.api_url(),
        credentials: k2s::api::Credentials {
            access_token: Some(accounts::PARTNER_TOKEN.into()),
            ..Default::default()
        },
        ..Default::default()
    })
    .expect("client");
    let rename = k2s::api::FileChanges {
        new_name: Some(hostile.into()),
        ..Default::default()
    };
    client.update_file(&id, &rename).await.expect("rename");
    for args in [vec!["ls", "--json"], vec!["info", "--json", &id]] {
        let out = ok(&e.run(&args).await.0);
        for c in ['\u{7f}', '\u{85}', '\u{9b}'] {
            assert!(!out.contains(c), "{args:?}: raw {c:?} in {out}");
        }
        assert!(out.contains(r"\u009b") && out.contains(r"\u007f"), "{out}");
        // Still the same name for a JSON reader.
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert!(v.to_string().contains(hostile), "{args:?}: {v}");
    }
}

/// `k2s download notes-2024.md [FLAGS]` into `<dir>/dl` on a host that dies at once: the
/// download fails and stays in the queue; then the host is well again.
async fn a_failed_download(shape: k2s::demo::Shapes, flags: &[&str]) -> (Env, std::path::PathBuf) {
    let e = env_shaped(
        shape,
        Faults {
            die_download_after: Some(0),
            ..Faults::default()
        },
    )
    .await;
    let id = e.file_id("notes-2024.md");
    let dl = e.dir.path().join("dl");
    let mut args = vec!["--timeout", "2", "download", &id, "--dir", dl.to_str().unwrap()];
    args.extend_from_slice(flags);
    let (o, _) = e.run(&args).await;
    failed_cleanly(&o);
    e.server.set_faults(Faults::default());
    (e, dl)
}

#[tokio::test]
async fn queue_resume_retry_failed_runs_failed_transfers_again() {
    let (e, dl) = a_failed_download(k2s::demo::Shapes::Reference, &[]).await;
    // A plain resume leaves failed transfers alone, and says how to run them again.
    let (o, _) = e.run(&["queue", "--resume"]).await;
    ok(&o);
    assert!(stderr(&o).contains("--retry-failed"), "{}", stderr(&o));
    assert!(!dl.join("notes-2024.md").exists());
    let (o, _) = e.run(&["queue", "--resume", "--retry-failed"]).await;
    let out = ok(&o);
    assert!(out.contains("saved"), "{out}");
    let size = std::fs::metadata(dl.join("notes-2024.md"))
        .expect("downloaded")
        .len();
    assert_eq!(size, 5_003);
    let queue = ok(&e.run(&["queue", "--json"]).await.0);
    assert!(!queue.contains("failed"), "{queue}");
}

shaped! {
    /// `download --skip-existing` that fails, then `queue --resume --retry-failed`: the resume
    /// still skips on the name alone (the flag is kept in the queue), so a local file of that
    /// name is left as it is and no "(1)" copy is made beside it.
    async fn queue_resume_keeps_skip_existing(shape) {
        let (e, dl) = a_failed_download(shape, &["--skip-existing"]).await;
        std::fs::create_dir_all(&dl).unwrap();
        std::fs::write(dl.join("notes-2024.md"), b"my own notes").unwrap();
        let (o, _) = e.run(&["--json", "queue", "--resume", "--retry-failed"]).await;
        let out = ok(&o);
        assert!(out.contains("\"skipped\""), "{out}");
        assert_eq!(std::fs::read(dl.join("notes-2024.md")).unwrap(), b"my own notes");
        let names: Vec<String> = std::fs::read_dir(&dl)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["notes-2024.md"], "no copy beside it");
    }
}
