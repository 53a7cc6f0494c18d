//! The metadata pane: the record of the file under the cursor (or the form being edited):
//! title, studio, categories / actresses / tags as chips, the description; loading, error and
//! unsaved states. Every value is made terminal-safe before it is drawn.

use super::meta_chips::{chip_lines, input_segment};
use super::widgets::{pane_frame, spinner};
use crate::api::FileMeta;
use crate::app::layout::Areas;
use crate::app::meta::{Editor, Focus, Mode};
use crate::app::{Action, Pane, State};
use crate::metadata::{ListField, MAX_TITLE};
use crate::text::{fit, sanitize, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Width of the labels column.
pub const LABEL: usize = 12;

/// Lines to draw, and where the cursor goes (line index, column).
#[derive(Default)]
pub struct Body {
    pub lines: Vec<Line<'static>>,
    pub cursor: Option<(usize, u16)>,
}

impl Body {
    fn push(&mut self, l: Line<'static>) {
        self.lines.push(l);
    }
}

/// The editor drawn in the pane: the open one when it is for the pane, or for the file shown.
fn pane_editor(state: &State) -> Option<&Editor> {
    let ed = state.meta.editor.as_ref()?;
    let cur = state.list.current().map(|e| e.item.id.as_str());
    (ed.mode == Mode::Pane || Some(ed.file_id.as_str()) == cur).then_some(ed)
}

pub fn draw(f: &mut Frame, r: Rect, state: &State, a: &Areas) {
    let ed = pane_editor(state);
    let name = match ed {
        Some(e) => e.name.clone(),
        None => state.list.current().map(|e| e.name.clone()).unwrap_or_default(),
    };
    // The editor's state first, so that a long name cannot hide it.
    let mut title = format!(" {} ", Pane::Meta.title());
    if let Some(e) = ed {
        if e.saving.is_some() {
            title.push_str(&format!("{} saving… ", spinner(state.tick)));
        } else if e.dirty() {
            title.push_str("● unsaved ");
        } else {
            title.push_str("(editing) ");
        }
    }
    if !name.is_empty() {
        title.push_str(&format!("· {name} "));
    }
    let Some(inner) = pane_frame(f, state, a, Pane::Meta, r, &title) else {
        return;
    };
    let cols = inner.width as usize;
    let body = match ed {
        Some(e) => editor_body(state, e, cols),
        None => view_body(state, cols),
    };
    let rows = inner.height as usize;
    // Keep the cursor's line on screen; else the user's scroll.
    let top = match body.cursor {
        Some((line, _)) if line >= rows => line + 1 - rows,
        Some(_) => 0,
        None => state.meta.scroll.min(body.lines.len().saturating_sub(rows)),
    };
    let shown: Vec<Line> = body.lines.into_iter().skip(top).take(rows).collect();
    if let Some((line, col)) = body.cursor
        && state.focus == Pane::Meta
        && line >= top
        && line < top + rows
    {
        let x = inner.x + col.min(inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, inner.y + (line - top) as u16));
    }
    f.render_widget(Paragraph::new(shown), inner);
}

/// Label cell, highlighted when its field has the focus.
fn label(state: &State, text: &str, focused: bool) -> Span<'static> {
    let t = &state.theme;
    let style = if focused { t.key } else { t.header };
    Span::styled(fit(text, LABEL), style)
}

/// Lines of text made terminal-safe and wrapped to `cols` cells, at spaces when possible.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut out = Vec::new();
    for raw in text.split('\n') {
        let line = sanitize(raw);
        let mut cur = String::new();
        let mut w = 0;
        for word in line.split_inclusive(' ') {
            let ww = width(word.trim_end());
            if w > 0 && w + ww > cols {
                out.push(cur.trim_end().to_string());
                cur.clear();
                w = 0;
            }
            for c in word.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if w + cw > cols && c != ' ' {
                    out.push(std::mem::take(&mut cur));
                    w = 0;
                }
                cur.push(c);
                w += cw;
            }
        }
        out.push(cur.trim_end().to_string());
    }
    out
}

fn view_body(state: &State, cols: usize) -> Body {
    let t = &state.theme;
    let mut b = Body::default();
    let Some(e) = state.list.current() else {
        b.push(Line::styled("no file under the cursor", t.dim));
        return b;
    };
    if e.is_folder() {
        b.push(Line::styled("folders have no metadata", t.dim));
        return b;
    }
    let id = e.id();
    let m = &state.meta;
    let edit = state.keymap.first_key(Action::EditMeta);
    match m.record(id) {
        Some(Some(rec)) => {
            if m.saving(id) {
                b.push(Line::styled(format!("{} saving…", spinner(state.tick)), t.info));
            }
            record_lines(state, rec, cols, &mut b);
        }
        Some(None) => b.push(Line::styled(format!("no metadata yet — {edit} adds some"), t.dim)),
        None => {
            if let Some(err) = m.errors.get(id) {
                let retry = state.keymap.first_key(Action::Refresh);
                for l in wrap(&format!("error: {err} — {retry} retries"), cols) {
                    b.push(Line::styled(l, t.error));
                }
            } else {
                b.push(Line::styled(format!("{} loading…", spinner(state.tick)), t.dim));
            }
        }
    }
    if let Some(d) = m.drafts.get(id).filter(|d| d.saving.is_none()) {
        let err = d.error.clone().unwrap_or_default();
        for l in wrap(
            &format!("unsaved changes kept ({edit} reopens them): {err}"),
            cols,
        ) {
            b.push(Line::styled(l, t.error));
        }
    }
    b
}

