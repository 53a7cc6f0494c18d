//! Why a transfer failed, typed: the engine and its jobs pass a `TransferError` around and the
//! edges (CLI lines, the TUI's rows and status line) turn it into text with `Display` and
//! choose their hint from `remedy()`.
//!
//! It is saved in queue.json inside the failed state. Every text in it is redacted when it is
//! made (no signed URL, no token), and an old queue file whose failed state holds a plain
//! string still loads (as `Other`).

use crate::api::{ApiError, Recovery};
use crate::text::human_bytes;
use serde::{Deserialize, Deserializer, Serialize};
use std::path::{Path, PathBuf};

/// What can help after an API error (`api::Recovery`, without the delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiRecovery {
    Retry,
    Relogin,
    Captcha,
    /// Nothing helps but room: the account's disk quota is spent.
    MakeRoom,
    /// Retrying may help: the server could not be reached (or kept failing) after the retries.
    Unreachable,
    Final,
}

impl From<&Recovery> for ApiRecovery {
    fn from(r: &Recovery) -> ApiRecovery {
        match r {
            Recovery::Retry { .. } => ApiRecovery::Retry,
            Recovery::Relogin => ApiRecovery::Relogin,
            Recovery::Captcha => ApiRecovery::Captcha,
            Recovery::Final => ApiRecovery::Final,
        }
    }
}

/// What a local operation was doing when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IoAction {
    Read,
    Write,
    /// Making the download folder.
    CreateDir,
    /// Moving a finished download into place.
    Move,
    /// Choosing a free file name in a folder.
    PickName,
    /// Making a downloaded folder's local folder.
    MakeFolder,
}

/// The wall a batch of uploads met (see `batch_stop`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchCause {
    Quota,
    FolderFull,
}

/// What the user can do about a failure; the UI words it for its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Retrying later may work.
    Retry,
    /// Log in again (or as the queue's account).
    Relogin,
    /// The service asks for a captcha: retry and solve it.
    Captcha,
    /// Make room (disk space, account quota, a full folder), then retry.
    MakeRoom,
    /// Nothing obvious helps.
    Nothing,
}

/// Why a transfer failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TransferError {
    /// The API or the upload node refused, or did not answer. `message` is the client's text
    /// with its hint, redacted.
    Api { message: String, recovery: ApiRecovery },
    /// A local file or folder could not be read, written, made or moved.
    Io {
        action: IoAction,
        path: PathBuf,
        cause: String,
    },
    /// The finished download's md5 is not the service's: it was discarded.
    Md5Mismatch { expected: String, got: String },
    /// The finished download has another size than the service said.
    SizeMismatch { expected: u64, got: u64 },
    /// The connections ended with bytes still missing.
    Incomplete,
    /// The bytes still missing do not fit on the disk.
    NoRoom { dir: PathBuf, needed: u64, free: u64 },
    /// Another k2s holds the `.part` of this download.
    Busy { name: String, dir: PathBuf },
    /// The file changed under its upload (`what`: "size 10 -> 12"), or kept changing (None).
    Changed { path: PathBuf, what: Option<String> },
    /// Not started: an earlier upload of the batch met a wall this one would meet too.
    BatchStopped { cause: BatchCause },
    /// Stopped on purpose (pause, cancel) while a step was under way.
    Stopped,
    /// The queue belongs to another account than the one logged in.
    WrongAccount { owner: String, now: String },
    /// No such file or folder on the service.
    NotFound { what: String, id: String },
    /// The download host failed (HTTP error, stall, cut connection) past the retries.
    Host { message: String },
    /// The service said no in its own words (a remote upload's rejection or error).
    Refused { message: String },
    /// Anything else, and the plain-string reason of an older queue file.
    Other { message: String },
}

impl TransferError {
    /// An API error, with its hint when it is one worth saying, redacted.
    pub fn api(err: &ApiError) -> TransferError {
        TransferError::Api {
            message: crate::api::redact_text(&super::job::describe(err)),
            recovery: recovery_of(err),
        }
    }

