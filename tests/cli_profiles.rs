//! Profiles: several accounts (or sister sites) in one config.toml, each with its own session
//! and state; `k2s profiles` lists them.

mod common;

use k2s::demo::{DemoOptions, DemoServer, accounts};
use std::io::Write;
use std::process::{Output, Stdio};

fn private(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let cfg = dir.join("config.toml");
    if cfg.exists() {
        std::fs::set_permissions(cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn run(api: &str, dir: &std::path::Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut c = common::k2s_cmd(api, dir, args);
    // The profiles' own api_url and credentials, not the test defaults.
    c.env_remove("K2S_API_URL").env_remove("K2S_ACCESS_TOKEN");
    for (k, v) in env {
        c.env(k, v);
    }
    if stdin.is_some() {
        c.stdin(Stdio::piped());
    }
    let mut child = c.spawn().unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_profile_has_its_own_account_session_and_state() {
    let srv = DemoServer::start(DemoOptions::default()).await.unwrap();
    let api = srv.api_url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[profiles.main]\napi_url = \"{api}\"\nusername = \"{}\"\n\n\
             [profiles.free]\napi_url = \"{api}\"\nusername = \"{}\"\nlink_domain = \"tezfiles.com\"\n\n\
             [profiles.partner]\napi_url = \"{api}\"\naccess_token_env = \"MY_K2S_TOKEN\"\n",
            accounts::PREMIUM_USER,
            accounts::FREE_USER
        ),
    )
    .unwrap();
    private(dir.path());
    let d = dir.path();
    let o = run(
        &api,
        d,
        &["--profile", "main", "login", "--password-stdin"],
        Some(&format!("{}\n", accounts::PREMIUM_PASSWORD)),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        &api,
        d,
        &["--profile", "free", "login", "--password-stdin"],
        Some(&format!("{}\n", accounts::FREE_PASSWORD)),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    // Two sessions, each in its profile's folder, private.
    for p in ["main", "free"] {
        let f = d.join("profiles").join(p).join("session.json");
        assert!(f.is_file(), "{}", f.display());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(d.join("profiles").join(p))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }
    assert!(!d.join("session.json").exists(), "no shared session");
    // Each profile is its own account.
    let prem = run(&api, d, &["--profile", "main", "--json", "account"], None, &[]);
    let free = run(&api, d, &["--json", "account"], None, &[("K2S_PROFILE", "free")]);
    assert!(
        prem.status.success() && free.status.success(),
        "{}{}",
        text(&prem),
        text(&free)
    );
    let pj: serde_json::Value = serde_json::from_slice(&prem.stdout).unwrap();
    let fj: serde_json::Value = serde_json::from_slice(&free.stdout).unwrap();
    assert_ne!(pj, fj, "two accounts");
    // The free profile's links use its own domain.
    let o = run(
        &api,
        d,
        &["--profile", "free", "link", "readme0000001"],
        None,
        &[],
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("https://tezfiles.com/file/readme0000001"),
        "{}",
        text(&o)
    );
    // A token profile reads its token from the variable it names.
    let o = run(
        &api,
        d,
        &["--profile", "partner", "ls"],
        None,
        &[("MY_K2S_TOKEN", accounts::PARTNER_TOKEN)],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(&api, d, &["--profile", "partner", "ls"], None, &[]);
    assert!(
        !o.status.success() && text(&o).contains("MY_K2S_TOKEN"),
        "{}",
        text(&o)
    );
    // The list says which one is chosen and which are logged in.
    let o = run(&api, d, &["profiles"], None, &[("K2S_PROFILE", "free")]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("* free") && out.contains("  main"), "{out}");
    assert!(
        out.lines().any(|l| l.contains("main") && l.contains("logged in")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("partner") && l.contains("not logged in")),
        "{out}"
    );
    let o = run(&api, d, &["--json", "profiles"], None, &[("MY_K2S_TOKEN", "x")]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j.as_array().unwrap().len(), 3);
    assert!(
        j.as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "partner" && r["logged_in"] == "token")
    );
    srv.shutdown().await;
}

#[test]
fn an_unknown_or_unsafe_profile_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[profiles.main]\nusername = \"a@b.c\"\n",
    )
    .unwrap();
    private(dir.path());
    let o = run(
        "http://127.0.0.1:9",
        dir.path(),
        &["--profile", "mian", "ls"],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("profiles: main"), "{}", text(&o));
    let o = run(
        "http://127.0.0.1:9",
        dir.path(),
        &["--profile", "../x", "ls"],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not a profile name"), "{}", text(&o));
    assert!(!dir.path().join("x").exists());
}