fn record_lines(state: &State, rec: &FileMeta, cols: usize, b: &mut Body) {
    let t = &state.theme;
    let room = cols.saturating_sub(LABEL).max(1);
    let text = |k: &str, v: &str, b: &mut Body| {
        b.push(Line::from(vec![
            label(state, k, false),
            Span::styled(truncate(&sanitize(v), room), t.base),
        ]));
    };
    text("Title", &rec.title, b);
    text("Studio", &rec.studio, b);
    for f in ListField::ALL {
        let lines = chip_lines(state, f.get(rec), None, None, room);
        push_chip_lines(state, Focus::List(f).label(), false, lines, b);
    }
    b.push(Line::from(label(state, "Description", false)));
    for l in wrap(&rec.description, cols.saturating_sub(2)) {
        b.push(Line::from(vec![Span::raw("  "), Span::styled(l, t.base)]));
    }
}

fn push_chip_lines(state: &State, name: &str, focused: bool, lines: Vec<Line<'static>>, b: &mut Body) {
    for (i, l) in lines.into_iter().enumerate() {
        let mut spans = vec![if i == 0 {
            label(state, name, focused)
        } else {
            Span::raw(" ".repeat(LABEL))
        }];
        spans.extend(l.spans);
        b.push(Line::from(spans));
    }
}

fn editor_body(state: &State, ed: &Editor, cols: usize) -> Body {
    let t = &state.theme;
    let mut b = Body::default();
    let room = cols.saturating_sub(LABEL).max(1);
    if !ed.loaded() {
        match &ed.load_error {
            Some(e) => {
                for l in wrap(
                    &format!("could not load the metadata: {e} — Enter retries, Esc closes"),
                    cols,
                ) {
                    b.push(Line::styled(l, t.error));
                }
            }
            None => b.push(Line::styled(format!("{} loading…", spinner(state.tick)), t.dim)),
        }
        return b;
    }
    if ed.leaving {
        b.push(Line::styled(
            truncate("Unsaved changes: s save · d discard · Esc stay", cols),
            t.badge,
        ));
    }
    if let Some(e) = &ed.error {
        for l in wrap(e, cols) {
            b.push(Line::styled(l, t.error));
        }
    }
    let focused = |f: Focus| ed.focus == f;
    for f in Focus::ORDER {
        match f {
            Focus::Title | Focus::Studio => {
                let field = if f == Focus::Title { &ed.title } else { &ed.studio };
                let (line, cur) = input_segment(state, &field.input, room, focused(f));
                let mut spans = vec![label(state, f.label(), focused(f))];
                spans.extend(line.spans);
                if focused(f) {
                    b.cursor = Some((b.lines.len(), (LABEL as u16).saturating_add(cur)));
                }
                b.push(Line::from(spans));
                let n = ed.title.value().chars().count();
                if f == Focus::Title && n > MAX_TITLE {
                    b.push(Line::styled(
                        truncate(&format!("  {n}/{MAX_TITLE} characters: too long"), cols),
                        t.error,
                    ));
                }
            }
            Focus::List(lf) => {
                let cl = ed.list(lf);
                let live = focused(f);
                let input = live.then_some(&cl.input.input);
                let chip = if live { cl.chip } else { None };
                let first = b.lines.len();
                let (lines, cur) = super::meta_chips::chip_editor_lines(state, &cl.items, chip, input, room);
                if let (true, Some((row, col))) = (live, cur) {
                    b.cursor = Some((first + row, LABEL as u16 + col));
                }
                push_chip_lines(state, f.label(), live, lines, &mut b);
                if live {
                    let cands = cl.candidates(&state.meta.vocab);
                    if !cands.is_empty() {
                        b.push(candidates_line(state, &cands, cl.pick, cols));
                    }
                }
            }
            Focus::Description => {
                b.push(Line::from(label(state, f.label(), focused(f))));
                let area = &ed.description;
                for (i, input) in area.lines().iter().enumerate() {
                    let live = focused(f) && i == area.row;
                    let (line, cur) = input_segment(state, input, cols.saturating_sub(2), live);
                    if live {
                        b.cursor = Some((b.lines.len(), 2 + cur));
                    }
                    let mut spans = vec![Span::raw("  ")];
                    spans.extend(line.spans);
                    b.push(Line::from(spans));
                }
            }
        }
    }
    b
}

/// "↳ Tab: rock · rockabilly" with the picked one highlighted.
pub fn candidates_line(state: &State, cands: &[String], pick: Option<usize>, cols: usize) -> Line<'static> {
    let t = &state.theme;
    let mut spans = vec![Span::styled("  ↳ Tab: ".to_string(), t.dim)];
    let mut used = 9;
    for (i, c) in cands.iter().enumerate() {
        let s = sanitize(c);
        let w = width(&s) + 3;
        if used + w > cols && i > 0 {
            break;
        }
        used += w;
        if i > 0 {
            spans.push(Span::styled(" · ".to_string(), t.dim));
        }
        let style = if pick == Some(i) || (pick.is_none() && i == 0) {
            t.cursor
        } else {
            t.base
        };
        spans.push(Span::styled(truncate(&s, cols.saturating_sub(9)), style));
    }
    Line::from(spans)
}

/// Style of a value being edited.
pub fn field_style(state: &State, live: bool) -> Style {
    if live {
        state.theme.base.add_modifier(Modifier::UNDERLINED)
    } else {
        state.theme.base
    }
}
