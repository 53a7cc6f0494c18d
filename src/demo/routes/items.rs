//! How files and folders render in getFilesList, getFilesInfo and getFileStatus, and who may see
//! them.

use super::{fmt_date, fmt_iso};
use crate::demo::accounts::Acct;
use crate::demo::shapes::{Shape, parent_out};
use crate::demo::state::{Access, Node, State};
use serde_json::{Value, json};

fn abuses(n: &Node) -> Value {
    if n.blocked {
        json!([{"type": "hash", "projects": ["k2s"], "blocked_to": "2030-01-01 00:00:01"}])
    } else {
        json!([])
    }
}

fn video(shape: &Shape, n: &Node) -> Value {
    match &n.video {
        Some(v) => json!({
            "duration": v.duration, "width": v.width, "height": v.height,
            "format": v.format, "is_streamable": shape.boolean(v.streamable),
        }),
        None => Value::Null,
    }
}

fn free_ok(n: &Node) -> bool {
    !n.is_folder && n.available() && n.access == Access::Public
}

fn content_type(n: &Node) -> Value {
    if n.is_folder {
        Value::Null
    } else {
        json!(n.content_type)
    }
}

/// getFilesList's item.
pub(crate) fn list_item(shape: &Shape, n: &Node, extended: bool) -> Value {
    let mut v = json!({
        "id": n.id, "name": n.name, "is_available": shape.boolean(n.available()),
        "is_folder": shape.boolean(n.is_folder), "date_created": shape.list_date(&n.created),
        "size": shape.num(n.size()), "md5": n.md5(),
    });
    if extended {
        let mut e = json!({
            "abuses": abuses(n), "storage_object": n.storage.as_str(), "size": shape.num(n.size()),
            "date_download_last": n.last_download.as_ref().map(fmt_date),
            "downloads": shape.num(n.downloads), "access": n.access.as_str(),
            "content_type": content_type(n),
        });
        if n.video.is_some() {
            e["video_info"] = video(shape, n);
        }
        v["extended_info"] = e;
    }
    v
}

/// Whether `viewer` may see `n` at all (owner, a non-private file, or a public folder).
pub(crate) fn visible(n: &Node, viewer: Option<Acct>) -> bool {
    if viewer == Some(n.owner) {
        return true;
    }
    if n.is_folder {
        n.is_public
    } else {
        n.access != Access::Private
    }
}

fn null_item(id: &str, available: Value) -> Value {
    json!({"id": id, "name": null, "access": null, "is_available": available, "is_folder": null,
        "md5": null, "size": null})
}

/// getFilesInfo's item for `id`.
pub(crate) fn info_item(st: &State, shape: &Shape, id: &str, viewer: Option<Acct>, extended: bool) -> Value {
    let Some(n) = st.nodes.get(id).filter(|n| visible(n, viewer)) else {
        // Deleted from storage: the reference's red-abuse shape, as for a blocked file.
        if crate::demo::seed_links::was_deleted(st, id) {
            return null_item(id, shape.boolean(false));
        }
        return null_item(id, Value::Null);
    };
    let owner = viewer == Some(n.owner);
    if n.blocked && !owner {
        return null_item(id, shape.boolean(false));
    }
    let mut v = json!({
        "id": n.id, "name": n.name, "access": n.access.as_str(),
        "is_available": shape.boolean(n.available()), "is_folder": shape.boolean(n.is_folder),
        "size": shape.num(n.size()),
    });
    if owner {
        v["md5"] = json!(n.md5());
    }
    if extended {
        v["created_at"] = json!(fmt_iso(&n.created));
        v["isAvailableForFree"] = shape.boolean(free_ok(n));
        if owner {
            v["parent_id"] = json!(parent_out(n.owner, &n.parent));
        }
        let mut e = json!({
            "access": n.access.as_str(), "content_type": content_type(n),
            "size": shape.num(n.size()), "storage_object": n.storage.as_str(),
            "date_download_last": n.last_download.as_ref().map(fmt_date),
            "created_at": fmt_iso(&n.created),
        });
        if owner {
            e["abuses"] = abuses(n);
        }
        if n.video.is_some() {
            e["video_info"] = video(shape, n);
        }
        v["extended_info"] = e;
    }
    v
}

/// getFileStatus's fields for a file (or, `with_id`, one item of a folder).
pub(crate) fn status_fields(shape: &Shape, n: &Node, viewer: Option<Acct>, with_id: bool) -> Value {
    let mut v = json!({
        "access": n.access.as_str(), "isAvailableForFree": shape.boolean(free_ok(n)),
        "name": n.name, "is_available": shape.boolean(n.available()),
        "is_folder": shape.boolean(n.is_folder), "size": shape.num(n.size()),
    });
    if with_id {
        v["id"] = json!(n.id);
    }
    if viewer == Some(n.owner) {
        v["date_created"] = json!(fmt_date(&n.created));
    }
    if n.video.is_some() {
        v["video_info"] = video(shape, n);
    }
    v
}
