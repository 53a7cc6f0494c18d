//! Link formats (`k2s link --format`), the link checker (`k2s check`) and its repair against
//! the demo server, in both reply shapes.

mod common;

use common::k2s_cmd;
use k2s::demo::seed_links::{dead_body, dead_ids, dead_name};
use k2s::demo::{Faults, Shapes, ids};
use serde_json::Value;
use std::collections::HashMap;

use common::cli_env::CliEnv as Env;

async fn env(shapes: Shapes) -> Env {
    Env::start(shapes).await
}

use common::output::{json, ok, stderr, stdout};

/// id -> state of `k2s --json check`'s rows.
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

/// `id` written in the `i`-th of many link forms and markups.
fn link_form(i: usize, id: &str) -> String {
    match i % 8 {
        0 => format!("[url=https://k2s.cc/file/{id}/Part%20{i}.mp4]Part {i}[/url]"),
        1 => format!("<a href=\"https://keep2share.cc/file/{id}\">mirror</a>"),
        2 => format!("[part {i}](https://k2s.cc/f/{id}/p{i}.zip)"),
        3 => format!("k2s.cc/file/{id}"),
        4 => format!("https://www.k2s.cc/file/{id}/name.rar?site=forum#top,"),
        5 => format!("http://keep2s.cc/f/{id}."),
        6 => format!("(https://k2share.cc/file/{id}/x.mkv)"),
        _ => format!("KEEP2SHARE.CC/FILE/{id}"),
    }
}

/// The seed ids of every state and what the owner's check says of each.
fn seeded() -> Vec<(&'static str, &'static str)> {
    vec![
        (ids::VIDEO_BUNNY, "alive"),
        (ids::README, "alive"),
        (ids::BLOCKED, "blocked"),
        (dead_ids::KEPT, "dead"),
        (dead_ids::GONE, "dead"),
        (ids::VIDEO_SINTEL_PREMIUM, "premium_only"),
        (ids::PREMIUM_ALBUM, "premium_only"),
        (ids::PRIVATE_NOTES, "private"),
        (ids::PASSWORDS, "private"),
    ]
}

shaped! {
    async fn a_post_of_300_links_is_checked_in_3_files_info_calls(shape) {
        let e = env(shape).await;
        let mut post = String::from("[b]My uploads[/b]\n");
        let mut n = 0;
        for (id, _) in seeded() {
            post.push_str(&format!("{}\n", link_form(n, id)));
            n += 1;
        }
        post.push_str(&format!("folder: https://k2s.cc/folder/{}/Shared\n", ids::SHARED));
        post.push_str(&format!("private folder: https://k2s.cc/folder/{}\n", ids::DOCS_PRIVATE));
        n += 2;
        while n < 300 {
            post.push_str(&format!("{} text between links\n", link_form(n, &format!("gone{n:09}"))));
            n += 1;
        }
        post.push_str("not ours: https://example.com/file/abcdefabcdef1 and https://k2s.cc/files/x\n");
        let file = e.write("post.txt", &post);
        let before = e.server.calls("getFilesInfo");
        let o = e.run(&["--json", "check", &file]).await;
        assert_eq!(o.status.code(), Some(1), "dead links: exit 1\n{}", stderr(&o));
        assert_eq!(e.server.calls("getFilesInfo") - before, 3, "300 ids in batches of 100");
        let v = json(&o);
        assert_eq!(v["summary"]["links"], 300, "{}", v["summary"]);
        let st = states(&v);
        for (id, want) in seeded() {
            assert_eq!(st[id], want, "{id}");
        }
        assert_eq!(st[ids::SHARED], "alive");
        assert_eq!(st[ids::DOCS_PRIVATE], "private");
        assert_eq!(st["gone000000299"], "dead");
        let bunny = v["links"].as_array().unwrap().iter().find(|r| r["id"] == ids::VIDEO_BUNNY).unwrap();
        assert_eq!(bunny["name"], "Big Buck Bunny.mp4");
        assert_eq!(bunny["size"], 2_621_447);
        assert_eq!(v["summary"]["dead"], 2 + 289);
        // The text report: one line each and the summary.
        let o = e.run(&["check", &file]).await;
        let out = stdout(&o);
        assert!(out.contains("blocked       https://k2s.cc/f/blocked000001/p2.zip  blocked by the abuse system"), "{out}");
        assert!(out.lines().any(|l| l.starts_with("alive") && l.contains("Big Buck Bunny.mp4  2.5 MiB")), "{out}");
        assert!(out.contains("300 links (300 distinct): 3 alive, 291 dead, 1 blocked, 2 premium only, 3 private"), "{out}");
    }
}

