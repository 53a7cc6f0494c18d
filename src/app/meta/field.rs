//! A one-line text field: tui-input (cursor moves, word jumps, home and end, deletes) plus
//! paste and an undo of the field's last change (a run of typing or of deleting counts as one
//! change, a paste or a replacement as another).

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

/// Undo steps kept per field.
const UNDO_DEPTH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Run {
    Insert,
    Delete,
}

/// How an editing request counts for undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// Part of a run of typing or of deleting: more of the same joins it.
    Run(Run),
    /// A change of its own (a yank pastes).
    Alone,
    /// Not a change of the text (cursor moves).
    Move,
}

/// The undo kind of one request.
pub(super) fn change_of(req: &InputRequest) -> Change {
    match req {
        InputRequest::InsertChar(_) => Change::Run(Run::Insert),
        InputRequest::DeletePrevChar
        | InputRequest::DeleteNextChar
        | InputRequest::DeletePrevWord
        | InputRequest::DeleteNextWord
        | InputRequest::DeleteLine
        | InputRequest::DeleteTillEnd
        | InputRequest::DeleteFromStart => Change::Run(Run::Delete),
        InputRequest::Yank => Change::Alone,
        _ => Change::Move,
    }
}

#[derive(Debug, Clone, Default)]
pub struct Field {
    pub input: Input,
    /// (value, cursor) before each change, newest last.
    undo: Vec<(String, usize)>,
    /// The kind of the change being typed: more of the same joins it.
    run: Option<Run>,
}

/// The text-editing request of a key, tui-input's mapping plus Alt-b / Alt-f word jumps.
pub fn request_of(key: &KeyEvent) -> Option<InputRequest> {
    if key.modifiers == KeyModifiers::ALT {
        match key.code {
            KeyCode::Char('b') | KeyCode::Left => return Some(InputRequest::GoToPrevWord),
            KeyCode::Char('f') | KeyCode::Right => return Some(InputRequest::GoToNextWord),
            _ => {}
        }
    }
    to_input_request(&Event::Key(*key))
}

impl Field {
    pub fn new(value: &str) -> Field {
        Field {
            input: Input::new(value.to_string()),
            undo: Vec::new(),
            run: None,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    fn snapshot(&mut self) {
        self.undo
            .push((self.input.value().to_string(), self.input.cursor()));
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    /// Apply one request, recording an undo step when it starts a new change.
    pub fn handle(&mut self, req: InputRequest) {
        let run = match change_of(&req) {
            Change::Run(run) => Some(run),
            Change::Alone => None,
            Change::Move => {
                self.input.handle(req);
                self.run = None;
                return;
            }
        };
        let before = self.input.value().to_string();
        let new_step = run.is_none() || run != self.run;
        if new_step {
            self.snapshot();
        }
        self.input.handle(req);
        if self.input.value() == before {
            if new_step {
                self.undo.pop();
            }
            return;
        }
        self.run = run;
    }

    /// Feed a key; false when it is not a text-editing key.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        match request_of(key) {
            Some(req) => {
                self.handle(req);
                true
            }
            None => false,
        }
    }

    /// Insert text at the cursor as one change.
    pub fn paste(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.snapshot();
        for c in text.chars() {
            self.input.handle(InputRequest::InsertChar(c));
        }
        self.run = None;
    }

    /// Replace the whole value as one change (completion).
    pub fn set(&mut self, value: &str) {
        if value == self.input.value() {
            return;
        }
        self.snapshot();
        self.input = Input::new(value.to_string());
        self.run = None;
    }

    /// Empty the field and forget its history (after its text became a chip).
    pub fn clear(&mut self) {
        *self = Field::default();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Take back the last change; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some((value, cursor)) = self.undo.pop() else {
            return false;
        };
        self.input = Input::new(value).with_cursor(cursor);
        self.run = None;
        true
    }
}
