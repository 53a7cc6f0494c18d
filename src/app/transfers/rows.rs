//! The pane's rows, kept up to date from engine events (pure), and the aggregate shown in the
//! status bar.

use crate::app::scroll::scroll_offset;
use crate::transfer::{Event, State as TState, TransferId, TransferView};
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
                TState::Failed(_) => t.failed += 1,
                _ => {}
            }
            if (v.state.is_active() || v.state == TState::Queued)
                && let Some(total) = v.total
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
