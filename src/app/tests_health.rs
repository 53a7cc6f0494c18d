//! The health view: `Alt-h` asks the index for the files in trouble, Tab switches sections,
//! `+`/`-` change the inactive limit, Space and `a` mark, `d` deletes after one question
//! (the usual delete), `y` copies the links, Enter shows the file in its folder.

use super::finder::{IndexEffect, IndexMsg};
use super::health::{HealthFile, Problem};
use super::layer::{self, Layer};
use super::tests_update::{browsing, code, files_ticket, key, typing};
use super::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

fn asked(fx: &[Effect]) -> Option<(Ticket, u64)> {
    fx.iter().find_map(|e| match e {
        Effect::Index(IndexEffect::Health { ticket, days }) => Some((*ticket, *days)),
        _ => None,
    })
}

fn file(problem: Problem, id: &str, parent: &str, path: &str) -> HealthFile {
    HealthFile {
        problem,
        id: id.into(),
        parent: parent.into(),
        raw_name: path.rsplit('/').next().unwrap_or(path).into(),
        path: path.into(),
        size: Some(1000),
        downloads: Some(0),
        last_download: None,
        created: Some(1_700_000_000),
    }
}

fn files() -> Vec<HealthFile> {
    vec![
        file(Problem::Blocked, "b1", "/", "/blocked one.mp4"),
        file(Problem::Blocked, "b2", "mov", "/Movies/blocked two.mp4"),
        file(Problem::Gone, "g1", "/", "/gone.bin"),
        file(Problem::NeverDownloaded, "n1", "doc", "/Documents/never.pdf"),
    ]
}

fn answer(s: &mut State, ticket: Ticket, answer: health::HealthAnswer) {
    update(s, Msg::Index(IndexMsg::Health { ticket, answer }));
}

fn view(s: &State) -> &health::HealthView {
    s.overlays.health().expect("the health view is open")
}

/// The view opened on the files above.
fn opened() -> State {
    let mut s = browsing();
    let (t, days) = asked(&update(&mut s, alt('h'))).expect("the files asked");
    assert_eq!(days, health::DEFAULT_INACTIVE_DAYS);
    assert_eq!(layer::layer(&s), Layer::Health);
    answer(&mut s, t, Ok(Some(files().into())));
    s
}

fn shown_ids(s: &State) -> Vec<String> {
    view(s).shown().iter().map(|f| f.id.clone()).collect()
}

#[test]
fn alt_h_shows_sections_with_counts_and_tab_switches_them() {
    let mut s = opened();
    let v = view(&s);
    assert_eq!(v.note, None);
    assert_eq!(v.count(Problem::Blocked), 2);
    assert_eq!(v.count(Problem::Gone), 1);
    assert_eq!(v.count(Problem::Unavailable), 0);
    assert_eq!(shown_ids(&s), ["b1", "b2"]);
    update(&mut s, key('j'));
    assert_eq!(view(&s).cursor, 1);
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(view(&s).problem(), Problem::Gone);
    assert_eq!((shown_ids(&s), view(&s).cursor), (vec!["g1".to_string()], 0));
    update(&mut s, code(KeyCode::BackTab));
    update(&mut s, code(KeyCode::BackTab));
    assert_eq!(view(&s).problem(), Problem::Inactive, "BackTab wraps around");
    update(&mut s, key('q'));
    assert!(s.overlays.health().is_none());
}

#[test]
fn an_older_answer_is_dropped_and_plus_minus_change_the_days() {
    let mut s = browsing();
    let (old, _) = asked(&update(&mut s, alt('h'))).expect("asked");
    let (t, days) = asked(&update(&mut s, key('+'))).expect("asked again");
    assert_eq!(days, 90);
    answer(&mut s, old, Ok(Some(files().into())));
    assert!(view(&s).files.is_empty(), "the answer for 60 days is old");
    answer(&mut s, t, Ok(Some(files().into())));
    assert_eq!(view(&s).files.len(), 4);
    let (_, days) = asked(&update(&mut s, key('-'))).expect("fewer days");
    assert_eq!(days, 60);
    let (_, days) = asked(&update(&mut s, key('-'))).expect("fewer days");
    assert_eq!(days, 30);
    assert_eq!(health::title(Problem::Inactive, 30), "not downloaded for 30 days");
}

