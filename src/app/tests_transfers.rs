//! The transfer pane's update logic on messages alone: engine events -> rows, keys -> effects,
//! dialogs, captchas, and the quit confirmation.

use super::tests_update::{browsing, code, ctrl, key, typing};
use super::transfers::forms::Form;
use super::transfers::{CaptchaPrompt, Command, TransferEffect, TransferMsg};
use super::*;
use crate::transfer::{
    Aggregate, Direction, DownloadFolderSpec, DownloadSpec, Event, Outcome, ProgressUpdate, Spec,
    State as TState, TransferId, TransferView, UploadSpec,
};
use ratatui::crossterm::event::KeyCode;
use std::path::PathBuf;
use std::time::Duration;

pub(super) fn view(id: u64, name: &str, dir: Direction, state: TState) -> TransferView {
    let spec = match dir {
        Direction::Upload => Spec::Upload(UploadSpec {
            path: PathBuf::from(format!("/tmp/{name}")),
            parent: "/".into(),
            access: None,
            skip_existing: false,
            hash: None,
            attempted: false,
        }),
        _ => Spec::Download(DownloadSpec {
            skip_existing: false,
            file_id: format!("f{id}"),
            dir: PathBuf::from("/tmp"),
            connections: 4,
            name: Some(name.into()),
            size: Some(1000),
            md5: None,
            remote_name: None,
        }),
    };
    TransferView {
        id: TransferId(id),
        direction: dir,
        name: name.into(),
        state,
        detail: None,
        done: 0,
        total: Some(1000),
        speed: 0.0,
        eta: None,
        outcome: None,
        parent: None,
        spec,
        attempts: 0,
    }
}

fn events(s: &mut State, evs: Vec<Event>) -> Vec<Effect> {
    update(s, Msg::Transfer(TransferMsg::Events(evs)))
}

