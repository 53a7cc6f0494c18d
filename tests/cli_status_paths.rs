//! `k2s status` takes paths (`/Movies/x.mp4`, folders) as well as ids and share links.

mod common;

use common::k2s_cmd;
use k2s::demo::{DemoOptions, DemoServer, ids};
use serde_json::Value;

async fn k2s(server: &DemoServer, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut c = k2s_cmd(&server.api_url(), dir, args);
    tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
        .await
        .unwrap()
}

shaped! {
    async fn status_takes_paths_of_files_and_folders(shape) {
        let server = DemoServer::start(DemoOptions { shapes: shape, ..DemoOptions::default() })
            .await
            .expect("demo server");
        let dir = tempfile::tempdir().unwrap();
        let specs = ["/Movies/Big Buck Bunny.mp4", "/Shared", ids::README, "/Movies/nothing-here.mp4"];
        let o = k2s(&server, dir.path(), &[&["--json", "status"][..], &specs].concat()).await;
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!err.contains("panicked"), "{err}");
        let rows: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
        let rows = rows.as_array().expect("a list");
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[0]["given"], "/Movies/Big Buck Bunny.mp4");
        assert_eq!(rows[0]["id"], ids::VIDEO_BUNNY);
        assert_eq!(rows[0]["available"], true, "{rows:?}");
        assert_eq!(rows[0]["name"], "Big Buck Bunny.mp4");
        assert_eq!(rows[1]["id"], ids::SHARED);
        assert_eq!(rows[1]["is_folder"], true, "{rows:?}");
        assert_eq!(rows[2]["id"], ids::README);
        assert_eq!(rows[3]["available"], false);
        assert!(rows[3]["reason"].as_str().is_some_and(|r| r.contains("nothing-here")), "{rows:?}");
        // The missing path makes it "some unavailable", as a missing id does.
        assert_eq!(o.status.code(), Some(1), "{err}");

        let o = k2s(&server, dir.path(), &["status", "/Movies/Big Buck Bunny.mp4"]).await;
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
        assert!(out.starts_with(ids::VIDEO_BUNNY) && out.contains("available"), "{out}");
    }
}
