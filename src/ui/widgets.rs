//! Small drawing helpers shared by the panes.

use crate::api::Timestamp;
use crate::app::layout::Areas;
use crate::app::{Pane, State};
use crate::text::{fit, sanitize, truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use tui_input::Input;

/// Draw the block of `pane` on `r` with `title` cut to fit the border; the area inside it, or
/// `None` when nothing fits there.
pub fn pane_frame(f: &mut Frame, state: &State, a: &Areas, pane: Pane, r: Rect, title: &str) -> Option<Rect> {
    f.render_widget(
        pane_block(state, a, pane, cut(title, r.width.saturating_sub(2))),
        r,
    );
    let inner = crate::app::layout::inner(a, r);
    (inner.width > 0 && inner.height > 0).then_some(inner)
}

/// The block around a pane: a border (highlighted when focused) and a title, or nothing when
/// the terminal is too small for borders.
pub fn pane_block<'a>(state: &State, a: &Areas, pane: Pane, title: String) -> Block<'a> {
    if a.compact {
        return Block::default();
    }
    let focused = state.focus == pane;
    let t = &state.theme;
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused { t.border_focus } else { t.border })
        .title(Span::styled(title, t.title))
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A framed box for dialogs and overlays, cleared first.
pub fn popup(f: &mut Frame, area: Rect, title: &str, state: &State) -> Rect {
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(state.theme.border_focus)
        .title(Span::styled(format!(" {title} "), state.theme.title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}

/// One line "label value" with the input's visible part; returns where the cursor goes.
pub fn input_line<'a>(
    label: &str,
    input: &Input,
    cols: u16,
    mask: bool,
    active: bool,
    style: Style,
) -> (Line<'a>, u16) {
    let label_w = width(label) as u16;
    let room = cols.saturating_sub(label_w).max(1) as usize;
    let value: String = if mask {
        "•".repeat(input.value().chars().count())
    } else {
        sanitize(input.value())
    };
    // tui-input counts cursor and scroll in display columns of the raw value; masks and
    // sanitizing keep one column per character for ordinary text.
    let scroll = input.visual_scroll(room.saturating_sub(1));
    let mut shown = String::new();
    let mut col = 0;
    for c in value.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if col >= scroll && col + w <= scroll + room {
            shown.push(c);
        }
        col += w;
    }
    let cursor_col = label_w + (input.visual_cursor().saturating_sub(scroll)) as u16;
    let field_style = if active {
        style.add_modifier(ratatui::style::Modifier::UNDERLINED)
    } else {
        style
    };
    let line = Line::from(vec![
        Span::raw(label.to_string()),
        Span::styled(fit(&shown, room), field_style),
    ]);
    (line, cursor_col.min(cols.saturating_sub(1)))
}

pub fn date(t: Option<Timestamp>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

pub fn day(t: Option<Timestamp>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// Cut a line of text to the width, for titles and bars.
pub fn cut(s: &str, cols: u16) -> String {
    truncate(s, cols as usize)
}

/// A braille spinner frame for the tick count.
pub fn spinner(tick: u64) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    FRAMES[(tick % FRAMES.len() as u64) as usize]
}
