//! The help overlay: every action with its keys, generated from the keymap, with a filter.

use super::widgets::{centered, input_line, popup};
use crate::app::State;
use crate::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, state: &State) {
    let Some(help) = &state.help else { return };
    let t = &state.theme;
    let w = area.width.saturating_sub(4).clamp(20.min(area.width), 76);
    let h = area.height.saturating_sub(2).max(3.min(area.height));
    let r = centered(area, w, h);
    let inner = popup(f, r, "Keys", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let (line, cursor) = input_line("filter: ", &help.filter, inner.width, false, true, t.base);
    let mut lines = vec![line];
    f.set_cursor_position(Position::new(inner.x + cursor, inner.y));
    let entries: Vec<_> = state
        .keymap
        .help_entries()
        .into_iter()
        .filter(|e| e.matches(help.filter.value()))
        .collect();
    if entries.is_empty() {
        lines.push(Line::styled("no key matches", t.dim));
    }
    let keys_w = entries
        .iter()
        .map(|e| width(&e.keys))
        .max()
        .unwrap_or(0)
        .min(inner.width as usize / 2);
    let room = inner.height.saturating_sub(1) as usize;
    let scroll = help.scroll.min(entries.len().saturating_sub(room));
    for e in entries.iter().skip(scroll).take(room) {
        let desc_w = (inner.width as usize).saturating_sub(keys_w + 2);
        lines.push(Line::from(vec![
            Span::styled(fit(&e.keys, keys_w), t.key),
            Span::raw("  "),
            Span::raw(fit(&format!("{} ({})", e.description, e.action.name()), desc_w)),
        ]));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
