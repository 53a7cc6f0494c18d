//! The global fuzzy finder (`Ctrl-p`): a name typed is matched against every file and folder
//! of the account in the local index, best first, each with its path; Enter opens the folder
//! of the match with the cursor on it. The query runs in the runtime (`IndexEffect::Find`),
//! answered with `IndexMsg::Found` carrying the ticket of the query, so that an answer to an
//! older query is dropped. Without an index the finder says so and Enter builds one in the
//! background (`IndexEffect::Build`, progress in the status bar).

use super::keymap::Action;
use super::meta::Field;
use super::msg::{Effect, Msg, Ticket};
use super::overlay::Overlay;
use super::state::State;
use ratatui::crossterm::event::KeyEvent;

/// Matches asked for per query.
pub const LIMIT: usize = 200;

/// One match, as the finder shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinderHit {
    pub id: String,
    /// The folder it is in.
    pub parent: String,
    pub name: String,
    /// Its full path ("/Music/a.mp3").
    pub path: String,
    pub is_folder: bool,
    pub size: Option<u64>,
}

/// What the finder knows of the index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FinderStatus {
    /// Nothing asked yet (an empty query).
    #[default]
    Idle,
    Searching,
    Ready,
    /// This account has no index yet: Enter builds it.
    NoIndex,
    /// A crawl runs in the background.
    Building,
    Failed(String),
}

#[derive(Debug, Clone, Default)]
pub struct Finder {
    pub query: Field,
    /// The ticket of the last query sent; answers for other tickets are old.
    pub ticket: Ticket,
    pub hits: Vec<FinderHit>,
    pub cursor: usize,
    pub status: FinderStatus,
}

/// Work on the account index, for the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexEffect {
    /// The best `LIMIT` fuzzy matches of the query; answered with `IndexMsg::Found`.
    Find { ticket: Ticket, query: String },
    /// Build (or finish) the index in the background; answered with `IndexMsg::Progress`
    /// while it runs and `IndexMsg::Built` at the end.
    Build,
    /// A folder's totals and its folders' (the usage view); answered with `IndexMsg::Usage`.
    Usage { ticket: Ticket, folder: String },
    /// Every group of same-md5 files (the duplicates view); answered with `IndexMsg::Dupes`.
    Dupes { ticket: Ticket },
    /// The files in trouble (the health view); answered with `IndexMsg::Health`.
    Health { ticket: Ticket, days: u64 },
    /// Metadata the TUI learnt outside single loads and saves (a bulk run, the files a
    /// metadata search found): these records' titles and tags, and `removed`'s emptied, in the
    /// index when there is one; told with `IndexMsg::Noted`.
    NoteMeta {
        records: Vec<crate::api::FileMeta>,
        removed: Vec<String>,
    },
}

/// The answer to a finder query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Hits(Vec<FinderHit>),
    NoIndex,
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum IndexMsg {
    Found {
        ticket: Ticket,
        found: Found,
    },
    Progress(crate::index::Progress),
    /// The crawl ended: (folders, files) indexed, or why it stopped.
    Built(Result<(u64, u64), String>),
    Usage {
        ticket: Ticket,
        answer: super::usage::UsageAnswer,
    },
    Dupes {
        ticket: Ticket,
        answer: super::dupes::DupesAnswer,
    },
    /// A write of the TUI's reached the index: the views built on it ask again.
    Noted,
    /// What was done with an unusable old index file (set aside, rebuilt, migrated).
    Notice(String),
    Health {
        ticket: Ticket,
        answer: super::health::HealthAnswer,
    },
}

/// Open the finder (an empty query: the index is asked whether it exists).
pub fn open(state: &mut State, fx: &mut Vec<Effect>) {
    state.overlays.open(Overlay::Finder(Finder::default()));
    ask(state, fx);
}

/// Send the query typed (a new ticket: the answer to the one before is dropped).
fn ask(state: &mut State, fx: &mut Vec<Effect>) {
    let ticket = state.ticket();
    let crawling = state.index_crawl.is_some();
    let Some(f) = state.overlays.finder_mut() else {
        return;
    };
    f.ticket = ticket;
    if !matches!(f.status, FinderStatus::NoIndex) || !crawling {
        f.status = FinderStatus::Searching;
    }
    let query = f.query.value().to_string();
    fx.push(Effect::Index(IndexEffect::Find { ticket, query }));
}

