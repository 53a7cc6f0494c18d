//! The duplicates view: groups of files with the same md5 from the account index, the most
//! wasted space first (size x (copies - 1)), each copy with its path, size, downloads and
//! date. Space marks which copies to keep (at first: the most downloaded, then the oldest);
//! `d` deletes the copies not kept of the group under the cursor, `D` of every group, after
//! the usual delete confirmation (which says how many files and bytes). The groups are asked
//! of the runtime (`IndexEffect::Dupes`), answered with `IndexMsg::Dupes` and its ticket, and
//! asked again when a write of the TUI's reached the index (`IndexMsg::Noted`).

use super::dialog::{ConfirmForm, Dialog, Target};
use super::finder::IndexEffect;
use super::keymap::Action;
use super::msg::{Effect, Msg, Ticket};
use super::overlay::Overlay;
use super::plural::count;
use super::state::State;
use crate::text::human_bytes;
use std::collections::HashSet;

/// One copy of a duplicated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DupeCopy {
    pub id: String,
    /// The folder it is in ("/" for the root).
    pub parent: String,
    /// Its full path ("/Music/a.mp3").
    pub path: String,
    pub size: u64,
    pub downloads: Option<u64>,
    /// Unix seconds.
    pub created: Option<i64>,
    /// Kept when the group's other copies are deleted.
    pub keep: bool,
}

/// Copies of one content (one md5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DupeGroup {
    pub md5: String,
    /// The size of one copy.
    pub size: u64,
    pub copies: Vec<DupeCopy>,
}

impl DupeGroup {
    /// Bytes that deleting all copies but one would free.
    pub fn wasted(&self) -> u64 {
        self.size
            .saturating_mul((self.copies.len() as u64).saturating_sub(1))
    }

    /// The copies not kept.
    pub fn doomed(&self) -> impl Iterator<Item = &DupeCopy> {
        self.copies.iter().filter(|c| !c.keep)
    }
}

/// The answer: the groups, the most wasteful first; None without an index.
pub type DupesAnswer = Result<Option<Vec<DupeGroup>>, String>;

#[derive(Debug, Clone, Default)]
pub struct DupesView {
    pub ticket: Ticket,
    pub groups: Vec<DupeGroup>,
    /// Over every copy of every group, in order.
    pub cursor: usize,
    /// Looking, no index, no duplicates, or the error; None while there are groups.
    pub note: Option<String>,
}

impl DupesView {
    /// Every copy in order: (group, copy).
    pub fn rows(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.groups
            .iter()
            .enumerate()
            .flat_map(|(g, grp)| (0..grp.copies.len()).map(move |c| (g, c)))
    }

    /// The group and copy under the cursor.
    pub fn at_cursor(&self) -> Option<(usize, usize)> {
        self.rows().nth(self.cursor)
    }

    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.copies.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// "3 groups, 4 extra copies, 1.2 MiB wasted".
    pub fn summary(&self) -> String {
        let extra: usize = self.groups.iter().map(|g| g.copies.len().saturating_sub(1)).sum();
        let wasted: u64 = self.groups.iter().map(DupeGroup::wasted).sum();
        format!(
            "{}, {}, {} wasted",
            count(self.groups.len(), "group"),
            if extra == 1 {
                "1 extra copy".to_string()
            } else {
                format!("{extra} extra copies")
            },
            human_bytes(wasted)
        )
    }
}

/// Open the view (from anywhere), asking the index for the groups.
pub fn open(state: &mut State, fx: &mut Vec<Effect>) {
    state.overlays.open(Overlay::Dupes(DupesView::default()));
    ask(state, fx);
}

fn ask(state: &mut State, fx: &mut Vec<Effect>) {
    let ticket = state.ticket();
    let Some(v) = state.overlays.dupes_mut() else {
        return;
    };
    v.ticket = ticket;
    if v.groups.is_empty() {
        v.note = Some("looking for duplicates…".into());
    }
    fx.push(Effect::Index(IndexEffect::Dupes { ticket }));
}

/// Ask again, when the view is open (the index changed).
pub fn refresh(state: &mut State, fx: &mut Vec<Effect>) {
    if state.overlays.dupes().is_some() {
        ask(state, fx);
    }
}

pub fn on_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.dupes_mut() else {
        return;
    };
    let last = v.len().saturating_sub(1);
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_dupes();
        }
        Some(Action::Up) => v.cursor = v.cursor.saturating_sub(1),
        Some(Action::Down) => v.cursor = (v.cursor + 1).min(last),
        Some(Action::PageUp) | Some(Action::HalfPageUp) => v.cursor = v.cursor.saturating_sub(10),
        Some(Action::PageDown) | Some(Action::HalfPageDown) => v.cursor = (v.cursor + 10).min(last),
        Some(Action::Top) => v.cursor = 0,
        Some(Action::Bottom) => v.cursor = last,
        Some(Action::Select) => toggle_keep(state),
        Some(Action::Delete) => {
            let group = v.at_cursor().map(|(g, _)| g);
            confirm(state, group);
        }
        Some(Action::DeleteAllDupes) => confirm(state, None),
        Some(Action::Submit) => {
            let Some((g, c)) = v.at_cursor() else {
                return;
            };
            let copy = v.groups[g].copies[c].clone();
            state.overlays.close_dupes();
            super::nav::navigate(state, &copy.parent, fx);
            state.list.want_cursor = Some(copy.id);
        }
        _ => {}
    }
}

