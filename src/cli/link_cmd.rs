//! `k2s link`: share links, plain or formatted for forums and sites (`links::LinkFormat`).

use super::args::LinkArgs;
use super::batch::{self, ItemResult};
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::locate::ItemRef;
use super::output::{outln, print_json};
use crate::api::{FileItem, MetaQuery};
use crate::links::{Facts, LinkFields, LinkFormat, Named, link_fields};
use serde_json::json;
use std::collections::HashMap;

/// The format `--format` names, else the config's `link_format`, else plain; a bad one is a
/// usage error naming it.
pub fn chosen_format(ctx: &Ctx, spec: Option<&str>) -> anyhow::Result<LinkFormat> {
    let spec = spec.or(ctx.config.link_format.as_deref()).unwrap_or("plain");
    LinkFormat::resolve(spec, &ctx.config.link_formats).map_err(|e| Failure::error(Exit::Usage, e))
}

/// Title and tags of the files, when the account can read them (nothing otherwise).
async fn metadata(ctx: &Ctx, ids: &[String]) -> HashMap<String, crate::api::FileMeta> {
    if ids.is_empty() {
        return HashMap::new();
    }
    let q = MetaQuery {
        file_ids: Some(ids.to_vec()),
        size: Some(ids.len().clamp(1, 1000) as u32),
        ..MetaQuery::default()
    };
    match ctx.client.get_files_meta(&q).await {
        Ok(page) => page.items.into_iter().map(|m| (m.file_id.clone(), m)).collect(),
        Err(e) => {
            tracing::debug!("no metadata for the link format: {e}");
            HashMap::new()
        }
    }
}

/// The fields of every item, with extended info, metadata and folder paths.
async fn all_fields(
    ctx: &Ctx,
    format: &LinkFormat,
    found: &[(String, ItemRef)],
) -> anyhow::Result<Vec<LinkFields>> {
    let ids: Vec<String> = found.iter().map(|(_, f)| f.id.clone()).collect();
    let infos: HashMap<String, FileItem> = ctx
        .client
        .get_files_info(&ids, true)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    let file_ids: Vec<String> = found
        .iter()
        .filter(|(_, f)| !f.is_folder)
        .map(|(_, f)| f.id.clone())
        .collect();
    let meta = if format.uses("title") || format.uses("tags") {
        metadata(ctx, &file_ids).await
    } else {
        HashMap::new()
    };
    let tree = if format.uses("folder") {
        ctx.folder_tree().await.ok()
    } else {
        None
    };
    Ok(found
        .iter()
        .map(|(_, f)| {
            let info = infos.get(&f.id);
            let folder = info
                .and_then(|i| i.parent_id.as_deref())
                .and_then(|p| tree.as_ref()?.path_of(p));
            let named = Named {
                id: &f.id,
                name: &f.name,
                is_folder: f.is_folder,
            };
            link_fields(
                ctx.link_domain(),
                named,
                info.map(Facts::from),
                meta.get(&f.id),
                folder.as_deref(),
            )
        })
        .collect())
}

pub async fn link(ctx: &Ctx, args: &LinkArgs) -> anyhow::Result<Exit> {
    let format = chosen_format(ctx, args.format.as_deref())?;
    let (found, failed) = batch::split(ctx.resolve_items(&args.ids).await?);
    let fields = if found.is_empty() {
        Vec::new()
    } else {
        all_fields(ctx, &format, &found).await?
    };
    if ctx.json() {
        let mut v: Vec<serde_json::Value> = Vec::new();
        for ((arg, f), fl) in found.iter().zip(&fields) {
            let mut row = serde_json::to_value(ItemResult::done(arg, f))?;
            row["link"] = json!(fl.link);
            row["text"] = json!(
                format
                    .render(std::slice::from_ref(fl))
                    .map_err(anyhow::Error::msg)?
            );
            v.push(row);
        }
        v.extend(
            failed
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<Vec<_>, _>>()?,
        );
        print_json(&v)?;
    } else if !fields.is_empty() {
        let text = format
            .render(&fields)
            .map_err(|e| Failure::error(Exit::Usage, e))?;
        outln!("{text}")?;
    }
    Ok(super::browse::report_unknown(&failed, args.ids.len()))
}
