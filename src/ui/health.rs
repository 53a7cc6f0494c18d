//! The health view: a line of sections with their counts (the one shown highlighted), a
//! heading, then the section's files, each with its mark, size, downloads, last download,
//! created and path. Above it, when `n` was typed, the question for the inactive limit.

use super::widgets::{centered, input_line, popup};
use crate::app::State;
use crate::app::health::{
    DAYS_QUESTION, DaysPrompt, HealthFile, HealthView, INACTIVE_DAYS_RANGE, SECTIONS, title,
};
use crate::app::plural::count;
use crate::index::query::Problem;
use crate::text::{fit, fit_right, human_bytes, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The columns before the path: mark, size, downloads, last download, created.
const FIGURES: usize = 2 + 9 + 1 + 6 + 2 + 10 + 2 + 10 + 2;

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &HealthView) {
    let t = &state.theme;
    let w = area.width.saturating_sub(4).clamp(30, 130);
    let h = area.height.saturating_sub(4).clamp(6, 40);
    let inner = popup(f, centered(area, w, h), "Health", state);
    if inner.width == 0 || inner.height < 4 {
        return;
    }
    let cols = usize::from(inner.width);
    if let Some(n) = v.note.as_ref().filter(|_| v.files.is_empty()) {
        // No index, no answer yet, or an error: only what the view knows.
        let line = Line::from(Span::styled(fit(n, cols), t.dim));
        f.render_widget(Paragraph::new(vec![line]), inner);
        return;
    }
    let mut lines = vec![tabs(state, v, cols)];
    let shown = v.shown();
    let all = v.count(v.problem());
    let mut head = format!("{}: {}", title(v.problem(), v.days), count(all, "file"));
    if all > shown.len() {
        head.push_str(&format!(" ({} shown; `k2s health` lists all)", shown.len()));
    }
    if !v.marked.is_empty() {
        head.push_str(&format!(", {} marked", v.marked.len()));
    }
    lines.push(Line::from(Span::styled(fit(&head, cols), t.title)));
    if let Some(n) = &v.note {
        lines.push(Line::from(Span::styled(fit(n, cols), t.dim)));
    }
    if shown.is_empty() {
        let empty = format!("no file is {}", empty_word(v));
        lines.push(Line::from(Span::styled(fit(&empty, cols), t.dim)));
        f.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let header = format!(
        "  {:>9} {:>6}  {:<10}  {:<10}  path",
        "size", "dl", "last dl", "created"
    );
    lines.push(Line::from(Span::styled(fit(&header, cols), t.header)));
    let rows = usize::from(inner.height).saturating_sub(lines.len());
    let skip = v.cursor.saturating_sub(rows.saturating_sub(1));
    for (i, file) in shown.iter().enumerate().skip(skip).take(rows) {
        let marked = v.marked.contains(&file.id);
        let style = match (i == v.cursor, marked) {
            (true, true) => t.cursor_selected,
            (true, false) => t.cursor,
            (false, true) => t.selected,
            (false, false) => t.base,
        };
        lines.push(Line::from(Span::styled(row_text(file, marked, cols), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn row_text(file: &HealthFile, marked: bool, cols: usize) -> String {
    let size = file.size.map(human_bytes).unwrap_or_else(|| "?".into());
    let downloads = file.downloads.map_or_else(|| "?".into(), |d| d.to_string());
    let last = day(file.last_download).unwrap_or_else(|| "never".into());
    let created = day(file.created).unwrap_or_default();
    let text = format!(
        "{} {} {:>6}  {:<10}  {:<10}  {}",
        if marked { "*" } else { " " },
        fit_right(&size, 9),
        downloads,
        last,
        created,
        fit(&file.path, cols.saturating_sub(FIGURES))
    );
    fit(&text, cols)
}

fn day(t: Option<i64>) -> Option<String> {
    let t = chrono::DateTime::from_timestamp(t?, 0)?;
    Some(t.format("%Y-%m-%d").to_string())
}

fn empty_word(v: &HealthView) -> String {
    match v.problem() {
        Problem::Inactive => format!("without a download for {} days", v.days),
        p => p.label().to_string(),
    }
}

/// Every section with its count, the shown one highlighted; short names when the long do
/// not fit.
fn tabs(state: &State, v: &HealthView, cols: usize) -> Line<'static> {
    let t = &state.theme;
    let long: Vec<String> = SECTIONS
        .iter()
        .map(|p| format!("{} {}", title(*p, v.days), v.count(*p)))
        .collect();
    let fits = long.iter().map(|s| width(s) + 3).sum::<usize>() <= cols;
    let names: Vec<String> = if fits {
        long
    } else {
        SECTIONS
            .iter()
            .map(|p| format!("{} {}", short(*p, v.days), v.count(*p)))
            .collect()
    };
    let mut spans = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", t.dim));
        }
        let style = if i == v.section { t.cursor } else { t.base };
        spans.push(Span::styled(name, style));
    }
    Line::from(spans)
}

fn short(p: Problem, days: u64) -> String {
    match p {
        Problem::Blocked => "blocked".into(),
        Problem::Gone => "gone".into(),
        Problem::Unavailable => "unavail.".into(),
        Problem::NeverDownloaded => "never dl".into(),
        Problem::Inactive => format!("idle {days}d"),
    }
}

/// The question for the inactive limit, over the view.
pub fn draw_days(f: &mut Frame, area: Rect, state: &State, p: &DaysPrompt) {
    let t = &state.theme;
    let w = area.width.saturating_sub(2).min(48);
    let h = if p.error.is_some() { 5 } else { 4 };
    let inner = popup(f, centered(area, w, h), "Inactive days", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let (lo, hi) = (INACTIVE_DAYS_RANGE.start(), INACTIVE_DAYS_RANGE.end());
    let mut lines = vec![Line::from(Span::raw(fit(
        &format!("{DAYS_QUESTION} ({lo} to {hi})"),
        usize::from(inner.width),
    )))];
    let (l, col) = input_line("days: ", &p.input, inner.width, false, true, t.base);
    lines.push(l);
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(
            fit(e, usize::from(inner.width)),
            t.error,
        )));
    }
    if inner.height > 1 {
        f.set_cursor_position(Position::new(
            inner.x + col.min(inner.width.saturating_sub(1)),
            inner.y + 1,
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
