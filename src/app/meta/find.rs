//! The server-side filter: getFilesMeta by tag, category or actress, paged, shown in place of
//! the list; Enter goes to a found file's folder with the cursor on it.

use super::field::Field;
use super::{Prompt, fetch};
use crate::api::{FileMeta, MetaQuery};
use crate::app::finder::IndexEffect;
use crate::app::keymap::{Action, Key};
use crate::app::layer::Layer;
use crate::app::msg::{ApiResult, Effect, MetaEffect, Ticket};
use crate::app::overlay::Overlay;
use crate::app::state::{Pane, State};
use crate::app::{nav, results};
use crate::folders::ROOT;
use crate::metadata::ListField;
use ratatui::crossterm::event::KeyEvent;

/// Records per page.
pub const FIND_PAGE: u32 = 50;

#[derive(Debug, Clone)]
pub struct FindPrompt {
    pub by: ListField,
    pub input: Field,
    pub pick: Option<usize>,
    pub error: Option<String>,
}

/// A matching file: its record and where it lives (from getFilesInfo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRow {
    pub id: String,
    /// Terminal-safe name (the id when the file could not be looked up).
    pub name: String,
    pub parent: Option<String>,
    pub meta: FileMeta,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPage {
    pub rows: Vec<FoundRow>,
    pub total: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Found {
    pub by: ListField,
    pub value: String,
    pub rows: Vec<FoundRow>,
    pub total: Option<u64>,
    /// The next page to ask for; None when every page is in.
    pub next_page: Option<u32>,
    pub loading: bool,
    pub error: Option<String>,
    pub ticket: Ticket,
    pub cursor: usize,
    pub offset: usize,
}

pub fn start(state: &mut State, fx: &mut Vec<Effect>) {
    fetch::start_scan(state, fx);
    let by = state.meta.found.as_ref().map_or(ListField::Tags, |f| f.by);
    state.overlays.open(Overlay::Meta(Prompt::Find(FindPrompt {
        by,
        input: Field::default(),
        pick: None,
        error: None,
    })));
}

fn query(by: ListField, value: &str, page: u32) -> MetaQuery {
    let v = Some(value.to_string());
    let mut q = MetaQuery {
        page: Some(page),
        size: Some(FIND_PAGE),
        ..MetaQuery::default()
    };
    match by {
        ListField::Tags => q.tag = v,
        ListField::Categories => q.category = v,
        ListField::Actresses => q.actress = v,
    }
    q
}

fn cycle(by: ListField, forward: bool) -> ListField {
    let all = ListField::ALL;
    let i = all.iter().position(|f| *f == by).unwrap_or(0);
    all[if forward { (i + 1) % 3 } else { (i + 2) % 3 }]
}

pub fn prompt_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(Prompt::Find(p)) = state.overlays.prompt_mut() else {
        return;
    };
    let cands = state.meta.vocab.candidates(p.by, p.input.value(), &[]);
    p.error = None;
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_prompt();
        }
        Some(Action::Submit) => {
            let value = p.input.value().trim().to_string();
            if value.is_empty() {
                p.error = Some(format!("type the {} to look for", p.by.singular()));
                return;
            }
            let by = p.by;
            state.overlays.close_prompt();
            run(state, by, value, fx);
        }
        Some(Action::Complete) if !cands.is_empty() => {
            p.input.set(&cands[p.pick.unwrap_or(0).min(cands.len() - 1)]);
            p.pick = None;
        }
        Some(Action::Complete) => p.by = cycle(p.by, true),
        Some(Action::PrevField) => p.by = cycle(p.by, false),
        Some(Action::Down) if !cands.is_empty() => {
            p.pick = Some(p.pick.map_or(0, |i| (i + 1).min(cands.len() - 1)));
        }
        Some(Action::Up) => p.pick = p.pick.and_then(|i| i.checked_sub(1)),
        _ => {
            let before = p.input.value().to_string();
            if a == Some(Action::MetaUndo) {
                p.input.undo();
            } else {
                p.input.key(key);
            }
            if p.input.value() != before {
                p.pick = None;
            }
        }
    }
}

/// Ask for the first page of files whose `by` list holds `value`.
pub fn run(state: &mut State, by: ListField, value: String, fx: &mut Vec<Effect>) {
    let ticket = state.ticket();
    state.focus = Pane::Files;
    state.in_flight.insert(ticket);
    fx.push(Effect::Meta(MetaEffect::Find {
        ticket,
        query: query(by, &value, 0),
    }));
    state.meta.found = Some(Found {
        by,
        value,
        rows: Vec::new(),
        total: None,
        next_page: Some(0),
        loading: true,
        error: None,
        ticket,
        cursor: 0,
        offset: 0,
    });
}

