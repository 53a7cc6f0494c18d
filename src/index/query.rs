//! Questions the index answers: where is X (fuzzy, glob or regex over every name), what takes
//! space (`du`), what is stored twice (`dupes`), which files are in trouble (`health`).

use super::paths::{Folders, ROOT};
use super::rows::FileRow;
use super::{Index, IndexError, Result};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use std::collections::HashMap;

/// One name of the account, for the finder.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    /// The folder it is in ("/" for the root).
    pub parent: String,
    pub name: String,
    pub is_folder: bool,
    pub size: Option<u64>,
    /// The metadata title, once fetched (a file's title is matched too).
    pub title: Option<String>,
}

/// From this many names on, a fuzzy query is scored on every core.
const PARALLEL_FROM: usize = 20_000;

/// The fuzzy score of each of `entries` (the first being entry `first`) that matches, by its
/// name or its metadata title.
fn score_all(pat: &Pattern, first: usize, entries: &[Entry]) -> Vec<Hit> {
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut hits = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let name = pat.score(Utf32Str::new(&e.name, &mut buf), &mut matcher);
        let title = e
            .title
            .as_deref()
            .and_then(|t| pat.score(Utf32Str::new(t, &mut buf), &mut matcher));
        if let Some(score) = name.max(title) {
            hits.push(Hit {
                entry: first + i,
                score,
            });
        }
    }
    hits
}

/// Every file and folder name, held in memory so that a query per keystroke is cheap.
#[derive(Debug, Default)]
pub struct Names {
    pub entries: Vec<Entry>,
}

/// A match: the entry's position in `Names::entries` and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub score: u32,
}

/// How `find` reads its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Fuzzy,
    Glob,
    Regex,
}

impl Names {
    pub fn load(index: &Index) -> Result<Names> {
        let conn = index.conn();
        let mut entries = Vec::new();
        let mut stmt = conn.prepare("SELECT id, parent, name FROM folders WHERE id <> '/'")?;
        for row in stmt.query_map([], |r| {
            Ok(Entry {
                id: r.get(0)?,
                parent: r.get::<_, Option<String>>(1)?.unwrap_or_else(|| ROOT.into()),
                name: r.get(2)?,
                is_folder: true,
                size: None,
                title: None,
            })
        })? {
            entries.push(row?);
        }
        let mut stmt = conn.prepare("SELECT id, parent, name, size, NULLIF(title, '') FROM files")?;
        for row in stmt.query_map([], |r| {
            Ok(Entry {
                id: r.get(0)?,
                parent: r.get(1)?,
                name: r.get(2)?,
                is_folder: false,
                size: r.get::<_, Option<i64>>(3)?.map(|v| v.max(0) as u64),
                title: r.get(4)?,
            })
        })? {
            entries.push(row?);
        }
        Ok(Names { entries })
    }

    /// The best `limit` fuzzy matches of `pattern` (nucleo's scoring, smart case), best first;
    /// equal scores: the shorter name first.
    pub fn fuzzy(&self, pattern: &str, limit: usize) -> Vec<Hit> {
        let pat = Pattern::parse(pattern, CaseMatching::Smart, Normalization::Smart);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        if threads < 2 || self.entries.len() < PARALLEL_FROM {
            let hits = score_all(&pat, 0, &self.entries);
            return self.best(hits, limit);
        }
        // Each core scores its share of the names with its own matcher.
        let chunk = self.entries.len().div_ceil(threads);
        let hits = std::thread::scope(|s| {
            let parts: Vec<_> = self
                .entries
                .chunks(chunk)
                .enumerate()
                .map(|(k, part)| {
                    let pat = &pat;
                    s.spawn(move || score_all(pat, k * chunk, part))
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|p| p.join().unwrap_or_default())
                .collect()
        });
        self.best(hits, limit)
    }

    /// Every name the glob (`*`, `?`, `[...]`, whole name, any case) or the regex matches,
    /// the shorter name first.
    pub fn filter(&self, pattern: &str, how: Match, limit: usize) -> Result<Vec<Hit>> {
        let re = match how {
            Match::Fuzzy => return Ok(self.fuzzy(pattern, limit)),
            Match::Glob => glob_regex(pattern)?,
            Match::Regex => {
                regex::Regex::new(pattern).map_err(|e| IndexError::Other(format!("bad regex: {e}")))?
            }
        };
        let hits = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| re.is_match(&e.name) || e.title.as_deref().is_some_and(|t| re.is_match(t)))
            .map(|(i, _)| Hit { entry: i, score: 0 })
            .collect();
        Ok(self.best(hits, limit))
    }