#[test]
fn marked_files_are_deleted_after_one_question_and_leave_the_view() {
    let mut s = opened();
    update(&mut s, key('a'));
    assert_eq!(view(&s).marked.len(), 2);
    let fx = update(&mut s, key('d'));
    assert!(fx.is_empty(), "nothing deleted before the question");
    let names: Vec<String> = match s.overlays.dialog() {
        Some(dialog::Dialog::ConfirmDelete(c)) => c.targets.iter().map(|t| t.name.clone()).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(names, ["blocked one.mp4", "blocked two.mp4"]);
    let fx = update(&mut s, key('y'));
    let (ticket, ids) = match &fx[..] {
        [Effect::DeleteFiles(t, ids)] => (*t, ids.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(ids, ["b1", "b2"]);
    assert_eq!(
        layer::layer(&s),
        Layer::Health,
        "the view is back after the question"
    );
    update(
        &mut s,
        Msg::Deleted {
            ticket,
            ids,
            result: Ok(2),
        },
    );
    assert_eq!(view(&s).count(Problem::Blocked), 0);
    assert!(view(&s).marked.is_empty());
    assert_eq!(view(&s).files.len(), 2);
}

#[test]
fn a_partial_delete_asks_the_index_again() {
    let mut s = opened();
    update(&mut s, key(' '));
    update(&mut s, key(' '));
    update(&mut s, key('d'));
    let fx = update(&mut s, key('y'));
    let Some(Effect::DeleteFiles(ticket, ids)) = fx.into_iter().next() else {
        panic!("a delete");
    };
    let fx = update(
        &mut s,
        Msg::Deleted {
            ticket,
            ids,
            result: Ok(1),
        },
    );
    assert!(asked(&fx).is_some(), "asked again: which went is not known");
}

#[test]
fn space_marks_the_highlighted_and_y_copies_the_marked_links() {
    let mut s = opened();
    update(&mut s, key(' '));
    assert_eq!(view(&s).cursor, 1, "Space goes down");
    let fx = update(&mut s, key('y'));
    let text = fx
        .iter()
        .find_map(|e| match e {
            Effect::Copy { text, label } => Some((text.clone(), label.count)),
            _ => None,
        })
        .expect("a copy");
    assert_eq!(text.1, 1);
    assert!(text.0.contains("b1"), "{}", text.0);
    assert!(!text.0.contains("b2"), "{}", text.0);
}

#[test]
fn enter_opens_the_files_folder_on_it() {
    let mut s = opened();
    update(&mut s, key('j'));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(s.overlays.health().is_none());
    let (_, folder, _) = files_ticket(&fx).expect("the folder is listed");
    assert_eq!(folder, "mov");
    assert_eq!(s.list.want_cursor.as_deref(), Some("b2"));
}

#[test]
fn without_an_index_it_says_so_and_enter_builds_one() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('h'))).expect("asked");
    answer(&mut s, t, Ok(None));
    assert!(view(&s).no_index);
    assert!(view(&s).note.as_deref().is_some_and(|n| n.contains("no index")));
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(fx.iter().any(|e| matches!(e, Effect::Index(IndexEffect::Build))));
    assert!(
        s.overlays.health().is_some(),
        "the view stays open while it builds"
    );
    let fx = update(&mut s, Msg::Index(IndexMsg::Built(Ok((3, 10)))));
    assert!(asked(&fx).is_some(), "asked again once built");
}

#[test]
fn a_long_section_counts_every_file_though_only_some_are_held_and_a_delete_counts_down() {
    let mut s = browsing();
    let (t, _) = asked(&update(&mut s, alt('h'))).expect("the files asked");
    let mut list: health::HealthList = files().into();
    for (p, n) in list.totals.iter_mut() {
        if *p == Problem::Blocked {
            *n = 250_000;
        }
    }
    answer(&mut s, t, Ok(Some(list)));
    assert_eq!(view(&s).count(Problem::Blocked), 250_000);
    assert_eq!(view(&s).shown().len(), 2, "only the files held are listed");
    assert_eq!(view(&s).count(Problem::Gone), 1);
    health::deleted(&mut s, &["b1".to_string()], Some(1), &mut Vec::new());
    assert_eq!(view(&s).count(Problem::Blocked), 249_999);
    assert_eq!(view(&s).shown().len(), 1);
}

fn erase(s: &mut State, n: usize) {
    for _ in 0..n {
        update(s, code(KeyCode::Backspace));
    }
}

#[test]
fn n_asks_for_the_days_enter_asks_again_with_them_and_esc_keeps_the_old() {
    let mut s = opened();
    assert!(update(&mut s, key('n')).is_empty(), "nothing asked before Enter");
    assert_eq!(layer::layer(&s), Layer::Dialog, "the prompt has the keys");
    let p = s.overlays.health_days().expect("the prompt is open");
    assert_eq!(p.input.value(), "60", "the current limit typed in");
    // Out of range or not a number: said, and the prompt stays.
    for bad in ["0", "3651", "4x"] {
        erase(&mut s, 4);
        typing(&mut s, bad);
        assert!(asked(&update(&mut s, code(KeyCode::Enter))).is_none(), "{bad}");
        let err = s.overlays.health_days().and_then(|p| p.error.clone());
        assert!(err.is_some_and(|e| e.contains("1 to 3650")), "{bad}");
    }
    erase(&mut s, 4);
    typing(&mut s, "400");
    let (t, days) = asked(&update(&mut s, code(KeyCode::Enter))).expect("asked again");
    assert_eq!(days, 400);
    assert!(s.overlays.health_days().is_none());
    assert_eq!((view(&s).days, layer::layer(&s)), (400, Layer::Health));
    answer(&mut s, t, Ok(Some(files().into())));
    assert_eq!(view(&s).count(Problem::Blocked), 2);
    // Esc: the old limit stays, nothing is asked.
    update(&mut s, key('n'));
    erase(&mut s, 4);
    typing(&mut s, "7");
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert!(s.overlays.health_days().is_none());
    assert_eq!(view(&s).days, 400);
    // The limit chosen is the one the view opens with next time.
    update(&mut s, key('q'));
    let (_, days) = asked(&update(&mut s, alt('h'))).expect("asked");
    assert_eq!(days, 400);
}

#[test]
fn the_view_opens_with_the_configs_limit() {
    let mut s = browsing();
    s.settings.inactive_days = 120;
    let (_, days) = asked(&update(&mut s, alt('h'))).expect("asked");
    assert_eq!(days, 120);
    let (_, days) = asked(&update(&mut s, key('+'))).expect("a step up");
    assert_eq!(days, 180);
}
