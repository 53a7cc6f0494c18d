//! login, logout, account, reseller-code.

use super::args::{AccountArgs, LoginArgs, ResellerCodeArgs};
use super::ctx::Ctx;
use super::output::outln;
use super::output::print_json;
use super::prompt;
use crate::api::{ApiError, LoginRequest, Subscriptions, email_domain};
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

/// The domains whose subscriptions `account` lists: those given, else the domain of the
/// account's e-mail address (none for a partner token without a username).
fn subscription_domains(ctx: &Ctx, args: &AccountArgs) -> Vec<String> {
    if !args.domains.is_empty() {
        return args.domains.iter().map(|d| d.trim().to_string()).collect();
    }
    ctx.client
        .username()
        .or_else(|| ctx.config.username.clone())
        .and_then(|u| email_domain(&u))
        .into_iter()
        .collect()
}

/// One domain's subscriptions, or why they could not be read.
struct DomainSubs {
    domain: String,
    subs: Result<Subscriptions, ApiError>,
}

impl DomainSubs {
    fn json(&self) -> serde_json::Value {
        match &self.subs {
            Ok(s) => json!({
                "domain": self.domain,
                "total": s.total,
                "items": s.items.iter().map(|i| json!({
                    "user_email": i.user_email,
                    "domain": i.domain_name,
                    "expires_at": i.expires_at,
                    "last_payment": i.last_payment,
                })).collect::<Vec<_>>(),
                "error": null,
            }),
            Err(e) => json!({"domain": self.domain, "total": null, "items": [], "error": e.to_string()}),
        }
    }

    fn print(&self) -> anyhow::Result<()> {
        let domain = super::output::s(&self.domain);
        let s = match &self.subs {
            Ok(s) => s,
            Err(e) => {
                return outln!(
                    "subscriptions:  {domain}: unavailable ({})",
                    super::output::s(&e.to_string())
                );
            }
        };
        outln!(
            "subscriptions:  {domain}: {}",
            s.total.unwrap_or(s.items.len() as u64)
        )?;
        for i in &s.items {
            outln!(
                "  {}  expires {}  last paid {}",
                super::output::s(i.user_email.as_deref().unwrap_or("?")),
                super::output::date_str(i.expires_at),
                super::output::date_str(i.last_payment)
            )?;
        }
        Ok(())
    }
}

async fn subscriptions(ctx: &Ctx, domains: Vec<String>) -> Vec<DomainSubs> {
    let mut out = Vec::new();
    for domain in domains {
        let subs = ctx.client.all_subscriptions(&domain).await;
        out.push(DomainSubs { domain, subs });
    }
    out
}

pub async fn account(ctx: &Ctx, args: &AccountArgs) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let (info, balance, domains, subs) = tokio::join!(
        ctx.client.account_info(),
        ctx.client.get_balance(),
        ctx.client.get_domains_list(),
        subscriptions(ctx, subscription_domains(ctx, args))
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
            "subscriptions": subs.iter().map(DomainSubs::json).collect::<Vec<_>>(),
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
    if subs.is_empty() {
        outln!("subscriptions:  no domain known (give --domain DOMAIN)")?;
    }
    for d in &subs {
        d.print()?;
    }
    Ok(())
}

/// `k2s reseller-code`: the code on stdout (alone, for scripts); its id and the balance left
/// on stderr.
pub async fn reseller_code(ctx: &Ctx, args: &ResellerCodeArgs) -> anyhow::Result<()> {
    ctx.require_credentials()?;
    let code = ctx
        .client
        .reseller_get_code(args.days, Some(args.use_existing), Some(!args.no_buy))
        .await?;
    let Some(text) = code.reseller_code.as_deref().filter(|c| !c.trim().is_empty()) else {
        return Err(ApiError::local("the server sent no reseller code").into());
    };
    if ctx.json() {
        return print_json(&json!({
            "days": args.days,
            "code_id": code.code_id,
            "reseller_code": text,
            "balance": code.balance,
        }));
    }
    outln!("{}", super::output::s(text))?;
    let id = code
        .code_id
        .as_deref()
        .map(super::output::s)
        .unwrap_or_else(|| "?".into());
    match code.balance {
        Some(b) => eprintln!("code id {id}; balance left {b:.2}"),
        None => eprintln!("code id {id}"),
    }
    Ok(())
}
