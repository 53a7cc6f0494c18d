//! The metadata form of one file: title, studio, three chip lists and the description, the
//! record the server holds (to send only what changed), and where the keys go.

use super::chips::{ChipKey, ChipList};
use super::complete::Vocab;
use super::field::Field;
use super::text_area::{AreaKey, TextArea};
use crate::api::FileMeta;
use crate::app::msg::Ticket;
use crate::metadata::{self, ListField};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the editor is drawn and which fields it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The metadata pane: every field.
    Pane,
    /// The title, in place in the file's row.
    InlineTitle,
    /// The tags, in place in the file's row.
    InlineTags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Title,
    Studio,
    List(ListField),
    Description,
}

impl Focus {
    /// Screen order of the pane.
    pub const ORDER: [Focus; 6] = [
        Focus::Title,
        Focus::Studio,
        Focus::List(ListField::Categories),
        Focus::List(ListField::Actresses),
        Focus::List(ListField::Tags),
        Focus::Description,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Focus::Title => "Title",
            Focus::Studio => "Studio",
            Focus::List(ListField::Categories) => "Categories",
            Focus::List(ListField::Actresses) => "Actresses",
            Focus::List(ListField::Tags) => "Tags",
            Focus::Description => "Description",
        }
    }
}

/// A key or paste that came before the record was loaded (replayed when it arrives).
#[derive(Debug, Clone)]
pub enum Queued {
    Key(KeyEvent),
    Paste(String),
}

/// What a key asks of the editor's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdKey {
    Stay,
    Save,
    /// Esc in the pane: leave (asking first when something changed).
    Leave,
    /// Esc in a row: cancel.
    Cancel,
    /// A refused input, with the reason.
    Refused(String),
}

#[derive(Debug, Clone)]
pub struct Editor {
    pub file_id: String,
    /// Terminal-safe file name, for titles and messages.
    pub name: String,
    pub mode: Mode,
    /// What the server holds: None while loading, Some(None) when the file has no metadata.
    pub base: Option<Option<FileMeta>>,
    pub title: Field,
    pub studio: Field,
    pub lists: [ChipList; 3],
    pub description: TextArea,
    pub focus: Focus,
    /// The save in flight.
    pub saving: Option<Ticket>,
    /// The last validation or save error (the form is kept as it is).
    pub error: Option<String>,
    pub load_error: Option<String>,
    /// The "save / discard / stay" question is showing.
    pub leaving: bool,
    pub queued: Vec<Queued>,
}

fn slot(f: ListField) -> usize {
    match f {
        ListField::Categories => 0,
        ListField::Actresses => 1,
        ListField::Tags => 2,
    }
}

