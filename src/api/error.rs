//! The one error type of the API client.
//!
//! CONTRACT (shared by cli, app, transfer): `ApiError` with `recovery()` and `Display` giving a
//! clear English message. The table of errorCode messages lives here.

use std::time::Duration;

/// What can help after an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Trying again later may work (after the given delay when the server said so).
    Retry { after: Option<Duration> },
    /// A new login (or new credentials) may help.
    Relogin,
    /// The request must be repeated with a solved captcha (image: code 30; reCaptcha: 33).
    Captcha,
    /// Nothing will help: bad input, not found, not allowed.
    Final,
}

/// errorCode arrives as a number or a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    Num(i64),
    Text(String),
    None,
}

/// An entry of `errors: [...]` (codes 21, 22, 42; or plain strings for 62).
#[derive(Debug, Clone, PartialEq)]
pub struct SubError {
    pub code: Option<i64>,
    pub message: Option<String>,
    /// Seconds to wait, from `timeRemaining` ("2521.000000").
    pub time_remaining: Option<f64>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error envelope.
    #[error("{}", api_message(.method, *.http_status, .code, .message, .errors))]
    Api {
        method: String,
        http_status: u16,
        code: ErrorCode,
        message: String,
        errors: Vec<SubError>,
    },
    /// Connection failed, was reset, or timed out.
    #[error("{method}: {}", if *.timeout { format!("no answer from the server in time ({detail})") } else { format!("could not reach the server ({detail})") })]
    Transport {
        method: String,
        detail: String,
        timeout: bool,
    },
    /// The server's reply could not be understood (not JSON, truncated, HTML page, ...).
    #[error("{method}: the server sent a reply that could not be understood (HTTP {http_status}): {detail}")]
    Decode {
        method: String,
        http_status: u16,
        detail: String,
    },
    /// The upload node refused the upload (its own envelope).
    #[error("upload: {message} (HTTP {http_status})")]
    Upload { http_status: u16, message: String },
    /// A local problem: bad argument, file not readable, no credentials.
    #[error("{0}")]
    Local(String),
}

fn api_message(method: &str, http: u16, code: &ErrorCode, message: &str, errors: &[SubError]) -> String {
    let mut s = format!("{method}: {}", describe(code, message));
    for e in errors {
        let mut part = String::new();
        if let Some(m) = &e.message {
            part.push_str(m);
        } else if let Some(c) = e.code {
            part.push_str(sub_code_text(c));
        }
        if let Some(t) = e.time_remaining {
            part.push_str(&format!(" (wait {})", human_secs(t)));
        }
        if !part.is_empty() {
            s.push_str("; ");
            s.push_str(&part);
        }
    }
    let _ = http;
    s
}

fn human_secs(t: f64) -> String {
    let t = t.max(0.0).round() as u64;
    if t >= 3600 {
        format!("{}h {}m", t / 3600, (t % 3600) / 60)
    } else if t >= 60 {
        format!("{}m {}s", t / 60, t % 60)
    } else {
        format!("{t}s")
    }
}

/// The message for an errorCode. Filled in by the api module (see `code_text`).
fn describe(code: &ErrorCode, server_message: &str) -> String {
    match code {
        ErrorCode::Num(n) => match code_text(*n) {
            Some(t) => t.to_string(),
            None if !server_message.is_empty() => format!("{server_message} (error {n})"),
            None => format!("error {n}"),
        },
        ErrorCode::Text(t) => match t.as_str() {
            "captcha_need_wait" => {
                "too many wrong captcha answers from this IP; wait before trying again".into()
            }
            "captcha_need_wait_daily" => {
                "too many wrong captcha answers from this IP; blocked for the day".into()
            }
            other if !server_message.is_empty() => format!("{server_message} ({other})"),
            other => other.to_string(),
        },
        ErrorCode::None if !server_message.is_empty() => server_message.to_string(),
        ErrorCode::None => "the request failed".into(),
    }
}

