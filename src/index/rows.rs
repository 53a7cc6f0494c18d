//! A file as the index holds it, made from a listing's `FileItem`, written and read back.

use crate::api::FileItem;
use rusqlite::{Connection, Row, params};

/// Every field a listing with extended_info gives, plus the metadata once fetched.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FileRow {
    pub id: String,
    /// The folder listed ("/" for the root).
    pub parent: String,
    pub name: String,
    pub size: Option<u64>,
    pub md5: Option<String>,
    pub access: Option<String>,
    pub available: Option<bool>,
    pub available_free: Option<bool>,
    /// Unix seconds.
    pub created: Option<i64>,
    pub downloads: Option<u64>,
    /// Unix seconds.
    pub last_download: Option<i64>,
    /// JSON array of the abuse records, when there are any.
    pub abuses: Option<String>,
    pub storage: Option<String>,
    pub content_type: Option<String>,
    /// JSON of the video info.
    pub video: Option<String>,
    pub title: Option<String>,
    /// JSON array.
    pub tags: Option<String>,
}

impl FileRow {
    /// The row for `item`, listed in folder `parent` ("/" for the root).
    pub fn from_item(item: &FileItem, parent: &str) -> FileRow {
        let ext = item.extended_info.as_ref();
        let abuses = ext
            .filter(|e| !e.abuses.is_empty())
            .and_then(|e| serde_json::to_string(&e.abuses).ok());
        FileRow {
            id: item.id.clone(),
            parent: parent.to_string(),
            name: item.name().to_string(),
            size: item.size(),
            md5: item.md5.clone().filter(|m| !m.trim().is_empty()),
            access: item.access().map(|a| a.as_str().to_string()),
            available: item.is_available,
            available_free: item.is_available_for_free,
            created: item.created().map(|t| t.timestamp()),
            downloads: item.downloads(),
            last_download: item.last_download().map(|t| t.timestamp()),
            abuses,
            storage: ext.and_then(|e| e.storage_object.clone()),
            content_type: item.content_type().map(str::to_string),
            video: item.video().and_then(|v| serde_json::to_string(v).ok()),
            title: None,
            tags: None,
        }
    }

    pub fn is_blocked(&self) -> bool {
        self.abuses.is_some()
    }

    /// Gone from storage: the server names a storage state other than "available".
    pub fn is_gone(&self) -> bool {
        self.storage
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty() && !s.eq_ignore_ascii_case("available"))
    }

    pub(crate) const COLUMNS: &'static str = "id, parent, name, size, md5, access, available, available_free, created, \
         downloads, last_download, abuses, storage, content_type, video, title, tags";

    pub(crate) fn read(r: &Row<'_>) -> rusqlite::Result<FileRow> {
        let u = |i: usize| -> rusqlite::Result<Option<u64>> {
            Ok(r.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
        };
        Ok(FileRow {
            id: r.get(0)?,
            parent: r.get(1)?,
            name: r.get(2)?,
            size: u(3)?,
            md5: r.get(4)?,
            access: r.get(5)?,
            available: r.get(6)?,
            available_free: r.get(7)?,
            created: r.get(8)?,
            downloads: u(9)?,
            last_download: r.get(10)?,
            abuses: r.get(11)?,
            storage: r.get(12)?,
            content_type: r.get(13)?,
            video: r.get(14)?,
            title: r.get(15)?,
            tags: r.get(16)?,
        })
    }

    /// Insert or replace; the metadata columns are kept when the new row has none.
    pub(crate) fn upsert(&self, conn: &Connection) -> rusqlite::Result<()> {
        let i = |v: Option<u64>| v.map(|x| x.min(i64::MAX as u64) as i64);
        conn.prepare_cached(
            "INSERT INTO files(id, parent, name, size, md5, access, available, available_free, created,
                downloads, last_download, abuses, storage, content_type, video, title, tags)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT(id) DO UPDATE SET parent = excluded.parent, name = excluded.name,
                size = excluded.size, md5 = excluded.md5, access = excluded.access,
                available = excluded.available, available_free = excluded.available_free,
                created = excluded.created, downloads = excluded.downloads,
                last_download = excluded.last_download, abuses = excluded.abuses,
                storage = excluded.storage, content_type = excluded.content_type,
                video = excluded.video, title = COALESCE(excluded.title, files.title),
                tags = COALESCE(excluded.tags, files.tags)",
        )?
        .execute(params![
            self.id,
            self.parent,
            self.name,
            i(self.size),
            self.md5,
            self.access,
            self.available,
            self.available_free,
            self.created,
            i(self.downloads),
            self.last_download,
            self.abuses,
            self.storage,
            self.content_type,
            self.video,
            self.title,
            self.tags,
        ])?;
        Ok(())
    }
}
