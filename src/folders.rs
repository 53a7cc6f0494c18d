//! The folder tree built from getFoldersList: from the parent ids when the server sends them,
//! a flat list under the root when it does not. Used by the CLI (paths) and the TUI (tree pane).

use crate::api::FoldersList;
use std::collections::HashMap;

pub const ROOT: &str = "/";

#[derive(Debug, Clone, PartialEq)]
pub struct Folder {
    pub id: String,
    pub name: String,
    /// "/" for top-level folders.
    pub parent: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FolderTree {
    folders: HashMap<String, Folder>,
    /// parent id ("/" for the root) -> child ids, sorted by name.
    children: HashMap<String, Vec<String>>,
    /// false when the server sent no parent ids: every folder sits under the root.
    pub hierarchical: bool,
}

impl FolderTree {
    pub fn from_list(list: &FoldersList) -> FolderTree {
        let mut folders = HashMap::new();
        for f in &list.folders {
            if f.id.is_empty() || f.id == ROOT {
                continue;
            }
            let parent = match (&f.parent_id, list.has_parents) {
                (Some(p), true) if !p.is_empty() && p != &f.id => p.clone(),
                _ => ROOT.to_string(),
            };
            folders.insert(
                f.id.clone(),
                Folder {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    parent,
                },
            );
        }
        // A parent we were not told about, or a cycle, puts the folder under the root.
        let stranded: Vec<String> = folders
            .keys()
            .filter(|id| !Self::reaches_root(&folders, id))
            .cloned()
            .collect();
        for id in &stranded {
            if let Some(f) = folders.get_mut(id) {
                f.parent = ROOT.to_string();
            }
        }
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for f in folders.values() {
            children.entry(f.parent.clone()).or_default().push(f.id.clone());
        }
        for v in children.values_mut() {
            v.sort_by(|a, b| {
                let (na, nb) = (&folders[a].name, &folders[b].name);
                na.to_lowercase().cmp(&nb.to_lowercase()).then(na.cmp(nb))
            });
        }
        FolderTree {
            folders,
            children,
            hierarchical: list.has_parents,
        }
    }

    fn reaches_root(folders: &HashMap<String, Folder>, id: &str) -> bool {
        let mut cur = id;
        for _ in 0..=folders.len() {
            match folders.get(cur) {
                None => return false,
                Some(f) if f.parent == ROOT => return true,
                Some(f) => cur = &f.parent,
            }
        }
        false
    }

    pub fn len(&self) -> usize {
        self.folders.len()
    }
    pub fn is_empty(&self) -> bool {
        self.folders.is_empty()
    }
    pub fn get(&self, id: &str) -> Option<&Folder> {
        self.folders.get(id)
    }
    pub fn contains(&self, id: &str) -> bool {
        id == ROOT || self.folders.contains_key(id)
    }
    /// Child folder ids of `id` ("/" for the root), sorted by name.
    pub fn children(&self, id: &str) -> &[String] {
        self.children.get(id).map_or(&[], |v| v.as_slice())
    }
    pub fn parent(&self, id: &str) -> Option<&str> {
        self.folders.get(id).map(|f| f.parent.as_str())
    }

    /// "/Movies/2024" for a folder id; "/" for the root; None for an unknown id.
    pub fn path_of(&self, id: &str) -> Option<String> {
        if id == ROOT {
            return Some(ROOT.into());
        }
        let mut parts = Vec::new();
        let mut cur = id;
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

    /// The folder id for a path ("/Movies/2024", "Movies/2024", "/" or ""), matching names
    /// exactly first, then case-insensitively. None when a part is missing or ambiguous.
    pub fn id_of_path(&self, path: &str) -> Option<String> {
        let mut cur = ROOT.to_string();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let kids = self.children(&cur);
            let exact: Vec<&String> = kids.iter().filter(|k| self.folders[*k].name == part).collect();
            let found = if exact.len() == 1 {
                exact[0].clone()
            } else if exact.is_empty() {
                let ci: Vec<&String> = kids
                    .iter()
                    .filter(|k| self.folders[*k].name.eq_ignore_ascii_case(part))
                    .collect();
                if ci.len() != 1 {
                    return None;
                }
                ci[0].clone()
            } else {
                return None;
            };
            cur = found;
        }
        Some(cur)
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

    /// Every folder id whose path contains `ancestor` (the folder itself excluded).
    pub fn is_descendant(&self, id: &str, ancestor: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FolderEntry;

    fn entry(id: &str, name: &str, parent: Option<&str>) -> FolderEntry {
        FolderEntry {
            id: id.into(),
            name: name.into(),
            parent_id: parent.map(Into::into),
            parent_name: None,
        }
    }

    #[test]
    fn builds_paths_from_parent_ids() {
        let list = FoldersList {
            folders: vec![
                entry("a", "Movies", Some("/")),
                entry("b", "2024", Some("a")),
                entry("c", "Docs", None),
                entry("d", "orphan", Some("zzz")),
                entry("e", "loop1", Some("f")),
                entry("f", "loop2", Some("e")),
            ],
            has_parents: true,
        };
        let t = FolderTree::from_list(&list);
        assert_eq!(t.path_of("b").as_deref(), Some("/Movies/2024"));
        assert_eq!(t.id_of_path("/movies/2024").as_deref(), Some("b"));
        assert_eq!(t.id_of_path("/").as_deref(), Some("/"));
        assert_eq!(t.id_of_path("/Nope"), None);
        assert_eq!(t.path_of("d").as_deref(), Some("/orphan"));
        assert_eq!(t.path_of("e").as_deref(), Some("/loop1"));
        assert_eq!(t.path_of("f").as_deref(), Some("/loop2"));
        assert!(t.is_descendant("b", "a"));
        assert!(!t.is_descendant("a", "b"));
        let walk: Vec<String> = t.walk().into_iter().map(|(d, id)| format!("{d}{id}")).collect();
        assert_eq!(walk[0], "0c");
        assert!(walk.contains(&"1b".to_string()));
    }

    #[test]
    fn flat_without_parent_ids() {
        let list = FoldersList {
            folders: vec![entry("a", "Movies", None), entry("b", "Sub", None)],
            has_parents: false,
        };
        let t = FolderTree::from_list(&list);
        assert!(!t.hierarchical);
        assert_eq!(t.children(ROOT).len(), 2);
        assert_eq!(t.path_of("b").as_deref(), Some("/Sub"));
    }
}
