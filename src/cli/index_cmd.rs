//! `k2s index`: build or refresh the account index, with a progress bar on a terminal.
//! The queries on it are in `index_query.rs`.

use super::ctx::Ctx;
use super::index_args::IndexArgs;
use super::output::{outln, print_json};
use crate::index::{self, CrawlOptions, Index, Progress};
use crate::text::human_duration;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use std::io::IsTerminal;

/// Open this account's index, telling on stderr what was done with an unusable old file.
pub fn open_index(ctx: &Ctx) -> anyhow::Result<Index> {
    let path = index::path_in(&ctx.state_dir);
    let opened = index::open(&path, &index::account_marker(&ctx.state_dir))?;
    for n in &opened.notices {
        eprintln!("k2s: {}", crate::text::sanitize(n));
    }
    Ok(opened.index)
}

/// The index for a query: an error when there is none yet, a warning when a crawl did not end.
pub fn open_for_query(ctx: &Ctx) -> anyhow::Result<Index> {
    let ix = open_index(ctx)?;
    if !ix.is_complete()? {
        if ix.counts()? == (0, 0) && ix.crawled_at()?.is_none() {
            anyhow::bail!("there is no index of this account yet: run `k2s index` first");
        }
        eprintln!("k2s: the index is incomplete (its crawl was interrupted): `k2s index` finishes it");
    }
    Ok(ix)
}

fn bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} folders {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(style);
    b.set_prefix("indexing");
    Some(b)
}

fn show(bar: &ProgressBar, p: &Progress) {
    bar.set_length(p.folders_total);
    bar.set_position(p.folders_done);
    let left = p.time_left().map_or(String::new(), |t| {
        format!(", {} left", human_duration(t.as_secs_f64()))
    });
    bar.set_message(format!(
        "{} files, {:.1} requests/s{left}",
        p.files,
        p.requests_per_sec()
    ));
}

pub async fn index(ctx: &Ctx, args: &IndexArgs) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let mut ix = open_index(ctx)?;
    if ix.is_complete()? && !args.refresh {
        let (folders, files) = ix.counts()?;
        if ctx.json() {
            return print_json(
                &json!({"complete": true, "crawled": false, "folders": folders, "files": files}),
            );
        }
        outln!(
            "the index is complete ({folders} folders, {files} files); `k2s index --refresh` lists the account again"
        )?;
        return Ok(());
    }
    let bar = if ctx.json() { None } else { bar() };
    let mut last = Progress::default();
    let opts = CrawlOptions {
        refresh: args.refresh,
        ..CrawlOptions::default()
    };
    let result = index::crawl(&mut ix, &ctx.client, &opts, &mut |p: &Progress| {
        if let Some(b) = &bar {
            show(b, p);
        }
        last = p.clone();
    })
    .await;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let p = result.map_err(|e| {
        anyhow::Error::new(e).context(format!(
            "the crawl stopped after {} of {} folders (kept: `k2s index` resumes it)",
            last.folders_done, last.folders_total
        ))
    })?;
    let (folders, files) = ix.counts()?;
    if ctx.json() {
        return print_json(&json!({
            "complete": true, "crawled": true, "folders": folders, "files": files,
            "requests": p.requests, "seconds": p.elapsed.as_secs_f64(),
            "resumed_from": p.resumed_from,
        }));
    }
    let resumed = if p.resumed_from > 0 {
        format!(", resumed after {} folders", p.resumed_from)
    } else {
        String::new()
    };
    outln!(
        "indexed {folders} folders, {files} files: {} requests in {}{resumed}",
        p.requests,
        human_duration(p.elapsed.as_secs_f64())
    )?;
    Ok(())
}

/// A finished upload (a file, or a folder it created) enters the index, when there is one.
pub fn note_transfer(ctx: &Ctx, v: &crate::transfer::TransferView) {
    use crate::transfer::{Outcome, Spec, State};
    if !matches!(v.state, State::Done) {
        return;
    }
    let name_of = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match (&v.spec, &v.outcome) {
        (Spec::Upload(u), Some(Outcome::Uploaded { file_id, .. })) => {
            let item = crate::api::FileItem {
                id: file_id.clone(),
                name: name_of(&u.path).or_else(|| Some(v.name.clone())),
                is_folder: Some(false),
                is_available: Some(true),
                access: u.access.clone(),
                size: u.hash.as_ref().map(|h| h.size).or(v.total),
                md5: u.hash.as_ref().map(|h| h.md5.clone()),
                date_created: Some(chrono::Utc::now()),
                ..crate::api::FileItem::default()
            };
            index::note_added(&ctx.state_dir, &item, &u.parent);
        }
        (
            Spec::UploadFolder(f),
            Some(Outcome::Folder {
                folder_id,
                created: true,
                ..
            }),
        ) => {
            if let Some(name) = name_of(&f.path) {
                index::note_folder_created(&ctx.state_dir, folder_id, &f.parent, &name);
            }
        }
        _ => {}
    }
}
