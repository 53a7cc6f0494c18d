//! The account index against the demo server: the crawl in both reply shapes, its resumption
//! after the server went down midway, the queries (find, du, dupes, health, export), the CLI's
//! writes kept in it, a damaged file set aside, another account's index refused.

mod common;

use common::k2s_cmd;
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes, ids};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

async fn server(shapes: Shapes) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

/// `k2s --rate 50 ARGS`, off the runtime's threads.
async fn k2s(api: &str, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--rate", "50", "--timeout", "3"];
    all.extend_from_slice(args);
    let mut c = k2s_cmd(api, dir, &all);
    tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
        .await
        .expect("join")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status,
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&ok(o)).expect("JSON output")
}

/// Every index file under `dir`.
fn index_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("index.sqlite"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// How many folders the premium account has, the root not counted.
fn server_folders(srv: &DemoServer) -> u64 {
    let mut n = 0;
    let mut stack = vec!["/".to_string()];
    while let Some(f) = stack.pop() {
        for c in srv.children(&f).into_iter().filter(|c| c.is_folder) {
            n += 1;
            stack.push(c.id);
        }
    }
    n
}

/// Every file of the premium account as the server holds it.
fn server_files(srv: &DemoServer) -> Vec<k2s::demo::DemoFile> {
    let mut out = Vec::new();
    let mut stack = vec!["/".to_string()];
    while let Some(f) = stack.pop() {
        for c in srv.children(&f) {
            if c.is_folder {
                stack.push(c.id.clone());
            } else {
                out.push(c);
            }
        }
    }
    out
}

shaped! {
    async fn the_crawl_indexes_every_file_and_the_queries_answer_from_it(shape) {
        let srv = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = srv.api_url();
        let out = ok(&k2s(&api, dir.path(), &["index"]).await);
        let files = server_files(&srv);
        assert!(out.contains(&format!("{} files", files.len())), "{out}");
        let index = index_files(dir.path());
        assert_eq!(index.iter().filter(|p| p.ends_with("index.sqlite")).count(), 1, "{index:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&index[0]).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let calls = srv.calls("getFilesList");

        let found = json(&k2s(&api, dir.path(), &["--json", "find", "bunny"]).await);
        assert_eq!(found[0]["id"], ids::VIDEO_BUNNY, "{found}");
        assert_eq!(found[0]["path"], "/Movies/Big Buck Bunny.mp4");
        let glob = json(&k2s(&api, dir.path(), &["--json", "find", "--glob", "*.MP4"]).await);
        let expected = files.iter().filter(|f| f.name.to_lowercase().ends_with(".mp4")).count();
        assert_eq!(glob.as_array().map(Vec::len), Some(expected), "{glob}");
        let re = json(&k2s(&api, dir.path(), &["--json", "find", "--regex", "^Holiday \\d+"]).await);
        assert_eq!(re[0]["path"], "/Movies/2024/Holiday 2024.mp4", "{re}");
        let none = k2s(&api, dir.path(), &["find", "qqqqzzzz"]).await;
        assert_eq!(none.status.code(), Some(1), "no match: exit 1, as grep");

        let du = json(&k2s(&api, dir.path(), &["--json", "du", "--depth", "1"]).await);
        let total: u64 = files.iter().map(|f| f.size).sum();
        assert_eq!(du[0]["path"], "/");
        assert_eq!(du[0]["size"].as_u64(), Some(total), "{du}");
        assert_eq!(du[0]["files"].as_u64(), Some(files.len() as u64));
        let movies = json(&k2s(&api, dir.path(), &["--json", "du", "/Movies", "--depth", "0"]).await);
        let in_movies: u64 = files
            .iter()
            .filter(|f| f.parent_id == ids::MOVIES || f.parent_id == ids::MOVIES_2024)
            .map(|f| f.size)
            .sum();
        assert_eq!(movies[0]["size"].as_u64(), Some(in_movies), "{movies}");

        let health = json(&k2s(&api, dir.path(), &["--json", "health"]).await);
        let blocked = health
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == ids::BLOCKED)
            .unwrap_or_else(|| panic!("{health}"));
        assert_eq!(blocked["problem"], "blocked");

        let csv = ok(&k2s(&api, dir.path(), &["export", "--format", "csv"]).await);
        assert_eq!(csv.lines().count(), files.len() + 1, "{csv}");
        let docs = json(&k2s(&api, dir.path(), &["export", "--format", "json", "/Documents"]).await);
        assert!(docs.as_array().unwrap().iter().all(|f| f["path"].as_str().unwrap().starts_with("/Documents/")));
        assert!(docs.as_array().unwrap().iter().any(|f| f["id"] == ids::ARCHIVE_REPORT), "{docs}");
        assert_eq!(srv.calls("getFilesList"), calls, "the queries make no listing call");

        let again = ok(&k2s(&api, dir.path(), &["index"]).await);
        assert!(again.contains("complete"), "{again}");
        assert_eq!(srv.calls("getFilesList"), calls, "a complete index is not crawled again");
    }
}

shaped! {
    async fn an_interrupted_crawl_resumes_where_it_stopped(shape) {
        let srv = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = srv.api_url();
        // getFoldersList and a few folders' listings, then the server is down.
        srv.set_faults(Faults {
            down_after_calls: Some(5),
            ..Faults::default()
        });
        let cut = k2s(&api, dir.path(), &["index"]).await;
        assert!(!cut.status.success(), "{}", text(&cut.stdout));
        let err = text(&cut.stderr);
        assert!(err.contains("`k2s index` resumes it"), "{err}");
        let partial = k2s(&api, dir.path(), &["find", "--glob", "*"]).await;
        assert!(text(&partial.stderr).contains("incomplete"), "{}", text(&partial.stderr));

        srv.set_faults(Faults::default());
        let before = srv.calls("getFilesList");
        let out = ok(&k2s(&api, dir.path(), &["index"]).await);
        assert!(out.contains("resumed after"), "{out}");
        let listed = srv.calls("getFilesList") - before;
        let folders = server_folders(&srv);
        let files = server_files(&srv);
        assert!(out.contains(&format!("{} files", files.len())), "{out}");
        let all_folders = json(&k2s(&api, dir.path(), &["--json", "du", "--depth", "0"]).await)[0]["folders"]
            .as_u64()
            .unwrap();
        assert_eq!(all_folders, folders);
        assert!(
            listed < all_folders + 1,
            "the resumed crawl lists only what was left: {listed} listings for {all_folders} folders (+ root)"
        );
        let export = json(&k2s(&api, dir.path(), &["export", "--format", "json"]).await);
        assert_eq!(export.as_array().map(Vec::len), Some(files.len()));
    }
}

#[tokio::test]
async fn the_clis_writes_keep_the_index_right() {
    let srv = server(Shapes::Reference).await;
    let dir = tempfile::tempdir().unwrap();
    let api = srv.api_url();
    ok(&k2s(&api, dir.path(), &["index"]).await);
    let calls = srv.calls("getFilesList");
    ok(&k2s(
        &api,
        dir.path(),
        &["rename", ids::CONTRACT, "signed-contract.docx"],
    )
    .await);
    ok(&k2s(&api, dir.path(), &["mv", ids::BUDGET, "--to", "/Music"]).await);
    ok(&k2s(&api, dir.path(), &["rm", "--yes", ids::NOTES]).await);
    ok(&k2s(&api, dir.path(), &["mkdir", "Brand new"]).await);
    let find = |q: &'static str| {
        let (api, d) = (api.clone(), dir.path().to_path_buf());
        async move { json(&k2s(&api, &d, &["--json", "find", "--glob", q]).await) }
    };
    assert_eq!(
        find("signed-contract.docx").await[0]["path"],
        "/Documents/signed-contract.docx"
    );
    assert_eq!(
        find("budget 2024.xlsx").await[0]["path"],
        "/Music/budget 2024.xlsx"
    );
    let gone = k2s(&api, dir.path(), &["--json", "find", "--glob", "notes-2024.md"]).await;
    assert_eq!(gone.status.code(), Some(1), "deleted: no match");
    assert_eq!(text(&gone.stdout).trim(), "[]");
    let new = find("Brand new").await;
    assert_eq!(new[0]["path"], "/Brand new", "{new}");
    assert_eq!(new[0]["is_folder"], true);
    assert_eq!(srv.calls("getFilesList"), calls, "no crawl was needed");
}

