//! Drawing panes from app::State only. Every server string goes through `text::sanitize`
//! (file names are sanitized once when they arrive, in `app::listing::Entry`).

mod details;
mod dialogs;
mod help;
mod list;
mod login;
mod meta;
mod meta_chips;
mod meta_inline;
mod meta_prompt;
mod status;
mod transfer_dialogs;
mod transfers;
mod tree;
mod widgets;

#[cfg(test)]
mod tests_look_snapshots;
#[cfg(test)]
mod tests_meta_snapshots;
#[cfg(test)]
mod tests_snapshots;
#[cfg(test)]
mod tests_transfer_snapshots;

use crate::app::{Screen, State, layout};
use ratatui::Frame;

pub use status::key_hints;

/// Draw the whole screen.
pub fn draw(f: &mut Frame, state: &State) {
    let area = f.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if state.screen == Screen::Login {
        login::draw(f, area, state);
        return;
    }
    let a = layout::areas(state);
    if let Some(r) = a.tree {
        tree::draw(f, r, state, &a);
    }
    if let Some(r) = a.list {
        if state.meta.found.is_some() {
            meta_prompt::draw_found(f, r, state, &a);
        } else {
            list::draw(f, r, state, &a);
        }
    }
    if let Some(r) = a.details {
        details::draw(f, r, state, &a);
    }
    if let Some(r) = a.meta {
        meta::draw(f, r, state, &a);
    }
    if let Some(r) = a.transfers {
        transfers::draw(f, r, state, &a);
    }
    if let Some(r) = a.status {
        status::draw_status(f, r, state);
    }
    if let Some(r) = a.keybar {
        status::draw_keybar(f, r, state);
    }
    if state.meta.prompt.is_some() {
        meta_prompt::draw_prompt(f, area, state);
    }
    if let Some(d) = &state.dialog {
        dialogs::draw(f, area, state, d);
    }
    if state.help.is_some() {
        help::draw(f, area, state);
    }
    transfer_dialogs::draw(f, area, state);
}
