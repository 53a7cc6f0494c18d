use super::keymap::*;
use super::layer::Layer;
use crate::config::Config;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

fn cfg(text: &str) -> Result<Keymap, String> {
    let c = Config::parse(text).unwrap();
    let lines = |t: &str, k: &str| {
        let mut current = String::new();
        for (i, l) in text.lines().enumerate() {
            let l = l.trim();
            if let Some(name) = l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                current = name.to_string();
            } else if l.split('=').next().map(str::trim) == Some(k) && current == t {
                return Some(i + 1);
            }
        }
        None
    };
    Keymap::from_config(&c.keymap, &lines)
}

fn no_lines(_: &str, _: &str) -> Option<usize> {
    None
}

#[test]
fn shifted_letters_match_their_binding() {
    // Terminals send 'G' with SHIFT; the binding "G" has none.
    let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    let km = Keymap::defaults();
    assert_eq!(
        km.lookup(Layer::List, &[Key::from_event(&ev)]),
        Lookup::Action(Action::Bottom)
    );
    let bt = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(
        km.lookup(Layer::List, &[Key::from_event(&bt)]),
        Lookup::Action(Action::PrevPane)
    );
}

#[test]
fn defaults_cover_the_issue_keys() {
    let km = Keymap::defaults();
    let one = |s: &str| km.lookup(Layer::List, &parse_seq(s).unwrap());
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
    // Every action has a key in some layer, and no key is bound twice in one layer (nor in
    // a pane layer and the global layer it falls back on).
    for &a in Action::ALL {
        assert!(!km.first_key(a).is_empty(), "{a:?} unbound");
    }
    for &l in Layer::ALL {
        let mut seen = std::collections::HashSet::new();
        let chain: Vec<Layer> = l.chain().to_vec();
        for b in chain.iter().flat_map(|&c| km.layer(c)) {
            assert!(
                seen.insert(b.keys.clone()),
                "{} bound twice in {}",
                seq_label(&b.keys),
                l.name()
            );
        }
    }
}

#[test]
fn one_key_means_what_its_layer_says() {
    let km = Keymap::defaults();
    let x = Key::plain('x');
    assert_eq!(km.action_in(Layer::Transfers, x), Some(Action::CancelTransfer));
    assert_eq!(km.action_in(Layer::List, x), None);
    let esc = Key::parse("Esc").unwrap();
    assert_eq!(km.action_in(Layer::List, esc), Some(Action::Clear));
    assert_eq!(km.action_in(Layer::Dialog, esc), Some(Action::Cancel));
    assert_eq!(km.action_in(Layer::Confirm, esc), Some(Action::No));
    let ctrl_z = Key::parse("Ctrl-z").unwrap();
    assert_eq!(km.action_in(Layer::Editor, ctrl_z), Some(Action::MetaUndo));
    // The global layer is behind every pane, not behind dialogs.
    let q = Key::plain('q');
    assert_eq!(km.action_in(Layer::Tree, q), Some(Action::Quit));
    assert_eq!(km.action_in(Layer::Dialog, q), None);
}

#[test]
fn config_rebinds_and_steals_keys() {
    let km = cfg("[keymap]\ndown = [\"n\", \"Down\"]\ntop = \"t\"\n").unwrap();
    let list = |k: Key| km.lookup(Layer::List, &[k]);
    assert_eq!(list(Key::plain('n')), Lookup::Action(Action::Down));
    assert_eq!(list(Key::plain('j')), Lookup::None, "j is no longer bound");
    // "n" left new_folder, which is now unbound in the list and the tree.
    assert!(km.keys_in(Layer::List, Action::NewFolder).is_empty());
    assert!(km.keys_in(Layer::Tree, Action::NewFolder).is_empty());
    assert_eq!(list(Key::plain('g')), Lookup::None, "g g replaced by t");
    assert_eq!(list(Key::plain('t')), Lookup::Action(Action::Top));
    // The transfer pane moves with the new keys too.
    assert_eq!(
        km.action_in(Layer::Transfers, Key::plain('n')),
        Some(Action::Down)
    );
}

