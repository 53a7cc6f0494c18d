//! Snapshots of the transfer pane and its dialogs on ratatui's TestBackend (text only; the
//! monochrome theme so that attributes do not matter).

use crate::api::FileItem;
use crate::app::transfers::forms::Form;
use crate::app::transfers::{CaptchaPrompt, TransferMsg};
use crate::app::{Msg, State, update};
use crate::transfer::{
    Direction, DownloadSpec, Event, FolderSpec, Outcome, ProgressUpdate, RemoteSpec, Spec, State as TState,
    TransferId, TransferView, UploadSpec,
};
use crate::ui::tests_support::root_with;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::time::Duration;

fn render(state: &State) -> String {
    render_with(state, &crate::ui::pictures::Pictures::default())
}

fn render_with(state: &State, pictures: &crate::ui::pictures::Pictures) -> String {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| crate::ui::draw_with(f, state, pictures))
        .expect("draw");
    t.backend().to_string()
}

fn key(s: &mut State, c: char) {
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
}
fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) {
    update(s, Msg::Key(KeyEvent::new(code, mods)));
}
fn typing(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

fn file(id: &str, name: &str) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(false),
        is_available: Some(true),
        size: Some(1234),
        ..FileItem::default()
    }
}

/// The root with alpha.txt and beta.bin, in a `w` x `h` terminal.
fn root(w: u16, h: u16) -> State {
    root_with(w, h, vec![file("a1", "alpha.txt"), file("b2", "beta.bin")])
}

fn view(id: u64, name: &str, direction: Direction, state: TState) -> TransferView {
    let spec = match direction {
        Direction::Upload => Spec::Upload(UploadSpec {
            path: PathBuf::from(name),
            parent: "/".into(),
            access: None,
            skip_existing: false,
            hash: None,
            attempted: false,
        }),
        Direction::Download => Spec::Download(DownloadSpec {
            skip_existing: false,
            file_id: format!("f{id}"),
            dir: PathBuf::from("/tmp"),
            connections: 4,
            name: Some(name.into()),
            size: None,
            md5: None,
            remote_name: None,
        }),
        Direction::Remote => Spec::Remote(RemoteSpec {
            url: name.into(),
            wait: true,
            remote_id: None,
        }),
    };
    TransferView {
        id: TransferId(id),
        direction,
        name: name.into(),
        state,
        detail: None,
        done: 0,
        total: None,
        speed: 0.0,
        eta: None,
        outcome: None,
        parent: None,
        spec,
        attempts: 0,
    }
}

/// A queue with every kind of row: CJK and emoji names, a failure with its reason, a
/// countdown, a folder with a child, done, paused, queued.
fn queue() -> Vec<TransferView> {
    let mut running = view(1, "映画 🎬 夏.mkv", Direction::Download, TState::Running);
    running.total = Some(734_003_200);
    running.done = 367_001_600;
    running.speed = 12_582_912.0;
    running.eta = Some(Duration::from_secs(29));
    let failed = view(
        2,
        "report.pdf",
        Direction::Upload,
        TState::Failed("the service refused the file: quota exceeded (code 10)".into()),
    );
    let mut wait = view(3, "free-file.zip", Direction::Download, TState::Checking);
    wait.detail = Some("free download: waiting 27s".into());
    let mut folder = view(4, "写真 Photos/", Direction::Upload, TState::Done);
    folder.spec = Spec::UploadFolder(FolderSpec {
        path: PathBuf::from("写真 Photos"),
        parent: "/".into(),
        access: None,
        skip_existing: false,
    });
    folder.outcome = Some(Outcome::Folder {
        folder_id: "x".into(),
        created: true,
        items: 1,
        skipped: Vec::new(),
    });
    let mut child = view(5, "IMG_0001 😀.jpg", Direction::Upload, TState::Hashing);
    child.parent = Some(TransferId(4));
    child.total = Some(4_194_304);
    child.done = 1_048_576;
    let mut done = view(6, "notes.md", Direction::Download, TState::Done);
    done.total = Some(2048);
    done.done = 2048;
    let mut paused = view(7, "backup.tar", Direction::Upload, TState::Paused);
    paused.total = Some(10 << 30);
    paused.done = 3 << 30;
    let remote = view(
        8,
        "https://example.com/video.mp4",
        Direction::Remote,
        TState::Queued,
    );
    vec![running, failed, wait, folder, child, done, paused, remote]
}

fn with_queue(w: u16, h: u16) -> State {
    let mut s = root(w, h);
    let evs = queue().into_iter().map(Event::Added).collect();
    update(&mut s, Msg::Transfer(TransferMsg::Events(evs)));
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Events(vec![Event::Progress {
            items: vec![ProgressUpdate {
                id: TransferId(1),
                done: 367_001_600,
                total: Some(734_003_200),
                speed: 12_582_912.0,
                eta: Some(Duration::from_secs(29)),
            }],
            aggregate: Default::default(),
        }])),
    );
    s
}