fn transfer_fx(fx: &[Effect]) -> Vec<TransferEffect> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Transfer(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn names(s: &State) -> Vec<String> {
    s.transfers.rows.list.iter().map(|v| v.name.clone()).collect()
}

/// Browsing, with two transfers in the focused pane: a running download and a failed upload.
fn with_rows() -> State {
    let mut s = browsing();
    let mut run = view(1, "movie.mkv", Direction::Download, TState::Running);
    run.done = 250;
    let failed = view(
        2,
        "notes.md",
        Direction::Upload,
        TState::Failed("disk full".into()),
    );
    events(&mut s, vec![Event::Added(run), Event::Added(failed)]);
    update(&mut s, ctrl('t'));
    assert_eq!(s.focus, Pane::Transfers);
    s
}

#[test]
fn the_engine_is_started_once_when_browsing_starts() {
    let mut s = super::tests_update::new_state();
    let fx = start(&mut s, true, None);
    let mut fx2 = update(&mut s, Msg::Resize(100, 30));
    fx2.extend(fx);
    assert_eq!(transfer_fx(&fx2), vec![TransferEffect::Start]);
    let fx3 = update(&mut s, Msg::Resize(120, 30));
    assert!(transfer_fx(&fx3).is_empty(), "only once");
    // The login screen: not before the browse view is up.
    let mut s = super::tests_update::new_state();
    start(&mut s, false, None);
    let fx = update(&mut s, Msg::Resize(100, 30));
    assert!(transfer_fx(&fx).is_empty());
}

#[test]
fn events_make_rows() {
    let mut s = browsing();
    assert!(!s.panes.transfers);
    let a = view(1, "a.bin", Direction::Download, TState::Queued);
    let b = view(2, "b.bin", Direction::Upload, TState::Queued);
    events(&mut s, vec![Event::Added(a.clone()), Event::Added(b)]);
    assert!(s.panes.transfers, "the pane shows itself for new transfers");
    assert_eq!(names(&s), ["a.bin", "b.bin"]);

    let mut running = a.clone();
    running.state = TState::Running;
    events(
        &mut s,
        vec![
            Event::Updated(running),
            Event::Progress {
                items: vec![ProgressUpdate {
                    id: TransferId(1),
                    done: 500,
                    total: Some(1000),
                    speed: 100.0,
                    eta: Some(Duration::from_secs(5)),
                }],
                aggregate: Aggregate::default(),
            },
        ],
    );
    let r = &s.transfers.rows.list[0];
    assert_eq!((r.state.clone(), r.done, r.speed), (TState::Running, 500, 100.0));
    let t = s.transfers.rows.totals();
    assert_eq!((t.active, t.queued), (1, 1));
    // 500 left of the running one, 1000 of the queued one, at 100 B/s.
    assert_eq!(t.eta, Some(Duration::from_secs(15)));

    events(&mut s, vec![Event::Order(vec![TransferId(2), TransferId(1)])]);
    assert_eq!(names(&s), ["b.bin", "a.bin"]);
    events(&mut s, vec![Event::Removed(TransferId(2))]);
    assert_eq!(names(&s), ["a.bin"]);
    // Updated for an id not seen yet: added.
    events(
        &mut s,
        vec![Event::Updated(view(
            9,
            "late",
            Direction::Remote,
            TState::Checking,
        ))],
    );
    assert_eq!(names(&s), ["a.bin", "late"]);
}

#[test]
fn restored_finished_transfers_do_not_open_the_pane() {
    let mut s = browsing();
    events(
        &mut s,
        vec![Event::Added(view(1, "old", Direction::Download, TState::Done))],
    );
    assert!(!s.panes.transfers);
    assert_eq!(s.transfers.rows.len(), 1);
}

#[test]
fn the_cursor_stays_on_its_transfer_when_the_order_changes() {
    let mut s = with_rows();
    update(&mut s, key('j'));
    assert_eq!(s.transfers.rows.current().unwrap().name, "notes.md");
    events(&mut s, vec![Event::Order(vec![TransferId(2), TransferId(1)])]);
    assert_eq!(s.transfers.rows.cursor, 0);
    assert_eq!(s.transfers.rows.current().unwrap().name, "notes.md");
    events(&mut s, vec![Event::Removed(TransferId(2))]);
    assert_eq!(s.transfers.rows.current().unwrap().name, "movie.mkv");
}

#[test]
fn pane_keys_send_commands() {
    let mut s = with_rows();
    let id1 = TransferId(1);
    let id2 = TransferId(2);
    let cmd = |s: &mut State, m: Msg| transfer_fx(&update(s, m));
    assert_eq!(
        cmd(&mut s, key('P')),
        [TransferEffect::Command(id1, Command::Pause)]
    );
    assert_eq!(
        cmd(&mut s, key('x')),
        [TransferEffect::Command(id1, Command::Cancel)]
    );
    assert!(
        cmd(&mut s, ctrl('r')).is_empty(),
        "a running transfer is not retried"
    );
    assert_eq!(
        cmd(&mut s, key('J')),
        [TransferEffect::Command(id1, Command::MoveDown)]
    );
    assert_eq!(
        cmd(&mut s, key('K')),
        [TransferEffect::Command(id1, Command::MoveUp)]
    );
    update(&mut s, key('j'));
    assert_eq!(
        cmd(&mut s, ctrl('r')),
        [TransferEffect::Command(id2, Command::Retry)]
    );
    assert!(
        cmd(&mut s, key('P')).is_empty(),
        "a failed one is retried, not resumed"
    );
    assert!(s.status.as_ref().unwrap().text.contains("retries"));
    assert_eq!(
        cmd(&mut s, key('X')),
        [TransferEffect::Command(id2, Command::Remove)]
    );
    assert_eq!(
        cmd(&mut s, key('d')),
        [TransferEffect::Command(id2, Command::Remove)]
    );
    assert_eq!(cmd(&mut s, key('C')), [TransferEffect::ClearFinished]);
    // Paused: P resumes.
    let mut p = view(1, "movie.mkv", Direction::Download, TState::Paused);
    p.done = 250;
    events(&mut s, vec![Event::Updated(p)]);
    update(&mut s, key('k'));
    assert_eq!(
        cmd(&mut s, key('P')),
        [TransferEffect::Command(id1, Command::Resume)]
    );
    // d in the pane never reaches the file list's delete.
    assert!(s.overlays.dialog().is_none());
}

#[test]
fn pane_keys_need_the_pane_focused_and_rebind() {
    let mut s = with_rows();
    update(&mut s, code(KeyCode::Tab)); // back to the tree
    assert_ne!(s.focus, Pane::Transfers);
    let fx = update(&mut s, key('P'));
    assert!(transfer_fx(&fx).is_empty());
    assert!(s.status.as_ref().unwrap().text.contains("transfer pane"));

    let mut map = std::collections::BTreeMap::new();
    map.insert(
        "pause_resume".to_string(),
        crate::config::KeyList::One("Z".into()),
    );
    let mut s = with_rows();
    let map = map
        .into_iter()
        .map(|(k, v)| (k, crate::config::KeymapEntry::Keys(v)))
        .collect();
    s.keymap = Keymap::from_config(&map, &|_, _| None).unwrap();
    assert!(transfer_fx(&update(&mut s, key('P'))).is_empty());
    assert_eq!(
        transfer_fx(&update(&mut s, key('Z'))),
        [TransferEffect::Command(TransferId(1), Command::Pause)]
    );
}

#[test]
fn the_toggle_key_shows_focuses_and_hides_the_pane() {
    let mut s = browsing();
    update(&mut s, ctrl('t'));
    assert!(s.panes.transfers && s.focus == Pane::Transfers);
    update(&mut s, code(KeyCode::Tab));
    assert_ne!(s.focus, Pane::Transfers);
    update(&mut s, ctrl('t'));
    assert_eq!(s.focus, Pane::Transfers);
    update(&mut s, ctrl('t'));
    assert!(!s.panes.transfers);
    assert_eq!(s.focus, Pane::Files);
}

#[test]
fn download_takes_the_selected_files_and_folders() {
    let mut s = browsing();
    // Cursor on the first row (a folder): it is queued as a folder download.
    let fx = update(&mut s, key('w'));
    assert_eq!(
        transfer_fx(&fx),
        [TransferEffect::Download {
            files: vec![],
            folders: vec![("doc".into(), "Documents".into())],
        }]
    );
    assert_eq!(s.status.as_ref().unwrap().text, "queued 1 folder");
    assert!(s.panes.transfers);
    // Select a folder and two files.
    update(&mut s, key(' '));
    update(&mut s, key('j'));
    update(&mut s, key(' '));
    update(&mut s, key(' '));
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Started {
            download_dir: "/home/me/dl".into(),
            persistent: true,
        }),
    );
    let fx = update(&mut s, key('w'));
    match transfer_fx(&fx).as_slice() {
        [TransferEffect::Download { files, folders }] => {
            let ids: Vec<&str> = files.iter().map(|(id, _)| id.as_str()).collect();
            assert_eq!(ids, ["n1", "r1"], "{files:?}");
            assert_eq!(folders, &[("doc".to_string(), "Documents".to_string())]);
        }
        other => panic!("{other:?}"),
    }
    let msg = &s.status.as_ref().unwrap().text;
    assert_eq!(
        msg,
        "queued 2 downloads and 1 folder into /home/me/dl (the folder in /home/me/dl/Documents)"
    );
}

