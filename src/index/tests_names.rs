//! The finder's compact names: odd names read back as written, titles matched, a folder's
//! entry, sizes, chunks, and the size of an entry.

use super::names::{Builder, Entry, Names};
use super::query::Match;
use super::text::CHUNK;
use super::*;

fn fresh(dir: &Path) -> Index {
    open(&dir.join(FILE_NAME), "srv/acct").expect("open").index
}

fn names_of(ix: &Index) -> Names {
    Names::load(ix).expect("names")
}

/// (id, parent, name) of every entry.
fn triples(n: &Names) -> Vec<(String, String, String)> {
    n.entries
        .iter()
        .map(|e| (e.id.to_string(), e.parent.to_string(), e.name.to_string()))
        .collect()
}

#[test]
fn odd_names_read_back_as_they_were_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    let long = "x".repeat(70_000);
    let wide = "映画の予告編 🎬 Ünïcödé.mp4";
    let c = ix.conn();
    c.execute(
        "INSERT INTO folders(id, parent, name) VALUES ('d1', '/', 'Films')",
        [],
    )
    .expect("folder");
    for (id, name) in [
        ("e", ""),
        ("l", long.as_str()),
        ("w", wide),
        ("r", "bad \u{FFFD} name"),
    ] {
        c.execute(
            "INSERT INTO files(id, parent, name, size) VALUES (?1, 'd1', ?2, 5)",
            [id, name],
        )
        .expect("file");
    }
    // Bytes that are not UTF-8 (another tool wrote the file): read as replacement characters.
    c.execute(
        "INSERT INTO files(id, parent, name) VALUES ('b', '/', CAST(X'66FF6F2E747874' AS TEXT))",
        [],
    )
    .expect("bad bytes");
    let n = names_of(&ix);
    assert_eq!(
        triples(&n),
        [
            ("d1", "/", "Films"),
            ("e", "d1", ""),
            ("l", "d1", long.as_str()),
            ("w", "d1", wide),
            ("r", "d1", "bad \u{FFFD} name"),
            ("b", "/", "f\u{FFFD}o.txt"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    assert!(n.entries[0].is_folder && n.entries[0].size().is_none());
    assert_eq!(n.entries[1].size(), Some(5));
    assert_eq!(n.entries[5].size(), None, "no size listed");
    let hit = |p: &str| n.fuzzy(p, 5).first().map(|h| n.entries[h.entry].id.to_string());
    assert_eq!(hit("予告").as_deref(), Some("w"), "wide characters match");
    assert_eq!(hit("unicode").as_deref(), Some("w"), "accents are folded");
    assert_eq!(hit("xxxxxxxx").as_deref(), Some("l"));
    assert_eq!(hit("fo.txt").as_deref(), Some("b"));
    assert!(n.fuzzy("", 5).len() <= 5);
}

#[test]
fn titles_are_matched_by_fuzzy_glob_and_regex_and_kept_apart() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    let c = ix.conn();
    c.execute(
        "INSERT INTO folders(id, parent, name) VALUES ('d1', '/', 'Concerts')",
        [],
    )
    .expect("folder");
    for (id, name, title) in [
        ("f1", "clip0001.mp4", Some("Sunset over the bay")),
        ("f2", "clip0002.mp4", None),
        ("f3", "clip0003.mp4", Some("")),
        ("f4", "clip0004.mp4", Some("Live at the Bay Arena")),
    ] {
        c.execute(
            "INSERT INTO files(id, parent, name, title) VALUES (?1, 'd1', ?2, ?3)",
            rusqlite::params![id, name, title],
        )
        .expect("file");
    }
    let n = names_of(&ix);
    assert_eq!(n.title(1), Some("Sunset over the bay"));
    assert_eq!(n.title(2), None);
    assert_eq!(n.title(3), None, "an empty title is none");
    assert_eq!(n.title(4), Some("Live at the Bay Arena"));
    assert_eq!(n.title(99), None);
    let ids = |hits: Vec<query::Hit>| {
        let mut v: Vec<String> = hits.iter().map(|h| n.entries[h.entry].id.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(n.fuzzy("bay", 10)), ["f1", "f4"]);
    assert_eq!(
        ids(n.filter("*bay*", Match::Glob, 10).expect("glob")),
        ["f1", "f4"]
    );
    assert_eq!(ids(n.filter("^Live", Match::Regex, 10).expect("regex")), ["f4"]);
    assert_eq!(
        ids(n.filter("concerts", Match::Glob, 10).expect("folder")),
        ["d1"]
    );
    assert_eq!(
        ids(n.filter("clip*", Match::Glob, 10).expect("all")),
        ["f1", "f2", "f3", "f4"]
    );
}

#[test]
fn many_names_span_chunks_and_keep_their_order_and_titles() {
    let mut b = Builder::default();
    let total = 3 * CHUNK / 40 + 11;
    for i in 0..total {
        let title = (i % 1000 == 7).then(|| format!("title number {i}"));
        b.push(
            &format!("id{i:010}"),
            &format!("p{}", i % 50),
            &format!("name-{i:08}.bin"),
            false,
            Some(i as u64),
            title.as_deref(),
        );
    }
    let n = b.finish();
    assert_eq!(n.len(), total);
    for i in [0, 1, total / 3, total / 2, total - 1] {
        let e = &n.entries[i];
        assert_eq!(e.id.as_str(), format!("id{i:010}"));
        assert_eq!(&*e.parent, format!("p{}", i % 50));
        assert_eq!(e.name.as_str(), format!("name-{i:08}.bin"));
        assert_eq!(e.size(), Some(i as u64));
    }
    assert_eq!(n.title(70_007), Some("title number 70007"));
    assert_eq!(n.title(70_008), None);
    let hits = n.fuzzy("title number 2007", 3);
    assert_eq!(n.entries[hits[0].entry].id.as_str(), "id0000002007");
    // Every folder id is held once, however many entries are in it.
    assert!(std::sync::Arc::ptr_eq(
        &n.entries[0].parent,
        &n.entries[50].parent
    ));
}

#[test]
fn an_entry_is_small() {
    // Two handles, a shared folder id, a size and a flag: 64 bytes, the bytes of the
    // strings apart (about 280 bytes an entry with owned strings).
    assert!(
        std::mem::size_of::<Entry>() <= 64,
        "{}",
        std::mem::size_of::<Entry>()
    );
}
