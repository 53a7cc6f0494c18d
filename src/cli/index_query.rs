//! The queries on the account index: find, du, dupes, health, export. None calls the API.

use super::ctx::Ctx;
use super::exit::Exit;
use super::index_args::{DuArgs, ExportArgs, ExportFormat, FindArgs, HealthArgs};
use super::index_cmd::open_for_query;
use super::output::{outln, print_json, s};
use crate::index::export::{self, Format};
use crate::index::paths::Folders;
use crate::index::query::{self, Match, Names};
use crate::text::human_bytes;
use serde_json::json;
use std::io::IsTerminal;

fn folder_of(folders: &Folders, spec: Option<&str>) -> anyhow::Result<String> {
    let spec = spec.unwrap_or("/");
    folders.resolve(spec).ok_or_else(|| {
        super::exit::Failure::error(
            Exit::NotFound,
            format!(
                "no folder {:?} in the index (`k2s index --refresh` if it is new)",
                s(spec)
            ),
        )
    })
}

pub fn find(ctx: &Ctx, args: &FindArgs) -> anyhow::Result<Exit> {
    let ix = open_for_query(ctx)?;
    let folders = Folders::load(&ix)?;
    let names = Names::load(&ix)?;
    let how = match (args.glob, args.regex) {
        (true, _) => Match::Glob,
        (_, true) => Match::Regex,
        _ => Match::Fuzzy,
    };
    let hits = names
        .filter(&args.pattern, how, args.limit.max(1))
        .map_err(|e| super::exit::Failure::error(Exit::Usage, e.to_string()))?;
    let rows: Vec<_> = hits
        .iter()
        .map(|h| {
            let e = &names.entries[h.entry];
            (e, folders.file_path(&e.parent, &e.name), h.score)
        })
        .collect();
    if ctx.json() {
        let v: Vec<_> = rows
            .iter()
            .map(|(e, path, score)| {
                json!({"id": e.id, "name": e.name, "path": path, "folder": &*e.parent,
                       "is_folder": e.is_folder, "size": e.size(), "score": score})
            })
            .collect();
        print_json(&v)?;
    } else {
        for (e, path, _) in &rows {
            let slash = if e.is_folder { "/" } else { "" };
            outln!("{}  {}{slash}", e.id, s(path))?;
        }
    }
    Ok(if rows.is_empty() {
        Exit::SomeFailed
    } else {
        Exit::Done
    })
}

pub fn du(ctx: &Ctx, args: &DuArgs) -> anyhow::Result<()> {
    let ix = open_for_query(ctx)?;
    let folders = Folders::load(&ix)?;
    let top = folder_of(&folders, args.folder.as_deref())?;
    let rows = query::du(&ix, &folders, &top, args.depth)?;
    if ctx.json() {
        return print_json(&rows);
    }
    for u in &rows {
        outln!(
            "{:>10}  {:>7} files  {:>7} downloads  {}{}",
            human_bytes(u.size),
            u.files,
            u.downloads,
            "  ".repeat(u.depth),
            s(&u.path)
        )?;
    }
    Ok(())
}

pub fn dupes(ctx: &Ctx) -> anyhow::Result<()> {
    let ix = open_for_query(ctx)?;
    let folders = Folders::load(&ix)?;
    let groups = query::dupes(&ix, &folders)?;
    if ctx.json() {
        let v: Vec<_> = groups
            .iter()
            .map(|g| {
                let files: Vec<_> = g.files.iter().map(|(id, path)| json!({"id": id, "path": path})).collect();
                json!({"md5": g.md5, "size": g.size, "copies": g.files.len(), "wasted": g.wasted, "files": files})
            })
            .collect();
        return print_json(&v);
    }
    let wasted: u64 = groups.iter().map(|g| g.wasted).sum();
    for g in &groups {
        outln!(
            "{}  {} copies of {}, {} wasted",
            g.md5,
            g.files.len(),
            human_bytes(g.size),
            human_bytes(g.wasted)
        )?;
        for (id, path) in &g.files {
            outln!("  {id}  {}", s(path))?;
        }
    }
    let n = groups.len();
    let noun = if n == 1 { "group" } else { "groups" };
    eprintln!("k2s: {n} {noun} of duplicates, {} to free", human_bytes(wasted));
    Ok(())
}

pub fn health(ctx: &Ctx, args: &HealthArgs) -> anyhow::Result<()> {
    let ix = open_for_query(ctx)?;
    let folders = Folders::load(&ix)?;
    let now = chrono::Utc::now().timestamp();
    let days = args.inactive_days.unwrap_or(ctx.config.index.inactive_days);
    let rows = query::health(&ix, &folders, now, days)?;
    if ctx.json() {
        let v: Vec<_> = rows
            .iter()
            .map(|(p, path, f)| {
                json!({"problem": p, "id": f.id, "path": path, "size": f.size,
                       "downloads": f.downloads, "last_download": f.last_download
                        .and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|d| d.to_rfc3339())})
            })
            .collect();
        return print_json(&v);
    }
    for (p, path, f) in &rows {
        outln!("{:<17}  {}  {}", p.label(), f.id, s(path))?;
    }
    eprintln!("k2s: {} file(s) need attention", rows.len());
    Ok(())
}

pub fn export(ctx: &Ctx, args: &ExportArgs) -> anyhow::Result<()> {
    let ix = open_for_query(ctx)?;
    let folders = Folders::load(&ix)?;
    let top = folder_of(&folders, args.folder.as_deref())?;
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Json => Format::Json,
    };
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    export::export(&ix, &folders, &top, format, terminal, &mut out)?;
    Ok(())
}
