//! Snapshots of the metadata pane, the editors (pane and in-row) with long, CJK and emoji
//! values, the prompts and the server-side filter results (text only, NO_COLOR theme).

use super::draw;
use crate::api::{FileItem, FileMeta, FolderEntry, FoldersList};
use crate::app::meta::{FoundPage, FoundRow};
use crate::app::{Effect, Keymap, MetaEffect, MetaMsg, Msg, Settings, State, start, update};
use crate::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn render(state: &State) -> String {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| draw(f, state)).expect("draw");
    t.backend().to_string()
}

fn key(s: &mut State, c: char) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
}
fn code(s: &mut State, c: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}
fn typing(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

fn file(id: &str, name: &str) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(false),
        size: Some(1234),
        access: Some(crate::api::Access::Public),
        ..FileItem::default()
    }
}

const LONG_TITLE: &str = "An extraordinarily long title that goes on and on well past the width of any pane \
                          so that it has to be cut or scrolled";

/// Files with records: long values, CJK, emoji, an escape sequence, fifty tags.
fn records() -> Vec<FileMeta> {
    let m = |id: &str, title: &str, studio: &str, tags: Vec<String>, desc: &str| FileMeta {
        file_id: id.into(),
        title: title.into(),
        description: desc.into(),
        studio: studio.into(),
        categories: vec!["アニメ".into(), "comedy".into()],
        actresses: vec!["山田 花子".into(), "Zoë 🎭".into()],
        tags,
    };
    vec![
        m(
            "cjk",
            "東京の夜景 🌃 夏のまつり",
            "スタジオ ジブリ",
            vec!["夜景".into(), "🎉 party".into(), "night".into()],
            "一行目の説明。\nSecond line with emoji 🎈 and an escape \u{1b}[31mred\u{1b}[0m.",
        ),
        m(
            "long",
            LONG_TITLE,
            "Studio",
            (1..=50).map(|i| format!("tag{i:02}")).collect(),
            "",
        ),
    ]
}

fn browsing(w: u16, h: u16) -> State {
    let mut s = State::new(Settings::default(), Keymap::defaults(), Theme::monochrome());
    s.size = (w, h);
    let fx = start(&mut s, true, None);
    for e in &fx {
        match e {
            Effect::LoadFiles { ticket, .. } => {
                let items = vec![
                    file("cjk", "日本語のファイル名.mp4"),
                    file("emo", "🎉 party time 🎈.jpg"),
                    file("long", "long.mkv"),
                    file("none", "no-metadata.txt"),
                ];
                update(
                    &mut s,
                    Msg::FilesPage {
                        ticket: *ticket,
                        offset: 0,
                        result: Ok(items),
                    },
                );
            }
            Effect::LoadFolders(t) => {
                let list = FoldersList {
                    folders: vec![FolderEntry {
                        id: "mov".into(),
                        name: "Movies".into(),
                        parent_id: Some("/".into()),
                        parent_name: None,
                    }],
                    has_parents: true,
                };
                update(&mut s, Msg::Folders(*t, Ok(list)));
            }
            _ => {}
        }
    }
    s
}

/// Answer every load among `fx` from `records()`.
fn answer(s: &mut State, fx: &[Effect]) {
    for e in fx {
        if let Effect::Meta(MetaEffect::Load { ticket, ids }) = e {
            let recs = records()
                .into_iter()
                .filter(|r| ids.contains(&r.file_id))
                .collect();
            update(
                s,
                Msg::Meta(MetaMsg::Loaded {
                    ticket: *ticket,
                    ids: ids.clone(),
                    result: Ok(recs),
                }),
            );
        }
    }
}

fn on_row(s: &mut State, id: &str) {
    let pos = s.list.position(id).expect("row");
    s.list.set_cursor(pos);
}

/// Load the records of the rows as the settle timer would.
fn settle(s: &mut State) {
    let all: Vec<String> = ["cjk", "emo", "long", "none"].map(String::from).to_vec();
    let t = s.ticket();
    for id in &all {
        s.meta.pending.insert(id.clone(), t);
    }
    answer(s, &[Effect::Meta(MetaEffect::Load { ticket: t, ids: all })]);
}

#[test]
fn pane_view_with_cjk_emoji_and_escapes() {
    let mut s = browsing(120, 24);
    key(&mut s, 'M');
    settle(&mut s);
    on_row(&mut s, "cjk");
    insta::assert_snapshot!(render(&s));
}

