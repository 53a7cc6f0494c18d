//! The layer model: who gets a key, the overlay stack, counts, clicks, messages that fade.

use super::layer::{self, Active, Layer};
use super::overlay::Overlay;
use super::state::Level;
use super::tests_update::{browsing, code, ctrl, cursor_name, key, typing};
use super::transfers::forms::Form;
use super::transfers::{CaptchaPrompt, TransferMsg};
use super::*;
use crate::transfer::{Direction, Event, Spec, State as TState, TransferId, TransferView, UploadSpec};
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use std::path::PathBuf;

fn captcha(id: u64) -> Msg {
    Msg::Transfer(TransferMsg::Captcha(CaptchaPrompt {
        id: TransferId(id),
        challenge: format!("ch{id}"),
        image_url: "http://x/captcha.png".into(),
        picture: None,
        note: Some("no image".into()),
        last_wrong: false,
    }))
}

fn with_download() -> State {
    let mut s = browsing();
    let v = TransferView {
        id: TransferId(7),
        direction: Direction::Download,
        name: "movie.mkv".into(),
        state: TState::Checking,
        detail: Some("captcha".into()),
        done: 0,
        total: Some(1000),
        speed: 0.0,
        eta: None,
        outcome: None,
        parent: None,
        attempts: 2,
        spec: Spec::Upload(UploadSpec {
            path: PathBuf::from("/tmp/movie.mkv"),
            parent: "/".into(),
            access: None,
            skip_existing: false,
            hash: None,
            attempted: false,
        }),
    };
    update(&mut s, Msg::Transfer(TransferMsg::Events(vec![Event::Added(v)])));
    s
}

fn captcha_open(s: &State) -> bool {
    matches!(s.overlays.form(), Some(Form::Captcha(_)))
}

#[test]
fn a_captcha_waits_for_the_filter_and_does_not_take_its_keys() {
    let mut s = with_download();
    update(&mut s, key('/'));
    typing(&mut s, "no");
    update(&mut s, captcha(7));
    assert!(!captcha_open(&s), "the captcha waits while the filter is typed");
    typing(&mut s, "tes");
    assert_eq!(
        s.filter_edit.as_ref().map(|i| i.value().to_string()).as_deref(),
        Some("notes")
    );
    update(&mut s, code(KeyCode::Enter));
    assert!(captcha_open(&s), "it opens once the filter is closed");
    assert_eq!(layer::layer(&s), Layer::Captcha);
}

#[test]
fn a_captcha_waits_for_a_metadata_editor_prompt_and_found_list() {
    // The inline title editor.
    let mut s = with_download();
    while !cursor_name(&s).ends_with(".md") {
        update(&mut s, key('j'));
    }
    update(&mut s, key('t'));
    assert_eq!(layer::active(&s), Active::Editor);
    update(&mut s, captcha(7));
    assert!(!captcha_open(&s));
    assert_eq!(layer::active(&s), Active::Editor, "the editor keeps the keys");
    update(&mut s, code(KeyCode::Esc));
    assert!(s.meta.editor.is_none());
    assert!(
        captcha_open(&s),
        "{:?} {:?} {:?}",
        layer::active(&s),
        s.transfers.captchas,
        s.status
    );

    // The tag prompt.
    let mut s = with_download();
    while !cursor_name(&s).ends_with(".md") {
        update(&mut s, key('j'));
    }
    update(&mut s, key('+'));
    assert!(s.overlays.prompt().is_some(), "the tag prompt is open");
    update(&mut s, captcha(7));
    assert!(!captcha_open(&s), "the prompt keeps the keys");
    typing(&mut s, "abc");
    match s.overlays.prompt() {
        Some(super::meta::Prompt::Tag(p)) => assert_eq!(p.input.value(), "abc"),
        other => panic!("the prompt took the keys: {other:?}"),
    }
    update(&mut s, code(KeyCode::Esc));
    assert!(captcha_open(&s));

    // Files found by metadata replace the list.
    let mut s = with_download();
    s.meta.found = Some(super::meta::Found {
        by: crate::metadata::ListField::Tags,
        value: "x".into(),
        rows: Vec::new(),
        total: Some(0),
        next_page: None,
        loading: false,
        error: None,
        ticket: 0,
        cursor: 0,
        offset: 0,
    });
    update(&mut s, captcha(7));
    assert!(!captcha_open(&s));
    assert_eq!(layer::active(&s), Active::Found);
}

#[test]
fn a_captcha_waits_for_an_open_dialog_and_opens_after_it() {
    let mut s = with_download();
    update(&mut s, key('n'));
    update(&mut s, captcha(7));
    assert!(!captcha_open(&s));
    typing(&mut s, "New");
    match s.overlays.dialog() {
        Some(super::dialog::Dialog::NewFolder(f)) => assert_eq!(f.name.value(), "New"),
        other => panic!("the dialog kept the keys: {other:?}"),
    }
    update(&mut s, code(KeyCode::Esc));
    assert!(captcha_open(&s));
}

