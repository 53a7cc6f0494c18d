//! The file list of the current folder: the entries as loaded, and the derived views (sorted,
//! then filtered) kept cached and rebuilt only when the entries, the sort or the filter change.
//! Large folders (50,000 items) stay smooth: keys only move a cursor over the cached view, and
//! a filter that extends the previous one narrows the previous view instead of starting over.

use super::id_index::IdIndex;
use super::msg::Ticket;
use super::scroll::scroll_offset;
use crate::api::{FileItem, FileRow, Interner, SortField};
use crate::text::sanitize;
use std::cmp::Ordering;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub item: FileRow,
    /// The name made terminal-safe, computed once.
    pub name: String,
    /// The name in lower case, when that differs from `name` (for sorting and filtering).
    lower: Option<Box<str>>,
}

impl Entry {
    pub fn new(item: FileRow) -> Entry {
        let name = sanitize(item.name());
        let lower = lower_if_different(&name);
        Entry { item, name, lower }
    }
    pub fn id(&self) -> &str {
        &self.item.id
    }
    pub fn is_folder(&self) -> bool {
        self.item.is_folder()
    }
    /// The name in lower case.
    pub fn lower(&self) -> &str {
        self.lower.as_deref().unwrap_or(&self.name)
    }
    fn renamed(&mut self) {
        self.name = sanitize(self.item.name());
        self.lower = lower_if_different(&self.name);
    }
}

fn lower_if_different(name: &str) -> Option<Box<str>> {
    let lower = name.to_lowercase();
    (lower != name).then(|| lower.into_boxed_str())
}

/// Items in the order the TUI's list shows them (`mixed`: folders sorted in among the files).
pub fn sort_items(items: Vec<FileItem>, sort: Sort, mixed: bool) -> Vec<FileItem> {
    let mut shared = Interner::default();
    let keys: Vec<Entry> = items
        .iter()
        .map(|i| Entry::new(FileRow::new(i.clone(), &mut shared)))
        .collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| sort.compare(&keys[a], &keys[b], mixed));
    let mut slots: Vec<Option<FileItem>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Date,
    Size,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Name,
            desc: false,
        }
    }
}

impl Sort {
    /// The choices of the sort menu, in order.
    pub const MENU: [Sort; 6] = [
        Sort {
            key: SortKey::Name,
            desc: false,
        },
        Sort {
            key: SortKey::Name,
            desc: true,
        },
        Sort {
            key: SortKey::Date,
            desc: true,
        },
        Sort {
            key: SortKey::Date,
            desc: false,
        },
        Sort {
            key: SortKey::Size,
            desc: true,
        },
        Sort {
            key: SortKey::Size,
            desc: false,
        },
    ];

    pub fn label(&self) -> &'static str {
        match (self.key, self.desc) {
            (SortKey::Name, false) => "name A→Z",
            (SortKey::Name, true) => "name Z→A",
            (SortKey::Date, true) => "newest first",
            (SortKey::Date, false) => "oldest first",
            (SortKey::Size, true) => "largest first",
            (SortKey::Size, false) => "smallest first",
        }
    }

    /// The same order asked of the server, so that the first page holds the first rows.
    pub fn api(&self) -> (SortField, i8) {
        let f = match self.key {
            SortKey::Name => SortField::Name,
            SortKey::Date => SortField::DateCreated,
            SortKey::Size => SortField::Size,
        };
        (f, if self.desc { -1 } else { 1 })
    }

    /// The same key the other way round (the sort menu's other entry for it).
    pub fn reversed(self) -> Sort {
        Sort {
            key: self.key,
            desc: !self.desc,
        }
    }

    /// Folders before files (unless `mixed`) in every order; then the key, in its direction;
    /// ties (folders have no size) by name A to Z, then id. Only a sort by name runs Z to A.
    pub fn compare(&self, a: &Entry, b: &Entry, mixed: bool) -> Ordering {
        let by_kind = if mixed {
            Ordering::Equal
        } else {
            b.is_folder().cmp(&a.is_folder())
        };
        let by_name = a.lower().cmp(b.lower()).then_with(|| a.name.cmp(&b.name));
        let by_key = match self.key {
            SortKey::Name => by_name,
            SortKey::Date => a.item.created().cmp(&b.item.created()),
            SortKey::Size => a.item.size().cmp(&b.item.size()),
        };
        let by_key = if self.desc { by_key.reverse() } else { by_key };
        by_kind
            .then(by_key)
            .then(by_name)
            .then_with(|| a.item.id.cmp(&b.item.id))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The folder shown ("/" for the root).
    pub folder: String,
    pub ticket: Ticket,
    entries: Vec<Entry>,
    by_id: IdIndex,
    /// Every entry in sort order.
    sorted: Vec<u32>,
    /// `sorted` narrowed by the filter: the rows on screen.
    view: Vec<u32>,
    /// The filter `view` was built with.
    view_filter: String,
    sort: Sort,
    filter: String,
    /// Index into the view.
    pub cursor: usize,
    /// First row on screen.
    pub offset: usize,
    pub selected: HashSet<String>,
    /// Range start (an id) while a range selection is open.
    pub anchor: Option<String>,
    pub loading: bool,
    pub complete: bool,
    pub error: Option<String>,
    /// Offset of the next page to ask for.
    pub next_offset: u64,
    /// Put the cursor on this id when it arrives (after going up, or a refresh).
    pub want_cursor: Option<String>,
    pub only_available: bool,
    /// Folders sorted in among the files (the config's `folders_first = false`).
    mixed: bool,
    /// The strings rows share (their folder's id), kept once.
    shared: Interner,
}

