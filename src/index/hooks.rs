//! Keeping an existing index right after the CLI's own writes. Each hook opens the index only
//! when there is one (it never creates one), and a failure is logged, never fatal: the next
//! `k2s index --refresh` repairs what a hook missed.

use super::rows::FileRow;
use super::totals;
use super::{Index, path_in};
use crate::api::FileItem;
use std::path::Path;

fn with_index(state_dir: &Path, what: &str, f: impl FnOnce(&Index) -> rusqlite::Result<()>) {
    let path = path_in(state_dir);
    let Some(index) = super::open_existing(&path, &super::account_marker(state_dir)) else {
        return;
    };
    if let Err(e) = f(&index) {
        tracing::warn!("index {}: {what}: {e}", path.display());
    }
}

/// "/" for the root, whatever id the caller had for it.
fn folder_key(index: &Index, id: &str) -> String {
    let root = index.meta(super::schema::keys::ROOT_ID).ok().flatten();
    if id.is_empty() || id == "/" || root.as_deref() == Some(id) {
        "/".into()
    } else {
        id.to_string()
    }
}

/// Files or folders deleted (a folder with everything below it).
pub fn note_removed(state_dir: &Path, ids: &[String]) {
    with_index(state_dir, "removing", |ix| {
        let tx = ix.conn().unchecked_transaction()?;
        for id in ids {
            let parent = totals::parent_of(&tx, id)?;
            tx.execute(
                "WITH RECURSIVE below(id) AS (SELECT ?1 UNION SELECT f.id FROM folders f JOIN below b ON f.parent = b.id)
                 DELETE FROM files WHERE id = ?1 OR parent IN (SELECT id FROM below)",
                [id],
            )?;
            tx.execute(
                "WITH RECURSIVE below(id) AS (SELECT ?1 UNION SELECT f.id FROM folders f JOIN below b ON f.parent = b.id)
                 DELETE FROM folders WHERE id IN (SELECT id FROM below) AND id <> '/'",
                [id],
            )?;
            if let Some(p) = parent {
                totals::recount(&tx, &p)?;
            }
        }
        tx.commit()
    });
}

/// Files or folders moved into folder `to`.
pub fn note_moved(state_dir: &Path, ids: &[String], to: &str) {
    with_index(state_dir, "moving", |ix| {
        let to = folder_key(ix, to);
        let tx = ix.conn().unchecked_transaction()?;
        for id in ids {
            let from = totals::parent_of(&tx, id)?;
            tx.execute("UPDATE files SET parent = ?2 WHERE id = ?1", [id, &to])?;
            if let Some(from) = from {
                totals::recount(&tx, &from)?;
                totals::recount(&tx, &to)?;
            }
            tx.execute(
                "UPDATE folders SET parent = ?2 WHERE id = ?1 AND id <> '/'",
                [id, &to],
            )?;
        }
        tx.commit()
    });
}

/// A file or folder renamed.
pub fn note_renamed(state_dir: &Path, id: &str, name: &str) {
    with_index(state_dir, "renaming", |ix| {
        ix.conn()
            .execute("UPDATE files SET name = ?2 WHERE id = ?1", [id, name])?;
        ix.conn().execute(
            "UPDATE folders SET name = ?2 WHERE id = ?1 AND id <> '/'",
            [id, name],
        )?;
        Ok(())
    });
}

/// Files given a new access level.
pub fn note_access(state_dir: &Path, ids: &[String], access: &str) {
    with_index(state_dir, "changing access", |ix| {
        let tx = ix.conn().unchecked_transaction()?;
        for id in ids {
            tx.execute("UPDATE files SET access = ?2 WHERE id = ?1", [id, access])?;
        }
        tx.commit()
    });
}

/// A folder created in `parent`.
pub fn note_folder_created(state_dir: &Path, id: &str, parent: &str, name: &str) {
    with_index(state_dir, "adding a folder", |ix| {
        let parent = folder_key(ix, parent);
        let generation = ix
            .meta(super::schema::keys::GENERATION)
            .ok()
            .flatten()
            .unwrap_or_default();
        ix.conn().execute(
            "INSERT INTO folders(id, parent, name, seen, listed) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, name = excluded.name",
            rusqlite::params![id, parent, name, generation.parse::<i64>().unwrap_or(0)],
        )?;
        Ok(())
    });
}

/// A file that is now in folder `parent` (an upload done).
pub fn note_added(state_dir: &Path, item: &FileItem, parent: &str) {
    with_index(state_dir, "adding a file", |ix| {
        let parent = folder_key(ix, parent);
        let old = totals::parent_of(ix.conn(), &item.id)?;
        FileRow::from_item(item, &parent).upsert(ix.conn())?;
        for folder in old.iter().chain(std::iter::once(&parent)) {
            totals::recount(ix.conn(), folder)?;
        }
        Ok(())
    });
}

/// Metadata records fetched or saved: their titles and tags (an empty title or list is kept
/// as an empty value, so "fetched, none" differs from "never fetched").
pub fn note_meta(state_dir: &Path, records: &[crate::api::FileMeta]) {
    if records.is_empty() {
        return;
    }
    with_index(state_dir, "noting metadata", |ix| {
        let tx = ix.conn().unchecked_transaction()?;
        for m in records {
            let tags = serde_json::to_string(&m.tags).unwrap_or_else(|_| "[]".into());
            tx.execute(
                "UPDATE files SET title = ?2, tags = ?3 WHERE id = ?1",
                rusqlite::params![m.file_id, m.title, tags],
            )?;
        }
        tx.commit()
    });
}

/// Files whose metadata was deleted.
pub fn note_meta_removed(state_dir: &Path, ids: &[String]) {
    with_index(state_dir, "removing metadata", |ix| {
        let tx = ix.conn().unchecked_transaction()?;
        for id in ids {
            tx.execute("UPDATE files SET title = '', tags = '[]' WHERE id = ?1", [id])?;
        }
        tx.commit()
    });
}
