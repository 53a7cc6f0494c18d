//! Messages into `update` and the effects it asks the runtime to perform.

use super::meta::{BulkItem, BulkKind, FoundPage};
use crate::api::{
    AccountInfo, ApiError, Captcha, CreateFolder, Created, FileChanges, FileItem, FileMeta, FoldersList,
    ListFiles, LoginRequest, MetaPage, MetaPatch, MetaQuery, UpdateItem,
};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

/// Every listing request carries one; answers with a stale ticket are dropped. The requests
/// behind the spinner carry one too, kept in `State::in_flight` until their answer comes.
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
        super::plural::count(self.count, self.noun)
    }
}

/// Answers for the metadata side (see `app::meta`).
#[derive(Debug)]
pub enum MetaMsg {
    /// The settle timer of this generation fired.
    Settled(u64),
    Loaded {
        ticket: Ticket,
        ids: Vec<String>,
        result: ApiResult<Vec<FileMeta>>,
    },
    /// A save ended; `sent` is the record the server holds when it worked.
    Saved {
        ticket: Ticket,
        file_id: String,
        sent: Box<FileMeta>,
        result: ApiResult<()>,
    },
    /// A page of the completion scan.
    Scanned { page: u32, result: ApiResult<MetaPage> },
    /// Per-item results of a bulk run.
    Bulk {
        ticket: Ticket,
        kind: BulkKind,
        items: Vec<BulkItem>,
    },
    Found {
        ticket: Ticket,
        page: u32,
        result: ApiResult<FoundPage>,
    },
}

/// The transfer pane's messages and effects (see `app::transfers`).
pub use super::transfers::{TransferEffect, TransferMsg};

/// Work for the metadata side.
#[derive(Debug, Clone)]
pub enum MetaEffect {
    /// Answer `MetaMsg::Settled(generation)` after a pause (the cursor debounce).
    Settle {
        generation: u64,
        after: std::time::Duration,
    },
    /// getFilesMeta for these ids (at most `meta::LOAD_BATCH`).
    Load { ticket: Ticket, ids: Vec<String> },
    /// createFileMeta (`create`) or updateFileMeta with `patch`; `sent` is the whole record.
    Save {
        ticket: Ticket,
        file_id: String,
        create: bool,
        patch: Box<MetaPatch>,
        sent: Box<FileMeta>,
    },
    /// A page of getFilesMeta for completion values.
    Scan { page: u32, size: u32 },
    /// copyFileMeta from one file to each target; `record` is what they get.
    Copy {
        ticket: Ticket,
        from: String,
        to: Vec<String>,
        record: Box<FileMeta>,
    },
    /// Add (or remove) one tag on each file (records read first, then one call per file).
    Tag {
        ticket: Ticket,
        ids: Vec<String>,
        tag: String,
        add: bool,
    },
    /// deleteFileMeta for each file.
    Delete { ticket: Ticket, ids: Vec<String> },
    /// A page of getFilesMeta by tag / category / actress, with the files' names and folders.
    Find { ticket: Ticket, query: MetaQuery },
}

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
    /// The account view's figures.
    AccountView(Box<super::account_view::AccountFigures>),
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
    /// getFilesInfo with extended info for rows on screen that came without it.
    RowInfo {
        ids: Vec<String>,
        result: ApiResult<Vec<FileItem>>,
    },
    FolderCreated {
        ticket: Ticket,
        name: String,
        result: ApiResult<Created>,
    },
    Updated {
        ticket: Ticket,
        kind: UpdateKind,
        ids: Vec<String>,
        changes: FileChanges,
        result: ApiResult<Vec<UpdateItem>>,
    },
    Deleted {
        ticket: Ticket,
        ids: Vec<String>,
        result: ApiResult<u64>,
    },
    /// getUrl answers: (id, display name, URL or error text).
    Urls(Ticket, Vec<(String, String, Result<String, String>)>),
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

    /// The states of the links of the link-check box.
    LinksChecked {
        ticket: Ticket,
        result: ApiResult<std::collections::HashMap<String, crate::links::LinkReport>>,
    },

    // ---- later panes
    Meta(MetaMsg),
    Transfer(TransferMsg),
    /// The account index: finder answers, crawl progress.
    Index(super::finder::IndexMsg),
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
    /// Everything the account view shows; answered with `Msg::AccountView`.
    LoadAccountView,
    LoadFolders(Ticket),
    LoadFiles {
        ticket: Ticket,
        req: ListFiles,
    },
    /// getFilesInfo with extended_info, at most 100 ids.
    LoadVideoInfo(Vec<String>),
    /// getFilesInfo with extended_info for rows on screen listed without it, at most 100
    /// ids; answered with `Msg::RowInfo`.
    LoadRowInfo(Vec<String>),
    CreateFolder(Ticket, CreateFolder),
    UpdateFiles {
        ticket: Ticket,
        kind: UpdateKind,
        ids: Vec<String>,
        changes: FileChanges,
    },
    DeleteFiles(Ticket, Vec<String>),
    /// getUrl for each (id, name); answered with `Msg::Urls`.
    GetUrls(Ticket, Vec<(String, String)>),
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
    /// Save this profile's queue, stop its engine and start again on the profile named.
    SwitchProfile(String),
    /// Stop to the shell (job control) with the terminal restored; redraw on resume.
    Suspend,
    /// getFilesInfo (and getFileStatus) for these links; answered with `Msg::LinksChecked`.
    CheckLinks {
        ticket: Ticket,
        links: Vec<(String, crate::api::LinkKind)>,
    },
    // ---- later panes
    Meta(MetaEffect),
    Transfer(TransferEffect),
    Index(super::finder::IndexEffect),
}
