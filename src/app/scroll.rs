//! Scrolling shared by the lists of the TUI (listing, tree, transfers).

/// The first row to show so that `cursor` is among the `rows` rows of a window over `len` rows,
/// starting from the current `offset` and moving it as little as possible.
pub fn scroll_offset(cursor: usize, offset: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let offset = if cursor < offset {
        cursor
    } else if cursor >= offset + rows {
        cursor + 1 - rows
    } else {
        offset
    };
    offset.min(len.saturating_sub(rows))
}
