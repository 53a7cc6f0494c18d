//! What the transfer side of the app receives from the runtime and asks it to do.

use super::super::msg::Ticket;
use crate::transfer::{Event, TransferId};

/// Answers for the transfer pane.
#[derive(Debug)]
pub enum TransferMsg {
    /// The engine runs; `download_dir` is where downloads go (for messages).
    Started {
        download_dir: String,
        /// The queue is saved (false when another k2s process owns it).
        persistent: bool,
    },
    /// Engine events in order, progress coalesced (no `Event::Captcha`: see `Captcha`).
    Events(Vec<Event>),
    /// A free download needs a captcha answered.
    Captcha(CaptchaPrompt),
    /// Directory entries for Tab completion (name, is a directory).
    Listed {
        ticket: Ticket,
        result: Result<Vec<(String, bool)>, String>,
    },
    /// The upload dialog's paths were checked: queued (how many), or the ones not found.
    UploadChecked {
        ticket: Ticket,
        result: Result<usize, Vec<String>>,
    },
}

/// What the pane asks of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Pause,
    Resume,
    Cancel,
    Retry,
    Remove,
    MoveUp,
    MoveDown,
}

/// Work for the transfer runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum TransferEffect {
    /// Start the engine (once, when the browse view is first loaded); answered by `Started`.
    Start,
    /// Check the paths (as typed: `~` and relative paths are the runtime's business) and queue
    /// them all into the remote folder `parent`, or none; answered by `UploadChecked`.
    Upload {
        ticket: Ticket,
        paths: Vec<String>,
        parent: String,
    },
    /// Download these files (id, name) into the download folder, and these folders (id,
    /// name) recursively into folders of their names there.
    Download {
        files: Vec<(String, String)>,
        folders: Vec<(String, String)>,
    },
    /// Remote upload of each URL (followed until the file exists).
    Remote {
        urls: Vec<String>,
    },
    Command(TransferId, Command),
    ClearFinished,
    AnswerCaptcha {
        id: TransferId,
        answer: Option<String>,
    },
    /// List a local directory for completion (`dir` as typed, "" = the current directory).
    ListDir {
        ticket: Ticket,
        dir: String,
    },
}

/// A captcha to show: the image already prepared for the terminal (half blocks, sixel or
/// kitty), or a note saying why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptchaPrompt {
    pub id: TransferId,
    pub challenge: String,
    /// The image's address (shown when there is no picture).
    pub image_url: String,
    pub picture: Option<Picture>,
    pub note: Option<String>,
    /// The previous answer for this download was wrong: this is a new picture.
    pub last_wrong: bool,
}

/// An image the drawing layer has encoded for the terminal (`ui::pictures`): its id there
/// and its size in cells. No terminal object lives in the app's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picture {
    pub id: u64,
    pub cols: u16,
    pub rows: u16,
}
