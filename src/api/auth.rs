//! Credentials and the session token: which token a request carries, login, logout, and the
//! one automatic re-login on 403 with errorCode 10, 11 or 75.

use super::client::{Client, Credentials, PasswordPrompt, Result};
use super::error::ApiError;
use super::session_file;
use super::types::LoginRequest;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
struct State {
    auth_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

/// The client's credentials. Tokens and the password never appear in `Debug`.
pub(super) struct Session {
    access_token: Option<String>,
    state: Mutex<State>,
    file: Option<PathBuf>,
    base_url: String,
    /// Serializes re-logins, so that parallel calls that all saw an expired token log in once.
    relogin: tokio::sync::Mutex<()>,
    /// Asked once for a password the session does not know (see `PasswordPrompt`).
    prompt: Option<PasswordPrompt>,
    prompted: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.lock();
        f.debug_struct("Session")
            .field("access_token", &self.access_token.as_ref().map(|_| "<redacted>"))
            .field("auth_token", &st.auth_token.as_ref().map(|_| "<redacted>"))
            .field("username", &st.username)
            .field("password", &st.password.as_ref().map(|_| "<redacted>"))
            .field("session_file", &self.file)
            .finish()
    }
}

impl Session {
    pub fn new(creds: &Credentials, file: Option<PathBuf>, base_url: &str) -> Session {
        let access_token = creds.access_token.clone().filter(|t| !t.trim().is_empty());
        let mut state = State {
            auth_token: None,
            username: creds.username.clone().filter(|u| !u.is_empty()),
            password: creds.password.clone().filter(|p| !p.is_empty()),
        };
        if let Some(cached) = file.as_deref().and_then(|p| session_file::load(p, base_url)) {
            let same_user = match (&state.username, &cached.username) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            if same_user {
                state.auth_token = Some(cached.auth_token);
                if state.username.is_none() {
                    state.username = cached.username;
                }
            } else {
                tracing::debug!("the cached session belongs to another user; not used");
            }
        }
        Session {
            access_token,
            state: Mutex::new(state),
            file,
            base_url: base_url.to_string(),
            relogin: tokio::sync::Mutex::new(()),
            prompt: None,
            prompted: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn set_password_prompt(&mut self, prompt: Option<PasswordPrompt>) {
        self.prompt = prompt;
    }

    /// A session that ended can be renewed by asking the user for the password (once): no
    /// permanent token, a known username, no password, a prompt, and not asked yet.
    fn can_ask_password(&self) -> bool {
        self.access_token.is_none()
            && self.prompt.is_some()
            && !self.prompted.load(std::sync::atomic::Ordering::SeqCst)
            && {
                let st = self.lock();
                st.username.is_some() && st.password.is_none()
            }
    }

    /// Asks the prompt for the password of the session's user, once; keeps it in memory.
    async fn ask_password(&self) -> bool {
        use std::sync::atomic::Ordering;
        let (Some(prompt), Some(user)) = (self.prompt.clone(), self.username()) else {
            return false;
        };
        if self.prompted.swap(true, Ordering::SeqCst) {
            return false;
        }
        let answer = tokio::task::spawn_blocking(move || (prompt.0)(&user))
            .await
            .ok()
            .flatten()
            .filter(|p| !p.is_empty());
        match answer {
            Some(p) => {
                self.lock().password = Some(p);
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn has_credentials(&self) -> bool {
        self.access_token.is_some() || self.lock().auth_token.is_some()
    }

    /// Username and password are known and no permanent token is in use.
    pub fn can_relogin(&self) -> bool {
        let st = self.lock();
        self.access_token.is_none() && st.username.is_some() && st.password.is_some()
    }

    pub fn username(&self) -> Option<String> {
        self.lock().username.clone()
    }

    /// The name of this account's state folder (see `account_key::account_key`).
    pub fn account_key(&self) -> String {
        super::account_key::account_key(self.access_token.as_deref(), self.username().as_deref())
    }

    /// The credential field a request carries: the permanent token first, else the session.
    pub fn auth_field(&self) -> Option<(&'static str, String)> {
        if let Some(t) = &self.access_token {
            return Some(("access_token", t.clone()));
        }
        self.lock().auth_token.clone().map(|t| ("auth_token", t))
    }

    pub fn session_token(&self) -> Option<String> {
        self.lock().auth_token.clone()
    }

    fn login_pair(&self) -> Option<(String, String)> {
        let st = self.lock();
        Some((st.username.clone()?, st.password.clone()?))
    }

    /// Keep a new session token (and the password, in memory only) and cache the token.
    fn set_token(&self, token: String, username: &str, password: &str) -> Result<()> {
        {
            let mut st = self.lock();
            st.auth_token = Some(token.clone());
            st.username = Some(username.to_string());
            st.password = Some(password.to_string()).filter(|p| !p.is_empty());
        }
        if let Some(path) = &self.file {
            session_file::save(path, &token, Some(username), &self.base_url).map_err(|e| {
                ApiError::local(format!(
                    "logged in, but the session could not be saved to {}: {e}",
                    path.display()
                ))
            })?;
        }
        Ok(())
    }

    pub fn logout(&self) -> Result<()> {
        self.lock().auth_token = None;
        if let Some(path) = &self.file {
            session_file::remove(path)
                .map_err(|e| ApiError::local(format!("cannot delete {}: {e}", path.display())))?;
        }
        Ok(())
    }
}

/// 403 with errorCode 10 (not authorized), 11 (expired) or 75 (token from another IP): see
/// `ApiError::is_session_error`.
pub(super) fn is_session_error(e: &ApiError) -> bool {
    e.is_session_error()
}

/// login's answer: the session token.
pub(super) fn auth_token(map: &super::decode::Object) -> Result<String> {
    map.get("auth_token")
        .and_then(super::lenient::to_string)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Decode {
            method: "login".into(),
            http_status: 200,
            detail: "the reply has no auth_token".into(),
        })
}

impl Client {
    /// Log in with username + password (+ captcha answers); stores and caches the auth_token.
    /// Errors with code 33 (reCaptcha) or 30 (image captcha) ask for the captcha flow.
    pub async fn login(&self, req: &LoginRequest) -> Result<()> {
        if req.username.trim().is_empty() || req.password.is_empty() {
            return Err(ApiError::local("login needs a username and a password"));
        }
        let params = super::call::to_params(req)?;
        // Not `call`: a login is never followed by a re-login.
        let map = self
            .call_retrying(
                "login",
                &params,
                super::call::Policy::LOGIN,
                super::decode::refuse,
            )
            .await?;
        let token = auth_token(&map)?;
        self.inner
            .session
            .set_token(token, &req.username, &req.password)?;
        tracing::info!("logged in");
        Ok(())
    }

    /// After a session error on a request that carried `failed_token`: log in again, unless a
    /// parallel call already did. Ok(false) when the client cannot log in by itself.
    pub(super) async fn relogin(&self, failed_token: Option<&str>) -> Result<bool> {
        let session = &self.inner.session;
        if !session.can_relogin() && !session.can_ask_password() {
            return Ok(false);
        }
        let _guard = session.relogin.lock().await;
        let current = session.session_token();
        if current.is_some() && current.as_deref() != failed_token {
            return Ok(true);
        }
        let asked = !session.can_relogin();
        if asked {
            tracing::info!("the session ended; asking for the password");
            if !session.ask_password().await {
                return Ok(false);
            }
        }
        let Some((username, password)) = session.login_pair() else {
            return Ok(false);
        };
        tracing::info!("the session ended; logging in again");
        let done = self
            .login(&LoginRequest {
                username,
                password,
                ..LoginRequest::default()
            })
            .await;
        if done.is_err() && asked {
            // A wrong answer is not kept for the next renewal.
            session.lock().password = None;
        }
        done.map(|()| true)
    }
}
