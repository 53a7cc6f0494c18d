//! Downloading one file: name it safely, getUrl, fill `<name>.part` over one or several
//! connections (resuming from the sidecar), verify size and md5, then move it into place
//! without ever replacing a file.
//!
//! The `.part` is locked for the whole download (see `part_file`): a second k2s downloading the
//! same file into the same folder fails at once with "another k2s is downloading NAME into DIR"
//! and writes nothing. Before anything is written, the bytes still missing must fit in the free
//! space ("needs X, Y free on DIR"). A download that cannot start leaves no file behind; one that
//! fails later keeps its `.part` and sidecar to resume from (never a temporary file).

use super::error::{IoAction, TransferError};
use super::fetch::{Download, Ended, Urls};
use super::job::{JobCtx, JobEnd, Reservations, Reserved, look_up, with_retries};
use super::model::{DownloadSpec, Outcome, Spec, State, valid_md5};
use super::names::{self, part_path, sidecar_path};
use super::part_file::{self, PartError};
use super::plan::Plan;
use super::ramp::{RAMP_TICK, Ramp};
use super::{geturl, hasher, upload};
use crate::api::share_link;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinSet;

pub(crate) async fn run(ctx: &Arc<JobCtx>, mut spec: DownloadSpec) -> Result<JobEnd, TransferError> {
    ctx.state(State::Checking);
    let id = spec.file_id.clone();
    let server_name = match learn(ctx, &mut spec).await? {
        Learned::Folder(end) => return Ok(end),
        Learned::File(name) => name,
    };
    tokio::fs::create_dir_all(&spec.dir)
        .await
        .map_err(|e| TransferError::io(IoAction::CreateDir, &spec.dir, &e))?;

    // The local name: chosen once (sanitized, unique), then kept across restarts.
    let _reserved = match spec.name.clone() {
        Some(name) => {
            // Chosen by an earlier start: a file put under that name since may be this one.
            let path = spec.dir.join(&name);
            let file = tokio::fs::symlink_metadata(&path)
                .await
                .is_ok_and(|m| m.is_file());
            if file && holds_it(ctx, &spec, &path, by_name(ctx, &spec)).await {
                tracing::debug!("download {id}: already there as {}", path.display());
                drop_leftovers(&spec, &name).await;
                return Ok(JobEnd::Done(present(
                    ctx,
                    &mut spec,
                    path,
                    server_name.as_deref(),
                )));
            }
            reserve_chosen(&ctx.reserved, path)
        }
        None => match pick_name(ctx, &mut spec, server_name.as_deref()).await? {
            Picked::Present(outcome) => return Ok(JobEnd::Done(outcome)),
            Picked::Reserved(r) => Some(r),
        },
    };
    let name = spec.name.clone().unwrap_or_default();
    let (part, sidecar) = (part_path(&spec.dir, &name), sidecar_path(&spec.dir, &name));

    let (url, free) = with_retries(ctx, || geturl::resolve(ctx, &id))
        .await
        .map_err(|e| TransferError::api(&e))?;
    // Free downloads get one connection.
    let connections = if free { 1 } else { spec.connections.max(1) };
    let (p, s, fid, size, min) = (
        part.clone(),
        sidecar.clone(),
        id.clone(),
        spec.size,
        ctx.opts.min_segment,
    );
    let (plan, file) = tokio::task::spawn_blocking(move || open_part(&p, &s, &fid, size, connections, min))
        .await
        .map_err(|e| TransferError::other(e.to_string()))??;
    // The lock on the .part lasts until the file is in place and its sidecar gone.
    let _lock = file
        .try_clone()
        .map_err(|e| TransferError::io(IoAction::Write, &part, &e))?;
    let resumed_from = plan.done_bytes();
    ctx.progress.set_total(plan.size);
    ctx.progress.set_done(resumed_from);
    ctx.state(State::Running);

    // The md5 is computed on the way, from chunks handed over in memory when they come in order.
    let want_md5 = spec.md5.is_some() && ctx.opts.verify_md5;
    let (feed, follower) = hasher::channel();
    let dl = Arc::new(Download {
        plan: Arc::new(Mutex::new(plan)),
        file: Arc::new(file),
        urls: Urls::new(&id, url),
        feed: want_md5.then_some(feed),
        live: Default::default(),
        started: Default::default(),
        received: Default::default(),
        alone: Default::default(),
    });
    let mut guard = SaveOnDrop {
        plan: dl.plan.clone(),
        path: sidecar.clone(),
        armed: true,
    };
    let inline_md5 = fill(ctx, &dl, &guard, connections, want_md5, follower).await?;
    let plan = guard.snapshot();
    if !plan.complete() {
        return Err(TransferError::Incomplete);
    }
    let size = plan.size.unwrap_or_else(|| plan.done_bytes());
    drop(dl);
    let md5_verified = verify(ctx, &spec, &part, size, inline_md5, &mut guard).await?;
    guard.armed = false;
    let path = move_into_place(&spec.dir, &part, &name).await?;
    let _ = tokio::fs::remove_file(&sidecar).await;
    tracing::debug!("download {id}: saved as {}", path.display());
    Ok(JobEnd::Done(Outcome::Downloaded {
        file_id: id,
        path,
        size,
        md5_verified,
        resumed_from,
    }))
}

