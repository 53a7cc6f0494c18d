//! The account from the command line against the demo server: `account` with its
//! subscriptions, `reseller-code`, and `status` (availability of files and public folders).

mod common;

use common::k2s_cmd;
use k2s::demo::{Faults, Shapes, accounts, ids};
use serde_json::Value;
use std::process::Output;

use common::cli_env::CliEnv as Env;

async fn env(shapes: Shapes) -> Env {
    Env::start(shapes).await
}

impl Env {
    /// Log in as `user` (the session is cached in the env's folder) and drop the token.
    async fn login(&self, user: &str, password: &str) {
        let mut c = k2s_cmd(
            &self.server.api_url(),
            self.dir.path(),
            &["login", "--username", user, "--password-stdin"],
        );
        c.env_remove("K2S_ACCESS_TOKEN")
            .stdin(std::process::Stdio::piped());
        let line = format!("{password}\n");
        let o = tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut child = c.spawn().unwrap();
            child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        ok(&o);
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
    stdout(o)
}
fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

shaped! {
    async fn account_lists_the_subscriptions_of_the_accounts_domain(shape) {
        let e = env(shape).await;
        e.login(accounts::PREMIUM_USER, accounts::PREMIUM_PASSWORD).await;
        let text = ok(&e.run_as(None, &["account"]).await);
        assert!(text.contains("subscriptions:  demo.k2s: 3"), "{text}");
        assert!(text.contains("subscriber2@example.com") && text.contains("2026-02-25"), "{text}");
        let j = json(&e.run_as(None, &["--json", "account"]).await);
        let subs = &j["subscriptions"][0];
        assert_eq!(subs["domain"], "demo.k2s", "{j}");
        assert_eq!(subs["total"], 3, "{j}");
        assert_eq!(subs["error"], Value::Null, "{j}");
        let items = subs["items"].as_array().expect("items");
        assert_eq!(items.len(), 3);
        assert_eq!(items[0]["user_email"], "subscriber1@example.com");
        assert!(items[0]["expires_at"].as_str().unwrap_or("").starts_with("2026-01-25"), "{j}");
        assert!(items[0]["last_payment"].as_str().unwrap_or("").starts_with("2025-01-25"), "{j}");
    }
}

shaped! {
    async fn account_subscriptions_of_a_domain_given_and_of_an_unknown_one(shape) {
        let e = env(shape).await;
        // A partner token has no e-mail address: no domain is guessed.
        let text = ok(&e.run(&["account"]).await);
        assert!(text.contains("subscriptions:  no domain known"), "{text}");
        assert_eq!(json(&e.run(&["--json", "account"]).await)["subscriptions"], serde_json::json!([]));
        let j = json(&e.run(&["--json", "account", "--domain", "demo.k2s", "--domain", "nosuch.example"]).await);
        let subs = j["subscriptions"].as_array().expect("subscriptions");
        assert_eq!(subs.len(), 2, "{j}");
        assert_eq!(subs[0]["total"], 3, "{j}");
        assert_eq!(subs[1]["domain"], "nosuch.example");
        assert_eq!(subs[1]["items"], serde_json::json!([]));
        assert!(subs[1]["error"].as_str().is_some_and(|t| !t.is_empty()), "{j}");
        // The rest of the account is still shown.
        assert!(j["available_traffic"].as_u64().is_some(), "{j}");
        let text = ok(&e.run(&["account", "--domain", "nosuch.example"]).await);
        assert!(text.contains("subscriptions:  nosuch.example: unavailable"), "{text}");
    }
}

fn balance(j: &Value) -> f64 {
    j["balance"].as_f64().unwrap_or_else(|| panic!("no balance: {j}"))
}

shaped! {
    async fn reseller_code_buys_a_code_and_hands_it_back(shape) {
        let e = env(shape).await;
        let before = balance(&json(&e.run(&["--json", "account"]).await));
        let o = e.run(&["reseller-code", "--days", "7"]).await;
        let code = ok(&o).trim().to_string();
        assert!(code.len() >= 6 && !code.contains(' '), "the code alone on stdout: {code:?}");
        assert!(stderr(&o).contains("balance left"), "{}", stderr(&o));
        let after = balance(&json(&e.run(&["--json", "account"]).await));
        assert!((before - after - 0.7).abs() < 1e-6, "charged 7 days: {before} -> {after}");
        // --use-existing hands back the same code without charging again.
        let j = json(&e.run(&["--json", "reseller-code", "--days", "7", "--use-existing"]).await);
        assert_eq!(j["reseller_code"], code.as_str(), "{j}");
        assert_eq!(j["days"], 7);
        assert!(j["code_id"].as_str().is_some_and(|s| !s.is_empty()), "{j}");
        assert!((balance(&j) - after).abs() < 1e-6, "{j}");
        // Without it, a new one is bought.
        let j = json(&e.run(&["--json", "reseller-code", "--days", "7"]).await);
        assert_ne!(j["reseller_code"], code.as_str(), "{j}");
        assert!((balance(&j) - (after - 0.7)).abs() < 1e-6, "{j}");
        // Nothing to hand back and buying forbidden: an error, exit 1, nothing on stdout.
        let o = e.run(&["reseller-code", "--days", "30", "--use-existing", "--no-buy"]).await;
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stdout(&o).is_empty() && stderr(&o).contains("no reseller codes"), "{}", stderr(&o));
    }
}

