//! Metadata in the file list: the editor drawn in place in a row (title, or tags as chips),
//! its message or completion line just below, and the optional title and tags cells.

use super::meta::candidates_line;
use super::meta_chips::{chip_window, input_segment};
use crate::app::State;
use crate::app::meta::Mode;
use crate::metadata::ListField;
use crate::text::{sanitize, truncate};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Whether the row of `id` is being edited in place.
pub fn editing(state: &State, id: &str) -> bool {
    state
        .meta
        .editor
        .as_ref()
        .is_some_and(|e| e.mode != Mode::Pane && e.file_id == id)
}

/// Draw the inline editor over `row` (one line of the list's `inner` area).
pub fn draw(f: &mut Frame, row: Rect, inner: Rect, state: &State) {
    let Some(ed) = state.meta.editor.as_ref().filter(|e| e.mode != Mode::Pane) else {
        return;
    };
    let t = &state.theme;
    let cols = row.width as usize;
    let mark = if ed.dirty() { "✎*" } else { "✎ " };
    let label = match ed.mode {
        Mode::InlineTags => "tags: ",
        _ => "title: ",
    };
    let mut spans = vec![
        Span::styled(mark.to_string(), t.key),
        Span::styled(label.to_string(), t.header),
    ];
    let used = 2 + label.len();
    let room = cols.saturating_sub(used).max(1);
    let (line, cur) = if !ed.loaded() {
        let text = match &ed.load_error {
            Some(e) => format!("could not load: {e} (Enter retries)"),
            None => "loading…".to_string(),
        };
        (Line::styled(truncate(&text, room), t.dim), 0)
    } else if ed.mode == Mode::InlineTags {
        let l = ed.list(ListField::Tags);
        chip_window(state, &l.items, l.chip, &l.input.input, room)
    } else {
        input_segment(state, &ed.title.input, room, true)
    };
    spans.extend(line.spans);
    super::widgets::clear(f, row);
    f.render_widget(Paragraph::new(Line::from(spans)), row);
    if ed.loaded() {
        let x = row.x + (used as u16).saturating_add(cur).min(row.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, row.y));
    }
    // The message or the completion, on the line below (above on the last line).
    let below = if let Some(e) = &ed.error {
        Some(Line::styled(truncate(&format!("  ! {e}"), cols), t.error))
    } else if ed.mode == Mode::InlineTags && ed.loaded() {
        let l = ed.list(ListField::Tags);
        let cands = l.candidates(&state.meta.vocab);
        (!cands.is_empty()).then(|| candidates_line(state, &cands, l.pick, cols))
    } else {
        None
    };
    if let Some(line) = below {
        let y = if row.y + 1 < inner.y + inner.height {
            row.y + 1
        } else if row.y > inner.y {
            row.y - 1
        } else {
            return;
        };
        let r = Rect { y, ..row };
        super::widgets::clear(f, r);
        f.render_widget(Paragraph::new(line), r);
    }
}

/// The title cell of a row ("…" while its record loads).
pub fn title_cell(state: &State, id: &str) -> String {
    match state.meta.record(id) {
        Some(Some(m)) => sanitize(&m.title),
        Some(None) => String::new(),
        None if state.meta.pending.contains_key(id) => "…".into(),
        None => String::new(),
    }
}

/// The tags cell of a row.
pub fn tags_cell(state: &State, id: &str) -> String {
    match state.meta.record(id) {
        Some(Some(m)) => m.tags.iter().map(|t| sanitize(t)).collect::<Vec<_>>().join(", "),
        Some(None) => String::new(),
        None if state.meta.pending.contains_key(id) => "…".into(),
        None => String::new(),
    }
}
