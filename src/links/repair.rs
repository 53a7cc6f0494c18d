//! What a repair of dead links works from: the account index's row of a dead file (its md5,
//! name, folder, access, title and tags), and local copies found by name or by size and md5.
//! The calls to the service are in the CLI (`cli/repair_cmd.rs`).

use crate::api::{Access, MetaPatch};
use crate::index::{FileRow, Index};
use crate::md5sum::Md5;
use rusqlite::OptionalExtension;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How far below `--from` local copies are looked for.
pub const MAX_DEPTH: usize = 4;

/// Where a repaired file's content came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Created again by hash with the md5 the account index remembers.
    Index,
    /// Created again by hash with the md5 of a local copy.
    LocalFile,
    /// A local copy uploaded (the service no longer had the content).
    Upload,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Index => "index",
            Source::LocalFile => "local file",
            Source::Upload => "upload",
        }
    }
}

/// The index rows of those of `ids` it holds, by id (a row without an md5 is kept too: its
/// name, folder and access still help).
pub fn remembered(index: &Index, ids: &[String]) -> crate::index::Result<HashMap<String, FileRow>> {
    let sql = format!("SELECT {} FROM files WHERE id = ?1", FileRow::COLUMNS);
    let mut stmt = index.conn().prepare(&sql)?;
    let mut out = HashMap::new();
    for id in ids {
        if let Some(row) = stmt.query_row([id], FileRow::read).optional()? {
            out.insert(id.clone(), row);
        }
    }
    Ok(out)
}

/// The folder a row was in: None for the root.
pub fn folder_of(row: &FileRow) -> Option<&str> {
    let p = row.parent.trim();
    (!p.is_empty() && p != "/").then_some(p)
}

/// The access a row had, when it names one.
pub fn access_of(row: &FileRow) -> Option<Access> {
    row.access.as_deref().and_then(Access::parse)
}

/// The md5 a row remembers, when it looks like one.
pub fn md5_of_row(row: &FileRow) -> Option<String> {
    let m = row.md5.as_deref()?.trim().to_ascii_lowercase();
    (m.len() == 32 && m.bytes().all(|b| b.is_ascii_hexdigit())).then_some(m)
}

/// The title and tags the index holds for a row, as metadata to put on the new file (None
/// when it holds neither). Tags are a JSON array; anything else is read as one comma list.
pub fn index_meta(row: &FileRow) -> Option<MetaPatch> {
    let title = row.title.clone().filter(|t| !t.trim().is_empty());
    let tags = row
        .tags
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            serde_json::from_str::<Vec<serde_json::Value>>(t)
                .map(|v| {
                    v.into_iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_else(|_| {
                    t.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
        });
    let tags = tags.filter(|t| !t.is_empty());
    if title.is_none() && tags.is_none() {
        return None;
    }
    Some(MetaPatch {
        title,
        tags,
        ..MetaPatch::default()
    })
}

/// md5 of a local file, read in chunks.
pub fn md5_of_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h.hex());
        }
        h.update(&buf[..n]);
    }
}

/// Files and folders directly in `dir`, sorted by path (unreadable entries skipped).
fn entries(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    all.sort();
    all.into_iter().partition(|p| p.is_file())
}

/// The file called `name` in `dir` or below it (first found, depth-first, sorted by name).
pub fn find_by_name(dir: &Path, name: &str, depth: usize) -> Option<PathBuf> {
    let direct = dir.join(name);
    if !name.contains(['/', '\\']) && name != ".." && direct.is_file() {
        return Some(direct);
    }
    if depth == 0 {
        return None;
    }
    entries(dir)
        .1
        .iter()
        .find_map(|d| find_by_name(d, name, depth - 1))
}

/// The first file in `dir` or below it of `size` bytes whose md5 is `md5` (only files of that
/// size are read).
pub fn find_by_content(dir: &Path, size: u64, md5: &str, depth: usize) -> Option<PathBuf> {
    let (files, dirs) = entries(dir);
    let hit = files.into_iter().find(|p| {
        std::fs::metadata(p).is_ok_and(|m| m.len() == size)
            && md5_of_file(p).is_ok_and(|h| h.eq_ignore_ascii_case(md5))
    });
    if hit.is_some() || depth == 0 {
        return hit;
    }
    dirs.iter().find_map(|d| find_by_content(d, size, md5, depth - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> FileRow {
        FileRow {
            id: "abc".into(),
            parent: "/".into(),
            name: "x.bin".into(),
            ..FileRow::default()
        }
    }

    #[test]
    fn folder_access_and_md5_of_a_row() {
        let mut r = row();
        assert_eq!(folder_of(&r), None, "the root");
        r.parent = "fold0000001".into();
        assert_eq!(folder_of(&r), Some("fold0000001"));
        r.access = Some("Private".into());
        assert_eq!(access_of(&r), Some(Access::Private));
        r.access = Some("nonsense".into());
        assert_eq!(access_of(&r), None);
        assert_eq!(md5_of_row(&r), None);
        r.md5 = Some(" 0123456789ABCDEF0123456789abcdef ".into());
        assert_eq!(
            md5_of_row(&r).as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        r.md5 = Some("not-an-md5".into());
        assert_eq!(md5_of_row(&r), None);
    }

    #[test]
    fn title_and_tags_from_the_index() {
        let mut r = row();
        assert_eq!(index_meta(&r), None);
        r.title = Some("Holiday".into());
        r.tags = Some(r#"["sea", 3, "sun"]"#.into());
        let m = index_meta(&r).unwrap();
        assert_eq!(m.title.as_deref(), Some("Holiday"));
        assert_eq!(m.tags, Some(vec!["sea".to_string(), "sun".to_string()]));
        r.title = Some("  ".into());
        r.tags = Some("a, b,,".into());
        let m = index_meta(&r).unwrap();
        assert_eq!(m.title, None);
        assert_eq!(m.tags, Some(vec!["a".to_string(), "b".to_string()]));
        r.tags = Some("[]".into());
        assert_eq!(index_meta(&r), None);
    }

    #[test]
    fn local_copies_by_name_and_by_size_and_md5() {
        let d = tempfile::tempdir().unwrap();
        let sub = d.path().join("a").join("b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(d.path().join("same-size.bin"), b"12345").unwrap();
        std::fs::write(sub.join("renamed.bin"), b"hello").unwrap();
        let md5 = Md5::hex_of(b"hello");
        assert_eq!(
            find_by_content(d.path(), 5, &md5, MAX_DEPTH),
            Some(sub.join("renamed.bin"))
        );
        assert_eq!(find_by_content(d.path(), 5, &md5, 1), None, "too deep");
        assert_eq!(find_by_content(d.path(), 6, &md5, MAX_DEPTH), None, "size first");
        assert_eq!(
            find_by_name(d.path(), "renamed.bin", MAX_DEPTH),
            Some(sub.join("renamed.bin"))
        );
        assert_eq!(find_by_name(d.path(), "../renamed.bin", MAX_DEPTH), None);
        assert_eq!(
            find_by_content(&d.path().join("missing"), 5, &md5, MAX_DEPTH),
            None
        );
    }
}
