//! Uploading a folder: find or create the remote folder of the same name, then queue the
//! content (files as uploads, sub-folders as folder uploads) right after it.

use super::error::{IoAction, TransferError};
use super::job::{Child, JobCtx, JobEnd, with_retries};
use super::model::{FolderSpec, LocalSkip, Outcome, Spec, State, UploadSpec};
use super::remote_list::{find_folder_in, list_all, matching};
use crate::api::{ApiError, CreateFolder, ListType, share_link};
use std::path::{Path, PathBuf};

struct Entry {
    name: String,
    path: PathBuf,
    is_dir: bool,
    size: u64,
}

pub(crate) async fn run(ctx: &JobCtx, spec: FolderSpec) -> Result<JobEnd, TransferError> {
    ctx.state(State::Checking);
    let shown = spec.path.display().to_string();
    let name = folder_name(&spec.path)
        .ok_or_else(|| TransferError::other(format!("{shown}: cannot tell the folder's name")))?;
    let dir = spec.path.clone();
    let (entries, skipped) = tokio::task::spawn_blocking(move || read_entries(&dir))
        .await
        .map_err(|e| TransferError::other(e.to_string()))?
        .map_err(|e| TransferError::io(IoAction::Read, &spec.path, &e))?;

    let (folder_id, created) = with_retries(ctx, || ensure_folder(ctx, &spec.parent, &name))
        .await
        .map_err(|e| TransferError::api_while(&format!("cannot create the folder {name}"), &e))?;

    let existing = if spec.skip_existing && !created {
        with_retries(ctx, || list_all(&ctx.client, &folder_id, ListType::File))
            .await
            .map_err(|e| TransferError::api(&e))?
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
                        path: None,
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
    // The files queued here will share the request budget: lookups by hash are weighed.
    let queued = children
        .iter()
        .filter(|c| matches!(c.spec, Spec::Upload(_)) && c.state == State::Queued)
        .count();
    ctx.client.uploads_queued(queued);
    let outcome = Outcome::Folder {
        folder_id,
        created,
        items: children.len(),
        skipped,
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

/// Regular files and directories, sorted by name, and the entries left out with the reason.
/// Symbolic links to files are followed; links to directories are not (no loops).
fn read_entries(dir: &Path) -> std::io::Result<(Vec<Entry>, Vec<LocalSkip>)> {
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let link = entry.file_type()?.is_symlink();
        let name = entry.file_name().to_string_lossy().into_owned();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                let reason = if link && e.kind() == std::io::ErrorKind::NotFound {
                    "a dangling link".to_string()
                } else {
                    format!("cannot read it: {e}")
                };
                skipped.push(LocalSkip { path, reason });
                continue;
            }
        };
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
        } else {
            let what = kind(&meta.file_type());
            let reason = if link {
                format!("a link to {what}")
            } else {
                what.to_string()
            };
            skipped.push(LocalSkip { path, reason });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, skipped))
}

/// What a non-regular entry is, for the skipped line.
fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn odd_entries_are_listed_with_a_reason() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::write(p.join("a.txt"), b"a").unwrap();
        std::fs::create_dir(p.join("sub")).unwrap();
        std::os::unix::fs::symlink(p.join("sub"), p.join("to-sub")).unwrap();
        std::os::unix::fs::symlink(p.join("a.txt"), p.join("to-a")).unwrap();
        std::os::unix::fs::symlink(p.join("nowhere"), p.join("dangling")).unwrap();
        let fifo = std::ffi::CString::new(p.join("fifo").to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let _sock = std::os::unix::net::UnixListener::bind(p.join("sock")).unwrap();
        let (entries, skipped) = read_entries(p).unwrap();
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "sub", "to-a"]);
        let got: Vec<_> = skipped
            .iter()
            .map(|s| (s.path.file_name().unwrap().to_str().unwrap(), s.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("dangling", "a dangling link"),
                ("fifo", "a FIFO"),
                ("sock", "a socket"),
                ("to-sub", "a link to a folder"),
            ]
        );
    }
}
