//! login, logout, account.

use super::args::LoginArgs;
use super::ctx::Ctx;
use super::output::outln;
use super::output::print_json;
use super::prompt;
use crate::api::{ApiError, LoginRequest};
use crate::text::human_bytes;
use serde_json::json;

pub async fn login(ctx: &Ctx, args: &LoginArgs) -> anyhow::Result<()> {
    let username = match args.username.clone().or_else(|| ctx.config.username.clone()) {
        Some(u) => u,
        None if prompt::stdin_is_terminal() => prompt::ask_line("username: ")?.unwrap_or_default(),
        None => anyhow::bail!("no username: use --username"),
    };
    if username.is_empty() {
        anyhow::bail!("no username given");
    }
    let password = if args.password_stdin {
        prompt::ask_line("")?.ok_or_else(|| anyhow::anyhow!("no password on standard input"))?
    } else {
        prompt::ask_password("password: ")?
    };
    let mut req = LoginRequest {
        username: username.clone(),
        password,
        ..LoginRequest::default()
    };
    // At most one captcha round per kind: a wrong answer is reported, not looped on.
    for _ in 0..3 {
        match ctx.client.login(&req).await {
            Ok(()) => {
                if ctx.json() {
                    print_json(&json!({"logged_in": true, "username": username}))?;
                } else {
                    eprintln!(
                        "logged in as {}; session cached in {}",
                        super::output::s(&username),
                        ctx.config_dir.display()
                    );
                }
                return Ok(());
            }
            Err(e) if e.is_recaptcha_required() && req.re_captcha_challenge.is_none() => {
                let c = ctx.client.request_recaptcha().await?;
                let url = if c.captcha_url.is_empty() {
                    ctx.client.recaptcha_page_url(&c.challenge)
                } else {
                    c.captcha_url.clone()
                };
                let answer = prompt::solve_captcha("A reCaptcha", &url)?;
                req.re_captcha_challenge = Some(c.challenge);
                req.re_captcha_response = Some(answer);
            }
            Err(e) if e.is_captcha_required() && req.captcha_challenge.is_none() => {
                let c = ctx.client.request_captcha().await?;
                let answer = prompt::solve_captcha("An image captcha", &c.captcha_url)?;
                req.captcha_challenge = Some(c.challenge);
                req.captcha_response = Some(answer);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::local("login failed after the captcha").into())
}

pub fn logout(ctx: &Ctx) -> anyhow::Result<()> {
    ctx.client.logout()?;
    if ctx.json() {
        print_json(&json!({"logged_out": true}))?;
    } else {
        eprintln!("session forgotten");
    }
    Ok(())
}

pub async fn account(ctx: &Ctx) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let (info, balance, domains) = tokio::join!(
        ctx.client.account_info(),
        ctx.client.get_balance(),
        ctx.client.get_domains_list()
    );
    let info = info?;
    // Balance and domains are extras: report their failure but still show the account.
    let balance = balance
        .map_err(|e| eprintln!("k2s: balance unavailable: {e}"))
        .ok();
    let domains = domains
        .map_err(|e| eprintln!("k2s: domains unavailable: {e}"))
        .ok();
    if ctx.json() {
        return print_json(&json!({
            "available_traffic": info.available_traffic,
            "account_expires": info.account_expires,
            "premium": info.account_expires.is_some_and(|d| d > chrono::Utc::now()),
            "balance": balance.as_ref().and_then(|b| b.balance),
            "domains": domains.as_ref().map(|d| &d.domains),
        }));
    }
    outln!(
        "traffic left:   {}",
        info.available_traffic.map_or("unknown".into(), human_bytes)
    )?;
    match info.account_expires {
        Some(d) if d > chrono::Utc::now() => outln!("premium until:  {}", d.format("%Y-%m-%d %H:%M UTC"))?,
        Some(d) => outln!("premium:        expired {}", d.format("%Y-%m-%d"))?,
        None => outln!("premium:        no")?,
    }
    if let Some(b) = balance.and_then(|b| b.balance) {
        outln!("balance:        {b:.2}")?;
    }
    if let Some(d) = domains {
        let list: Vec<String> = d.domains.iter().map(|d| super::output::s(d)).collect();
        outln!("link domains:   {}", list.join(", "))?;
    }
    Ok(())
}
