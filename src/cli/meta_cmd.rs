//! meta get / set / copy / rm / find.

use super::args::{MetaCommand, MetaFindArgs, MetaSetArgs};
use super::batch::{self, ItemResult};
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::output::outln;
use super::output::{print_json, s};
use super::prompt;
use crate::api::{ApiError, FileMeta, MetaPatch, MetaQuery};
use crate::metadata;
use serde_json::json;
use std::process::ExitCode;

pub async fn run(ctx: &Ctx, m: MetaCommand) -> anyhow::Result<ExitCode> {
    ctx.require_credentials()?;
    match m {
        MetaCommand::Get { id } => get(ctx, &id).await?,
        MetaCommand::Set(a) => set(ctx, &a).await?,
        MetaCommand::Copy { from, to } => return copy(ctx, &from, &to).await,
        MetaCommand::Rm { id, yes } => rm(ctx, &id, yes).await?,
        MetaCommand::Find(a) => find(ctx, &a).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether the account can see a file or folder with this id (getFilesInfo).
async fn exists(ctx: &Ctx, id: &str) -> Result<bool, ApiError> {
    let info = ctx.client.get_files_info(&[id.to_string()], false).await?;
    Ok(info.iter().any(|f| f.id == id && f.exists()))
}

fn unknown(id: &str) -> anyhow::Error {
    Failure::error(Exit::NotFound, format!("{id}: unknown id"))
}

/// The file's metadata, or None when it has none yet.
pub async fn fetch(ctx: &Ctx, id: &str) -> Result<Option<FileMeta>, ApiError> {
    let q = MetaQuery {
        file_ids: Some(vec![id.to_string()]),
        ..MetaQuery::default()
    };
    let page = ctx.client.get_files_meta(&q).await?;
    Ok(page.items.into_iter().find(|m| m.file_id == id))
}

fn print_meta(m: &FileMeta) -> anyhow::Result<()> {
    let row = |k: &str, v: String| outln!("{k:<13}{v}");
    let list = |v: &[String]| v.iter().map(|x| s(x)).collect::<Vec<_>>().join(", ");
    row("file", s(&m.file_id))?;
    row("title", s(&m.title))?;
    row("studio", s(&m.studio))?;
    row("categories", list(&m.categories))?;
    row("actresses", list(&m.actresses))?;
    row("tags", list(&m.tags))?;
    outln!("description:")?;
    for line in m.description.lines() {
        outln!("  {}", s(line))?;
    }
    Ok(())
}

/// A file's metadata; an empty record (exit 0) for a file without, an error (exit 4) for an
/// unknown id.
async fn get(ctx: &Ctx, spec: &str) -> anyhow::Result<()> {
    let id = ctx.resolve_id(spec).await?;
    let m = match fetch(ctx, &id).await? {
        Some(m) => Some(m),
        None if exists(ctx, &id).await? => None,
        None => return Err(unknown(&id)),
    };
    crate::index::note_meta(&ctx.state_dir, m.as_slice());
    if ctx.json() {
        let empty = FileMeta {
            file_id: id.clone(),
            ..FileMeta::default()
        };
        return print_json(m.as_ref().unwrap_or(&empty));
    }
    match m {
        Some(m) => print_meta(&m)?,
        None => outln!("{id} has no metadata")?,
    }
    Ok(())
}

fn listed(values: &[String], clear: bool) -> Option<Vec<String>> {
    if clear {
        Some(Vec::new())
    } else if values.is_empty() {
        None
    } else {
        Some(values.iter().map(|v| v.trim().to_string()).collect())
    }
}

/// The fields the command line sets; list items trimmed, `--clear-*` as an empty list.
fn patch_of(a: &MetaSetArgs) -> MetaPatch {
    MetaPatch {
        title: a.title.clone(),
        description: a.description.clone(),
        studio: a.studio.clone(),
        categories: listed(&a.categories, a.clear_categories),
        actresses: listed(&a.actresses, a.clear_actresses),
        tags: listed(&a.tags, a.clear_tags),
    }
}

async fn set(ctx: &Ctx, a: &MetaSetArgs) -> anyhow::Result<()> {
    let id = ctx.resolve_id(&a.id).await?;
    let old = fetch(ctx, &id).await?;
    let base = old.clone().unwrap_or_else(|| FileMeta {
        file_id: id.clone(),
        ..FileMeta::default()
    });
    let new = metadata::apply(&base, &patch_of(a));
    metadata::validate(&new).map_err(ApiError::local)?;
    let saved = match old {
        None => {
            ctx.client
                .create_file_meta(&id, &metadata::create_body(&new))
                .await?
        }
        Some(old) => {
            let patch = metadata::diff(&old, &new);
            if patch.is_empty() {
                eprintln!("nothing to change");
                old
            } else {
                ctx.client.update_file_meta(&id, &patch).await?
            }
        }
    };
    crate::index::note_meta(&ctx.state_dir, std::slice::from_ref(&saved));
    if ctx.json() {
        return print_json(&saved);
    }
    print_meta(&saved)
}

async fn copy(ctx: &Ctx, from: &str, to: &[String]) -> anyhow::Result<ExitCode> {
    let from = ctx.resolve_id(from).await?;
    // The source first, so that a failure below is the destination's, and is named as such.
    if fetch(ctx, &from).await?.is_none() {
        if !exists(ctx, &from).await? {
            return Err(unknown(&from));
        }
        anyhow::bail!("{from} has no metadata to copy (or is not a file of this account)");
    }
    let (found, mut rows) = batch::split(ctx.resolve_items(to).await?);
    for r in rows.iter_mut() {
        r.error = Some(format!(
            "destination not found ({})",
            r.error.as_deref().unwrap_or("?")
        ));
    }
    for (arg, item) in &found {
        let row = if item.is_folder {
            ItemResult::failed(
                arg,
                item,
                "the destination is a folder; metadata belongs to files",
            )
        } else {
            match ctx.client.copy_file_meta(&from, &item.id).await {
                Ok(_) => ItemResult::done(arg, item),
                Err(e) => ItemResult::failed(arg, item, e.to_string()),
            }
        };
        rows.push(row);
    }
    Ok(batch::report(ctx, "copied to", &batch::in_order(to, rows))?.into())
}

async fn rm(ctx: &Ctx, spec: &str, yes: bool) -> anyhow::Result<()> {
    let id = &ctx.resolve_id(spec).await?;
    if !yes {
        if !prompt::stdin_is_terminal() {
            anyhow::bail!("refusing to delete metadata without a terminal to ask on: add --yes");
        }
        if !prompt::confirm(&format!("Delete the metadata of {id}?"))? {
            anyhow::bail!("nothing deleted");
        }
    }
    ctx.client.delete_file_meta(id).await?;
    crate::index::note_meta_removed(&ctx.state_dir, std::slice::from_ref(id));
    if ctx.json() {
        return print_json(&json!({"id": id, "deleted": true}));
    }
    outln!("metadata of {id} deleted")?;
    Ok(())
}

async fn find(ctx: &Ctx, a: &MetaFindArgs) -> anyhow::Result<()> {
    if a.tag.is_none() && a.category.is_none() && a.actress.is_none() {
        anyhow::bail!("give --tag, --category or --actress");
    }
    const PAGE: u32 = 100;
    let mut all: Vec<FileMeta> = Vec::new();
    for page in 0..10_000u32 {
        let q = MetaQuery {
            tag: a.tag.clone(),
            category: a.category.clone(),
            actress: a.actress.clone(),
            page: Some(page),
            size: Some(PAGE),
            ..MetaQuery::default()
        };
        let got = ctx.client.get_files_meta(&q).await?;
        let n = got.items.len();
        all.extend(got.items);
        let total = got.total.map_or(u64::MAX, |t| t);
        if n < PAGE as usize || all.len() as u64 >= total {
            break;
        }
    }
    crate::index::note_meta(&ctx.state_dir, &all);
    if ctx.json() {
        return print_json(&all);
    }
    for m in &all {
        let tags = m.tags.iter().map(|t| s(t)).collect::<Vec<_>>().join(", ");
        outln!("{}  {}  [{}]", s(&m.file_id), s(&m.title), tags)?;
    }
    Ok(())
}
