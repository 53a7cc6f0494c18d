//! Which byte ranges of a download are done: kept in memory by the connections and saved in a
//! small sidecar file next to the `.part`, so that a restart continues where it stopped.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One byte range `[start, end)` of the file, written from `start` up to `start + done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seg {
    pub start: u64,
    /// None while the file's size is unknown (a single range to the end of the stream).
    pub end: Option<u64>,
    pub done: u64,
    /// A connection is working on it (not saved).
    #[serde(skip)]
    pub busy: bool,
}

impl Seg {
    pub fn pos(&self) -> u64 {
        self.start + self.done
    }
    pub fn remaining(&self) -> Option<u64> {
        self.end.map(|e| e.saturating_sub(self.pos()))
    }
    pub fn finished(&self) -> bool {
        self.remaining() == Some(0)
    }
}

/// A large file is cut into about this many pieces per connection,
const PIECES_PER_CONNECTION: u64 = 16;
/// of at most this size.
const MAX_PIECE: u64 = 64 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Plan {
    pub file_id: String,
    pub size: Option<u64>,
    pub segments: Vec<Seg>,
}

impl Plan {
    /// Split `size` into up to `connections` ranges of at least `min_segment` bytes.
    pub fn new(file_id: &str, size: Option<u64>, connections: usize, min_segment: u64) -> Plan {
        let segments = match size {
            None => vec![Seg {
                start: 0,
                end: None,
                done: 0,
                busy: false,
            }],
            Some(size) => {
                // Pieces handed out in order, several per connection: the part written from the
                // start grows at the speed of all connections (the md5 follows it), and a
                // connection that is done early takes the next piece.
                let conns = connections.max(1) as u64;
                let piece = if conns == 1 {
                    size.max(1)
                } else {
                    (size / (conns * PIECES_PER_CONNECTION)).clamp(min_segment.max(1), MAX_PIECE)
                };
                let n = size.div_ceil(piece).max(1);
                (0..n)
                    .map(|i| Seg {
                        start: i * piece,
                        end: Some(((i + 1) * piece).min(size)),
                        done: 0,
                        busy: false,
                    })
                    .collect()
            }
        };
        Plan {
            file_id: file_id.to_string(),
            size,
            segments,
        }
    }

