//! mkdir, mv, rename, access, rm: commands that change the account.

use super::args::{AccessArgs, FolderAccessArg, MkdirArgs, MvArgs, RenameArgs, RmArgs};
use super::ctx::{Ctx, looks_like_id};
use super::output::outln;
use super::output::{print_json, s};
use super::prompt;
use crate::api::{Access, ApiError, CreateFolder, FileChanges, UpdateItem};
use serde_json::json;

/// The service's name rule (`folders::check_folder_name`), as an error naming the name.
pub fn check_name(name: &str) -> Result<(), ApiError> {
    crate::folders::check_folder_name(name).map_err(|e| ApiError::local(format!("{:?}: {e}", s(name.trim()))))
}

fn check_ids(ids: &[String]) -> Result<(), ApiError> {
    match ids.iter().find(|id| !looks_like_id(id)) {
        Some(bad) => Err(ApiError::local(format!("{bad:?} is not a file id"))),
        None => Ok(()),
    }
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
    if ctx.json() {
        return print_json(&json!({"id": created.id, "name": req.name, "parent": req.parent}));
    }
    outln!("{}", s(&created.id))?;
    Ok(())
}

/// Print per-item results; fail when any item failed.
fn report(ctx: &Ctx, verb: &str, ids: &[String], results: &[UpdateItem]) -> anyhow::Result<()> {
    let mut failed = 0;
    let mut rows = Vec::new();
    for id in ids {
        let r = results.iter().find(|r| &r.id == id);
        let (ok, why) = match r {
            Some(r) if r.ok() => (true, String::new()),
            Some(r) if !r.errors.is_empty() => (false, r.errors.join("; ")),
            Some(r) => (false, r.status.clone().unwrap_or_else(|| "failed".into())),
            None => (false, "the server did not report this item".into()),
        };
        if !ok {
            failed += 1;
        }
        rows.push((id.clone(), ok, why));
    }
    if ctx.json() {
        let v: Vec<_> = rows
            .iter()
            .map(|(id, ok, why)| json!({"id": id, "ok": ok, "error": if *ok { None } else { Some(why) }}))
            .collect();
        print_json(&v)?;
    } else {
        for (id, ok, why) in &rows {
            if *ok {
                outln!("{verb} {id}")?;
            } else {
                eprintln!("k2s: {id}: {}", s(why));
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} items failed", ids.len());
    }
    Ok(())
}

pub async fn mv(ctx: &Ctx, args: &MvArgs) -> anyhow::Result<()> {
    check_ids(&args.ids)?;
    ctx.require_credentials()?;
    let to = ctx.resolve_folder(&args.to).await?;
    if args.ids.iter().any(|id| id == &to) {
        anyhow::bail!("cannot move a folder into itself");
    }
    let changes = FileChanges {
        new_parent: Some(to),
        ..FileChanges::default()
    };
    let results = ctx.client.update_files(&args.ids, &changes).await?;
    report(ctx, "moved", &args.ids, &results)
}

pub async fn rename(ctx: &Ctx, args: &RenameArgs) -> anyhow::Result<()> {
    check_ids(std::slice::from_ref(&args.id))?;
    check_name(&args.name)?;
    ctx.require_credentials()?;
    let changes = FileChanges {
        new_name: Some(args.name.trim().to_string()),
        ..FileChanges::default()
    };
    ctx.client.update_file(&args.id, &changes).await?;
    if ctx.json() {
        return print_json(&json!({"id": args.id, "ok": true, "name": args.name.trim()}));
    }
    outln!("renamed {}", args.id)?;
    Ok(())
}

pub async fn access(ctx: &Ctx, args: &AccessArgs) -> anyhow::Result<()> {
    let (level, ids) = (Access::from(args.access), &args.ids);
    check_ids(ids)?;
    ctx.require_credentials()?;
    let changes = FileChanges {
        new_access: Some(level),
        ..FileChanges::default()
    };
    let results = ctx.client.update_files(ids, &changes).await?;
    report(ctx, "access changed:", ids, &results)
}

pub async fn rm(ctx: &Ctx, args: &RmArgs) -> anyhow::Result<()> {
    check_ids(&args.ids)?;
    ctx.require_credentials()?;
    if !args.yes {
        if !prompt::stdin_is_terminal() {
            anyhow::bail!("refusing to delete without a terminal to ask on: add --yes");
        }
        let items = ctx.files_info(&args.ids, false).await?;
        let names: Vec<String> = items
            .iter()
            .map(|f| {
                if f.is_folder() {
                    format!("{}/ (and everything in it)", s(f.name()))
                } else {
                    s(f.name())
                }
            })
            .collect();
        eprintln!("This deletes {} item(s):", names.len());
        for n in &names {
            eprintln!("  {n}");
        }
        if !prompt::confirm("Delete them?")? {
            anyhow::bail!("nothing deleted");
        }
    }
    let deleted = ctx.client.delete_files(&args.ids).await?;
    if ctx.json() {
        print_json(&json!({"requested": args.ids.len(), "deleted": deleted}))?;
    } else {
        outln!("deleted {deleted} of {}", args.ids.len())?;
    }
    if (deleted as usize) < args.ids.len() {
        anyhow::bail!("{} item(s) were not deleted", args.ids.len() - deleted as usize);
    }
    Ok(())
}
