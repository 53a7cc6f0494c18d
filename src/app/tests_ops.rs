//! Operations on the selection, driven by messages alone.

use super::tests_listing::folder;
use super::tests_update::{browsing, code, ctrl, cursor_name, files_ticket, key, root_items, typing};
use super::*;
use crate::api::{Created, UpdateItem};
use ratatui::crossterm::event::KeyCode;

#[test]
fn delete_asks_first_and_names_what_goes() {
    let mut s = browsing();
    update(&mut s, key('G'));
    update(&mut s, key(' '));
    update(&mut s, key('k'));
    update(&mut s, key(' '));
    let fx = update(&mut s, key('d'));
    assert!(fx.is_empty(), "nothing deleted before the confirmation");
    match s.overlays.dialog() {
        Some(dialog::Dialog::ConfirmDelete(c)) => {
            let names: Vec<&str> = c.targets.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(names, ["README.txt", "zebra.bin"]);
            assert!(!c.yes, "the safe button is focused");
        }
        other => panic!("{other:?}"),
    }
    // Enter on the focused "Cancel" cancels.
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty() && s.overlays.dialog().is_none());
    update(&mut s, key('d'));
    let fx = update(&mut s, key('y'));
    let (ticket, ids) = match &fx[..] {
        [Effect::DeleteFiles(t, ids)] => (*t, ids.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(ids, ["r1", "z1"]);
    update(
        &mut s,
        Msg::Deleted {
            ticket,
            ids,
            result: Ok(2),
        },
    );
    assert_eq!(s.list.len(), 3);
    assert!(s.list.selected.is_empty());
    assert_eq!(s.status.as_ref().unwrap().level, Level::Success);
}

#[test]
fn partial_delete_is_reported_and_reloaded() {
    let mut s = browsing();
    update(&mut s, key('a'));
    update(&mut s, key('d'));
    let fx = update(&mut s, key('y'));
    let Some(Effect::DeleteFiles(ticket, ids)) = fx.into_iter().next() else {
        panic!()
    };
    let fx = update(
        &mut s,
        Msg::Deleted {
            ticket,
            ids,
            result: Ok(3),
        },
    );
    let st = s.status.clone().unwrap();
    assert_eq!(st.level, Level::Error);
    assert!(st.text.contains("deleted 3 of 5"), "{}", st.text);
    assert!(files_ticket(&fx).is_some());
}

#[test]
fn move_with_the_folder_picker_and_per_item_failures() {
    let mut s = browsing();
    update(&mut s, key('G'));
    update(&mut s, key(' '));
    update(&mut s, key('k'));
    update(&mut s, key(' '));
    update(&mut s, key('m'));
    assert!(matches!(
        s.overlays.dialog().cloned(),
        Some(dialog::Dialog::Move(_))
    ));
    // Picker rows: / , Documents, Movies ; choose Movies then expand and go to 2024.
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    update(&mut s, key('l'));
    update(&mut s, key('j'));
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, ids, changes) = match &fx[..] {
        [
            Effect::UpdateFiles {
                ticket,
                kind: UpdateKind::Move,
                ids,
                changes,
            },
        ] => (*ticket, ids.clone(), changes.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(changes.new_parent.as_deref(), Some("m24"));
    assert!(
        changes.new_name.is_none() && changes.new_access.is_none(),
        "only the parent changes"
    );
    let items = vec![
        UpdateItem {
            id: "r1".into(),
            status: Some("success".into()),
            errors: vec![],
        },
        UpdateItem {
            id: "z1".into(),
            status: Some("error".into()),
            errors: vec!["folder is full".into()],
        },
    ];
    update(
        &mut s,
        Msg::Updated {
            ticket,
            kind: UpdateKind::Move,
            ids,
            changes,
            result: Ok(items),
        },
    );
    assert!(s.list.get("r1").is_none(), "moved away");
    assert!(s.list.get("z1").is_some(), "failed one stays");
    let st = s.status.clone().unwrap();
    assert!(
        st.text.contains("zebra.bin: folder is full") && st.text.contains("1 of 2"),
        "{}",
        st.text
    );
}

#[test]
fn move_refuses_a_folder_into_itself() {
    let mut s = browsing();
    update(&mut s, key('j')); // Movies
    update(&mut s, key('m'));
    update(&mut s, key('j'));
    update(&mut s, key('j')); // Movies in the picker
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty());
    match s.overlays.dialog() {
        Some(dialog::Dialog::Move(m)) => assert!(m.error.as_deref().unwrap_or("").contains("itself")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rename_edits_in_place() {
    let mut s = browsing();
    update(&mut s, key('G'));
    update(&mut s, key('r'));
    update(&mut s, ctrl('u'));
    typing(&mut s, "aardvark.bin");
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, ids, changes) = match &fx[..] {
        [
            Effect::UpdateFiles {
                ticket,
                kind: UpdateKind::Rename,
                ids,
                changes,
            },
        ] => (*ticket, ids.clone(), changes.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(ids, ["z1"]);
    assert_eq!(changes.new_name.as_deref(), Some("aardvark.bin"));
    update(
        &mut s,
        Msg::Updated {
            ticket,
            kind: UpdateKind::Rename,
            ids,
            changes,
            result: Ok(vec![]),
        },
    );
    assert_eq!(s.list.get("z1").unwrap().name, "aardvark.bin");
    assert_eq!(cursor_name(&s), "aardvark.bin");
    assert_eq!(s.list.cursor, 2, "re-sorted, cursor followed");
}

#[test]
fn access_dialog_sends_only_what_changes() {
    let mut s = browsing();
    update(&mut s, key('G'));
    update(&mut s, key('A'));
    update(&mut s, key('m')); // premium
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Right)); // is_public: yes
    let fx = update(&mut s, code(KeyCode::Enter));
    match &fx[..] {
        [
            Effect::UpdateFiles {
                kind: UpdateKind::Access,
                ids,
                changes,
                ..
            },
        ] => {
            assert_eq!(ids, &["z1"]);
            assert_eq!(changes.new_access, Some(crate::api::Access::Premium));
            assert_eq!(changes.new_is_public, Some(true));
            assert!(changes.new_parent.is_none() && changes.new_name.is_none());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn new_folder_form() {
    let mut s = browsing();
    update(&mut s, key('n'));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty(), "empty name refused");
    typing(&mut s, "Backups");
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, key(' ')); // premium
    let fx = update(&mut s, code(KeyCode::Enter));
    let ticket = match &fx[..] {
        [Effect::CreateFolder(t, c)] => {
            assert_eq!(c.name, "Backups");
            assert_eq!(c.parent, "/");
            assert_eq!(c.access, Some(crate::api::Access::Premium));
            assert_eq!(c.is_public, Some(false));
            *t
        }
        other => panic!("{other:?}"),
    };
    let fx = update(
        &mut s,
        Msg::FolderCreated {
            ticket,
            name: "Backups".into(),
            result: Ok(Created {
                id: "bk".into(),
                link: None,
            }),
        },
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadFolders(_))));
    let (t, _, _) = files_ticket(&fx).unwrap();
    let mut items = root_items();
    items.push(folder("bk", "Backups"));
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(items),
        },
    );
    assert_eq!(cursor_name(&s), "Backups", "cursor on the new folder");
}

