//! Snapshots of the account view (text only; the monochrome theme so that attributes do not
//! matter), and its keys: `I` opens it and asks for the figures, `R` asks again, Esc closes.

use crate::api::{AccountInfo, ApiError, Subscription, Subscriptions, Timestamp};
use crate::app::account_view::AccountFigures;
use crate::app::overlay::Overlay;
use crate::app::{Effect, Msg, State, update};
use crate::ui::tests_support::{alpha, render, root_with};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The root with one file, in a `w` x `h` terminal.
fn root(w: u16, h: u16) -> State {
    root_with(w, h, vec![alpha()])
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn subscription(i: u32) -> Subscription {
    Subscription {
        user_email: Some(format!("subscriber{i}@example.com")),
        domain_name: Some("demo.k2s".into()),
        expires_at: Some(at(&format!("2031-0{i}-25T15:23:15Z"))),
        last_payment: Some(at(&format!("2030-0{i}-25T15:23:15Z"))),
    }
}

fn figures() -> AccountFigures {
    AccountFigures {
        info: Ok(AccountInfo {
            available_traffic: Some(50 * 1024 * 1024 * 1024),
            account_expires: Some(at("2030-12-31T00:00:00Z")),
        }),
        balance: Ok(Some(12.5)),
        domains: Ok(vec!["k2s.cc".into(), "keep2share.cc".into()]),
        subscriptions: vec![(
            "demo.k2s".into(),
            Ok(Subscriptions {
                total: Some(2),
                items: vec![subscription(1), subscription(2)],
            }),
        )],
    }
}

/// `I` opened the view; the figures came.
fn opened(figures: AccountFigures) -> State {
    let mut s = root(80, 24);
    let fx = press(&mut s, KeyCode::Char('I'));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadAccountView)), "{fx:?}");
    update(&mut s, Msg::AccountView(Box::new(figures)));
    s
}

#[test]
fn account_view_while_loading() {
    let mut s = root(80, 24);
    press(&mut s, KeyCode::Char('I'));
    assert!(matches!(s.overlays.top(), Some(Overlay::Account(_))));
    insta::assert_snapshot!(render(&s));
}

#[test]
fn account_view_with_every_figure() {
    let s = opened(figures());
    let out = render(&s);
    for want in [
        "50.0 GiB",
        "until 2030-12-31",
        "12.50",
        "k2s.cc, keep2share.cc",
        "demo.k2s: 2",
        "subscriber2@example.com",
    ] {
        assert!(out.contains(want), "{want} missing:\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn account_view_says_which_parts_failed() {
    let mut f = figures();
    f.balance = Err("getBalance: the server is busy".into());
    f.subscriptions = vec![("nosuch.example".into(), Err("Domain not found".into()))];
    let s = opened(f);
    let out = render(&s);
    assert!(out.contains("unavailable: getBalance"), "{out}");
    assert!(
        out.contains("nosuch.example: unavailable: Domain not found"),
        "{out}"
    );
    assert!(out.contains("50.0 GiB"), "the rest is shown:\n{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn account_view_without_a_site_domain_or_the_account() {
    let mut f = figures();
    f.subscriptions.clear();
    f.info = Err(ApiError::local("accountInfo: no answer"));
    let s = opened(f);
    let out = render(&s);
    assert!(out.contains("no site domain known"), "{out}");
    assert!(out.contains("accountInfo: no answer"), "{out}");
}

#[test]
fn refresh_asks_again_and_esc_closes() {
    let mut s = opened(figures());
    // The status bar took the account info too.
    assert!(s.account.info.is_some());
    let fx = press(&mut s, KeyCode::Char('R'));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadAccountView)), "{fx:?}");
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::LoadFolders(_))),
        "not the browser's refresh"
    );
    // Asked once while it loads.
    let fx = press(&mut s, KeyCode::Char('R'));
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadAccountView)), "{fx:?}");
    press(&mut s, KeyCode::Esc);
    assert!(s.overlays.is_empty());
    // A late answer with the view closed changes nothing but the status bar.
    update(&mut s, Msg::AccountView(Box::new(figures())));
    assert!(s.overlays.is_empty());
}
