//! login, requestReCaptcha, the reCaptcha page, accountInfo, getBalance, getDomainsList,
//! resellerGetCode, getSubscriptions.

use super::{ApiError, Params, Reply, json_response, need, ok};
use crate::demo::accounts::{Acct, SUBSCRIPTION_DOMAIN};
use crate::demo::server::Shared;
use crate::demo::state::{Session, random_id};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::time::Instant;

pub(super) fn login(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let user = p.req_str("username")?;
    let password = p.req_str("password")?;
    let wrong = || sh.shape.wrong_login();
    let acct = Acct::by_username(&user).ok_or_else(wrong)?;
    let mut st = sh.st();
    if acct.needs_recaptcha() {
        let challenge = p.str("re_captcha_challenge")?.unwrap_or_default();
        let response = p.str("re_captcha_response")?.unwrap_or_default();
        let solved = st
            .recaptchas
            .get(&challenge)
            .is_some_and(|a| *a == response.trim());
        if !solved {
            return Err(ApiError::e406(
                33,
                "Please verify your request via re captcha challenge",
            ));
        }
        st.recaptchas.remove(&challenge);
    }
    if !acct.password_ok(&password) {
        return Err(wrong());
    }
    let token = random_id(26);
    st.sessions.insert(
        token.clone(),
        Session {
            acct,
            created: Instant::now(),
        },
    );
    ok(json!({"auth_token": token, "message": "success"}))
}

pub(super) fn request_recaptcha(sh: &Shared) -> Result<Reply, ApiError> {
    let challenge = random_id(13);
    let answer = random_id(40);
    sh.st().recaptchas.insert(challenge.clone(), answer);
    let url = format!("{}/reCaptcha.html?id={challenge}", sh.api_url());
    ok(json!({"challenge": challenge, "captcha_url": url}))
}

/// The "Google reCaptcha" page: in the demo it simply shows the response to paste.
pub(super) fn recaptcha_page(sh: &Shared, id: &str) -> Response {
    let Some(answer) = sh.st().recaptchas.get(id).cloned() else {
        return json_response(
            400,
            &json!({"status": "error", "code": 400, "message": "Id not found"}),
        );
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>K2S demo reCaptcha</title></head>\
         <body><h1>Demo reCaptcha</h1><p>This is the demo server: no puzzle to solve. \
         Paste this response into k2s:</p><p><code id=\"re_captcha_response\">{answer}</code></p>\
         </body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

pub(super) fn account_info(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let acct = need(sh, &sh.st(), p)?;
    ok(json!({
        "available_traffic": sh.shape.num(acct.traffic()),
        "account_expires": sh.shape.account_expires(acct),
    }))
}

pub(super) fn balance(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let st = sh.st();
    let acct = need(sh, &st, p)?;
    let balance = st.balances.get(&acct).copied().unwrap_or(0.0);
    ok(json!({"balance": sh.shape.money(balance)}))
}

pub(super) fn domains(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    need(sh, &sh.st(), p)?;
    ok(json!({"domains": ["k2s.cc", "keep2share.cc", "k2share.cc"]}))
}

/// Days a reseller code may cover.
const RESELLER_DAYS: std::ops::RangeInclusive<u64> = 1..=365;
/// Price of one premium day, charged from the balance.
const PRICE_PER_DAY: f64 = 0.1;

pub(super) fn reseller_code(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let mut st = sh.st();
    let acct = need(sh, &st, p)?;
    let days = p
        .u64("days")?
        .filter(|d| RESELLER_DAYS.contains(d))
        .ok_or_else(ApiError::invalid)?;
    let use_exist = p.bool("useExist")?.unwrap_or(true);
    let auto_buy = p.bool("autoBuy")?.unwrap_or(true);
    let balance = st.balances.get(&acct).copied().unwrap_or(0.0);
    if use_exist && let Some((id, code)) = st.reseller_codes.get(&(acct, days)) {
        return ok(json!({"code_id": id, "reseller_code": code, "balance": balance}));
    }
    if !auto_buy {
        return Err(ApiError::e406(50, "No available reseller codes"));
    }
    let price = days as f64 * PRICE_PER_DAY;
    if balance + 1e-9 < price {
        return Err(ApiError::e406(51, "Error buy reseller codes"));
    }
    let balance = ((balance - price) * 100.0).round() / 100.0;
    st.balances.insert(acct, balance);
    let id = st.next_code_id;
    st.next_code_id += 1;
    let code = random_id(12);
    st.reseller_codes.insert((acct, days), (id, code.clone()));
    ok(json!({"code_id": id, "reseller_code": code, "balance": balance}))
}

pub(super) fn subscriptions(sh: &Shared, p: &Params) -> Result<Reply, ApiError> {
    let acct = need(sh, &sh.st(), p)?;
    let domain = p.req_str("domainName")?;
    let limit = p.u64("limit")?.unwrap_or(20);
    let offset = p.u64("offset")?.unwrap_or(0);
    if limit > 100 {
        return Err(ApiError::invalid());
    }
    if acct != Acct::Premium || !domain.trim().eq_ignore_ascii_case(SUBSCRIPTION_DOMAIN) {
        return Err(ApiError::bare(404, "Domain not found"));
    }
    let all: Vec<_> = (1..=3)
        .map(|i| {
            json!({
                "userEmail": format!("subscriber{i}@example.com"),
                "domainName": SUBSCRIPTION_DOMAIN,
                "expiresAt": format!("2026-0{i}-25T15:23:15.000Z"),
                "lastPayment": format!("2025-0{i}-25T15:23:15.000Z"),
            })
        })
        .collect();
    let items: Vec<_> = all
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .cloned()
        .collect();
    ok(json!({"total": all.len(), "items": items}))
}
