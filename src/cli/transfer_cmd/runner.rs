//! Following the engine's events for the transfers a command started: progress bars on stderr
//! (a terminal only), one result per transfer (a JSON line with --json), captcha prompts.

use crate::app::plural::count;
use crate::cli::ctx::Ctx;
use crate::cli::exit::Exit;
use crate::cli::output::{json_text, out, s};
use crate::transfer::{
    Event, Outcome, ProgressUpdate, Spec, State, TransferHandle, TransferId, TransferView,
};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::process::ExitCode;
use tokio::sync::mpsc::UnboundedReceiver;

pub(super) struct Runner<'a> {
    ctx: &'a Ctx,
    handle: TransferHandle,
    events: UnboundedReceiver<Event>,
    tracked: HashSet<TransferId>,
    reported: HashSet<TransferId>,
    failed: usize,
    /// Of the failed ones, those that failed because the server could not be reached.
    unreachable: usize,
    bars: Option<Bars>,
    /// The first failed write on stdout; nothing more is written there after it.
    write_error: Option<anyhow::Error>,
    /// The retry line last shown per transfer (each shown once on stderr).
    retry_shown: HashMap<TransferId, String>,
    /// Finished transfers run again: their old end is news no more, until they are queued.
    rerun: HashSet<TransferId>,
}

