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

/// A file or folder the user named, found: its id, name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub id: String,
    pub name: String,
    pub is_folder: bool,
}

/// Why what the user named is not one item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// Neither an id, a share link nor a path.
    #[error("{spec:?} is not a file or folder id, a share link, nor a path like /Movies/x.mp4")]
    Invalid { spec: String },
    /// "/": the root folder is no item to act on.
    #[error("/ is the root folder, not an item in it: name a file or folder in it")]
    Root,
    /// Well formed, but nothing has that id or path.
    #[error("{spec}: {why}")]
    NotFound { spec: String, why: String },
    /// A path whose name several items of its folder share: `candidates` are (id, name).
    #[error("{}", ambiguous_text(.name, .folder, .candidates))]
    Ambiguous {
        name: String,
        folder: String,
        candidates: Vec<(String, String)>,
    },
}

fn ambiguous_text(name: &str, folder: &str, candidates: &[(String, String)]) -> String {
    let list: Vec<String> = candidates
        .iter()
        .map(|(id, n)| format!("{id} {:?}", crate::text::sanitize(n)))
        .collect();
    format!(
        "{name:?} in {folder} matches {} items: {}; name one by its id",
        candidates.len(),
        list.join(", ")
    )
}

/// What the user gave, and the item it names or why it names none.
pub type Resolved = (String, Result<ItemRef, ResolveError>);

impl ItemRef {
    fn of(f: &FileItem) -> ItemRef {
        ItemRef {
            id: f.id.clone(),
            name: f.name().to_string(),
            is_folder: f.is_folder(),
        }
    }
}

impl Ctx {
    /// One file or folder given as an id, a share link or a path from the root. Server
    /// failures are `ApiError`s, the rest `ResolveError`s (both keep their exit codes).
    pub async fn resolve_item(&self, spec: &str) -> anyhow::Result<ItemRef> {
        let mut all = self
            .resolve_items(std::slice::from_ref(&spec.to_string()))
            .await?;
        match all.pop() {
            Some((_, r)) => Ok(r?),
            None => Err(ResolveError::Invalid { spec: spec.into() }.into()),
        }
    }

    /// The id of a file or folder given as an id, a share link or a path: an id or a link is
    /// taken as it is (nothing asked), a path is looked up.
    pub async fn resolve_id(&self, spec: &str) -> anyhow::Result<String> {
        let t = spec.trim();
        if !t.starts_with('/')
            && let Some(l) = parse_link(t)
        {
            return Ok(l.id);
        }
        Ok(self.resolve_item(spec).await?.id)
    }

    /// `resolve_item` for each of `specs`, in order; the ids are asked in one getFilesInfo.
    /// An error only when the server could not answer.
    pub async fn resolve_items(&self, specs: &[String]) -> Result<Vec<Resolved>, ApiError> {
        let mut out: Vec<Resolved> = Vec::with_capacity(specs.len());
        let mut ids = Vec::new();
        // The entries named by id, to be completed by getFilesInfo.
        let mut pending = Vec::new();
        for spec in specs {
            let t = spec.trim();
            let r = if t.starts_with('/') && !t.starts_with("//") {
                self.item_by_path(t).await?
            } else {
                match parse_link(t) {
                    Some(l) => {
                        ids.push(l.id.clone());
                        pending.push(out.len());
                        Ok(ItemRef {
                            id: l.id,
                            name: String::new(),
                            is_folder: l.kind == LinkKind::Folder,
                        })
                    }
                    None => Err(ResolveError::Invalid { spec: spec.clone() }),
                }
            };
            out.push((spec.clone(), r));
        }
        if ids.is_empty() {
            return Ok(out);
        }
        let found = self.files_info_lenient(&ids).await?;
        for i in pending {
            let Some((spec, r)) = out.get_mut(i) else { continue };
            let Ok(item) = r else { continue };
            *r = match found.iter().find(|f| f.id == item.id && f.exists()) {
                Some(f) => Ok(ItemRef::of(f)),
                None => Err(ResolveError::NotFound {
                    spec: spec.clone(),
                    why: "unknown id".into(),
                }),
            };
        }
        Ok(out)
    }

