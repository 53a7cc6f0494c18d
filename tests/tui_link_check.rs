//! End to end: the TUI's link-check box in the real binary (a pseudo-terminal read back with
//! vt100) against the demo server, whose seed has alive, dead, blocked, premium-only and
//! private files.

mod common;

use common::pty::{Tui, osc52_payloads};

/// The post: every state of the seed, one link twice, one link that is not K2S.
const POST: &str = "[url=https://k2s.cc/file/video00000001/bunny.mp4]Bunny[/url]\r\
    https://keep2share.cc/file/deadkept00001 https://k2s.cc/file/blocked000001\r\
    <a href=\"https://k2s.cc/file/premium000001\">p</a> https://k2s.cc/file/private000001\r\
    again k2s.cc/file/video00000001 and https://example.com/file/abc";

shaped! {
    multi_thread;
    async fn a_pasted_post_is_checked_in_the_box_and_the_dead_links_copied(shape) {
        let srv = common::demo_server(shape).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cmd = common::pty::k2s_partner(dir.path(), &srv.api_url());
        cmd.env("SSH_TTY", "/dev/pts/99");
        let mut t = Tui::spawn(cmd);
        t.wait_for("the listing", |s| s.contains("Movies/")).await;
        t.send("\u{b}");
        t.wait_for("the box", |s| s.contains("Check links")).await;
        t.send(&format!("\u{1b}[200~{POST}\u{1b}[201~"));
        t.wait_for("the pasted text", |s| s.contains("example.com/file/abc"))
            .await;
        t.send("\r");
        let shown = t.wait_for("the states", |s| s.contains("5 links:")).await;
        for want in [
            "alive",
            "bunny",
            "dead",
            "blocked",
            "premium only",
            "deadkept00001",
        ] {
            assert!(shown.contains(want), "{want:?} in:\n{shown}");
        }
        t.send("y");
        t.wait_for("the copy", |s| s.contains("2 links")).await;
        let copied = osc52_payloads(&t.raw());
        let lost = "https://keep2share.cc/file/deadkept00001\nhttps://k2s.cc/file/blocked000001";
        assert_eq!(copied.last().map(String::as_str), Some(lost), "{copied:?}");
        t.send("\u{1b}");
        t.wait_for("the box closed", |s| !s.contains("Check links")).await;
        t.send("q");
        t.wait_exit().await;
    }
}
