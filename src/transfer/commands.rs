//! The engine's answers to the handle's commands.

use super::engine::{Engine, Item};
use super::handle::Cmd;
use super::model::{Event, Spec, State, TransferId};

impl Engine {
    pub(crate) fn command(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Add { id, spec } => {
                let it = Item::new(id, None, spec, State::Queued);
                let _ = self.events.send(Event::Added(it.view()));
                self.items.push(it);
                self.views_dirty = true;
                self.save_now();
            }
            Cmd::Pause(id) => self.pause(id),
            Cmd::Resume(id) => self.resume(id),
            Cmd::Cancel(id) => self.cancel(id),
            Cmd::Retry(id) => {
                if let Some(idx) = self.index(id) {
                    let it = &mut self.items[idx];
                    if matches!(it.state, State::Failed(_) | State::Cancelled) {
                        it.state = State::Queued;
                        it.held = false;
                        it.detail = None;
                        it.outcome = None;
                        self.dirty = true;
                        self.updated(idx);
                    }
                }
            }
            Cmd::Remove(id) => {
                self.cancel(id);
                if let Some(idx) = self.index(id) {
                    self.items.remove(idx);
                    let _ = self.events.send(Event::Removed(id));
                    self.views_dirty = true;
                    self.dirty = true;
                }
            }
            Cmd::Move { id, up } => {
                if let Some(idx) = self.index(id) {
                    let other = if up { idx.checked_sub(1) } else { Some(idx + 1) };
                    if let Some(o) = other.filter(|o| *o < self.items.len()) {
                        self.items.swap(idx, o);
                        self.send_order();
                        self.dirty = true;
                    }
                }
            }
            Cmd::ClearFinished => {
                let gone: Vec<TransferId> = self
                    .items
                    .iter()
                    .filter(|i| matches!(i.state, State::Done | State::Cancelled))
                    .map(|i| i.id)
                    .collect();
                self.items
                    .retain(|i| !matches!(i.state, State::Done | State::Cancelled));
                for id in gone {
                    let _ = self.events.send(Event::Removed(id));
                }
                self.views_dirty = true;
                self.dirty = true;
            }
            Cmd::PauseAll => {
                let ids: Vec<TransferId> = self
                    .items
                    .iter()
                    .filter(|i| !i.state.is_finished())
                    .map(|i| i.id)
                    .collect();
                ids.into_iter().for_each(|id| self.pause(id));
            }
            Cmd::ResumeAll => {
                let ids: Vec<TransferId> = self.items.iter().map(|i| i.id).collect();
                ids.into_iter().for_each(|id| self.resume(id));
            }
            Cmd::Captcha { id, answer } => {
                if let Some(tx) = self.running.get_mut(&id).and_then(|r| r.captcha.take()) {
                    let _ = tx.send(answer);
                }
                if let Some(idx) = self.index(id) {
                    self.items[idx].detail = None;
                    self.updated(idx);
                }
            }
            Cmd::SetConcurrency(n) => self.concurrency = n.max(1),
            Cmd::SetClient(client) => self.client = *client,
            // Handled by the loop.
            Cmd::Shutdown(_) => {}
        }
    }

    /// Abort the task of `id`, remembering it until it has really ended.
    fn stop_task(&mut self, id: TransferId) {
        if let Some(r) = self.running.remove(&id) {
            r.task.abort();
            self.stopping.push((id, r.task));
        }
    }

    fn pause(&mut self, id: TransferId) {
        let Some(idx) = self.index(id) else { return };
        if self.items[idx].state.is_finished() || self.items[idx].state == State::Paused {
            return;
        }
        self.stop_task(id);
        let it = &mut self.items[idx];
        it.state = State::Paused;
        it.detail = None;
        it.held = false;
        it.meter.reset();
        self.dirty = true;
        self.updated(idx);
    }

    fn resume(&mut self, id: TransferId) {
        let Some(idx) = self.index(id) else { return };
        let it = &mut self.items[idx];
        match it.state {
            State::Paused => it.state = State::Queued,
            State::Queued if it.held => {}
            _ => return,
        }
        it.held = false;
        self.dirty = true;
        self.updated(idx);
    }

    fn cancel(&mut self, id: TransferId) {
        let Some(idx) = self.index(id) else { return };
        if self.items[idx].state.is_finished() {
            return;
        }
        self.stop_task(id);
        let it = &mut self.items[idx];
        it.state = State::Cancelled;
        it.detail = None;
        it.meter.reset();
        if let Spec::Download(d) = &it.spec
            && let Some(name) = &d.name
        {
            // Delete the .part and its sidecar once the task has really stopped (unless
            // another k2s is downloading into them).
            let (dir, name) = (d.dir.clone(), name.clone());
            let previous = self
                .stopping
                .iter()
                .position(|(i, _)| *i == id)
                .map(|p| self.stopping.remove(p).1);
            let cleanup = tokio::spawn(async move {
                if let Some(h) = previous {
                    let _ = h.await;
                }
                let _ = tokio::task::spawn_blocking(move || {
                    super::part_file::remove_part_unless_busy(&dir, &name)
                })
                .await;
            });
            self.stopping.push((id, cleanup));
        }
        self.dirty = true;
        self.updated(idx);
    }
}
