//! The TUI switches profile while it runs: the profile picker (`Alt-p`) lists the profiles of
//! config.toml, and choosing one restarts the TUI on it without leaving the terminal; the first
//! profile's queue is saved and is there again after switching back.

mod common;

use k2s::demo::{DemoOptions, DemoServer, Faults, accounts, ids};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROWS: u16 = 30;
const COLS: u16 = 120;
/// Generous: debug builds on a loaded machine.
const WAIT: Duration = Duration::from_secs(60);

struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    fn spawn(config_dir: &Path, args: &[&str]) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
        cmd.args(args);
        cmd.cwd(config_dir);
        cmd.env("K2S_CONFIG_DIR", config_dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("RUST_BACKTRACE", "0");
        // Each profile's own address and login, not the test defaults.
        for var in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "TMUX",
            "K2S_API_URL",
            "K2S_ACCESS_TOKEN",
            "K2S_PROFILE",
            "NO_COLOR",
            "K2S_TEST_PANIC",
        ] {
            cmd.env_remove(var);
        }
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

    /// The last row: the status bar (the key bar is above it).
    fn status_bar(&self) -> String {
        self.screen().lines().last().unwrap_or("").to_string()
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

    async fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                return st;
            }
            if tokio::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("k2s did not exit; screen:\n{}", self.screen());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// config.toml with two profiles on the demo server, each logged in (its session saved).
async fn two_profiles(api: &str, dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let cfg = dir.join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[profiles.main]\napi_url = \"{api}\"\nusername = \"{}\"\n\n\
             [profiles.free]\napi_url = \"{api}\"\nusername = \"{}\"\n",
            accounts::PREMIUM_USER,
            accounts::FREE_USER
        ),
    )
    .unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    for (profile, password) in [
        ("main", accounts::PREMIUM_PASSWORD),
        ("free", accounts::FREE_PASSWORD),
    ] {
        let mut c = common::k2s_cmd(api, dir, &["--profile", profile, "login", "--password-stdin"]);
        c.env_remove("K2S_API_URL")
            .env_remove("K2S_ACCESS_TOKEN")
            .stdin(std::process::Stdio::piped());
        let line = format!("{password}\n");
        let o = tokio::task::spawn_blocking(move || {
            let mut child = c.spawn().unwrap();
            child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// The queue files under `dir` of `profile` that hold `id`.
fn queues_holding(dir: &Path, profile: &str, id: &str) -> Vec<std::path::PathBuf> {
    fn walk(d: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "queue.json") {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, &mut all);
    let marker = format!("profiles/{profile}/");
    all.into_iter()
        .filter(|p| p.to_string_lossy().contains(&marker))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(id)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_profile_changes_the_account_and_keeps_each_queue() {
    let srv = DemoServer::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    two_profiles(&srv.api_url(), d).await;
    let mut tui = Tui::spawn(d, &["--profile", "main"]);
    tui.wait_text("Movies/").await;
    assert!(tui.status_bar().contains(" main "), "{}", tui.screen());

    // A download slow enough to be running when the profile changes.
    srv.set_faults(Faults {
        bandwidth: Some(2_000),
        ..Faults::default()
    });
    tui.send("W");
    tui.wait_text("share links").await;
    tui.send(&format!("https://k2s.cc/file/{}\r\r", ids::VIDEO_BUNNY));
    tui.wait_text("Big Buck Bunny").await;

    // The picker: both profiles, the current one marked, each logged in.
    tui.send("\x1bp");
    tui.wait_text("Profiles").await;
    let s = tui.screen();
    assert!(s.contains("* main") && s.contains("free"), "{s}");
    assert!(s.matches("logged in").count() >= 2, "{s}");
    // Listed by name: free, then main (the cursor starts on it).
    tui.send("k\r");
    // The free account: its own listing and the profile in the status bar.
    tui.wait_text("Public Stuff/").await;
    tui.wait_for("free in the status bar", |_| tui.status_bar().contains(" free "))
        .await;
    let s = tui.screen();
    assert!(!s.contains("Movies/"), "the premium listing is gone: {s}");
    assert!(
        !s.contains("Big Buck Bunny"),
        "main's transfer is not in free's queue: {s}"
    );
    // Main's queue was saved when its engine stopped.
    assert!(
        !queues_holding(d, "main", ids::VIDEO_BUNNY).is_empty(),
        "main's queue on disk"
    );
    assert!(queues_holding(d, "free", ids::VIDEO_BUNNY).is_empty());

    // Back to main, from the account view this time: its queue is there again.
    srv.set_faults(Faults::default());
    tui.send("I");
    tui.wait_text("Account").await;
    tui.send("p");
    tui.wait_text("* free").await;
    tui.send("j\r");
    tui.wait_text("Movies/").await;
    tui.wait_for("main in the status bar", |_| tui.status_bar().contains(" main "))
        .await;
    tui.wait_text("Big Buck Bunny").await;

    tui.send("q");
    // Quitting may ask about a transfer still running.
    tokio::time::sleep(Duration::from_millis(500)).await;
    if tui.screen().contains("Quit") {
        tui.send("y");
    }
    let st = tui.wait_exit().await;
    assert!(st.success(), "{}", tui.screen());
    srv.shutdown().await;
}
