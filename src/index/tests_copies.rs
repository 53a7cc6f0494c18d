//! The `shared` flag behind `dupes`: right after any mix of writes, and filled in when a file of
//! schema version 1 is migrated.

use super::paths::Folders;
use super::query;
use super::rows::FileRow;
use super::*;

fn fresh(dir: &Path) -> Index {
    let opened = open(&dir.join(FILE_NAME), "srv/acct").expect("open");
    assert!(opened.notices.is_empty(), "{:?}", opened.notices);
    opened.index
}

fn ids(ix: &Index, sql: &str) -> Vec<String> {
    let mut stmt = ix.conn().prepare(sql).expect("prepare");
    let mut out: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    out.sort();
    out
}

/// The files `shared` marks, and the files whose md5 another file has too, counted afresh.
fn marked_and_true(ix: &Index) -> (Vec<String>, Vec<String>) {
    (
        ids(ix, "SELECT id FROM files WHERE shared = 1"),
        ids(
            ix,
            "SELECT id FROM files WHERE md5 > '' AND md5 IN
             (SELECT md5 FROM files GROUP BY md5 HAVING count(*) > 1)",
        ),
    )
}

/// A small deterministic generator, so that a failing sequence can be replayed.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn the_shared_flag_follows_every_kind_of_write() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = fresh(dir.path());
    let md5s = [None, Some(""), Some("m1"), Some("m2"), Some("m3"), Some("m4")];
    let mut rng = Lcg(7);
    for step in 0..3000 {
        let id = format!("f{}", rng.below(30));
        let parent = format!("p{}", rng.below(4));
        let md5 = md5s[rng.below(md5s.len() as u64) as usize];
        let op = rng.below(10);
        let what = match op {
            // The crawl's and the hooks' upsert: a new file, or a known one listed again.
            0..=4 => {
                let row = FileRow {
                    id: id.clone(),
                    parent,
                    name: id.clone(),
                    md5: md5.map(str::to_string),
                    ..FileRow::default()
                };
                row.upsert(ix.conn()).expect("upsert");
                "upsert"
            }
            5 => {
                ix.conn()
                    .execute("DELETE FROM files WHERE id = ?1", [&id])
                    .expect("delete");
                "delete"
            }
            // The crawl lists a folder again: its files go, then come back.
            6 => {
                ix.conn()
                    .execute("DELETE FROM files WHERE parent = ?1", [&parent])
                    .expect("delete folder");
                "delete folder"
            }
            7 => {
                ix.conn()
                    .execute(
                        "UPDATE files SET md5 = ?2 WHERE id = ?1",
                        rusqlite::params![id, md5],
                    )
                    .expect("update md5");
                "update md5"
            }
            // Writes that leave the md5 alone.
            8 => {
                ix.conn()
                    .execute(
                        "UPDATE files SET parent = ?2, name = 'x' WHERE id = ?1",
                        [&id, &parent],
                    )
                    .expect("move");
                "move"
            }
            _ => {
                ix.conn()
                    .execute("UPDATE files SET md5 = md5, downloads = 3 WHERE id = ?1", [&id])
                    .expect("same md5");
                "same md5"
            }
        };
        let (marked, truth) = marked_and_true(&ix);
        assert_eq!(marked, truth, "after step {step} ({what} {id} {md5:?})");
    }
}

#[test]
fn many_copies_of_one_md5_come_and_go_in_one_transaction() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut ix = fresh(dir.path());
    let tx = ix.conn_mut().transaction().expect("tx");
    for i in 0..2000 {
        FileRow {
            id: format!("e{i}"),
            parent: "/".into(),
            name: format!("empty {i}"),
            md5: Some("d41d8cd98f00b204e9800998ecf8427e".into()),
            ..FileRow::default()
        }
        .upsert(&tx)
        .expect("upsert");
    }
    tx.commit().expect("commit");
    let folders = Folders::load(&ix).expect("folders");
    let groups = query::dupes(&ix, &folders).expect("dupes");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].files.len(), 2000);
    ix.conn()
        .execute("DELETE FROM files WHERE id <> 'e7'", [])
        .expect("delete");
    assert!(query::dupes(&ix, &folders).expect("dupes").is_empty());
    assert_eq!(marked_and_true(&ix), (vec![], vec![]));
}

#[test]
fn an_index_of_version_1_is_migrated_in_place_with_a_notice() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    {
        let ix = fresh(dir.path());
        for (id, md5) in [("f1", "m1"), ("f2", "m2"), ("f3", "m2"), ("f4", "")] {
            FileRow {
                id: id.into(),
                parent: "/".into(),
                name: format!("{id}.bin"),
                size: Some(10),
                md5: Some(md5.into()),
                ..FileRow::default()
            }
            .upsert(ix.conn())
            .expect("upsert");
        }
        // Back to what version 1 wrote: no flag, no copies' index, no triggers.
        ix.conn()
            .execute_batch(
                "DROP TRIGGER files_copies_insert; DROP TRIGGER files_copies_delete;
                 DROP TRIGGER files_copies_update; DROP INDEX files_copies; DROP INDEX files_md5;
                 ALTER TABLE files DROP COLUMN shared; CREATE INDEX files_md5 ON files(md5);
                 PRAGMA user_version = 1;",
            )
            .expect("downgrade");
    }
    let opened = open(&path, "srv/acct").expect("open");
    assert_eq!(
        opened.notices,
        vec![format!(
            "the index {} was brought from schema version 1 to {}",
            path.display(),
            schema::SCHEMA_VERSION
        )]
    );
    let ix = opened.index;
    assert_eq!(ix.counts().expect("counts").1, 4, "no file lost");
    let folders = Folders::load(&ix).expect("folders");
    let groups = query::dupes(&ix, &folders).expect("dupes");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].md5, "m2");
    // The triggers came with it: a third copy joins the group.
    FileRow {
        id: "f5".into(),
        parent: "/".into(),
        name: "f5.bin".into(),
        md5: Some("m2".into()),
        ..FileRow::default()
    }
    .upsert(ix.conn())
    .expect("upsert");
    assert_eq!(query::dupes(&ix, &folders).expect("dupes")[0].files.len(), 3);
    drop(ix);
    // Opened again, it is of this version and says nothing.
    assert!(open(&path, "srv/acct").expect("open").notices.is_empty());
}
