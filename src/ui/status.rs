//! The status bar (account, path, selection, last message) and the key bar (the keys that
//! work where the focus is).

use super::widgets::{cut, day, spinner};
use crate::app::{Level, State, hints};
use crate::text::{human_bytes, sanitize, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn account_text(state: &State) -> String {
    let acc = &state.account;
    match &acc.info {
        Some(info) => {
            let mut parts = Vec::new();
            match info.account_expires {
                Some(t) if t > chrono::Utc::now() => parts.push(format!("premium to {}", day(Some(t)))),
                Some(t) => parts.push(format!("premium ended {}", day(Some(t)))),
                None => parts.push("free".to_string()),
            }
            if let Some(tr) = info.available_traffic {
                parts.push(format!("{} traffic", human_bytes(tr)));
            }
            parts.join(", ")
        }
        None if acc.loading => "account…".into(),
        None => acc
            .error
            .as_ref()
            .map(|_| "account: error".to_string())
            .unwrap_or_default(),
    }
}

pub fn draw_status(f: &mut Frame, r: Rect, state: &State) {
    let t = &state.theme;
    let mut spans: Vec<Span> = Vec::new();
    let push = |spans: &mut Vec<Span>, s: String, style| spans.push(Span::styled(s, style));
    let used = |spans: &Vec<Span>| spans.iter().map(|s| s.width()).sum::<usize>();
    if state.settings.demo {
        push(&mut spans, " DEMO ".into(), t.badge);
        push(&mut spans, " ".into(), t.base);
    }
    if let Some(p) = &state.settings.profile {
        push(&mut spans, format!(" {} ", sanitize(p)), t.badge);
        push(&mut spans, " ".into(), t.base);
    }
    if let Some(input) = &state.filter_edit {
        let label = "filter: /";
        let value = sanitize(input.value());
        push(&mut spans, label.into(), t.key);
        let x = r.x as usize + used(&spans) + input.visual_cursor();
        push(&mut spans, value, t.base);
        if x < (r.x + r.width) as usize {
            f.set_cursor_position(Position::new(x as u16, r.y));
        }
        push(
            &mut spans,
            format!("  {} of {}", state.list.len(), state.list.total()),
            t.dim,
        );
        f.render_widget(Paragraph::new(Line::from(spans)), r);
        return;
    }
    let path = sanitize(&state.path());
    push(&mut spans, cut(&path, (r.width / 3).max(8)), t.title);
    let sel = state.list.selected.len();
    if sel > 0 {
        push(&mut spans, format!(" │ {sel} selected"), t.selected);
    }
    if state.busy() > 0 {
        push(&mut spans, format!(" │ {}", spinner(state.tick)), t.info);
    }
    if let Some(s) = super::transfers::status_text(state) {
        push(&mut spans, format!(" │ {s}"), t.info);
    }
    if let Some(s) = super::finder::crawl_text(state) {
        push(&mut spans, format!(" │ {s}"), t.info);
    }
    if let Some(s) = &state.status {
        let style = match s.level {
            Level::Info => t.info,
            Level::Success => t.success,
            Level::Error => t.error,
        };
        push(&mut spans, " │ ".into(), t.dim);
        push(&mut spans, sanitize(&s.text), style);
    }
    let acct = account_text(state);
    let room = (r.width as usize).saturating_sub(used(&spans));
    if !acct.is_empty() && room > width(&acct) + 3 {
        let pad = room - width(&acct) - 1;
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(acct, t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), r);
}

/// (key, what) pairs for what has the keys, most useful first, help's key last.
pub fn key_hints(state: &State) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = hints::key_bar(state)
        .into_iter()
        .map(|h| (h.key, h.label))
        .collect();
    if let Some(h) = hints::help_hint(state) {
        v.push((h.key, h.label));
    }
    v
}

/// The key bar: help's key at the right end whatever the width, the others in rank order as
/// long as they fit.
pub fn draw_keybar(f: &mut Frame, r: Rect, state: &State) {
    let t = &state.theme;
    let item = |k: &str, what: &str| width(k) + 1 + width(what);
    let help = hints::help_hint(state);
    // Help's own width and the two spaces that keep it apart from the last hint.
    let reserve = help.as_ref().map_or(0, |h| item(&h.key, &h.label) + 2);
    let room = (r.width as usize).saturating_sub(reserve);
    let mut spans = Vec::new();
    let mut used = 0usize;
    for h in hints::key_bar(state) {
        let need = item(&h.key, &h.label) + if used == 0 { 0 } else { 2 };
        if used + need > room {
            break;
        }
        if used > 0 {
            spans.push(Span::raw("  "));
        }
        used += need;
        spans.push(Span::styled(h.key, t.key));
        spans.push(Span::styled(format!(" {}", h.label), t.dim));
    }
    if let Some(h) = help {
        let pad = (r.width as usize).saturating_sub(used + reserve - 2);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(h.key, t.key));
        spans.push(Span::styled(format!(" {}", h.label), t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), r);
}
