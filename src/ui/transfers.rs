//! The transfer pane: one row per transfer (direction, name, state, progress bar, bytes,
//! speed, ETA; the reason of a failure), and the aggregate for the pane title and status bar.

use super::widgets::{cursor_bar, cut, on_bar, pane_frame};
use crate::app::layout::Areas;
use crate::app::transfers::rows::failure_text;
use crate::app::transfers::{Totals, pane_header, pane_rows};
use crate::app::{Action, Pane, State};
use crate::text::{fit, fit_right, human_bytes, human_duration, sanitize, width};
use crate::transfer::{Direction, State as TState, TransferView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Column widths; 0 = left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cols {
    name: usize,
    bar: usize,
    pct: usize,
    bytes: usize,
    speed: usize,
    eta: usize,
}

const DIR_W: usize = 2;
const STATE_W: usize = 9;
const NAME_MIN: usize = 12;

/// What fits in `w` cells: name and state always; then bar, percent, bytes, speed and ETA.
fn columns(w: usize) -> Cols {
    let mut c = Cols {
        name: 0,
        bar: 0,
        pct: 0,
        bytes: 0,
        speed: 0,
        eta: 0,
    };
    let mut used = DIR_W + NAME_MIN + 1 + STATE_W;
    for (slot, need) in [
        (&mut c.bar, 12),
        (&mut c.pct, 4),
        (&mut c.bytes, 17),
        (&mut c.speed, 10),
        (&mut c.eta, 7),
    ] {
        if used + 1 + need > w {
            break;
        }
        *slot = need;
        used += 1 + need;
    }
    // Spare room: a longer bar (up to 24), then the name.
    let spare = w.saturating_sub(used);
    if c.bar > 0 {
        let grow = (spare / 3).min(12);
        c.bar += grow;
        used += grow;
    }
    c.name = NAME_MIN + w.saturating_sub(used);
    c
}

fn arrow(d: Direction) -> &'static str {
    match d {
        Direction::Upload => "↑",
        Direction::Download => "↓",
        Direction::Remote => "⇡",
    }
}

fn bar(frac: Option<f64>, w: usize) -> String {
    let Some(f) = frac else {
        return "·".repeat(w);
    };
    let full = ((f.clamp(0.0, 1.0) * w as f64).round() as usize).min(w);
    format!("{}{}", "█".repeat(full), "░".repeat(w - full))
}

fn fraction(v: &TransferView) -> Option<f64> {
    if v.state == TState::Done {
        return Some(1.0);
    }
    match v.total {
        Some(0) => None,
        Some(t) => Some(v.done as f64 / t as f64),
        None => None,
    }
}

fn state_style(state: &State, s: &TState) -> Style {
    let t = &state.theme;
    match s {
        TState::Done => t.success,
        TState::Failed(_) => t.error,
        TState::Cancelled | TState::Paused | TState::Queued => t.dim,
        _ => t.info,
    }
}

/// One row as spans, exactly `w` cells wide.
fn row<'a>(state: &State, v: &TransferView, c: Cols, w: usize) -> Line<'a> {
    let t = &state.theme;
    let indent = if v.parent.is_some() { "  " } else { "" };
    let name = format!("{indent}{}", sanitize(&v.name));
    let mut spans = vec![
        Span::styled(format!("{} ", arrow(v.direction)), t.dim),
        Span::styled(fit(&name, c.name), t.base),
        Span::raw(" "),
        Span::styled(fit(v.state.label(), STATE_W), state_style(state, &v.state)),
    ];
    let rest_w = w.saturating_sub(DIR_W + c.name + 1 + STATE_W);
    let active = v.state.is_active();
    let note: Option<(String, Style)> = match &v.state {
        TState::Failed(reason) => {
            let retry = state.keymap.first_key(Action::RetryTransfer);
            Some((sanitize(&failure_text(reason, &retry)), t.error))
        }
        _ => v.detail.as_ref().map(|d| (sanitize(d), t.info)),
    };
    if let (Some((text, style)), TState::Failed(_)) = (&note, &v.state) {
        // The reason takes the whole progress area.
        if rest_w > 1 {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(fit(text, rest_w - 1), *style));
        }
        return Line::from(spans);
    }
    let mut used = 0;
    let push = |spans: &mut Vec<Span<'a>>, s: String, style: Style, used: &mut usize| {
        *used += 1 + width(&s);
        spans.push(Span::raw(" "));
        spans.push(Span::styled(s, style));
    };
    let frac = fraction(v);
    if c.bar > 0 {
        push(&mut spans, bar(frac, c.bar), t.info, &mut used);
    }
    if c.pct > 0 {
        let p = frac
            .map(|f| format!("{:.0}%", (f * 100.0).floor()))
            .unwrap_or_default();
        push(&mut spans, fit_right(&p, c.pct), t.base, &mut used);
    }
    if let Some((text, style)) = note {
        // What it waits for (a retry, the free-download countdown, a captcha).
        let room = rest_w.saturating_sub(used + 1);
        if room > 0 {
            push(&mut spans, fit(&text, room), style, &mut used);
        }
        return Line::from(spans);
    }
    if c.bytes > 0 {
        let b = match v.total {
            // A remote upload's progress is in percent: its size is what the service reported.
            _ if v.direction == Direction::Remote => v.size().map(human_bytes).unwrap_or_default(),
            Some(total) if v.state == TState::Done => human_bytes(total),
            Some(total) => format!("{}/{}", human_bytes(v.done), human_bytes(total)),
            None if v.done > 0 => human_bytes(v.done),
            None => String::new(),
        };
        push(&mut spans, fit_right(&b, c.bytes), t.base, &mut used);
    }
    if c.speed > 0 {
        let s = if active && v.speed >= 1.0 {
            format!("{}/s", human_bytes(v.speed as u64))
        } else {
            String::new()
        };
        push(&mut spans, fit_right(&s, c.speed), t.base, &mut used);
    }
    if c.eta > 0 {
        let e = match v.eta {
            Some(d) if active => human_duration(d.as_secs_f64()),
            _ => String::new(),
        };
        push(&mut spans, fit_right(&e, c.eta), t.dim, &mut used);
    }
    Line::from(spans)
}

