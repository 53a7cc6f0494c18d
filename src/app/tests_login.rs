//! The login screen and session loss, driven by messages alone.

use super::tests_update::{api_err, browsing, code, ctrl, files_ticket, key, new_state, typing};
use super::*;
use crate::api::{AccountInfo, Captcha};
use ratatui::crossterm::event::KeyCode;

#[test]
fn expired_session_goes_to_login_and_back_to_the_same_place() {
    let mut s = browsing();
    update(&mut s, key('j'));
    let fx = update(&mut s, key('l'));
    let (t, _, _) = files_ticket(&fx).unwrap();
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Err(api_err(10, 403)),
        },
    );
    assert_eq!(s.screen, Screen::Login);
    assert!(s.login.reason.is_some());
    assert_eq!(s.list.folder, "mov", "place kept");
    // q is typed into the form, not a quit.
    assert_eq!(s.login.field, login::LoginField::Username);
    typing(&mut s, "user@x");
    update(&mut s, code(KeyCode::Tab));
    typing(&mut s, "pq");
    assert!(!s.quit);
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(matches!(&fx[..], [Effect::Login(_)]));
    let fx = update(&mut s, Msg::LoggedIn(Ok(())));
    assert_eq!(s.screen, Screen::Browse);
    let (_, parent, _) = files_ticket(&fx).unwrap();
    assert_eq!(parent, "mov");
    assert_eq!(
        s.login.password.value(),
        "",
        "the password is not kept in the form"
    );
}

#[test]
fn recaptcha_login_flow() {
    let mut s = new_state();
    start(&mut s, false, None);
    typing(&mut s, "captcha@demo.k2s");
    update(&mut s, code(KeyCode::Tab));
    typing(&mut s, "captcha-pass");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(matches!(&fx[..], [Effect::Login(_)]));
    assert!(s.login.busy);
    let fx = update(&mut s, Msg::LoggedIn(Err(api_err(33, 406))));
    assert!(matches!(&fx[..], [Effect::RequestCaptcha { recaptcha: true }]));
    let cap = Captcha {
        challenge: "ch1".into(),
        captcha_url: String::new(),
    };
    let fx = update(
        &mut s,
        Msg::Captcha {
            recaptcha: true,
            result: Ok((cap, "http://h/reCaptcha.html?id=ch1".into())),
        },
    );
    assert!(matches!(&fx[..], [Effect::OpenUrl(u)] if u.ends_with("id=ch1")));
    assert_eq!(s.login.field, login::LoginField::Captcha);
    update(&mut s, Msg::Paste("  answer-42\n".into()));
    let fx = update(&mut s, code(KeyCode::Enter));
    match &fx[..] {
        [Effect::Login(req)] => {
            assert_eq!(req.0.re_captcha_challenge.as_deref(), Some("ch1"));
            assert_eq!(req.0.re_captcha_response.as_deref(), Some("answer-42"));
            assert_eq!(req.0.username, "captcha@demo.k2s");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn access_token_login() {
    let mut s = new_state();
    start(&mut s, false, None);
    update(&mut s, code(KeyCode::BackTab)); // to the mode line
    update(&mut s, code(KeyCode::Right));
    assert_eq!(s.login.mode, login::LoginMode::Token);
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, Msg::Paste("tok-123".into()));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(matches!(&fx[..], [Effect::UseAccessToken(t)] if t.0 == "tok-123"));
    assert!(
        !format!("{fx:?}").contains("tok-123"),
        "tokens never appear in Debug"
    );
    let fx = update(&mut s, Msg::TokenChecked(Ok(AccountInfo::default())));
    assert_eq!(s.screen, Screen::Browse);
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadAccount)));
    assert!(files_ticket(&fx).is_some());
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    for setup in [
        (|s: &mut State| {
            update(s, key('/'));
        }) as fn(&mut State),
        |s| {
            update(s, key('n'));
        },
        |s| {
            update(s, key('?'));
        },
        |s| s.screen = Screen::Login,
    ] {
        let mut s = browsing();
        setup(&mut s);
        let fx = update(&mut s, ctrl('c'));
        assert!(fx.iter().any(|e| matches!(e, Effect::Quit)));
    }
    let mut s = browsing();
    assert!(update(&mut s, key('q')).iter().any(|e| matches!(e, Effect::Quit)));
}
