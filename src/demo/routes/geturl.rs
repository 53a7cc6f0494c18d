//! getUrl: signed download URLs, and the free-user flow (captcha -> key + wait -> URL).

use super::{ApiError, Params, Reply, ok, who};
use crate::demo::FREE_WAIT_SECS;
use crate::demo::faults::DEFAULT_URL_TTL;
use crate::demo::server::Shared;
use crate::demo::sign;
use crate::demo::state::{Access, FreeKey, Node, random_id, valid_id};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;
use std::time::{Duration, Instant};

/// What a name keeps unescaped in a URL path segment (RFC 3986 unreserved).
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A name as one URL path segment; a name of only dots is escaped whole so that no client
/// resolves it as "." or "..".
pub(crate) fn encode_segment(name: &str) -> String {
    let set = if name.chars().all(|c| c == '.') {
        NON_ALPHANUMERIC
    } else {
        SEGMENT
    };
    utf8_percent_encode(name, set).to_string()
}

/// A signed, expiring download URL for `n`.
pub(crate) fn download_url(sh: &Shared, n: &Node) -> String {
    let ttl = sh.faults().url_ttl.unwrap_or(DEFAULT_URL_TTL);
    let expires = sign::now_ms().saturating_add(ttl.saturating_mul(1000));
    let token = sign::download_token(&sh.secret, &n.id, expires, &random_id(8));
    format!("{}/dl/{token}/{}", sh.base, encode_segment(&n.name))
}

fn not_available(sub: u8, message: &str) -> ApiError {
    ApiError::e406(21, "File is not available").with_errors(json!([{"code": sub, "message": message}]))
}

pub(super) fn get_url(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let viewer = who(sh, &st, p)?;
    let id = p.req_str("file_id")?;
    if !valid_id(&id) {
        return Err(ApiError::invalid());
    }
    let key = p.str("free_download_key")?.filter(|k| !k.is_empty());
    let challenge = p.str("captcha_challenge")?.filter(|k| !k.is_empty());
    let response = p.str("captcha_response")?.filter(|k| !k.is_empty());
    let n = st
        .nodes
        .get(&id)
        .ok_or_else(|| ApiError::e406(20, "File not found"))?;
    let owner = viewer == Some(n.owner);
    if n.is_folder {
        return Err(sh.shape.folder_not_file());
    }
    if n.blocked {
        return Err(ApiError::e406(22, "File is blocked"));
    }
    if !owner && n.access == Access::Private {
        return Err(not_available(8, "This is private file"));
    }
    let premium = viewer.is_some_and(|a| a.is_premium());
    if !owner && !premium && n.access == Access::Premium {
        return Err(not_available(7, "This download available only for premium users"));
    }
    if owner || premium {
        let url = download_url(sh, n);
        return ok(json!({"url": url}));
    }
    if let Some(key) = key {
        let k = st
            .free_keys
            .get(&key)
            .filter(|k| k.file_id == id)
            .ok_or_else(|| ApiError::e406(40, "Wrong free download key"))?;
        let now = Instant::now();
        if now < k.ready_at {
            let left = (k.ready_at - now).as_secs_f64().ceil();
            return Err(ApiError::e406(41, "Need wait for free")
                .with_errors(json!([{"code": 5, "timeRemaining": format!("{left:.6}")}])));
        }
        st.free_keys.remove(&key);
        let n = st
            .nodes
            .get(&id)
            .ok_or_else(|| ApiError::e406(20, "File not found"))?;
        return ok(json!({"url": download_url(sh, n)}));
    }
    let (Some(challenge), Some(response)) = (challenge, response) else {
        return Err(ApiError::e406(30, "Captcha required"));
    };
    let answer = st.captchas.remove(&challenge);
    if !answer.is_some_and(|a| a.eq_ignore_ascii_case(response.trim())) {
        return Err(ApiError::e406(31, "Invalid captcha"));
    }
    let key = random_id(32);
    let ready_at = Instant::now() + Duration::from_secs(FREE_WAIT_SECS);
    st.free_keys.insert(
        key.clone(),
        FreeKey {
            file_id: id,
            ready_at,
        },
    );
    sh.shape.captcha_accepted(&key, FREE_WAIT_SECS)
}
