//! Extended info for the rows on screen only: which rows ask, that scrolling asks for the new
//! rows only, and that no row is asked twice. Also the compact row itself.

use super::tests_listing::file;
use super::tests_update::{files_ticket, key, new_state, typing};
use super::*;
use crate::api::{ExtendedInfo, FileItem, FileRow, Interner, VideoInfo};
use std::collections::HashSet;

/// Page size of these tests: the first page, and every later one.
const PAGE: u32 = 100;

/// Ids of every `LoadRowInfo` (and separately `LoadVideoInfo`) among the effects.
fn asked(fx: &[Effect]) -> (Vec<String>, Vec<String>) {
    let (mut info, mut video) = (Vec::new(), Vec::new());
    for e in fx {
        match e {
            Effect::LoadRowInfo(ids) => info.extend(ids.iter().cloned()),
            Effect::LoadVideoInfo(ids) => video.extend(ids.iter().cloned()),
            _ => {}
        }
    }
    (info, video)
}

fn with_ext(mut f: FileItem) -> FileItem {
    f.extended_info = Some(ExtendedInfo {
        downloads: Some(1),
        ..Default::default()
    });
    f
}

/// A folder of `PAGE + rest` files `f000`..: the first page with extended info (as asked), the
/// second without. Returns the state and the effects of the last page.
fn two_pages(rest: usize) -> (State, Vec<Effect>) {
    let mut s = new_state();
    s.settings.page_size = PAGE;
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).expect("first page asked");
    let first: Vec<FileItem> = (0..PAGE as usize)
        .map(|i| with_ext(file(&format!("f{i:03}"), &format!("f{i:03}.bin"), 1, 1)))
        .collect();
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(first),
        },
    );
    assert_eq!(asked(&fx), (vec![], vec![]), "the first page came complete");
    let later = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadFiles { req, .. } => Some(req.clone()),
            _ => None,
        })
        .expect("second page asked");
    assert_eq!(later.offset, u64::from(PAGE));
    assert!(!later.extended_info, "later pages come without extended info");
    let second: Vec<FileItem> = (PAGE as usize..PAGE as usize + rest)
        .map(|i| file(&format!("f{i:03}"), &format!("f{i:03}.bin"), 1, 1))
        .collect();
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: u64::from(PAGE),
            result: Ok(second),
        },
    );
    assert!(s.list.complete);
    (s, fx)
}

/// The ids of the rows on screen.
fn on_screen(s: &State) -> Vec<String> {
    let rows = layout::list_rows(&layout::areas(s));
    s.list
        .rows(s.list.offset, rows)
        .map(|(_, e)| e.id().to_string())
        .collect()
}

