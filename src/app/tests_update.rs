//! `update` driven by messages alone: no network, no terminal.

use super::tests_listing::{file, folder};
use super::*;
use crate::api::{ApiError, ErrorCode, FileItem, FolderEntry, FoldersList};
use crate::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

pub(super) fn new_state() -> State {
    let mut s = State::new(Settings::default(), Keymap::defaults(), Theme::monochrome());
    s.size = (120, 30);
    s
}

pub(super) fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}
pub(super) fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}
pub(super) fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}
pub(super) fn typing(s: &mut State, text: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in text.chars() {
        fx.extend(update(s, key(c)));
    }
    fx
}

pub(super) fn api_err(code: i64, status: u16) -> ApiError {
    ApiError::Api {
        method: "x".into(),
        http_status: status,
        code: ErrorCode::Num(code),
        message: "m".into(),
        errors: vec![],
    }
}

pub(super) fn files_ticket(fx: &[Effect]) -> Option<(Ticket, String, u64)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadFiles { ticket, req } => Some((*ticket, req.parent.clone(), req.offset)),
        _ => None,
    })
}

pub(super) fn tree_list() -> FoldersList {
    let e = |id: &str, name: &str, parent: &str| FolderEntry {
        id: id.into(),
        name: name.into(),
        parent_id: Some(parent.into()),
        parent_name: None,
    };
    FoldersList {
        folders: vec![
            e("mov", "Movies", "/"),
            e("m24", "2024", "mov"),
            e("doc", "Documents", "/"),
        ],
        has_parents: true,
    }
}

pub(super) fn root_items() -> Vec<FileItem> {
    vec![
        folder("mov", "Movies"),
        folder("doc", "Documents"),
        file("r1", "README.txt", 100, 1),
        file("n1", "notes.md", 200, 2),
        file("z1", "zebra.bin", 300, 3),
    ]
}

/// A state showing the root with the tree loaded.
pub(super) fn browsing() -> State {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let (t, parent, _) = files_ticket(&fx).expect("a listing");
    assert_eq!(parent, "/");
    let tree_t = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadFolders(t) = e {
                Some(*t)
            } else {
                None
            }
        })
        .unwrap();
    update(&mut s, Msg::Folders(tree_t, Ok(tree_list())));
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(root_items()),
        },
    );
    s
}

pub(super) fn cursor_name(s: &State) -> String {
    s.list.current().map(|e| e.name.clone()).unwrap_or_default()
}

#[test]
fn start_loads_everything_or_shows_the_login() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadAccount)));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadFolders(_))));
    match fx.iter().find(|e| matches!(e, Effect::LoadFiles { .. })) {
        Some(Effect::LoadFiles { req, .. }) => {
            // The first page is one screenful at most, the only rows that come with
            // extended info: no more than one getFilesInfo batch.
            assert!(req.extended_info);
            assert_eq!(req.limit, 100, "a first page of a screenful");
            assert!(req.limit as usize <= crate::api::FILES_INFO_BATCH);
            assert_eq!(req.offset, 0);
        }
        other => panic!("{other:?}"),
    }
    let mut s = new_state();
    let fx = start(&mut s, false, Some("me@x".into()));
    assert!(fx.is_empty());
    assert_eq!(s.screen, Screen::Login);
    assert_eq!(s.login.username.value(), "me@x");
}

#[test]
fn only_the_first_screenful_is_asked_with_extended_info() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).unwrap();
    let page: Vec<FileItem> = (0..100)
        .map(|i| file(&format!("f{i:03}"), &format!("f{i:03}.bin"), 1, 1))
        .collect();
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(page),
        },
    );
    match fx.iter().find(|e| matches!(e, Effect::LoadFiles { .. })) {
        Some(Effect::LoadFiles { req, .. }) => {
            assert_eq!(req.offset, 100);
            assert_eq!(req.limit, 10_000, "then full pages");
            assert!(!req.extended_info, "later rows get theirs when on screen");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pages_are_requested_until_a_short_one_and_stale_ones_dropped() {
    let mut s = new_state();
    s.settings.page_size = 2;
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).unwrap();
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(root_items()[..2].to_vec()),
        },
    );
    assert_eq!(files_ticket(&fx), Some((t, "/".into(), 2)));
    assert!(s.list.loading, "still loading, yet usable");
    assert_eq!(s.list.len(), 2);
    // A page for an old ticket changes nothing.
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t - 1,
            offset: 2,
            result: Ok(vec![file("q", "stale", 1, 1)]),
        },
    );
    assert_eq!(s.list.len(), 2);
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 2,
            result: Ok(root_items()[2..3].to_vec()),
        },
    );
    assert!(files_ticket(&fx).is_none());
    assert!(!s.list.loading && s.list.complete);
    assert_eq!(s.list.len(), 3);
}

