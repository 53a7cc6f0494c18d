//! The async K2S API client. CONTRACT: the public signatures of `Client` are used by cli, app
//! and transfer. The methods of the API live in `methods.rs` and `upload.rs`, the request
//! pipeline in `call.rs`, the session in `auth.rs`.

use super::auth::Session;
use super::error::ApiError;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://keep2share.cc/api/v2";

pub type Result<T> = std::result::Result<T, ApiError>;

/// How the client authenticates.
#[derive(Clone, Default)]
pub struct Credentials {
    /// Permanent partner token, sent as `access_token`.
    pub access_token: Option<String>,
    pub username: Option<String>,
    /// Kept in memory only, to log in again when the session ends. Never written anywhere.
    pub password: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_token", &self.access_token.as_ref().map(|_| "<redacted>"))
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Asks the user for the password of `username` when a session ends and no password is known
/// (the CLI on a terminal). Called at most once per client; `None` gives up. The answer is kept in
/// memory only.
#[derive(Clone)]
pub struct PasswordPrompt(pub Arc<AskPassword>);

/// The question behind a [`PasswordPrompt`]: the username in, the password (or nothing) out.
pub type AskPassword = dyn Fn(&str) -> Option<String> + Send + Sync;

impl std::fmt::Debug for PasswordPrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordPrompt")
    }
}

/// One retry about to happen: shown to the user as "retrying in 4 s (2 of 5): connection refused".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryReport {
    /// The API method retried.
    pub method: String,
    /// How long until the next attempt.
    pub pause: Duration,
    /// This retry's number (from 1) and the most there may be.
    pub attempt: u32,
    pub of: u32,
    /// Why, in a few words ("connection refused", "no answer in time", "HTTP 500").
    pub reason: String,
}

impl std::fmt::Display for RetryReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "retrying in {} s ({} of {}): {}",
            self.pause.as_secs_f64().ceil().max(1.0),
            self.attempt,
            self.of,
            self.reason
        )
    }
}

/// Told about every retry of an API call before its pause (the CLI prints it on stderr).
#[derive(Clone)]
pub struct RetryNotice(pub Arc<dyn Fn(&RetryReport) + Send + Sync>);

impl std::fmt::Debug for RetryNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RetryNotice")
    }
}

/// Why an attempt failed, in a few words for a retry line: the innermost cause of a transport
/// error ("connection refused"), else the error itself.
pub fn short_reason(e: &ApiError) -> String {
    let text = match e {
        ApiError::Transport { timeout: true, .. } => return "no answer in time".into(),
        ApiError::Transport { detail, .. } => {
            let last = detail.rsplit(": ").next().unwrap_or(detail);
            let cut = last.find(" (os error").map_or(last, |i| &last[..i]);
            cut.to_lowercase()
        }
        ApiError::Api { http_status, .. } | ApiError::Decode { http_status, .. } => match e.code() {
            Some(c) => format!("HTTP {http_status}, error {c}"),
            None => format!("HTTP {http_status}"),
        },
        other => other.to_string(),
    };
    crate::text::sanitize(&text)
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// e.g. https://keep2share.cc/api/v2 (no trailing slash needed).
    pub base_url: String,
    /// Per-request timeout (connect + whole response for JSON calls). Uploads use it as the
    /// connect timeout and as the stall timeout (no byte sent / no reply for that long).
    pub timeout: Duration,
    /// Throttle: at most this many API requests per second (default 5).
    pub requests_per_second: u32,
    /// Retries for idempotent reads (default 4), with bounded exponential backoff.
    pub max_retries: u32,
    /// Wall-clock budget of one call, every attempt and pause included (default: `timeout`);
    /// no retry starts after it. Multipart uploads are not bounded by it.
    pub retry_budget: Option<Duration>,
    /// Told about each retry as it happens.
    pub retry_notice: Option<RetryNotice>,
    pub credentials: Credentials,
    /// Where the session token is cached (a file, mode 0600). None: no cache.
    pub session_file: Option<PathBuf>,
    /// Asked for the password once when a password session ends and none is known.
    pub password_prompt: Option<PasswordPrompt>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: DEFAULT_API_URL.into(),
            timeout: Duration::from_secs(25),
            requests_per_second: 5,
            max_retries: 4,
            retry_budget: None,
            retry_notice: None,
            credentials: Credentials::default(),
            session_file: None,
            password_prompt: None,
        }
    }
}

