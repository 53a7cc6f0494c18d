//! The folder tree built from getFoldersList, and its queries: paths, children, parents, the
//! root. Used by the CLI (paths) and the TUI (tree pane).
//!
//! How the tree is built (see `build`): from the parent ids when the server sends them (an
//! unlisted parent id is the account's root folder, remembered as `root_id`); else from full
//! path names (`/a/b/name`) when the server sends those; else flat under the root
//! (`hierarchical == false`). Every query treats the root's own id exactly as "/".

mod build;
mod name;
#[cfg(test)]
mod tests;

pub use name::{MAX_NAME, MIN_NAME, NameError, check_folder_name};

use crate::api::FoldersList;
use std::collections::HashMap;

pub const ROOT: &str = "/";

#[derive(Debug, Clone, PartialEq)]
pub struct Folder {
    pub id: String,
    /// The folder's own name (the last segment when the server sent a path).
    pub name: String,
    /// "/" for top-level folders.
    pub parent: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FolderTree {
    folders: HashMap<String, Folder>,
    /// parent id ("/" for the root) -> child ids, sorted by name.
    children: HashMap<String, Vec<String>>,
    /// false when the server sent neither parent ids nor full paths: every folder sits under
    /// the root.
    pub hierarchical: bool,
    /// The id of the account's root folder, when the listing or a caller told it.
    root_id: Option<String>,
}

/// Why a path names no folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// No folder named `name` in the folder at path `parent`.
    Missing { parent: String, name: String },
    /// Several folders of `parent` answer to `name`: their ids.
    Ambiguous {
        parent: String,
        name: String,
        candidates: Vec<String>,
    },
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathError::Missing { parent, name } => write!(f, "no folder named {name:?} in {parent}"),
            PathError::Ambiguous {
                parent,
                name,
                candidates,
            } => write!(
                f,
                "{name:?} in {parent} matches {} folders (ids {}); name one by its id",
                candidates.len(),
                candidates.join(", ")
            ),
        }
    }
}

impl std::error::Error for PathError {}

impl FolderTree {
    pub fn from_list(list: &FoldersList) -> FolderTree {
        build::from_list(list)
    }

    pub fn len(&self) -> usize {
        self.folders.len()
    }
    pub fn is_empty(&self) -> bool {
        self.folders.is_empty()
    }

    /// The id of the account's root folder, when known. `canonical` turns it into "/".
    pub fn root_id(&self) -> Option<&str> {
        self.root_id.as_deref()
    }

    /// Remember `id` as the root folder's id (learnt e.g. from a root file's `parent_id`)
    /// when no other root id is known. False when it was not taken: empty, "/", a listed
    /// folder, or another root id is known already.
    pub fn learn_root_id(&mut self, id: &str) -> bool {
        let id = id.trim();
        if id.is_empty() || id == ROOT || self.folders.contains_key(id) {
            return false;
        }
        match &self.root_id {
            Some(known) if known == id => true,
            Some(known) => {
                tracing::debug!("root id {id} not taken: the root is {known}");
                false
            }
            None => {
                self.root_id = Some(id.to_string());
                true
            }
        }
    }

