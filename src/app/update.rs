//! `update`: the one place where the state changes. Pure: no I/O, only returned effects.

use super::dialog::{Outcome, input_key, input_paste};
use super::keymap::{Action, Key, Lookup};
use super::login::LoginAction;
use super::msg::{Effect, Msg, Redacted};
use super::state::{HelpState, Pane, Screen, State};
use super::{nav, ops, results};
use crate::app::layout;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

/// Apply one message; return the work the runtime must do.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Key(key) => on_key(state, &key, &mut fx),
        Msg::Paste(text) => on_paste(state, &text),
        Msg::Mouse(m) => on_mouse(state, &m, &mut fx),
        Msg::Resize(w, h) => state.size = (w, h),
        Msg::Tick => state.tick = state.tick.wrapping_add(1),
        Msg::Meta(m) => super::meta::on_msg(state, m, &mut fx),
        Msg::Transfer(m) => super::transfers::on_msg(state, m, &mut fx),
        other => results::on_result(state, other, &mut fx),
    }
    nav::after_update(state, &mut fx);
    super::meta::after_update(state, &mut fx);
    super::transfers::after_update(state, &mut fx);
    if state.quit && !fx.iter().any(|e| matches!(e, Effect::Quit)) {
        fx.push(Effect::Quit);
    }
    fx
}

/// The first effects: load everything when credentials may work, else the login screen.
pub fn start(state: &mut State, have_credentials: bool, username: Option<String>) -> Vec<Effect> {
    state.login = super::login::LoginForm::with_username(username);
    if !have_credentials {
        state.screen = Screen::Login;
        return Vec::new();
    }
    let mut fx = Vec::new();
    nav::load_all(state, &mut fx);
    nav::after_update(state, &mut fx);
    fx
}

fn on_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    let k = Key::from_event(key);
    if state.keymap.action_of(k) == Some(Action::ForceQuit) {
        super::transfers::request_quit(state);
        return;
    }
    if state.screen == Screen::Login {
        login_key(state, key, fx);
    } else if super::transfers::wants_keys(state) {
        super::transfers::on_key(state, key, fx);
    } else if state.help.is_some() {
        help_key(state, key);
    } else if state.dialog.is_some() {
        dialog_key(state, key, fx);
    } else if super::meta::wants_keys(state) {
        super::meta::on_key(state, key, fx);
    } else if state.filter_edit.is_some() {
        filter_key(state, key);
    } else {
        state.pending.push(k);
        match state.keymap.lookup(&state.pending) {
            Lookup::Action(a) => {
                state.pending.clear();
                act(state, a, fx);
            }
            Lookup::Pending => {}
            Lookup::None => {
                let retry = state.pending.len() > 1;
                state.pending.clear();
                if retry && let Lookup::Action(a) = state.keymap.lookup(&[k]) {
                    act(state, a, fx);
                }
            }
        }
    }
}

fn login_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    match state.login.handle_key(key) {
        LoginAction::None => {}
        LoginAction::SubmitToken(token) => {
            state.login.busy = true;
            state.login.error = None;
            fx.push(Effect::UseAccessToken(Redacted(token)));
        }
        LoginAction::SubmitPassword => {
            state.login.busy = true;
            state.login.error = None;
            fx.push(Effect::Login(Redacted(state.login.request())));
        }
    }
}

fn help_key(state: &mut State, key: &KeyEvent) {
    let Some(help) = state.help.as_mut() else { return };
    match key.code {
        KeyCode::Esc if !help.filter.value().is_empty() => help.filter.reset(),
        KeyCode::Esc | KeyCode::Enter | KeyCode::F(1) => state.help = None,
        KeyCode::Char('?') if help.filter.value().is_empty() => state.help = None,
        KeyCode::Up => help.scroll = help.scroll.saturating_sub(1),
        KeyCode::Down => help.scroll = help.scroll.saturating_add(1),
        KeyCode::PageUp => help.scroll = help.scroll.saturating_sub(10),
        KeyCode::PageDown => help.scroll = help.scroll.saturating_add(10),
        _ => {
            if input_key(&mut help.filter, key) {
                help.scroll = 0;
            }
        }
    }
}

fn dialog_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(dialog) = state.dialog.as_mut() else {
        return;
    };
    match dialog.handle_key(key, &state.tree.tree) {
        Outcome::Stay => {}
        Outcome::Cancel => {
            state.dialog = None;
        }
        Outcome::Submit => ops::submit_dialog(state, fx),
    }
}

fn filter_key(state: &mut State, key: &KeyEvent) {
    let Some(input) = state.filter_edit.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Enter => {
            state.filter_edit = None;
            let f = state.list.filter().to_string();
            if !f.is_empty() {
                let n = state.list.len();
                state.info(format!(
                    "filter {:?}: {n} of {}",
                    crate::text::sanitize(&f),
                    state.list.total()
                ));
            }
            return;
        }
        KeyCode::Esc => {
            state.filter_edit = None;
            state.list.set_filter("");
            return;
        }
        KeyCode::Up => state.list.move_by(-1),
        KeyCode::Down => state.list.move_by(1),
        KeyCode::PageUp => state.list.move_by(-(nav::page(state) as isize)),
        KeyCode::PageDown => state.list.move_by(nav::page(state) as isize),
        _ => {
            input_key(input, key);
        }
    }
    if let Some(input) = &state.filter_edit {
        let value = input.value().to_string();
        state.list.set_filter(&value);
    }
}

