//! How many connections a download opens against the demo server: more than four on a link capped
//! per connection, no more than `--connections`, and fewer when the host refuses some. Counts and
//! states only, no timing.

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

/// Downloads `id` into a new folder `sub` of `dir` with extra ARGS; the bytes saved as NAME,
/// after checking that the CLI says the md5 was verified.
async fn download(api: &str, dir: &Path, id: &str, sub: &str, name: &str, extra: &[&str]) -> Vec<u8> {
    let to = dir.join(sub);
    let mut args = vec!["--json", "download", id, "--dir", to.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run_ok(api, dir, &args).await;
    assert!(out.contains("\"md5_verified\":true"), "{out}");
    std::fs::read(to.join(name)).unwrap()
}

shaped! { multi_thread;
    /// 2 MiB/s per connection: the connections multiply while the total grows, past the old
    /// four and up to `--connections`.
    async fn a_per_connection_cap_opens_more_than_four(shape) {
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(40 * MIB);
        let id = upload(&api, dir.path(), "capped.bin", &data).await;
        demo.set_faults(Faults {
            bandwidth: Some(2 * MIB),
            ..Faults::default()
        });
        let got = download(&api, dir.path(), &id, "six", "capped.bin", &["--connections", "6"]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        let six = demo.download_streams_peak();
        assert!(six > 4 && six <= 6, "{six} connections at most with --connections 6");

        let got = download(&api, dir.path(), &id, "all", "capped.bin", &[]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        let all = demo.download_streams_peak();
        assert!(all > 6, "only {all} connections at once on a capped link");
        assert!(all <= 16, "{all} connections: more than the default ceiling");
        assert_eq!(demo.download_refusals(), 0);
        demo.shutdown().await;
    }
}

shaped! { multi_thread;
    /// The host serves three connections at once and answers 503 beyond them: the download
    /// keeps the three, stops asking for more and completes with the right md5.
    async fn a_connection_limit_is_backed_off_from(shape) {
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(24 * MIB);
        let id = upload(&api, dir.path(), "limited.bin", &data).await;
        demo.set_faults(Faults {
            bandwidth: Some(2 * MIB),
            max_download_connections: Some(3),
            ..Faults::default()
        });
        let got = download(&api, dir.path(), &id, "dl", "limited.bin", &[]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        assert_eq!(demo.download_streams_peak(), 3, "the three allowed connections were used");
        let refused = demo.download_refusals();
        assert!(
            (1..=3).contains(&refused),
            "{refused} refused GETs: the download should ask beyond the limit once or twice, then stay"
        );
        demo.shutdown().await;
    }
}