    /// "/" for the root's own id (and for "/"), the id itself otherwise.
    pub fn canonical<'a>(&self, id: &'a str) -> &'a str {
        if self.root_id.as_deref() == Some(id) {
            ROOT
        } else {
            id
        }
    }

    /// Whether `id` is the root ("/" or the root's own id).
    pub fn is_root(&self, id: &str) -> bool {
        self.canonical(id) == ROOT
    }

    /// The folder; None for the root (it has no record) and for unknown ids.
    pub fn get(&self, id: &str) -> Option<&Folder> {
        self.folders.get(id)
    }
    /// The root or a listed folder.
    pub fn contains(&self, id: &str) -> bool {
        self.is_root(id) || self.folders.contains_key(id)
    }
    /// Child folder ids of `id` (the root: "/" or its id), sorted by name.
    pub fn children(&self, id: &str) -> &[String] {
        self.children
            .get(self.canonical(id))
            .map_or(&[], |v| v.as_slice())
    }
    /// The parent ("/" for a top-level folder); None for the root and unknown ids.
    pub fn parent(&self, id: &str) -> Option<&str> {
        self.folders.get(self.canonical(id)).map(|f| f.parent.as_str())
    }

    /// "/Movies/2024" for a folder id; "/" for the root; None for an unknown id.
    pub fn path_of(&self, id: &str) -> Option<String> {
        let mut cur = self.canonical(id);
        if cur == ROOT {
            return Some(ROOT.into());
        }
        let mut parts = Vec::new();
        while cur != ROOT {
            let f = self.folders.get(cur)?;
            parts.push(f.name.as_str());
            cur = &f.parent;
            if parts.len() > self.folders.len() {
                return None;
            }
        }
        parts.reverse();
        Some(format!("/{}", parts.join("/")))
    }

    /// The child of `parent` called `name`: exact match first, then case-insensitive.
    /// Ok(None) when there is none; Err(ids) when several match equally well.
    pub fn child_named(&self, parent: &str, name: &str) -> Result<Option<String>, Vec<String>> {
        let kids = self.children(parent);
        let pick = |same: &dyn Fn(&str) -> bool| -> Vec<String> {
            kids.iter()
                .filter(|k| self.folders.get(*k).is_some_and(|f| same(&f.name)))
                .cloned()
                .collect()
        };
        let exact = pick(&|n| n == name);
        let found = if exact.is_empty() {
            let lower = name.to_lowercase();
            pick(&|n| n.to_lowercase() == lower)
        } else {
            exact
        };
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.into_iter().next()),
            _ => Err(found),
        }
    }

    /// The folder id for a path ("/Movies/2024", "Movies/2024", "/" or ""; "." and ".." as
    /// usual), matching names as `child_named` does. "/" for the root.
    pub fn resolve_path(&self, path: &str) -> Result<String, PathError> {
        let mut cur = ROOT.to_string();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            match part {
                "." => continue,
                ".." => {
                    cur = self.parent(&cur).unwrap_or(ROOT).to_string();
                    continue;
                }
                _ => {}
            }
            let here = || self.path_of(&cur).unwrap_or_else(|| cur.clone());
            cur = match self.child_named(&cur, part) {
                Ok(Some(id)) => id,
                Ok(None) => {
                    return Err(PathError::Missing {
                        parent: here(),
                        name: part.to_string(),
                    });
                }
                Err(candidates) => {
                    return Err(PathError::Ambiguous {
                        parent: here(),
                        name: part.to_string(),
                        candidates,
                    });
                }
            };
        }
        Ok(cur)
    }

    /// `resolve_path`, None when a part is missing or ambiguous.
    pub fn id_of_path(&self, path: &str) -> Option<String> {
        self.resolve_path(path).ok()
    }

    /// Depth-first walk: (depth, id), the root's children at depth 0.
    pub fn walk(&self) -> Vec<(usize, String)> {
        let mut out = Vec::with_capacity(self.folders.len());
        let mut stack: Vec<(usize, String)> =
            self.children(ROOT).iter().rev().map(|c| (0, c.clone())).collect();
        while let Some((d, id)) = stack.pop() {
            for c in self.children(&id).iter().rev() {
                stack.push((d + 1, c.clone()));
            }
            out.push((d, id));
        }
        out
    }

    /// Whether `ancestor` is on the path from the root to `id` (the folder itself excluded;
    /// the root, by "/" or its id, is an ancestor of every listed folder).
    pub fn is_descendant(&self, id: &str, ancestor: &str) -> bool {
        let ancestor = self.canonical(ancestor);
        let mut cur = self.parent(id);
        let mut steps = 0;
        while let Some(p) = cur {
            if p == ancestor {
                return true;
            }
            steps += 1;
            if p == ROOT || steps > self.folders.len() {
                return false;
            }
            cur = self.parent(p);
        }
        false
    }
}