fn more(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(f) = state.meta.found.as_mut() else {
        return;
    };
    let Some(page) = f.next_page else { return };
    if f.loading || f.error.is_some() || page == 0 {
        return;
    }
    f.loading = true;
    fx.push(Effect::Meta(MetaEffect::Find {
        ticket: f.ticket,
        query: query(f.by, &f.value, page),
    }));
    let ticket = f.ticket;
    state.in_flight.insert(ticket);
}

pub fn on_found(
    state: &mut State,
    ticket: Ticket,
    page: u32,
    result: ApiResult<FoundPage>,
    fx: &mut Vec<Effect>,
) {
    state.answered(ticket);
    let Some(f) = state.meta.found.as_mut().filter(|f| f.ticket == ticket) else {
        return;
    };
    f.loading = false;
    match result {
        Ok(p) => {
            let n = p.rows.len() as u32;
            f.total = p.total.or(f.total);
            for r in &p.rows {
                if !f.rows.iter().any(|x| x.id == r.id) {
                    f.rows.push(r.clone());
                }
            }
            let all_in = f.total.is_some_and(|t| f.rows.len() as u64 >= t);
            f.next_page = (n >= FIND_PAGE && !all_in).then_some(page + 1);
            let mut records = Vec::new();
            for r in p.rows {
                // Fresher than anything cached, unless a load or save is on its way for it.
                let busy = state.meta.pending.contains_key(&r.id) || state.meta.drafts.contains_key(&r.id);
                state.meta.vocab.learn(&r.meta);
                if !busy {
                    records.push(FileMeta {
                        file_id: r.id.clone(),
                        ..r.meta.clone()
                    });
                    fetch::remember(state, &r.id, Some(r.meta));
                }
            }
            if !records.is_empty() {
                let removed = Vec::new();
                fx.push(Effect::Index(IndexEffect::NoteMeta { records, removed }));
            }
            keep_loading(state, fx);
        }
        Err(e) => {
            f.error = Some(results::err_text(&e));
            results::check_session(state, &e);
        }
    }
}

/// The cursor near the end of what arrived: the next page.
fn keep_loading(state: &mut State, fx: &mut Vec<Effect>) {
    let near = state
        .meta
        .found
        .as_ref()
        .is_some_and(|f| f.cursor + 10 >= f.rows.len());
    if near {
        more(state, fx);
    }
}

/// A key while the found files are shown in place of the list.
pub fn found_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let page = nav::page(state) as isize;
    let action = state.keymap.action_in(Layer::Found, Key::from_event(key));
    let Some(f) = state.meta.found.as_mut() else {
        return;
    };
    let last = f.rows.len().saturating_sub(1);
    let delta: isize = match action {
        Some(Action::Up) => -1,
        Some(Action::Down) => 1,
        Some(Action::PageDown) => page.max(1),
        Some(Action::PageUp) => -page.max(1),
        Some(Action::HalfPageDown) => (page / 2).max(1),
        Some(Action::HalfPageUp) => -(page / 2).max(1),
        Some(Action::Bottom) => isize::MAX / 2,
        Some(Action::Top) => isize::MIN / 2,
        Some(Action::Open) => {
            go_to(state, fx);
            return;
        }
        Some(Action::Cancel) => {
            state.meta.found = None;
            state.info("back to the folder");
            return;
        }
        Some(Action::MetaFind) => return start(state, fx),
        Some(Action::Refresh) => {
            let (by, value) = (f.by, f.value.clone());
            return run(state, by, value, fx);
        }
        _ => return,
    };
    f.cursor = f.cursor.saturating_add_signed(delta).min(last);
    keep_loading(state, fx);
}

/// Enter: the found file's folder, the cursor on it.
fn go_to(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(row) = state
        .meta
        .found
        .as_ref()
        .and_then(|f| f.rows.get(f.cursor))
        .cloned()
    else {
        return;
    };
    let Some(parent) = row.parent.clone() else {
        state.error(format!("cannot find where {} is (it may be gone)", row.name));
        return;
    };
    state.meta.found = None;
    let folder = if parent.is_empty() {
        ROOT.to_string()
    } else {
        parent
    };
    nav::navigate(state, &folder, fx);
    state.list.want_cursor = Some(row.id);
}
