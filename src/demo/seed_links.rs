//! Seed data for the link checker: files that were deleted after their links were posted.
//!
//! The other link states live in the main seed table (`seed.rs`): blocked `blocked000001`,
//! premium only `video00000002` and `premium000001`, private `private000001` and
//! `private000002`, the private folder `docsprivate01`.
//!
//! | id | name | state |
//! |---|---|---|
//! | `deadkept00001` | `old-holiday.mp4` | deleted; the service still holds its content (findFile finds its md5) |
//! | `deadgone00001` | `lost-notes.txt` | deleted; its content is gone too (only an upload brings it back) |
//!
//! getFilesInfo answers a deleted id as the reference's "red abuse or deleted from storage"
//! (`is_available` false, every other field null); getFileStatus answers 406, errorCode 20.

use super::state::{Blob, Source, State};
use crate::md5sum::Md5;
use std::path::Path;
use std::sync::Arc;

/// Ids of the deleted seed files.
pub mod dead_ids {
    /// Deleted; its content is still on the service.
    pub const KEPT: &str = "deadkept00001";
    /// Deleted with its content.
    pub const GONE: &str = "deadgone00001";
}

/// The deleted seed files: id, the name their links carry, size.
const DEAD: [(&str, &str, u64); 2] = [
    (dead_ids::KEPT, "old-holiday.mp4", 65_543),
    (dead_ids::GONE, "lost-notes.txt", 3_001),
];

/// The name a deleted seed file's links carry.
pub fn dead_name(id: &str) -> Option<&'static str> {
    DEAD.iter().find(|d| d.0 == id).map(|d| d.1)
}

/// The content a deleted seed file had (what its uploader still keeps on disk).
pub fn dead_body(id: &str) -> Option<Vec<u8>> {
    let (id, name, size) = DEAD.iter().find(|d| d.0 == id)?;
    Some(super::seed::seed_body(id, name, *size, name.ends_with(".txt")))
}

/// Whether `id` is a file that was deleted (and is not there again).
pub(crate) fn was_deleted(st: &State, id: &str) -> bool {
    DEAD.iter().any(|d| d.0 == id) && !st.nodes.contains_key(id)
}

/// The content the service still holds for deleted files (the ones it kept).
pub(crate) fn add(st: &mut State, seed_dir: &Path) -> anyhow::Result<()> {
    let id = dead_ids::KEPT;
    let Some(body) = dead_body(id) else {
        return Ok(());
    };
    let path = seed_dir.join(id);
    std::fs::write(&path, &body)?;
    let md5 = Md5::hex_of(&body);
    let blob = Blob {
        src: Source::Disk(path),
        size: body.len() as u64,
        md5: md5.clone(),
    };
    st.blobs.insert(md5, Arc::new(blob));
    Ok(())
}

/// The service deletes `id` by itself (the abuse team, a storage loss): a file, or a folder with
/// everything below it. Links to it die while its owner's index still lists it. With
/// `keep_content` the service still holds the bytes (findFile finds their md5); without, they
/// go too unless another file still has them. Whether `id` was there.
pub(crate) fn delete_by_service(st: &mut State, id: &str, keep_content: bool) -> bool {
    if !st.nodes.contains_key(id) {
        return false;
    }
    let gone_md5: Vec<String> = st
        .nodes
        .values()
        .filter(|n| n.id == id || st.is_within(&n.parent, id))
        .filter_map(|n| n.md5().map(str::to_string))
        .collect();
    st.remove_tree(id);
    if !keep_content {
        for md5 in gone_md5 {
            if !st.nodes.values().any(|n| n.md5() == Some(md5.as_str())) {
                st.blobs.remove(&md5);
            }
        }
    }
    true
}