/// What getFilesInfo says the id is.
enum Learned {
    /// A file, with its name on the service when known.
    File(Option<String>),
    /// A folder: the download became a folder download, which ended so.
    Folder(JobEnd),
}

/// Name, size and md5 of the file, from the folder listing that queued it or from getFilesInfo.
async fn learn(ctx: &Arc<JobCtx>, spec: &mut DownloadSpec) -> Result<Learned, TransferError> {
    let server_name = spec.remote_name.clone();
    // Listed with its folder: name, size and md5 are known already.
    let listed = server_name.is_some() && spec.md5.is_some();
    if spec.name.is_some() || listed {
        return Ok(Learned::File(server_name));
    }
    let f = look_up(ctx, &spec.file_id, "file").await?;
    if f.is_folder() {
        let foreign = f.parent_id.is_none();
        let end = super::folder_download::from_download(ctx, spec, f.name, foreign).await?;
        return Ok(Learned::Folder(end));
    }
    spec.size = f.size();
    spec.md5 = valid_md5(f.md5);
    Ok(Learned::File(f.name))
}

/// The first start's choice of a local name.
enum Picked {
    /// The file is already there (same size and md5, or any file of that name with
    /// `skip_existing_downloads`): nothing to download.
    Present(Outcome),
    /// A free name, recorded in the spec and reserved.
    Reserved(Reserved),
}

async fn pick_name(
    ctx: &Arc<JobCtx>,
    spec: &mut DownloadSpec,
    server_name: Option<&str>,
) -> Result<Picked, TransferError> {
    let id = spec.file_id.clone();
    let base = names::sanitize_file_name(server_name.unwrap_or(""), &id);
    if let Some(path) = already_there(ctx, spec, &base).await {
        tracing::debug!("download {id}: already there as {}", path.display());
        return Ok(Picked::Present(present(ctx, spec, path, server_name)));
    }
    let (dir, set, fid, size) = (spec.dir.clone(), ctx.reserved.clone(), id.clone(), spec.size);
    let name = tokio::task::spawn_blocking(move || choose_name(&dir, &base, &fid, size, &set))
        .await
        .map_err(|e| TransferError::other(e.to_string()))?
        .map_err(|e| TransferError::io(IoAction::PickName, &spec.dir, &e))?;
    spec.name = Some(name.clone());
    ctx.spec(Spec::Download(spec.clone()));
    Ok(Picked::Reserved(Reserved {
        path: spec.dir.join(&name),
        set: ctx.reserved.clone(),
    }))
}

/// An earlier start's `.part` and sidecar, when the sidecar says they are this file's: the
/// download ended without them.
async fn drop_leftovers(spec: &DownloadSpec, name: &str) {
    let (part, sidecar) = (part_path(&spec.dir, name), sidecar_path(&spec.dir, name));
    let (s, id, size) = (sidecar.clone(), spec.file_id.clone(), spec.size);
    let ours = tokio::task::spawn_blocking(move || Plan::load(&s, &id, size).is_some())
        .await
        .unwrap_or(false);
    if ours {
        let _ = tokio::fs::remove_file(&part).await;
        let _ = tokio::fs::remove_file(&sidecar).await;
    }
}

/// The download ends as already there, as the file at `path`.
fn present(ctx: &JobCtx, spec: &mut DownloadSpec, path: PathBuf, server_name: Option<&str>) -> Outcome {
    let size = spec.size.unwrap_or(0);
    ctx.progress.set_total(Some(size));
    ctx.progress.set_done(size);
    let link = share_link(&ctx.opts.link_domain, &spec.file_id, server_name);
    // Named as the file found, so that the row says which one.
    spec.name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    ctx.spec(Spec::Download(spec.clone()));
    Outcome::Skipped {
        file_id: spec.file_id.clone(),
        link,
        path: Some(path),
    }
}

