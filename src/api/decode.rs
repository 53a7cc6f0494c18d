//! The response envelope: success by `status`, JSON error bodies on any HTTP status, errorCode
//! as number or string, sub-errors, unreadable bodies; and the upload node's own envelope.
//! The JSON text itself is read by `json_text` (strict, then the reference's slips repaired).

use super::error::{ApiError, ErrorCode, SubError};
use super::json_text;
use super::lenient as l;
use super::types::UploadResult;
use serde_json::{Map, Value};

pub(super) type Object = Map<String, Value>;

/// Which error envelopes a method reads as an answer (getUrl's 406/41 with a free key).
pub(super) type Accept = fn(&Object) -> bool;

/// No error envelope is an answer.
pub(super) fn refuse(_: &Object) -> bool {
    false
}

/// Decode an API reply: the JSON object on success, `ApiError::Api` for an error envelope
/// (whatever the HTTP status), `ApiError::Decode` for a body that is not a JSON object.
pub(super) fn envelope(method: &str, http: u16, body: &[u8]) -> Result<Object, ApiError> {
    envelope_accepting(method, http, body, refuse)
}

/// `envelope`, except that an error envelope for which `accept` says yes is returned as the
/// answer (the caller decodes it).
pub(super) fn envelope_accepting(
    method: &str,
    http: u16,
    body: &[u8],
    accept: Accept,
) -> Result<Object, ApiError> {
    let value: Value = json_text::parse(body).map_err(|e| ApiError::Decode {
        method: method.to_string(),
        http_status: http,
        detail: bad_body(body, &e),
    })?;
    let Value::Object(map) = value else {
        return Err(ApiError::Decode {
            method: method.to_string(),
            http_status: http,
            detail: "the reply is JSON but not an object".into(),
        });
    };
    check_envelope(method, http, map, accept)
}

/// The envelope's verdict on a reply already read into `map`: the map on success (or when
/// `accept` says yes), else `ApiError::Api`.
pub(super) fn check_envelope(
    method: &str,
    http: u16,
    map: Object,
    accept: Accept,
) -> Result<Object, ApiError> {
    let status = map
        .get("status")
        .and_then(l::to_string)
        .map(|s| s.trim().to_ascii_lowercase());
    let success = match status.as_deref() {
        Some("success") => true,
        Some(_) => false,
        // No status: trust a 2xx without an error code.
        None => (200..300).contains(&http) && !map.contains_key("errorCode"),
    };
    if success || accept(&map) {
        Ok(map)
    } else {
        Err(api_error(method, http, &map))
    }
}

/// An error envelope as `ApiError::Api`.
pub(super) fn api_error(method: &str, http: u16, map: &Object) -> ApiError {
    let body_code = map
        .get("code")
        .and_then(l::to_u64)
        .and_then(|c| u16::try_from(c).ok());
    // A 2xx carrying an error envelope: its own `code` tells more (e.g. 429, 500).
    let http_status = match body_code {
        Some(c) if (200..300).contains(&http) && c >= 400 => c,
        _ => http,
    };
    ApiError::Api {
        method: method.to_string(),
        http_status,
        code: error_code(map.get("errorCode")),
        message: map.get("message").and_then(l::to_string).unwrap_or_default(),
        errors: errors_with_wait(map),
    }
}

/// `errors`, plus a wait the envelope gives at its top level (`timeRemaining`, `time_wait`)
/// when no entry carries one.
fn errors_with_wait(map: &Object) -> Vec<SubError> {
    let mut errors = map.get("errors").map(sub_errors).unwrap_or_default();
    let top = ["timeRemaining", "time_remaining", "time_wait"]
        .iter()
        .find_map(|k| map.get(*k).and_then(l::to_f64));
    if let Some(t) = top
        && !errors.iter().any(|e| e.time_remaining.is_some())
    {
        errors.push(SubError {
            code: None,
            message: None,
            time_remaining: Some(t),
        });
    }
    errors
}

/// errorCode: 10, "10", "captcha_need_wait", or absent.
pub(super) fn error_code(v: Option<&Value>) -> ErrorCode {
    match v {
        Some(Value::Number(n)) => n.as_i64().map_or(ErrorCode::None, ErrorCode::Num),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                ErrorCode::None
            } else if let Ok(n) = s.parse::<i64>() {
                ErrorCode::Num(n)
            } else {
                ErrorCode::Text(s.to_string())
            }
        }
        _ => ErrorCode::None,
    }
}

