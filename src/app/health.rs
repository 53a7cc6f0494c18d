//! The health view (`Alt-h`): the files of the account in trouble, from the local index, in
//! sections (blocked, gone from storage, unavailable, never downloaded, not downloaded for N
//! days), each with its count. Tab and BackTab switch sections, `+` and `-` change N a step,
//! `n` asks for N (a prompt on the overlay stack, [`DaysPrompt`]), Space marks, `a` marks the whole section, `d` deletes the marked (or the highlighted) after the
//! usual question, `y` copies their links, Enter opens the file's folder on it. The files are
//! asked of the runtime (`IndexEffect::Health`), answered with `IndexMsg::Health` and its ticket.

use super::dialog::{ConfirmForm, Dialog, Target, input_key, input_paste};
use super::finder::IndexEffect;
use super::keymap::Action;
use super::msg::{Effect, Ticket};
use super::overlay::Overlay;
use super::state::State;
pub use crate::index::query::Problem;
use ratatui::crossterm::event::KeyEvent;
use std::collections::BTreeSet;
use tui_input::Input;

/// Days without a download after which a file counts as inactive, as `k2s health` has it
/// (config `[index] inactive_days`).
pub const DEFAULT_INACTIVE_DAYS: u64 = 60;

/// The limits of N, typed or in the config.
pub const INACTIVE_DAYS_RANGE: std::ops::RangeInclusive<u64> = 1..=3650;

/// The steps `+` and `-` move the inactive limit along.
pub const DAY_STEPS: &[u64] = &[7, 14, 30, 60, 90, 180, 365];

/// The sections, in their order on screen.
pub const SECTIONS: &[Problem] = &[
    Problem::Blocked,
    Problem::Gone,
    Problem::Unavailable,
    Problem::NeverDownloaded,
    Problem::Inactive,
];

/// One file in trouble, as the view shows it (names already made safe).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthFile {
    pub problem: Problem,
    pub id: String,
    /// The folder it is in ("/" for the root).
    pub parent: String,
    /// The name as the server has it (for requests and links).
    pub raw_name: String,
    pub path: String,
    pub size: Option<u64>,
    pub downloads: Option<u64>,
    /// Unix seconds.
    pub last_download: Option<i64>,
    /// Unix seconds.
    pub created: Option<i64>,
}

/// At most this many files of each section are held and shown; the counts are of all of them
/// (`k2s health` lists every one).
pub const KEPT_PER_SECTION: usize = 1_000;

/// The files in trouble held (at most [`KEPT_PER_SECTION`] of each section) and the count of
/// all of each section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthList {
    pub files: Vec<HealthFile>,
    pub totals: Vec<(Problem, usize)>,
}

/// Every file held: the counts are theirs.
impl From<Vec<HealthFile>> for HealthList {
    fn from(files: Vec<HealthFile>) -> HealthList {
        let totals = SECTIONS
            .iter()
            .map(|p| (*p, files.iter().filter(|f| f.problem == *p).count()))
            .collect();
        HealthList { files, totals }
    }
}

/// The answer: the files in trouble; None without an index.
pub type HealthAnswer = Result<Option<HealthList>, String>;

#[derive(Debug, Clone)]
pub struct HealthView {
    pub ticket: Ticket,
    pub days: u64,
    pub files: Vec<HealthFile>,
    /// The count of all the files of each section (more than are held when a section is long).
    pub totals: Vec<(Problem, usize)>,
    /// Into `SECTIONS`.
    pub section: usize,
    /// Over the files of the section.
    pub cursor: usize,
    /// Marked file ids (of any section).
    pub marked: BTreeSet<String>,
    /// Loading, no index, or the error; None once the files are in.
    pub note: Option<String>,
    /// There is no index yet: Enter builds it.
    pub no_index: bool,
}

impl HealthView {
    pub fn new(days: u64) -> HealthView {
        HealthView {
            ticket: 0,
            days,
            files: Vec::new(),
            totals: Vec::new(),
            section: 0,
            cursor: 0,
            marked: BTreeSet::new(),
            note: None,
            no_index: false,
        }
    }

    pub fn problem(&self) -> Problem {
        SECTIONS[self.section.min(SECTIONS.len() - 1)]
    }

    /// The files of one section.
    pub fn of(&self, p: Problem) -> impl Iterator<Item = &HealthFile> {
        self.files.iter().filter(move |f| f.problem == p)
    }

    /// The files of the section shown.
    pub fn shown(&self) -> Vec<&HealthFile> {
        self.of(self.problem()).collect()
    }

    /// How many files the section has (held or not).
    pub fn count(&self, p: Problem) -> usize {
        self.totals
            .iter()
            .find(|(q, _)| *q == p)
            .map_or_else(|| self.of(p).count(), |(_, n)| *n)
    }

