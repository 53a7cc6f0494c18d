//! The finder end to end: an index of the demo account built with the real `k2s index`, then
//! the TUI in a pseudo-terminal: `Ctrl-p`, a few letters, Enter; the file's folder is shown
//! with the file in it.

mod common;

use common::pty::Tui;

shaped! {
    multi_thread;
    async fn ctrl_p_finds_a_file_anywhere_and_enter_opens_its_folder_on_it(shape) {
        let srv = common::demo_server(shape).await;
        let api = srv.api_url();
        let dir = tempfile::tempdir().expect("temp dir");
        let out = common::k2s_ok(dir.path(), &api, &["index"]).await;
        assert!(out.contains("indexed"), "{out}");

        let mut tui = Tui::spawn(common::pty::k2s_partner(dir.path(), &api));
        tui.wait_text("README.txt").await;
        tui.send("\x10");
        tui.wait_text("Find in the account").await;
        tui.send("holiday");
        tui.wait_text("/Movies/2024/Holiday 2024.mp4").await;
        tui.send("\r");
        // The finder closed, the list shows /Movies/2024 with the file (the cursor on it).
        tui.wait_for("the folder /Movies/2024 with the file", |s| {
            !s.contains("Find in the account") && s.contains("/Movies/2024") && s.contains("Holiday 2024.mp4")
        })
        .await;
        let s = tui.screen();
        assert!(!s.contains("README.txt"), "the root is no longer shown:\n{s}");
        tui.send("q");
    }
}