/// A local file that already holds this download: `base`, `base (1)`, ... with the same size
/// and md5 (looked at up to the first free name). With `skip_existing` (the spec's or the
/// engine's), any regular file named `base`, unread.
async fn already_there(ctx: &JobCtx, spec: &DownloadSpec, base: &str) -> Option<PathBuf> {
    for n in 0..10_000 {
        let path = spec.dir.join(names::numbered(base, n));
        let meta = tokio::fs::symlink_metadata(&path).await.ok()?;
        if !meta.is_file() {
            continue;
        }
        if holds_it(ctx, spec, &path, n == 0 && by_name(ctx, spec)).await {
            return Some(path);
        }
    }
    None
}

/// `--skip-existing`, as the download's spec keeps it (or the engine was started with it).
fn by_name(ctx: &JobCtx, spec: &DownloadSpec) -> bool {
    spec.skip_existing || ctx.opts.skip_existing_downloads
}

/// Whether the regular file at `path` is this download: any file when `by_name`
/// (`--skip-existing`), else one of the same size and md5 (read to know).
async fn holds_it(ctx: &JobCtx, spec: &DownloadSpec, path: &Path, by_name: bool) -> bool {
    if by_name {
        return true;
    }
    let (Some(size), Some(md5)) = (spec.size, spec.md5.as_ref()) else {
        return false;
    };
    if tokio::fs::metadata(path).await.map_or(true, |m| m.len() != size) {
        return false;
    }
    ctx.state(State::Verifying);
    ctx.progress.set_total(Some(size));
    let same = upload::hash_file(path, ctx.progress.clone())
        .await
        .is_ok_and(|got| got.eq_ignore_ascii_case(md5));
    ctx.state(State::Checking);
    same
}

/// Runs the connections (opening more while the download is slow, see `ramp`), saves the
/// sidecar every second and follows the md5 computed on the way; returns that md5 when it was
/// wanted.
async fn fill(
    ctx: &Arc<JobCtx>,
    dl: &Arc<Download>,
    guard: &SaveOnDrop,
    connections: usize,
    want_md5: bool,
    follower: hasher::Follower,
) -> Result<Option<std::io::Result<String>>, TransferError> {
    let mut inline_md5: Option<std::io::Result<String>> = None;
    // One task per connection, so that they use every core; dropping the set stops them.
    let mut set = tokio::task::JoinSet::new();
    let spawn = |set: &mut JoinSet<Result<Ended, TransferError>>, n: usize| {
        for _ in 0..n {
            let (dl, ctx) = (dl.clone(), ctx.clone());
            set.spawn(async move { dl.connection(&ctx).await });
        }
    };
    let mut ramp = Ramp::new(connections, ctx.opts.one_stream_enough);
    spawn(&mut set, ramp.first());
    // One connection that stays alone asks for long runs of ranges (see `Download::alone`).
    let alone = |ramp: &Ramp| {
        dl.alone
            .store(!ramp.waiting() && ramp.open() == 1, Ordering::Release)
    };
    alone(&ramp);
    let hasher = hasher::follow(follower, dl.plan.clone(), dl.file.clone());
    tokio::pin!(hasher);
    let mut ramp_tick = tokio::time::interval(RAMP_TICK);
    ramp_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The sidecar is saved every second.
    let second = Duration::from_secs(1);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + second, second);
    let mut written = false;
    while !written || (want_md5 && inline_md5.is_none()) {
        tokio::select! {
            Some(r) = set.join_next(), if !written => {
                let ended = r.map_err(|e| TransferError::other(format!("download task failed: {e}")))??;
                if ended == Ended::Refused {
                    ramp.refused(set.len());
                    alone(&ramp);
                }
                if set.is_empty() {
                    // A refused connection may have left a range that nobody took up.
                    if ended == Ended::Refused && !dl.with_plan(|p| p.complete()) {
                        spawn(&mut set, 1);
                        continue;
                    }
                    written = true;
                    tracing::debug!("download {}: every byte written", ctx.id);
                    ctx.state(State::Verifying);
                }
            }
            h = &mut hasher, if want_md5 && inline_md5.is_none() => {
                tracing::debug!("download {}: md5 computed", ctx.id);
                inline_md5 = Some(h);
            }
            _ = ramp_tick.tick(), if ramp.waiting() && !written => {
                let received = dl.received.load(Ordering::Relaxed);
                let started = dl.started.load(Ordering::Acquire);
                spawn(&mut set, ramp.tick(std::time::Instant::now(), received, started));
                alone(&ramp);
            }
            _ = every.tick() => {
                let (plan, path) = (guard.snapshot(), guard.path.clone());
                let _ = tokio::task::spawn_blocking(move || plan.save(&path)).await;
            }
        }
    }
    tracing::debug!("download {}: {} connection(s) at most", ctx.id, ramp.open());
    Ok(inline_md5)
}