shaped! {
    async fn check_needs_no_login_and_reads_stdin(shape) {
        let e = env(shape).await;
        let post = format!(
            "https://k2s.cc/file/{}/Big.mp4 https://k2s.cc/file/{} https://k2s.cc/file/{} https://k2s.cc/f/{} \
             https://k2s.cc/file/{}",
            ids::VIDEO_BUNNY, ids::BLOCKED, dead_ids::KEPT, ids::PREMIUM_ALBUM, ids::PRIVATE_NOTES
        );
        let mut c = k2s_cmd(&e.server.api_url(), e.dir.path(), &["--json", "check", "-"]);
        c.env_remove("K2S_ACCESS_TOKEN").stdin(std::process::Stdio::piped());
        let o = tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut child = c.spawn().unwrap();
            child.stdin.take().unwrap().write_all(post.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let st = states(&json(&o));
        assert_eq!(st[ids::VIDEO_BUNNY], "alive");
        assert_eq!(st[ids::BLOCKED], "blocked", "told from a deleted file by getFileStatus");
        assert_eq!(st[dead_ids::KEPT], "dead");
        let v = json(&o);
        let kept = v["links"].as_array().unwrap().iter().find(|r| r["id"] == dead_ids::KEPT).unwrap();
        assert_eq!(kept["reason"], "deleted from storage", "getFilesInfo's red-abuse shape, then 406 20");
        assert_eq!(st[ids::PREMIUM_ALBUM], "premium_only");
        // Others can't tell a private file from a deleted one.
        assert_eq!(st[ids::PRIVATE_NOTES], "dead");
        // All alive: exit 0.
        let file = e.write("ok.txt", &format!("https://k2s.cc/file/{}", ids::README));
        let o = e.run_as(None, &["check", &file]).await;
        assert!(ok(&o).contains("1 links (1 distinct): 1 alive, 0 dead"), "{}", stdout(&o));
    }
}

shaped! {
    async fn a_repaired_post_has_new_links_that_work(shape) {
        let e = env(shape).await;
        let local = e.dir.path().join("mine");
        std::fs::create_dir_all(local.join("sub")).unwrap();
        for (id, at) in [(dead_ids::KEPT, local.clone()), (dead_ids::GONE, local.join("sub"))] {
            std::fs::write(at.join(dead_name(id).unwrap()), dead_body(id).unwrap()).unwrap();
        }
        let post = format!(
            "[url=https://k2s.cc/file/{kept}/old-holiday.mp4]Holiday[/url]\n\
             <a href=\"https://keep2share.cc/f/{gone}/lost-notes.txt\">notes</a>\n\
             again https://k2s.cc/file/{kept}/old-holiday.mp4\n\
             alive https://k2s.cc/file/{bunny}\n\
             nameless https://k2s.cc/file/gonenoname001\n",
            kept = dead_ids::KEPT, gone = dead_ids::GONE, bunny = ids::VIDEO_BUNNY
        );
        let file = e.write("post.txt", &post);
        let uploads = e.server.upload_bodies();
        let o = e.run(&["--json", "check", &file, "--repair", "--from", local.to_str().unwrap(), "--rewrite"]).await;
        assert_eq!(o.status.code(), Some(1), "the nameless dead link stays dead\n{}", stderr(&o));
        let v = json(&o);
        let rep: HashMap<String, Value> = v["repaired"].as_array().unwrap().iter()
            .map(|r| (r["old"].as_str().unwrap().to_string(), r.clone())).collect();
        assert_eq!(rep[dead_ids::KEPT]["how"], "created again by hash", "{v}");
        assert_eq!(rep[dead_ids::GONE]["how"], "uploaded", "{v}");
        assert!(rep["gonenoname001"]["new"].is_null());
        assert_eq!(e.server.upload_bodies() - uploads, 1, "only the lost content is sent");
        let kept_new = rep[dead_ids::KEPT]["new"].as_str().unwrap().to_string();
        let gone_new = rep[dead_ids::GONE]["new"].as_str().unwrap().to_string();
        for (new, old) in [(&kept_new, dead_ids::KEPT), (&gone_new, dead_ids::GONE)] {
            let f = e.server.file(new).expect("the new file");
            assert_eq!(f.name, dead_name(old).unwrap());
            assert_eq!(f.md5, k2s::md5sum::Md5::hex_of(&dead_body(old).unwrap()));
        }
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text,
            post.replace(dead_ids::KEPT, &kept_new).replace(dead_ids::GONE, &gone_new),
            "the same forms, the new ids"
        );
        // The repaired post checks alive but for the nameless link, also for others.
        let o = e.run_as(None, &["--json", "check", &file]).await;
        let st = states(&json(&o));
        assert_eq!(st[&kept_new], "alive");
        assert_eq!(st[&gone_new], "alive");
        assert_eq!(st["gonenoname001"], "dead");
        // --repair without --from, and --rewrite of stdin, are usage errors.
        let o = e.run(&["check", &file, "--repair"]).await;
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("--from DIR"), "{}", stderr(&o));
        let o = e.run(&["check", "--repair", "--from", "x", "--rewrite"]).await;
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
}

