//! End to end: the TUI's link-check box in the real binary (a pseudo-terminal read back with
//! vt100) against the demo server, whose seed has alive, dead, blocked, premium-only and
//! private files.

use k2s::demo::{DemoOptions, DemoServer, accounts};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROWS: u16 = 30;
const COLS: u16 = 120;
const WAIT: Duration = Duration::from_secs(60);

/// The post: every state of the seed, one link twice, one link that is not K2S.
const POST: &str = "[url=https://k2s.cc/file/video00000001/bunny.mp4]Bunny[/url]\r\
    https://keep2share.cc/file/deadkept00001 https://k2s.cc/file/blocked000001\r\
    <a href=\"https://k2s.cc/file/premium000001\">p</a> https://k2s.cc/file/private000001\r\
    again k2s.cc/file/video00000001 and https://example.com/file/abc";

async fn wait_for(parser: &Arc<Mutex<vt100::Parser>>, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let s = parser.lock().map(|p| p.screen().contents()).unwrap_or_default();
        if pred(&s) {
            return s;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}; screen:\n{s}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn osc52_payloads(raw: &[u8]) -> Vec<String> {
    use base64::Engine;
    let s = String::from_utf8_lossy(raw);
    s.split("\u{1b}]52;c;")
        .skip(1)
        .filter_map(|part| {
            let b64 = part.split(['\u{7}', '\u{1b}']).next().unwrap_or("");
            let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
            String::from_utf8(bytes).ok()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_post_is_checked_in_the_box_and_the_dead_links_copied() {
    let srv = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let dir = tempfile::tempdir().expect("temp dir");
    let size = PtySize {
        rows: ROWS,
        cols: COLS,
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = native_pty_system().openpty(size).expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(["--api-url", &srv.api_url()]);
    cmd.cwd(dir.path());
    cmd.env("K2S_CONFIG_DIR", dir.path().join("config"));
    cmd.env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN);
    cmd.env("TERM", "xterm-256color");
    cmd.env("SSH_TTY", "/dev/pts/99");
    for var in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX", "K2S_API_URL", "NO_COLOR"] {
        cmd.env_remove(var);
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn k2s");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let raw = Arc::new(Mutex::new(Vec::new()));
    let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
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
    let mut send = |keys: &str| {
        writer.write_all(keys.as_bytes()).expect("write to pty");
        writer.flush().expect("flush pty");
    };
    wait_for(&parser, "the listing", |s| s.contains("Movies/")).await;
    send("\u{b}");
    wait_for(&parser, "the box", |s| s.contains("Check links")).await;
    send(&format!("\u{1b}[200~{POST}\u{1b}[201~"));
    wait_for(&parser, "the pasted text", |s| s.contains("example.com/file/abc")).await;
    send("\r");
    let shown = wait_for(&parser, "the states", |s| s.contains("5 links:")).await;
    for want in [
        "alive",
        "bunny",
        "dead",
        "blocked",
        "premium only",
        "deadkept00001",
    ] {
        assert!(shown.contains(want), "{want:?} in:\n{shown}");
    }
    send("y");
    wait_for(&parser, "the copy", |s| s.contains("2 links")).await;
    let copied = osc52_payloads(&raw.lock().expect("raw"));
    let lost = "https://keep2share.cc/file/deadkept00001\nhttps://k2s.cc/file/blocked000001";
    assert_eq!(copied.last().map(String::as_str), Some(lost), "{copied:?}");
    send("\u{1b}");
    wait_for(&parser, "the box closed", |s| !s.contains("Check links")).await;
    send("q");
    let _ = child.wait();
}