/// Checks the `.part`'s size, and its md5 when the service gave one (from the md5 computed on
/// the way, else by reading the file). A wrong md5 discards the download. Returns whether the
/// md5 was checked.
async fn verify(
    ctx: &JobCtx,
    spec: &DownloadSpec,
    part: &Path,
    size: u64,
    inline_md5: Option<std::io::Result<String>>,
    guard: &mut SaveOnDrop,
) -> Result<bool, TransferError> {
    let len = tokio::fs::metadata(part)
        .await
        .map(|m| m.len())
        .map_err(|e| TransferError::io(IoAction::Read, part, &e))?;
    if len != size {
        return Err(TransferError::SizeMismatch {
            expected: size,
            got: len,
        });
    }
    let Some(want) = spec.md5.as_ref().filter(|_| ctx.opts.verify_md5) else {
        return Ok(false);
    };
    let got = match inline_md5 {
        Some(Ok(md5)) => md5,
        _ => upload::hash_file(part, ctx.progress.clone())
            .await
            .map_err(|e| TransferError::io(IoAction::Read, part, &e))?,
    };
    if !got.eq_ignore_ascii_case(want) {
        guard.armed = false;
        let _ = tokio::fs::remove_file(part).await;
        let _ = tokio::fs::remove_file(&guard.path).await;
        return Err(TransferError::Md5Mismatch {
            expected: want.clone(),
            got,
        });
    }
    Ok(true)
}

/// The finished `.part` renamed to `name` in `dir`, never over another file.
async fn move_into_place(dir: &Path, part: &Path, name: &str) -> Result<PathBuf, TransferError> {
    let (d, p, n) = (dir.to_path_buf(), part.to_path_buf(), name.to_string());
    tokio::task::spawn_blocking(move || names::rename_no_clobber(&p, &d, &n))
        .await
        .map_err(|e| TransferError::other(e.to_string()))?
        .map_err(|e| TransferError::io(IoAction::Move, part, &e))
}

/// A name in `dir` that is neither an existing file, nor another download's .part, nor
/// reserved by a running transfer. A .part of this same file (its sidecar says so) is reused.
fn choose_name(
    dir: &Path,
    base: &str,
    file_id: &str,
    size: Option<u64>,
    reserved: &Reservations,
) -> std::io::Result<String> {
    for n in 0..10_000 {
        let name = names::numbered(base, n);
        let target = dir.join(&name);
        if std::fs::symlink_metadata(&target).is_ok() {
            continue;
        }
        let ours = Plan::load(&sidecar_path(dir, &name), file_id, size).is_some();
        if std::fs::symlink_metadata(part_path(dir, &name)).is_ok() && !ours {
            continue;
        }
        if reserved.try_reserve(target) {
            return Ok(name);
        }
    }
    Err(std::io::Error::other("no free file name"))
}

/// The name of a restarted download was chosen before: reserve it again. When another
/// transfer of this process holds it, there is no guard (dropping one would release the other
/// transfer's reservation); the lock on the .part then keeps the two apart.
fn reserve_chosen(set: &Reservations, path: PathBuf) -> Option<Reserved> {
    if set.try_reserve(path.clone()) {
        return Some(Reserved {
            path,
            set: set.clone(),
        });
    }
    tracing::warn!(
        "{} is already being downloaded by another transfer",
        path.display()
    );
    None
}

