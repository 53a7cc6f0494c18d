//! Small drawing helpers shared by the panes.

use crate::api::Timestamp;
use crate::app::layout::Areas;
use crate::app::{Pane, State};
use crate::text::{fit, sanitize, truncate, width};
use crate::theme::Theme;
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

/// An overlay has the keys: the panes' cursors are drawn dim.
pub fn overlay_open(state: &State) -> bool {
    matches!(
        crate::app::layer::active(state),
        crate::app::layer::Active::Overlay(_)
    )
}

/// The cursor bar of `pane`: bright while the pane has the keys, dim otherwise.
pub fn cursor_bar(state: &State, pane: Pane, selected: bool) -> Style {
    let t = &state.theme;
    if state.focus != pane || overlay_open(state) {
        t.cursor_dim
    } else if selected {
        t.cursor_selected
    } else {
        t.cursor
    }
}

/// `line` drawn on a bar: every span keeps a readable colour on it (see `Theme::on_bar`), and
/// the bar fills the row.
pub fn on_bar<'a>(line: Line<'a>, bar: Style, theme: &Theme) -> Line<'a> {
    let base = line.style;
    let spans = line
        .spans
        .into_iter()
        .map(|s| {
            let style = theme.on_bar(base.patch(s.style), bar);
            Span::styled(s.content, style)
        })
        .collect::<Vec<_>>();
    Line::from(spans).style(theme.on_bar(base, bar))
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

/// Clear `area` for a popup. A wide character just left of it would cover the popup's first
/// column (a terminal draws it over two cells), so it is cut: replaced by a space.
pub fn clear(f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    let buf = f.buffer_mut();
    let area = area.intersection(buf.area);
    if area.x == 0 || area.is_empty() {
        return;
    }
    for y in area.y..area.y + area.height {
        if let Some(cell) = buf.cell_mut((area.x - 1, y))
            && width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// A framed box for dialogs and overlays, cleared first.
pub fn popup(f: &mut Frame, area: Rect, title: &str, state: &State) -> Rect {
    clear(f, area);
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
