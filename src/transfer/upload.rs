//! Uploading one file, by a plan (see `plan`): small files are hashed first and looked up with
//! findFile (createFileByHash when the service has the content); large ones are sent at once,
//! the hash racing the POST (see `upload_race`); and where a lookup would cost more of the
//! shared request budget than it can save, the file is only sent. Then the access level (only
//! when it differs from the service's default) and the link.

use super::batch_stop::BatchStop;
use super::error::{IoAction, TransferError};
use super::job::{JobCtx, JobEnd, with_retries};
use super::model::{HashMemo, Outcome, Spec, State, UploadSpec};
use super::remote_list::find_file_in;
use super::upload_race::{self, RaceFile, Raced, lookup_pays};
use crate::api::{Access, ApiError, CreateFileByHash, FileChanges, share_link};
use crate::md5sum::Md5;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub(crate) async fn run(ctx: &JobCtx, mut spec: UploadSpec) -> Result<JobEnd, TransferError> {
    let shown = spec.path.display().to_string();
    let meta = tokio::fs::metadata(&spec.path)
        .await
        .map_err(|e| TransferError::io(IoAction::Read, &spec.path, &e))?;
    if !meta.is_file() {
        return Err(TransferError::other(format!("{shown} is not a regular file")));
    }
    let size = meta.len();
    let name = spec
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| TransferError::other(format!("{shown} has no file name")))?;
    ctx.progress.set_total(Some(size));
    // Counted while it lasts: uploads in progress together share the request budget.
    let _turn = ctx.client.upload_started();

    if spec.skip_existing
        && let Some(skipped) = already_there(ctx, &spec, &name, size).await?
    {
        return Ok(JobEnd::Done(skipped));
    }

    let mut attempt = 0;
    let mut changes = 0;
    loop {
        let now = stamp_of(&spec.path).await?;
        let plan = plan(ctx, &spec, now);
        let (stamp, md5) = if plan == Plan::HashFirst {
            let (_, md5) = stable_hash(ctx, &mut spec, &shown).await?;
            let stamp = spec.hash.as_ref().map_or(now, |h| (h.size, h.mtime_ns));
            (stamp, Some(md5))
        } else {
            (now, None)
        };
        let size = stamp.0;
        ctx.progress.set_total(Some(size));
        ctx.state(State::Checking);
        ctx.progress.set_done(0);
        let result = match md5 {
            Some(md5) => attempt_once(ctx, &mut spec, &name, size, &md5).await,
            None => attempt_sending(ctx, &mut spec, &name, stamp, plan == Plan::Race).await,
        };
        // What was sent is not the file as it is now (it grew or was rewritten meanwhile).
        if let Some(what) = changed_from(&spec.path, stamp).await {
            changes += 1;
            if let Ok(Outcome::Uploaded { file_id, .. }) = &result {
                // The copy on the service is neither the old file nor the new one.
                let ids = [file_id.clone()];
                if let Err(e) = ctx.client.delete_files(&ids).await {
                    tracing::warn!("cannot delete the stale upload {file_id}: {e}");
                }
            }
            let why = TransferError::Changed {
                path: spec.path.clone(),
                what: Some(what),
            };
            tracing::info!("{why}");
            if changes > MAX_CHANGES {
                return Err(why);
            }
            ctx.detail(Some(format!("{why}; retrying once it is stable")));
            wait_stable(&spec.path).await;
            continue;
        }
        match result {
            Ok(outcome) => {
                ctx.progress.set_done(size);
                return Ok(JobEnd::Done(outcome));
            }
            Err(e) => {
                attempt += 1;
                tracing::info!("upload of {shown} failed (attempt {attempt}): {e}");
                match ctx.should_retry(&e, attempt) {
                    Some(after) => ctx.wait_retry(attempt, &e.to_string(), after).await,
                    None => {
                        if let Some(stop) = BatchStop::from_error(&e, &spec.parent) {
                            ctx.stop_batch(stop);
                        }
                        return Err(TransferError::api(&e));
                    }
                }
            }
        }
    }
}

/// --skip-existing: the destination already holds a file of this name and size.
async fn already_there(
    ctx: &JobCtx,
    spec: &UploadSpec,
    name: &str,
    size: u64,
) -> Result<Option<Outcome>, TransferError> {
    ctx.state(State::Checking);
    let found = with_retries(ctx, || find_file_in(&ctx.client, &spec.parent, name, size, None))
        .await
        .map_err(|e| TransferError::api(&e))?;
    Ok(found.map(|f| {
        let link = share_link(&ctx.opts.link_domain, &f.id, Some(name));
        ctx.progress.set_done(size);
        Outcome::Skipped {
            file_id: f.id,
            link,
            path: None,
        }
    }))
}

