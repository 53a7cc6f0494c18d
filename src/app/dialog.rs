//! Modal dialogs as plain state: new folder, rename, access, move (folder picker), delete
//! confirmation, sort menu. `handle_key` edits them and says whether they were submitted.

use super::keymap::Action;
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
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MoveForm {
    pub targets: Vec<Target>,
    pub picker: TreeView,
    pub error: Option<String>,
    /// The folder the targets are in, when it is not the one the list shows.
    pub from: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConfirmForm {
    pub targets: Vec<Target>,
    /// A line more under the question (what the delete frees).
    pub note: Option<String>,
    /// The focused button: true on "Delete".
    pub yes: bool,
    pub error: Option<String>,
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

/// The answer an action gives to a yes/no question: `Some(true)` for yes, `Some(false)` for
/// no, `None` when it only moves the highlight (`yes`) or does nothing.
pub fn yes_no(yes: &mut bool, a: Option<Action>) -> Option<bool> {
    match a {
        Some(Action::Yes) => Some(true),
        Some(Action::No | Action::Cancel) => Some(false),
        Some(Action::Submit) => Some(*yes),
        Some(Action::ChangeNext | Action::ChangePrev) => {
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

    /// Show why the server refused what this dialog sent (it opens again, as it was).
    pub fn set_error(&mut self, why: String) {
        match self {
            Dialog::NewFolder(f) => f.error = Some(why),
            Dialog::Rename(f) => f.error = Some(why),
            Dialog::Access(f) => f.error = Some(why),
            Dialog::Move(f) => f.error = Some(why),
            Dialog::ConfirmDelete(f) => f.error = Some(why),
            Dialog::Sort(_) => {}
        }
    }

    pub fn paste(&mut self, text: &str) {
        match self {
            Dialog::NewFolder(f) if f.field == 0 => input_paste(&mut f.name, text),
            Dialog::Rename(f) => input_paste(&mut f.input, text),
            _ => {}
        }
    }

    /// `a` is what the dialog's layer binds the key to; other keys edit a text field.
    pub fn handle_key(&mut self, a: Option<Action>, key: &KeyEvent, tree: &FolderTree) -> Outcome {
        if a == Some(Action::Cancel) {
            return Outcome::Cancel;
        }
        match self {
            Dialog::NewFolder(f) => new_folder_key(f, a, key),
            Dialog::Rename(f) => {
                if a == Some(Action::Submit) {
                    return Outcome::Submit;
                }
                f.error = None;
                input_key(&mut f.input, key);
                Outcome::Stay
            }
            Dialog::Access(f) => access_key(f, a),
            Dialog::Move(f) => move_key(f, a, tree),
            Dialog::ConfirmDelete(f) => match yes_no(&mut f.yes, a) {
                Some(true) => Outcome::Submit,
                Some(false) => Outcome::Cancel,
                None => Outcome::Stay,
            },
            Dialog::Sort(m) => match a {
                Some(Action::Up) => {
                    m.cursor = m.cursor.saturating_sub(1);
                    Outcome::Stay
                }
                Some(Action::Down) => {
                    m.cursor = (m.cursor + 1).min(Sort::MENU.len() - 1);
                    Outcome::Stay
                }
                Some(Action::Submit) => Outcome::Submit,
                _ => Outcome::Stay,
            },
        }
    }
}

fn new_folder_key(f: &mut NewFolderForm, a: Option<Action>, key: &KeyEvent) -> Outcome {
    f.error = None;
    match a {
        Some(Action::Submit) => return Outcome::Submit,
        Some(Action::NextField) => f.field = (f.field + 1) % 3,
        Some(Action::PrevField) => f.field = (f.field + 2) % 3,
        _ if f.field == 0 => {
            input_key(&mut f.name, key);
        }
        Some(Action::ChangeNext | Action::ChangePrev) => {
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

fn access_key(f: &mut AccessForm, a: Option<Action>) -> Outcome {
    let set = |f: &mut AccessForm, x: Access| {
        if f.field == 0 {
            f.access = Some(x);
        }
        Outcome::Stay
    };
    let forward = match a {
        Some(Action::Submit) => return Outcome::Submit,
        Some(Action::NextField | Action::PrevField) => {
            f.field = 1 - f.field.min(1);
            return Outcome::Stay;
        }
        Some(Action::ChangeNext) => true,
        Some(Action::ChangePrev) => false,
        Some(Action::SetPublic) => return set(f, Access::Public),
        Some(Action::SetPrivate) => return set(f, Access::Private),
        Some(Action::SetPremium) => return set(f, Access::Premium),
        _ => return Outcome::Stay,
    };
    if f.field == 0 {
        f.access = cycle(&ACCESS_CYCLE, &f.access, forward);
    } else {
        f.is_public = cycle(&PUBLIC_CYCLE, &f.is_public, forward);
    }
    Outcome::Stay
}

fn move_key(f: &mut MoveForm, a: Option<Action>, tree: &FolderTree) -> Outcome {
    f.error = None;
    let id = f.picker.current_id().to_string();
    match a {
        Some(Action::Submit) => return Outcome::Submit,
        Some(Action::Up) => f.picker.move_by(-1),
        Some(Action::Down) => f.picker.move_by(1),
        Some(Action::PageUp) => f.picker.move_by(-10),
        Some(Action::PageDown) => f.picker.move_by(10),
        Some(Action::Top) => f.picker.set_cursor(0),
        Some(Action::Bottom) => f.picker.set_cursor(usize::MAX),
        Some(Action::Expand) => f.picker.set_expanded(tree, &id, true),
        Some(Action::ToggleExpand) => f.picker.toggle(tree, &id),
        Some(Action::Collapse) => {
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
