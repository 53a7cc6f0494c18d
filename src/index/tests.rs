//! Unit tests of the index: opening (private, foreign, damaged, old), rows, queries.

use super::paths::Folders;
use super::query::{self, Match, Names, Problem};
use super::rows::FileRow;
use super::*;

fn fresh(dir: &Path) -> Index {
    let opened = open(&dir.join(FILE_NAME), "srv/acct").expect("open");
    assert!(opened.notices.is_empty(), "{:?}", opened.notices);
    opened.index
}

fn folder(ix: &Index, id: &str, parent: &str, name: &str) {
    ix.conn()
        .execute(
            "INSERT INTO folders(id, parent, name) VALUES (?1, ?2, ?3)",
            [id, parent, name],
        )
        .expect("folder");
}

fn file(ix: &Index, id: &str, parent: &str, name: &str, size: u64, md5: &str) -> FileRow {
    let row = FileRow {
        id: id.into(),
        parent: parent.into(),
        name: name.into(),
        size: Some(size),
        md5: Some(md5.into()),
        available: Some(true),
        downloads: Some(1),
        last_download: Some(1_000_000),
        ..FileRow::default()
    };
    row.upsert(ix.conn()).expect("file");
    row
}

/// /a (/a/b), /c; files in each.
fn sample(ix: &Index) {
    folder(ix, "a", "/", "Movies");
    folder(ix, "b", "a", "2024");
    folder(ix, "c", "/", "Docs");
    file(ix, "f1", "/", "readme.txt", 10, "m1");
    file(ix, "f2", "a", "bunny.mp4", 1000, "m2");
    file(ix, "f3", "b", "holiday.mp4", 500, "m3");
    file(ix, "f4", "c", "bunny copy.mp4", 1000, "m2");
    file(ix, "f5", "b", "bunny again.mp4", 1000, "m2");
    totals::recount_all(ix.conn()).expect("totals");
}

#[test]
fn a_new_index_is_private_and_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    let mode: String = ix
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode.to_lowercase(), "wal");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(ix.path()).expect("meta").permissions().mode();
        assert_eq!(m & 0o777, 0o600);
    }
    assert_eq!(ix.counts().expect("counts"), (0, 0));
}

#[test]
fn a_damaged_file_is_set_aside_and_a_new_index_started() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    std::fs::write(
        &path,
        b"this is not a database at all, just some bytes".repeat(100),
    )
    .expect("write");
    let opened = open(&path, "srv/acct").expect("open");
    assert_eq!(opened.notices.len(), 1);
    assert!(opened.notices[0].contains("damaged"), "{:?}", opened.notices);
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("index.sqlite.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(opened.index.counts().expect("counts"), (0, 0));
}

#[test]
fn another_accounts_index_is_refused_and_set_aside() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    {
        let ix = fresh(dir.path());
        sample(&ix);
    }
    assert!(open_existing(&path, "srv/other").is_none());
    let opened = open(&path, "srv/other").expect("open");
    assert!(
        opened.notices[0].contains("another account"),
        "{:?}",
        opened.notices
    );
    assert_eq!(
        opened.index.counts().expect("counts"),
        (0, 0),
        "no file of the other account shows"
    );
}

#[test]
fn an_index_of_another_schema_version_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    {
        let ix = fresh(dir.path());
        sample(&ix);
        ix.conn()
            .pragma_update(None, "user_version", 99)
            .expect("version");
    }
    let opened = open(&path, "srv/acct").expect("open");
    assert!(
        opened.notices[0].contains("schema version 99"),
        "{:?}",
        opened.notices
    );
    assert_eq!(opened.index.counts().expect("counts"), (0, 0));
}

#[test]
fn fuzzy_find_ranks_the_closest_names_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    sample(&ix);
    let names = Names::load(&ix).expect("names");
    let hits = names.fuzzy("bunny", 10);
    let found: Vec<&str> = hits
        .iter()
        .map(|h| names.entries[h.entry].name.as_str())
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0], "bunny.mp4");
    assert!(
        names.fuzzy("bny", 10).len() >= 3,
        "fuzzy: letters in order, not together"
    );
    assert_eq!(names.fuzzy("bunny", 1).len(), 1);
    assert!(names.fuzzy("zzzz", 10).is_empty());
}

