//! The profile picker: one line per profile of config.toml, the one running marked `*`, and
//! whether each has a saved login.

use super::widgets::{centered, popup};
use crate::app::State;
use crate::app::profiles_view::ProfilesView;
use crate::text::{sanitize, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &ProfilesView) {
    let t = &state.theme;
    let all = &state.settings.profiles;
    let current = state.settings.profile.as_deref();
    let names: Vec<String> = all.iter().map(|p| sanitize(&p.name)).collect();
    let name_w = names.iter().map(|n| width(n)).max().unwrap_or(0).max(8);
    let w = (name_w as u16 + 24).min(area.width.saturating_sub(2)).max(20);
    let h = (all.len().min(200) as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    let inner = popup(f, r, "Profiles", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    // Keep the cursor in sight in a short box.
    let rows = usize::from(inner.height);
    let skip = v.cursor.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = all
        .iter()
        .zip(&names)
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(i, (p, name))| {
            let mark = if Some(p.name.as_str()) == current {
                "*"
            } else {
                " "
            };
            let login = if p.logged_in { "logged in" } else { "not logged in" };
            let text = format!("{mark} {name:<name_w$}  {login}");
            let pad = usize::from(inner.width).saturating_sub(width(&text));
            let style = if i == v.cursor {
                t.cursor
            } else if p.logged_in {
                t.base
            } else {
                t.dim
            };
            Line::from(Span::styled(format!("{text}{}", " ".repeat(pad)), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
