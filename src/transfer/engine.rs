//! The engine task: owns the queue, starts transfers within the concurrency limit, applies the
//! commands, turns task reports into events, and saves the queue.

use super::handle::{Cmd, Shared, TransferHandle};
pub(crate) use super::item::Item;
use super::job::{Child, JobCtx, JobEnd, Progress, Reservations, WorkerMsg};
use super::model::{Aggregate, CaptchaRequest, Event, Outcome, Spec, State, TransferId};
use super::options::EngineOptions;
use super::store::{QUEUE_FILE, QueueLock, Saved, Saver};
use crate::api::Client;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub(crate) struct Run {
    pub run: u64,
    pub task: JoinHandle<()>,
    pub progress: Arc<Progress>,
    pub captcha: Option<oneshot::Sender<Option<String>>>,
}

pub(crate) struct Engine {
    pub client: Client,
    pub opts: Arc<EngineOptions>,
    pub items: Vec<Item>,
    pub running: HashMap<TransferId, Run>,
    /// Tasks told to stop (or cleaning up) that may not have ended yet.
    pub stopping: Vec<(TransferId, JoinHandle<()>)>,
    pub next_run: u64,
    pub next_id: Arc<AtomicU64>,
    pub events: mpsc::UnboundedSender<Event>,
    pub shared: Arc<Shared>,
    pub saver: Option<Saver>,
    _lock: Option<QueueLock>,
    pub work_tx: mpsc::UnboundedSender<WorkerMsg>,
    pub reserved: Reservations,
    pub concurrency: usize,
    pub dirty: bool,
    pub views_dirty: bool,
    pub idle_sent: bool,
    pub last_aggregate: Aggregate,
}

/// Start the engine on the current tokio runtime. The saved queue (if `opts.state_dir`) is
/// loaded now; its transfers are announced with `Event::Added` and restarted when
/// `opts.autostart_restored`.
pub fn start(client: Client, opts: EngineOptions) -> (TransferHandle, mpsc::UnboundedReceiver<Event>) {
    let (mut saved, saver, lock) = open_store(&opts);
    let (events, events_rx) = mpsc::unbounded_channel();
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let (work_tx, work_rx) = mpsc::unbounded_channel();
    let items: Vec<Item> = std::mem::take(&mut saved.items)
        .into_iter()
        .map(|s| {
            let state = if s.state.is_active() {
                State::Queued
            } else {
                s.state
            };
            let mut it = Item::new(s.id, s.parent, s.spec, state);
            it.held = it.state == State::Queued && !opts.autostart_restored;
            if it.state == State::Done {
                it.done = it.total.unwrap_or(0);
            }
            it.outcome = s.outcome;
            it.attempts = s.attempts;
            it
        })
        .collect();
    let next_id = Arc::new(AtomicU64::new(saved.next_id.max(1)));
    let shared = Arc::new(Shared::default());
    let persistent = saver.is_some();
    let handle = TransferHandle {
        tx: cmd_tx,
        next_id: next_id.clone(),
        shared: shared.clone(),
        connections: opts.connections.max(1),
        skip_existing_downloads: opts.skip_existing_downloads,
        persistent,
        notice: saved.notice.take(),
    };
    let mut engine = Engine {
        client,
        concurrency: opts.concurrency.max(1),
        opts: Arc::new(opts),
        items,
        running: HashMap::new(),
        stopping: Vec::new(),
        next_run: 1,
        next_id,
        events,
        shared,
        saver,
        _lock: lock,
        work_tx,
        reserved: Reservations::default(),
        dirty: false,
        views_dirty: true,
        idle_sent: false,
        last_aggregate: Aggregate::default(),
    };
    for it in &engine.items {
        let _ = engine.events.send(Event::Added(it.view()));
    }
    engine.publish();
    tokio::spawn(engine.run(cmd_rx, work_rx));
    (handle, events_rx)
}

fn open_store(opts: &EngineOptions) -> (Saved, Option<Saver>, Option<QueueLock>) {
    let Some(dir) = &opts.state_dir else {
        return (Saved::default(), None, None);
    };
    match QueueLock::try_acquire(dir) {
        Ok(Some(lock)) => {
            let path = dir.join(QUEUE_FILE);
            (Saved::load(&path), Some(Saver::start(path)), Some(lock))
        }
        Ok(None) => {
            tracing::warn!("another k2s process owns the transfer queue; this one is not saved");
            (Saved::default(), None, None)
        }
        Err(e) => {
            tracing::warn!(
                "cannot lock the transfer queue in {}: {e}; not saved",
                dir.display()
            );
            (Saved::default(), None, None)
        }
    }
}

