//! The demo server's in-memory state: files and folders of every account, their bodies, sessions,
//! captchas, free-download keys, remote uploads, metadata. Always used behind one mutex that is
//! never held across an `.await`.

use super::accounts::Acct;
use chrono::{DateTime, Utc};
use rand::Rng;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The root folder as the state holds it; replies show each account's root id instead
/// (`shapes::parent_out`).
pub(crate) const ROOT: &str = "/";
/// Folders hold at most this many items.
pub(crate) const FOLDER_LIMIT: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Public,
    Private,
    Premium,
}

impl Access {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Private => "private",
            Access::Premium => "premium",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Access> {
        match s {
            "public" => Some(Access::Public),
            "private" => Some(Access::Private),
            "premium" => Some(Access::Premium),
            _ => None,
        }
    }
}

/// Where a body's bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Disk(PathBuf),
    /// Generated on the fly from the index (the big folder): see `seed::big_body`.
    Generated(u64),
}

#[derive(Debug)]
pub(crate) struct Blob {
    pub src: Source,
    pub size: u64,
    pub md5: String,
}

/// What the storage says of a file's body (`storage_object` and `is_available` of the
/// listings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Storage {
    #[default]
    Available,
    /// Held back for no abuse: not available, the storage still has it.
    Unavailable,
    /// The storage holds it no more: not available, `storage_object` "deleted".
    Gone,
}

impl Storage {
    /// `storage_object` of the listings.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Storage::Available | Storage::Unavailable => "available",
            Storage::Gone => "deleted",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Video {
    pub duration: f64,
    pub width: u32,
    pub height: u32,
    pub format: &'static str,
    pub streamable: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: String,
    pub owner: Acct,
    pub name: String,
    /// ROOT or a folder id.
    pub parent: String,
    pub is_folder: bool,
    pub access: Access,
    pub is_public: bool,
    pub created: DateTime<Utc>,
    pub blob: Option<Arc<Blob>>,
    pub content_type: String,
    pub video: Option<Video>,
    /// Blocked by the abuse system: not available, listed with an abuse record.
    pub blocked: bool,
    pub storage: Storage,
    pub downloads: u64,
    pub last_download: Option<DateTime<Utc>>,
}

impl Node {
    /// An empty folder.
    pub(crate) fn folder(
        id: String,
        owner: Acct,
        name: String,
        parent: String,
        access: Access,
        is_public: bool,
        created: DateTime<Utc>,
    ) -> Node {
        Node {
            id,
            owner,
            name,
            parent,
            is_folder: true,
            access,
            is_public,
            created,
            blob: None,
            content_type: String::new(),
            video: None,
            blocked: false,
            storage: Storage::Available,
            downloads: 0,
            last_download: None,
        }
    }

    pub(crate) fn size(&self) -> u64 {
        self.blob.as_ref().map_or(0, |b| b.size)
    }
    pub(crate) fn md5(&self) -> Option<&str> {
        self.blob.as_ref().map(|b| b.md5.as_str())
    }
    pub(crate) fn available(&self) -> bool {
        !self.blocked && self.storage == Storage::Available
    }
}

/// A file's metadata: the same record the public [`super::DemoMeta`] hands to tests.
pub(crate) type Meta = super::DemoMeta;

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub acct: Acct,
    pub created: Instant,
}

/// A free-download key handed out after a solved captcha.
#[derive(Debug, Clone)]
pub(crate) struct FreeKey {
    pub file_id: String,
    pub ready_at: Instant,
}

