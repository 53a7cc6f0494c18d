//! The transfer dialogs as plain state: local paths to upload (with Tab completion), URLs for
//! a remote upload, a captcha answer, and the quit confirmation.

use super::msg::CaptchaPrompt;
use crate::app::dialog::{input_key, input_paste};
use crate::app::msg::Ticket;
use crate::transfer::TransferId;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

/// Lines of text, each a `tui_input::Input`, with the line being edited.
#[derive(Debug, Clone)]
pub struct Lines {
    pub lines: Vec<Input>,
    pub row: usize,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            lines: vec![Input::default()],
            row: 0,
        }
    }
}

impl Lines {
    pub fn current(&self) -> &Input {
        &self.lines[self.row.min(self.lines.len() - 1)]
    }
    pub fn current_mut(&mut self) -> &mut Input {
        let i = self.row.min(self.lines.len() - 1);
        &mut self.lines[i]
    }
    pub fn values(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.value().to_string()).collect()
    }
    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.value().trim().is_empty())
    }
    pub fn set_current(&mut self, value: String, cursor: usize) {
        *self.current_mut() = Input::new(value).with_cursor(cursor);
    }

    /// Split the line at the cursor; the cursor goes to the start of the new line.
    pub fn newline(&mut self) {
        let cur = self.current();
        let chars: Vec<char> = cur.value().chars().collect();
        let at = cur.cursor().min(chars.len());
        let left: String = chars[..at].iter().collect();
        let right: String = chars[at..].iter().collect();
        self.set_current(left.clone(), left.chars().count());
        self.row += 1;
        self.lines.insert(self.row, Input::new(right).with_cursor(0));
    }

    /// Backspace at the start of a line joins it to the one above.
    fn join_up(&mut self) -> bool {
        if self.row == 0 || self.current().cursor() > 0 {
            return false;
        }
        let line = self.lines.remove(self.row);
        self.row -= 1;
        let above = self.current().value().to_string();
        let at = above.chars().count();
        self.set_current(format!("{above}{}", line.value()), at);
        true
    }

    /// Editing and moving keys; false when the key is not one of them.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Up if self.row > 0 => {
                self.row -= 1;
                true
            }
            KeyCode::Down if self.row + 1 < self.lines.len() => {
                self.row += 1;
                true
            }
            KeyCode::Up | KeyCode::Down => true,
            KeyCode::Backspace if self.join_up() => true,
            _ => input_key(self.current_mut(), key),
        }
    }

    /// Pasted text (raw): one line per line; each pasted line made terminal-safe.
    pub fn paste(&mut self, text: &str, per_line: impl Fn(&str) -> String) {
        // Terminals paste line ends as CR, LF or both.
        let parts: Vec<&str> = text.split(['\r', '\n']).filter(|p| !p.is_empty()).collect();
        if parts.len() <= 1 {
            let one = parts.first().copied().unwrap_or_default();
            input_paste(self.current_mut(), &crate::text::sanitize(one));
            return;
        }
        for (i, part) in parts.iter().filter(|p| !p.trim().is_empty()).enumerate() {
            if i > 0 || !self.current().value().trim().is_empty() {
                let end = self.current().value().chars().count();
                *self.current_mut() = self.current().clone().with_cursor(end);
                self.newline();
            }
            input_paste(self.current_mut(), &per_line(&crate::text::sanitize(part.trim())));
        }
    }
}

/// Tab completion in progress or shown.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    /// The request waiting for its listing.
    pub pending: Option<Pending>,
    /// Candidates shown under the input, and the one Tab put in last.
    pub shown: Vec<Candidate>,
    pub index: Option<usize>,
    /// Where the word being completed starts (row, char) and the line as completion left it:
    /// Tab again on the same line cycles through `shown`.
    pub anchor: Option<(usize, usize, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The name, with "/" for a folder.
    pub label: String,
    /// What replaces the word (escaped).
    pub word: String,
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub ticket: Ticket,
    pub row: usize,
    /// The line when Tab was pressed (the answer is dropped when it changed).
    pub line: String,
    pub start: usize,
    pub end: usize,
    /// The directory part as typed (unescaped), and the name prefix.
    pub dir: String,
    pub prefix: String,
}

#[derive(Debug, Clone)]
pub struct UploadForm {
    /// Destination folder id and its path (for the title).
    pub parent: String,
    pub parent_path: String,
    pub text: Lines,
    pub completion: Completion,
    /// Waiting for the runtime to check the paths.
    pub checking: Option<Ticket>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RemoteForm {
    pub text: Lines,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CaptchaForm {
    pub prompt: CaptchaPrompt,
    /// The transfer's name.
    pub name: String,
    pub answer: Input,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuitForm {
    pub unfinished: usize,
    /// The focused button: true on "Quit".
    pub yes: bool,
    pub persistent: bool,
}

/// The whole story of one transfer (Enter on its row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetailsForm {
    pub id: TransferId,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub enum Form {
    Upload(UploadForm),
    Remote(RemoteForm),
    /// Share links or ids to download, one per line.
    Links(RemoteForm),
    Captcha(CaptchaForm),
    Quit(QuitForm),
    Details(DetailsForm),
}

impl Form {
    pub fn title(&self) -> &'static str {
        match self {
            Form::Upload(_) => "Upload",
            Form::Remote(_) => "Remote upload",
            Form::Links(_) => "Download by link",
            Form::Captcha(_) => "Captcha",
            Form::Quit(_) => "Quit?",
            Form::Details(_) => "Transfer",
        }
    }
    pub fn captcha_id(&self) -> Option<TransferId> {
        match self {
            Form::Captcha(c) => Some(c.prompt.id),
            _ => None,
        }
    }
}

/// Ctrl-s: submit a multi-line form.
pub fn is_ctrl_s(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('s' | 'S'))
}

/// The ids in share links of every form (files and folders: a folder downloads whole) or bare
/// ids, one or more per line; the first bad word is named with its line.
pub fn file_ids(lines: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for word in l.split_whitespace() {
            let id = crate::api::parse_link(word).map(|l| l.id).ok_or_else(|| {
                format!(
                    "line {}: not a share link or file id: {}",
                    i + 1,
                    crate::text::truncate(word, 60)
                )
            })?;
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    if out.is_empty() {
        return Err("type or paste share links or ids, one per line".into());
    }
    Ok(out)
}

pub fn urls(lines: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for word in l.split_whitespace() {
            let ok = url::Url::parse(word)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "ftp") && u.host().is_some());
            if !ok {
                return Err(format!(
                    "line {}: not an http(s) or ftp URL: {}",
                    i + 1,
                    crate::text::truncate(word, 60)
                ));
            }
            out.push(word.to_string());
        }
    }
    if out.is_empty() {
        return Err("type or paste URLs, one per line".into());
    }
    Ok(out)
}
