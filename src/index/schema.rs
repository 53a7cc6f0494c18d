//! The index's tables. `SCHEMA_VERSION` is kept in SQLite's `user_version`: a file of an older
//! version that `MIGRATIONS` covers is migrated in place, any other is rebuilt (see `open`).

/// Bumped whenever the tables change.
pub const SCHEMA_VERSION: i64 = 2;

/// How a file of version N becomes N + 1 (the SQL run in order), for every N from the oldest
/// one still migrated.
pub const MIGRATIONS: &[(i64, &[&str])] = &[(1, &[MIGRATE_1_TO_2, COPIES])];

/// Keys of the `meta` table.
pub mod keys {
    /// Which account the index belongs to (see `open::open`).
    pub const ACCOUNT: &str = "account";
    /// The crawl generation: every folder listed in it has `listed` equal to it.
    pub const GENERATION: &str = "generation";
    /// "running" while a crawl is under way (or was interrupted), "done" after.
    pub const CRAWL_STATE: &str = "crawl_state";
    /// Unix seconds of the last completed crawl.
    pub const CRAWLED_AT: &str = "crawled_at";
    /// The account's root folder id, when the server told it.
    pub const ROOT_ID: &str = "root_id";
}

/// The whole schema, run on a new file.
pub const CREATE: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- The root is the folder '/' (parent NULL).
CREATE TABLE folders (
    id     TEXT PRIMARY KEY,
    parent TEXT,
    name   TEXT NOT NULL,
    -- the crawl generation whose getFoldersList showed it
    seen   INTEGER NOT NULL DEFAULT 0,
    -- the crawl generation that listed its files (the crawl's checkpoint)
    listed INTEGER NOT NULL DEFAULT 0,
    -- the files directly in it: how many, their bytes and downloads (see totals.rs)
    own_files     INTEGER NOT NULL DEFAULT 0,
    own_size      INTEGER NOT NULL DEFAULT 0,
    own_downloads INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE files (
    id             TEXT PRIMARY KEY,
    parent         TEXT NOT NULL,
    name           TEXT NOT NULL,
    size           INTEGER,
    md5            TEXT,
    access         TEXT,
    available      INTEGER,
    available_free INTEGER,
    created        INTEGER,
    downloads      INTEGER,
    last_download  INTEGER,
    -- JSON array of the abuse records; NULL when none
    abuses         TEXT,
    storage        TEXT,
    content_type   TEXT,
    -- JSON of the video info; NULL when none
    video          TEXT,
    title          TEXT,
    -- JSON array of tags, once the metadata was fetched
    tags           TEXT,
    -- 1 when another file has the same md5 (kept by the triggers of COPIES)
    shared         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX files_name   ON files(name);
CREATE INDEX files_md5    ON files(md5, shared);
CREATE INDEX files_parent ON files(parent);
CREATE INDEX folders_parent ON folders(parent);
";

/// Version 1 had no `shared` column: it is added and filled from the md5s, and the copies'
/// index and triggers are made.
const MIGRATE_1_TO_2: &str = "
ALTER TABLE files ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS files_md5;
CREATE INDEX files_md5 ON files(md5, shared);
UPDATE files SET shared = 1 WHERE md5 IN
    (SELECT md5 FROM files WHERE md5 > '' GROUP BY md5 HAVING count(*) > 1);
";

/// What the duplicates query reads: every file whose md5 another file has too, with the
/// columns it shows, in md5 order. An index of those rows alone (a few per cent of an
/// account), so that `dupes` reads it from end to end and nothing else. The triggers keep
/// `shared` right through every insert, update and delete, each looking at two rows of the md5
/// at most (so an md5 that thousands of files share, an empty file's, costs no more).
pub const COPIES: &str = "
CREATE INDEX files_copies ON files(md5, size, parent, name, id, downloads, created)
    WHERE shared = 1;
CREATE TRIGGER files_copies_insert AFTER INSERT ON files
    WHEN NEW.md5 > '' AND EXISTS (SELECT 1 FROM files WHERE md5 = NEW.md5 AND rowid <> NEW.rowid)
BEGIN
    UPDATE files SET shared = 1 WHERE md5 = NEW.md5 AND shared = 0;
END;
CREATE TRIGGER files_copies_delete AFTER DELETE ON files
    WHEN OLD.md5 > ''
     AND (SELECT count(*) FROM (SELECT 1 FROM files WHERE md5 = OLD.md5 LIMIT 2)) = 1
BEGIN
    UPDATE files SET shared = 0 WHERE md5 = OLD.md5 AND shared = 1;
END;
CREATE TRIGGER files_copies_update AFTER UPDATE OF md5 ON files
    WHEN OLD.md5 IS NOT NEW.md5
BEGIN
    UPDATE files SET shared = CASE WHEN NEW.md5 > '' AND EXISTS
        (SELECT 1 FROM files WHERE md5 = NEW.md5 AND rowid <> NEW.rowid) THEN 1 ELSE 0 END
     WHERE rowid = NEW.rowid;
    UPDATE files SET shared = 1
     WHERE NEW.md5 > '' AND md5 = NEW.md5 AND shared = 0 AND rowid <> NEW.rowid;
    UPDATE files SET shared = 0
     WHERE OLD.md5 > '' AND md5 = OLD.md5 AND shared = 1
       AND (SELECT count(*) FROM (SELECT 1 FROM files WHERE md5 = OLD.md5 LIMIT 2)) = 1;
END;
";
