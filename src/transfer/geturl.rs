//! getUrl, through the free-download flow when the account needs it: captcha (answered by the
//! UI through `Event::Captcha`), the wait of `time_wait`, then `free_download_key`.

use super::job::JobCtx;
use crate::api::{ApiError, GetUrl, Recovery, UrlAnswer};
use std::time::Duration;

/// The longest server-requested wait we accept before giving up.
const MAX_WAIT: Duration = Duration::from_secs(3 * 3600);

/// A download URL, and whether the free-download flow was needed (then one connection only).
pub(crate) async fn resolve(ctx: &JobCtx, file_id: &str) -> Result<(String, bool), ApiError> {
    let fresh = || GetUrl {
        file_id: file_id.to_string(),
        ..GetUrl::default()
    };
    let mut req = fresh();
    let mut free = false;
    let mut captchas = 0;
    let mut waits = 0;
    loop {
        match ctx.client.get_url(&req).await {
            Ok(UrlAnswer::Url(u)) => {
                ctx.detail(None);
                return Ok((u, free));
            }
            Ok(UrlAnswer::FreeKey {
                free_download_key,
                time_wait,
            }) => {
                free = true;
                countdown(ctx, Duration::from_secs(time_wait), "free download").await;
                req = GetUrl {
                    free_download_key: Some(free_download_key),
                    ..fresh()
                };
            }
            // Captcha needed (30) or wrong answer (31): ask for one (a few times at most).
            Err(e) if matches!(e.recovery(), Recovery::Captcha) && e.code() != Some(33) => {
                free = true;
                captchas += 1;
                if captchas > 3 {
                    return Err(e);
                }
                let c = ctx.client.request_captcha().await?;
                let url = if c.captcha_url.is_empty() {
                    format!(
                        "{}/captcha?id={}",
                        ctx.client.base_url().trim_end_matches('/'),
                        c.challenge
                    )
                } else {
                    c.captcha_url.clone()
                };
                let image = match ctx.client.captcha_image(&c.challenge).await {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        tracing::debug!("captcha image not fetched: {e}");
                        None
                    }
                };
                let answer = ctx
                    .captcha(c.challenge.clone(), url, image)
                    .await
                    .ok_or_else(|| ApiError::local("no captcha answer was given"))?;
                ctx.detail(None);
                req = GetUrl {
                    captcha_challenge: Some(c.challenge),
                    captcha_response: Some(answer),
                    ..fresh()
                };
            }
            // Free users wait between downloads (41, or 21/42 with timeRemaining).
            Err(e)
                if waits < 3
                    && matches!(e.recovery(), Recovery::Retry { after: Some(_) })
                    && e.code().is_some() =>
            {
                let Recovery::Retry { after: Some(wait) } = e.recovery() else {
                    return Err(e);
                };
                if wait > MAX_WAIT {
                    return Err(e);
                }
                waits += 1;
                countdown(ctx, wait, "the service asks to wait").await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Sleep, showing the seconds left in the transfer's detail.
async fn countdown(ctx: &JobCtx, wait: Duration, why: &str) {
    let end = tokio::time::Instant::now() + wait.min(MAX_WAIT);
    loop {
        let left = end.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            break;
        }
        ctx.detail(Some(format!("{why}: waiting {}s", left.as_secs_f64().ceil())));
        tokio::time::sleep(left.min(Duration::from_secs(1))).await;
    }
    ctx.detail(None);
}
