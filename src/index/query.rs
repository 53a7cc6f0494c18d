//! Questions the index answers: where is X (fuzzy, glob or regex over every name), what takes
//! space (`du`), what is stored twice (`dupes`), which files are in trouble (`health`).

use super::paths::Folders;
use super::rows::FileRow;
use super::{Index, Result};
use std::collections::HashMap;

pub use super::dupes::{DupeGroup, dupes};
pub use super::names::{Entry, Hit, Match, Names, glob_regex};

/// A folder's totals, everything below it included.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Usage {
    pub id: String,
    pub path: String,
    /// Below the folder asked for (0 for it).
    pub depth: usize,
    pub size: u64,
    pub files: u64,
    pub folders: u64,
    pub downloads: u64,
}

/// `top` and its folders down to `max_depth` below it, each folder's children by size (the
/// largest first), in tree order.
pub fn du(index: &Index, folders: &Folders, top: &str, max_depth: usize) -> Result<Vec<Usage>> {
    // Each folder's own files, counted as they were written (see totals.rs).
    let mut own: HashMap<String, (u64, u64, u64)> = HashMap::new();
    let mut stmt = index
        .conn()
        .prepare("SELECT id, own_files, own_size, own_downloads FROM folders")?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (parent, n, size, dl) = row?;
        own.insert(parent, (size.max(0) as u64, n.max(0) as u64, dl.max(0) as u64));
    }
    // Totals bottom-up: `below` lists parents before children.
    let order = folders.below(top);
    let mut total: HashMap<&str, Usage> = HashMap::new();
    for id in order.iter().rev() {
        let (size, files, downloads) = own.get(id.as_str()).copied().unwrap_or_default();
        let mut u = Usage {
            id: id.clone(),
            path: String::new(),
            depth: 0,
            size,
            files,
            folders: 0,
            downloads,
        };
        for c in folders.children(id) {
            if let Some(cu) = total.get(c.as_str()) {
                u.size += cu.size;
                u.files += cu.files;
                u.downloads += cu.downloads;
                u.folders += cu.folders + 1;
            }
        }
        total.insert(id.as_str(), u);
    }
    let mut out = Vec::new();
    let mut stack = vec![(top.to_string(), 0usize)];
    while let Some((id, depth)) = stack.pop() {
        let Some(mut u) = total.remove(id.as_str()) else {
            continue;
        };
        u.depth = depth;
        u.path = folders.path_of(&id);
        if depth < max_depth {
            let mut kids: Vec<(u64, &String)> = folders
                .children(&id)
                .iter()
                .map(|c| (total.get(c.as_str()).map_or(0, |t| t.size), c))
                .collect();
            kids.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)));
            stack.extend(kids.into_iter().map(|(_, c)| (c.clone(), depth + 1)));
        }
        out.push(u);
    }
    Ok(out)
}

/// What is wrong with a file, the most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Blocked by the abuse system.
    Blocked,
    /// The storage holds it no more.
    Gone,
    /// The server says it is not available.
    Unavailable,
    /// No download ever: such files are removed after a while.
    NeverDownloaded,
    /// Last downloaded more than the given days ago.
    Inactive,
}

impl Problem {
    pub fn label(self) -> &'static str {
        match self {
            Problem::Blocked => "blocked",
            Problem::Gone => "gone from storage",
            Problem::Unavailable => "unavailable",
            Problem::NeverDownloaded => "never downloaded",
            Problem::Inactive => "inactive",
        }
    }
}

/// A file's most serious problem, if any (`now` and the limit in Unix seconds / days).
pub fn problem_of(f: &FileRow, now: i64, inactive_days: u64) -> Option<Problem> {
    if f.is_blocked() {
        return Some(Problem::Blocked);
    }
    if f.is_gone() {
        return Some(Problem::Gone);
    }
    if f.available == Some(false) {
        return Some(Problem::Unavailable);
    }
    let limit = now.saturating_sub((inactive_days.min(1 << 30) * 86_400) as i64);
    match (f.downloads, f.last_download) {
        (Some(0), None) => Some(Problem::NeverDownloaded),
        (_, Some(last)) if last < limit => Some(Problem::Inactive),
        _ => None,
    }
}

/// Every file with a problem, by problem then path: (problem, path, file).
pub fn health(
    index: &Index,
    folders: &Folders,
    now: i64,
    inactive_days: u64,
) -> Result<Vec<(Problem, String, FileRow)>> {
    Ok(health_kept(index, folders, now, inactive_days, usize::MAX)?.0)
}

/// The files held, each with its problem and path, and the count of all of each problem.
pub type HealthKept = (Vec<(Problem, String, FileRow)>, HashMap<Problem, usize>);

/// The files in trouble as [`health`] finds them, but at most `keep` of each problem held
/// (the first found, then by path), with the count of all of each problem: a view of an
/// account with hundreds of thousands of never-downloaded files holds a few thousand rows.
pub fn health_kept(
    index: &Index,
    folders: &Folders,
    now: i64,
    inactive_days: u64,
    keep: usize,
) -> Result<HealthKept> {
    let sql = format!(
        "SELECT {} FROM files WHERE abuses IS NOT NULL OR storage IS NOT NULL OR available = 0
            OR (downloads = 0 AND last_download IS NULL) OR last_download < ?1",
        FileRow::COLUMNS
    );
    let limit = now.saturating_sub((inactive_days.min(1 << 30) * 86_400) as i64);
    let mut stmt = index.conn().prepare(&sql)?;
    let mut out = Vec::new();
    let mut totals: HashMap<Problem, usize> = HashMap::new();
    for row in stmt.query_map([limit], FileRow::read)? {
        let f = row?;
        let Some(p) = problem_of(&f, now, inactive_days) else {
            continue;
        };
        let n = totals.entry(p).or_default();
        *n += 1;
        if *n <= keep {
            out.push((p, folders.file_path(&f.parent, &f.name), f));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    Ok((out, totals))
}
