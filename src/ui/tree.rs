//! The folder tree pane, and the folder picker of the move dialog.

use super::widgets::{on_bar, overlay_open, pane_frame, spinner};
use crate::app::layout::Areas;
use crate::app::tree::TreeView;
use crate::app::{Pane, State};
use crate::folders::{FolderTree, ROOT};
use crate::text::{fit, sanitize};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, r: Rect, state: &State, a: &Areas) {
    let tp = &state.tree;
    let title = if tp.loading && !tp.loaded {
        format!(" Folders {} ", spinner(state.tick))
    } else {
        " Folders ".into()
    };
    let Some(inner) = pane_frame(f, state, a, Pane::Tree, r, &title) else {
        return;
    };
    let t = &state.theme;
    if let Some(e) = &tp.error
        && !tp.loaded
    {
        let msg = Line::styled(format!("error: {e}"), t.error);
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: false }), inner);
        return;
    }
    let lines = rows(
        &tp.tree,
        &tp.view,
        inner,
        Some(&state.list.folder),
        state.focus == Pane::Tree && !overlay_open(state),
        state,
    );
    f.render_widget(Paragraph::new(lines), inner);
}

/// The visible rows of a tree view. `current` (the folder shown in the list) is drawn as a
/// folder; the cursor is bright when `focused`.
pub fn rows<'a>(
    tree: &FolderTree,
    view: &TreeView,
    inner: Rect,
    current: Option<&str>,
    focused: bool,
    state: &State,
) -> Vec<Line<'a>> {
    let t = &state.theme;
    let cols = inner.width as usize;
    let mut out = Vec::new();
    for (i, row) in view
        .rows()
        .iter()
        .enumerate()
        .skip(view.offset)
        .take(inner.height as usize)
    {
        let indent = "  ".repeat(row.depth.min(12));
        let marker = if row.id == ROOT {
            ""
        } else if !row.has_children {
            "  "
        } else if row.expanded {
            "▾ "
        } else {
            "▸ "
        };
        let name = if row.id == ROOT {
            ROOT.to_string()
        } else {
            tree.get(&row.id)
                .map_or_else(|| row.id.clone(), |f| sanitize(&f.name))
        };
        let text = fit(&format!("{indent}{marker}{name}"), cols);
        let mut style = t.base;
        if current == Some(row.id.as_str()) {
            style = style.patch(t.folder);
        }
        let line = Line::styled(text, style);
        out.push(if i == view.cursor {
            on_bar(line, if focused { t.cursor } else { t.cursor_dim }, t)
        } else {
            line
        });
    }
    out
}
