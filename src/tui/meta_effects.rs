//! Running the metadata side's effects: each is a tokio task whose result comes back as one
//! `Msg::Meta`. Bulk runs go file by file and report every file.

use crate::api::{ApiError, Client, FileMeta, MetaPatch, MetaQuery};
use crate::app::meta::{BulkItem, BulkKind, FoundPage, FoundRow, ItemOutcome, TagChange, tag_change};
use crate::app::{MetaEffect, MetaMsg, Msg, Ticket};
use crate::text::sanitize;
use std::collections::HashMap;
use tokio::sync::mpsc::UnboundedSender;

/// Ids per getFilesMeta request when reading the records of a selection.
const READ_CHUNK: usize = 500;

/// `effects::spawn` for metadata messages: a panicked task answers with `failed`.
fn spawn<F, E>(tx: UnboundedSender<Msg>, fut: F, failed: E)
where
    F: std::future::Future<Output = MetaMsg> + Send + 'static,
    E: FnOnce(ApiError) -> MetaMsg + Send + 'static,
{
    super::effects::spawn(tx, async move { Msg::Meta(fut.await) }, move |e| {
        Msg::Meta(failed(e))
    });
}

/// Every id failed with `e` (a bulk task that panicked).
fn all_failed(ids: Vec<String>, e: &ApiError) -> Vec<BulkItem> {
    ids.into_iter()
        .map(|id| BulkItem {
            id,
            outcome: ItemOutcome::Failed(e.to_string()),
        })
        .collect()
}

pub fn run(c: Client, tx: UnboundedSender<Msg>, effect: MetaEffect) {
    match effect {
        MetaEffect::Settle { generation, after } => spawn(
            tx,
            async move {
                tokio::time::sleep(after).await;
                MetaMsg::Settled(generation)
            },
            move |_| MetaMsg::Settled(generation),
        ),
        MetaEffect::Load { ticket, ids } => load(c, tx, ticket, ids),
        MetaEffect::Save {
            ticket,
            file_id,
            create,
            patch,
            sent,
        } => save(c, tx, ticket, file_id, create, patch, sent),
        MetaEffect::Scan { page, size } => spawn(
            tx,
            async move {
                let q = MetaQuery {
                    page: Some(page),
                    size: Some(size),
                    ..MetaQuery::default()
                };
                MetaMsg::Scanned {
                    page,
                    result: c.get_files_meta(&q).await,
                }
            },
            move |e| MetaMsg::Scanned { page, result: Err(e) },
        ),
        MetaEffect::Copy {
            ticket,
            from,
            to,
            record,
        } => copy(c, tx, ticket, from, to, record),
        MetaEffect::Tag {
            ticket,
            ids,
            tag,
            add,
        } => tag_each_file(c, tx, ticket, ids, tag, add),
        MetaEffect::Delete { ticket, ids } => delete(c, tx, ticket, ids),
        MetaEffect::Find { ticket, query } => find_page(c, tx, ticket, query),
    }
}

fn load(c: Client, tx: UnboundedSender<Msg>, ticket: Ticket, ids: Vec<String>) {
    let again = ids.clone();
    spawn(
        tx,
        async move {
            let result = read(&c, &ids).await.map(|m| m.into_values().collect());
            MetaMsg::Loaded { ticket, ids, result }
        },
        move |e| MetaMsg::Loaded {
            ticket,
            ids: again,
            result: Err(e),
        },
    )
}

fn save(
    c: Client,
    tx: UnboundedSender<Msg>,
    ticket: Ticket,
    file_id: String,
    create: bool,
    patch: Box<MetaPatch>,
    sent: Box<FileMeta>,
) {
    let (id2, sent2) = (file_id.clone(), sent.clone());
    spawn(
        tx,
        async move {
            // What the server holds afterwards is `sent`, whatever shape the answer has.
            let result = if create {
                c.create_file_meta(&file_id, &patch).await
            } else {
                c.update_file_meta(&file_id, &patch).await
            }
            .map(|_| ());
            MetaMsg::Saved {
                ticket,
                file_id,
                sent,
                result,
            }
        },
        move |e| MetaMsg::Saved {
            ticket,
            file_id: id2,
            sent: sent2,
            result: Err(e),
        },
    )
}

fn copy(
    c: Client,
    tx: UnboundedSender<Msg>,
    ticket: Ticket,
    from: String,
    to: Vec<String>,
    record: Box<FileMeta>,
) {
    let (from2, to2) = (from.clone(), to.clone());
    spawn(
        tx,
        async move {
            let mut items = Vec::new();
            for id in to {
                let outcome = match c.copy_file_meta(&from, &id).await {
                    Ok(_) => ItemOutcome::Done(Some(FileMeta {
                        file_id: id.clone(),
                        ..(*record).clone()
                    })),
                    Err(e) => ItemOutcome::Failed(e.to_string()),
                };
                items.push(BulkItem { id, outcome });
            }
            MetaMsg::Bulk {
                ticket,
                kind: BulkKind::Copy { from },
                items,
            }
        },
        move |e| MetaMsg::Bulk {
            ticket,
            kind: BulkKind::Copy { from: from2 },
            items: all_failed(to2, &e),
        },
    )
}

