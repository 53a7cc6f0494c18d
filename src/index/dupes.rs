//! What is stored twice: files of one md5. The index keeps those files flagged (`shared`, see
//! `schema::COPIES`) and a small index of their shown columns in md5 order, so the answer is one
//! read of that index from end to end; each folder's path is built once.

use super::paths::{Folders, ROOT};
use super::text::lenient;
use super::{Index, Result};
use std::collections::HashMap;

/// Files with one md5, stored more than once.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DupeGroup {
    pub md5: String,
    /// The size of one copy.
    pub size: u64,
    /// Bytes that deleting all copies but one would free.
    pub wasted: u64,
    /// (id, path) of each copy, by path.
    pub files: Vec<(String, String)>,
    /// What else the index knows of each copy, in the order of `files`.
    #[serde(skip)]
    pub facts: Vec<CopyFacts>,
}

/// A copy's folder, downloads and creation time (Unix seconds), for the duplicates view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CopyFacts {
    pub parent: String,
    pub downloads: Option<i64>,
    pub created: Option<i64>,
}

/// Every group of duplicates, the most wasteful first.
pub fn dupes(index: &Index, folders: &Folders) -> Result<Vec<DupeGroup>> {
    let mut stmt = index.conn().prepare(
        "SELECT md5, id, parent, name, COALESCE(size, 0), downloads, created FROM files
         INDEXED BY files_copies WHERE shared = 1 ORDER BY md5",
    )?;
    let mut dirs: HashMap<String, String> = HashMap::new();
    let mut groups: Vec<DupeGroup> = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| r.get_ref(i).map(|v| lenient(v).into_owned());
        let (md5, id, parent, name) = (text(0)?, text(1)?, text(2)?, text(3)?);
        let size = r.get::<_, i64>(4).unwrap_or(0).max(0) as u64;
        let number = |i: usize| r.get::<_, Option<i64>>(i).ok().flatten();
        let (downloads, created) = (number(5), number(6));
        let dir = dirs
            .entry(parent.clone())
            .or_insert_with_key(|p| folders.path_of(p));
        let path = if dir.as_str() == ROOT {
            format!("/{name}")
        } else {
            format!("{dir}/{name}")
        };
        let facts = CopyFacts {
            parent,
            downloads,
            created,
        };
        match groups.last_mut() {
            Some(g) if g.md5 == md5 => {
                g.files.push((id, path));
                g.facts.push(facts);
            }
            _ => groups.push(DupeGroup {
                md5,
                size,
                wasted: 0,
                files: vec![(id, path)],
                facts: vec![facts],
            }),
        }
    }
    for g in &mut groups {
        by_path(g);
        g.wasted = g.size * (g.files.len() as u64).saturating_sub(1);
    }
    groups.sort_by(|a, b| b.wasted.cmp(&a.wasted).then_with(|| a.md5.cmp(&b.md5)));
    Ok(groups)
}

/// The group's copies by path, their facts along with them.
fn by_path(g: &mut DupeGroup) {
    let mut both: Vec<_> = std::mem::take(&mut g.files)
        .into_iter()
        .zip(std::mem::take(&mut g.facts))
        .collect();
    both.sort_by(|a, b| a.0.1.cmp(&b.0.1));
    (g.files, g.facts) = both.into_iter().unzip();
}
