//! `k2s check --repair` from the account index: dead files the index remembers are created
//! again by hash with their md5, old name, old folder and old access; content the service lost
//! comes from `--from DIR` (found by size and md5), in both reply shapes.

mod common;

use k2s::demo::{Shapes, ids};
use serde_json::Value;
use std::collections::HashMap;

use common::cli_env::CliEnv as Env;

async fn env(shapes: Shapes) -> Env {
    Env::start(shapes).await
}

use common::output::{json, ok, stderr, stdout};

/// old id -> its entry of `--json check --repair`'s "repaired".
fn repaired(v: &Value) -> HashMap<String, Value> {
    v["repaired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["old"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

/// id -> state of `--json check`'s rows.
fn states(v: &Value) -> HashMap<String, String> {
    v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn new_id(rep: &HashMap<String, Value>, old: &str) -> String {
    rep[old]["new"]
        .as_str()
        .unwrap_or_else(|| panic!("{old} not repaired: {}", rep[old]))
        .to_string()
}

shaped! {
    async fn dead_files_come_back_from_the_index(shape) {
        let e = env(shape).await;
        ok(&e.run(&["index"]).await);
        // The uploader's own copy of one file, under another name (found by size and md5).
        let mine = e.dir.path().join("mine");
        let deep = mine.join("a").join("b");
        std::fs::create_dir_all(&deep).unwrap();
        ok(&e.run(&["download", ids::BUDGET, "--dir", deep.to_str().unwrap()]).await);
        std::fs::rename(deep.join("budget 2024.xlsx"), deep.join("copy.bin")).unwrap();
        std::fs::write(mine.join("decoy.xlsx"), b"not it").unwrap();
        let budget = e.server.file(ids::BUDGET).unwrap();
        // Then the service deletes them: content kept, a whole folder, content gone.
        assert!(e.server.delete_by_service(ids::VIDEO_HOLIDAY, true));
        assert!(e.server.delete_by_service(ids::PRIVATE_NOTES, true));
        assert!(e.server.delete_by_service(ids::ARCHIVE, true));
        assert!(e.server.delete_by_service(ids::BUDGET, false));
        let post = format!(
            "[url=https://k2s.cc/file/{hol}/Holiday%202024.mp4]Holiday[/url]\n\
             <a href=\"https://keep2share.cc/f/{notes}\">notes</a>\n\
             report: k2s.cc/file/{rep}\n\
             budget https://k2s.cc/file/{bud}/budget.xlsx\n\
             alive https://k2s.cc/file/{bunny}\n\
             not ours https://k2s.cc/file/gonenoname001\n",
            hol = ids::VIDEO_HOLIDAY, notes = ids::PRIVATE_NOTES, rep = ids::ARCHIVE_REPORT,
            bud = ids::BUDGET, bunny = ids::VIDEO_BUNNY
        );
        let file = e.write("post.txt", &post);
        let uploads = e.server.upload_bodies();
        let o = e.run(&["--json", "check", &file, "--repair", "--rewrite"]).await;
        assert_eq!(o.status.code(), Some(1), "budget and the stranger stay dead\n{}", stderr(&o));
        let rep = repaired(&json(&o));
        assert_eq!(e.server.upload_bodies(), uploads, "nothing uploaded: all by hash");
        for old in [ids::VIDEO_HOLIDAY, ids::PRIVATE_NOTES, ids::ARCHIVE_REPORT] {
            assert_eq!(rep[old]["source"], "index", "{}", rep[old]);
            assert!(rep[old]["how"].as_str().unwrap().starts_with("created again by hash"), "{}", rep[old]);
        }
        let hol = e.server.file(&new_id(&rep, ids::VIDEO_HOLIDAY)).unwrap();
        assert_eq!((hol.name.as_str(), hol.parent_id.as_str()), ("Holiday 2024.mp4", ids::MOVIES_2024));
        let notes = e.server.file(&new_id(&rep, ids::PRIVATE_NOTES)).unwrap();
        assert_eq!((notes.name.as_str(), notes.parent_id.as_str()), ("private-notes.txt", ids::DOCUMENTS));
        assert_eq!(notes.access, "private", "the old access");
        let report = e.server.file(&new_id(&rep, ids::ARCHIVE_REPORT)).unwrap();
        assert_eq!((report.name.as_str(), report.parent_id.as_str()), ("2023-report.pdf", "/"));
        assert!(rep[ids::ARCHIVE_REPORT]["how"].as_str().unwrap().contains("its folder is gone: put in the root"));
        assert!(rep[ids::BUDGET]["new"].is_null());
        assert_eq!(rep[ids::BUDGET]["how"], "content gone; give --from DIR with the file");
        assert!(rep["gonenoname001"]["how"].as_str().unwrap().contains("not in the account index"), "{}", rep["gonenoname001"]);
        // The lost content from a local copy: matched by size and md5, uploaded to the old folder.
        let o = e.run(&["check", &file, "--repair", "--from", mine.to_str().unwrap(), "--rewrite"]).await;
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let out = stdout(&o);
        let line = out.lines().find(|l| l.starts_with("repaired") && l.contains(ids::BUDGET)).unwrap_or_else(|| panic!("{out}"));
        assert!(line.ends_with("(uploaded; source: upload)"), "{line}");
        assert_eq!(e.server.upload_bodies() - uploads, 1);
        let found = e.server.find_by_name("budget 2024.xlsx");
        let new_budget = found.iter().find(|f| f.id != ids::BUDGET).expect("the new budget");
        assert_eq!((new_budget.parent_id.as_str(), new_budget.md5.as_str()), (ids::DOCUMENTS, budget.md5.as_str()));
        // The rewritten post: the same forms with the new ids, and its links work.
        let text = std::fs::read_to_string(&file).unwrap();
        let want = post
            .replace(ids::VIDEO_HOLIDAY, &hol.id)
            .replace(ids::PRIVATE_NOTES, &notes.id)
            .replace(ids::ARCHIVE_REPORT, &report.id)
            .replace(ids::BUDGET, &new_budget.id);
        assert_eq!(text, want);
        let st = states(&json(&e.run(&["--json", "check", &file]).await));
        for id in [&hol.id, &report.id, &new_budget.id, &ids::VIDEO_BUNNY.to_string()] {
            assert_eq!(st[id.as_str()], "alive", "{id}");
        }
        assert_eq!(st[notes.id.as_str()], "private", "kept private");
        assert_eq!(st["gonenoname001"], "dead");
        let st = states(&json(&e.run_as(None, &["--json", "check", &file]).await));
        assert_eq!(st[hol.id.as_str()], "alive", "for readers too");
        assert_eq!(st[new_budget.id.as_str()], "alive");
    }
}

shaped! {
    async fn without_an_index_repair_says_how_to_build_one(shape) {
        use k2s::demo::seed_links::{dead_body, dead_ids, dead_name};
        let e = env(shape).await;
        let post = format!(
            "https://k2s.cc/file/{kept}/old-holiday.mp4\nhttps://k2s.cc/file/{gone}\n",
            kept = dead_ids::KEPT, gone = dead_ids::GONE
        );
        let file = e.write("post.txt", &post);
        let o = e.run(&["check", &file, "--repair"]).await;
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("`k2s index`"), "{}", stderr(&o));
        assert!(stderr(&o).contains("--from DIR"), "{}", stderr(&o));
        let mine = e.dir.path().join("mine");
        std::fs::create_dir_all(&mine).unwrap();
        let kept = dead_ids::KEPT;
        std::fs::write(mine.join(dead_name(kept).unwrap()), dead_body(kept).unwrap()).unwrap();
        let o = e.run(&["--json", "check", &file, "--repair", "--from", mine.to_str().unwrap()]).await;
        assert_eq!(o.status.code(), Some(1), "the nameless link stays dead");
        assert!(stderr(&o).contains("no account index (`k2s index` builds one)"), "{}", stderr(&o));
        let rep = repaired(&json(&o));
        assert_eq!(rep[kept]["source"], "local file", "by hash from the local copy's md5");
        assert_eq!(rep[kept]["how"], "created again by hash");
        assert!(rep[dead_ids::GONE]["source"].is_null());
        assert_eq!(rep[dead_ids::GONE]["how"], "the link carries no name to find a local copy by");
    }
}
