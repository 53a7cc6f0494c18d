//! The link menu: the formats on the left, the text the highlighted one makes below them.

use super::widgets::{centered, popup};
use crate::app::State;
use crate::app::link_menu::LinkMenu;
use crate::text::{fit, sanitize};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, area: Rect, state: &State, m: &LinkMenu) {
    let t = &state.theme;
    let w = area.width.saturating_sub(2).min(90);
    let h = (m.formats.len() as u16 + 12).min(area.height);
    let inner = popup(f, centered(area, w, h), "Copy links as", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let cols = inner.width as usize;
    let mut lines: Vec<Line> = m
        .formats
        .iter()
        .enumerate()
        .map(|(i, fmt)| {
            let style = if i == m.cursor { t.cursor } else { Style::default() };
            let mark = if i == 0 { " (default)" } else { "" };
            Line::styled(fit(&format!("  {}{mark}", sanitize(&fmt.name)), cols), style)
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(fit("preview:", cols), t.dim));
    match m.preview() {
        Ok(text) => lines.extend(text.lines().map(|l| Line::raw(sanitize(l)))),
        Err(e) => lines.push(Line::styled(sanitize(&e), t.error)),
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
