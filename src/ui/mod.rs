//! Drawing panes from app::State only. Every server string goes through `text::sanitize`
//! (file names are sanitized once when they arrive, in `app::listing::Entry`).

mod account_view;
mod details;
mod dialogs;
mod dupes;
mod finder;
mod health;
mod help;
mod link_check;
mod link_menu;
mod list;
mod login;
mod meta;
mod meta_chips;
mod meta_inline;
mod meta_prompt;
pub mod pictures;
mod profiles_view;
mod status;
mod transfer_dialogs;
mod transfers;
mod tree;
mod usage;
mod widgets;

#[cfg(test)]
mod tests_account_snapshots;
#[cfg(test)]
mod tests_dupes_snapshots;
#[cfg(test)]
mod tests_health_snapshots;
#[cfg(test)]
mod tests_index_snapshots;
#[cfg(test)]
mod tests_link_check_snapshots;
#[cfg(test)]
mod tests_look_snapshots;
#[cfg(test)]
mod tests_meta_snapshots;
#[cfg(test)]
mod tests_snapshots;
#[cfg(test)]
mod tests_support;
#[cfg(test)]
mod tests_transfer_snapshots;

use crate::app::overlay::Overlay;
use crate::app::{Screen, State, layout};
use pictures::Pictures;
use ratatui::Frame;
use ratatui::layout::Rect;

pub use status::key_hints;

/// Draw the whole screen (without terminal images: captchas show their address).
pub fn draw(f: &mut Frame, state: &State) {
    draw_with(f, state, &Pictures::default());
}

/// `area` less the key bar and status line at its foot, so that a tall popup leaves its keys
/// and the status in sight.
fn above_bars(area: Rect, a: &layout::Areas) -> Rect {
    let top = [a.keybar, a.status]
        .into_iter()
        .flatten()
        .map(|r| r.y)
        .min()
        .unwrap_or(area.bottom());
    Rect {
        height: top.saturating_sub(area.y).min(area.height),
        ..area
    }
}

/// Draw the whole screen, with the images encoded in `pictures`.
pub fn draw_with(f: &mut Frame, state: &State, pictures: &Pictures) {
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
    for o in state.overlays.iter() {
        match o {
            Overlay::Help(_) => help::draw(f, above_bars(area, &a), state),
            Overlay::Dialog(d) => dialogs::draw(f, area, state, d),
            Overlay::Meta(_) => meta_prompt::draw_prompt(f, area, state),
            Overlay::Transfer(_) => transfer_dialogs::draw(f, area, state, pictures),
            Overlay::Account(v) => account_view::draw(f, area, state, v),
            Overlay::LinkMenu(m) => link_menu::draw(f, area, state, m),
            Overlay::Profiles(v) => profiles_view::draw(f, area, state, v),
            Overlay::LinkCheck(b) => link_check::draw(f, area, state, b),
            Overlay::Finder(v) => finder::draw(f, area, state, v),
            Overlay::Usage(v) => usage::draw(f, area, state, v),
            Overlay::Dupes(v) => dupes::draw(f, area, state, v),
            Overlay::Health(v) => health::draw(f, area, state, v),
            Overlay::HealthDays(p) => health::draw_days(f, area, state, p),
        }
    }
}
