//! The duplicates view end to end: the same content uploaded twice with the real binary, an
//! index built with `k2s index`, then the TUI in a pseudo-terminal: `Alt-d` shows the pair,
//! `D` and `y` delete the copy not kept; the server has one copy left.

mod common;

use common::k2s_ok as k2s;
use common::pty::Tui;

shaped! {
    multi_thread;
    async fn alt_d_shows_a_duplicate_pair_and_deletes_the_copy_not_kept(shape) {
        let srv = common::demo_server(shape).await;
        let api = srv.api_url();
        let dir = tempfile::tempdir().expect("temp dir");
        let local = dir.path().join("twin.txt");
        std::fs::write(&local, "the same bytes, stored twice by mistake\n".repeat(500)).expect("write");
        let local = local.to_str().expect("a UTF-8 path");
        k2s(dir.path(), &api, &["upload", local, "--to", "/Documents"]).await;
        k2s(dir.path(), &api, &["upload", local, "--to", "/Movies"]).await;
        let out = k2s(dir.path(), &api, &["index"]).await;
        assert!(out.contains("indexed"), "{out}");
        let out = k2s(dir.path(), &api, &["dupes"]).await;
        assert!(
            out.contains("/Documents/twin.txt") && out.contains("/Movies/twin.txt"),
            "{out}"
        );

        let mut tui = Tui::spawn(common::pty::k2s_partner(dir.path(), &api));
        tui.wait_text("README.txt").await;
        tui.send("\x1bd");
        tui.wait_text("/Movies/twin.txt").await;
        let s = tui.screen();
        assert!(
            s.contains("Duplicates") && s.contains("extra cop") && s.contains("wasted"),
            "{s}"
        );
        // Both have no downloads: the older, first uploaded, is kept.
        let line = |s: &str, path: &str| s.lines().find(|l| l.contains(path)).unwrap_or("").to_string();
        assert!(line(&s, "/Documents/twin.txt").contains("keep"), "{s}");
        assert!(line(&s, "/Movies/twin.txt").contains("del"), "{s}");
        tui.send("D");
        tui.wait_text("for good?").await;
        assert!(tui.screen().contains("freed"), "{}", tui.screen());
        tui.send("y");
        tui.wait_for("the pair gone from the view", |s| {
            s.contains("Duplicates") && !s.contains("/Movies/twin.txt") && !s.contains("for good?")
        })
        .await;
        tui.send("\x1b");
        tui.wait_for("the view closed", |s| !s.contains("Duplicates"))
            .await;
        tui.send("q");

        let movies = k2s(dir.path(), &api, &["ls", "/Movies"]).await;
        assert!(
            !movies.contains("twin.txt"),
            "the copy not kept is deleted: {movies}"
        );
        let docs = k2s(dir.path(), &api, &["ls", "/Documents"]).await;
        assert!(docs.contains("twin.txt"), "the copy kept stays: {docs}");
        let out = k2s(dir.path(), &api, &["dupes"]).await;
        assert!(!out.contains("twin.txt"), "the index knows: {out}");
    }
}
