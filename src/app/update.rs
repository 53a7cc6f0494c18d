//! `update`: the one place where the state changes. Pure: no I/O, only returned effects.

use super::dialog::{input_key, input_paste};
use super::keymap::{Action, Key, Lookup};
use super::layer::{self, Active, Layer};
use super::login::LoginAction;
use super::msg::{Effect, Msg, Redacted};
use super::overlay::{self, Overlay};
use super::state::{HelpState, Level, Pane, Screen, State};
use super::{nav, ops, results};
use crate::app::layout;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

/// Two clicks on one row within this many ticks (150 ms each) open it.
const DOUBLE_CLICK_TICKS: u64 = 3;

/// Apply one message; return the work the runtime must do.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    super::usage::observe(state, &msg, &mut fx);
    super::dupes::observe(state, &msg);
    match msg {
        Msg::Key(key) => on_key(state, &key, &mut fx),
        Msg::Paste(text) => on_paste(state, &text, &mut fx),
        Msg::Mouse(m) => on_mouse(state, &m, &mut fx),
        Msg::Resize(w, h) => state.size = (w, h),
        Msg::Tick => {
            state.tick = state.tick.wrapping_add(1);
            fade(state);
        }
        Msg::Meta(m) => super::meta::on_msg(state, m, &mut fx),
        Msg::Transfer(m) => super::transfers::on_msg(state, m, &mut fx),
        Msg::LinksChecked { ticket, result } => super::link_check::on_checked(state, ticket, result),
        Msg::Index(m) => super::finder::on_msg(state, m, &mut fx),
        other => {
            if let Msg::Deleted { ids, result, .. } = &other {
                super::health::deleted(state, ids, result.as_ref().ok().copied(), &mut fx);
            }
            results::on_result(state, other, &mut fx)
        }
    }
    nav::after_update(state, &mut fx);
    results::reopen_when_idle(state);
    super::meta::after_update(state, &mut fx);
    super::transfers::after_update(state, &mut fx);
    if state.quit && !fx.iter().any(|e| matches!(e, Effect::Quit)) {
        fx.push(Effect::Quit);
    }
    fx
}

/// Information and success messages fade after a few seconds; errors stay until a key.
fn fade(state: &mut State) {
    if let Some(s) = &state.status
        && s.level != Level::Error
        && state.tick.wrapping_sub(s.since) > super::state::Status::FADE_TICKS
    {
        state.status = None;
    }
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
    // An error stays until the next key; what that key does may say something new.
    if state.status.as_ref().is_some_and(|s| s.level == Level::Error) {
        state.status = None;
    }
    let k = Key::from_event(key);
    if state.keymap.action_in(Layer::Global, k) == Some(Action::ForceQuit) {
        super::transfers::request_quit(state);
        return;
    }
    if opens_help(state, k) {
        state.overlays.open(Overlay::Help(HelpState::default()));
        return;
    }
    match layer::active(state) {
        Active::Login => login_key(state, key, fx),
        Active::Overlay(_) => overlay::on_key(state, key, fx),
        Active::Editor => super::meta::editor_key(state, key, fx),
        Active::Found => super::meta::found_key(state, key, fx),
        Active::Filter => filter_key(state, key),
        Active::Pane(p) => pane_key(state, Layer::of_pane(p), k, fx),
    }
}

/// Whether `k` is the help key of an overlay, the editor, the filter or the files found (the
/// one place these open help; panes take it with their counts and key sequences; a printable
/// key is typed where text is typed).
fn opens_help(state: &State, k: Key) -> bool {
    let active = layer::active(state);
    let l = layer::layer(state);
    let here = match active {
        Active::Overlay(_) => l != Layer::Help,
        Active::Editor | Active::Filter | Active::Found => true,
        Active::Login | Active::Pane(_) => false,
    };
    here && !(layer::typing(state) && k.is_printable()) && state.keymap.action_in(l, k) == Some(Action::Help)
}

/// A key in a pane: sequences ("g g"), count prefixes ("5j", "10G"), then the action.
fn pane_key(state: &mut State, layer: Layer, k: Key, fx: &mut Vec<Effect>) {
    state.pending.push(k);
    match state.keymap.lookup(layer, &state.pending) {
        Lookup::Action(a) => {
            state.pending.clear();
            let n = state.count.take();
            act_counted(state, a, n, fx);
        }
        Lookup::Pending => {}
        Lookup::None => {
            let retry = state.pending.len() > 1;
            state.pending.clear();
            if let Some(d) = digit(k)
                && (d > 0 || state.count.is_some())
            {
                let n = state.count.unwrap_or(0).saturating_mul(10).saturating_add(d);
                state.count = Some(n.min(99_999));
                return;
            }
            match state.keymap.lookup(layer, &[k]) {
                Lookup::Action(a) if retry => {
                    let n = state.count.take();
                    act_counted(state, a, n, fx);
                }
                Lookup::Pending if retry => state.pending.push(k),
                _ => {
                    state.count = None;
                    if !retry {
                        not_here(state, layer, k);
                    }
                }
            }
        }
    }
}

/// A key this pane does not bind: say where it works, or where to look.
fn not_here(state: &mut State, layer: Layer, k: Key) {
    let elsewhere = [
        Layer::List,
        Layer::Transfers,
        Layer::Tree,
        Layer::Meta,
        Layer::Details,
    ]
    .into_iter()
    .filter(|l| *l != layer)
    .find_map(|l| state.keymap.action_in(l, k).map(|a| (l, a)));
    let text = match elsewhere {
        Some((l, a)) => format!(
            "{} is {} in the {}",
            k.label(),
            a.short(),
            l.title().to_lowercase()
        ),
        None => {
            let help = state.keymap.key_in(layer, Action::Help);
            format!("{} does nothing here ({help} lists the keys)", k.label())
        }
    };
    state.info(text);
}

