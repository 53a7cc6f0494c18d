//! Looking into a remote folder: every item (paged), a file by name and size, a folder by name.

use crate::api::{ApiError, Client, FileItem, ListFiles, ListType};

const PAGE: u32 = 5_000;

/// Every item of a remote folder of the given kind.
pub async fn list_all(client: &Client, parent: &str, kind: ListType) -> Result<Vec<FileItem>, ApiError> {
    let mut all = Vec::new();
    loop {
        let req = ListFiles {
            parent: parent.to_string(),
            limit: PAGE,
            offset: all.len() as u64,
            kind: Some(kind),
            ..ListFiles::default()
        };
        let page = client.get_files_list(&req).await?;
        let n = page.len();
        all.extend(page);
        if n < PAGE as usize {
            return Ok(all);
        }
    }
}

/// The file of `parent` with this name and size (and md5, when both sides know it).
pub(crate) async fn find_file_in(
    client: &Client,
    parent: &str,
    name: &str,
    size: u64,
    md5: Option<&str>,
) -> Result<Option<FileItem>, ApiError> {
    let items = list_all(client, parent, ListType::File).await?;
    Ok(matching(&items, name, size, md5).cloned())
}

pub(crate) fn matching<'a>(
    items: &'a [FileItem],
    name: &str,
    size: u64,
    md5: Option<&str>,
) -> Option<&'a FileItem> {
    items.iter().find(|f| {
        !f.is_folder()
            && f.name() == name
            && f.size() == Some(size)
            && match (md5, f.md5.as_deref()) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => true,
            }
    })
}

/// The id of the sub-folder of `parent` named `name`.
pub(crate) async fn find_folder_in(
    client: &Client,
    parent: &str,
    name: &str,
) -> Result<Option<String>, ApiError> {
    let items = list_all(client, parent, ListType::Folder).await?;
    Ok(items
        .into_iter()
        .find(|f| f.is_folder() && f.name() == name)
        .map(|f| f.id))
}
