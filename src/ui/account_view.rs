//! The account view: the figures of `k2s account` in a box over everything.

use super::widgets::{centered, day, popup, spinner};
use crate::app::State;
use crate::app::account_view::{AccountFigures, AccountView};
use crate::text::{human_bytes, sanitize, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// (label, text, style) rows; the label is empty on a continuation row.
type Row = (String, String, Style);

fn premium(state: &State, f: &AccountFigures) -> Row {
    let t = &state.theme;
    let Ok(info) = &f.info else {
        return ("premium".into(), "-".into(), t.dim);
    };
    let text = match info.account_expires {
        Some(d) if d > chrono::Utc::now() => format!("until {}", d.format("%Y-%m-%d %H:%M UTC")),
        Some(d) => format!("expired {}", d.format("%Y-%m-%d")),
        None => "no".into(),
    };
    ("premium".into(), text, t.base)
}

fn extra<T>(state: &State, label: &str, r: &Result<T, String>, show: impl Fn(&T) -> String) -> Row {
    match r {
        Ok(v) => (label.into(), show(v), state.theme.base),
        Err(e) => (
            label.into(),
            format!("unavailable: {}", sanitize(e)),
            state.theme.error,
        ),
    }
}

fn subscription_rows(state: &State, f: &AccountFigures, rows: &mut Vec<Row>) {
    let t = &state.theme;
    if f.subscriptions.is_empty() {
        rows.push((
            "subscriptions".into(),
            "no site domain known for this account".into(),
            t.dim,
        ));
    }
    for (domain, r) in &f.subscriptions {
        let domain = sanitize(domain);
        let subs = match r {
            Ok(s) => s,
            Err(e) => {
                rows.push((
                    "subscriptions".into(),
                    format!("{domain}: unavailable: {}", sanitize(e)),
                    t.error,
                ));
                continue;
            }
        };
        let n = subs.total.unwrap_or(subs.items.len() as u64);
        rows.push(("subscriptions".into(), format!("{domain}: {n}"), t.base));
        for s in &subs.items {
            let who = sanitize(s.user_email.as_deref().unwrap_or("?"));
            let text = format!("{who}  until {}  paid {}", day(s.expires_at), day(s.last_payment));
            rows.push((String::new(), text, t.base));
        }
    }
}

fn rows(state: &State, v: &AccountView) -> Vec<Row> {
    let t = &state.theme;
    let mut rows = Vec::new();
    if v.loading {
        rows.push((
            String::new(),
            format!("{} asking the server…", spinner(state.tick)),
            t.dim,
        ));
    }
    if let Some(e) = &v.error {
        rows.push(("error".into(), sanitize(e), t.error));
    }
    let Some(f) = &v.figures else {
        return rows;
    };
    if let Ok(info) = &f.info {
        let traffic = info.available_traffic.map_or("unknown".into(), human_bytes);
        rows.push(("traffic left".into(), traffic, t.base));
    }
    rows.push(premium(state, f));
    rows.push(extra(state, "balance", &f.balance, |b| {
        b.map_or("-".into(), |b| format!("{b:.2}"))
    }));
    rows.push(extra(state, "link domains", &f.domains, |d| {
        d.iter().map(|d| sanitize(d)).collect::<Vec<_>>().join(", ")
    }));
    subscription_rows(state, f, &mut rows);
    rows
}

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &AccountView) {
    let t = &state.theme;
    let rows = rows(state, v);
    let w = area.width.saturating_sub(2).min(76);
    let label_w = rows.iter().map(|(k, _, _)| width(k)).max().unwrap_or(0) + 2;
    // Rows as wrapped in the box's inside.
    let inside = usize::from(w.saturating_sub(2)).max(1);
    let tall: usize = rows
        .iter()
        .map(|(_, text, _)| (label_w + width(text)).div_ceil(inside).max(1))
        .sum();
    let r = centered(area, w, (tall.min(200) as u16 + 2).min(area.height));
    let inner = popup(f, r, "Account", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(k, text, style)| {
            Line::from(vec![
                Span::styled(format!("{k:<label_w$}"), t.dim),
                Span::styled(text, style),
            ])
        })
        .collect();
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((v.scroll.min(u16::MAX as usize) as u16, 0));
    f.render_widget(p, inner);
}
