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
    let mut stmt = ix
        .conn()
        .prepare("SELECT parent, downloads, created FROM files WHERE id = ?1")
        .map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let mut copies = Vec::with_capacity(g.files.len());
        for (id, path) in g.files {
            let (parent, downloads, created) = stmt
                .query_row([&id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                })
                .map_err(|e| e.to_string())?;
            copies.push(DupeCopy {
                id,
                parent,
                path: crate::text::sanitize(&path),
                size: g.size,
                downloads: downloads.map(|d| d.max(0) as u64),
                created,
                keep: false,
            });
        }
        out.push(DupeGroup {
            md5: crate::text::sanitize(&g.md5),
            size: g.size,
            copies,
        });
    }
    Ok(Some(out))
}
