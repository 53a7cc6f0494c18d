//! The body chunks of a download connection, kept as the HTTP client hands them over and
//! written with one positioned, vectored write: no copy into a buffer of our own, and the same
//! chunks then go to the md5 in memory.

use bytes::Bytes;
use std::fs::File;

/// Chunks received in order and not yet written.
#[derive(Default)]
pub(crate) struct Gather {
    parts: Vec<Bytes>,
    len: usize,
}

impl Gather {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn push(&mut self, b: Bytes) {
        if !b.is_empty() {
            self.len += b.len();
            self.parts.push(b);
        }
    }

    /// The first `n` bytes, in their chunks; what follows them stays.
    pub fn take(&mut self, n: usize) -> Vec<Bytes> {
        let mut parts = std::mem::take(&mut self.parts);
        let mut left = n;
        let keep = parts
            .iter()
            .position(|p| {
                let last = p.len() >= left;
                if !last {
                    left -= p.len();
                }
                last
            })
            .map_or(parts.len(), |i| i + 1);
        let mut rest = parts.split_off(keep);
        if let Some(last) = parts.last_mut()
            && last.len() > left
        {
            rest.insert(0, last.split_off(left));
        }
        parts.retain(|p| !p.is_empty());
        rest.retain(|p| !p.is_empty());
        self.len = rest.iter().map(Bytes::len).sum();
        self.parts = rest;
        parts
    }
}

/// Writes `parts` one after the other from `at`.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
pub(crate) fn write_all_at(file: &File, parts: &[Bytes], mut at: u64) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    /// At most this many chunks per call (Linux's IOV_MAX is 1024).
    const MAX_IOV: usize = 512;
    let (mut i, mut skip) = (0usize, 0usize);
    while i < parts.len() {
        let iov: Vec<libc::iovec> = parts[i..parts.len().min(i + MAX_IOV)]
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let s = if k == 0 { &p[skip..] } else { &p[..] };
                libc::iovec {
                    iov_base: s.as_ptr() as *mut libc::c_void,
                    iov_len: s.len(),
                }
            })
            .collect();
        let off = libc::off_t::try_from(at).map_err(std::io::Error::other)?;
        // SAFETY: every iovec points into a live `Bytes` of `parts` for its length and is only
        // read; the descriptor belongs to `file`.
        let r = unsafe { libc::pwritev(file.as_raw_fd(), iov.as_ptr(), iov.len() as libc::c_int, off) };
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if r == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        let mut n = r as usize;
        at += n as u64;
        // Step over what was written, chunk by chunk.
        while n > 0 && i < parts.len() {
            let rest = parts[i].len() - skip;
            if n >= rest {
                n -= rest;
                i += 1;
                skip = 0;
            } else {
                skip += n;
                n = 0;
            }
        }
    }
    Ok(())
}

/// Writes `parts` one after the other from `at`.
#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
pub(crate) fn write_all_at(file: &File, parts: &[Bytes], mut at: u64) -> std::io::Result<()> {
    for p in parts {
        super::fetch::write_all_at(file, p, at)?;
        at += p.len() as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gathered(sizes: &[usize]) -> (Gather, Vec<u8>) {
        let mut g = Gather::default();
        let mut all = Vec::new();
        for (k, &n) in sizes.iter().enumerate() {
            let b: Vec<u8> = (0..n).map(|i| (i * 31 + k * 7) as u8).collect();
            all.extend_from_slice(&b);
            g.push(Bytes::from(b));
        }
        (g, all)
    }

    #[test]
    fn take_keeps_the_first_bytes_in_their_chunks() {
        let (mut g, all) = gathered(&[10, 0, 5, 20]);
        assert_eq!(g.len(), 35);
        let parts = g.take(17);
        assert_eq!(parts.iter().map(Bytes::len).collect::<Vec<_>>(), [10, 5, 2]);
        assert_eq!(parts.concat(), all[..17]);
        assert_eq!(g.len(), 18, "the rest stays");
        assert_eq!(g.take(18).concat(), all[17..]);
        assert_eq!(g.len(), 0);
        let (mut g, all) = gathered(&[10, 5]);
        assert_eq!(g.take(15).concat(), all);
        let (mut g, _) = gathered(&[10, 5]);
        assert!(g.take(0).is_empty());
    }

    #[test]
    fn many_chunks_land_at_their_offsets() {
        // More chunks than one call takes, of odd sizes, after a gap at the start.
        let sizes: Vec<usize> = (0..1500).map(|i| 1 + i % 97).collect();
        let (mut g, all) = gathered(&sizes);
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("f");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let n = g.len();
        write_all_at(&file, &g.take(n), 3).unwrap();
        let got = std::fs::read(&path).unwrap();
        assert_eq!(got[..3], [0, 0, 0]);
        assert_eq!(got[3..], all[..]);
    }
}