fn header<'a>(state: &State, c: Cols) -> Line<'a> {
    let mut s = format!("  {} {}", fit("name", c.name), fit("state", STATE_W));
    for (w, label, right) in [
        (c.bar, "progress", false),
        (c.pct, "", true),
        (c.bytes, "bytes", true),
        (c.speed, "speed", true),
        (c.eta, "eta", true),
    ] {
        if w > 0 {
            s.push(' ');
            s.push_str(&if right { fit_right(label, w) } else { fit(label, w) });
        }
    }
    Line::styled(s, state.theme.header)
}

/// "2 active · 1 queued · 3.1 MiB/s · 0:42 left" (None when there is nothing to say).
pub fn summary(t: &Totals) -> Option<String> {
    let mut parts = Vec::new();
    if t.active > 0 {
        parts.push(format!("{} active", t.active));
    }
    if t.queued > 0 {
        parts.push(format!("{} queued", t.queued));
    }
    if t.paused > 0 {
        parts.push(format!("{} paused", t.paused));
    }
    if t.failed > 0 {
        parts.push(format!("{} failed", t.failed));
    }
    if t.active > 0 && t.speed >= 1.0 {
        parts.push(format!("{}/s", human_bytes(t.speed as u64)));
    }
    if let Some(eta) = t.eta {
        parts.push(format!("{} left", human_duration(eta.as_secs_f64())));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The aggregate for the status bar.
pub fn status_text(state: &State) -> Option<String> {
    summary(&state.transfers.rows.totals()).map(|s| format!("⇅ {s}"))
}

pub fn draw(f: &mut Frame, r: Rect, state: &State, a: &Areas) {
    let t = &state.theme;
    let rows = &state.transfers.rows;
    let title = match summary(&rows.totals()) {
        Some(s) => format!(" Transfers · {s} "),
        None => " Transfers ".to_string(),
    };
    let Some(inner) = pane_frame(f, state, a, Pane::Transfers, r, &title) else {
        return;
    };
    let w = inner.width as usize;
    if rows.is_empty() {
        let k = |a: Action| state.keymap.first_key(a);
        let text = format!(
            "No transfers. {} uploads into this folder, {} downloads the selection, {} downloads share links, {} fetches URLs.",
            k(Action::Upload),
            k(Action::Download),
            k(Action::DownloadLinks),
            k(Action::RemoteUpload)
        );
        f.render_widget(
            Paragraph::new(text)
                .style(t.dim)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    let c = columns(w);
    let mut lines = Vec::new();
    if pane_header(a) {
        lines.push(header(state, c));
    }
    for (i, v) in rows.list.iter().enumerate().skip(rows.offset).take(pane_rows(a)) {
        let mut line = row(state, v, c, w);
        if i == rows.cursor {
            line = on_bar(line, cursor_bar(state, Pane::Transfers, false), t);
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
    if rows.len() > pane_rows(a) && inner.width > 12 {
        // Where we are in a long queue, on the bottom border.
        let pos = format!(" {}/{} ", rows.cursor + 1, rows.len());
        let x = r.x + r.width.saturating_sub(width(&pos) as u16 + 2);
        if !a.compact && r.height > 1 {
            let at = Rect::new(x, r.y + r.height - 1, width(&pos) as u16, 1);
            f.render_widget(Paragraph::new(cut(&pos, at.width)).style(t.dim), at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_always_fit() {
        for w in 0..200 {
            let c = columns(w);
            let used = DIR_W
                + c.name
                + 1
                + STATE_W
                + [c.bar, c.pct, c.bytes, c.speed, c.eta]
                    .iter()
                    .filter(|x| **x > 0)
                    .map(|x| x + 1)
                    .sum::<usize>();
            assert!(used <= w.max(DIR_W + NAME_MIN + 1 + STATE_W), "{w}: {c:?}");
            assert!(c.name >= NAME_MIN);
        }
        let wide = columns(120);
        assert!(wide.eta > 0 && wide.bar >= 12, "{wide:?}");
        let narrow = columns(40);
        assert_eq!((narrow.speed, narrow.eta), (0, 0), "{narrow:?}");
    }

    fn app() -> State {
        State::new(
            crate::app::Settings::default(),
            crate::app::Keymap::defaults(),
            crate::theme::Theme::monochrome(),
        )
    }

    fn view(direction: Direction, state: TState, spec: crate::transfer::Spec) -> TransferView {
        TransferView {
            id: crate::transfer::TransferId(1),
            direction,
            name: "six.txt".into(),
            state,
            detail: None,
            done: 0,
            total: None,
            speed: 0.0,
            eta: None,
            outcome: None,
            parent: None,
            spec,
            attempts: 1,
        }
    }

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_remote_upload_shows_its_size_not_its_percent() {
        let spec = crate::transfer::Spec::Remote(crate::transfer::RemoteSpec {
            url: "http://127.0.0.1/six.txt".into(),
            wait: true,
            remote_id: Some("1".into()),
        });
        let mut v = view(Direction::Remote, TState::Done, spec);
        (v.done, v.total) = (100, Some(100));
        v.outcome = Some(crate::transfer::Outcome::RemoteDone {
            remote_id: "1".into(),
            file_id: Some("f".into()),
            link: None,
            size: Some(6),
        });
        let line = text(&row(&app(), &v, columns(100), 100));
        assert!(line.contains(" 6 B") && !line.contains("100 B"), "{line}");
        // Running: percent in the bar, no size yet.
        v.state = TState::Running;
        (v.done, v.outcome) = (40, None);
        let line = text(&row(&app(), &v, columns(100), 100));
        assert!(line.contains("40%") && !line.contains(" B"), "{line}");
    }

    #[test]
    fn storing_and_failed_rows_say_what_happens() {
        let spec = crate::transfer::Spec::Upload(crate::transfer::UploadSpec {
            path: "/tmp/six.txt".into(),
            parent: "/".into(),
            access: None,
            skip_existing: false,
            hash: None,
            attempted: true,
        });
        let mut v = view(Direction::Upload, TState::Storing, spec);
        (v.done, v.total) = (6, Some(6));
        let line = text(&row(&app(), &v, columns(100), 100));
        assert!(line.contains("storing") && !line.contains("/s"), "{line}");
        v.state = TState::Failed(crate::transfer::TransferError::Incomplete);
        let line = text(&row(&app(), &v, columns(120), 120));
        assert!(
            line.contains("the download stopped before the end · Ctrl-r retries"),
            "{line}"
        );
    }

    #[test]
    fn a_new_captcha_after_a_wrong_answer_says_so() {
        use crate::app::transfers::{CaptchaPrompt, TransferMsg};
        let shown = |last_wrong: bool| {
            let mut s = app();
            s.size = (80, 24);
            crate::app::start(&mut s, true, None);
            let prompt = CaptchaPrompt {
                id: crate::transfer::TransferId(3),
                challenge: "c".into(),
                image_url: "http://127.0.0.1/captcha?id=c".into(),
                picture: None,
                note: Some("no image".into()),
                last_wrong,
            };
            crate::app::update(&mut s, crate::app::Msg::Transfer(TransferMsg::Captcha(prompt)));
            let backend = ratatui::backend::TestBackend::new(80, 24);
            let mut t = ratatui::Terminal::new(backend).expect("terminal");
            t.draw(|f| crate::ui::draw(f, &s)).expect("draw");
            t.backend().to_string()
        };
        assert!(shown(true).contains("that answer was wrong"));
        let first = shown(false);
        assert!(
            !first.contains("wrong") && first.contains("type the characters"),
            "{first}"
        );
    }

    #[test]
    fn paused_transfers_stay_in_the_summary() {
        let only_paused = Totals {
            paused: 1,
            ..Totals::default()
        };
        assert_eq!(summary(&only_paused).as_deref(), Some("1 paused"));
        let mixed = Totals {
            active: 1,
            paused: 2,
            ..Totals::default()
        };
        assert_eq!(summary(&mixed).as_deref(), Some("1 active · 2 paused"));
    }

    #[test]
    fn bars() {
        assert_eq!(bar(Some(0.5), 10), "█████░░░░░");
        assert_eq!(bar(Some(2.0), 4), "████");
        assert_eq!(bar(None, 3), "···");
    }
}