#[test]
fn a_layer_section_changes_that_layer_only() {
    let km = cfg("[keymap.list]\ndelete = \"x\"\n\n[keymap.dialog]\ncancel = \"Ctrl-g\"\n").unwrap();
    assert_eq!(km.action_in(Layer::List, Key::plain('x')), Some(Action::Delete));
    assert_eq!(km.action_in(Layer::List, Key::plain('d')), None);
    assert_eq!(
        km.action_in(Layer::Transfers, Key::plain('x')),
        Some(Action::CancelTransfer)
    );
    assert_eq!(
        km.action_in(Layer::Transfers, Key::plain('d')),
        Some(Action::Delete)
    );
    let g = Key::parse("Ctrl-g").unwrap();
    assert_eq!(km.action_in(Layer::Dialog, g), Some(Action::Cancel));
    assert_eq!(km.action_in(Layer::Dialog, Key::parse("Esc").unwrap()), None);
    assert_eq!(
        km.action_in(Layer::Picker, Key::parse("Esc").unwrap()),
        Some(Action::Cancel)
    );
}

#[test]
fn two_actions_on_one_key_name_both_and_their_lines() {
    let err = cfg("[keymap.list]\ndelete = \"x\"\nrename = \"x\"\n").unwrap_err();
    assert!(err.contains("keymap.list"), "{err}");
    assert!(
        err.contains("delete (line 2)") && err.contains("rename (line 3)"),
        "{err}"
    );
    // A plain [keymap] line and a layer's section meet in that layer.
    let err = cfg("[keymap]\nrename = \"z\"\n[keymap.list]\nsort = \"z\"\n").unwrap_err();
    assert!(
        err.contains("rename (line 2)") && err.contains("sort (line 4)"),
        "{err}"
    );
    // The same key in two layers is fine.
    assert!(cfg("[keymap.list]\ndelete = \"x\"\n[keymap.tree]\nnew_folder = \"x\"\n").is_ok());
}

#[test]
fn config_errors_name_the_culprit() {
    let err = cfg("[keymap]\nfly = \"x\"\n").unwrap_err();
    assert!(err.contains("\"fly\"") && err.contains("line 2"), "{err}");
    let err = cfg("[keymap]\nup = \"Ctrl-Nope\"\n").unwrap_err();
    assert!(err.contains("keymap.up") && err.contains("Nope"), "{err}");
    let err = cfg("[keymap.lists]\nup = \"k\"\n").unwrap_err();
    assert!(err.contains("\"lists\"") && err.contains("transfers"), "{err}");
    let err = cfg("[keymap.filter]\nsubmit = \"k\"\n").unwrap_err();
    assert!(
        err.contains("keymap.filter.submit") && err.contains("typed"),
        "{err}"
    );
    let err = cfg("[keymap.list]\nfly = \"k\"\n").unwrap_err();
    assert!(err.contains("keymap.list") && err.contains("\"fly\""), "{err}");
}

#[test]
fn help_entries_come_from_the_keymap() {
    let c = Config::parse("[keymap.list]\ndelete = \"X\"\n").unwrap();
    let km = Keymap::from_config(&c.keymap, &no_lines).unwrap();
    let entries = km.help_entries();
    let del = entries
        .iter()
        .find(|e| e.action == Action::Delete && e.layer == Layer::List)
        .unwrap();
    assert_eq!(del.keys, "X");
    assert!(del.matches("delete") && del.matches("X") && !del.matches("rename"));
    // Every binding of every layer is in help, once per layer and action.
    for &l in Layer::ALL {
        let mut actions: Vec<Action> = km.layer(l).iter().map(|b| b.action).collect();
        actions.dedup();
        actions.sort();
        actions.dedup();
        let shown = entries.iter().filter(|e| e.layer == l).count();
        assert_eq!(shown, actions.len(), "{}", l.name());
    }
}

#[test]
fn key_bar_hints_come_by_rank_from_the_layer() {
    let km = Keymap::defaults();
    let list: Vec<Action> = km.hints(Layer::List).into_iter().map(|(_, a)| a).collect();
    assert_eq!(&list[..3], &[Action::Quit, Action::Open, Action::Parent]);
    assert!(list.contains(&Action::Download) && list.contains(&Action::Upload));
    assert!(list.contains(&Action::Transfers) && list.contains(&Action::RemoteUpload));
    assert!(!list.contains(&Action::Help), "help has its own place in the bar");
    let t: Vec<Action> = km.hints(Layer::Transfers).into_iter().map(|(_, a)| a).collect();
    assert_eq!(t[0], Action::Quit);
    assert_eq!(t[2], Action::PauseResume);
    // A rebound key shows in the bar.
    let c = Config::parse("[keymap.list]\ndownload = \"Ctrl-w\"\n").unwrap();
    let km = Keymap::from_config(&c.keymap, &no_lines).unwrap();
    assert!(
        km.hints(Layer::List)
            .contains(&("Ctrl-w".to_string(), Action::Download))
    );
}
