//! Failures that no later upload of the batch can get past: the account's disk quota, or a
//! destination folder that holds the most items a folder may (50,000). Like the official
//! uploader, the engine then stops the queued uploads concerned instead of hashing and sending
//! each one only to be refused; they fail with the reason and can be retried once there is room.

use super::engine::Engine;
use super::error::{BatchCause, TransferError};
use super::model::{Spec, State};
use crate::api::ApiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BatchStop {
    /// Disk quota exceeded: no upload can succeed.
    Quota,
    /// This folder is full: no upload into it can succeed.
    FolderFull { parent: String },
}

impl BatchStop {
    /// The stop an upload's final error calls for, if any. `parent` is where it went.
    pub fn from_error(err: &ApiError, parent: &str) -> Option<BatchStop> {
        if err.is_quota() {
            Some(BatchStop::Quota)
        } else if err.is_folder_full() {
            Some(BatchStop::FolderFull {
                parent: parent.to_string(),
            })
        } else {
            None
        }
    }

    fn reason(&self) -> TransferError {
        let cause = match self {
            BatchStop::Quota => BatchCause::Quota,
            BatchStop::FolderFull { .. } => BatchCause::FolderFull,
        };
        TransferError::BatchStopped { cause }
    }

    /// Whether a queued transfer of `spec` would hit the same wall.
    fn stops(&self, spec: &Spec) -> bool {
        let parent = match spec {
            Spec::Upload(u) => &u.parent,
            Spec::UploadFolder(f) => &f.parent,
            _ => return false,
        };
        match self {
            BatchStop::Quota => true,
            BatchStop::FolderFull { parent: full } => parent == full,
        }
    }
}

impl Engine {
    /// Fail the queued transfers that `stop` concerns.
    pub(crate) fn stop_batch(&mut self, stop: &BatchStop) {
        let mut stopped = 0;
        for idx in 0..self.items.len() {
            let it = &self.items[idx];
            if it.state == State::Queued && stop.stops(&it.spec) && !self.running.contains_key(&it.id) {
                self.items[idx].state = State::Failed(stop.reason());
                self.updated(idx);
                stopped += 1;
            }
        }
        if stopped > 0 {
            tracing::info!("{stopped} queued uploads stopped: {}", stop.reason());
            self.dirty = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_and_full_folder_are_recognised() {
        let quota = ApiError::Upload {
            http_status: 400,
            message: "Disk quota exceeded".into(),
        };
        assert_eq!(BatchStop::from_error(&quota, "/"), Some(BatchStop::Quota));
        let full = ApiError::Upload {
            http_status: 400,
            message: "Limit files in specified folder reached".into(),
        };
        assert_eq!(
            BatchStop::from_error(&full, "f1"),
            Some(BatchStop::FolderFull { parent: "f1".into() })
        );
        let other = ApiError::Upload {
            http_status: 400,
            message: "Wrong signature".into(),
        };
        assert_eq!(BatchStop::from_error(&other, "/"), None);
    }
}