/// Cheap to clone; all clones share the session, the throttle and the connection pool.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub base_url: String,
    /// Shared client without a total timeout (downloads use it); API calls set their own.
    pub http: reqwest::Client,
    /// For the multipart upload: connect timeout only, stalls are watched by upload.rs.
    pub upload_http: reqwest::Client,
    pub timeout: Duration,
    pub max_retries: u32,
    pub retry_budget: Duration,
    pub retry_notice: Option<RetryNotice>,
    pub limiter: DefaultDirectRateLimiter,
    pub requests_per_second: u32,
    /// Who spends the request budget on uploads, and how fast they go.
    pub uploads: super::upload::UploadLoad,
    pub session: Session,
    /// Shortest and longest pause between two attempts of a retried call.
    pub backoff: (Duration, Duration),
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("session", &self.inner.session)
            .finish()
    }
}

/// "https://host/api/v2/" -> "https://host/api/v2".
pub(super) fn normalize_base(url: &str) -> String {
    url.trim().trim_end_matches('/').to_string()
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client> {
        let base_url = normalize_base(&config.base_url);
        let parsed = url::Url::parse(&base_url)
            .map_err(|e| ApiError::local(format!("invalid API URL {base_url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::local(format!(
                "invalid API URL {base_url:?}: not http or https"
            )));
        }
        let timeout = config.timeout.max(Duration::from_millis(100));
        let connect = timeout.min(Duration::from_secs(15));
        let agent = concat!("k2s-tui/", env!("CARGO_PKG_VERSION"));
        let http = reqwest::Client::builder()
            .user_agent(agent)
            .connect_timeout(connect)
            .read_timeout(timeout)
            .build()
            .map_err(|e| ApiError::local(format!("cannot set up the HTTP client: {e}")))?;
        let upload_http = reqwest::Client::builder()
            .user_agent(agent)
            .connect_timeout(connect)
            .build()
            .map_err(|e| ApiError::local(format!("cannot set up the HTTP client: {e}")))?;
        let rps = NonZeroU32::new(config.requests_per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let mut session = Session::new(&config.credentials, config.session_file.clone(), &base_url);
        session.set_password_prompt(config.password_prompt.clone());
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                http,
                upload_http,
                timeout,
                max_retries: config.max_retries,
                retry_budget: config
                    .retry_budget
                    .unwrap_or(timeout)
                    .max(Duration::from_millis(100)),
                retry_notice: config.retry_notice.clone(),
                limiter: RateLimiter::direct(Quota::per_second(rps)),
                requests_per_second: rps.get(),
                uploads: super::upload::UploadLoad::new(),
                session,
                backoff: (Duration::from_millis(200), Duration::from_secs(5)),
            }),
        })
    }

    /// The throttle: at most this many API requests per second. Upload POSTs to the upload
    /// node are not API requests and do not count against it.
    pub fn requests_per_second(&self) -> u32 {
        self.inner.requests_per_second
    }

    /// The per-request timeout (the stall timeout of transfers too).
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The shared reqwest client (for downloads from getUrl's URLs). It has a connect timeout
    /// and a read (stall) timeout, but no total timeout.
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Whether an access token or a session token (cached or from login) is available.
    pub fn has_credentials(&self) -> bool {
        self.inner.session.has_credentials()
    }

    /// Whether username and password are known, so that the client can log in by itself.
    pub fn can_relogin(&self) -> bool {
        self.inner.session.can_relogin()
    }

    /// The username of the session (from the configuration, the cache or the last login).
    pub fn username(&self) -> Option<String> {
        self.inner.session.username()
    }

    /// The name of this account's state folder: the username, or `token-<digest>` for a
    /// permanent token (never the token itself), or `anonymous`.
    pub fn account_key(&self) -> String {
        self.inner.session.account_key()
    }

    /// Forget the session token and delete the cache file.
    pub fn logout(&self) -> Result<()> {
        self.inner.session.logout()
    }

    /// `<base>/reCaptcha.html?id=<challenge>`.
    pub fn recaptcha_page_url(&self, challenge: &str) -> String {
        let id = percent_encoding::utf8_percent_encode(challenge, percent_encoding::NON_ALPHANUMERIC);
        format!("{}/reCaptcha.html?id={id}", self.inner.base_url)
    }

    /// `<base>/captcha?id=<challenge>`: the image captcha (see `captcha_image`).
    pub fn captcha_image_url(&self, challenge: &str) -> String {
        let id = percent_encoding::utf8_percent_encode(challenge, percent_encoding::NON_ALPHANUMERIC);
        format!("{}/captcha?id={id}", self.inner.base_url)
    }
}
