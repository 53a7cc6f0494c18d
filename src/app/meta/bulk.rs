//! Work on the selection: copy the cursor file's record to the selected files (copyFileMeta for
//! each), add or remove one tag on each, delete records after a confirmation. Results are
//! reported per item.

use super::complete::Vocab;
use super::field::Field;
use super::{Prompt, fetch};
use crate::api::{FileMeta, MetaPatch};
use crate::app::dialog::{Target, yes_no};
use crate::app::finder::IndexEffect;
use crate::app::keymap::Action;
use crate::app::msg::{Effect, MetaEffect, Ticket};
use crate::app::ops;
use crate::app::overlay::Overlay;
use crate::app::plural::count;
use crate::app::state::State;
use crate::metadata::{ListField, check_new_item};
use crate::text::sanitize;
use ratatui::crossterm::event::KeyEvent;

/// What a bulk run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkKind {
    Copy { from: String },
    AddTag(String),
    RemoveTag(String),
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemOutcome {
    /// Done; the record the file now has (None: it has none).
    Done(Option<FileMeta>),
    /// Nothing to do, and why ("already has it").
    Skipped(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub id: String,
    pub outcome: ItemOutcome,
}

/// The change one file needs for a tag added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagChange {
    Create(MetaPatch, FileMeta),
    Update(MetaPatch, FileMeta),
    Skip(String),
    Fail(String),
}

