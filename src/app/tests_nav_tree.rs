//! Where you are: the tree follows the list's folder (however it changed), the move picker
//! opens there, back and forward through the folders visited, and reversing the sort.

use super::dialog::Dialog;
use super::tests_listing::{file, folder};
use super::tests_update::{browsing, code, cursor_name, files_ticket, key, new_state, tree_list};
use super::*;
use crate::api::{FolderEntry, FoldersList};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn page(s: &mut State, fx: &[Effect], items: Vec<crate::api::FileItem>) {
    let (ticket, _, _) = files_ticket(fx).expect("a listing asked for");
    update(
        s,
        Msg::FilesPage {
            ticket,
            offset: 0,
            result: Ok(items),
        },
    );
}

fn tree_ticket(fx: &[Effect]) -> Option<Ticket> {
    fx.iter().find_map(|e| match e {
        Effect::LoadFolders(t) => Some(*t),
        _ => None,
    })
}

/// `tree_list()` with one more folder, "New" in /Movies/2024.
fn tree_with_new() -> FoldersList {
    let mut t = tree_list();
    t.folders.push(FolderEntry {
        id: "new".into(),
        name: "New".into(),
        parent_id: Some("m24".into()),
        parent_name: None,
    });
    t
}

fn alt(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::ALT))
}

/// Browse into /Movies/2024 through the list.
fn into_2024(s: &mut State) {
    update(s, key('j'));
    let fx = update(s, key('l'));
    page(s, &fx, vec![folder("m24", "2024"), file("v1", "Bunny.mp4", 5, 1)]);
    let fx = update(s, key('l'));
    page(
        s,
        &fx,
        vec![file("v2", "Clip.mp4", 5, 1), file("v3", "Dune.mp4", 7, 2)],
    );
    assert_eq!(s.path(), "/Movies/2024");
}

#[test]
fn the_tree_opens_down_to_the_folder_entered_from_the_list() {
    let mut s = browsing();
    into_2024(&mut s);
    assert_eq!(s.tree.view.current_id(), "m24");
    assert!(s.tree.view.is_expanded("mov"));
}

#[test]
fn a_refresh_brings_the_tree_back_to_the_folder_shown() {
    let mut s = browsing();
    into_2024(&mut s);
    // Wander off in the tree without opening anything.
    s.focus = Pane::Tree;
    update(&mut s, key('g'));
    update(&mut s, key('g'));
    assert_eq!(s.tree.view.current_id(), "/");
    let fx = update(&mut s, key('R'));
    let t = tree_ticket(&fx).expect("the tree is loaded again");
    update(&mut s, Msg::Folders(t, Ok(tree_list())));
    assert_eq!(
        s.tree.view.current_id(),
        "m24",
        "the tree is back on the folder shown"
    );
}

#[test]
fn a_folder_the_tree_does_not_know_yet_is_found_when_the_tree_comes() {
    let mut s = browsing();
    update(&mut s, key('j'));
    let fx = update(&mut s, key('l'));
    page(&mut s, &fx, vec![folder("m24", "2024")]);
    let fx = update(&mut s, key('l'));
    // A folder made since the tree was loaded: the list knows it, the tree not yet.
    page(
        &mut s,
        &fx,
        vec![folder("new", "New"), file("v2", "Clip.mp4", 5, 1)],
    );
    assert_eq!(cursor_name(&s), "New");
    let fx = update(&mut s, key('l'));
    assert_eq!(files_ticket(&fx).map(|f| f.1), Some("new".into()));
    assert_eq!(s.path(), "/Movies/2024/New");
    assert_eq!(
        s.tree.view.current_id(),
        "m24",
        "the nearest folder the tree holds"
    );
    // The tree arrives later (after any reload) with the folder in it.
    let fx = update(&mut s, key('R'));
    let t = tree_ticket(&fx).unwrap();
    update(&mut s, Msg::Folders(t, Ok(tree_with_new())));
    assert_eq!(s.tree.view.current_id(), "new");
    assert!(s.tree.view.is_expanded("m24"));
}

#[test]
fn the_tree_follows_a_folder_entered_before_it_was_loaded() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let tt = tree_ticket(&fx).unwrap();
    page(&mut s, &fx, super::tests_update::root_items());
    update(&mut s, key('j'));
    let fx = update(&mut s, key('l'));
    page(&mut s, &fx, vec![folder("m24", "2024")]);
    let fx = update(&mut s, key('l'));
    page(&mut s, &fx, vec![]);
    update(&mut s, Msg::Folders(tt, Ok(tree_list())));
    assert_eq!(s.tree.view.current_id(), "m24");
}

#[test]
fn the_move_picker_opens_at_the_folder_shown_or_its_nearest_known_ancestor() {
    let mut s = browsing();
    into_2024(&mut s);
    update(&mut s, key('m'));
    let Some(Dialog::Move(f)) = s.overlays.dialog() else {
        panic!("the move picker: {:?}", s.overlays)
    };
    assert_eq!(f.picker.current_id(), "m24", "at the folder shown");
    assert!(f.picker.is_expanded("mov"));
    assert!(!f.picker.is_expanded("doc"), "only the way down to it is open");
    update(&mut s, code(KeyCode::Esc));
    // A folder the tree does not hold yet: the picker opens at its parent, not at "/".
    let fx = update(&mut s, key('h'));
    page(&mut s, &fx, vec![folder("m24", "2024"), folder("new", "New")]);
    update(&mut s, key('j'));
    let fx = update(&mut s, key('l'));
    page(&mut s, &fx, vec![file("n1", "inside.txt", 1, 1)]);
    assert_eq!(s.path(), "/Movies/New");
    update(&mut s, key('m'));
    let Some(Dialog::Move(f)) = s.overlays.dialog() else {
        panic!("the move picker: {:?}", s.overlays)
    };
    assert_eq!(f.picker.current_id(), "mov");
}