#[test]
fn glob_and_regex_match_whole_names() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    sample(&ix);
    let names = Names::load(&ix).expect("names");
    let count = |p: &str, how| names.filter(p, how, 100).expect("filter").len();
    assert_eq!(count("*.MP4", Match::Glob), 4);
    assert_eq!(count("bunny*", Match::Glob), 3);
    assert_eq!(count("?unny.mp4", Match::Glob), 1);
    assert_eq!(count("[hr]*", Match::Glob), 2);
    assert_eq!(count("^bunny (copy|again)", Match::Regex), 2);
    assert!(names.filter("(", Match::Regex, 10).is_err());
}

#[test]
fn du_sums_folders_recursively_largest_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    sample(&ix);
    let folders = Folders::load(&ix).expect("folders");
    let rows = query::du(&ix, &folders, "/", 5).expect("du");
    let got: Vec<(&str, u64, u64)> = rows.iter().map(|u| (u.path.as_str(), u.size, u.files)).collect();
    assert_eq!(
        got,
        vec![
            ("/", 3510, 5),
            ("/Movies", 2500, 3),
            ("/Movies/2024", 1500, 2),
            ("/Docs", 1000, 1)
        ]
    );
    assert_eq!(query::du(&ix, &folders, "a", 0).expect("du").len(), 1);
}

#[test]
fn dupes_group_by_md5_with_paths() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    sample(&ix);
    let folders = Folders::load(&ix).expect("folders");
    let groups = query::dupes(&ix, &folders).expect("dupes");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].md5, "m2");
    assert_eq!(groups[0].wasted, 2000);
    let paths: Vec<&str> = groups[0].files.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "/Docs/bunny copy.mp4",
            "/Movies/2024/bunny again.mp4",
            "/Movies/bunny.mp4"
        ]
    );
    // Each copy's folder travels with it through the sort by path.
    let ids: Vec<(&str, &str)> = groups[0]
        .files
        .iter()
        .zip(&groups[0].facts)
        .map(|(f, x)| (f.0.as_str(), x.parent.as_str()))
        .collect();
    assert_eq!(ids, vec![("f4", "c"), ("f5", "b"), ("f2", "a")]);
    assert!(groups[0].facts.iter().all(|x| x.downloads == Some(1)));
}

#[test]
fn health_names_each_files_worst_problem() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    let now = 100 * 86_400;
    let mut f = file(&ix, "ok", "/", "fresh.bin", 1, "a");
    f.last_download = Some(now - 86_400);
    f.upsert(ix.conn()).expect("up");
    let mut g = f.clone();
    g.id = "gone".into();
    g.name = "gone.bin".into();
    g.storage = Some("deleted".into());
    g.upsert(ix.conn()).expect("up");
    let mut b = g.clone();
    b.id = "blocked".into();
    b.name = "blocked.bin".into();
    b.abuses = Some("[{}]".into());
    b.upsert(ix.conn()).expect("up");
    let mut n = f.clone();
    n.id = "never".into();
    n.name = "never.bin".into();
    n.downloads = Some(0);
    n.last_download = None;
    n.upsert(ix.conn()).expect("up");
    let mut o = f.clone();
    o.id = "old".into();
    o.name = "old.bin".into();
    o.last_download = Some(now - 40 * 86_400);
    o.upsert(ix.conn()).expect("up");
    let folders = Folders::load(&ix).expect("folders");
    let got: Vec<(Problem, String)> = query::health(&ix, &folders, now, 30)
        .expect("health")
        .into_iter()
        .map(|(p, path, _)| (p, path))
        .collect();
    assert_eq!(
        got,
        vec![
            (Problem::Blocked, "/blocked.bin".to_string()),
            (Problem::Gone, "/gone.bin".to_string()),
            (Problem::NeverDownloaded, "/never.bin".to_string()),
            (Problem::Inactive, "/old.bin".to_string()),
        ]
    );
    assert_eq!(query::health(&ix, &folders, now, 50).expect("health").len(), 3);
}

