//! The transfer dialogs drawn over everything: local paths to upload (with the completion
//! candidates), URLs for a remote upload, share links to download, a captcha (its image in the terminal), and the quit
//! confirmation.

use super::pictures::Pictures;
use super::widgets::{centered, cut, input_line, popup};
use crate::app::State;
use crate::app::transfers::Form;
use crate::app::transfers::forms::{CaptchaForm, DetailsForm, Lines, QuitForm, RemoteForm, UploadForm};
use crate::app::transfers::story::story;
use crate::text::{sanitize, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, area: Rect, state: &State, pictures: &Pictures) {
    let Some(form) = state.overlays.form() else {
        return;
    };
    let w = area.width.saturating_sub(2).min(76);
    let want_h: u16 = match form {
        Form::Upload(u) => u.text.lines.len().min(8) as u16 + 6 + candidate_rows(u, w) as u16,
        Form::Remote(r) | Form::Links(r) => r.text.lines.len().min(10) as u16 + 5,
        Form::Captcha(c) => c.prompt.picture.as_ref().map_or(2, |p| p.rows) + 7,
        Form::Quit(_) => 7,
        Form::Details(d) => state
            .transfers
            .rows
            .get(d.id)
            .map_or(3, |v| story(state, v).len() as u16 + 2),
    };
    let r = centered(area, w, want_h.min(area.height));
    let inner = popup(f, r, form.title(), state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    match form {
        Form::Upload(u) => upload(f, inner, state, u),
        Form::Remote(rf) => lines_form(
            f,
            inner,
            state,
            rf,
            "URLs for the service to fetch into your account, one per line",
        ),
        Form::Links(rf) => lines_form(
            f,
            inner,
            state,
            rf,
            "share links (https://k2s.cc/file/...) or file ids to download, one per line",
        ),
        Form::Captcha(c) => captcha(f, inner, state, c, pictures),
        Form::Quit(q) => quit(f, inner, state, q),
        Form::Details(d) => details(f, inner, state, d),
    }
}

/// The completion candidates packed into rows of `cols` cells (indices), at most 4 rows.
fn pack(u: &UploadForm, cols: u16) -> Vec<Vec<usize>> {
    let cols = cols.max(1) as usize;
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = cols;
    for (i, c) in u.completion.shown.iter().enumerate() {
        let w = width(&c.label) + 2;
        if used + w > cols && used > 0 {
            if rows.len() == 4 {
                break;
            }
            rows.push(Vec::new());
            used = 0;
        }
        if let Some(r) = rows.last_mut() {
            r.push(i);
        }
        used += w;
    }
    rows
}

fn candidate_rows(u: &UploadForm, w: u16) -> usize {
    pack(u, w.saturating_sub(2)).len()
}

/// The text lines of a form, the one being edited with its cursor; from `y` on.
fn text_lines<'a>(
    lines: &mut Vec<Line<'a>>,
    text: &Lines,
    cols: u16,
    room: usize,
    state: &State,
) -> Option<(u16, u16)> {
    let t = &state.theme;
    let room = room.max(1);
    let start = text.row.saturating_sub(room - 1);
    let mut cursor = None;
    for (i, input) in text.lines.iter().enumerate().skip(start).take(room) {
        if i == text.row {
            let (l, c) = input_line("› ", input, cols, false, true, t.base);
            cursor = Some((c, lines.len() as u16));
            lines.push(l);
        } else {
            lines.push(Line::raw(cut(&format!("  {}", sanitize(input.value())), cols)));
        }
    }
    cursor
}

