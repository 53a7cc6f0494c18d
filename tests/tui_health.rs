//! The health view end to end: an index of the demo account built with the real `k2s index`,
//! then the TUI in a pseudo-terminal: `Alt-h` shows the sections with the seed's blocked file,
//! `d` and `y` delete it, and the demo server no longer has it.

mod common;

use common::pty::{Tui, WAIT};
use k2s::demo::ids;
use std::time::Duration;

shaped! {
    multi_thread;
    async fn alt_h_shows_the_files_in_trouble_and_deletes_a_blocked_one_on_the_server(shape) {
        let srv = common::demo_server(shape).await;
        let api = srv.api_url();
        let dir = tempfile::tempdir().expect("temp dir");
        let out = common::k2s_ok(dir.path(), &api, &["index"]).await;
        assert!(out.contains("indexed"), "{out}");
        assert!(srv.file(ids::BLOCKED).is_some());

        let mut tui = Tui::spawn(common::pty::k2s_partner(dir.path(), &api));
        tui.wait_text("README.txt").await;
        tui.send("\x1bh");
        tui.wait_text("Health").await;
        // The blocked section first, with its count and the file's path.
        tui.wait_text("blocked 1").await;
        tui.wait_text("/Movies/blocked-video.mp4").await;
        tui.wait_for("the never-downloaded section has files", |s| {
            !s.contains("never downloaded 0 ")
        })
        .await;
        // Delete it: one question, then the usual delete.
        tui.send("d");
        tui.wait_text("blocked-video.mp4").await;
        tui.wait_for("the delete question", |s| s.contains("Delete"))
            .await;
        tui.send("y");
        tui.wait_for("the blocked section empty", |s| {
            s.contains("blocked 0") && s.contains("no file is blocked")
        })
        .await;
        let deadline = tokio::time::Instant::now() + WAIT;
        while srv.file(ids::BLOCKED).is_some() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server still has the file"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Tab goes to the next section; Esc closes the view.
        tui.send("\t");
        tui.wait_text("gone from storage:").await;
        tui.send("\x1b");
        tui.wait_for("the view closed", |s| !s.contains("gone from storage:"))
            .await;
        tui.send("q");
    }
}
