//! The usage view: `Alt-u` asks the index for the folder's totals, Enter drills down, Left
//! comes back with the cursor where it was, `o` shows the folder in the browser, `d` and `m`
//! delete and move the folder under the cursor through the browser's dialogs.

use super::finder::{IndexEffect, IndexMsg};
use super::layer::{self, Layer};
use super::overlay::Overlay;
use super::tests_update::{browsing, code, files_ticket, key};
use super::usage::UsageRow;
use super::*;
use crate::api::FileChanges;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

fn asked(fx: &[Effect]) -> Option<(Ticket, String)> {
    fx.iter().find_map(|e| match e {
        Effect::Index(IndexEffect::Usage { ticket, folder }) => Some((*ticket, folder.clone())),
        _ => None,
    })
}

fn row(id: &str, path: &str, size: u64) -> UsageRow {
    UsageRow {
        id: id.into(),
        path: path.into(),
        size,
        files: 3,
        folders: 1,
        downloads: 7,
    }
}

fn answer(s: &mut State, ticket: Ticket, rows: Vec<UsageRow>) {
    update(
        s,
        Msg::Index(IndexMsg::Usage {
            ticket,
            answer: Ok(Some(rows)),
        }),
    );
}

fn view(s: &State) -> &usage::UsageView {
    s.overlays.usage().expect("the usage view is open")
}

/// The move the picker's Enter asked for: its ticket, ids and changes.
fn move_asked(fx: &[Effect]) -> (Ticket, Vec<String>, FileChanges) {
    fx.iter()
        .find_map(|e| match e {
            Effect::UpdateFiles {
                ticket,
                kind: UpdateKind::Move,
                ids,
                changes,
            } => Some((*ticket, ids.clone(), changes.clone())),
            _ => None,
        })
        .expect("moved")
}

/// The server's answer to that move: every item moved.
fn moved(s: &mut State, ticket: Ticket, ids: Vec<String>, changes: FileChanges) {
    update(
        s,
        Msg::Updated {
            ticket,
            kind: UpdateKind::Move,
            ids,
            changes,
            result: Ok(vec![]),
        },
    );
}

#[test]
fn alt_u_drills_down_and_back_up_with_the_cursor_kept() {
    let mut s = browsing();
    let (t, folder) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    assert_eq!(layer::layer(&s), Layer::Usage);
    assert_eq!(folder, "/");
    let root = vec![
        row("/", "/", 900),
        row("mov", "/Movies", 600),
        row("doc", "/Documents", 300),
    ];
    answer(&mut s, t, root.clone());
    update(&mut s, key('j'));
    assert_eq!(view(&s).cursor, 1);
    let (t2, folder) = asked(&update(&mut s, code(KeyCode::Enter))).expect("drilled down");
    assert_eq!(folder, "doc");
    // The root's totals arriving late are dropped.
    answer(&mut s, t, root.clone());
    assert_eq!(view(&s).folder, "doc");
    answer(
        &mut s,
        t2,
        vec![
            row("doc", "/Documents", 300),
            row("arc", "/Documents/Archive", 200),
        ],
    );
    assert_eq!(view(&s).children().len(), 1);
    let (t3, folder) = asked(&update(&mut s, code(KeyCode::Left))).expect("back up");
    assert_eq!(folder, "/");
    answer(&mut s, t3, root);
    assert_eq!(view(&s).cursor, 1, "the cursor is where it was");
}

#[test]
fn o_shows_the_folder_in_the_browser_and_esc_closes() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    answer(&mut s, t, vec![row("/", "/", 900), row("mov", "/Movies", 600)]);
    let fx = update(&mut s, key('o'));
    assert!(s.overlays.usage().is_none());
    assert_eq!(files_ticket(&fx).map(|(_, p, _)| p).as_deref(), Some("mov"));
    update(&mut s, alt('u'));
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.is_empty());
}

#[test]
fn without_an_index_it_says_how_to_build_one() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    update(
        &mut s,
        Msg::Index(IndexMsg::Usage {
            ticket: t,
            answer: Ok(None),
        }),
    );
    assert!(view(&s).note.as_deref().is_some_and(|n| n.contains("no index")));
    // Nothing to drill into.
    assert!(asked(&update(&mut s, code(KeyCode::Enter))).is_none());
}

