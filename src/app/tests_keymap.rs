use super::keymap::*;
use crate::config::{Config, KeyList};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

#[test]
fn parses_key_names() {
    assert_eq!(Key::parse("j").unwrap(), Key::plain('j'));
    assert_eq!(Key::parse("G").unwrap(), Key::plain('G'));
    assert_eq!(
        Key::parse("Ctrl-d").unwrap(),
        Key::new(KeyCode::Char('d'), KeyModifiers::CONTROL)
    );
    assert_eq!(
        Key::parse("C-D").unwrap(),
        Key::new(KeyCode::Char('d'), KeyModifiers::CONTROL)
    );
    assert_eq!(
        Key::parse("Shift-Tab").unwrap(),
        Key::new(KeyCode::BackTab, KeyModifiers::NONE)
    );
    assert_eq!(Key::parse("Space").unwrap(), Key::plain(' '));
    assert_eq!(
        Key::parse("PgDn").unwrap(),
        Key::new(KeyCode::PageDown, KeyModifiers::NONE)
    );
    assert_eq!(
        Key::parse("F5").unwrap(),
        Key::new(KeyCode::F(5), KeyModifiers::NONE)
    );
    assert_eq!(Key::parse("-").unwrap(), Key::plain('-'));
    assert_eq!(
        Key::parse("Alt-x").unwrap(),
        Key::new(KeyCode::Char('x'), KeyModifiers::ALT)
    );
    assert!(Key::parse("Hyper-q").is_err());
    assert!(Key::parse("F99").is_err());
    assert_eq!(parse_seq("g g").unwrap().len(), 2);
}

#[test]
fn labels_round_trip() {
    for s in [
        "j",
        "G",
        "Ctrl-d",
        "Shift-Tab",
        "Space",
        "PgUp",
        "F1",
        "Enter",
        "Alt-x",
    ] {
        let k = Key::parse(s).unwrap();
        assert_eq!(Key::parse(&k.label()).unwrap(), k, "{s}");
    }
}

#[test]
fn shifted_letters_match_their_binding() {
    // Terminals send 'G' with SHIFT; the binding "G" has none.
    let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    let km = Keymap::defaults();
    assert_eq!(km.lookup(&[Key::from_event(&ev)]), Lookup::Action(Action::Bottom));
    let bt = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(
        km.lookup(&[Key::from_event(&bt)]),
        Lookup::Action(Action::PrevPane)
    );
}

#[test]
fn defaults_cover_the_issue_keys() {
    let km = Keymap::defaults();
    let one = |s: &str| km.lookup(&parse_seq(s).unwrap());
    assert_eq!(one("j"), Lookup::Action(Action::Down));
    assert_eq!(one("Down"), Lookup::Action(Action::Down));
    assert_eq!(one("h"), Lookup::Action(Action::Parent));
    assert_eq!(one("Backspace"), Lookup::Action(Action::Parent));
    assert_eq!(one("Enter"), Lookup::Action(Action::Open));
    assert_eq!(one("g"), Lookup::Pending);
    assert_eq!(one("g g"), Lookup::Action(Action::Top));
    assert_eq!(one("Ctrl-u"), Lookup::Action(Action::HalfPageUp));
    assert_eq!(one("PgDn"), Lookup::Action(Action::PageDown));
    assert_eq!(one("Ctrl-c"), Lookup::Action(Action::ForceQuit));
    assert_eq!(one("Y"), Lookup::Action(Action::CopyUrls));
    assert_eq!(one("A"), Lookup::Action(Action::Access));
    assert_eq!(one("z"), Lookup::None);
    // Every action has a key, and no key is bound twice, but for undo (in the editors only,
    // which take their keys first) and suspend (everywhere else), both Ctrl-z by design.
    let mut seen = std::collections::HashSet::new();
    for &a in Action::ALL {
        assert!(!km.keys_for(a).is_empty(), "{a:?} unbound");
        if a == Action::Suspend {
            assert_eq!(a.default_keys(), Action::MetaUndo.default_keys());
            continue;
        }
        for k in a.default_keys() {
            assert!(seen.insert(parse_seq(k).unwrap()), "{k} bound twice");
        }
    }
}

#[test]
fn config_rebinds_and_steals_keys() {
    let mut map = BTreeMap::new();
    map.insert("down".to_string(), KeyList::Many(vec!["n".into(), "Down".into()]));
    map.insert("top".to_string(), KeyList::One("t".into()));
    let km = Keymap::from_config(&map).unwrap();
    assert_eq!(km.lookup(&[Key::plain('n')]), Lookup::Action(Action::Down));
    assert_eq!(
        km.lookup(&[Key::plain('j')]),
        Lookup::None,
        "j is no longer bound"
    );
    // "n" left new_folder, which is now unbound.
    assert!(km.keys_for(Action::NewFolder).is_empty());
    assert_eq!(km.lookup(&[Key::plain('g')]), Lookup::None, "g g replaced by t");
    assert_eq!(km.lookup(&[Key::plain('t')]), Lookup::Action(Action::Top));
}

#[test]
fn config_errors_name_the_culprit() {
    let cfg = Config::parse("[keymap]\nfly = \"x\"\n").unwrap();
    let err = Keymap::from_config(&cfg.keymap).unwrap_err();
    assert!(err.contains("\"fly\""), "{err}");
    let cfg = Config::parse("[keymap]\nup = \"Ctrl-Nope\"\n").unwrap();
    let err = Keymap::from_config(&cfg.keymap).unwrap_err();
    assert!(err.contains("keymap.up") && err.contains("Nope"), "{err}");
}

#[test]
fn help_entries_come_from_the_keymap() {
    let mut map = BTreeMap::new();
    map.insert("delete".to_string(), KeyList::One("X".into()));
    let km = Keymap::from_config(&map).unwrap();
    let entries = km.help_entries();
    let del = entries.iter().find(|e| e.action == Action::Delete).unwrap();
    assert_eq!(del.keys, "X");
    assert!(del.matches("delete") && del.matches("X") && !del.matches("rename"));
    assert_eq!(entries.len(), Action::ALL.len());
}
