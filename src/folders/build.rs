//! Building a `FolderTree` from getFoldersList, whatever form the server used.
//!
//! * Parent ids sent: they decide. A parent id that is not a listed folder is the account's
//!   root folder (the reference lists the root in neither array); when several distinct
//!   unlisted ids appear, the most frequent is taken as the root's id, and the folders of the
//!   others are put under "/" as well (logged). A folder that is its own parent, or whose
//!   chain of parents loops, goes under "/" too.
//! * No parent ids, but names that are full paths (`/a/b/name`): the paths decide (a folder
//!   whose parent path is not listed goes under its nearest listed ancestor).
//! * Neither: flat, every folder under "/", `hierarchical == false`.
//!
//! Names may be `name`, `/name` or a path; a folder's name is always the last segment
//! (folder names cannot contain "/").

use super::{Folder, FolderTree, ROOT};
use crate::api::{FolderEntry, FoldersList};
use std::collections::HashMap;

/// A listed folder: its id and the segments of its name as sent.
struct Entry<'a> {
    id: &'a str,
    parts: Vec<&'a str>,
    parent_id: Option<&'a str>,
}

fn entries(list: &FoldersList) -> Vec<Entry<'_>> {
    let mut seen = std::collections::HashSet::new();
    list.folders
        .iter()
        .filter(|f| !f.id.is_empty() && f.id != ROOT)
        .filter(|f| {
            let fresh = seen.insert(f.id.as_str());
            if !fresh {
                tracing::warn!(
                    "getFoldersList: folder {} is listed twice; the first is kept",
                    f.id
                );
            }
            fresh
        })
        .map(|f: &FolderEntry| Entry {
            id: &f.id,
            parts: f.name.split('/').filter(|p| !p.is_empty()).collect(),
            parent_id: f.parent_id.as_deref().map(str::trim).filter(|p| !p.is_empty()),
        })
        .collect()
}

pub(super) fn from_list(list: &FoldersList) -> FolderTree {
    let entries = entries(list);
    let full_paths = entries.iter().any(|e| e.parts.len() > 1);
    let (parents, root_id, hierarchical) = if list.has_parents {
        let (parents, root_id) = by_parent_ids(&entries);
        (parents, root_id, true)
    } else if full_paths {
        (by_paths(&entries), None, true)
    } else {
        (vec![ROOT.to_string(); entries.len()], None, false)
    };
    let mut folders: HashMap<String, Folder> = entries
        .iter()
        .zip(parents)
        .map(|(e, parent)| {
            let folder = Folder {
                id: e.id.to_string(),
                name: e.parts.last().copied().unwrap_or("").to_string(),
                parent,
            };
            (folder.id.clone(), folder)
        })
        .collect();
    unloop(&mut folders);
    let children = children_of(&folders);
    FolderTree {
        folders,
        children,
        hierarchical,
        root_id,
    }
}

/// Each entry's parent from the parent ids, and the root's id (the most frequent unlisted one).
fn by_parent_ids(entries: &[Entry<'_>]) -> (Vec<String>, Option<String>) {
    let listed: std::collections::HashSet<&str> = entries.iter().map(|e| e.id).collect();
    // Unlisted parent ids: how often each appears, and where first (to break ties).
    let mut unlisted: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(p) = e.parent_id.filter(|p| *p != ROOT && !listed.contains(p)) {
            unlisted.entry(p).or_insert((0, i)).0 += 1;
        }
    }
    let root_id = unlisted
        .iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(id, _)| id.to_string());
    if unlisted.len() > 1 {
        let mut others: Vec<&str> = unlisted
            .keys()
            .copied()
            .filter(|id| Some(*id) != root_id.as_deref())
            .collect();
        others.sort_unstable();
        tracing::warn!(
            "getFoldersList: several unlisted parent ids; {} taken as the root, the folders under {} put under it too",
            root_id.as_deref().unwrap_or(""),
            others.join(", ")
        );
    }
    let parents = entries
        .iter()
        .map(|e| match e.parent_id {
            Some(p) if p != e.id && listed.contains(p) => p.to_string(),
            Some(p) if p == e.id => {
                tracing::warn!("getFoldersList: folder {p} is its own parent; put under /");
                ROOT.to_string()
            }
            _ => ROOT.to_string(),
        })
        .collect();
    (parents, root_id)
}

/// Each entry's parent from its full path name: the listed folder of the longest prefix.
fn by_paths(entries: &[Entry<'_>]) -> Vec<String> {
    let mut by_path: HashMap<String, &str> = HashMap::new();
    for e in entries {
        let key = e.parts.join("/");
        if let Some(first) = by_path.get(&key) {
            tracing::warn!(
                "getFoldersList: folders {first} and {} have the same path /{key}",
                e.id
            );
        } else {
            by_path.insert(key, e.id);
        }
    }
    entries
        .iter()
        .map(|e| {
            let n = e.parts.len();
            let found = (1..n).rev().find_map(|k| {
                by_path
                    .get(&e.parts[..k].join("/"))
                    .filter(|id| **id != e.id)
                    .map(|id| (k, *id))
            });
            match found {
                Some((k, id)) => {
                    if k + 1 < n {
                        tracing::debug!("getFoldersList: /{} is not listed", e.parts[..n - 1].join("/"));
                    }
                    id.to_string()
                }
                None => ROOT.to_string(),
            }
        })
        .collect()
}

/// A loop of parents is broken by putting the folders on it under the root (the folders
/// hanging below the loop then reach the root through them).
fn unloop(folders: &mut HashMap<String, Folder>) {
    let mut ids: Vec<String> = folders.keys().cloned().collect();
    ids.sort_unstable();
    for id in ids {
        if reaches_root(folders, &id) {
            continue;
        }
        let mut chain: Vec<String> = Vec::new();
        let mut cur = id;
        let on_loop = loop {
            if let Some(pos) = chain.iter().position(|c| *c == cur) {
                break chain.split_off(pos);
            }
            match folders.get(&cur) {
                Some(f) if f.parent != ROOT => {
                    chain.push(cur);
                    cur = f.parent.clone();
                }
                _ => break vec![cur],
            }
        };
        for c in on_loop {
            tracing::warn!("getFoldersList: the parents of folder {c} loop; put under /");
            if let Some(f) = folders.get_mut(&c) {
                f.parent = ROOT.to_string();
            }
        }
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

/// parent -> children, sorted by name (case-insensitively, then exactly, then by id).
fn children_of(folders: &HashMap<String, Folder>) -> HashMap<String, Vec<String>> {
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for f in folders.values() {
        children.entry(f.parent.clone()).or_default().push(f.id.clone());
    }
    let name = |id: &String| folders.get(id).map_or("", |f| f.name.as_str());
    for v in children.values_mut() {
        v.sort_by(|a, b| {
            let (na, nb) = (name(a), name(b));
            na.to_lowercase()
                .cmp(&nb.to_lowercase())
                .then(na.cmp(nb))
                .then(a.cmp(b))
        });
    }
    children
}
