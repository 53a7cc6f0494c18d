//! ls, tree, info, link, url, find-md5: commands that read.

use super::args::{FindMd5Args, IdsArgs, LsArgs, SortArg, UrlArgs};
use super::batch::{self, ItemResult};
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::locate::{FolderRef, ItemRef};
use super::output::outln;
use super::output::{self, print_json, s};
use super::prompt;
use crate::api::{ApiError, Captcha, FileItem, ListFiles, get_url_free_flow, share_link};
use crate::app::listing::{Entry, Sort, SortKey};
use crate::folders::ROOT;
use serde_json::json;

/// The order of `--sort` (and `--reverse`): name A to Z, newest first, largest first.
fn sort_of(sort: SortArg, reverse: bool) -> Sort {
    let s = match sort {
        SortArg::Name => Sort {
            key: SortKey::Name,
            desc: false,
        },
        SortArg::Date => Sort {
            key: SortKey::Date,
            desc: true,
        },
        SortArg::Size => Sort {
            key: SortKey::Size,
            desc: true,
        },
    };
    if reverse { s.reversed() } else { s }
}

/// Every item of a folder, paging with the largest page the API allows (asked in `sort`'s
/// order, so that the pages do not overlap).
pub async fn list_all(
    ctx: &Ctx,
    parent: &str,
    extended: bool,
    sort: Sort,
    only_available: bool,
) -> Result<Vec<FileItem>, ApiError> {
    let limit = ctx.config.page_size.clamp(1, 10_000);
    let mut all = Vec::new();
    loop {
        let req = ListFiles {
            parent: parent.to_string(),
            limit,
            offset: all.len() as u64,
            sort: Some(sort.api()),
            only_available,
            extended_info: extended,
            kind: None,
        };
        let page = ctx.client.get_files_list(&req).await?;
        let n = page.len();
        all.extend(page);
        if n < limit as usize || n == 0 {
            break;
        }
    }
    Ok(all)
}

/// Sorted here, as the file list of the TUI is (the server sorts raw names, and may not sort
/// by size at all): folders first unless the config says otherwise, ties by name.
fn sort_items(items: Vec<FileItem>, sort: Sort, folders_first: bool) -> Vec<FileItem> {
    let mut entries: Vec<Entry> = items.into_iter().map(Entry::new).collect();
    entries.sort_by(|a, b| sort.compare(a, b, !folders_first));
    entries.into_iter().map(|e| e.item).collect()
}

pub async fn ls(ctx: &Ctx, args: &LsArgs) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let sort = sort_of(args.sort, args.reverse);
    let items = match ctx.locate_folder(args.folder.as_deref().unwrap_or(ROOT)).await? {
        FolderRef::Own(id) => list_all(ctx, &id, args.long, sort, args.only_available).await?,
        FolderRef::Foreign(id) => {
            let mut items = ctx.list_foreign(&id).await?;
            if args.only_available {
                items.retain(|f| f.is_available != Some(false));
            }
            items
        }
    };
    let items = sort_items(items, sort, ctx.config.folders_first);
    if ctx.json() {
        return print_json(&items);
    }
    if args.long && !items.is_empty() {
        outln!("{}", output::LONG_HEADER)?;
    }
    for f in &items {
        outln!(
            "{}",
            if args.long {
                output::long_line(f)
            } else {
                output::short_line(f)
            }
        )?;
    }
    Ok(())
}

pub async fn tree(ctx: &Ctx) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let tree = ctx.folder_tree().await?;
    if ctx.json() {
        let rows: Vec<_> = tree
            .walk()
            .into_iter()
            .filter_map(|(_, id)| {
                let f = tree.get(&id)?;
                Some(json!({"id": id, "name": f.name, "parent": f.parent, "path": tree.path_of(&id)}))
            })
            .collect();
        return print_json(&rows);
    }
    outln!("/")?;
    for (depth, id) in tree.walk() {
        if let Some(f) = tree.get(&id) {
            outln!("{}{}/  {}", "  ".repeat(depth + 1), s(&f.name), s(&id))?;
        }
    }
    if !tree.hierarchical && !tree.is_empty() {
        eprintln!("k2s: the server sent no parent ids; folders are shown flat");
    }
    Ok(())
}