/// Pure: what adding (or removing) `tag` means for a file holding `current`.
pub fn tag_change(file_id: &str, current: Option<&FileMeta>, tag: &str, add: bool) -> TagChange {
    let has = |m: &FileMeta| m.tags.iter().any(|t| t.eq_ignore_ascii_case(tag.trim()));
    match (current, add) {
        (None, true) => match check_new_item(ListField::Tags, &[], tag) {
            Ok(t) => {
                let rec = FileMeta {
                    file_id: file_id.to_string(),
                    tags: vec![t.clone()],
                    ..FileMeta::default()
                };
                let patch = MetaPatch {
                    tags: Some(vec![t]),
                    ..MetaPatch::default()
                };
                TagChange::Create(patch, rec)
            }
            Err(e) => TagChange::Fail(e),
        },
        (None, false) => TagChange::Skip("has no metadata".into()),
        (Some(m), true) if has(m) => TagChange::Skip("already has it".into()),
        (Some(m), true) => match check_new_item(ListField::Tags, &m.tags, tag) {
            Ok(t) => {
                let mut rec = m.clone();
                rec.tags.push(t);
                let patch = MetaPatch {
                    tags: Some(rec.tags.clone()),
                    ..MetaPatch::default()
                };
                TagChange::Update(patch, rec)
            }
            Err(e) => TagChange::Fail(e),
        },
        (Some(m), false) if !has(m) => TagChange::Skip("does not have it".into()),
        (Some(m), false) => {
            let mut rec = m.clone();
            rec.tags.retain(|t| !t.eq_ignore_ascii_case(tag.trim()));
            let patch = MetaPatch {
                tags: Some(rec.tags.clone()),
                ..MetaPatch::default()
            };
            TagChange::Update(patch, rec)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    /// Copy this file's record (id, name, record) to the targets.
    Copy {
        from: String,
        name: String,
        record: Box<FileMeta>,
    },
    Delete,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub kind: ConfirmKind,
    pub targets: Vec<Target>,
    /// The focused button: true on the action.
    pub yes: bool,
}

#[derive(Debug, Clone)]
pub struct TagPrompt {
    pub add: bool,
    pub targets: Vec<Target>,
    pub input: Field,
    pub pick: Option<usize>,
    pub error: Option<String>,
}

/// The files among the selection (or the cursor's row).
fn file_targets(state: &State) -> Vec<Target> {
    ops::targets(state).into_iter().filter(|t| !t.is_folder).collect()
}

/// A copy asked for before the source's record was known: it goes on when the record comes,
/// unless the cursor left the source or the selection changed (Esc) meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingCopy {
    pub from: String,
    /// The selected ids when it was asked for.
    pub selection: Vec<String>,
}

/// The records of `ids` came (or failed, `error`): a copy waiting for one of them goes on, or
/// says why it cannot.
pub fn copy_source_loaded(state: &mut State, ids: &[String], error: Option<&str>, fx: &mut Vec<Effect>) {
    let Some(w) = state.meta.copy_waiting.take_if(|w| ids.contains(&w.from)) else {
        return;
    };
    let still = state.list.current().is_some_and(|e| e.item.id == w.from)
        && state.list.selected_in_order() == w.selection
        && state.overlays.prompt().is_none();
    if !still {
        return;
    }
    match error {
        Some(e) => state.error(format!("cannot copy: the metadata did not load: {e}")),
        None => start_copy(state, fx),
    }
}

pub fn start_copy(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(src) = state.list.current().filter(|e| !e.is_folder()) else {
        state.info("put the cursor on the file whose metadata should be copied");
        return;
    };
    let (from, name) = (src.item.id.clone(), src.name.clone());
    // The selection (never the cursor's row alone: that is the source).
    let targets: Vec<Target> = if state.list.selected.is_empty() {
        Vec::new()
    } else {
        file_targets(state).into_iter().filter(|t| t.id != from).collect()
    };
    if targets.is_empty() {
        state.info(format!("select the files that should get the metadata of {name}"));
        return;
    }
    let record = match state.meta.cache.get(&from) {
        Some(Some(m)) => Box::new(m.clone()),
        Some(None) => {
            state.info(format!("{name} has no metadata to copy"));
            return;
        }
        None => {
            fetch::ensure(state, &from, fx);
            state.meta.copy_waiting = Some(WaitingCopy {
                from,
                selection: state.list.selected_in_order(),
            });
            state.info(format!(
                "loading the metadata of {name}; the copy goes on once it is here (Esc cancels)"
            ));
            return;
        }
    };
    state.overlays.open(Overlay::Meta(Prompt::Confirm(Confirm {
        kind: ConfirmKind::Copy { from, name, record },
        targets,
        yes: false,
    })));
}

pub fn start_delete(state: &mut State) {
    let targets = file_targets(state);
    if targets.is_empty() {
        state.info("no file here to act on");
        return;
    }
    state.overlays.open(Overlay::Meta(Prompt::Confirm(Confirm {
        kind: ConfirmKind::Delete,
        targets,
        yes: false,
    })));
}

pub fn start_tag(state: &mut State, add: bool, fx: &mut Vec<Effect>) {
    let targets = file_targets(state);
    if targets.is_empty() {
        state.info("no file here to act on");
        return;
    }
    fetch::start_scan(state, fx);
    state.overlays.open(Overlay::Meta(Prompt::Tag(TagPrompt {
        add,
        targets,
        input: Field::default(),
        pick: None,
        error: None,
    })));
}

/// Keys of the confirmation.
pub fn confirm_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let Some(Prompt::Confirm(c)) = state.overlays.prompt_mut() else {
        return;
    };
    let Some(go) = yes_no(&mut c.yes, a) else {
        return;
    };
    let Some(Prompt::Confirm(c)) = state.overlays.close_prompt() else {
        return;
    };
    if !go {
        state.info("nothing changed");
        return;
    }
    let ids: Vec<String> = c.targets.into_iter().map(|t| t.id).collect();
    for id in &ids {
        state.meta.pending.remove(id);
    }
    let ticket = state.track();
    match c.kind {
        ConfirmKind::Copy { from, name, record } => {
            state.info(format!(
                "copying the metadata of {name} to {} …",
                count(ids.len(), "file")
            ));
            fx.push(Effect::Meta(MetaEffect::Copy {
                ticket,
                from,
                to: ids,
                record,
            }));
        }
        ConfirmKind::Delete => {
            state.info(format!("deleting the metadata of {} …", count(ids.len(), "file")));
            fx.push(Effect::Meta(MetaEffect::Delete { ticket, ids }));
        }
    }
}

