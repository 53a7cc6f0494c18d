//! The pane's rows, kept up to date from engine events (pure), and the aggregate shown in the
//! status bar.

use crate::app::scroll::scroll_offset;
use crate::transfer::{Event, Remedy, State as TState, TransferError, TransferId, TransferView};
use std::time::Duration;

/// One transfer as the pane shows it.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub list: Vec<TransferView>,
    pub cursor: usize,
    /// First row shown.
    pub offset: usize,
}

/// Active transfers, their total speed and the time left.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    /// Working now (hashing, checking, running, verifying).
    pub active: usize,
    /// Waiting for a slot.
    pub queued: usize,
    /// Paused by the user (they still count as unfinished work in the status bar).
    pub paused: usize,
    pub failed: usize,
    /// Bytes per second over the active transfers.
    pub speed: f64,
    /// Bytes left over the unfinished transfers of known size, at that speed.
    pub eta: Option<Duration>,
}

impl Totals {
    /// Transfers that quitting would interrupt.
    pub fn unfinished(&self) -> usize {
        self.active + self.queued
    }
}

impl Rows {
    pub fn len(&self) -> usize {
        self.list.len()
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub fn current(&self) -> Option<&TransferView> {
        self.list.get(self.cursor)
    }
    pub fn position(&self, id: TransferId) -> Option<usize> {
        self.list.iter().position(|v| v.id == id)
    }
    pub fn get(&self, id: TransferId) -> Option<&TransferView> {
        self.list.iter().find(|v| v.id == id)
    }

    /// Apply one engine event. Returns the transfers that were added and are not finished
    /// (the pane shows itself for them).
    pub fn apply(&mut self, ev: Event) -> usize {
        let keep = self.current().map(|v| v.id);
        let mut added = 0;
        match ev {
            Event::Added(v) => {
                if !v.state.is_finished() {
                    added += 1;
                }
                self.upsert(v);
            }
            Event::Updated(v) => self.upsert(v),
            Event::Removed(id) => self.list.retain(|v| v.id != id),
            Event::Order(ids) => {
                let rank = |id: TransferId| ids.iter().position(|x| *x == id).unwrap_or(usize::MAX);
                // Stable: rows the engine did not name keep their relative place at the end.
                self.list.sort_by_key(|v| rank(v.id));
            }
            Event::Progress { items, .. } => {
                for p in items {
                    if let Some(v) = self.list.iter_mut().find(|v| v.id == p.id) {
                        v.done = p.done;
                        v.total = p.total;
                        v.speed = p.speed;
                        v.eta = p.eta;
                    }
                }
            }
            // The runtime sends captchas as their own message.
            Event::Captcha(_) => {}
            Event::Idle => {
                for v in &mut self.list {
                    if !v.state.is_active() {
                        v.speed = 0.0;
                        v.eta = None;
                    }
                }
            }
        }
        self.follow(keep);
        added
    }

    fn upsert(&mut self, v: TransferView) {
        match self.list.iter_mut().find(|x| x.id == v.id) {
            Some(x) => *x = v,
            None => self.list.push(v),
        }
    }

    /// Keep the cursor on the same transfer when rows move; in range otherwise.
    fn follow(&mut self, keep: Option<TransferId>) {
        if let Some(i) = keep.and_then(|id| self.position(id)) {
            self.cursor = i;
        }
        self.clamp();
    }

    pub fn clamp(&mut self) {
        self.cursor = self.cursor.min(self.list.len().saturating_sub(1));
        self.offset = self.offset.min(self.cursor);
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.list.is_empty() {
            return;
        }
        let max = self.list.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(max);
    }

    pub fn set_cursor(&mut self, i: usize) {
        self.cursor = i;
        self.clamp();
    }

    /// Scroll so that the cursor is among the `rows` rows shown.
    pub fn scroll_into_view(&mut self, rows: usize) {
        self.offset = scroll_offset(self.cursor, self.offset, rows, self.list.len());
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        let mut left: u64 = 0;
        for v in &self.list {
            match &v.state {
                s if s.is_active() => {
                    t.active += 1;
                    t.speed += v.speed.max(0.0);
                }
                TState::Queued => t.queued += 1,
                TState::Paused => t.paused += 1,
                TState::Failed(_) => t.failed += 1,
                _ => {}
            }
            if (v.state.is_active() || v.state == TState::Queued)
                && let Some(total) = v.size()
            {
                left = left.saturating_add(total.saturating_sub(v.done));
            }
        }
        if t.speed >= 1.0 && left > 0 {
            t.eta = Some(Duration::from_secs_f64((left as f64 / t.speed).min(1e7)));
        }
        t
    }
}

/// The status line when `w` queues `files` files and `folders` folders (the first one's local
/// name `first_folder`) into the download folder `dir`: it names where they go,
/// "queued 1 folder into /home/me/dl/Movies".
pub fn download_message(
    dir: Option<&str>,
    files: usize,
    folders: usize,
    first_folder: Option<&str>,
) -> String {
    use crate::app::plural::count;
    let Some(dir) = dir.map(crate::text::sanitize) else {
        // The engine has not said where yet.
        return match (files, folders) {
            (f, 0) => format!("queued {}", count(f, "download")),
            (0, n) => format!("queued {}", count(n, "folder")),
            (f, n) => format!("queued {} and {}", count(f, "download"), count(n, "folder")),
        };
    };
    let sub = |name: &str| {
        std::path::Path::new(&dir)
            .join(crate::text::sanitize(name))
            .display()
            .to_string()
    };
    match (files, folders, first_folder) {
        (_, 0, _) | (_, _, None) => format!("queued {} into {dir}", count(files.max(1), "download")),
        (0, 1, Some(name)) => format!("queued 1 folder into {}", sub(name)),
        (0, n, _) => format!(
            "queued {} into {dir}, each in a folder of its name",
            count(n, "folder")
        ),
        (f, 1, Some(name)) => format!(
            "queued {} and 1 folder into {dir} (the folder in {})",
            count(f, "download"),
            sub(name)
        ),
        (f, n, _) => format!(
            "queued {} and {} into {dir} (each folder in a folder of its name)",
            count(f, "download"),
            count(n, "folder")
        ),
    }
}

/// What the user can do about a failed transfer, with the retry key `retry` (as the keymap has
/// it): "Ctrl-r retries", "log in again, then Ctrl-r retries", ... None when nothing helps.
pub fn failure_hint(e: &TransferError, retry: &str) -> Option<String> {
    match e.remedy() {
        Remedy::Retry => Some(format!("{retry} retries")),
        Remedy::Relogin => Some(format!("log in again, then {retry} retries")),
        Remedy::Captcha => Some(format!("{retry} retries: solve the captcha")),
        Remedy::MakeRoom => Some(format!("make room, then {retry} retries")),
        Remedy::Nothing => None,
    }
}

/// The whole failure for people: the reason, then the hint ("… · Ctrl-r retries").
pub fn failure_text(e: &TransferError, retry: &str) -> String {
    match failure_hint(e, retry) {
        Some(h) => format!("{e} · {h}"),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod hint_tests {
    use super::*;

    #[test]
    fn the_download_message_names_the_destination() {
        let dir = Some("/home/me/dl");
        assert_eq!(
            download_message(dir, 2, 0, None),
            "queued 2 downloads into /home/me/dl"
        );
        assert_eq!(
            download_message(dir, 0, 1, Some("Movies")),
            "queued 1 folder into /home/me/dl/Movies"
        );
        assert_eq!(
            download_message(dir, 2, 1, Some("Documents")),
            "queued 2 downloads and 1 folder into /home/me/dl (the folder in /home/me/dl/Documents)"
        );
        assert_eq!(download_message(None, 1, 0, None), "queued 1 download");
    }

    #[test]
    fn each_failure_names_what_helps() {
        let relogin = TransferError::Api {
            message: "getUrl: the session has expired".into(),
            recovery: crate::transfer::ApiRecovery::Relogin,
        };
        assert_eq!(
            failure_text(&relogin, "Ctrl-r"),
            "getUrl: the session has expired · log in again, then Ctrl-r retries"
        );
        let captcha = TransferError::Api {
            message: "getUrl: a captcha is required".into(),
            recovery: crate::transfer::ApiRecovery::Captcha,
        };
        assert!(failure_text(&captcha, "Ctrl-r").ends_with("solve the captcha"));
        assert_eq!(
            failure_hint(&TransferError::Incomplete, "Ctrl-r").as_deref(),
            Some("Ctrl-r retries")
        );
        let gone = TransferError::NotFound {
            what: "file".into(),
            id: "x".into(),
        };
        assert_eq!(failure_text(&gone, "Ctrl-r"), "no file with id x");
    }
}
