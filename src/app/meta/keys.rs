//! Where keys and pastes go while a metadata editor, prompt or search result has them, and
//! opening editors.

use super::editor::{EdKey, Editor, Mode, Queued};
use super::{Prompt, bulk, fetch, find, save};
use crate::app::dialog::is_plain;
use crate::app::keymap::{Action, Key};
use crate::app::layer::Layer;
use crate::app::msg::Effect;
use crate::app::state::{Pane, State};
use crate::text::sanitize;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A key for a metadata prompt on top (`a`: what the prompt's layer binds the key to).
pub fn on_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    match state.overlays.prompt() {
        Some(Prompt::Confirm(_)) => bulk::confirm_key(state, a, fx),
        Some(Prompt::Tag(_)) => bulk::tag_key(state, a, key, fx),
        Some(Prompt::Find(_)) => find::prompt_key(state, a, key, fx),
        None => {}
    }
}

/// Pasted text for a metadata prompt on top.
pub fn on_paste(state: &mut State, raw: &str) {
    match state.overlays.prompt_mut() {
        Some(Prompt::Tag(p)) => p.input.paste(&sanitize(raw)),
        Some(Prompt::Find(p)) => p.input.paste(&sanitize(raw)),
        Some(Prompt::Confirm(_)) | None => {}
    }
}

/// Pasted text for the open editor (kept until its record is loaded).
pub fn editor_paste(state: &mut State, raw: &str) {
    let Some(ed) = state.meta.editor.as_mut() else {
        return;
    };
    if !ed.loaded() {
        ed.queued.push(Queued::Paste(raw.to_string()));
    } else if !ed.leaving {
        ed.error = None;
        ed.paste(raw);
    }
}

/// A key or paste typed while the record was loading.
pub(super) fn replay(state: &mut State, q: Queued, fx: &mut Vec<Effect>) {
    match q {
        Queued::Key(k) => editor_key(state, &k, fx),
        Queued::Paste(t) => editor_paste(state, &t),
    }
}

/// A key for the open editor: its layer's commands (save, undo), then the editor's own keys.
pub fn editor_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let action = state.keymap.action_in(Layer::Editor, Key::from_event(key));
    let Some(ed) = state.meta.editor.as_mut() else {
        return;
    };
    if !ed.loaded() {
        if is_plain(key, KeyCode::Esc) {
            state.meta.editor = None;
            state.info("editing cancelled");
        } else if ed.load_error.is_some() && is_plain(key, KeyCode::Enter) {
            let id = ed.file_id.clone();
            ed.load_error = None;
            fetch::ensure(state, &id, fx);
        } else if ed.load_error.is_none() {
            ed.queued.push(Queued::Key(*key));
        }
        return;
    }
    if ed.leaving {
        match key.code {
            KeyCode::Char('s') | KeyCode::Char('S') => {
                ed.leaving = false;
                save::save(state, fx);
                if state.meta.editor.as_ref().is_some_and(|e| e.saving.is_some()) {
                    save::park(state);
                }
            }
            KeyCode::Char('d') | KeyCode::Char('D') => {
                let name = ed.name.clone();
                state.meta.editor = None;
                state.info(format!("changes to the metadata of {name} discarded"));
            }
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('c') | KeyCode::Char('C') => ed.leaving = false,
            _ => {}
        }
        return;
    }
    match action {
        Some(Action::MetaSave) => return save::save(state, fx),
        Some(Action::MetaUndo) => {
            ed.error = None;
            if !ed.undo() {
                state.info("nothing to undo in this field");
            }
            return;
        }
        _ => {}
    }
    match ed.key(key, &state.meta.vocab) {
        EdKey::Stay => {}
        EdKey::Save => save::save(state, fx),
        EdKey::Leave => {
            if ed.saving.is_some() {
                save::park(state);
            } else if ed.dirty() {
                ed.leaving = true;
            } else {
                state.meta.editor = None;
            }
        }
        EdKey::Cancel => {
            let name = ed.name.clone();
            state.meta.editor = None;
            state.info(format!("editing of {name} cancelled"));
        }
        EdKey::Refused(why) => state.error(why),
    }
}

/// Open an editor on the file under the cursor.
pub fn open(state: &mut State, mode: Mode, fx: &mut Vec<Effect>) {
    let Some(e) = state.list.current() else {
        state.info("no file here");
        return;
    };
    if e.is_folder() {
        state.info("folders have no metadata; put the cursor on a file");
        return;
    }
    let (id, name) = (e.item.id.clone(), e.name.clone());
    open_for(state, &id, &name, mode, fx);
}

pub fn open_for(state: &mut State, id: &str, name: &str, mode: Mode, fx: &mut Vec<Effect>) {
    if let Some(d) = state.meta.drafts.get(id) {
        if d.saving.is_some() {
            state.info(format!("still saving the metadata of {name}; a moment"));
            return;
        }
        if let Some(mut ed) = state.meta.drafts.remove(id) {
            ed.set_mode(mode);
            state.meta.editor = Some(ed);
        }
    } else {
        let base = state.meta.cache.get(id).cloned();
        let loaded = base.is_some();
        state.meta.editor = Some(Editor::new(id, name, mode, base));
        if !loaded {
            fetch::ensure(state, id, fx);
        }
    }
    if mode == Mode::Pane {
        state.panes.metadata = true;
        state.focus = Pane::Meta;
    } else {
        state.focus = Pane::Files;
    }
    fetch::start_scan(state, fx);
}
