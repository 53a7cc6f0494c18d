//! getUrl through the free-download flow, shared by the transfer engine and `k2s url`:
//! getUrl -> errorCode 30 (captcha) -> requestCaptcha -> answer -> `FreeKey { free_download_key,
//! time_wait }` -> wait -> getUrl with the key -> URL; errorCode 41 (and 21/42/71 with a
//! timeRemaining) means wait, then ask again. How the captcha is answered and how a wait is
//! shown are up to the caller.

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
/// The wait on errorCode 41 when the server gives no timeRemaining.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);

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
    let mut captchas = 0;
    let mut waits = 0;
    for _ in 0..MAX_CALLS {
        match client.get_url(&req).await {
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
            Err(e) if matches!(e.recovery(), Recovery::Captcha) && e.code() != Some(33) => {
                free = true;
                captchas += 1;
                if captchas > MAX_CAPTCHAS {
                    return Err(e);
                }
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
                req = GetUrl {
                    captcha_challenge: Some(challenge),
                    captcha_response: Some(response),
                    ..fresh()
                };
            }
            // Free users wait between downloads (41, or 21/42 with timeRemaining).
            Err(e) if waits < MAX_WAITS && e.code().is_some() => {
                let d = match e.recovery() {
                    Recovery::Retry { after: Some(d) } => d,
                    Recovery::Retry { after: None } if e.code() == Some(41) => DEFAULT_WAIT,
                    _ => return Err(e),
                };
                if d > MAX_FREE_WAIT {
                    return Err(e);
                }
                waits += 1;
                wait(d, WAIT_SERVICE).await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::local("could not get a download URL"))
}
