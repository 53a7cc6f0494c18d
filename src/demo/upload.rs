//! getUploadFormData and the upload node (`POST /upload`): a signed, single-use, expiring form;
//! the multipart body is streamed to disk with its md5 computed on the way.

use super::faults::Pace;
use super::net::ConnKill;
use super::routes::{ApiError, Params, Reply, need, ok};
use super::server::Shared;
use super::shapes::{parent_in, parent_out};
use super::state::{Access, Blob, FOLDER_LIMIT, Source, random_id};
use super::{routes, sign};
use crate::md5sum::Md5;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{ConnectInfo, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// Upload forms are valid this long.
pub const FORM_TTL_SECS: u64 = 3600;
const FILE_FIELD: &str = "file";

pub(crate) fn form_data(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let parent = routes::parent_param(p, "parent_id", acct)?;
    if !st.folder_ok(acct, &parent) {
        // The method documents no "not found": an unknown folder is an incorrect parameter.
        return Err(ApiError::invalid());
    }
    if st.child_count(acct, &parent) >= FOLDER_LIMIT {
        return Err(ApiError::e406(61, "Limit files in specified folder reached"));
    }
    let expires = sign::now_ms() / 1000 + FORM_TTL_SECS;
    let params = json!({"account": acct.tag(), "parent_id": parent_out(acct, &parent), "expires": expires,
        "nonce": random_id(16)})
    .to_string();
    let signature = sign::hmac(&sh.secret, params.as_bytes());
    ok(json!({
        "form_action": format!("{}/upload", sh.base),
        "file_field": FILE_FIELD,
        "form_data": {"ajax": true, "params": params, "signature": signature},
    }))
}

/// The upload node's error envelope.
fn node_error(message: &str) -> Response {
    let body = json!({"name": "Bad Request", "message": message, "code": 0, "status": 400});
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

struct Form {
    acct: super::accounts::Acct,
    parent: String,
    nonce: String,
}

fn verify(sh: &Shared, params: &str, signature: &str) -> Result<Form, &'static str> {
    if !sign::same(&sign::hmac(&sh.secret, params.as_bytes()), signature.trim()) {
        return Err("Wrong signature");
    }
    let v: Value = serde_json::from_str(params).map_err(|_| "Wrong signature")?;
    let acct = v["account"].as_str().and_then(super::accounts::Acct::from_tag);
    let (Some(acct), Some(parent), Some(expires), Some(nonce)) = (
        acct,
        v["parent_id"].as_str(),
        v["expires"].as_u64(),
        v["nonce"].as_str(),
    ) else {
        return Err("Wrong signature");
    };
    if sign::now_ms() / 1000 > expires {
        return Err("Upload form expired: request new form data");
    }
    Ok(Form {
        acct,
        parent: parent_in(acct, parent),
        nonce: nonce.to_string(),
    })
}

/// Bytes read and dropped after an early refusal before the answer is sent anyway.
const EARLY_DRAIN: u64 = 64 << 20;
const USED: &str = "This upload form was already used: request new form data";

fn unused(sh: &Shared, f: Form) -> Result<Form, &'static str> {
    if sh.st().used_forms.contains(&f.nonce) {
        Err(USED)
    } else {
        Ok(f)
    }
}

async fn drain(field: &mut Field<'_>, cap: u64) {
    let mut n = 0u64;
    while let Ok(Some(c)) = field.chunk().await {
        n += c.len() as u64;
        if n > cap {
            break;
        }
    }
}

/// A file body received in full: where it is, its size and md5, its name.
struct Received {
    path: PathBuf,
    size: u64,
    md5: String,
    name: String,
}

enum ReceiveError {
    /// The reset fault fired: the connection is being killed.
    Reset,
    Failed(&'static str),
}

async fn receive(
    sh: &Shared,
    field: &mut Field<'_>,
    kill: &ConnKill,
    tmp: &PathBuf,
) -> Result<(u64, String), ReceiveError> {
    let faults = sh.faults();
    let mut pace = Pace::new(faults.bandwidth);
    let file = tokio::fs::File::create(tmp)
        .await
        .map_err(|_| ReceiveError::Failed("Cannot store the file"))?;
    let mut out = ChunkWriter::new(file.into_std().await);
    let mut md5 = Md5::new();
    let mut size: u64 = 0;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                let len = chunk.len() as u64;
                if faults.reset_upload_after.is_some_and(|n| size + len > n) {
                    kill.kill();
                    return Err(ReceiveError::Reset);
                }
                md5.update(&chunk);
                out.push(chunk).await?;
                size += len;
                pace.after(len).await;
            }
            Ok(None) => break,
            Err(_) => return Err(ReceiveError::Failed("Upload interrupted")),
        }
    }
    out.finish().await?;
    Ok((size, md5.hex()))
}

/// Bytes of received chunks gathered before one trip to a blocking thread writes them.
const WRITE_BATCH: usize = 1 << 20;

