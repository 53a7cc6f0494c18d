//! The health view's other sections and its limit, and metadata reaching the index from the
//! TUI, end to end: the real `k2s index`, the TUI in a pseudo-terminal, then the CLI.
//! - `Alt-h` shows the seed's file gone from storage and its unavailable one in their sections,
//!   `n` asks for the days, and `k2s health --json` lists both files.
//! - A bulk metadata copy in the TUI writes the title into the index: `k2s find` finds it.

mod common;

use common::pty::{Tui, WAIT};
use k2s::demo::ids;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// `k2s --json ARGS` (must succeed), parsed.
async fn json(dir: &Path, api: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = common::k2s_ok(dir, api, &all).await;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

shaped! {
    multi_thread;
    async fn alt_h_shows_the_gone_and_the_unavailable_file_and_n_sets_the_days(shape) {
        let srv = common::demo_server(shape).await;
        let api = srv.api_url();
        let dir = tempfile::tempdir().expect("temp dir");
        let out = common::k2s_ok(dir.path(), &api, &["index"]).await;
        assert!(out.contains("indexed"), "{out}");

        // The CLI lists both, each under its own problem.
        let health = json(dir.path(), &api, &["health"]).await;
        let problem = |id: &str| {
            health
                .as_array()
                .and_then(|a| a.iter().find(|h| h["id"] == id))
                .map(|h| (h["problem"].clone(), h["path"].clone()))
                .unwrap_or_else(|| panic!("{id} not in {health}"))
        };
        assert_eq!(problem(ids::GONE), ("gone".into(), "/Archive/lost-tape.avi".into()));
        assert_eq!(
            problem(ids::UNAVAILABLE),
            ("unavailable".into(), "/Archive/held-back.zip".into())
        );

        let mut tui = Tui::spawn(common::pty::k2s_partner(dir.path(), &api));
        tui.wait_text("README.txt").await;
        tui.send("\x1bh");
        tui.wait_text("Health").await;
        tui.wait_for("each section counts its file", |s| {
            s.contains("blocked 1") && s.contains("gone from storage 1") && s.contains("unavailable 1")
        })
        .await;
        tui.send("\t");
        tui.wait_for("the gone section", |s| {
            s.contains("gone from storage: 1 file") && s.contains("/Archive/lost-tape.avi")
        })
        .await;
        tui.send("\t");
        tui.wait_for("the unavailable section", |s| {
            s.contains("unavailable: 1 file") && s.contains("/Archive/held-back.zip")
        })
        .await;

        // `n`: the days asked for; Enter, and the view asks the index again with them.
        tui.send("\t\t");
        tui.wait_text("not downloaded for 60 days:").await;
        tui.send("n");
        tui.wait_text("Inactive for how many days?").await;
        tui.send("\x7f\x7f0\r");
        tui.wait_text("type a whole number of days from 1 to 3650").await;
        tui.send("\x7f1000\r");
        tui.wait_text("not downloaded for 1000 days:").await;
        tui.send("n");
        tui.wait_text("Inactive for how many days?").await;
        tui.send("\x1b");
        tui.wait_for("Esc keeps the days", |s| {
            !s.contains("Inactive for how many days?") && s.contains("not downloaded for 1000 days:")
        })
        .await;
        tui.send("\x1b");
        tui.wait_for("the view closed", |s| !s.contains("not downloaded for")).await;
        tui.send("q");
    }
}

/// `k2s --json find PATTERN` in `dir`: the ids found (none: an empty list, exit 1).
async fn found_ids(dir: &Path, api: &str, pattern: &str) -> Vec<String> {
    let mut c = common::k2s_cmd(api, &dir.join("config"), &["--json", "find", pattern]);
    c.current_dir(dir);
    let out = tokio::task::spawn_blocking(move || c.output())
        .await
        .expect("k2s ran")
        .expect("run k2s");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

shaped! {
    multi_thread;
    async fn a_bulk_metadata_copy_in_the_tui_reaches_the_index(shape) {
        let srv = common::demo_server(shape).await;
        let api = srv.api_url();
        let dir = tempfile::tempdir().expect("temp dir");
        common::k2s_ok(dir.path(), &api, &["index"]).await;
        let title = "Sunrise zeppelin";
        common::k2s_ok(dir.path(), &api, &["meta", "set", ids::REPORT, "--title", title]).await;
        assert_eq!(found_ids(dir.path(), &api, "zeppelin").await, [ids::REPORT]);

        let mut tui = Tui::spawn(common::pty::k2s_partner(dir.path(), &api));
        tui.wait_text("Movies/").await;
        tui.send("jl"); // Archive/, then Documents/
        tui.wait_text("report.pdf").await;
        // Rows: Archive/, Private/, budget 2024.xlsx, contract.docx, private-notes.txt, report.pdf.
        tui.send("jj ");
        tui.wait_text("1 selected").await;
        tui.send("G");
        tui.send("p");
        tui.wait_text("Copy the metadata of report.pdf to 1 file?").await;
        tui.send("y");
        tui.wait_text("copied the metadata of report.pdf to 1 file").await;
        assert_eq!(srv.meta(ids::BUDGET).map(|m| m.title), Some(title.to_string()));

        // The index has the title the copy gave: the CLI's finder finds the file by it.
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let found = found_ids(dir.path(), &api, "zeppelin").await;
            if found.iter().any(|id| id == ids::BUDGET) {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "not in the index: {found:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tui.send("q");
    }
}

/// `[index] inactive_days` out of its range is a config error naming the line, for
/// `k2s health` as for every command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_inactive_days_in_the_config_names_its_line() {
    let srv = common::demo_server(k2s::demo::Shapes::Reference).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.toml"),
        "mouse = true\n[index]\ninactive_days = 0\n",
    )
    .expect("config");
    let mut c = common::k2s_cmd(&srv.api_url(), &config, &["health"]);
    let out = tokio::task::spawn_blocking(move || c.output())
        .await
        .expect("k2s ran")
        .expect("run k2s");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("line 3") && err.contains("inactive_days"), "{err}");
}
