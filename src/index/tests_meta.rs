//! Metadata in the index: titles and tags written by the hooks when records are fetched or
//! saved, kept by a later listing, matched by `find`, written by `export`.

use super::paths::Folders;
use super::query::Names;
use super::rows::FileRow;
use super::*;
use crate::api::FileMeta;

/// An index in `dir` as the hooks find it, with two files in the root.
fn with_files(dir: &Path) -> Index {
    let opened = open(&path_in(dir), &account_marker(dir)).expect("open");
    let ix = opened.index;
    for (id, name) in [("f1", "clip0001.mp4"), ("f2", "readme.txt")] {
        FileRow {
            id: id.into(),
            parent: "/".into(),
            name: name.into(),
            size: Some(10),
            ..FileRow::default()
        }
        .upsert(ix.conn())
        .expect("file");
    }
    ix
}

fn record(id: &str, title: &str, tags: &[&str]) -> FileMeta {
    FileMeta {
        file_id: id.into(),
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..FileMeta::default()
    }
}

fn title_tags(ix: &Index, id: &str) -> (Option<String>, Option<String>) {
    ix.conn()
        .query_row("SELECT title, tags FROM files WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row")
}

#[test]
fn fetched_metadata_is_kept_in_the_index_and_survives_a_listing() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = with_files(dir.path());
    assert_eq!(title_tags(&ix, "f1"), (None, None), "never fetched");
    note_meta(
        dir.path(),
        &[record("f1", "Sunset over the bay", &["beach", "4k"])],
    );
    assert_eq!(
        title_tags(&ix, "f1"),
        (
            Some("Sunset over the bay".into()),
            Some(r#"["beach","4k"]"#.into())
        )
    );
    // A later listing of the file (no metadata in it) keeps what was fetched.
    FileRow {
        id: "f1".into(),
        parent: "/".into(),
        name: "clip0001.mp4".into(),
        size: Some(11),
        ..FileRow::default()
    }
    .upsert(ix.conn())
    .expect("listed again");
    assert_eq!(title_tags(&ix, "f1").0.as_deref(), Some("Sunset over the bay"));
    // The metadata deleted: fetched, and empty.
    note_meta_removed(dir.path(), &["f1".to_string()]);
    assert_eq!(title_tags(&ix, "f1"), (Some(String::new()), Some("[]".into())));
}

#[test]
fn find_matches_a_title_and_export_writes_title_and_tags() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = with_files(dir.path());
    note_meta(
        dir.path(),
        &[record("f1", "Sunset over the bay", &["beach", "4k"])],
    );
    let names = Names::load(&ix).expect("names");
    let hits = names.fuzzy("sunset bay", 10);
    let ids: Vec<&str> = hits.iter().map(|h| names.entries[h.entry].id.as_str()).collect();
    assert_eq!(ids, ["f1"], "the name is clip0001.mp4; the title matched");
    let glob = names.filter("sunset*", query::Match::Glob, 10).expect("glob");
    assert_eq!(glob.len(), 1);

    let folders = Folders::load(&ix).expect("folders");
    let mut csv = Vec::new();
    export::export(&ix, &folders, "/", export::Format::Csv, false, &mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.ends_with(",title,tags"), "{header}");
    assert!(csv.contains("Sunset over the bay,beach; 4k"), "{csv}");
    let mut json = Vec::new();
    export::export(&ix, &folders, "/", export::Format::Json, false, &mut json).expect("json");
    let json = String::from_utf8(json).expect("utf-8");
    assert!(json.contains(r#""tags":["beach","4k"]"#), "{json}");
}

#[test]
fn a_hook_without_an_index_creates_none() {
    let dir = tempfile::tempdir().expect("tmp");
    note_meta(dir.path(), &[record("f1", "t", &[])]);
    assert!(!path_in(dir.path()).exists());
}