impl Engine {
    async fn run(
        mut self,
        mut cmd_rx: mpsc::UnboundedReceiver<Cmd>,
        mut work_rx: mpsc::UnboundedReceiver<WorkerMsg>,
    ) {
        let mut tick = tokio::time::interval(self.opts.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                cmd = cmd_rx.recv() => match cmd {
                    Some(Cmd::Shutdown(done)) => {
                        self.shutdown().await;
                        let _ = done.send(());
                        return;
                    }
                    Some(cmd) => self.command(cmd),
                    None => {
                        self.shutdown().await;
                        return;
                    }
                },
                Some(msg) = work_rx.recv() => self.worker(msg),
                _ = tick.tick() => self.tick(),
            }
            self.schedule();
        }
    }

    pub fn index(&self, id: TransferId) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }

    /// Announce a changed transfer.
    pub fn updated(&mut self, idx: usize) {
        if let Some(it) = self.items.get(idx) {
            let _ = self.events.send(Event::Updated(it.view()));
        }
        self.views_dirty = true;
    }

    pub fn send_order(&mut self) {
        let _ = self
            .events
            .send(Event::Order(self.items.iter().map(|i| i.id).collect()));
        self.views_dirty = true;
    }

    fn worker(&mut self, msg: WorkerMsg) {
        let (id, run) = match &msg {
            WorkerMsg::State { id, run, .. }
            | WorkerMsg::Detail { id, run, .. }
            | WorkerMsg::Spec { id, run, .. }
            | WorkerMsg::Captcha { id, run, .. }
            | WorkerMsg::StopBatch { id, run, .. }
            | WorkerMsg::Retrying { id, run }
            | WorkerMsg::Finished { id, run, .. } => (*id, *run),
        };
        if self.running.get(&id).is_none_or(|r| r.run != run) {
            return; // a task that was stopped: its news no longer count
        }
        let Some(idx) = self.index(id) else { return };
        match msg {
            WorkerMsg::State { state, .. } => {
                let it = &mut self.items[idx];
                if it.state != state {
                    it.state = state;
                    it.meter.reset();
                    self.dirty = true;
                    self.updated(idx);
                }
            }
            WorkerMsg::Detail { detail, .. } => {
                self.items[idx].detail = detail;
                self.updated(idx);
            }
            WorkerMsg::Spec { spec, saved, .. } => self.learned(idx, spec, saved),
            WorkerMsg::Captcha {
                challenge,
                url,
                image,
                wrong_answer,
                answer,
                ..
            } => {
                if let Some(r) = self.running.get_mut(&id) {
                    r.captcha = Some(answer);
                }
                self.items[idx].detail = Some("waiting for the captcha answer".into());
                self.updated(idx);
                let req = CaptchaRequest {
                    id,
                    challenge,
                    image_url: url,
                    image,
                    wrong_answer,
                };
                let _ = self.events.send(Event::Captcha(req));
            }
            WorkerMsg::StopBatch { stop, .. } => self.stop_batch(&stop),
            WorkerMsg::Retrying { .. } => {
                let it = &mut self.items[idx];
                it.attempts = it.attempts.saturating_add(1);
                self.updated(idx);
            }
            WorkerMsg::Finished { result, .. } => self.finished(idx, result),
        }
    }

    /// The task learned something about its transfer (saved at once; `saved` is told once it
    /// is on disk).
    fn learned(&mut self, idx: usize, spec: Spec, saved: Option<tokio::sync::oneshot::Sender<()>>) {
        self.items[idx].spec = spec;
        self.save_now();
        if let Some(ack) = saved {
            let saver = self.saver.clone();
            tokio::spawn(async move {
                if let Some(s) = saver {
                    s.flush().await;
                }
                let _ = ack.send(());
            });
        }
        self.updated(idx);
    }

    /// The task ended: done (its children queued after it), or failed with its reason.
    fn finished(&mut self, idx: usize, result: Result<JobEnd, super::error::TransferError>) {
        let id = self.items[idx].id;
        if let Some(r) = self.running.remove(&id) {
            let (d, t) = r.progress.get();
            let it = &mut self.items[idx];
            it.done = d;
            it.total = t.or(it.total);
        }
        self.items[idx].detail = None;
        match result {
            Ok(JobEnd::Done(outcome)) => self.finish_ok(idx, outcome),
            Ok(JobEnd::Expand { outcome, children }) => {
                self.insert_children(idx, children);
                self.finish_ok(idx, outcome);
            }
            Err(reason) => {
                tracing::info!("transfer {id} failed: {reason}");
                self.items[idx].state = State::Failed(reason);
                self.updated(idx);
            }
        }
        self.dirty = true;
    }

    fn finish_ok(&mut self, idx: usize, outcome: Outcome) {
        let it = &mut self.items[idx];
        if let Outcome::Downloaded { size, .. } = &outcome {
            it.total = Some(*size);
        }
        if let Some(t) = it.total {
            it.done = t;
        }
        it.state = State::Done;
        it.outcome = Some(outcome);
        self.updated(idx);
    }

    fn insert_children(&mut self, idx: usize, children: Vec<Child>) {
        let parent = self.items[idx].id;
        let mut new = Vec::with_capacity(children.len());
        for c in children {
            let id = TransferId(self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
            let mut it = Item::new(id, Some(parent), c.spec, c.state);
            it.outcome = c.outcome;
            let _ = self.events.send(Event::Added(it.view()));
            new.push(it);
        }
        self.items.splice(idx + 1..idx + 1, new);
        self.send_order();
    }

    /// Start what can start: queue order, within the concurrency limit.
    fn schedule(&mut self) {
        let counts = |s: &Spec| !matches!(s, Spec::Remote(_));
        let mut busy = self
            .items
            .iter()
            .filter(|i| self.running.contains_key(&i.id) && counts(&i.spec))
            .count();
        self.stopping.retain(|(_, h)| !h.is_finished());
        for idx in 0..self.items.len() {
            let it = &self.items[idx];
            if it.state != State::Queued || it.held || self.running.contains_key(&it.id) {
                continue;
            }
            if self.stopping.iter().any(|(id, _)| *id == it.id) {
                continue; // the previous task is still ending; next tick
            }
            let c = counts(&it.spec);
            if c && busy >= self.concurrency {
                continue;
            }
            self.start_task(idx);
            if c {
                busy += 1;
            }
        }
        let startable = self.items.iter().any(|i| i.state == State::Queued && !i.held);
        if self.running.is_empty() && !startable {
            if !self.idle_sent {
                self.idle_sent = true;
                self.publish();
                let _ = self.events.send(Event::Idle);
            }
        } else {
            self.idle_sent = false;
        }
    }

    fn start_task(&mut self, idx: usize) {
        let run = self.next_run;
        self.next_run += 1;
        let it = &mut self.items[idx];
        it.state = State::Checking;
        it.detail = None;
        it.attempts = it.attempts.saturating_add(1);
        it.meter.reset();
        let progress = Arc::new(Progress::new(0, it.total));
        let ctx = Arc::new(JobCtx {
            id: it.id,
            run,
            client: self.client.clone(),
            opts: self.opts.clone(),
            progress: progress.clone(),
            reserved: self.reserved.clone(),
            tx: self.work_tx.clone(),
            streak: super::job::Streak::new(0),
        });
        let spec = it.spec.clone();
        let task = tokio::spawn(async move {
            let r = super::run_job(&ctx, spec).await;
            ctx.finish(r);
        });
        let id = it.id;
        self.running.insert(
            id,
            Run {
                run,
                task,
                progress,
                captcha: None,
            },
        );
        self.updated(idx);
    }

    async fn shutdown(&mut self) {
        let tasks: Vec<JoinHandle<()>> = self
            .running
            .drain()
            .map(|(_, r)| {
                r.task.abort();
                r.task
            })
            .chain(self.stopping.drain(..).map(|(_, h)| h))
            .collect();
        let all = futures::future::join_all(tasks);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), all).await;
        self.save_now();
        if let Some(s) = &self.saver {
            s.flush().await;
        }
        self.publish();
        // Let go of the queue before `shutdown` returns: a new engine may open it right away.
        self.saver = None;
        self._lock = None;
    }
}
