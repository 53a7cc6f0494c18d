//! The verified download on a fast link: one connection on loopback, the md5 computed from the
//! chunks in memory as they arrive, right even when the host cuts the connection mid-chunk.

mod common;

use common::k2s_cmd;
use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes};
use std::path::Path;

const MIB: u64 = 1 << 20;

async fn server(shape: Shapes) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes: shape,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

fn md5_hex(b: &[u8]) -> String {
    use md5::{Digest, Md5};
    format!("{:x}", Md5::digest(b))
}

fn random_bytes(n: u64) -> Vec<u8> {
    use rand::RngCore;
    let mut v = vec![0u8; n as usize];
    rand::rng().fill_bytes(&mut v);
    v
}

/// `k2s ARGS` to its end; its stdout, after checking it succeeded.
async fn run_ok(api: &str, dir: &Path, args: &[&str]) -> String {
    let mut cmd = tokio::process::Command::from(k2s_cmd(api, dir, args));
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), cmd.output())
        .await
        .expect("k2s ends in time")
        .expect("k2s runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "k2s {args:?}: {stdout}\n{stderr}");
    stdout
}

/// Uploads `data` as NAME with the CLI; its file id.
async fn upload(api: &str, dir: &Path, name: &str, data: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    let out = run_ok(api, dir, &["--json", "upload", path.to_str().unwrap()]).await;
    let id = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| v["file_id"].as_str().map(str::to_string));
    id.unwrap_or_else(|| panic!("no file id in {out}"))
}

/// Downloads `id` into a new folder `sub` of `dir`; the bytes saved as NAME, after checking
/// that the CLI says the md5 was verified.
async fn download(api: &str, dir: &Path, id: &str, sub: &str, name: &str) -> Vec<u8> {
    let to = dir.join(sub);
    let out = run_ok(
        api,
        dir,
        &["--json", "download", id, "--dir", to.to_str().unwrap()],
    )
    .await;
    assert!(out.contains("\"md5_verified\":true"), "{out}");
    std::fs::read(to.join(name)).unwrap()
}

shaped! { multi_thread;
    /// Uncapped loopback: one stream fills it, so the download stays on one connection (more
    /// would only put the chunks out of the md5's order), and the md5 it verified is right.
    async fn an_uncapped_download_uses_one_connection(shape) {
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(48 * MIB);
        let id = upload(&api, dir.path(), "fast.bin", &data).await;
        let got = download(&api, dir.path(), &id, "dl", "fast.bin").await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        assert_eq!(demo.download_streams_peak(), 1, "connections at once on loopback");
        demo.shutdown().await;
    }
}

shaped! { multi_thread;
    /// The host closes every connection after an odd number of bytes: each range resumes in
    /// the middle of one of the client's chunks, and the md5 still covers every byte once.
    async fn cuts_in_the_middle_of_chunks_keep_the_md5_right(shape) {
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(12 * MIB + 12_345);
        let id = upload(&api, dir.path(), "cut.bin", &data).await;
        demo.set_faults(Faults {
            drop_download_after: Some(MIB + 4_321),
            ..Faults::default()
        });
        let got = download(&api, dir.path(), &id, "dl", "cut.bin").await;
        assert_eq!(got.len(), data.len());
        assert_eq!(md5_hex(&got), md5_hex(&data));
        demo.shutdown().await;
    }
}