#[test]
fn the_quit_question_goes_on_top_and_no_returns_to_the_form_below() {
    let mut s = with_download();
    update(&mut s, key('U'));
    typing(&mut s, "https://example.com/a.bin");
    update(&mut s, ctrl('c'));
    assert_eq!(layer::layer(&s), Layer::Quit);
    assert_eq!(s.overlays.len(), 2);
    update(&mut s, key('n'));
    assert_eq!(layer::layer(&s), Layer::Form, "back in the remote upload form");
    match s.overlays.form() {
        Some(Form::Remote(r)) => assert_eq!(r.text.values(), vec!["https://example.com/a.bin"]),
        other => panic!("{other:?}"),
    }
    update(&mut s, ctrl('c'));
    let fx = update(&mut s, key('y'));
    assert!(s.quit && fx.iter().any(|e| matches!(e, Effect::Quit)));
}

#[test]
fn one_function_routes_keys_and_typing_follows_it() {
    let mut s = browsing();
    assert_eq!(layer::active(&s), Active::Pane(Pane::Files));
    assert!(!s.typing());
    update(&mut s, key('r'));
    assert_eq!(layer::layer(&s), Layer::Dialog);
    assert!(s.typing());
    update(&mut s, key('?'));
    assert_eq!(layer::layer(&s), Layer::Dialog, "? is typed into the name");
    // F1 opens help over the dialog (the key bar says so), and Esc returns to the dialog.
    update(&mut s, code(KeyCode::F(1)));
    assert_eq!(layer::layer(&s), Layer::Help, "F1 opens help over the dialog");
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(layer::layer(&s), Layer::Dialog, "Esc comes back to the dialog");
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, key('?'));
    assert_eq!(layer::layer(&s), Layer::Help);
    update(&mut s, key('?'));
    assert!(s.overlays.is_empty());
}

#[test]
fn count_prefixes_repeat_motions_and_pick_rows() {
    let mut s = browsing();
    update(&mut s, key('3'));
    update(&mut s, key('j'));
    assert_eq!(s.list.cursor, 3);
    update(&mut s, key('1'));
    update(&mut s, key('G'));
    assert_eq!(s.list.cursor, 0, "1G is the first row");
    update(&mut s, key('4'));
    update(&mut s, key('G'));
    assert_eq!(s.list.cursor, 3);
    update(&mut s, key('g'));
    update(&mut s, key('g'));
    assert_eq!(s.list.cursor, 0, "a count is used once");
    update(&mut s, key('2'));
    update(&mut s, key(' '));
    assert_eq!(s.list.selected.len(), 2);
    // A count is dropped by a key that means nothing.
    update(&mut s, key('5'));
    update(&mut s, key('z'));
    update(&mut s, key('j'));
    assert_eq!(s.list.cursor, 3);
}

#[test]
fn a_double_click_opens_the_folder() {
    let mut s = browsing();
    let a = crate::app::layout::areas(&s);
    let list = a.list.unwrap();
    let inner = crate::app::layout::inner(&a, list);
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: list.x + 5,
        row: inner.y + 1,
        modifiers: KeyModifiers::NONE,
    };
    let first = cursor_name(&s);
    assert!(s.list.current().is_some_and(|e| e.is_folder()), "{first}");
    update(&mut s, Msg::Mouse(click));
    assert_eq!(s.list.folder, "/", "one click only moves the cursor");
    for _ in 0..5 {
        update(&mut s, Msg::Tick);
    }
    update(&mut s, Msg::Mouse(click));
    assert_eq!(s.list.folder, "/", "two slow clicks are two clicks");
    let fx = update(&mut s, Msg::Mouse(click));
    assert_ne!(s.list.folder, "/", "a double click opens {first}");
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadFiles { .. })));
}

#[test]
fn information_fades_and_errors_stay_until_a_key() {
    let mut s = browsing();
    s.info("refreshing");
    for _ in 0..=super::state::Status::FADE_TICKS {
        update(&mut s, Msg::Tick);
    }
    assert!(s.status.is_none(), "information fades");
    s.error("cannot delete: permission denied");
    for _ in 0..100 {
        update(&mut s, Msg::Tick);
    }
    assert_eq!(
        s.status.as_ref().map(|x| x.level),
        Some(Level::Error),
        "errors stay"
    );
    update(&mut s, key('j'));
    assert!(s.status.is_none(), "until the next key");
}

