//! The folder tree pane and the folder picker: which folders are expanded, the flattened rows,
//! the cursor. Rows are rebuilt only when the tree or an expansion changes.

use super::msg::Ticket;
use super::scroll::scroll_offset;
use crate::folders::{FolderTree, ROOT};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct TreeRow {
    pub depth: usize,
    pub id: String,
    pub has_children: bool,
    pub expanded: bool,
}

/// Expansion state and cursor over a `FolderTree`. The root ("/") is row 0, always expanded.
#[derive(Debug, Clone, Default)]
pub struct TreeView {
    expanded: HashSet<String>,
    rows: Vec<TreeRow>,
    pub cursor: usize,
    pub offset: usize,
}

impl TreeView {
    pub fn rows(&self) -> &[TreeRow] {
        &self.rows
    }
    pub fn current(&self) -> Option<&TreeRow> {
        self.rows.get(self.cursor)
    }
    pub fn current_id(&self) -> &str {
        self.current().map_or(ROOT, |r| r.id.as_str())
    }
    pub fn is_expanded(&self, id: &str) -> bool {
        id == ROOT || self.expanded.contains(id)
    }

    pub fn rebuild(&mut self, tree: &FolderTree) {
        let keep = self.current().map(|r| r.id.clone());
        self.expanded.retain(|id| tree.contains(id));
        let mut rows = vec![TreeRow {
            depth: 0,
            id: ROOT.to_string(),
            has_children: !tree.children(ROOT).is_empty(),
            expanded: true,
        }];
        let mut stack: Vec<(usize, &String)> = tree.children(ROOT).iter().rev().map(|c| (1, c)).collect();
        while let Some((depth, id)) = stack.pop() {
            let kids = tree.children(id);
            let expanded = self.expanded.contains(id.as_str());
            rows.push(TreeRow {
                depth,
                id: id.clone(),
                has_children: !kids.is_empty(),
                expanded,
            });
            if expanded && depth < 64 {
                stack.extend(kids.iter().rev().map(|c| (depth + 1, c)));
            }
        }
        self.rows = rows;
        self.cursor = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(self.cursor)
            .min(self.rows.len().saturating_sub(1));
    }

    pub fn set_expanded(&mut self, tree: &FolderTree, id: &str, on: bool) {
        if id == ROOT {
            return;
        }
        let changed = if on {
            self.expanded.insert(id.to_string())
        } else {
            self.expanded.remove(id)
        };
        if changed {
            self.rebuild(tree);
        }
    }

    pub fn toggle(&mut self, tree: &FolderTree, id: &str) {
        let on = !self.expanded.contains(id);
        self.set_expanded(tree, id, on);
    }

    /// Expand the ancestors of `id` and put the cursor on it. False when the tree does not hold
    /// `id` (the cursor then stays).
    pub fn reveal(&mut self, tree: &FolderTree, id: &str) -> bool {
        let mut cur = tree.parent(id).map(String::from);
        let mut steps = 0;
        while let Some(p) = cur {
            if p == ROOT || steps > tree.len() {
                break;
            }
            self.expanded.insert(p.clone());
            cur = tree.parent(&p).map(String::from);
            steps += 1;
        }
        self.rebuild(tree);
        match self.rows.iter().position(|r| r.id == id) {
            Some(pos) => {
                self.cursor = pos;
                true
            }
            None => false,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor = self
            .cursor
            .saturating_add_signed(delta)
            .min(self.rows.len().saturating_sub(1));
    }

    pub fn set_cursor(&mut self, i: usize) {
        self.cursor = i.min(self.rows.len().saturating_sub(1));
    }

    /// Move the cursor to the row of the parent folder.
    pub fn to_parent(&mut self, tree: &FolderTree) {
        let Some(row) = self.current() else { return };
        let parent = tree.parent(&row.id).unwrap_or(ROOT).to_string();
        if let Some(pos) = self.rows.iter().position(|r| r.id == parent) {
            self.cursor = pos;
        }
    }

    pub fn scroll_into_view(&mut self, rows: usize) {
        self.offset = scroll_offset(self.cursor, self.offset, rows, self.rows.len());
    }
}

/// The tree pane: the folder tree from getFoldersList and its view.
#[derive(Debug, Clone, Default)]
pub struct TreePane {
    pub tree: FolderTree,
    pub view: TreeView,
    pub ticket: Ticket,
    pub loading: bool,
    pub loaded: bool,
    pub error: Option<String>,
    /// The folders from the root to the one the list shows (ids, root excluded): the cursor
    /// goes to the deepest of them the tree holds, now and whenever the tree is loaded again.
    follow: Vec<String>,
}

impl TreePane {
    pub fn set_tree(&mut self, tree: FolderTree) {
        self.tree = tree;
        self.loaded = true;
        self.loading = false;
        self.error = None;
        self.view.rebuild(&self.tree);
        self.reveal_followed();
    }

    /// The list now shows the last folder of `chain` (the ids from the root down, root
    /// excluded; empty for the root): expand the tree to it and put the cursor on it.
    pub fn follow(&mut self, chain: Vec<String>) {
        self.follow = chain;
        if self.loaded {
            self.reveal_followed();
        }
    }

    /// The folder the tree follows, or its nearest ancestor the tree holds ("/" at worst).
    pub fn followed(&self) -> &str {
        let known = self.follow.iter().rev().find(|id| self.tree.contains(id));
        known.map_or(ROOT, String::as_str)
    }

    /// The move picker: open down to the folder the list shows (or its nearest known
    /// ancestor), the cursor on it.
    pub fn picker(&self) -> TreeView {
        let mut v = TreeView::default();
        v.reveal(&self.tree, self.followed());
        v
    }

    fn reveal_followed(&mut self) {
        let target = self.followed().to_string();
        self.view.reveal(&self.tree, &target);
    }

    /// Display name of a folder ("/" for the root, the id when unknown).
    pub fn name_of(&self, id: &str) -> String {
        if id == ROOT {
            return ROOT.to_string();
        }
        self.tree
            .get(id)
            .map_or_else(|| id.to_string(), |f| f.name.clone())
    }
}
