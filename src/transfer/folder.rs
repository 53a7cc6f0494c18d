//! Uploading a folder: find or create the remote folder of the same name, then queue the
//! content (files as uploads, sub-folders as folder uploads) right after it.

use super::job::{Child, JobCtx, JobEnd, describe, with_retries};
use super::model::{FolderSpec, Outcome, Spec, State, UploadSpec};
use super::remote_list::{find_folder_in, list_all, matching};
use crate::api::{ApiError, CreateFolder, ListType, share_link};
use std::path::{Path, PathBuf};

struct Entry {
    name: String,
    path: PathBuf,
    is_dir: bool,
    size: u64,
}

pub(crate) async fn run(ctx: &JobCtx, spec: FolderSpec) -> Result<JobEnd, String> {
    ctx.state(State::Checking);
    let shown = spec.path.display().to_string();
    let name = folder_name(&spec.path).ok_or_else(|| format!("{shown}: cannot tell the folder's name"))?;
    let dir = spec.path.clone();
    let entries = tokio::task::spawn_blocking(move || read_entries(&dir))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot read {shown}: {e}"))?;

    let (folder_id, created) = with_retries(ctx, || ensure_folder(ctx, &spec.parent, &name))
        .await
        .map_err(|e| format!("cannot create the folder {name}: {}", describe(&e)))?;

    let existing = if spec.skip_existing && !created {
        with_retries(ctx, || list_all(&ctx.client, &folder_id, ListType::File))
            .await
            .map_err(|e| describe(&e))?
    } else {
        Vec::new()
    };

    let mut children = Vec::with_capacity(entries.len());
    for e in entries {
        let child = if e.is_dir {
            let spec = FolderSpec {
                path: e.path,
                parent: folder_id.clone(),
                ..spec.clone()
            };
            Child {
                spec: Spec::UploadFolder(spec),
                state: State::Queued,
                outcome: None,
            }
        } else {
            let upload = UploadSpec {
                path: e.path,
                parent: folder_id.clone(),
                access: spec.access.clone(),
                // Checked here, once for the whole folder.
                skip_existing: false,
                hash: None,
                attempted: false,
            };
            match matching(&existing, &e.name, e.size, None) {
                Some(f) => {
                    let link = share_link(&ctx.opts.link_domain, &f.id, Some(&e.name));
                    let outcome = Outcome::Skipped {
                        file_id: f.id.clone(),
                        link,
                    };
                    Child {
                        spec: Spec::Upload(upload),
                        state: State::Done,
                        outcome: Some(outcome),
                    }
                }
                None => Child {
                    spec: Spec::Upload(upload),
                    state: State::Queued,
                    outcome: None,
                },
            }
        };
        children.push(child);
    }
    let outcome = Outcome::Folder {
        folder_id,
        created,
        items: children.len(),
    };
    Ok(JobEnd::Expand { outcome, children })
}

/// The remote folder `name` in `parent`: the existing one, or a new one. createFolder is never
/// repeated blindly: every try looks first, so a folder made by a lost answer is found.
async fn ensure_folder(ctx: &JobCtx, parent: &str, name: &str) -> Result<(String, bool), ApiError> {
    if let Some(id) = find_folder_in(&ctx.client, parent, name).await? {
        return Ok((id, false));
    }
    let req = CreateFolder {
        name: name.to_string(),
        parent: parent.to_string(),
        access: None,
        is_public: None,
    };
    let created = ctx.client.create_folder(&req).await?;
    if created.id.is_empty() {
        return Err(ApiError::local("createFolder answered without an id"));
    }
    Ok((created.id, true))
}

fn folder_name(path: &Path) -> Option<String> {
    let name = match path.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        // "." or "..": the real directory's name.
        None => std::fs::canonicalize(path)
            .ok()?
            .file_name()?
            .to_string_lossy()
            .into_owned(),
    };
    (!name.is_empty()).then_some(name)
}

/// Regular files and directories, sorted by name. Symbolic links to files are followed;
/// links to directories are not (no loops).
fn read_entries(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let link = entry.file_type()?.is_symlink();
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if meta.is_dir() && !link {
            out.push(Entry {
                name,
                path,
                is_dir: true,
                size: 0,
            });
        } else if meta.is_file() {
            out.push(Entry {
                name,
                path,
                is_dir: false,
                size: meta.len(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
