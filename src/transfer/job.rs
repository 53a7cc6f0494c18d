//! What a running transfer task gets: the client, the options, a way to report its state and
//! progress to the engine, and the retry policy.

use super::error::TransferError;
use super::model::{Outcome, Spec, State, TransferId};
use super::options::EngineOptions;
use crate::api::{ApiError, Client, Recovery};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Bytes done and total of the running task, read by the engine's ticker.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    done: AtomicU64,
    /// u64::MAX = unknown.
    total: AtomicU64,
}

impl Progress {
    pub fn new(done: u64, total: Option<u64>) -> Progress {
        Progress {
            done: AtomicU64::new(done),
            total: AtomicU64::new(total.unwrap_or(u64::MAX)),
        }
    }
    pub fn set_done(&self, n: u64) {
        self.done.store(n, Ordering::Relaxed);
    }
    pub fn add_done(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
    pub fn set_total(&self, t: Option<u64>) {
        self.total.store(t.unwrap_or(u64::MAX), Ordering::Relaxed);
    }
    pub fn get(&self) -> (u64, Option<u64>) {
        let t = self.total.load(Ordering::Relaxed);
        (self.done.load(Ordering::Relaxed), (t != u64::MAX).then_some(t))
    }
}

/// A transfer queued by another (a folder's content).
#[derive(Debug, Clone)]
pub(crate) struct Child {
    pub spec: Spec,
    /// Queued, or Done for a file skipped at once.
    pub state: State,
    pub outcome: Option<Outcome>,
}

#[derive(Debug)]
pub(crate) enum JobEnd {
    Done(Outcome),
    /// Done, and these transfers go into the queue right after this one.
    Expand {
        outcome: Outcome,
        children: Vec<Child>,
    },
}

pub(crate) enum WorkerMsg {
    State {
        id: TransferId,
        run: u64,
        state: State,
    },
    Detail {
        id: TransferId,
        run: u64,
        detail: Option<String>,
    },
    Spec {
        id: TransferId,
        run: u64,
        spec: Spec,
        saved: Option<oneshot::Sender<()>>,
    },
    Captcha {
        id: TransferId,
        run: u64,
        challenge: String,
        url: String,
        image: Option<Vec<u8>>,
        /// The answer given to the previous captcha of this getUrl flow was refused.
        wrong_answer: bool,
        answer: oneshot::Sender<Option<String>>,
    },
    Finished {
        id: TransferId,
        run: u64,
        result: Result<JobEnd, TransferError>,
    },
    /// Another try after a failure (counted in the attempts).
    Retrying {
        id: TransferId,
        run: u64,
    },
    /// This transfer met a wall the queued ones would meet too.
    StopBatch {
        id: TransferId,
        run: u64,
        stop: super::batch_stop::BatchStop,
    },
}

/// Final paths of downloads in progress, so two transfers never pick the same file name.
#[derive(Clone, Default)]
pub(crate) struct Reservations(Arc<Mutex<HashSet<PathBuf>>>);

impl Reservations {
    /// Reserve `path`; false when it is already taken.
    pub fn try_reserve(&self, path: PathBuf) -> bool {
        self.0.lock().map(|mut s| s.insert(path)).unwrap_or(false)
    }
    pub fn release(&self, path: &std::path::Path) {
        if let Ok(mut s) = self.0.lock() {
            s.remove(path);
        }
    }
}

/// Releases a reservation when the task ends, however it ends.
pub(crate) struct Reserved {
    pub path: PathBuf,
    pub set: Reservations,
}

impl Drop for Reserved {
    fn drop(&mut self) {
        self.set.release(&self.path);
    }
}

/// A run of failures without progress: since when, and the bytes done when it began.
#[derive(Debug, Default)]
pub(crate) struct Streak(Mutex<StreakState>);

#[derive(Debug, Default)]
struct StreakState {
    since: Option<Instant>,
    at: u64,
}

impl Streak {
    /// For a task that starts with `done` bytes done.
    pub fn new(done: u64) -> Streak {
        Streak(Mutex::new(StreakState {
            since: None,
            at: done,
        }))
    }
}

pub(crate) struct JobCtx {
    pub id: TransferId,
    pub run: u64,
    pub client: Client,
    pub opts: Arc<EngineOptions>,
    pub progress: Arc<Progress>,
    pub reserved: Reservations,
    pub tx: mpsc::UnboundedSender<WorkerMsg>,
    pub streak: Streak,
}

impl JobCtx {
    pub fn state(&self, state: State) {
        let _ = self.tx.send(WorkerMsg::State {
            id: self.id,
            run: self.run,
            state,
        });
    }
    /// `state` as a function that outlives the borrow of the context (for callbacks).
    pub fn state_sender(&self) -> impl Fn(State) + Send + Sync + 'static {
        let (tx, id, run) = (self.tx.clone(), self.id, self.run);
        move |state| {
            let _ = tx.send(WorkerMsg::State { id, run, state });
        }
    }
    pub fn detail(&self, detail: Option<String>) {
        let _ = self.tx.send(WorkerMsg::Detail {
            id: self.id,
            run: self.run,
            detail,
        });
    }
    /// Record what was learned (saved in the queue file).
    pub fn spec(&self, spec: Spec) {
        let _ = self.tx.send(WorkerMsg::Spec {
            id: self.id,
            run: self.run,
            spec,
            saved: None,
        });
    }
    /// Record what was learned and wait until it is on disk (before a step that must not be
    /// repeated blindly after a crash).
    pub async fn spec_saved(&self, spec: Spec) {
        let (saved, rx) = oneshot::channel();
        let msg = WorkerMsg::Spec {
            id: self.id,
            run: self.run,
            spec,
            saved: Some(saved),
        };
        if self.tx.send(msg).is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(30), rx).await;
        }
    }
    /// Stop the queued transfers that would fail the same way (see `batch_stop`).
    pub fn stop_batch(&self, stop: super::batch_stop::BatchStop) {
        let _ = self.tx.send(WorkerMsg::StopBatch {
            id: self.id,
            run: self.run,
            stop,
        });
    }
    pub fn finish(&self, result: Result<JobEnd, TransferError>) {
        let _ = self.tx.send(WorkerMsg::Finished {
            id: self.id,
            run: self.run,
            result,
        });
    }

    /// Ask the UI for a captcha answer; None when the user gave up. `wrong_answer`: the answer
    /// to the previous one was refused (the UI says so).
    pub async fn captcha(
        &self,
        challenge: String,
        url: String,
        image: Option<Vec<u8>>,
        wrong_answer: bool,
    ) -> Option<String> {
        let (answer, rx) = oneshot::channel();
        let msg = WorkerMsg::Captcha {
            id: self.id,
            run: self.run,
            challenge,
            url,
            image,
            wrong_answer,
            answer,
        };
        self.tx.send(msg).ok()?;
        rx.await.ok().flatten().filter(|a| !a.trim().is_empty())
    }

    /// The pause before retry number `attempt` (1, 2, ...): base, 2x base, 4x ... up to a
    /// minute, with some jitter; a server-given delay wins (up to an hour).
    pub fn backoff(&self, attempt: u32, after: Option<Duration>) -> Duration {
        if let Some(a) = after {
            return a.min(Duration::from_secs(3600));
        }
        let exp = self
            .opts
            .retry_base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let d = exp.min(Duration::from_secs(60));
        d.mul_f64(rand::random_range(0.8..1.2))
    }

    /// The longest pause `backoff` gives before retry `attempt` without a server-given delay.
    fn longest_backoff(&self, attempt: u32) -> Duration {
        self.opts
            .retry_base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(Duration::from_secs(60))
            .mul_f64(1.2)
    }

    /// Show why and how long, then wait.
    pub async fn wait_retry(&self, attempt: u32, why: &str, after: Option<Duration>) {
        let d = self.backoff(attempt, after);
        let _ = self.tx.send(WorkerMsg::Retrying {
            id: self.id,
            run: self.run,
        });
        self.detail(Some(retry_text(d, attempt, self.opts.max_attempts, why)));
        tokio::time::sleep(d).await;
        self.detail(None);
    }

    /// After failure number `attempt` (from 1) of a run without progress: whether to give up,
    /// because of the number of attempts or because the retry budget is spent.
    pub fn out_of_retries(&self, attempt: u32) -> bool {
        attempt >= self.opts.max_attempts || self.budget_spent(attempt, false)
    }

    /// Whether the failures since the last progress, with the pause before retry `attempt`,
    /// would last `retry_budget` or more. The first failure of a run starts the clock, or stops
    /// it at once when it is a timeout before any progress (the client has waited the whole
    /// budget already).
    fn budget_spent(&self, attempt: u32, timed_out: bool) -> bool {
        let done = self.progress.get().0;
        let budget = self.opts.retry_budget;
        let Ok(mut s) = self.streak.0.lock() else {
            return false;
        };
        let now = Instant::now();
        if done != s.at {
            // Progress since the run began: a new run.
            *s = StreakState {
                since: Some(now),
                at: done,
            };
            return false;
        }
        let pause = self.longest_backoff(attempt);
        match s.since {
            Some(since) => since.elapsed() + pause >= budget,
            None => {
                s.since = Some(now);
                timed_out || pause >= budget
            }
        }
    }

    /// A step succeeded: a later failure starts a new run.
    pub fn succeeded(&self) {
        if let Ok(mut s) = self.streak.0.lock() {
            s.since = None;
        }
    }

    /// Decide after a failed API call: Some(delay hint) to retry, None to give up.
    pub fn should_retry(&self, err: &ApiError, attempt: u32) -> Option<Option<Duration>> {
        // The budget is for a server that does not answer; one that does (429 "wait a minute",
        // a free download's wait) is retried as it says.
        let spent = no_answer(err) && self.budget_spent(attempt, timed_out(err));
        if attempt >= self.opts.max_attempts || spent {
            return None;
        }
        match err.recovery() {
            Recovery::Retry { after } => Some(after),
            // The client logs in again by itself; one more try covers a race with that.
            Recovery::Relogin if attempt <= 1 => Some(None),
            _ => None,
        }
    }
}

