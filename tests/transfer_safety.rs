//! Transfers never lose or mix up files: two k2s at once on one download, a full disk, a file
//! that grows while it is uploaded, odd entries in an uploaded folder. The `k2s` command line
//! against the demo server and its fault knobs.

mod common;

use k2s::demo::{DemoOptions, DemoServer, Faults, Shapes};
use md5::{Digest, Md5};
use rand::Rng;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

struct Env {
    server: Arc<DemoServer>,
    dir: tempfile::TempDir,
}

async fn env_in(shapes: Shapes) -> Env {
    let server = DemoServer::start(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    Env {
        server: Arc::new(server),
        dir: tempfile::tempdir().unwrap(),
    }
}

impl Env {
    fn cmd(&self, args: &[&str]) -> Command {
        common::k2s_cmd(&self.server.api_url(), self.dir.path(), args)
    }

    async fn run(&self, args: &[&str]) -> Output {
        let mut c = self.cmd(args);
        tokio::task::spawn_blocking(move || c.output().unwrap())
            .await
            .unwrap()
    }

    /// Upload `data` as `name` (no faults on) and return its id.
    async fn put(&self, name: &str, data: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let out = self.run(&["--json", "upload", path.to_str().unwrap()]).await;
        assert!(out.status.success(), "{}", text(&out));
        let line = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        v["file_id"].as_str().expect("file_id").to_string()
    }
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::rng().fill(&mut v[..]);
    v
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

shaped! {
    multi_thread;
    /// Two k2s processes download one file into one folder: the second says that another k2s is
    /// downloading it and touches nothing; the first one's file is whole.
    async fn a_second_k2s_on_the_same_download_keeps_off(shape) {
        let e = env_in(shape).await;
        let data = random_bytes(1 << 20);
        let id = e.put("shared.bin", &data).await;
        e.server.set_faults(Faults {
            bandwidth: Some(40 * 1024),
            ..Faults::default()
        });
        let dl = e.dir.path().join("dl");
        std::fs::create_dir_all(&dl).unwrap();
        let args = ["download", id.as_str(), "--dir", dl.to_str().unwrap()];
        let first = e.cmd(&args).spawn().unwrap();
        // The first one has its .part.
        let part = dl.join("shared.bin.part");
        for _ in 0..200 {
            if part.exists() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(part.exists(), "{:?}", names_in(&dl));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let second = e.run(&args).await;
        assert!(!second.status.success(), "{}", text(&second));
        let err = String::from_utf8_lossy(&second.stderr);
        assert!(err.contains("another k2s is downloading shared.bin"), "{}", text(&second));
        let first = tokio::task::spawn_blocking(move || first.wait_with_output().unwrap()).await.unwrap();
        assert!(first.status.success(), "{}", text(&first));
        assert_eq!(names_in(&dl), ["shared.bin"], "no sidecar, no second copy");
        assert_eq!(std::fs::read(dl.join("shared.bin")).unwrap(), data);
    }
}

/// A 1 MiB tmpfs, unmounted when dropped; None (with the reason printed) when it cannot be
/// mounted here (not root, no mount permission).
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount() -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs(dir)),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

shaped! {
    /// A download larger than the free space fails before it starts, saying how much it needs
    /// and how much is free, and leaves nothing in the folder.
    async fn a_full_disk_is_said_before_and_leaves_nothing(shape) {
        let Some(fs) = Tmpfs::mount() else { return };
        let e = env_in(shape).await;
        let id = e.put("big.bin", &random_bytes(2 << 20)).await;
        let dir = fs.path().to_str().unwrap().to_string();
        let out = e.run(&["download", &id, "--dir", &dir]).await;
        assert!(!out.status.success(), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs 2.0 MiB") && err.contains(&format!("free on {dir}")), "{}", text(&out));
        assert!(names_in(fs.path()).is_empty(), "debris: {:?}", names_in(fs.path()));
    }
}

shaped! {
    multi_thread;
    /// A file that grows while it is sent is uploaded again once it stops growing: the service
    /// ends up with its final content, not a "Bad multipart body".
    async fn a_file_growing_during_its_upload_is_sent_again_once_stable(shape) {
        let e = env_in(shape).await;
        e.server.set_faults(Faults {
            bandwidth: Some(100 * 1024),
            ..Faults::default()
        });
        let path = e.dir.path().join("growing.log");
        std::fs::write(&path, random_bytes(200 * 1024)).unwrap();
        let grower = {
            let path = path.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                std::thread::sleep(Duration::from_millis(700));
                let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
                for _ in 0..10 {
                    f.write_all(&random_bytes(4096)).unwrap();
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        let out = e.run(&["--json", "upload", path.to_str().unwrap()]).await;
        grower.join().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let line = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string();
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let id = v["file_id"].as_str().expect("file_id");
        let stored = e.server.file(id).expect("stored");
        let want = std::fs::read(&path).unwrap();
        assert_eq!(stored.size, want.len() as u64);
        assert_eq!(stored.md5, hex::encode(Md5::digest(&want)));
        let copies = e.server.find_by_name("growing.log");
        assert_eq!(copies.len(), 1, "no stale copy is left: {copies:?}");
    }
}

shaped! {
    /// A folder upload names every entry it leaves out, with the reason, and counts them.
    async fn folder_uploads_say_what_they_skip(shape) {
        let e = env_in(shape).await;
        let top = e.dir.path().join("odd");
        std::fs::create_dir_all(top.join("sub")).unwrap();
        std::fs::write(top.join("a.txt"), b"a").unwrap();
        std::fs::write(top.join("sub").join("b.txt"), b"b").unwrap();
        std::os::unix::fs::symlink(top.join("sub"), top.join("to-sub")).unwrap();
        std::os::unix::fs::symlink(top.join("gone"), top.join("dangling")).unwrap();
        let fifo = std::ffi::CString::new(top.join("fifo").to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let _sock = std::os::unix::net::UnixListener::bind(top.join("sock")).unwrap();
        let out = e.run(&["upload", top.to_str().unwrap()]).await;
        assert!(out.status.success(), "{}", text(&out));
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for (name, why) in [
            ("dangling", "a dangling link"),
            ("fifo", "a FIFO"),
            ("sock", "a socket"),
            ("to-sub", "a link to a folder"),
        ] {
            let line = format!("skipped: {} ({why})", top.join(name).display());
            assert!(stderr.contains(&line), "{line}\n{}", text(&out));
        }
        assert!(stdout.contains("2 items, 4 skipped)"), "{}", text(&out));
        assert!(stdout.contains("uploaded  a.txt") && stdout.contains("uploaded  b.txt"), "{}", text(&out));
        // The JSON result lists them too.
        let out = e.run(&["--json", "upload", top.to_str().unwrap()]).await;
        let first = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string();
        let v: serde_json::Value = serde_json::from_str(&first).expect("a JSON line");
        assert_eq!(v["skipped"].as_array().map(Vec::len), Some(4), "{first}");
    }
}