#[test]
fn download_of_files_only_and_of_nothing() {
    let mut s = browsing();
    update(&mut s, key('G')); // zebra.bin
    let fx = update(&mut s, key('w'));
    assert_eq!(
        transfer_fx(&fx),
        [TransferEffect::Download {
            files: vec![("z1".into(), "zebra.bin".into())],
            folders: vec![],
        }]
    );
    assert_eq!(s.status.as_ref().unwrap().text, "queued 1 download");
    // An empty folder: nothing to download, no effect.
    let mut s = browsing();
    let fx = update(&mut s, key('l'));
    let (ticket, _, _) = super::tests_update::files_ticket(&fx).expect("a listing");
    update(
        &mut s,
        Msg::FilesPage {
            ticket,
            offset: 0,
            result: Ok(vec![]),
        },
    );
    let fx = update(&mut s, key('w'));
    assert!(transfer_fx(&fx).is_empty(), "{fx:?}");
    assert_eq!(s.status.as_ref().unwrap().text, "nothing here to download");
}

#[test]
fn a_finished_folder_download_is_announced_and_its_path_copied() {
    let mut s = with_rows();
    let mut v = view(7, "Movies/", Direction::Download, TState::Checking);
    v.spec = Spec::DownloadFolder(DownloadFolderSpec {
        skip_existing: false,
        folder_id: "mov".into(),
        dir: PathBuf::from("/home/me/dl"),
        connections: 4,
        name: Some("Movies".into()),
        foreign: false,
    });
    events(&mut s, vec![Event::Added(v.clone())]);
    v.state = TState::Done;
    v.outcome = Some(Outcome::FolderDownload {
        folder_id: "mov".into(),
        path: PathBuf::from("/home/me/dl/Movies"),
        created: true,
        items: 3,
    });
    let fx = events(&mut s, vec![Event::Updated(v)]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::LoadFiles { .. })),
        "a download changes nothing remotely: {fx:?}"
    );
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "Movies/: folder listed, its files queued"
    );
    update(&mut s, key('G'));
    update(&mut s, code(KeyCode::Enter));
    let text = details_text(&s);
    assert!(
        text.contains("into /home/me/dl/Movies") && text.contains("queued 3 items"),
        "{text}"
    );
    let fx = update(&mut s, key('y'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Copy { text, .. } if text == "/home/me/dl/Movies")),
        "{fx:?}"
    );
}