fn digit(k: Key) -> Option<usize> {
    match k.code {
        KeyCode::Char(c) if k.is_printable() => c.to_digit(10).map(|d| d as usize),
        _ => None,
    }
}

/// An action with a count: motions and Space repeat, `G` and `g g` go to row N.
fn act_counted(state: &mut State, a: Action, n: Option<usize>, fx: &mut Vec<Effect>) {
    let Some(n) = n.filter(|n| *n > 0) else {
        return act(state, a, fx);
    };
    match a {
        Action::Top | Action::Bottom if state.focus == Pane::Files => {
            state.list.set_cursor(n - 1);
        }
        Action::Top | Action::Bottom if state.focus == Pane::Tree => {
            state.tree.view.set_cursor(n - 1);
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::HalfPageUp
        | Action::HalfPageDown
        | Action::Select => {
            for _ in 0..n.min(10_000) {
                act(state, a, fx);
            }
        }
        _ => act(state, a, fx),
    }
}
fn login_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let k = Key::from_event(key);
    let a = if state.login.typing() && k.is_printable() {
        None
    } else {
        state.keymap.action_in(Layer::Login, k)
    };
    match state.login.handle_key(a, key) {
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

fn filter_key(state: &mut State, key: &KeyEvent) {
    let k = Key::from_event(key);
    let a = if k.is_printable() {
        None
    } else {
        state.keymap.action_in(Layer::Filter, k)
    };
    let page = nav::page(state) as isize;
    let Some(input) = state.filter_edit.as_mut() else {
        return;
    };
    match a {
        Some(Action::Submit) => {
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
        Some(Action::Cancel) => {
            state.filter_edit = None;
            state.list.set_filter("");
            return;
        }
        Some(Action::Up) => state.list.move_by(-1),
        Some(Action::Down) => state.list.move_by(1),
        Some(Action::PageUp) => state.list.move_by(-page),
        Some(Action::PageDown) => state.list.move_by(page),
        _ => {
            input_key(input, key);
        }
    }
    if let Some(input) = &state.filter_edit {
        let value = input.value().to_string();
        state.list.set_filter(&value);
    }
}

fn on_paste(state: &mut State, text: &str, fx: &mut Vec<Effect>) {
    match layer::active(state) {
        Active::Login => state.login.paste(&crate::text::sanitize(text)),
        Active::Overlay(_) if matches!(state.overlays.top(), Some(Overlay::Finder(_))) => {
            super::finder::on_paste(state, text, fx)
        }
        Active::Overlay(_) => overlay::on_paste(state, text),
        Active::Editor => super::meta::editor_paste(state, text),
        Active::Filter => {
            if let Some(input) = state.filter_edit.as_mut() {
                input_paste(input, &crate::text::sanitize(text));
                let value = input.value().to_string();
                state.list.set_filter(&value);
            }
        }
        Active::Found | Active::Pane(_) => {}
    }
}

fn on_mouse(state: &mut State, m: &MouseEvent, fx: &mut Vec<Effect>) {
    if !state.settings.mouse {
        return;
    }
    match layer::active(state) {
        Active::Pane(_) | Active::Filter => {}
        Active::Overlay(_) => {
            if let Some(Overlay::Help(_)) = state.overlays.top()
                && let Some(help) = state.overlays.help_mut()
            {
                match m.kind {
                    MouseEventKind::ScrollDown => help.scroll = help.scroll.saturating_add(3),
                    MouseEventKind::ScrollUp => help.scroll = help.scroll.saturating_sub(3),
                    _ => {}
                }
            }
            return;
        }
        Active::Login | Active::Editor | Active::Found => return,
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
                    let double = state
                        .last_click
                        .is_some_and(|(j, t)| j == i && state.tick.wrapping_sub(t) <= DOUBLE_CLICK_TICKS);
                    state.last_click = if double { None } else { Some((i, state.tick)) };
                    if double && state.filter_edit.is_none() {
                        act(state, Action::Open, fx);
                    }
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
        Help => state.overlays.open(Overlay::Help(HelpState::default())),
        AccountView => super::account_view::open(state, fx),
        ProfilesView => super::profiles_view::open(state),
        CheckLinks => super::link_check::open(state),
        Finder => super::finder::open(state, fx),
        UsageView => super::usage::open(state, fx),
        DupesView => super::dupes::open(state, fx),
        HealthView => super::health::open(state, fx),
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
            state.overlays.open(Overlay::Dialog(super::dialog::Dialog::Sort(
                super::dialog::SortMenu { cursor },
            )));
        }
        Clear => clear(state),
        ReverseSort => nav::reverse_sort(state, fx),
        Back | Forward => nav::back_or_forward(state, a == Forward, fx),
        Suspend => ops::suspend(state, fx),
        MetaPane | EditMeta | EditTitle | EditTags | MetaColumns | MetaFind | MetaApply | TagAdd
        | TagRemove | MetaDelete | MetaSave | MetaUndo => super::meta::act(state, a, fx),
        _ if super::meta::pane_action(state, a, fx) => {}
        Transfers | Upload | Download | DownloadLinks | RemoteUpload | PauseResume | CancelTransfer
        | RetryTransfer | RemoveTransfer | ClearFinished | TransferUp | TransferDown => {
            super::transfers::act(state, a, fx)
        }
        _ if super::transfers::pane_action(state, a, fx) => {}
        NewFolder | Rename | Move | Access | Delete | CopyLinks | CopyLinksAs | CopyUrls | OpenLink => {
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