/// Writes the received chunks as they are (no copy into a buffer), a batch at a time on a
/// blocking thread, one batch being written while the next is received.
struct ChunkWriter {
    file: Arc<std::fs::File>,
    batch: Vec<bytes::Bytes>,
    len: usize,
    writing: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl ChunkWriter {
    fn new(file: std::fs::File) -> ChunkWriter {
        ChunkWriter {
            file: Arc::new(file),
            batch: Vec::new(),
            len: 0,
            writing: None,
        }
    }

    async fn push(&mut self, chunk: bytes::Bytes) -> Result<(), ReceiveError> {
        self.len += chunk.len();
        self.batch.push(chunk);
        if self.len >= WRITE_BATCH {
            self.write().await?;
        }
        Ok(())
    }

    /// Waits for the write under way, then starts one of the batch.
    async fn write(&mut self) -> Result<(), ReceiveError> {
        self.wait().await?;
        let (file, batch) = (self.file.clone(), std::mem::take(&mut self.batch));
        self.len = 0;
        self.writing = Some(tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut f: &std::fs::File = &file;
            batch.iter().try_for_each(|c| f.write_all(c))
        }));
        Ok(())
    }

    async fn wait(&mut self) -> Result<(), ReceiveError> {
        let Some(writing) = self.writing.take() else {
            return Ok(());
        };
        match writing.await {
            Ok(Ok(())) => Ok(()),
            _ => Err(ReceiveError::Failed("Cannot store the file")),
        }
    }

    async fn finish(mut self) -> Result<(), ReceiveError> {
        self.write().await?;
        self.wait().await
    }
}

/// `POST /upload`.
pub(crate) async fn upload(
    State(sh): State<Arc<Shared>>,
    ConnectInfo(kill): ConnectInfo<ConnKill>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut mp) = mp else {
        return node_error("Expected a multipart/form-data body");
    };
    let (mut params, mut signature, mut got): (Option<String>, Option<String>, Option<Received>) =
        (None, None, None);
    let fail = |got: Option<Received>, msg: &'static str| async move {
        if let Some(r) = got {
            let _ = tokio::fs::remove_file(&r.path).await;
        }
        node_error(msg)
    };
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return fail(got, "Malformed multipart body").await,
        };
        let field_name = field.name().unwrap_or_default().to_string();
        match field_name.as_str() {
            "params" => params = field.text().await.ok(),
            "signature" => signature = field.text().await.ok(),
            FILE_FIELD if got.is_none() => {
                if let (Some(p), Some(s)) = (&params, &signature)
                    && let Err(msg) = verify(&sh, p, s).and_then(|f| unused(&sh, f))
                {
                    // Refuse early, but read (and drop) a reasonable body so the client gets
                    // this answer rather than a reset connection.
                    drain(&mut field, EARLY_DRAIN).await;
                    return node_error(msg);
                }
                let name = field.file_name().unwrap_or_default().to_string();
                if name.is_empty() {
                    return node_error("File name is missing");
                }
                sh.upload_starts.fetch_add(1, Ordering::SeqCst);
                let path = sh
                    .data_dir
                    .join("uploads")
                    .join(format!("{}.part", random_id(16)));
                match receive(&sh, &mut field, &kill, &path).await {
                    Ok((size, md5)) => {
                        sh.upload_bodies.fetch_add(1, Ordering::SeqCst);
                        got = Some(Received {
                            path,
                            size,
                            md5,
                            name,
                        });
                    }
                    Err(e) => {
                        let _ = tokio::fs::remove_file(&path).await;
                        return match e {
                            ReceiveError::Reset => StatusCode::BAD_REQUEST.into_response(),
                            ReceiveError::Failed(msg) => node_error(msg),
                        };
                    }
                }
            }
            _ => while let Ok(Some(_)) = field.chunk().await {},
        }
    }
    let Some(r) = got else {
        return node_error("No file was sent");
    };
    let (Some(p), Some(s)) = (params, signature) else {
        return fail(Some(r), "Wrong signature").await;
    };
    match verify(&sh, &p, &s) {
        Ok(form) => store(&sh, form, r).await,
        Err(msg) => fail(Some(r), msg).await,
    }
}

/// Keeps a received file for the form's account and folder, or says why not.
async fn store(sh: &Shared, form: Form, r: Received) -> Response {
    let fail = |got: Received, msg: &'static str| async move {
        let _ = tokio::fs::remove_file(&got.path).await;
        node_error(msg)
    };
    // The store_delay_ms knob: a node slow to answer after the last byte.
    let store_delay = sh.faults().store_delay_ms;
    if store_delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(store_delay)).await;
    }
    let final_path = sh.data_dir.join("uploads").join(random_id(16));
    if tokio::fs::rename(&r.path, &final_path).await.is_err() {
        return fail(r, "Cannot store the file").await;
    }
    let stored = Received {
        path: final_path,
        ..r
    };
    let quota = sh.faults().quota;
    let outcome = {
        let mut st = sh.st();
        if st.used_forms.contains(&form.nonce) {
            Err(USED)
        } else if !st.folder_ok(form.acct, &form.parent) {
            Err("Destination directory was not found")
        } else if st.child_count(form.acct, &form.parent) >= FOLDER_LIMIT {
            Err("Limit files in specified folder reached")
        } else if st.over_quota(form.acct, stored.size, quota) {
            Err("Disk quota exceeded")
        } else {
            st.used_forms.insert(form.nonce.clone());
            let blob = Arc::new(Blob {
                src: Source::Disk(stored.path.clone()),
                size: stored.size,
                md5: stored.md5.clone(),
            });
            Ok(st.new_file(form.acct, &form.parent, &stored.name, blob, Access::Public))
        }
    };
    match outcome {
        Ok(id) => axum::Json(json!({
            "status": "success", "success": true, "status_code": 200,
            "user_file_id": id, "link": format!("https://k2s.cc/file/{id}"),
        }))
        .into_response(),
        Err(msg) => fail(stored, msg).await,
    }
}
