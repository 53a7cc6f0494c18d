//! Every field of the file under the cursor, extended_info and video_info included, and its
//! share link.

use super::widgets::{cut, date, pane_block};
use crate::api::FileItem;
use crate::app::dialog::Target;
use crate::app::layout::{self, Areas};
use crate::app::{Pane, State, link_for};
use crate::text::{human_bytes, human_duration, sanitize};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn yes_no(b: Option<bool>) -> String {
    match b {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

/// (label, value) pairs; empty values are left out.
pub fn fields(state: &State, item: &FileItem, name: &str) -> Vec<(&'static str, String)> {
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
    v.push(("MD5", item.md5.as_deref().map(sanitize).unwrap_or_default()));
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
    let fields = fields(state, &e.item, &e.name);
    let label_w = fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let lines: Vec<Line> = fields
        .into_iter()
        .map(|(l, val)| {
            Line::from(vec![
                Span::styled(format!("{l:>label_w$} "), t.header),
                Span::raw(val),
            ])
        })
        .collect();
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((state.details_scroll.min(u16::MAX as usize) as u16, 0));
    f.render_widget(p, inner);
}
