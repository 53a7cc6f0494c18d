//! getUrl through the free-download flow, shared by the transfer engine and `k2s url`:
//! getUrl -> errorCode 30 (captcha) -> requestCaptcha -> answer -> `FreeKey { free_download_key,
//! time_wait }` (a 200, or the reference's 406/41 carrying the key) -> wait `time_wait` ->
//! getUrl with the key -> URL. errorCode 41 without a key (and 21/42/71 with a timeRemaining)
//! means wait, then ask again. A captcha works once: no request after the one that carried an
//! answer carries it again. How the captcha is answered and how a wait is shown are up to the
//! caller.

use super::{ApiError, Captcha, Client, GetUrl, Recovery, UrlAnswer};
use std::time::Duration;

/// The longest server-requested wait accepted before giving up.
pub const MAX_FREE_WAIT: Duration = Duration::from_secs(3 * 3600);
/// Captchas asked at most (a wrong answer, errorCode 31, asks again).
const MAX_CAPTCHAS: u32 = 3;
/// Server-requested waits accepted at most.
const MAX_WAITS: u32 = 3;
/// getUrl calls at most, whatever the answers (a server repeating itself cannot loop forever).
const MAX_CALLS: u32 = 12;
/// The wait on errorCode 41 when the server gives no timeRemaining or time_wait.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// Lost answers to a captcha (5xx, timeout) after which the flow asks afresh.
const MAX_GLITCHES: u32 = 2;

/// Label of the wait of `time_wait` before the free download key is valid.
pub const WAIT_FREE: &str = "free download";
/// Label of a wait the service asks for (errorCode 41, ...).
pub const WAIT_SERVICE: &str = "the service asks to wait";

/// A download URL, and whether the free-download flow was needed (then one connection only).
///
/// * `answer(captcha, url, image)` is called when a captcha is needed: `url` is the page or
///   image address to show, `image` the image bytes when they could be fetched. `None` (or a
///   blank answer) ends the flow with an error.
/// * `wait(duration, label)` must sleep for `duration` (showing it as it likes); `label` is
///   [`WAIT_FREE`] or [`WAIT_SERVICE`].
pub async fn get_url_free_flow<A, AF, W, WF>(
    client: &Client,
    file_id: &str,
    mut answer: A,
    mut wait: W,
) -> Result<(String, bool), ApiError>
where
    A: FnMut(Captcha, String, Option<Vec<u8>>) -> AF,
    AF: Future<Output = Option<String>>,
    W: FnMut(Duration, &'static str) -> WF,
    WF: Future<Output = ()>,
{
    let fresh = || GetUrl {
        file_id: file_id.to_string(),
        ..GetUrl::default()
    };
    let mut req = fresh();
    let mut free = false;
    let mut n = Counts::default();
    for _ in 0..MAX_CALLS {
        let sent_captcha = req.captcha_response.is_some();
        let result = client.get_url(&req).await;
        // A captcha works once: whatever the answer, no later request carries this one.
        req.captcha_challenge = None;
        req.captcha_response = None;
        match result {
            Ok(UrlAnswer::Url(u)) => return Ok((u, free)),
            Ok(UrlAnswer::FreeKey {
                free_download_key,
                time_wait,
            }) => {
                free = true;
                let d = Duration::from_secs(time_wait).min(MAX_FREE_WAIT);
                wait(d, WAIT_FREE).await;
                req = GetUrl {
                    free_download_key: Some(free_download_key),
                    ..fresh()
                };
            }
            // Captcha needed (30) or wrong answer (31): ask for one (a few times at most).
            Err(e) if e.is_captcha_required() || e.is_captcha_wrong() => {
                free = true;
                n.captchas += 1;
                if n.captchas > MAX_CAPTCHAS {
                    return Err(e);
                }
                let (challenge, response) = solve(client, &mut answer).await?;
                req = GetUrl {
                    captcha_challenge: Some(challenge),
                    captcha_response: Some(response),
                    ..fresh()
                };
            }
            // A stale free download key: start over once, without it.
            Err(e) if e.is_free_key_invalid() && req.free_download_key.is_some() && !n.key_reset => {
                n.key_reset = true;
                req = fresh();
            }
            // The answer to a captcha was lost (5xx, timeout): it may have been used, so ask
            // afresh (the server says whether a new captcha is needed).
            Err(e) if sent_captcha && is_glitch(&e) && n.glitches < MAX_GLITCHES => {
                n.glitches += 1;
                tracing::debug!("getUrl after a captcha answer: {e}; asking afresh");
            }
            // Free users wait between downloads (41, or 21/42 with timeRemaining), then ask
            // again: with the key when there is one, never with a used captcha.
            Err(e) if n.waits < MAX_WAITS && e.code().is_some() => {
                let Some(d) = service_wait(&e) else {
                    return Err(e);
                };
                free |= e.is_free_wait();
                n.waits += 1;
                wait(d, WAIT_SERVICE).await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::local("could not get a download URL"))
}

/// The wait an error asks for (its timeRemaining or time_wait; a default for errorCode 41),
/// or None when it asks for none or for too long.
fn service_wait(e: &ApiError) -> Option<Duration> {
    let d = match e.recovery() {
        Recovery::Retry { after: Some(d) } => d,
        Recovery::Retry { after: None } if e.is_free_wait() => DEFAULT_WAIT,
        _ => return None,
    };
    (d <= MAX_FREE_WAIT).then_some(d)
}

/// What the flow has used up.
#[derive(Default)]
struct Counts {
    captchas: u32,
    waits: u32,
    glitches: u32,
    key_reset: bool,
}

/// Failures after which asking again may work, and that say nothing about the captcha.
fn is_glitch(e: &ApiError) -> bool {
    !e.is_free_wait() && e.recovery() == (Recovery::Retry { after: None })
}

/// requestCaptcha, its image when it can be fetched, and the caller's answer:
/// (challenge, response).
async fn solve<A, AF>(client: &Client, answer: &mut A) -> Result<(String, String), ApiError>
where
    A: FnMut(Captcha, String, Option<Vec<u8>>) -> AF,
    AF: Future<Output = Option<String>>,
{
    let c = client.request_captcha().await?;
    let url = if c.captcha_url.is_empty() {
        format!(
            "{}/captcha?id={}",
            client.base_url().trim_end_matches('/'),
            c.challenge
        )
    } else {
        c.captcha_url.clone()
    };
    let image = match client.captcha_image(&c.challenge).await {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            tracing::debug!("captcha image not fetched: {e}");
            None
        }
    };
    let challenge = c.challenge.clone();
    let response = answer(c, url, image)
        .await
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| ApiError::local("no captcha answer was given"))?;
    Ok((challenge, response))
}
