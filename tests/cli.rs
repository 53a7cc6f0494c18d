//! The `k2s` command line against the demo server: every command of the foundation issue, with
//! good and bad input, and against a server that fails 20% of calls.

mod common;

use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, accounts};
use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Env {
    server: std::sync::Arc<DemoServer>,
    dir: tempfile::TempDir,
}

async fn env_with(faults: Faults) -> Env {
    env_opts(DemoOptions {
        faults,
        ..DemoOptions::default()
    })
    .await
}

/// The demo server answering in `shapes`.
async fn env_in(shapes: Shapes) -> Env {
    env_opts(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
}

async fn env_opts(opts: DemoOptions) -> Env {
    let server = DemoServer::start(opts).await.expect("demo server");
    Env {
        server: std::sync::Arc::new(server),
        dir: tempfile::tempdir().unwrap(),
    }
}

async fn env() -> Env {
    env_with(Faults::default()).await
}

impl Env {
    fn cmd(&self, token: Option<&str>, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_k2s"));
        c.args(args)
            .env("K2S_API_URL", self.server.api_url())
            .env("K2S_CONFIG_DIR", self.dir.path())
            .env_remove("K2S_ACCESS_TOKEN")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null());
        if let Some(t) = token {
            c.env("K2S_ACCESS_TOKEN", t);
        }
        c
    }

    /// Run with the partner token, off the async runtime's threads.
    async fn run(&self, args: &[&str]) -> Output {
        self.run_as(Some(accounts::PARTNER_TOKEN), args).await
    }

    /// `k2s login --username USER --password-stdin`, with the password piped in.
    async fn login(&self, user: &str, password: &str) -> Output {
        let mut c = self.cmd(None, &["login", "--username", user, "--password-stdin"]);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let line = format!("{password}\n");
        tokio::task::spawn_blocking(move || {
            let mut child = c.spawn().unwrap();
            child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap()
    }

    async fn run_as(&self, token: Option<&str>, args: &[&str]) -> Output {
        let mut c = self.cmd(token, args);
        tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
            .await
            .unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
    stdout(o)
}
fn fails(o: &Output) -> String {
    assert!(!o.status.success(), "should fail, printed: {}", stdout(o));
    let e = stderr(o);
    assert!(!e.contains("panicked"), "{e}");
    assert!(e.contains("k2s: error:"), "{e}");
    e
}

/// Some file of the premium account's root with its id and name.
fn a_root_file(s: &DemoServer) -> k2s::demo::DemoFile {
    s.children("/")
        .into_iter()
        .find(|f| !f.is_folder)
        .expect("a file at the root")
}

#[tokio::test]
async fn help_on_every_command() {
    let e = env().await;
    for c in [
        "login",
        "logout",
        "account",
        "ls",
        "tree",
        "info",
        "mkdir",
        "mv",
        "rename",
        "access",
        "rm",
        "link",
        "url",
        "find-md5",
        "demo-server",
    ] {
        let out = e.run(&[c, "--help"]).await;
        assert!(ok(&out).contains("Usage:"), "{c}");
    }
}

shaped! {
    async fn account_ls_tree_info(shape) {
        let e = env_in(shape).await;
        let acc = ok(&e.run(&["account"]).await);
        assert!(
            acc.contains("traffic left") && acc.contains("premium until"),
            "{acc}"
        );
        let json: serde_json::Value = serde_json::from_str(&ok(&e.run(&["--json", "account"]).await)).unwrap();
        assert!(json["available_traffic"].as_u64().is_some(), "{json}");

        let root = e.server.children("/");
        let listed = ok(&e.run(&["ls"]).await);
        for f in &root {
            assert!(listed.contains(&f.id), "{} missing from ls:\n{listed}", f.id);
        }
        let tree = ok(&e.run(&["tree"]).await);
        let nested = e
            .server
            .folder_id_by_path("/Movies/2024")
            .expect("seed folder /Movies/2024");
        assert!(tree.contains(&nested), "{tree}");
        // A path and an id list the same folder.
        let by_path = ok(&e.run(&["--json", "ls", "/Movies/2024"]).await);
        let by_id = ok(&e.run(&["--json", "ls", &nested]).await);
        assert_eq!(by_path, by_id);
        let items: Vec<serde_json::Value> = serde_json::from_str(&by_path).unwrap();
        assert_eq!(items.len(), e.server.children(&nested).len());

        let long = ok(&e.run(&["ls", "--long", "/Movies/2024"]).await);
        assert!(long.contains("ACCESS") && long.contains("DLS"), "{long}");

        let f = a_root_file(&e.server);
        let info = ok(&e.run(&["info", &f.id]).await);
        assert!(info.contains(&f.md5) && info.contains("link"), "{info}");
        let info: Vec<serde_json::Value> =
            serde_json::from_str(&ok(&e.run(&["--json", "info", &f.id]).await)).unwrap();
        assert_eq!(info[0]["size"].as_u64(), Some(f.size));
    }
}

shaped! {
    async fn video_info_is_shown(shape) {
        let e = env_in(shape).await;
        let out: Vec<serde_json::Value> =
            serde_json::from_str(&ok(&e.run(&["--json", "ls", "--long", "/Movies/2024"]).await)).unwrap();
        let video = out
            .iter()
            .find(|f| {
                f["content_type"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("video/"))
            })
            .expect("a video in /Movies/2024");
        let id = video["id"].as_str().unwrap();
        let info = ok(&e.run(&["info", id]).await);
        assert!(info.contains("duration") && info.contains("resolution"), "{info}");
    }
}

shaped! {
    async fn mkdir_mv_rename_access_rm_change_the_server(shape) {
        let e = env_in(shape).await;
        let id = ok(&e.run(&["mkdir", "Inbox Folder", "--parent", "/Movies"]).await)
            .trim()
            .to_string();
        let made = e.server.file(&id).expect("folder exists");
        assert!(made.is_folder && made.name == "Inbox Folder");
        assert_eq!(
            Some(made.parent_id.clone()),
            e.server.folder_id_by_path("/Movies")
        );

        let f = a_root_file(&e.server);
        ok(&e.run(&["mv", &f.id, "--to", "/Movies/Inbox Folder"]).await);
        assert_eq!(e.server.file(&f.id).unwrap().parent_id, id);

        ok(&e.run(&["rename", &f.id, "renamed file.bin"]).await);
        assert_eq!(e.server.file(&f.id).unwrap().name, "renamed file.bin");

        ok(&e.run(&["access", &f.id, "premium"]).await);
        assert_eq!(e.server.file(&f.id).unwrap().access, "premium");
        // Untouched fields stayed as they were.
        let after = e.server.file(&f.id).unwrap();
        assert_eq!(
            (after.size, after.md5.clone(), after.parent_id.clone()),
            (f.size, f.md5.clone(), id.clone())
        );

        let link = ok(&e.run(&["link", &f.id]).await);
        assert_eq!(
            link.trim(),
            format!("https://k2s.cc/file/{}/renamed%20file.bin", f.id)
        );

        // rm without a terminal refuses without --yes, and deletes nothing.
        let refused = fails(&e.run(&["rm", &f.id]).await);
        assert!(refused.contains("--yes"), "{refused}");
        assert!(e.server.file(&f.id).is_some());
        ok(&e.run(&["rm", "--yes", &f.id]).await);
        assert!(e.server.file(&f.id).is_none());
    }
}

shaped! {
    async fn url_and_find_md5(shape) {
        let e = env_in(shape).await;
        let f = a_root_file(&e.server);
        let url = ok(&e.run(&["url", &f.id]).await);
        assert!(url.trim().starts_with("http://127.0.0.1:"), "{url}");
        let body = reqwest::get(url.trim()).await.unwrap().bytes().await.unwrap();
        assert_eq!(md5_hex(&body), f.md5);

        assert!(ok(&e.run(&["find-md5", &f.md5]).await).starts_with("found"));
        // Unknown content: exit 1, as grep when nothing matches.
        let unknown = e.run(&["find-md5", "0123456789abcdef0123456789abcdef"]).await;
        assert_eq!(unknown.status.code(), Some(1), "{}", stderr(&unknown));
        assert!(stdout(&unknown).starts_with("not found"));
        fails(&e.run(&["find-md5", "xyz"]).await);
    }
}

fn md5_hex(b: &[u8]) -> String {
    use md5::{Digest, Md5};
    hex::encode(Md5::digest(b))
}

shaped! {
    async fn login_caches_a_private_token_and_logout_forgets_it(shape) {
        let e = env_in(shape).await;
        let out = e.login(accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await;
        ok(&out);
        let session = e.dir.path().join("session.json");
        let text = std::fs::read_to_string(&session).expect("session cached");
        assert!(!text.contains(accounts::PREMIUM_PASSWORD), "password stored!");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&session).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        // The cached session works without any token given.
        ok(&e.run_as(None, &["account"]).await);
        // Logs never carry the token.
        let token: serde_json::Value = serde_json::from_str(&text).unwrap();
        let token = token["auth_token"].as_str().unwrap().to_string();
        for entry in walk(e.dir.path()) {
            if entry.extension().is_some_and(|x| x == "log") {
                assert!(
                    !std::fs::read_to_string(&entry).unwrap().contains(&token),
                    "token in {entry:?}"
                );
            }
        }
        ok(&e.run_as(None, &["logout"]).await);
        assert!(!session.exists());
        let e2 = fails(&e.run_as(None, &["account"]).await);
        assert!(e2.contains("not logged in"), "{e2}");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_changes_nothing() {
    let e = env().await;
    let before = e.server.children("/").len();
    // Wrong password.
    let out = e.login(accounts::PREMIUM_USER, "wrong-password").await;
    assert!(
        fails(&out).contains("wrong username or password"),
        "{}",
        stderr(&out)
    );
    assert!(!e.dir.path().join("session.json").exists());
    // A bad token.
    let out = e.run_as(Some("not-a-token"), &["ls"]).await;
    assert!(fails(&out).contains("log in again"), "{}", stderr(&out));
    // Unknown id.
    assert!(fails(&e.run(&["info", "zzzzzzzzzzzzz"]).await).contains("unknown id"));
    assert!(fails(&e.run(&["rename", "zzzzzzzzzzzzz", "a good name"]).await).contains("error"));
    // Name too short: refused before anything is sent.
    assert!(fails(&e.run(&["mkdir", "ab"]).await).contains("at least 3"));
    // Unknown folder path.
    assert!(fails(&e.run(&["ls", "/No/Such/Folder"]).await).contains("no folder"));
    assert_eq!(e.server.children("/").len(), before);
}

shaped! {
    async fn expired_session_without_a_password_asks_to_log_in_again(shape) {
        // With only a cached session (no password), an expired session is a clear error.
        let e = env_in(shape).await;
        let out = e.login(accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await;
        ok(&out);
        e.server.expire_sessions();
        let err = fails(&e.run_as(None, &["ls"]).await);
        assert!(err.contains("log in again"), "{err}");
    }
}

#[tokio::test]
async fn server_down_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_k2s"))
            .args(["ls", "--timeout", "3"])
            .env("K2S_API_URL", format!("http://127.0.0.1:{port}/api/v2"))
            .env("K2S_ACCESS_TOKEN", "x")
            .env("K2S_CONFIG_DIR", dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        fails(&out).contains("could not reach the server"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn malformed_replies_are_errors_not_panics() {
    let e = env_with(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let out = e.run(&["ls", "--timeout", "5"]).await;
    fails(&out);
}

#[tokio::test]
async fn every_command_survives_a_flaky_server() {
    let e = env_with(Faults {
        fail_rate: 0.2,
        ..Faults::default()
    })
    .await;
    let f = a_root_file(&e.server);
    let cmds: Vec<Vec<String>> = vec![
        vec!["account".into()],
        vec!["ls".into(), "--long".into()],
        vec!["tree".into()],
        vec!["info".into(), f.id.clone()],
        vec!["link".into(), f.id.clone()],
        vec!["url".into(), f.id.clone()],
        vec!["find-md5".into(), f.md5.clone()],
        vec!["mkdir".into(), "Flaky Folder".into()],
        vec!["access".into(), f.id.clone(), "public".into()],
        vec!["rename".into(), f.id.clone(), "flaky name.bin".into()],
    ];
    let mut succeeded = 0;
    for c in &cmds {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        let out = e.run(&args).await;
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{c:?}: {err}");
        if out.status.success() {
            succeeded += 1;
        } else {
            assert!(err.contains("k2s: error:"), "{c:?}: {err}");
        }
    }
    // Reads retry, so nearly everything gets through a 20% failure rate.
    assert!(
        succeeded >= cmds.len() - 2,
        "only {succeeded} of {} succeeded",
        cmds.len()
    );
}

/// Run `k2s` with piped stdin/stderr: write `first` to stdin, wait for a captcha URL on stderr,
/// answer it with `answer(challenge)`, and return the output.
fn run_with_captcha(
    mut c: Command,
    first: &str,
    answer: impl Fn(&str) -> Option<String>,
) -> (Output, String) {
    use std::io::{BufRead, BufReader, Read};
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(first.as_bytes()).unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut challenge = None;
    let mut line = String::new();
    while challenge.is_none() && err.read_line(&mut line).unwrap_or(0) > 0 {
        seen.push_str(&line);
        if let Some(pos) = line.find("id=") {
            challenge = Some(line[pos + 3..].trim().to_string());
        }
        line.clear();
    }
    let challenge = challenge.unwrap_or_else(|| panic!("no captcha URL in: {seen}"));
    let a = answer(&challenge).expect("the server knows the challenge");
    stdin.write_all(format!("{a}\n").as_bytes()).unwrap();
    drop(stdin);
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    seen.push_str(&rest);
    let out = child.wait_with_output().unwrap();
    (out, seen)
}

shaped! {
    async fn recaptcha_login_flow(shape) {
        let e = env_in(shape).await;
        let c = e.cmd(
            None,
            &[
                "login",
                "--username",
                accounts::RECAPTCHA_USER,
                "--password-stdin",
            ],
        );
        let server = std::sync::Arc::clone(&e.server);
        let (out, err) = tokio::task::spawn_blocking(move || {
            run_with_captcha(c, &format!("{}\n", accounts::RECAPTCHA_PASSWORD), |ch| {
                server.recaptcha_answer(ch)
            })
        })
        .await
        .unwrap();
        assert!(out.status.success(), "{err}");
        assert!(err.contains("reCaptcha"), "{err}");
        assert!(e.dir.path().join("session.json").exists());
        let acc = ok(&e.run_as(None, &["--json", "account"]).await);
        assert!(acc.contains("available_traffic"));
    }
}

shaped! {
    async fn free_user_url_goes_through_captcha_and_wait(shape) {
        let e = env_in(shape).await;
        let out = e.login(accounts::FREE_USER, accounts::FREE_PASSWORD).await;
        ok(&out);
        let c = e.cmd(None, &["url", "readme0000001"]);
        let server = std::sync::Arc::clone(&e.server);
        let (out, err) =
            tokio::task::spawn_blocking(move || run_with_captcha(c, "", |ch| server.captcha_answer(ch)))
                .await
                .unwrap();
        assert!(out.status.success(), "{err}");
        assert!(err.contains("captcha") && err.contains("wait"), "{err}");
        let url = stdout(&out);
        let body = reqwest::get(url.trim()).await.unwrap();
        assert_eq!(body.status(), 200);
    }
}

/// The reference's upload.sh, word for word but for the token, the file and the base URL, run
/// against the standalone `k2s demo-server`, whose first stdout line is its API URL.
#[test]
fn reference_upload_sh_against_standalone_demo_server() {
    use std::io::{BufRead, BufReader};
    if Command::new("jq").arg("--version").output().is_err()
        || Command::new("curl").arg("--version").output().is_err()
    {
        eprintln!("skipping: curl and jq are needed (.ci/run installs them)");
        return;
    }
    let mut server = Command::new(env!("CARGO_BIN_EXE_k2s"))
        .args(["demo-server", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut lines = BufReader::new(server.stdout.take().unwrap());
    lines.read_line(&mut first).unwrap();
    // Keep draining what the server prints later.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let api = first.trim().to_string();
    assert!(
        api.starts_with("http://127.0.0.1:") && api.ends_with("/api/v2"),
        "{api}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("yourFile.txt");
    std::fs::write(&file, b"uploaded by the reference script\n").unwrap();
    let script = format!(
        r#"#!/bin/bash
cmd=$(curl -s -H 'Content-Type: application/json' -d '{{"access_token": "{token}"}}' "{api}/getUploadFormData" | jq -r .)
echo "$cmd"

FullFileName="{file}"
Form_Action=$(echo "$cmd" | jq -r ".form_action")
FileField=$(echo "$cmd" | jq -r ".file_field")
Ajax=$(echo "$cmd" | jq -r ".form_data.ajax")
Params=$(echo "$cmd" | jq -r ".form_data.params")
Sig=$(echo "$cmd" | jq -r ".form_data.signature")

cmd2=$(curl -F "$FileField=@$FullFileName" -F "ajax=$Ajax" -F "signature=$Sig" -F "params=$Params" "$Form_Action")
echo "$cmd2"
"#,
        token = accounts::PARTNER_TOKEN,
        file = file.display()
    );
    let sh = dir.path().join("upload.sh");
    std::fs::write(&sh, script).unwrap();
    let out = Command::new("bash").arg(&sh).output().unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    let reply: serde_json::Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(reply["success"], true, "{text}");
    assert!(
        reply["link"]
            .as_str()
            .unwrap()
            .starts_with("https://k2s.cc/file/"),
        "{text}"
    );
    assert!(reply["user_file_id"].as_str().is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn meta_commands_change_exactly_what_was_asked() {
    let e = env().await;
    // A file with metadata: only the tags change, everything else stays.
    let id = "video00000001";
    let before = e.server.meta(id).expect("seeded metadata");
    ok(&e
        .run(&["meta", "set", id, "--tag", "alpha", "--tag", "beta"])
        .await);
    let after = e.server.meta(id).unwrap();
    assert_eq!(after.tags, vec!["alpha", "beta"]);
    assert_eq!(
        (
            after.title.clone(),
            after.description.clone(),
            after.studio.clone()
        ),
        (
            before.title.clone(),
            before.description.clone(),
            before.studio.clone()
        )
    );
    assert_eq!(
        (after.categories.clone(), after.actresses.clone()),
        (before.categories.clone(), before.actresses.clone())
    );
    ok(&e
        .run(&["meta", "set", id, "--clear-tags", "--title", "New title"])
        .await);
    let after = e.server.meta(id).unwrap();
    assert!(after.tags.is_empty());
    assert_eq!(after.title, "New title");
    assert_eq!(after.description, before.description);

    // A file without metadata gets created.
    let bare = "readme0000001";
    assert!(e.server.meta(bare).is_none());
    assert!(ok(&e.run(&["meta", "get", bare]).await).contains("no metadata"));
    ok(&e
        .run(&["meta", "set", bare, "--title", "Read me", "--category", "docs"])
        .await);
    let m = e.server.meta(bare).unwrap();
    assert_eq!(
        (m.title.as_str(), m.categories.clone()),
        ("Read me", vec!["docs".to_string()])
    );
    let got: serde_json::Value =
        serde_json::from_str(&ok(&e.run(&["--json", "meta", "get", bare]).await)).unwrap();
    assert_eq!(got["title"], "Read me");

    // Copy, find, delete.
    ok(&e
        .run(&["meta", "copy", bare, "--to", "notes00000001", "image00000002"])
        .await);
    assert_eq!(e.server.meta("notes00000001").unwrap().title, "Read me");
    let found = ok(&e.run(&["meta", "find", "--category", "docs"]).await);
    assert!(
        found.contains(bare) && found.contains("notes00000001") && found.contains("image00000002"),
        "{found}"
    );
    fails(&e.run(&["meta", "rm", bare]).await);
    assert!(e.server.meta(bare).is_some());
    ok(&e.run(&["meta", "rm", "--yes", bare]).await);
    assert!(e.server.meta(bare).is_none());

    // Bad input is refused before sending, naming the field and the limit.
    let long = "x".repeat(300);
    assert!(fails(&e.run(&["meta", "set", bare, "--title", &long]).await).contains("at most 255"));
    let mut args: Vec<String> = vec!["meta".into(), "set".into(), bare.into()];
    for i in 0..51 {
        args.push("--tag".into());
        args.push(format!("t{i}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(fails(&e.run(&args).await).contains("at most 50"));
    assert!(e.server.meta(bare).is_none());
}

/// Runs `k2s ARGS` in a pseudo-terminal with the env's config dir, answers `prompt` with
/// `answer` when it appears, and returns (everything printed, exit success).
fn run_in_pty(e: &Env, args: &[&str], prompt: &str, answer: &str) -> (String, bool) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_k2s"));
    cmd.args(args);
    cmd.env("K2S_API_URL", e.server.api_url());
    cmd.env("K2S_CONFIG_DIR", e.dir.path());
    for var in ["K2S_ACCESS_TOKEN", "DISPLAY", "WAYLAND_DISPLAY"] {
        cmd.env_remove(var);
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn k2s");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let o2 = out.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            o2.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut answered = false;
    loop {
        if !answered && out.lock().unwrap().contains(prompt) {
            writer.write_all(format!("{answer}\r").as_bytes()).unwrap();
            writer.flush().unwrap();
            answered = true;
        }
        if let Some(st) = child.try_wait().unwrap() {
            std::thread::sleep(std::time::Duration::from_millis(200));
            return (out.lock().unwrap().clone(), st.success());
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("k2s did not finish; printed:\n{}", out.lock().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

shaped! {
    async fn expired_session_on_a_terminal_asks_for_the_password_once_and_carries_on(shape) {
        let e = env_in(shape).await;
        ok(&e.login(accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await);
        e.server.expire_sessions();
        let e2 = std::sync::Arc::new(e);
        let env2 = e2.clone();
        let (out, success) = tokio::task::spawn_blocking(move || {
            run_in_pty(&env2, &["ls"], "password", accounts::PREMIUM_PASSWORD)
        })
        .await
        .unwrap();
        assert!(success, "{out}");
        assert!(out.contains("has ended"), "{out}");
        assert!(out.contains("README.txt"), "{out}");
        // The new session was cached: the next command needs no password.
        ok(&e2.run_as(None, &["ls"]).await);
        // The password itself is never written anywhere.
        for p in walk(e2.dir.path()) {
            let text = std::fs::read(&p).unwrap_or_default();
            let text = String::from_utf8_lossy(&text);
            assert!(!text.contains(accounts::PREMIUM_PASSWORD), "{}", p.display());
        }
        // A wrong answer is a clear error, asked once.
        e2.server.expire_sessions();
        let env3 = e2.clone();
        let (out, success) =
            tokio::task::spawn_blocking(move || run_in_pty(&env3, &["ls"], "password", "wrong-password"))
                .await
                .unwrap();
        assert!(!success, "{out}");
        assert_eq!(out.matches("has ended").count(), 1, "{out}");
        assert!(out.contains("k2s: error:"), "{out}");
    }
}

shaped! {
    async fn info_and_link_show_every_known_item_and_one_error_per_unknown_id(shape) {
        use k2s::demo::ids;
        let e = env_in(shape).await;
        let args = [ids::README, "unknown000001", ids::VIDEO_BUNNY];
        for cmd in ["info", "link"] {
            let mut a = vec![cmd];
            a.extend(args);
            let out = e.run(&a).await;
            let err = fails(&out);
            let text = stdout(&out);
            assert!(
                text.contains(ids::README) && text.contains(ids::VIDEO_BUNNY),
                "{cmd}: {text}"
            );
            assert_eq!(err.matches("unknown000001").count(), 1, "{cmd}: {err}");
            assert!(err.contains("unknown id"), "{cmd}: {err}");
            assert!(!text.contains("unknown000001"), "{cmd}: {text}");
        }
        let out = e.run(&["--json", "link", ids::README, "unknown000001"]).await;
        fails(&out);
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v[0]["id"], ids::README);
        assert!(v[0]["link"].as_str().unwrap().contains(ids::README));
        assert_eq!(v[1]["id"], "unknown000001");
        assert_eq!(v[1]["error"], "unknown id");
    }
}

#[tokio::test]
async fn meta_copy_names_the_missing_destination_not_the_source() {
    use k2s::demo::ids;
    let e = env().await;
    // The bunny video has metadata in the seed.
    assert!(e.server.meta(ids::VIDEO_BUNNY).is_some());
    let out = e
        .run(&[
            "meta",
            "copy",
            ids::VIDEO_BUNNY,
            "--to",
            ids::NOTES,
            "missing000001",
        ])
        .await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("missing000001") && err.contains("destination"),
        "{err}"
    );
    assert!(!err.contains("source"), "{err}");
    assert!(stdout(&out).contains(&format!("copied to {}", ids::NOTES)));
    assert_eq!(e.server.meta(ids::NOTES), e.server.meta(ids::VIDEO_BUNNY));
    // A source without metadata is named as the source.
    let err = fails(&e.run(&["meta", "copy", ids::BUDGET, "--to", ids::NOTES]).await);
    assert!(err.contains(ids::BUDGET) && err.contains("no metadata"), "{err}");
}

/// The line of `k2s tree` that names folder `id`, and its depth (indent / 2 - 1).
fn tree_depth(tree: &str, id: &str) -> Option<usize> {
    let line = tree.lines().find(|l| l.trim_end().ends_with(id))?;
    Some((line.len() - line.trim_start().len()) / 2 - 1)
}

shaped! {
    async fn tree_nests_and_nested_paths_resolve_in_every_command(shape) {
        let e = env_in(shape).await;
        let docs = e.server.folder_id_by_path("/Documents").expect("/Documents");
        let arch = e.server.folder_id_by_path("/Documents/Archive").expect("/Documents/Archive");
        let top = e.server.folder_id_by_path("/Archive").expect("/Archive");
        let tree = ok(&e.run(&["tree"]).await);
        assert_eq!(tree_depth(&tree, &docs), Some(0), "{tree}");
        assert_eq!(tree_depth(&tree, &arch), Some(1), "{tree}");
        assert_eq!(tree_depth(&tree, &top), Some(0), "{tree}");
        let nested2024 = e.server.folder_id_by_path("/Movies/2024").unwrap();
        assert_eq!(tree_depth(&tree, &nested2024), Some(1), "{tree}");

        // A nested folder and a top-level one of the same name stay apart.
        let nested = ok(&e.run(&["ls", "/Documents/Archive"]).await);
        let toplevel = ok(&e.run(&["ls", "/Archive"]).await);
        for f in e.server.children(&arch) {
            assert!(nested.contains(&f.id) && !toplevel.contains(&f.id), "{nested}\n{toplevel}");
        }
        for f in e.server.children(&top) {
            assert!(toplevel.contains(&f.id) && !nested.contains(&f.id), "{nested}\n{toplevel}");
        }
        // The root's own id is the root.
        let root_id = e.server.root_id();
        assert_eq!(ok(&e.run(&["ls", root_id]).await), ok(&e.run(&["ls"]).await));
        assert_eq!(ok(&e.run(&["ls", "/"]).await), ok(&e.run(&["ls"]).await));

        // mkdir, upload and download take the nested path.
        let made = ok(&e.run(&["mkdir", "Sub of archive", "--parent", "/Documents/Archive"]).await);
        assert_eq!(e.server.file(made.trim()).unwrap().parent_id, arch);
        let local = e.dir.path().join("upload me.txt");
        std::fs::write(&local, b"fidelity upload\n").unwrap();
        ok(&e.run(&["upload", local.to_str().unwrap(), "--to", "/Documents/Archive"]).await);
        assert!(e.server.children(&arch).iter().any(|f| f.name == "upload me.txt"));
        let dl = e.dir.path().join("dl");
        std::fs::create_dir(&dl).unwrap();
        ok(&e.run(&["download", "/Documents/Archive", "--dir", dl.to_str().unwrap()]).await);
        for f in e.server.children(&arch).iter().filter(|f| !f.is_folder) {
            let got = std::fs::read(dl.join("Archive").join(&f.name)).unwrap_or_else(|err| panic!("{}: {err}", f.name));
            assert_eq!(md5_hex(&got), f.md5);
        }
        // mv into a nested path.
        let f = a_root_file(&e.server);
        ok(&e.run(&["mv", &f.id, "--to", "/Documents/Archive"]).await);
        assert_eq!(e.server.file(&f.id).unwrap().parent_id, arch);
    }
}

#[tokio::test]
async fn without_parent_arrays_the_tree_is_flat_and_says_so_but_paths_still_resolve() {
    let e = env_opts(DemoOptions {
        no_parent_arrays: true,
        ..DemoOptions::default()
    })
    .await;
    let out = e.run(&["tree"]).await;
    ok(&out);
    assert!(stderr(&out).contains("flat"), "{}", stderr(&out));
    let arch = e.server.folder_id_by_path("/Documents/Archive").unwrap();
    let listed = ok(&e.run(&["ls", "/Documents/Archive"]).await);
    for f in e.server.children(&arch) {
        assert!(listed.contains(&f.id), "{listed}");
    }
    // A nested folder's name is not a top-level path, even though the flat tree lists it there.
    assert!(fails(&e.run(&["ls", "/Private"]).await).contains("no folder named"));
    let top = e.server.folder_id_by_path("/Archive").unwrap();
    let listed = ok(&e.run(&["ls", "/Archive"]).await);
    for f in e.server.children(&top) {
        assert!(listed.contains(&f.id), "{listed}");
    }
    // Full paths as names (seen on some servers) give the tree back without parent ids.
    let e = env_opts(DemoOptions {
        no_parent_arrays: true,
        folder_names: Some(k2s::demo::FolderNames::Path),
        ..DemoOptions::default()
    })
    .await;
    let out = e.run(&["tree"]).await;
    let tree = ok(&out);
    assert!(!stderr(&out).contains("flat"), "{}", stderr(&out));
    assert_eq!(tree_depth(&tree, &arch), Some(1), "{tree}");
    assert!(ok(&e.run(&["ls", "/Documents/Archive"]).await).contains("2023-report.pdf"));
}

shaped! {
    async fn info_shows_the_parent_as_a_path_and_the_roots_id_as_slash(shape) {
        use k2s::demo::ids;
        let e = env_in(shape).await;
        let info = ok(&e.run(&["info", ids::README, ids::ARCHIVE_REPORT]).await);
        assert!(info.contains(&format!("/ ({})", ids::ROOT)), "{info}");
        assert!(info.contains(&format!("/Documents/Archive ({})", ids::ARCHIVE)), "{info}");
    }
}

shaped! {
    async fn free_user_gets_the_file_through_captcha_and_the_servers_wait(shape) {
        let e = env_in(shape).await;
        ok(&e.login(accounts::FREE_USER, accounts::FREE_PASSWORD).await);
        let c = e.cmd(None, &["url", "readme0000001"]);
        let server = std::sync::Arc::clone(&e.server);
        let started = std::time::Instant::now();
        let (out, err) =
            tokio::task::spawn_blocking(move || run_with_captcha(c, "", |ch| server.captcha_answer(ch)))
                .await
                .unwrap();
        assert!(out.status.success(), "{err}");
        // The server's time_wait, not a default of our own; one captcha only.
        assert!(started.elapsed() >= std::time::Duration::from_secs(k2s::demo::FREE_WAIT_SECS), "{err}");
        assert_eq!(err.matches("A captcha").count(), 1, "{err}");
        assert_eq!(e.server.calls("requestCaptcha"), 1);
        let body = reqwest::get(stdout(&out).trim()).await.unwrap();
        assert_eq!(body.status(), 200);

        // k2s download goes the same way and verifies the bytes.
        let dl = e.dir.path().join("dl");
        std::fs::create_dir(&dl).unwrap();
        let c = e.cmd(None, &["download", "readme0000001", "--dir", dl.to_str().unwrap()]);
        let server = std::sync::Arc::clone(&e.server);
        let (out, err) =
            tokio::task::spawn_blocking(move || run_with_captcha(c, "", |ch| server.captcha_answer(ch)))
                .await
                .unwrap();
        assert!(out.status.success(), "{err}");
        let got = std::fs::read(dl.join("README.txt")).unwrap();
        assert_eq!(md5_hex(&got), e.server.file("readme0000001").unwrap().md5);
    }
}

shaped! {
    async fn every_link_form_is_taken_where_an_id_is(shape) {
        use k2s::demo::ids;
        let e = env_in(shape).await;
        let bunny = e.server.file(ids::VIDEO_BUNNY).unwrap();
        for link in [
            format!("https://k2s.cc/f/{}", ids::VIDEO_BUNNY),
            format!("https://keep2share.cc/file/{}/Big%20Buck%20Bunny.mp4", ids::VIDEO_BUNNY),
            format!("k2s.cc/file/{}?site=forum", ids::VIDEO_BUNNY),
        ] {
            let info = ok(&e.run(&["info", &link]).await);
            assert!(info.contains(&bunny.md5), "{link}: {info}");
            let dl = tempfile::tempdir().unwrap();
            ok(&e.run(&["download", &link, "--dir", dl.path().to_str().unwrap()]).await);
            assert_eq!(md5_hex(&std::fs::read(dl.path().join(&bunny.name)).unwrap()), bunny.md5, "{link}");
        }
        // k2s's own folder link, with and without a name, on another domain too.
        let own = ok(&e.run(&["link", ids::MOVIES_2024]).await);
        let own = own.trim().to_string();
        assert!(own.contains("/folder/"), "{own}");
        for link in [own.clone(), format!("{own}/2024"), own.replace("k2s.cc", "keep2share.cc")] {
            let dl = tempfile::tempdir().unwrap();
            ok(&e.run(&["download", &link, "--dir", dl.path().to_str().unwrap()]).await);
            for f in e.server.children(ids::MOVIES_2024) {
                assert!(dl.path().join("2024").join(&f.name).exists(), "{link}: {}", f.name);
            }
            let listed = ok(&e.run(&["ls", &link]).await);
            assert!(e.server.children(ids::MOVIES_2024).iter().all(|f| listed.contains(&f.id)), "{listed}");
        }
    }
}

shaped! {
    async fn another_accounts_public_folder_is_listed_and_downloaded(shape) {
        let e = env_in(shape).await;
        let public = k2s::demo::ids::FREE_PUBLIC.to_string();
        let files = e.server.children(&public);
        assert!(!files.is_empty());
        let listed = ok(&e.run(&["ls", &public]).await);
        for f in &files {
            assert!(listed.contains(&f.id), "{listed}");
        }
        let link = format!("https://k2s.cc/folder/{public}");
        let dl = tempfile::tempdir().unwrap();
        ok(&e.run(&["download", &link, "--dir", dl.path().to_str().unwrap()]).await);
        let name = e.server.file(&public).unwrap().name;
        for f in files.iter().filter(|f| !f.is_folder) {
            let got = std::fs::read(dl.path().join(&name).join(&f.name)).unwrap_or_else(|err| panic!("{}: {err}", f.name));
            assert_eq!(md5_hex(&got), f.md5);
        }
        // A folder of another account that is not public: said plainly.
        let err = fails(&e.run(&["ls", "freefolder001"]).await);
        assert!(err.contains("not public"), "{err}");
    }
}

shaped! {
    async fn stray_invalid_params_answers_are_retried_for_reads_and_writes(shape) {
        let e = env_opts(DemoOptions {
            shapes: shape,
            faults: Faults {
                stray_400_rate: 0.2,
                ..Faults::default()
            },
            ..DemoOptions::default()
        })
        .await;
        let before = e.server.children("/").len();
        for i in 0..10 {
            ok(&e.run(&["ls", "/Movies"]).await);
            ok(&e.run(&["mkdir", &format!("Stray {i:02}")]).await);
        }
        // Each mkdir made exactly one folder.
        assert_eq!(e.server.children("/").len(), before + 10);
    }
}

shaped! {
    async fn rejected_remote_upload_urls_say_why(shape) {
        let e = env_in(shape).await;
        let out = e.run(&["remote-upload", "ftp://127.0.0.1/nothing"]).await;
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!out.status.success(), "{text}");
        assert!(text.contains("rejected"), "{text}");
        // The server's own reason is shown, not a placeholder.
        assert!(!text.contains("no reason"), "{text}");
    }
}
