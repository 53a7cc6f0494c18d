//! Every metadata result the TUI gets reaches the account index: a bulk run's records (and the
//! records it deleted) and the files a metadata search found leave as
//! `IndexEffect::NoteMeta`, as single loads and saves reach it through the index hook.

use super::finder::IndexEffect;
use super::meta::{BulkItem, BulkKind, ItemOutcome};
use super::tests_meta::{on_row, rec, search_found_clip};
use super::tests_update::{browsing, key};
use super::*;
use crate::api::FileMeta;

fn noted(fx: &[Effect]) -> Option<(Vec<FileMeta>, Vec<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::Index(IndexEffect::NoteMeta { records, removed }) => Some((records.clone(), removed.clone())),
        _ => None,
    })
}

fn bulk(s: &mut State, kind: BulkKind, items: Vec<BulkItem>) -> Vec<Effect> {
    let ticket = s.track();
    update(s, Msg::Meta(MetaMsg::Bulk { ticket, kind, items }))
}

fn item(id: &str, outcome: ItemOutcome) -> BulkItem {
    BulkItem {
        id: id.into(),
        outcome,
    }
}

#[test]
fn a_bulk_copy_or_tag_run_notes_the_records_the_files_now_have() {
    let mut s = browsing();
    let copied = rec("n1", "Sunrise zeppelin", &["sky"]);
    let fx = bulk(
        &mut s,
        BulkKind::Copy { from: "n1".into() },
        vec![
            // The source's record, given to r1 (its own id in the index).
            item(
                "r1",
                ItemOutcome::Done(Some(FileMeta {
                    file_id: "r1".into(),
                    ..copied.clone()
                })),
            ),
            item("z1", ItemOutcome::Failed("boom".into())),
        ],
    );
    let (records, removed) = noted(&fx).expect("the index is told");
    assert_eq!(records.len(), 1, "only what was done: {records:?}");
    assert_eq!(
        (records[0].file_id.as_str(), records[0].title.as_str()),
        ("r1", "Sunrise zeppelin")
    );
    assert!(removed.is_empty());

    let fx = bulk(
        &mut s,
        BulkKind::AddTag("live".into()),
        vec![
            item("n1", ItemOutcome::Done(Some(rec("n1", "N", &["live"])))),
            item("r1", ItemOutcome::Skipped("already has it".into())),
        ],
    );
    let (records, _) = noted(&fx).expect("the index is told");
    assert_eq!(records, vec![rec("n1", "N", &["live"])]);

    let fx = bulk(
        &mut s,
        BulkKind::AddTag("x".into()),
        vec![item("n1", ItemOutcome::Failed("boom".into()))],
    );
    assert!(noted(&fx).is_none(), "nothing changed, nothing to tell");
}

#[test]
fn a_bulk_delete_empties_the_titles_and_tags_of_its_files() {
    let mut s = browsing();
    let fx = bulk(
        &mut s,
        BulkKind::Delete,
        vec![
            item("n1", ItemOutcome::Done(None)),
            item("r1", ItemOutcome::Skipped("had no metadata".into())),
            item("z1", ItemOutcome::Failed("boom".into())),
        ],
    );
    let (records, removed) = noted(&fx).expect("the index is told");
    assert!(records.is_empty());
    assert_eq!(removed, ["n1", "r1"]);
}

#[test]
fn the_files_a_metadata_search_found_are_noted_with_their_records() {
    let mut s = browsing();
    let fx = search_found_clip(&mut s);
    let (records, removed) = noted(&fx).expect("the index is told");
    assert_eq!(records, vec![rec("v1", "Clip", &["video_k2s"])]);
    assert!(removed.is_empty());
    // A single load still goes through the index hook, not this effect.
    on_row(&mut s, "r1");
    let fx = update(&mut s, key('t'));
    assert!(noted(&fx).is_none());
}
