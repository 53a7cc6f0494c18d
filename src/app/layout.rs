//! Where each pane goes, from the terminal size and the panes shown. Pure, so that `update`
//! uses the same geometry for paging and mouse clicks as the drawing does.

use crate::app::{Pane, State};
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub tree: Option<Rect>,
    pub list: Option<Rect>,
    pub details: Option<Rect>,
    /// Slot for the metadata pane.
    pub meta: Option<Rect>,
    /// Slot for the transfer pane.
    pub transfers: Option<Rect>,
    pub status: Option<Rect>,
    pub keybar: Option<Rect>,
    /// Too small for borders: panes are drawn without them.
    pub compact: bool,
}

/// Below this width only the focused pane is shown.
pub const NARROW: u16 = 60;
/// From this width a right-hand column holds details / metadata beside the list.
pub const WIDE: u16 = 90;

pub fn areas(state: &State) -> Areas {
    let (w, h) = state.size;
    let full = Rect::new(0, 0, w, h);
    let mut a = Areas {
        compact: w < 40 || h < 10,
        ..Areas::default()
    };
    if w == 0 || h == 0 {
        return a;
    }
    let mut main = full;
    if h >= 2 {
        main.height -= 1;
        a.status = Some(Rect::new(0, main.height, w, 1));
    }
    if h >= 6 {
        main.height -= 1;
        a.keybar = Some(Rect::new(0, main.height, w, 1));
    }
    let panes = state.panes;
    if panes.transfers && main.height >= 14 {
        let th = (main.height / 3).clamp(5, 12);
        main.height -= th;
        a.transfers = Some(Rect::new(0, main.y + main.height, w, th));
    } else if panes.transfers && state.focus == Pane::Transfers {
        // Too short for both: the focused transfer pane takes the whole place.
        a.transfers = Some(main);
        return a;
    }
    let right_wanted = panes.details || panes.metadata;
    if w < NARROW {
        // One pane: the focused one when it is shown, else the list.
        let one = Some(main);
        match state.focus {
            Pane::Tree if panes.tree => a.tree = one,
            Pane::Details if panes.details => a.details = one,
            Pane::Meta if panes.metadata => a.meta = one,
            Pane::Transfers if a.transfers.is_some() => a.list = one,
            _ => a.list = one,
        }
        return a;
    }
    let mut x = 0;
    let mut rest = w;
    if panes.tree {
        let tw = (w / 5).clamp(16, 32);
        a.tree = Some(Rect::new(0, main.y, tw, main.height));
        x += tw;
        rest -= tw;
    }
    if right_wanted && w >= WIDE {
        let rw = (w * 2 / 5).clamp(30, 60);
        let right = Rect::new(w - rw, main.y, rw, main.height);
        rest -= rw;
        match (panes.details, panes.metadata) {
            (true, true) => {
                let top = right.height / 2;
                a.details = Some(Rect { height: top, ..right });
                a.meta = Some(Rect {
                    y: right.y + top,
                    height: right.height - top,
                    ..right
                });
            }
            (true, false) => a.details = Some(right),
            _ => a.meta = Some(right),
        }
    } else if right_wanted && matches!(state.focus, Pane::Details | Pane::Meta) {
        // Medium width: the right-hand pane takes the list's place while focused.
        let r = Some(Rect::new(x, main.y, rest, main.height));
        if state.focus == Pane::Details {
            a.details = r
        } else {
            a.meta = r
        }
        return a;
    }
    a.list = Some(Rect::new(x, main.y, rest, main.height));
    a
}

/// Inner area of a pane (inside its border unless compact).
pub fn inner(a: &Areas, r: Rect) -> Rect {
    if a.compact {
        r
    } else {
        Rect {
            x: r.x.saturating_add(1),
            y: r.y.saturating_add(1),
            width: r.width.saturating_sub(2),
            height: r.height.saturating_sub(2),
        }
    }
}

/// Whether the list shows a column header row.
pub fn list_header(a: &Areas, list: Rect) -> bool {
    inner(a, list).height >= 3
}

/// Rows of files the list shows at once.
pub fn list_rows(a: &Areas) -> usize {
    a.list.map_or(1, |r| {
        let i = inner(a, r);
        (i.height as usize)
            .saturating_sub(usize::from(list_header(a, r)))
            .max(1)
    })
}

pub fn tree_rows(a: &Areas) -> usize {
    a.tree.map_or(1, |r| (inner(a, r).height as usize).max(1))
}

pub fn details_rows(a: &Areas) -> usize {
    a.details.map_or(1, |r| (inner(a, r).height as usize).max(1))
}

/// The pane under a screen cell.
pub fn pane_at(a: &Areas, col: u16, row: u16) -> Option<Pane> {
    let hit = |r: Option<Rect>| r.is_some_and(|r| r.contains(ratatui::layout::Position { x: col, y: row }));
    [
        (a.list, Pane::Files),
        (a.tree, Pane::Tree),
        (a.details, Pane::Details),
        (a.meta, Pane::Meta),
        (a.transfers, Pane::Transfers),
    ]
    .into_iter()
    .find(|(r, _)| hit(*r))
    .map(|(_, p)| p)
}

/// The row (0 = first row shown) of the list under a screen line.
pub fn list_row_at(a: &Areas, row: u16) -> Option<usize> {
    let r = a.list?;
    let i = inner(a, r);
    let top = i.y + u16::from(list_header(a, r));
    (row >= top && row < i.y + i.height).then(|| (row - top) as usize)
}

pub fn tree_row_at(a: &Areas, row: u16) -> Option<usize> {
    let i = inner(a, a.tree?);
    (row >= i.y && row < i.y + i.height).then(|| (row - i.y) as usize)
}
