//! The usage view (like ncdu): the folders below one folder by total size (everything below
//! them), with file counts and downloads, from the account index. Enter or Right drills down,
//! Left or Backspace comes back up, `o` opens the folder in the browser. The totals are asked
//! of the runtime (`IndexEffect::Usage`), answered with `IndexMsg::Usage` and its ticket.

use super::finder::IndexEffect;
use super::keymap::Action;
use super::msg::{Effect, Ticket};
use super::overlay::Overlay;
use super::state::State;

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
        _ => {}
    }
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
            v.note = Some("no index of this account yet: Ctrl-p and Enter build it (or `k2s index`)".into());
        }
        Err(e) => {
            v.rows.clear();
            v.note = Some(format!("the index cannot be read: {}", crate::text::sanitize(&e)));
        }
    }
}
