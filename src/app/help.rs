//! The help overlay: every binding of every layer, with a filter typed in place.

use super::dialog::{input_key, input_paste};
use super::keymap::Action;
use super::state::State;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// A key in help (`a`: what the help layer binds it to). `?` closes it while the filter is
/// empty, as it opened it.
pub fn on_key(state: &mut State, a: Option<Action>, key: &KeyEvent) {
    let Some(help) = state.overlays.help_mut() else {
        return;
    };
    match a {
        Some(Action::Cancel) if !help.filter.value().is_empty() && key.code == KeyCode::Esc => {
            help.filter.reset()
        }
        Some(Action::Cancel) => {
            state.overlays.close_help();
        }
        Some(Action::Up) => help.scroll = help.scroll.saturating_sub(1),
        Some(Action::Down) => help.scroll = help.scroll.saturating_add(1),
        Some(Action::PageUp) => help.scroll = help.scroll.saturating_sub(10),
        Some(Action::PageDown) => help.scroll = help.scroll.saturating_add(10),
        _ if key.code == KeyCode::Char('?') && help.filter.value().is_empty() => {
            state.overlays.close_help();
        }
        _ => {
            if input_key(&mut help.filter, key) {
                help.scroll = 0;
            }
        }
    }
}

pub fn on_paste(state: &mut State, raw: &str) {
    if let Some(help) = state.overlays.help_mut() {
        input_paste(&mut help.filter, &crate::text::sanitize(raw));
        help.scroll = 0;
    }
}
