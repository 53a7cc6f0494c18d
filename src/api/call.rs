//! The request pipeline: throttle, POST `<base>/<method>` with a JSON body carrying the
//! credentials, decode, retry what may be retried, log in again once on a session error.
//! A stray 400 "Invalid request params" is retried for reads and writes alike, with its own
//! budget (`STRAY_RETRIES`); other failures as `Policy` says, up to `max_retries`.

use super::auth::is_session_error;
use super::client::{Client, Result};
use super::client::{RetryNotice, RetryReport, short_reason};
use super::decode::{self, Accept, Object};
use super::error::ApiError;
use serde_json::Value;
use std::time::{Duration, Instant};

/// How a call may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Policy {
    /// Repeating it cannot create duplicates: retried on 5xx, timeouts, malformed replies.
    pub idempotent: bool,
    /// Send the credentials (and log in again on a session error).
    pub auth: bool,
    /// Retry a 400 "Invalid request params" (a stray one did nothing).
    pub retry_invalid: bool,
}

impl Policy {
    pub const READ: Policy = Policy {
        idempotent: true,
        auth: true,
        retry_invalid: true,
    };
    /// Could create duplicates: only retried when the server surely did not act on it
    /// (connection refused, 429, a stray 400).
    pub const WRITE: Policy = Policy {
        idempotent: false,
        auth: true,
        retry_invalid: true,
    };
    /// A login creates nothing that a repeat would duplicate (a spare session at most), so it
    /// is retried like a read; but not on a 400: the reference answers a wrong password with
    /// 400 errorCode 2, and repeating it would count towards "Login attempts exceeded".
    pub const LOGIN: Policy = Policy {
        idempotent: true,
        auth: false,
        retry_invalid: false,
    };
}

/// What a failed attempt allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// The request never reached the server, or was refused unprocessed (429): always safe.
    NotSent,
    /// 5xx, timeout, reset, malformed reply: safe for idempotent calls only.
    Transient,
    /// 400 "Invalid request params", which the service sometimes answers to a good request
    /// without acting on it: safe for every call, with its own budget.
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
        e if e.is_invalid_params() => Class::StrayInvalid,
        _ => Class::Final,
    }
}

/// Retries of a stray 400 "Invalid request params", reads and writes alike (the service did
/// nothing): 250 ms doubling, about 8 s in all.
pub(super) const STRAY_RETRIES: u32 = 5;
const STRAY_FIRST_PAUSE: Duration = Duration::from_millis(250);

/// Pause before the retry after stray 400 number `n` (from 0): 250 ms * 2^n, less up to a
/// quarter of it as jitter.
pub(super) fn stray_pause(n: u32) -> Duration {
    let d = STRAY_FIRST_PAUSE.saturating_mul(1u32 << n.min(16));
    let quarter = (d / 4).as_millis().max(1) as u64;
    d - Duration::from_millis(rand::random_range(0..=quarter))
}

/// What is left of a call's retries: the budget for 5xx, timeouts and the like
/// (`max_retries`, idempotent calls only, unless the request was surely not processed), the
/// separate budget for stray 400s, and the wall-clock deadline of the whole call (no retry
/// starts after it).
#[derive(Debug, Clone)]
pub(super) struct Retries {
    idempotent: bool,
    max: u32,
    backoff: (Duration, Duration),
    done: u32,
    strays: u32,
    deadline: Option<Instant>,
    notice: Option<RetryNotice>,
    /// The retry last granted: its number and the most there may be.
    last: (u32, u32),
}

impl Retries {
    pub fn new(idempotent: bool, max: u32, backoff: (Duration, Duration)) -> Retries {
        Retries {
            idempotent,
            max,
            backoff,
            done: 0,
            strays: 0,
            deadline: None,
            notice: None,
            last: (0, 0),
        }
    }

    /// No retry may start after `deadline`.
    pub fn until(mut self, deadline: Instant) -> Retries {
        self.deadline = Some(deadline);
        self
    }

    /// Tell `notice` about every retry before its pause.
    pub fn reporting(mut self, notice: Option<RetryNotice>) -> Retries {
        self.notice = notice;
        self
    }

    /// The pause before the next attempt after a failure of class `class`; None: give up.
    pub fn next_pause(&mut self, class: Class) -> Option<Duration> {
        let pause = match class {
            Class::StrayInvalid if self.strays < STRAY_RETRIES => {
                self.strays += 1;
                self.last = (self.strays, STRAY_RETRIES);
                stray_pause(self.strays - 1)
            }
            Class::NotSent | Class::Transient
                if (class == Class::NotSent || self.idempotent) && self.done < self.max =>
            {
                self.done += 1;
                self.last = (self.done, self.max);
                backoff(self.done - 1, self.backoff.0, self.backoff.1)
            }
            _ => return None,
        };
        match self.deadline {
            Some(d) if Instant::now() + pause >= d => None,
            _ => Some(pause),
        }
    }