#[tokio::test]
async fn a_damaged_index_is_set_aside_and_rebuilt() {
    let srv = server(Shapes::Reference).await;
    let dir = tempfile::tempdir().unwrap();
    let api = srv.api_url();
    ok(&k2s(&api, dir.path(), &["index"]).await);
    let path = index_files(dir.path())
        .into_iter()
        .find(|p| p.ends_with("index.sqlite"))
        .unwrap();
    for side in index_files(dir.path()) {
        let _ = std::fs::remove_file(side);
    }
    std::fs::write(
        &path,
        "SQLite format 3\0 not really: garbage garbage garbage".repeat(200),
    )
    .unwrap();
    let q = k2s(&api, dir.path(), &["find", "bunny"]).await;
    let err = text(&q.stderr);
    assert!(!q.status.success());
    assert!(err.contains("damaged") && err.contains(".corrupt-"), "{err}");
    assert!(err.contains("run `k2s index` first"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = ok(&k2s(&api, dir.path(), &["index"]).await);
    assert!(out.contains("indexed"), "{out}");
    let files = index_files(dir.path());
    assert!(
        files
            .iter()
            .any(|p| p.to_string_lossy().contains("index.sqlite.corrupt-")),
        "{files:?}"
    );
    let found = json(&k2s(&api, dir.path(), &["--json", "find", "bunny"]).await);
    assert_eq!(found[0]["id"], ids::VIDEO_BUNNY);
}

#[tokio::test]
async fn another_accounts_index_is_refused() {
    let (one, two) = (server(Shapes::Reference).await, server(Shapes::Reference).await);
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(&k2s(&one.api_url(), d1.path(), &["index"]).await);
    // The same account on the second server: the same path but for the server's folder.
    let theirs = index_files(d1.path())
        .into_iter()
        .find(|p| p.ends_with("index.sqlite"))
        .unwrap();
    let rel = theirs
        .strip_prefix(d1.path())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let port = |s: &DemoServer| s.addr().port().to_string();
    let rel = rel.replace(
        &format!("127.0.0.1-{}", port(&one)),
        &format!("127.0.0.1-{}", port(&two)),
    );
    let account_dir = d2.path().join(rel).parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&account_dir).unwrap();
    std::fs::copy(&theirs, account_dir.join("index.sqlite")).unwrap();
    let q = k2s(&two.api_url(), d2.path(), &["--json", "find", "bunny"]).await;
    let err = text(&q.stderr);
    assert!(err.contains("belongs to another account"), "{err}");
    assert!(
        !q.status.success(),
        "nothing is shown from another account's index"
    );
    assert!(!text(&q.stdout).contains(ids::VIDEO_BUNNY));
}

/// The scale figures of README ("The account index"): the crawl of 500,000 files in 5,000
/// folders, the queries on it, the index's size. Timings are printed, never asserted:
/// `cargo test --test index scale_figures -- --ignored --nocapture` (or scripts/bench-index.sh).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes long: a measurement, not a check"]
async fn scale_figures() {
    use k2s::index::paths::Folders;
    use k2s::index::query::{self, Names};
    use std::time::Instant;
    let n: usize = std::env::var("K2S_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500_000);
    let t = Instant::now();
    let srv = DemoServer::start(DemoOptions {
        scale_files: Some(n),
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    println!("seeded {n} files in {:.1} s", t.elapsed().as_secs_f64());
    let rate: u32 = std::env::var("K2S_BENCH_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let client = k2s::api::Client::new(k2s::api::ClientConfig {
        base_url: srv.api_url(),
        requests_per_second: rate,
        timeout: std::time::Duration::from_secs(120),
        credentials: k2s::api::Credentials {
            access_token: Some(k2s::demo::accounts::PARTNER_TOKEN.into()),
            ..Default::default()
        },
        ..Default::default()
    })
    .expect("client");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    let mut ix = k2s::index::open(&path, "bench/scale").expect("open").index;
    let t = Instant::now();
    let p = k2s::index::crawl(&mut ix, &client, &Default::default(), &mut |_| {})
        .await
        .expect("crawl");
    let crawl = t.elapsed().as_secs_f64();
    println!(
        "crawl: {} requests, {} files in {crawl:.1} s at up to {rate} requests/s ({:.0} requests/s); at the default 5/s: {:.0} s",
        p.requests,
        p.files,
        p.requests_per_sec(),
        p.requests as f64 / 5.0
    );
    let t = Instant::now();
    let names = Names::load(&ix).expect("names");
    println!(
        "names loaded: {} in {} ms",
        names.entries.len(),
        t.elapsed().as_millis()
    );
    for q in ["h", "ho", "hol", "holi", "holid", "holiday-scan", "hscn0042"] {
        let t = Instant::now();
        let hits = names.fuzzy(q, 50);
        println!(
            "fuzzy {q:?}: {} ms ({} shown)",
            t.elapsed().as_millis(),
            hits.len()
        );
    }
    let t = Instant::now();
    let folders = Folders::load(&ix).expect("folders");
    let rows = query::du(&ix, &folders, "/", 2).expect("du");
    println!(
        "du --depth 2: {} ms ({} rows)",
        t.elapsed().as_millis(),
        rows.len()
    );
    let t = Instant::now();
    let groups = query::dupes(&ix, &folders).expect("dupes");
    println!("dupes: {} ms ({} groups)", t.elapsed().as_millis(), groups.len());
    let t = Instant::now();
    let sick = query::health(&ix, &folders, chrono::Utc::now().timestamp(), 60).expect("health");
    println!("health: {} ms ({} files)", t.elapsed().as_millis(), sick.len());
    drop(ix);
    let size: u64 = index_files(dir.path())
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!("index size on disk: {:.1} MiB", size as f64 / 1048576.0);
    if let Some(keep) = std::env::var_os("K2S_BENCH_KEEP") {
        std::fs::copy(&path, &keep).expect("keep the index");
        println!("index kept at {}", Path::new(&keep).display());
    }
}

/// The queries alone, five times each, on an index kept by `scale_figures`
/// (`K2S_BENCH_KEEP=PATH`): `K2S_BENCH_INDEX=PATH cargo test --release --test index
/// queries_on_a_kept_index -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement on an index kept by scale_figures"]
fn queries_on_a_kept_index() {
    use k2s::index::paths::Folders;
    use k2s::index::query;
    use std::time::Instant;
    let Some(path) = std::env::var_os("K2S_BENCH_INDEX") else {
        panic!("K2S_BENCH_INDEX=PATH names the index to query");
    };
    let t = Instant::now();
    let opened = k2s::index::open(Path::new(&path), "bench/scale").expect("open");
    println!("opened in {} ms {:?}", t.elapsed().as_millis(), opened.notices);
    let ix = opened.index;
    let folders = Folders::load(&ix).expect("folders");
    for _ in 0..5 {
        let t = Instant::now();
        let rows = query::du(&ix, &folders, "/", 2).expect("du");
        let du = t.elapsed().as_millis();
        let t = Instant::now();
        let groups = query::dupes(&ix, &folders).expect("dupes");
        let dupes = t.elapsed().as_millis();
        println!(
            "du --depth 2: {du} ms ({} rows); dupes: {dupes} ms ({} groups)",
            rows.len(),
            groups.len()
        );
    }
}
