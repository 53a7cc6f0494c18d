//! Ctrl-z: suspend to the shell outside text fields, undo inside the metadata editors.

use super::tests_meta::{answer, on_row, rec};
use super::tests_update::{browsing, code, ctrl, key, typing};
use super::*;
use ratatui::crossterm::event::KeyCode;

fn suspends(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Suspend))
}

#[test]
fn ctrl_z_suspends_while_browsing() {
    let mut s = browsing();
    let fx = update(&mut s, ctrl('z'));
    assert!(suspends(&fx), "{fx:?}");
    // With the metadata pane focused too.
    update(&mut s, key('M'));
    let fx = update(&mut s, ctrl('z'));
    assert!(suspends(&fx), "{fx:?}");
}

#[test]
fn ctrl_z_is_undo_in_an_editor_and_nothing_in_other_text_fields() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    answer(&mut s, &fx, vec![rec("r1", "alpha", &[])]);
    typing(&mut s, "!");
    let fx = update(&mut s, ctrl('z'));
    assert!(!suspends(&fx), "{fx:?}");
    assert_eq!(s.meta.editor.as_ref().unwrap().title.value(), "alpha");
    update(&mut s, code(KeyCode::Esc));

    // The name filter and a dialog keep their keys.
    update(&mut s, key('/'));
    assert!(!suspends(&update(&mut s, ctrl('z'))));
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, key('n'));
    assert!(!suspends(&update(&mut s, ctrl('z'))));
}

#[test]
fn suspend_rebound_alone_leaves_undo_outside_editors_idle() {
    let mut map = std::collections::BTreeMap::new();
    map.insert(
        "suspend".to_string(),
        crate::config::KeymapEntry::Keys(crate::config::KeyList::One("Ctrl-g".into())),
    );
    let mut s = browsing();
    s.keymap = Keymap::from_config(&map, &|_, _| None).unwrap();
    assert!(suspends(&update(&mut s, ctrl('g'))));
    assert!(!suspends(&update(&mut s, ctrl('z'))));
}
