//! The status bar (account, path, selection, last message) and the key bar (the keys that
//! work where the focus is).

use super::widgets::{cut, day, spinner};
use crate::app::{Action, Level, Pane, State};
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

/// Short names for the key bar.
fn short(a: Action) -> &'static str {
    match a {
        Action::Open => "open",
        Action::Parent => "up",
        Action::Select => "select",
        Action::SelectRange => "range",
        Action::Filter => "filter",
        Action::Sort => "sort",
        Action::CopyLinks => "links",
        Action::CopyUrls => "URLs",
        Action::Move => "move",
        Action::Rename => "rename",
        Action::Access => "access",
        Action::Delete => "delete",
        Action::NewFolder => "mkdir",
        Action::Details => "details",
        Action::NextPane => "pane",
        Action::Help => "help",
        Action::Quit => "quit",
        Action::Down => "down",
        Action::Refresh => "refresh",
        Action::EditTitle => "title",
        Action::EditTags => "tags",
        Action::EditMeta => "edit meta",
        Action::MetaPane => "meta pane",
        Action::MetaColumns => "columns",
        Action::MetaFind => "find",
        Action::Transfers => "transfers",
        Action::PauseResume => "pause/resume",
        Action::CancelTransfer => "cancel",
        Action::RetryTransfer => "retry",
        Action::RemoveTransfer => "remove",
        Action::ClearFinished => "clear done",
        Action::TransferUp => "move up",
        Action::TransferDown => "move down",
        _ => a.name(),
    }
}

/// (key, what) pairs for the focused context.
pub fn key_hints(state: &State) -> Vec<(String, String)> {
    let fixed = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    if let Some(h) = super::transfer_dialogs::key_hints(state) {
        return h;
    }
    if state.help.is_some() {
        return fixed(&[("type", "filter"), ("↑↓", "scroll"), ("Esc", "close")]);
    }
    if let Some(d) = &state.dialog {
        use crate::app::dialog::Dialog;
        return match d {
            Dialog::ConfirmDelete(_) => fixed(&[("y", "delete"), ("n/Esc", "cancel"), ("←→", "choose")]),
            Dialog::Move(_) => fixed(&[
                ("↑↓", "choose"),
                ("→/←", "expand/collapse"),
                ("Enter", "move here"),
                ("Esc", "cancel"),
            ]),
            Dialog::Sort(_) => fixed(&[("↑↓", "choose"), ("Enter", "sort"), ("Esc", "cancel")]),
            _ => fixed(&[
                ("Enter", "ok"),
                ("Tab", "next field"),
                ("←→/Space", "change"),
                ("Esc", "cancel"),
            ]),
        };
    }
    if let Some(h) = super::meta_prompt::key_hints(state) {
        return h;
    }
    if state.filter_edit.is_some() {
        return fixed(&[
            ("type", "filter"),
            ("Enter", "keep"),
            ("Esc", "clear"),
            ("↑↓", "move"),
        ]);
    }
    let actions: &[Action] = match state.focus {
        Pane::Tree => &[
            Action::Open,
            Action::Parent,
            Action::Select,
            Action::NextPane,
            Action::Refresh,
            Action::Help,
            Action::Quit,
        ],
        Pane::Details => &[
            Action::Down,
            Action::Parent,
            Action::Details,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ],
        Pane::Files => &[
            Action::Open,
            Action::Parent,
            Action::Select,
            Action::SelectRange,
            Action::Filter,
            Action::Sort,
            Action::CopyLinks,
            Action::Move,
            Action::Rename,
            Action::EditTitle,
            Action::EditTags,
            Action::Access,
            Action::Delete,
            Action::NewFolder,
            Action::Details,
            Action::EditMeta,
            Action::MetaPane,
            Action::MetaColumns,
            Action::MetaFind,
            Action::Upload,
            Action::Download,
            Action::Transfers,
            Action::Help,
            Action::Quit,
        ],
        Pane::Meta => &[
            Action::EditMeta,
            Action::Parent,
            Action::EditTitle,
            Action::EditTags,
            Action::MetaPane,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ],
        Pane::Transfers => &[
            Action::PauseResume,
            Action::CancelTransfer,
            Action::RetryTransfer,
            Action::RemoveTransfer,
            Action::ClearFinished,
            Action::TransferUp,
            Action::TransferDown,
            Action::Open,
            Action::CopyLinks,
            Action::Transfers,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ],
    };
    actions
        .iter()
        .filter_map(|&a| {
            let k = state.keymap.first_key(a);
            (!k.is_empty()).then(|| (k, short(a).to_string()))
        })
        .collect()
}

pub fn draw_keybar(f: &mut Frame, r: Rect, state: &State) {
    let t = &state.theme;
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (k, what) in key_hints(state) {
        let need = width(&k) + 1 + width(&what) + 2;
        if used + need > r.width as usize {
            break;
        }
        used += need;
        spans.push(Span::styled(k, t.key));
        spans.push(Span::styled(format!(" {what}  "), t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), r);
}
