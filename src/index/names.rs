//! Every file and folder name of the account in memory, for the finder: a query per keystroke
//! scans them all. Held compactly (about 100 bytes a name, not 280): ids, names and titles in
//! shared chunks (see text.rs), each folder id once however many entries are in it, titles
//! apart (most files have none).

use super::paths::ROOT;
use super::text::{Filling, Span, Text, lenient, text};
use super::{Index, IndexError, Result};
use rusqlite::types::ValueRef;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// One name of the account, for the finder.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: Text,
    /// The folder it is in ("/" for the root), shared by every entry of that folder.
    pub parent: Arc<str>,
    pub name: Text,
    /// The size; `NO_SIZE` when unknown.
    size: u64,
    pub is_folder: bool,
}

const NO_SIZE: u64 = u64::MAX;

impl Entry {
    pub fn size(&self) -> Option<u64> {
        (self.size != NO_SIZE).then_some(self.size)
    }
}

/// Every file and folder name, held in memory so that a query per keystroke is cheap.
#[derive(Debug, Default)]
pub struct Names {
    pub entries: Vec<Entry>,
    /// (entry, its metadata title), by entry: only the entries that have one.
    pub(super) titles: Vec<(u32, Text)>,
    /// The last fuzzy query and every entry it matched (see fuzzy.rs).
    pub(super) last: Mutex<Option<(String, Arc<Vec<u32>>)>>,
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

/// One name as read, before its chunk is sealed.
struct Pending {
    id: Span,
    parent: Arc<str>,
    name: Span,
    size: u64,
    is_folder: bool,
    title: Option<Span>,
}

/// Builds [`Names`] one entry at a time (in the order of the entries).
#[derive(Default)]
pub(crate) struct Builder {
    names: Names,
    filling: Filling,
    pending: Vec<Pending>,
    /// Each folder id once.
    parents: HashSet<Arc<str>>,
}

impl Builder {
    pub(crate) fn push(
        &mut self,
        id: &str,
        parent: &str,
        name: &str,
        is_folder: bool,
        size: Option<u64>,
        title: Option<&str>,
    ) {
        let title = title.filter(|t| !t.is_empty());
        let more = id.len() + name.len() + title.map_or(0, str::len);
        if self.filling.full_for(more) {
            self.seal();
        }
        let parent = match self.parents.get(parent) {
            Some(p) => p.clone(),
            None => {
                let p: Arc<str> = Arc::from(parent);
                self.parents.insert(p.clone());
                p
            }
        };
        let p = Pending {
            id: self.filling.push(id),
            parent,
            name: self.filling.push(name),
            size: size.map_or(NO_SIZE, |s| s.min(NO_SIZE - 1)),
            is_folder,
            title: title.map(|t| self.filling.push(t)),
        };
        self.pending.push(p);
    }

    /// The entries of the chunk filled so far, made.
    fn seal(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let chunk = self.filling.seal();
        for p in self.pending.drain(..) {
            let at = self.names.entries.len() as u32;
            if let Some(t) = p.title {
                self.names.titles.push((at, text(&chunk, t)));
            }
            self.names.entries.push(Entry {
                id: text(&chunk, p.id),
                parent: p.parent,
                name: text(&chunk, p.name),
                size: p.size,
                is_folder: p.is_folder,
            });
        }
    }

    pub(crate) fn finish(mut self) -> Names {
        self.seal();
        self.names.entries.shrink_to_fit();
        self.names.titles.shrink_to_fit();
        self.names
    }
}

impl Names {
    pub fn load(index: &Index) -> Result<Names> {
        let conn = index.conn();
        let mut b = Builder::default();
        let mut stmt = conn.prepare("SELECT id, parent, name FROM folders WHERE id <> '/'")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let parent = match r.get_ref(1)? {
                ValueRef::Null => Cow::Borrowed(ROOT),
                v => lenient(v),
            };
            b.push(
                &lenient(r.get_ref(0)?),
                &parent,
                &lenient(r.get_ref(2)?),
                true,
                None,
                None,
            );
        }
        let mut stmt = conn.prepare("SELECT id, parent, name, size, title FROM files")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let size = r.get::<_, Option<i64>>(3).ok().flatten().map(|v| v.max(0) as u64);
            let title = match r.get_ref(4)? {
                ValueRef::Null => None,
                v => Some(lenient(v)),
            };
            b.push(
                &lenient(r.get_ref(0)?),
                &lenient(r.get_ref(1)?),
                &lenient(r.get_ref(2)?),
                false,
                size,
                title.as_deref(),
            );
        }
        Ok(b.finish())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The metadata title of entry `i`, once fetched.
    pub fn title(&self, i: usize) -> Option<&str> {
        let at = self.titles.partition_point(|(e, _)| (*e as usize) < i);
        self.titles
            .get(at)
            .filter(|(e, _)| *e as usize == i)
            .map(|(_, t)| t.as_str())
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
        let mut titles = self.titles.iter().peekable();
        let mut hits = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let title = titles.next_if(|(te, _)| *te as usize == i);
            if re.is_match(&e.name) || title.is_some_and(|(_, t)| re.is_match(t)) {
                hits.push(Hit { entry: i, score: 0 });
            }
        }
        Ok(self.best(hits, limit))
    }

    pub(super) fn best(&self, mut hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
        let key = |h: &Hit| {
            (
                std::cmp::Reverse(h.score),
                self.entries.get(h.entry).map_or(0, |e| e.name.len()),
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
