//! The usage view (like ncdu): the folders below one folder by total size (everything below
//! them), with file counts and downloads, from the account index. Enter or Right drills down,
//! Left or Backspace comes back up, `o` opens the folder in the browser, `d` deletes and `m`
//! moves the folder under the cursor through the browser's own dialogs and requests, `D` opens
//! the duplicates view. The totals are asked of the runtime (`IndexEffect::Usage`), answered
//! with `IndexMsg::Usage` and its ticket, and asked again when a write of the TUI's reached
//! the index (`IndexMsg::Noted`).

use super::dialog::{ConfirmForm, Dialog, MoveForm, Target};
use super::finder::IndexEffect;
use super::keymap::Action;
use super::msg::{Effect, Msg, Ticket};
use super::overlay::Overlay;
use super::state::State;

/// What the index views say when the account has no index yet.
pub const NO_INDEX: &str = "no index of this account yet: Ctrl-p and Enter build it (or `k2s index`)";

/// One folder's totals (the first row of a view is the folder itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    pub id: String,
    pub path: String,
    pub size: u64,
    pub files: u64,
    pub folders: u64,
    pub downloads: u64,
}

/// The answer: the folder's row, then its folders largest first; None without an index.
pub type UsageAnswer = Result<Option<Vec<UsageRow>>, String>;

#[derive(Debug, Clone, Default)]
pub struct UsageView {
    pub folder: String,
    pub ticket: Ticket,
    pub rows: Vec<UsageRow>,
    /// Over the folders below (rows[1..]).
    pub cursor: usize,
    /// Loading, no index, or the error; None once the rows are in.
    pub note: Option<String>,
    /// The folders drilled down from, with the cursor there, to come back to.
    pub trail: Vec<(String, usize)>,
}

impl UsageView {
    /// The folders below the one shown.
    pub fn children(&self) -> &[UsageRow] {
        self.rows.get(1..).unwrap_or(&[])
    }
}

/// Open on the folder the list shows.
pub fn open(state: &mut State, fx: &mut Vec<Effect>) {
    let folder = state.list.folder.clone();
    state.overlays.open(Overlay::Usage(UsageView::default()));
    ask(state, folder, 0, fx);
}

fn ask(state: &mut State, folder: String, cursor: usize, fx: &mut Vec<Effect>) {
    let ticket = state.ticket();
    let Some(v) = state.overlays.usage_mut() else {
        return;
    };
    v.folder = folder.clone();
    v.ticket = ticket;
    v.cursor = cursor;
    v.note = Some("adding up…".into());
    fx.push(Effect::Index(IndexEffect::Usage { ticket, folder }));
}

pub fn on_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.usage_mut() else {
        return;
    };
    let last = v.children().len().saturating_sub(1);
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_usage();
        }
        Some(Action::Up) => v.cursor = v.cursor.saturating_sub(1),
        Some(Action::Down) => v.cursor = (v.cursor + 1).min(last),
        Some(Action::Top) => v.cursor = 0,
        Some(Action::Bottom) => v.cursor = last,
        Some(Action::Open) => {
            let Some(row) = v.children().get(v.cursor) else {
                return;
            };
            let to = row.id.clone();
            let here = (v.folder.clone(), v.cursor);
            v.trail.push(here);
            ask(state, to, 0, fx);
        }
        Some(Action::Parent) => {
            if let Some((to, cursor)) = v.trail.pop() {
                ask(state, to, cursor, fx);
            }
        }
        Some(Action::Submit) => {
            let to = v
                .children()
                .get(v.cursor)
                .map_or_else(|| v.folder.clone(), |r| r.id.clone());
            state.overlays.close_usage();
            super::nav::navigate(state, &to, fx);
        }
        Some(Action::Delete | Action::Move) => {
            if let Some(a) = a {
                act_on_folder(state, a);
            }
        }
        Some(Action::DupesView) => {
            state.overlays.close_usage();
            super::dupes::open(state, fx);
        }
        _ => {}
    }
}

/// Ask again, when the view is open (the index changed), the cursor kept.
pub fn refresh(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some(v) = state.overlays.usage() {
        let (folder, cursor) = (v.folder.clone(), v.cursor);
        ask(state, folder, cursor, fx);
    }
}

