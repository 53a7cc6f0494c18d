//! getFilesList's pages without sorting the whole folder for each: a folder's sorted order is
//! kept and used again while the folder is unchanged. "Unchanged" is checked, not trusted: the
//! order is stored under a digest of everything it depends on (the request's sort and filters,
//! and each listed child's id, name, date, size, kind and availability), so any write to the
//! folder or to one of its children makes the digest differ and the folder is sorted again.
//! The rows of a page are written straight to JSON text.

use super::items::list_item;
use crate::demo::shapes::Shape;
use crate::demo::state::{Node, State};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// How many folders' orders are kept (the most recent ones).
const KEPT: usize = 8;

/// The orders kept: (digest, ids in order).
static ORDERS: Mutex<Vec<(u64, Arc<Vec<String>>)>> = Mutex::new(Vec::new());

#[derive(Clone, Copy, Hash)]
pub(super) enum SortKey {
    Name,
    Date,
    Size,
}

/// What a listing asks: the folder's children of these kinds, in this order.
#[derive(Hash)]
pub(super) struct Ask<'a> {
    pub acct: crate::demo::accounts::Acct,
    pub parent: &'a str,
    pub key: SortKey,
    pub asc: bool,
    pub files: bool,
    pub folders: bool,
    pub only_available: bool,
    /// The fault that answers in id order.
    pub unsorted: bool,
}

fn compare(ask: &Ask, a: &Node, b: &Node) -> Ordering {
    if ask.unsorted {
        return a.id.cmp(&b.id);
    }
    let o = match ask.key {
        SortKey::Name => a.name.cmp(&b.name),
        SortKey::Date => a.created.cmp(&b.created),
        SortKey::Size => a.size().cmp(&b.size()),
    };
    let o = if ask.asc { o } else { o.reverse() };
    if o == Ordering::Equal { a.id.cmp(&b.id) } else { o }
}

/// The listed children (unsorted) and the digest of the answer's order.
fn listed<'s>(st: &'s State, ask: &Ask) -> (Vec<&'s Node>, u64) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ask.hash(&mut h);
    let items: Vec<&Node> = st
        .children
        .get(&(ask.acct, ask.parent.to_string()))
        .into_iter()
        .flatten()
        .filter_map(|id| st.nodes.get(id))
        .filter(|n| if n.is_folder { ask.folders } else { ask.files })
        .filter(|n| !ask.only_available || n.available())
        .collect();
    for n in &items {
        (&n.id, &n.name, n.created, n.size(), n.is_folder, n.available()).hash(&mut h);
    }
    (items, h.finish())
}

/// The ids of the listed children in the asked order (kept for the next page).
pub(super) fn sorted(st: &State, ask: &Ask) -> Arc<Vec<String>> {
    let (mut items, digest) = listed(st, ask);
    let mut kept = ORDERS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(i) = kept.iter().position(|(d, _)| *d == digest) {
        let hit = kept.remove(i);
        let ids = hit.1.clone();
        kept.push(hit);
        return ids;
    }
    drop(kept);
    items.sort_by(|a, b| compare(ask, a, b));
    let ids = Arc::new(items.into_iter().map(|n| n.id.clone()).collect::<Vec<_>>());
    let mut kept = ORDERS.lock().unwrap_or_else(|p| p.into_inner());
    if kept.len() >= KEPT {
        kept.remove(0);
    }
    kept.push((digest, ids.clone()));
    ids
}

/// getFilesList's item without extended info, as `list_item` renders it.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    is_available: Value,
    is_folder: Value,
    date_created: Value,
    size: Value,
    md5: Option<&'a str>,
}

/// The JSON text of the list of `nodes` (getFilesList's `files`).
pub(super) fn render<'n>(shape: &Shape, nodes: impl Iterator<Item = &'n Node>, extended: bool) -> String {
    let mut out = Vec::with_capacity(4096);
    out.push(b'[');
    for (i, n) in nodes.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let written = if extended {
            serde_json::to_writer(&mut out, &list_item(shape, n, true))
        } else {
            serde_json::to_writer(
                &mut out,
                &Row {
                    id: &n.id,
                    name: &n.name,
                    is_available: shape.boolean(n.available()),
                    is_folder: shape.boolean(n.is_folder),
                    date_created: shape.list_date(&n.created),
                    size: shape.num(n.size()),
                    md5: n.md5(),
                },
            )
        };
        if written.is_err() {
            // Writing to memory does not fail; never leave half an item.
            return "[]".into();
        }
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::accounts::Acct;
    use crate::demo::state::{Access, ROOT};

    fn folder(st: &mut State, id: &str, name: &str) {
        let when = chrono::DateTime::UNIX_EPOCH;
        st.insert(Node::folder(
            id.into(),
            Acct::Premium,
            name.into(),
            ROOT.into(),
            Access::Public,
            false,
            when,
        ));
    }

    fn ask(parent: &str) -> Ask<'_> {
        Ask {
            acct: Acct::Premium,
            parent,
            key: SortKey::Name,
            asc: true,
            files: true,
            folders: true,
            only_available: false,
            unsorted: false,
        }
    }

    #[test]
    fn the_order_is_kept_while_the_folder_is_unchanged_and_redone_after_any_change() {
        let mut st = State::default();
        folder(&mut st, "cachetest0001", "b-order-test");
        folder(&mut st, "cachetest0002", "a-order-test");
        let first = sorted(&st, &ask(ROOT));
        assert_eq!(*first, vec!["cachetest0002", "cachetest0001"]);
        let again = sorted(&st, &ask(ROOT));
        assert!(Arc::ptr_eq(&first, &again), "the second page reuses the order");
        // A rename changes the order.
        if let Some(n) = st.nodes.get_mut("cachetest0002") {
            n.name = "c-order-test".into();
        }
        assert_eq!(*sorted(&st, &ask(ROOT)), vec!["cachetest0001", "cachetest0002"]);
        // A new child is listed.
        folder(&mut st, "cachetest0003", "0-order-test");
        assert_eq!(
            *sorted(&st, &ask(ROOT)),
            vec!["cachetest0003", "cachetest0001", "cachetest0002"]
        );
        // Another order of the same folder is its own.
        let mut desc = ask(ROOT);
        desc.asc = false;
        assert_eq!(
            *sorted(&st, &desc),
            vec!["cachetest0002", "cachetest0001", "cachetest0003"]
        );
    }
}