/// Times a file may change under an upload before it fails.
const MAX_CHANGES: u32 = 3;
/// A file is stable when its size and mtime stay the same this long,
const STABLE_FOR: Duration = Duration::from_millis(1500);
/// waited for at most this long.
const STABLE_WAIT_MAX: Duration = Duration::from_secs(60);

/// The file's size and md5, from the memo when the file still matches it, else read again
/// (and read again while the file changes during the read, a bounded number of times).
async fn stable_hash(
    ctx: &JobCtx,
    spec: &mut UploadSpec,
    shown: &str,
) -> Result<(u64, String), TransferError> {
    let path = spec.path.clone();
    let cannot = |e: std::io::Error| TransferError::io(IoAction::Read, &path, &e);
    for _ in 0..=MAX_CHANGES {
        let meta = tokio::fs::metadata(&spec.path).await.map_err(cannot)?;
        let (size, mtime_ns) = (meta.len(), mtime_ns(&meta));
        if let Some(h) = spec
            .hash
            .as_ref()
            .filter(|h| h.size == size && h.mtime_ns == mtime_ns)
        {
            return Ok((size, h.md5.clone()));
        }
        ctx.state(State::Hashing);
        ctx.progress.set_total(Some(size));
        let md5 = hash_file(&spec.path, ctx.progress.clone())
            .await
            .map_err(cannot)?;
        let memo = HashMemo { size, mtime_ns, md5 };
        if changed(&spec.path, Some(&memo)).await.is_none() {
            let md5 = memo.md5.clone();
            spec.hash = Some(memo);
            ctx.spec(Spec::Upload(spec.clone()));
            return Ok((size, md5));
        }
        ctx.detail(Some(format!(
            "{shown} changed while reading it; waiting until it is stable"
        )));
        wait_stable(&spec.path).await;
    }
    Err(TransferError::Changed {
        path: spec.path.clone(),
        what: None,
    })
}

/// How the file differs from `memo` now ("size 10 -> 12"), None when it does not.
async fn changed(path: &Path, memo: Option<&HashMemo>) -> Option<String> {
    let memo = memo?;
    changed_from(path, (memo.size, memo.mtime_ns)).await
}

/// How the file differs now from its size and mtime `was`, None when it does not.
async fn changed_from(path: &Path, was: (u64, u64)) -> Option<String> {
    let Ok(meta) = tokio::fs::metadata(path).await else {
        return Some("it can no longer be read".into());
    };
    if meta.len() != was.0 {
        return Some(format!("size {} -> {}", was.0, meta.len()));
    }
    (mtime_ns(&meta) != was.1).then(|| "modified".to_string())
}

/// The file's size and mtime now.
async fn stamp_of(path: &Path) -> Result<(u64, u64), TransferError> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| TransferError::io(IoAction::Read, path, &e))?;
    Ok((meta.len(), mtime_ns(&meta)))
}

/// A file at most this big is hashed before anything is sent: it takes less than a round trip.
const HASH_FIRST_MAX: u64 = 4 << 20;

/// How one attempt goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// md5 first, then findFile, then (if unknown) the POST.
    HashFirst,
    /// The POST only: a lookup would cost more than it can save.
    SendOnly,
    /// The POST at once, raced against the hash (see `upload_race`).
    Race,
}

fn plan(ctx: &JobCtx, spec: &UploadSpec, stamp: (u64, u64)) -> Plan {
    if spec.attempted {
        // The md5 finds an earlier try that reached the service.
        return Plan::HashFirst;
    }
    if !lookup_pays(&ctx.client, stamp.0, None) {
        return Plan::SendOnly;
    }
    let memo_fits = spec.hash.as_ref().is_some_and(|h| (h.size, h.mtime_ns) == stamp);
    if memo_fits || stamp.0 <= HASH_FIRST_MAX {
        Plan::HashFirst
    } else {
        Plan::Race
    }
}

/// Fresh upload form data and the POST, raced against the hash when `race`.
async fn attempt_sending(
    ctx: &JobCtx,
    spec: &mut UploadSpec,
    name: &str,
    stamp: (u64, u64),
    race: bool,
) -> Result<Outcome, ApiError> {
    let form = ctx.client.get_upload_form_data(&spec.parent).await?;
    mark_attempted(ctx, spec).await;
    let (path, parent) = (spec.path.clone(), spec.parent.clone());
    let raced = if race {
        let file = RaceFile {
            path: &path,
            name,
            size: stamp.0,
            parent: &parent,
            access: spec.access.clone(),
            stamp,
        };
        let mut memo = None;
        let raced = upload_race::race(ctx, &form, &file, &mut memo).await;
        if memo.is_some() {
            spec.hash = memo;
            ctx.spec(Spec::Upload(spec.clone()));
        }
        raced?
    } else {
        Raced::Posted(upload_race::send(ctx, &form, &path, name, stamp.0, Arc::default()).await?)
    };
    let (file_id, deduplicated) = match raced {
        Raced::Posted(r) => {
            set_access(ctx, &r.user_file_id, spec.access.as_ref()).await?;
            (r.user_file_id, false)
        }
        // createFileByHash took the access already.
        Raced::ByHash(c) => (c.id, true),
    };
    let link = share_link(&ctx.opts.link_domain, &file_id, Some(name));
    Ok(Outcome::Uploaded {
        file_id,
        link,
        deduplicated,
    })
}