#[test]
fn a_key_of_another_pane_says_where_it_works() {
    let mut s = browsing();
    update(&mut s, key('x'));
    let text = &s.status.as_ref().unwrap().text;
    assert!(text.contains("x is cancel in the transfer pane"), "{text}");
    update(&mut s, key('~'));
    let text = &s.status.as_ref().unwrap().text;
    assert!(text.contains("does nothing here") && text.contains('?'), "{text}");
}

#[test]
fn a_dialog_key_rebound_in_its_layer_works_there() {
    let mut s = browsing();
    let c =
        crate::config::Config::parse("[keymap.dialog]\ncancel = \"Ctrl-g\"\nsubmit = \"Ctrl-o\"\n").unwrap();
    s.keymap = Keymap::from_config(&c.keymap, &|_, _| None).unwrap();
    update(&mut s, key('n'));
    update(&mut s, code(KeyCode::Esc));
    assert!(
        s.overlays.dialog().is_some(),
        "Esc is no longer cancel in dialogs"
    );
    update(&mut s, ctrl('g'));
    assert!(s.overlays.is_empty());
    update(&mut s, key('n'));
    typing(&mut s, "Holidays");
    update(&mut s, code(KeyCode::Enter));
    assert!(s.overlays.dialog().is_some(), "Enter is no longer submit");
    let fx = update(&mut s, ctrl('o'));
    assert!(fx.iter().any(|e| matches!(e, Effect::CreateFolder(..))), "{fx:?}");
}

#[test]
fn enter_on_a_transfer_opens_its_details() {
    let mut s = with_download();
    update(&mut s, ctrl('t'));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(layer::layer(&s), Layer::Info);
    let Some(Overlay::Transfer(Form::Details(d))) = s.overlays.top() else {
        panic!("{:?}", s.overlays)
    };
    let v = s.transfers.rows.get(d.id).unwrap();
    let rows = super::transfers::story::story(&s, v);
    assert!(
        rows.iter().any(|(k, t)| *k == "from" && t == "/tmp/movie.mkv"),
        "{rows:?}"
    );
    assert!(rows.iter().any(|(k, t)| *k == "to" && t == "/"), "{rows:?}");
    assert!(
        rows.iter().any(|(k, t)| *k == "now" && t == "captcha"),
        "{rows:?}"
    );
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.is_empty());
}

#[test]
fn the_key_bar_always_offers_help_and_ranks_the_rest() {
    let s = browsing();
    let bar = crate::app::hints::key_bar(&s);
    let keys: Vec<&str> = bar.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(&keys[..3], &["q", "l", "h"]);
    for k in ["w", "u", "Ctrl-t", "U", "W"] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    let help = crate::app::hints::help_hint(&s).unwrap();
    assert_eq!((help.key.as_str(), help.label.as_str()), ("?", "help"));
}

fn dialog_error(s: &State) -> Option<String> {
    use super::dialog::Dialog;
    match s.overlays.dialog()? {
        Dialog::NewFolder(f) => f.error.clone(),
        Dialog::Rename(f) => f.error.clone(),
        Dialog::Access(f) => f.error.clone(),
        Dialog::Move(f) => f.error.clone(),
        Dialog::ConfirmDelete(f) => f.error.clone(),
        Dialog::Sort(_) => None,
    }
}

#[test]
fn a_refused_new_folder_comes_back_with_its_name_and_the_reason() {
    let mut s = browsing();
    update(&mut s, key('n'));
    typing(&mut s, "ab");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::CreateFolder(..))),
        "a 2-letter name is not sent"
    );
    assert!(
        dialog_error(&s).is_some_and(|e| e.contains("3")),
        "{:?}",
        dialog_error(&s)
    );
    typing(&mut s, "c Holidays");
    let fx = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::CreateFolder(t, _)) = fx.iter().find(|e| matches!(e, Effect::CreateFolder(..))) else {
        panic!("{fx:?}")
    };
    assert!(
        s.overlays.is_empty(),
        "the dialog closes while the request is out"
    );
    let refusal = crate::api::ApiError::Api {
        method: "createFolder".into(),
        http_status: 400,
        code: crate::api::ErrorCode::Num(23),
        message: "Folder with this name already exists".into(),
        errors: vec![],
    };
    update(
        &mut s,
        Msg::FolderCreated {
            ticket: *t,
            name: "abc Holidays".into(),
            result: Err(refusal),
        },
    );
    match s.overlays.dialog() {
        Some(super::dialog::Dialog::NewFolder(f)) => assert_eq!(f.name.value(), "abc Holidays"),
        other => panic!("the dialog is back: {other:?}"),
    }
    let why = dialog_error(&s).unwrap_or_default();
    assert!(why.contains("could not create folder"), "{why}");
    // Success closes it for good.
    let fx = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::CreateFolder(t, _)) = fx.iter().find(|e| matches!(e, Effect::CreateFolder(..))) else {
        panic!("{fx:?}")
    };
    update(
        &mut s,
        Msg::FolderCreated {
            ticket: *t,
            name: "abc Holidays".into(),
            result: Ok(crate::api::Created {
                id: "newid0000001".into(),
                link: None,
            }),
        },
    );
    assert!(s.overlays.is_empty() && s.sent_dialog.is_none());
}