/// `errors`: a list of objects `{code, message, timeRemaining}` or of strings; or an object
/// of field -> message(s).
pub(super) fn sub_errors(v: &Value) -> Vec<SubError> {
    match v {
        Value::Array(items) => items.iter().filter_map(sub_error).collect(),
        Value::Object(m) if m.contains_key("code") || m.contains_key("message") => {
            sub_error(v).into_iter().collect()
        }
        Value::Object(m) => m
            .iter()
            .flat_map(|(field, msgs)| {
                l::to_string_vec(msgs).into_iter().map(move |msg| SubError {
                    code: None,
                    message: Some(format!("{field}: {msg}")),
                    time_remaining: None,
                })
            })
            .collect(),
        Value::String(_) => sub_error(v).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn sub_error(v: &Value) -> Option<SubError> {
    match v {
        Value::Object(m) => Some(SubError {
            code: m.get("code").and_then(l::to_i64),
            message: m.get("message").and_then(l::to_string).filter(|s| !s.is_empty()),
            time_remaining: m
                .get("timeRemaining")
                .or_else(|| m.get("time_remaining"))
                .and_then(l::to_f64),
        }),
        Value::String(s) if !s.trim().is_empty() => Some(SubError {
            code: None,
            message: Some(s.clone()),
            time_remaining: None,
        }),
        Value::Number(_) => Some(SubError {
            code: l::to_i64(v),
            message: None,
            time_remaining: None,
        }),
        _ => None,
    }
}

/// Why a body is not JSON, in words (never the body itself, which may be large).
fn bad_body(body: &[u8], e: &serde_json::Error) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        "the reply was empty".into()
    } else if looks_like_html(trimmed) {
        match html_title(&text) {
            Some(t) => format!("an HTML page instead of JSON ({t})"),
            None => "an HTML page instead of JSON".into(),
        }
    } else if e.is_eof() {
        "the JSON reply was cut short".into()
    } else {
        format!("not valid JSON ({e})")
    }
}

fn looks_like_html(t: &str) -> bool {
    let lower = t.get(..t.len().min(200)).unwrap_or(t).to_ascii_lowercase();
    lower.starts_with("<!doctype")
        || lower.starts_with("<html")
        || lower.contains("<body")
        || lower.contains("<head")
}

/// The text of `<title>` (or the first `<h1>`), cleaned for one line of a terminal.
fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for (open, close) in [("<title", "</title>"), ("<h1", "</h1>")] {
        let Some(start) = lower.find(open) else { continue };
        let Some(gt) = lower[start..].find('>') else {
            continue;
        };
        let from = start + gt + 1;
        let Some(len) = lower[from..].find(close) else {
            continue;
        };
        let t: String = html
            .get(from..from + len)
            .unwrap_or("")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            return Some(t.chars().take(120).collect());
        }
    }
    None
}

/// The upload node's reply: `{"status":"success","success":true,"status_code":200,
/// "user_file_id":...,"link":...}`, or `{"name","message","code":0,"status":400}`, or an HTML page.
pub(super) fn upload_reply(http: u16, body: &[u8]) -> Result<UploadResult, ApiError> {
    let value: Value = match json_text::parse(body) {
        Ok(v) => v,
        Err(e) => {
            let what = bad_body(body, &e);
            let message = if (200..300).contains(&http) {
                format!(
                    "the upload node's reply could not be understood: {what}; the file may or may not have been stored"
                )
            } else {
                format!("the upload node failed: {what}")
            };
            return Err(ApiError::Upload {
                http_status: http,
                message,
            });
        }
    };
    let Value::Object(map) = value else {
        return Err(ApiError::Upload {
            http_status: http,
            message: "the upload node's reply is not a JSON object".into(),
        });
    };
    let status_text = map
        .get("status")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let success = status_text.as_deref() == Some("success")
        || (status_text.is_none() && map.get("success").and_then(l::to_bool) == Some(true));
    if success {
        let result: UploadResult = serde_json::from_value(Value::Object(map)).unwrap_or_default();
        if result.user_file_id.trim().is_empty() {
            return Err(ApiError::Upload {
                http_status: http,
                message: "the upload node reported success but sent no file id".into(),
            });
        }
        return Ok(result);
    }
    // Error: `status` is the HTTP status there (a number), `code` is 0; or an API-style envelope.
    let node_status = map
        .get("status")
        .filter(|v| !v.is_string())
        .or_else(|| map.get("status_code"))
        .and_then(l::to_u64)
        .and_then(|c| u16::try_from(c).ok());
    let http_status = match node_status {
        Some(s) if (200..300).contains(&http) && s >= 400 => s,
        _ => http,
    };
    let name = map.get("name").and_then(l::to_string).filter(|s| !s.is_empty());
    let msg = map
        .get("message")
        .and_then(l::to_string)
        .filter(|s| !s.is_empty());
    let mut message = match (name, msg) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (None, Some(m)) => m,
        (Some(n), None) => n,
        (None, None) => "the upload node refused the file".into(),
    };
    if let ErrorCode::Num(n) = error_code(map.get("errorCode"))
        && let Some(t) = super::error::code_text(n)
    {
        message = format!("{t} ({message})");
    }
    if message.to_ascii_lowercase().contains("wrong signature") {
        message.push_str(
            " (the upload form is stale or was fetched from another IP address; ask for a new one)",
        );
    }
    Err(ApiError::Upload { http_status, message })
}
