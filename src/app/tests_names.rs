//! The service's name rule in the new-folder and rename dialogs: a bad name keeps the dialog
//! open with the reason, and nothing is sent.

use super::tests_update::{browsing, code, key, typing};
use super::*;
use ratatui::crossterm::event::KeyCode;

/// The open dialog's error line (the one place that knows how dialogs are stored).
fn dialog_error(s: &State) -> Option<String> {
    match s.overlays.dialog() {
        Some(dialog::Dialog::NewFolder(f)) => f.error.clone(),
        Some(dialog::Dialog::Rename(f)) => f.error.clone(),
        _ => None,
    }
}

fn erase(s: &mut State, n: usize) {
    for _ in 0..n {
        update(s, code(KeyCode::Backspace));
    }
}

#[test]
fn a_short_or_slashed_folder_name_keeps_the_dialog_open() {
    let mut s = browsing();
    update(&mut s, key('n'));
    typing(&mut s, "ab");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    assert!(s.overlays.dialog().is_some(), "the dialog stays open");
    let err = dialog_error(&s).expect("an error in the dialog");
    assert!(err.contains("at least 3"), "{err}");

    erase(&mut s, 2);
    typing(&mut s, "a/b");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    assert!(dialog_error(&s).is_some_and(|e| e.contains('/')));

    erase(&mut s, 3);
    typing(&mut s, &"x".repeat(256));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    assert!(dialog_error(&s).is_some_and(|e| e.contains("at most 255")));

    erase(&mut s, 256);
    typing(&mut s, "abc");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::CreateFolder(_, c) if c.name == "abc")),
        "{fx:?}"
    );
    assert!(s.overlays.dialog().is_none());
}

#[test]
fn a_rename_to_a_bad_name_keeps_the_dialog_open() {
    let mut s = browsing();
    // The cursor is on the first row, the folder "Documents".
    update(&mut s, key('r'));
    let start = match s.overlays.dialog() {
        Some(dialog::Dialog::Rename(f)) => f.input.value().chars().count(),
        other => panic!("{other:?}"),
    };
    erase(&mut s, start);
    typing(&mut s, "Do");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    assert!(dialog_error(&s).is_some_and(|e| e.contains("at least 3")));

    typing(&mut s, "/x");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing sent: {fx:?}");
    assert!(dialog_error(&s).is_some_and(|e| e.contains('/')));

    erase(&mut s, 2);
    typing(&mut s, "cs");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::UpdateFiles { .. })),
        "{fx:?}"
    );
    assert!(s.overlays.dialog().is_none());
}
