//! The metadata side driven by messages alone: editing, validation, the unsaved marker,
//! saving (success and failure). Loading, completion, bulk work and the server-side filter are
//! in `tests_meta_bulk`.

use super::meta::Mode;
use super::tests_update::{api_err, browsing, code, ctrl, key, typing};
use super::*;
use crate::api::{FileMeta, MetaPatch};
use crate::metadata::ListField;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) fn rec(id: &str, title: &str, tags: &[&str]) -> FileMeta {
    FileMeta {
        file_id: id.into(),
        title: title.into(),
        description: "line one\nline two".into(),
        studio: "Studio".into(),
        categories: vec!["cat".into()],
        actresses: vec![],
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

/// The rows of `browsing()`: Documents/, Movies/, notes.md (n1), README.txt (r1), zebra.bin.
pub(super) fn on_row(s: &mut State, id: &str) {
    let pos = s.list.position(id).expect("row");
    s.list.set_cursor(pos);
}

pub(super) fn load_effect(fx: &[Effect]) -> Option<(Ticket, Vec<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::Meta(MetaEffect::Load { ticket, ids }) => Some((*ticket, ids.clone())),
        _ => None,
    })
}

fn save_effect(fx: &[Effect]) -> Option<(Ticket, String, bool, MetaPatch, FileMeta)> {
    fx.iter().find_map(|e| match e {
        Effect::Meta(MetaEffect::Save {
            ticket,
            file_id,
            create,
            patch,
            sent,
        }) => Some((
            *ticket,
            file_id.clone(),
            *create,
            (**patch).clone(),
            (**sent).clone(),
        )),
        _ => None,
    })
}

/// Answer the load in `fx` with these records.
pub(super) fn answer(s: &mut State, fx: &[Effect], recs: Vec<FileMeta>) -> Vec<Effect> {
    let (ticket, ids) = load_effect(fx).expect("a load was asked for");
    update(
        s,
        Msg::Meta(MetaMsg::Loaded {
            ticket,
            ids,
            result: Ok(recs),
        }),
    )
}

pub(super) fn status(s: &State) -> String {
    s.status.as_ref().map(|x| x.text.clone()).unwrap_or_default()
}

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

#[test]
fn inline_title_edit_sends_only_the_title_and_keeps_keys_typed_while_loading() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    assert!(s.typing(), "the editor has the keys");
    // Typed before the record arrives: kept and replayed.
    typing(&mut s, "!!");
    update(&mut s, ctrl('u'));
    let ed = s.meta.editor.as_ref().unwrap();
    assert!(!ed.loaded());
    answer(&mut s, &fx, vec![rec("r1", "Old title", &["a", "b"])]);
    // Ctrl-u cleared the loaded title, then the new one is typed.
    typing(&mut s, "New title");
    let ed = s.meta.editor.as_ref().unwrap();
    assert_eq!(ed.title.value(), "New title");
    assert_eq!(ed.changed_fields(), vec!["title"]);
    assert!(ed.dirty(), "unsaved marker");
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, id, create, patch, sent) = save_effect(&fx).expect("saved");
    assert_eq!((id.as_str(), create), ("r1", false));
    assert_eq!(
        patch,
        MetaPatch {
            title: Some("New title".into()),
            ..MetaPatch::default()
        }
    );
    // The list is usable at once: the inline editor closed, its form parked.
    assert!(s.meta.editor.is_none() && !s.typing());
    assert!(s.meta.saving("r1"));
    update(
        &mut s,
        Msg::Meta(MetaMsg::Saved {
            ticket,
            file_id: id,
            sent: Box::new(sent),
            result: Ok(()),
        }),
    );
    assert!(
        status(&s).contains("saved the metadata of README.txt (title)"),
        "{}",
        status(&s)
    );
    assert!(s.meta.drafts.is_empty());
    let cached = s.meta.record("r1").unwrap().unwrap();
    assert_eq!(cached.title, "New title");
    assert_eq!(cached.tags, vec!["a", "b"], "untouched");
}

