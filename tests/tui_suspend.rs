//! Ctrl-z in the real `k2s` binary: run from an interactive shell in a pseudo-terminal (so that
//! job control works), it stops with the terminal restored, and `fg` brings it back redrawn.

mod common;

use common::pty::Tui;
use k2s::demo::{DemoOptions, DemoServer, accounts};

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
    let mut cmd = common::pty::command("bash", dir.path());
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.env("PS1", "shell> ");
    cmd.env("K2S_CONFIG_DIR", dir.path().join("config"));
    cmd.env("K2S_ACCESS_TOKEN", accounts::PARTNER_TOKEN);
    let mut t = Tui::spawn(cmd);
    let shell = t.pid();
    t.wait_screen("the prompt", |s| s.contents().contains("shell> "))
        .await;
    t.send(&format!(
        "{} --api-url {}\r",
        env!("CARGO_BIN_EXE_k2s"),
        srv.api_url()
    ));
    t.wait_screen("the browser", |s| {
        s.alternate_screen() && s.contents().contains("Folders")
    })
    .await;

    t.send("\u{1a}");
    t.wait_screen("the shell again", |s| {
        !s.alternate_screen() && s.contents().contains("Stopped")
    })
    .await;
    let pid = k2s_child(shell).expect("k2s runs under the shell");
    assert_eq!(proc_state(pid), Some('T'), "k2s is stopped");
    {
        assert!(!t.with_screen(|s| s.hide_cursor()), "cursor shown while stopped");
        let text = String::from_utf8_lossy(&t.raw()).into_owned();
        let last = text.rfind("\u{1b}[?1049l").expect("alternate screen left");
        assert!(text[last..].contains("\u{1b}[?2004l") || text[..last].contains("\u{1b}[?2004l"));
    }

    t.clear_raw();
    t.send("fg\r");

    t.wait_screen("the browser redrawn", |s| {
        s.alternate_screen() && s.contents().contains("Folders")
    })
    .await;
    let back = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(back.contains("\u{1b}[?1049h"), "alternate screen entered again");
    assert!(back.contains("\u{1b}[?2004h"), "bracketed paste on again");
    // Keys work again: quit, back at the prompt.
    t.send("q");
    t.wait_screen("the prompt after quitting", |s| {
        !s.alternate_screen() && s.contents().matches("shell> ").count() >= 2
    })
    .await;
    t.send("exit\r");
    t.wait_exit().await;
    srv.shutdown().await;
}
