//! The duplicates view end to end: the same content uploaded twice with the real binary, an
//! index built with `k2s index`, then the TUI in a pseudo-terminal: `Alt-d` shows the pair,
//! `D` and `y` delete the copy not kept; the server has one copy left.

use k2s::demo::{DemoOptions, DemoServer, accounts};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROWS: u16 = 30;
const COLS: u16 = 120;
/// Generous: debug builds on a loaded machine.
const WAIT: Duration = Duration::from_secs(60);

/// What the CLI and the TUI share: the config (and so the state) folder, the server, the token.
fn env_for(cmd: &mut CommandBuilder, dir: &Path) {
    cmd.cwd(dir);
    cmd.env("K2S_CONFIG_DIR", dir.join("config"));
    cmd.env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN);
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUST_BACKTRACE", "0");
    for var in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "TMUX",
        "K2S_API_URL",
        "K2S_PROFILE",
        "NO_COLOR",
        "K2S_LOG",
    ] {
        cmd.env_remove(var);
    }
}

struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    fn spawn(dir: &Path, args: &[&str]) -> Tui {
        let size = PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
        cmd.args(args);
        env_for(&mut cmd, dir);
        let child = pair.slave.spawn_command(cmd).expect("spawn k2s");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
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
        Tui {
            child,
            writer,
            parser,
            _master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    async fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let s = self.screen();
            if pred(&s) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait_text(&self, text: &str) {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text)).await;
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// `k2s --api-url URL ARGS` with the TUI's folders; its output.
async fn k2s(dir: &Path, api: &str, args: &[&str]) -> String {
    let (dir, api) = (dir.to_path_buf(), api.to_string());
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_k2s"));
        c.args(["--api-url", &api])
            .args(&args)
            .current_dir(&dir)
            .env("K2S_CONFIG_DIR", dir.join("config"))
            .env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN)
            .env_remove("K2S_API_URL")
            .env_remove("K2S_PROFILE")
            .env_remove("K2S_LOG")
            .stdin(std::process::Stdio::null());
        let out = c.output().expect("run k2s");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "k2s {args:?} failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    })
    .await
    .expect("k2s ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alt_d_shows_a_duplicate_pair_and_deletes_the_copy_not_kept() {
    let srv = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let api = srv.api_url();
    let dir = tempfile::tempdir().expect("temp dir");
    let local = dir.path().join("twin.txt");
    std::fs::write(&local, "the same bytes, stored twice by mistake\n".repeat(500)).expect("write");
    let local = local.to_str().expect("a UTF-8 path");
    k2s(dir.path(), &api, &["upload", local, "--to", "/Documents"]).await;
    k2s(dir.path(), &api, &["upload", local, "--to", "/Movies"]).await;
    let out = k2s(dir.path(), &api, &["index"]).await;
    assert!(out.contains("indexed"), "{out}");
    let out = k2s(dir.path(), &api, &["dupes"]).await;
    assert!(
        out.contains("/Documents/twin.txt") && out.contains("/Movies/twin.txt"),
        "{out}"
    );

    let mut tui = Tui::spawn(dir.path(), &["--api-url", &api]);
    tui.wait_text("README.txt").await;
    tui.send("\x1bd");
    tui.wait_text("/Movies/twin.txt").await;
    let s = tui.screen();
    assert!(
        s.contains("Duplicates") && s.contains("extra cop") && s.contains("wasted"),
        "{s}"
    );
    // Both have no downloads: the older, first uploaded, is kept.
    let line = |s: &str, path: &str| s.lines().find(|l| l.contains(path)).unwrap_or("").to_string();
    assert!(line(&s, "/Documents/twin.txt").contains("keep"), "{s}");
    assert!(line(&s, "/Movies/twin.txt").contains("del"), "{s}");
    tui.send("D");
    tui.wait_text("for good?").await;
    assert!(tui.screen().contains("freed"), "{}", tui.screen());
    tui.send("y");
    tui.wait_for("the pair gone from the view", |s| {
        s.contains("Duplicates") && !s.contains("/Movies/twin.txt") && !s.contains("for good?")
    })
    .await;
    tui.send("\x1b");
    tui.wait_for("the view closed", |s| !s.contains("Duplicates"))
        .await;
    tui.send("q");

    let movies = k2s(dir.path(), &api, &["ls", "/Movies"]).await;
    assert!(
        !movies.contains("twin.txt"),
        "the copy not kept is deleted: {movies}"
    );
    let docs = k2s(dir.path(), &api, &["ls", "/Documents"]).await;
    assert!(docs.contains("twin.txt"), "the copy kept stays: {docs}");
    let out = k2s(dir.path(), &api, &["dupes"]).await;
    assert!(!out.contains("twin.txt"), "the index knows: {out}");
}