#[test]
fn transfer_pane_rows() {
    let mut s = with_queue(120, 30);
    assert!(s.panes.transfers, "shown by the new transfers");
    press(&mut s, KeyCode::Char('t'), KeyModifiers::CONTROL);
    press(&mut s, KeyCode::Down, KeyModifiers::NONE);
    let out = render(&s);
    assert!(
        out.contains("映画 🎬 夏.mkv") && out.contains("quota exceeded"),
        "{out}"
    );
    assert!(
        out.contains("⇅ 3 active"),
        "the aggregate in the status bar:\n{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn transfer_pane_narrow() {
    let mut s = with_queue(56, 24);
    press(&mut s, KeyCode::Char('t'), KeyModifiers::CONTROL);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn transfer_pane_tiny() {
    for (w, h) in [(20, 6), (30, 8), (12, 3)] {
        let mut s = with_queue(w, h);
        press(&mut s, KeyCode::Char('t'), KeyModifiers::CONTROL);
        let out = render(&s);
        if (w, h) == (30, 8) {
            insta::assert_snapshot!(out);
        }
    }
}

#[test]
fn transfer_pane_empty() {
    let mut s = root(100, 24);
    press(&mut s, KeyCode::Char('t'), KeyModifiers::CONTROL);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn upload_dialog_with_completions() {
    let mut s = root(90, 24);
    key(&mut s, 'u');
    typing(&mut s, r"notes.md ~/Pictures/写真\ 2024/IM");
    let fx = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    let ticket = fx
        .iter()
        .find_map(|e| match e {
            crate::app::Effect::Transfer(crate::app::TransferEffect::ListDir { ticket, .. }) => Some(*ticket),
            _ => None,
        })
        .expect("a listing asked");
    let entries = ["IMG_0001.jpg", "IMG_0002 😀.jpg", "IMG_0003.jpg", "IMPORTED"]
        .iter()
        .map(|n| (n.to_string(), *n == "IMPORTED"))
        .collect();
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Listed {
            ticket,
            result: Ok(entries),
        }),
    );
    insta::assert_snapshot!(render(&s));
}

#[test]
fn remote_dialog_with_an_error() {
    let mut s = root(90, 24);
    key(&mut s, 'U');
    update(
        &mut s,
        Msg::Paste("https://example.com/a.zip\nhttps://example.org/b.iso\nftp//broken\n".into()),
    );
    press(&mut s, KeyCode::Char('s'), KeyModifiers::CONTROL);
    insta::assert_snapshot!(render(&s));
}

/// A small PNG: dark bars on a light background.
fn test_png() -> Vec<u8> {
    let (w, h) = (48u32, 16u32);
    let mut px = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let ink = (x / 4) % 2 == 0 && (4..12).contains(&y);
            px.push(if ink { 20 } else { 235 });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().expect("png header");
    wr.write_image_data(&px).expect("png data");
    drop(wr);
    out
}

#[test]
fn captcha_dialog_shows_the_image_in_half_blocks() {
    let mut s = with_queue(90, 30);
    let picker = ratatui_image::picker::Picker::halfblocks();
    let pictures = crate::ui::pictures::Pictures::default();
    let picture = pictures.encode(&picker, &test_png(), 40, 8).expect("a picture");
    assert!(
        picture.cols <= 40 && picture.rows <= 8 && picture.rows > 0,
        "{picture:?}"
    );
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Captcha(CaptchaPrompt {
            id: TransferId(3),
            challenge: "c".into(),
            image_url: "http://127.0.0.1/captcha?id=c".into(),
            picture: Some(picture),
            note: None,
            last_wrong: false,
        })),
    );
    assert!(matches!(s.overlays.form().cloned(), Some(Form::Captcha(_))));
    typing(&mut s, "AB3");
    let out = render_with(&s, &pictures);
    assert!(
        out.contains('▀') || out.contains('▄'),
        "half blocks drawn:\n{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn captcha_dialog_without_an_image() {
    let mut s = with_queue(80, 24);
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Captcha(CaptchaPrompt {
            id: TransferId(3),
            challenge: "c".into(),
            image_url: "http://127.0.0.1/captcha?id=c\u{1b}[31m".into(),
            picture: None,
            note: Some("the image could not be fetched".into()),
            last_wrong: false,
        })),
    );
    insta::assert_snapshot!(render(&s));
}

#[test]
fn quit_confirmation() {
    let mut s = with_queue(80, 24);
    update(
        &mut s,
        Msg::Transfer(TransferMsg::Started {
            download_dir: "/tmp".into(),
            persistent: true,
        }),
    );
    key(&mut s, 'q');
    insta::assert_snapshot!(render(&s));
}