/// The server was not reached, or what came back was not its answer.
fn no_answer(err: &ApiError) -> bool {
    matches!(err, ApiError::Transport { .. } | ApiError::Decode { .. })
}

/// A client error that took its whole time budget.
fn timed_out(err: &ApiError) -> bool {
    matches!(err, ApiError::Transport { timeout: true, .. })
}

/// "retrying in 4 s (2 of 8): connection refused" (shown in the transfer's row).
pub(crate) fn retry_text(pause: Duration, attempt: u32, of: u32, why: &str) -> String {
    format!(
        "retrying in {} s ({attempt} of {}): {}",
        pause.as_secs_f64().ceil().max(1.0),
        of.saturating_sub(1).max(attempt),
        crate::text::sanitize(why)
    )
}

/// The file or folder `id` (getFilesInfo, retried), or why not; `what` names it in the message
/// ("file", "folder").
pub(crate) async fn look_up(
    ctx: &JobCtx,
    id: &str,
    what: &str,
) -> Result<crate::api::FileItem, TransferError> {
    let ids = [id.to_string()];
    // Extended: `parent_id` (shown to the owner only) tells another account's public folder.
    let info = with_retries(ctx, || ctx.client.get_files_info(&ids, true))
        .await
        .map_err(|e| TransferError::api(&e))?;
    info.into_iter()
        .find(|f| f.id == id && f.exists())
        .ok_or_else(|| TransferError::NotFound {
            what: what.to_string(),
            id: id.to_string(),
        })
}