/// A rename of the first `.md` file to "...x" sent; the server's refusal of it, to deliver.
fn rename_refused(s: &mut State) -> Msg {
    while !cursor_name(s).ends_with(".md") {
        update(s, key('j'));
    }
    let id = s.list.current().unwrap().item.id.clone();
    update(s, key('r'));
    typing(s, "x");
    let fx = update(s, code(KeyCode::Enter));
    let Some(Effect::UpdateFiles {
        ticket,
        kind,
        ids,
        changes,
    }) = fx
        .iter()
        .find(|e| matches!(e, Effect::UpdateFiles { .. }))
        .cloned()
    else {
        panic!("{fx:?}")
    };
    Msg::Updated {
        ticket,
        kind,
        ids,
        changes,
        result: Ok(vec![crate::api::UpdateItem {
            id,
            status: Some("error".into()),
            errors: vec!["name is not allowed".into()],
        }]),
    }
}

/// The rename dialog is open again, with the reason and the name as typed.
fn assert_rename_back(s: &State) {
    let why = dialog_error(s).unwrap_or_default();
    assert!(why.contains("name is not allowed"), "{why}");
    match s.overlays.dialog() {
        Some(super::dialog::Dialog::Rename(f)) => assert!(f.input.value().ends_with('x')),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_refused_rename_comes_back_with_the_reason() {
    let mut s = browsing();
    let refusal = rename_refused(&mut s);
    update(&mut s, refusal);
    assert_rename_back(&s);
}

/// The key bar's help key opens help wherever it is shown (a dialog, the picker, the sort menu,
/// the delete question, the filter, the finder, the link check), and Esc comes back to what was
/// open.
#[test]
fn the_help_key_the_bar_shows_opens_help_in_every_layer() {
    let opens: [(&str, Vec<Msg>); 7] = [
        ("link check", vec![ctrl('k')]),
        ("new folder", vec![key('n')]),
        ("move picker", vec![key('m')]),
        ("sort menu", vec![key('s')]),
        ("delete question", vec![key('d')]),
        ("filter", vec![key('/'), key('x')]),
        ("finder", vec![ctrl('p')]),
    ];
    for (what, msgs) in opens {
        let mut s = browsing();
        s.list.set_cursor(4);
        for m in msgs {
            update(&mut s, m);
        }
        let before = layer::layer(&s);
        assert_ne!(before, Layer::List, "{what} opened");
        let hint = crate::app::hints::help_hint(&s).unwrap_or_else(|| panic!("{what}: no help key"));
        let k = match hint.key.split('/').next().unwrap_or_default() {
            "?" => key('?'),
            "F1" => code(KeyCode::F(1)),
            other => panic!("{what}: help on {other:?}"),
        };
        update(&mut s, k);
        assert_eq!(layer::layer(&s), Layer::Help, "{what}: {} opens help", hint.key);
        assert_eq!(
            layer::layer_below_help(&s),
            before,
            "{what}: help starts with its keys"
        );
        update(&mut s, code(KeyCode::Esc));
        assert_eq!(layer::layer(&s), before, "{what}: Esc comes back to it");
    }
}

/// A refusal that comes while something else has the keys (here help) waits for it to close,
/// then the dialog opens as it was, with the reason.
#[test]
fn a_refused_rename_waits_for_what_has_the_keys_then_comes_back() {
    let mut s = browsing();
    let refusal = rename_refused(&mut s);
    update(&mut s, key('?'));
    update(&mut s, refusal);
    assert_eq!(layer::layer(&s), Layer::Help, "help keeps the keys");
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(
        layer::layer(&s),
        Layer::Dialog,
        "the refused rename is back once help closes"
    );
    assert_rename_back(&s);
}

/// The files found by metadata take `?` for help too (through the same check as the overlays),
/// and Esc from help returns to them.
#[test]
fn help_opens_over_the_files_found_by_metadata() {
    let mut s = browsing();
    super::tests_meta::search_found_clip(&mut s);
    assert_eq!(layer::layer(&s), Layer::Found);
    update(&mut s, key('?'));
    assert_eq!(layer::layer(&s), Layer::Help);
    assert_eq!(layer::layer_below_help(&s), Layer::Found);
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(layer::layer(&s), Layer::Found);
}