impl Editor {
    pub fn new(file_id: &str, name: &str, mode: Mode, base: Option<Option<FileMeta>>) -> Editor {
        let mut e = Editor {
            file_id: file_id.to_string(),
            name: name.to_string(),
            mode,
            base: None,
            title: Field::default(),
            studio: Field::default(),
            lists: ListField::ALL.map(|f| ChipList::new(f, &[])),
            description: TextArea::default(),
            focus: Focus::Title,
            saving: None,
            error: None,
            load_error: None,
            leaving: false,
            queued: Vec::new(),
        };
        e.set_mode(mode);
        if let Some(b) = base {
            e.set_base(b);
        }
        e
    }

    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        self.leaving = false;
        match mode {
            Mode::InlineTitle => self.focus = Focus::Title,
            Mode::InlineTags => self.focus = Focus::List(ListField::Tags),
            Mode::Pane => {}
        }
    }

    pub fn loaded(&self) -> bool {
        self.base.is_some()
    }

    /// The record arrived: fill the form the first time, afterwards only the baseline moves.
    pub fn set_base(&mut self, rec: Option<FileMeta>) {
        if self.base.is_none() {
            let m = rec.clone().unwrap_or_default();
            self.title = Field::new(&m.title);
            self.studio = Field::new(&m.studio);
            self.lists = ListField::ALL.map(|f| ChipList::new(f, f.get(&m)));
            self.description = TextArea::new(&m.description);
        }
        self.base = Some(rec);
        self.load_error = None;
    }

    pub fn list(&self, f: ListField) -> &ChipList {
        &self.lists[slot(f)]
    }
    pub fn list_mut(&mut self, f: ListField) -> &mut ChipList {
        &mut self.lists[slot(f)]
    }

    /// The record as the server holds it (empty when it has none).
    pub fn baseline(&self) -> FileMeta {
        match self.base.clone().flatten() {
            Some(m) => m,
            None => FileMeta {
                file_id: self.file_id.clone(),
                ..FileMeta::default()
            },
        }
    }

    /// The record the form describes.
    pub fn form(&self) -> FileMeta {
        FileMeta {
            file_id: self.baseline().file_id,
            title: self.title.value().to_string(),
            description: self.description.value(),
            studio: self.studio.value().to_string(),
            categories: self.list(ListField::Categories).items.clone(),
            actresses: self.list(ListField::Actresses).items.clone(),
            tags: self.list(ListField::Tags).items.clone(),
        }
    }

    /// Names of the fields that differ from the server's record.
    pub fn changed_fields(&self) -> Vec<&'static str> {
        if !self.loaded() {
            return Vec::new();
        }
        let p = metadata::diff(&self.baseline(), &self.form());
        let mut v = Vec::new();
        let mut add = |on: bool, name| {
            if on {
                v.push(name)
            }
        };
        add(p.title.is_some(), "title");
        add(p.description.is_some(), "description");
        add(p.studio.is_some(), "studio");
        add(p.categories.is_some(), "categories");
        add(p.actresses.is_some(), "actresses");
        add(p.tags.is_some(), "tags");
        // Text typed into a chip input but not added yet counts too.
        for l in &self.lists {
            if !l.input.is_empty() && !v.contains(&l.field.name()) {
                v.push(l.field.name());
            }
        }
        v
    }

    /// Unsaved changes.
    pub fn dirty(&self) -> bool {
        !self.changed_fields().is_empty()
    }

    fn step(&mut self, forward: bool) {
        if self.mode != Mode::Pane {
            return;
        }
        let n = Focus::ORDER.len();
        let i = Focus::ORDER.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = Focus::ORDER[if forward { (i + 1) % n } else { (i + n - 1) % n }];
        for l in &mut self.lists {
            l.chip = None;
            l.pick = None;
        }
    }

    /// Undo in the focused field.
    pub fn undo(&mut self) -> bool {
        match self.focus {
            Focus::Title => self.title.undo(),
            Focus::Studio => self.studio.undo(),
            Focus::List(f) => self.list_mut(f).undo(),
            Focus::Description => self.description.undo(),
        }
    }

    /// Pasted text goes to the focused field (one line: made terminal-safe, newlines to spaces).
    pub fn paste(&mut self, raw: &str) {
        let one_line = crate::text::sanitize(raw);
        match self.focus {
            Focus::Title => self.title.paste(&one_line),
            Focus::Studio => self.studio.paste(&one_line),
            Focus::List(f) => self.list_mut(f).paste(&one_line),
            Focus::Description => self.description.paste(raw),
        }
    }

    pub fn key(&mut self, key: &KeyEvent, vocab: &Vocab) -> EdKey {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if plain && key.code == KeyCode::Esc {
            return if self.mode == Mode::Pane {
                EdKey::Leave
            } else {
                EdKey::Cancel
            };
        }
        self.error = None;
        let field_nav = |ed: &mut Editor, code: KeyCode| match code {
            KeyCode::Tab | KeyCode::Down => ed.step(true),
            KeyCode::BackTab | KeyCode::Up => ed.step(false),
            _ => {}
        };
        match self.focus {
            Focus::Title | Focus::Studio => {
                if plain && key.code == KeyCode::Enter {
                    return EdKey::Save;
                }
                let field = if self.focus == Focus::Title {
                    &mut self.title
                } else {
                    &mut self.studio
                };
                if !field.key(key) {
                    field_nav(self, key.code);
                }
            }
            Focus::List(f) => match self.list_mut(f).key(key, vocab) {
                ChipKey::Handled => {}
                ChipKey::Save => return EdKey::Save,
                ChipKey::Refused(why) => {
                    self.error = Some(why.clone());
                    return EdKey::Refused(why);
                }
                ChipKey::NotHandled => field_nav(self, key.code),
            },
            Focus::Description => match self.description.key(key) {
                AreaKey::Handled => {}
                AreaKey::LeaveUp => self.step(false),
                AreaKey::LeaveDown => self.step(true),
                AreaKey::NotHandled => field_nav(self, key.code),
            },
        }
        EdKey::Stay
    }
}
