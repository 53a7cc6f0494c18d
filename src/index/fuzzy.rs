//! The finder's fuzzy query over every name, per keystroke: scored on every core, only the
//! best kept while scoring; a query that only adds letters to the one before scores only the
//! names that one matched (a name without "hol" in it has no "holi" either).

use super::names::{Hit, Names};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use std::sync::Arc;

/// From this many names on, a fuzzy query is scored on every core.
pub(super) const PARALLEL_FROM: usize = 20_000;

/// Hits held while scoring before the worse ones are dropped.
const PRUNE_AT: usize = 4096;

/// Whether every name `new` matches was matched by `old` too: `new` is `old` with more
/// letters, without the pattern syntax (`^`, `$`, `'`, `!`, `\`, spaces) or non-ASCII letters
/// that could change how it is read.
fn narrows(old: &str, new: &str) -> bool {
    !old.is_empty()
        && new.starts_with(old)
        && new
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"^$'!\\".contains(&b))
}

/// (the best hits, every entry that matched) of a part of the names.
type Part = (Vec<Hit>, Vec<u32>);

impl Names {
    /// The best `limit` fuzzy matches of `pattern` (nucleo's scoring, smart case), best first;
    /// equal scores: the shorter name first.
    pub fn fuzzy(&self, pattern: &str, limit: usize) -> Vec<Hit> {
        let pat = Pattern::parse(pattern, CaseMatching::Smart, Normalization::Smart);
        let from = self.narrowed(pattern);
        let ids = from.as_deref().map(Vec::as_slice);
        let n = ids.map_or(self.entries.len(), <[u32]>::len);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        let parts: Vec<Part> = if threads < 2 || n < PARALLEL_FROM {
            vec![self.score_part(&pat, ids, 0, n, limit)]
        } else {
            // Each core scores its share of the names with its own matcher.
            let chunk = n.div_ceil(threads);
            std::thread::scope(|s| {
                let parts: Vec<_> = (0..threads)
                    .map(|k| {
                        let pat = &pat;
                        let (a, b) = ((k * chunk).min(n), ((k + 1) * chunk).min(n));
                        s.spawn(move || self.score_part(pat, ids, a, b, limit))
                    })
                    .collect();
                parts.into_iter().map(|p| p.join().unwrap_or_default()).collect()
            })
        };
        let mut hits = Vec::new();
        let mut matched = Vec::new();
        for (h, m) in parts {
            hits.extend(h);
            matched.extend(m);
        }
        self.remember(pattern, matched);
        self.best(hits, limit)
    }

    /// The entries the query before matched, when `pattern` can only match fewer.
    fn narrowed(&self, pattern: &str) -> Option<Arc<Vec<u32>>> {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        match &*last {
            Some((old, ids)) if narrows(old, pattern) => Some(ids.clone()),
            _ => None,
        }
    }

    fn remember(&self, pattern: &str, matched: Vec<u32>) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        *last = Some((pattern.to_string(), Arc::new(matched)));
    }

    /// Positions `a..b` of the names scored: the entries themselves, or `ids` of them.
    fn score_part(&self, pat: &Pattern, ids: Option<&[u32]>, a: usize, b: usize, limit: usize) -> Part {
        match ids {
            Some(ids) => {
                let ids = ids.get(a..b).unwrap_or_default();
                self.score(pat, ids.iter().map(|&i| i as usize), limit)
            }
            None => self.score(pat, a..b, limit),
        }
    }

    /// The entries `ids` (rising) that match, by their name or their metadata title: the best
    /// `limit` of them at least (all for 0), and every one that matched.
    pub(super) fn score(&self, pat: &Pattern, ids: impl Iterator<Item = usize>, limit: usize) -> Part {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let (mut hits, mut matched) = (Vec::new(), Vec::new());
        let mut ids = ids.peekable();
        let first = ids.peek().copied().unwrap_or(0);
        let skip = self.titles.partition_point(|(e, _)| (*e as usize) < first);
        let mut titles = self.titles.get(skip..).unwrap_or_default().iter().peekable();
        for at in ids {
            let Some(e) = self.entries.get(at) else {
                continue;
            };
            let mut score = pat.score(Utf32Str::new(e.name.as_str(), &mut buf), &mut matcher);
            while titles.next_if(|(te, _)| (*te as usize) < at).is_some() {}
            if let Some((_, t)) = titles.next_if(|(te, _)| *te as usize == at) {
                score = score.max(pat.score(Utf32Str::new(t.as_str(), &mut buf), &mut matcher));
            }
            let Some(score) = score else {
                continue;
            };
            matched.push(at as u32);
            hits.push(Hit { entry: at, score });
            // The worse ones dropped as they pile up: a one-letter query matches most names.
            if limit > 0 && hits.len() >= PRUNE_AT.max(2 * limit) {
                hits = self.best(hits, limit);
            }
        }
        (hits, matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::names::Builder;

    fn many() -> Names {
        let mut b = Builder::default();
        for i in 0..PARALLEL_FROM * 3 + 7 {
            let name = format!("holiday {} scan {:04}.jpg", i % 97, i % 5003);
            let title = (i % 11 == 0).then(|| format!("title {i}"));
            b.push(
                &format!("f{i:012}"),
                "/",
                &name,
                false,
                Some(i as u64),
                title.as_deref(),
            );
        }
        b.finish()
    }

    fn ranked(h: &[Hit]) -> Vec<(usize, u32)> {
        h.iter().map(|h| (h.entry, h.score)).collect()
    }

    #[test]
    fn a_fuzzy_query_on_every_core_ranks_as_one_core_does() {
        let names = many();
        for pattern in ["hol", "scan 42", "title 77", "zzz"] {
            let pat = Pattern::parse(pattern, CaseMatching::Smart, Normalization::Smart);
            let one = names.best(names.score(&pat, 0..names.len(), 0).0, 50);
            assert_eq!(ranked(&names.fuzzy(pattern, 50)), ranked(&one), "{pattern}");
        }
    }

    #[test]
    fn a_query_typed_on_ranks_as_a_fresh_one() {
        let names = many();
        let typed = [
            "h",
            "ho",
            "hol",
            "holi",
            "holid",
            "holiday-",
            "holiday 4",
            "Holiday",
            "t",
            "ti",
            "title 7",
            "title 77",
            "x",
        ];
        for (k, pattern) in typed.iter().enumerate() {
            let fresh = many();
            assert_eq!(
                ranked(&names.fuzzy(pattern, 30)),
                ranked(&fresh.fuzzy(pattern, 30)),
                "{k}: {pattern}"
            );
        }
        assert!(narrows("hol", "holi") && narrows("hol", "hol") && narrows("a", "aB"));
        for (old, new) in [
            ("", "a"),
            ("ho", "h"),
            ("ho", "ho "),
            ("ho", "ho$"),
            ("ho", "ho!"),
            ("ab", "abé"),
            ("ab", "xab"),
        ] {
            assert!(!narrows(old, new), "{old:?} -> {new:?}");
        }
    }
}
