//! remoteUploadAdd / remoteUploadStatus. Accepted URLs are fetched in the background, but only
//! from loopback hosts (the demo server never reaches out to the network): status 1 new (5
//! accepted in the live shape) for `START_DELAY` -> 2 processing (progress %) -> 3 completed
//! (file_id) or 4 error (message).

use super::accounts::Acct;
use super::routes::{ApiError, Params, Reply, need, ok};
use super::server::Shared;
use super::state::{Access, Blob, FOLDER_LIMIT, ROOT, Remote, Source, random_id};
use crate::md5sum::Md5;
use serde_json::{Value, json};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

const MAX_URLS: usize = 100;
/// A remote server that sends nothing for this long fails the upload.
const STALL: Duration = Duration::from_secs(30);
/// Remote-upload ids count up from here.
const FIRST_ID: u64 = 46_564_421;
/// An accepted URL waits this long before its download starts.
const START_DELAY: Duration = Duration::from_secs(1);

pub(crate) fn add(sh: &Arc<Shared>, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let urls = p.list("urls")?.ok_or_else(ApiError::invalid)?;
    if urls.is_empty() || urls.len() > MAX_URLS {
        return Err(ApiError::invalid());
    }
    let (mut accepted, mut rejected, mut jobs) = (Vec::new(), Vec::new(), Vec::new());
    for u in urls {
        let ok_scheme = url::Url::parse(u.trim())
            .is_ok_and(|x| matches!(x.scheme(), "http" | "https") && x.host_str().is_some());
        if !ok_scheme {
            rejected.push(
                sh.shape
                    .rejected_url(&u, "Invalid URL: only http:// and https:// links are accepted"),
            );
            continue;
        }
        let id = st.remotes.keys().next_back().map_or(FIRST_ID, |k| k + 1);
        st.remotes.insert(
            id,
            Remote {
                owner: acct,
                status: sh.shape.remote_waiting(),
                progress: 0,
                file_id: None,
                message: None,
            },
        );
        accepted.push(json!({"url": u, "id": id.to_string()}));
        jobs.push((id, u.trim().to_string()));
    }
    drop(st);
    for (id, url) in jobs {
        let sh = sh.clone();
        tokio::spawn(async move {
            let outcome = fetch(&sh, id, acct, &url).await;
            let mut st = sh.st();
            if let Some(r) = st.remotes.get_mut(&id) {
                match outcome {
                    Ok(file_id) => {
                        r.status = 3;
                        r.progress = 100;
                        r.file_id = Some(file_id);
                    }
                    Err(msg) => {
                        r.status = 4;
                        r.message = Some(msg);
                    }
                }
            }
        });
    }
    ok(json!({"acceptedUrls": accepted, "rejectedUrls": rejected}))
}

fn is_loopback(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The stored name: the URL's last path segment, decoded.
fn name_from(u: &url::Url, id: u64) -> String {
    let last = u
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default();
    let name = percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .to_string();
    if name.chars().count() < 3 {
        format!("remote-upload-{id}.bin")
    } else {
        name
    }
}

fn set_progress(sh: &Shared, id: u64, status: u8, progress: u8) {
    if let Some(r) = sh.st().remotes.get_mut(&id) {
        r.status = status;
        r.progress = progress;
    }
}

async fn fetch(sh: &Shared, id: u64, acct: Acct, url: &str) -> Result<String, String> {
    let u = url::Url::parse(url).map_err(|_| "Invalid URL".to_string())?;
    tokio::time::sleep(START_DELAY).await;
    if !is_loopback(&u) {
        return Err("The demo server only fetches loopback URLs (127.0.0.1, localhost)".into());
    }
    set_progress(sh, id, 2, 0);
    let mut resp = sh
        .http
        .get(u.clone())
        .send()
        .await
        .map_err(|e| format!("Download failed: {e}"))?;
    if !resp.status().is_success() {
        return Err(format!("Remote server answered HTTP {}", resp.status().as_u16()));
    }
    let total = resp.content_length();
    let tmp = sh
        .data_dir
        .join("uploads")
        .join(format!("{}.remote", random_id(16)));
    let result: Result<(u64, String), String> = async {
        let mut file = tokio::fs::File::create(&tmp).await.map_err(|e| e.to_string())?;
        let (mut md5, mut size) = (Md5::new(), 0u64);
        loop {
            let chunk = tokio::time::timeout(STALL, resp.chunk())
                .await
                .map_err(|_| "Remote server stalled".to_string())?
                .map_err(|e| format!("Download failed: {e}"))?;
            let Some(chunk) = chunk else { break };
            md5.update(&chunk);
            file.write_all(&chunk).await.map_err(|e| e.to_string())?;
            size += chunk.len() as u64;
            if let Some(t) = total.filter(|t| *t > 0) {
                set_progress(sh, id, 2, (size.saturating_mul(100) / t).min(99) as u8);
            }
        }
        file.flush().await.map_err(|e| e.to_string())?;
        Ok((size, md5.hex()))
    }
    .await;
    let (size, md5) = match result {
        Ok(x) => x,
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
    };
    let quota = sh.faults().quota;
    let created = {
        let mut st = sh.st();
        if st.child_count(acct, ROOT) >= FOLDER_LIMIT {
            Err("Limit files in specified folder reached")
        } else if st.over_quota(acct, size, quota) {
            Err("Disk quota exceeded")
        } else {
            let blob = Arc::new(Blob {
                src: Source::Disk(tmp.clone()),
                size,
                md5,
            });
            Ok(st.new_file(acct, ROOT, &name_from(&u, id), blob, Access::Public))
        }
    };
    if created.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    created.map_err(str::to_string)
}

pub(crate) fn status(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let ids = p.list("ids")?.ok_or_else(ApiError::invalid)?;
    if ids.is_empty() || ids.len() > MAX_URLS {
        return Err(ApiError::invalid());
    }
    let shape = &sh.shape;
    let mut uploads = Vec::new();
    for raw in ids {
        let id: u64 = raw.trim().parse().map_err(|_| ApiError::invalid())?;
        let item: Value = match st.remotes.get(&id).filter(|r| r.owner == acct) {
            Some(r) => {
                let mut v = json!({"status": r.status, "progress": shape.num(r.progress.into()),
                    "file_id": r.file_id});
                if let Some(m) = &r.message {
                    v["message"] = json!(m);
                }
                v
            }
            None => json!({"status": 4, "progress": shape.num(0), "file_id": null,
                "message": "Remote upload not found"}),
        };
        uploads.push((id.to_string(), item));
    }
    ok(json!({"uploads": shape.remote_uploads(uploads)}))
}
