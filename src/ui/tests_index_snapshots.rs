//! Snapshots of the account index's views (text only, the monochrome theme): the finder with
//! matches and their paths, without an index, and while the index is being built.

use crate::app::finder::{FinderHit, Found, IndexMsg};
use crate::app::overlay::Overlay;
use crate::app::{Msg, State, update};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::tests_support::{alpha, render, root_with, send};

/// The root with one file, in a `w` x `h` terminal.
fn root(w: u16, h: u16) -> State {
    root_with(w, h, vec![alpha()])
}

/// The finder opened and `text` typed; the ticket of the last query.
fn finder_with(s: &mut State, text: &str) -> crate::app::Ticket {
    send(s, KeyCode::Char('p'), KeyModifiers::CONTROL);
    for c in text.chars() {
        send(s, KeyCode::Char(c), KeyModifiers::NONE);
    }
    match s.overlays.top() {
        Some(Overlay::Finder(f)) => f.ticket,
        _ => panic!("the finder is open"),
    }
}

fn hit(id: &str, parent: &str, path: &str, is_folder: bool, size: Option<u64>) -> FinderHit {
    FinderHit {
        id: id.into(),
        parent: parent.into(),
        name: path.rsplit('/').next().unwrap_or(path).into(),
        path: path.into(),
        is_folder,
        size,
    }
}

#[test]
fn finder_with_matches_and_their_paths() {
    let mut s = root(80, 20);
    let ticket = finder_with(&mut s, "bunny");
    let hits = vec![
        hit(
            "bb",
            "m24",
            "/Movies/2024/Big Buck Bunny.mp4",
            false,
            Some(276_134_947),
        ),
        hit("bf", "/", "/Bunny pictures", true, None),
        hit("bt", "doc", "/Documents/bunny notes.txt", false, Some(812)),
    ];
    let found = Found::Hits(hits);
    update(&mut s, Msg::Index(IndexMsg::Found { ticket, found }));
    send(&mut s, KeyCode::Down, KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn finder_without_an_index_offers_to_build_it() {
    let mut s = root(80, 16);
    let ticket = finder_with(&mut s, "");
    update(
        &mut s,
        Msg::Index(IndexMsg::Found {
            ticket,
            found: Found::NoIndex,
        }),
    );
    insta::assert_snapshot!(render(&s));
}

#[test]
fn finder_while_the_index_is_built() {
    let mut s = root(80, 16);
    let ticket = finder_with(&mut s, "");
    update(
        &mut s,
        Msg::Index(IndexMsg::Found {
            ticket,
            found: Found::NoIndex,
        }),
    );
    send(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let p = crate::index::Progress {
        folders_done: 120,
        folders_total: 5000,
        files: 11_900,
        requests: 130,
        elapsed: std::time::Duration::from_secs(40),
        ..Default::default()
    };
    update(&mut s, Msg::Index(IndexMsg::Progress(p)));
    insta::assert_snapshot!(render(&s));
}

#[test]
fn usage_view_folders_by_size() {
    use crate::app::usage::UsageRow;
    let mut s = root(80, 16);
    send(&mut s, KeyCode::Char('u'), KeyModifiers::ALT);
    let ticket = match s.overlays.top() {
        Some(Overlay::Usage(v)) => v.ticket,
        _ => panic!("the usage view is open"),
    };
    let row = |id: &str, path: &str, size: u64, files: u64, downloads: u64| UsageRow {
        id: id.into(),
        path: path.into(),
        size,
        files,
        folders: 0,
        downloads,
    };
    let rows = vec![
        UsageRow {
            folders: 6,
            ..row("/", "/", 3_000_000_000, 1200, 900)
        },
        row("mov", "/Movies", 2_000_000_000, 40, 800),
        row("doc", "/Documents", 700_000_000, 1100, 90),
        row("mus", "/Music", 300_000_000, 60, 10),
    ];
    let answer = Ok(Some(rows));
    update(&mut s, Msg::Index(IndexMsg::Usage { ticket, answer }));
    send(&mut s, KeyCode::Down, KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}