fn tag_each_file(
    c: Client,
    tx: UnboundedSender<Msg>,
    ticket: Ticket,
    ids: Vec<String>,
    tag: String,
    add: bool,
) {
    let kind = if add {
        BulkKind::AddTag(tag.clone())
    } else {
        BulkKind::RemoveTag(tag.clone())
    };
    let (kind2, ids2) = (kind.clone(), ids.clone());
    spawn(
        tx,
        async move {
            let items = match read(&c, &ids).await {
                Ok(current) => tag_each(&c, &ids, &current, &tag, add).await,
                Err(e) => ids
                    .into_iter()
                    .map(|id| BulkItem {
                        id,
                        outcome: ItemOutcome::Failed(format!("could not read its metadata: {e}")),
                    })
                    .collect(),
            };
            MetaMsg::Bulk { ticket, kind, items }
        },
        move |e| MetaMsg::Bulk {
            ticket,
            kind: kind2,
            items: all_failed(ids2, &e),
        },
    )
}

fn delete(c: Client, tx: UnboundedSender<Msg>, ticket: Ticket, ids: Vec<String>) {
    let ids2 = ids.clone();
    spawn(
        tx,
        async move {
            let mut items = Vec::new();
            for id in ids {
                let outcome = match c.delete_file_meta(&id).await {
                    Ok(()) => ItemOutcome::Done(None),
                    Err(e) if is_not_found(&e) => ItemOutcome::Skipped("had no metadata".into()),
                    Err(e) => ItemOutcome::Failed(e.to_string()),
                };
                items.push(BulkItem { id, outcome });
            }
            MetaMsg::Bulk {
                ticket,
                kind: BulkKind::Delete,
                items,
            }
        },
        move |e| MetaMsg::Bulk {
            ticket,
            kind: BulkKind::Delete,
            items: all_failed(ids2, &e),
        },
    )
}

fn find_page(c: Client, tx: UnboundedSender<Msg>, ticket: Ticket, query: MetaQuery) {
    let page = query.page.unwrap_or(0);
    spawn(
        tx,
        async move {
            MetaMsg::Found {
                ticket,
                page,
                result: find(&c, &query).await,
            }
        },
        move |e| MetaMsg::Found {
            ticket,
            page,
            result: Err(e),
        },
    )
}

fn is_not_found(e: &ApiError) -> bool {
    matches!(e, ApiError::Api { http_status: 404, .. }) && e.code() == Some(60)
}

/// The records of these files (files without one are absent).
async fn read(c: &Client, ids: &[String]) -> Result<HashMap<String, FileMeta>, ApiError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(READ_CHUNK) {
        let q = MetaQuery {
            file_ids: Some(chunk.to_vec()),
            page: Some(0),
            size: Some(chunk.len() as u32),
            ..MetaQuery::default()
        };
        for m in c.get_files_meta(&q).await?.items {
            if chunk.contains(&m.file_id) {
                out.insert(m.file_id.clone(), m);
            }
        }
    }
    Ok(out)
}

async fn tag_each(
    c: &Client,
    ids: &[String],
    current: &HashMap<String, FileMeta>,
    tag: &str,
    add: bool,
) -> Vec<BulkItem> {
    let mut items = Vec::new();
    for id in ids {
        let outcome = match tag_change(id, current.get(id), tag, add) {
            TagChange::Create(patch, rec) => match c.create_file_meta(id, &patch).await {
                Ok(_) => ItemOutcome::Done(Some(rec)),
                Err(e) => ItemOutcome::Failed(e.to_string()),
            },
            TagChange::Update(patch, rec) => match c.update_file_meta(id, &patch).await {
                Ok(_) => ItemOutcome::Done(Some(rec)),
                Err(e) => ItemOutcome::Failed(e.to_string()),
            },
            TagChange::Skip(why) => ItemOutcome::Skipped(why),
            TagChange::Fail(why) => ItemOutcome::Failed(why),
        };
        items.push(BulkItem {
            id: id.clone(),
            outcome,
        });
    }
    items
}

/// A page of matching records, with each file's name and folder from getFilesInfo.
async fn find(c: &Client, query: &MetaQuery) -> Result<FoundPage, ApiError> {
    let page = c.get_files_meta(query).await?;
    let ids: Vec<String> = page.items.iter().map(|m| m.file_id.clone()).collect();
    let infos = if ids.is_empty() {
        Vec::new()
    } else {
        // (parent_id comes with extended_info only.)
        c.get_files_info(&ids, true).await?
    };
    let rows = page
        .items
        .into_iter()
        .map(|meta| {
            let info = infos.iter().find(|i| i.id == meta.file_id);
            FoundRow {
                id: meta.file_id.clone(),
                name: info.map_or_else(|| sanitize(&meta.file_id), |i| sanitize(i.name())),
                parent: info.and_then(|i| i.parent_id.clone()),
                meta,
            }
        })
        .collect();
    Ok(FoundPage {
        rows,
        total: page.total,
    })
}
