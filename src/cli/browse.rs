//! ls, tree, info, url, find-md5: commands that read (link: link_cmd.rs).

use super::args::{FindMd5Args, IdsArgs, LsArgs, SortArg, UrlArgs};
use super::batch::{self, ItemResult};
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::locate::FolderRef;
use super::output::outln;
use super::output::{self, print_json, s};
use super::prompt;
use crate::api::{ApiError, Captcha, FileItem, ListFiles, get_url_free_flow, share_link};
use crate::app::listing::{Sort, SortKey};
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
    crate::app::listing::sort_items(items, sort, !folders_first)
}

pub async fn ls(ctx: &Ctx, args: &LsArgs) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let sort = sort_of(args.sort, args.reverse);
    // JSON always carries the extended fields (access, downloads, video).
    let extended = args.long || ctx.json();
    let (items, folder, own) = match ctx.locate_folder(args.folder.as_deref().unwrap_or(ROOT)).await? {
        FolderRef::Own(id) => (
            list_all(ctx, &id, extended, sort, args.only_available).await?,
            id,
            true,
        ),
        FolderRef::Foreign(id) => {
            let mut items = ctx.list_foreign(&id).await?;
            if args.only_available {
                items.retain(|f| f.is_available != Some(false));
            }
            (items, id, false)
        }
    };
    let items = sort_items(items, sort, ctx.config.folders_first);
    if ctx.json() {
        return print_ls_json(ctx, &items, &folder, own).await;
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

/// The items of `folder` as [`output::ItemJson`], with their paths when the folder is one's
/// own and the folder list can be had.
async fn print_ls_json(ctx: &Ctx, items: &[FileItem], folder: &str, own: bool) -> anyhow::Result<()> {
    let folder_path = if !own {
        None
    } else if folder == ROOT {
        Some(ROOT.to_string())
    } else {
        ctx.folder_tree().await.ok().and_then(|t| t.path_of(folder))
    };
    let rows: Vec<output::ItemJson> = items
        .iter()
        .map(|f| output::item_json(f, Some(folder), folder_path.as_deref(), ctx.link_domain()))
        .collect();
    print_json(&rows)
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
    let (mut items, gone) = ctx.files_info_each(&ids, true).await?;
    // Deleted between the two questions.
    for (arg, item) in &found {
        if gone.iter().any(|(id, _)| id == &item.id) {
            let mut r = ItemResult::failed(arg, item, "unknown id");
            r.not_found = true;
            failed.push(r);
        }
    }
    add_downloads(ctx, &mut items).await;
    // Parents as paths ("/" for the root's own id), when the folder list can be had.
    let tree = if items.iter().any(|f| f.parent_id.is_some()) {
        ctx.folder_tree().await.ok()
    } else {
        None
    };
    if ctx.json() {
        let mut v: Vec<serde_json::Value> = Vec::new();
        for f in &items {
            let folder = f.parent_id.as_deref();
            let path = folder.and_then(|p| tree.as_ref()?.path_of(p));
            v.push(serde_json::to_value(output::item_json(
                f,
                folder,
                path.as_deref(),
                ctx.link_domain(),
            ))?);
        }
        for r in &failed {
            v.push(serde_json::to_value(r)?);
        }
        print_json(&v)?;
    } else {
        for (i, f) in items.iter().enumerate() {
            if i > 0 {
                outln!()?;
            }
            print_info(ctx, f, tree.as_ref())?;
        }
    }
    Ok(report_unknown(&failed, args.ids.len()))
}

/// The most parent folders `info` lists to learn download counts.
const DOWNLOADS_FOLDERS: usize = 8;

/// Download counts and last downloads, which getFilesInfo does not send: taken from the extended
/// listing of each item's folder (a few folders at most, paged only until every item is found).
/// Best effort: a failed listing leaves the counts unknown.
async fn add_downloads(ctx: &Ctx, items: &mut [FileItem]) {
    let mut parents: Vec<String> = Vec::new();
    for f in items.iter() {
        if let Some(p) = &f.parent_id
            && f.downloads().is_none()
            && !parents.contains(p)
        {
            parents.push(p.clone());
        }
    }
    for parent in parents.into_iter().take(DOWNLOADS_FOLDERS) {
        let mut wanted: Vec<&mut FileItem> = items
            .iter_mut()
            .filter(|f| f.parent_id.as_deref() == Some(parent.as_str()) && f.downloads().is_none())
            .collect();
        let limit = ctx.config.page_size.clamp(1, 10_000);
        let mut offset = 0u64;
        while !wanted.is_empty() {
            let req = ListFiles {
                parent: parent.clone(),
                limit,
                offset,
                sort: None,
                only_available: false,
                extended_info: true,
                kind: None,
            };
            let Ok(page) = ctx.client.get_files_list(&req).await else {
                break;
            };
            for listed in &page {
                let Some(ext) = &listed.extended_info else {
                    continue;
                };
                for f in wanted.iter_mut().filter(|f| f.id == listed.id) {
                    let mine = f.extended_info.get_or_insert_with(Default::default);
                    mine.downloads = ext.downloads;
                    mine.date_download_last = mine.date_download_last.or(ext.date_download_last);
                }
            }
            wanted.retain(|f| f.downloads().is_none() && !page.iter().any(|l| l.id == f.id));
            if page.len() < limit as usize {
                break;
            }
            offset += page.len() as u64;
        }
    }
}

/// One error line per item that could not be shown, and a summary; the exit code.
pub(super) fn report_unknown(failed: &[ItemResult], asked: usize) -> Exit {
    for r in failed {
        eprintln!(
            "k2s: {}: {}",
            s(&r.arg),
            s(r.error.as_deref().unwrap_or("failed"))
        );
    }
    let not_found = failed.iter().filter(|r| r.not_found).count();
    if !failed.is_empty() {
        let asked_n = crate::app::plural::count(asked, "item");
        let what = if not_found == failed.len() {
            "not found"
        } else {
            "not shown"
        };
        eprintln!("k2s: error: {} of {asked_n} {what}", failed.len());
    }
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

/// getUrl, going through the free-download captcha and wait when the account needs it
/// (`api::get_url_free_flow`): the captcha is asked on the terminal, the waits counted on stderr.
pub async fn resolve_url(ctx: &Ctx, file_id: &str) -> anyhow::Result<String> {
    // Why the terminal gave no answer, to report it rather than the flow's generic error.
    let failure = std::sync::Mutex::new(None::<anyhow::Error>);
    let failed = &failure;
    let json = ctx.global.json;
    let view = ctx.global.captcha_view.unwrap_or_default();
    let answer = move |_c: Captcha, url: String, image: Option<Vec<u8>>| async move {
        if !prompt::stdin_is_terminal() && !json {
            tracing::info!("captcha needed without a terminal; reading the answer from stdin");
        }
        let asked = tokio::task::spawn_blocking(move || {
            prompt::solve_captcha_image("A captcha (free download)", &url, image.as_deref(), view)
        })
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
