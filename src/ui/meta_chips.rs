//! Chips and one-line inputs, laid out by display width (CJK and emoji take two cells).

use crate::app::State;
use crate::text::{sanitize, truncate, width};
use ratatui::text::{Line, Span};
use tui_input::Input;
use unicode_width::UnicodeWidthChar;

/// Least room an input keeps beside chips before it goes to a line of its own.
const MIN_INPUT: usize = 12;

/// The visible part of an input in `room` cells, and the cursor's column in it.
pub fn input_segment(state: &State, input: &Input, room: usize, live: bool) -> (Line<'static>, u16) {
    let room = room.max(1);
    let value = sanitize(input.value());
    // tui-input counts in display columns of the raw value; sanitizing keeps one column per
    // character for ordinary text.
    let scroll = if live {
        input.visual_scroll(room.saturating_sub(1))
    } else {
        0
    };
    let mut shown = String::new();
    let mut col = 0;
    for c in value.chars() {
        let w = c.width().unwrap_or(0);
        if col >= scroll && col + w <= scroll + room {
            shown.push(c);
        }
        col += w;
    }
    if !live {
        shown = truncate(&value, room);
    }
    let cur = input
        .visual_cursor()
        .saturating_sub(scroll)
        .min(room.saturating_sub(1));
    let style = super::meta::field_style(state, live);
    // A live input shows one more underlined cell for the cursor at its end.
    let pad = if live && width(&shown) < room { " " } else { "" };
    let line = Line::from(vec![Span::styled(shown, style), Span::styled(pad, style)]);
    (line, cur as u16)
}

fn chip_text(item: &str, room: usize) -> String {
    format!("[{}]", truncate(&sanitize(item), room.saturating_sub(2).max(1)))
}

/// Chips wrapped to `room` cells, then the input when it is live; the cursor as (line, col).
pub fn chip_editor_lines(
    state: &State,
    items: &[String],
    chip: Option<usize>,
    input: Option<&Input>,
    room: usize,
) -> (Vec<Line<'static>>, Option<(usize, u16)>) {
    let t = &state.theme;
    let room = room.max(3);
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut w = 0usize;
    let mut cursor = None;
    for (i, item) in items.iter().enumerate() {
        let s = chip_text(item, room);
        let sw = width(&s);
        if w > 0 && w + 1 + sw > room {
            lines.push(Vec::new());
            w = 0;
        }
        let row = lines.len() - 1;
        let cur = &mut lines[row];
        if w > 0 {
            cur.push(Span::raw(" "));
            w += 1;
        }
        let on = chip == Some(i);
        if on {
            cursor = Some((row, w as u16));
        }
        cur.push(Span::styled(s, if on { t.cursor } else { t.selected }));
        w += sw;
    }
    if let Some(input) = input {
        let need = (width(&sanitize(input.value())) + 1).clamp(MIN_INPUT.min(room), room);
        if w > 0 && w + 1 + need > room {
            lines.push(Vec::new());
            w = 0;
        } else if w > 0
            && let Some(line) = lines.last_mut()
        {
            line.push(Span::raw(" "));
            w += 1;
        }
        let live = chip.is_none();
        let (seg, cur) = input_segment(state, input, room - w, live);
        if live {
            cursor = Some((lines.len() - 1, w as u16 + cur));
        }
        match lines.last_mut() {
            Some(line) => line.extend(seg.spans),
            None => lines.push(seg.spans),
        }
    }
    (lines.into_iter().map(Line::from).collect(), cursor)
}

/// Chips without an input (the view).
pub fn chip_lines(
    state: &State,
    items: &[String],
    chip: Option<usize>,
    input: Option<&Input>,
    room: usize,
) -> Vec<Line<'static>> {
    chip_editor_lines(state, items, chip, input, room).0
}

/// One line of chips and the input for a row: the part around the cursor when it is too long.
pub fn chip_window(
    state: &State,
    items: &[String],
    chip: Option<usize>,
    input: &Input,
    room: usize,
) -> (Line<'static>, u16) {
    let t = &state.theme;
    let room = room.max(4);
    let texts: Vec<String> = items.iter().map(|i| chip_text(i, room / 2)).collect();
    // The input's share: what it holds plus a cell, at least MIN_INPUT when there is room.
    let input_w = (width(&sanitize(input.value())) + 1).clamp(MIN_INPUT.min(room / 2), room / 2 + 1);
    // Leave out chips from the left until the one with the cursor (or the input) fits.
    let focus = chip.unwrap_or(texts.len());
    let mut start = 0;
    let total = |start: usize| -> usize {
        let end = if chip.is_some() { focus + 1 } else { texts.len() };
        let mut w: usize = texts[start..end].iter().map(|s| width(s) + 1).sum();
        if start > 0 {
            w += 2;
        }
        if chip.is_none() {
            w += input_w;
        }
        w
    };
    while start < focus.min(texts.len()) && total(start) > room {
        start += 1;
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut w = 0;
    if start > 0 {
        spans.push(Span::styled("… ".to_string(), t.dim));
        w += 2;
    }
    let mut cursor = 0u16;
    for (i, s) in texts.iter().enumerate().skip(start) {
        let sw = width(s);
        if w + sw > room {
            break;
        }
        let on = chip == Some(i);
        if on {
            cursor = w as u16;
        }
        spans.push(Span::styled(s.clone(), if on { t.cursor } else { t.selected }));
        spans.push(Span::raw(" "));
        w += sw + 1;
    }
    if w < room {
        let live = chip.is_none();
        let (seg, cur) = input_segment(state, input, room - w, live);
        if live {
            cursor = w as u16 + cur;
        }
        spans.extend(seg.spans);
    }
    (Line::from(spans), cursor)
}
