//! What state each link is in: getFilesInfo for every id (batches of 100, no login needed),
//! getFileStatus where getFilesInfo can't tell (folders; "unavailable", which is either blocked
//! or deleted).

use crate::api::{Access, ApiError, Client, FileItem, FileStatus, LinkKind};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Alive,
    /// Deleted, or never existed.
    Dead,
    /// Blocked by the abuse system.
    Blocked,
    PremiumOnly,
    Private,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Alive => "alive",
            LinkState::Dead => "dead",
            LinkState::Blocked => "blocked",
            LinkState::PremiumOnly => "premium only",
            LinkState::Private => "private",
        }
    }
    /// The name in JSON.
    pub fn key(self) -> &'static str {
        match self {
            LinkState::PremiumOnly => "premium_only",
            other => other.as_str(),
        }
    }
    /// Readers can't get it: dead or blocked.
    pub fn is_lost(self) -> bool {
        matches!(self, LinkState::Dead | LinkState::Blocked)
    }
}

/// The state of one id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReport {
    pub id: String,
    pub state: LinkState,
    pub is_folder: bool,
    pub name: Option<String>,
    pub size: Option<u64>,
    /// Why, for a link that is not alive.
    pub reason: Option<String>,
}

impl LinkReport {
    fn new(id: &str, state: LinkState, item: Option<&FileItem>, reason: Option<&str>) -> LinkReport {
        LinkReport {
            id: id.to_string(),
            state,
            is_folder: item.is_some_and(FileItem::is_folder),
            name: item.and_then(|i| i.name.clone()),
            size: item.filter(|i| !i.is_folder()).and_then(FileItem::size),
            reason: reason.map(str::to_string),
        }
    }
}

/// What getFilesInfo alone says, or None when getFileStatus must be asked.
fn from_info(item: &FileItem, kind: LinkKind) -> Option<LinkReport> {
    let id = item.id.as_str();
    if !item.exists() {
        // Unknown to the service, or hidden from this account: a folder may still answer.
        return (kind != LinkKind::Folder)
            .then(|| LinkReport::new(id, LinkState::Dead, None, Some("not found (deleted, or private)")));
    }
    if item.is_available == Some(false) {
        if item.is_blocked() {
            return Some(LinkReport::new(
                id,
                LinkState::Blocked,
                Some(item),
                Some("blocked by the abuse system"),
            ));
        }
        return None;
    }
    let state = match item.access() {
        Some(Access::Private) => LinkState::Private,
        Some(Access::Premium) => LinkState::PremiumOnly,
        _ if item.is_folder() => return None,
        _ if item.is_available_for_free == Some(false) => LinkState::PremiumOnly,
        _ => LinkState::Alive,
    };
    let reason = match state {
        LinkState::Private => Some("only its owner can download it"),
        LinkState::PremiumOnly => Some("premium users only"),
        _ => None,
    };
    Some(LinkReport::new(id, state, Some(item), reason))
}

/// getFileStatus for what getFilesInfo left open.
async fn from_status(client: &Client, item: &FileItem) -> Result<LinkReport, ApiError> {
    let id = item.id.as_str();
    let known = item.exists().then_some(item);
    match client.get_file_status(id, Some(1), None).await {
        Ok(FileStatus::Folder(_)) => {
            let mut r = LinkReport::new(id, LinkState::Alive, known, None);
            r.is_folder = true;
            Ok(r)
        }
        Ok(FileStatus::File(f)) if f.is_available == Some(false) => Ok(LinkReport::new(
            id,
            LinkState::Blocked,
            Some(&f),
            Some("not available (blocked)"),
        )),
        Ok(FileStatus::File(f)) => Ok(from_info(&f, LinkKind::File)
            .unwrap_or_else(|| LinkReport::new(id, LinkState::Alive, Some(&f), None))),
        Err(e) if e.is_not_available() || e.is_not_found() => {
            let why = if item.is_available == Some(false) {
                "deleted from storage"
            } else {
                "not found (deleted, or not public)"
            };
            Ok(LinkReport::new(id, LinkState::Dead, None, Some(why)))
        }
        Err(e) => Err(e),
    }
}

/// getFilesInfo for `ids` in batches; a batch refused as malformed is asked id by id, and an
/// id refused alone is unknown.
async fn files_info(client: &Client, ids: &[String]) -> Result<Vec<FileItem>, ApiError> {
    let mut out = Vec::with_capacity(ids.len());
    for batch in ids.chunks(crate::api::FILES_INFO_BATCH) {
        match client.get_files_info(batch, true).await {
            Ok(items) => out.extend(items),
            Err(e) if e.is_invalid_params() => {
                for id in batch {
                    match client.get_files_info(std::slice::from_ref(id), true).await {
                        Ok(items) => out.extend(items),
                        Err(e) if e.is_invalid_params() => out.push(FileItem {
                            id: id.clone(),
                            ..FileItem::default()
                        }),
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The state of every distinct id in `links` (id, kind), keyed by id.
pub async fn check_links(
    client: &Client,
    links: &[(String, LinkKind)],
) -> Result<HashMap<String, LinkReport>, ApiError> {
    let mut kinds: Vec<(String, LinkKind)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (id, kind) in links {
        match at.get(id.as_str()) {
            Some(&i) if kinds[i].1 == LinkKind::Unknown => kinds[i].1 = *kind,
            Some(_) => {}
            None => {
                at.insert(id, kinds.len());
                kinds.push((id.clone(), *kind));
            }
        }
    }
    let ids: Vec<String> = kinds.iter().map(|(id, _)| id.clone()).collect();
    let items = files_info(client, &ids).await?;
    let mut out = HashMap::new();
    for ((id, kind), item) in kinds.iter().zip(items) {
        let report = match from_info(&item, *kind) {
            Some(r) => r,
            None => from_status(client, &item).await?,
        };
        out.insert(id.clone(), report);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(v: serde_json::Value) -> FileItem {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn states_from_files_info() {
        let state = |v, kind| from_info(&item(v), kind).map(|r| r.state);
        use LinkKind::*;
        let alive = json!({"id": "a", "name": "x", "is_available": true, "is_folder": false, "access": "public", "size": 5});
        assert_eq!(state(alive, File), Some(LinkState::Alive));
        let unknown = json!({"id": "a", "name": null, "is_available": null, "is_folder": null});
        assert_eq!(state(unknown.clone(), File), Some(LinkState::Dead));
        assert_eq!(
            state(unknown, Folder),
            None,
            "a folder is asked with getFileStatus"
        );
        let gone = json!({"id": "a", "name": null, "is_available": false});
        assert_eq!(state(gone, File), None, "blocked or deleted: getFileStatus tells");
        let blocked = json!({"id": "a", "name": "x", "is_available": false,
            "extended_info": {"abuses": [{"type": "hash"}]}});
        assert_eq!(state(blocked, File), Some(LinkState::Blocked));
        let premium = json!({"id": "a", "name": "x", "is_available": true, "access": "premium"});
        assert_eq!(state(premium, Unknown), Some(LinkState::PremiumOnly));
        let not_free = json!({"id": "a", "name": "x", "is_available": true, "access": "public", "isAvailableForFree": false});
        assert_eq!(state(not_free, File), Some(LinkState::PremiumOnly));
        let private =
            json!({"id": "a", "name": "x", "is_available": true, "extended_info": {"access": "private"}});
        assert_eq!(state(private, File), Some(LinkState::Private));
        let folder =
            json!({"id": "a", "name": "x", "is_available": true, "is_folder": true, "access": "public"});
        assert_eq!(state(folder, Folder), None);
    }
}
