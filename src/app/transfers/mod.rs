//! The transfer pane's side of the app: rows kept from engine events, the keys of
//! the pane, and the upload / remote upload / captcha / quit dialogs. Pure, like the rest of
//! `app`: the runtime (`tui::transfer_effects`) runs the engine and answers with `TransferMsg`.

pub mod complete;
pub mod forms;
pub mod msg;
pub mod paths;
pub mod rows;
pub mod story;

pub use forms::Form;
pub use msg::{CaptchaPrompt, Command, Picture, TransferEffect, TransferMsg};
pub use rows::{Rows, Totals};

use super::keymap::Action;
use super::msg::{CopyLabel, Effect};
use super::plural::count;
use super::state::{Pane, Screen, State};
use crate::app::layout::{self, Areas};
use crate::app::overlay::Overlay;
use crate::transfer::{Outcome, Spec, State as TState, TransferView};
use forms::{CaptchaForm, QuitForm, RemoteForm, UploadForm};
use ratatui::crossterm::event::KeyEvent;
use std::collections::VecDeque;

#[derive(Debug, Clone, Default)]
pub struct TransferState {
    pub rows: Rows,
    /// Captchas waiting for the dialog (one is shown at a time).
    pub captchas: VecDeque<CaptchaPrompt>,
    /// `TransferEffect::Start` was sent.
    pub start_sent: bool,
    /// From `TransferMsg::Started`.
    pub download_dir: Option<String>,
    pub persistent: bool,
    /// The user was told that this queue is not saved (another k2s owns the saved one).
    pub warned_unsaved: bool,
}

/// Said once, as soon as a transfer is queued in a queue that is not saved.
pub const UNSAVED_WARNING: &str =
    "another k2s owns this account's saved queue: transfers queued here are not saved and stop when you quit";

fn effect(fx: &mut Vec<Effect>, e: TransferEffect) {
    fx.push(Effect::Transfer(e));
}

/// A transfer dialog has the keys.
pub fn wants_keys(state: &State) -> bool {
    state.overlays.form().is_some()
}

/// Rows of transfers the pane shows (below its header line when there is room for one).
pub fn pane_rows(a: &Areas) -> usize {
    a.transfers.map_or(1, |r| {
        let h = layout::inner(a, r).height as usize;
        h.saturating_sub(usize::from(pane_header(a))).max(1)
    })
}

/// Whether the pane has a header line.
pub fn pane_header(a: &Areas) -> bool {
    a.transfers.is_some_and(|r| layout::inner(a, r).height >= 4)
}

pub fn on_msg(state: &mut State, m: TransferMsg, fx: &mut Vec<Effect>) {
    match m {
        TransferMsg::Started {
            download_dir,
            persistent,
        } => {
            state.transfers.download_dir = Some(download_dir);
            state.transfers.persistent = persistent;
        }
        TransferMsg::Events(events) => {
            for ev in events {
                on_event(state, ev, fx);
            }
        }
        TransferMsg::Captcha(prompt) => {
            state.panes.transfers = true;
            state.transfers.captchas.retain(|c| c.id != prompt.id);
            match state.overlays.form_mut() {
                Some(Form::Captcha(c)) if c.prompt.id == prompt.id => {
                    c.prompt = prompt;
                    c.answer.reset();
                }
                _ => state.transfers.captchas.push_back(prompt),
            }
        }
        TransferMsg::Listed { ticket, result } => {
            if let Some(u) = state.overlays.find_form_mut(upload_form) {
                complete::listed(u, ticket, result);
            }
        }
        TransferMsg::UploadChecked { ticket, result } => {
            let Some(u) = state.overlays.find_form_mut(upload_form) else {
                return;
            };
            if u.checking != Some(ticket) {
                return;
            }
            u.checking = None;
            match result {
                Ok(n) => {
                    let to = u.parent_path.clone();
                    state
                        .overlays
                        .close_if(|o| matches!(o, Overlay::Transfer(Form::Upload(_))));
                    state.panes.transfers = true;
                    state.success(format!("queued {} to {}", count(n, "upload"), to));
                }
                Err(missing) => {
                    let names: Vec<String> = missing.iter().map(|m| crate::text::sanitize(m)).collect();
                    u.error = Some(format!("not found: {}", names.join(", ")));
                }
            }
        }
    }
}

fn upload_form(f: &mut Form) -> Option<&mut UploadForm> {
    match f {
        Form::Upload(u) => Some(u),
        _ => None,
    }
}

