//! The exit codes of the command line, for scripts: one table, and the one mapping from errors
//! to it (README, Command line section, documents the same table).

use super::locate::ResolveError;
use crate::api::ApiError;
use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked was done.
    Done,
    /// Some items (or the one item) failed; the others were done.
    SomeFailed,
    /// The command line was wrong: an unknown option (clap), an id, path or name that can't be
    /// one, a path that names several items.
    Usage,
    /// Authentication is needed: not logged in, the session ended, the login was refused, a
    /// captcha must be solved.
    Auth,
    /// What was named does not exist (every item of a batch, or the one item).
    NotFound,
    /// The server could not be reached, or kept failing, after the retries.
    Unreachable,
    /// Interrupted (SIGINT, Ctrl-C).
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Done => 0,
            Exit::SomeFailed => 1,
            Exit::Usage => 2,
            Exit::Auth => 3,
            Exit::NotFound => 4,
            Exit::Unreachable => 5,
            Exit::Interrupted => 130,
        }
    }

    /// The exit code of an error: the first error in its chain that says what kind it is.
    pub fn of_error(e: &anyhow::Error) -> Exit {
        e.chain().find_map(kind_of).unwrap_or(Exit::SomeFailed)
    }

    /// The code of a batch: done when nothing failed, not found when every item was missing.
    pub fn of_batch(failed: usize, not_found: usize, total: usize) -> Exit {
        if failed == 0 {
            Exit::Done
        } else if not_found == failed && failed == total {
            Exit::NotFound
        } else {
            Exit::SomeFailed
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

fn kind_of(e: &(dyn std::error::Error + 'static)) -> Option<Exit> {
    if let Some(f) = e.downcast_ref::<Failure>() {
        return Some(f.exit);
    }
    if let Some(r) = e.downcast_ref::<ResolveError>() {
        return Some(match r {
            ResolveError::NotFound { .. } => Exit::NotFound,
            ResolveError::Invalid { .. } | ResolveError::Root | ResolveError::Ambiguous { .. } => Exit::Usage,
        });
    }
    let api = e.downcast_ref::<ApiError>()?;
    Some(if api.is_auth_needed() {
        Exit::Auth
    } else if api.is_not_found() {
        Exit::NotFound
    } else if api.is_unreachable() {
        Exit::Unreachable
    } else {
        Exit::SomeFailed
    })
}

/// An error that carries its exit code: `Err(Failure::error(Exit::NotFound, "..."))?`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn error(exit: Exit, message: impl Into<String>) -> anyhow::Error {
        Failure {
            exit,
            message: message.into(),
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_their_codes() {
        let local: anyhow::Error = ApiError::local("bad").into();
        assert_eq!(Exit::of_error(&local), Exit::SomeFailed);
        let gone: anyhow::Error = ApiError::Transport {
            method: "getFilesList".into(),
            detail: "connection refused".into(),
            timeout: false,
        }
        .into();
        assert_eq!(Exit::of_error(&gone), Exit::Unreachable);
        let nf = Failure::error(Exit::NotFound, "x").context("while asking");
        assert_eq!(Exit::of_error(&nf), Exit::NotFound);
        assert_eq!(Exit::of_batch(0, 0, 3), Exit::Done);
        assert_eq!(Exit::of_batch(2, 2, 2), Exit::NotFound);
        assert_eq!(Exit::of_batch(1, 1, 2), Exit::SomeFailed);
    }
}