#[test]
fn health_kept_holds_a_few_of_each_problem_and_counts_them_all() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    let now = 100 * 86_400;
    for i in 0..7 {
        let mut n = file(&ix, &format!("never{i}"), "/", &format!("never {i}.bin"), 1, "a");
        n.downloads = Some(0);
        n.last_download = None;
        n.upsert(ix.conn()).expect("up");
    }
    let mut b = file(&ix, "blocked", "/", "blocked.bin", 1, "b");
    b.abuses = Some("[{}]".into());
    b.upsert(ix.conn()).expect("up");
    let folders = Folders::load(&ix).expect("folders");
    let (kept, totals) = query::health_kept(&ix, &folders, now, 30, 3).expect("health");
    assert_eq!(totals.get(&Problem::NeverDownloaded), Some(&7));
    assert_eq!(totals.get(&Problem::Blocked), Some(&1));
    let never = kept
        .iter()
        .filter(|(p, _, _)| *p == Problem::NeverDownloaded)
        .count();
    assert_eq!(never, 3, "at most 3 held");
    assert_eq!(kept.iter().filter(|(p, _, _)| *p == Problem::Blocked).count(), 1);
    assert_eq!(query::health(&ix, &folders, now, 30).expect("all").len(), 8);
}

#[test]
fn export_streams_csv_and_json_of_a_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    sample(&ix);
    file(&ix, "f6", "c", "=cmd, \"quoted\".txt", 1, "m9");
    let folders = Folders::load(&ix).expect("folders");
    let mut csv = Vec::new();
    let n = export::export(&ix, &folders, "c", export::Format::Csv, false, &mut csv).expect("csv");
    assert_eq!(n, 2);
    let csv = String::from_utf8(csv).expect("utf8");
    assert!(csv.starts_with("id,path,name,size,md5"), "{csv}");
    assert!(csv.contains("\"'=cmd, \"\"quoted\"\".txt\""), "{csv}");
    let mut json = Vec::new();
    export::export(&ix, &folders, "/", export::Format::Json, false, &mut json).expect("json");
    let v: serde_json::Value = serde_json::from_slice(&json).expect("valid json");
    assert_eq!(v.as_array().map(|a| a.len()), Some(6));
}

#[test]
fn hooks_follow_the_clis_writes() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = dir.path().join("srv").join("acct");
    std::fs::create_dir_all(&state).expect("dir");
    {
        let opened = open(&path_in(&state), &account_marker(&state)).expect("open");
        sample(&opened.index);
    }
    note_renamed(&state, "f1", "README.md");
    note_moved(&state, &["f2".to_string()], "c");
    note_removed(&state, &["a".to_string()]);
    note_folder_created(&state, "d", "/", "New");
    note_access(&state, &["f4".to_string()], "private");
    let ix = open_existing(&path_in(&state), &account_marker(&state)).expect("index");
    let folders = Folders::load(&ix).expect("folders");
    let names = Names::load(&ix).expect("names");
    let mut got: Vec<String> = names
        .entries
        .iter()
        .map(|e| folders.file_path(&e.parent, &e.name))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "/Docs",
            "/Docs/bunny copy.mp4",
            "/Docs/bunny.mp4",
            "/New",
            "/README.md"
        ]
    );
    let access: String = ix
        .conn()
        .query_row("SELECT access FROM files WHERE id = 'f4'", [], |r| r.get(0))
        .expect("access");
    assert_eq!(access, "private");
    let du = query::du(&ix, &folders, "/", 1).expect("du");
    let got: Vec<(&str, u64, u64)> = du.iter().map(|u| (u.path.as_str(), u.size, u.files)).collect();
    assert_eq!(
        got,
        vec![("/", 2010, 3), ("/Docs", 2000, 2), ("/New", 0, 0)],
        "the totals follow the writes"
    );
}
