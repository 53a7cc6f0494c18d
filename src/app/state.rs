//! The whole state of the TUI. The UI draws from it alone.

use super::keymap::{Key, Keymap};
use super::listing::Listing;
use super::login::LoginForm;
use super::msg::Ticket;
use super::tree::TreePane;
use crate::api::{AccountInfo, VideoInfo};
use crate::folders::ROOT;
use crate::theme::Theme;
use std::collections::{BTreeSet, HashMap, HashSet};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Login,
    Browse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Tree,
    Files,
    Details,
    /// Slot for the metadata pane.
    Meta,
    /// Slot for the transfer pane.
    Transfers,
}

impl Pane {
    pub fn title(self) -> &'static str {
        match self {
            Pane::Tree => "Folders",
            Pane::Files => "Files",
            Pane::Details => "Details",
            Pane::Meta => "Metadata",
            Pane::Transfers => "Transfers",
        }
    }
}

/// Which optional panes are shown. The layout keeps room for each when it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub tree: bool,
    pub details: bool,
    pub metadata: bool,
    pub transfers: bool,
}

impl Default for Panes {
    fn default() -> Self {
        Panes {
            tree: true,
            details: false,
            metadata: false,
            transfers: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    /// The tick it was said at (information fades after `Status::FADE_TICKS`).
    pub since: u64,
}

impl Status {
    /// About 5 s of 150 ms ticks.
    pub const FADE_TICKS: u64 = 33;
}

/// Settings from the config file and the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub link_domain: String,
    pub page_size: u32,
    pub mouse: bool,
    /// Shows a "demo" badge.
    pub demo: bool,
    /// Folders before files in every sort (config `folders_first`, default on).
    pub folders_first: bool,
    /// The profile chosen (`--profile`), shown in the status bar.
    pub profile: Option<String>,
    /// The link formats of the copy menu; the first is the one `y` copies in.
    pub link_formats: Vec<crate::links::LinkFormat>,
    /// Every profile of config.toml, for the profile picker.
    pub profiles: Vec<super::profiles_view::ProfileEntry>,
    /// Days without a download before the health view counts a file inactive (config
    /// `[index] inactive_days`; the view's last choice while k2s runs).
    pub inactive_days: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            link_domain: "k2s.cc".into(),
            page_size: 10_000,
            mouse: true,
            demo: false,
            folders_first: true,
            profile: None,
            link_formats: crate::links::format::BUILTIN
                .iter()
                .filter_map(|n| crate::links::LinkFormat::builtin(n))
                .collect(),
            profiles: Vec::new(),
            inactive_days: super::health::DEFAULT_INACTIVE_DAYS,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AccountPane {
    pub info: Option<AccountInfo>,
    pub loading: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct HelpState {
    pub filter: Input,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub struct State {
    pub screen: Screen,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub focus: Pane,
    pub panes: Panes,
    pub settings: Settings,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Keys of a sequence typed so far ("g" of "g g").
    pub pending: Vec<Key>,
    /// A count typed before an action ("5" of "5j").
    pub count: Option<usize>,
    /// The list row last clicked and when (a second click soon after opens it).
    pub last_click: Option<(usize, u64)>,
    pub account: AccountPane,
    pub tree: TreePane,
    pub list: Listing,
    /// Folder names on the way to the current folder, for the path when the tree is not loaded.
    pub crumbs: Vec<(String, String)>,
    /// Per folder, the id the cursor was on when the user left it.
    pub cursor_memory: HashMap<String, String>,
    /// video_info by file id (None: the file has none).
    pub video: HashMap<String, Option<VideoInfo>>,
    pub video_pending: HashSet<String>,
    /// Rows whose extended info is being fetched (see `Effect::LoadRowInfo`).
    pub info_pending: HashSet<String>,
    /// The filter being typed (the list's filter follows it at every key).
    pub filter_edit: Option<Input>,
    /// Every dialog, prompt, form and help, top last (`layer::active` says who has the keys).
    pub overlays: super::overlay::Overlays,
    /// A submitted dialog, until the server answers its request (ticket).
    pub sent_dialog: Option<(Ticket, super::dialog::Dialog)>,
    /// A refused dialog, with its reason, waiting for whatever had the keys when the answer
    /// came to close.
    pub refused_dialog: Option<super::dialog::Dialog>,
    pub details_scroll: usize,
    pub login: LoginForm,
    pub status: Option<Status>,
    /// The last text copied (kept whatever the clipboard did).
    pub clipboard: Option<String>,
    /// The tickets of the operations in flight behind the spinner (see `busy`).
    pub in_flight: BTreeSet<Ticket>,
    pub next_ticket: Ticket,
    pub tick: u64,
    pub quit: bool,
    /// The browse view has been loaded once (login then keeps the place).
    pub started: bool,
    /// Metadata: records, editors, prompts.
    pub meta: super::meta::MetaState,
    /// Transfers: rows, dialogs, captchas.
    pub transfers: super::transfers::TransferState,
    /// Folders visited, for back and forward.
    pub history: super::history::History,
    /// A background crawl of the account index, where it stands (for the status bar).
    pub index_crawl: Option<crate::index::Progress>,
}

impl State {
    pub fn new(settings: Settings, keymap: Keymap, theme: Theme) -> State {
        let mut list = Listing::default();
        list.folder = ROOT.to_string();
        list.set_folders_first(settings.folders_first);
        State {
            screen: Screen::Browse,
            size: (80, 24),
            focus: Pane::Files,
            panes: Panes::default(),
            settings,
            keymap,
            theme,
            pending: Vec::new(),
            count: None,
            last_click: None,
            account: AccountPane::default(),
            tree: TreePane::default(),
            list,
            crumbs: Vec::new(),
            cursor_memory: HashMap::new(),
            video: HashMap::new(),
            video_pending: HashSet::new(),
            info_pending: HashSet::new(),
            filter_edit: None,
            overlays: Default::default(),
            sent_dialog: None,
            refused_dialog: None,
            details_scroll: 0,
            login: LoginForm::default(),
            status: None,
            clipboard: None,
            in_flight: BTreeSet::new(),
            next_ticket: 1,
            tick: 0,
            quit: false,
            started: false,
            meta: super::meta::MetaState::default(),
            transfers: super::transfers::TransferState::default(),
            history: super::history::History::default(),
            index_crawl: None,
        }
    }

    pub fn ticket(&mut self) -> Ticket {
        let t = self.next_ticket;
        self.next_ticket += 1;
        t
    }

    /// A ticket for a request the spinner waits for: in flight until `answered`.
    pub fn track(&mut self) -> Ticket {
        let t = self.ticket();
        self.in_flight.insert(t);
        t
    }

    /// The answer carrying `ticket` came (a success, an error, or a task that panicked): true
    /// when it was in flight. A stale or unknown ticket changes nothing.
    pub fn answered(&mut self, ticket: Ticket) -> bool {
        self.in_flight.remove(&ticket)
    }

    /// Operations in flight (the spinner turns while there are any).
    pub fn busy(&self) -> usize {
        self.in_flight.len()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Info,
            since: self.tick,
        });
    }
    pub fn success(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Success,
            since: self.tick,
        });
    }
    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Error,
            since: self.tick,
        });
    }

    /// "/Movies/2024" for the folder shown.
    pub fn path(&self) -> String {
        let folder = &self.list.folder;
        if let Some(p) = self.tree.tree.path_of(folder) {
            return p;
        }
        if self.crumbs.is_empty() {
            return ROOT.to_string();
        }
        let names: Vec<&str> = self.crumbs.iter().map(|(_, n)| n.as_str()).collect();
        format!("/{}", names.join("/"))
    }

    /// The panes Tab cycles through, in screen order.
    pub fn pane_order(&self) -> Vec<Pane> {
        let mut v = Vec::new();
        if self.panes.tree {
            v.push(Pane::Tree);
        }
        v.push(Pane::Files);
        if self.panes.details {
            v.push(Pane::Details);
        }
        if self.panes.metadata {
            v.push(Pane::Meta);
        }
        if self.panes.transfers {
            v.push(Pane::Transfers);
        }
        v
    }

    /// Whether a text field has the keys (so single-letter bindings do not fire).
    pub fn typing(&self) -> bool {
        super::layer::typing(self)
    }
}
