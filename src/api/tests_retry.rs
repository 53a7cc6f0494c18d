//! The retry policy with a fake attempt that fails N times and a sleep that only records:
//! stray 400s for reads and writes alike with their own budget, 5xx for reads only.

use super::call::{Class, Retries, STRAY_RETRIES, classify, retry_loop, stray_pause};
use super::decode::envelope;
use super::error::ApiError;
use std::cell::RefCell;
use std::time::Duration;

const STRAY: &str = r#"{"status":"error","code":400,"errorCode":2,"message":"Invalid request params"}"#;
const E500: &str = r#"{"status":"error","code":500,"message":"Internal error"}"#;

fn failure(http: u16, body: &str) -> (ApiError, Class) {
    let e = envelope("getFilesList", http, body.as_bytes()).unwrap_err();
    let c = classify(&e);
    (e, c)
}

/// Run the loop with an attempt that fails with `fails` in turn, then succeeds: the result,
/// the attempts made and the pauses slept.
fn run(idempotent: bool, fails: &[(u16, &str)]) -> (Result<u32, ApiError>, u32, Vec<Duration>) {
    let attempts = RefCell::new(0u32);
    let pauses = RefCell::new(Vec::new());
    let retries = Retries::new(
        idempotent,
        3,
        (Duration::from_millis(200), Duration::from_secs(5)),
    );
    let result = futures::executor::block_on(retry_loop(
        "getFilesList",
        retries,
        || {
            let n = {
                let mut a = attempts.borrow_mut();
                *a += 1;
                *a
            };
            let out = match fails.get(n as usize - 1) {
                Some((http, body)) => Err(failure(*http, body)),
                None => Ok(n),
            };
            std::future::ready(out)
        },
        |d| {
            pauses.borrow_mut().push(d);
            std::future::ready(())
        },
    ));
    (result, attempts.into_inner(), pauses.into_inner())
}

#[test]
fn stray_400s_are_retried_for_reads_and_writes_over_several_seconds() {
    for idempotent in [true, false] {
        let fails = vec![(400, STRAY); STRAY_RETRIES as usize];
        let (r, attempts, pauses) = run(idempotent, &fails);
        assert_eq!(r.unwrap(), STRAY_RETRIES + 1, "idempotent {idempotent}");
        assert_eq!(attempts, STRAY_RETRIES + 1);
        assert_eq!(pauses.len(), STRAY_RETRIES as usize);
        assert!(pauses.windows(2).all(|w| w[1] > w[0]), "{pauses:?}");
        let total: Duration = pauses.iter().sum();
        assert!(
            total >= Duration::from_millis(5800) && total <= Duration::from_millis(7750),
            "{total:?}"
        );
    }
}

#[test]
fn stray_400s_give_up_after_their_budget() {
    let fails = vec![(400, STRAY); STRAY_RETRIES as usize + 1];
    let (r, attempts, _) = run(false, &fails);
    let e = r.unwrap_err();
    assert!(e.is_invalid_params(), "{e:?}");
    assert_eq!(attempts, STRAY_RETRIES + 1);
}

#[test]
fn the_stray_budget_is_apart_from_the_5xx_budget() {
    // 3 x 500 (max_retries 3) and 5 strays, mixed: a read gets through.
    let fails = [
        (500, E500),
        (400, STRAY),
        (500, E500),
        (400, STRAY),
        (400, STRAY),
        (500, E500),
        (400, STRAY),
        (400, STRAY),
    ];
    let (r, attempts, _) = run(true, &fails);
    assert_eq!(r.unwrap(), 9);
    assert_eq!(attempts, 9);
    // A fourth 500 is one too many.
    let (r, attempts, _) = run(true, &[(500, E500); 4]);
    assert_eq!(r.unwrap_err().code(), None);
    assert_eq!(attempts, 4);
}

#[test]
fn writes_are_not_retried_on_5xx_but_on_429() {
    let (r, attempts, pauses) = run(false, &[(500, E500)]);
    assert!(r.is_err());
    assert_eq!((attempts, pauses.len()), (1, 0));
    let busy = r#"{"status":"error","code":429,"message":"Too many requests, please wait 1 minute"}"#;
    let (r, attempts, _) = run(false, &[(429, busy), (400, STRAY)]);
    assert_eq!(r.unwrap(), 3);
    assert_eq!(attempts, 3);
}

#[test]
fn final_errors_are_not_retried() {
    let not_found = r#"{"status":"error","code":406,"errorCode":20,"message":"File not available"}"#;
    let (r, attempts, _) = run(true, &[(406, not_found)]);
    assert!(r.unwrap_err().is_not_available());
    assert_eq!(attempts, 1);
}

#[test]
fn what_counts_as_a_stray_400() {
    for (http, body, stray) in [
        (400, STRAY, true),
        (
            400,
            r#"{"status":"error","code":400,"errorCode":3,"message":"Incorrect param value"}"#,
            true,
        ),
        (400, r#"{"status":"error","code":400,"errorCode":"4"}"#, true),
        (
            400,
            r#"{"status":"error","code":400,"message":"Invalid request params."}"#,
            true,
        ),
        (
            406,
            r#"{"status":"error","code":406,"errorCode":2,"message":"Invalid request params"}"#,
            false,
        ),
        (
            400,
            r#"{"status":"error","code":400,"message":"Domain not found"}"#,
            false,
        ),
        (400, r#"{"status":"error","code":400,"errorCode":30}"#, false),
    ] {
        let (e, class) = failure(http, body);
        assert_eq!(e.is_invalid_params(), stray, "{body}");
        assert_eq!(class == Class::StrayInvalid, stray, "{body}");
    }
}

#[test]
fn stray_pauses_double_from_250_ms() {
    for n in 0..STRAY_RETRIES {
        let full = Duration::from_millis(250 * (1 << n));
        let d = stray_pause(n);
        assert!(d <= full && d >= full * 3 / 4, "{n}: {d:?}");
    }
}