#[test]
fn pane_loading_error_and_none() {
    let mut s = browsing(100, 12);
    key(&mut s, 'M');
    on_row(&mut s, "cjk");
    s.meta.pending.insert("cjk".into(), 99);
    insta::assert_snapshot!("pane_loading", render(&s));
    s.meta.pending.clear();
    s.meta.errors.insert(
        "cjk".into(),
        "getFilesMeta: \u{1b}[2Jserver error (HTTP 500)".into(),
    );
    insta::assert_snapshot!("pane_error", render(&s));
    s.meta.cache.insert("cjk".into(), None);
    insta::assert_snapshot!("pane_no_metadata", render(&s));
}

#[test]
fn pane_editor_with_long_cjk_and_emoji_values() {
    let mut s = browsing(120, 30);
    settle(&mut s);
    on_row(&mut s, "cjk");
    key(&mut s, 'e');
    // Title: far too long, typed at the end; tags: a chip picked; an unsaved marker.
    update(&mut s, Msg::Paste(format!(" {}", "長".repeat(260))));
    for _ in 0..4 {
        code(&mut s, KeyCode::Tab);
    }
    typing(&mut s, "ta");
    insta::assert_snapshot!("pane_editor_tags_completion", render(&s));
    code(&mut s, KeyCode::Down);
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Enter);
    // Enter on the empty input saves: refused, the title is too long.
    code(&mut s, KeyCode::Enter);
    insta::assert_snapshot!("pane_editor_refused", render(&s));
    code(&mut s, KeyCode::Esc);
    insta::assert_snapshot!("pane_editor_leave_question", render(&s));
}

#[test]
fn pane_editor_in_a_narrow_and_a_tiny_terminal() {
    let mut s = browsing(50, 16);
    settle(&mut s);
    on_row(&mut s, "long");
    key(&mut s, 'e');
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Left);
    insta::assert_snapshot!("narrow_editor_fifty_tags", render(&s));
    s.size = (20, 6);
    insta::assert_snapshot!("tiny_editor", render(&s));
}

#[test]
fn inline_title_and_tags_in_the_row() {
    let mut s = browsing(100, 12);
    settle(&mut s);
    on_row(&mut s, "cjk");
    key(&mut s, 't');
    typing(&mut s, " 🎆");
    insta::assert_snapshot!("inline_title_cjk_emoji", render(&s));
    code(&mut s, KeyCode::Esc);
    on_row(&mut s, "long");
    key(&mut s, 'T');
    typing(&mut s, "ni");
    insta::assert_snapshot!("inline_tags_fifty_with_completion", render(&s));
    code(&mut s, KeyCode::Enter);
    insta::assert_snapshot!("inline_tags_refused", render(&s));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    code(&mut s, KeyCode::Left);
    code(&mut s, KeyCode::Left);
    insta::assert_snapshot!("inline_tags_chip_cursor", render(&s));
}

#[test]
fn title_and_tags_columns() {
    let mut s = browsing(120, 10);
    key(&mut s, 'c');
    settle(&mut s);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn delete_confirmation_and_tag_prompt() {
    let mut s = browsing(80, 16);
    settle(&mut s);
    key(&mut s, 'a');
    key(&mut s, 'D');
    insta::assert_snapshot!("delete_metadata_confirmation", render(&s));
    code(&mut s, KeyCode::Esc);
    key(&mut s, '+');
    typing(&mut s, "ta");
    insta::assert_snapshot!("add_tag_prompt", render(&s));
}

#[test]
fn found_by_tag() {
    let mut s = browsing(100, 12);
    key(&mut s, 'F');
    typing(&mut s, "夜景");
    let fx = code(&mut s, KeyCode::Enter);
    let ticket = fx
        .iter()
        .find_map(|e| match e {
            Effect::Meta(MetaEffect::Find { ticket, .. }) => Some(*ticket),
            _ => None,
        })
        .expect("find");
    insta::assert_snapshot!("found_loading", render(&s));
    let rows = records()
        .into_iter()
        .map(|m| FoundRow {
            id: m.file_id.clone(),
            name: format!("{}.mp4", m.file_id),
            parent: Some("mov".into()),
            meta: m,
        })
        .collect();
    update(
        &mut s,
        Msg::Meta(MetaMsg::Found {
            ticket,
            page: 0,
            result: Ok(FoundPage { rows, total: Some(2) }),
        }),
    );
    insta::assert_snapshot!("found_rows", render(&s));
}
