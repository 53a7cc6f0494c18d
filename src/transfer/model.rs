//! The engine's public data: what a transfer is, its state, its result, and the events the
//! engine sends to the UI.

use crate::api::Access;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// A transfer's number, unique within one saved queue (it survives restarts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TransferId(pub u64);

impl std::fmt::Display for TransferId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

/// Where a transfer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Upload,
    Download,
    /// The service fetches a URL into the account.
    Remote,
}

/// A transfer's state. Failed carries the typed reason (text at the edges, with `Display`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum State {
    Queued,
    /// Computing the md5 of a file to upload (bytes done = bytes hashed).
    Hashing,
    /// Asking the service about the file (findFile, folder listing, getUrl).
    Checking,
    Running,
    /// An upload's last byte is sent: the service is storing the file and has not answered yet.
    Storing,
    Paused,
    /// Checking the size and md5 of a finished download.
    Verifying,
    Done,
    Failed(#[serde(deserialize_with = "super::error::lenient")] super::error::TransferError),
    Cancelled,
}

impl State {
    /// Done, failed or cancelled: nothing more will happen unless retried.
    pub fn is_finished(&self) -> bool {
        matches!(self, State::Done | State::Failed(_) | State::Cancelled)
    }
    /// Hashing, checking, running, storing or verifying: a task is working on it.
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            State::Hashing | State::Checking | State::Running | State::Storing | State::Verifying
        )
    }
    /// A short lowercase word: "queued", "running", "failed", ...
    pub fn label(&self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Hashing => "hashing",
            State::Checking => "checking",
            State::Running => "running",
            State::Storing => "storing",
            State::Paused => "paused",
            State::Verifying => "verifying",
            State::Done => "done",
            State::Failed(_) => "failed",
            State::Cancelled => "cancelled",
        }
    }
}