pub async fn info(ctx: &Ctx, args: &IdsArgs) -> anyhow::Result<Exit> {
    let (found, mut failed) = batch::split(ctx.resolve_items(&args.ids).await?);
    let ids: Vec<String> = found.iter().map(|(_, i)| i.id.clone()).collect();
    let (items, gone) = ctx.files_info_each(&ids, true).await?;
    // Deleted between the two questions.
    for (arg, item) in &found {
        if gone.iter().any(|(id, _)| id == &item.id) {
            let mut r = ItemResult::failed(arg, item, "unknown id");
            r.not_found = true;
            failed.push(r);
        }
    }
    if ctx.json() {
        let mut v: Vec<serde_json::Value> =
            items.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
        v.extend(
            failed
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<Vec<_>, _>>()?,
        );
        print_json(&v)?;
    } else {
        // Parents as paths ("/" for the root's own id), when the folder list can be had.
        let tree = if items.iter().any(|f| f.parent_id.is_some()) {
            ctx.folder_tree().await.ok()
        } else {
            None
        };
        for (i, f) in items.iter().enumerate() {
            if i > 0 {
                outln!()?;
            }
            print_info(ctx, f, tree.as_ref())?;
        }
    }
    Ok(report_unknown(&failed, args.ids.len()))
}

/// One error line per item that could not be shown, and a summary; the exit code.
fn report_unknown(failed: &[ItemResult], asked: usize) -> Exit {
    for r in failed {
        eprintln!(
            "k2s: {}: {}",
            s(&r.arg),
            s(r.error.as_deref().unwrap_or("failed"))
        );
    }
    if !failed.is_empty() {
        eprintln!("k2s: error: {} of {asked} items not shown", failed.len());
    }
    let not_found = failed.iter().filter(|r| r.not_found).count();
    Exit::of_batch(failed.len(), not_found, asked)
}

fn print_info(ctx: &Ctx, f: &FileItem, tree: Option<&crate::folders::FolderTree>) -> anyhow::Result<()> {
    let text = std::cell::RefCell::new(String::new());
    let row = |k: &str, v: String| text.borrow_mut().push_str(&format!("{k:<20}{v}\n"));
    row("id", s(&f.id));
    row("name", s(f.name()));
    row(
        "type",
        if f.is_folder() {
            "folder".into()
        } else {
            "file".into()
        },
    );
    row(
        "size",
        f.size().map_or("-".into(), |n| {
            format!("{} ({n} bytes)", crate::text::human_bytes(n))
        }),
    );
    row("created", output::date_str(f.created()));
    row("access", output::access_str(f.access()).into());
    row("available", f.is_available.map_or("-".into(), |b| b.to_string()));
    row(
        "free download",
        f.is_available_for_free.map_or("-".into(), |b| b.to_string()),
    );
    if let Some(m) = &f.md5 {
        row("md5", s(m));
    }
    if let Some(p) = &f.parent_id {
        match tree.and_then(|t| t.path_of(p)) {
            Some(path) => row("parent", format!("{} ({})", s(&path), s(p))),
            None => row("parent", s(p)),
        }
    }
    if let Some(e) = &f.extended_info {
        if let Some(ct) = &e.content_type {
            row("content type", s(ct));
        }
        if let Some(so) = &e.storage_object {
            row("storage", s(so));
        }
        if let Some(d) = e.downloads {
            row("downloads", d.to_string());
        }
        row("last download", output::date_str(e.date_download_last));
        for a in &e.abuses {
            row(
                "abuse",
                format!(
                    "{} ({}) blocked to {}",
                    s(a.kind.as_deref().unwrap_or("?")),
                    s(&a.projects.join(",")),
                    output::date_str(a.blocked_to)
                ),
            );
        }
    }
    if let Some(v) = f.video() {
        row(
            "duration",
            v.duration.map_or("-".into(), crate::text::human_duration),
        );
        if let (Some(w), Some(h)) = (v.width, v.height) {
            row("resolution", format!("{w}x{h}"));
        }
        if let Some(fmt) = &v.format {
            row("format", s(fmt));
        }
        if let Some(st) = v.is_streamable {
            row("streamable", st.to_string());
        }
    }
    if !f.is_folder() {
        row("link", share_link(ctx.link_domain(), &f.id, f.name.as_deref()));
    }
    outln!("{}", text.into_inner().trim_end_matches('\n'))
}

