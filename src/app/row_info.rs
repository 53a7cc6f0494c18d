//! Extended and video info for the rows on screen only. The listing's later pages come
//! without extended info (50,000 rows stay small); the rows a user looks at, and the row under
//! the cursor for the details pane, are asked for with getFilesInfo, each row once.

use super::listing::Entry;
use super::msg::Effect;
use super::state::State;
use crate::api::FILES_INFO_BATCH;

/// Files with a video type (or, without a type, a video name) and no video info yet.
fn wants_video(e: &Entry) -> bool {
    if e.is_folder() || e.item.video().is_some() {
        return false;
    }
    match e.item.content_type() {
        Some(ct) => ct.starts_with("video/"),
        None => {
            let lower = e.name.to_ascii_lowercase();
            [
                ".mp4", ".mkv", ".webm", ".avi", ".mov", ".m4v", ".wmv", ".flv", ".ts", ".mpg", ".mpeg",
            ]
            .iter()
            .any(|ext| lower.ends_with(ext))
        }
    }
}

/// What a row still needs: its extended info (which brings the video info too), or, listed
/// with extended info but no video info, the video info.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Nothing,
    Info,
    Video,
}

fn need(state: &State, e: &Entry) -> Need {
    let id = e.id();
    if e.is_folder() || state.info_pending.contains(id) || state.video_pending.contains(id) {
        return Need::Nothing;
    }
    if e.item.extended_info.is_none() {
        return Need::Info;
    }
    if wants_video(e) && !state.video.contains_key(id) {
        return Need::Video;
    }
    Need::Nothing
}

/// Ask for what the rows `offset..offset + rows` and the cursor row still need, at most
/// `FILES_INFO_BATCH` ids per request; every id asked is pending until its answer.
pub fn request(state: &mut State, rows: usize, fx: &mut Vec<Effect>) {
    let (mut info, mut video) = (Vec::new(), Vec::new());
    let list = &state.list;
    let cursor = list
        .current()
        .filter(|_| list.cursor < list.offset || list.cursor >= list.offset + rows);
    for e in list.rows(list.offset, rows).map(|(_, e)| e).chain(cursor) {
        let to = match need(state, e) {
            Need::Info => &mut info,
            Need::Video => &mut video,
            Need::Nothing => continue,
        };
        if to.len() < FILES_INFO_BATCH {
            to.push(e.id().to_string());
        }
    }
    if !info.is_empty() {
        state.info_pending.extend(info.iter().cloned());
        fx.push(Effect::LoadRowInfo(info));
    }
    if !video.is_empty() {
        state.video_pending.extend(video.iter().cloned());
        fx.push(Effect::LoadVideoInfo(video));
    }
}