fn deletes(fx: &[Effect]) -> Option<(Ticket, Vec<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::DeleteFiles(t, ids) => Some((*t, ids.clone())),
        _ => None,
    })
}

#[test]
fn d_deletes_the_folder_after_the_browsers_confirmation_and_the_figures_drop() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    answer(
        &mut s,
        t,
        vec![
            row("/", "/", 900),
            row("mov", "/Movies", 600),
            row("doc", "/Documents", 300),
        ],
    );
    let fx = update(&mut s, key('d'));
    assert!(
        deletes(&fx).is_none(),
        "nothing is deleted before the confirmation"
    );
    match s.overlays.top() {
        Some(Overlay::Dialog(dialog::Dialog::ConfirmDelete(c))) => {
            assert_eq!(c.targets.len(), 1);
            assert_eq!(c.targets[0].id, "mov");
            assert!(c.targets[0].is_folder);
        }
        other => panic!("the delete confirmation: {other:?}"),
    }
    let (ticket, ids) = deletes(&update(&mut s, key('y'))).expect("deleted");
    assert_eq!(ids, ["mov"]);
    assert_eq!(layer::layer(&s), Layer::Usage, "back in the usage view");
    let fx = update(
        &mut s,
        Msg::Deleted {
            ticket,
            ids,
            result: Ok(1),
        },
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadFolders(_))),
        "the tree is reloaded"
    );
    let v = view(&s);
    assert_eq!(v.children().len(), 1);
    assert_eq!(v.children()[0].id, "doc");
    assert_eq!(v.rows[0].size, 300, "the folder's total dropped at once");
    // Once the index has the delete, the totals are asked again.
    let (_, folder) = asked(&update(&mut s, Msg::Index(IndexMsg::Noted))).expect("asked again");
    assert_eq!(folder, "/");
}

#[test]
fn m_moves_the_folder_out_of_the_folder_shown_with_the_browsers_picker() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    answer(&mut s, t, vec![row("/", "/", 900), row("mov", "/Movies", 600)]);
    let (t2, _) = asked(&update(&mut s, code(KeyCode::Enter))).expect("drilled down");
    answer(
        &mut s,
        t2,
        vec![row("mov", "/Movies", 600), row("m24", "/Movies/2024", 400)],
    );
    update(&mut s, key('m'));
    assert!(matches!(
        s.overlays.top(),
        Some(Overlay::Dialog(dialog::Dialog::Move(_)))
    ));
    // The picker starts on the root, which the browser shows, but 2024 is in Movies.
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, ids, changes) = move_asked(&fx);
    assert_eq!(ids, ["m24"]);
    assert_eq!(changes.new_parent.as_deref(), Some("/"));
    moved(&mut s, ticket, ids, changes);
    let v = view(&s);
    assert!(v.children().is_empty(), "moved away: {:?}", v.rows);
    assert_eq!(v.rows[0].size, 200);
}

#[test]
fn d_without_a_folder_below_says_so_and_capital_d_opens_the_duplicates() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    answer(&mut s, t, vec![row("/", "/", 900)]);
    update(&mut s, key('d'));
    assert_eq!(layer::layer(&s), Layer::Usage);
    let fx = update(&mut s, key('D'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Index(IndexEffect::Dupes { .. })))
    );
    assert_eq!(layer::layer(&s), Layer::Dupes);
}

#[test]
fn a_folder_moved_into_a_folder_of_the_view_adds_to_it_and_the_total_stays() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('u'))).expect("totals asked");
    answer(
        &mut s,
        t,
        vec![
            row("/", "/", 900),
            row("mov", "/Movies", 600),
            row("doc", "/Documents", 300),
        ],
    );
    update(&mut s, key('j'));
    update(&mut s, key('m'));
    // The picker: /, Documents, Movies; Movies is the destination.
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, ids, changes) = move_asked(&fx);
    assert_eq!(
        (ids.as_slice(), changes.new_parent.as_deref()),
        (&["doc".to_string()][..], Some("mov"))
    );
    moved(&mut s, ticket, ids, changes);
    let v = view(&s);
    assert_eq!(v.rows[0].size, 900, "still below the folder shown");
    assert_eq!(v.children().len(), 1);
    assert_eq!((v.children()[0].size, v.children()[0].folders), (900, 3));
}
