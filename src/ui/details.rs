//! Every field of the file under the cursor, extended_info and video_info included, and its
//! share link.

use super::widgets::{cut, date, pane_block};
use crate::api::FileRow;
use crate::app::dialog::Target;
use crate::app::layout::{self, Areas};
use crate::app::{Pane, State, link_for};
use crate::text::{human_bytes, human_duration, sanitize};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

/// (label, value) pairs; empty values are left out.
pub fn fields(state: &State, item: &FileRow, name: &str) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = Vec::new();
    v.push(("Name", name.to_string()));
    v.push(("ID", sanitize(&item.id)));
    v.push((
        "Kind",
        if item.is_folder() {
            "folder".into()
        } else {
            "file".into()
        },
    ));
    if let Some(s) = item.size().filter(|_| !item.is_folder()) {
        v.push(("Size", format!("{} ({s} bytes)", human_bytes(s))));
    }
    v.push(("Created", date(item.created())));
    v.push(("Access", item.access().map(|a| a.to_string()).unwrap_or_default()));
    v.push(("Available", yes_no(item.is_available)));
    v.push(("Free download", yes_no(item.is_available_for_free)));
    v.push(("MD5", item.md5().map(|m| sanitize(&m)).unwrap_or_default()));
    // The folder's path when the tree knows it (the root's own id is "/"), else the raw id.
    v.push((
        "Parent",
        item.parent_id
            .as_deref()
            .map(|p| state.tree.tree.path_of(p).unwrap_or_else(|| p.to_string()))
            .map(|p| sanitize(&p))
            .unwrap_or_default(),
    ));
    if let Some(x) = &item.extended_info {
        v.push((
            "Storage",
            x.storage_object.as_deref().map(sanitize).unwrap_or_default(),
        ));
        v.push((
            "Content type",
            x.content_type.as_deref().map(sanitize).unwrap_or_default(),
        ));
        v.push((
            "Downloads",
            x.downloads.map(|d| d.to_string()).unwrap_or_default(),
        ));
        v.push(("Last download", date(x.date_download_last)));
        for ab in &x.abuses {
            let mut s = format!("blocked ({})", sanitize(ab.kind.as_deref().unwrap_or("abuse")));
            if !ab.projects.is_empty() {
                s.push_str(&format!(" on {}", sanitize(&ab.projects.join(", "))));
            }
            if ab.blocked_to.is_some() {
                s.push_str(&format!(" until {}", date(ab.blocked_to)));
            }
            v.push(("Abuse", s));
        }
    }
    let video = item
        .video()
        .or_else(|| state.video.get(&item.id).and_then(|v| v.as_ref()));
    if let Some(vi) = video {
        v.push(("Duration", vi.duration.map(human_duration).unwrap_or_default()));
        if let (Some(w), Some(h)) = (vi.width, vi.height) {
            v.push(("Resolution", format!("{w}x{h}")));
        }
        v.push(("Format", vi.format.as_deref().map(sanitize).unwrap_or_default()));
        v.push(("Streamable", yes_no(vi.is_streamable)));
    } else if state.video_pending.contains(&item.id) {
        v.push(("Video", "loading…".into()));
    }
    let target = Target {
        id: item.id.clone(),
        raw_name: item.name().to_string(),
        name: name.to_string(),
        is_folder: item.is_folder(),
    };
    v.push(("Link", link_for(&state.settings.link_domain, &target)));
    v.retain(|(_, val)| !val.is_empty());
    v
}

/// Cut `s` into pieces of at most `first` cells, then `rest` cells each (by display width).
fn chunks(s: &str, first: usize, rest: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut room = first.max(1);
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room && used > 0 {
            out.push(String::new());
            room = rest.max(1);
            used = 0;
        }
        used += w;
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// One field as rows of `cols` cells: the label right-aligned in `label_w`, the value after
/// it, and the value's next rows indented under it (or below the label in a narrow pane).
fn field_rows<'a>(label: &str, value: &str, label_w: usize, cols: usize, state: &State) -> Vec<Line<'a>> {
    let t = &state.theme;
    let head = Span::styled(format!("{label:>label_w$} "), t.header);
    if cols < label_w + 1 + 8 {
        let mut out = vec![Line::from(Span::styled(label.to_string(), t.header))];
        out.extend(chunks(value, cols, cols).into_iter().map(Line::raw));
        return out;
    }
    let room = cols - label_w - 1;
    let pad = " ".repeat(label_w + 1);
    chunks(value, room, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 {
                head.clone()
            } else {
                Span::raw(pad.clone())
            };
            Line::from(vec![lead, Span::raw(part)])
        })
        .collect()
}

pub fn draw(f: &mut Frame, r: Rect, state: &State, a: &Areas) {
    f.render_widget(
        pane_block(
            state,
            a,
            Pane::Details,
            cut(" Details ", r.width.saturating_sub(2)),
        ),
        r,
    );
    let inner = layout::inner(a, r);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let t = &state.theme;
    let Some(e) = state.list.current() else {
        f.render_widget(Paragraph::new(Line::styled("nothing selected", t.dim)), inner);
        return;
    };
    let mut fields = fields(state, &e.item, &e.name);
    let label_w = fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let cols = inner.width as usize;
    // The link stays on screen: after the fields, or at the bottom when they do not fit.
    let link = match fields.last() {
        Some(("Link", _)) => fields.pop(),
        _ => None,
    };
    let link = link.map_or_else(Vec::new, |(l, v)| field_rows(l, &v, label_w, cols, state));
    let rows = inner.height as usize;
    let room = rows.saturating_sub(link.len());
    let mut lines: Vec<Line> = fields
        .iter()
        .flat_map(|(l, v)| field_rows(l, v, label_w, cols, state))
        .skip(state.details_scroll)
        .take(room)
        .collect();
    lines.extend(link);
    f.render_widget(Paragraph::new(lines), inner);
}