#[test]
fn entering_and_leaving_folders_keeps_the_place() {
    let mut s = browsing();
    assert_eq!(cursor_name(&s), "Documents");
    update(&mut s, key('j'));
    assert_eq!(cursor_name(&s), "Movies");
    let fx = update(&mut s, key('l'));
    let (t, parent, _) = files_ticket(&fx).unwrap();
    assert_eq!(parent, "mov");
    assert_eq!(s.path(), "/Movies");
    assert_eq!(s.tree.view.current_id(), "mov", "the tree follows");
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(vec![folder("m24", "2024"), file("v1", "Bunny.mp4", 5, 1)]),
        },
    );
    let fx = update(&mut s, key('h'));
    let (t2, parent, _) = files_ticket(&fx).unwrap();
    assert_eq!(parent, "/");
    // The answer for /Movies arriving late is dropped.
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(vec![file("late", "late", 1, 1)]),
        },
    );
    assert!(s.list.get("late").is_none());
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t2,
            offset: 0,
            result: Ok(root_items()),
        },
    );
    assert_eq!(cursor_name(&s), "Movies", "back on the folder we left");
    let fx = update(&mut s, key('h'));
    assert!(files_ticket(&fx).is_none());
    assert!(s.status.as_ref().unwrap().text.contains("root"));
}

#[test]
fn motions_and_sequences() {
    let mut s = browsing();
    update(&mut s, key('G'));
    assert_eq!(cursor_name(&s), "zebra.bin");
    update(&mut s, key('g'));
    assert_eq!(cursor_name(&s), "zebra.bin", "g alone waits");
    update(&mut s, key('g'));
    assert_eq!(cursor_name(&s), "Documents");
    // "g" then another key: the other key still works.
    update(&mut s, key('g'));
    update(&mut s, key('j'));
    assert_eq!(cursor_name(&s), "Movies");
    update(&mut s, ctrl('d'));
    assert!(s.list.cursor > 1);
    update(&mut s, code(KeyCode::PageUp));
    assert_eq!(s.list.cursor, 0);
    update(&mut s, code(KeyCode::Tab));
    // Tree and list shown: Tab from the list wraps round to the tree.
    assert_eq!(s.focus, Pane::Tree);
}

#[test]
fn filter_as_you_type() {
    let mut s = browsing();
    update(&mut s, key('/'));
    assert!(s.typing());
    typing(&mut s, "NOT");
    assert_eq!(s.list.len(), 1);
    assert_eq!(cursor_name(&s), "notes.md");
    // Letters typed into the filter are not commands.
    assert!(s.overlays.dialog().is_none() && !s.quit);
    update(&mut s, code(KeyCode::Enter));
    assert!(s.filter_edit.is_none());
    assert_eq!(s.list.filter(), "NOT");
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.list.filter(), "");
    assert_eq!(s.list.len(), 5);
}

#[test]
fn select_range_all_and_clear() {
    let mut s = browsing();
    update(&mut s, key(' '));
    assert_eq!(s.list.selected.len(), 1);
    assert_eq!(s.list.cursor, 1, "space moves on");
    update(&mut s, key('v'));
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    update(&mut s, key('v'));
    assert_eq!(s.list.selected.len(), 4);
    update(&mut s, code(KeyCode::Esc));
    assert!(s.list.selected.is_empty());
    update(&mut s, key('a'));
    assert_eq!(s.list.selected.len(), 5);
    update(&mut s, key('a'));
    assert!(s.list.selected.is_empty());
}

#[test]
fn help_overlay_has_its_own_filter() {
    let mut s = browsing();
    update(&mut s, key('?'));
    assert!(s.overlays.help().is_some());
    typing(&mut s, "del");
    assert_eq!(s.overlays.help().unwrap().filter.value(), "del");
    assert!(s.overlays.dialog().is_none(), "d was typed, not run");
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.overlays.help().unwrap().filter.value(), "");
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.help().is_none());
}

