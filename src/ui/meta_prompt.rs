//! The metadata side's prompts (copy / delete confirmation, a tag for the selection, the
//! server-side filter), the found files shown in place of the list, and the key bar's hints
//! while any of them (or an editor) has the keys.

use super::meta::candidates_line;
use super::widgets::{centered, cut, input_line, pane_frame, popup, spinner};
use crate::app::dialog::Target;
use crate::app::layout::Areas;
use crate::app::meta::{ConfirmKind, Prompt};
use crate::app::plural::count;
use crate::app::{Pane, State};
use crate::metadata::ListField;
use crate::text::{fit, sanitize};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn name_lines(targets: &[Target], max: usize, cols: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line> = targets
        .iter()
        .take(max)
        .map(|t| Line::raw(cut(&format!("  {}", t.name), cols as u16)))
        .collect();
    if targets.len() > max {
        out.push(Line::raw(format!("  and {} more", targets.len() - max)));
    }
    out
}

pub fn draw_prompt(f: &mut Frame, area: Rect, state: &State) {
    let Some(p) = state.overlays.prompt() else { return };
    let t = &state.theme;
    let w = area.width.saturating_sub(2).min(64);
    let (title, h) = match p {
        Prompt::Confirm(c) => (
            match c.kind {
                ConfirmKind::Copy { .. } => "Copy metadata",
                ConfirmKind::Delete => "Delete metadata",
            },
            c.targets.len().min(10) as u16 + 6,
        ),
        Prompt::Tag(p) if p.add => ("Add a tag", 7),
        Prompt::Tag(_) => ("Remove a tag", 7),
        Prompt::Find(_) => ("Find by metadata (server)", 8),
    };
    let r = centered(area, w, h.min(area.height));
    let inner = popup(f, r, title, state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let cols = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    match p {
        Prompt::Confirm(c) => {
            let (q, verb) = match &c.kind {
                ConfirmKind::Copy { name, .. } => (
                    format!(
                        "Copy the metadata of {name} to {}?",
                        count(c.targets.len(), "file")
                    ),
                    "Copy",
                ),
                ConfirmKind::Delete => (
                    format!("Delete the metadata of {}?", count(c.targets.len(), "file")),
                    "Delete",
                ),
            };
            lines.push(Line::raw(cut(&q, inner.width)));
            lines.extend(name_lines(&c.targets, 10, cols));
            lines.push(Line::raw(""));
            let btn = |label: &str, on: bool| {
                Span::styled(format!("[ {label} ]"), if on { t.cursor } else { t.base })
            };
            lines.push(Line::from(vec![
                btn(verb, c.yes),
                Span::raw("  "),
                btn("Cancel", !c.yes),
            ]));
        }
        Prompt::Tag(p) => {
            let what = if p.add { "to" } else { "from" };
            lines.push(Line::raw(cut(
                &format!("The tag, {what} {}:", count(p.targets.len(), "file")),
                inner.width,
            )));
            let (l, c) = input_line("tag: ", &p.input.input, inner.width, false, true, t.base);
            cursor = Some((lines.len(), c));
            lines.push(l);
            let cands = state.meta.vocab.candidates(ListField::Tags, p.input.value(), &[]);
            if !cands.is_empty() {
                lines.push(candidates_line(state, &cands, p.pick, cols));
            }
            if let Some(e) = &p.error {
                lines.push(Line::styled(cut(e, inner.width), t.error));
            }
        }
        Prompt::Find(p) => {
            let mut spans = vec![Span::raw("by: ")];
            for fld in ListField::ALL {
                let s = format!(" {} ", fld.singular());
                spans.push(Span::styled(s, if fld == p.by { t.cursor } else { t.dim }));
            }
            spans.push(Span::styled("  (Shift-Tab)".to_string(), t.dim));
            lines.push(Line::from(spans));
            let label = format!("{}: ", p.by.singular());
            let (l, c) = input_line(&label, &p.input.input, inner.width, false, true, t.base);
            cursor = Some((lines.len(), c));
            lines.push(l);
            let cands = state.meta.vocab.candidates(p.by, p.input.value(), &[]);
            if !cands.is_empty() {
                lines.push(candidates_line(state, &cands, p.pick, cols));
            }
            if let Some(e) = &p.error {
                lines.push(Line::styled(cut(e, inner.width), t.error));
            }
        }
    }
    if let Some((row, col)) = cursor
        && (row as u16) < inner.height
    {
        f.set_cursor_position(Position::new(inner.x + col, inner.y + row as u16));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The files the server found, in place of the list.
pub fn draw_found(f: &mut Frame, r: Rect, state: &State, a: &Areas) {
    let Some(found) = &state.meta.found else { return };
    let t = &state.theme;
    let mut title = format!(
        " Found: {} {:?} · {}",
        found.by.singular(),
        sanitize(&found.value),
        found.rows.len()
    );
    if let Some(total) = found.total {
        title.push_str(&format!(" of {total}"));
    }
    if found.loading {
        title.push_str(&format!(" · {} loading…", spinner(state.tick)));
    }
    title.push(' ');
    let Some(inner) = pane_frame(f, state, a, Pane::Files, r, &title) else {
        return;
    };
    let cols = inner.width as usize;
    let name_w = (cols * 2 / 5).max(8).min(cols);
    let title_w = (cols.saturating_sub(name_w + 1) / 2).max(1);
    let tags_w = cols.saturating_sub(name_w + title_w + 2);
    let mut lines = vec![Line::styled(
        fit(
            &format!("{} {} {}", fit("Name", name_w), fit("Title", title_w), "Tags"),
            cols,
        ),
        t.header,
    )];
    if found.rows.is_empty() {
        let (msg, style) = match (&found.error, found.loading) {
            (Some(e), _) => (format!("error: {e}"), t.error),
            (None, true) => ("asking the server…".to_string(), t.dim),
            (None, false) => (
                format!("no file has {} {:?}", found.by.singular(), sanitize(&found.value)),
                t.dim,
            ),
        };
        lines.push(Line::styled(cut(&msg, inner.width), style));
        f.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let rows = inner.height.saturating_sub(1) as usize;
    let offset = found.cursor.saturating_sub(rows.saturating_sub(1));
    for (i, row) in found.rows.iter().enumerate().skip(offset).take(rows) {
        let tags: Vec<String> = row.meta.tags.iter().map(|x| sanitize(x)).collect();
        let text = format!(
            "{} {} {}",
            fit(&row.name, name_w),
            fit(&sanitize(&row.meta.title), title_w),
            fit(&tags.join(", "), tags_w)
        );
        let style = if i == found.cursor { t.cursor } else { t.base };
        lines.push(Line::styled(text, style));
    }
    if let Some(e) = &found.error
        && lines.len() < inner.height as usize
    {
        lines.push(Line::styled(cut(&format!("error: {e}"), inner.width), t.error));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
