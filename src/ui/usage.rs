//! The usage view: the folder's totals on top, then its folders largest first, each with a bar
//! of its share, its size, files and downloads.

use super::widgets::{centered, popup};
use crate::app::State;
use crate::app::plural::count;
use crate::app::usage::UsageView;
use crate::text::{fit, fit_right, human_bytes};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const BAR: usize = 10;

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &UsageView) {
    let t = &state.theme;
    let w = area.width.saturating_sub(4).clamp(30, 110);
    let h = area.height.saturating_sub(4).clamp(5, 30);
    let inner = popup(f, centered(area, w, h), "Usage", state);
    if inner.width == 0 || inner.height < 2 {
        return;
    }
    let cols = usize::from(inner.width);
    let mut lines = Vec::new();
    if let Some(note) = &v.note {
        lines.push(Line::from(Span::styled(fit(note, cols), t.dim)));
    }
    if let Some(top) = v.rows.first() {
        let head = format!(
            "{}  {} in {}, {}, {}",
            top.path,
            human_bytes(top.size),
            count(top.files as usize, "file"),
            count(top.folders as usize, "folder"),
            count(top.downloads as usize, "download")
        );
        lines.push(Line::from(Span::styled(fit(&head, cols), t.title)));
    }
    let rows = usize::from(inner.height).saturating_sub(lines.len());
    let skip = v.cursor.saturating_sub(rows.saturating_sub(1));
    let total = v.rows.first().map_or(0, |r| r.size).max(1);
    for (i, r) in v.children().iter().enumerate().skip(skip).take(rows) {
        let filled = ((r.size as f64 / total as f64) * BAR as f64).round() as usize;
        let bar = format!(
            "[{}{}]",
            "#".repeat(filled.min(BAR)),
            " ".repeat(BAR - filled.min(BAR))
        );
        let figures = format!(
            "{} {:>13} {:>6} dl",
            fit_right(&human_bytes(r.size), 10),
            count(r.files as usize, "file"),
            r.downloads
        );
        let name = r.path.rsplit('/').next().unwrap_or(&r.path);
        let room = cols.saturating_sub(BAR + 3 + figures.chars().count() + 1);
        let text = format!("{figures} {bar} {}", fit(&format!("{name}/"), room));
        let style = if i == v.cursor { t.cursor } else { t.base };
        lines.push(Line::from(Span::styled(fit(&text, cols), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
