//! Saving a form: validation first (naming the field and the limit), then createFileMeta for a
//! file with no record or updateFileMeta with only the changed fields. The request runs in the
//! background; the answer comes back as a message. A failed save keeps the form as it was
//! typed: in the editor when it is still open, else as a draft that `e` (or `t` / `T`) reopens.

use super::editor::{Editor, Mode};
use super::fetch;
use crate::api::{ApiError, FileMeta};
use crate::app::msg::{ApiResult, Effect, MetaEffect, Ticket};
use crate::app::results;
use crate::app::state::State;
use crate::metadata;
use crate::text::sanitize;

/// Save the open editor. Inline editors close at once (the list stays usable); the pane's
/// editor stays open until the answer.
pub fn save(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(ed) = state.meta.editor.as_mut() else {
        return;
    };
    if !ed.loaded() {
        state.info("the metadata is still loading; the keys typed meanwhile are kept");
        return;
    }
    if ed.saving.is_some() {
        state.info("already saving");
        return;
    }
    // Text typed into a chip input joins its list (or says why it can't).
    for i in 0..ed.lists.len() {
        if ed.lists[i].input.is_empty() {
            continue;
        }
        if let Err(why) = ed.lists[i].commit_input() {
            ed.focus = super::editor::Focus::List(ed.lists[i].field);
            ed.error = Some(why.clone());
            state.error(why);
            return;
        }
    }
    let form = ed.form();
    if let Err(why) = metadata::validate(&form) {
        ed.error = Some(why.clone());
        state.error(format!("not saved: {why}"));
        return;
    }
    let create = ed.base == Some(None);
    let patch = if create {
        metadata::create_body(&form)
    } else {
        metadata::diff(&ed.baseline(), &form)
    };
    if patch.is_empty() {
        let name = ed.name.clone();
        state.meta.editor = None;
        state.info(format!("nothing changed in the metadata of {name}"));
        return;
    }
    let ticket = state.ticket();
    let Some(ed) = state.meta.editor.as_mut() else {
        return;
    };
    ed.saving = Some(ticket);
    ed.error = None;
    ed.leaving = false;
    let file_id = ed.file_id.clone();
    let name = ed.name.clone();
    let inline = ed.mode != Mode::Pane;
    if inline {
        park(state);
    }
    // A load on its way would bring the record from before this save.
    state.meta.pending.remove(&file_id);
    state.in_flight.insert(ticket);
    state.info(format!("saving the metadata of {name} …"));
    fx.push(Effect::Meta(MetaEffect::Save {
        ticket,
        file_id,
        create,
        patch: Box::new(patch),
        sent: Box::new(form),
    }));
}

/// Close the open editor, keeping it as a draft while its save is in flight.
pub fn park(state: &mut State) {
    if let Some(ed) = state.meta.editor.take() {
        state.meta.drafts.insert(ed.file_id.clone(), ed);
    }
}

/// Where the editor whose save carried `ticket` is: the open one, or a draft.
fn editor_of<'a>(state: &'a mut State, file_id: &str, ticket: Ticket) -> Option<(bool, &'a mut Editor)> {
    let open = state
        .meta
        .editor
        .as_ref()
        .is_some_and(|e| e.file_id == file_id && e.saving == Some(ticket));
    if open {
        return state.meta.editor.as_mut().map(|e| (true, e));
    }
    state
        .meta
        .drafts
        .get_mut(file_id)
        .filter(|e| e.saving == Some(ticket))
        .map(|e| (false, e))
}

pub fn on_saved(
    state: &mut State,
    ticket: Ticket,
    file_id: String,
    sent: FileMeta,
    result: ApiResult<()>,
    fx: &mut Vec<Effect>,
) {
    state.answered(ticket);
    match result {
        Ok(()) => saved(state, ticket, &file_id, sent),
        Err(e) => failed(state, ticket, &file_id, &e, fx),
    }
}

fn saved(state: &mut State, ticket: Ticket, file_id: &str, sent: FileMeta) {
    // What the server now holds is what was sent (whatever shape the answer has).
    let what = match editor_of(state, file_id, ticket) {
        Some((open, ed)) => {
            let fields = metadata::diff(&ed.baseline(), &sent);
            ed.saving = None;
            ed.error = None;
            ed.base = Some(Some(sent.clone()));
            let name = ed.name.clone();
            let still_dirty = ed.dirty();
            if !open {
                state.meta.drafts.remove(file_id);
            } else if !still_dirty {
                state.meta.editor = None;
            }
            Some((name, field_names(&fields), still_dirty && open))
        }
        None => None,
    };
    fetch::remember(state, file_id, Some(sent));
    match what {
        Some((name, fields, more)) => {
            let more = if more {
                "; newer changes are not saved yet"
            } else {
                ""
            };
            state.success(format!("saved the metadata of {name} ({fields}){more}"));
        }
        None => state.success("metadata saved"),
    }
}

fn field_names(p: &crate::api::MetaPatch) -> String {
    let mut v = Vec::new();
    for (on, name) in [
        (p.title.is_some(), "title"),
        (p.description.is_some(), "description"),
        (p.studio.is_some(), "studio"),
        (p.categories.is_some(), "categories"),
        (p.actresses.is_some(), "actresses"),
        (p.tags.is_some(), "tags"),
    ] {
        if on {
            v.push(name);
        }
    }
    v.join(", ")
}

fn failed(state: &mut State, ticket: Ticket, file_id: &str, e: &ApiError, fx: &mut Vec<Effect>) {
    let lost_session = results::check_session(state, e);
    let why = results::err_text(e);
    let Some((open, ed)) = editor_of(state, file_id, ticket) else {
        state.error(format!("metadata not saved: {why}"));
        return;
    };
    ed.saving = None;
    ed.error = Some(format!("not saved: {why}"));
    let name = sanitize(&ed.name);
    // A create refused because a record exists: learn it, then the next save updates it.
    let exists = ed.base == Some(None) && e.code() == Some(60);
    if !open && state.meta.editor.is_none() && state.overlays.prompt().is_none() {
        // Nothing else is being edited: the form comes back where it was typed.
        if let Some(mut ed) = state.meta.drafts.remove(file_id) {
            if ed.mode != Mode::Pane && state.list.position(file_id).is_none() {
                ed.set_mode(Mode::Pane);
                state.panes.metadata = true;
            }
            state.meta.editor = Some(ed);
        }
    }
    if exists {
        state.meta.cache.remove(file_id);
        fetch::ensure(state, file_id, fx);
    }
    if lost_session {
        return;
    }
    let back = if state.meta.drafts.contains_key(file_id) {
        " — press e on it to get your changes back"
    } else {
        " — your changes are kept; save again or Esc"
    };
    state.error(format!("could not save the metadata of {name}: {why}{back}"));
}
