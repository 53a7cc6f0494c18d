//! Dialogs drawn over the panes.

use super::widgets::{centered, cut, input_line, popup};
use crate::app::State;
use crate::app::dialog::{
    AccessForm, ConfirmForm, Dialog, MoveForm, NewFolderForm, RenameForm, SortMenu, Target,
};
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

/// What a dialog draws inside its box: lines, where the text cursor goes, an error to add.
#[derive(Default)]
struct Body<'a> {
    lines: Vec<Line<'a>>,
    cursor: Option<(u16, u16)>,
    error: Option<&'a String>,
}

pub fn draw(f: &mut Frame, area: Rect, state: &State, dialog: &Dialog) {
    let t = &state.theme;
    let w = area.width.saturating_sub(2).min(64);
    let wanted_h: u16 = match dialog {
        Dialog::Move(_) => area.height.saturating_sub(2).min(24),
        Dialog::ConfirmDelete(c) => (c.targets.len().min(12) as u16) + 7 + u16::from(c.note.is_some()),
        Dialog::Sort(_) => Sort::MENU.len() as u16 + 2,
        _ => 8,
    };
    let r = centered(area, w, wanted_h.min(area.height));
    let inner = popup(f, r, dialog.title(), state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let mut b = match dialog {
        Dialog::NewFolder(nf) => new_folder(nf, inner.width, state),
        Dialog::Rename(rf) => rename(rf, inner.width, state),
        Dialog::Access(af) => access(af, inner.width, state),
        Dialog::Move(mf) => move_to(mf, inner, state),
        Dialog::ConfirmDelete(cf) => confirm_delete(cf, inner, state),
        Dialog::Sort(m) => sort_menu(m, inner.width, state),
    };
    if let Some(e) = b.error {
        b.lines
            .push(Line::styled(cut(&sanitize(e), inner.width), t.error));
    }
    if let Some((x, y)) = b.cursor
        && y < inner.height
    {
        f.set_cursor_position(Position::new(inner.x + x, inner.y + y));
    }
    f.render_widget(Paragraph::new(b.lines).wrap(Wrap { trim: false }), inner);
}

fn new_folder<'a>(nf: &'a NewFolderForm, cols: u16, state: &State) -> Body<'a> {
    let t = &state.theme;
    let mut b = Body::default();
    let path = state
        .tree
        .tree
        .path_of(&nf.parent)
        .unwrap_or_else(|| state.path());
    b.lines
        .push(Line::styled(cut(&format!("in {}", sanitize(&path)), cols), t.dim));
    let (l, c) = input_line("Name: ", &nf.name, cols, false, nf.field == 0, t.base);
    if nf.field == 0 {
        b.cursor = Some((c, b.lines.len() as u16));
    }
    b.lines.push(l);
    b.lines
        .push(choice("Access: ", nf.access.as_str(), nf.field == 1, state));
    b.lines.push(choice(
        "Public folder: ",
        if nf.is_public { "yes" } else { "no" },
        nf.field == 2,
        state,
    ));
    b.error = nf.error.as_ref();
    b
}

fn rename<'a>(rf: &'a RenameForm, cols: u16, state: &State) -> Body<'a> {
    let t = &state.theme;
    let mut b = Body::default();
    b.lines.push(Line::styled(
        cut(&format!("was: {}", rf.target.name), cols),
        t.dim,
    ));
    let (l, c) = input_line("New name: ", &rf.input, cols, false, true, t.base);
    b.cursor = Some((c, b.lines.len() as u16));
    b.lines.push(l);
    b.error = rf.error.as_ref();
    b
}

fn access<'a>(af: &'a AccessForm, cols: u16, state: &State) -> Body<'a> {
    let mut b = Body::default();
    b.lines.push(Line::raw(cut(
        &format!("{}: {}", count(af.targets.len(), "item"), names(&af.targets, 3)),
        cols,
    )));
    let access = af.access.as_ref().map_or("unchanged", |a| a.as_str());
    b.lines.push(choice("Access: ", access, af.field == 0, state));
    let public = match af.is_public {
        None => "unchanged",
        Some(true) => "yes",
        Some(false) => "no",
    };
    b.lines
        .push(choice("Public flag: ", public, af.field == 1, state));
    b.lines
        .push(Line::styled("p public · r private · m premium", state.theme.dim));
    b.error = af.error.as_ref();
    b
}

fn move_to<'a>(mf: &'a MoveForm, inner: Rect, state: &State) -> Body<'a> {
    let mut b = Body::default();
    b.lines.push(Line::raw(cut(
        &format!(
            "Move {}: {}",
            count(mf.targets.len(), "item"),
            names(&mf.targets, 3)
        ),
        inner.width,
    )));
    b.lines
        .push(Line::styled("to the folder chosen below:", state.theme.dim));
    let tree_area = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(3),
        ..inner
    };
    let mut view = mf.picker.clone();
    view.scroll_into_view(tree_area.height as usize);
    b.lines.extend(super::tree::rows(
        &state.tree.tree,
        &view,
        tree_area,
        None,
        true,
        state,
    ));
    b.error = mf.error.as_ref();
    b
}

fn confirm_delete<'a>(cf: &'a ConfirmForm, inner: Rect, state: &State) -> Body<'a> {
    let t = &state.theme;
    let cols = inner.width;
    let mut b = Body::default();
    b.lines.push(Line::styled(
        cut(
            &format!(
                "Delete {} for good? This cannot be undone.",
                count(cf.targets.len(), "item")
            ),
            cols,
        ),
        t.error,
    ));
    if let Some(note) = &cf.note {
        b.lines.push(Line::styled(cut(note, cols), t.dim));
    }
    let room = inner.height.saturating_sub(3 + u16::from(cf.note.is_some())) as usize;
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
        b.lines.push(Line::raw(cut(&n, cols)));
    }
    if cf.targets.len() > shown {
        b.lines.push(Line::styled(
            format!("  … and {} more", cf.targets.len() - shown),
            t.dim,
        ));
    }
    let (yes, no) = if cf.yes {
        (t.cursor, t.base)
    } else {
        (t.base, t.cursor)
    };
    b.lines.push(Line::from(vec![
        Span::styled("[ Delete (y) ]", yes),
        Span::raw("  "),
        Span::styled("[ Cancel (n) ]", no),
    ]));
    b
}

fn sort_menu<'a>(m: &SortMenu, cols: u16, state: &State) -> Body<'a> {
    let t = &state.theme;
    let mut b = Body::default();
    for (i, s) in Sort::MENU.iter().enumerate() {
        let cur = state.list.sort() == *s;
        let text = fit(
            &format!("{} {}", if cur { "•" } else { " " }, s.label()),
            cols as usize,
        );
        b.lines.push(Line::styled(
            text,
            if i == m.cursor { t.cursor } else { Style::default() },
        ));
    }
    b
}