fn upload_form(s: &State) -> &super::transfers::forms::UploadForm {
    match s.overlays.form() {
        Some(Form::Upload(u)) => u,
        other => panic!("{other:?}"),
    }
}

#[test]
fn upload_dialog_sends_the_paths_into_the_current_folder() {
    let mut s = browsing();
    update(&mut s, key('l')); // into the first folder
    let (folder, path) = (s.list.folder.clone(), s.path());
    assert_ne!(folder, "/");
    update(&mut s, key('u'));
    assert!(s.typing(), "single-letter keys are text now");
    assert_eq!(upload_form(&s).parent_path, path);
    // Enter with nothing typed: an error, no effect.
    assert!(transfer_fx(&update(&mut s, code(KeyCode::Enter))).is_empty());
    assert!(upload_form(&s).error.is_some());
    typing(&mut s, r#"a.txt "my file.txt" ~/b\ c"#);
    let fx = update(&mut s, code(KeyCode::Enter));
    let ticket = match transfer_fx(&fx).as_slice() {
        [
            TransferEffect::Upload {
                ticket,
                paths,
                parent,
            },
        ] => {
            assert_eq!(paths, &["a.txt", "my file.txt", "~/b c"]);
            assert_eq!(parent, &folder);
            *ticket
        }
        other => panic!("{other:?}"),
    };
    // Some were not found: the dialog stays, with the names.
    update(
        &mut s,
        Msg::Transfer(TransferMsg::UploadChecked {
            ticket,
            result: Err(vec!["my file.txt".into()]),
        }),
    );
    assert!(upload_form(&s).error.as_ref().unwrap().contains("my file.txt"));
    let fx = update(&mut s, code(KeyCode::Enter));
    let ticket = match transfer_fx(&fx).as_slice() {
        [TransferEffect::Upload { ticket, .. }] => *ticket,
        other => panic!("{other:?}"),
    };
    // A stale answer is ignored; the right one closes the dialog.
    update(
        &mut s,
        Msg::Transfer(TransferMsg::UploadChecked {
            ticket: ticket + 1000,
            result: Ok(1),
        }),
    );
    assert!(s.overlays.form().is_some());
    update(
        &mut s,
        Msg::Transfer(TransferMsg::UploadChecked {
            ticket,
            result: Ok(3),
        }),
    );
    assert!(s.overlays.form().is_none());
    assert_eq!(
        s.status.as_ref().unwrap().text,
        format!("queued 3 uploads to {path}")
    );
}

#[test]
fn pasted_lines_are_one_path_each() {
    let mut s = browsing();
    update(&mut s, key('u'));
    update(&mut s, Msg::Paste("/tmp/my file.txt\r\n/tmp/other\n".into()));
    let fx = update(&mut s, code(KeyCode::Enter));
    match transfer_fx(&fx).as_slice() {
        [TransferEffect::Upload { paths, .. }] => assert_eq!(paths, &["/tmp/my file.txt", "/tmp/other"]),
        other => panic!("{other:?}"),
    }
}

fn listed(s: &mut State, fx: &[Effect], entries: &[(&str, bool)]) {
    let ticket = match transfer_fx(fx).as_slice() {
        [TransferEffect::ListDir { ticket, .. }] => *ticket,
        other => panic!("{other:?}"),
    };
    let entries = entries.iter().map(|(n, d)| (n.to_string(), *d)).collect();
    update(
        s,
        Msg::Transfer(TransferMsg::Listed {
            ticket,
            result: Ok(entries),
        }),
    );
}

fn line(s: &State) -> String {
    upload_form(s).text.current().value().to_string()
}

#[test]
fn tab_completes_paths() {
    let mut s = browsing();
    update(&mut s, key('u'));
    typing(&mut s, "x.bin ~/Do");
    let fx = update(&mut s, code(KeyCode::Tab));
    match transfer_fx(&fx).as_slice() {
        [TransferEffect::ListDir { dir, .. }] => assert_eq!(dir, "~/"),
        other => panic!("{other:?}"),
    }
    let entries = [
        ("Documents", true),
        ("Downloads", true),
        ("Dotfile", false),
        (".Do-hidden", false),
        ("Music", true),
    ];
    listed(&mut s, &fx, &entries);
    // Three match (not the hidden one): their common prefix is "Do"; they are shown.
    assert_eq!(line(&s), "x.bin ~/Do");
    let shown: Vec<&str> = upload_form(&s)
        .completion
        .shown
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(shown, ["Documents/", "Dotfile", "Downloads/"]);
    // Tab again cycles through them without asking again.
    assert!(transfer_fx(&update(&mut s, code(KeyCode::Tab))).is_empty());
    assert_eq!(line(&s), "x.bin ~/Documents/");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(line(&s), "x.bin ~/Dotfile");
    // Typing ends the cycle; one match completes (a file gets a space after it).
    typing(&mut s, " sp");
    let fx = update(&mut s, code(KeyCode::Tab));
    listed(&mut s, &fx, &[("space name.txt", false), ("other", false)]);
    assert_eq!(line(&s), r"x.bin ~/Dotfile space\ name.txt ");
    // A folder completes with "/", ready for the next Tab.
    typing(&mut s, "Mu");
    let fx = update(&mut s, code(KeyCode::Tab));
    listed(&mut s, &fx, &[("Music", true)]);
    assert_eq!(line(&s), r"x.bin ~/Dotfile space\ name.txt Music/");
    // Nothing matches: said so.
    typing(&mut s, "zz");
    let fx = update(&mut s, code(KeyCode::Tab));
    listed(&mut s, &fx, &[("Music", true)]);
    assert!(
        upload_form(&s)
            .error
            .as_ref()
            .unwrap()
            .contains("nothing matches")
    );
}

#[test]
fn a_listing_for_an_edited_line_is_dropped() {
    let mut s = browsing();
    update(&mut s, key('u'));
    typing(&mut s, "Mu");
    let fx = update(&mut s, code(KeyCode::Tab));
    typing(&mut s, "x");
    listed(&mut s, &fx, &[("Music", true)]);
    assert_eq!(line(&s), "Mux");
}

#[test]
fn remote_upload_takes_urls_one_per_line() {
    let mut s = browsing();
    update(&mut s, key('U'));
    typing(&mut s, "https://example.com/a.zip");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert!(transfer_fx(&fx).is_empty(), "Enter on a line starts the next one");
    typing(&mut s, "ftp://h/b");
    update(&mut s, code(KeyCode::Enter));
    // Enter on the empty line starts them.
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        transfer_fx(&fx),
        [TransferEffect::Remote {
            urls: vec!["https://example.com/a.zip".into(), "ftp://h/b".into()]
        }]
    );
    assert!(s.overlays.form().is_none());
    // A bad one: the dialog says which line.
    update(&mut s, key('U'));
    update(&mut s, Msg::Paste("https://ok.example/x\nnot a url\n".into()));
    let fx = update(&mut s, ctrl('s'));
    assert!(transfer_fx(&fx).is_empty());
    match s.overlays.form() {
        Some(Form::Remote(r)) => assert!(r.error.as_ref().unwrap().contains("line 2"), "{r:?}"),
        other => panic!("{other:?}"),
    }
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.form().is_none());
}