impl Listing {
    /// Start over for `folder`: entries, filter and selection go; sort and options stay.
    pub fn reset(&mut self, folder: &str, ticket: Ticket) {
        let sort = self.sort;
        let only_available = self.only_available;
        let mixed = self.mixed;
        *self = Listing {
            folder: folder.to_string(),
            ticket,
            sort,
            only_available,
            mixed,
            ..Listing::default()
        };
        self.loading = true;
    }

    /// Reload the same folder: entries go, everything the user chose stays.
    pub fn restart(&mut self, ticket: Ticket) {
        self.want_cursor = self
            .current()
            .map(|e| e.item.id.clone())
            .or(self.want_cursor.take());
        self.ticket = ticket;
        self.entries.clear();
        self.by_id.clear();
        self.sorted.clear();
        self.view.clear();
        self.loading = true;
        self.complete = false;
        self.error = None;
        self.next_offset = 0;
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }
    pub fn filter(&self) -> &str {
        &self.filter
    }
    /// Number of loaded entries (before the filter).
    pub fn total(&self) -> usize {
        self.entries.len()
    }
    /// Number of rows in the view.
    pub fn len(&self) -> usize {
        self.view.len()
    }
    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }
    pub fn row(&self, i: usize) -> Option<&Entry> {
        self.view.get(i).and_then(|&e| self.entries.get(e as usize))
    }
    /// Rows `start..start+n` of the view (only these are touched when drawing).
    pub fn rows(&self, start: usize, n: usize) -> impl Iterator<Item = (usize, &Entry)> {
        let end = start.saturating_add(n).min(self.view.len());
        let start = start.min(end);
        self.view[start..end]
            .iter()
            .enumerate()
            .map(move |(i, &e)| (start + i, &self.entries[e as usize]))
    }
    pub fn current(&self) -> Option<&Entry> {
        self.row(self.cursor)
    }
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id
            .get(id, &self.entries)
            .and_then(|i| self.entries.get(i))
    }
    pub fn position(&self, id: &str) -> Option<usize> {
        let e = self.by_id.get(id, &self.entries)?;
        self.view.iter().position(|&v| v as usize == e)
    }

    /// Add a page of items (an id already present is replaced).
    pub fn append(&mut self, items: Vec<FileItem>) {
        let keep = self.current().map(|e| e.item.id.clone());
        // Grown by the page, not doubled: 50,000 rows take what they need.
        self.entries.reserve_exact(items.len());
        for item in items {
            if item.id.is_empty() {
                continue;
            }
            let entry = Entry::new(FileRow::new(item, &mut self.shared));
            match self.by_id.get(entry.id(), &self.entries) {
                Some(i) => self.entries[i] = entry,
                None => {
                    let i = self.entries.len();
                    self.entries.push(entry);
                    self.by_id.insert(self.entries[i].id(), i, &self.entries);
                }
            }
        }
        self.resort();
        self.place_cursor(keep);
    }

    pub fn set_sort(&mut self, sort: Sort) {
        if sort == self.sort {
            return;
        }
        let keep = self.current().map(|e| e.item.id.clone());
        self.sort = sort;
        self.resort();
        self.place_cursor(keep);
    }

    /// Folders first (the default) or sorted in among the files.
    pub fn set_folders_first(&mut self, on: bool) {
        if self.mixed != on {
            return;
        }
        let keep = self.current().map(|e| e.item.id.clone());
        self.mixed = !on;
        self.resort();
        self.place_cursor(keep);
    }
    pub fn folders_first(&self) -> bool {
        !self.mixed
    }

    pub fn set_filter(&mut self, filter: &str) {
        if filter == self.filter {
            return;
        }
        let keep = self.current().map(|e| e.item.id.clone());
        self.filter = filter.to_string();
        self.refilter();
        self.place_cursor(keep);
    }

    /// Drop these ids from the listing and the selection.
    pub fn remove(&mut self, ids: &[String]) {
        let gone: HashSet<&str> = ids.iter().map(String::as_str).collect();
        if !self.entries.iter().any(|e| gone.contains(e.id())) {
            return;
        }
        let cursor = self.cursor;
        self.entries.retain(|e| !gone.contains(e.id()));
        self.selected.retain(|id| !gone.contains(id.as_str()));
        self.by_id.rebuild(&self.entries);
        self.resort();
        self.cursor = cursor.min(self.view.len().saturating_sub(1));
    }

    /// Change one entry in place (rename, access); keeps the views right.
    pub fn modify(&mut self, id: &str, change: impl FnOnce(&mut FileRow)) {
        let Some(i) = self.by_id.get(id, &self.entries) else {
            return;
        };
        let keep = self.current().map(|e| e.item.id.clone());
        change(&mut self.entries[i].item);
        self.entries[i].renamed();
        self.resort();
        self.place_cursor(keep);
    }

    /// The extended and video info fetched for a row (getFilesInfo's answer for `id`). The
    /// order changes only when the row's date or size was known from these alone.
    pub fn set_extended(&mut self, id: &str, answer: FileItem) {
        let Some(i) = self.by_id.get(id, &self.entries) else {
            return;
        };
        let key = |r: &FileRow| (r.created(), r.size());
        let before = key(&self.entries[i].item);
        self.entries[i].item.set_extended(answer);
        if key(&self.entries[i].item) != before {
            let keep = self.current().map(|e| e.item.id.clone());
            self.resort();
            self.place_cursor(keep);
        }
    }

    fn resort(&mut self) {
        let entries = &self.entries;
        let (sort, mixed) = (self.sort, self.mixed);
        self.sorted = (0..entries.len() as u32).collect();
        self.sorted
            .sort_by(|&a, &b| sort.compare(&entries[a as usize], &entries[b as usize], mixed));
        self.view_filter.clear();
        self.refilter();
    }

    fn refilter(&mut self) {
        let terms: Vec<String> = self
            .filter
            .to_lowercase()
            .split_whitespace()
            .map(String::from)
            .collect();
        let narrowing = !self.view_filter.is_empty()
            && self
                .filter
                .to_lowercase()
                .starts_with(&self.view_filter.to_lowercase());
        let source: &[u32] = if narrowing { &self.view } else { &self.sorted };
        let entries = &self.entries;
        let view: Vec<u32> = if terms.is_empty() {
            self.sorted.clone()
        } else {
            source
                .iter()
                .copied()
                .filter(|&i| {
                    terms
                        .iter()
                        .all(|t| entries[i as usize].lower().contains(t.as_str()))
                })
                .collect()
        };
        self.view = view;
        self.view_filter = self.filter.clone();
    }

    fn place_cursor(&mut self, keep: Option<String>) {
        let want = self.want_cursor.clone().or(keep);
        if let Some(pos) = want.as_deref().and_then(|id| self.position(id)) {
            self.cursor = pos;
            if self.want_cursor.as_deref() == want.as_deref() {
                self.want_cursor = None;
            }
        }
        self.cursor = self.cursor.min(self.view.len().saturating_sub(1));
    }

    /// Move the cursor by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.view.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    pub fn set_cursor(&mut self, i: usize) {
        self.cursor = i.min(self.view.len().saturating_sub(1));
    }

    /// Keep the cursor inside a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        self.offset = scroll_offset(self.cursor, self.offset, rows, self.view.len());
    }

    pub fn toggle_selected(&mut self, id: &str) {
        if !self.selected.remove(id) {
            self.selected.insert(id.to_string());
        }
    }

    /// Select every row in the view; when all already are, unselect them.
    pub fn toggle_all(&mut self) -> bool {
        let ids: Vec<&str> = self.view.iter().map(|&i| self.entries[i as usize].id()).collect();
        let all = ids.iter().all(|id| self.selected.contains(*id));
        if all {
            for id in ids {
                self.selected.remove(id);
            }
            false
        } else {
            let owned: Vec<String> = ids.into_iter().map(String::from).collect();
            self.selected.extend(owned);
            true
        }
    }

    /// The view rows between the anchor and the cursor (inclusive), when a range is open.
    pub fn range(&self) -> Option<(usize, usize)> {
        let a = self.position(self.anchor.as_deref()?)?;
        Some((a.min(self.cursor), a.max(self.cursor)))
    }

    /// Close the open range, selecting its rows. Returns how many rows it held.
    pub fn commit_range(&mut self) -> usize {
        let Some((a, b)) = self.range() else {
            self.anchor = None;
            return 0;
        };
        let ids: Vec<String> = self.rows(a, b - a + 1).map(|(_, e)| e.item.id.clone()).collect();
        let n = ids.len();
        self.selected.extend(ids);
        self.anchor = None;
        n
    }

    /// Selected ids in view order first, then any selected id not in the view.
    pub fn selected_in_order(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .sorted
            .iter()
            .map(|&i| &self.entries[i as usize].item.id)
            .filter(|id| self.selected.contains(*id))
            .cloned()
            .collect();
        let known: HashSet<&String> = out.iter().collect();
        let mut rest: Vec<String> = self
            .selected
            .iter()
            .filter(|id| !known.contains(id))
            .cloned()
            .collect();
        rest.sort();
        out.extend(rest);
        out
    }

    /// Drop selected ids that are not in the listing any more (after a reload).
    pub fn prune_selection(&mut self) {
        let (by_id, entries) = (&self.by_id, &self.entries);
        self.selected.retain(|id| by_id.get(id, entries).is_some());
    }
}