fn on_event(state: &mut State, ev: crate::transfer::Event, fx: &mut Vec<Effect>) {
    use crate::transfer::Event;
    let before = match &ev {
        Event::Updated(v) => state.transfers.rows.get(v.id).map(|o| o.state.clone()),
        _ => None,
    };
    let finished = match &ev {
        Event::Updated(v) if v.parent.is_none() && v.state.is_finished() => Some(v.clone()),
        _ => None,
    };
    let gone = match &ev {
        Event::Removed(id) => Some(*id),
        Event::Updated(v) if v.state.is_finished() => Some(v.id),
        _ => None,
    };
    if state.transfers.rows.apply(ev) > 0 {
        state.panes.transfers = true;
        let t = &mut state.transfers;
        if t.download_dir.is_some() && !t.persistent && !t.warned_unsaved {
            t.warned_unsaved = true;
            state.error(UNSAVED_WARNING);
        }
    }
    if let Some(id) = gone {
        // Nobody waits for these captchas any more.
        state.transfers.captchas.retain(|c| c.id != id);
        if state.overlays.form().and_then(Form::captcha_id) == Some(id) {
            state.overlays.close_form();
        }
    }
    if let Some(v) = finished
        && before.is_some_and(|b| !b.is_finished())
    {
        announce(state, &v, fx);
    }
}

/// A top-level transfer ended: say so, and show a new upload in the folder on screen.
fn announce(state: &mut State, v: &TransferView, fx: &mut Vec<Effect>) {
    match &v.state {
        TState::Done => {
            let what = match &v.outcome {
                Some(Outcome::Uploaded {
                    deduplicated: true, ..
                }) => "uploaded (the service had it: no bytes sent)",
                Some(Outcome::Skipped { .. }) => "skipped (already there)",
                Some(Outcome::Downloaded { .. }) => "downloaded",
                Some(Outcome::Folder { .. }) => "folder created, its files queued",
                Some(Outcome::FolderDownload { .. }) => "folder listed, its files queued",
                Some(Outcome::RemoteAccepted { .. }) => "accepted by the service",
                _ => "done",
            };
            match &v.outcome {
                Some(Outcome::Folder { skipped, .. }) if !skipped.is_empty() => state.info(format!(
                    "{}: {what}; {} left out (not files or folders: Enter on its row says which)",
                    v.name,
                    count(skipped.len(), "item")
                )),
                _ => state.success(format!("{}: {what}", v.name)),
            }
            let into_here = match &v.spec {
                Spec::Upload(u) => u.parent == state.list.folder,
                Spec::UploadFolder(f) => f.parent == state.list.folder,
                Spec::Remote(_) => true,
                Spec::Download(_) | Spec::DownloadFolder(_) => false,
            };
            if into_here && state.started {
                super::nav::reload(state, fx);
            }
        }
        TState::Failed(reason) => {
            let retry = state.keymap.first_key(Action::RetryTransfer);
            state.error(format!("{}: {}", v.name, rows::failure_text(reason, &retry)));
        }
        _ => {}
    }
}

/// Keys while a transfer dialog is on top (`a`: what its layer binds the key to).
pub fn on_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    match state.overlays.form() {
        Some(Form::Quit(_)) => quit_key(state, a),
        Some(Form::Captcha(_)) => captcha_key(state, a, key, fx),
        Some(Form::Upload(_)) => upload_key(state, a, key, fx),
        Some(Form::Remote(_) | Form::Links(_)) => lines_form_key(state, a, key, fx),
        Some(Form::Details(_)) => details_key(state, a, fx),
        None => {}
    }
}

fn quit_key(state: &mut State, a: Option<Action>) {
    let Some(Form::Quit(q)) = state.overlays.form_mut() else {
        return;
    };
    match a {
        Some(Action::Yes) => state.quit = true,
        Some(Action::ChangeNext | Action::ChangePrev) => q.yes = !q.yes,
        Some(Action::Submit) if q.yes => state.quit = true,
        Some(Action::No | Action::Submit) => {
            state.overlays.close_form();
        }
        _ => {}
    }
}