    /// An API error with what was being done in front: "cannot create the folder x: ...".
    pub fn api_while(doing: &str, err: &ApiError) -> TransferError {
        TransferError::Api {
            message: crate::api::redact_text(&format!("{doing}: {}", super::job::describe(err))),
            recovery: recovery_of(err),
        }
    }

    pub fn io(action: IoAction, path: &Path, err: &std::io::Error) -> TransferError {
        TransferError::Io {
            action,
            path: path.to_path_buf(),
            cause: err.to_string(),
        }
    }

    pub fn host(message: impl Into<String>) -> TransferError {
        TransferError::Host {
            message: crate::api::redact_text(&message.into()),
        }
    }

    pub fn refused(message: impl Into<String>) -> TransferError {
        TransferError::Refused {
            message: crate::api::redact_text(&message.into()),
        }
    }

    pub fn other(message: impl Into<String>) -> TransferError {
        TransferError::Other {
            message: crate::api::redact_text(&message.into()),
        }
    }

    /// What the user can do about it.
    pub fn remedy(&self) -> Remedy {
        use TransferError as E;
        match self {
            E::Api { recovery, .. } => match recovery {
                ApiRecovery::Retry | ApiRecovery::Unreachable => Remedy::Retry,
                ApiRecovery::Relogin => Remedy::Relogin,
                ApiRecovery::Captcha => Remedy::Captcha,
                ApiRecovery::MakeRoom => Remedy::MakeRoom,
                ApiRecovery::Final => Remedy::Nothing,
            },
            E::NoRoom { .. } | E::BatchStopped { .. } => Remedy::MakeRoom,
            E::WrongAccount { .. } => Remedy::Relogin,
            E::Md5Mismatch { .. }
            | E::SizeMismatch { .. }
            | E::Incomplete
            | E::Busy { .. }
            | E::Changed { .. }
            | E::Stopped
            | E::Host { .. }
            | E::Io { .. } => Remedy::Retry,
            E::NotFound { .. } | E::Refused { .. } | E::Other { .. } => Remedy::Nothing,
        }
    }

    /// The API server could not be reached (or kept failing) after the client's retries.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            TransferError::Api {
                recovery: ApiRecovery::Unreachable,
                ..
            }
        )
    }

    /// The same error with every text redacted again (for a value that came from elsewhere,
    /// such as an older queue file).
    pub fn redacted(mut self) -> TransferError {
        use TransferError as E;
        match &mut self {
            E::Api { message, .. } | E::Host { message } | E::Refused { message } | E::Other { message } => {
                *message = crate::api::redact_text(message);
            }
            E::Io { cause, .. } => *cause = crate::api::redact_text(cause),
            _ => {}
        }
        self
    }
}

impl std::fmt::Display for TransferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use TransferError as E;
        match self {
            E::Api { message, .. } | E::Host { message } | E::Refused { message } | E::Other { message } => {
                f.write_str(message)
            }
            E::Io { action, path, cause } => {
                let p = path.display();
                match action {
                    IoAction::Read => write!(f, "cannot read {p}: {cause}"),
                    IoAction::Write => write!(f, "cannot write {p}: {cause}"),
                    IoAction::CreateDir => write!(f, "cannot create {p}: {cause}"),
                    IoAction::Move => write!(f, "cannot move {p} into place: {cause}"),
                    IoAction::PickName => write!(f, "cannot pick a file name in {p}: {cause}"),
                    IoAction::MakeFolder => write!(f, "cannot make a folder in {p}: {cause}"),
                }
            }
            E::Md5Mismatch { expected, got } => write!(
                f,
                "md5 mismatch (expected {expected}, got {got}): the download was discarded"
            ),
            E::SizeMismatch { expected, got } => {
                write!(f, "the download has {got} bytes instead of {expected}")
            }
            E::Incomplete => f.write_str("the download stopped before the end"),
            E::NoRoom { dir, needed, free } => write!(
                f,
                "not enough disk space: the download needs {}, {} free on {}",
                human_bytes(*needed),
                human_bytes(*free),
                dir.display()
            ),
            E::Busy { name, dir } => write!(
                f,
                "another k2s is downloading {name} into {} (try again when it is done)",
                dir.display()
            ),
            E::Changed {
                path,
                what: Some(what),
            } => {
                write!(f, "{} changed while uploading ({what})", path.display())
            }
            E::Changed { path, what: None } => {
                write!(f, "{} keeps changing while uploading", path.display())
            }
            E::BatchStopped {
                cause: BatchCause::Quota,
            } => f.write_str("not started: the account's disk quota is exceeded"),
            E::BatchStopped {
                cause: BatchCause::FolderFull,
            } => f.write_str("not started: the destination folder is full (50,000 items at most)"),
            E::Stopped => f.write_str("stopped"),
            E::WrongAccount { owner, now } => write!(
                f,
                "this transfer queue belongs to account {owner}, but k2s is now logged in as {now}: \
                 log in as {owner} again to run it (a restart of k2s opens {now}'s own queue)"
            ),
            E::NotFound { what, id } => write!(f, "no {what} with id {id}"),
        }
    }
}