/// Space: keep the copy under the cursor, or not (one copy of each group is always kept).
fn toggle_keep(state: &mut State) {
    let Some(v) = state.overlays.dupes_mut() else {
        return;
    };
    let Some((g, c)) = v.at_cursor() else {
        return;
    };
    let group = &mut v.groups[g];
    let kept = group.copies.iter().filter(|c| c.keep).count();
    if group.copies[c].keep && kept <= 1 {
        state.info("one copy is always kept: mark another to keep first");
        return;
    }
    group.copies[c].keep = !group.copies[c].keep;
    v.cursor = (v.cursor + 1).min(v.len().saturating_sub(1));
}

/// The delete confirmation for the copies not kept of one group (None: of every group).
fn confirm(state: &mut State, group: Option<usize>) {
    let Some(v) = state.overlays.dupes() else {
        return;
    };
    let groups: Vec<&DupeGroup> = match group {
        Some(g) => v.groups.get(g).into_iter().collect(),
        None => v.groups.iter().collect(),
    };
    let doomed: Vec<&DupeCopy> = groups.iter().flat_map(|g| g.doomed()).collect();
    if doomed.is_empty() {
        state.info("every copy is kept: nothing to delete");
        return;
    }
    let bytes: u64 = doomed.iter().map(|c| c.size).sum();
    let targets = doomed
        .iter()
        .map(|c| Target {
            id: c.id.clone(),
            raw_name: c.path.rsplit('/').next().unwrap_or(&c.path).to_string(),
            name: c.path.clone(),
            is_folder: false,
        })
        .collect();
    let note = format!(
        "{} of {}, {} freed; the copies kept stay",
        count(doomed.len(), "file"),
        count(groups.len(), "group"),
        human_bytes(bytes)
    );
    state
        .overlays
        .open(Overlay::Dialog(Dialog::ConfirmDelete(ConfirmForm {
            targets,
            note: Some(note),
            yes: false,
            error: None,
        })));
}

/// The groups arrived (an older ticket's are dropped); the copies kept before stay kept.
pub fn answered(state: &mut State, ticket: Ticket, answer: DupesAnswer) {
    let Some(v) = state.overlays.dupes_mut() else {
        return;
    };
    if v.ticket != ticket {
        return;
    }
    match answer {
        Ok(Some(mut groups)) => {
            let kept: HashSet<&str> = v
                .groups
                .iter()
                .flat_map(|g| g.copies.iter().filter(|c| c.keep).map(|c| c.id.as_str()))
                .collect();
            for g in &mut groups {
                mark_kept(g, &kept);
            }
            v.groups = groups;
            v.cursor = v.cursor.min(v.len().saturating_sub(1));
            v.note = v
                .groups
                .is_empty()
                .then(|| "no duplicates: no two files have the same content".into());
        }
        Ok(None) => {
            v.groups.clear();
            v.note = Some(super::usage::NO_INDEX.into());
        }
        Err(e) => {
            v.groups.clear();
            v.note = Some(format!("the index cannot be read: {}", crate::text::sanitize(&e)));
        }
    }
}

/// The copies kept before, if any of the group's are still there; else the default.
fn mark_kept(g: &mut DupeGroup, kept: &HashSet<&str>) {
    if g.copies.iter().any(|c| kept.contains(c.id.as_str())) {
        for c in &mut g.copies {
            c.keep = kept.contains(c.id.as_str());
        }
    } else {
        default_keep(g);
    }
}

/// Keep the most downloaded copy; equal downloads: the oldest, then the first by path.
pub fn default_keep(g: &mut DupeGroup) {
    let best = g
        .copies
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| {
            a.downloads
                .unwrap_or(0)
                .cmp(&b.downloads.unwrap_or(0))
                .then_with(|| b.created.unwrap_or(i64::MAX).cmp(&a.created.unwrap_or(i64::MAX)))
                .then_with(|| j.cmp(i))
        })
        .map(|(i, _)| i);
    for (i, c) in g.copies.iter_mut().enumerate() {
        c.keep = Some(i) == best;
    }
}

/// Copies deleted (by this view or elsewhere) leave the view at once; a group left with one
/// copy goes.
pub fn observe(state: &mut State, msg: &Msg) {
    let Msg::Deleted {
        ids, result: Ok(_), ..
    } = msg
    else {
        return;
    };
    let Some(v) = state.overlays.dupes_mut() else {
        return;
    };
    let gone: HashSet<&str> = ids.iter().map(String::as_str).collect();
    for g in &mut v.groups {
        g.copies.retain(|c| !gone.contains(c.id.as_str()));
    }
    v.groups.retain(|g| g.copies.len() > 1);
    for g in &mut v.groups {
        if !g.copies.iter().any(|c| c.keep) {
            default_keep(g);
        }
    }
    v.cursor = v.cursor.min(v.len().saturating_sub(1));
    if v.groups.is_empty() {
        v.note = Some("no duplicates left".into());
    }
}
