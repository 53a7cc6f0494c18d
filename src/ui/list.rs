//! The file list: columns that fit the width, only the rows on screen are touched.

use super::widgets::{cursor_bar, cut, date, day, on_bar, pane_frame, spinner};
use crate::api::VideoInfo;
use crate::app::layout::{self, Areas};
use crate::app::listing::Entry;
use crate::app::{Pane, State};
use crate::text::{fit, fit_right, human_bytes, human_duration, sanitize};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Size,
    Created,
    Access,
    Downloads,
    LastDownload,
    Type,
    Duration,
    Resolution,
    /// Metadata columns (shown when turned on).
    Title,
    Tags,
}

impl Col {
    fn width(self) -> usize {
        match self {
            Col::Size => 9,
            Col::Created => 16,
            Col::Access => 7,
            Col::Downloads => 5,
            Col::LastDownload => 10,
            Col::Type => 14,
            Col::Duration => 8,
            Col::Resolution => 9,
            Col::Title => 24,
            Col::Tags => 24,
        }
    }
    fn header(self) -> &'static str {
        match self {
            Col::Size => "Size",
            Col::Created => "Created",
            Col::Access => "Access",
            Col::Downloads => "DLs",
            Col::LastDownload => "Last DL",
            Col::Type => "Type",
            Col::Duration => "Duration",
            Col::Resolution => "Res",
            Col::Title => "Title",
            Col::Tags => "Tags",
        }
    }
    fn right(self) -> bool {
        matches!(self, Col::Size | Col::Downloads | Col::Duration)
    }
}

/// Columns beside the name, by priority, as many as fit while the name keeps `min_name`.
const PRIORITY: [Col; 8] = [
    Col::Size,
    Col::Created,
    Col::Access,
    Col::Duration,
    Col::Resolution,
    Col::Downloads,
    Col::LastDownload,
    Col::Type,
];
const MARK: usize = 2;
const MIN_NAME: usize = 16;

/// The priority in a folder with videos: their duration and resolution right after the size.
const VIDEO_PRIORITY: [Col; 8] = [
    Col::Size,
    Col::Duration,
    Col::Resolution,
    Col::Created,
    Col::Access,
    Col::Downloads,
    Col::LastDownload,
    Col::Type,
];

fn columns(cols: usize, meta: bool, video: bool) -> (Vec<Col>, usize) {
    let mut chosen = Vec::new();
    // The name keeps at least two fifths of a wide list.
    let min_name = MIN_NAME.max(cols * 2 / 5).min(48);
    let mut used = MARK + min_name;
    let meta_cols: &[Col] = if meta { &[Col::Title, Col::Tags] } else { &[] };
    let priority = if video { &VIDEO_PRIORITY } else { &PRIORITY };
    for &c in meta_cols.iter().chain(priority.iter()) {
        if used + 1 + c.width() <= cols {
            used += 1 + c.width();
            chosen.push(c);
        }
    }
    // Screen order: as in the issue.
    let order = [
        Col::Title,
        Col::Tags,
        Col::Size,
        Col::Created,
        Col::Access,
        Col::Downloads,
        Col::LastDownload,
        Col::Type,
        Col::Duration,
        Col::Resolution,
    ];
    chosen.sort_by_key(|c| order.iter().position(|o| o == c));
    let name = cols.saturating_sub(used - min_name).max(1);
    (chosen, name)
}

/// Some file of the listing is a video (by its type, or video_info known for it).
fn has_video(state: &State) -> bool {
    let list = &state.list;
    list.rows(0, list.len()).any(|(_, e)| {
        e.item.content_type().is_some_and(|c| c.starts_with("video/"))
            || e.item.video().is_some()
            || state.video.get(e.id()).is_some_and(|v| v.is_some())
    })
}

fn cell(state: &State, e: &Entry, video: Option<&VideoInfo>, c: Col) -> String {
    let it = &e.item;
    match c {
        Col::Size if e.is_folder() => String::new(),
        Col::Size => it.size().map(human_bytes).unwrap_or_default(),
        Col::Created => date(it.created()),
        Col::Access => it.access().map(|a| a.as_str().to_string()).unwrap_or_default(),
        Col::Downloads => it.downloads().map(|d| d.to_string()).unwrap_or_default(),
        Col::LastDownload => day(it.last_download()),
        Col::Type => it.content_type().map(sanitize).unwrap_or_default(),
        Col::Duration => video
            .and_then(|v| v.duration)
            .map(human_duration)
            .unwrap_or_default(),
        Col::Resolution => match video.map(|v| (v.width, v.height)) {
            Some((Some(w), Some(h))) => format!("{w}x{h}"),
            _ if state.video_pending.contains(it.id.as_str()) => "…".into(),
            _ => String::new(),
        },
        Col::Title => super::meta_inline::title_cell(state, &it.id),
        Col::Tags => super::meta_inline::tags_cell(state, &it.id),
    }
}