/// Until the size and mtime of `path` stay the same for `STABLE_FOR` (bounded).
async fn wait_stable(path: &Path) {
    let look = || async {
        tokio::fs::metadata(path)
            .await
            .ok()
            .map(|m| (m.len(), mtime_ns(&m)))
    };
    let deadline = tokio::time::Instant::now() + STABLE_WAIT_MAX;
    let mut last = look().await;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(STABLE_FOR).await;
        let now = look().await;
        if now == last {
            return;
        }
        last = now;
    }
}

async fn attempt_once(
    ctx: &JobCtx,
    spec: &mut UploadSpec,
    name: &str,
    size: u64,
    md5: &str,
) -> Result<Outcome, ApiError> {
    let client = &ctx.client;
    if spec.attempted {
        // An earlier try may have reached the service before we lost the answer (or before
        // a crash): never create the file twice.
        if let Some(f) = find_file_in(client, &spec.parent, name, size, Some(md5)).await? {
            set_access(ctx, &f.id, spec.access.as_ref()).await?;
            let link = share_link(&ctx.opts.link_domain, &f.id, Some(name));
            return Ok(Outcome::Uploaded {
                file_id: f.id,
                link,
                deduplicated: false,
            });
        }
    }
    if lookup_pays(client, size, None) && client.find_file(md5).await? {
        mark_attempted(ctx, spec).await;
        let req = CreateFileByHash {
            hash: md5.to_string(),
            name: name.to_string(),
            parent: Some(spec.parent.clone()),
            access: spec.access.clone(),
        };
        let created = client.create_file_by_hash(&req).await?;
        let link = share_link(&ctx.opts.link_domain, &created.id, Some(name));
        return Ok(Outcome::Uploaded {
            file_id: created.id,
            link,
            deduplicated: true,
        });
    }
    let form = client.get_upload_form_data(&spec.parent).await?;
    mark_attempted(ctx, spec).await;
    let result = upload_race::send(ctx, &form, &spec.path, name, size, Arc::default()).await?;
    set_access(ctx, &result.user_file_id, spec.access.as_ref()).await?;
    let link = share_link(&ctx.opts.link_domain, &result.user_file_id, Some(name));
    Ok(Outcome::Uploaded {
        file_id: result.user_file_id,
        link,
        deduplicated: false,
    })
}

async fn mark_attempted(ctx: &JobCtx, spec: &mut UploadSpec) {
    if !spec.attempted {
        spec.attempted = true;
        ctx.spec_saved(Spec::Upload(spec.clone())).await;
    }
}

/// updateFile with only the access, when one other than the service's default (public) was
/// asked for.
async fn set_access(ctx: &JobCtx, id: &str, access: Option<&Access>) -> Result<(), ApiError> {
    match access {
        Some(a) if *a != Access::Public => {
            let changes = FileChanges {
                new_access: Some(a.clone()),
                ..FileChanges::default()
            };
            with_retries(ctx, || ctx.client.update_file(id, &changes)).await
        }
        _ => Ok(()),
    }
}

/// Nanoseconds since 1970 (u64 lasts until 2554; JSON has no 128-bit integers).
fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Sets a flag when dropped, so that a blocking loop stops when its task is aborted.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The md5 of a file, read in 1 MiB pieces on a blocking thread; `progress` counts bytes read.
pub(crate) async fn hash_file(path: &Path, progress: Arc<super::job::Progress>) -> std::io::Result<String> {
    use std::io::Read;
    let stop = Arc::new(AtomicBool::new(false));
    let _guard = StopOnDrop(stop.clone());
    let path = path.to_path_buf();
    progress.set_done(0);
    let work = tokio::task::spawn_blocking(move || {
        let mut f = std::fs::File::open(&path)?;
        let mut h = Md5::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(std::io::Error::other("stopped"));
            }
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            progress.add_done(n as u64);
        }
        Ok(h.hex())
    });
    work.await.map_err(std::io::Error::other)?
}
