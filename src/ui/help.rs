//! The help overlay: every action with its keys, with a filter. Drawn from a list of
//! (section, keys, description) rows and sized to them and to the screen.

use super::widgets::{centered, input_line, popup};
use crate::app::State;
use crate::app::layer::{self, Layer};
use crate::app::state::HelpState;
use crate::text::{fit, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The keys column at most; longer lists of keys get a line of their own.
const KEYS_W: usize = 20;

/// One line of the help: the keys and what they do, under a section heading (none when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    pub section: String,
    pub keys: String,
    pub description: String,
}

impl HelpRow {
    fn matches(&self, filter: &str) -> bool {
        let f = filter.trim().to_lowercase();
        f.is_empty()
            || self.keys.to_lowercase().contains(&f)
            || self.description.to_lowercase().contains(&f)
            || self
                .section
                .rsplit_once('[')
                .is_some_and(|(_, layer)| layer.to_lowercase().contains(&f))
    }
}

/// The rows of the keymap, a section per layer: the layer help was opened from (and the
/// global one behind it) first, the others in their usual order.
pub fn rows(state: &State) -> Vec<HelpRow> {
    let all = state.keymap.help_entries();
    let first = layer::layer_below_help(state).chain();
    let order = first
        .iter()
        .copied()
        .chain(Layer::ALL.iter().copied().filter(|l| !first.contains(l)));
    let mut out = Vec::new();
    for l in order {
        let section = format!("{} [keymap.{}]", l.title(), l.name());
        out.extend(all.iter().filter(|e| e.layer == l).map(|e| HelpRow {
            section: section.clone(),
            keys: e.keys.clone(),
            description: format!("{} ({})", e.description, e.action.name()),
        }));
    }
    out
}

pub fn draw(f: &mut Frame, area: Rect, state: &State) {
    let Some(help) = state.overlays.help() else { return };
    draw_rows(f, area, state, help, &rows(state));
}

/// Lines of `rows` (headings included) in `cols` cells, keys in a column `keys_w` wide.
fn lines<'a>(rows: &[&HelpRow], keys_w: usize, cols: usize, state: &State) -> Vec<Line<'a>> {
    let t = &state.theme;
    let mut out = Vec::new();
    let mut section = "";
    for r in rows {
        if r.section != section && !r.section.is_empty() {
            out.push(Line::styled(fit(&r.section, cols), t.header));
        }
        section = &r.section;
        let desc_w = cols.saturating_sub(keys_w + 2);
        if width(&r.keys) > keys_w {
            // A long list of keys gets a line of its own, the description under it.
            out.push(Line::styled(fit(&r.keys, cols), t.key));
            out.push(Line::from(vec![
                Span::raw(" ".repeat(keys_w + 2)),
                Span::raw(fit(&r.description, desc_w)),
            ]));
            continue;
        }
        out.push(Line::from(vec![
            Span::styled(fit(&r.keys, keys_w), t.key),
            Span::raw("  "),
            Span::raw(fit(&r.description, desc_w)),
        ]));
    }
    out
}

/// The box for the help: as wide as its widest row (and at least 40 cells) and as tall as all
/// rows, within `area` (the screen above its bars) less a margin.
fn size(area: Rect, rows: &[HelpRow], keys_w: usize) -> (u16, u16) {
    let widest = rows
        .iter()
        .map(|r| (keys_w + 2 + width(&r.description)).max(width(&r.section)))
        .max()
        .unwrap_or(0);
    let sections = rows.windows(2).filter(|p| p[0].section != p[1].section).count()
        + usize::from(rows.first().is_some_and(|r| !r.section.is_empty()));
    let max_w = area.width.saturating_sub(4).max(20.min(area.width));
    let w = (widest + 2).max(40).min(max_w as usize) as u16;
    // A row of margin above and below, unless the screen is too small to spare them.
    let max_h = if area.height > 10 {
        area.height - 2
    } else {
        area.height
    };
    let doubled = rows.iter().filter(|r| width(&r.keys) > keys_w).count();
    let h = (rows.len() + doubled + sections + 3).min(max_h as usize) as u16;
    (w, h)
}

/// The help over `area`: `help`'s filter and scroll applied to `rows`.
pub fn draw_rows(f: &mut Frame, area: Rect, state: &State, help: &HelpState, rows: &[HelpRow]) {
    let t = &state.theme;
    let keys_all = rows.iter().map(|r| width(&r.keys)).max().unwrap_or(0).min(KEYS_W);
    let (w, h) = size(area, rows, keys_all);
    let outer = centered(area, w, h);
    let inner = popup(f, outer, "Keys", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let (line, cursor) = input_line("filter: ", &help.filter, inner.width, false, true, t.base);
    let mut out = vec![line];
    f.set_cursor_position(Position::new(inner.x + cursor, inner.y));
    let shown: Vec<&HelpRow> = rows.iter().filter(|r| r.matches(help.filter.value())).collect();
    if shown.is_empty() {
        out.push(Line::styled("no key matches", t.dim));
    }
    let keys_w = shown
        .iter()
        .map(|r| width(&r.keys))
        .max()
        .unwrap_or(0)
        .min(KEYS_W)
        .min(inner.width as usize / 2);
    let body = lines(&shown, keys_w, inner.width as usize, state);
    let room = inner.height.saturating_sub(1) as usize;
    let scroll = help.scroll.min(body.len().saturating_sub(room));
    let total = body.len();
    out.extend(body.into_iter().skip(scroll).take(room));
    f.render_widget(Paragraph::new(out), inner);
    if total > room {
        // Where the page is, on the top border: more lies below or above.
        let label = format!(" {}–{} of {} ", scroll + 1, (scroll + room).min(total), total);
        let lw = width(&label) as u16;
        if lw + 12 < outer.width {
            let at = Rect::new(outer.right() - 2 - lw, outer.y, lw, 1);
            f.render_widget(Paragraph::new(Span::styled(label, t.dim)), at);
        }
    }
}