/// `d` or `m` on the folder under the cursor: the browser's delete confirmation or move
/// picker, so that the same requests, answers and index hooks follow.
fn act_on_folder(state: &mut State, a: Action) {
    let Some(v) = state.overlays.usage() else {
        return;
    };
    let Some(row) = v.children().get(v.cursor) else {
        state.info("no folder here to act on");
        return;
    };
    let name = row.path.rsplit('/').next().unwrap_or(&row.path).to_string();
    let target = Target {
        id: row.id.clone(),
        raw_name: name,
        name: row.path.clone(),
        is_folder: true,
    };
    let from = v.folder.clone();
    let dialog = if a == Action::Move {
        if !state.tree.loaded {
            state.info("the folder tree is still loading; try again in a moment");
            return;
        }
        Dialog::Move(MoveForm {
            targets: vec![target],
            picker: state.tree.picker(),
            error: None,
            from: Some(from),
        })
    } else {
        Dialog::ConfirmDelete(ConfirmForm {
            targets: vec![target],
            note: Some(format!(
                "{} in {}",
                crate::text::human_bytes(row.size),
                super::plural::count(row.files as usize, "file")
            )),
            yes: false,
            error: None,
        })
    };
    state.overlays.open(Overlay::Dialog(dialog));
}

/// A folder of the view deleted or moved away: its row goes and the totals above it drop at
/// once (the index is asked again once the write reached it); the folder tree is reloaded.
pub fn observe(state: &mut State, msg: &Msg, fx: &mut Vec<Effect>) {
    let (ids, to) = match msg {
        Msg::Deleted {
            ids, result: Ok(_), ..
        } => (ids, None),
        Msg::Updated {
            kind: super::msg::UpdateKind::Move,
            ids,
            changes,
            result: Ok(_),
            ..
        } => (ids, changes.new_parent.clone()),
        _ => return,
    };
    let tree = &state.tree.tree;
    let Some(v) = state.overlays.usage_mut() else {
        return;
    };
    let gone: Vec<UsageRow> = v
        .children()
        .iter()
        .filter(|r| ids.contains(&r.id))
        .cloned()
        .collect();
    if gone.is_empty() {
        return;
    }
    v.rows.retain(|r| !gone.iter().any(|g| g.id == r.id));
    // Moved into a folder of the view: its figures grow; moved out: the total drops.
    let into = to.as_deref().and_then(|to| {
        v.rows
            .iter()
            .skip(1)
            .position(|r| r.id == to || tree.is_descendant(to, &r.id))
            .map(|i| i + 1)
            .or_else(|| (to == v.folder || tree.is_descendant(to, &v.folder)).then_some(0))
    });
    for g in &gone {
        if let Some(i) = into.filter(|i| *i > 0)
            && let Some(r) = v.rows.get_mut(i)
        {
            add(r, g, true);
        }
        if into.is_none()
            && let Some(top) = v.rows.first_mut()
        {
            add(top, g, false);
        }
    }
    v.cursor = v.cursor.min(v.children().len().saturating_sub(1));
    let t = state.ticket();
    state.tree.ticket = t;
    state.tree.loading = true;
    fx.push(Effect::LoadFolders(t));
}

/// A folder's figures added to (or taken from) a row's, itself counted as a folder.
fn add(r: &mut UsageRow, g: &UsageRow, plus: bool) {
    let f = |a: u64, b: u64| {
        if plus {
            a.saturating_add(b)
        } else {
            a.saturating_sub(b)
        }
    };
    r.size = f(r.size, g.size);
    r.files = f(r.files, g.files);
    r.folders = f(r.folders, g.folders + 1);
    r.downloads = f(r.downloads, g.downloads);
}

/// The totals arrived (an older ticket's are dropped).
pub fn answered(state: &mut State, ticket: Ticket, answer: UsageAnswer) {
    let Some(v) = state.overlays.usage_mut() else {
        return;
    };
    if v.ticket != ticket {
        return;
    }
    match answer {
        Ok(Some(rows)) => {
            v.rows = rows;
            v.cursor = v.cursor.min(v.children().len().saturating_sub(1));
            v.note = None;
        }
        Ok(None) => {
            v.rows.clear();
            v.note = Some(NO_INDEX.into());
        }
        Err(e) => {
            v.rows.clear();
            v.note = Some(format!("the index cannot be read: {}", crate::text::sanitize(&e)));
        }
    }
}