#[test]
fn share_links_and_ids_are_downloaded_with_capital_w() {
    let mut s = with_rows();
    update(&mut s, key('W'));
    assert!(matches!(s.overlays.form().cloned(), Some(Form::Links(_))));
    update(
        &mut s,
        Msg::Paste("https://k2s.cc/file/abc123def/movie.mkv\nk2s.cc/file/zzz999yyy\nabc123def\n".into()),
    );
    let fx = update(&mut s, ctrl('s'));
    let ids = |v: &[&str]| {
        v.iter()
            .map(|i| (i.to_string(), i.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        transfer_fx(&fx),
        [TransferEffect::Download {
            files: ids(&["abc123def", "zzz999yyy"]),
            folders: Vec::new(),
        }],
        "one download per file, the repeated one once"
    );
    assert!(s.overlays.form().is_none());
    assert!(s.panes.transfers);
    // Something that is neither: the line is named and nothing starts.
    update(&mut s, key('W'));
    update(
        &mut s,
        Msg::Paste("abc123def\nhttps://example.com/folder/x\n".into()),
    );
    let fx = update(&mut s, ctrl('s'));
    assert!(transfer_fx(&fx).is_empty());
    match s.overlays.form() {
        Some(Form::Links(r)) => assert!(r.error.as_ref().unwrap().contains("line 2"), "{r:?}"),
        other => panic!("{other:?}"),
    }
    update(&mut s, code(KeyCode::Esc));
    assert!(s.overlays.form().is_none());
}

fn quits(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Quit))
}

