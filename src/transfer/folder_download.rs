//! Downloading a folder: list the remote folder, make (or reuse) the local folder
//! `<dir>/<sanitized name>`, then queue the content right after it: files as downloads into
//! that folder, sub-folders as folder downloads. The mirror of `folder.rs`.
//!
//! Idempotent across restarts like the upload side: the content is queued in the same engine
//! step that marks this transfer done (`JobEnd::Expand`), so a restored folder download is
//! either done (its content is in the queue) or not yet expanded (it runs again, and the local
//! folder it made is reused).

use super::error::{IoAction, TransferError};
use super::job::{Child, JobCtx, JobEnd, look_up, with_retries};
use super::model::{DownloadFolderSpec, DownloadSpec, Outcome, Spec, State, valid_md5};
use super::names;
use super::remote_list::list_all;
use crate::api::{FileItem, ListType};
use std::path::{Path, PathBuf};

pub(crate) async fn run(ctx: &JobCtx, mut spec: DownloadFolderSpec) -> Result<JobEnd, TransferError> {
    ctx.state(State::Checking);
    let id = spec.folder_id.clone();
    if spec.name.is_none() {
        let f = look_up(ctx, &id, "folder").await?;
        if !f.is_folder() {
            return Err(TransferError::NotFound {
                what: "folder".into(),
                id,
            });
        }
        // getFilesInfo shows the parent to the owner only.
        spec.foreign = f.parent_id.is_none();
        spec.name = Some(f.name.unwrap_or_default());
        ctx.spec(Spec::DownloadFolder(spec.clone()));
    }
    expand(ctx, spec).await
}

/// The download job found that its id is a folder: it becomes a folder download (recorded in
/// the queue as one) named `name`; `foreign` when it is another account's public folder.
pub(crate) async fn from_download(
    ctx: &JobCtx,
    d: &DownloadSpec,
    name: Option<String>,
    foreign: bool,
) -> Result<JobEnd, TransferError> {
    let spec = DownloadFolderSpec {
        folder_id: d.file_id.clone(),
        dir: d.dir.clone(),
        connections: d.connections,
        name: Some(name.unwrap_or_default()),
        foreign,
        skip_existing: d.skip_existing,
    };
    ctx.spec(Spec::DownloadFolder(spec.clone()));
    expand(ctx, spec).await
}

async fn expand(ctx: &JobCtx, spec: DownloadFolderSpec) -> Result<JobEnd, TransferError> {
    let id = spec.folder_id.clone();
    let listed = if spec.foreign {
        with_retries(ctx, || ctx.client.list_public_folder(&id)).await
    } else {
        with_retries(ctx, || list_all(&ctx.client, &id, ListType::Any)).await
    };
    let mut items = listed.map_err(|e| {
        if spec.foreign && e.is_not_available() {
            TransferError::refused(format!("{id} is another account's folder and is not public"))
        } else {
            TransferError::api_while("cannot list the folder", &e)
        }
    })?;
    items.retain(|f| !f.id.is_empty() && f.id != id);
    items.sort_by(|a, b| a.name().cmp(b.name()));

    let base = names::sanitize_file_name(spec.name.as_deref().unwrap_or(""), &id);
    let dir = spec.dir.clone();
    let (path, created) = tokio::task::spawn_blocking(move || local_folder(&dir, &base))
        .await
        .map_err(|e| TransferError::other(e.to_string()))?
        .map_err(|e| TransferError::io(IoAction::MakeFolder, &spec.dir, &e))?;
    tracing::debug!("folder download {id}: into {}", path.display());

    let children: Vec<Child> = items
        .into_iter()
        .map(|f| Child {
            spec: child_spec(&spec, &path, f),
            state: State::Queued,
            outcome: None,
        })
        .collect();
    let outcome = Outcome::FolderDownload {
        folder_id: id,
        path,
        created,
        items: children.len(),
    };
    Ok(JobEnd::Expand { outcome, children })
}

fn child_spec(parent: &DownloadFolderSpec, path: &Path, f: FileItem) -> Spec {
    if f.is_folder() {
        Spec::DownloadFolder(DownloadFolderSpec {
            folder_id: f.id,
            dir: path.to_path_buf(),
            connections: parent.connections,
            name: Some(f.name.unwrap_or_default()),
            foreign: parent.foreign,
            skip_existing: parent.skip_existing,
        })
    } else {
        Spec::Download(DownloadSpec {
            size: f.size(),
            // The local name is chosen (sanitized, unique) when that download starts.
            name: None,
            md5: valid_md5(f.md5),
            remote_name: f.name,
            file_id: f.id,
            dir: path.to_path_buf(),
            connections: parent.connections,
            skip_existing: parent.skip_existing,
        })
    }
}

/// `dir/base`: an existing real folder of that name is reused; when a file or a symbolic link
/// holds the name, `dir/base (1)`, ... is used instead (a link could lead out of `dir`).
/// Returns the folder and whether it was made now.
fn local_folder(dir: &Path, base: &str) -> std::io::Result<(PathBuf, bool)> {
    std::fs::create_dir_all(dir)?;
    for n in 0..10_000 {
        let name = names::numbered(base, n);
        if !names::is_single_component(&name) {
            return Err(std::io::Error::other(format!("unsafe folder name {name:?}")));
        }
        let path = dir.join(&name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => return Ok((path, false)),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(&path) {
                Ok(()) => return Ok((path, true)),
                // Made by someone else meanwhile: look again.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                        return Ok((path, false));
                    }
                }
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free folder name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_folder_is_reused_and_never_a_link_or_a_file() {
        let d = tempfile::tempdir().unwrap();
        let (p, made) = local_folder(d.path(), "album").unwrap();
        assert!(made && p == d.path().join("album") && p.is_dir());
        let (p2, made) = local_folder(d.path(), "album").unwrap();
        assert!(!made && p2 == p, "reused");
        std::fs::write(d.path().join("notes"), b"x").unwrap();
        let (p, made) = local_folder(d.path(), "notes").unwrap();
        assert!(made && p == d.path().join("notes (1)"), "{p:?}");
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), d.path().join("link")).unwrap();
            let (p, _) = local_folder(d.path(), "link").unwrap();
            assert_eq!(p, d.path().join("link (1)"));
            assert!(!std::fs::symlink_metadata(&p).unwrap().file_type().is_symlink());
        }
    }
}
