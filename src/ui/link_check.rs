//! The link-check box: the pasted text while it is edited, then each link with its state
//! (coloured by the theme) under a summary line.

use super::widgets::{centered, cut, input_line, popup, spinner};
use crate::app::State;
use crate::app::link_check::{CheckedLink, LinkCheck};
use crate::links::LinkState;
use crate::text::{fit, human_bytes, sanitize};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The width of the state column.
const STATE_COLS: usize = 13;

pub fn draw(f: &mut Frame, area: Rect, state: &State, b: &LinkCheck) {
    let w = area.width.saturating_sub(2).min(100);
    let content = if b.checked {
        b.links.len()
    } else if b.checking.is_some() {
        1
    } else {
        b.text.lines.len() + 1
    };
    // Room for the frame and the error line; the key bar and status line stay visible.
    let h = (content as u16 + 4).clamp(6, area.height.saturating_sub(4).max(3));
    let inner = popup(f, centered(area, w, h), "Check links", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let t = &state.theme;
    let mut lines = Vec::new();
    let mut cursor = None;
    if b.checked {
        lines.push(Line::styled(cut(&b.summary(), inner.width), t.title));
        rows(&mut lines, b, inner, t);
    } else if b.checking.is_some() {
        let n = crate::app::plural::count(b.links.len(), "link");
        let text = format!("{} checking {n} …", spinner(state.tick));
        lines.push(Line::styled(cut(&text, inner.width), t.info));
    } else {
        let hint = "paste a forum post, a page or links; Enter checks every K2S link in it";
        lines.push(Line::styled(cut(hint, inner.width), t.dim));
        cursor = text(&mut lines, b, inner, state);
    }
    if let Some(e) = &b.error {
        lines.push(Line::styled(cut(&sanitize(e), inner.width), t.error));
    }
    if let Some((x, y)) = cursor
        && y < inner.height
    {
        f.set_cursor_position(Position::new(inner.x + x, inner.y + y));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The text being edited, the edited line with its cursor (x, y in the box).
fn text(lines: &mut Vec<Line<'static>>, b: &LinkCheck, inner: Rect, state: &State) -> Option<(u16, u16)> {
    let room = (inner.height as usize).saturating_sub(2).max(1);
    let start = b.text.row.saturating_sub(room - 1);
    let mut cursor = None;
    for (i, input) in b.text.lines.iter().enumerate().skip(start).take(room) {
        if i == b.text.row {
            let (l, c) = input_line("› ", input, inner.width, false, true, state.theme.base);
            cursor = Some((c, lines.len() as u16));
            lines.push(l);
        } else {
            let shown = format!("  {}", sanitize(input.value()));
            lines.push(Line::raw(cut(&shown, inner.width)));
        }
    }
    cursor
}

fn state_style(t: &Theme, s: Option<LinkState>) -> Style {
    match s {
        Some(LinkState::Alive) => t.success,
        Some(LinkState::Dead) => t.error,
        Some(LinkState::Blocked) => t.blocked,
        Some(LinkState::PremiumOnly) => t.info,
        Some(LinkState::Private) | None => t.dim,
    }
}

/// The checked links from the scroll position on.
fn rows(lines: &mut Vec<Line<'static>>, b: &LinkCheck, inner: Rect, t: &Theme) {
    let room = (inner.height as usize).saturating_sub(1);
    let cols = (inner.width as usize).saturating_sub(STATE_COLS + 1);
    for l in b.links.iter().skip(b.scroll).take(room) {
        let word = l.state().map_or("unknown", LinkState::as_str);
        lines.push(Line::from(vec![
            Span::styled(fit(word, STATE_COLS), state_style(t, l.state())),
            Span::raw(" "),
            Span::raw(fit(&what(l), cols)),
        ]));
    }
}

/// The name and size of an alive link, else the link and why.
fn what(l: &CheckedLink) -> String {
    let link = sanitize(&l.link);
    let Some(r) = &l.report else {
        return link;
    };
    let mut parts = Vec::new();
    if let Some(name) = &r.name {
        parts.push(sanitize(name));
    }
    if let Some(size) = r.size {
        parts.push(human_bytes(size));
    }
    parts.push(link);
    if let Some(why) = r.reason.as_ref().filter(|_| r.state != LinkState::Alive) {
        parts.push(format!("({})", sanitize(why)));
    }
    parts.join("  ")
}