    /// getFilesInfo for ids; when the server refuses the batch as malformed, each id alone, so
    /// that one bad id leaves the others found (the bad one is then unknown).
    async fn files_info_lenient(&self, ids: &[String]) -> Result<Vec<FileItem>, ApiError> {
        match self.client.get_files_info(ids, false).await {
            Err(e) if e.is_invalid_params() && ids.len() > 1 => {
                let mut all = Vec::new();
                for id in ids {
                    match self.client.get_files_info(std::slice::from_ref(id), false).await {
                        Ok(found) => all.extend(found),
                        Err(e) if e.is_invalid_params() => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(all)
            }
            Err(e) if e.is_invalid_params() => Ok(Vec::new()),
            other => other,
        }
    }

    /// A path from the root, walked one folder at a time (getFilesList), the last part a file
    /// or a folder.
    async fn item_by_path(&self, path: &str) -> Result<Result<ItemRef, ResolveError>, ApiError> {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
        let Some((last, folders)) = parts.split_last() else {
            return Ok(Err(ResolveError::Root));
        };
        let mut cur = ROOT.to_string();
        let mut here = String::from("/");
        for (i, part) in folders.iter().chain(std::iter::once(last)).enumerate() {
            let is_last = i == folders.len();
            let kind = if is_last { ListType::Any } else { ListType::Folder };
            let kids = list_all(&self.client, &cur, kind).await?;
            let kids: Vec<&FileItem> = kids.iter().filter(|f| is_last || f.is_folder()).collect();
            let item = match named(&kids, part) {
                Ok(f) => f,
                Err(candidates) if candidates.is_empty() => {
                    let what = if is_last { "nothing" } else { "no folder" };
                    return Ok(Err(ResolveError::NotFound {
                        spec: path.to_string(),
                        why: format!("{what} named {part:?} in {here}"),
                    }));
                }
                Err(candidates) => {
                    return Ok(Err(ResolveError::Ambiguous {
                        name: part.to_string(),
                        folder: here,
                        candidates,
                    }));
                }
            };
            if is_last {
                return Ok(Ok(item));
            }
            cur = item.id;
            if !here.ends_with('/') {
                here.push('/');
            }
            here.push_str(part);
        }
        Ok(Err(ResolveError::Invalid { spec: path.into() }))
    }
}

/// The one item of `kids` called `name` (exactly, else ignoring ASCII case); Err with the
/// (id, name) of every candidate when there are none or several.
fn named(kids: &[&FileItem], name: &str) -> Result<ItemRef, Vec<(String, String)>> {
    let pick = |same: &dyn Fn(&str) -> bool| -> Vec<ItemRef> {
        kids.iter()
            .filter(|f| same(f.name()))
            .map(|f| ItemRef::of(f))
            .collect()
    };
    let mut found = pick(&|n| n == name);
    if found.is_empty() {
        found = pick(&|n| n.eq_ignore_ascii_case(name));
    }
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    Err(found.into_iter().map(|i| (i.id, i.name)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, name: &str) -> FileItem {
        serde_json::from_value(serde_json::json!({"id": id, "name": name, "is_folder": false}))
            .expect("a file item")
    }

    #[test]
    fn a_name_matches_exactly_first_then_ignoring_case_and_lists_every_candidate() {
        let a = item("aaaaaaaaaaaaa", "Report.pdf");
        let b = item("bbbbbbbbbbbbb", "report.pdf");
        let c = item("ccccccccccccc", "other.txt");
        let kids = [&a, &b, &c];
        assert_eq!(
            named(&kids, "report.pdf").map(|i| i.id),
            Ok("bbbbbbbbbbbbb".into())
        );
        assert_eq!(
            named(&kids, "OTHER.TXT").map(|i| i.id),
            Ok("ccccccccccccc".into())
        );
        let both = named(&kids, "REPORT.PDF").unwrap_err();
        assert_eq!(both.len(), 2);
        assert!(named(&kids, "missing").unwrap_err().is_empty());
        let text = ResolveError::Ambiguous {
            name: "REPORT.PDF".into(),
            folder: "/Docs".into(),
            candidates: both,
        }
        .to_string();
        assert!(
            text.contains("aaaaaaaaaaaaa") && text.contains("bbbbbbbbbbbbb"),
            "{text}"
        );
    }
}
