//! Another account's public folder: its items through getFileStatus, paged by limit/offset
//! (getFilesList lists only the account's own folders).

use super::client::{Client, Result};
use super::error::ApiError;
use super::types::{FileItem, FileStatus};
use std::collections::HashSet;

/// Items asked per getFileStatus page.
pub const PUBLIC_FOLDER_PAGE: u32 = 100;
/// Pages asked at most: 50,000 items, the most a folder holds.
const MAX_PAGES: u64 = 500;

impl Client {
    /// The files and folders of a public folder given by id, of any account, anonymously or
    /// not. Pages until a short page, a page with nothing new (a server that ignores `offset`
    /// or sends one object), or `MAX_PAGES`. A folder that is not public (or does not exist)
    /// fails with an error for which `ApiError::is_not_available` holds; a file id fails with
    /// a local error.
    pub async fn list_public_folder(&self, folder_id: &str) -> Result<Vec<FileItem>> {
        let mut out: Vec<FileItem> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for page in 0..MAX_PAGES {
            let offset = page * u64::from(PUBLIC_FOLDER_PAGE);
            let items = match self
                .get_file_status(folder_id, Some(PUBLIC_FOLDER_PAGE), Some(offset))
                .await?
            {
                FileStatus::Folder(items) => items,
                // A folder's own fields instead of a listing: nothing in it.
                FileStatus::File(item) if item.is_folder() => Vec::new(),
                FileStatus::File(_) => {
                    return Err(ApiError::local(format!("{folder_id} is a file, not a folder")));
                }
            };
            let got = items.len();
            let before = out.len();
            out.extend(
                items
                    .into_iter()
                    .filter(|f| f.id.is_empty() || seen.insert(f.id.clone())),
            );
            if got < PUBLIC_FOLDER_PAGE as usize {
                return Ok(out);
            }
            if out.len() == before {
                tracing::debug!("getFileStatus {folder_id}: page {page} brought nothing new; stopping");
                return Ok(out);
            }
        }
        tracing::warn!("getFileStatus {folder_id}: stopped after {MAX_PAGES} pages");
        Ok(out)
    }
}
