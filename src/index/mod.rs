//! The account index: every folder and file of one account in a local SQLite file, so that
//! names can be searched, space summed, duplicates and dying files found without the API
//! (which has no name search and no storage summary).
//!
//! One file per account: `<account state dir>/index.sqlite` (the state dir is per server and
//! account, and per profile). `open` keeps it private, in WAL mode, of this schema and of this
//! account; `crawl` fills it from getFoldersList and getFilesList, resumably; `query` answers
//! from it; `hooks` keep it right after the CLI's own writes.

pub mod crawl;
pub mod dupes;
pub mod export;
mod fuzzy;
pub mod hooks;
pub mod names;
pub mod open;
pub mod paths;
pub mod query;
pub mod rows;
pub mod schema;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_copies;
#[cfg(test)]
mod tests_meta;
#[cfg(test)]
mod tests_names;
pub mod text;
pub mod totals;

pub use crawl::{CrawlOptions, Progress, crawl};
pub use hooks::{
    note_access, note_added, note_folder_created, note_meta, note_meta_removed, note_moved, note_removed,
    note_renamed,
};
pub use open::{Opened, open, open_existing};
pub use rows::FileRow;

use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// The index file's name inside an account's state folder.
pub const FILE_NAME: &str = "index.sqlite";

/// Where the index of the account whose state folder is `state_dir` lives.
pub fn path_in(state_dir: &Path) -> PathBuf {
    state_dir.join(FILE_NAME)
}

/// The account marker stored in an index: the last two components of the account's state
/// folder (`<server>/<account>`), which name the server and the account.
pub fn account_marker(state_dir: &Path) -> String {
    let parts: Vec<String> = state_dir
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Api(#[from] crate::api::ApiError),
    #[error("{0}")]
    Other(String),
}

impl IndexError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, IndexError>;

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
}

impl Index {
    pub(crate) fn from_conn(conn: Connection, path: &Path) -> Index {
        Index {
            conn,
            path: path.to_path_buf(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Whether a crawl has completed (the index holds the whole account as of then).
    pub fn is_complete(&self) -> Result<bool> {
        Ok(self.meta(schema::keys::CRAWLED_AT)?.is_some()
            && self.meta(schema::keys::CRAWL_STATE)?.as_deref() == Some("done"))
    }

    /// Unix seconds of the last completed crawl.
    pub fn crawled_at(&self) -> Result<Option<i64>> {
        Ok(self.meta(schema::keys::CRAWLED_AT)?.and_then(|s| s.parse().ok()))
    }

    /// (folders, files) held, the root not counted.
    pub fn counts(&self) -> Result<(u64, u64)> {
        let folders: i64 = self
            .conn
            .query_row("SELECT COUNT(*) - 1 FROM folders", [], |r| r.get(0))?;
        let files: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0))?;
        Ok((folders.max(0) as u64, files.max(0) as u64))
    }
}
