//! The engine's periodic work: progress events, the aggregate, the snapshot, saving.

use super::engine::Engine;
use super::item::Item;
use super::meter;
use super::model::{Aggregate, Event, ProgressUpdate, State, TransferView};
use super::store::{Saved, SavedItem};
use std::time::Instant;

impl Engine {
    pub(crate) fn tick(&mut self) {
        let now = Instant::now();
        let mut items = Vec::new();
        for it in &mut self.items {
            let Some(r) = self.running.get(&it.id) else {
                continue;
            };
            let (d, t) = r.progress.get();
            it.done = d;
            it.total = t.or(it.total);
            // Nothing moves while the service stores an upload: no speed falling to zero.
            let speed = if it.state == State::Storing {
                0.0
            } else {
                it.meter.sample(now, d)
            };
            let sent = (d, it.total, speed as u64);
            if sent != it.sent {
                it.sent = sent;
                let eta = meter::eta(d, it.total, speed);
                items.push(ProgressUpdate {
                    id: it.id,
                    done: d,
                    total: it.total,
                    speed,
                    eta,
                });
            }
        }
        let aggregate = self.aggregate();
        let changed = !items.is_empty() || aggregate != self.last_aggregate;
        if changed {
            self.views_dirty = true;
        }
        // The snapshot first, so that it is never older than an event already sent.
        self.publish();
        if changed {
            self.last_aggregate = aggregate.clone();
            let _ = self.events.send(Event::Progress { items, aggregate });
        }
        if self.dirty {
            self.save_now();
        }
    }

    pub(crate) fn aggregate(&self) -> Aggregate {
        let mut a = Aggregate::default();
        for it in &self.items {
            match &it.state {
                State::Done => a.done += 1,
                State::Failed(_) => a.failed += 1,
                State::Cancelled => a.cancelled += 1,
                State::Paused => a.paused += 1,
                State::Queued => a.queued += 1,
                _ => a.active += 1,
            }
            // A remote upload's progress is in percent, not bytes.
            if !it.state.is_finished() && !matches!(it.spec, super::model::Spec::Remote(_)) {
                if let Some(t) = it.total {
                    a.bytes_total += t;
                    a.bytes_done += it.done.min(t);
                }
                if it.state == State::Running {
                    a.speed += it.meter.speed();
                }
            }
        }
        a.eta = meter::eta(a.bytes_done, Some(a.bytes_total), a.speed);
        a
    }

    /// Refresh what `TransferHandle::snapshot` returns.
    pub fn publish(&mut self) {
        if self.views_dirty {
            self.views_dirty = false;
            let views: Vec<TransferView> = self.items.iter().map(Item::view).collect();
            if let Ok(mut v) = self.shared.views.lock() {
                *v = views;
            }
        }
        if let Ok(mut a) = self.shared.aggregate.lock() {
            *a = self.aggregate();
        }
    }

    pub fn save_now(&mut self) {
        self.dirty = false;
        let Some(saver) = &self.saver else { return };
        let items = self
            .items
            .iter()
            .map(|i| SavedItem {
                id: i.id,
                parent: i.parent,
                spec: i.spec.clone(),
                state: i.state.clone(),
                outcome: i.outcome.clone(),
                attempts: i.attempts,
            })
            .collect();
        let next = self.next_id.load(std::sync::atomic::Ordering::Relaxed);
        saver.save(Saved::to_bytes(items, next));
    }
}
