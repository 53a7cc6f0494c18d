//! Snapshots of every pane on ratatui's TestBackend (text only; NO_COLOR theme so that the
//! attributes do not matter).

use super::draw;
use crate::api::{
    Abuse, AccountInfo, ApiError, Captcha, ExtendedInfo, FileItem, FolderEntry, FoldersList, VideoInfo,
};
use crate::app::{Effect, Keymap, Msg, Settings, State, start, update};
use crate::theme::Theme;
use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn render(state: &State) -> String {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| draw(f, state)).expect("draw");
    // (TestBackend cannot print a zero-width buffer.)
    if w == 0 {
        String::new()
    } else {
        t.backend().to_string()
    }
}

fn key(s: &mut State, c: char) {
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
}
fn code(s: &mut State, c: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

fn at(day: u32, hour: u32) -> Option<chrono::DateTime<Utc>> {
    Utc.with_ymd_and_hms(2024, 1, day, hour, 0, 0).single()
}

fn file(id: &str, name: &str, size: u64, ctype: &str, day: u32) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(false),
        is_available: Some(true),
        is_available_for_free: Some(true),
        access: Some(crate::api::Access::Public),
        date_created: at(day, 10),
        size: Some(size),
        md5: Some("0123456789abcdef0123456789abcdef".into()),
        parent_id: None,
        extended_info: Some(ExtendedInfo {
            storage_object: Some("available".into()),
            size: Some(size),
            downloads: Some(u64::from(day)),
            access: Some(crate::api::Access::Public),
            content_type: Some(ctype.into()),
            date_download_last: at(day + 1, 9),
            ..ExtendedInfo::default()
        }),
        video_info: None,
    }
}

fn folder(id: &str, name: &str) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(true),
        date_created: at(2, 8),
        ..FileItem::default()
    }
}

fn tree() -> FoldersList {
    let e = |id: &str, name: &str, parent: &str| FolderEntry {
        id: id.into(),
        name: name.into(),
        parent_id: Some(parent.into()),
        parent_name: None,
    };
    FoldersList {
        folders: vec![
            e("mov", "Movies", "/"),
            e("m24", "2024", "mov"),
            e("doc", "Documents", "/"),
            e("pho", "写真 Photos", "/"),
            e("emp", "Empty", "/"),
        ],
        has_parents: true,
    }
}

fn root_items() -> Vec<FileItem> {
    vec![
        folder("mov", "Movies"),
        folder("doc", "Documents"),
        folder("pho", "写真 Photos"),
        folder("emp", "Empty"),
        file("cjk", "日本語のファイル名.txt", 4321, "text/plain", 3),
        file("emo", "🎉 party time 🎈.jpg", 65537, "image/jpeg", 4),
        file(
            "esc",
            "\u{1b}[31mred alert\u{1b}[0m\u{1b}]52;c;ZXZpbA==\u{7}.txt",
            999,
            "text/plain",
            5,
        ),
        file(
            "long",
            "A very long file name that keeps going and going to test truncation in narrow columns.txt",
            777,
            "text/plain",
            6,
        ),
        file("rdm", "README.txt", 2345, "text/plain", 7),
    ]
}

fn ticket_of(fx: &[Effect]) -> (u64, Option<u64>) {
    let files = fx.iter().find_map(|e| {
        if let Effect::LoadFiles { ticket, .. } = e {
            Some(*ticket)
        } else {
            None
        }
    });
    let tree = fx.iter().find_map(|e| {
        if let Effect::LoadFolders(t) = e {
            Some(*t)
        } else {
            None
        }
    });
    (files.expect("listing asked"), tree)
}

/// The root, loaded, with account info, in a `w` x `h` terminal.
fn root(w: u16, h: u16) -> State {
    root_with(w, h, root_items())
}

/// The root holding `items`.
fn root_with(w: u16, h: u16, items: Vec<FileItem>) -> State {
    let settings = Settings {
        demo: true,
        ..Settings::default()
    };
    let mut s = State::new(settings, Keymap::defaults(), Theme::monochrome());
    s.size = (w, h);
    let fx = start(&mut s, true, None);
    let (t, tt) = ticket_of(&fx);
    update(&mut s, Msg::Folders(tt.unwrap_or(0), Ok(tree())));
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(items),
        },
    );
    let expires = Utc.with_ymd_and_hms(2099, 12, 31, 0, 0, 0).single();
    update(
        &mut s,
        Msg::Account(Ok(AccountInfo {
            available_traffic: Some(50 << 30),
            account_expires: expires,
        })),
    );
    s
}

