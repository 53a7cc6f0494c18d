//! Actions, keys and the keymap: defaults, overridden per action by `Config.keymap`
//! (`action = "key"` or `action = ["key", "key"]`; sequences are keys separated by spaces,
//! like `"g g"`).

use crate::config::KeyList;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

macro_rules! actions {
    ($($variant:ident => $name:literal, [$($key:literal),*], $desc:literal;)*) => {
        /// Everything a key can do. The config names them in snake_case.
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
            pub fn default_keys(self) -> &'static [&'static str] {
                match self { $(Action::$variant => &[$($key),*]),* }
            }
            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Up => "up", ["k", "Up"], "move up";
    Down => "down", ["j", "Down"], "move down";
    Parent => "parent", ["h", "Left", "Backspace"], "go up to the parent folder / collapse";
    Open => "open", ["l", "Right", "Enter"], "open the folder / show details";
    Top => "top", ["g g", "Home"], "go to the top";
    Bottom => "bottom", ["G", "End"], "go to the bottom";
    HalfPageDown => "half_page_down", ["Ctrl-d"], "half a page down";
    HalfPageUp => "half_page_up", ["Ctrl-u"], "half a page up";
    PageDown => "page_down", ["PageDown"], "one page down";
    PageUp => "page_up", ["PageUp"], "one page up";
    NextPane => "next_pane", ["Tab"], "next pane";
    PrevPane => "prev_pane", ["BackTab"], "previous pane";
    Filter => "filter", ["/"], "filter by name";
    Sort => "sort", ["s"], "sort menu";
    ToggleAvailable => "only_available", ["f"], "toggle: only available files";
    Select => "select", ["Space"], "select / unselect";
    SelectRange => "select_range", ["v"], "select a range (press at both ends)";
    SelectAll => "select_all", ["a"], "select all / none";
    Clear => "clear", ["Esc"], "clear range, selection, filter";
    Help => "help", ["?", "F1"], "this help";
    Refresh => "refresh", ["R"], "refresh";
    Quit => "quit", ["q"], "quit";
    ForceQuit => "force_quit", ["Ctrl-c"], "quit from anywhere";
    NewFolder => "new_folder", ["n"], "new folder";
    Rename => "rename", ["r"], "rename";
    Move => "move", ["m"], "move to a folder";
    Access => "access", ["A"], "change access / public flag";
    Delete => "delete", ["d", "Delete"], "delete (asks first)";
    CopyLinks => "copy_links", ["y"], "copy share links";
    CopyUrls => "copy_urls", ["Y"], "copy direct download URLs";
    OpenLink => "open_link", ["o"], "open the link in a browser";
    Details => "details", ["i"], "show / hide details";
    MetaPane => "metadata", ["M"], "show / hide the metadata pane";
    EditMeta => "edit_metadata", ["e"], "edit the file's metadata in the pane";
    EditTitle => "edit_title", ["t"], "edit the title in the row (Enter saves, Esc cancels)";
    EditTags => "edit_tags", ["T"], "edit the tags in the row (Enter adds / saves, Esc cancels)";
    MetaColumns => "metadata_columns", ["c"], "toggle: title and tags columns";
    MetaFind => "find_by_metadata", ["F"], "find files by tag, category or actress (server)";
    MetaApply => "apply_metadata", ["p"], "copy this file's metadata to the selected files";
    TagAdd => "add_tag", ["+"], "add a tag to the selected files";
    TagRemove => "remove_tag", ["-"], "remove a tag from the selected files";
    MetaDelete => "delete_metadata", ["D"], "delete metadata (asks first)";
    MetaSave => "save_metadata", ["Ctrl-s"], "save, in a metadata editor";
    MetaUndo => "undo", ["Ctrl-z"], "undo the field's last change, in an editor";
    Transfers => "transfers", ["Ctrl-t"], "show / focus / hide the transfer pane";
    Upload => "upload", ["u"], "upload local files or folders into this folder";
    Download => "download", ["w"], "download the selection (folders recursively) to the download folder";
    RemoteUpload => "remote_upload", ["U"], "remote upload: the service fetches URLs";
    DownloadLinks => "download_links", ["W"], "download by share link or id (any account's files)";
    PauseResume => "pause_resume", ["P"], "pause / resume the transfer (transfer pane)";
    CancelTransfer => "cancel_transfer", ["x"], "cancel the transfer (transfer pane)";
    RetryTransfer => "retry_transfer", ["Ctrl-r"], "retry a failed transfer (transfer pane)";
    RemoveTransfer => "remove_transfer", ["X"], "remove the transfer from the list (transfer pane)";
    ClearFinished => "clear_finished", ["C"], "clear done and cancelled transfers (transfer pane)";
    TransferUp => "transfer_up", ["K"], "move the transfer up the queue (transfer pane)";
    TransferDown => "transfer_down", ["J"], "move the transfer down the queue (transfer pane)";
    Suspend => "suspend", ["Ctrl-z"], "suspend k2s to the shell (fg resumes; undo in an editor)";
}