    pub fn done_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.done).sum()
    }

    pub fn complete(&self) -> bool {
        self.segments.iter().all(Seg::finished)
    }

    /// Bytes from the start of the file that are all written.
    pub fn written_prefix(&self) -> u64 {
        let mut segs: Vec<&Seg> = self.segments.iter().collect();
        segs.sort_by_key(|s| s.start);
        let mut cur = 0;
        for s in segs {
            if s.start != cur {
                break;
            }
            match s.end {
                Some(e) if s.finished() => cur = e,
                _ => return s.pos(),
            }
        }
        cur
    }

    /// The size became known from the download host (the API did not say).
    pub fn learn_size(&mut self, size: u64) {
        if self.size.is_none() {
            self.size = Some(size);
            for s in &mut self.segments {
                if s.end.is_none() {
                    s.end = Some(size);
                }
            }
        }
    }

    /// A range for an idle connection: an unfinished one nobody works on, else the second half
    /// of the largest busy one (when worth splitting). Marks it busy.
    pub fn take_work(&mut self, min_segment: u64) -> Option<usize> {
        if let Some(i) = self.segments.iter().position(|s| !s.busy && !s.finished()) {
            self.segments[i].busy = true;
            return Some(i);
        }
        let (i, rem) = self
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.busy)
            .filter_map(|(i, s)| s.remaining().map(|r| (i, r)))
            .max_by_key(|(_, r)| *r)?;
        if rem < 2 * min_segment.max(1) {
            return None;
        }
        let s = &mut self.segments[i];
        let mid = s.pos() + rem / 2;
        let end = s.end;
        s.end = Some(mid);
        self.segments.push(Seg {
            start: mid,
            end,
            done: 0,
            busy: true,
        });
        Some(self.segments.len() - 1)
    }

    /// The range that starts at `at` when nobody works on it and nothing of it is written.
    fn free_at(&self, at: u64) -> Option<usize> {
        self.segments
            .iter()
            .position(|s| s.start == at && !s.busy && s.done == 0 && s.end.is_some())
    }

    /// Where the run of untouched ranges after range `idx` ends: one GET may ask for all of
    /// it when a single connection runs (the end of `idx` when none follows).
    pub fn free_run_end(&self, idx: usize) -> Option<u64> {
        let mut end = self.segments.get(idx)?.end?;
        while let Some(i) = self.free_at(end) {
            end = self.segments[i].end?;
        }
        Some(end)
    }

    /// The finished range `idx` handed over for the untouched one that follows it, when there
    /// is one: the same GET goes on into it. Marks it busy.
    pub fn continue_after(&mut self, idx: usize) -> Option<usize> {
        let end = self.segments.get(idx).filter(|s| s.finished())?.end?;
        let next = self.free_at(end)?;
        self.segments[idx].busy = false;
        self.segments[next].busy = true;
        Some(next)
    }

    /// The same plan with runs of finished ranges merged (keeps the sidecar small).
    fn compacted(&self) -> Plan {
        let mut segs = self.segments.clone();
        segs.sort_by_key(|s| s.start);
        let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
        for s in segs {
            match out.last_mut() {
                Some(last) if last.finished() && s.finished() && last.end == Some(s.start) => {
                    last.end = s.end;
                    last.done += s.done;
                }
                _ => out.push(Seg { busy: false, ..s }),
            }
        }
        Plan {
            segments: out,
            ..self.clone()
        }
    }

    /// The sidecar, if it belongs to this file (same id and size) and makes sense.
    pub fn load(path: &Path, file_id: &str, size: Option<u64>) -> Option<Plan> {
        let bytes = std::fs::read(path).ok()?;
        let p: Plan = serde_json::from_slice(&bytes).ok()?;
        let sane = p.file_id == file_id
            && (size.is_none() || p.size == size)
            && !p.segments.is_empty()
            && p.segments
                .iter()
                .all(|s| s.end.is_none_or(|e| s.start <= e && s.pos() <= e));
        sane.then_some(p)
    }

    /// Write the sidecar (temp file + rename: never half-written).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(&self.compacted()).map_err(std::io::Error::other)?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".{:08x}.tmp", rand::random::<u32>()));
        let tmp = std::path::PathBuf::from(tmp);
        // A full disk fails the write or the rename: the temporary copy never stays.
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, path))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_get_may_run_through_untouched_ranges() {
        let mut p = Plan::new("f", Some(40), 4, 1);
        let n = p.segments.len();
        assert!(n > 3, "{n} ranges");
        let first = p.take_work(1).unwrap();
        assert_eq!(p.free_run_end(first), Some(40), "nothing else taken: to the end");
        // Another connection takes the third range: the run stops before it.
        let third = p
            .segments
            .iter()
            .position(|s| s.start == 2 * p.segments[0].end.unwrap())
            .unwrap();
        p.segments[third].busy = true;
        assert_eq!(p.free_run_end(first), Some(p.segments[third].start));
        // Not finished yet: no handing over.
        assert_eq!(p.continue_after(first), None);
        p.segments[first].done = p.segments[first].remaining().unwrap();
        let second = p.continue_after(first).unwrap();
        assert_eq!(p.segments[second].start, p.segments[first].end.unwrap());
        assert!(p.segments[second].busy && !p.segments[first].busy);
        p.segments[second].done = p.segments[second].remaining().unwrap();
        assert_eq!(p.continue_after(second), None, "the third is taken");
    }

    #[test]
    fn splits_and_steals() {
        let mut p = Plan::new("f", Some(4 << 20), 4, 1 << 20);
        assert_eq!(p.segments.len(), 4);
        assert_eq!(p.segments[3].end, Some(4 << 20));
        for _ in 0..4 {
            assert!(p.take_work(1 << 20).is_some());
        }
        // All busy: the largest remaining range is halved for a fifth connection, if big enough.
        p.segments[0].done = p.segments[0].remaining().unwrap();
        assert_eq!(p.take_work(1 << 20), None);
        assert_eq!(p.take_work(256 << 10), Some(4));
        let covered: u64 = p.segments.iter().map(|s| s.end.unwrap() - s.start).sum();
        assert_eq!(covered, 4 << 20);
        // The first range is complete, the second has nothing yet.
        assert_eq!(p.written_prefix(), p.segments[1].start);
        p.segments[1].done = 5;
        assert_eq!(p.written_prefix(), p.segments[1].start + 5);
        assert!(!p.complete());
        assert_eq!(Plan::new("f", Some(100), 4, 1 << 20).segments.len(), 1);
        assert_eq!(Plan::new("f", Some(0), 4, 1 << 20).segments.len(), 1);
        assert!(Plan::new("f", Some(0), 4, 1).complete());
    }

    #[test]
    fn big_files_go_in_ordered_pieces() {
        let mut p = Plan::new("f", Some((1 << 30) + 3), 4, 1 << 20);
        assert_eq!(p.segments.len(), 65, "16 MiB pieces and a 3-byte tail");
        assert_eq!(p.segments.last().unwrap().end, Some((1 << 30) + 3));
        assert_eq!((p.take_work(1 << 20), p.take_work(1 << 20)), (Some(0), Some(1)));
        assert_eq!(Plan::new("f", Some(1 << 30), 1, 1 << 20).segments.len(), 1);
        assert_eq!(
            Plan::new("f", Some(1 << 40), 4, 1 << 20).segments[0].end,
            Some(MAX_PIECE)
        );
    }

    #[test]
    fn sidecar_round_trip_checks_identity() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("x.part.k2s");
        let mut p = Plan::new("abc", Some(5 << 20), 2, 1 << 20);
        p.segments[1].done = 7;
        p.save(&path).unwrap();
        assert_eq!(Plan::load(&path, "abc", Some(5 << 20)), Some(p.clone()));
        // Finished neighbours are saved as one range.
        p.segments[0].done = p.segments[0].remaining().unwrap();
        p.segments[1].done = p.segments[1].end.unwrap() - p.segments[1].start;
        p.save(&path).unwrap();
        let back = Plan::load(&path, "abc", Some(5 << 20)).unwrap();
        assert_eq!(back.segments.len(), p.segments.len() - 1);
        assert_eq!(
            (back.done_bytes(), back.written_prefix()),
            (p.done_bytes(), p.written_prefix())
        );
        assert_eq!(Plan::load(&path, "other", Some(5 << 20)), None);
        assert_eq!(Plan::load(&path, "abc", Some(1)), None);
    }

    /// A full disk (a small tmpfs filled up) fails the save and leaves no temporary copy.
    /// Skipped, with the reason printed, where a tmpfs cannot be mounted (not root).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_failed_save_leaves_no_temp_file() {
        use std::process::Command;
        let d = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(d.path())
            .output();
        if !mounted.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: cannot mount a tmpfs here: {mounted:?}");
            return;
        }
        let filler = d.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        while std::io::Write::write_all(&mut f, &[7u8; 4096]).is_ok() {}
        drop(f);
        let p = Plan::new("abc", Some(5 << 20), 2, 1 << 20);
        let r = p.save(&d.path().join("x.part.k2s"));
        let left: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let _ = Command::new("umount").arg(d.path()).status();
        assert!(r.is_err());
        assert_eq!(left, ["filler"], "debris on a full disk");
    }
}