#[test]
fn quitting_with_active_transfers_asks_first() {
    let mut s = with_rows();
    // q: asked, not quit.
    assert!(!quits(&update(&mut s, key('q'))));
    assert!(matches!(s.overlays.form().cloned(), Some(Form::Quit(q)) if q.unfinished == 1));
    // n stays.
    assert!(!quits(&update(&mut s, key('n'))));
    assert!(s.overlays.form().is_none());
    // Ctrl-c asks too, and a second Ctrl-c quits.
    assert!(!quits(&update(&mut s, ctrl('c'))));
    assert!(s.overlays.form().is_some());
    assert!(quits(&update(&mut s, ctrl('c'))));

    let mut s = with_rows();
    update(&mut s, key('q'));
    assert!(quits(&update(&mut s, key('y'))));
    let mut s = with_rows();
    update(&mut s, key('q'));
    assert!(!quits(&update(&mut s, code(KeyCode::Enter))), "Enter is on Stay");
    update(&mut s, key('q'));
    update(&mut s, code(KeyCode::Left));
    assert!(quits(&update(&mut s, code(KeyCode::Enter))));
}

#[test]
fn quitting_without_active_transfers_does_not_ask() {
    let mut s = with_rows();
    let mut paused = view(1, "movie.mkv", Direction::Download, TState::Paused);
    paused.done = 10;
    events(&mut s, vec![Event::Updated(paused)]);
    assert!(quits(&update(&mut s, key('q'))));
    let mut s = browsing();
    assert!(quits(&update(&mut s, ctrl('c'))));
}

