//! The metadata side of the TUI: the records of files (loaded when the cursor
//! settles, cached), the editor (in the metadata pane, or in place in a row for the title or
//! the tags), saving, bulk work on the selection, completion and the server-side filter.
//! Pure like the rest of `app`: requests leave as `Effect::Meta`, answers come as `Msg::Meta`.

mod bulk;
mod chips;
mod complete;
mod editor;
mod fetch;
mod field;
mod find;
mod keys;
mod save;
mod text_area;

pub use bulk::{
    BulkItem, BulkKind, Confirm, ConfirmKind, ItemOutcome, TagChange, TagPrompt, WaitingCopy, tag_change,
};
pub use chips::{ChipKey, ChipList};
pub use complete::{Scan, Vocab};
pub use editor::{EdKey, Editor, Focus, Mode};
pub use fetch::{LOAD_BATCH, SETTLE, after_update};
pub use field::Field;
pub use find::found_key;
pub use find::{FIND_PAGE, FindPrompt, Found, FoundPage, FoundRow};
pub use keys::{editor_key, editor_paste, on_key, on_paste};
pub use text_area::TextArea;

use super::keymap::Action;
use super::msg::{Effect, MetaMsg};
use super::state::{Pane, State};
use crate::api::FileMeta;
use std::collections::HashMap;

/// A question or a one-line prompt of the metadata side.
#[derive(Debug, Clone)]
pub enum Prompt {
    /// Copy metadata to the selection, or delete it.
    Confirm(Confirm),
    /// A tag to add to (or remove from) the selection.
    Tag(TagPrompt),
    /// The server-side filter.
    Find(FindPrompt),
}

#[derive(Debug, Clone, Default)]
pub struct MetaState {
    /// Records by file id; `None`: the file has no metadata.
    pub cache: HashMap<String, Option<FileMeta>>,
    /// Loads on their way: id -> the ticket that will answer it.
    pub pending: HashMap<String, super::msg::Ticket>,
    /// Why a record could not be loaded (R asks again).
    pub errors: HashMap<String, String>,
    pub editor: Option<Editor>,
    /// Editors closed while their save was on its way, or whose save failed.
    pub drafts: HashMap<String, Editor>,
    pub vocab: Vocab,
    pub scan: Scan,
    /// Title and tags columns in the file list.
    pub columns: bool,
    /// A copy (`p`) waiting for its source's record.
    pub copy_waiting: Option<bulk::WaitingCopy>,
    /// Server-side filter results, shown in place of the list.
    pub found: Option<Found>,
    /// Lines the pane's view is scrolled by.
    pub scroll: usize,
    settle_key: Option<(String, usize, bool, bool, usize)>,
    settle_gen: u64,
    settle_armed: bool,
}

impl MetaState {
    /// The record of a file: Some(None) when it has none, None when not known yet.
    pub fn record(&self, id: &str) -> Option<Option<&FileMeta>> {
        self.cache.get(id).map(Option::as_ref)
    }

    /// A save of this file is on its way.
    pub fn saving(&self, id: &str) -> bool {
        self.drafts.get(id).is_some_and(|d| d.saving.is_some())
            || self
                .editor
                .as_ref()
                .is_some_and(|e| e.file_id == id && e.saving.is_some())
    }
}

/// Run a metadata action from the keymap (outside text entry).
pub fn act(state: &mut State, a: Action, fx: &mut Vec<Effect>) {
    match a {
        Action::MetaPane => {
            state.panes.metadata = !state.panes.metadata;
            state.meta.scroll = 0;
            if !state.panes.metadata && state.focus == Pane::Meta {
                state.focus = Pane::Files;
            } else if state.panes.metadata && state.size.0 < crate::app::layout::WIDE {
                state.focus = Pane::Meta;
            }
        }
        Action::EditMeta => keys::open(state, Mode::Pane, fx),
        Action::EditTitle => keys::open(state, Mode::InlineTitle, fx),
        Action::EditTags => keys::open(state, Mode::InlineTags, fx),
        Action::MetaColumns => {
            state.meta.columns = !state.meta.columns;
            state.info(if state.meta.columns {
                "title and tags columns on"
            } else {
                "title and tags columns off"
            });
        }
        Action::MetaFind => find::start(state, fx),
        Action::MetaApply => bulk::start_copy(state, fx),
        Action::TagAdd => bulk::start_tag(state, true, fx),
        Action::TagRemove => bulk::start_tag(state, false, fx),
        Action::MetaDelete => bulk::start_delete(state),
        Action::MetaUndo | Action::MetaSave => state.info("no metadata editor is open"),
        _ => {}
    }
}

/// Keys of the metadata pane when it has the focus (and no editor): true when used.
pub fn pane_action(state: &mut State, a: Action, fx: &mut Vec<Effect>) -> bool {
    if state.focus != Pane::Meta {
        return false;
    }
    match a {
        Action::Open => keys::open(state, Mode::Pane, fx),
        Action::Parent => state.focus = Pane::Files,
        Action::Down => state.meta.scroll = state.meta.scroll.saturating_add(1).min(500),
        Action::Up => state.meta.scroll = state.meta.scroll.saturating_sub(1),
        Action::Top => state.meta.scroll = 0,
        _ => return false,
    }
    true
}

/// R: records are loaded again.
pub fn on_refresh(state: &mut State) {
    fetch::on_refresh(state);
}

pub fn on_msg(state: &mut State, m: MetaMsg, fx: &mut Vec<Effect>) {
    match m {
        MetaMsg::Settled(g) => fetch::on_settled(state, g, fx),
        MetaMsg::Loaded { ticket, ids, result } => fetch::on_loaded(state, ticket, ids, result, fx),
        MetaMsg::Saved {
            ticket,
            file_id,
            sent,
            result,
        } => save::on_saved(state, ticket, file_id, *sent, result, fx),
        MetaMsg::Scanned { page, result } => fetch::on_scanned(state, page, result, fx),
        MetaMsg::Bulk { ticket, kind, items } => bulk::on_bulk(state, ticket, kind, items, fx),
        MetaMsg::Found { ticket, page, result } => find::on_found(state, ticket, page, result, fx),
    }
}
