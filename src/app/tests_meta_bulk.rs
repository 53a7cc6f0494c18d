//! The metadata side driven by messages alone: debounced loading and its tickets, completion,
//! tag changes, bulk work reported per item and the server-side filter.

use super::meta::{BulkItem, BulkKind, ItemOutcome, Prompt, TagChange, tag_change};
use super::tests_meta::{answer, found_clip, load_effect, on_row, rec, status};
use super::tests_update::{browsing, code, key, typing};
use super::*;
use crate::metadata::ListField;
use ratatui::crossterm::event::KeyCode;

#[test]
fn records_load_once_the_cursor_settles_and_stay_cached() {
    let mut s = browsing();
    let fx = update(&mut s, key('M'));
    assert!(s.panes.metadata);
    let settle = |fx: &[Effect]| {
        fx.iter().find_map(|e| match e {
            Effect::Meta(MetaEffect::Settle { generation, .. }) => Some(*generation),
            _ => None,
        })
    };
    let g = settle(&fx).expect("a settle timer");
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('j'));
    assert!(settle(&fx).is_none(), "one timer at a time");
    assert!(load_effect(&fx).is_none(), "nothing loaded while moving");
    // The old timer fires: the cursor moved since, so wait again.
    let fx = update(&mut s, Msg::Meta(MetaMsg::Settled(g)));
    assert!(load_effect(&fx).is_none());
    let g2 = settle(&fx).expect("re-armed");
    let fx = update(&mut s, Msg::Meta(MetaMsg::Settled(g2)));
    let (_, ids) = load_effect(&fx).expect("loaded once settled");
    assert_eq!(ids, vec!["r1".to_string()]);
    answer(&mut s, &fx, vec![rec("r1", "Readme", &[])]);
    // Away and back before the pause ends: the known record is not asked for again.
    let fx = update(&mut s, key('k'));
    let g3 = settle(&fx).expect("armed");
    update(&mut s, key('j'));
    let fx = update(&mut s, Msg::Meta(MetaMsg::Settled(g3)));
    let g4 = settle(&fx).expect("re-armed");
    let fx = update(&mut s, Msg::Meta(MetaMsg::Settled(g4)));
    assert!(load_effect(&fx).is_none(), "r1 is cached");
}

#[test]
fn answers_for_a_superseded_ticket_are_dropped() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    let (t1, ids) = load_effect(&fx).unwrap();
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, key('R'));
    update(
        &mut s,
        Msg::Meta(MetaMsg::Loaded {
            ticket: t1,
            ids,
            result: Ok(vec![rec("r1", "stale", &[])]),
        }),
    );
    assert_eq!(s.meta.record("r1"), None, "dropped after the refresh");
}

#[test]
fn completion_offers_values_seen_in_the_account() {
    let mut s = browsing();
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('T'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Meta(MetaEffect::Scan { page: 0, .. }))),
        "a background scan starts"
    );
    let page = crate::api::MetaPage {
        items: vec![rec("other", "O", &["bunny", "Blues", "open-movie"])],
        total: Some(1),
    };
    update(
        &mut s,
        Msg::Meta(MetaMsg::Scanned {
            page: 0,
            result: Ok(page),
        }),
    );
    answer(&mut s, &fx, vec![rec("n1", "N", &["blues"])]);
    typing(&mut s, "b");
    let ed = s.meta.editor.as_ref().unwrap();
    let l = ed.list(ListField::Tags);
    // "Blues" is already there (ignoring case).
    assert_eq!(l.candidates(&s.meta.vocab), vec!["bunny"]);
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Enter));
    let l = s.meta.editor.as_ref().unwrap().list(ListField::Tags);
    assert_eq!(l.items, vec!["blues", "bunny"]);
}

