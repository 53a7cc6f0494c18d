//! `POST /api/v2/<method>`: fault injection, body parsing, dispatch, the JSON envelope.

mod account;
mod edit;
mod geturl;
mod items;
mod list_order;
mod listing;
mod meta;

pub(crate) use geturl::encode_segment;
pub(crate) use listing::parent_param;

use super::accounts::{Acct, PARTNER_TOKEN};
use super::faults::{self, ApiFault};
use super::server::Shared;
use super::state::State as DemoState;
use super::{captcha, remote, upload};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// An API error: HTTP status = body `code`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub http: u16,
    pub error_code: Option<Value>,
    pub message: String,
    pub errors: Option<Value>,
    /// More fields of the error body (getUrl's 41 carries the free-download key).
    pub fields: Option<Box<Value>>,
}

impl ApiError {
    pub(crate) fn new(http: u16, code: i64, message: &str) -> ApiError {
        ApiError {
            http,
            error_code: Some(code.into()),
            message: message.into(),
            errors: None,
            fields: None,
        }
    }
    pub(crate) fn invalid() -> ApiError {
        ApiError::new(400, 2, "Invalid request params")
    }
    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(403, 10, "You are not authorized for this action")
    }
    pub(crate) fn e406(code: i64, message: &str) -> ApiError {
        ApiError::new(406, code, message)
    }
    pub(crate) fn with_errors(mut self, errors: Value) -> ApiError {
        self.errors = Some(errors);
        self
    }
    pub(crate) fn with_fields(mut self, fields: Value) -> ApiError {
        self.fields = Some(Box::new(fields));
        self
    }
    /// Whether this is the generic 400 "Invalid request params" (errorCode 2).
    pub(crate) fn is_invalid(&self) -> bool {
        self.http == 400 && self.error_code.as_ref().and_then(Value::as_i64) == Some(2)
    }
    /// An error with a message and no errorCode (as the reference shows for a few answers).
    pub(crate) fn bare(http: u16, message: &str) -> ApiError {
        ApiError {
            http,
            error_code: None,
            message: message.into(),
            errors: None,
            fields: None,
        }
    }
    fn respond(self) -> Response {
        let mut body = json!({"status": "error", "code": self.http, "message": self.message});
        if let (Some(b), Some(Value::Object(m))) = (body.as_object_mut(), self.fields.map(|f| *f)) {
            b.extend(m);
        }
        if let Some(c) = self.error_code {
            body["errorCode"] = c;
        }
        if let Some(e) = self.errors {
            body["errors"] = e;
        }
        json_response(self.http, &body)
    }
}

/// A success answer: `code` and the fields besides status/code.
pub(crate) struct Reply {
    pub code: u16,
    pub fields: Value,
    /// `files` already written as JSON text (a large listing is not built as a JSON value).
    pub files: Option<String>,
}

impl Reply {
    pub(crate) fn with_files(code: u16, files: String) -> Reply {
        Reply {
            code,
            fields: json!({}),
            files: Some(files),
        }
    }
}

pub(crate) fn ok(fields: Value) -> Result<Reply, ApiError> {
    ok_code(200, fields)
}

pub(crate) fn ok_code(code: u16, fields: Value) -> Result<Reply, ApiError> {
    Ok(Reply {
        code,
        fields,
        files: None,
    })
}

pub(crate) fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `body` with a `files` field whose JSON text is already written.
fn files_response(status: u16, body: &Value, files: &str) -> Response {
    let head = body.to_string();
    let head = head.strip_suffix('}').unwrap_or("{");
    let sep = if head.len() > 1 { "," } else { "" };
    let text = format!("{head}{sep}\"files\":{files}}}");
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The JSON body of a call, read leniently the way a PHP service would.
pub(crate) struct Params(Map<String, Value>);

impl Params {
    fn parse(body: &[u8]) -> Result<Params, ApiError> {
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(Params(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Ok(Params(m)),
            _ => Err(ApiError::invalid()),
        }
    }
    pub(crate) fn get(&self, k: &str) -> Option<&Value> {
        self.0.get(k).filter(|v| !v.is_null())
    }
    pub(crate) fn has(&self, k: &str) -> bool {
        self.get(k).is_some()
    }
    /// A string (numbers are taken as their text); another type is invalid.
    pub(crate) fn str(&self, k: &str) -> Result<Option<String>, ApiError> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(ApiError::invalid()),
        }
    }
    pub(crate) fn req_str(&self, k: &str) -> Result<String, ApiError> {
        self.str(k)?.ok_or_else(ApiError::invalid)
    }
    pub(crate) fn u64(&self, k: &str) -> Result<Option<u64>, ApiError> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(ApiError::invalid),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| ApiError::invalid()),
            Some(_) => Err(ApiError::invalid()),
        }
    }
    pub(crate) fn bool(&self, k: &str) -> Result<Option<bool>, ApiError> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
            Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
            Some(Value::String(s)) => match s.as_str() {
                "1" | "true" => Ok(Some(true)),
                "0" | "false" | "" => Ok(Some(false)),
                _ => Err(ApiError::invalid()),
            },
            Some(_) => Err(ApiError::invalid()),
        }
    }
    /// An array of strings; null means absent.
    pub(crate) fn list(&self, k: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(ApiError::invalid()),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid()),
        }
    }
}

