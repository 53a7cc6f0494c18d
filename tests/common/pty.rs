//! The real `k2s` binary (or a shell) in a pseudo-terminal (portable-pty), its screen read back
//! with vt100: what every TUI end-to-end test file shares.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ROWS: u16 = 30;
pub const COLS: u16 = 120;
/// Generous: debug builds on a loaded machine.
pub const WAIT: Duration = Duration::from_secs(60);

/// `program` run in `cwd` with a clean environment: an xterm, no display, none of the k2s
/// variables of the caller's environment (each test sets what it needs).
pub fn command(program: &str, cwd: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    cmd.cwd(cwd);
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUST_BACKTRACE", "0");
    for var in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "TMUX",
        "SSH_TTY",
        "NO_COLOR",
        "K2S_API_URL",
        "K2S_ACCESS_TOKEN",
        "K2S_CONFIG_DIR",
        "K2S_PROFILE",
        "K2S_LOG",
        "K2S_TEST_PANIC",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// `k2s` in `cwd` with a clean environment (see [`command`]).
pub fn k2s(cwd: &Path) -> CommandBuilder {
    command(env!("CARGO_BIN_EXE_k2s"), cwd)
}

/// `k2s --api-url API` logged in on the demo partner account, its config (and so its state)
/// in `cwd/config`, the same folders that [`crate::common::k2s_cmd`] gets with `cwd/config`.
pub fn k2s_partner(cwd: &Path, api: &str) -> CommandBuilder {
    let mut cmd = k2s(cwd);
    cmd.args(["--api-url", api]);
    cmd.env("K2S_CONFIG_DIR", cwd.join("config"));
    cmd.env("K2S_ACCESS_TOKEN", k2s::demo::accounts::PARTNER_TOKEN);
    cmd
}

/// Every OSC 52 payload written to the terminal, decoded.
pub fn osc52_payloads(raw: &[u8]) -> Vec<String> {
    use base64::Engine;
    let s = String::from_utf8_lossy(raw);
    let mut out = Vec::new();
    for part in s.split("\u{1b}]52;c;").skip(1) {
        let b64 = part.split(['\u{7}', '\u{1b}']).next().unwrap_or("");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("OSC 52 payload is base64");
        out.push(String::from_utf8(bytes).expect("utf-8 payload"));
    }
    out
}

/// A program running in a pseudo-terminal; killed when dropped.
pub struct Tui {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
    dir: Option<tempfile::TempDir>,
}

impl Tui {
    /// `cmd` in a terminal of [`ROWS`] x [`COLS`].
    pub fn spawn(cmd: CommandBuilder) -> Tui {
        Tui::spawn_sized(cmd, ROWS, COLS)
    }

    pub fn spawn_sized(cmd: CommandBuilder, rows: u16, cols: u16) -> Tui {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let (r2, p2) = (raw.clone(), parser.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r2.lock().expect("raw").extend_from_slice(&buf[..n]);
                p2.lock().expect("parser").process(&buf[..n]);
            }
        });
        Tui {
            child,
            writer,
            raw,
            parser,
            _master: pair.master,
            dir: None,
        }
    }

    /// Keep `dir` (the program's working folder) as long as the program runs.
    pub fn keeping(mut self, dir: tempfile::TempDir) -> Tui {
        self.dir = Some(dir);
        self
    }

    /// The folder given to [`Tui::keeping`].
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("a kept folder").path()
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Read the vt100 screen (cursor, modes, cells).
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().expect("parser").screen())
    }

    /// Every byte the program wrote, since the start or the last [`Tui::clear_raw`].
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    pub fn clear_raw(&self) {
        self.raw.lock().expect("raw").clear();
    }

    /// The last row: the status bar (the key bar is above it).
    pub fn status_bar(&self) -> String {
        self.screen().lines().last().unwrap_or("").to_string()
    }

    pub async fn wait_screen(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if self.with_screen(&pred) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{}", self.screen());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Wait until the screen's text satisfies `pred`; that text.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text)).await
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Esc alone must not run into the next key (it would read as Alt+key).
    pub async fn esc(&mut self) {
        self.send("\u{1b}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    pub async fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                // Let the reader take the last bytes.
                tokio::time::sleep(Duration::from_millis(300)).await;
                return st;
            }
            if tokio::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the program did not exit; screen:\n{}", self.screen());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn signal(&self, sig: i32) {
        let pid = self.pid() as i32;
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    }

    /// The terminal is back to normal: main screen, cursor shown, paste and mouse modes off.
    pub fn assert_restored(&self) {
        let (alternate, hidden) = self.with_screen(|s| (s.alternate_screen(), s.hide_cursor()));
        assert!(!alternate, "still on the alternate screen:\n{}", self.screen());
        assert!(!hidden, "cursor still hidden");
        let raw = String::from_utf8_lossy(&self.raw()).into_owned();
        let entered = raw.rfind("\u{1b}[?1049h").expect("the alternate screen was used");
        let after = &raw[entered..];
        for (seq, what) in [
            ("\u{1b}[?1049l", "alternate screen left"),
            ("\u{1b}[?2004l", "bracketed paste off"),
            ("\u{1b}[?1000l", "mouse capture off"),
            ("\u{1b}[?25h", "cursor shown"),
        ] {
            assert!(after.contains(seq), "{what}: {seq:?} not sent");
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