#[test]
fn tag_changes_per_file() {
    let m = rec("a", "A", &["x"]);
    assert!(matches!(tag_change("a", Some(&m), "X", true), TagChange::Skip(_)));
    match tag_change("a", Some(&m), "y", true) {
        TagChange::Update(p, r) => {
            assert_eq!(p.tags, Some(vec!["x".into(), "y".into()]));
            assert!(p.title.is_none());
            assert_eq!(r.title, "A");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(tag_change("b", None, "y", true), TagChange::Create(..)));
    assert!(matches!(tag_change("b", None, "y", false), TagChange::Skip(_)));
    match tag_change("a", Some(&m), "X", false) {
        TagChange::Update(p, _) => assert_eq!(p.tags, Some(vec![])),
        other => panic!("{other:?}"),
    }
    let full: Vec<String> = (0..50).map(|i| i.to_string()).collect();
    let refs: Vec<&str> = full.iter().map(String::as_str).collect();
    assert!(matches!(
        tag_change("a", Some(&rec("a", "", &refs)), "new", true),
        TagChange::Fail(e) if e.contains("at most 50")
    ));
}

#[test]
fn bulk_tag_copy_and_delete_report_per_item() {
    let mut s = browsing();
    on_row(&mut s, "n1");
    update(&mut s, key(' '));
    update(&mut s, key(' '));
    assert_eq!(s.list.selected.len(), 2);
    update(&mut s, key('+'));
    typing(&mut s, "live");
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, ids, tag, add) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Meta(MetaEffect::Tag {
                ticket,
                ids,
                tag,
                add,
            }) => Some((*ticket, ids.clone(), tag.clone(), *add)),
            _ => None,
        })
        .expect("tag effect");
    assert_eq!((ids.len(), tag.as_str(), add), (2, "live", true));
    update(
        &mut s,
        Msg::Meta(MetaMsg::Bulk {
            ticket,
            kind: BulkKind::AddTag("live".into()),
            items: vec![
                BulkItem {
                    id: "n1".into(),
                    outcome: ItemOutcome::Done(Some(rec("n1", "N", &["live"]))),
                },
                BulkItem {
                    id: "r1".into(),
                    outcome: ItemOutcome::Failed("boom".into()),
                },
            ],
        }),
    );
    let st = status(&s);
    assert!(
        st.contains("added tag \"live\" to 1 file") && st.contains("README.txt: boom"),
        "{st}"
    );
    assert_eq!(s.meta.record("n1").unwrap().unwrap().tags, vec!["live"]);

    // Copy: the cursor's file is the source; it needs its record first.
    on_row(&mut s, "n1");
    update(&mut s, key('p'));
    assert!(s.overlays.prompt().is_some(), "n1's record is known");
    let fx = update(&mut s, key('y'));
    let (from, to) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Meta(MetaEffect::Copy { from, to, .. }) => Some((from.clone(), to.clone())),
            _ => None,
        })
        .expect("copy effect");
    assert_eq!((from.as_str(), to), ("n1", vec!["r1".to_string()]));

    // Delete asks first and names the files.
    update(&mut s, key('D'));
    match s.overlays.prompt() {
        Some(Prompt::Confirm(c)) => assert_eq!(c.targets.len(), 2),
        other => panic!("{other:?}"),
    }
    let fx = update(&mut s, key('n'));
    assert!(
        fx.iter()
            .all(|e| !matches!(e, Effect::Meta(MetaEffect::Delete { .. })))
    );
    update(&mut s, key('D'));
    let fx = update(&mut s, key('y'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Meta(MetaEffect::Delete { ids, .. }) if ids.len() == 2))
    );
}

#[test]
fn server_filter_shows_matches_and_goes_to_one() {
    let mut s = browsing();
    update(&mut s, key('F'));
    typing(&mut s, "video_k2s");
    let fx = update(&mut s, code(KeyCode::Enter));
    let (ticket, q) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Meta(MetaEffect::Find { ticket, query }) => Some((*ticket, query.clone())),
            _ => None,
        })
        .expect("find effect");
    assert_eq!((q.tag.as_deref(), q.page), (Some("video_k2s"), Some(0)));
    found_clip(&mut s, ticket);
    assert_eq!(s.meta.found.as_ref().unwrap().rows.len(), 1);
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(s.meta.found.is_none());
    assert_eq!(s.list.folder, "mov");
    assert_eq!(s.list.want_cursor.as_deref(), Some("v1"));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadFiles { req, .. } if req.parent == "mov"))
    );
}

#[test]
fn copy_before_the_source_record_is_known_goes_on_once_it_loads() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    update(&mut s, key(' '));
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('p'));
    assert!(s.overlays.prompt().is_none(), "nothing to confirm yet");
    let fx = answer(&mut s, &fx, vec![rec("n1", "Notes", &["a"])]);
    assert!(fx.is_empty(), "{fx:?}");
    match s.overlays.prompt() {
        Some(Prompt::Confirm(c)) => {
            let ids: Vec<&str> = c.targets.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids, ["r1"]);
        }
        other => panic!("the copy should ask now: {other:?}"),
    }
    let fx = update(&mut s, key('y'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Meta(MetaEffect::Copy { from, .. }) if from == "n1"))
    );
}

#[test]
fn a_waiting_copy_is_cancelled_by_esc_or_by_moving_away() {
    // Esc (the selection goes) before the record comes: nothing asks.
    let mut s = browsing();
    on_row(&mut s, "r1");
    update(&mut s, key(' '));
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('p'));
    update(&mut s, code(KeyCode::Esc));
    answer(&mut s, &fx, vec![rec("n1", "Notes", &[])]);
    assert!(s.overlays.prompt().is_none(), "cancelled by Esc");

    // The cursor moves to another row: nothing asks either.
    let mut s = browsing();
    on_row(&mut s, "r1");
    update(&mut s, key(' '));
    on_row(&mut s, "n1");
    let fx = update(&mut s, key('p'));
    on_row(&mut s, "z1");
    answer(&mut s, &fx, vec![rec("n1", "Notes", &[])]);
    assert!(s.overlays.prompt().is_none(), "cancelled by moving away");
    assert!(s.meta.copy_waiting.is_none());
}