/// Who is calling: `access_token` (partner) or `auth_token` (session). A token that is sent but
/// not valid is refused even where anonymous calls are allowed.
pub(crate) fn who(sh: &Shared, st: &DemoState, p: &Params) -> Result<Option<Acct>, ApiError> {
    if let Some(t) = p.str("access_token")? {
        return if t == PARTNER_TOKEN {
            Ok(Some(Acct::Premium))
        } else {
            Err(ApiError::unauthorized())
        };
    }
    let Some(t) = p.str("auth_token")? else {
        return Ok(None);
    };
    let Some(s) = st.sessions.get(&t) else {
        return Err(if st.expired_sessions.contains(&t) {
            sh.shape.expired()
        } else {
            ApiError::unauthorized()
        });
    };
    if let Some(ttl) = sh.faults().token_ttl
        && s.created.elapsed() > Duration::from_secs(ttl)
    {
        return Err(sh.shape.expired());
    }
    Ok(Some(s.acct))
}

pub(crate) fn need(sh: &Shared, st: &DemoState, p: &Params) -> Result<Acct, ApiError> {
    who(sh, st, p)?.ok_or_else(ApiError::unauthorized)
}

pub(crate) fn fmt_date(d: &chrono::DateTime<chrono::Utc>) -> String {
    d.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub(crate) fn fmt_iso(d: &chrono::DateTime<chrono::Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn call(sh: &Arc<Shared>, method: &str, p: &Params) -> Result<Reply, ApiError> {
    match method {
        "login" => account::login(sh, p),
        "requestReCaptcha" => account::request_recaptcha(sh),
        "test" => ok(json!({"message": "Test was successful!"})),
        "accountInfo" => account::account_info(sh, p),
        "getBalance" => account::balance(sh, p),
        "getDomainsList" => account::domains(sh, p),
        "resellerGetCode" => account::reseller_code(sh, p),
        "getSubscriptions" => account::subscriptions(sh, p),
        "getFoldersList" => listing::folders_list(sh, p),
        "getFilesList" => listing::files_list(sh, p),
        "getFilesInfo" => listing::files_info(sh, p),
        "getFileStatus" => listing::file_status(sh, p),
        "createFolder" => edit::create_folder(sh, p),
        "updateFiles" => edit::update_files(sh, p),
        "updateFile" => edit::update_file(sh, p),
        "deleteFiles" => edit::delete_files(sh, p),
        "findFile" => edit::find_file(sh, p),
        "createFileByHash" => edit::create_by_hash(sh, p),
        "getUploadFormData" => upload::form_data(sh, p),
        "remoteUploadAdd" => remote::add(sh, p),
        "remoteUploadStatus" => remote::status(sh, p),
        "getUrl" => geturl::get_url(sh, p),
        "requestCaptcha" => captcha::request(sh),
        "getFilesMeta" => meta::list(sh, p),
        "createFileMeta" => meta::create(sh, p),
        "updateFileMeta" => meta::update(sh, p),
        "copyFileMeta" => meta::copy(sh, p),
        "deleteFileMeta" => meta::delete(sh, p),
        _ => Err(ApiError::bare(404, "Unknown API method")),
    }
}

/// `POST /api/v2/<method>`.
pub(crate) async fn api(State(sh): State<Arc<Shared>>, Path(method): Path<String>, body: Bytes) -> Response {
    sh.count_call(&method);
    let f = sh.faults();
    if f.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(f.latency_ms)).await;
    }
    match faults::decide(&f, sh.next_api_seq()) {
        Some(ApiFault::TooMany) => {
            return ApiError::bare(429, "Too many requests, please wait 1 minute").into_response();
        }
        Some(ApiFault::Fail500) => {
            return json_response(
                500,
                &json!({"status": "error", "code": 500, "message": "Internal server error"}),
            );
        }
        Some(ApiFault::Truncated) => {
            let body = Body::from(r#"{"status":"success","code":200,"files":[{"id":"#);
            return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        }
        Some(ApiFault::Stray400) => return sh.shape.invalid(ApiError::invalid()).into_response(),
        None => {}
    }
    let result = Params::parse(&body).and_then(|p| call(&sh, &method, &p));
    if sh.take_lost_answer(&method) || faults::answer_lost(&f) {
        return (StatusCode::BAD_GATEWAY, "502 Bad Gateway: upstream timed out").into_response();
    }
    match result {
        Ok(Reply { code, fields, files }) => {
            let mut body = json!({"status": "success", "code": code});
            if let (Some(b), Value::Object(m)) = (body.as_object_mut(), fields) {
                b.extend(m);
            }
            match files {
                Some(files) => files_response(code, &body, &files),
                None => json_response(code, &body),
            }
        }
        Err(e) => {
            tracing::debug!(method = %method, status = e.http, error = %e.message, "demo api error");
            sh.shape.invalid(e).into_response()
        }
    }
}

/// `GET /api/v2/reCaptcha.html?id=`, `GET /api/v2/reCaptcha?id=`, `GET /api/v2/captcha?id=`.
pub(crate) async fn api_get(
    State(sh): State<Arc<Shared>>,
    Path(method): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("id").cloned().unwrap_or_default();
    match method.as_str() {
        "reCaptcha.html" | "reCaptcha" => account::recaptcha_page(&sh, &id),
        "captcha" | "captcha.png" => captcha::image(&sh, &id),
        _ => ApiError::bare(404, "Unknown API method").into_response(),
    }
}

/// `GET /`: a short page naming the accounts.
pub(crate) async fn index(State(sh): State<Arc<Shared>>) -> Response {
    use super::accounts::*;
    let text = format!(
        "k2s demo server\n\nAPI: {}\n\npremium: {PREMIUM_USER} / {PREMIUM_PASSWORD}\nfree: {FREE_USER} / {FREE_PASSWORD}\nreCaptcha: {RECAPTCHA_USER} / {RECAPTCHA_PASSWORD}\npartner access_token: {PARTNER_TOKEN}\n",
        sh.api_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.respond()
    }
}
