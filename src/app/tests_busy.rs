//! The spinner's count comes from the tickets in flight: every request behind it raises it,
//! its answer (a success, an error or a task that panicked, which answers with an error)
//! lowers it, and an answer with a stale or unknown ticket changes nothing.

use super::meta::{BulkKind, FoundPage};
use super::tests_meta::{answer, on_row, rec};
use super::tests_update::{browsing, code, key, typing};
use super::*;
use crate::api::{ApiError, FileChanges};
use ratatui::crossterm::event::KeyCode;

fn err<T>() -> Result<T, ApiError> {
    Err(ApiError::local("internal error (a task failed: boom)"))
}

/// The one effect of `fx` that carries a spinner ticket, with that ticket.
fn tracked(fx: &[Effect]) -> (Ticket, Effect) {
    let found: Vec<(Ticket, Effect)> = fx
        .iter()
        .filter_map(|e| {
            let t = match e {
                Effect::CreateFolder(t, _)
                | Effect::DeleteFiles(t, _)
                | Effect::GetUrls(t, _)
                | Effect::UpdateFiles { ticket: t, .. }
                | Effect::Meta(MetaEffect::Save { ticket: t, .. })
                | Effect::Meta(MetaEffect::Find { ticket: t, .. })
                | Effect::Meta(MetaEffect::Copy { ticket: t, .. })
                | Effect::Meta(MetaEffect::Tag { ticket: t, .. })
                | Effect::Meta(MetaEffect::Delete { ticket: t, .. }) => *t,
                _ => return None,
            };
            Some((t, e.clone()))
        })
        .collect();
    assert_eq!(found.len(), 1, "{fx:?}");
    found.into_iter().next().unwrap_or_else(|| unreachable!())
}

#[test]
fn file_operations_raise_busy_until_their_answer() {
    let mut s = browsing();
    assert_eq!(s.busy(), 0);

    update(&mut s, key('n'));
    typing(&mut s, "Backups");
    let (t, _) = tracked(&update(&mut s, code(KeyCode::Enter)));
    assert_eq!(s.busy(), 1);
    update(
        &mut s,
        Msg::FolderCreated {
            ticket: t,
            name: "Backups".into(),
            result: err(),
        },
    );
    assert_eq!(s.busy(), 0, "an error lowers it");
    assert!(s.overlays.dialog().is_some(), "the refused dialog is back");
    update(&mut s, code(KeyCode::Esc));

    on_row(&mut s, "z1");
    update(&mut s, key('r'));
    typing(&mut s, "x");
    let (t, e) = tracked(&update(&mut s, code(KeyCode::Enter)));
    let Effect::UpdateFiles {
        kind, ids, changes, ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert_eq!(s.busy(), 1);
    update(
        &mut s,
        Msg::Updated {
            ticket: t,
            kind,
            ids,
            changes,
            result: Ok(vec![]),
        },
    );
    assert_eq!(s.busy(), 0, "success lowers it");

    update(&mut s, key('a'));
    let (t, _) = tracked(&update(&mut s, key('Y')));
    assert_eq!(s.busy(), 1);
    update(
        &mut s,
        Msg::Urls(t, vec![("r1".into(), "README.txt".into(), Err("no".into()))]),
    );
    assert_eq!(s.busy(), 0);

    update(&mut s, key('d'));
    let (t, e) = tracked(&update(&mut s, key('y')));
    let Effect::DeleteFiles(_, ids) = e else {
        panic!("{e:?}")
    };
    assert_eq!(s.busy(), 1);
    update(
        &mut s,
        Msg::Deleted {
            ticket: t,
            ids,
            result: err(),
        },
    );
    assert_eq!(s.busy(), 0);
}

#[test]
fn metadata_requests_raise_busy_until_their_answer() {
    let mut s = browsing();
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    answer(&mut s, &fx, vec![rec("r1", "Old", &[])]);
    typing(&mut s, "!");
    let (t, e) = tracked(&update(&mut s, code(KeyCode::Enter)));
    let Effect::Meta(MetaEffect::Save { file_id, sent, .. }) = e else {
        panic!("{e:?}")
    };
    assert_eq!(s.busy(), 1);
    update(
        &mut s,
        Msg::Meta(MetaMsg::Saved {
            ticket: t,
            file_id,
            sent,
            result: err(),
        }),
    );
    assert_eq!(s.busy(), 0);

    update(&mut s, key('a'));
    update(&mut s, key('+'));
    typing(&mut s, "live");
    let (t, _) = tracked(&update(&mut s, code(KeyCode::Enter)));
    assert_eq!(s.busy(), 1);
    let bulk = MetaMsg::Bulk {
        ticket: t,
        kind: BulkKind::AddTag("live".into()),
        items: vec![],
    };
    update(&mut s, Msg::Meta(bulk));
    assert_eq!(s.busy(), 0);

    update(&mut s, key('F'));
    typing(&mut s, "tag");
    let (t, _) = tracked(&update(&mut s, code(KeyCode::Enter)));
    assert_eq!(s.busy(), 1);
    let page = Ok(FoundPage {
        rows: vec![],
        total: Some(0),
    });
    update(
        &mut s,
        Msg::Meta(MetaMsg::Found {
            ticket: t,
            page: 0,
            result: page,
        }),
    );
    assert_eq!(s.busy(), 0);
}

#[test]
fn stale_or_repeated_answers_do_not_lower_busy() {
    let mut s = browsing();
    update(&mut s, key('n'));
    typing(&mut s, "First");
    let (first, _) = tracked(&update(&mut s, code(KeyCode::Enter)));
    update(&mut s, key('n'));
    typing(&mut s, "Second");
    let (second, _) = tracked(&update(&mut s, code(KeyCode::Enter)));
    assert_ne!(first, second);
    assert_eq!(s.busy(), 2);
    let created = |ticket| Msg::FolderCreated {
        ticket,
        name: "x".into(),
        result: err(),
    };
    update(&mut s, created(first + second + 100));
    assert_eq!(s.busy(), 2, "an unknown ticket changes nothing");
    update(&mut s, created(first));
    update(&mut s, created(first));
    assert_eq!(
        s.busy(),
        1,
        "the first answered twice still leaves the second in flight"
    );
    let changes = FileChanges::default();
    let kind = UpdateKind::Rename;
    update(
        &mut s,
        Msg::Updated {
            ticket: first,
            kind,
            ids: vec![],
            changes,
            result: err(),
        },
    );
    assert_eq!(s.busy(), 1, "another message with a spent ticket changes nothing");
    update(&mut s, created(second));
    assert_eq!(s.busy(), 0);
}