#[test]
fn copy_links_joins_them_one_per_line() {
    let mut s = browsing();
    s.settings.link_domain = "k2s.cc".into();
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    update(&mut s, key(' ')); // notes.md
    update(&mut s, key(' ')); // README.txt
    let fx = update(&mut s, key('y'));
    match &fx[..] {
        [Effect::Copy { text, label }] => {
            let want = [
                crate::api::share_link("k2s.cc", "n1", Some("notes.md")),
                crate::api::share_link("k2s.cc", "r1", Some("README.txt")),
            ];
            assert_eq!(text, &want.join("\n"));
            assert_eq!(label.text(), "2 links");
        }
        other => panic!("{other:?}"),
    }
    assert!(s.clipboard.as_deref().unwrap().contains("r1"));
    update(
        &mut s,
        Msg::Copied {
            label: CopyLabel {
                count: 2,
                noun: "link",
            },
            report: "sent 2 links to the terminal clipboard (OSC 52)".into(),
            ok: true,
        },
    );
    assert!(s.status.as_ref().unwrap().text.contains("OSC 52"));
}

#[test]
fn copy_urls_asks_get_url_for_files_only() {
    let mut s = browsing();
    update(&mut s, key('a'));
    let fx = update(&mut s, key('Y'));
    let (ticket, files) = match &fx[..] {
        [Effect::GetUrls(t, f)] => (*t, f.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(files.len(), 3, "folders skipped");
    let answers = vec![
        (
            "r1".to_string(),
            "README.txt".to_string(),
            Ok("https://dl/1".to_string()),
        ),
        (
            "n1".to_string(),
            "notes.md".to_string(),
            Err("file not found".to_string()),
        ),
        (
            "z1".to_string(),
            "zebra.bin".to_string(),
            Ok("https://dl/3".to_string()),
        ),
    ];
    let fx = update(&mut s, Msg::Urls(ticket, answers));
    match &fx[..] {
        [Effect::Copy { text, label }] => {
            assert_eq!(text, "https://dl/1\nhttps://dl/3");
            assert_eq!(label.text(), "2 URLs");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("notes.md: file not found")
    );
}
