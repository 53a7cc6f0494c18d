//! `k2s upload` against the demo server, counting what it costs: the API calls of a folder of
//! many small files, and the POST (begun, then dropped) of a large file the service already has.
//! No timing asserts.

mod common;

use common::k2s_cmd;
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes};
use k2s::md5sum::Md5;
use std::path::Path;
use std::process::Output;

async fn server(shapes: Shapes) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

/// `k2s ARGS` off the runtime's threads.
async fn k2s(demo: &DemoServer, cfg: &Path, args: &[&str]) -> Output {
    let mut c = k2s_cmd(&demo.api_url(), cfg, args);
    tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
        .await
        .expect("join")
}

fn ok(out: &Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "k2s failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn md5_hex(data: &[u8]) -> String {
    let mut h = Md5::new();
    h.update(data);
    h.hex()
}

/// Bytes that no other file has (xorshift from `seed`).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn total_calls(demo: &DemoServer) -> u64 {
    demo.call_counts().values().sum()
}

const FILES: usize = 200;

shaped! {
    multi_thread;
    async fn many_small_files_cost_about_one_api_call_each(shape) {
        let demo = server(shape).await;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("batch");
        std::fs::create_dir(&dir).unwrap();
        let mut want = std::collections::BTreeMap::new();
        for i in 0..FILES {
            let data = noise(16 * 1024, i as u64 + 7);
            let name = format!("f{i:03}.bin");
            want.insert(name.clone(), md5_hex(&data));
            std::fs::write(dir.join(&name), &data).unwrap();
        }
        let cfg = tmp.path().join("cfg");
        // A faster throttle only shortens the test: the count is what is checked.
        let out = k2s(&demo, &cfg, &["--rate", "50", "--json", "upload", dir.to_str().unwrap()]).await;
        ok(&out);
        let calls = total_calls(&demo);
        let per_file = calls as f64 / FILES as f64;
        eprintln!("{calls} API calls for {FILES} files: {:?}", demo.call_counts());
        assert!(
            per_file <= 1.05,
            "{calls} API calls for {FILES} files ({per_file:.3} each): {:?}",
            demo.call_counts()
        );
        assert_eq!(demo.calls("updateFile"), 0, "no access was asked for");
        // The same counts for a benchmark that runs the server in another process.
        let base = demo.api_url().trim_end_matches("/api/v2").to_string();
        let text = reqwest::get(format!("{base}/demo/stats")).await.unwrap().text().await.unwrap();
        let stats: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(stats["total_calls"], calls, "{text}");
        assert_eq!(stats["upload_bodies"], FILES as u64, "{text}");
        assert_eq!(demo.upload_bodies(), FILES as u64);
        let folder = demo.folder_id_by_path("/batch").expect("the folder was made");
        let got: std::collections::BTreeMap<String, String> = demo
            .children(&folder)
            .into_iter()
            .map(|f| (f.name, f.md5))
            .collect();
        assert_eq!(got, want, "every file arrived whole");
    }
}

shaped! {
    multi_thread;
    async fn known_large_content_drops_the_post_and_is_made_by_hash(shape) {
        let demo = server(shape).await;
        let tmp = tempfile::tempdir().unwrap();
        let data = noise(16 << 20, 99);
        let (orig, copy) = (tmp.path().join("orig.bin"), tmp.path().join("copy.bin"));
        std::fs::write(&orig, &data).unwrap();
        std::fs::write(&copy, &data).unwrap();
        let cfg = tmp.path().join("cfg");
        ok(&k2s(&demo, &cfg, &["--json", "upload", orig.to_str().unwrap()]).await);
        assert_eq!(demo.upload_bodies(), 1);

        // A slow link: sending the copy would take 8 s.
        demo.set_faults(Faults {
            bandwidth: Some(2 << 20),
            ..Faults::default()
        });
        let forms = demo.calls("getUploadFormData");
        let by_hash = demo.calls("createFileByHash");
        let lines = ok(&k2s(&demo, &cfg, &["--json", "upload", copy.to_str().unwrap()]).await);
        let done = lines
            .iter()
            .find(|l| l["state"] == "done")
            .unwrap_or_else(|| panic!("a done line: {lines:?}"));
        let id = done["file_id"].as_str().expect("file id");
        assert_eq!(demo.calls("createFileByHash"), by_hash + 1);
        assert_eq!(
            demo.calls("getUploadFormData"),
            forms + 1,
            "sending began at once, before the hash was known"
        );
        assert_eq!(demo.upload_bodies(), 1, "the copy's POST was dropped");
        let f = demo.file(id).expect("created");
        assert_eq!((f.name.as_str(), f.md5.as_str()), ("copy.bin", md5_hex(&data).as_str()));
    }
}

shaped! {
    multi_thread;
    async fn new_large_content_arrives_with_its_md5(shape) {
        let demo = server(shape).await;
        let tmp = tempfile::tempdir().unwrap();
        let data = noise(12 << 20, 5);
        let path = tmp.path().join("new.bin");
        std::fs::write(&path, &data).unwrap();
        let cfg = tmp.path().join("cfg");
        let lines = ok(&k2s(&demo, &cfg, &["--json", "upload", path.to_str().unwrap()]).await);
        let id = lines
            .iter()
            .find_map(|l| (l["state"] == "done").then(|| l["file_id"].as_str()).flatten())
            .unwrap_or_else(|| panic!("a done line: {lines:?}"));
        let f = demo.file(id).expect("uploaded");
        assert_eq!((f.name.as_str(), f.size), ("new.bin", data.len() as u64));
        assert_eq!(f.md5, md5_hex(&data));
        assert_eq!(demo.upload_bodies(), 1);
        assert_eq!(demo.calls("createFileByHash"), 0);
        assert!(demo.calls("findFile") <= 1, "at most one lookup");
    }
}
