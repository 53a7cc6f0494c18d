//! The login screen.

use super::widgets::{centered, cut, input_line, popup};
use crate::app::State;
use crate::app::login::{LoginField, LoginMode};
use crate::text::sanitize;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    let form = &state.login;
    let h = if form.captcha.is_some() { 16 } else { 12 };
    let r = centered(area, area.width.min(72), h.min(area.height));
    let title = if state.settings.demo {
        "k2s — log in (demo)"
    } else {
        "k2s — log in to Keep2Share"
    };
    let inner = popup(f, r, title, state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let cols = inner.width;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(reason) = &form.reason {
        lines.push(Line::styled(cut(&sanitize(reason), cols), t.error));
    }
    let mode_style = |m: LoginMode| {
        let on = form.mode == m;
        let mut s = if on { t.selected } else { t.dim };
        if form.field == LoginField::Mode && on {
            s = s.patch(t.cursor);
        }
        s
    };
    lines.push(Line::from(vec![
        Span::raw("With: "),
        Span::styled(
            if form.mode == LoginMode::Password {
                "(•) username + password"
            } else {
                "( ) username + password"
            },
            mode_style(LoginMode::Password),
        ),
        Span::raw("  "),
        Span::styled(
            if form.mode == LoginMode::Token {
                "(•) access token"
            } else {
                "( ) access token"
            },
            mode_style(LoginMode::Token),
        ),
    ]));
    let mut cursor = None;
    let mut field =
        |lines: &mut Vec<Line>, label: &str, input: &tui_input::Input, which: LoginField, mask: bool| {
            let active = form.field == which;
            let (l, c) = input_line(label, input, cols, mask, active, t.base);
            if active {
                cursor = Some((c, lines.len() as u16));
            }
            lines.push(l);
        };
    match form.mode {
        LoginMode::Token => field(&mut lines, "Access token: ", &form.token, LoginField::Token, true),
        LoginMode::Password => {
            field(
                &mut lines,
                "Username: ",
                &form.username,
                LoginField::Username,
                false,
            );
            field(
                &mut lines,
                "Password: ",
                &form.password,
                LoginField::Password,
                true,
            );
            if let Some(c) = &form.captcha {
                let what = if c.recaptcha {
                    "Open this page, solve the reCaptcha, and paste the answer it shows:"
                } else {
                    "Open this image and type the characters it shows:"
                };
                lines.push(Line::styled(cut(what, cols), t.info));
                lines.push(Line::styled(sanitize(&c.url), t.key));
                field(&mut lines, "Answer: ", &c.answer, LoginField::Captcha, false);
            }
        }
    }
    if form.busy {
        lines.push(Line::styled("logging in…", t.dim));
    } else if let Some(e) = &form.error {
        lines.push(Line::styled(sanitize(e), t.error));
    }
    lines.push(Line::styled(
        cut("Tab next field · ←→ mode · Enter log in · Ctrl-c quit", cols),
        t.dim,
    ));
    // The captcha URL may wrap: count the rows above the cursor line with wrapping.
    let row_of = |idx: u16| -> u16 {
        lines
            .iter()
            .take(idx as usize)
            .map(|l| (l.width() as u16).div_ceil(cols.max(1)).max(1))
            .sum()
    };
    if let Some((x, y)) = cursor {
        let y = row_of(y);
        if y < inner.height {
            f.set_cursor_position(Position::new(inner.x + x, inner.y + y));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
