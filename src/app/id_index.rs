//! Row positions by id without a second copy of every id: a 64-bit hash of the id points at
//! the row, whose own id is checked. An id whose hash another id already holds (rare) goes to a
//! small map of its own, so that a clash never loses a row.

use super::listing::Entry;
use std::collections::HashMap;
use std::collections::hash_map::{DefaultHasher, Entry as Slot};
use std::hash::{Hash, Hasher};

fn hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    by_hash: HashMap<u64, u32>,
    clashes: HashMap<String, u32>,
}

impl IdIndex {
    /// The position in `rows` of the row with this id.
    pub fn get(&self, id: &str, rows: &[Entry]) -> Option<usize> {
        self.get_at(hash(id), id, rows)
    }

    fn get_at(&self, h: u64, id: &str, rows: &[Entry]) -> Option<usize> {
        if let Some(&i) = self.by_hash.get(&h)
            && rows.get(i as usize).is_some_and(|e| e.id() == id)
        {
            return Some(i as usize);
        }
        self.clashes.get(id).map(|&i| i as usize)
    }

    /// Point `id` at position `i` of `rows` (replacing where it pointed).
    pub fn insert(&mut self, id: &str, i: usize, rows: &[Entry]) {
        self.insert_at(hash(id), id, i, rows)
    }

    fn insert_at(&mut self, h: u64, id: &str, i: usize, rows: &[Entry]) {
        let i = i as u32;
        match self.by_hash.entry(h) {
            Slot::Vacant(v) => {
                v.insert(i);
            }
            Slot::Occupied(mut o) => {
                let holder = rows.get(*o.get() as usize).map(Entry::id);
                if holder == Some(id) || holder.is_none() {
                    o.insert(i);
                } else {
                    self.clashes.insert(id.to_string(), i);
                }
            }
        }
    }

    pub fn clear(&mut self) {
        self.by_hash.clear();
        self.clashes.clear();
    }

    /// Every row of `rows` at its position.
    pub fn rebuild(&mut self, rows: &[Entry]) {
        self.clear();
        self.by_hash.reserve(rows.len());
        for (i, e) in rows.iter().enumerate() {
            self.insert(e.id(), i, rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{FileItem, FileRow, Interner};

    fn rows(ids: &[&str]) -> Vec<Entry> {
        let mut shared = Interner::default();
        ids.iter()
            .map(|id| {
                let item = FileItem {
                    id: id.to_string(),
                    ..Default::default()
                };
                Entry::new(FileRow::new(item, &mut shared))
            })
            .collect()
    }

    #[test]
    fn two_ids_with_one_hash_both_keep_their_row() {
        let r = rows(&["a", "b", "c"]);
        let mut ix = IdIndex::default();
        ix.insert_at(7, "a", 0, &r);
        ix.insert_at(7, "b", 1, &r);
        ix.insert("c", 2, &r);
        assert_eq!(ix.get_at(7, "a", &r), Some(0));
        assert_eq!(ix.get_at(7, "b", &r), Some(1));
        assert_eq!(ix.get("c", &r), Some(2));
        assert_eq!(ix.get_at(7, "z", &r), None);
        assert_eq!(ix.get("z", &r), None);
        ix.rebuild(&r[1..]);
        assert_eq!(ix.get("b", &r[1..]), Some(0));
        assert_eq!(ix.get("a", &r[1..]), None);
    }
}
