//! getUrl, through the free-download flow when the account needs it (`api::get_url_free_flow`):
//! the captcha is answered by the UI through `Event::Captcha`, the waits are shown as a countdown
//! in the transfer's detail.

use super::job::JobCtx;
use crate::api::{ApiError, MAX_FREE_WAIT, get_url_free_flow};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A download URL, and whether the free-download flow was needed (then one connection only).
pub(crate) async fn resolve(ctx: &JobCtx, file_id: &str) -> Result<(String, bool), ApiError> {
    // An answer was sent and the flow has not moved on since (no free-download wait): when
    // another captcha is asked for now, the service refused that answer.
    let answered = AtomicBool::new(false);
    let answer = |c: crate::api::Captcha, url, image| {
        let answered = &answered;
        async move {
            let wrong = answered.load(Ordering::Relaxed);
            let a = ctx.captcha(c.challenge, url, image, wrong).await;
            answered.store(a.is_some(), Ordering::Relaxed);
            ctx.detail(None);
            a
        }
    };
    let wait = |d, why| {
        answered.store(false, Ordering::Relaxed);
        countdown(ctx, d, why)
    };
    let got = get_url_free_flow(&ctx.client, file_id, answer, wait).await;
    if got.is_ok() {
        ctx.detail(None);
    }
    got
}

/// Sleep, showing the seconds left in the transfer's detail.
async fn countdown(ctx: &JobCtx, wait: Duration, why: &str) {
    let end = tokio::time::Instant::now() + wait.min(MAX_FREE_WAIT);
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