#[test]
fn a_failed_save_keeps_everything_typed() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    answer(&mut s, &fx, vec![rec("r1", "T", &[])]);
    typing(&mut s, " plus");
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, id, _, patch, sent) = save_effect(&fx).unwrap();
    update(
        &mut s,
        Msg::Meta(MetaMsg::Saved {
            ticket,
            file_id: id,
            sent: Box::new(sent),
            result: Err(api_err(5, 500)),
        }),
    );
    assert_eq!(s.status.as_ref().unwrap().level, Level::Error);
    assert!(
        status(&s).contains("could not save the metadata of README.txt"),
        "{}",
        status(&s)
    );
    // The form comes back in its row, as typed, with the error.
    let ed = s.meta.editor.as_ref().expect("reopened");
    assert_eq!(ed.mode, Mode::InlineTitle);
    assert_eq!(ed.title.value(), "T plus");
    assert!(ed.error.as_deref().unwrap().contains("not saved"));
    assert!(ed.dirty());
    // Saving again sends the same change.
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(save_effect(&fx).unwrap().3, patch);
}

#[test]
fn pane_editor_saves_in_the_background_and_reports_a_failure_in_place() {
    let mut s = browsing();
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('e'));
    assert_eq!(s.focus, Pane::Meta);
    assert!(s.panes.metadata);
    answer(&mut s, &fx, vec![rec("n1", "Notes", &["x"])]);
    // Tab to the studio, change it; Ctrl-s saves; the editor stays while saving.
    update(&mut s, code(KeyCode::Tab));
    typing(&mut s, " 2");
    let fx = update(&mut s, ctrl('s'));
    let (ticket, id, create, patch, sent) = save_effect(&fx).unwrap();
    assert!(!create);
    assert_eq!(patch.studio.as_deref(), Some("Studio 2"));
    assert!(patch.title.is_none() && patch.tags.is_none() && patch.description.is_none());
    assert!(s.meta.editor.as_ref().unwrap().saving.is_some());
    // Typing goes on while the save runs.
    typing(&mut s, "!");
    update(
        &mut s,
        Msg::Meta(MetaMsg::Saved {
            ticket,
            file_id: id,
            sent: Box::new(sent),
            result: Err(api_err(1, 500)),
        }),
    );
    let ed = s.meta.editor.as_ref().unwrap();
    assert_eq!(ed.studio.value(), "Studio 2!");
    assert!(ed.saving.is_none() && ed.error.is_some());
    assert!(status(&s).contains("your changes are kept"), "{}", status(&s));
}

#[test]
fn a_successful_pane_save_closes_the_editor_unless_more_was_typed() {
    let mut s = browsing();
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('e'));
    answer(&mut s, &fx, vec![rec("n1", "Notes", &[])]);
    typing(&mut s, "X");
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, id, _, _, sent) = save_effect(&fx).unwrap();
    update(
        &mut s,
        Msg::Meta(MetaMsg::Saved {
            ticket,
            file_id: id,
            sent: Box::new(sent),
            result: Ok(()),
        }),
    );
    assert!(s.meta.editor.is_none());
    assert_eq!(s.meta.record("n1").unwrap().unwrap().title, "NotesX");
}

#[test]
fn a_file_without_metadata_gets_create_with_the_filled_fields() {
    let mut s = browsing();
    on_row(&mut s, "z1");
    let fx = update(&mut s, key('T'));
    answer(&mut s, &fx, vec![]);
    assert_eq!(s.meta.record("z1"), Some(None));
    typing(&mut s, "rock");
    update(&mut s, code(KeyCode::Enter));
    typing(&mut s, "jazz");
    update(&mut s, code(KeyCode::Enter));
    let ed = s.meta.editor.as_ref().unwrap();
    assert_eq!(ed.list(ListField::Tags).items, vec!["rock", "jazz"]);
    // Enter on an empty input saves.
    let fx = update(&mut s, code(KeyCode::Enter));
    let (_, _, create, patch, _) = save_effect(&fx).unwrap();
    assert!(create);
    assert_eq!(
        patch,
        MetaPatch {
            tags: Some(vec!["rock".into(), "jazz".into()]),
            ..MetaPatch::default()
        }
    );
}

