//! Transfers against a server that cannot be reached end with exit code 5 (server unreachable
//! after retries), not 1, so a script can tell "try later" from "this item is wrong".

mod common;

use std::process::Output;

/// Nothing listens there (the discard port, refused at once).
const DEAD: &str = "http://127.0.0.1:9";

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    // A short timeout: the client's and the engine's retries end within seconds.
    let mut all = vec!["--timeout", "2"];
    all.extend_from_slice(args);
    common::k2s_cmd(DEAD, dir, &all).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn download_upload_and_queue_resume_exit_5_when_the_server_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(d, &["download", "abcdef123456", "--dir", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(text(&o).contains("could not reach the server"), "{}", text(&o));

    let file = d.join("hello.txt");
    std::fs::write(&file, "hello").unwrap();
    let o = run(d, &["upload", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));

    // Both failed transfers are in the queue; running them again meets the same wall.
    let o = run(d, &["--json", "queue", "--resume", "--retry-failed"]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    let lines = String::from_utf8_lossy(&o.stdout).lines().count();
    assert_eq!(lines, 2, "{}", text(&o));
}

#[test]
fn a_failure_of_another_kind_among_them_is_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let missing = d.join("no-such-file");
    let here = d.join("here.txt");
    std::fs::write(&here, "x").unwrap();
    let o = run(d, &["upload", missing.to_str().unwrap(), here.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}
