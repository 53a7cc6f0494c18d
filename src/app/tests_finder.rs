//! The finder (`Ctrl-p`): queries go out with a ticket as the user types, old answers are
//! dropped, Enter opens the match's folder on it, and without an index Enter builds one.

use super::finder::{FinderHit, FinderStatus, Found, IndexEffect, IndexMsg};
use super::layer::{self, Layer};
use super::tests_update::{browsing, code, ctrl, files_ticket, typing};
use super::*;
use ratatui::crossterm::event::KeyCode;

fn finds(fx: &[Effect]) -> Vec<(Ticket, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Index(IndexEffect::Find { ticket, query }) => Some((*ticket, query.clone())),
            _ => None,
        })
        .collect()
}

fn hit(id: &str, parent: &str, name: &str, path: &str, is_folder: bool) -> FinderHit {
    FinderHit {
        id: id.into(),
        parent: parent.into(),
        name: name.into(),
        path: path.into(),
        is_folder,
        size: (!is_folder).then_some(1234),
    }
}

fn answer(s: &mut State, ticket: Ticket, found: Found) -> Vec<Effect> {
    update(s, Msg::Index(IndexMsg::Found { ticket, found }))
}

fn finder(s: &State) -> &finder::Finder {
    s.overlays.finder().expect("the finder is open")
}

#[test]
fn ctrl_p_opens_the_finder_and_each_keystroke_asks_the_index() {
    let mut s = browsing();
    let fx = update(&mut s, ctrl('p'));
    assert_eq!(layer::layer(&s), Layer::Finder);
    assert_eq!(finds(&fx).len(), 1, "the index is asked whether it exists");
    // Letters bound elsewhere (q quits, j moves) are typed into the query.
    let fx = typing(&mut s, "qj");
    let asked = finds(&fx);
    assert_eq!(
        asked.iter().map(|(_, q)| q.as_str()).collect::<Vec<_>>(),
        ["q", "qj"]
    );
    assert!(!s.quit);
    assert_eq!(finder(&s).ticket, asked[1].0);
    assert_eq!(finder(&s).status, FinderStatus::Searching);
}

#[test]
fn an_answer_to_an_older_query_is_dropped() {
    let mut s = browsing();
    update(&mut s, ctrl('p'));
    let first = finds(&typing(&mut s, "a"))[0].0;
    let second = finds(&typing(&mut s, "b"))[0].0;
    answer(
        &mut s,
        second,
        Found::Hits(vec![hit("f2", "mov", "ab.mkv", "/Movies/ab.mkv", false)]),
    );
    answer(
        &mut s,
        first,
        Found::Hits(vec![hit("f1", "/", "a.txt", "/a.txt", false)]),
    );
    let f = finder(&s);
    assert_eq!(f.hits.len(), 1);
    assert_eq!(f.hits[0].id, "f2", "the newer answer stays");
    assert_eq!(f.status, FinderStatus::Ready);
}

#[test]
fn enter_opens_the_files_folder_with_the_cursor_on_it() {
    let mut s = browsing();
    update(&mut s, ctrl('p'));
    let t = finds(&typing(&mut s, "bunny")).last().expect("asked").0;
    answer(
        &mut s,
        t,
        Found::Hits(vec![
            hit("m24", "mov", "2024", "/Movies/2024", true),
            hit("bb", "m24", "bunny.mp4", "/Movies/2024/bunny.mp4", false),
        ]),
    );
    update(&mut s, code(KeyCode::Down));
    assert_eq!(finder(&s).cursor, 1);
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(s.overlays.finder().is_none(), "the finder closed");
    let (_, parent, _) = files_ticket(&fx).expect("the folder is listed");
    assert_eq!(parent, "m24");
    assert_eq!(s.list.folder, "m24");
    assert_eq!(
        s.list.want_cursor.as_deref(),
        Some("bb"),
        "the cursor goes on the file"
    );
}

#[test]
fn enter_on_a_folder_opens_that_folder() {
    let mut s = browsing();
    update(&mut s, ctrl('p'));
    let t = finds(&typing(&mut s, "mov")).last().expect("asked").0;
    answer(
        &mut s,
        t,
        Found::Hits(vec![hit("mov", "/", "Movies", "/Movies", true)]),
    );
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(files_ticket(&fx).map(|(_, p, _)| p).as_deref(), Some("mov"));
    assert_eq!(s.crumbs.last().map(|(id, _)| id.as_str()), Some("mov"));
}

#[test]
fn without_an_index_enter_builds_it_and_the_finder_asks_again_when_built() {
    let mut s = browsing();
    let fx = update(&mut s, ctrl('p'));
    let t = finds(&fx)[0].0;
    answer(&mut s, t, Found::NoIndex);
    assert_eq!(finder(&s).status, FinderStatus::NoIndex);
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.iter().any(|e| matches!(e, Effect::Index(IndexEffect::Build))));
    assert!(s.overlays.finder().is_some(), "the finder stays open");
    assert_eq!(finder(&s).status, FinderStatus::Building);
    // Progress is kept for the status bar; a second Enter does not start another crawl.
    let p = crate::index::Progress {
        folders_done: 3,
        folders_total: 10,
        files: 40,
        ..Default::default()
    };
    update(&mut s, Msg::Index(IndexMsg::Progress(p)));
    assert_eq!(s.index_crawl.as_ref().map(|p| p.folders_done), Some(3));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Index(IndexEffect::Build))));
    // Built: the finder asks again, the status bar says so.
    let fx = update(&mut s, Msg::Index(IndexMsg::Built(Ok((10, 400)))));
    assert!(s.index_crawl.is_none());
    assert_eq!(finds(&fx).len(), 1);
    assert!(s.status.as_ref().is_some_and(|st| st.text.contains("400 files")));
}

#[test]
fn esc_closes_and_an_answer_after_closing_changes_nothing() {
    let mut s = browsing();
    let t = finds(&update(&mut s, ctrl('p')))[0].0;
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.is_empty());
    answer(&mut s, t, Found::Failed("x".into()));
    assert!(s.overlays.is_empty());
}

#[test]
fn a_paste_goes_into_the_query_on_one_line() {
    let mut s = browsing();
    update(&mut s, ctrl('p'));
    let fx = update(&mut s, Msg::Paste("big\nbuck".into()));
    assert_eq!(finds(&fx).last().map(|(_, q)| q.as_str()), Some("big buck"));
}

/// What the crawl did with an unusable old index file is said on the status line, made safe.
#[test]
fn an_index_notice_is_said() {
    let mut s = browsing();
    let text = "the index /s/index.sqlite is damaged (file is not a database): it was moved to \
                /s/index.sqlite.corrupt-1 and a new index started\u{1b}[2J";
    update(&mut s, Msg::Index(IndexMsg::Notice(text.into())));
    let shown = s.status.as_ref().map(|st| st.text.clone()).unwrap_or_default();
    assert!(
        shown.contains("is damaged") && shown.contains("corrupt-1"),
        "{shown}"
    );
    assert!(!shown.contains('\u{1b}'), "made safe: {shown:?}");
}