fn prompt(id: u64) -> CaptchaPrompt {
    CaptchaPrompt {
        id: TransferId(id),
        challenge: format!("ch{id}"),
        image_url: "http://x/captcha.png".into(),
        picture: None,
        note: Some("no image".into()),
        last_wrong: false,
    }
}

#[test]
fn captchas_are_asked_and_answered() {
    let mut s = with_rows();
    update(&mut s, Msg::Transfer(TransferMsg::Captcha(prompt(1))));
    match s.overlays.form() {
        Some(Form::Captcha(c)) => assert_eq!((c.prompt.id, c.name.as_str()), (TransferId(1), "movie.mkv")),
        other => panic!("{other:?}"),
    }
    // Typing goes to the answer, not to the keymap (x would cancel).
    typing(&mut s, "x7k ");
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        transfer_fx(&fx),
        [TransferEffect::AnswerCaptcha {
            id: TransferId(1),
            answer: Some("x7k".into())
        }]
    );
    assert!(s.overlays.form().is_none());
    // Esc gives up.
    update(&mut s, Msg::Transfer(TransferMsg::Captcha(prompt(1))));
    let fx = update(&mut s, code(KeyCode::Esc));
    assert_eq!(
        transfer_fx(&fx),
        [TransferEffect::AnswerCaptcha {
            id: TransferId(1),
            answer: None
        }]
    );
}

#[test]
fn a_captcha_waits_for_the_open_dialog_and_goes_with_its_transfer() {
    let mut s = with_rows();
    update(&mut s, key('U'));
    update(&mut s, Msg::Transfer(TransferMsg::Captcha(prompt(1))));
    update(&mut s, Msg::Transfer(TransferMsg::Captcha(prompt(2))));
    assert!(matches!(s.overlays.form().cloned(), Some(Form::Remote(_))));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.overlays.form().and_then(Form::captcha_id), Some(TransferId(1)));
    // Transfer 1 is cancelled meanwhile: its captcha goes, the next one comes.
    events(
        &mut s,
        vec![Event::Updated(view(
            1,
            "movie.mkv",
            Direction::Download,
            TState::Cancelled,
        ))],
    );
    update(&mut s, Msg::Tick);
    assert_eq!(s.overlays.form().and_then(Form::captcha_id), Some(TransferId(2)));
    // Ctrl-c while a captcha is open (q would be typed): it comes back after "stay".
    let mut running = view(1, "movie.mkv", Direction::Download, TState::Running);
    running.done = 1;
    events(&mut s, vec![Event::Updated(running)]);
    update(&mut s, ctrl('c'));
    assert!(matches!(s.overlays.form().cloned(), Some(Form::Quit(_))));
    update(&mut s, key('n'));
    assert_eq!(s.overlays.form().and_then(Form::captcha_id), Some(TransferId(2)));
}

#[test]
fn a_finished_upload_into_this_folder_reloads_it() {
    let mut s = with_rows();
    let mut up = view(3, "new.txt", Direction::Upload, TState::Running);
    events(&mut s, vec![Event::Added(up.clone())]);
    up.state = TState::Done;
    up.outcome = Some(Outcome::Uploaded {
        file_id: "nf".into(),
        link: "https://k2s.cc/file/nf/new.txt".into(),
        deduplicated: false,
    });
    let fx = events(&mut s, vec![Event::Updated(up)]);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadFiles { req, .. } if req.parent == "/")),
        "{fx:?}"
    );
    assert!(s.status.as_ref().unwrap().text.contains("new.txt: done"));
    // y in the pane copies its link.
    update(&mut s, key('G'));
    let fx = update(&mut s, key('y'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Copy { text, .. } if text == "https://k2s.cc/file/nf/new.txt"))
    );
    // A failure says why.
    let failed = view(4, "bad.bin", Direction::Download, TState::Running);
    events(&mut s, vec![Event::Added(failed.clone())]);
    let mut f2 = failed;
    f2.state = TState::Failed("md5 mismatch".into());
    events(&mut s, vec![Event::Updated(f2)]);
    let st = s.status.as_ref().unwrap();
    assert_eq!(
        (st.level, st.text.as_str()),
        (Level::Error, "bad.bin: md5 mismatch")
    );
}

