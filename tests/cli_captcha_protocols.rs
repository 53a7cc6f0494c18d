//! How `k2s url` draws a free download's captcha on a terminal (a pseudo-terminal here, as over
//! SSH): half blocks in 24-bit colour when the terminal says nothing of graphics, the kitty
//! graphics protocol or sixel when forced (`--captcha-view`, `K2S_CAPTCHA_VIEW`) or when the
//! terminal is kitty; answered there, and the URL comes.

mod common;

use common::pty::{self, Tui};
use k2s::demo::{DemoOptions, DemoServer, Shapes, accounts};
use std::io::Write;
use std::time::Duration;

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

/// The challenge id of the captcha URL in `s`, once the answer prompt is there too.
fn challenge_in(s: &str) -> Option<String> {
    let pos = s.find("captcha?id=")?;
    if !s[pos..].contains("answer: ") {
        return None;
    }
    let rest = &s[pos + "captcha?id=".len()..];
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_string())
}

/// `k2s url` of a file on a 100x40 pty with `args` and `env` (in a plain xterm otherwise):
/// the terminal's bytes up to the answer prompt, then the captcha answered and the URL checked.
async fn captcha_screen(shape: Shapes, args: &[&str], env: &[(&str, &str)]) -> String {
    let srv = DemoServer::start(DemoOptions {
        shapes: shape,
        ..DemoOptions::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_free(&srv, dir.path()).await;
    let mut cmd = pty::k2s(dir.path());
    cmd.args(["--api-url", &srv.api_url()]);
    cmd.args(args);
    cmd.args(["url", "readme0000001"]);
    cmd.env("K2S_CONFIG_DIR", dir.path());
    // Not inside tmux, kitty, WezTerm or Ghostty, whatever runs the tests.
    for var in ["STY", "KITTY_WINDOW_ID", "TERM_PROGRAM", "K2S_CAPTCHA_VIEW"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut tui = Tui::spawn_sized(cmd, 40, 100);
    let deadline = tokio::time::Instant::now() + pty::WAIT;
    let (screen, challenge) = loop {
        let s = String::from_utf8_lossy(&tui.raw()).into_owned();
        if let Some(c) = challenge_in(&s) {
            break (s, c);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no captcha on the screen: {s:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let answer = srv
        .captcha_answer(&challenge)
        .expect("the server knows the challenge");
    tui.send(&format!("{answer}\r"));
    let status = tui.wait_exit().await;
    let all = String::from_utf8_lossy(&tui.raw()).into_owned();
    assert!(status.success(), "{all:?}");
    assert!(all.contains("http"), "the URL: {all:?}");
    srv.shutdown().await;
    screen
}

shaped! { multi_thread;
async fn a_free_download_captcha_is_drawn_in_half_blocks_in_24_bit_colour(shape) {
    let s = captcha_screen(shape, &[], &[]).await;
    assert!(s.contains("Type the characters of this picture"), "{s:?}");
    assert!(s.matches('▀').count() >= 100, "the picture in half blocks: {s:?}");
    assert!(s.contains("\x1b[38;2;"), "in 24-bit colour: {s:?}");
    assert!(
        !s.contains("\x1b_G") && !s.contains("\x1bP"),
        "no graphics protocol: {s:?}"
    );
}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_kitty_sends_the_picture_in_kitty_graphics() {
    let s = captcha_screen(Shapes::Reference, &["--captcha-view", "kitty"], &[]).await;
    assert!(s.contains("Type the characters of this picture"), "{s:?}");
    assert!(s.contains("\x1b_Ga=T,f=100,"), "a kitty APC sequence: {s:?}");
    assert!(!s.contains('▀'), "no half blocks: {s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_sixel_from_the_environment_sends_a_dcs_sixel() {
    let s = captcha_screen(Shapes::Reference, &[], &[("K2S_CAPTCHA_VIEW", "sixel")]).await;
    let start = s.find("\x1bP").unwrap_or_else(|| panic!("a DCS sequence: {s:?}"));
    let dcs = &s[start..];
    let q = dcs.find('q').expect("a sixel DCS ends its parameters with q");
    assert!(dcs[2..q].chars().all(|c| c.is_ascii_digit() || c == ';'), "{s:?}");
    assert!(dcs[q..].starts_with("q\"1;1;"), "with the raster size: {s:?}");
    assert!(dcs.contains("\x1b\\"), "ended by ST: {s:?}");
    assert!(!s.contains('▀'), "no half blocks: {s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_in_kitty_chooses_kitty_graphics() {
    let s = captcha_screen(Shapes::Reference, &[], &[("TERM", "xterm-kitty")]).await;
    assert!(s.contains("\x1b_G"), "kitty graphics in kitty: {s:?}");
}
