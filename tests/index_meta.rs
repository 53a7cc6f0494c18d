//! Metadata in the account index, against the demo server in both reply shapes: a title and
//! tags set with `k2s meta set` are written into the index, `k2s find` finds the file by its
//! title, `k2s export` carries both; `k2s meta rm` empties them.

mod common;

use common::k2s_cmd;
use common::output::ok;
use k2s::demo::ids;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

async fn k2s(api: &str, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--rate", "50", "--timeout", "3"];
    all.extend_from_slice(args);
    let mut c = k2s_cmd(api, dir, &all);
    tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
        .await
        .expect("join")
}

fn exported(o: &Output, id: &str) -> Value {
    let all: Value = serde_json::from_str(&ok(o)).expect("JSON output");
    all.as_array()
        .and_then(|a| a.iter().find(|f| f["id"] == id).cloned())
        .unwrap_or_else(|| panic!("{id} not exported: {all}"))
}

shaped! { multi_thread;
    async fn meta_set_writes_title_and_tags_into_the_index(shape) {
        let srv = common::demo_server(shape).await;
        let api = srv.api_url();
        let dir = tempfile::tempdir().expect("tmp");
        ok(&k2s(&api, dir.path(), &["index"]).await);
        let id = ids::VIDEO_BUNNY;
        let before = exported(&k2s(&api, dir.path(), &["export", "--format", "json"]).await, id);
        assert!(before["title"].is_null(), "{before}");

        ok(&k2s(&api, dir.path(), &["meta", "set", id, "--title", "Sunrise zeppelin", "--tag", "sky", "--tag", "dawn"]).await);
        let after = exported(&k2s(&api, dir.path(), &["export", "--format", "json"]).await, id);
        assert_eq!(after["title"], "Sunrise zeppelin", "{after}");
        assert_eq!(after["tags"], serde_json::json!(["sky", "dawn"]), "{after}");
        let csv = ok(&k2s(&api, dir.path(), &["export", "--format", "csv"]).await);
        assert!(csv.lines().next().is_some_and(|h| h.ends_with(",title,tags")), "{csv}");
        assert!(csv.contains("Sunrise zeppelin,sky; dawn"), "{csv}");

        // The file's name has neither word: the title is what matched.
        let found = ok(&k2s(&api, dir.path(), &["find", "zeppelin"]).await);
        assert!(found.starts_with(id), "{found}");

        ok(&k2s(&api, dir.path(), &["meta", "rm", id, "--yes"]).await);
        let gone = exported(&k2s(&api, dir.path(), &["export", "--format", "json"]).await, id);
        assert_eq!(gone["title"], "", "{gone}");
        assert_eq!(gone["tags"], serde_json::json!([]), "{gone}");
    }
}