#[test]
fn back_and_forward_return_to_the_folders_and_rows_visited() {
    let mut s = browsing();
    // Root, cursor on Movies, then /Movies, then /Movies/2024 with the cursor on Dune.
    into_2024(&mut s);
    update(&mut s, key('j'));
    assert_eq!(cursor_name(&s), "Dune.mp4");
    let fx = update(&mut s, key('H'));
    assert_eq!(s.path(), "/Movies");
    assert_eq!(s.tree.view.current_id(), "mov");
    page(
        &mut s,
        &fx,
        vec![folder("m24", "2024"), file("v1", "Bunny.mp4", 5, 1)],
    );
    assert_eq!(cursor_name(&s), "2024");
    let fx = update(&mut s, alt(KeyCode::Left));
    assert_eq!(s.path(), "/");
    page(&mut s, &fx, super::tests_update::root_items());
    assert_eq!(cursor_name(&s), "Movies", "the cursor where it was");
    let fx = update(&mut s, key('H'));
    assert!(files_ticket(&fx).is_none());
    assert!(s.status.as_ref().unwrap().text.contains("no folder to go back"));
    update(&mut s, key('L'));
    let fx = update(&mut s, alt(KeyCode::Right));
    assert_eq!(s.path(), "/Movies/2024");
    page(
        &mut s,
        &fx,
        vec![file("v2", "Clip.mp4", 5, 1), file("v3", "Dune.mp4", 7, 2)],
    );
    assert_eq!(cursor_name(&s), "Dune.mp4");
    assert!(
        files_ticket(&update(&mut s, key('L'))).is_none(),
        "nothing further"
    );
    // Going somewhere new from the middle forgets the way forward.
    update(&mut s, key('H'));
    let fx = update(&mut s, key('h'));
    page(&mut s, &fx, super::tests_update::root_items());
    assert_eq!(s.path(), "/");
    assert!(files_ticket(&update(&mut s, key('L'))).is_none());
    let fx = update(&mut s, key('H'));
    assert_eq!(files_ticket(&fx).map(|f| f.1), Some("mov".into()));
}

#[test]
fn back_skips_a_folder_that_is_gone() {
    let mut s = browsing();
    // The root, then /Documents from the list, then /Movies from the tree.
    assert_eq!(cursor_name(&s), "Documents");
    let fx = update(&mut s, key('l'));
    page(&mut s, &fx, vec![file("d1", "cv.pdf", 5, 1)]);
    s.focus = Pane::Tree;
    let mov = s.tree.view.rows().iter().position(|r| r.id == "mov").unwrap();
    s.tree.view.set_cursor(mov);
    let fx = update(&mut s, key('l'));
    page(&mut s, &fx, vec![folder("m24", "2024")]);
    assert_eq!(s.path(), "/Movies");
    // /Documents is deleted elsewhere; a refresh shows it gone.
    let fx = update(&mut s, key('R'));
    let t = tree_ticket(&fx).unwrap();
    let mut gone = tree_list();
    gone.folders.retain(|f| f.id != "doc");
    update(&mut s, Msg::Folders(t, Ok(gone)));
    let fx = update(&mut s, key('H'));
    assert_eq!(
        files_ticket(&fx).map(|f| f.1),
        Some("/".into()),
        "past /Documents"
    );
}

#[test]
fn the_reverse_key_turns_the_order_and_says_so() {
    let mut s = browsing();
    assert_eq!(cursor_name(&s), "Documents");
    let fx = update(&mut s, key('S'));
    assert!(files_ticket(&fx).is_none(), "everything is loaded: sorted here");
    let names: Vec<String> = s.list.rows(0, 9).map(|(_, e)| e.name.clone()).collect();
    assert_eq!(
        names,
        ["Movies", "Documents", "zebra.bin", "README.txt", "notes.md"]
    );
    assert_eq!(cursor_name(&s), "Documents", "the cursor stays on its row");
    let status = s.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("reversed") && status.contains("name Z→A"),
        "{status}"
    );
    update(&mut s, key('S'));
    assert_eq!(s.list.sort(), listing::Sort::default());
}

#[test]
fn reversing_a_folder_still_loading_asks_for_it_again_in_the_new_order() {
    let mut s = new_state();
    s.settings.page_size = 2;
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).unwrap();
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(super::tests_update::root_items()[..2].to_vec()),
        },
    );
    assert!(!s.list.complete);
    let fx = update(&mut s, key('S'));
    match fx.iter().find(|e| matches!(e, Effect::LoadFiles { .. })) {
        Some(Effect::LoadFiles { req, .. }) => {
            assert_eq!(req.offset, 0);
            assert_eq!(req.sort.map(|s| s.1), Some(-1));
        }
        other => panic!("{other:?}"),
    }
}
