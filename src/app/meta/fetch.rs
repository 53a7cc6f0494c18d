//! Loading records: for the file under the cursor once the cursor settles (a timer effect, so
//! holding j does not send a request per row), for the rows on screen when the title and tags
//! columns are on, and at once for an editor. Every load carries a ticket; an answer whose
//! ticket is no longer the one waiting for an id (a save or a refresh came between) is dropped.

use super::complete::{SCAN_PAGES, SCAN_SIZE};
use super::editor::Mode;
use super::keys;
use crate::api::{FileMeta, MetaPage};
use crate::app::layout;
use crate::app::msg::{ApiResult, Effect, MetaEffect, Ticket};
use crate::app::results;
use crate::app::state::{Screen, State};
use std::time::Duration;

/// How long the cursor must rest on a row before its record is asked for.
pub const SETTLE: Duration = Duration::from_millis(150);
/// Ids per getFilesMeta request.
pub const LOAD_BATCH: usize = 100;

/// Whether the pane showing the cursor's record is on screen.
fn pane_visible(state: &State) -> bool {
    state.panes.metadata && layout::areas(state).meta.is_some()
}

/// After every message: (re)arm the settle timer when what needs loading moved.
pub fn after_update(state: &mut State, fx: &mut Vec<Effect>) {
    if state.screen != Screen::Browse {
        return;
    }
    // An editor in a row whose file left the list (a reload) moves to the pane.
    if let Some(ed) = state.meta.editor.as_mut()
        && ed.mode != Mode::Pane
        && state.list.position(&ed.file_id).is_none()
    {
        ed.set_mode(Mode::Pane);
        state.panes.metadata = true;
        state.focus = crate::app::Pane::Meta;
    }
    let pane = pane_visible(state);
    let m = &mut state.meta;
    if !pane && !m.columns {
        m.settle_key = None;
        return;
    }
    let cur = state
        .list
        .current()
        .map(|e| e.item.id.clone())
        .unwrap_or_default();
    let key = (cur, state.list.offset, m.columns, pane, state.list.len());
    if m.settle_key.as_ref() == Some(&key) {
        return;
    }
    m.settle_key = Some(key);
    m.settle_gen += 1;
    if !m.settle_armed {
        m.settle_armed = true;
        fx.push(Effect::Meta(MetaEffect::Settle {
            generation: m.settle_gen,
            after: SETTLE,
        }));
    }
}

/// The timer fired: load when nothing moved since it was armed, else wait again.
pub fn on_settled(state: &mut State, generation: u64, fx: &mut Vec<Effect>) {
    let m = &mut state.meta;
    m.settle_armed = false;
    if m.settle_key.is_none() {
        return;
    }
    if generation != m.settle_gen {
        m.settle_armed = true;
        fx.push(Effect::Meta(MetaEffect::Settle {
            generation: m.settle_gen,
            after: SETTLE,
        }));
        return;
    }
    load_visible(state, fx);
}

/// Whether a file's record is neither known, nor on its way, nor failed to load.
pub fn needs(state: &State, id: &str) -> bool {
    let m = &state.meta;
    !m.cache.contains_key(id) && !m.pending.contains_key(id) && !m.errors.contains_key(id)
}

fn load_visible(state: &mut State, fx: &mut Vec<Effect>) {
    let mut ids: Vec<String> = Vec::new();
    if pane_visible(state)
        && let Some(e) = state.list.current()
        && !e.is_folder()
        && needs(state, e.id())
    {
        ids.push(e.id().to_string());
    }
    if state.meta.columns {
        let rows = layout::list_rows(&layout::areas(state));
        for (_, e) in state.list.rows(state.list.offset, rows) {
            if ids.len() >= LOAD_BATCH {
                break;
            }
            if !e.is_folder() && needs(state, e.id()) && !ids.iter().any(|i| i == e.id()) {
                ids.push(e.id().to_string());
            }
        }
    }
    load(state, ids, fx);
}

/// Ask for these records now.
pub fn load(state: &mut State, ids: Vec<String>, fx: &mut Vec<Effect>) {
    if ids.is_empty() {
        return;
    }
    let t = state.ticket();
    for id in &ids {
        state.meta.pending.insert(id.clone(), t);
        state.meta.errors.remove(id);
    }
    fx.push(Effect::Meta(MetaEffect::Load { ticket: t, ids }));
}