fn finish(f: &mut Frame, inner: Rect, lines: Vec<Line>, cursor: Option<(u16, u16)>) {
    if let Some((x, y)) = cursor
        && y < inner.height
    {
        f.set_cursor_position(Position::new(inner.x + x, inner.y + y));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn upload(f: &mut Frame, inner: Rect, state: &State, u: &UploadForm) {
    let t = &state.theme;
    let cols = inner.width;
    let mut lines = vec![
        Line::styled(cut(&format!("into {}", sanitize(&u.parent_path)), cols), t.title),
        Line::styled(
            cut(
                "paths separated by spaces or one per line; quote or \\ names with spaces",
                cols,
            ),
            t.dim,
        ),
    ];
    let packed = pack(u, cols);
    let room = (inner.height as usize).saturating_sub(lines.len() + packed.len() + 1);
    let cursor = text_lines(&mut lines, &u.text, cols, room, state);
    for row in packed {
        let mut spans = Vec::new();
        for i in row {
            let c = &u.completion.shown[i];
            let style = if u.completion.index == Some(i) {
                t.cursor
            } else {
                t.folder
            };
            spans.push(Span::styled(cut(&c.label, cols), style));
            spans.push(Span::raw("  "));
        }
        lines.push(Line::from(spans));
    }
    if u.checking.is_some() {
        lines.push(Line::styled("checking…", t.info));
    } else if let Some(e) = &u.error {
        lines.push(Line::styled(cut(&sanitize(e), cols), t.error));
    }
    finish(f, inner, lines, cursor);
}

fn lines_form(f: &mut Frame, inner: Rect, state: &State, r: &RemoteForm, header: &str) {
    let t = &state.theme;
    let cols = inner.width;
    let mut lines = vec![Line::styled(cut(header, cols), t.dim)];
    let room = (inner.height as usize).saturating_sub(lines.len() + 1);
    let cursor = text_lines(&mut lines, &r.text, cols, room, state);
    if let Some(e) = &r.error {
        lines.push(Line::styled(cut(&sanitize(e), cols), t.error));
    }
    finish(f, inner, lines, cursor);
}

fn captcha(f: &mut Frame, inner: Rect, state: &State, c: &CaptchaForm, pictures: &Pictures) {
    let t = &state.theme;
    let cols = inner.width;
    let mut y = inner.y;
    let line = |f: &mut Frame, y: &mut u16, l: Line| {
        if *y < inner.y + inner.height {
            f.render_widget(Paragraph::new(l), Rect::new(inner.x, *y, inner.width, 1));
            *y += 1;
        }
    };
    line(
        f,
        &mut y,
        Line::raw(cut(&format!("Free download of {}", sanitize(&c.name)), cols)),
    );
    let ask = if c.prompt.last_wrong {
        Line::styled(
            cut(
                "that answer was wrong: type the characters of this new picture",
                cols,
            ),
            t.error,
        )
    } else {
        Line::styled(cut("type the characters in the picture", cols), t.dim)
    };
    line(f, &mut y, ask);
    let bottom = inner.y + inner.height;
    match &c.prompt.picture {
        Some(p) => {
            // Keep two lines for the answer and the hint.
            let room_h = bottom.saturating_sub(y).saturating_sub(2);
            let pw = p.cols.min(inner.width);
            let ph = p.rows.min(room_h);
            let x = inner.x + (inner.width - pw) / 2;
            if ph > 0 && pw > 0 {
                pictures.with(p, |proto| {
                    let img = ratatui_image::Image::new(proto).allow_clipping(true);
                    f.render_widget(img, Rect::new(x, y, pw, ph));
                });
            }
            y += ph;
        }
        None => {
            let note = c.prompt.note.as_deref().unwrap_or("no image");
            line(f, &mut y, Line::styled(cut(&sanitize(note), cols), t.error));
            line(
                f,
                &mut y,
                Line::raw(cut(&format!("open {}", sanitize(&c.prompt.image_url)), cols)),
            );
        }
    }
    if y < bottom {
        let (l, cx) = input_line("Answer: ", &c.answer, cols, false, true, t.base);
        f.render_widget(Paragraph::new(l), Rect::new(inner.x, y, inner.width, 1));
        f.set_cursor_position(Position::new(inner.x + cx, y));
        y += 1;
    }
    line(
        f,
        &mut y,
        Line::styled(
            cut("then the service may ask to wait: the row counts down", cols),
            t.dim,
        ),
    );
}

fn quit(f: &mut Frame, inner: Rect, state: &State, q: &QuitForm) {
    let t = &state.theme;
    let cols = inner.width;
    // Live: transfers may end while the question is open.
    let n = state.transfers.rows.totals().unfinished();
    let what = if n == 0 {
        "All transfers have finished.".to_string()
    } else if n == 1 {
        "1 transfer is not finished.".to_string()
    } else {
        format!("{n} transfers are not finished.")
    };
    let after = if q.persistent {
        "Quit anyway? They continue the next time k2s starts."
    } else {
        "Quit anyway? The queue is not saved (another k2s owns it): they stop."
    };
    let (yes, no) = if q.yes {
        (t.cursor, t.base)
    } else {
        (t.base, t.cursor)
    };
    let lines = vec![
        Line::styled(cut(&what, cols), t.error),
        Line::raw(""),
        Line::raw(after.to_string()),
        Line::raw(""),
        Line::from(vec![
            Span::styled("[ Quit (y) ]", yes),
            Span::raw("  "),
            Span::styled("[ Stay (n) ]", no),
        ]),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A transfer's details: label and text rows, long texts wrapped.
fn details(f: &mut Frame, r: Rect, state: &State, d: &DetailsForm) {
    let t = &state.theme;
    let Some(v) = state.transfers.rows.get(d.id) else {
        f.render_widget(Paragraph::new(Line::styled("this transfer is gone", t.dim)), r);
        return;
    };
    let rows = story(state, v);
    let label_w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0) + 2;
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(k, text)| {
            let style = if k == "error" { t.error } else { t.base };
            Line::from(vec![
                Span::styled(format!("{k:<label_w$}"), t.dim),
                Span::styled(text, style),
            ])
        })
        .collect();
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((d.scroll.min(u16::MAX as usize) as u16, 0));
    f.render_widget(p, r);
}
