//! The handle the UI holds: commands in, a snapshot out. Cheap to clone; every method but
//! `shutdown` returns at once.

use super::model::{
    Aggregate, DownloadFolderSpec, DownloadSpec, FolderSpec, RemoteSpec, Spec, TransferId, TransferView,
    UploadSpec,
};
use crate::api::Access;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

pub(crate) enum Cmd {
    Add {
        id: TransferId,
        spec: Spec,
    },
    Pause(TransferId),
    Resume(TransferId),
    Cancel(TransferId),
    Retry(TransferId),
    Remove(TransferId),
    Move {
        id: TransferId,
        up: bool,
    },
    ClearFinished,
    PauseAll,
    ResumeAll,
    Captcha {
        id: TransferId,
        answer: Option<String>,
    },
    SetConcurrency(usize),
    /// Another account or token: transfers started from now on use this client.
    SetClient(Box<crate::api::Client>),
    Shutdown(oneshot::Sender<()>),
}

/// What the engine publishes for synchronous reads.
#[derive(Default)]
pub(crate) struct Shared {
    pub views: Mutex<Vec<TransferView>>,
    pub aggregate: Mutex<Aggregate>,
}

#[derive(Clone)]
pub struct TransferHandle {
    pub(crate) tx: mpsc::UnboundedSender<Cmd>,
    pub(crate) next_id: Arc<AtomicU64>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) connections: usize,
    /// `EngineOptions::skip_existing_downloads`, written into each download added.
    pub(crate) skip_existing_downloads: bool,
    pub(crate) persistent: bool,
    /// What went wrong with the saved queue at start (an unreadable file moved aside).
    pub(crate) notice: Option<String>,
}

impl TransferHandle {
    /// Queue a transfer; it starts when a slot is free.
    pub fn add(&self, spec: Spec) -> TransferId {
        let id = TransferId(self.next_id.fetch_add(1, Ordering::Relaxed));
        self.send(Cmd::Add { id, spec });
        id
    }

    /// Upload a file or a folder (recursively) into the remote folder `parent` ("/" = root).
    pub fn upload(
        &self,
        path: PathBuf,
        parent: &str,
        access: Option<Access>,
        skip_existing: bool,
    ) -> TransferId {
        let parent = parent.to_string();
        if path.is_dir() {
            self.add(Spec::UploadFolder(FolderSpec {
                path,
                parent,
                access,
                skip_existing,
            }))
        } else {
            self.add(Spec::Upload(UploadSpec {
                path,
                parent,
                access,
                skip_existing,
                hash: None,
                attempted: false,
            }))
        }
    }

    /// Download a file into `dir`; `connections` None uses the engine's setting. A folder id
    /// becomes a folder download (see `download_folder`) once the engine has looked it up.
    pub fn download(&self, file_id: &str, dir: PathBuf, connections: Option<usize>) -> TransferId {
        self.add(Spec::Download(DownloadSpec {
            file_id: file_id.to_string(),
            dir,
            connections: connections.unwrap_or(self.connections).max(1),
            name: None,
            size: None,
            md5: None,
            remote_name: None,
            skip_existing: self.skip_existing_downloads,
        }))
    }

    /// Download a remote folder recursively into `dir/<its sanitized name>` (an existing local
    /// folder of that name is reused; files in it are never replaced). `name` is the folder's
    /// name when the caller knows it (else the engine asks getFilesInfo).
    pub fn download_folder(
        &self,
        folder_id: &str,
        name: Option<&str>,
        dir: PathBuf,
        connections: Option<usize>,
    ) -> TransferId {
        self.add(Spec::DownloadFolder(DownloadFolderSpec {
            folder_id: folder_id.to_string(),
            dir,
            connections: connections.unwrap_or(self.connections).max(1),
            name: name.map(str::to_string),
            foreign: false,
            skip_existing: self.skip_existing_downloads,
        }))
    }

    /// Have the service fetch `url`; with `wait` the transfer lasts until the file exists.
    pub fn remote_upload(&self, url: &str, wait: bool) -> TransferId {
        self.add(Spec::Remote(RemoteSpec {
            url: url.to_string(),
            wait,
            remote_id: None,
        }))
    }

    /// Stop a transfer, keeping what was done (a download keeps its .part file).
    pub fn pause(&self, id: TransferId) {
        self.send(Cmd::Pause(id));
    }
    /// Queue a paused (or held, restored) transfer again.
    pub fn resume(&self, id: TransferId) {
        self.send(Cmd::Resume(id));
    }
    /// Stop for good; a download's .part file is deleted.
    pub fn cancel(&self, id: TransferId) {
        self.send(Cmd::Cancel(id));
    }
    /// Queue a failed or cancelled transfer again.
    pub fn retry(&self, id: TransferId) {
        self.send(Cmd::Retry(id));
    }
    /// Cancel if needed, and take it off the list.
    pub fn remove(&self, id: TransferId) {
        self.send(Cmd::Remove(id));
    }
    pub fn move_up(&self, id: TransferId) {
        self.send(Cmd::Move { id, up: true });
    }
    pub fn move_down(&self, id: TransferId) {
        self.send(Cmd::Move { id, up: false });
    }
    /// Take done and cancelled transfers off the list (failed ones stay, to be retried).
    pub fn clear_finished(&self) {
        self.send(Cmd::ClearFinished);
    }
    pub fn pause_all(&self) {
        self.send(Cmd::PauseAll);
    }
    /// Resume every paused transfer and release the held, restored ones.
    pub fn resume_all(&self) {
        self.send(Cmd::ResumeAll);
    }
    /// The answer to an `Event::Captcha`; None gives up (the download fails).
    pub fn answer_captcha(&self, id: TransferId, answer: Option<String>) {
        self.send(Cmd::Captcha { id, answer });
    }
    pub fn set_concurrency(&self, n: usize) {
        self.send(Cmd::SetConcurrency(n.max(1)));
    }
    /// The user logged in again (another token or account): transfers started from now on,
    /// retries included, use `client`. Running ones keep theirs.
    pub fn set_client(&self, client: crate::api::Client) {
        self.send(Cmd::SetClient(Box::new(client)));
    }

    /// Every transfer in queue order (refreshed a few times a second).
    pub fn snapshot(&self) -> Vec<TransferView> {
        self.shared.views.lock().map(|v| v.clone()).unwrap_or_default()
    }
    pub fn aggregate(&self) -> Aggregate {
        self.shared
            .aggregate
            .lock()
            .map(|a| a.clone())
            .unwrap_or_default()
    }
    /// Whether the queue is saved to disk (false when another k2s process owns the saved queue).
    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// Set when the saved queue could not be read at start: what happened, naming the `.bad`
    /// file it was moved to. The UI should say it.
    pub fn restore_notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Stop every task, keep their state for the next start, and save the queue.
    pub async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Cmd::Shutdown(tx)).is_ok() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(60), rx).await;
        }
    }

    fn send(&self, cmd: Cmd) {
        if self.tx.send(cmd).is_err() {
            tracing::debug!("transfer engine has stopped; command dropped");
        }
    }
}
