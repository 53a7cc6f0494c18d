//! Snapshots of the duplicates view (text only, the monochrome theme): groups with their
//! copies kept and to delete, the confirmation over it, and the empty states.

use crate::app::dupes::{DupeCopy, DupeGroup, DupesAnswer};
use crate::app::finder::IndexMsg;
use crate::app::overlay::Overlay;
use crate::app::{Msg, State, update};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::tests_support::{render, root_with, send};

/// The browser on the root (an empty listing) in a `w` x `h` terminal.
fn root(w: u16, h: u16) -> State {
    root_with(w, h, Vec::new())
}

fn copy(id: &str, path: &str, size: u64, downloads: u64, created: i64) -> DupeCopy {
    DupeCopy {
        id: id.into(),
        parent: "/".into(),
        path: path.into(),
        size,
        downloads: Some(downloads),
        created: Some(created),
        keep: false,
    }
}

fn groups() -> Vec<DupeGroup> {
    const GIB: u64 = 1 << 30;
    vec![
        DupeGroup {
            md5: "9e107d9d372bb6826bd81d3542a419d6".into(),
            size: 3 * GIB / 2,
            copies: vec![
                copy(
                    "m1",
                    "/Movies/2024/Holiday 2024.mp4",
                    3 * GIB / 2,
                    412,
                    1_704_067_200,
                ),
                copy(
                    "m2",
                    "/Backup/old phone/videos/Holiday 2024 (copy).mp4",
                    3 * GIB / 2,
                    3,
                    1_706_745_600,
                ),
                copy("m3", "/Inbox/Holiday 2024.mp4", 3 * GIB / 2, 0, 1_709_251_200),
            ],
        },
        DupeGroup {
            md5: "e4d909c290d0fb1ca068ffaddf22cbd0".into(),
            size: 4_200_000,
            copies: vec![
                copy("p1", "/Documents/report.pdf", 4_200_000, 9, 1_690_000_000),
                copy(
                    "p2",
                    "/Documents/Archive/report-final.pdf",
                    4_200_000,
                    9,
                    1_680_000_000,
                ),
            ],
        },
    ]
}

/// The view open, answered with `answer`.
fn with(w: u16, h: u16, answer: DupesAnswer) -> State {
    let mut s = root(w, h);
    send(&mut s, KeyCode::Char('d'), KeyModifiers::ALT);
    let ticket = match s.overlays.top() {
        Some(Overlay::Dupes(v)) => v.ticket,
        _ => panic!("the duplicates view is open"),
    };
    update(&mut s, Msg::Index(IndexMsg::Dupes { ticket, answer }));
    s
}

#[test]
fn dupes_view_groups_at_80x24() {
    let mut s = with(80, 24, Ok(Some(groups())));
    send(&mut s, KeyCode::Down, KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn dupes_view_groups_at_160x45() {
    let s = with(160, 45, Ok(Some(groups())));
    insta::assert_snapshot!(render(&s));
}

#[test]
fn dupes_view_confirmation_at_80x24() {
    let mut s = with(80, 24, Ok(Some(groups())));
    send(&mut s, KeyCode::Char('D'), KeyModifiers::SHIFT);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn dupes_view_without_an_index_and_without_duplicates() {
    let s = with(80, 24, Ok(None));
    insta::assert_snapshot!("dupes_view_without_an_index", render(&s));
    let s = with(80, 24, Ok(Some(vec![])));
    insta::assert_snapshot!("dupes_view_without_duplicates", render(&s));
}
