//! Completion: the categories, actresses and tags already used in the account, gathered from
//! every record seen (loads, saves, searches) and a background scan of a few getFilesMeta pages.

use crate::api::FileMeta;
use crate::metadata::ListField;
use std::collections::BTreeMap;

/// Candidates offered at once.
pub const MAX_CANDIDATES: usize = 8;
/// Pages of the background scan, and their size.
pub const SCAN_PAGES: u32 = 5;
pub const SCAN_SIZE: u32 = 100;

/// Values per list field, keyed by their lowercase form (first spelling seen wins).
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    lists: [BTreeMap<String, String>; 3],
}

fn slot(f: ListField) -> usize {
    match f {
        ListField::Categories => 0,
        ListField::Actresses => 1,
        ListField::Tags => 2,
    }
}

impl Vocab {
    pub fn add(&mut self, f: ListField, value: &str) {
        let v = value.trim();
        if v.is_empty() || v.chars().any(char::is_control) {
            return;
        }
        self.lists[slot(f)]
            .entry(v.to_lowercase())
            .or_insert_with(|| v.to_string());
    }

    pub fn learn(&mut self, m: &FileMeta) {
        for f in ListField::ALL {
            for v in f.get(m) {
                self.add(f, v);
            }
        }
    }

    pub fn len(&self, f: ListField) -> usize {
        self.lists[slot(f)].len()
    }

    /// Values containing `typed` (prefix matches first), leaving out those in `taken` and the
    /// typed text itself; nothing for an empty input.
    pub fn candidates(&self, f: ListField, typed: &str, taken: &[String]) -> Vec<String> {
        let t = typed.trim().to_lowercase();
        if t.is_empty() {
            return Vec::new();
        }
        let free = |k: &String| *k != t && !taken.iter().any(|x| x.to_lowercase() == *k);
        let map = &self.lists[slot(f)];
        let prefix = map.iter().filter(|(k, _)| k.starts_with(&t) && free(k));
        let inside = map
            .iter()
            .filter(|(k, _)| !k.starts_with(&t) && k.contains(&t) && free(k));
        prefix
            .chain(inside)
            .map(|(_, v)| v.clone())
            .take(MAX_CANDIDATES)
            .collect()
    }
}

/// State of the background scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub started: bool,
    pub done: bool,
    /// Pages read so far.
    pub pages: u32,
}