#[tokio::test]
async fn reseller_code_refuses_bad_input_and_asks_for_credentials() {
    let e = env(Shapes::Reference).await;
    for args in [
        &["reseller-code"][..],
        &["reseller-code", "--days", "0"],
        &["reseller-code", "--days", "x"],
    ] {
        let o = e.run(args).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = e.run_as(None, &["reseller-code", "--days", "7"]).await;
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not logged in"), "{}", stderr(&o));
}

/// resellerGetCode spends money: a lost answer is not asked again blind, and the code bought
/// is handed back by `--use-existing --no-buy`, charged once.
#[tokio::test]
async fn reseller_code_whose_answer_was_lost_is_found_again_charged_once() {
    let e = env(Shapes::Live).await;
    let before = balance(&json(&e.run(&["--json", "account"]).await));
    e.server.lose_next_answers("resellerGetCode", 1);
    let o = e.run(&["reseller-code", "--days", "10"]).await;
    assert!(!o.status.success(), "{}", stdout(&o));
    let j = json(
        &e.run(&[
            "--json",
            "reseller-code",
            "--days",
            "10",
            "--use-existing",
            "--no-buy",
        ])
        .await,
    );
    assert!(j["reseller_code"].as_str().is_some_and(|c| !c.is_empty()), "{j}");
    assert!(
        (before - balance(&j) - 1.0).abs() < 1e-6,
        "charged once: {before} -> {j}"
    );
}

shaped! {
    async fn status_says_which_files_and_folders_are_available(shape) {
        let e = env(shape).await;
        let link = format!("https://k2s.cc/file/{}/Big_Buck_Bunny.mp4", ids::VIDEO_BUNNY);
        let all_there = [ids::README, link.as_str(), ids::SHARED];
        let text = ok(&e.run(&[&["status"][..], &all_there].concat()).await);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with(ids::README) && lines[0].contains("available"), "{text}");
        assert!(lines[1].starts_with(ids::VIDEO_BUNNY) && lines[1].contains("Big Buck Bunny.mp4"), "{text}");
        assert!(lines[2].contains("folder"), "{text}");

        let o = e.run(&["--json", "status", ids::README, ids::BLOCKED, "nosuchfile99", "not an id!", ids::SHARED]).await;
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let rows = json(&o);
        let rows = rows.as_array().expect("a list");
        assert_eq!(rows.len(), 5);
        let avail: Vec<bool> = rows.iter().map(|r| r["available"].as_bool().unwrap()).collect();
        assert_eq!(avail, [true, false, false, false, true], "{rows:?}");
        assert_eq!(rows[0]["id"], ids::README);
        assert_eq!(rows[0]["is_folder"], false);
        assert_eq!(rows[0]["name"], "README.txt");
        assert!(rows[0]["size"].as_u64().is_some(), "{rows:?}");
        assert_eq!(rows[0]["reason"], Value::Null);
        assert_eq!(rows[1]["id"], ids::BLOCKED);
        assert!(rows[2]["reason"].as_str().is_some(), "{rows:?}");
        assert_eq!(rows[3]["id"], Value::Null);
        assert_eq!(rows[3]["given"], "not an id!");
        assert_eq!(rows[4]["is_folder"], true);
        assert!(stderr(&o).contains("3 of 5 not available"), "{}", stderr(&o));
    }
}

shaped! {
    async fn status_works_anonymously_on_public_folders_of_others(shape) {
        let e = env(shape).await;
        // Another account's public folder, and a private file of the premium account.
        let o = e.run_as(None, &["--json", "status", "freepublic001", ids::SHARED, ids::PRIVATE_NOTES]).await;
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let rows = json(&o);
        let avail: Vec<bool> = rows.as_array().unwrap().iter().map(|r| r["available"].as_bool().unwrap()).collect();
        assert_eq!(avail, [true, true, false], "{rows}");
        let o = e.run_as(None, &["status", "freepublic001"]).await;
        assert!(ok(&o).contains("available  folder"), "{}", stdout(&o));
    }
}

/// A flaky server: getFileStatus is read-only and retried, so every answer still comes.
#[tokio::test]
async fn status_rides_out_a_flaky_server() {
    let e = env(Shapes::Live).await;
    e.server.set_faults(Faults {
        fail_rate: 0.3,
        ..Faults::default()
    });
    let ids = [
        ids::README,
        ids::NOTES,
        ids::VIDEO_BUNNY,
        ids::REPORT,
        ids::SHARED,
    ];
    let o = e.run(&[&["--json", "status"][..], &ids].concat()).await;
    let rows = json(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(rows.as_array().map(Vec::len), Some(5), "{rows}");
}
