//! A file's or folder's fields for a link template, from what the API says about it.

use super::format::LinkFields;
use crate::api::{FileItem, FileMeta, VideoInfo, folder_link, share_link};
use crate::text::{human_bytes, human_duration, sanitize};

/// What a link is made of: the item's id, its name as the server has it, and whether it is a
/// folder.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub is_folder: bool,
}

/// What a link's fields take from a listing: the size, the video info and the md5.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    pub size: Option<u64>,
    pub video: Option<&'a VideoInfo>,
    pub md5: Option<&'a str>,
}

impl<'a> From<&'a FileItem> for Facts<'a> {
    fn from(i: &'a FileItem) -> Facts<'a> {
        Facts {
            size: i.size(),
            video: i.video(),
            md5: i.md5.as_deref(),
        }
    }
}

/// The fields of one item; `info` (size, video, md5), `meta` (title, tags) and `folder` (its
/// folder's path) when known. Names are made terminal-safe.
pub fn link_fields(
    domain: &str,
    item: Named,
    info: Option<Facts>,
    meta: Option<&FileMeta>,
    folder: Option<&str>,
) -> LinkFields {
    let link = if item.is_folder {
        folder_link(domain, item.id, Some(item.name))
    } else {
        share_link(domain, item.id, Some(item.name))
    };
    let size = info.filter(|_| !item.is_folder).and_then(|i| i.size);
    let video = info.and_then(|i| i.video);
    LinkFields {
        name: sanitize(item.name),
        link,
        size: size.map(human_bytes).unwrap_or_default(),
        bytes: size.map(|b| b.to_string()).unwrap_or_default(),
        duration: video
            .and_then(|v| v.duration)
            .map(human_duration)
            .unwrap_or_default(),
        resolution: video
            .and_then(|v| Some(format!("{}x{}", v.width?, v.height?)))
            .unwrap_or_default(),
        title: meta.map(|m| sanitize(&m.title)).unwrap_or_default(),
        tags: meta.map(|m| sanitize(&m.tags.join(", "))).unwrap_or_default(),
        folder: folder.map(sanitize).unwrap_or_default(),
        md5: info.and_then(|i| i.md5).unwrap_or_default().to_string(),
    }
}