pub fn tag_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let vocab: &Vocab = &state.meta.vocab;
    let Some(Prompt::Tag(p)) = state.overlays.prompt_mut() else {
        return;
    };
    let cands = vocab.candidates(ListField::Tags, p.input.value(), &[]);
    p.error = None;
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_prompt();
            return;
        }
        Some(Action::Submit) => {}
        Some(Action::Down) if !cands.is_empty() => {
            p.pick = Some(p.pick.map_or(0, |i| (i + 1).min(cands.len() - 1)));
            return;
        }
        Some(Action::Up) => {
            p.pick = p.pick.and_then(|i| i.checked_sub(1));
            return;
        }
        Some(Action::Complete) if !cands.is_empty() => {
            p.input.set(&cands[p.pick.unwrap_or(0).min(cands.len() - 1)]);
            p.pick = None;
            return;
        }
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
            return;
        }
    }
    // Enter: the tag must be one a list could hold.
    let tag = match check_new_item(ListField::Tags, &[], p.input.value()) {
        Ok(t) => t,
        Err(why) => {
            p.error = Some(why.clone());
            state.error(why);
            return;
        }
    };
    let Some(Prompt::Tag(p)) = state.overlays.close_prompt() else {
        return;
    };
    let ids: Vec<String> = p.targets.into_iter().map(|t| t.id).collect();
    for id in &ids {
        state.meta.pending.remove(id);
    }
    let ticket = state.track();
    state.info(format!(
        "{} tag {:?} {} {} …",
        if p.add { "adding" } else { "removing" },
        sanitize(&tag),
        if p.add { "to" } else { "from" },
        count(ids.len(), "file")
    ));
    fx.push(Effect::Meta(MetaEffect::Tag {
        ticket,
        ids,
        tag,
        add: p.add,
    }));
}

/// Per-item results: the records learnt, one line saying what was done and what failed.
/// The records the files now have go to the account index too (`IndexEffect::NoteMeta`).
pub fn on_bulk(
    state: &mut State,
    ticket: Ticket,
    kind: BulkKind,
    items: Vec<BulkItem>,
    fx: &mut Vec<Effect>,
) {
    state.answered(ticket);
    let mut done = 0;
    let mut skipped: Vec<String> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    let (mut records, mut removed) = (Vec::new(), Vec::new());
    for it in items {
        let name = state
            .list
            .get(&it.id)
            .map_or_else(|| it.id.clone(), |e| e.name.clone());
        match it.outcome {
            ItemOutcome::Done(rec) => {
                done += 1;
                state.meta.pending.remove(&it.id);
                match &rec {
                    Some(m) => records.push(FileMeta {
                        file_id: it.id.clone(),
                        ..m.clone()
                    }),
                    None => removed.push(it.id.clone()),
                }
                fetch::remember(state, &it.id, rec);
            }
            ItemOutcome::Skipped(why) => {
                if kind == BulkKind::Delete {
                    fetch::remember(state, &it.id, None);
                    removed.push(it.id.clone());
                }
                skipped.push(format!("{name}: {}", sanitize(&why)));
            }
            ItemOutcome::Failed(why) => failed.push(format!("{name}: {}", sanitize(&why))),
        }
    }
    if !records.is_empty() || !removed.is_empty() {
        fx.push(Effect::Index(IndexEffect::NoteMeta { records, removed }));
    }
    let what = match &kind {
        BulkKind::Copy { from } => {
            let src = state
                .list
                .get(from)
                .map_or_else(|| from.clone(), |e| e.name.clone());
            format!("copied the metadata of {src} to {}", count(done, "file"))
        }
        BulkKind::AddTag(t) => format!("added tag {:?} to {}", sanitize(t), count(done, "file")),
        BulkKind::RemoveTag(t) => format!("removed tag {:?} from {}", sanitize(t), count(done, "file")),
        BulkKind::Delete => format!("deleted the metadata of {}", count(done, "file")),
    };
    let mut text = what;
    if !skipped.is_empty() {
        text.push_str(&format!("; skipped {}", skipped.join(" | ")));
    }
    if failed.is_empty() {
        state.success(text);
    } else {
        state.error(format!("{text}; failed: {}", failed.join(" | ")));
    }
}
