//! How `k2s url` draws a free download's captcha on a terminal (a pseudo-terminal here):
//! forced to the kitty graphics protocol or sixel (`--captcha-view`, `K2S_CAPTCHA_VIEW`), and
//! half blocks when the terminal says nothing of graphics.

mod common;

use k2s::demo::{DemoOptions, DemoServer, accounts};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Log in as the free user in `dir`.
async fn login_free(srv: &DemoServer, dir: &std::path::Path) {
    let mut login = common::k2s_cmd(
        &srv.api_url(),
        dir,
        &["login", "--username", accounts::FREE_USER, "--password-stdin"],
    );
    login
        .env_remove("K2S_ACCESS_TOKEN")
        .stdin(std::process::Stdio::piped());
    let mut child = login.spawn().unwrap();
    let line = format!("{}\n", accounts::FREE_PASSWORD);
    child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `k2s url` of a file on a pty with `args` and `env` (in a plain xterm otherwise): the
/// screen's bytes up to the answer prompt, then the captcha answered and the URL checked.
async fn captcha_screen(args: &[&str], env: &[(&str, &str)]) -> String {
    let srv = DemoServer::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_free(&srv, dir.path()).await;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(["--api-url", &srv.api_url()]);
    cmd.args(args);
    cmd.args(["url", "readme0000001"]);
    cmd.env("K2S_CONFIG_DIR", dir.path());
    for var in [
        "K2S_ACCESS_TOKEN",
        "NO_COLOR",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "K2S_CAPTCHA_VIEW",
    ] {
        cmd.env_remove(var);
    }
    // Not inside tmux, kitty, WezTerm or Ghostty, whatever runs the tests.
    for var in ["TMUX", "STY", "KITTY_WINDOW_ID", "TERM_PROGRAM"] {
        cmd.env_remove(var);
    }
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut proc = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let (screen, challenge) = loop {
        let s = seen.lock().unwrap().clone();
        if let Some(pos) = s.find("captcha?id=")
            && s[pos..].contains("answer: ")
        {
            let rest = &s[pos + "captcha?id=".len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            break (s.clone(), rest[..end].to_string());
        }
        assert!(Instant::now() < deadline, "no captcha on the screen: {s:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let answer = srv
        .captcha_answer(&challenge)
        .expect("the server knows the challenge");
    writer.write_all(format!("{answer}\r").as_bytes()).unwrap();
    writer.flush().unwrap();
    let status = tokio::task::spawn_blocking(move || proc.wait())
        .await
        .unwrap()
        .unwrap();
    let all = seen.lock().unwrap().clone();
    assert!(status.success(), "{all:?}");
    assert!(all.contains("http"), "the URL: {all:?}");
    srv.shutdown().await;
    screen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_kitty_sends_the_picture_in_kitty_graphics() {
    let s = captcha_screen(&["--captcha-view", "kitty"], &[]).await;
    assert!(s.contains("Type the characters of this picture"), "{s:?}");
    assert!(s.contains("\x1b_Ga=T,f=100,"), "a kitty APC sequence: {s:?}");
    assert!(!s.contains('▀'), "no half blocks: {s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_sixel_from_the_environment_sends_a_dcs_sixel() {
    let s = captcha_screen(&[], &[("K2S_CAPTCHA_VIEW", "sixel")]).await;
    let start = s.find("\x1bP").unwrap_or_else(|| panic!("a DCS sequence: {s:?}"));
    let dcs = &s[start..];
    let q = dcs.find('q').expect("a sixel DCS ends its parameters with q");
    assert!(dcs[2..q].chars().all(|c| c.is_ascii_digit() || c == ';'), "{s:?}");
    assert!(dcs[q..].starts_with("q\"1;1;"), "with the raster size: {s:?}");
    assert!(dcs.contains("\x1b\\"), "ended by ST: {s:?}");
    assert!(!s.contains('▀'), "no half blocks: {s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_in_a_terminal_without_graphics_draws_half_blocks() {
    let s = captcha_screen(&[], &[]).await;
    assert!(s.matches('▀').count() >= 100, "the picture in half blocks: {s:?}");
    assert!(
        !s.contains("\x1b_G") && !s.contains("\x1bP"),
        "no graphics protocol: {s:?}"
    );
    // And in kitty, the same auto chooses kitty graphics.
    let s = captcha_screen(&[], &[("TERM", "xterm-kitty")]).await;
    assert!(s.contains("\x1b_G"), "kitty graphics in kitty: {s:?}");
}
