//! The duplicates view: `Alt-d` asks the index for the groups; the most downloaded (then the
//! oldest) copy is kept at first; Space changes what is kept; `d` and `D` delete the copies
//! not kept after one confirmation that says how many files and bytes.

use super::dupes::{DupeCopy, DupeGroup, DupesView, default_keep};
use super::finder::{IndexEffect, IndexMsg};
use super::layer::{self, Layer};
use super::overlay::Overlay;
use super::tests_update::{browsing, code, files_ticket, key};
use super::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

fn asked(fx: &[Effect]) -> Option<Ticket> {
    fx.iter().find_map(|e| match e {
        Effect::Index(IndexEffect::Dupes { ticket }) => Some(*ticket),
        _ => None,
    })
}

fn deletes(fx: &[Effect]) -> Option<(Ticket, Vec<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::DeleteFiles(t, ids) => Some((*t, ids.clone())),
        _ => None,
    })
}

fn copy(id: &str, path: &str, downloads: u64, created: i64) -> DupeCopy {
    DupeCopy {
        id: id.into(),
        parent: "/".into(),
        path: path.into(),
        size: 1000,
        downloads: Some(downloads),
        created: Some(created),
        keep: false,
    }
}

fn group(md5: &str, size: u64, copies: Vec<DupeCopy>) -> DupeGroup {
    DupeGroup {
        md5: md5.into(),
        size,
        copies: copies.into_iter().map(|c| DupeCopy { size, ..c }).collect(),
    }
}

/// Two groups: a (3 copies of 1000 bytes), b (2 copies of 10 bytes).
fn groups() -> Vec<DupeGroup> {
    vec![
        group(
            "aaaa",
            1000,
            vec![
                copy("a1", "/x/a.bin", 0, 100),
                copy("a2", "/y/a.bin", 5, 300),
                copy("a3", "/z/a.bin", 5, 200),
            ],
        ),
        group(
            "bbbb",
            10,
            vec![copy("b1", "/b.txt", 0, 50), copy("b2", "/old/b.txt", 0, 10)],
        ),
    ]
}

fn answer(s: &mut State, ticket: Ticket, groups: Vec<DupeGroup>) {
    update(
        s,
        Msg::Index(IndexMsg::Dupes {
            ticket,
            answer: Ok(Some(groups)),
        }),
    );
}

fn view(s: &State) -> &DupesView {
    s.overlays.dupes().expect("the duplicates view is open")
}

fn kept(v: &DupesView) -> Vec<&str> {
    v.groups
        .iter()
        .flat_map(|g| g.copies.iter().filter(|c| c.keep).map(|c| c.id.as_str()))
        .collect()
}

/// The view open with the two groups in.
fn opened() -> State {
    let mut s = browsing();
    let t = asked(&update(&mut s, alt('d'))).expect("groups asked");
    assert_eq!(layer::layer(&s), Layer::Dupes);
    answer(&mut s, t, groups());
    s
}

#[test]
fn the_most_downloaded_copy_is_kept_then_the_oldest() {
    let mut g = groups();
    default_keep(&mut g[0]);
    default_keep(&mut g[1]);
    let keep: Vec<&str> = g
        .iter()
        .flat_map(|g| g.copies.iter().filter(|c| c.keep).map(|c| c.id.as_str()))
        .collect();
    assert_eq!(keep, ["a3", "b2"]);
    let s = opened();
    assert_eq!(kept(view(&s)), ["a3", "b2"]);
    assert_eq!(view(&s).summary(), "2 groups, 3 extra copies, 2.0 KiB wasted");
}

#[test]
fn space_changes_the_copies_kept_but_one_is_always_kept() {
    let mut s = opened();
    // On a1: keep it too.
    update(&mut s, key(' '));
    assert_eq!(kept(view(&s)), ["a1", "a3", "b2"]);
    assert_eq!(view(&s).cursor, 1, "the cursor goes on");
    // a3 (row 2) is not kept now; a1 is.
    update(&mut s, key('j'));
    update(&mut s, key(' '));
    assert_eq!(kept(view(&s)), ["a1", "b2"]);
    // b2 is its group's only copy kept: it stays kept.
    update(&mut s, key('G'));
    update(&mut s, key(' '));
    assert_eq!(kept(view(&s)), ["a1", "b2"]);
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.text.contains("always kept"))
    );
}