    fn best(&self, mut hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
        let key = |h: &Hit| {
            (
                std::cmp::Reverse(h.score),
                self.entries[h.entry].name.len(),
                h.entry,
            )
        };
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable_by_key(limit - 1, key);
            hits.truncate(limit);
        }
        hits.sort_unstable_by_key(key);
        hits
    }
}

/// A glob as an anchored, case-insensitive regex.
pub fn glob_regex(glob: &str) -> Result<regex::Regex> {
    let mut re = String::from("(?is)^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                let mut class = String::new();
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == ']' {
                        closed = true;
                        break;
                    }
                    class.push(d);
                }
                if closed && !class.is_empty() {
                    let class = class.strip_prefix('!').map_or(class.clone(), |c| format!("^{c}"));
                    re.push('[');
                    re.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                    re.push(']');
                } else {
                    re.push_str(&regex::escape(&format!("[{class}")));
                }
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|e| IndexError::Other(format!("bad glob: {e}")))
}

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

/// Files with one md5, stored more than once.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DupeGroup {
    pub md5: String,
    /// The size of one copy.
    pub size: u64,
    /// Bytes that deleting all copies but one would free.
    pub wasted: u64,
    /// (id, path) of each copy, by path.
    pub files: Vec<(String, String)>,
}

/// Every group of duplicates, the most wasteful first.
pub fn dupes(index: &Index, folders: &Folders) -> Result<Vec<DupeGroup>> {
    let mut stmt = index.conn().prepare(
        "SELECT f.md5, f.id, f.parent, f.name, COALESCE(f.size, 0) FROM files f
         JOIN (SELECT md5 FROM files WHERE md5 IS NOT NULL AND md5 <> ''
               GROUP BY md5 HAVING COUNT(*) > 1) d ON d.md5 = f.md5
         ORDER BY f.md5",
    )?;
    let mut groups: Vec<DupeGroup> = Vec::new();
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })? {
        let (md5, id, parent, name, size) = row?;
        let path = folders.file_path(&parent, &name);
        match groups.last_mut() {
            Some(g) if g.md5 == md5 => g.files.push((id, path)),
            _ => groups.push(DupeGroup {
                md5,
                size: size.max(0) as u64,
                wasted: 0,
                files: vec![(id, path)],
            }),
        }
    }
    for g in &mut groups {
        g.files.sort_by(|a, b| a.1.cmp(&b.1));
        g.wasted = g.size * (g.files.len() as u64).saturating_sub(1);
    }
    groups.sort_by(|a, b| b.wasted.cmp(&a.wasted).then_with(|| a.md5.cmp(&b.md5)));
    Ok(groups)
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

#[cfg(test)]
mod parallel_tests {
    use super::*;

    #[test]
    fn a_fuzzy_query_on_every_core_ranks_as_one_core_does() {
        let entries: Vec<Entry> = (0..PARALLEL_FROM * 3 + 7)
            .map(|i| Entry {
                id: format!("f{i:012}"),
                parent: "/".into(),
                name: format!("holiday {} scan {:04}.jpg", i % 97, i % 5003),
                is_folder: false,
                size: Some(i as u64),
                title: (i % 11 == 0).then(|| format!("title {i}")),
            })
            .collect();
        let names = Names { entries };
        for pattern in ["hol", "scan 42", "title 77", "zzz"] {
            let pat = Pattern::parse(pattern, CaseMatching::Smart, Normalization::Smart);
            let one = names.best(score_all(&pat, 0, &names.entries), 50);
            let ids = |h: &[Hit]| h.iter().map(|h| (h.entry, h.score)).collect::<Vec<_>>();
            assert_eq!(ids(&names.fuzzy(pattern, 50)), ids(&one), "{pattern}");
        }
    }
}