fn captcha_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(Form::Captcha(c)) = state.overlays.form_mut() else {
        return;
    };
    match a {
        Some(Action::Cancel) => {
            let id = c.prompt.id;
            state.overlays.close_form();
            effect(fx, TransferEffect::AnswerCaptcha { id, answer: None });
            state.info("captcha not answered: that download fails (retry it to try again)");
        }
        Some(Action::Submit) => {
            let answer = c.answer.value().trim().to_string();
            if answer.is_empty() {
                return;
            }
            let id = c.prompt.id;
            state.overlays.close_form();
            effect(
                fx,
                TransferEffect::AnswerCaptcha {
                    id,
                    answer: Some(answer),
                },
            );
            state.info("captcha sent");
        }
        _ => {
            super::dialog::input_key(&mut c.answer, key);
        }
    }
}

fn upload_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let ticket = state.ticket();
    let Some(Form::Upload(u)) = state.overlays.form_mut() else {
        return;
    };
    if a == Some(Action::Cancel) {
        state.overlays.close_form();
        return;
    }
    if u.checking.is_some() {
        return;
    }
    match a {
        Some(Action::Complete) => {
            if let Some(e) = complete::tab(u, ticket) {
                effect(fx, e);
            }
        }
        Some(Action::Submit) => {
            let paths: Vec<String> = u
                .text
                .values()
                .iter()
                .flat_map(|l| paths::split_words(l))
                .filter(|p| !p.is_empty())
                .collect();
            if paths.is_empty() {
                u.error = Some("type a path (Tab completes)".into());
                return;
            }
            u.error = None;
            u.checking = Some(ticket);
            let parent = u.parent.clone();
            effect(
                fx,
                TransferEffect::Upload {
                    ticket,
                    paths,
                    parent,
                },
            );
        }
        _ => {
            if u.text.key(key) {
                u.completion = forms::Completion::default();
                u.error = None;
            }
        }
    }
}

/// The remote upload and download-by-link forms: one URL or link per line.
fn lines_form_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let links = matches!(state.overlays.form(), Some(Form::Links(_)));
    let Some(Form::Remote(r) | Form::Links(r)) = state.overlays.form_mut() else {
        return;
    };
    match lines_key(r, a, key) {
        LinesKey::Typing => {}
        LinesKey::Cancel => {
            state.overlays.close_form();
        }
        LinesKey::Submit if links => match forms::file_ids(&r.text.values()) {
            Ok(ids) => {
                let n = ids.len();
                state.overlays.close_form();
                state.panes.transfers = true;
                let files = ids.into_iter().map(|id| (id.clone(), id)).collect();
                let folders = Vec::new();
                effect(fx, TransferEffect::Download { files, folders });
                state.success(format!("queued {}{}", count(n, "download"), into_dir(state)));
            }
            Err(e) => r.error = Some(e),
        },
        LinesKey::Submit => match forms::urls(&r.text.values()) {
            Ok(urls) => {
                let n = urls.len();
                state.overlays.close_form();
                state.panes.transfers = true;
                effect(fx, TransferEffect::Remote { urls });
                state.success(format!("queued {}", count(n, "remote upload")));
            }
            Err(e) => r.error = Some(e),
        },
    }
}

fn details_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let Some(Form::Details(d)) = state.overlays.form_mut() else {
        return;
    };
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_form();
        }
        Some(Action::Up) => d.scroll = d.scroll.saturating_sub(1),
        Some(Action::Down) => d.scroll = d.scroll.saturating_add(1).min(200),
        Some(Action::CopyLinks) => {
            let id = d.id;
            copy_result(state, id, fx);
        }
        _ => {}
    }
}

enum LinesKey {
    Typing,
    Cancel,
    Submit,
}

/// " into <download folder>", for messages.
fn into_dir(state: &State) -> String {
    state
        .transfers
        .download_dir
        .as_deref()
        .map(|d| format!(" into {}", crate::text::sanitize(d)))
        .unwrap_or_default()
}

/// A key in a one-item-per-line form (remote URLs, links): submit (Enter) on a filled line
/// starts the next one; on an empty line, or with Ctrl (Ctrl-s), it submits; Esc cancels.
fn lines_key(r: &mut RemoteForm, a: Option<Action>, key: &KeyEvent) -> LinesKey {
    let with_ctrl = key
        .modifiers
        .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
    match a {
        Some(Action::Cancel) => LinesKey::Cancel,
        Some(Action::Submit) if !with_ctrl && !r.text.current().value().trim().is_empty() => {
            r.text.newline();
            r.error = None;
            LinesKey::Typing
        }
        Some(Action::Submit) => LinesKey::Submit,
        _ => {
            if r.text.key(key) {
                r.error = None;
            }
            LinesKey::Typing
        }
    }
}