#[test]
fn video_info_is_fetched_for_visible_rows_once() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).unwrap();
    let mut items: Vec<FileItem> = (0..300)
        .map(|i| {
            let mut f = file(&format!("v{i:03}"), &format!("clip {i:03}.mp4"), 1, 1);
            f.extended_info = Some(crate::api::ExtendedInfo {
                content_type: Some("video/mp4".into()),
                ..Default::default()
            });
            f
        })
        .collect();
    items.push(file("t1", "a.txt", 1, 1));
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(items),
        },
    );
    let ids = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadVideoInfo(ids) = e {
                Some(ids.clone())
            } else {
                None
            }
        })
        .expect("video info asked");
    let rows = crate::app::layout::list_rows(&crate::app::layout::areas(&s));
    // "a.txt" sorts first and is no video.
    assert_eq!(ids.len(), rows.min(100) - 1);
    assert!(!ids.contains(&"t1".to_string()));
    // Moving inside the same screen asks nothing new.
    let fx = update(&mut s, key('j'));
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadVideoInfo(_))));
    let answer: Vec<FileItem> = ids
        .iter()
        .map(|id| FileItem {
            id: id.clone(),
            extended_info: Some(crate::api::ExtendedInfo {
                video_info: Some(crate::api::VideoInfo {
                    duration: Some(61.0),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    update(
        &mut s,
        Msg::VideoInfo {
            ids: ids.clone(),
            result: Ok(answer),
        },
    );
    assert_eq!(s.video[&ids[0]].as_ref().unwrap().duration, Some(61.0));
    // Far down: a new batch for the new rows only.
    let fx = update(&mut s, key('G'));
    let more = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadVideoInfo(ids) = e {
                Some(ids.clone())
            } else {
                None
            }
        })
        .unwrap();
    assert!(more.iter().all(|id| !ids.contains(id)));
}

#[test]
fn mouse_click_moves_the_cursor_and_wheel_scrolls() {
    let mut s = browsing();
    let a = crate::app::layout::areas(&s);
    let list = a.list.unwrap();
    let inner = crate::app::layout::inner(&a, list);
    // Row 3 of the files (after the header row).
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: list.x + 5,
        row: inner.y + 1 + 3,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut s, Msg::Mouse(click));
    assert_eq!(s.list.cursor, 3);
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: list.x + 5,
        row: inner.y + 2,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut s, Msg::Mouse(wheel));
    assert_eq!(s.list.cursor, 0);
    s.settings.mouse = false;
    update(&mut s, Msg::Mouse(click));
    assert_eq!(s.list.cursor, 0, "mouse off");
}

#[test]
fn sort_menu_and_only_available() {
    let mut s = browsing();
    update(&mut s, key('s'));
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    update(&mut s, code(KeyCode::Enter)); // largest first
    assert_eq!(
        s.list.sort(),
        listing::Sort {
            key: listing::SortKey::Size,
            desc: true
        }
    );
    assert_eq!(s.list.row(2).unwrap().name, "zebra.bin");
    let fx = update(&mut s, key('f'));
    match fx.iter().find(|e| matches!(e, Effect::LoadFiles { .. })) {
        Some(Effect::LoadFiles { req, .. }) => {
            assert!(req.only_available);
            assert_eq!(req.sort, Some((crate::api::SortField::Size, -1)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn tiny_terminals_do_not_break_paging() {
    let mut s = browsing();
    for (w, h) in [(20, 6), (1, 1), (0, 0), (300, 3)] {
        update(&mut s, Msg::Resize(w, h));
        update(&mut s, key('G'));
        update(&mut s, ctrl('d'));
        update(&mut s, code(KeyCode::PageUp));
    }
}

#[test]
fn errors_show_in_their_pane_and_the_rest_stays_usable() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).unwrap();
    let tree_t = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadFolders(t) = e {
                Some(*t)
            } else {
                None
            }
        })
        .unwrap();
    update(&mut s, Msg::Folders(tree_t, Err(api_err(500, 500))));
    assert!(s.tree.error.is_some());
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(root_items()),
        },
    );
    assert_eq!(s.list.len(), 5);
    update(&mut s, Msg::Account(Err(api_err(4, 400))));
    assert!(s.account.error.is_some());
    assert_eq!(s.screen, Screen::Browse);
    // Refresh asks again.
    let fx = update(&mut s, key('R'));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadFolders(_))));
}

#[test]
fn first_page_is_small_then_full_pages() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).unwrap();
    let items: Vec<FileItem> = (0..1000)
        .map(|i| file(&format!("f{i}"), &format!("f{i}"), 1, 1))
        .collect();
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(items),
        },
    );
    match fx.iter().find(|e| matches!(e, Effect::LoadFiles { .. })) {
        Some(Effect::LoadFiles { req, .. }) => assert_eq!((req.offset, req.limit), (1000, 10_000)),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.list.len(), 1000, "usable while the rest loads");
}
