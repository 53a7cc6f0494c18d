//! What the user names as a folder: an id, a share link (`/folder/<id>[/name]`, any domain), or a
//! path from the root (`/Documents/Archive`); one of the account's own folders, or another
//! account's public folder.

use super::ctx::Ctx;
use crate::api::{ApiError, FileItem, LinkKind, ListType, looks_like_id, parse_link};
use crate::folders::{FolderTree, ROOT};
use crate::transfer::remote_list::list_all;

/// A folder the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderRef {
    /// One of the account's folders ("/" for the root, whatever id the server gives it).
    Own(String),
    /// Another account's folder, listed through getFileStatus when it is public.
    Foreign(String),
}

impl Ctx {
    /// A folder given as an id, a link or a path, of this account or another's.
    pub async fn locate_folder(&self, spec: &str) -> Result<FolderRef, ApiError> {
        let spec = spec.trim();
        if spec.is_empty() || spec == ROOT {
            return Ok(FolderRef::Own(ROOT.into()));
        }
        let tree = self.folder_tree().await?;
        let link = if spec.starts_with('/') {
            None
        } else {
            parse_link(spec)
        };
        if let Some(l) = &link
            && (l.kind != LinkKind::Unknown || tree.contains(&l.id))
        {
            if l.kind == LinkKind::File {
                return Err(ApiError::local(format!("{spec} is a file link, not a folder")));
            }
            return self.folder_by_id(&tree, &l.id).await;
        }
        match self.folder_by_path(&tree, spec).await {
            Ok(id) => Ok(FolderRef::Own(id)),
            // A bare id that is no path: one of ours the listing does not show, or another's.
            Err(_) if !spec.contains('/') && looks_like_id(spec) => self.folder_by_id(&tree, spec).await,
            Err(e) => Err(e),
        }
    }

    /// One of the account's own folders (a destination: mkdir --parent, upload --to, mv --to).
    pub async fn resolve_folder(&self, spec: &str) -> Result<String, ApiError> {
        match self.locate_folder(spec).await? {
            FolderRef::Own(id) => Ok(id),
            FolderRef::Foreign(id) => Err(ApiError::local(format!(
                "{id} is another account's folder: it can be listed and downloaded, not changed"
            ))),
        }
    }

    /// Every item of another account's public folder (getFileStatus), with a clear error when
    /// it is not public.
    pub async fn list_foreign(&self, id: &str) -> Result<Vec<FileItem>, ApiError> {
        self.client
            .list_public_folder(id)
            .await
            .map_err(|e| if e.is_not_available() { not_public(id) } else { e })
    }

    /// A folder id: ours when the tree has it (the root's own id is "/"), else asked of the
    /// server: getFilesInfo shows `parent_id` to the owner only.
    async fn folder_by_id(&self, tree: &FolderTree, id: &str) -> Result<FolderRef, ApiError> {
        if tree.contains(id) {
            return Ok(FolderRef::Own(tree.canonical(id).to_string()));
        }
        let info = self.client.get_files_info(&[id.to_string()], true).await?;
        match info.into_iter().find(|f| f.id == id && f.exists()) {
            Some(f) if !f.is_folder() => Err(ApiError::local(format!("{id} is a file, not a folder"))),
            Some(f) if f.parent_id.is_some() => Ok(FolderRef::Own(id.to_string())),
            Some(_) => Ok(FolderRef::Foreign(id.to_string())),
            // getFilesInfo shows another account's folder only when it is public.
            None => match self.client.list_public_folder(id).await {
                Ok(_) => Ok(FolderRef::Foreign(id.to_string())),
                Err(e) if e.is_not_available() => Err(not_public(id)),
                Err(e) => Err(e),
            },
        }
    }

    /// A path from the root. Without parent ids in getFoldersList (a flat tree), the path is
    /// walked one level at a time with getFilesList.
    async fn folder_by_path(&self, tree: &FolderTree, path: &str) -> Result<String, ApiError> {
        // A flat tree puts every folder under the root, so it can only be trusted with paths
        // when it has the parents; otherwise the path is walked below.
        if tree.hierarchical {
            return tree
                .resolve_path(path)
                .map_err(|e| ApiError::local(e.to_string()));
        }
        let mut cur = ROOT.to_string();
        let mut here = String::new();
        for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
            let kids = list_all(&self.client, &cur, ListType::Folder).await?;
            let pick = |same: &dyn Fn(&str) -> bool| -> Vec<String> {
                kids.iter()
                    .filter(|f| f.is_folder() && same(f.name()))
                    .map(|f| f.id.clone())
                    .collect()
            };
            let mut found = pick(&|n| n == part);
            if found.is_empty() {
                found = pick(&|n| n.eq_ignore_ascii_case(part));
            }
            let shown = if here.is_empty() { "/" } else { here.as_str() };
            cur = match found.len() {
                1 => found.remove(0),
                0 => return Err(ApiError::local(format!("no folder named {part:?} in {shown}"))),
                n => {
                    return Err(ApiError::local(format!(
                        "{part:?} in {shown} matches {n} folders (ids {}); name one by its id",
                        found.join(", ")
                    )));
                }
            };
            here.push('/');
            here.push_str(part);
        }
        Ok(cur)
    }
}

fn not_public(id: &str) -> ApiError {
    ApiError::local(format!(
        "{id} is not one of your folders and is not public (or it does not exist)"
    ))
}
