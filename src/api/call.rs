//! The request pipeline: throttle, POST `<base>/<method>` with a JSON body carrying the
//! credentials, decode, retry what may be retried, log in again once on a session error.

use super::auth::is_session_error;
use super::client::{Client, Result};
use super::decode::{self, Object};
use super::error::ApiError;
use serde_json::Value;
use std::time::Duration;

/// How a call may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Policy {
    /// Repeating it cannot create duplicates: retried on 5xx, timeouts, malformed replies.
    pub idempotent: bool,
    /// Send the credentials (and log in again on a session error).
    pub auth: bool,
}

impl Policy {
    pub const READ: Policy = Policy {
        idempotent: true,
        auth: true,
    };
    /// Could create duplicates: only retried when the server surely did not act on it
    /// (connection refused, 429).
    pub const WRITE: Policy = Policy {
        idempotent: false,
        auth: true,
    };
    /// A login creates nothing that a repeat would duplicate (a spare session at most), so it
    /// is retried like a read.
    pub const LOGIN: Policy = Policy {
        idempotent: true,
        auth: false,
    };
}

/// What a failed attempt allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// The request never reached the server, or was refused unprocessed (429): always safe.
    NotSent,
    /// 5xx, timeout, reset, malformed reply: safe for idempotent calls only.
    Transient,
    /// 400 "Invalid request params", which the service sometimes answers to a good request.
    StrayInvalid,
    Final,
}

pub(super) fn classify(e: &ApiError) -> Class {
    match e {
        ApiError::Api { http_status: 429, .. } | ApiError::Decode { http_status: 429, .. } => Class::NotSent,
        ApiError::Api { http_status, .. } | ApiError::Decode { http_status, .. } if *http_status >= 500 => {
            Class::Transient
        }
        ApiError::Decode { .. } => Class::Transient,
        ApiError::Api {
            http_status: 400,
            message,
            ..
        } if message.to_ascii_lowercase().contains("invalid request params") => Class::StrayInvalid,
        _ => Class::Final,
    }
}

/// A request body from a serializable request type.
pub(super) fn to_params<T: serde::Serialize>(req: &T) -> Result<Object> {
    match serde_json::to_value(req) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::local("internal error: a request is not a JSON object")),
        Err(e) => Err(ApiError::local(format!(
            "internal error: cannot encode a request: {e}"
        ))),
    }
}

/// The error chain of a reqwest error, on one line ("error sending request: ... refused").
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

pub(super) fn transport(method: &str, e: &reqwest::Error) -> (ApiError, Class) {
    let err = ApiError::Transport {
        method: method.to_string(),
        detail: error_chain(e),
        timeout: e.is_timeout(),
    };
    (
        err,
        if e.is_connect() {
            Class::NotSent
        } else {
            Class::Transient
        },
    )
}

/// Pause before attempt `attempt + 1`: min * 2^attempt, capped, with jitter in [d/2, d].
pub(super) fn backoff(attempt: u32, min: Duration, max: Duration) -> Duration {
    let factor = 1u32 << attempt.min(16);
    let d = min.saturating_mul(factor).min(max);
    let half = d / 2;
    let jitter = rand::random_range(0..=half.as_millis().max(1) as u64);
    half + Duration::from_millis(jitter)
}

impl Client {
    /// One API call with the whole policy: retries, and one re-login on 403 10/11/75.
    pub(super) async fn call(&self, method: &str, params: Object, policy: Policy) -> Result<Object> {
        let sent_token = self.inner.session.session_token();
        match self.call_retrying(method, &params, policy).await {
            Err(e) if policy.auth && is_session_error(&e) => {
                if self.relogin(sent_token.as_deref()).await? {
                    self.call_retrying(method, &params, policy).await
                } else {
                    Err(e)
                }
            }
            other => other,
        }
    }

    /// Repeat an attempt as the policy allows, with bounded exponential backoff.
    pub(super) async fn call_retrying(
        &self,
        method: &str,
        params: &Object,
        policy: Policy,
    ) -> Result<Object> {
        self.retrying(method, policy.idempotent, || {
            self.attempt(method, params, policy.auth)
        })
        .await
    }

    /// The retry loop around any attempt.
    pub(super) async fn retrying<T, F, Fut>(
        &self,
        method: &str,
        idempotent: bool,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, (ApiError, Class)>>,
    {
        let (min, max) = self.inner.backoff;
        let mut n = 0;
        let mut stray_retried = false;
        loop {
            let (err, class) = match attempt().await {
                Ok(v) => return Ok(v),
                Err(f) => f,
            };
            let allowed = match class {
                Class::NotSent => true,
                Class::Transient => idempotent,
                Class::StrayInvalid => idempotent && !std::mem::replace(&mut stray_retried, true),
                Class::Final => false,
            };
            if !allowed || n >= self.inner.max_retries {
                return Err(err);
            }
            let pause = backoff(n, min, max);
            tracing::warn!("{method}: {err}; retrying in {} ms", pause.as_millis());
            tokio::time::sleep(pause).await;
            n += 1;
        }
    }

    /// One throttled POST and its decoding.
    async fn attempt(
        &self,
        method: &str,
        params: &Object,
        auth: bool,
    ) -> std::result::Result<Object, (ApiError, Class)> {
        self.inner.limiter.until_ready().await;
        let mut body = params.clone();
        if auth && let Some((field, token)) = self.inner.session.auth_field() {
            body.insert(field.into(), Value::String(token));
        }
        let url = format!("{}/{method}", self.inner.base_url);
        tracing::debug!("POST {method}");
        let resp = self
            .inner
            .http
            .post(&url)
            .timeout(self.inner.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(|e| transport(method, &e))?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| transport(method, &e))?;
        tracing::debug!("{method}: HTTP {status}, {} bytes", bytes.len());
        decode::envelope(method, status, &bytes).map_err(|e| {
            let class = classify(&e);
            (e, class)
        })
    }

    /// GET `<base>/captcha?id=`: image bytes, retried like a read.
    pub(super) async fn get_image(&self, url: &str) -> Result<Vec<u8>> {
        let method = "captcha";
        self.retrying(method, true, || async {
            self.inner.limiter.until_ready().await;
            let resp = self
                .inner
                .http
                .get(url)
                .timeout(self.inner.timeout)
                .send()
                .await
                .map_err(|e| transport(method, &e))?;
            let status = resp.status().as_u16();
            let ctype = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            let bytes = resp.bytes().await.map_err(|e| transport(method, &e))?;
            if (200..300).contains(&status) && ctype.starts_with("image/") && !bytes.is_empty() {
                return Ok(bytes.to_vec());
            }
            // Not an image: an error envelope, or something else.
            let err = match decode::envelope(method, status, &bytes) {
                Err(e @ ApiError::Api { .. }) => e,
                _ => ApiError::Decode {
                    method: method.into(),
                    http_status: status,
                    detail: format!(
                        "expected a captcha image, got {}",
                        if ctype.is_empty() {
                            "no content type".to_string()
                        } else {
                            ctype
                        }
                    ),
                },
            };
            let class = classify(&err);
            Err((err, class))
        })
        .await
    }
}