/// One key press, normalized: shifted letters carry no SHIFT (their case says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // Ctrl-letters are case-less.
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    pub fn plain(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// "j", "G", "Ctrl-d", "C-d", "Alt-x", "Shift-Tab", "Space", "PageDown", "PgDn", "F1".
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut rest = s;
        let mut mods = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = [
                "ctrl-", "ctrl+", "c-", "alt-", "alt+", "a-", "m-", "shift-", "shift+", "s-",
            ]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(p) = prefix else { break };
            mods |= match p.as_bytes()[0] {
                b'c' => KeyModifiers::CONTROL,
                b'a' | b'm' => KeyModifiers::ALT,
                _ => KeyModifiers::SHIFT,
            };
            rest = &rest[p.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" | "spc" => KeyCode::Char(' '),
                "enter" | "return" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {s:?}")),
                },
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        Ok(Key::new(code, mods))
    }

    /// How the key is written in help and the key bar (parseable by `parse`).
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Delete => out.push_str("Delete"),
            KeyCode::Insert => out.push_str("Insert"),
            KeyCode::Up => out.push_str("Up"),
            KeyCode::Down => out.push_str("Down"),
            KeyCode::Left => out.push_str("Left"),
            KeyCode::Right => out.push_str("Right"),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

/// Parse "g g" into a sequence.
pub fn parse_seq(s: &str) -> Result<Vec<Key>, String> {
    let t = s.trim();
    if t == " " || t.is_empty() && !s.is_empty() {
        return Ok(vec![Key::plain(' ')]);
    }
    let keys = t
        .split_whitespace()
        .map(Key::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err("empty key".into());
    }
    Ok(keys)
}

pub fn seq_label(seq: &[Key]) -> String {
    seq.iter().map(Key::label).collect::<Vec<_>>().join(" ")
}

/// What a (partial) key sequence means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// The keys so far start a longer binding: wait for the next key.
    Pending,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<(Vec<Key>, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::defaults()
    }
}

impl Keymap {
    pub fn defaults() -> Keymap {
        let mut bindings = Vec::new();
        for &a in Action::ALL {
            for k in a.default_keys() {
                if let Ok(seq) = parse_seq(k) {
                    bindings.push((seq, a));
                }
            }
        }
        Keymap { bindings }
    }

    /// The defaults, with each action named in `map` bound to exactly the keys given there.
    /// Unknown actions and unparsable keys are errors that name them.
    pub fn from_config(map: &BTreeMap<String, KeyList>) -> Result<Keymap, String> {
        let mut km = Keymap::defaults();
        for (name, keys) in map {
            let action = Action::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                format!("keymap: unknown action {name:?} (known: {})", names.join(", "))
            })?;
            let mut seqs = Vec::new();
            for k in keys.keys() {
                seqs.push(parse_seq(&k).map_err(|e| format!("keymap.{name}: {e}"))?);
            }
            km.bindings.retain(|(_, a)| *a != action);
            // A key the user gave to this action leaves every other action.
            km.bindings.retain(|(s, _)| !seqs.contains(s));
            for s in seqs {
                km.bindings.push((s, action));
            }
        }
        Ok(km)
    }

    pub fn lookup(&self, seq: &[Key]) -> Lookup {
        if seq.is_empty() {
            return Lookup::None;
        }
        let mut pending = false;
        for (s, a) in &self.bindings {
            if s.as_slice() == seq {
                return Lookup::Action(*a);
            }
            if s.len() > seq.len() && s.starts_with(seq) {
                pending = true;
            }
        }
        if pending { Lookup::Pending } else { Lookup::None }
    }

    /// The single-key action of `key`, ignoring sequences (for text-entry contexts).
    pub fn action_of(&self, key: Key) -> Option<Action> {
        match self.lookup(&[key]) {
            Lookup::Action(a) => Some(a),
            _ => None,
        }
    }

    pub fn keys_for(&self, action: Action) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(s, _)| seq_label(s))
            .collect()
    }

    /// The first key of an action, for the key bar ("" when unbound).
    pub fn first_key(&self, action: Action) -> String {
        self.keys_for(action).into_iter().next().unwrap_or_default()
    }

    /// Every action with its keys and description, in `Action::ALL` order.
    pub fn help_entries(&self) -> Vec<HelpEntry> {
        Action::ALL
            .iter()
            .map(|&a| HelpEntry {
                action: a,
                keys: self.keys_for(a).join(", "),
                description: a.description(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HelpEntry {
    pub action: Action,
    pub keys: String,
    pub description: &'static str,
}

impl HelpEntry {
    pub fn matches(&self, filter: &str) -> bool {
        let f = filter.trim().to_lowercase();
        f.is_empty()
            || self.action.name().contains(&f)
            || self.description.to_lowercase().contains(&f)
            || self.keys.to_lowercase().contains(&f)
    }
}
