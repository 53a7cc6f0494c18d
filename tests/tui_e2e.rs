//! End to end: the real `k2s` binary in a pseudo-terminal (portable-pty), its screen read back
//! with vt100, against a demo server started in this process (so that its state can be read).

mod common;

use k2s::demo::{DemoOptions, DemoServer, Shapes, accounts, ids};
use std::time::Duration;

use common::pty::{Tui, WAIT, osc52_payloads};

/// The TUI logged in on the demo partner account, in a temporary folder (its download folder,
/// with its config in `config/`), as an SSH session without a display (copies go out as OSC 52),
/// with `env` on top.
fn spawn(api_url: &str, env: &[(&str, &str)]) -> Tui {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = common::pty::k2s_partner(dir.path(), api_url);
    cmd.env("SSH_TTY", "/dev/pts/99");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Tui::spawn(cmd).keeping(dir)
}

async fn server() -> DemoServer {
    DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server")
}

/// The demo server answering in `shapes`.
async fn server_in(shapes: Shapes) -> DemoServer {
    DemoServer::start(DemoOptions {
        shapes,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_filter_select_move_rename_access_delete_copy() {
    let srv = server().await;
    let mut t = spawn(&srv.api_url(), &[]);
    t.wait_text("Movies/").await;
    t.wait_text("premium to").await;

    // A nested folder: /Documents/Private, then back up. (Rows: Archive/ then Documents/ at
    // the root; Archive/ then Private/ in Documents.)
    t.send("jl");
    t.wait_text("report.pdf").await;
    t.send("jl");
    t.wait_text("passwords.kdbx").await;
    t.wait_text("/Documents/Private").await;
    t.send("h");
    t.wait_text("contract.docx").await;

    // Filter: three files have an "x" (.xlsx, .docx, .txt); select them all and move them.
    t.send("/x");
    t.wait_text("3 of 6").await;
    t.send("\r");
    t.send("a");
    t.wait_text("3 selected").await;
    t.send("m");
    t.wait_text("Move 3 items").await;
    // Picker: "/", Archive, Documents (current, the cursor starts there), Empty, Movies, Music.
    t.send("jjj");
    t.send("\r");
    t.wait_text("moved 3 items to /Music").await;
    for id in [ids::BUDGET, ids::CONTRACT, ids::PRIVATE_NOTES] {
        assert_eq!(
            srv.file(id).expect("still exists").parent_id,
            ids::MUSIC,
            "{id} moved"
        );
    }
    assert_eq!(
        srv.file(ids::REPORT).unwrap().parent_id,
        ids::DOCUMENTS,
        "not selected, not moved"
    );

    // Rename the remaining file.
    t.esc().await; // clears the filter
    t.wait_text("report.pdf").await;
    t.send("G");
    t.send("r");
    t.wait_text("New name:").await;
    t.send("\u{15}annual report.pdf\r");
    t.wait_text("renamed to annual report.pdf").await;
    assert_eq!(srv.file(ids::REPORT).unwrap().name, "annual report.pdf");

    // Access: premium and the public flag on; nothing else changes.
    t.send("A");
    t.wait_text("Public flag:").await;
    t.send("m\t");
    t.send("\u{1b}[C"); // Right: public flag "yes"
    t.send("\r");
    t.wait_text("access premium").await;
    let f = srv.file(ids::REPORT).unwrap();
    assert_eq!(
        (f.access.as_str(), f.is_public, f.parent_id.as_str()),
        ("premium", true, ids::DOCUMENTS)
    );
    assert_eq!(f.name, "annual report.pdf");

    // Delete, after a confirmation that names the file.
    t.send("h");
    t.wait_text("写真 Photos/").await;
    t.send("jjjl"); // Documents (remembered) -> Empty, Movies, Music
    t.wait_text("budget 2024.xlsx").await;
    t.send("/contract\r");
    t.wait_text("1 of 7").await;
    t.send("d");
    t.wait_for("the delete confirmation", |s| {
        s.contains("Delete 1 item") && s.contains("contract.docx")
    })
    .await;
    assert!(
        srv.file(ids::CONTRACT).is_some(),
        "nothing deleted before the answer"
    );
    t.send("y");
    t.wait_text("deleted 1 item").await;
    assert!(srv.file(ids::CONTRACT).is_none(), "deleted on the server");

    // Copy the share links of everything in /Music: OSC 52 carries them, one per line.
    t.esc().await;
    t.wait_text("album.zip").await;
    t.send("a");
    t.send("y");
    t.wait_text("sent 6 links to the terminal clipboard (OSC 52)")
        .await;
    let payloads = osc52_payloads(&t.raw());
    assert_eq!(payloads.len(), 1, "{payloads:?}");
    let mut got: Vec<&str> = payloads[0].split('\n').collect();
    let mut want: Vec<String> = srv
        .children(ids::MUSIC)
        .iter()
        .map(|f| k2s::api::share_link("k2s.cc", &f.id, Some(&f.name)))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);

    t.send("q");
    let st = t.wait_exit().await;
    assert!(st.success(), "{st:?}");
    t.assert_restored();
    srv.shutdown().await;
}

async fn restored_after(how: &str) {
    let srv = server().await;
    let env: &[(&str, &str)] = if how == "panic" {
        &[("K2S_TEST_PANIC", "1")]
    } else {
        &[]
    };
    let mut t = spawn(&srv.api_url(), env);
    if how != "panic" {
        // (The forced panic may come before any screen can be read.)
        t.wait_text("Folders").await;
    }
    match how {
        "q" => t.send("q"),
        "ctrl-c" => {
            t.send("/");
            t.wait_text("filter: /").await;
            t.send("\u{3}");
        }
        "SIGTERM" => t.signal(libc::SIGTERM),
        "SIGHUP" => t.signal(libc::SIGHUP),
        "SIGINT" => t.signal(libc::SIGINT),
        "SIGQUIT" => t.signal(libc::SIGQUIT),
        _ => {}
    }
    let st = t.wait_exit().await;
    if how == "panic" {
        assert!(!st.success());
        assert!(
            String::from_utf8_lossy(&t.raw()).contains("Folders"),
            "a frame was drawn first"
        );
        t.wait_text("K2S_TEST_PANIC").await;
    } else {
        assert!(st.success(), "{how}: {st:?}");
    }
    t.assert_restored();
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_restored_after_quit() {
    restored_after("q").await;
    restored_after("ctrl-c").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_restored_after_sigterm() {
    restored_after("SIGTERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_restored_after_sighup() {
    restored_after("SIGHUP").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_restored_after_sigint_and_sigquit() {
    restored_after("SIGINT").await;
    restored_after("SIGQUIT").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_restored_after_a_panic() {
    restored_after("panic").await;
}

shaped! { multi_thread;
    async fn login_screen_without_credentials(shape) {
        let srv = server_in(shape).await;
        let mut t = spawn(&srv.api_url(), &[("K2S_ACCESS_TOKEN", "")]);
        t.wait_text("log in").await;
        t.send(accounts::PREMIUM_USER);
        t.send("\t");
        t.send(accounts::PREMIUM_PASSWORD);
        t.send("\r");
        t.wait_text("Movies/").await;
        t.wait_text("logged in").await;
        assert!(!t.screen().contains(accounts::PREMIUM_PASSWORD));
        // The session ends while browsing (403/10 in the reference, 403/11 live): renewed
        // without a word, the place kept.
        srv.expire_sessions();
        t.send("jl"); // Archive/, then Documents/
        t.wait_text("report.pdf").await;
        t.wait_text("/Documents").await;
        assert!(!t.screen().contains("log in"));
        assert_eq!(srv.calls("login"), 2, "logged in again by itself");
        t.send("q");
        assert!(t.wait_exit().await.success());
        t.assert_restored();
        srv.shutdown().await;
    }
}

/// Metadata: the title edited in the row and the tags as chips, saved; the server holds exactly
/// those changes. Then bad input: a 51st tag, a 300-character title, a server error on save;
/// each gets a clear message and what was typed stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_title_and_tags_edited_inline() {
    let srv = server().await;
    let before = srv.meta(ids::VIDEO_BUNNY).expect("seeded metadata");
    let mut t = spawn(&srv.api_url(), &[]);
    t.wait_text("Movies/").await;
    t.send("/Movies\r");
    t.wait_text("1 of").await;
    t.send("l");
    t.wait_text("Big Buck Bunny.mp4").await;
    t.send("/Bunny\r");
    t.wait_text("1 of 4").await;

    // The title, in place in the row: Ctrl-u clears it, Enter saves.
    t.send("t");
    t.wait_text("title: Big Buck Bunny").await;
    t.send("\u{15}Big Buck Bunny 4K 兎\r");
    t.wait_text("saved the metadata of Big Buck Bunny.mp4 (title)")
        .await;
    let m = srv.meta(ids::VIDEO_BUNNY).unwrap();
    assert_eq!(m.title, "Big Buck Bunny 4K 兎");
    assert_eq!(
        k2s::demo::DemoMeta {
            title: before.title.clone(),
            ..m
        },
        before,
        "only the title changed"
    );

    // The tags: add one (Enter), remove "open-movie" (Left twice, Delete), Enter saves.
    t.send("T");
    t.wait_text("tags: [bunny] [open-movie] [video_k2s]").await;
    t.send("remaster\r");
    t.wait_text("[video_k2s] [remaster]").await;
    t.send("\u{1b}[D\u{1b}[D\u{1b}[D");
    t.send("\u{1b}[3~");
    t.wait_text("tags: [bunny] [video_k2s] [remaster]").await;
    t.send("\r");
    t.wait_text("saved the metadata of Big Buck Bunny.mp4 (tags)")
        .await;
    let m = srv.meta(ids::VIDEO_BUNNY).unwrap();
    assert_eq!(m.tags, vec!["bunny", "video_k2s", "remaster"]);
    assert_eq!(m.title, "Big Buck Bunny 4K 兎");
    assert_eq!(
        (&m.description, &m.studio, &m.categories, &m.actresses),
        (
            &before.description,
            &before.studio,
            &before.categories,
            &before.actresses
        ),
        "untouched fields unchanged"
    );

    // A 51st tag on the trailer (50 tags): refused, the text kept.
    t.esc().await;
    t.send("/2024\r");
    t.wait_text("1 of").await;
    t.send("l");
    t.wait_text("trailer.webm").await;
    t.send("/trailer\r");
    t.wait_text("1 of 2").await;
    t.send("T");
    t.wait_text("[tag50]").await;
    t.send("one too many\r");
    t.wait_text("tags are full: at most 50 items").await;
    t.wait_text("[tag50] one too many").await;
    t.esc().await;
    t.wait_text("editing of trailer.webm cancelled").await;

    // A 300-character title, pasted: refused before sending, the text kept; undo brings
    // the old title back.
    t.send("t");
    t.wait_text("title: Trailer").await;
    t.send("\u{15}");
    t.send(&format!("\u{1b}[200~{}\u{1b}[201~", "x".repeat(300)));
    t.send("\r");
    t.wait_text("title is 300 characters: at most 255 are allowed")
        .await;
    t.wait_text(&"x".repeat(40)).await;
    t.send("\u{1a}\u{1a}");
    t.wait_text("title: Trailer ").await;

    // A server error on save: a clear message, the form comes back as typed.
    srv.set_faults(k2s::demo::Faults {
        fail_rate: 1.0,
        ..k2s::demo::Faults::default()
    });
    t.send(" (cut)\r");
    t.wait_text("could not save the metadata of trailer.webm").await;
    t.wait_text("title: Trailer (cut)").await;
    assert_eq!(srv.meta(ids::VIDEO_TRAILER).unwrap().title, "Trailer");
    srv.set_faults(k2s::demo::Faults::default());
    t.send("\r");
    t.wait_text("saved the metadata of trailer.webm (title)").await;
    let m = srv.meta(ids::VIDEO_TRAILER).unwrap();
    assert_eq!(m.title, "Trailer (cut)");
    assert_eq!(m.tags.len(), 50);

    t.send("q");
    assert!(t.wait_exit().await.success());
    t.assert_restored();
    srv.shutdown().await;
}

/// Metadata across a selection (a tag added and removed, a record copied, records deleted after
/// a confirmation) and the server-side filter, against the demo server's state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_bulk_and_server_filter() {
    let srv = server().await;
    assert!(srv.meta(ids::BUDGET).is_none());
    let mut t = spawn(&srv.api_url(), &[]);
    t.wait_text("Movies/").await;
    t.send("jl"); // Archive/, then Documents/
    t.wait_text("report.pdf").await;
    // Rows: Archive/, Private/, budget 2024.xlsx, contract.docx, private-notes.txt, report.pdf.
    t.send("jj ");
    t.send("G ");
    t.wait_text("2 selected").await;
    t.send("+");
    t.wait_text("Add a tag").await;
    t.send("urgent\r");
    t.wait_text("added tag \"urgent\" to 2 files").await;
    assert_eq!(srv.meta(ids::REPORT).unwrap().tags, vec!["report", "urgent"]);
    assert_eq!(srv.meta(ids::BUDGET).unwrap().tags, vec!["urgent"], "created");

    t.send("-");
    t.wait_text("Remove a tag").await;
    t.send("report\r");
    t.wait_text("removed tag \"report\" from 1 file; skipped budget 2024.xlsx: does not have it")
        .await;
    let report = srv.meta(ids::REPORT).unwrap();
    assert_eq!(report.tags, vec!["urgent"]);
    assert_eq!(report.title, "Annual report 2024", "only the tags changed");

    // The cursor's file (report.pdf) gives its record to the rest of the selection.
    t.send("p");
    t.wait_text("Copy the metadata of report.pdf to 1 file?").await;
    t.send("y");
    t.wait_text("copied the metadata of report.pdf to 1 file").await;
    assert_eq!(srv.meta(ids::BUDGET), srv.meta(ids::REPORT));

    t.send("D");
    t.wait_text("Delete the metadata of 2 files?").await;
    assert!(
        srv.meta(ids::REPORT).is_some(),
        "nothing deleted before the answer"
    );
    t.send("y");
    t.wait_text("deleted the metadata of 2 files").await;
    assert!(srv.meta(ids::REPORT).is_none() && srv.meta(ids::BUDGET).is_none());

    // The server-side filter: files anywhere with tag video_k2s; Enter goes to one.
    t.esc().await;
    t.send("F");
    t.wait_text("Find by metadata").await;
    t.send("video_k2s\r");
    t.wait_for("the found files", |s| {
        s.contains("Found: tag \"video_k2s\" · 2 of 2")
            && s.contains("Big Buck Bunny.mp4")
            && s.contains("Holiday 2024.mp4")
    })
    .await;
    t.send("\r");
    t.wait_for("the file's folder", |s| {
        !s.contains("Found:") && s.contains("/Movies")
    })
    .await;

    t.send("q");
    assert!(t.wait_exit().await.success());
    t.assert_restored();
    srv.shutdown().await;
}

/// Peak resident memory of a process (Linux), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 50,000 files: time to first rows, to fully listed, scrolling and filtering in the real
/// binary; frame render time and update cost in process. Prints the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: cargo test --release --test tui_e2e -- --ignored --nocapture"]
async fn bench_fifty_thousand_files() {
    use std::time::Instant;
    const N: usize = 50_000;
    let srv = DemoServer::start(DemoOptions {
        big_folder: Some(N),
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let mut t = spawn(&srv.api_url(), &[]);
    t.wait_text("big/").await;
    t.wait_text("premium to").await;
    // "Archive" sorts first, "big" second.
    t.send("j");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    // The screen read every 2 ms (the harness's 50 ms would round every figure up to it).
    async fn seen(t: &Tui, what: &str, pred: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !pred(&t.screen()) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    t.send("l");
    seen(&t, "the first rows", |sc| sc.contains("big-000001.bin")).await;
    let first_rows = started.elapsed();
    let total = format!("· {N} ·");
    seen(&t, "fully listed", |sc| sc.contains(&total)).await;
    let fully = started.elapsed();
    let s = Instant::now();
    t.send("G");
    let last = format!("big-{N:06}.bin");
    seen(&t, "the last row", |sc| sc.contains(&last)).await;
    let to_bottom = s.elapsed();
    let s = Instant::now();
    t.send("/49999");
    let one = format!("1 of {N}");
    seen(&t, "the filter", |sc| {
        sc.contains("filter: /49999") && sc.contains(&one)
    })
    .await;
    let filtered = s.elapsed();
    let pid = t.child.process_id().expect("pid");
    let peak = peak_rss_kib(pid);
    t.send("\r");
    t.send("q");
    t.wait_exit().await;

    // In process: update and draw costs on a 200x50 screen.
    use k2s::app::{Effect, Keymap, Msg, Settings, State};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut st = State::new(
        Settings::default(),
        Keymap::defaults(),
        k2s::theme::Theme::colored(),
    );
    st.size = (200, 50);
    let fx = k2s::app::start(&mut st, true, None);
    let ticket = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadFiles { ticket, .. } = e {
                Some(*ticket)
            } else {
                None
            }
        })
        .expect("listing");
    let s = Instant::now();
    for page in 0..(N / 10_000) {
        let items = (0..10_000)
            .map(|i| {
                let n = page * 10_000 + i + 1;
                k2s::api::FileItem {
                    id: format!("b{n:012}"),
                    name: Some(format!("big-{n:06}.bin")),
                    is_folder: Some(false),
                    size: Some(n as u64),
                    ..Default::default()
                }
            })
            .collect();
        let offset = (page * 10_000) as u64;
        k2s::app::update(
            &mut st,
            Msg::FilesPage {
                ticket,
                offset,
                result: Ok(items),
            },
        );
    }
    let pages = s.elapsed();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)).expect("terminal");
    let key = |c: char| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let frames = 200;
    let s = Instant::now();
    for _ in 0..frames {
        k2s::app::update(&mut st, key('j'));
        term.draw(|f| k2s::ui::draw(f, &st)).expect("draw");
    }
    let per_frame = s.elapsed() / frames;
    let s = Instant::now();
    k2s::app::update(&mut st, key('/'));
    for c in "49999".chars() {
        k2s::app::update(&mut st, key(c));
    }
    let per_filter_key = s.elapsed() / 5;
    println!("50,000 files (demo server; pages of 100 then 10,000; client throttle 5 requests/s)");
    println!(
        "  time to first rows:        {:>8.1} ms",
        first_rows.as_secs_f64() * 1e3
    );
    println!(
        "  time to fully listed:      {:>8.1} ms",
        fully.as_secs_f64() * 1e3
    );
    println!(
        "  G to the last row shown:   {:>8.1} ms",
        to_bottom.as_secs_f64() * 1e3
    );
    println!(
        "  filter typed and shown:    {:>8.1} ms",
        filtered.as_secs_f64() * 1e3
    );
    println!(
        "  peak memory (VmHWM):       {:>8} KiB",
        peak.map_or("?".into(), |k| k.to_string())
    );
    println!(
        "  in process: 5 pages applied {:>6.1} ms",
        pages.as_secs_f64() * 1e3
    );
    println!(
        "  in process: key + frame     {:>6.2} ms (200x50)",
        per_frame.as_secs_f64() * 1e3
    );
    println!(
        "  in process: filter key      {:>6.2} ms",
        per_filter_key.as_secs_f64() * 1e3
    );
    srv.shutdown().await;
}

/// Until `pred` holds (polled), or panic with `what`.
async fn eventually(what: &str, t: &Tui, pred: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !pred() {
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for {what}; screen:\n{}", t.screen());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    hex::encode(Md5::digest(bytes))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_through_the_path_dialog_and_download() {
    let srv = server().await;
    let mut t = spawn(&srv.api_url(), &[]);
    // A local file in k2s's working directory, with a space in its name.
    let content: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(t.dir().join("up load.txt"), &content).expect("local file");
    t.wait_text("Movies/").await;

    // Into /Documents (after Archive/); u opens the path dialog; Tab completes the name
    // (escaping the space).
    t.send("jl");
    t.wait_text("report.pdf").await;
    t.send("u");
    t.wait_text("paths separated by spaces").await;
    t.send("up\t");
    t.wait_text("up\\ load.txt").await;
    t.send("\r");
    t.wait_text("queued 1 upload to /Documents").await;
    eventually("the upload on the server", &t, || {
        srv.children(ids::DOCUMENTS)
            .iter()
            .any(|f| f.name == "up load.txt")
    })
    .await;
    let up: Vec<_> = srv
        .children(ids::DOCUMENTS)
        .into_iter()
        .filter(|f| f.name == "up load.txt")
        .collect();
    assert_eq!(up.len(), 1, "uploaded once: {up:?}");
    assert_eq!(
        (up[0].size, up[0].md5.as_str()),
        (content.len() as u64, md5_hex(&content).as_str())
    );
    // The pane showed itself; the list shows the new file once it is done.
    t.wait_text("Transfers").await;
    t.wait_for("the uploaded file in the list", |s| {
        s.contains("up load.txt") && s.contains("done")
    })
    .await;

    // Download report.pdf (the row under the cursor) into the working directory.
    t.send("/report\r");
    t.wait_text("1 of").await;
    t.send("w");
    t.wait_text("queued 1 download into").await;
    let path = t.dir().join("report.pdf");
    let report = srv.file(ids::REPORT).expect("report.pdf on the server");
    eventually("the downloaded file", &t, || {
        std::fs::metadata(&path).is_ok_and(|m| m.len() == report.size)
    })
    .await;
    let bytes = std::fs::read(&path).expect("downloaded file");
    assert_eq!(bytes.len() as u64, report.size);
    assert_eq!(
        md5_hex(&bytes),
        report.md5,
        "the downloaded bytes are the server's"
    );
    t.wait_text("report.pdf: downloaded").await;
    let leftovers: Vec<_> = std::fs::read_dir(t.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A whole folder (CJK and emoji names) from the root: w on the folder row.
    t.send("h");
    t.wait_text("Movies/").await;
    t.send("/Photos\r");
    t.wait_text("1 of").await;
    t.send("w");
    t.wait_text("queued 1 folder").await;
    let local = t.dir().join("写真 Photos");
    for id in [ids::EMOJI, ids::BEACH] {
        let f = srv.file(id).expect("photo on the server");
        let path = local.join(&f.name);
        eventually("a file of the downloaded folder", &t, || {
            std::fs::metadata(&path).is_ok_and(|m| m.len() == f.size)
        })
        .await;
        assert_eq!(md5_hex(&std::fs::read(&path).unwrap()), f.md5, "{}", f.name);
    }
    assert_eq!(
        std::fs::read_dir(&local).unwrap().count(),
        2,
        "only the folder's two files"
    );
    // The files are in place a moment before the engine reports them done.
    t.wait_for("every transfer finished", |s| {
        s.contains("beach.jpg") && !s.contains(" active")
    })
    .await;

    // Nothing is running any more: q quits at once.
    t.send("q");
    let st = t.wait_exit().await;
    assert!(st.success(), "{st:?}");
    t.assert_restored();
    srv.shutdown().await;
}

shaped! { multi_thread;
    /// A free account downloads another account's file by its share link (W): the captcha shows
    /// in the terminal, the answer is typed, the wait counts down, and the bytes are the server's.
    async fn free_account_downloads_a_share_link_through_the_captcha(shape) {
        let srv = server_in(shape).await;
        let mut t = spawn(&srv.api_url(), &[("K2S_ACCESS_TOKEN", "")]);
        t.wait_text("log in").await;
        t.send(accounts::FREE_USER);
        t.send("\t");
        t.send(accounts::FREE_PASSWORD);
        t.send("\r");
        t.wait_text("free-notes.txt").await;

        t.send("W");
        t.wait_text("share links").await;
        t.send("https://k2s.cc/file/readme0000001/README.txt\r\r");
        t.wait_text("type the characters in the picture").await;
        let answers = srv.open_captcha_answers();
        assert_eq!(answers.len(), 1, "one captcha asked: {answers:?}");
        t.send(&answers[0]);
        t.send("\r");
        let readme = srv.file(ids::README).expect("README on the server");
        let path = t.dir().join("README.txt");
        eventually("the file after the free wait", &t, || {
            std::fs::metadata(&path).is_ok_and(|m| m.len() == readme.size)
        })
        .await;
        assert_eq!(md5_hex(&std::fs::read(&path).unwrap()), readme.md5);
        assert_eq!(srv.calls("requestCaptcha"), 1);
        t.wait_for("every transfer finished", |s| {
            s.contains("README.txt") && !s.contains(" active")
        })
        .await;
        t.send("q");
        assert!(t.wait_exit().await.success());
        t.assert_restored();
        srv.shutdown().await;
    }
}

shaped! { multi_thread;
    /// The tree nests in both shapes: /Documents/Archive under Documents, /Archive apart; the
    /// list goes down into it and back up to the root.
    async fn tree_nests_and_going_up_lands_on_the_root(shape) {
        let srv = server_in(shape).await;
        let mut t = spawn(&srv.api_url(), &[]);
        t.wait_text("Movies/").await;
        // Into /Documents/Archive through the list (rows: Archive/, Documents/, ...; then
        // Archive/ first in Documents): the tree reveals it under Documents, indented more than
        // the top-level Archive.
        t.send("jl");
        t.wait_text("report.pdf").await;
        t.send("ggl");
        t.wait_text("2023-report.pdf").await;
        t.wait_text("/Documents/Archive").await;
        // The tree pane's rows: the first 24 columns of the lines that start with its border.
        let tree_rows = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| l.starts_with('│'))
                .map(|l| l.chars().take(24).collect::<String>())
                .filter(|l| l.contains("Archive"))
                .collect()
        };
        t.wait_for("the tree with both Archive folders", |s| tree_rows(s).len() == 2)
            .await;
        let screen = t.screen();
        let tree = tree_rows(&screen);
        let indent = |l: &str| l.chars().position(|c| c == 'A').unwrap_or(0);
        assert!(indent(&tree[1]) > indent(&tree[0]), "nested, not flat:\n{screen}");
        // Up to Documents, the root, and no further.
        t.send("h");
        t.wait_text("contract.docx").await;
        t.send("h");
        t.wait_text("README.txt").await;
        t.send("h");
        t.wait_text("already at the root").await;
        t.send("q");
        assert!(t.wait_exit().await.success());
        srv.shutdown().await;
    }
}

/// A background task that panics (here the first listing) answers as an error: the list says
/// so instead of loading for good, and the screen stays up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_task_is_reported_and_the_tui_goes_on() {
    let srv = server().await;
    let mut t = spawn(&srv.api_url(), &[("K2S_TEST_PANIC", "listing")]);
    t.wait_text("internal error").await;
    assert!(!t.screen().contains("loading"), "{}", t.screen());
    assert!(!t.screen().contains("panicked at"), "{}", t.screen());
    assert!(t.with_screen(|s| s.alternate_screen()), "still the TUI's screen");
    t.send("q");
    assert!(t.wait_exit().await.success());
    t.assert_restored();
    srv.shutdown().await;
}

/// A second TUI on the same account's state cannot save its queue: it says so as soon as a
/// transfer is queued, not at quit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_tui_says_at_once_that_its_queue_is_not_saved() {
    let srv = server().await;
    let shared = tempfile::tempdir().unwrap();
    let cfg = shared.path().to_str().unwrap().to_string();
    let env = [("K2S_CONFIG_DIR", cfg.as_str())];
    let mut first = spawn(&srv.api_url(), &env);
    first.wait_text("Movies/").await;
    let mut second = spawn(&srv.api_url(), &env);
    second.wait_text("Movies/").await;
    // Slow enough that the warning is not replaced by "downloaded" before it is read.
    srv.set_faults(k2s::demo::Faults {
        bandwidth: Some(600),
        ..Default::default()
    });
    second.send("W");
    second.wait_text("share links").await;
    second.send("https://k2s.cc/file/readme0000001/README.txt\r\r");
    second.wait_text("not saved").await;
    second.wait_text("another k2s").await;
    first.send("q");
    assert!(first.wait_exit().await.success());
    // The second one still quits cleanly (it may ask about its transfer first).
    second
        .wait_for("the download done", |s| !s.contains(" active"))
        .await;
    second.send("q");
    let _ = second.wait_exit().await;
    second.assert_restored();
    srv.shutdown().await;
}

/// The key bar and the layers as a user meets them: help's key always there, a key from
/// another pane says where it works, a count moves several rows, a layer's binding from
/// config.toml is the one shown and used, Enter on a transfer opens its details.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layers_key_bar_counts_and_a_rebound_layer_key() {
    let srv = server().await;
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(
        cfg.path().join("config.toml"),
        "[keymap.list]\ndownload = \"Ctrl-w\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(cfg.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(
            cfg.path().join("config.toml"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    let dir = cfg.path().to_str().unwrap().to_string();
    let mut t = spawn(&srv.api_url(), &[("K2S_CONFIG_DIR", dir.as_str())]);
    t.wait_text("Movies/").await;
    t.wait_for("help at the end of the key bar", |s| {
        s.lines()
            .any(|l| l.trim_end().ends_with("? help") && l.contains("q quit"))
    })
    .await;
    t.wait_text("Ctrl-w download").await;
    t.send("x");
    t.wait_text("x is cancel in the transfer pane").await;
    // Rows at the root: Archive, Documents, Empty, Movies, ...: 3j lands on Movies.
    t.send("3jl");
    t.wait_text("/Movies").await;
    t.send("h");
    t.wait_text("Documents/").await;
    // The rebound key downloads the folder under the cursor (Movies, where h put it back).
    t.send("\u{17}");
    t.wait_text("queued").await;
    t.send("\u{14}");
    t.wait_text("Transfers").await;
    t.send("\r");
    t.wait_text("Transfer ").await;
    t.wait_text("folder id").await;
    t.send("\u{1b}");
    t.wait_for("the details closed", |s| !s.contains("folder id"))
        .await;
    t.send("q");
    let _ = t
        .wait_for("asked or gone", |s| s.contains("Quit") || s.is_empty())
        .await;
    t.send("y");
    let _ = t.wait_exit().await;
    t.assert_restored();
    srv.shutdown().await;
}

/// Two actions on one key in one layer: k2s refuses the config and names both, with lines.
#[test]
fn a_keymap_conflict_names_both_actions_and_their_lines() {
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(
        cfg.path().join("config.toml"),
        "mouse = true\n\n[keymap.list]\ndelete = \"x\"\nrename = \"x\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(cfg.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(
            cfg.path().join("config.toml"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_k2s"))
        .arg("keys")
        .env("K2S_CONFIG_DIR", cfg.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml"), "{err}");
    assert!(
        err.contains("delete (line 4)") && err.contains("rename (line 5)"),
        "{err}"
    );
}