/// Clear English for every errorCode of the reference and the field notes.
pub fn code_text(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "download count exceeded",
        2 => "invalid request parameters (download traffic exceeded, for getUrl)",
        3 => "an incorrect parameter value (download file size exceeded, for getUrl)",
        4 => "invalid request",
        10 => "not logged in, or the session has ended",
        11 => "the session has expired",
        20 => "file not found",
        21 => "the file is not available",
        22 => "the file is blocked",
        23 => "that id is a folder, not a file",
        30 => "a captcha is required",
        31 => "the captcha answer is wrong",
        33 => "a reCaptcha is required to log in",
        40 => "wrong free download key",
        41 => "free users must wait before the next download",
        42 => "the download is not available",
        43 => "this is for premium users only",
        50 => "no reseller codes are available",
        51 => "reseller codes could not be bought",
        60 => "the server could not create or change that (error 60)",
        61 => "the folder is full (at most 50,000 items), or the file could not be created",
        62 => "the file could not be copied",
        63 => "the file could not be updated, or no upload node is available",
        64 => "disk quota exceeded",
        70 => "wrong login or password",
        71 => "too many login attempts; wait before trying again",
        72 => "the account is banned",
        73 => "access from this network is not allowed",
        74 => "unknown login error",
        75 => "the session token may not be used from this IP address",
        76 => "the account is marked as stolen; contact support",
        77 => "this network is banned",
        _ => return None,
    })
}

/// Download sub-codes of errors[] (codes 21, 22, 42).
pub fn sub_code_text(code: i64) -> &'static str {
    match code {
        1 => "download count exceeded",
        2 => "traffic limit exceeded",
        3 => "free users can't download large files",
        4 => "no access",
        5 => "wait before downloading",
        6 => "too many parallel free downloads",
        7 => "premium users only",
        8 => "private file",
        9 => "store subscribers only",
        _ => "not available",
    }
}

impl ApiError {
    pub fn local(msg: impl Into<String>) -> ApiError {
        ApiError::Local(msg.into())
    }

    /// The numeric errorCode, if the service sent one.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Api {
                code: ErrorCode::Num(n),
                ..
            } => Some(*n),
            _ => None,
        }
    }

    /// What can help. See `Recovery`.
    pub fn recovery(&self) -> Recovery {
        match self {
            ApiError::Transport { .. } | ApiError::Decode { .. } => Recovery::Retry { after: None },
            ApiError::Upload { http_status, .. } if *http_status >= 500 || *http_status == 0 => {
                Recovery::Retry { after: None }
            }
            ApiError::Upload { .. } | ApiError::Local(_) => Recovery::Final,
            ApiError::Api {
                http_status,
                code,
                errors,
                ..
            } => {
                let wait = errors
                    .iter()
                    .filter_map(|e| e.time_remaining)
                    .fold(None, |a: Option<f64>, t| Some(a.map_or(t, |a| a.max(t))))
                    .map(|t| Duration::from_secs_f64(t.max(0.0)));
                match code {
                    ErrorCode::Num(10 | 11 | 75) => Recovery::Relogin,
                    ErrorCode::Num(30 | 31 | 33) => Recovery::Captcha,
                    ErrorCode::Num(41) => Recovery::Retry { after: wait },
                    ErrorCode::Num(71) => Recovery::Retry {
                        after: Some(Duration::from_secs(60)),
                    },
                    ErrorCode::Num(21 | 42) if wait.is_some() => Recovery::Retry { after: wait },
                    ErrorCode::Text(t) if t == "captcha_need_wait" => Recovery::Retry {
                        after: wait.or(Some(Duration::from_secs(600))),
                    },
                    _ if *http_status == 429 => Recovery::Retry {
                        after: Some(Duration::from_secs(60)),
                    },
                    _ if *http_status >= 500 => Recovery::Retry { after: None },
                    _ => Recovery::Final,
                }
            }
        }
    }

    pub fn is_retryable(&self) -> bool {
        matches!(self.recovery(), Recovery::Retry { .. })
    }
    pub fn needs_login(&self) -> bool {
        matches!(self.recovery(), Recovery::Relogin)
    }
    pub fn needs_captcha(&self) -> bool {
        matches!(self.recovery(), Recovery::Captcha)
    }

    /// One short hint for people: what to do next.
    pub fn hint(&self) -> &'static str {
        match self.recovery() {
            Recovery::Retry { .. } => "try again later",
            Recovery::Relogin => "log in again (k2s login) or check the access token",
            Recovery::Captcha => "a captcha must be solved",
            Recovery::Final => "",
        }
    }
}