impl<'a> Runner<'a> {
    pub fn new(ctx: &'a Ctx, handle: TransferHandle, events: UnboundedReceiver<Event>) -> Runner<'a> {
        let bars = std::io::stderr().is_terminal().then(Bars::new);
        Runner {
            ctx,
            handle,
            events,
            tracked: HashSet::new(),
            reported: HashSet::new(),
            failed: 0,
            unreachable: 0,
            bars,
            write_error: None,
            retry_shown: HashMap::new(),
            rerun: HashSet::new(),
        }
    }

    pub fn track(&mut self, id: TransferId) {
        self.tracked.insert(id);
    }

    /// Track a finished transfer that is run again (`--retry-failed`).
    pub fn track_rerun(&mut self, id: TransferId) {
        self.tracked.insert(id);
        self.rerun.insert(id);
    }

    /// Whether `v` is the old state of a transfer run again.
    fn stale(&mut self, v: &TransferView) -> bool {
        if !self.rerun.contains(&v.id) {
            return false;
        }
        if v.state.is_finished() {
            return true;
        }
        self.rerun.remove(&v.id);
        false
    }

    /// An argument refused before reaching the engine.
    pub fn local_failure(&mut self, input: &str, why: &str) {
        self.failed += 1;
        if self.ctx.json() {
            let line = json_text(
                &json!({"input": s(input), "state": "failed", "error": why}),
                false,
            );
            self.stdout(line.map(Some));
        } else {
            eprintln!("k2s: {}: {why}", s(input));
        }
    }

    /// Until every tracked transfer (and what it queued) has finished. Ctrl-C stops, keeping
    /// the unfinished ones in the saved queue.
    pub async fn wait(mut self) -> anyhow::Result<ExitCode> {
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let mut interrupted = false;
        while !self.tracked.iter().all(|id| self.reported.contains(id)) {
            tokio::select! {
                ev = self.events.recv() => match ev {
                    Some(ev) => self.on_event(ev),
                    None => break,
                },
                _ = &mut ctrl_c => {
                    interrupted = true;
                    break;
                }
            }
        }
        if let Some(b) = &self.bars {
            let _ = b.mp.clear();
        }
        self.handle.shutdown().await;
        if let Some(e) = self.write_error {
            // The transfers ended (and were saved) as they are; the output did not.
            return Err(e);
        }
        if interrupted {
            eprintln!(
                "k2s: interrupted; unfinished transfers are saved: `k2s queue --resume` continues them"
            );
            return Ok(ExitCode::from(130));
        }
        let lost = self.tracked.len() - self.reported.len();
        Ok(end_code(self.failed, self.unreachable, lost).into())
    }

    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::Added(v) | Event::Updated(v) if self.stale(&v) => {}
            Event::Added(v) => {
                if v.parent.is_some_and(|p| self.tracked.contains(&p)) {
                    self.tracked.insert(v.id);
                }
                if self.tracked.contains(&v.id) && v.state.is_finished() {
                    self.report(&v);
                }
            }
            Event::Updated(v) if self.tracked.contains(&v.id) => {
                if v.state.is_finished() {
                    self.report(&v);
                    return;
                }
                self.show_retry(&v);
                if let Some(b) = &mut self.bars {
                    b.update(&v);
                }
            }
            Event::Progress { items, .. } => {
                if let Some(b) = &mut self.bars {
                    items
                        .iter()
                        .filter(|p| self.tracked.contains(&p.id))
                        .for_each(|p| b.progress(p));
                }
            }
            Event::Captcha(req) => {
                if !self.tracked.contains(&req.id) {
                    self.handle.answer_captcha(req.id, None);
                    return;
                }
                let mp = self.bars.as_ref().map(|b| b.mp.clone());
                if let Some(mp) = &mp {
                    // No leftover "waiting … 0 B/0 B" line above the question.
                    let _ = mp.clear();
                    mp.set_draw_target(ProgressDrawTarget::hidden());
                }
                // A thread of its own: a pending read of stdin must not hold up the exit.
                let (tx, rx) = tokio::sync::oneshot::channel();
                let url = req.image_url.clone();
                let image = req.image.clone();
                let title = if req.wrong_answer {
                    "That answer was wrong. A new captcha (free download)"
                } else {
                    "A captcha (free download)"
                };
                let view = self.ctx.global.captcha_view.unwrap_or_default();
                std::thread::spawn(move || {
                    let answer = crate::cli::prompt::solve_captcha_image(title, &url, image.as_deref(), view);
                    let _ = tx.send(answer.ok());
                });
                let handle = self.handle.clone();
                tokio::spawn(async move {
                    let answer = rx.await.ok().flatten();
                    handle.answer_captcha(req.id, answer);
                    if let Some(mp) = mp {
                        mp.set_draw_target(ProgressDrawTarget::stderr());
                    }
                });
            }
            _ => {}
        }
    }

    fn report(&mut self, v: &TransferView) {
        if !self.reported.insert(v.id) {
            return;
        }
        if let Some(b) = &mut self.bars {
            b.remove(v.id);
        }
        if !matches!(v.state, State::Done) {
            self.failed += 1;
        }
        if matches!(&v.state, State::Failed(why) if why.is_unreachable()) {
            self.unreachable += 1;
        }
        crate::cli::index_cmd::note_transfer(self.ctx, v);
        let line = if self.ctx.json() {
            json_text(&view_json(v), false).map(Some)
        } else {
            Ok(human_line(v))
        };
        let err = match &v.state {
            State::Failed(why) if !self.ctx.json() => Some(match super::failure_hint(why) {
                Some(h) => format!(
                    "k2s: {}: failed: {}\nk2s: {}: {h}",
                    v.name,
                    s(&why.to_string()),
                    v.name
                ),
                None => format!("k2s: {}: failed: {}", v.name, s(&why.to_string())),
            }),
            State::Cancelled if !self.ctx.json() => Some(format!("k2s: {}: cancelled", v.name)),
            _ => None,
        };
        let skipped: Vec<String> = match &v.outcome {
            Some(Outcome::Folder { skipped, .. }) if !self.ctx.json() => skipped
                .iter()
                .map(|k| {
                    format!(
                        "k2s: skipped: {} ({})",
                        s(&k.path.display().to_string()),
                        k.reason
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        self.stdout(line);
        for k in &skipped {
            self.stderr(k);
        }
        if let Some(e) = &err {
            self.stderr(e);
        }
    }

    /// A line on stdout (above the bars); a failed write is kept for the end, and stdout is
    /// not written again.
    fn stdout(&mut self, line: anyhow::Result<Option<String>>) {
        if self.write_error.is_some() {
            return;
        }
        let r = line.and_then(|l| match l {
            Some(l) => match &self.bars {
                Some(b) => b.mp.suspend(|| out(&l)),
                None => out(&l),
            },
            None => Ok(()),
        });
        if let Err(e) = r {
            self.write_error = Some(e);
        }
    }

    /// A line on stderr, above the bars.
    fn stderr(&self, line: &str) {
        match &self.bars {
            Some(b) => b.mp.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// "k2s: NAME: retrying in 4 s (2 of 7): why", once per retry of the transfer.
    fn show_retry(&mut self, v: &TransferView) {
        let Some(d) = v.detail.as_ref().filter(|d| d.starts_with("retrying")) else {
            return;
        };
        if self.retry_shown.get(&v.id) == Some(d) {
            return;
        }
        self.retry_shown.insert(v.id, d.clone());
        self.stderr(&format!("k2s: {}: {d}", v.name));
    }
}

/// The exit of a transfer command: server unreachable (5) when every failure was that one,
/// some failed (1) for any other failure or a transfer lost track of.
fn end_code(failed: usize, unreachable: usize, lost: usize) -> Exit {
    if failed == 0 && lost == 0 {
        Exit::Done
    } else if lost == 0 && unreachable == failed {
        Exit::Unreachable
    } else {
        Exit::SomeFailed
    }
}

/// One line for people; failures go to stderr instead.
fn human_line(v: &TransferView) -> Option<String> {
    let name = &v.name;
    Some(match v.outcome.as_ref()? {
        Outcome::Uploaded {
            link,
            deduplicated: true,
            ..
        } => {
            format!("uploaded  {name}  {link}  (the service had it: no bytes sent)")
        }
        Outcome::Uploaded { link, .. } => format!("uploaded  {name}  {link}"),
        Outcome::Skipped { path: Some(p), .. } => {
            format!(
                "skipped   {name}  {}  (already there)",
                s(&p.display().to_string())
            )
        }
        Outcome::Skipped { link, .. } => format!("skipped   {name}  {link}  (already there)"),
        Outcome::Folder {
            folder_id,
            created,
            items,
            skipped,
        } => {
            let how = if *created { "created" } else { "existing" };
            let left_out = match skipped.len() {
                0 => String::new(),
                n => format!(", {n} skipped"),
            };
            format!(
                "folder    {name}  {folder_id}  ({how}, {}{left_out})",
                count(*items, "item")
            )
        }
        Outcome::FolderDownload { path, items, .. } => {
            format!(
                "folder    {}  ({} queued)",
                s(&path.display().to_string()),
                count(*items, "item")
            )
        }
        Outcome::Downloaded {
            path, md5_verified, ..
        } => {
            let check = if *md5_verified { "  (md5 verified)" } else { "" };
            format!("saved     {}{check}", s(&path.display().to_string()))
        }
        Outcome::RemoteAccepted { remote_id } => format!("accepted  {name}  remote upload {}", s(remote_id)),
        Outcome::RemoteDone { link, file_id, .. } => {
            let l = link.clone().or_else(|| file_id.clone()).unwrap_or_default();
            format!("fetched   {name}  {}", s(&l))
        }
    })
}

/// The JSON result of one transfer.
pub(super) fn view_json(v: &TransferView) -> Value {
    let mut j = json!({
        "transfer": v.id,
        "direction": v.direction,
        "name": v.name,
        "state": v.state.label(),
    });
    spec_fields(&mut j, &v.spec);
    if let State::Failed(why) = &v.state {
        j["error"] = json!(s(&why.to_string()));
        if let Some(h) = super::failure_hint(why) {
            j["hint"] = json!(h);
        }
    }
    merge_outcome(&mut j, v.outcome.as_ref());
    j
}

/// What a transfer is of: "path" (uploads), "file_id", "folder_id" (downloads) or "url".
pub(super) fn spec_fields(j: &mut Value, spec: &Spec) {
    match spec {
        Spec::Upload(u) => j["path"] = json!(u.path),
        Spec::UploadFolder(f) => j["path"] = json!(f.path),
        Spec::Download(d) => j["file_id"] = json!(d.file_id),
        Spec::DownloadFolder(f) => j["folder_id"] = json!(f.folder_id),
        Spec::Remote(r) => j["url"] = json!(r.url),
    }
}

/// The outcome's fields ("result", "file_id", "link", ...) added to `j`.
pub(super) fn merge_outcome(j: &mut Value, outcome: Option<&Outcome>) {
    if let (Some(Value::Object(o)), Value::Object(m)) =
        (outcome.and_then(|o| serde_json::to_value(o).ok()), j)
    {
        m.extend(o);
    }
}

/// The speed column of an upload whose last byte is sent.
pub(super) const STORING: &str = "the server is storing it";

struct Bars {
    mp: MultiProgress,
    bars: HashMap<TransferId, ProgressBar>,
    style: ProgressStyle,
    /// Uploads whose last byte is sent: their line says so instead of a speed.
    storing: HashSet<TransferId>,
    /// The last speed of each bar, in bytes per second, for the totals line.
    speeds: HashMap<TransferId, f64>,
    /// Below the bars while two or more run: their count, bytes and speed added up.
    totals: Option<ProgressBar>,
}

/// The line under the bars of parallel transfers: "3 transfers  1.5 MiB/4.0 MiB  2.0 MiB/s".
pub(super) fn totals_line(n: usize, done: u64, total: u64, speed: f64) -> String {
    use crate::text::human_bytes;
    format!(
        "{}  {}/{}  {}/s",
        count(n, "transfer"),
        human_bytes(done),
        human_bytes(total),
        human_bytes(speed as u64)
    )
}

impl Bars {
    fn new() -> Bars {
        let style = ProgressStyle::with_template(
            "{msg:42!} [{bar:24}] {binary_bytes:>10}/{binary_total_bytes:<10} {prefix}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        Bars {
            mp: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            bars: HashMap::new(),
            style,
            storing: HashSet::new(),
            speeds: HashMap::new(),
            totals: None,
        }
    }

    /// The totals line brought up to date: shown while two or more bars are, gone otherwise.
    fn refresh_totals(&mut self) {
        if self.bars.len() < 2 {
            if let Some(t) = self.totals.take() {
                t.finish_and_clear();
                self.mp.remove(&t);
            }
            return;
        }
        let done = self.bars.values().map(ProgressBar::position).sum();
        let total = self.bars.values().filter_map(ProgressBar::length).sum();
        let speed = self.speeds.values().sum();
        let line = totals_line(self.bars.len(), done, total, speed);
        let mp = &self.mp;
        let bar = self.totals.get_or_insert_with(|| {
            let style =
                ProgressStyle::with_template("{msg}").unwrap_or_else(|_| ProgressStyle::default_bar());
            mp.add(ProgressBar::no_length().with_style(style))
        });
        bar.set_message(line);
    }

    fn bar(&mut self, id: TransferId) -> &ProgressBar {
        let (mp, style, totals) = (&self.mp, &self.style, &self.totals);
        self.bars.entry(id).or_insert_with(|| {
            let bar = ProgressBar::no_length().with_style(style.clone());
            match totals {
                // The totals line stays the last one.
                Some(t) => mp.insert_before(t, bar),
                None => mp.add(bar),
            }
        })
    }

    fn update(&mut self, v: &TransferView) {
        if !v.state.is_active() {
            return;
        }
        let status = v.detail.clone().unwrap_or_else(|| v.state.label().to_string());
        let msg = format!(
            "{} {}",
            crate::text::fit(&v.name, 28),
            crate::text::truncate(&status, 13)
        );
        let storing = v.state == State::Storing;
        let bar = self.bar(v.id).clone();
        if storing {
            bar.set_prefix(STORING);
            self.storing.insert(v.id);
        } else {
            self.storing.remove(&v.id);
        }
        if let Some(t) = v.total {
            bar.set_length(t);
        }
        bar.set_position(v.done);
        bar.set_message(msg);
        // indicatif skips draws that come too close together; a state change is always drawn.
        bar.force_draw();
        self.refresh_totals();
    }

    /// Position, and the engine's smoothed speed and ETA.
    fn progress(&mut self, p: &ProgressUpdate) {
        let storing = self.storing.contains(&p.id);
        let bar = self.bar(p.id).clone();
        if let Some(t) = p.total {
            bar.set_length(t);
        }
        bar.set_position(p.done);
        self.speeds.insert(p.id, if storing { 0.0 } else { p.speed });
        self.refresh_totals();
        if storing {
            return;
        }
        let eta = p
            .eta
            .map_or_else(String::new, |e| crate::text::human_duration(e.as_secs_f64()));
        bar.set_prefix(format!(
            "{:>10}/s {eta:>7}",
            crate::text::human_bytes(p.speed as u64)
        ));
    }

    fn remove(&mut self, id: TransferId) {
        self.storing.remove(&id);
        self.speeds.remove(&id);
        if let Some(b) = self.bars.remove(&id) {
            b.finish_and_clear();
            self.mp.remove(&b);
        }
        self.refresh_totals();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_only_when_every_failure_was() {
        assert_eq!(end_code(0, 0, 0), Exit::Done);
        assert_eq!(end_code(2, 2, 0), Exit::Unreachable);
        assert_eq!(end_code(2, 1, 0), Exit::SomeFailed);
        assert_eq!(end_code(1, 1, 1), Exit::SomeFailed);
        assert_eq!(end_code(0, 0, 1), Exit::SomeFailed);
    }

    #[test]
    fn totals_line_counts_and_adds_up() {
        assert_eq!(
            totals_line(2, 1024, 4096, 2048.0),
            "2 transfers  1.0 KiB/4.0 KiB  2.0 KiB/s"
        );
        assert!(totals_line(1, 0, 0, 0.0).starts_with("1 transfer "));
    }

    #[test]
    fn parallel_bars_get_a_totals_line_last() {
        let mut b = Bars::new();
        b.mp.set_draw_target(ProgressDrawTarget::hidden());
        b.progress(&progress(1, 100, 1000));
        assert!(b.totals.is_none(), "one transfer: no totals line");
        b.progress(&progress(2, 300, 1000));
        let line = b.totals.as_ref().map(|t| t.message()).unwrap_or_default();
        assert!(line == "2 transfers  400 B/2.0 KiB  20 B/s", "{line}");
        b.remove(TransferId(1));
        assert!(b.totals.is_none(), "back to one transfer");
    }

    fn progress(id: u64, done: u64, total: u64) -> ProgressUpdate {
        ProgressUpdate {
            id: TransferId(id),
            done,
            total: Some(total),
            speed: 10.0,
            eta: None,
        }
    }
}
