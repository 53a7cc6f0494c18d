//! Opening an index file: private (0600), WAL with a busy timeout so that the TUI and the CLI
//! can use it at once, of this schema version and of this account. Anything else is set aside
//! and a new index is started, with a message saying why; never a panic.

use super::schema::{self, keys};
use super::{Index, IndexError};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another (TUI and CLI at once) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An index, and what happened to an unusable old file (messages for the user).
pub struct Opened {
    pub index: Index,
    pub notices: Vec<String>,
}

/// Why an existing file cannot be used as it is.
enum Unusable {
    /// Not a database, or a damaged one.
    Corrupt(String),
    /// Another schema version.
    Version(i64),
    /// Another account's index.
    Foreign(String),
}

/// Open (or create) the index at `path` for `account`.
pub fn open(path: &Path, account: &str) -> Result<Opened, IndexError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
    }
    let mut notices = Vec::new();
    if path.exists() {
        match check(path, account) {
            Ok((conn, migrated)) => {
                notices.extend(migrated);
                return Ok(Opened {
                    index: Index::from_conn(conn, path),
                    notices,
                });
            }
            Err(why) => notices.push(set_aside(path, why)?),
        }
    }
    let conn = create(path, account)?;
    Ok(Opened {
        index: Index::from_conn(conn, path),
        notices,
    })
}

/// Open the index at `path` only when one exists and is usable (for the write hooks: they
/// never create or rebuild one).
pub fn open_existing(path: &Path, account: &str) -> Option<Index> {
    if !path.is_file() {
        return None;
    }
    check(path, account).ok().map(|(c, _)| Index::from_conn(c, path))
}

fn connect(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

fn setup(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    Ok(())
}

/// The connection to a usable file, and a notice when it was migrated from an older version.
fn check(path: &Path, account: &str) -> Result<(Connection, Option<String>), Unusable> {
    let corrupt = |e: rusqlite::Error| Unusable::Corrupt(e.to_string());
    let mut conn = connect(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(corrupt)?;
    let migrates = version < schema::SCHEMA_VERSION
        && schema::MIGRATIONS
            .first()
            .is_some_and(|(oldest, _)| version >= *oldest);
    if version != schema::SCHEMA_VERSION && !migrates {
        return Err(Unusable::Version(version));
    }
    let owner: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [keys::ACCOUNT], |r| {
            r.get(0)
        })
        .optional()
        .map_err(corrupt)?;
    match owner {
        Some(o) if o == account => {}
        Some(o) => return Err(Unusable::Foreign(o)),
        None => return Err(Unusable::Corrupt("it names no account".into())),
    }
    setup(&conn).map_err(corrupt)?;
    let migrated = if migrates && migrate(&mut conn, version).map_err(corrupt)? {
        Some(format!(
            "the index {} was brought from schema version {version} to {}",
            path.display(),
            schema::SCHEMA_VERSION
        ))
    } else {
        None
    };
    Ok((conn, migrated))
}

/// Every migration from `version` on, in one transaction: a failure leaves the file as it was
/// (and it is then set aside as damaged and rebuilt). The transaction takes the write lock
/// first and reads the version again, so that a second k2s opening the file at the same time
/// waits and finds it migrated.
fn migrate(conn: &mut Connection, version: i64) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if now != version {
        return Ok(false);
    }
    for (from, steps) in schema::MIGRATIONS.iter().filter(|(from, _)| *from >= version) {
        tracing::info!("index: migrating schema version {from} to {}", from + 1);
        for sql in *steps {
            tx.execute_batch(sql)?;
        }
    }
    tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(true)
}

fn create(path: &Path, account: &str) -> Result<Connection, IndexError> {
    private_file(path)?;
    let flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = connect(path, flags)?;
    setup(&conn)?;
    conn.execute_batch(schema::CREATE)?;
    conn.execute_batch(schema::COPIES)?;
    conn.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)",
        [keys::ACCOUNT, account],
    )?;
    conn.execute("INSERT INTO folders(id, parent, name) VALUES ('/', NULL, '')", [])?;
    Ok(conn)
}

/// An empty file, mode 0600, before SQLite writes to it (its WAL and shared-memory files take
/// the same mode).
fn private_file(path: &Path) -> Result<(), IndexError> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| IndexError::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| IndexError::io(path, e))?;
    }
    Ok(())
}

/// The file's sidecars: SQLite's WAL and shared-memory files.
fn sidecars(path: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut s = path.as_os_str().to_os_string();
        s.push(suffix);
        PathBuf::from(s)
    };
    [with("-wal"), with("-shm")]
}

/// Move an unusable file aside (`<file>.corrupt-<time>` / `.foreign-<time>`; an old schema is
/// dropped, the index being rebuilt from the server) and say so.
fn set_aside(path: &Path, why: Unusable) -> Result<String, IndexError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let shown = path.display();
    let (suffix, msg) = match &why {
        Unusable::Corrupt(e) => ("corrupt", format!("the index {shown} is damaged ({e})")),
        Unusable::Foreign(o) => (
            "foreign",
            format!(
                "the index {shown} belongs to another account ({})",
                crate::text::sanitize(o)
            ),
        ),
        Unusable::Version(v) => (
            "",
            format!(
                "the index {shown} has schema version {v}, this k2s uses {}",
                schema::SCHEMA_VERSION
            ),
        ),
    };
    if suffix.is_empty() {
        std::fs::remove_file(path).map_err(|e| IndexError::io(path, e))?;
        for s in sidecars(path) {
            let _ = std::fs::remove_file(s);
        }
        return Ok(format!("{msg}: it was removed and a new index started"));
    }
    let mut aside = path.as_os_str().to_os_string();
    aside.push(format!(".{suffix}-{stamp}"));
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside).map_err(|e| IndexError::io(path, e))?;
    for s in sidecars(path) {
        let _ = std::fs::remove_file(s);
    }
    Ok(format!(
        "{msg}: it was moved to {} and a new index started",
        aside.display()
    ))
}