#[test]
fn validation_names_the_field_and_the_limit_and_sends_nothing() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    answer(&mut s, &fx, vec![rec("r1", "", &[])]);
    let long = "x".repeat(300);
    update(&mut s, Msg::Paste(long.clone()));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(save_effect(&fx).is_none());
    assert!(
        status(&s).contains("title is 300 characters: at most 255 are allowed"),
        "{}",
        status(&s)
    );
    let ed = s.meta.editor.as_ref().expect("still open");
    assert_eq!(ed.title.value(), long, "nothing typed is lost");
}

#[test]
fn a_51st_tag_an_empty_tag_and_a_duplicate_are_refused_with_the_text_kept() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('T'));
    let fifty: Vec<String> = (1..=50).map(|i| format!("tag{i:02}")).collect();
    let refs: Vec<&str> = fifty.iter().map(String::as_str).collect();
    answer(&mut s, &fx, vec![rec("r1", "T", &refs)]);
    typing(&mut s, "one more");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(save_effect(&fx).is_none());
    assert!(
        status(&s).contains("tags are full: at most 50 items"),
        "{}",
        status(&s)
    );
    let l = s.meta.editor.as_ref().unwrap().list(ListField::Tags);
    assert_eq!((l.items.len(), l.input.value()), (50, "one more"));
    // Ctrl-s refuses too, naming why.
    let fx = update(&mut s, ctrl('s'));
    assert!(save_effect(&fx).is_none());
    assert!(status(&s).contains("at most 50"));

    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('T'));
    answer(&mut s, &fx, vec![rec("r1", "T", &["Rock"])]);
    typing(&mut s, "rock");
    update(&mut s, code(KeyCode::Enter));
    assert!(status(&s).contains("tags already has \"rock\""), "{}", status(&s));
    update(&mut s, ctrl('u'));
    typing(&mut s, "   ");
    update(&mut s, code(KeyCode::Enter));
    assert!(
        status(&s).contains("an empty tag is not allowed"),
        "{}",
        status(&s)
    );
    assert_eq!(
        s.meta.editor.as_ref().unwrap().list(ListField::Tags).items,
        vec!["Rock"]
    );
}

#[test]
fn chips_move_delete_and_undo() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('T'));
    answer(&mut s, &fx, vec![rec("r1", "T", &["a", "b", "c"])]);
    // Left from an empty input goes onto the last chip, then the one before.
    update(&mut s, code(KeyCode::Left));
    update(&mut s, code(KeyCode::Left));
    assert_eq!(
        s.meta.editor.as_ref().unwrap().list(ListField::Tags).chip,
        Some(1)
    );
    update(&mut s, code(KeyCode::Delete));
    let l = s.meta.editor.as_ref().unwrap().list(ListField::Tags);
    assert_eq!(l.items, vec!["a", "c"]);
    assert_eq!(l.chip, Some(1), "the cursor stays in place");
    assert!(s.meta.editor.as_ref().unwrap().dirty());
    update(&mut s, code(KeyCode::Right));
    assert_eq!(s.meta.editor.as_ref().unwrap().list(ListField::Tags).chip, None);
    update(&mut s, ctrl('z'));
    let ed = s.meta.editor.as_ref().unwrap();
    assert_eq!(ed.list(ListField::Tags).items, vec!["a", "b", "c"]);
    assert!(!ed.dirty(), "back to what the server has");
    // Esc cancels an inline editor.
    update(&mut s, code(KeyCode::Esc));
    assert!(s.meta.editor.is_none());
}

