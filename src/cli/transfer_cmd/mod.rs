//! upload, download, remote-upload, queue: the transfer engine driven from the command line.

mod runner;

use super::args::{DownloadArgs, QueueArgs, RemoteUploadArgs, UploadArgs};
use super::ctx::Ctx;
use super::output::{outln, print_json_line, s};
use crate::folders::ROOT;
use crate::transfer::{self, EngineOptions, Saved, SavedItem, State, TransferHandle, TransferView};
use runner::Runner;
use std::process::ExitCode;

/// The engine on the saved queue; restored transfers run only for `k2s queue --resume`.
fn engine(
    ctx: &Ctx,
    resume: bool,
    tweak: impl FnOnce(&mut EngineOptions),
) -> (
    TransferHandle,
    tokio::sync::mpsc::UnboundedReceiver<transfer::Event>,
) {
    let mut opts = EngineOptions::from_config(&ctx.config, Some(ctx.state_dir.clone()))
        .with_timeout(ctx.client.timeout());
    opts.autostart_restored = resume;
    opts.account = Some(ctx.client.account_key());
    tweak(&mut opts);
    let (handle, events) = transfer::start(ctx.client.clone(), opts);
    if !handle.is_persistent() {
        eprintln!("k2s: another k2s process is using the transfer queue; these transfers are not saved");
    }
    if let Some(notice) = handle.restore_notice() {
        eprintln!("k2s: warning: {}", crate::text::sanitize(notice));
    }
    (handle, events)
}

pub async fn upload(ctx: &Ctx, a: &UploadArgs) -> anyhow::Result<ExitCode> {
    ctx.require_credentials()?;
    let parent = ctx.resolve_folder(a.to.as_deref().unwrap_or(ROOT)).await?;
    let (handle, events) = engine(ctx, false, |_| {});
    let mut run = Runner::new(ctx, handle.clone(), events);
    let access = a.access.map(Into::into);
    for p in &a.paths {
        match std::fs::metadata(p) {
            Err(e) => run.local_failure(&p.display().to_string(), &format!("cannot read it: {e}")),
            Ok(m) if !m.is_file() && !m.is_dir() => {
                run.local_failure(&p.display().to_string(), "not a regular file or folder")
            }
            Ok(_) => {
                let path = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                run.track(handle.upload(path, &parent, access.clone(), a.skip_existing));
            }
        }
    }
    run.wait().await
}

pub async fn download(ctx: &Ctx, a: &DownloadArgs) -> anyhow::Result<ExitCode> {
    if a.connections == Some(0) {
        anyhow::bail!("--connections must be at least 1");
    }
    let dir = match a.dir.clone().or_else(|| ctx.config.download_dir.clone()) {
        Some(d) => d,
        None => std::env::current_dir()?,
    };
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let (handle, events) = engine(ctx, false, |o| {
        o.verify_md5 &= !a.no_verify_md5;
        o.skip_existing_downloads = a.skip_existing;
    });
    let mut run = Runner::new(ctx, handle.clone(), events);
    let connections = a.connections.or(Some(ctx.config.connections));
    for id in &a.ids {
        if id.starts_with('/') {
            // A folder path from the root: downloaded recursively.
            match ctx.resolve_folder(id).await {
                Ok(f) if f == ROOT => run.local_failure(id, "the root folder: name a folder in it"),
                Ok(f) => run.track(handle.download_folder(&f, None, dir.clone(), connections)),
                Err(e) => run.local_failure(id, &e.to_string()),
            }
        } else if let Some(link) = crate::api::parse_link(id) {
            // A file, or a folder (the engine finds out and downloads it recursively).
            run.track(handle.download(&link.id, dir.clone(), connections));
        } else {
            run.local_failure(
                id,
                "not a file or folder id, a share link, nor a folder path like /Movies",
            );
        }
    }
    run.wait().await
}

pub async fn remote_upload(ctx: &Ctx, a: &RemoteUploadArgs) -> anyhow::Result<ExitCode> {
    ctx.require_credentials()?;
    let (handle, events) = engine(ctx, false, |_| {});
    let mut run = Runner::new(ctx, handle.clone(), events);
    for u in &a.urls {
        match url::Url::parse(u.trim()) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https" | "ftp") => {
                run.track(handle.remote_upload(u.trim(), a.wait));
            }
            _ => run.local_failure(u, "not an http, https or ftp URL"),
        }
    }
    run.wait().await
}

