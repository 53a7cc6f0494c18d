//! The help overlay: every action with its keys, generated from the keymap, with a filter.

use super::widgets::{centered, input_line, popup};
use crate::app::State;
use crate::app::keymap::HelpEntry;
use crate::app::layer::{self, Layer};
use crate::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, state: &State) {
    let Some(help) = state.overlays.help() else { return };
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
    let entries = sections(state, help.filter.value());
    if entries.is_empty() {
        lines.push(Line::styled("no key matches", t.dim));
    }
    let keys_w = entries
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|e| width(&e.keys)))
        .max()
        .unwrap_or(0)
        .min(inner.width as usize / 2);
    let room = inner.height.saturating_sub(1) as usize;
    let scroll = help.scroll.min(entries.len().saturating_sub(room));
    for row in entries.iter().skip(scroll).take(room) {
        let desc_w = (inner.width as usize).saturating_sub(keys_w + 2);
        match row {
            Err(title) => lines.push(Line::styled(fit(title, inner.width as usize), t.title)),
            Ok(e) => lines.push(Line::from(vec![
                Span::styled(fit(&e.keys, keys_w), t.key),
                Span::raw("  "),
                Span::raw(fit(&format!("{} ({})", e.description, e.action.name()), desc_w)),
            ])),
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Help's rows: a heading (`Err`) per layer, then its bindings (`Ok`); the layer that had the
/// keys when help opened comes first, the others in their usual order.
fn sections(state: &State, filter: &str) -> Vec<Result<HelpEntry, String>> {
    let all = state.keymap.help_entries();
    let below = layer::layer_below_help(state);
    let first = below.chain();
    let order = first
        .iter()
        .copied()
        .chain(Layer::ALL.iter().copied().filter(|l| !first.contains(l)));
    let mut out = Vec::new();
    for l in order {
        let mine: Vec<&HelpEntry> = all.iter().filter(|e| e.layer == l && e.matches(filter)).collect();
        if mine.is_empty() {
            continue;
        }
        out.push(Err(format!("{} [keymap.{}]", l.title(), l.name())));
        out.extend(mine.into_iter().cloned().map(Ok));
    }
    out
}
