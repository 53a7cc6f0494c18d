//! The TUI switches profile while it runs: the profile picker (`Alt-p`) lists the profiles of
//! config.toml, and choosing one restarts the TUI on it without leaving the terminal; the first
//! profile's queue is saved and is there again after switching back.

mod common;

use common::pty::Tui;
use k2s::demo::{Faults, accounts, ids};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// The TUI with `args` and config.toml's profiles in `config_dir`: each profile's own address
/// and login, not the test defaults.
fn spawn(config_dir: &Path, args: &[&str]) -> Tui {
    let mut cmd = common::pty::k2s(config_dir);
    cmd.args(args);
    cmd.env("K2S_CONFIG_DIR", config_dir);
    Tui::spawn(cmd)
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

shaped! {
    multi_thread;
    async fn switching_profile_changes_the_account_and_keeps_each_queue(shape) {
        let srv = common::demo_server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        two_profiles(&srv.api_url(), d).await;
        let mut tui = spawn(d, &["--profile", "main"]);
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
}
