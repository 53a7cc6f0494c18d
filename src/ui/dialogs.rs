//! Dialogs drawn over the panes.

use super::widgets::{centered, cut, input_line, popup};
use crate::app::State;
use crate::app::dialog::{Dialog, Target};
use crate::app::listing::Sort;
use crate::app::plural::count;
use crate::text::{fit, sanitize};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn names(targets: &[Target], max: usize) -> String {
    let mut s: Vec<String> = targets.iter().take(max).map(|t| t.name.clone()).collect();
    if targets.len() > max {
        s.push(format!("and {} more", targets.len() - max));
    }
    s.join(", ")
}

fn choice<'a>(label: &str, value: &str, active: bool, state: &State) -> Line<'a> {
    let style = if active {
        state.theme.cursor
    } else {
        state.theme.base
    };
    Line::from(vec![
        Span::raw(label.to_string()),
        Span::styled(format!("‹ {value} ›"), style),
    ])
}

pub fn draw(f: &mut Frame, area: Rect, state: &State, dialog: &Dialog) {
    let t = &state.theme;
    let w = area.width.saturating_sub(2).min(64);
    let wanted_h: u16 = match dialog {
        Dialog::Move(_) => area.height.saturating_sub(2).min(24),
        Dialog::ConfirmDelete(c) => (c.targets.len().min(12) as u16) + 7,
        Dialog::Sort(_) => Sort::MENU.len() as u16 + 2,
        _ => 8,
    };
    let r = centered(area, w, wanted_h.min(area.height));
    let inner = popup(f, r, dialog.title(), state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let cols = inner.width;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<(u16, u16)> = None;
    let mut error: Option<&String> = None;
    match dialog {
        Dialog::NewFolder(nf) => {
            let path = state
                .tree
                .tree
                .path_of(&nf.parent)
                .unwrap_or_else(|| state.path());
            lines.push(Line::styled(cut(&format!("in {}", sanitize(&path)), cols), t.dim));
            let (l, c) = input_line("Name: ", &nf.name, cols, false, nf.field == 0, t.base);
            if nf.field == 0 {
                cursor = Some((c, lines.len() as u16));
            }
            lines.push(l);
            lines.push(choice("Access: ", nf.access.as_str(), nf.field == 1, state));
            lines.push(choice(
                "Public folder: ",
                if nf.is_public { "yes" } else { "no" },
                nf.field == 2,
                state,
            ));
            error = nf.error.as_ref();
        }
        Dialog::Rename(rf) => {
            lines.push(Line::styled(
                cut(&format!("was: {}", rf.target.name), cols),
                t.dim,
            ));
            let (l, c) = input_line("New name: ", &rf.input, cols, false, true, t.base);
            cursor = Some((c, lines.len() as u16));
            lines.push(l);
            error = rf.error.as_ref();
        }
        Dialog::Access(af) => {
            lines.push(Line::raw(cut(
                &format!("{}: {}", count(af.targets.len(), "item"), names(&af.targets, 3)),
                cols,
            )));
            let access = af.access.as_ref().map_or("unchanged", |a| a.as_str());
            lines.push(choice("Access: ", access, af.field == 0, state));
            let public = match af.is_public {
                None => "unchanged",
                Some(true) => "yes",
                Some(false) => "no",
            };
            lines.push(choice("Public flag: ", public, af.field == 1, state));
            lines.push(Line::styled("p public · r private · m premium", t.dim));
        }
        Dialog::Move(mf) => {
            lines.push(Line::raw(cut(
                &format!(
                    "Move {}: {}",
                    count(mf.targets.len(), "item"),
                    names(&mf.targets, 3)
                ),
                cols,
            )));
            lines.push(Line::styled("to the folder chosen below:", t.dim));
            let tree_area = Rect {
                y: inner.y + 2,
                height: inner.height.saturating_sub(3),
                ..inner
            };
            let mut view = mf.picker.clone();
            view.scroll_into_view(tree_area.height as usize);
            lines.extend(super::tree::rows(
                &state.tree.tree,
                &view,
                tree_area,
                None,
                true,
                state,
            ));
            error = mf.error.as_ref();
        }
        Dialog::ConfirmDelete(cf) => {
            lines.push(Line::styled(
                cut(
                    &format!(
                        "Delete {} for good? This cannot be undone.",
                        count(cf.targets.len(), "item")
                    ),
                    cols,
                ),
                t.error,
            ));
            let room = inner.height.saturating_sub(3) as usize;
            let shown = if cf.targets.len() > room {
                room.saturating_sub(1)
            } else {
                cf.targets.len()
            };
            for tg in cf.targets.iter().take(shown) {
                let n = if tg.is_folder {
                    format!("  {}/ (folder and everything in it)", tg.name)
                } else {
                    format!("  {}", tg.name)
                };
                lines.push(Line::raw(cut(&n, cols)));
            }
            if cf.targets.len() > shown {
                lines.push(Line::styled(
                    format!("  … and {} more", cf.targets.len() - shown),
                    t.dim,
                ));
            }
            let (yes, no) = if cf.yes {
                (t.cursor, t.base)
            } else {
                (t.base, t.cursor)
            };
            lines.push(Line::from(vec![
                Span::styled("[ Delete (y) ]", yes),
                Span::raw("  "),
                Span::styled("[ Cancel (n) ]", no),
            ]));
        }
        Dialog::Sort(m) => {
            for (i, s) in Sort::MENU.iter().enumerate() {
                let cur = state.list.sort() == *s;
                let text = fit(
                    &format!("{} {}", if cur { "•" } else { " " }, s.label()),
                    cols as usize,
                );
                lines.push(Line::styled(
                    text,
                    if i == m.cursor { t.cursor } else { Style::default() },
                ));
            }
        }
    }
    if let Some(e) = error {
        lines.push(Line::styled(cut(&sanitize(e), cols), t.error));
    }
    if let Some((x, y)) = cursor
        && y < inner.height
    {
        f.set_cursor_position(Position::new(inner.x + x, inner.y + y));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
