//! Ctrl-z in the real `k2s` binary: run from an interactive shell in a pseudo-terminal (so that
//! job control works), it stops with the terminal restored, and `fg` brings it back redrawn.

use k2s::demo::{DemoOptions, DemoServer, accounts};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROWS: u16 = 30;
const COLS: u16 = 120;
const WAIT: Duration = Duration::from_secs(60);

async fn wait_for(parser: &Mutex<vt100::Parser>, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        {
            let p = parser.lock().unwrap();
            if pred(p.screen()) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{}", p.screen().contents());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The process state letter from /proc (T: stopped).
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim().chars().next()
}

/// The pid of the shell's child running k2s.
fn k2s_child(shell: u32) -> Option<u32> {
    let kids = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).ok()?;
    kids.split_whitespace().next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_z_stops_to_the_shell_and_fg_redraws() {
    let srv = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server");
    let dir = tempfile::tempdir().expect("temp dir");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.cwd(dir.path());
    cmd.env("PS1", "shell> ");
    cmd.env("K2S_CONFIG_DIR", dir.path().join("config"));
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
    let mut child = pair.slave.spawn_command(cmd).expect("spawn bash");
    drop(pair.slave);
    let shell = child.process_id().expect("pid");
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
            r2.lock().unwrap().extend_from_slice(&buf[..n]);
            p2.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).expect("write to pty");
        writer.flush().expect("flush pty");
    };
    wait_for(&parser, "the prompt", |s| s.contents().contains("shell> ")).await;
    send(&format!(
        "{} --api-url {}\r",
        env!("CARGO_BIN_EXE_k2s"),
        srv.api_url()
    ));
    wait_for(&parser, "the browser", |s| {
        s.alternate_screen() && s.contents().contains("Folders")
    })
    .await;

    send("\u{1a}");
    wait_for(&parser, "the shell again", |s| {
        !s.alternate_screen() && s.contents().contains("Stopped")
    })
    .await;
    let pid = k2s_child(shell).expect("k2s runs under the shell");
    assert_eq!(proc_state(pid), Some('T'), "k2s is stopped");
    {
        let p = parser.lock().unwrap();
        assert!(!p.screen().hide_cursor(), "cursor shown while stopped");
        let text = String::from_utf8_lossy(&raw.lock().unwrap()).into_owned();
        let last = text.rfind("\u{1b}[?1049l").expect("alternate screen left");
        assert!(text[last..].contains("\u{1b}[?2004l") || text[..last].contains("\u{1b}[?2004l"));
    }

    raw.lock().unwrap().clear();
    send("fg\r");

    wait_for(&parser, "the browser redrawn", |s| {
        s.alternate_screen() && s.contents().contains("Folders")
    })
    .await;
    let back = String::from_utf8_lossy(&raw.lock().unwrap()).into_owned();
    assert!(back.contains("\u{1b}[?1049h"), "alternate screen entered again");
    assert!(back.contains("\u{1b}[?2004h"), "bracketed paste on again");
    // Keys work again: quit, back at the prompt.
    send("q");
    wait_for(&parser, "the prompt after quitting", |s| {
        !s.alternate_screen() && s.contents().matches("shell> ").count() >= 2
    })
    .await;
    send("exit\r");
    let _ = child.wait();
    srv.shutdown().await;
}
