//! The duplicates view: the summary on top, then each group (its size and what it wastes)
//! with its copies: kept or to delete, size, downloads, date and full path.

use super::widgets::{centered, day, popup};
use crate::app::State;
use crate::app::dupes::{DupeCopy, DupeGroup, DupesView};
use crate::text::{fit, fit_right, human_bytes, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A line of the list: a group's heading, or one of its copies (its row number).
enum Row<'a> {
    Group(&'a DupeGroup),
    Copy(&'a DupeCopy, usize),
}

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &DupesView) {
    let t = &state.theme;
    let w = area.width.saturating_sub(4).clamp(30, 130);
    // As tall as the groups need, within the screen.
    let wanted = (v.len() + v.groups.len() + 3).min(usize::from(u16::MAX)) as u16;
    let h = area.height.saturating_sub(4).clamp(5, 40).min(wanted.max(5));
    let inner = popup(f, centered(area, w, h), "Duplicates", state);
    if inner.width == 0 || inner.height < 2 {
        return;
    }
    let cols = usize::from(inner.width);
    let mut lines = Vec::new();
    match &v.note {
        Some(note) => lines.push(Line::from(Span::styled(fit(note, cols), t.dim))),
        None => lines.push(Line::from(Span::styled(fit(&v.summary(), cols), t.title))),
    }
    let rows = list(v);
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let at = rows
        .iter()
        .position(|r| matches!(r, Row::Copy(_, n) if *n == v.cursor))
        .unwrap_or(0);
    // The cursor's group heading stays in sight when it can.
    let skip = at.saturating_sub(room.saturating_sub(1));
    for r in rows.iter().skip(skip).take(room) {
        let line = match r {
            Row::Group(g) => Line::from(Span::styled(fit(&heading(g), cols), t.dim)),
            Row::Copy(c, n) => {
                let (style, mark) = if *n == v.cursor {
                    (t.cursor, t.cursor)
                } else if c.keep {
                    (t.base, t.success)
                } else {
                    (t.base, t.error)
                };
                copy_line(c, cols, style, mark)
            }
        };
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn list(v: &DupesView) -> Vec<Row<'_>> {
    let mut rows = Vec::with_capacity(v.len() + v.groups.len());
    let mut n = 0;
    for g in &v.groups {
        rows.push(Row::Group(g));
        for c in &g.copies {
            rows.push(Row::Copy(c, n));
            n += 1;
        }
    }
    rows
}

fn heading(g: &DupeGroup) -> String {
    let md5: String = g.md5.chars().take(8).collect();
    format!(
        "{} of {}, {} wasted  md5 {md5}",
        copies(g.copies.len()),
        human_bytes(g.size),
        human_bytes(g.wasted())
    )
}

fn copies(n: usize) -> String {
    if n == 1 {
        "1 copy".into()
    } else {
        format!("{n} copies")
    }
}

fn copy_line(c: &DupeCopy, cols: usize, style: Style, mark_style: Style) -> Line<'static> {
    let mark = if c.keep { " keep" } else { " del " };
    let created = chrono::DateTime::from_timestamp(c.created.unwrap_or(i64::MIN), 0);
    let dl = c.downloads.map_or_else(|| "?".to_string(), |d| d.to_string());
    let figures = format!(
        " {} {:>6} dl {:10} ",
        fit_right(&human_bytes(c.size), 10),
        dl,
        day(created)
    );
    let room = cols.saturating_sub(width(&figures) + width(mark));
    let text = format!("{figures}{}", tail(&c.path, room));
    Line::from(vec![
        Span::styled(mark, mark_style),
        Span::styled(fit(&text, cols.saturating_sub(width(mark))), style),
    ])
}

/// The end of a path in `cols` cells ("…/2024/a.mp4"): the name matters most.
fn tail(path: &str, cols: usize) -> String {
    if width(path) <= cols {
        return path.to_string();
    }
    if cols == 0 {
        return String::new();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut w = 1;
    for ch in path.chars().rev() {
        let cw = width(ch.encode_utf8(&mut [0; 4]));
        if w + cw > cols {
            break;
        }
        kept.push(ch);
        w += cw;
    }
    kept.push('…');
    kept.into_iter().rev().collect()
}
