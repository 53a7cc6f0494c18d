//! The md5 of a download, computed while it arrives: follows the part of the .part file that
//! is written from the start, so that little is left to hash once the last byte is in.

use super::fetch::Download;
use crate::md5sum::Md5;
use std::time::Duration;

/// Bytes hashed per blocking call.
const STEP: u64 = 8 << 20;

/// Ends with the md5 once the whole file is written and hashed.
pub(crate) async fn follow(dl: &Download) -> std::io::Result<String> {
    let mut md5 = Md5::new();
    let mut hashed = 0u64;
    loop {
        let (prefix, complete) = dl.with_plan(|p| (p.written_prefix(), p.complete()));
        if hashed < prefix {
            let upto = prefix.min(hashed + STEP);
            let file = dl.file.clone();
            let work = tokio::task::spawn_blocking(move || {
                let mut buf = vec![0u8; 1 << 20];
                let mut at = hashed;
                while at < upto {
                    let n = (upto - at).min(buf.len() as u64) as usize;
                    read_exact_at(&file, &mut buf[..n], at)?;
                    md5.update(&buf[..n]);
                    at += n as u64;
                }
                Ok::<_, std::io::Error>(md5)
            });
            md5 = work.await.map_err(std::io::Error::other)??;
            hashed = upto;
        } else if complete {
            return Ok(md5.hex());
        } else {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = file.seek_read(buf, at)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        at += n as u64;
    }
    Ok(())
}
