//! The duplicates view's groups, read from the account index: each group of same-md5 files
//! with every copy's path, downloads and date (the copies kept are the app's to choose).

use crate::app::dupes::{DupeCopy, DupeGroup, DupesAnswer};
use crate::index::{self, paths::Folders};
use std::path::Path;

/// Every group of duplicates in the index of the account at `dir`, the most wasteful first;
/// None without an index.
pub fn dupes(dir: &Path) -> DupesAnswer {
    let Some(ix) = index::open_existing(&index::path_in(dir), &index::account_marker(dir)) else {
        return Ok(None);
    };
    let text = |e: index::IndexError| e.to_string();
    if ix.counts().map_err(text)? == (0, 0) && ix.crawled_at().map_err(text)?.is_none() {
        return Ok(None);
    }
    let folders = Folders::load(&ix).map_err(text)?;
    let groups = index::query::dupes(&ix, &folders).map_err(text)?;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let copies = g
            .files
            .into_iter()
            .zip(g.facts)
            .map(|((id, path), f)| DupeCopy {
                id,
                parent: f.parent,
                path: crate::text::sanitize(&path),
                size: g.size,
                downloads: f.downloads.map(|d| d.max(0) as u64),
                created: f.created,
                keep: false,
            })
            .collect();
        out.push(DupeGroup {
            md5: crate::text::sanitize(&g.md5),
            size: g.size,
            copies,
        });
    }
    Ok(Some(out))
}
