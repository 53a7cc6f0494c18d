//! The one error type of the API client.
//!
//! CONTRACT (shared by cli, app, transfer): `ApiError` with `recovery()` and `Display` giving a
//! clear English message. The table of errorCode messages lives here, and every check callers
//! make is a named predicate here (`is_session_error`, `is_captcha_required`,
//! `is_free_wait`, `is_invalid_params`, `is_not_available`, ...), never a code at the call site.

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
    let mut s = format!("{method}: {}", describe(method, http, code, message));
    for e in errors {
        let mut part = match (&e.message, e.code) {
            (Some(m), _) => m.clone(),
            (None, Some(c)) => sub_code_text(c).to_string(),
            (None, None) => String::new(),
        };
        match e.time_remaining {
            Some(t) if part.is_empty() => part = format!("wait {}", human_secs(t)),
            Some(t) => part.push_str(&format!(" (wait {})", human_secs(t))),
            None => {}
        }
        if !part.is_empty() {
            s.push_str("; ");
            s.push_str(&part);
        }
    }
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

/// The message for an errorCode, in the sense it has for `method`.
fn describe(method: &str, http: u16, code: &ErrorCode, server_message: &str) -> String {
    let server_message = server_message.trim();
    match code {
        ErrorCode::Num(n) => match method_code_text(method, http, *n) {
            // Generic codes: the server's own words often say which parameter is wrong.
            Some(t) if is_generic(*n) && adds_information(t, server_message) => {
                format!("{t}: {server_message}")
            }
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
        ErrorCode::None if http == 429 => {
            "too many requests; the server asks to wait (about a minute)".into()
        }
        ErrorCode::None if !server_message.is_empty() => server_message.to_string(),
        ErrorCode::None if http >= 500 => format!("the server failed (HTTP {http})"),
        ErrorCode::None => format!("the request failed (HTTP {http})"),
    }
}

/// Codes whose meaning depends on the request: the server message is worth showing too.
fn is_generic(code: i64) -> bool {
    matches!(code, 2 | 3 | 4 | 60 | 61 | 62 | 63)
}

/// Whether the server message says more than our text (not empty, not the boilerplate).
fn adds_information(ours: &str, server: &str) -> bool {
    let s = server.to_ascii_lowercase();
    !s.is_empty()
        && !ours.to_ascii_lowercase().contains(&s)
        && !matches!(
            s.trim_end_matches('.'),
            "invalid request params"
                | "incorrect param value"
                | "error create folder"
                | "error create file"
                | "error copy file"
                | "error update file"
                | "no available nodes"
        )
}

/// The meaning of `code` for `method`, where the reference overloads a code; else `code_text`.
pub fn method_code_text(method: &str, http: u16, code: i64) -> Option<&'static str> {
    let specific = match (method, code) {
        ("getUrl", 1) => Some("the download count limit is reached"),
        ("getUrl", 2) => Some("the download traffic limit is reached"),
        ("getUrl", 3) => Some("the file is too large for a free download; premium is needed"),
        ("getUrl", 20) => Some("file not found"),
        ("getUrl", 21) => Some("the file is not available for download"),
        ("getFileStatus", 20) => Some("the file is not available (unknown id, deleted or blocked)"),
        ("createFileByHash", 20) => Some("the service has no file with that md5"),
        ("createFileByHash", 61) => Some("the file could not be created"),
        ("createFileByHash", 62) => Some("the file could not be copied"),
        ("createFolder", 60) => Some("the folder could not be created"),
        ("updateFile" | "updateFiles", 61) => Some("the destination folder is full (at most 50,000 items)"),
        ("updateFile" | "updateFiles", 63) => Some("the file could not be updated"),
        ("getUploadFormData", 61) => Some("the folder is full (at most 50,000 items)"),
        ("getUploadFormData", 63) => Some("no upload node is available right now"),
        ("getFilesMeta", 60) => Some("the metadata could not be listed"),
        ("createFileMeta", 60) => Some("the metadata could not be created"),
        ("updateFileMeta", 60) if http == 404 => Some("the file has no metadata yet"),
        ("updateFileMeta", 60) => Some("the metadata could not be updated"),
        ("copyFileMeta", 3) if http == 404 => Some("the source file (or its metadata) was not found"),
        ("copyFileMeta", 60) => Some("the metadata could not be copied"),
        ("deleteFileMeta", 60) if http == 404 => Some("the file has no metadata"),
        ("deleteFileMeta", 60) => Some("the metadata could not be deleted"),
        ("resellerGetCode", 50) => Some("no reseller codes are available"),
        ("resellerGetCode", 51) => Some("reseller codes could not be bought"),
        ("login", 2) => Some("wrong username or password (or a malformed login request)"),
        _ => None,
    };
    specific.or_else(|| code_text(code))
}

