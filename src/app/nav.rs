//! Moving around: cursor motions per pane, entering and leaving folders, loading listings,
//! keeping cursors on screen and asking for the video info of the rows on screen.

use super::history::Visit;
use super::keymap::Action;
use super::msg::Effect;
use super::state::{Pane, Screen, State};
use crate::api::ListFiles;
use crate::app::layout;
use crate::folders::ROOT;

/// Account, folder tree and the current folder (keeping the user's place).
pub fn load_all(state: &mut State, fx: &mut Vec<Effect>) {
    state.started = true;
    state.account.loading = true;
    fx.push(Effect::LoadAccount);
    let t = state.ticket();
    state.tree.ticket = t;
    state.tree.loading = true;
    fx.push(Effect::LoadFolders(t));
    reload(state, fx);
}

/// Reload the current folder, keeping cursor, filter and selection.
pub fn reload(state: &mut State, fx: &mut Vec<Effect>) {
    let t = state.ticket();
    state.list.restart(t);
    fx.push(list_page(state, 0));
}

/// The first page is a screenful (100 rows, as many as one getFilesInfo batch) so that the
/// first rows show at once, complete; then full pages.
pub const FIRST_PAGE: u32 = 100;

pub fn page_limit(state: &State, offset: u64) -> u32 {
    let full = state.settings.page_size.clamp(1, 10_000);
    if offset == 0 { full.min(FIRST_PAGE) } else { full }
}

pub fn list_page(state: &State, offset: u64) -> Effect {
    Effect::LoadFiles {
        ticket: state.list.ticket,
        req: ListFiles {
            parent: state.list.folder.clone(),
            limit: page_limit(state, offset),
            offset,
            sort: Some(state.list.sort().api()),
            only_available: state.list.only_available,
            // The first page's rows (the first screen) come complete; the rest get theirs
            // when they are on screen (`row_info`).
            extended_info: offset == 0,
            kind: None,
        },
    }
}

/// Show `folder` in the list (a new ticket: answers for the old one are dropped); the folder
/// left becomes the way back.
pub fn navigate(state: &mut State, folder: &str, fx: &mut Vec<Effect>) {
    let folder = state.tree.tree.canonical(folder).to_string();
    if folder != state.list.folder {
        let from = here(state);
        state.history.leave(from);
    }
    let crumbs = crumbs_for(state, &folder);
    show(state, &folder, crumbs, fx);
}

/// The folder shown, as a visit to come back to.
fn here(state: &State) -> Visit {
    Visit {
        folder: state.list.folder.clone(),
        crumbs: state.crumbs.clone(),
    }
}

/// Show `folder` (reached through `crumbs`) without touching the history.
fn show(state: &mut State, folder: &str, crumbs: Vec<(String, String)>, fx: &mut Vec<Effect>) {
    if let Some(cur) = state.list.current() {
        let id = cur.item.id.clone();
        state.cursor_memory.insert(state.list.folder.clone(), id);
    }
    let t = state.ticket();
    state.list.reset(folder, t);
    state.list.want_cursor = state.cursor_memory.get(folder).cloned();
    state.filter_edit = None;
    state.details_scroll = 0;
    state.crumbs = crumbs;
    let chain = state.crumbs.iter().map(|(id, _)| id.clone()).collect();
    state.tree.follow(chain);
    fx.push(list_page(state, 0));
}

/// Back (or forward) to the folder visited before (after) this one, the cursor where it was.
pub fn back_or_forward(state: &mut State, forward: bool, fx: &mut Vec<Effect>) {
    let here = here(state);
    // A folder the loaded tree no longer holds was deleted: skip it.
    let tree = &state.tree;
    let usable = |v: &Visit| v.folder == ROOT || !tree.loaded || tree.tree.contains(&v.folder);
    let to = if forward {
        state.history.forward(here, usable)
    } else {
        state.history.back(here, usable)
    };
    let Some(to) = to else {
        state.info(if forward {
            "no folder to go forward to"
        } else {
            "no folder to go back to"
        });
        return;
    };
    let crumbs = if state.tree.tree.contains(&to.folder) {
        crumbs_for(state, &to.folder)
    } else {
        to.crumbs
    };
    show(state, &to.folder, crumbs, fx);
}

/// The (id, name) chain from the root to `folder`, from the tree or what we walked through.
fn crumbs_for(state: &State, folder: &str) -> Vec<(String, String)> {
    if folder == ROOT {
        return Vec::new();
    }
    if state.tree.tree.contains(folder) {
        let mut out = Vec::new();
        let mut cur = folder.to_string();
        while cur != ROOT && out.len() <= state.tree.tree.len() {
            let Some(f) = state.tree.tree.get(&cur) else { break };
            out.push((f.id.clone(), f.name.clone()));
            cur = f.parent.clone();
        }
        out.reverse();
        return out;
    }
    let mut out = state.crumbs.clone();
    if let Some(pos) = out.iter().position(|(id, _)| id == folder) {
        out.truncate(pos + 1);
    } else {
        let name = state
            .list
            .get(folder)
            .map_or_else(|| folder.to_string(), |e| e.item.name().to_string());
        out.push((folder.to_string(), name));
    }
    out
}