    /// What `d` and `y` act on: the marked files of the section, else the highlighted one.
    pub fn targets(&self) -> Vec<&HealthFile> {
        let shown = self.shown();
        let marked: Vec<&HealthFile> = shown
            .iter()
            .copied()
            .filter(|f| self.marked.contains(&f.id))
            .collect();
        if !marked.is_empty() {
            return marked;
        }
        shown.get(self.cursor).copied().into_iter().collect()
    }
}

/// The section's name on screen.
pub fn title(p: Problem, days: u64) -> String {
    match p {
        Problem::Inactive => format!("not downloaded for {days} days"),
        other => other.label().to_string(),
    }
}

/// Open the view, with the limit of the config (the last one set while k2s runs).
pub fn open(state: &mut State, fx: &mut Vec<Effect>) {
    let days = state.settings.inactive_days;
    state.overlays.open(Overlay::Health(HealthView::new(days)));
    ask(state, fx);
}

/// Ask for the files again (a new ticket: an older answer is dropped).
pub fn ask(state: &mut State, fx: &mut Vec<Effect>) {
    let ticket = state.ticket();
    let Some(v) = state.overlays.health_mut() else {
        return;
    };
    v.ticket = ticket;
    v.note = Some("looking…".into());
    let days = v.days;
    fx.push(Effect::Index(IndexEffect::Health { ticket, days }));
}

pub fn on_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let building = state.index_crawl.is_some();
    let Some(v) = state.overlays.health_mut() else {
        return;
    };
    let last = v.shown().len().saturating_sub(1);
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_health();
        }
        Some(Action::Up) => v.cursor = v.cursor.saturating_sub(1),
        Some(Action::Down) => v.cursor = (v.cursor + 1).min(last),
        Some(Action::PageUp | Action::HalfPageUp) => v.cursor = v.cursor.saturating_sub(10),
        Some(Action::PageDown | Action::HalfPageDown) => v.cursor = (v.cursor + 10).min(last),
        Some(Action::Top) => v.cursor = 0,
        Some(Action::Bottom) => v.cursor = last,
        Some(Action::NextField) => switch(v, 1),
        Some(Action::PrevField) => switch(v, SECTIONS.len() - 1),
        Some(Action::Select) => {
            if let Some(id) = v.shown().get(v.cursor).map(|f| f.id.clone())
                && !v.marked.remove(&id)
            {
                v.marked.insert(id);
            }
            v.cursor = (v.cursor + 1).min(last);
        }
        Some(Action::SelectAll) => {
            let ids: Vec<String> = v.shown().iter().map(|f| f.id.clone()).collect();
            if ids.iter().all(|id| v.marked.contains(id)) {
                ids.iter().for_each(|id| {
                    v.marked.remove(id);
                });
            } else {
                v.marked.extend(ids);
            }
        }
        Some(Action::SetDays) => open_days(state),
        Some(Action::MoreDays) => step_days(state, true, fx),
        Some(Action::FewerDays) => step_days(state, false, fx),
        Some(Action::Refresh) => ask(state, fx),
        Some(Action::Submit) if v.no_index && !building => {
            fx.push(Effect::Index(IndexEffect::Build));
            v.note = Some("building the index in the background…".into());
            state.info("building the index in the background…");
        }
        // Being built already: its end asks again.
        Some(Action::Submit) if v.no_index => {}
        Some(Action::Submit) => go_to(state, fx),
        Some(Action::Delete) => delete(state),
        Some(Action::CopyLinks) => copy(state, fx),
        _ => {}
    }
}

fn switch(v: &mut HealthView, by: usize) {
    v.section = (v.section + by) % SECTIONS.len();
    v.cursor = 0;
}

/// The inactive limit one step up or down, and the files asked for again.
fn step_days(state: &mut State, up: bool, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.health_mut() else {
        return;
    };
    let next = if up {
        DAY_STEPS.iter().copied().find(|d| *d > v.days)
    } else {
        DAY_STEPS.iter().rev().copied().find(|d| *d < v.days)
    };
    let Some(days) = next else {
        return;
    };
    set_days(state, days, fx);
}

/// A new inactive limit: kept for the next opening, and the files asked for again.
fn set_days(state: &mut State, days: u64, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.health_mut() else {
        return;
    };
    v.days = days;
    state.settings.inactive_days = days;
    ask(state, fx);
}

/// The prompt for the inactive limit, on the overlay stack above the view.
#[derive(Debug, Clone, Default)]
pub struct DaysPrompt {
    pub input: Input,
    pub error: Option<String>,
}

/// The question the prompt asks.
pub const DAYS_QUESTION: &str = "Inactive for how many days?";

/// A typed limit, if it is a whole number of days in [`INACTIVE_DAYS_RANGE`].
pub fn parse_days(text: &str) -> Result<u64, String> {
    let (lo, hi) = (INACTIVE_DAYS_RANGE.start(), INACTIVE_DAYS_RANGE.end());
    let why = || format!("type a whole number of days from {lo} to {hi}");
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(why());
    }
    match t.parse::<u64>() {
        Ok(n) if INACTIVE_DAYS_RANGE.contains(&n) => Ok(n),
        _ => Err(why()),
    }
}