/// The .part file, locked, and its plan: continued when the sidecar matches, else started
/// afresh (sparse file of the final size when it is known). Fails before writing anything when
/// another k2s holds the .part or the bytes still missing do not fit on the disk.
fn open_part(
    part: &Path,
    sidecar: &Path,
    file_id: &str,
    size: Option<u64>,
    connections: usize,
    min_segment: u64,
) -> Result<(Plan, File), TransferError> {
    let dir = part.parent().unwrap_or(Path::new("."));
    let existed = std::fs::symlink_metadata(part).is_ok();
    let file = match part_file::open_locked(part) {
        Ok(f) => f,
        Err(PartError::Busy) => {
            let name = part.file_name().unwrap_or_default().to_string_lossy();
            return Err(TransferError::Busy {
                name: name.trim_end_matches(names::PART_SUFFIX).to_string(),
                dir: dir.to_path_buf(),
            });
        }
        Err(PartError::Io(e)) => return Err(TransferError::io(IoAction::Write, part, &e)),
    };
    let cannot = |e: std::io::Error| TransferError::io(IoAction::Write, part, &e);
    let part_len = file.metadata().map(|m| m.len()).ok();
    let existing = existed.then(|| Plan::load(sidecar, file_id, size)).flatten();
    if let Some(plan) = existing.filter(|p| p.size.is_none() || p.size == part_len) {
        let missing = plan.size.map_or(0, |s| s.saturating_sub(plan.done_bytes()));
        part_file::check_room(dir, missing)?;
        return Ok((plan, file));
    }
    // Nothing of ours in it: a fresh start. Nothing is left behind when it cannot start.
    let fresh = || -> Result<Plan, TransferError> {
        part_file::check_room(dir, size.unwrap_or(0))?;
        file.set_len(0).map_err(cannot)?;
        if let Some(s) = size {
            file.set_len(s).map_err(cannot)?;
        }
        let plan = Plan::new(file_id, size, connections, min_segment);
        plan.save(sidecar).map_err(cannot)?;
        Ok(plan)
    };
    match fresh() {
        Ok(plan) => Ok((plan, file)),
        Err(e) => {
            let _ = std::fs::remove_file(part);
            let _ = std::fs::remove_file(sidecar);
            Err(e)
        }
    }
}

/// Saves the plan when the task ends early (paused, cancelled, failed), so that the next run
/// continues from the bytes already written.
struct SaveOnDrop {
    plan: Arc<Mutex<Plan>>,
    path: PathBuf,
    armed: bool,
}

impl SaveOnDrop {
    fn snapshot(&self) -> Plan {
        self.plan.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for SaveOnDrop {
    fn drop(&mut self) {
        if self.armed
            && let Err(e) = self.snapshot().save(&self.path)
        {
            tracing::warn!("cannot save {}: {e}", self.path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_reservation_releases_nothing() {
        let set = Reservations::default();
        let path = PathBuf::from("/downloads/f.bin");
        let first = reserve_chosen(&set, path.clone());
        assert!(first.is_some());
        // A second transfer with the same chosen name gets no guard, and ending it leaves the
        // first one's reservation in place: a third transfer cannot take the name.
        let second = reserve_chosen(&set, path.clone());
        assert!(second.is_none());
        drop(second);
        assert!(
            !set.try_reserve(path.clone()),
            "the first transfer's reservation was released"
        );
        drop(first);
        assert!(set.try_reserve(path));
    }

    #[test]
    fn a_part_locked_elsewhere_is_left_alone() {
        let d = tempfile::tempdir().unwrap();
        let (part, sidecar) = (part_path(d.path(), "f.bin"), sidecar_path(d.path(), "f.bin"));
        let (plan, first) = open_part(&part, &sidecar, "id1", Some(10), 1, 1).unwrap();
        std::os::unix::fs::FileExt::write_all_at(&first, b"hello", 0).unwrap();
        let saved = std::fs::read(&sidecar).unwrap();
        let e = open_part(&part, &sidecar, "id1", Some(10), 1, 1).unwrap_err();
        let e = e.to_string();
        assert!(e.contains("another k2s is downloading f.bin into"), "{e}");
        assert_eq!(
            &std::fs::read(&part).unwrap()[..5],
            b"hello",
            "the first one's data is kept"
        );
        assert_eq!(std::fs::read(&sidecar).unwrap(), saved);
        drop(first);
        let (again, _f) = open_part(&part, &sidecar, "id1", Some(10), 1, 1).unwrap();
        assert_eq!(again, plan, "resumed once the first one let go");
    }

    #[test]
    fn no_room_no_debris() {
        let d = tempfile::tempdir().unwrap();
        let (part, sidecar) = (part_path(d.path(), "big"), sidecar_path(d.path(), "big"));
        let e = open_part(&part, &sidecar, "id1", Some(u64::MAX / 4), 1, 1).unwrap_err();
        assert!(matches!(e, TransferError::NoRoom { .. }), "{e}");
        let e = e.to_string();
        assert!(e.contains("needs") && e.contains("free on"), "{e}");
        let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
