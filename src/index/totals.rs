//! Each folder's own totals (the files directly in it), kept in the folders table so that `du`
//! reads one row per folder instead of summing every file: recounted for a folder whenever
//! its files change, and for all at the end of a crawl.

use rusqlite::Connection;

const RECOUNT: &str = "UPDATE folders SET (own_files, own_size, own_downloads) =
    (SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(downloads), 0) FROM files WHERE files.parent = folders.id)";

/// Recount one folder.
pub(crate) fn recount(conn: &Connection, folder: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!("{RECOUNT} WHERE id = ?1"))?
        .execute([folder])?;
    Ok(())
}

/// Recount every folder.
pub(crate) fn recount_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(RECOUNT, [])?;
    Ok(())
}

/// The folder a file is in, when the index has the file.
pub(crate) fn parent_of(conn: &Connection, file: &str) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT parent FROM files WHERE id = ?1")?
        .query_row([file], |r| r.get(0))
        .optional()
}
