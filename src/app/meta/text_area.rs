//! A small multi-line text field for the description: one tui-input per line, Enter splits a
//! line, Backspace at a line start joins it to the one above, Up and Down keep the column.
//! The text round-trips exactly (lines are split on '\n' only).

use super::field::{Change, Run, change_of, request_of};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

const UNDO_DEPTH: usize = 100;

/// What a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaKey {
    Handled,
    /// Up on the first line / Down on the last: the neighbouring field may take the focus.
    LeaveUp,
    LeaveDown,
    NotHandled,
}

#[derive(Debug, Clone)]
pub struct TextArea {
    lines: Vec<Input>,
    /// The line with the cursor.
    pub row: usize,
    undo: Vec<(String, usize, usize)>,
    run: Option<Run>,
}

impl Default for TextArea {
    fn default() -> Self {
        TextArea::new("")
    }
}

impl TextArea {
    pub fn new(text: &str) -> TextArea {
        let lines: Vec<Input> = text.split('\n').map(|l| Input::new(l.to_string())).collect();
        TextArea {
            row: lines.len().saturating_sub(1),
            lines,
            undo: Vec::new(),
            run: None,
        }
    }

    pub fn value(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.value())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn lines(&self) -> &[Input] {
        &self.lines
    }

    pub fn current(&self) -> &Input {
        &self.lines[self.row.min(self.lines.len() - 1)]
    }

    fn cur_mut(&mut self) -> &mut Input {
        let r = self.row.min(self.lines.len() - 1);
        &mut self.lines[r]
    }

    fn snapshot(&mut self) {
        let col = self.current().cursor();
        self.undo.push((self.value(), self.row, col));
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    fn begin(&mut self, run: Option<Run>) {
        if run.is_none() || run != self.run {
            self.snapshot();
        }
        self.run = run;
    }

    fn restore(&mut self, text: &str, row: usize, col: usize) {
        let mut t = TextArea::new(text);
        t.row = row.min(t.lines.len() - 1);
        let r = t.row;
        t.lines[r] = Input::new(t.lines[r].value().to_string()).with_cursor(col);
        t.undo = std::mem::take(&mut self.undo);
        *self = t;
    }

    pub fn undo(&mut self) -> bool {
        let Some((text, row, col)) = self.undo.pop() else {
            return false;
        };
        self.restore(&text, row, col);
        self.run = None;
        true
    }

    /// Put the cursor on line `row` at character `col` (clamped).
    fn goto(&mut self, row: usize, col: usize) {
        self.row = row.min(self.lines.len() - 1);
        let line = self.cur_mut();
        let n = line.value().chars().count();
        line.handle(InputRequest::SetCursor(col.min(n)));
    }

    fn split_line(&mut self) {
        let r = self.row;
        let col = self.lines[r].cursor();
        let text = self.lines[r].value().to_string();
        let at = text.char_indices().nth(col).map_or(text.len(), |(i, _)| i);
        let (a, b) = text.split_at(at);
        self.lines[r] = Input::new(a.to_string());
        self.lines.insert(r + 1, Input::new(b.to_string()).with_cursor(0));
        self.row = r + 1;
    }

    /// Join line `r + 1` onto line `r`, the cursor at the seam.
    fn join_next(&mut self, r: usize) {
        if r + 1 >= self.lines.len() {
            return;
        }
        let next = self.lines.remove(r + 1);
        let head = self.lines[r].value().to_string();
        let col = head.chars().count();
        self.lines[r] = Input::new(format!("{head}{}", next.value())).with_cursor(col);
        self.row = r;
    }

    pub fn key(&mut self, key: &KeyEvent) -> AreaKey {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let col = self.current().cursor();
        let len = self.current().value().chars().count();
        let last = self.lines.len() - 1;
        match key.code {
            KeyCode::Enter if plain => {
                self.begin(None);
                self.split_line();
                return AreaKey::Handled;
            }
            KeyCode::Up if plain => {
                if self.row == 0 {
                    return AreaKey::LeaveUp;
                }
                self.run = None;
                self.goto(self.row - 1, col);
                return AreaKey::Handled;
            }
            KeyCode::Down if plain => {
                if self.row >= last {
                    return AreaKey::LeaveDown;
                }
                self.run = None;
                self.goto(self.row + 1, col);
                return AreaKey::Handled;
            }
            KeyCode::Left if plain && col == 0 && self.row > 0 => {
                self.run = None;
                self.goto(self.row - 1, usize::MAX);
                return AreaKey::Handled;
            }
            KeyCode::Right if plain && col == len && self.row < last => {
                self.run = None;
                self.goto(self.row + 1, 0);
                return AreaKey::Handled;
            }
            KeyCode::Backspace if plain && col == 0 && self.row > 0 => {
                self.begin(Some(Run::Delete));
                self.join_next(self.row - 1);
                return AreaKey::Handled;
            }
            KeyCode::Delete if plain && col == len && self.row < last => {
                self.begin(Some(Run::Delete));
                self.join_next(self.row);
                return AreaKey::Handled;
            }
            _ => {}
        }
        let Some(req) = request_of(key) else {
            return AreaKey::NotHandled;
        };
        let run = match change_of(&req) {
            Change::Run(run) => Some(run),
            Change::Alone => None,
            Change::Move => {
                self.cur_mut().handle(req);
                self.run = None;
                return AreaKey::Handled;
            }
        };
        let before = self.current().value().to_string();
        let fresh = run.is_none() || run != self.run;
        if fresh {
            self.snapshot();
        }
        self.cur_mut().handle(req);
        if self.current().value() == before {
            if fresh {
                self.undo.pop();
            }
        } else {
            self.run = run;
        }
        AreaKey::Handled
    }

    /// Insert text (newlines kept, each line made terminal-safe) at the cursor as one change.
    pub fn paste(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.begin(None);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                self.split_line();
            }
            for c in crate::text::sanitize(part).chars() {
                self.cur_mut().handle(InputRequest::InsertChar(c));
            }
        }
        self.run = None;
    }
}