fn parent_of(state: &State, folder: &str) -> String {
    if let Some(p) = state.tree.tree.parent(folder) {
        return p.to_string();
    }
    match state.crumbs.len() {
        0 | 1 => ROOT.to_string(),
        n => state.crumbs[n - 2].0.clone(),
    }
}

pub fn go_up(state: &mut State, fx: &mut Vec<Effect>) {
    let folder = state.list.folder.clone();
    if folder == ROOT {
        state.info("already at the root");
        return;
    }
    let parent = parent_of(state, &folder);
    // Come back onto the folder we leave.
    if let Some(cur) = state.list.current() {
        let id = cur.item.id.clone();
        state.cursor_memory.insert(folder.clone(), id);
    }
    state.cursor_memory.insert(parent.clone(), folder);
    navigate(state, &parent, fx);
}

/// Rows of a page in the focused pane.
pub fn page(state: &State) -> usize {
    let a = layout::areas(state);
    match state.focus {
        Pane::Tree => layout::tree_rows(&a),
        Pane::Details => layout::details_rows(&a),
        _ => layout::list_rows(&a),
    }
}

/// Cursor motions and open/parent/select in the focused pane.
pub fn motion(state: &mut State, a: Action, fx: &mut Vec<Effect>) {
    let page = page(state) as isize;
    let delta: Option<isize> = match a {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::HalfPageDown => Some((page / 2).max(1)),
        Action::HalfPageUp => Some(-(page / 2).max(1)),
        Action::PageDown => Some(page.max(1)),
        Action::PageUp => Some(-page.max(1)),
        Action::Top => Some(isize::MIN / 2),
        Action::Bottom => Some(isize::MAX / 2),
        _ => None,
    };
    match state.focus {
        Pane::Tree => tree_motion(state, a, delta, fx),
        Pane::Details => match (a, delta) {
            (_, Some(d)) => {
                state.details_scroll = state.details_scroll.saturating_add_signed(d).min(200);
            }
            (Action::Parent, _) => state.focus = Pane::Files,
            _ => {}
        },
        Pane::Files => list_motion(state, a, delta, fx),
        Pane::Meta | Pane::Transfers => {}
    }
}

fn list_motion(state: &mut State, a: Action, delta: Option<isize>, fx: &mut Vec<Effect>) {
    if let Some(d) = delta {
        state.list.move_by(d);
        state.details_scroll = 0;
        return;
    }
    match a {
        Action::Parent => go_up(state, fx),
        Action::Open => {
            let Some(e) = state.list.current() else { return };
            if e.is_folder() {
                let id = e.item.id.clone();
                navigate(state, &id, fx);
            } else {
                state.panes.details = true;
                if state.size.0 < layout::WIDE {
                    state.focus = Pane::Details;
                }
            }
        }
        Action::Select => {
            if let Some(id) = state.list.current().map(|e| e.item.id.clone()) {
                state.list.toggle_selected(&id);
                state.list.move_by(1);
            }
        }
        Action::SelectRange => {
            if state.list.anchor.is_some() {
                let n = state.list.commit_range();
                state.info(format!(
                    "{n} selected by range; {} in all",
                    state.list.selected.len()
                ));
            } else if let Some(id) = state.list.current().map(|e| e.item.id.clone()) {
                state.list.anchor = Some(id);
                state.info("range: move to the other end and press the range key again");
            }
        }
        Action::SelectAll => {
            let on = state.list.toggle_all();
            let n = state.list.len();
            state.info(if on {
                format!("all {n} shown are selected")
            } else {
                "selection cleared".to_string()
            });
        }
        _ => {}
    }
}

fn tree_motion(state: &mut State, a: Action, delta: Option<isize>, fx: &mut Vec<Effect>) {
    let tp = &mut state.tree;
    if let Some(d) = delta {
        tp.view.move_by(d);
        return;
    }
    let id = tp.view.current_id().to_string();
    match a {
        Action::Open => {
            tp.view.set_expanded(&tp.tree, &id, true);
            navigate(state, &id, fx);
        }
        Action::Select => tp.view.toggle(&tp.tree, &id),
        Action::Parent => {
            if id != ROOT && tp.view.is_expanded(&id) {
                tp.view.set_expanded(&tp.tree, &id, false);
            } else {
                tp.view.to_parent(&tp.tree);
            }
        }
        _ => {}
    }
}

/// After every message: cursors on screen, video info for the rows on screen.
pub fn after_update(state: &mut State, fx: &mut Vec<Effect>) {
    if state.screen != Screen::Browse {
        return;
    }
    let a = layout::areas(state);
    state.list.scroll_into_view(layout::list_rows(&a));
    state.tree.view.scroll_into_view(layout::tree_rows(&a));
    if a.list.is_some() || a.details.is_some() {
        super::row_info::request(state, layout::list_rows(&a), fx);
    }
}

/// Reverse the order of the list (folders stay first unless the config mixes them in).
pub fn reverse_sort(state: &mut State, fx: &mut Vec<Effect>) {
    let sort = state.list.sort().reversed();
    state.list.set_sort(sort);
    // Pages still to come are asked for in the new order: start the folder over.
    if !state.list.complete {
        reload(state, fx);
    }
    state.info(format!("order reversed: {}", sort.label()));
}
