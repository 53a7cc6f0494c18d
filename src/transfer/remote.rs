//! Remote upload: remoteUploadAdd for one URL, then remoteUploadStatus with a growing pause
//! until the service has the file. `done`/`total` are percent (total 100).

use super::error::TransferError;
use super::job::{JobCtx, JobEnd, with_retries};
use super::model::{Outcome, RemoteSpec, Spec, State};
use crate::api::{RemoteState, share_link};
use std::time::Duration;

const FIRST_POLL: Duration = Duration::from_millis(500);
const MAX_POLL: Duration = Duration::from_secs(30);

pub(crate) async fn run(ctx: &JobCtx, mut spec: RemoteSpec) -> Result<JobEnd, TransferError> {
    ctx.state(State::Checking);
    let remote_id = match spec.remote_id.clone() {
        Some(id) => id,
        None => {
            let id = add(ctx, &spec.url).await?;
            spec.remote_id = Some(id.clone());
            ctx.spec_saved(Spec::Remote(spec.clone())).await;
            id
        }
    };
    if !spec.wait {
        return Ok(JobEnd::Done(Outcome::RemoteAccepted { remote_id }));
    }
    follow(ctx, remote_id).await
}

/// remoteUploadAdd for `url`: the remote-upload id, or the service's refusal.
async fn add(ctx: &JobCtx, url: &str) -> Result<String, TransferError> {
    let urls = [url.to_string()];
    let added = with_retries(ctx, || ctx.client.remote_upload_add(&urls))
        .await
        .map_err(|e| TransferError::api(&e))?;
    if let Some(r) = added
        .rejected
        .iter()
        .find(|r| r.url == url)
        .or(added.rejected.first())
    {
        let why = r.message.clone().unwrap_or_else(|| "no reason given".into());
        return Err(TransferError::refused(format!("rejected by the service: {why}")));
    }
    let accepted = added
        .accepted
        .iter()
        .find(|a| a.url == url)
        .or(added.accepted.first());
    match accepted {
        Some(a) if !a.id.is_empty() => Ok(a.id.clone()),
        _ => Err(TransferError::refused(
            "the service neither accepted nor rejected the URL",
        )),
    }
}

/// remoteUploadStatus with a growing pause until the service has the file (its link and
/// size then) or says why not.
async fn follow(ctx: &JobCtx, remote_id: String) -> Result<JobEnd, TransferError> {
    ctx.state(State::Running);
    ctx.progress.set_total(Some(100));
    let ids = [remote_id.clone()];
    let mut pause = FIRST_POLL;
    loop {
        let list = with_retries(ctx, || ctx.client.remote_upload_status(&ids))
            .await
            .map_err(|e| TransferError::api(&e))?;
        let status = list
            .iter()
            .find(|u| u.id.as_deref() == Some(&remote_id))
            .or(list.first());
        if let Some(u) = status {
            if let Some(p) = u.progress {
                ctx.progress.set_done(p.clamp(0.0, 100.0) as u64);
            }
            match u.state {
                RemoteState::Completed => {
                    ctx.progress.set_done(100);
                    let (link, size) = match &u.file_id {
                        Some(id) => {
                            let (link, size) = link_for(ctx, id).await;
                            (Some(link), size)
                        }
                        None => (None, None),
                    };
                    return Ok(JobEnd::Done(Outcome::RemoteDone {
                        remote_id,
                        file_id: u.file_id.clone(),
                        link,
                        size,
                    }));
                }
                RemoteState::Error => {
                    let why = u
                        .message
                        .clone()
                        .unwrap_or_else(|| "the service could not fetch the URL".into());
                    return Err(TransferError::refused(why));
                }
                _ => {}
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause.mul_f64(1.5)).min(MAX_POLL);
    }
}

/// The share link (with the file's name when the service tells it) and the file's size.
async fn link_for(ctx: &JobCtx, id: &str) -> (String, Option<u64>) {
    let info = ctx
        .client
        .get_files_info(&[id.to_string()], false)
        .await
        .ok()
        .and_then(|v| v.into_iter().find(|f| f.id == id));
    let size = info.as_ref().and_then(|f| f.size());
    let name = info.and_then(|f| f.name);
    (share_link(&ctx.opts.link_domain, id, name.as_deref()), size)
}
