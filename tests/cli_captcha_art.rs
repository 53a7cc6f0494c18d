//! `k2s url` for a free account on a terminal (a pseudo-terminal here, as over SSH): the
//! captcha is drawn in half blocks on the screen, answered there, and the URL comes.

mod common;

use k2s::demo::{DemoOptions, DemoServer, accounts};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

shaped! { multi_thread;
async fn a_free_download_captcha_is_drawn_in_the_terminal(shape) {
    let srv = DemoServer::start(DemoOptions {
        shapes: shape,
        ..DemoOptions::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut login = common::k2s_cmd(
        &srv.api_url(),
        dir.path(),
        &["login", "--username", accounts::FREE_USER, "--password-stdin"],
    );
    login
        .env_remove("K2S_ACCESS_TOKEN")
        .stdin(std::process::Stdio::piped());
    let mut child = login.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", accounts::FREE_PASSWORD).as_bytes())
        .unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(["--api-url", &srv.api_url(), "url", "readme0000001"]);
    cmd.env("K2S_CONFIG_DIR", dir.path());
    cmd.env_remove("K2S_ACCESS_TOKEN");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("DISPLAY");
    cmd.env("TERM", "xterm-256color");
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
    let challenge = loop {
        let s = seen.lock().unwrap().clone();
        if let Some(pos) = s.find("captcha?id=") {
            let rest = &s[pos + "captcha?id=".len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            if end > 0 && end < rest.len() {
                break rest[..end].to_string();
            }
        }
        assert!(Instant::now() < deadline, "no captcha on the screen: {s}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    {
        let s = seen.lock().unwrap();
        assert!(s.contains("Type the characters of this picture"), "{s}");
        assert!(s.matches('▀').count() >= 100, "the picture in half blocks: {s}");
        assert!(s.contains("\x1b[38;2;"), "in 24-bit colour");
    }
    let answer = srv
        .captcha_answer(&challenge)
        .expect("the server knows the challenge");
    writer.write_all(format!("{answer}\r").as_bytes()).unwrap();
    writer.flush().unwrap();
    let status = tokio::task::spawn_blocking(move || proc.wait())
        .await
        .unwrap()
        .unwrap();
    let s = seen.lock().unwrap().clone();
    assert!(status.success(), "{s}");
    assert!(s.contains("http"), "the URL: {s}");
    srv.shutdown().await;
}
}