/// A failure message for people, with the hint when there is one.
pub(crate) fn describe(err: &ApiError) -> String {
    let hint = err.hint();
    if hint.is_empty() || err.is_retryable() {
        err.to_string()
    } else {
        format!("{err} ({hint})")
    }
}

/// Run `op` until it succeeds, retrying what may work later.
pub(crate) async fn with_retries<T, F, Fut>(ctx: &JobCtx, mut op: F) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    // Since when the server has not answered (an answer, even an error, restarts the clock).
    let mut start = Instant::now();
    let mut attempt = 0;
    loop {
        match op().await {
            Ok(v) => {
                ctx.succeeded();
                return Ok(v);
            }
            // The calls and pauses would take the whole budget.
            Err(e)
                if no_answer(&e)
                    && start.elapsed() + ctx.longest_backoff(attempt + 1) >= ctx.opts.retry_budget =>
            {
                return Err(e);
            }
            Err(e) => {
                attempt += 1;
                match ctx.should_retry(&e, attempt) {
                    Some(after) => ctx.wait_retry(attempt, &e.to_string(), after).await,
                    None => return Err(e),
                }
                if !no_answer(&e) {
                    start = Instant::now();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::retry_text;
    use std::time::Duration;

    #[test]
    fn retry_text_says_when_which_and_why() {
        let t = retry_text(Duration::from_millis(3_400), 2, 8, "connection refused");
        assert_eq!(t, "retrying in 4 s (2 of 7): connection refused");
    }
}