pub async fn link(ctx: &Ctx, args: &IdsArgs) -> anyhow::Result<Exit> {
    let (found, failed) = batch::split(ctx.resolve_items(&args.ids).await?);
    let links: Vec<(String, ItemRef, String)> = found
        .into_iter()
        .map(|(arg, f)| {
            let l = if f.is_folder {
                format!("https://{}/folder/{}", ctx.link_domain(), f.id)
            } else {
                share_link(ctx.link_domain(), &f.id, Some(&f.name))
            };
            (arg, f, l)
        })
        .collect();
    if ctx.json() {
        let mut v: Vec<serde_json::Value> = Vec::new();
        for (arg, f, l) in &links {
            let mut row = serde_json::to_value(ItemResult::done(arg, f))?;
            row["link"] = json!(l);
            v.push(row);
        }
        v.extend(
            failed
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<Vec<_>, _>>()?,
        );
        print_json(&v)?;
    } else {
        for (_, _, l) in links {
            outln!("{l}")?;
        }
    }
    Ok(report_unknown(&failed, args.ids.len()))
}

/// getUrl, going through the free-download captcha and wait when the account needs it
/// (`api::get_url_free_flow`): the captcha is asked on the terminal, the waits counted on stderr.
pub async fn resolve_url(ctx: &Ctx, file_id: &str) -> anyhow::Result<String> {
    // Why the terminal gave no answer, to report it rather than the flow's generic error.
    let failure = std::sync::Mutex::new(None::<anyhow::Error>);
    let failed = &failure;
    let json = ctx.global.json;
    let answer = move |_c: Captcha, url: String, _image| async move {
        if !prompt::stdin_is_terminal() && !json {
            tracing::info!("captcha needed without a terminal; reading the answer from stdin");
        }
        let asked =
            tokio::task::spawn_blocking(move || prompt::solve_captcha("A captcha (free download)", &url))
                .await;
        let err = match asked {
            Ok(Ok(a)) => return Some(a),
            Ok(Err(e)) => e,
            Err(e) => anyhow::anyhow!("the captcha prompt failed: {e}"),
        };
        if let Ok(mut f) = failed.lock() {
            *f = Some(err);
        }
        None
    };
    match get_url_free_flow(&ctx.client, file_id, answer, |d, _why| wait_with_countdown(d)).await {
        Ok((u, _)) => Ok(u),
        Err(e) => match failure.lock().ok().and_then(|mut f| f.take()) {
            Some(why) => Err(why),
            None => Err(e.into()),
        },
    }
}

/// Sleep `wait` (at most an hour), counting the seconds down on stderr.
async fn wait_with_countdown(wait: std::time::Duration) {
    let secs = wait.as_secs().min(3600);
    for left in (1..=secs).rev() {
        eprint!("\rwaiting {left:>4}s for the free download ");
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    if secs > 0 {
        eprintln!("\rwaited {secs}s for the free download   ");
    }
}

pub async fn url(ctx: &Ctx, args: &UrlArgs) -> anyhow::Result<()> {
    let id = ctx.resolve_id(&args.id).await?;
    let u = resolve_url(ctx, &id).await?;
    if ctx.json() {
        return print_json(&json!({"id": id, "url": u}));
    }
    outln!("{}", s(&u))?;
    Ok(())
}

/// Exits 1 when the service does not have the content, as grep does when nothing matches.
pub async fn find_md5(ctx: &Ctx, args: &FindMd5Args) -> anyhow::Result<Exit> {
    let md5 = args.md5.trim().to_ascii_lowercase();
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Failure::error(
            Exit::Usage,
            format!("{:?} is not an md5 (32 hexadecimal digits)", args.md5),
        ));
    }
    ctx.require_credentials()?;
    let found = ctx.client.find_file(&md5).await?;
    let exit = if found { Exit::Done } else { Exit::SomeFailed };
    if ctx.json() {
        print_json(&json!({"md5": md5, "found": found}))?;
        return Ok(exit);
    }
    outln!(
        "{}",
        if found {
            "found: the service already has this content"
        } else {
            "not found"
        }
    )?;
    Ok(exit)
}
