//! The finder: the query on top, then the matches best first, each with its path (folders
//! end in "/"), and a line saying what the index is doing.

use super::widgets::{centered, input_line, popup};
use crate::app::State;
use crate::app::finder::{Finder, FinderStatus};
use crate::text::{fit, human_bytes, human_duration, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &Finder) {
    let t = &state.theme;
    let w = area.width.saturating_sub(4).clamp(20, 100);
    let h = area.height.saturating_sub(4).clamp(5, 24);
    let r = centered(area, w, h);
    let inner = popup(f, r, "Find in the account", state);
    if inner.width == 0 || inner.height < 3 {
        return;
    }
    let (query, col) = input_line("> ", &v.query.input, inner.width, false, true, t.base);
    let mut lines = vec![query, Line::from(Span::styled(status_line(state, v), t.dim))];
    let rows = usize::from(inner.height).saturating_sub(2);
    let skip = v.cursor.saturating_sub(rows.saturating_sub(1));
    let cols = usize::from(inner.width);
    for (i, hit) in v.hits.iter().enumerate().skip(skip).take(rows) {
        let path = if hit.is_folder {
            format!("{}/", hit.path.trim_end_matches('/'))
        } else {
            hit.path.clone()
        };
        let size = hit.size.map(human_bytes).unwrap_or_default();
        let room = cols.saturating_sub(width(&size) + 1);
        let text = format!("{} {size}", fit(&path, room));
        let style = if i == v.cursor { t.cursor } else { t.base };
        lines.push(Line::from(Span::styled(fit(&text, cols), style)));
    }
    f.render_widget(Paragraph::new(lines), inner);
    f.set_cursor_position(Position::new(inner.x + col, inner.y));
}

/// A background crawl of the index, for the status bar: folders done of all, files, requests
/// per second and the time left once it can be told.
pub fn crawl_text(state: &State) -> Option<String> {
    let p = state.index_crawl.as_ref()?;
    let left = p.time_left().map_or(String::new(), |t| {
        format!(", {} left", human_duration(t.as_secs_f64()))
    });
    Some(format!(
        "indexing {}/{} folders, {} files, {:.1} req/s{left}",
        p.folders_done,
        p.folders_total,
        p.files,
        p.requests_per_sec()
    ))
}

fn status_line(state: &State, v: &Finder) -> String {
    match &v.status {
        FinderStatus::Idle => "type a name: every file and folder of the account is searched".into(),
        FinderStatus::Searching => "searching…".into(),
        FinderStatus::Ready if v.hits.is_empty() => "no match".into(),
        FinderStatus::Ready if v.hits.len() == 1 => "1 match".into(),
        FinderStatus::Ready => format!("{} best matches", v.hits.len()),
        FinderStatus::NoIndex => {
            "no index yet: Enter builds it in the background (or run `k2s index`)".into()
        }
        FinderStatus::Building => match &state.index_crawl {
            Some(p) => format!(
                "building the index: {} of {} folders, {} files",
                p.folders_done, p.folders_total, p.files
            ),
            None => "building the index…".into(),
        },
        FinderStatus::Failed(e) => format!("the index cannot be read: {e}"),
    }
}