fn title(state: &State) -> String {
    let list = &state.list;
    let mut title = format!(" {} ", state.path());
    if list.loading {
        title.push_str(&format!("{} {} loaded… ", spinner(state.tick), list.total()));
    } else if list.filter().is_empty() {
        title.push_str(&format!("· {} ", list.total()));
    } else {
        title.push_str(&format!("· {} of {} ", list.len(), list.total()));
    }
    if !list.filter().is_empty() {
        title.push_str(&format!("· /{} ", sanitize(list.filter())));
    }
    title.push_str(&format!("· {} ", list.sort().label()));
    if list.only_available {
        title.push_str("· available only ");
    }
    title
}

fn header<'a>(chosen: &[Col], name_w: usize, cols: usize, state: &State) -> Line<'a> {
    let mut h = format!("{}{}", " ".repeat(MARK), fit("Name", name_w));
    for c in chosen {
        h.push(' ');
        h.push_str(&if c.right() {
            fit_right(c.header(), c.width())
        } else {
            fit(c.header(), c.width())
        });
    }
    Line::styled(fit(&h, cols), state.theme.header)
}

/// What an empty list says.
fn empty<'a>(state: &State) -> Line<'a> {
    let (list, t) = (&state.list, &state.theme);
    let (msg, style) = if let Some(e) = &list.error {
        (
            format!(
                "error: {e} — {} retries",
                state.keymap.first_key(crate::app::Action::Refresh)
            ),
            t.error,
        )
    } else if list.loading {
        ("loading…".to_string(), t.dim)
    } else if !list.filter().is_empty() {
        (format!("nothing matches {:?}", sanitize(list.filter())), t.dim)
    } else {
        ("(empty folder)".to_string(), t.dim)
    };
    Line::styled(msg, style)
}

/// Row `i` of the list: mark, name and the chosen columns, on its bar when it has one.
fn row<'a>(state: &State, i: usize, e: &Entry, chosen: &[Col], name_w: usize) -> Line<'a> {
    let (list, t) = (&state.list, &state.theme);
    let selected = list.selected.contains(e.id());
    let video = e
        .item
        .video()
        .or_else(|| state.video.get(e.id()).and_then(|v| v.as_ref()));
    let flag = if e.item.is_blocked() {
        '!'
    } else if e.item.is_available == Some(false) {
        'x'
    } else {
        ' '
    };
    let mark = format!("{}{flag}", if selected { '*' } else { ' ' });
    let shown = if e.is_folder() {
        format!("{}/", e.name)
    } else {
        e.name.clone()
    };
    let mut rest = String::new();
    for c in chosen {
        let v = cell(state, e, video, *c);
        rest.push(' ');
        rest.push_str(&if c.right() {
            fit_right(&v, c.width())
        } else {
            fit(&v, c.width())
        });
    }
    let name_style = if e.is_folder() {
        t.folder
    } else if flag != ' ' {
        t.blocked
    } else {
        t.base
    };
    let mut line = Line::from(vec![
        Span::styled(mark, if flag != ' ' { t.blocked } else { t.selected }),
        Span::styled(fit(&shown, name_w), name_style),
        Span::raw(rest),
    ]);
    if selected {
        line = line.patch_style(t.selected);
    }
    if i == list.cursor {
        line = on_bar(line, cursor_bar(state, Pane::Files, selected), t);
    } else if list.range().is_some_and(|(lo, hi)| i >= lo && i <= hi) {
        line = on_bar(line, t.range, t);
    }
    line
}

pub fn draw(f: &mut Frame, r: Rect, state: &State, a: &Areas) {
    let list = &state.list;
    let Some(inner) = pane_frame(f, state, a, Pane::Files, r, &title(state)) else {
        return;
    };
    let t = &state.theme;
    let cols = inner.width as usize;
    let (chosen, name_w) = columns(cols, state.meta.columns, has_video(state));
    let mut lines: Vec<Line> = Vec::with_capacity(inner.height as usize);
    if layout::list_header(a, r) {
        lines.push(header(&chosen, name_w, cols, state));
    }
    if list.is_empty() {
        lines.push(empty(state));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    let mut inline_row = None;
    for (i, e) in list.rows(list.offset, layout::list_rows(a)) {
        if super::meta_inline::editing(state, e.id()) {
            // Drawn over this line once the list is down.
            inline_row = Some(lines.len());
            lines.push(Line::default());
            continue;
        }
        lines.push(row(state, i, e, &chosen, name_w));
    }
    if let Some(e) = &list.error {
        // A later page failed: what arrived stays usable.
        if lines.len() < inner.height as usize {
            lines.push(Line::styled(cut(&format!("error: {e}"), inner.width), t.error));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(row) = inline_row {
        let r = Rect {
            y: inner.y + row as u16,
            height: 1,
            ..inner
        };
        super::meta_inline::draw(f, r, inner, state);
    }
}