#[derive(Debug, Clone)]
pub(crate) struct Remote {
    pub owner: Acct,
    /// 1 new (5 accepted in the live shape), 2 processing, 3 completed, 4 error.
    pub status: u8,
    pub progress: u8,
    pub file_id: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub nodes: HashMap<String, Node>,
    pub children: HashMap<(Acct, String), BTreeSet<String>>,
    /// Every body the service holds, by md5 (findFile / createFileByHash).
    pub blobs: HashMap<String, Arc<Blob>>,
    pub sessions: HashMap<String, Session>,
    /// Tokens of sessions ended by `DemoServer::expire_sessions` (they answer "expired").
    pub expired_sessions: HashSet<String>,
    pub recaptchas: HashMap<String, String>,
    pub captchas: HashMap<String, String>,
    pub free_keys: HashMap<String, FreeKey>,
    pub used_forms: HashSet<String>,
    pub remotes: BTreeMap<u64, Remote>,
    pub meta: BTreeMap<String, Meta>,
    pub balances: HashMap<Acct, f64>,
    pub reseller_codes: HashMap<(Acct, u64), (u64, String)>,
    pub next_code_id: u64,
}

/// A random id of `len` characters of [a-z0-9].
pub(crate) fn random_id(len: usize) -> String {
    const CH: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| CH[rng.random_range(0..CH.len())] as char)
        .collect()
}

