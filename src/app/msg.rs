//! Messages into `update` and the effects it asks the runtime to perform.

use crate::api::{
    AccountInfo, ApiError, Captcha, CreateFolder, Created, FileChanges, FileItem, FoldersList, ListFiles,
    LoginRequest, UpdateItem,
};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

/// Every listing request carries one; answers with a stale ticket are dropped.
pub type Ticket = u64;

pub type ApiResult<T> = Result<T, ApiError>;

/// What an updateFiles batch was for (decides the wording of the result).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    Move,
    Rename,
    Access,
}

impl UpdateKind {
    pub fn verb(self) -> &'static str {
        match self {
            UpdateKind::Move => "moved",
            UpdateKind::Rename => "renamed",
            UpdateKind::Access => "changed access of",
        }
    }
}

/// What a copy was for, so the status line can say it ("3 links").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyLabel {
    pub count: usize,
    /// "link" or "URL".
    pub noun: &'static str,
}

impl CopyLabel {
    pub fn text(&self) -> String {
        if self.count == 1 {
            format!("1 {}", self.noun)
        } else {
            format!("{} {}s", self.count, self.noun)
        }
    }
}

/// Extension point for the metadata pane (issue 4). Empty until that pane exists.
#[derive(Debug)]
pub enum MetaMsg {}

/// Extension point for the transfer pane (issue 5). Empty until that pane exists.
#[derive(Debug)]
pub enum TransferMsg {}

/// Work for the metadata pane (issue 4). Empty until that pane exists.
#[derive(Debug, Clone)]
pub enum MetaEffect {}

/// Work for the transfer pane (issue 5). Empty until that pane exists.
#[derive(Debug, Clone)]
pub enum TransferEffect {}

#[derive(Debug)]
pub enum Msg {
    // ---- terminal
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// A few times a second while something is loading (spinner, message expiry).
    Tick,

    // ---- results of effects
    Account(ApiResult<AccountInfo>),
    Folders(Ticket, ApiResult<FoldersList>),
    FilesPage {
        ticket: Ticket,
        offset: u64,
        result: ApiResult<Vec<FileItem>>,
    },
    VideoInfo {
        ids: Vec<String>,
        result: ApiResult<Vec<FileItem>>,
    },
    FolderCreated {
        name: String,
        result: ApiResult<Created>,
    },
    Updated {
        kind: UpdateKind,
        ids: Vec<String>,
        changes: FileChanges,
        result: ApiResult<Vec<UpdateItem>>,
    },
    Deleted {
        ids: Vec<String>,
        result: ApiResult<u64>,
    },
    /// getUrl answers: (id, display name, URL or error text).
    Urls(Vec<(String, String, Result<String, String>)>),
    /// The runtime did the copy; the text says truthfully where it went.
    Copied {
        label: CopyLabel,
        report: String,
        ok: bool,
    },
    /// An informational message from the runtime (open failed, ...).
    Notice {
        text: String,
        error: bool,
    },

    // ---- login
    LoggedIn(ApiResult<()>),
    /// The access token was checked (accountInfo) with a new client.
    TokenChecked(ApiResult<AccountInfo>),
    /// requestReCaptcha (or requestCaptcha for an image captcha): the challenge and the page URL.
    Captcha {
        recaptcha: bool,
        result: ApiResult<(Captcha, String)>,
    },

    // ---- later panes
    Meta(MetaMsg),
    Transfer(TransferMsg),
}

/// Work for the runtime. Every effect ends with at most a few `Msg`s back.
/// Holds a secret (password, token): `Debug` never shows it.
#[derive(Clone)]
pub struct Redacted<T>(pub T);

impl<T> std::fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
pub enum Effect {
    LoadAccount,
    LoadFolders(Ticket),
    LoadFiles {
        ticket: Ticket,
        req: ListFiles,
    },
    /// getFilesInfo with extended_info, at most 100 ids.
    LoadVideoInfo(Vec<String>),
    CreateFolder(CreateFolder),
    UpdateFiles {
        kind: UpdateKind,
        ids: Vec<String>,
        changes: FileChanges,
    },
    DeleteFiles(Vec<String>),
    /// getUrl for each (id, name); answered with `Msg::Urls`.
    GetUrls(Vec<(String, String)>),
    /// Copy to the clipboard(s) according to the config; answered with `Msg::Copied`.
    Copy {
        text: String,
        label: CopyLabel,
    },
    /// Open in a browser when a display exists; answered with `Msg::Notice` on failure.
    OpenUrl(String),
    Login(Redacted<LoginRequest>),
    /// Replace the client's credentials with this access token, then check it.
    UseAccessToken(Redacted<String>),
    /// requestReCaptcha (true) or requestCaptcha (false).
    RequestCaptcha {
        recaptcha: bool,
    },
    Quit,
    // ---- later panes
    Meta(MetaEffect),
    Transfer(TransferEffect),
}