impl std::error::Error for TransferError {}

impl From<&str> for TransferError {
    fn from(s: &str) -> TransferError {
        TransferError::other(s)
    }
}

impl From<String> for TransferError {
    fn from(s: String) -> TransferError {
        TransferError::other(s)
    }
}

fn recovery_of(err: &ApiError) -> ApiRecovery {
    if err.is_quota() {
        ApiRecovery::MakeRoom
    } else if err.is_unreachable() {
        ApiRecovery::Unreachable
    } else {
        ApiRecovery::from(&err.recovery())
    }
}

/// Reads a saved failure leniently: a typed one, the plain string of an older queue file, or
/// anything else (a kind this version does not know) as `Other` with its message if it has one.
pub(crate) fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<TransferError, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Typed(TransferError),
        Text(String),
        Any(serde_json::Value),
    }
    Ok(match Wire::deserialize(d)? {
        Wire::Typed(e) => e.redacted(),
        Wire::Text(s) => TransferError::other(s),
        Wire::Any(v) => {
            let msg = v.get("message").and_then(|m| m.as_str()).unwrap_or("failed");
            TransferError::other(msg)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::State;

    #[test]
    fn an_old_plain_string_reason_loads() {
        let s: State = serde_json::from_str(r#"{"state":"failed","reason":"disk full"}"#).unwrap();
        assert_eq!(s, State::Failed(TransferError::other("disk full")));
    }

    #[test]
    fn a_typed_reason_round_trips() {
        let e = TransferError::NoRoom {
            dir: "/d".into(),
            needed: 10,
            free: 2,
        };
        let s = State::Failed(e.clone());
        let j = serde_json::to_string(&s).unwrap();
        assert!(j.contains(r#""kind":"no_room""#), "{j}");
        assert_eq!(serde_json::from_str::<State>(&j).unwrap(), s);
        assert_eq!(e.remedy(), Remedy::MakeRoom);
    }

    #[test]
    fn an_unknown_kind_loads_as_other() {
        let s: State =
            serde_json::from_str(r#"{"state":"failed","reason":{"kind":"from_the_future","message":"m"}}"#)
                .unwrap();
        assert_eq!(s, State::Failed(TransferError::other("m")));
    }

    #[test]
    fn api_errors_keep_their_recovery_and_lose_signed_urls() {
        let e = ApiError::Transport {
            method: "getUrl".into(),
            detail: "https://h/f.bin?temp_url_sig=secret".into(),
            timeout: false,
        };
        let t = TransferError::api(&e);
        assert_eq!(t.remedy(), Remedy::Retry);
        assert!(!t.to_string().contains("secret"), "{t}");
        let relogin = ApiError::Api {
            method: "getFilesList".into(),
            http_status: 403,
            code: crate::api::ErrorCode::Num(10),
            message: String::new(),
            errors: vec![],
        };
        assert_eq!(TransferError::api(&relogin).remedy(), Remedy::Relogin);
    }
}