#[test]
fn d_deletes_the_group_s_copies_not_kept_after_one_confirmation() {
    let mut s = opened();
    let fx = update(&mut s, key('d'));
    assert!(
        deletes(&fx).is_none(),
        "nothing is deleted before the confirmation"
    );
    match s.overlays.top() {
        Some(Overlay::Dialog(dialog::Dialog::ConfirmDelete(c))) => {
            let ids: Vec<&str> = c.targets.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids, ["a1", "a2"]);
            assert_eq!(c.targets[0].name, "/x/a.bin", "named by their paths");
            let note = c.note.as_deref().unwrap_or("");
            assert!(note.contains("2 files") && note.contains("2.0 KiB"), "{note}");
        }
        other => panic!("the delete confirmation: {other:?}"),
    }
    let (ticket, ids) = deletes(&update(&mut s, key('y'))).expect("deleted");
    assert_eq!(ids, ["a1", "a2"]);
    assert_eq!(layer::layer(&s), Layer::Dupes, "back in the view");
    update(
        &mut s,
        Msg::Deleted {
            ticket,
            ids,
            result: Ok(2),
        },
    );
    let v = view(&s);
    assert_eq!(v.groups.len(), 1, "the group with one copy left goes");
    assert_eq!(v.groups[0].md5, "bbbb");
    assert!(asked(&update(&mut s, Msg::Index(IndexMsg::Noted))).is_some());
}

#[test]
fn capital_d_deletes_the_copies_not_kept_of_every_group_and_esc_cancels() {
    let mut s = opened();
    update(&mut s, key('D'));
    match s.overlays.top() {
        Some(Overlay::Dialog(dialog::Dialog::ConfirmDelete(c))) => {
            let ids: Vec<&str> = c.targets.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids, ["a1", "a2", "b1"]);
            let note = c.note.as_deref().unwrap_or("");
            assert!(
                note.contains("3 files of 2 groups, 2.0 KiB freed") && note.contains("2.0 KiB"),
                "{note}"
            );
        }
        other => panic!("the delete confirmation: {other:?}"),
    }
    let fx = update(&mut s, code(KeyCode::Esc));
    assert!(deletes(&fx).is_none(), "cancelled");
    assert_eq!(layer::layer(&s), Layer::Dupes);
    let (_, ids) = deletes(&{
        update(&mut s, key('D'));
        update(&mut s, key('y'))
    })
    .expect("deleted");
    assert_eq!(ids, ["a1", "a2", "b1"]);
}

#[test]
fn an_answer_again_keeps_the_copies_chosen_and_an_old_answer_is_dropped() {
    let mut s = opened();
    let old = view(&s).ticket;
    update(&mut s, key(' ')); // keep a1 too
    let t = asked(&update(&mut s, Msg::Index(IndexMsg::Noted))).expect("asked again");
    answer(&mut s, old, vec![]);
    assert_eq!(view(&s).groups.len(), 2, "an older answer is dropped");
    answer(&mut s, t, groups());
    assert_eq!(kept(view(&s)), ["a1", "a3", "b2"]);
}

#[test]
fn o_shows_the_copy_in_the_browser() {
    let mut s = opened();
    update(&mut s, key('j'));
    let fx = update(&mut s, key('o'));
    assert!(s.overlays.dupes().is_none());
    assert_eq!(files_ticket(&fx).map(|(_, p, _)| p).as_deref(), Some("/"));
    assert_eq!(s.list.want_cursor.as_deref(), Some("a2"));
}

#[test]
fn without_an_index_or_duplicates_it_says_so() {
    let mut s = browsing();
    let t = asked(&update(&mut s, alt('d'))).expect("groups asked");
    update(
        &mut s,
        Msg::Index(IndexMsg::Dupes {
            ticket: t,
            answer: Ok(None),
        }),
    );
    assert!(view(&s).note.as_deref().is_some_and(|n| n.contains("Ctrl-p")));
    assert!(deletes(&update(&mut s, key('D'))).is_none());
    assert_eq!(layer::layer(&s), Layer::Dupes, "no confirmation for nothing");
    let t = asked(&update(&mut s, Msg::Index(IndexMsg::Noted))).expect("asked again");
    answer(&mut s, t, vec![]);
    assert!(
        view(&s)
            .note
            .as_deref()
            .is_some_and(|n| n.contains("no duplicates"))
    );
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.is_empty());
}