/// What to transfer. Saved in the queue file; the `Option` fields are filled in by the engine
/// as it learns them, so that a restart continues where it stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spec {
    Upload(UploadSpec),
    UploadFolder(FolderSpec),
    Download(DownloadSpec),
    /// A remote folder downloaded recursively into `<dir>/<its name>`.
    DownloadFolder(DownloadFolderSpec),
    Remote(RemoteSpec),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadSpec {
    pub path: PathBuf,
    /// Destination folder id, "/" for the root.
    pub parent: String,
    /// Access to set after the upload (None: leave the service's default).
    pub access: Option<Access>,
    /// Skip when the destination already holds a file of the same name and size.
    pub skip_existing: bool,
    /// The md5 computed earlier, valid while the file's size and mtime are unchanged.
    #[serde(default)]
    pub hash: Option<HashMemo>,
    /// An upload POST was started at least once: before another, look for the file in the
    /// destination so that it never exists twice.
    #[serde(default)]
    pub attempted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashMemo {
    pub size: u64,
    pub mtime_ns: u64,
    pub md5: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderSpec {
    pub path: PathBuf,
    pub parent: String,
    pub access: Option<Access>,
    pub skip_existing: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownloadSpec {
    pub file_id: String,
    /// The download folder.
    pub dir: PathBuf,
    /// Connections for a large file (1 = a single stream).
    pub connections: usize,
    /// The final file name inside `dir`, chosen (sanitized, unique) when the download starts.
    #[serde(default)]
    pub name: Option<String>,
    /// Size and md5 from the API, when known.
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub md5: Option<String>,
    /// The file's name on the service, when a folder listing gave it along with the size and
    /// md5: then getFilesInfo is not asked again for this file.
    #[serde(default)]
    pub remote_name: Option<String>,
    /// `--skip-existing`: any regular file of the name counts as already there, unread. Kept in
    /// the queue, so that `k2s queue --resume` does the same.
    #[serde(default)]
    pub skip_existing: bool,
}

/// An md5 as the service's 32 hex digits, or None.
pub(crate) fn valid_md5(md5: Option<String>) -> Option<String> {
    md5.filter(|m| m.len() == 32 && m.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A remote folder to download: its local folder `<dir>/<sanitized name>` is made (or an
/// existing one reused), then its files are queued as downloads into it and its sub-folders as
/// folder downloads, right after this transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DownloadFolderSpec {
    pub folder_id: String,
    /// The download folder the remote folder goes into.
    pub dir: PathBuf,
    /// Connections for each large file.
    pub connections: usize,
    /// The folder's name on the service (not yet sanitized), when known; else asked with
    /// getFilesInfo.
    #[serde(default)]
    pub name: Option<String>,
    /// Another account's public folder: listed through getFileStatus, not getFilesList.
    #[serde(default)]
    pub foreign: bool,
    /// Passed to each file of the folder (see `DownloadSpec::skip_existing`).
    #[serde(default)]
    pub skip_existing: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteSpec {
    pub url: String,
    /// Follow remoteUploadStatus until the service has the file (else: done once accepted).
    pub wait: bool,
    /// The remote-upload id once the service accepted the URL.
    #[serde(default)]
    pub remote_id: Option<String>,
}

impl Spec {
    pub fn direction(&self) -> Direction {
        match self {
            Spec::Upload(_) | Spec::UploadFolder(_) => Direction::Upload,
            Spec::Download(_) | Spec::DownloadFolder(_) => Direction::Download,
            Spec::Remote(_) => Direction::Remote,
        }
    }

    /// A name for people (not yet terminal-safe: see `TransferView::name`).
    pub fn display_name(&self) -> String {
        let file_name = |p: &PathBuf| {
            p.file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
        };
        match self {
            Spec::Upload(u) => file_name(&u.path),
            Spec::UploadFolder(f) => format!("{}/", file_name(&f.path)),
            Spec::Download(d) => d.name.clone().unwrap_or_else(|| d.file_id.clone()),
            Spec::DownloadFolder(f) => format!("{}/", f.name.as_deref().unwrap_or(&f.folder_id)),
            Spec::Remote(r) => r.url.clone(),
        }
    }
}

/// A local entry a folder upload leaves out, and why ("a FIFO", "a link to a folder", ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalSkip {
    pub path: PathBuf,
    pub reason: String,
}

/// What a finished transfer produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// Uploaded; `deduplicated` when created by hash (no bytes sent).
    Uploaded {
        file_id: String,
        link: String,
        deduplicated: bool,
    },
    /// Already there: an upload's destination holds the same name and size (--skip-existing),
    /// or a download's folder holds the same file (`path`: same size and md5, or any file of
    /// that name with --skip-existing).
    Skipped {
        file_id: String,
        link: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<PathBuf>,
    },
    /// A folder (re)created remotely; its content was queued. `skipped`: local entries that
    /// are not uploaded (FIFOs, sockets, devices, links to folders, dangling links).
    Folder {
        folder_id: String,
        created: bool,
        items: usize,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<LocalSkip>,
    },
    /// A remote folder listed and its local folder `path` made (`created`) or reused; its
    /// `items` (files and sub-folders) were queued.
    FolderDownload {
        folder_id: String,
        path: PathBuf,
        created: bool,
        items: usize,
    },
    /// `resumed_from`: bytes that were already in the .part file when this run started.
    Downloaded {
        file_id: String,
        path: PathBuf,
        size: u64,
        md5_verified: bool,
        resumed_from: u64,
    },
    /// Accepted by the service (not followed further).
    RemoteAccepted { remote_id: String },
    /// `size`: the file's size in bytes as the service has it (progress is in percent).
    RemoteDone {
        remote_id: String,
        file_id: Option<String>,
        link: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
    },
}

impl Outcome {
    pub fn file_id(&self) -> Option<&str> {
        match self {
            Outcome::Uploaded { file_id, .. }
            | Outcome::Skipped { file_id, .. }
            | Outcome::Downloaded { file_id, .. } => Some(file_id),
            Outcome::Folder { folder_id, .. } | Outcome::FolderDownload { folder_id, .. } => Some(folder_id),
            Outcome::RemoteDone { file_id, .. } => file_id.as_deref(),
            Outcome::RemoteAccepted { .. } => None,
        }
    }
}

/// One transfer as the UI shows it. `name` and `detail` are terminal-safe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransferView {
    pub id: TransferId,
    pub direction: Direction,
    pub name: String,
    pub state: State,
    /// What it is doing or waiting for: "retrying in 4s: connection reset", "captcha", ...
    pub detail: Option<String>,
    /// Bytes (hashed while Hashing, checked while Verifying); percent for remote uploads.
    pub done: u64,
    pub total: Option<u64>,
    /// Smoothed, bytes per second.
    pub speed: f64,
    pub eta: Option<Duration>,
    pub outcome: Option<Outcome>,
    /// The folder transfer that queued this one.
    pub parent: Option<TransferId>,
    pub spec: Spec,
    /// Tries so far: every run started (first start, resume, retry) and every automatic retry
    /// within a run, since this process loaded the queue (not saved). 0 while it never ran.
    pub attempts: u32,
}

impl TransferView {
    /// Where it goes, for people: a download's file (or its folder until the name is chosen),
    /// an upload's destination folder id ("/" the root); None for a remote upload.
    pub fn destination(&self) -> Option<String> {
        if let Some(Outcome::Downloaded { path, .. } | Outcome::FolderDownload { path, .. }) = &self.outcome {
            return Some(path.display().to_string());
        }
        if let Some(Outcome::Skipped { path: Some(p), .. }) = &self.outcome {
            return Some(p.display().to_string());
        }
        match &self.spec {
            Spec::Download(d) => Some(match &d.name {
                Some(n) => d.dir.join(n).display().to_string(),
                None => d.dir.display().to_string(),
            }),
            Spec::DownloadFolder(f) => Some(f.dir.display().to_string()),
            Spec::Upload(u) => Some(u.parent.clone()),
            Spec::UploadFolder(f) => Some(f.parent.clone()),
            Spec::Remote(_) => None,
        }
    }

    /// The share link of a finished upload, skip or remote upload.
    pub fn link(&self) -> Option<&str> {
        match &self.outcome {
            Some(Outcome::Uploaded { link, .. }) => Some(link),
            Some(Outcome::Skipped { link, path: None, .. }) => Some(link),
            Some(Outcome::RemoteDone { link, .. }) => link.as_deref(),
            _ => None,
        }
    }

    /// The failure, typed (`Display` for its text, `remedy()` for the hint).
    pub fn error(&self) -> Option<&super::error::TransferError> {
        match &self.state {
            State::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The file's size in bytes: `total`, except for a remote upload (whose progress is in
    /// percent), where it is the size the service reported once it had the file.
    pub fn size(&self) -> Option<u64> {
        match (&self.spec, &self.outcome) {
            (Spec::Remote(_), Some(Outcome::RemoteDone { size, .. })) => *size,
            (Spec::Remote(_), _) => None,
            _ => self.total,
        }
    }
}

/// Progress of one transfer (sent a few times a second).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressUpdate {
    pub id: TransferId,
    pub done: u64,
    pub total: Option<u64>,
    pub speed: f64,
    pub eta: Option<Duration>,
}

/// The whole queue at a glance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Aggregate {
    pub active: usize,
    pub queued: usize,
    pub paused: usize,
    pub done: usize,
    pub failed: usize,
    pub cancelled: usize,
    /// Over unfinished transfers whose size is known.
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub speed: f64,
    pub eta: Option<Duration>,
}

/// A free download needs a captcha answered: show the image, then call
/// `TransferHandle::answer_captcha(id, Some(text))` (or None to give up).
#[derive(Debug, Clone, PartialEq)]
pub struct CaptchaRequest {
    pub id: TransferId,
    pub challenge: String,
    pub image_url: String,
    /// The image (PNG or JPEG), when it could be fetched.
    pub image: Option<Vec<u8>>,
    /// The answer to the previous captcha of this download was wrong: this is a new one.
    pub wrong_answer: bool,
}

/// Messages from the engine to the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A new transfer (also sent for restored ones at start).
    Added(TransferView),
    /// State, detail or outcome changed.
    Updated(TransferView),
    Removed(TransferId),
    /// The order changed (reorder, or children inserted after their folder): all ids in order.
    Order(Vec<TransferId>),
    /// Bytes, speed and ETA of the transfers that moved, at most a few times a second.
    Progress {
        items: Vec<ProgressUpdate>,
        aggregate: Aggregate,
    },
    Captcha(CaptchaRequest),
    /// Nothing is running and nothing can start.
    Idle,
}
