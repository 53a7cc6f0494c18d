//! The client's request throttle against the demo server: after a pause, two seconds' worth of
//! requests go at once (a folder opened after start-up lists without waiting), and over a
//! longer run the average stays at the configured rate.

use k2s::api::client::burst_of;
use k2s::api::{Client, ClientConfig, Credentials};
use k2s::demo::{DemoOptions, DemoServer, accounts};
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

async fn client_at(rps: u32) -> (DemoServer, Client) {
    let d = DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server starts");
    let c = Client::new(ClientConfig {
        base_url: d.api_url(),
        timeout: Duration::from_secs(20),
        requests_per_second: rps,
        credentials: Credentials {
            access_token: Some(accounts::PARTNER_TOKEN.into()),
            ..Credentials::default()
        },
        ..ClientConfig::default()
    })
    .expect("client");
    (d, c)
}

/// How long `n` API requests take one after the other.
async fn time_calls(c: &Client, n: usize) -> Duration {
    let s = Instant::now();
    for _ in 0..n {
        c.test().await.expect("test call");
    }
    s.elapsed()
}

#[test]
fn the_burst_is_two_seconds_of_the_rate() {
    let five = NonZeroU32::new(5).expect("5");
    assert_eq!(burst_of(five).get(), 10);
    assert_eq!(burst_of(NonZeroU32::MIN).get(), 2);
    assert_eq!(burst_of(NonZeroU32::MAX), NonZeroU32::MAX);
}

#[tokio::test]
async fn ten_requests_after_a_pause_go_at_once_at_five_per_second() {
    let (_d, c) = client_at(5).await;
    // With a burst of only 5 the tenth request would wait 1 s.
    let took = time_calls(&c, 10).await;
    assert!(took < Duration::from_millis(900), "10 requests took {took:?}");
}

#[tokio::test]
async fn the_average_stays_at_the_rate() {
    let (_d, c) = client_at(5).await;
    // 10 at once, then one each 200 ms: the 20th goes at 2 s.
    let took = time_calls(&c, 20).await;
    assert!(took >= Duration::from_millis(1_900), "20 requests took {took:?}");
}