/// Clear English for every errorCode of the reference and the field notes.
pub fn code_text(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "download count exceeded",
        2 => "invalid request parameters",
        3 => "an incorrect parameter value",
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
        40 => "wrong or expired free download key",
        41 => "free users must wait before the next download",
        42 => "the download is not available",
        43 => "this is for premium users only",
        50 => "no reseller codes are available",
        51 => "reseller codes could not be bought",
        60 => "the server could not carry out the change",
        61 => "the folder is full (at most 50,000 items)",
        62 => "the file could not be copied",
        63 => "the file could not be updated",
        64 => "disk quota exceeded",
        70 => "wrong username or password",
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
                method,
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
                    // Too many parallel free downloads: one must end first.
                    ErrorCode::Num(21 | 42) if errors.iter().any(|e| e.code == Some(6)) => Recovery::Retry {
                        after: Some(Duration::from_secs(60)),
                    },
                    ErrorCode::Num(63) if method == "getUploadFormData" => Recovery::Retry { after: None },
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
            Recovery::Final if self.is_quota() => "delete files or upgrade the account to make room",
            Recovery::Final => "",
        }
    }

    /// The errorCode and HTTP status of a service error envelope; None for other errors.
    fn api_code(&self) -> Option<(u16, i64)> {
        match self {
            ApiError::Api {
                http_status,
                code: ErrorCode::Num(n),
                ..
            } => Some((*http_status, *n)),
            _ => None,
        }
    }

    /// The session is missing, has ended or may not be used from here (errorCode 10, 11, 75):
    /// a new login may help.
    pub fn is_session_error(&self) -> bool {
        matches!(self.api_code(), Some((_, 10 | 11 | 75)))
    }

    /// An image captcha must be solved first (errorCode 30).
    pub fn is_captcha_required(&self) -> bool {
        matches!(self.api_code(), Some((_, 30)))
    }

    /// The captcha answer was wrong, or the captcha was used already (errorCode 31).
    pub fn is_captcha_wrong(&self) -> bool {
        matches!(self.api_code(), Some((_, 31)))
    }

    /// A reCaptcha must be solved in a browser (errorCode 33, login).
    pub fn is_recaptcha_required(&self) -> bool {
        matches!(self.api_code(), Some((_, 33)))
    }

    /// Free users must wait before the next download (errorCode 41). getUrl turns the form of
    /// it that carries a `free_download_key` into `UrlAnswer::FreeKey`, so an error seen by a
    /// caller has no key: wait (`recovery()` says how long when the server did), ask again.
    pub fn is_free_wait(&self) -> bool {
        matches!(self.api_code(), Some((_, 41)))
    }

    /// The free download key is wrong or has expired (errorCode 40): start over without it.
    pub fn is_free_key_invalid(&self) -> bool {
        matches!(self.api_code(), Some((_, 40)))
    }

    /// HTTP 400 "Invalid request params" (errorCode 2, 3 or 4, or that message). The service
    /// sometimes answers it to a correct request, having done nothing: the pipeline retries it.
    pub fn is_invalid_params(&self) -> bool {
        match self {
            ApiError::Api {
                http_status: 400,
                code,
                message,
                ..
            } => {
                matches!(code, ErrorCode::Num(2..=4))
                    || message.to_ascii_lowercase().contains("invalid request params")
            }
            _ => false,
        }
    }

    /// The file or folder does not exist, or is not available to this account (errorCode 20):
    /// for another account's folder, it is not public.
    pub fn is_not_available(&self) -> bool {
        matches!(self.api_code(), Some((_, 20)))
    }

    /// The item does not exist for this account: errorCode 20 (not found or not available),
    /// or an HTTP 404 envelope (the metadata methods answer it for an unknown file).
    pub fn is_not_found(&self) -> bool {
        self.is_not_available() || matches!(self, ApiError::Api { http_status: 404, .. })
    }

    /// The login itself was refused: wrong credentials, too many attempts, a banned account or
    /// network (errorCode 70 to 77).
    pub fn is_login_refused(&self) -> bool {
        matches!(self.api_code(), Some((_, 70..=77)))
    }

    /// Authentication is needed before anything else can work: a session to (re)open, a login
    /// refused, or a captcha to solve.
    pub fn is_auth_needed(&self) -> bool {
        self.needs_login() || self.needs_captcha() || self.is_session_error() || self.is_login_refused()
    }

    /// The server could not be reached, or failed, and the client's retries are spent: no
    /// connection, no answer in time, or an HTTP 5xx without an errorCode.
    pub fn is_unreachable(&self) -> bool {
        match self {
            ApiError::Transport { .. } => true,
            ApiError::Api {
                http_status,
                code: ErrorCode::None,
                ..
            } => *http_status >= 500,
            _ => false,
        }
    }

    /// The destination folder holds the most items a folder may (errorCode 61 of
    /// getUploadFormData, updateFile and updateFiles, or the service's "Limit files in specified
    /// folder reached" from the upload node or an item of updateFiles).
    pub fn is_folder_full(&self) -> bool {
        const FULL: &str = "limit files in specified folder";
        match self {
            ApiError::Api {
                method,
                code: ErrorCode::Num(61),
                ..
            } if matches!(
                method.as_str(),
                "getUploadFormData" | "updateFile" | "updateFiles"
            ) =>
            {
                true
            }
            _ => self.to_string().to_ascii_lowercase().contains(FULL),
        }
    }

    /// The account's storage is full (errorCode 64, or the upload node's message).
    pub fn is_quota(&self) -> bool {
        self.code() == Some(64)
            || self
                .to_string()
                .to_ascii_lowercase()
                .contains("disk quota exceeded")
    }
}