    /// Report the retry just granted by `next_pause`.
    fn report(&self, method: &str, err: &ApiError, pause: Duration) {
        if let Some(n) = &self.notice {
            (n.0)(&RetryReport {
                method: method.to_string(),
                pause,
                attempt: self.last.0,
                of: self.last.1,
                reason: short_reason(err),
            });
        }
    }
}

/// The retry loop around any attempt; `sleep` waits (tokio's, or a test's that only records).
pub(super) async fn retry_loop<T, F, Fut, S, SF>(
    method: &str,
    mut retries: Retries,
    mut attempt: F,
    mut sleep: S,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, (ApiError, Class)>>,
    S: FnMut(Duration) -> SF,
    SF: std::future::Future<Output = ()>,
{
    loop {
        let (err, class) = match attempt().await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        let Some(pause) = retries.next_pause(class) else {
            return Err(err);
        };
        tracing::warn!("{method}: {err}; retrying in {} ms", pause.as_millis());
        retries.report(method, &err, pause);
        sleep(pause).await;
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

/// The error chain of a reqwest error, on one line ("error sending request: ... refused"), with
/// every URL in it redacted (a signed URL's query is a credential).
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
    super::redact_text(&s)
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

/// A call that used up its whole time budget: a timeout, not retried.
fn out_of_time(method: &str, budget: Duration) -> (ApiError, Class) {
    let err = ApiError::Transport {
        method: method.to_string(),
        detail: format!("gave up after {} s", budget.as_secs_f64().ceil()),
        timeout: true,
    };
    (err, Class::Final)
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
        self.call_accepting(method, params, policy, decode::refuse).await
    }

    /// `call`, where the error envelopes `accept` says yes to are the answer.
    pub(super) async fn call_accepting(
        &self,
        method: &str,
        params: Object,
        policy: Policy,
        accept: Accept,
    ) -> Result<Object> {
        self.call_decoding(method, params, policy, |m, http, body| {
            decode::envelope_accepting(m, http, body, accept)
        })
        .await
    }

    /// `call`, with the reply's bytes read by `decode` (a method whose replies are large reads
    /// them without a JSON tree in between).
    pub(super) async fn call_decoding<T>(
        &self,
        method: &str,
        params: Object,
        policy: Policy,
        decode: impl Fn(&str, u16, &[u8]) -> std::result::Result<T, ApiError>,
    ) -> Result<T> {
        let sent_token = self.inner.session.session_token();
        match self.retrying_decoded(method, &params, policy, &decode).await {
            Err(e) if policy.auth && is_session_error(&e) => {
                if self.relogin(sent_token.as_deref()).await? {
                    self.retrying_decoded(method, &params, policy, &decode).await
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
        accept: Accept,
    ) -> Result<Object> {
        let decode = |m: &str, http, body: &[u8]| decode::envelope_accepting(m, http, body, accept);
        self.retrying_decoded(method, params, policy, &decode).await
    }

    async fn retrying_decoded<T>(
        &self,
        method: &str,
        params: &Object,
        policy: Policy,
        decode: &impl Fn(&str, u16, &[u8]) -> std::result::Result<T, ApiError>,
    ) -> Result<T> {
        self.retrying(method, policy.idempotent, || async {
            self.attempt(method, params, policy.auth, decode)
                .await
                .map_err(|(e, class)| match class {
                    Class::StrayInvalid if !policy.retry_invalid => (e, Class::Final),
                    _ => (e, class),
                })
        })
        .await
    }

    /// The retry loop around any attempt, with this client's budget: `max_retries`, and the
    /// whole call (every attempt and pause) within `retry_budget` of its start.
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
        let deadline = Instant::now() + self.inner.retry_budget;
        let retries = Retries::new(idempotent, self.inner.max_retries, self.inner.backoff)
            .until(deadline)
            .reporting(self.inner.retry_notice.clone());
        let bounded = || {
            let fut = attempt();
            async move {
                let left = deadline.saturating_duration_since(Instant::now());
                match tokio::time::timeout(left, fut).await {
                    Ok(r) => r,
                    Err(_) => Err(out_of_time(method, self.inner.retry_budget)),
                }
            }
        };
        retry_loop(method, retries, bounded, tokio::time::sleep).await
    }

    /// One throttled POST and its decoding.
    async fn attempt<T>(
        &self,
        method: &str,
        params: &Object,
        auth: bool,
        decode: &impl Fn(&str, u16, &[u8]) -> std::result::Result<T, ApiError>,
    ) -> std::result::Result<T, (ApiError, Class)> {
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
        let answer = decode(method, status, &bytes);
        drop(bytes);
        answer.map_err(|e| {
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
