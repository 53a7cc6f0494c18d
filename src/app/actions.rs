//! Everything a key can do. The config names actions in snake_case; which keys do them, and
//! where, is in `bindings`.

macro_rules! actions {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];
            /// The name used in the config file.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $desc),* }
            }
            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Up => "up", "move up";
    Down => "down", "move down";
    Parent => "parent", "go up to the parent folder / collapse";
    Open => "open", "open the folder / show details";
    Top => "top", "go to the top";
    Bottom => "bottom", "go to the bottom";
    HalfPageDown => "half_page_down", "half a page down";
    HalfPageUp => "half_page_up", "half a page up";
    PageDown => "page_down", "one page down";
    PageUp => "page_up", "one page up";
    NextPane => "next_pane", "next pane";
    PrevPane => "prev_pane", "previous pane";
    Filter => "filter", "filter by name";
    Sort => "sort", "sort menu";
    ToggleAvailable => "only_available", "toggle: only available files";
    Select => "select", "select / unselect";
    SelectRange => "select_range", "select a range (press at both ends)";
    SelectAll => "select_all", "select all / none";
    Clear => "clear", "clear range, selection, filter";
    Help => "help", "this help";
    Refresh => "refresh", "refresh";
    Quit => "quit", "quit";
    ForceQuit => "force_quit", "quit from anywhere";
    NewFolder => "new_folder", "new folder";
    Rename => "rename", "rename";
    Move => "move", "move to a folder";
    Access => "access", "change access / public flag";
    Delete => "delete", "delete (asks first)";
    CopyLinks => "copy_links", "copy share links";
    CopyUrls => "copy_urls", "copy direct download URLs";
    CopyLinksAs => "copy_links_as", "copy share links in a format: a menu with a preview";
    OpenLink => "open_link", "open the link in a browser";
    Details => "details", "show / hide details";
    MetaPane => "metadata", "show / hide the metadata pane";
    EditMeta => "edit_metadata", "edit the file's metadata in the pane";
    EditTitle => "edit_title", "edit the title in the row (Enter saves, Esc cancels)";
    EditTags => "edit_tags", "edit the tags in the row (Enter adds / saves, Esc cancels)";
    MetaColumns => "metadata_columns", "toggle: title and tags columns";
    MetaFind => "find_by_metadata", "find files by tag, category or actress (server)";
    MetaApply => "apply_metadata", "copy this file's metadata to the selected files";
    TagAdd => "add_tag", "add a tag to the selected files";
    TagRemove => "remove_tag", "remove a tag from the selected files";
    MetaDelete => "delete_metadata", "delete metadata (asks first)";
    MetaSave => "save_metadata", "save, in a metadata editor";
    MetaUndo => "undo", "undo the field's last change, in an editor";
    Transfers => "transfers", "show / focus / hide the transfer pane";
    Upload => "upload", "upload local files or folders into this folder";
    Download => "download", "download the selection (folders recursively) to the download folder";
    RemoteUpload => "remote_upload", "remote upload: the service fetches URLs";
    DownloadLinks => "download_links", "download by share link or id (any account's files)";
    PauseResume => "pause_resume", "pause / resume the transfer";
    CancelTransfer => "cancel_transfer", "cancel the transfer";
    RetryTransfer => "retry_transfer", "retry a failed transfer";
    RemoveTransfer => "remove_transfer", "remove the transfer from the list";
    ClearFinished => "clear_finished", "clear done and cancelled transfers";
    TransferUp => "transfer_up", "move the transfer up the queue";
    TransferDown => "transfer_down", "move the transfer down the queue";
    Submit => "submit", "confirm: OK, send, choose the highlighted answer";
    Cancel => "cancel", "close without doing anything";
    NextField => "next_field", "next field";
    PrevField => "prev_field", "previous field";
    ChangeNext => "change_next", "change the value of the field (next choice)";
    ChangePrev => "change_prev", "change the value of the field (previous choice)";
    Yes => "yes", "answer yes";
    No => "no", "answer no";
    Expand => "expand", "expand the folder";
    Collapse => "collapse", "collapse the folder, or go to its parent";
    ToggleExpand => "toggle_expand", "expand / collapse the folder";
    Complete => "complete", "complete the word (again: the next candidate)";
    SetPublic => "set_public", "access: public";
    SetPrivate => "set_private", "access: private";
    SetPremium => "set_premium", "access: premium only";
    ReverseSort => "reverse_sort", "reverse the order (folders stay first)";
    Back => "back", "back to the folder visited before";
    Forward => "forward", "forward again to the folder left by going back";
    Suspend => "suspend", "suspend k2s to the shell (fg resumes)";
    AccountView => "account", "the account: traffic, premium, balance, link domains, subscriptions";
    ProfilesView => "profiles", "the profiles of config.toml: switch to another";
    CheckLinks => "check_links", "check links: paste a post or links, see whether each is alive";
    UsageView => "usage", "what takes space: folders by total size (the local index)";
    DeleteAllDupes => "delete_all_dupes", "delete the duplicates not kept of every group";
    DupesView => "dupes", "files stored twice: groups of the same md5, delete the extras (the local index)";
    MoreDays => "more_days", "more days without a download before a file counts as inactive";
    FewerDays => "fewer_days", "fewer days without a download before a file counts as inactive";
    SetDays => "set_days", "type the number of days without a download before a file counts as inactive";
    HealthView => "health", "files in trouble: blocked, gone, unavailable, never or long not downloaded (the local index)";
    Finder => "finder", "find any file or folder of the account by name (the local index)";
}

impl Action {
    /// The word of the key bar.
    pub fn short(self) -> &'static str {
        use Action::*;
        match self {
            Open => "open",
            Parent => "up",
            Select => "select",
            SelectRange => "range",
            SelectAll => "all",
            CopyLinks => "links",
            CopyUrls => "URLs",
            NewFolder => "mkdir",
            NextPane => "pane",
            Down => "down",
            EditTitle => "title",
            EditTags => "tags",
            EditMeta => "edit meta",
            MetaPane => "meta pane",
            MetaColumns => "columns",
            MetaFind => "find",
            Transfers => "transfers",
            Upload => "upload",
            Download => "download",
            RemoteUpload => "remote",
            DownloadLinks => "get links",
            PauseResume => "pause/resume",
            CancelTransfer => "cancel",
            RetryTransfer => "retry",
            RemoveTransfer => "remove",
            ClearFinished => "clear done",
            TransferUp => "move up",
            TransferDown => "move down",
            Submit => "ok",
            NextField => "next field",
            PrevField => "prev field",
            ChangeNext | ChangePrev => "change",
            ToggleExpand => "expand",
            ReverseSort => "reverse",
            CheckLinks => "check links",
            _ => self.name(),
        }
    }
}
