//! The index's tables. `SCHEMA_VERSION` is kept in SQLite's `user_version`: a file of another
//! version is rebuilt (see `open`).

/// Bumped whenever the tables change.
pub const SCHEMA_VERSION: i64 = 1;

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
    tags           TEXT
);
CREATE INDEX files_name   ON files(name);
CREATE INDEX files_md5    ON files(md5);
CREATE INDEX files_parent ON files(parent);
CREATE INDEX folders_parent ON folders(parent);
";