pub async fn queue(ctx: &Ctx, a: &QueueArgs) -> anyhow::Result<ExitCode> {
    if !a.resume {
        return show_queue(ctx);
    }
    let (handle, events) = engine(ctx, true, |_| {});
    let failed = |v: &TransferView| matches!(v.state, State::Failed(_));
    let all = handle.snapshot();
    let pending: Vec<&TransferView> = all
        .iter()
        .filter(|v| !v.state.is_finished() || (a.retry_failed && failed(v)))
        .collect();
    if pending.is_empty() {
        if !ctx.json() {
            eprintln!("k2s: nothing to resume");
            let n = all.iter().filter(|v| failed(v)).count();
            if n > 0 {
                let (them, transfers) = if n == 1 {
                    ("it", "transfer")
                } else {
                    ("them", "transfers")
                };
                eprintln!(
                    "k2s: {n} {transfers} failed: `k2s queue --resume --retry-failed` runs {them} again"
                );
            }
        }
        handle.shutdown().await;
        return Ok(ExitCode::SUCCESS);
    }
    let mut run = Runner::new(ctx, handle.clone(), events);
    for v in pending {
        if failed(v) {
            run.track_rerun(v.id);
            handle.retry(v.id);
        } else {
            // Paused ones were paused on purpose, but --resume means: run everything unfinished.
            handle.resume(v.id);
            run.track(v.id);
        }
    }
    run.wait().await
}

/// What the user can do about a failed transfer, as a command line; None when nothing helps.
pub(super) fn failure_hint(e: &transfer::TransferError) -> Option<&'static str> {
    use transfer::Remedy;
    Some(match e.remedy() {
        Remedy::Retry => "`k2s queue --resume --retry-failed` tries it again",
        Remedy::Relogin => "after `k2s login`, `k2s queue --resume --retry-failed` tries it again",
        Remedy::Captcha => "`k2s queue --resume --retry-failed` tries it again and asks for the captcha",
        Remedy::MakeRoom => "once there is room, `k2s queue --resume --retry-failed` tries it again",
        Remedy::Nothing => return None,
    })
}

/// The state word of a saved transfer: one saved as working while no live k2s holds the queue
/// was cut off, and is "interrupted".
fn state_word(it: &SavedItem, live: bool) -> &'static str {
    if !live && it.state.is_active() {
        INTERRUPTED
    } else {
        it.state.label()
    }
}

pub(crate) const INTERRUPTED: &str = "interrupted";

fn show_queue(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let saved = Saved::read(&ctx.state_dir)?;
    let live = transfer::queue_in_use(&ctx.state_dir);
    if ctx.json() {
        for it in &saved.items {
            print_json_line(&saved_json(it, live))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if saved.items.is_empty() {
        outln!("the transfer queue is empty")?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{:>5}  {:<8}  {:<11}  NAME", "ID", "KIND", "STATE")?;
    for it in &saved.items {
        let kind = match it.spec.direction() {
            transfer::Direction::Upload => "upload",
            transfer::Direction::Download => "download",
            transfer::Direction::Remote => "remote",
        };
        let state = state_word(it, live);
        let mut line = format!(
            "{:>5}  {kind:<8}  {state:<11}  {}",
            it.id,
            s(&it.spec.display_name())
        );
        if let State::Failed(why) = &it.state {
            line.push_str(&format!("  ({})", s(&why.to_string())));
        }
        if state == INTERRUPTED {
            line.push_str("  (resume with `k2s queue --resume`)");
        }
        outln!("{line}")?;
    }
    let unfinished = saved.items.iter().filter(|i| !i.state.is_finished()).count();
    if unfinished > 0 {
        let them = if unfinished == 1 { "it" } else { "them" };
        outln!(
            "{}: `k2s queue --resume` continues {them}",
            crate::app::plural::count(unfinished, "unfinished transfer")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn saved_json(it: &SavedItem, live: bool) -> serde_json::Value {
    let state = state_word(it, live);
    let mut v = serde_json::json!({
        "transfer": it.id,
        "direction": it.spec.direction(),
        "name": s(&it.spec.display_name()),
        "state": state,
    });
    if state == INTERRUPTED {
        v["hint"] = "`k2s queue --resume` continues it".into();
    }
    runner::spec_fields(&mut v, &it.spec);
    if let State::Failed(why) = &it.state {
        v["error"] = s(&why.to_string()).into();
        if let Some(h) = failure_hint(why) {
            v["hint"] = h.into();
        }
    }
    runner::merge_outcome(&mut v, it.outcome.as_ref());
    v
}