shaped! {
    async fn link_formats_builtin_template_and_named(shape) {
        let e = env(shape).await;
        let bunny = format!("https://k2s.cc/file/{}/Big%20Buck%20Bunny.mp4", ids::VIDEO_BUNNY);
        let o = e.run(&["link", ids::VIDEO_BUNNY, "/Movies/Sintel.mkv", "--format", "bbcode"]).await;
        assert_eq!(
            ok(&o),
            format!(
                "[url={bunny}]Big Buck Bunny.mp4[/url] (2.5 MiB, 9:56, 1920x1080)\n\
                 [url=https://k2s.cc/file/{}/Sintel.mkv]Sintel.mkv[/url] (1.0 MiB, 14:48, 1280x544)\n",
                ids::VIDEO_SINTEL_PREMIUM
            )
        );
        let o = e.run(&["link", ids::VIDEO_BUNNY]).await;
        assert_eq!(ok(&o), format!("{bunny}\n"), "plain by default");
        let o = e.run(&["link", ids::VIDEO_BUNNY, "--format", "{name}|{bytes}|{title}|{tags}|{folder}|{md5}"]).await;
        let md5 = e.server.file(ids::VIDEO_BUNNY).unwrap().md5;
        assert_eq!(
            ok(&o),
            format!("Big Buck Bunny.mp4|2621447|Big Buck Bunny|bunny, open-movie, video_k2s|/Movies|{md5}\n")
        );
        let o = e.run(&["link", ids::VIDEO_BUNNY, "--format", "[url={link}]{nmae}[/url]"]).await;
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("unknown placeholder {nmae}"), "{}", stderr(&o));
        let o = e.run(&["link", ids::VIDEO_BUNNY, "--format", "forum"]).await;
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("unknown link format \"forum\""), "{}", stderr(&o));
        std::fs::write(
            e.dir.path().join("config.toml"),
            "link_format = \"forum\"\n[link_formats]\nforum = { item = \"{name}: {link}\", header = \"[b]{count} files, {total}[/b]\", footer = \"-- end\" }\n",
        )
        .unwrap();
        let o = e.run(&["link", ids::VIDEO_BUNNY, ids::README]).await;
        assert_eq!(
            ok(&o),
            format!(
                "[b]2 files, 2.5 MiB[/b]\nBig Buck Bunny.mp4: {bunny}\nREADME.txt: https://k2s.cc/file/{}/README.txt\n-- end\n",
                ids::README
            )
        );
        let o = e.run(&["--json", "link", ids::VIDEO_BUNNY, "--format", "html"]).await;
        let v = json(&o);
        assert_eq!(v[0]["link"], bunny);
        assert_eq!(v[0]["text"], format!("<a href=\"{bunny}\">Big Buck Bunny.mp4</a> (2.5 MiB, 9:56, 1920x1080)"));
    }
}

/// A flaky server: getFilesInfo and getFileStatus are reads and retried, so the report is whole.
#[tokio::test]
async fn check_rides_out_a_flaky_server() {
    let e = env(Shapes::Live).await;
    let mut post = String::new();
    for (i, (id, _)) in seeded().into_iter().enumerate() {
        post.push_str(&format!("{}\n", link_form(i, id)));
    }
    let file = e.write("post.txt", &post);
    e.server.set_faults(Faults {
        fail_rate: 0.3,
        ..Faults::default()
    });
    let o = e.run(&["--json", "check", &file]).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let st = states(&json(&o));
    for (id, want) in seeded() {
        assert_eq!(st[id], want, "{id}");
    }
}