#[test]
fn the_download_form_takes_every_link_form_files_and_folders() {
    let lines: Vec<String> = [
        "https://k2s.cc/file/abc123def4567/name.zip https://k2s.cc/f/abc123def4567",
        "keep2share.cc/folder/fold3r000001/My%20Folder",
        "  id00000000001  ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let ids = crate::app::transfers::forms::file_ids(&lines).unwrap();
    assert_eq!(ids, vec!["abc123def4567", "fold3r000001", "id00000000001"]);
    let err = crate::app::transfers::forms::file_ids(&["ok0000000001 not/a link!".to_string()]).unwrap_err();
    assert!(err.contains("line 1") && err.contains("not/a"), "{err}");
}

#[test]
fn a_queue_that_is_not_saved_says_so_as_soon_as_something_is_queued() {
    let mut s = browsing();
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Started {
            download_dir: "/home/me/dl".into(),
            persistent: false,
        }),
    );
    assert!(s.status.is_none() || !s.status.as_ref().unwrap().text.contains("not saved"));
    let a = view(1, "a.bin", Direction::Download, TState::Queued);
    events(&mut s, vec![Event::Added(a)]);
    let st = s.status.as_ref().expect("a warning");
    assert!(
        st.text.contains("not saved") && st.text.contains("another k2s"),
        "{}",
        st.text
    );
    // Once: the next transfer does not repeat it over what the status line says then.
    s.info("something else");
    let b = view(2, "b.bin", Direction::Download, TState::Queued);
    events(&mut s, vec![Event::Added(b)]);
    assert_eq!(s.status.as_ref().unwrap().text, "something else");
    // A saved queue never warns.
    let mut s = browsing();
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Started {
            download_dir: "/home/me/dl".into(),
            persistent: true,
        }),
    );
    events(
        &mut s,
        vec![Event::Added(view(
            1,
            "a.bin",
            Direction::Download,
            TState::Queued,
        ))],
    );
    assert!(s.status.as_ref().is_none_or(|st| !st.text.contains("not saved")));
}

#[test]
fn a_finished_folder_upload_says_what_it_left_out() {
    let mut s = browsing();
    let mut v = view(9, "photos/", Direction::Upload, TState::Running);
    v.spec = Spec::UploadFolder(crate::transfer::FolderSpec {
        path: PathBuf::from("/home/me/photos"),
        parent: "elsewhere".into(),
        access: None,
        skip_existing: false,
    });
    events(&mut s, vec![Event::Added(v.clone())]);
    v.state = TState::Done;
    v.outcome = Some(Outcome::Folder {
        folder_id: "x".into(),
        created: true,
        items: 3,
        skipped: vec![
            crate::transfer::LocalSkip {
                path: PathBuf::from("/home/me/photos/pipe"),
                reason: "a FIFO".into(),
            },
            crate::transfer::LocalSkip {
                path: PathBuf::from("/home/me/photos/gone"),
                reason: "a dangling link".into(),
            },
        ],
    });
    events(&mut s, vec![Event::Updated(v)]);
    let text = &s.status.as_ref().unwrap().text;
    assert!(text.contains("2 items left out"), "{text}");
    // Enter on the row names them.
    update(&mut s, ctrl('t'));
    update(&mut s, code(KeyCode::Enter));
    let text = details_text(&s);
    assert!(text.contains("left out /home/me/photos/pipe (a FIFO)"), "{text}");
    assert!(text.contains("gone (a dangling link)"), "{text}");
}

/// The details overlay Enter opened on a transfer, as "label text" lines.
fn details_text(s: &State) -> String {
    let Some(Form::Details(d)) = s.overlays.form() else {
        panic!("no details open: {:?}", s.overlays);
    };
    let v = s.transfers.rows.get(d.id).expect("the transfer");
    crate::app::transfers::story::story(s, v)
        .into_iter()
        .map(|(k, t)| format!("{k} {t}"))
        .collect::<Vec<_>>()
        .join("\n")
}
