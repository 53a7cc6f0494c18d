//! The file part of an upload body: read from disk one chunk ahead of the connection, each read
//! one trip to a blocking thread straight into the chunk sent (no second buffer). Chunks start
//! small and grow while the connection takes them quickly, so a fast link costs few reads and
//! wakeups, while a slow one still hands over a chunk well within the stall timeout.

use bytes::Bytes;
use futures::Stream;
use std::fs::File;
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The first chunk, and the smallest.
pub(super) const MIN_CHUNK: usize = 32 * 1024;
/// The largest chunk: even at a hundredth of the speed that grew it, it goes within seconds.
pub(super) const MAX_CHUNK: usize = 256 * 1024;
/// A chunk taken this soon after the previous one doubles the next,
const FAST: Duration = Duration::from_millis(10);
/// and one taken this late halves it.
const SLOW: Duration = Duration::from_millis(200);

/// The size of the next chunk after one of `cur` bytes was taken `gap` after the previous one.
pub(super) fn next_chunk_size(cur: usize, gap: Duration) -> usize {
    if gap <= FAST {
        (cur * 2).min(MAX_CHUNK)
    } else if gap >= SLOW {
        (cur / 2).max(MIN_CHUNK)
    } else {
        cur
    }
}

struct Reader {
    file: Arc<File>,
    /// Bytes asked for so far (read, or being read).
    asked: u64,
    size: u64,
    chunk: usize,
    ahead: Option<JoinHandle<std::io::Result<Bytes>>>,
    last: Option<Instant>,
}

impl Reader {
    /// Starts reading the next chunk, unless every byte was asked for.
    fn read_ahead(&mut self) {
        let n = (self.chunk as u64).min(self.size - self.asked);
        if n == 0 {
            return;
        }
        self.asked += n;
        let file = self.file.clone();
        self.ahead = Some(tokio::task::spawn_blocking(move || read_chunk(&file, n)));
    }
}

/// `n` bytes from the file's current position (reads are one at a time, in order).
fn read_chunk(file: &File, n: u64) -> std::io::Result<Bytes> {
    let mut buf = Vec::with_capacity(n as usize);
    let mut f: &File = file;
    (&mut f).take(n).read_to_end(&mut buf)?;
    if (buf.len() as u64) < n {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the file got shorter while it was being sent",
        ));
    }
    Ok(Bytes::from(buf))
}

/// The first `size` bytes of `file`, from its current position, in chunks of
/// `MIN_CHUNK..=MAX_CHUNK` bytes.
pub(super) fn stream(file: File, size: u64) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let reader = Reader {
        file: Arc::new(file),
        asked: 0,
        size,
        chunk: MIN_CHUNK,
        ahead: None,
        last: None,
    };
    futures::stream::unfold(Some(reader), |state| async move {
        let mut r = state?;
        if r.ahead.is_none() {
            r.read_ahead();
        }
        let read = r.ahead.take()?.await;
        let bytes = match read {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return Some((Err(e), None)),
            Err(e) => return Some((Err(std::io::Error::other(e)), None)),
        };
        let now = Instant::now();
        if let Some(last) = r.last {
            r.chunk = next_chunk_size(r.chunk, now.saturating_duration_since(last));
        }
        r.last = Some(now);
        r.read_ahead();
        Some((Ok(bytes), Some(r)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[test]
    fn chunks_grow_on_a_fast_link_and_shrink_on_a_slow_one() {
        let fast = Duration::from_millis(1);
        let slow = Duration::from_secs(1);
        let mut c = MIN_CHUNK;
        for _ in 0..20 {
            c = next_chunk_size(c, fast);
        }
        assert_eq!(c, MAX_CHUNK);
        assert_eq!(
            next_chunk_size(c, Duration::from_millis(50)),
            c,
            "a steady pace keeps it"
        );
        for _ in 0..20 {
            c = next_chunk_size(c, slow);
        }
        assert_eq!(c, MIN_CHUNK);
    }

    #[tokio::test]
    async fn the_stream_holds_exactly_the_first_size_bytes_in_growing_chunks() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("f");
        let data: Vec<u8> = (0..5_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let size = data.len() as u64 - 10;
        let chunks: Vec<Bytes> = stream(File::open(&path).unwrap(), size)
            .map(|c| c.unwrap())
            .collect()
            .await;
        assert_eq!(chunks.concat(), data[..size as usize]);
        let largest = chunks.iter().map(Bytes::len).max().unwrap();
        assert!(largest > MIN_CHUNK, "taken at once, chunks grow: {largest}");
        assert!(largest <= MAX_CHUNK);
    }

    #[tokio::test]
    async fn a_file_shorter_than_its_size_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("f");
        std::fs::write(&path, vec![1u8; 1000]).unwrap();
        let items: Vec<_> = stream(File::open(&path).unwrap(), 2000).collect().await;
        assert_eq!(items.len(), 1);
        assert!(items[0].is_err());
    }
}