pub fn on_paste(state: &mut State, text: &str) {
    match state.overlays.form_mut() {
        Some(Form::Upload(u)) if u.checking.is_none() => {
            // Several lines: one path per line, each made one word.
            u.text.paste(text, paths::escape);
            u.completion = forms::Completion::default();
        }
        Some(Form::Remote(r) | Form::Links(r)) => r.text.paste(text, |l| l.to_string()),
        Some(Form::Captcha(c)) => {
            super::dialog::input_paste(&mut c.answer, crate::text::sanitize(text).trim());
        }
        _ => {}
    }
}

/// Ctrl-c and q: quit, after asking when transfers would be interrupted.
pub fn request_quit(state: &mut State) {
    if matches!(state.overlays.form(), Some(Form::Quit(_))) {
        state.quit = true;
        return;
    }
    let unfinished = state.transfers.rows.totals().unfinished();
    if unfinished == 0 || state.screen != Screen::Browse {
        state.quit = true;
        return;
    }
    if let Some(Form::Captcha(_)) = state.overlays.form()
        && let Some(Form::Captcha(c)) = state.overlays.close_form()
    {
        state.transfers.captchas.push_front(c.prompt);
    }
    let persistent = state.transfers.persistent;
    state.overlays.open(Overlay::Transfer(Form::Quit(QuitForm {
        unfinished,
        yes: false,
        persistent,
    })));
}

/// The transfer actions of the keymap.
pub fn act(state: &mut State, a: Action, fx: &mut Vec<Effect>) {
    match a {
        Action::Transfers => {
            let p = &mut state.panes;
            if !p.transfers {
                p.transfers = true;
                state.focus = Pane::Transfers;
            } else if state.focus != Pane::Transfers {
                state.focus = Pane::Transfers;
            } else {
                p.transfers = false;
                state.focus = Pane::Files;
            }
        }
        Action::Upload => {
            state.overlays.open(Overlay::Transfer(Form::Upload(UploadForm {
                parent: state.list.folder.clone(),
                parent_path: state.path(),
                text: forms::Lines::default(),
                completion: forms::Completion::default(),
                checking: None,
                error: None,
            })));
        }
        Action::RemoteUpload => state
            .overlays
            .open(Overlay::Transfer(Form::Remote(RemoteForm::default()))),
        Action::DownloadLinks => state
            .overlays
            .open(Overlay::Transfer(Form::Links(RemoteForm::default()))),
        Action::Download => download(state, fx),
        _ => pane_key(state, a, fx),
    }
}

/// Download the selection (or the row under the cursor): files, and folders recursively.
fn download(state: &mut State, fx: &mut Vec<Effect>) {
    let (folders, files): (Vec<_>, Vec<_>) =
        super::ops::targets(state).into_iter().partition(|t| t.is_folder);
    if files.is_empty() && folders.is_empty() {
        state.info("nothing here to download");
        return;
    }
    let pairs = |v: Vec<super::dialog::Target>| v.into_iter().map(|t| (t.id, t.raw_name)).collect();
    let (nf, nd) = (files.len(), folders.len());
    let sub = folders
        .first()
        .map(|t| crate::transfer::names::sanitize_file_name(&t.raw_name, &t.id));
    effect(
        fx,
        TransferEffect::Download {
            files: pairs(files),
            folders: pairs(folders),
        },
    );
    state.panes.transfers = true;
    let msg = rows::download_message(state.transfers.download_dir.as_deref(), nf, nd, sub.as_deref());
    state.success(msg);
}

/// Pause / resume, cancel, retry, remove, clear finished, move: on the transfer under the
/// pane's cursor, when the pane has the focus.
fn pane_key(state: &mut State, a: Action, fx: &mut Vec<Effect>) {
    if state.focus != Pane::Transfers || !state.panes.transfers {
        let k = state.keymap.first_key(Action::Transfers);
        state.info(format!("that key works in the transfer pane ({k} shows it)"));
        return;
    }
    if a == Action::ClearFinished {
        effect(fx, TransferEffect::ClearFinished);
        state.info("cleared finished transfers");
        return;
    }
    let Some(v) = state.transfers.rows.current() else {
        state.info("no transfers");
        return;
    };
    let (id, s) = (v.id, v.state.clone());
    let cmd = match a {
        Action::PauseResume => match s {
            TState::Paused => Some(Command::Resume),
            TState::Done => None,
            TState::Failed(_) | TState::Cancelled => {
                let k = state.keymap.first_key(Action::RetryTransfer);
                state.info(format!("it has ended: {k} retries it"));
                return;
            }
            _ => Some(Command::Pause),
        },
        Action::CancelTransfer => (!s.is_finished()).then_some(Command::Cancel),
        Action::RetryTransfer => matches!(s, TState::Failed(_) | TState::Cancelled).then_some(Command::Retry),
        Action::RemoveTransfer => Some(Command::Remove),
        Action::TransferUp => Some(Command::MoveUp),
        Action::TransferDown => Some(Command::MoveDown),
        _ => return,
    };
    match cmd {
        Some(c) => effect(fx, TransferEffect::Command(id, c)),
        None => state.info(format!("nothing to do: it is {}", s.label())),
    }
}

