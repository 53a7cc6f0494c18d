//! mkdir, mv, rename, access, rm: commands that change the account.

use super::args::{AccessArgs, FolderAccessArg, MkdirArgs, MvArgs, RenameArgs, RmArgs};
use super::batch::{self, ItemResult};
use super::ctx::Ctx;
use super::exit::Exit;
use super::locate::ItemRef;
use super::output::outln;
use super::output::{print_json, s};
use super::prompt;
use crate::api::{Access, ApiError, CreateFolder, FileChanges, UpdateItem};
use serde_json::json;

/// The service's name rule (`folders::check_folder_name`), as an error naming the name.
pub fn check_name(name: &str) -> Result<(), ApiError> {
    crate::folders::check_folder_name(name).map_err(|e| ApiError::local(format!("{:?}: {e}", s(name.trim()))))
}

pub async fn mkdir(ctx: &Ctx, args: &MkdirArgs) -> anyhow::Result<()> {
    check_name(&args.name)?;
    ctx.require_credentials()?;
    let parent = ctx.resolve_folder(args.parent.as_deref().unwrap_or("/")).await?;
    let req = CreateFolder {
        name: args.name.trim().to_string(),
        parent,
        access: args.access.map(|a| match a {
            FolderAccessArg::Public => Access::Public,
            FolderAccessArg::Premium => Access::Premium,
        }),
        is_public: args.public.then_some(true),
    };
    let created = ctx.client.create_folder(&req).await?;
    crate::index::note_folder_created(&ctx.state_dir, &created.id, &req.parent, &req.name);
    if ctx.json() {
        return print_json(&json!({"id": created.id, "name": req.name, "parent": req.parent}));
    }
    outln!("{}", s(&created.id))?;
    Ok(())
}

/// The results of updateFiles for the items found, with those not found, in the order given.
fn update_rows(
    args: &[String],
    found: &[(String, ItemRef)],
    unresolved: Vec<ItemResult>,
    results: &[UpdateItem],
) -> Vec<ItemResult> {
    let mut rows = unresolved;
    for (arg, item) in found {
        let row = match results.iter().find(|r| r.id == item.id) {
            Some(r) if r.ok() => ItemResult::done(arg, item),
            Some(r) if !r.errors.is_empty() => ItemResult::failed(arg, item, r.errors.join("; ")),
            Some(r) => ItemResult::failed(arg, item, r.status.clone().unwrap_or_else(|| "failed".into())),
            None => ItemResult::failed(arg, item, "the server did not report this item"),
        };
        rows.push(row);
    }
    batch::in_order(args, rows)
}

/// updateFiles on the items `args` name, reported item by item.
async fn update_each(ctx: &Ctx, verb: &str, args: &[String], changes: &FileChanges) -> anyhow::Result<Exit> {
    let (found, unresolved) = batch::split(ctx.resolve_items(args).await?);
    let ids: Vec<String> = found.iter().map(|(_, i)| i.id.clone()).collect();
    if let Some(to) = &changes.new_parent
        && ids.iter().any(|id| id == to)
    {
        anyhow::bail!("cannot move a folder into itself");
    }
    let results = ctx.client.update_files(&ids, changes).await?;
    note_updates(ctx, &results, changes);
    batch::report(ctx, verb, &update_rows(args, &found, unresolved, &results))
}

/// The account index follows the items updateFiles changed.
fn note_updates(ctx: &Ctx, results: &[UpdateItem], changes: &FileChanges) {
    let done: Vec<String> = results.iter().filter(|r| r.ok()).map(|r| r.id.clone()).collect();
    if let Some(to) = &changes.new_parent {
        crate::index::note_moved(&ctx.state_dir, &done, to);
    }
    if let Some(level) = &changes.new_access {
        crate::index::note_access(&ctx.state_dir, &done, level.as_str());
    }
}

pub async fn mv(ctx: &Ctx, args: &MvArgs) -> anyhow::Result<Exit> {
    ctx.require_credentials()?;
    let to = ctx.resolve_folder(&args.to).await?;
    let changes = FileChanges {
        new_parent: Some(to),
        ..FileChanges::default()
    };
    update_each(ctx, "moved", &args.ids, &changes).await
}

pub async fn rename(ctx: &Ctx, args: &RenameArgs) -> anyhow::Result<()> {
    check_name(&args.name)?;
    ctx.require_credentials()?;
    let item = ctx.resolve_item(&args.id).await?;
    let changes = FileChanges {
        new_name: Some(args.name.trim().to_string()),
        ..FileChanges::default()
    };
    ctx.client.update_file(&item.id, &changes).await?;
    crate::index::note_renamed(&ctx.state_dir, &item.id, args.name.trim());
    if ctx.json() {
        return print_json(
            &json!({"id": item.id, "ok": true, "name": args.name.trim(), "old_name": item.name}),
        );
    }
    outln!("renamed {} {}", item.id, s(args.name.trim()))?;
    Ok(())
}

pub async fn access(ctx: &Ctx, args: &AccessArgs) -> anyhow::Result<Exit> {
    let (level, ids) = (Access::from(args.access), &args.ids);
    ctx.require_credentials()?;
    let changes = FileChanges {
        new_access: Some(level),
        ..FileChanges::default()
    };
    update_each(ctx, "changed", ids, &changes).await
}

/// Ask before deleting, naming every item.
fn confirm_delete(found: &[(String, ItemRef)]) -> anyhow::Result<()> {
    eprintln!("This deletes {} item(s):", found.len());
    for (_, f) in found {
        if f.is_folder {
            eprintln!("  {} {}/ (and everything in it)", f.id, s(&f.name));
        } else {
            eprintln!("  {} {}", f.id, s(&f.name));
        }
    }
    if !prompt::confirm("Delete them?")? {
        anyhow::bail!("nothing deleted");
    }
    Ok(())
}

pub async fn rm(ctx: &Ctx, args: &RmArgs) -> anyhow::Result<Exit> {
    if !args.yes && !prompt::stdin_is_terminal() {
        anyhow::bail!("refusing to delete without a terminal to ask on: add --yes");
    }
    ctx.require_credentials()?;
    let (found, mut rows) = batch::split(ctx.resolve_items(&args.ids).await?);
    if !args.yes {
        confirm_delete(&found)?;
    }
    let ids: Vec<String> = found.iter().map(|(_, i)| i.id.clone()).collect();
    let deleted = ctx.client.delete_files(&ids).await?;
    // deleteFiles only counts: what is still there was not deleted.
    let left: Vec<String> = if (deleted as usize) < ids.len() {
        let info = ctx.client.get_files_info(&ids, false).await?;
        info.into_iter().filter(|f| f.exists()).map(|f| f.id).collect()
    } else {
        Vec::new()
    };
    let gone: Vec<String> = ids.iter().filter(|id| !left.contains(id)).cloned().collect();
    crate::index::note_removed(&ctx.state_dir, &gone);
    for (arg, item) in &found {
        rows.push(if left.contains(&item.id) {
            ItemResult::failed(
                arg,
                item,
                "the server did not delete it (not an item of this account?)",
            )
        } else {
            ItemResult::done(arg, item)
        });
    }
    batch::report(ctx, "deleted", &batch::in_order(&args.ids, rows))
}