#[test]
fn one_line_fields_undo_runs_paste_and_jump_words() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    answer(&mut s, &fx, vec![rec("r1", "alpha", &[])]);
    typing(&mut s, " beta");
    update(&mut s, code(KeyCode::Backspace));
    update(&mut s, code(KeyCode::Backspace));
    let title = |s: &State| s.meta.editor.as_ref().unwrap().title.value().to_string();
    assert_eq!(title(&s), "alpha be");
    // Alt-b jumps a word back; Home and End; a paste lands at the cursor.
    update(&mut s, alt('b'));
    assert_eq!(s.meta.editor.as_ref().unwrap().title.cursor(), 6);
    update(&mut s, code(KeyCode::Home));
    update(&mut s, Msg::Paste("[new] ".into()));
    assert_eq!(title(&s), "[new] alpha be");
    update(&mut s, code(KeyCode::End));
    // Undo: the paste, then the deleting, then the typing.
    update(&mut s, ctrl('z'));
    assert_eq!(title(&s), "alpha be");
    update(&mut s, ctrl('z'));
    assert_eq!(title(&s), "alpha beta");
    update(&mut s, ctrl('z'));
    assert_eq!(title(&s), "alpha");
    update(&mut s, ctrl('z'));
    assert_eq!(title(&s), "alpha");
    assert!(status(&s).contains("nothing to undo"));
}

#[test]
fn leaving_a_changed_editor_asks_save_discard_or_stay() {
    let mut s = browsing();
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('e'));
    answer(&mut s, &fx, vec![rec("n1", "Notes", &[])]);
    // Unchanged: Esc leaves at once.
    update(&mut s, code(KeyCode::Esc));
    assert!(s.meta.editor.is_none());
    update(&mut s, key('e'));
    typing(&mut s, "?");
    update(&mut s, code(KeyCode::Esc));
    assert!(s.meta.editor.as_ref().unwrap().leaving, "asks");
    update(&mut s, code(KeyCode::Esc));
    let ed = s.meta.editor.as_ref().expect("stayed");
    assert!(!ed.leaving && ed.title.value() == "Notes?");
    update(&mut s, code(KeyCode::Esc));
    let fx = update(&mut s, key('d'));
    assert!(save_effect(&fx).is_none());
    assert!(s.meta.editor.is_none());
    assert_eq!(s.meta.record("n1").unwrap().unwrap().title, "Notes", "discarded");
    // And "save" sends, closing the editor.
    update(&mut s, key('e'));
    typing(&mut s, "!");
    update(&mut s, code(KeyCode::Esc));
    let fx = update(&mut s, key('s'));
    assert_eq!(save_effect(&fx).unwrap().3.title.as_deref(), Some("Notes!"));
    assert!(s.meta.editor.is_none() && s.meta.saving("n1"));
}

/// The metadata search's answer: one file, /mov/clip.mp4 (v1), titled Clip, tagged video_k2s.
/// `F`, the tag "video_k2s", Enter, and the server's answer of one clip (`found_clip`): the
/// effects of that answer.
pub(super) fn search_found_clip(s: &mut State) -> Vec<Effect> {
    update(s, key('F'));
    typing(s, "video_k2s");
    let fx = update(s, code(KeyCode::Enter));
    let ticket = fx
        .iter()
        .find_map(|e| match e {
            Effect::Meta(MetaEffect::Find { ticket, .. }) => Some(*ticket),
            _ => None,
        })
        .expect("find effect");
    found_clip(s, ticket)
}

pub(super) fn found_clip(s: &mut State, ticket: Ticket) -> Vec<Effect> {
    let row = meta::FoundRow {
        id: "v1".into(),
        name: "clip.mp4".into(),
        parent: Some("mov".into()),
        meta: rec("v1", "Clip", &["video_k2s"]),
    };
    update(
        s,
        Msg::Meta(MetaMsg::Found {
            ticket,
            page: 0,
            result: Ok(meta::FoundPage {
                rows: vec![row],
                total: Some(1),
            }),
        }),
    )
}