/// Generic keys (motions, Enter, y, d) while the pane has the focus.
pub fn pane_action(state: &mut State, a: Action, fx: &mut Vec<Effect>) -> bool {
    if state.focus != Pane::Transfers {
        return false;
    }
    let page = pane_rows(&layout::areas(state)) as isize;
    let rows = &mut state.transfers.rows;
    match a {
        Action::Up => rows.move_by(-1),
        Action::Down => rows.move_by(1),
        Action::PageUp => rows.move_by(-page),
        Action::PageDown => rows.move_by(page),
        Action::HalfPageUp => rows.move_by(-(page / 2).max(1)),
        Action::HalfPageDown => rows.move_by((page / 2).max(1)),
        Action::Top => rows.set_cursor(0),
        Action::Bottom => rows.set_cursor(usize::MAX),
        Action::Parent => state.focus = Pane::Files,
        Action::Open => {
            if let Some(id) = state.transfers.rows.current().map(|v| v.id) {
                state
                    .overlays
                    .open(Overlay::Transfer(Form::Details(forms::DetailsForm {
                        id,
                        scroll: 0,
                    })));
            }
        }
        Action::CopyLinks => {
            if let Some(id) = state.transfers.rows.current().map(|v| v.id) {
                copy_result(state, id, fx);
            }
        }
        Action::Delete => pane_key(state, Action::RemoveTransfer, fx),
        _ => return false,
    }
    true
}

/// y in the pane: the share link of a finished upload, or the path of a download.
fn copy_result(state: &mut State, id: crate::transfer::TransferId, fx: &mut Vec<Effect>) {
    let Some(v) = state.transfers.rows.get(id) else {
        return;
    };
    let (text, noun) = match &v.outcome {
        Some(Outcome::Uploaded { link, .. } | Outcome::Skipped { link, .. }) => (link.clone(), "link"),
        Some(Outcome::RemoteDone { link: Some(l), .. }) => (l.clone(), "link"),
        Some(Outcome::Downloaded { path, .. } | Outcome::FolderDownload { path, .. }) => {
            (path.display().to_string(), "path")
        }
        _ => {
            state.info("nothing to copy yet");
            return;
        }
    };
    fx.push(Effect::Copy {
        text,
        label: CopyLabel { count: 1, noun },
    });
}

pub fn scroll(state: &mut State, step: isize) {
    state.transfers.rows.move_by(step);
}

pub fn click(state: &mut State, a: &Areas, row: u16) {
    let Some(r) = a.transfers else { return };
    let inner = layout::inner(a, r);
    let top = inner.y + u16::from(pane_header(a));
    if row >= top && row < inner.y + inner.height {
        let i = state.transfers.rows.offset + (row - top) as usize;
        if i < state.transfers.rows.len() {
            state.transfers.rows.set_cursor(i);
        }
    }
}

/// After every update: start the engine once the browse view is up, show the next captcha
/// when nothing else has the keys (no overlay, editor, search results or filter: a captcha
/// never takes keys being typed elsewhere), keep the pane's cursor on screen.
pub fn after_update(state: &mut State, fx: &mut Vec<Effect>) {
    if !state.transfers.start_sent && state.started {
        state.transfers.start_sent = true;
        effect(fx, TransferEffect::Start);
    }
    if super::layer::idle(state)
        && let Some(prompt) = state.transfers.captchas.pop_front()
    {
        let name = state
            .transfers
            .rows
            .get(prompt.id)
            .map_or_else(|| format!("transfer {}", prompt.id), |v| v.name.clone());
        state.overlays.open(Overlay::Transfer(Form::Captcha(CaptchaForm {
            prompt,
            name,
            answer: tui_input::Input::default(),
        })));
    }
    let n = pane_rows(&layout::areas(state));
    state.transfers.rows.scroll_into_view(n);
}
