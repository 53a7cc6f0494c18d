//! What the transfer test files share: random content, `k2s` run to its end, an upload and a
//! verified download through the CLI.

use super::k2s_cmd;
use std::path::Path;

pub fn md5_hex(b: &[u8]) -> String {
    use md5::{Digest, Md5};
    format!("{:x}", Md5::digest(b))
}

pub fn random_bytes(n: u64) -> Vec<u8> {
    use rand::RngCore;
    let mut v = vec![0u8; n as usize];
    rand::rng().fill_bytes(&mut v);
    v
}

/// `k2s ARGS` to its end; its stdout, after checking it succeeded.
pub async fn run_ok(api: &str, dir: &Path, args: &[&str]) -> String {
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
pub async fn upload(api: &str, dir: &Path, name: &str, data: &[u8]) -> String {
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
pub async fn download(api: &str, dir: &Path, id: &str, sub: &str, name: &str, extra: &[&str]) -> Vec<u8> {
    let to = dir.join(sub);
    let mut args = vec!["--json", "download", id, "--dir", to.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run_ok(api, dir, &args).await;
    assert!(out.contains("\"md5_verified\":true"), "{out}");
    std::fs::read(to.join(name)).unwrap()
}