/// `n`: ask for the limit, the current one typed in.
fn open_days(state: &mut State) {
    let days = state
        .overlays
        .health()
        .map_or(state.settings.inactive_days, |v| v.days);
    let prompt = DaysPrompt {
        input: Input::new(days.to_string()),
        error: None,
    };
    state.overlays.open(Overlay::HealthDays(prompt));
}

/// Keys of the prompt: Enter sets the limit typed (the view asks again), Esc keeps the old one.
pub fn days_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(p) = state.overlays.health_days_mut() else {
        return;
    };
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_health_days();
        }
        Some(Action::Submit) => match parse_days(p.input.value()) {
            Ok(days) => {
                state.overlays.close_health_days();
                if state.overlays.health().is_some_and(|v| v.days != days) {
                    set_days(state, days, fx);
                }
            }
            Err(why) => p.error = Some(why),
        },
        _ => {
            if input_key(&mut p.input, key) {
                p.error = None;
            }
        }
    }
}

/// Pasted text goes into the prompt (digits are all it takes; the rest is refused at Enter).
pub fn days_paste(state: &mut State, text: &str) {
    if let Some(p) = state.overlays.health_days_mut() {
        input_paste(&mut p.input, text);
        p.error = None;
    }
}

fn target_list(state: &State) -> Vec<Target> {
    state.overlays.health().map_or_else(Vec::new, |v| {
        v.targets()
            .into_iter()
            .map(|f| Target {
                id: f.id.clone(),
                raw_name: f.raw_name.clone(),
                name: crate::text::sanitize(&f.raw_name),
                is_folder: false,
            })
            .collect()
    })
}

/// The usual question, then the usual delete (its API call and index hooks).
fn delete(state: &mut State) {
    let targets = target_list(state);
    if targets.is_empty() {
        state.info("nothing here to delete");
        return;
    }
    state
        .overlays
        .open(Overlay::Dialog(Dialog::ConfirmDelete(ConfirmForm {
            targets,
            yes: false,
            error: None,
            note: None,
        })));
}

fn copy(state: &mut State, fx: &mut Vec<Effect>) {
    let targets = target_list(state);
    if targets.is_empty() {
        state.info("nothing here to copy");
        return;
    }
    super::link_menu::copy_default(state, &targets, fx);
}

/// Open the highlighted file's folder in the browser, the cursor on the file.
fn go_to(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.health() else {
        return;
    };
    let Some((id, parent)) = v.shown().get(v.cursor).map(|f| (f.id.clone(), f.parent.clone())) else {
        return;
    };
    state.overlays.close_health();
    super::nav::navigate(state, &parent, fx);
    state.list.want_cursor = Some(id);
}

/// The files arrived (an older ticket's are dropped).
pub fn answered(state: &mut State, ticket: Ticket, answer: HealthAnswer) {
    let Some(v) = state.overlays.health_mut() else {
        return;
    };
    if v.ticket != ticket {
        return;
    }
    v.no_index = false;
    match answer {
        Ok(Some(list)) => {
            v.files = list.files;
            v.totals = list.totals;
            v.marked.retain(|id| v.files.iter().any(|f| &f.id == id));
            v.cursor = v.cursor.min(v.shown().len().saturating_sub(1));
            v.note = None;
        }
        Ok(None) => {
            v.files.clear();
            v.totals.clear();
            v.no_index = true;
            v.note = Some("no index of this account yet: Enter builds it (or `k2s index`)".into());
        }
        Err(e) => {
            v.files.clear();
            v.totals.clear();
            v.note = Some(format!("the index cannot be read: {}", crate::text::sanitize(&e)));
        }
    }
}

/// A delete finished: the files gone leave the view; a partial one asks again.
pub fn deleted(state: &mut State, ids: &[String], done: Option<u64>, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.health_mut() else {
        return;
    };
    match done {
        Some(n) if n as usize >= ids.len() => {
            for f in v.files.iter().filter(|f| ids.contains(&f.id)) {
                if let Some((_, n)) = v.totals.iter_mut().find(|(q, _)| *q == f.problem) {
                    *n = n.saturating_sub(1);
                }
            }
            v.files.retain(|f| !ids.contains(&f.id));
            v.marked.retain(|id| !ids.contains(id));
            v.cursor = v.cursor.min(v.shown().len().saturating_sub(1));
        }
        Some(_) => ask(state, fx),
        None => {}
    }
}

/// The index was built (or its crawl stopped): ask again if the view is open.
pub fn rebuilt(state: &mut State, fx: &mut Vec<Effect>) {
    if state.overlays.health().is_some() {
        ask(state, fx);
    }
}
