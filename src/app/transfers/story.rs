//! The whole story of one transfer, as (label, text) rows for its details overlay: what it
//! is, where it goes, how it stands, the full error, and what it made.

use super::rows::failure_hint;
use crate::app::keymap::Action;
use crate::app::layer::Layer;
use crate::app::plural::count;
use crate::app::state::State;
use crate::text::{human_bytes, sanitize};
use crate::transfer::{Outcome, Spec, State as TState, TransferView};

pub fn story(state: &State, v: &TransferView) -> Vec<(&'static str, String)> {
    let mut rows: Vec<(&'static str, String)> =
        vec![("name", v.name.clone()), ("state", v.state.label().to_string())];
    let folder = |id: &str| state.tree.tree.path_of(id).unwrap_or_else(|| id.to_string());
    match &v.spec {
        Spec::Upload(u) => {
            rows.push(("from", u.path.display().to_string()));
            rows.push(("to", folder(&u.parent)));
        }
        Spec::UploadFolder(u) => {
            rows.push(("from", u.path.display().to_string()));
            rows.push(("to", folder(&u.parent)));
        }
        Spec::Download(d) => {
            rows.push(("file id", d.file_id.clone()));
            let dest = d.name.as_ref().map_or_else(|| d.dir.clone(), |n| d.dir.join(n));
            rows.push(("to", dest.display().to_string()));
        }
        Spec::DownloadFolder(d) => {
            rows.push(("folder id", d.folder_id.clone()));
            rows.push(("to", d.dir.display().to_string()));
        }
        Spec::Remote(r) => {
            rows.push(("url", crate::api::redact::redact_url(&r.url)));
            if let Some(id) = &r.remote_id {
                rows.push(("remote id", id.clone()));
            }
        }
    }
    match (v.size(), v.state.is_finished()) {
        (Some(t), false) if v.total == Some(t) => rows.push((
            "progress",
            format!("{} of {}", human_bytes(v.done), human_bytes(t)),
        )),
        (Some(t), _) => rows.push(("size", human_bytes(t))),
        (None, _) => {}
    }
    if let TState::Failed(e) = &v.state {
        rows.push(("error", e.to_string()));
        let retry = state.keymap.key_in(Layer::Transfers, Action::RetryTransfer);
        if let Some(h) = failure_hint(e, &retry) {
            rows.push(("what to do", h));
        }
    }
    if v.attempts > 1 {
        rows.push(("attempts", v.attempts.to_string()));
    }
    if let Some(d) = &v.detail {
        rows.push(("now", d.clone()));
    }
    outcome(v, &mut rows);
    rows.into_iter().map(|(k, s)| (k, sanitize(&s))).collect()
}

fn outcome(v: &TransferView, rows: &mut Vec<(&'static str, String)>) {
    match &v.outcome {
        Some(Outcome::Uploaded {
            link, deduplicated, ..
        }) => {
            rows.push(("link", link.clone()));
            if *deduplicated {
                rows.push((
                    "note",
                    "created by hash: the service had the content, no bytes sent".into(),
                ));
            }
        }
        Some(Outcome::Skipped { path: Some(p), .. }) => {
            rows.push(("already there", p.display().to_string()));
        }
        Some(Outcome::Skipped { link, .. }) => rows.push(("link", format!("{link} (already there)"))),
        Some(Outcome::Downloaded {
            path, md5_verified, ..
        }) => {
            rows.push(("saved as", path.display().to_string()));
            rows.push((
                "md5",
                if *md5_verified { "verified" } else { "not checked" }.into(),
            ));
        }
        Some(Outcome::Folder { items, skipped, .. }) => {
            rows.push(("queued", count(*items, "item")));
            for k in skipped {
                rows.push(("left out", format!("{} ({})", k.path.display(), k.reason)));
            }
        }
        Some(Outcome::FolderDownload { path, items, .. }) => {
            rows.push(("into", path.display().to_string()));
            rows.push(("queued", count(*items, "item")));
        }
        Some(Outcome::RemoteAccepted { remote_id }) => rows.push(("remote id", remote_id.clone())),
        Some(Outcome::RemoteDone { link: Some(l), .. }) => rows.push(("link", l.clone())),
        Some(Outcome::RemoteDone { link: None, .. }) | None => {}
    }
}
