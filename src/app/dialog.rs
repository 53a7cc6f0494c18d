//! Modal dialogs as plain state: new folder, rename, access, move (folder picker), delete
//! confirmation, sort menu. `handle_key` edits them and says whether they were submitted.

use super::listing::Sort;
use super::tree::TreeView;
use crate::api::Access;
use crate::folders::FolderTree;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// A file or folder an operation acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    /// The name as the server has it (for requests and links).
    pub raw_name: String,
    /// Terminal-safe name (for display).
    pub name: String,
    pub is_folder: bool,
}

#[derive(Debug, Clone)]
pub struct NewFolderForm {
    /// Where the folder goes (the folder shown).
    pub parent: String,
    pub name: Input,
    /// Public or premium.
    pub access: Access,
    pub is_public: bool,
    /// 0 name, 1 access, 2 is_public.
    pub field: usize,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RenameForm {
    pub target: Target,
    pub input: Input,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AccessForm {
    pub targets: Vec<Target>,
    /// None: leave as it is.
    pub access: Option<Access>,
    /// None: leave as it is.
    pub is_public: Option<bool>,
    /// 0 access, 1 is_public.
    pub field: usize,
}

#[derive(Debug, Clone)]
pub struct MoveForm {
    pub targets: Vec<Target>,
    pub picker: TreeView,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConfirmForm {
    pub targets: Vec<Target>,
    /// The focused button: true on "Delete".
    pub yes: bool,
}

#[derive(Debug, Clone)]
pub struct SortMenu {
    pub cursor: usize,
}

#[derive(Debug, Clone)]
pub enum Dialog {
    NewFolder(NewFolderForm),
    Rename(RenameForm),
    Access(AccessForm),
    Move(MoveForm),
    ConfirmDelete(ConfirmForm),
    Sort(SortMenu),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Cancel,
    Submit,
}

/// Feed a key to a text input; true when it was a text-editing key.
pub fn input_key(input: &mut Input, key: &KeyEvent) -> bool {
    match to_input_request(&Event::Key(*key)) {
        Some(req) => {
            input.handle(req);
            true
        }
        None => false,
    }
}

/// Insert pasted text (already made safe) at the cursor.
pub fn input_paste(input: &mut Input, text: &str) {
    for c in text.chars() {
        input.handle(tui_input::InputRequest::InsertChar(c));
    }
}

const ACCESS_CYCLE: [Option<Access>; 4] = [
    None,
    Some(Access::Public),
    Some(Access::Private),
    Some(Access::Premium),
];
const PUBLIC_CYCLE: [Option<bool>; 3] = [None, Some(true), Some(false)];

fn cycle<T: PartialEq + Clone>(all: &[T], cur: &T, forward: bool) -> T {
    let i = all.iter().position(|x| x == cur).unwrap_or(0);
    let n = all.len();
    all[if forward { (i + 1) % n } else { (i + n - 1) % n }].clone()
}

/// The answer a key gives to a yes/no confirmation: `Some(true)` for yes, `Some(false)` for no,
/// `None` when the key only toggles the highlighted choice `yes` or does nothing.
pub fn yes_no_key(yes: &mut bool, key: &KeyEvent) -> Option<bool> {
    match key.code {
        KeyCode::Char('y' | 'Y') => Some(true),
        KeyCode::Char('n' | 'N' | 'q') => Some(false),
        KeyCode::Enter => Some(*yes),
        KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab | KeyCode::Char('h' | 'l') => {
            *yes = !*yes;
            None
        }
        _ => None,
    }
}

/// `key` is `code` without Ctrl or Alt.
pub fn is_plain(key: &KeyEvent, code: KeyCode) -> bool {
    key.code == code
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

impl Dialog {
    pub fn title(&self) -> &'static str {
        match self {
            Dialog::NewFolder(_) => "New folder",
            Dialog::Rename(_) => "Rename",
            Dialog::Access(_) => "Access",
            Dialog::Move(_) => "Move to…",
            Dialog::ConfirmDelete(_) => "Delete",
            Dialog::Sort(_) => "Sort by",
        }
    }

    pub fn paste(&mut self, text: &str) {
        match self {
            Dialog::NewFolder(f) if f.field == 0 => input_paste(&mut f.name, text),
            Dialog::Rename(f) => input_paste(&mut f.input, text),
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, tree: &FolderTree) -> Outcome {
        if is_plain(key, KeyCode::Esc) {
            return Outcome::Cancel;
        }
        match self {
            Dialog::NewFolder(f) => new_folder_key(f, key),
            Dialog::Rename(f) => {
                if is_plain(key, KeyCode::Enter) {
                    return Outcome::Submit;
                }
                f.error = None;
                input_key(&mut f.input, key);
                Outcome::Stay
            }
            Dialog::Access(f) => access_key(f, key),
            Dialog::Move(f) => move_key(f, key, tree),
            Dialog::ConfirmDelete(f) => match yes_no_key(&mut f.yes, key) {
                Some(true) => Outcome::Submit,
                Some(false) => Outcome::Cancel,
                None => Outcome::Stay,
            },
            Dialog::Sort(m) => match key.code {
                KeyCode::Up | KeyCode::Char('k') => {
                    m.cursor = m.cursor.saturating_sub(1);
                    Outcome::Stay
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    m.cursor = (m.cursor + 1).min(Sort::MENU.len() - 1);
                    Outcome::Stay
                }
                KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('l') => Outcome::Submit,
                KeyCode::Char('q') => Outcome::Cancel,
                _ => Outcome::Stay,
            },
        }
    }
}

fn new_folder_key(f: &mut NewFolderForm, key: &KeyEvent) -> Outcome {
    f.error = None;
    match key.code {
        KeyCode::Enter => return Outcome::Submit,
        KeyCode::Tab | KeyCode::Down => f.field = (f.field + 1) % 3,
        KeyCode::BackTab | KeyCode::Up => f.field = (f.field + 2) % 3,
        _ if f.field == 0 => {
            input_key(&mut f.name, key);
        }
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('h') | KeyCode::Char('l') => {
            if f.field == 1 {
                f.access = if f.access == Access::Public {
                    Access::Premium
                } else {
                    Access::Public
                };
            } else {
                f.is_public = !f.is_public;
            }
        }
        _ => {}
    }
    Outcome::Stay
}

fn access_key(f: &mut AccessForm, key: &KeyEvent) -> Outcome {
    let forward = match key.code {
        KeyCode::Enter => return Outcome::Submit,
        KeyCode::Tab
        | KeyCode::Down
        | KeyCode::BackTab
        | KeyCode::Up
        | KeyCode::Char('j')
        | KeyCode::Char('k') => {
            f.field = 1 - f.field.min(1);
            return Outcome::Stay;
        }
        KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => true,
        KeyCode::Left | KeyCode::Char('h') => false,
        KeyCode::Char('p') if f.field == 0 => {
            f.access = Some(Access::Public);
            return Outcome::Stay;
        }
        KeyCode::Char('r') if f.field == 0 => {
            f.access = Some(Access::Private);
            return Outcome::Stay;
        }
        KeyCode::Char('m') if f.field == 0 => {
            f.access = Some(Access::Premium);
            return Outcome::Stay;
        }
        _ => return Outcome::Stay,
    };
    if f.field == 0 {
        f.access = cycle(&ACCESS_CYCLE, &f.access, forward);
    } else {
        f.is_public = cycle(&PUBLIC_CYCLE, &f.is_public, forward);
    }
    Outcome::Stay
}

fn move_key(f: &mut MoveForm, key: &KeyEvent, tree: &FolderTree) -> Outcome {
    f.error = None;
    let id = f.picker.current_id().to_string();
    match key.code {
        KeyCode::Enter => return Outcome::Submit,
        KeyCode::Up | KeyCode::Char('k') => f.picker.move_by(-1),
        KeyCode::Down | KeyCode::Char('j') => f.picker.move_by(1),
        KeyCode::PageUp => f.picker.move_by(-10),
        KeyCode::PageDown => f.picker.move_by(10),
        KeyCode::Home | KeyCode::Char('g') => f.picker.set_cursor(0),
        KeyCode::End | KeyCode::Char('G') => f.picker.set_cursor(usize::MAX),
        KeyCode::Right | KeyCode::Char('l') => f.picker.set_expanded(tree, &id, true),
        KeyCode::Char(' ') => f.picker.toggle(tree, &id),
        KeyCode::Left | KeyCode::Char('h') | KeyCode::Backspace => {
            if f.picker.is_expanded(&id) && id != crate::folders::ROOT {
                f.picker.set_expanded(tree, &id, false);
            } else {
                f.picker.to_parent(tree);
            }
        }
        _ => {}
    }
    Outcome::Stay
}