fn movies(w: u16, h: u16) -> State {
    let mut s = root(w, h);
    // Movies is the second row (folders first, by name: Documents, Empty, Movies).
    key(&mut s, 'j');
    key(&mut s, 'j');
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let (t, _) = ticket_of(&fx);
    let mut bunny = file("vb", "Big Buck Bunny.mp4", 2_621_447, "video/mp4", 10);
    if let Some(x) = bunny.extended_info.as_mut() {
        x.downloads = Some(42);
    }
    let mut blocked = file("bl", "blocked-video.mp4", 204_811, "video/mp4", 11);
    blocked.is_available = Some(false);
    if let Some(x) = blocked.extended_info.as_mut() {
        x.abuses = vec![Abuse {
            kind: Some("hash".into()),
            projects: vec!["k2s".into()],
            blocked_to: at(28, 0),
        }];
    }
    let mut sintel = file("si", "Sintel.mkv", 1_048_583, "video/x-matroska", 12);
    sintel.access = Some(crate::api::Access::Premium);
    let fx = update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(vec![folder("m24", "2024"), bunny, blocked, sintel]),
        },
    );
    let ids = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadVideoInfo(ids) = e {
                Some(ids.clone())
            } else {
                None
            }
        })
        .unwrap_or_default();
    let answer = ids
        .iter()
        .map(|id| FileItem {
            id: id.clone(),
            video_info: Some(VideoInfo {
                duration: Some(596.458),
                width: Some(1920),
                height: Some(1080),
                format: Some("MPEG-4".into()),
                is_streamable: Some(true),
            }),
            ..FileItem::default()
        })
        .collect();
    update(
        &mut s,
        Msg::VideoInfo {
            ids,
            result: Ok(answer),
        },
    );
    s
}

#[test]
fn main_view_with_cjk_emoji_and_escapes() {
    let mut s = root(120, 24);
    key(&mut s, 'G');
    key(&mut s, ' ');
    let out = render(&s);
    assert!(!out.contains('\u{1b}'), "no escape byte reaches the screen");
    assert!(out.contains("red alert"));
    insta::assert_snapshot!(out);
}

#[test]
fn spoofing_names_show_placeholders_and_keep_the_columns() {
    let items = vec![
        file(
            "bidi",
            "invoice\u{202e}fdp.exe",
            1000,
            "application/octet-stream",
            3,
        ),
        file("zws", "pay\u{200b}pal\u{2060}.pdf", 2000, "application/pdf", 4),
        file("sep", "line\u{2028}para\u{2029}end.txt", 3000, "text/plain", 5),
        file("iso", "\u{2067}right\u{2069}\u{feff}.txt", 4000, "text/plain", 6),
    ];
    let s = root_with(100, 10, items);
    let out = render(&s);
    for c in [
        '\u{202e}', '\u{200b}', '\u{2060}', '\u{2028}', '\u{2029}', '\u{2067}', '\u{2069}', '\u{feff}',
    ] {
        assert!(!out.contains(c), "U+{:04X} reached the screen:\n{out}", c as u32);
    }
    assert!(out.contains("invoice\u{fffd}fdp.exe"), "{out}");
    assert!(out.contains("pay\u{fffd}pal\u{fffd}.pdf"), "{out}");
    // Every row is as wide as the terminal: nothing shifted the columns.
    for line in out.lines() {
        // TestBackend quotes each row and notes the cells that wide characters cover.
        let row = line
            .split("\" Hidden by")
            .next()
            .unwrap_or(line)
            .trim_matches('"');
        assert_eq!(crate::text::width(row), 100, "{line:?}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn narrow_main_view() {
    let s = root(58, 16);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn videos_with_details() {
    let mut s = movies(140, 30);
    key(&mut s, 'j');
    key(&mut s, 'i');
    insta::assert_snapshot!(render(&s));
}

#[test]
fn blocked_file_details_in_a_medium_terminal() {
    let mut s = movies(80, 24);
    key(&mut s, 'j');
    key(&mut s, 'j');
    key(&mut s, 'i');
    insta::assert_snapshot!(render(&s));
}

#[test]
fn empty_folder() {
    let mut s = root(80, 12);
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
    );
    assert!(fx.is_empty());
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let (t, _) = ticket_of(&fx);
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Ok(vec![]),
        },
    );
    insta::assert_snapshot!(render(&s));
}

#[test]
fn error_state() {
    let settings = Settings::default();
    let mut s = State::new(settings, Keymap::defaults(), Theme::monochrome());
    s.size = (80, 12);
    let fx = start(&mut s, true, None);
    let (t, tt) = ticket_of(&fx);
    let down = || ApiError::Transport {
        method: "getFilesList".into(),
        detail: "connection refused".into(),
        timeout: false,
    };
    update(
        &mut s,
        Msg::FilesPage {
            ticket: t,
            offset: 0,
            result: Err(down()),
        },
    );
    update(&mut s, Msg::Folders(tt.unwrap_or(0), Err(down())));
    update(&mut s, Msg::Account(Err(down())));
    insta::assert_snapshot!(render(&s));
}