pub fn on_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let building = state.index_crawl.is_some();
    let Some(f) = state.overlays.finder_mut() else {
        return;
    };
    let last = f.hits.len().saturating_sub(1);
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_finder();
        }
        Some(Action::Up) => f.cursor = f.cursor.saturating_sub(1),
        Some(Action::Down) => f.cursor = (f.cursor + 1).min(last),
        Some(Action::PageUp) => f.cursor = f.cursor.saturating_sub(10),
        Some(Action::PageDown) => f.cursor = (f.cursor + 10).min(last),
        Some(Action::Submit) => {
            if f.status == FinderStatus::NoIndex {
                if !building {
                    f.status = FinderStatus::Building;
                    fx.push(Effect::Index(IndexEffect::Build));
                    state.info("building the index in the background…");
                }
                return;
            }
            let Some(hit) = f.hits.get(f.cursor).cloned() else {
                return;
            };
            state.overlays.close_finder();
            go_to(state, &hit, fx);
        }
        _ => {
            let before = f.query.value().to_string();
            if f.query.key(key) && f.query.value() != before {
                ask(state, fx);
            }
        }
    }
}

pub fn on_paste(state: &mut State, raw: &str, fx: &mut Vec<Effect>) {
    if let Some(f) = state.overlays.finder_mut() {
        f.query
            .paste(&crate::text::sanitize(raw).replace(['\n', '\r'], " "));
        ask(state, fx);
    }
}

/// Open the folder of the match (a folder: the folder itself) with the cursor on it.
fn go_to(state: &mut State, hit: &FinderHit, fx: &mut Vec<Effect>) {
    if hit.is_folder {
        super::nav::navigate(state, &hit.id, fx);
    } else {
        super::nav::navigate(state, &hit.parent, fx);
        state.list.want_cursor = Some(hit.id.clone());
    }
}

/// A message of the index side.
pub fn on_msg(state: &mut State, msg: IndexMsg, fx: &mut Vec<Effect>) {
    match msg {
        IndexMsg::Found { ticket, found } => found_answer(state, ticket, found),
        IndexMsg::Progress(p) => state.index_crawl = Some(p),
        IndexMsg::Usage { ticket, answer } => super::usage::answered(state, ticket, answer),
        IndexMsg::Dupes { ticket, answer } => super::dupes::answered(state, ticket, answer),
        IndexMsg::Noted => {
            super::usage::refresh(state, fx);
            super::dupes::refresh(state, fx);
        }
        IndexMsg::Health { ticket, answer } => super::health::answered(state, ticket, answer),
        IndexMsg::Notice(text) => state.info(crate::text::sanitize(&text)),
        IndexMsg::Built(r) => {
            state.index_crawl = None;
            match r {
                Ok((folders, files)) => {
                    state.info(format!("the index is built: {folders} folders, {files} files"));
                }
                Err(e) => state.error(format!("the index crawl stopped: {}", crate::text::sanitize(&e))),
            }
            if state.overlays.finder().is_some() {
                ask(state, fx);
            }
            super::health::rebuilt(state, fx);
        }
    }
}

fn found_answer(state: &mut State, ticket: Ticket, found: Found) {
    let building = state.index_crawl.is_some();
    let Some(f) = state.overlays.finder_mut() else {
        return;
    };
    if f.ticket != ticket {
        return;
    }
    match found {
        Found::Hits(hits) => {
            f.hits = hits;
            f.cursor = 0;
            f.status = if f.query.is_empty() {
                FinderStatus::Idle
            } else {
                FinderStatus::Ready
            };
        }
        Found::NoIndex => {
            f.hits.clear();
            f.cursor = 0;
            f.status = if building {
                FinderStatus::Building
            } else {
                FinderStatus::NoIndex
            };
        }
        Found::Failed(e) => {
            f.hits.clear();
            f.status = FinderStatus::Failed(crate::text::sanitize(&e));
        }
    }
}

/// A message for the update loop.
pub fn msg(m: IndexMsg) -> Msg {
    Msg::Index(m)
}