/// Make sure a record is known or coming (an editor waits for it); a failed one is retried.
pub fn ensure(state: &mut State, id: &str, fx: &mut Vec<Effect>) {
    if !state.meta.cache.contains_key(id) && !state.meta.pending.contains_key(id) {
        load(state, vec![id.to_string()], fx);
    }
}

/// Remember a record from the server (and its values for completion).
pub fn remember(state: &mut State, id: &str, rec: Option<FileMeta>) {
    if let Some(m) = &rec {
        state.meta.vocab.learn(m);
    }
    state.meta.errors.remove(id);
    state.meta.cache.insert(id.to_string(), rec);
}

pub fn on_loaded(
    state: &mut State,
    ticket: Ticket,
    ids: Vec<String>,
    result: ApiResult<Vec<FileMeta>>,
    fx: &mut Vec<Effect>,
) {
    let fresh: Vec<String> = ids
        .into_iter()
        .filter(|id| state.meta.pending.get(id) == Some(&ticket))
        .collect();
    for id in &fresh {
        state.meta.pending.remove(id);
    }
    match result {
        Ok(items) => {
            for id in &fresh {
                let rec = items.iter().find(|m| &m.file_id == id).cloned();
                remember(state, id, rec.clone());
                editor_loaded(state, id, rec, fx);
            }
            super::bulk::copy_source_loaded(state, &fresh, None, fx);
        }
        Err(e) => {
            if results::check_session(state, &e) {
                return;
            }
            let text = results::err_text(&e);
            for id in &fresh {
                state.meta.errors.insert(id.clone(), text.clone());
                if let Some(ed) = state.meta.editor.as_mut().filter(|ed| &ed.file_id == id) {
                    ed.load_error = Some(text.clone());
                }
            }
            super::bulk::copy_source_loaded(state, &fresh, Some(&text), fx);
            if !fresh.is_empty() {
                tracing::warn!("getFilesMeta: {e}");
            }
        }
    }
}

/// The open editor of `id` gets its record: the form fills in and the keys typed meanwhile
/// are replayed; an editor that already had one only moves its baseline when the server turned
/// out to hold a record (a create that found one).
fn editor_loaded(state: &mut State, id: &str, rec: Option<FileMeta>, fx: &mut Vec<Effect>) {
    let Some(ed) = state.meta.editor.as_mut().filter(|ed| ed.file_id == id) else {
        return;
    };
    if ed.loaded() {
        if ed.saving.is_none() && ed.base == Some(None) && rec.is_some() {
            ed.base = Some(rec);
        }
        return;
    }
    ed.set_base(rec);
    let queued = std::mem::take(&mut ed.queued);
    for q in queued {
        keys::replay(state, q, fx);
    }
}

/// Start the background scan for completion values (once).
pub fn start_scan(state: &mut State, fx: &mut Vec<Effect>) {
    if state.meta.scan.started {
        return;
    }
    state.meta.scan.started = true;
    fx.push(Effect::Meta(MetaEffect::Scan {
        page: 0,
        size: SCAN_SIZE,
    }));
}

pub fn on_scanned(state: &mut State, page: u32, result: ApiResult<MetaPage>, fx: &mut Vec<Effect>) {
    match result {
        Ok(p) => {
            state.meta.scan.pages = page + 1;
            for m in &p.items {
                state.meta.vocab.learn(m);
            }
            let more = p.items.len() as u32 >= SCAN_SIZE
                && p.total
                    .is_none_or(|t| u64::from(page + 1) * u64::from(SCAN_SIZE) < t);
            if more && page + 1 < SCAN_PAGES {
                fx.push(Effect::Meta(MetaEffect::Scan {
                    page: page + 1,
                    size: SCAN_SIZE,
                }));
            } else {
                state.meta.scan.done = true;
            }
        }
        Err(e) => {
            // Completion then offers what was seen so far; nothing else depends on it.
            state.meta.scan.done = true;
            if !results::check_session(state, &e) {
                tracing::warn!("metadata scan: {e}");
            }
        }
    }
}

/// R: records are asked for again (answers on their way are dropped); drafts stay.
pub fn on_refresh(state: &mut State) {
    let m = &mut state.meta;
    m.cache.clear();
    m.pending.clear();
    m.errors.clear();
    m.settle_key = None;
}
