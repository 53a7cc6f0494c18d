//! The health view end to end: an index of the demo account built with the real `k2s index`,
//! then the TUI in a pseudo-terminal: `Alt-h` shows the sections with the seed's blocked file,
//! `d` and `y` delete it, and the demo server no longer has it.

use k2s::demo::{DemoOptions, DemoServer, accounts, ids};
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

/// `k2s --api-url URL index` with the TUI's folders; its output.
async fn build_index(dir: &Path, api: &str) -> String {
    let (dir, api) = (dir.to_path_buf(), api.to_string());
    tokio::task::spawn_blocking(move || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_k2s"));
        c.args(["--api-url", &api, "index"])
            .current_dir(&dir)
            .env("K2S_CONFIG_DIR", dir.join("config"))
            .env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN)
            .env_remove("K2S_API_URL")
            .env_remove("K2S_PROFILE")
            .env_remove("K2S_LOG")
            .stdin(std::process::Stdio::null());
        let out = c.output().expect("run k2s index");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "k2s index failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    })
    .await
    .expect("k2s index ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alt_h_shows_the_files_in_trouble_and_deletes_a_blocked_one_on_the_server() {
    let srv = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let api = srv.api_url();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = build_index(dir.path(), &api).await;
    assert!(out.contains("indexed"), "{out}");
    assert!(srv.file(ids::BLOCKED).is_some());

    let mut tui = Tui::spawn(dir.path(), &["--api-url", &api]);
    tui.wait_text("README.txt").await;
    tui.send("\x1bh");
    tui.wait_text("Health").await;
    // The blocked section first, with its count and the file's path.
    tui.wait_text("blocked 1").await;
    tui.wait_text("/Movies/blocked-video.mp4").await;
    tui.wait_for("the never-downloaded section has files", |s| {
        !s.contains("never downloaded 0 ")
    })
    .await;
    // Delete it: one question, then the usual delete.
    tui.send("d");
    tui.wait_text("blocked-video.mp4").await;
    tui.wait_for("the delete question", |s| s.contains("Delete"))
        .await;
    tui.send("y");
    tui.wait_for("the blocked section empty", |s| {
        s.contains("blocked 0") && s.contains("no file is blocked")
    })
    .await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while srv.file(ids::BLOCKED).is_some() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server still has the file"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Tab goes to the next section; Esc closes the view.
    tui.send("\t");
    tui.wait_text("gone from storage:").await;
    tui.send("\x1b");
    tui.wait_for("the view closed", |s| !s.contains("gone from storage:"))
        .await;
    tui.send("q");
}