fn answer(ids: &[String], downloads: u64) -> Msg {
    Msg::RowInfo {
        ids: ids.to_vec(),
        result: Ok(ids
            .iter()
            .map(|id| FileItem {
                id: id.clone(),
                extended_info: Some(ExtendedInfo {
                    downloads: Some(downloads),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect()),
    }
}

#[test]
fn rows_listed_without_extended_info_are_asked_for_when_on_screen_only() {
    let (mut s, fx) = two_pages(99);
    // The top of the list came with the first page: nothing to ask.
    assert_eq!(asked(&fx), (vec![], vec![]));
    let fx = update(&mut s, key('G'));
    let (info, video) = asked(&fx);
    assert!(video.is_empty());
    let screen = on_screen(&s);
    assert!(screen.len() > 10, "{screen:?}");
    assert_eq!(info, screen, "exactly the rows on screen, in screen order");
    // Moving among the same rows asks nothing more while the answer is out.
    let fx = typing(&mut s, "kkk");
    assert_eq!(asked(&fx), (vec![], vec![]));
    update(&mut s, answer(&info, 7));
    let last = s.list.row(s.list.len() - 1).expect("last row");
    assert_eq!(last.item.downloads(), Some(7));
    assert!(s.info_pending.is_empty());
    // Answered rows are not asked again, and an answer without video asks no video info.
    let fx = typing(&mut s, "jjj");
    assert_eq!(asked(&fx), (vec![], vec![]));
}

#[test]
fn scrolling_asks_for_the_new_rows_only() {
    let (mut s, _) = two_pages(99);
    let fx = update(&mut s, key('G'));
    let (first, _) = asked(&fx);
    update(&mut s, answer(&first, 3));
    let before: HashSet<String> = on_screen(&s).into_iter().collect();
    let fx = typing(&mut s, "40k");
    let (more, video) = asked(&fx);
    assert!(video.is_empty());
    let now = on_screen(&s);
    let new: Vec<String> = now.iter().filter(|id| !before.contains(*id)).cloned().collect();
    assert!(!new.is_empty());
    assert_eq!(more, new, "only the rows that came on screen");
    assert!(more.iter().all(|id| !first.contains(id)), "no row asked twice");
    // Up into the first page's rows: they need nothing.
    update(&mut s, answer(&more, 3));
    let fx = typing(&mut s, "gg");
    assert_eq!(asked(&fx), (vec![], vec![]));
}

#[test]
fn a_video_listed_without_extended_info_gets_its_video_info_with_the_rest() {
    let mut s = new_state();
    let fx = start(&mut s, true, None);
    let (t, _, _) = files_ticket(&fx).expect("listing");
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(vec![
                file("v1", "clip.mp4", 1, 1),
                with_ext(file("t1", "a.txt", 1, 1)),
            ]),
        },
    );
    let (info, video) = asked(&fx);
    assert_eq!(info, ["v1"], "one request for the row without extended info");
    assert!(video.is_empty(), "no second request for its video info");
    let fx = update(
        &mut s,
        Msg::RowInfo {
            ids: info,
            result: Ok(vec![FileItem {
                id: "v1".into(),
                extended_info: Some(ExtendedInfo {
                    content_type: Some("video/mp4".into()),
                    video_info: Some(VideoInfo {
                        duration: Some(61.0),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
        },
    );
    assert_eq!(asked(&fx), (vec![], vec![]));
    let row = s.list.get("v1").expect("row");
    assert_eq!(row.item.video().and_then(|v| v.duration), Some(61.0));
    assert_eq!(s.video["v1"].as_ref().and_then(|v| v.duration), Some(61.0));
}

#[test]
fn a_failed_or_unanswered_request_is_not_repeated_at_every_key() {
    let (mut s, _) = two_pages(99);
    let fx = update(&mut s, key('G'));
    let (info, _) = asked(&fx);
    // The server answers the first id only; the request of nothing else fails.
    let msg = Msg::RowInfo {
        ids: info.clone(),
        result: Ok(vec![FileItem {
            id: info[0].clone(),
            ..Default::default()
        }]),
    };
    update(&mut s, msg);
    let fx = typing(&mut s, "kj");
    assert_eq!(asked(&fx), (vec![], vec![]));
    let fx = typing(&mut s, "40k");
    let (more, _) = asked(&fx);
    update(
        &mut s,
        Msg::RowInfo {
            ids: more,
            result: Err(super::tests_update::api_err(500, 500)),
        },
    );
    let fx = typing(&mut s, "jk");
    assert_eq!(asked(&fx), (vec![], vec![]));
}

#[test]
fn the_cursor_row_is_asked_for_when_only_the_details_are_drawn() {
    let (mut s, _) = two_pages(99);
    // Narrow, the details pane focused: the list is not drawn.
    s.size = (40, 20);
    update(&mut s, key('i'));
    assert!(layout::areas(&s).list.is_none());
    assert_eq!(s.focus, Pane::Details);
    s.list.set_cursor(s.list.len() - 1);
    let fx = update(&mut s, Msg::Resize(40, 20));
    let id = s.list.current().expect("cursor row").id().to_string();
    assert_eq!(asked(&fx), (vec![id], vec![]), "the cursor row alone");
    let fx = update(&mut s, Msg::Resize(40, 20));
    assert_eq!(asked(&fx), (vec![], vec![]), "asked once");
}

#[test]
fn rows_share_their_folder_id_and_keep_md5_compact() {
    let mut shared = Interner::default();
    let item = |id: &str, md5: &str| FileItem {
        id: id.into(),
        name: Some(format!("{id}.bin")),
        parent_id: Some("folder0000001".into()),
        md5: Some(md5.into()),
        ..Default::default()
    };
    let hex = "0123456789abcdef0123456789abcdef";
    let a = FileRow::new(item("a", hex), &mut shared);
    let b = FileRow::new(item("b", "NOT-HEX"), &mut shared);
    assert_eq!(shared.len(), 1);
    let (pa, pb) = (a.parent_id.clone().unwrap(), b.parent_id.clone().unwrap());
    assert!(std::sync::Arc::ptr_eq(&pa, &pb), "one copy of the folder id");
    assert_eq!(a.md5().as_deref(), Some(hex));
    assert_eq!(b.md5().as_deref(), Some("NOT-HEX"));
    assert_eq!(
        FileRow::new(item("c", &hex.to_uppercase()), &mut shared).md5(),
        Some(hex.to_uppercase())
    );
    assert!(a.extended_info.is_none());
    assert!(
        std::mem::size_of::<FileRow>() <= 160,
        "{}",
        std::mem::size_of::<FileRow>()
    );
}
