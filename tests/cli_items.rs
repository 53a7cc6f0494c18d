//! The command line on items: every argument that takes an id also takes a path and a share
//! link (an ambiguous name lists its candidates), batch commands report item by item in text
//! and JSON, and the exit codes scripts rely on.

mod common;

use common::k2s_cmd;
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, accounts, ids};
use serde_json::Value;
use std::process::Output;

struct Env {
    server: DemoServer,
    dir: tempfile::TempDir,
}

async fn env_opts(opts: DemoOptions) -> Env {
    Env {
        server: DemoServer::start(opts).await.expect("demo server"),
        dir: tempfile::tempdir().unwrap(),
    }
}

async fn env_in(shapes: Shapes) -> Env {
    env_opts(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
}

impl Env {
    async fn run(&self, args: &[&str]) -> Output {
        let mut c = k2s_cmd(&self.server.api_url(), self.dir.path(), args);
        tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
            .await
            .unwrap()
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
/// The exit code, with both streams shown when it is not the expected one.
fn code(o: &Output, want: i32) {
    assert!(!err(o).contains("panicked"), "{}", err(o));
    assert_eq!(
        o.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{}",
        out(o),
        err(o)
    );
}
fn json(o: &Output) -> Value {
    serde_json::from_str(&out(o)).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}
/// The per-item JSON of a batch command: an array of {arg, id, name, ok, error}.
fn rows(o: &Output) -> Vec<Value> {
    let v = json(o);
    let rows = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .clone();
    for r in &rows {
        for k in ["arg", "id", "name", "ok", "error"] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
    }
    rows
}

shaped! {
    async fn paths_and_links_name_items_in_every_command(shape) {
        let e = env_in(shape).await;
        let sintel = "/Movies/Sintel.mkv";
        let link = format!("https://k2s.cc/file/{}/Sintel.mkv", ids::VIDEO_SINTEL_PREMIUM);
        for arg in [sintel, link.as_str(), ids::VIDEO_SINTEL_PREMIUM] {
            let o = e.run(&["--json", "info", arg]).await;
            code(&o, 0);
            assert_eq!(json(&o)[0]["id"], ids::VIDEO_SINTEL_PREMIUM, "{arg}");
            let o = e.run(&["--json", "link", arg]).await;
            code(&o, 0);
            let r = &rows(&o)[0];
            assert_eq!((r["id"].as_str(), r["name"].as_str(), r["ok"].as_bool()),
                (Some(ids::VIDEO_SINTEL_PREMIUM), Some("Sintel.mkv"), Some(true)), "{arg}");
            assert!(r["link"].as_str().unwrap().contains(ids::VIDEO_SINTEL_PREMIUM));
        }
        // A folder path, in another case; url and meta get on paths.
        let o = e.run(&["--json", "link", "/movies/2024"]).await;
        code(&o, 0);
        assert_eq!(rows(&o)[0]["id"], ids::MOVIES_2024);
        let o = e.run(&["--json", "url", "/README.txt"]).await;
        code(&o, 0);
        assert_eq!(json(&o)["id"], ids::README);
        let o = e.run(&["--json", "meta", "get", "/Movies/Big Buck Bunny.mp4"]).await;
        code(&o, 0);
        assert_eq!(json(&o)["file_id"], ids::VIDEO_BUNNY);

        // Changes through paths.
        code(&e.run(&["access", "/Documents/budget 2024.xlsx", "premium"]).await, 0);
        code(&e.run(&["rename", "/Documents/budget 2024.xlsx", "budget.xlsx"]).await, 0);
        assert_eq!(e.server.file(ids::BUDGET).unwrap().name, "budget.xlsx");
        let o = e.run(&["mv", "/Documents/budget.xlsx", "/Documents/contract.docx", "--to", "/Archive"]).await;
        code(&o, 0);
        assert!(out(&o).contains(&format!("moved {} budget.xlsx", ids::BUDGET)), "{}", out(&o));
        assert_eq!(e.server.file(ids::CONTRACT).unwrap().parent_id, ids::TOP_ARCHIVE);
        code(&e.run(&["meta", "set", "/Archive/budget.xlsx", "--title", "Budget"]).await, 0);
        assert_eq!(e.server.meta(ids::BUDGET).unwrap().title, "Budget");
        code(&e.run(&["meta", "copy", "/Archive/budget.xlsx", "--to", "/Archive/contract.docx"]).await, 0);
        assert_eq!(e.server.meta(ids::CONTRACT).unwrap().title, "Budget");
        code(&e.run(&["meta", "rm", "--yes", "/Archive/contract.docx"]).await, 0);
        assert!(e.server.meta(ids::CONTRACT).is_none());
        code(&e.run(&["rm", "--yes", "/Archive/contract.docx"]).await, 0);
        assert!(e.server.file(ids::CONTRACT).is_none());

        // A path that does not exist: not found.
        let o = e.run(&["info", "/Movies/nothing.mp4"]).await;
        code(&o, 4);
        assert!(err(&o).contains("nothing named \"nothing.mp4\" in /Movies"), "{}", err(&o));
        code(&e.run(&["rename", "/No/Such.txt", "a good name"]).await, 4);
    }
}

shaped! {
    async fn an_ambiguous_name_lists_its_candidates(shape) {
        let e = env_in(shape).await;
        // Two files named report.pdf in /Documents.
        code(&e.run(&["rename", ids::CONTRACT, "report.pdf"]).await, 0);
        for args in [
            vec!["info", "/Documents/report.pdf"],
            vec!["rename", "/Documents/report.pdf", "other.pdf"],
            vec!["meta", "get", "/Documents/report.pdf"],
            vec!["url", "/Documents/report.pdf"],
        ] {
            let o = e.run(&args).await;
            let text = err(&o);
            assert!(
                text.contains("matches 2 items") && text.contains(ids::REPORT) && text.contains(ids::CONTRACT),
                "{args:?}: {text}"
            );
            if args[0] != "info" {
                code(&o, 2);
            }
        }
        let o = e.run(&["--json", "rm", "--yes", "/Documents/report.pdf"]).await;
        code(&o, 1);
        let r = &rows(&o)[0];
        assert_eq!(r["ok"], false);
        let cands: Vec<&str> = r["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert!(cands.contains(&ids::REPORT) && cands.contains(&ids::CONTRACT), "{r}");
        assert!(e.server.file(ids::REPORT).is_some() && e.server.file(ids::CONTRACT).is_some());
    }
}

shaped! {
    async fn rm_reports_each_item_with_its_reason(shape) {
        let e = env_in(shape).await;
        // Ours, another account's public file, an unknown id, a missing path.
        let args = ["rm", "--yes", ids::NOTES, ids::FREE_PUBLIC_GUIDE, "unknown000001", "/Movies/gone.mp4"];
        let o = e.run(&args).await;
        code(&o, 1);
        assert!(out(&o).contains(&format!("deleted {} notes-2024.md", ids::NOTES)), "{}", out(&o));
        let text = err(&o);
        assert!(text.contains(&format!("not deleted {}: ", ids::FREE_PUBLIC_GUIDE)), "{text}");
        assert!(text.contains("not deleted unknown000001: unknown id"), "{text}");
        assert!(text.contains("not deleted /Movies/gone.mp4: nothing named"), "{text}");
        assert!(text.contains("3 of 4 not deleted"), "{text}");
        assert!(e.server.file(ids::NOTES).is_none());

        let mut j = vec!["--json"];
        j.extend(["rm", "--yes", ids::DIAGRAM, ids::FREE_PUBLIC_GUIDE]);
        let o = e.run(&j).await;
        code(&o, 1);
        let r = rows(&o);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0]["id"].as_str(), r[0]["name"].as_str(), r[0]["ok"].as_bool()),
            (Some(ids::DIAGRAM), Some("diagram.png"), Some(true)));
        assert!(r[0]["error"].is_null());
        assert_eq!((r[1]["id"].as_str(), r[1]["ok"].as_bool()), (Some(ids::FREE_PUBLIC_GUIDE), Some(false)));
        assert!(r[1]["error"].as_str().is_some_and(|s| !s.is_empty()), "{}", r[1]);

        // Every item unknown: not found.
        let o = e.run(&["--json", "rm", "--yes", "unknown000001", "unknown000002"]).await;
        code(&o, 4);
        assert_eq!(rows(&o)[1]["id"], "unknown000002");
    }
}

shaped! {
    async fn access_mv_link_info_and_meta_copy_report_each_item(shape) {
        let e = env_in(shape).await;
        let o = e.run(&["--json", "access", ids::README, "unknown000001", "public"]).await;
        code(&o, 1);
        let r = rows(&o);
        assert_eq!((r[0]["ok"].as_bool(), r[1]["ok"].as_bool()), (Some(true), Some(false)));
        assert_eq!(r[1]["error"], "unknown id");

        let o = e.run(&["mv", ids::README, "/Movies/nope.mp4", "--to", "/Documents"]).await;
        code(&o, 1);
        assert!(out(&o).contains(&format!("moved {} README.txt", ids::README)), "{}", out(&o));
        assert!(err(&o).contains("not moved /Movies/nope.mp4"), "{}", err(&o));

        let o = e.run(&["--json", "link", "/Documents/README.txt", "unknown000001"]).await;
        code(&o, 1);
        let r = rows(&o);
        assert_eq!((r[0]["ok"].as_bool(), r[1]["ok"].as_bool()), (Some(true), Some(false)));

        let o = e.run(&["--json", "info", "unknown000001", "/Nope"]).await;
        code(&o, 4);

        let o = e.run(&["--json", "meta", "copy", ids::VIDEO_BUNNY, "--to", ids::NOTES, "missing000001", ids::MOVIES]).await;
        code(&o, 1);
        let r = rows(&o);
        assert_eq!(r.len(), 3);
        assert_eq!((r[0]["id"].as_str(), r[0]["ok"].as_bool()), (Some(ids::NOTES), Some(true)));
        assert!(r[1]["error"].as_str().unwrap().contains("destination"), "{}", r[1]);
        assert!(r[2]["error"].as_str().unwrap().contains("folder"), "{}", r[2]);
    }
}

shaped! {
    async fn exit_codes_scripts_can_use(shape) {
        let e = env_in(shape).await;
        // find-md5: 0 when known, 1 when not (as grep), 2 for what is no md5.
        let md5 = e.server.file(ids::README).unwrap().md5;
        code(&e.run(&["find-md5", &md5]).await, 0);
        let o = e.run(&["--json", "find-md5", "0123456789abcdef0123456789abcdef"]).await;
        code(&o, 1);
        assert_eq!(json(&o)["found"], false);
        code(&e.run(&["find-md5", "xyz"]).await, 2);
        // Usage (clap).
        code(&e.run(&["rm", "--no-such-flag"]).await, 2);
        // meta get: an unknown id is an error (4); a file without metadata an empty record (0).
        let o = e.run(&["--json", "meta", "get", "unknown000001"]).await;
        code(&o, 4);
        assert!(out(&o).is_empty() && err(&o).contains("unknown000001"), "{}", err(&o));
        assert!(e.server.meta(ids::README).is_none());
        let o = e.run(&["--json", "meta", "get", ids::README]).await;
        code(&o, 0);
        let m = json(&o);
        assert_eq!((m["file_id"].as_str(), m["title"].as_str()), (Some(ids::README), Some("")));
        assert_eq!(m["tags"], serde_json::json!([]));
        code(&e.run(&["meta", "get", "/Nope/x.txt"]).await, 4);
        code(&e.run(&["rename", "unknown000001", "a good name"]).await, 4);
        code(&e.run(&["url", "unknown000001"]).await, 4);
    }
}

#[tokio::test]
async fn authentication_needed_exits_3() {
    let e = env_in(Shapes::Reference).await;
    // No credentials at all, a token the server refuses.
    let mut c = k2s_cmd(&e.server.api_url(), e.dir.path(), &["ls"]);
    c.env_remove("K2S_ACCESS_TOKEN");
    let o = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    code(&o, 3);
    let mut c = k2s_cmd(&e.server.api_url(), e.dir.path(), &["info", ids::README]);
    c.env("K2S_ACCESS_TOKEN", "not-a-token");
    let o = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    code(&o, 3);
    // A login that needs a reCaptcha nobody answers.
    let mut c = k2s_cmd(
        &e.server.api_url(),
        e.dir.path(),
        &[
            "login",
            "--username",
            accounts::RECAPTCHA_USER,
            "--password-stdin",
        ],
    );
    c.env_remove("K2S_ACCESS_TOKEN")
        .stdin(std::process::Stdio::piped());
    let o = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = c.spawn().unwrap();
        let line = format!("{}\n", accounts::RECAPTCHA_PASSWORD);
        child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    code(&o, 3);
}

#[tokio::test]
async fn an_unreachable_server_exits_5() {
    // A port nothing listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/api/v2");
    let mut c = k2s_cmd(&url, dir.path(), &["--timeout", "2", "info", ids::README]);
    let o = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    code(&o, 5);
    assert!(err(&o).contains("could not reach the server"), "{}", err(&o));
}

#[cfg(unix)]
#[tokio::test]
async fn an_interrupted_command_exits_130() {
    let e = env_opts(DemoOptions {
        faults: Faults {
            latency_ms: 20_000,
            ..Faults::default()
        },
        ..DemoOptions::default()
    })
    .await;
    let mut c = k2s_cmd(&e.server.api_url(), e.dir.path(), &["--timeout", "60", "ls"]);
    let o = tokio::task::spawn_blocking(move || {
        let child = c.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        // SAFETY: signalling our own child by its pid.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGINT);
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    code(&o, 130);
}