/// Whether `id` looks like a K2S id (13 chars of [a-z0-9] normally; longer ones may hold - or _).
pub(crate) fn valid_id(id: &str) -> bool {
    (5..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl State {
    pub(crate) fn new_node_id(&self) -> String {
        loop {
            let id = random_id(13);
            if !self.nodes.contains_key(&id) {
                return id;
            }
        }
    }

    pub(crate) fn insert(&mut self, node: Node) {
        if let Some(b) = &node.blob {
            self.blobs.entry(b.md5.clone()).or_insert_with(|| b.clone());
        }
        self.children
            .entry((node.owner, node.parent.clone()))
            .or_default()
            .insert(node.id.clone());
        self.nodes.insert(node.id.clone(), node);
    }

    /// The node `id` if `acct` owns it.
    pub(crate) fn owned(&self, acct: Acct, id: &str) -> Option<&Node> {
        self.nodes.get(id).filter(|n| n.owner == acct)
    }

    /// Whether `parent` is ROOT or a folder that `acct` owns.
    pub(crate) fn folder_ok(&self, acct: Acct, parent: &str) -> bool {
        parent == ROOT || self.owned(acct, parent).is_some_and(|n| n.is_folder)
    }

    /// Bytes stored by `acct`'s files.
    pub(crate) fn used_bytes(&self, acct: Acct) -> u64 {
        self.nodes
            .values()
            .filter(|n| n.owner == acct)
            .filter_map(|n| n.blob.as_ref())
            .map(|b| b.size)
            .sum()
    }

    /// Whether `size` more bytes would go over `quota`.
    pub(crate) fn over_quota(&self, acct: Acct, size: u64, quota: Option<u64>) -> bool {
        quota.is_some_and(|q| self.used_bytes(acct).saturating_add(size) > q)
    }

    pub(crate) fn child_count(&self, acct: Acct, parent: &str) -> usize {
        self.children
            .get(&(acct, parent.to_string()))
            .map_or(0, |c| c.len())
    }

    pub(crate) fn child_ids(&self, acct: Acct, parent: &str) -> Vec<String> {
        self.children
            .get(&(acct, parent.to_string()))
            .map(|c| c.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Moves a node under a new parent (same owner), keeping the children index right.
    pub(crate) fn reparent(&mut self, id: &str, new_parent: &str) {
        let Some(node) = self.nodes.get_mut(id) else {
            return;
        };
        let old = std::mem::replace(&mut node.parent, new_parent.to_string());
        let owner = node.owner;
        if let Some(set) = self.children.get_mut(&(owner, old)) {
            set.remove(id);
        }
        self.children
            .entry((owner, new_parent.to_string()))
            .or_default()
            .insert(id.to_string());
    }

    /// Whether `folder` is `ancestor` or lies below it.
    pub(crate) fn is_within(&self, folder: &str, ancestor: &str) -> bool {
        let mut cur = folder.to_string();
        for _ in 0..=self.nodes.len() {
            if cur == ancestor {
                return true;
            }
            match self.nodes.get(&cur) {
                Some(n) if n.parent != ROOT => cur = n.parent.clone(),
                _ => return false,
            }
        }
        false
    }

    /// Removes a node and, for a folder, everything below it. Returns how many nodes went.
    pub(crate) fn remove_tree(&mut self, id: &str) -> usize {
        let Some(node) = self.nodes.remove(id) else {
            return 0;
        };
        if let Some(set) = self.children.get_mut(&(node.owner, node.parent.clone())) {
            set.remove(id);
        }
        self.meta.remove(id);
        let mut removed = 1;
        if node.is_folder {
            let kids = self
                .children
                .remove(&(node.owner, id.to_string()))
                .unwrap_or_default();
            for k in kids {
                removed += self.remove_tree(&k);
            }
        }
        removed
    }

    /// Every folder of `acct` below `parent`, depth first, children sorted by name.
    pub(crate) fn folders_below(&self, acct: Acct, parent: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.walk_folders(acct, parent, &mut out, 0);
        out
    }

    fn walk_folders<'a>(&'a self, acct: Acct, parent: &str, out: &mut Vec<&'a Node>, depth: usize) {
        if depth > 256 {
            return;
        }
        let mut subs: Vec<&Node> = self
            .children
            .get(&(acct, parent.to_string()))
            .into_iter()
            .flatten()
            .filter_map(|id| self.nodes.get(id))
            .filter(|n| n.is_folder)
            .collect();
        subs.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        for s in subs {
            out.push(s);
            self.walk_folders(acct, &s.id, out, depth + 1);
        }
    }

    /// The full path of a folder or file ("/Documents/Archive"); the root is "/".
    pub(crate) fn path_of(&self, id: &str) -> String {
        let mut parts = Vec::new();
        let mut cur = id.to_string();
        for _ in 0..=256 {
            match self.nodes.get(&cur) {
                Some(n) => {
                    parts.push(n.name.as_str());
                    cur = n.parent.clone();
                }
                None => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// Folder id of a path like "/Movies/2024" in `acct`'s storage ("/" is the root).
    pub(crate) fn folder_by_path(&self, acct: Acct, path: &str) -> Option<String> {
        let mut cur = ROOT.to_string();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let next = self
                .children
                .get(&(acct, cur.clone()))?
                .iter()
                .filter_map(|id| self.nodes.get(id))
                .find(|n| n.is_folder && n.name == part)?;
            cur = next.id.clone();
        }
        Some(cur)
    }
}

/// A content type from a file name's extension.
pub(crate) fn guess_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" | "md" | "csv" => "text/plain",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "mp4" | "m4v" => "video/mp4",
        "mkv" => "video/x-matroska",
        "webm" => "video/webm",
        "avi" => "video/x-msvideo",
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

/// Why a name cannot be used, if it cannot.
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    let n = name.chars().count();
    if n < 3 {
        Some("Name is too short (minimum is 3 characters).")
    } else if n > 255 {
        Some("Name is too long (maximum is 255 characters).")
    } else {
        None
    }
}

impl State {
    /// A new file node for `acct` under `parent` holding `blob`.
    pub(crate) fn new_file(
        &mut self,
        acct: Acct,
        parent: &str,
        name: &str,
        blob: Arc<Blob>,
        access: Access,
    ) -> String {
        let id = self.new_node_id();
        self.insert(Node {
            id: id.clone(),
            owner: acct,
            name: name.to_string(),
            parent: parent.to_string(),
            is_folder: false,
            access,
            is_public: false,
            created: Utc::now(),
            blob: Some(blob),
            content_type: guess_type(name).to_string(),
            video: None,
            blocked: false,
            storage: Storage::Available,
            downloads: 0,
            last_download: None,
        });
        id
    }
}