#[test]
fn loading_state() {
    let mut s = State::new(Settings::default(), Keymap::defaults(), Theme::monochrome());
    s.size = (70, 10);
    start(&mut s, true, None);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn tiny_terminals() {
    let mut s = root(20, 6);
    insta::assert_snapshot!("tiny_20x6", render(&s));
    key(&mut s, '?');
    insta::assert_snapshot!("tiny_20x6_help", render(&s));
    code(&mut s, KeyCode::Esc);
    key(&mut s, 'd');
    insta::assert_snapshot!("tiny_20x6_delete", render(&s));
    // Smaller still: nothing panics.
    for (w, h) in [(1, 1), (5, 2), (20, 1), (0, 3), (3, 0)] {
        s.size = (w, h);
        let _ = render(&s);
        s.screen = crate::app::Screen::Login;
        let _ = render(&s);
        s.screen = crate::app::Screen::Browse;
    }
}

#[test]
fn help_overlay_filtered() {
    let mut s = root(80, 20);
    key(&mut s, '?');
    for c in "cop".chars() {
        key(&mut s, c);
    }
    insta::assert_snapshot!(render(&s));
}

#[test]
fn delete_confirmation() {
    let mut s = root(80, 20);
    key(&mut s, 'a');
    key(&mut s, 'd');
    insta::assert_snapshot!(render(&s));
}

#[test]
fn move_picker() {
    let mut s = root(80, 20);
    key(&mut s, 'G');
    key(&mut s, 'm');
    key(&mut s, 'j');
    key(&mut s, 'j');
    key(&mut s, 'l');
    insta::assert_snapshot!(render(&s));
}

#[test]
fn new_folder_rename_access_and_sort_dialogs() {
    let mut s = root(80, 16);
    key(&mut s, 'n');
    for c in "新しい 📁".chars() {
        key(&mut s, c);
    }
    insta::assert_snapshot!("new_folder", render(&s));
    code(&mut s, KeyCode::Esc);
    key(&mut s, 'G');
    key(&mut s, 'r');
    insta::assert_snapshot!("rename", render(&s));
    code(&mut s, KeyCode::Esc);
    key(&mut s, 'A');
    key(&mut s, 'r');
    insta::assert_snapshot!("access", render(&s));
    code(&mut s, KeyCode::Esc);
    key(&mut s, 's');
    key(&mut s, 'j');
    insta::assert_snapshot!("sort", render(&s));
}

#[test]
fn filter_being_typed() {
    let mut s = root(80, 14);
    key(&mut s, '/');
    for c in "txt".chars() {
        key(&mut s, c);
    }
    insta::assert_snapshot!(render(&s));
}

#[test]
fn login_screens() {
    let mut s = State::new(Settings::default(), Keymap::defaults(), Theme::monochrome());
    s.size = (80, 20);
    start(&mut s, false, Some("captcha@demo.k2s".into()));
    for c in "secret".chars() {
        key(&mut s, c);
    }
    let out = render(&s);
    assert!(!out.contains("secret"), "the password is masked");
    insta::assert_snapshot!("login_password", out);
    code(&mut s, KeyCode::Enter);
    let err = ApiError::Api {
        method: "login".into(),
        http_status: 406,
        code: crate::api::ErrorCode::Num(33),
        message: "captcha".into(),
        errors: vec![],
    };
    update(&mut s, Msg::LoggedIn(Err(err)));
    let cap = Captcha {
        challenge: "abc".into(),
        captcha_url: String::new(),
    };
    update(
        &mut s,
        Msg::Captcha {
            recaptcha: true,
            result: Ok((cap, "http://127.0.0.1:1/api/v2/reCaptcha.html?id=abc".into())),
        },
    );
    insta::assert_snapshot!("login_recaptcha", render(&s));
    code(&mut s, KeyCode::BackTab);
    code(&mut s, KeyCode::BackTab);
    code(&mut s, KeyCode::BackTab);
    code(&mut s, KeyCode::Right);
    update(
        &mut s,
        Msg::TokenChecked(Err(ApiError::Local("\u{1b}[2Jbad token".into()))),
    );
    insta::assert_snapshot!("login_token_error", render(&s));
}

#[test]
fn optional_pane_slots() {
    let mut s = root(120, 30);
    s.panes.metadata = true;
    s.panes.transfers = true;
    s.panes.details = true;
    insta::assert_snapshot!(render(&s));
}

#[test]
fn the_profile_is_shown_in_the_status_bar() {
    let mut s = root(80, 24);
    s.settings.profile = Some("tez".into());
    let out = render(&s);
    let status = out.lines().last().unwrap_or_default();
    assert!(status.contains(" DEMO   tez "), "{out}");
}