fn on_paste(state: &mut State, text: &str) {
    let clean = crate::text::sanitize(text);
    if state.screen == Screen::Login {
        state.login.paste(&clean);
    } else if super::transfers::wants_keys(state) {
        super::transfers::on_paste(state, text);
    } else if let Some(help) = state.help.as_mut() {
        input_paste(&mut help.filter, &clean);
    } else if let Some(d) = state.dialog.as_mut() {
        d.paste(&clean);
    } else if super::meta::wants_keys(state) {
        super::meta::on_paste(state, text);
    } else if let Some(input) = state.filter_edit.as_mut() {
        input_paste(input, &clean);
        let value = input.value().to_string();
        state.list.set_filter(&value);
    }
}

fn on_mouse(state: &mut State, m: &MouseEvent, fx: &mut Vec<Effect>) {
    if !state.settings.mouse
        || state.screen != Screen::Browse
        || state.dialog.is_some()
        || super::meta::wants_keys(state)
        || super::transfers::wants_keys(state)
    {
        return;
    }
    if let Some(help) = state.help.as_mut() {
        match m.kind {
            MouseEventKind::ScrollDown => help.scroll = help.scroll.saturating_add(3),
            MouseEventKind::ScrollUp => help.scroll = help.scroll.saturating_sub(3),
            _ => {}
        }
        return;
    }
    let areas = layout::areas(state);
    let Some(pane) = layout::pane_at(&areas, m.column, m.row) else {
        return;
    };
    let step = match m.kind {
        MouseEventKind::ScrollDown => 3,
        MouseEventKind::ScrollUp => -3,
        MouseEventKind::Down(MouseButton::Left) => 0,
        _ => return,
    };
    if step != 0 {
        match pane {
            Pane::Files => state.list.move_by(step),
            Pane::Tree => state.tree.view.move_by(step),
            Pane::Details => state.details_scroll = state.details_scroll.saturating_add_signed(step),
            Pane::Transfers => super::transfers::scroll(state, step),
            _ => {}
        }
        return;
    }
    state.focus = pane;
    match pane {
        Pane::Files => {
            if let Some(r) = layout::list_row_at(&areas, m.row) {
                let i = state.list.offset + r;
                if i < state.list.len() {
                    state.list.set_cursor(i);
                }
            }
        }
        Pane::Tree => {
            if let Some(r) = layout::tree_row_at(&areas, m.row) {
                let i = state.tree.view.offset + r;
                if i < state.tree.view.rows().len() {
                    state.tree.view.set_cursor(i);
                    let id = state.tree.view.current_id().to_string();
                    nav::navigate(state, &id, fx);
                }
            }
        }
        Pane::Transfers => super::transfers::click(state, &areas, m.row),
        _ => {}
    }
}

/// Run an action from the keymap (outside text entry).
pub(super) fn act(state: &mut State, a: Action, fx: &mut Vec<Effect>) {
    use Action::*;
    match a {
        Quit | ForceQuit => super::transfers::request_quit(state),
        Help => state.help = Some(HelpState::default()),
        NextPane | PrevPane => {
            let order = state.pane_order();
            let i = order.iter().position(|p| *p == state.focus).unwrap_or(0);
            let n = order.len();
            state.focus = order[if a == NextPane {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }];
        }
        Details => {
            if state.panes.details {
                state.panes.details = false;
                if state.focus == Pane::Details {
                    state.focus = Pane::Files;
                }
            } else {
                state.panes.details = true;
                state.details_scroll = 0;
                if state.size.0 < layout::WIDE {
                    state.focus = Pane::Details;
                }
            }
        }
        Refresh => {
            super::meta::on_refresh(state);
            state.video.clear();
            state.video_pending.clear();
            nav::load_all(state, fx);
            state.info("refreshing");
        }
        ToggleAvailable => {
            state.list.only_available = !state.list.only_available;
            nav::reload(state, fx);
            state.info(if state.list.only_available {
                "showing only available files"
            } else {
                "showing all files"
            });
        }
        Filter => {
            state.focus = Pane::Files;
            state.filter_edit = Some(tui_input::Input::new(state.list.filter().to_string()));
        }
        Sort => {
            let cur = state.list.sort();
            let cursor = super::listing::Sort::MENU
                .iter()
                .position(|s| *s == cur)
                .unwrap_or(0);
            state.dialog = Some(super::dialog::Dialog::Sort(super::dialog::SortMenu { cursor }));
        }
        Clear => clear(state),
        Suspend => ops::suspend(state, fx),
        MetaPane | EditMeta | EditTitle | EditTags | MetaColumns | MetaFind | MetaApply | TagAdd
        | TagRemove | MetaDelete | MetaSave | MetaUndo => super::meta::act(state, a, fx),
        _ if super::meta::pane_action(state, a, fx) => {}
        Transfers | Upload | Download | DownloadLinks | RemoteUpload | PauseResume | CancelTransfer
        | RetryTransfer | RemoveTransfer | ClearFinished | TransferUp | TransferDown => {
            super::transfers::act(state, a, fx)
        }
        _ if super::transfers::pane_action(state, a, fx) => {}
        NewFolder | Rename | Move | Access | Delete | CopyLinks | CopyUrls | OpenLink => {
            ops::start(state, a, fx)
        }
        _ => nav::motion(state, a, fx),
    }
}

/// Esc: the open range, then the selection, then the filter.
fn clear(state: &mut State) {
    if state.list.anchor.take().is_some() {
        state.info("range cancelled");
    } else if !state.list.selected.is_empty() {
        state.list.selected.clear();
        state.info("selection cleared");
    } else if !state.list.filter().is_empty() {
        state.list.set_filter("");
        state.info("filter cleared");
    } else {
        state.status = None;
    }
}
