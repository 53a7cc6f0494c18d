//! How the screen looks: contrast on cursor bars, selection under the cursor, popups over
//! wide characters, the help's size, the details pane's link and the list's video columns.
//! Colours are checked on the buffer's cells; snapshots are text (NO_COLOR theme).

use super::draw;
use crate::api::{Abuse, ExtendedInfo, FileItem, FolderEntry, FoldersList, VideoInfo};
use crate::app::transfers::TransferMsg;
use crate::app::{Effect, Keymap, Msg, Settings, State, start, update};
use crate::text::width;
use crate::theme::{MIN_CONTRAST, Theme, contrast};
use crate::transfer::{Direction, DownloadSpec, Event, Spec, State as TState, TransferId, TransferView};
use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use std::path::PathBuf;

fn frame(state: &State) -> Terminal<TestBackend> {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| draw(f, state)).expect("draw");
    t
}

fn render(state: &State) -> String {
    frame(state).backend().to_string()
}

fn buffer(state: &State) -> Buffer {
    frame(state).backend().buffer().clone()
}

fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) {
    update(s, Msg::Key(KeyEvent::new(code, mods)));
}
fn key(s: &mut State, c: char) {
    press(s, KeyCode::Char(c), KeyModifiers::NONE);
}

fn file(id: &str, name: &str, size: u64, ctype: &str) -> FileItem {
    let at = Utc.with_ymd_and_hms(2024, 1, 5, 10, 0, 0).single();
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(false),
        is_available: Some(true),
        is_available_for_free: Some(true),
        access: Some(crate::api::Access::Public),
        date_created: at,
        size: Some(size),
        md5: Some("0123456789abcdef0123456789abcdef".into()),
        parent_id: None,
        extended_info: Some(ExtendedInfo {
            storage_object: Some("available".into()),
            size: Some(size),
            downloads: Some(3),
            access: Some(crate::api::Access::Public),
            content_type: Some(ctype.into()),
            date_download_last: at,
            ..ExtendedInfo::default()
        }),
        video_info: None,
    }
}

fn folder(id: &str, name: &str) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(true),
        ..FileItem::default()
    }
}

fn blocked(id: &str, name: &str, abuses: usize) -> FileItem {
    let mut f = file(id, name, 204_811, "video/mp4");
    f.is_available = Some(false);
    if let Some(x) = f.extended_info.as_mut() {
        x.abuses = (0..abuses)
            .map(|i| Abuse {
                kind: Some(format!("hash-{i}")),
                projects: vec!["k2s".into(), "publish2.me".into()],
                blocked_to: Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).single(),
            })
            .collect();
    }
    f
}

fn tree() -> FoldersList {
    let e = |id: &str, name: &str| FolderEntry {
        id: id.into(),
        name: name.into(),
        parent_id: Some("/".into()),
        parent_name: None,
    };
    FoldersList {
        folders: vec![e("mov", "Movies"), e("doc", "Documents"), e("pho", "写真 Photos")],
        has_parents: true,
    }
}

fn items() -> Vec<FileItem> {
    let mut gone = file("gone", "gone.txt", 10, "text/plain");
    gone.is_available = Some(false);
    vec![
        folder("mov", "Movies"),
        folder("doc", "Documents"),
        folder("pho", "写真 Photos"),
        file("cjk", "日本語のファイル名.txt", 4321, "text/plain"),
        blocked("bl", "blocked-video.mp4", 1),
        gone,
        file("rdm", "README.txt", 2345, "text/plain"),
        file("zz", "zebra.bin", 99, "application/octet-stream"),
    ]
}

fn listing(fx: &[Effect]) -> u64 {
    fx.iter()
        .find_map(|e| match e {
            Effect::LoadFiles { ticket, .. } => Some(*ticket),
            _ => None,
        })
        .expect("a listing asked")
}

/// The root holding `items` in a `w` x `h` terminal.
fn root_with(w: u16, h: u16, theme: Theme, items: Vec<FileItem>) -> State {
    let settings = Settings {
        demo: true,
        ..Settings::default()
    };
    let mut s = State::new(settings, Keymap::defaults(), theme);
    s.size = (w, h);
    let fx = start(&mut s, true, None);
    let folders = fx.iter().find_map(|e| match e {
        Effect::LoadFolders(t) => Some(*t),
        _ => None,
    });
    update(&mut s, Msg::Folders(folders.unwrap_or(0), Ok(tree())));
    update(
        &mut s,
        Msg::FilesPage {
            ticket: listing(&fx),
            offset: 0,
            result: Ok(items),
        },
    );
    s
}

fn root(w: u16, h: u16, theme: Theme) -> State {
    root_with(w, h, theme, items())
}

fn transfer(id: u64, name: &str, direction: Direction, state: TState) -> TransferView {
    TransferView {
        id: TransferId(id),
        direction,
        name: name.into(),
        state,
        detail: None,
        done: 512,
        total: Some(1024),
        speed: 2048.0,
        eta: None,
        outcome: None,
        parent: None,
        attempts: 0,
        spec: Spec::Download(DownloadSpec {
            skip_existing: false,
            file_id: format!("f{id}"),
            dir: PathBuf::from("/tmp"),
            connections: 4,
            name: Some(name.into()),
            size: None,
            md5: None,
            remote_name: None,
        }),
    }
}

/// A transfer of every state in the pane.
fn with_transfers(s: &mut State) {
    let states = [
        TState::Running,
        TState::Failed("refused: quota exceeded".into()),
        TState::Done,
        TState::Queued,
        TState::Paused,
        TState::Cancelled,
        TState::Checking,
        TState::Hashing,
    ];
    let dirs = [Direction::Upload, Direction::Download, Direction::Remote];
    let evs = states
        .into_iter()
        .enumerate()
        .map(|(i, st)| Event::Added(transfer(i as u64 + 1, &format!("file-{i}.bin"), dirs[i % 3], st)))
        .collect();
    update(s, Msg::Transfer(TransferMsg::Events(evs)));
}

/// The backgrounds of the theme's bars.
fn bar_backgrounds(t: &Theme) -> Vec<Color> {
    [t.cursor, t.cursor_selected, t.cursor_dim, t.range]
        .iter()
        .filter_map(|s| s.bg)
        .collect()
}

/// Every visible character on a bar keeps `MIN_CONTRAST` against it; how many were checked.
fn check_bars(buf: &Buffer, theme: &Theme, what: &str) -> usize {
    let bars = bar_backgrounds(theme);
    let mut checked = 0;
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let Some(cell) = buf.cell((x, y)) else { continue };
            if !bars.contains(&cell.bg) || cell.symbol().trim().is_empty() {
                continue;
            }
            let c = contrast(cell.fg, cell.bg);
            assert!(
                c.is_some_and(|c| c >= MIN_CONTRAST),
                "{what}: {:?} at ({x}, {y}) is {:?} on {:?}: contrast {c:?}",
                cell.symbol(),
                cell.fg,
                cell.bg
            );
            checked += 1;
        }
    }
    checked
}

/// Each row of the list under the cursor (and each of the tree and the transfer pane), with
/// the pane focused, without focus and under a popup.
#[test]
fn every_cursor_bar_keeps_its_text_readable() {
    let mut s = root(120, 34, Theme::colored());
    let theme = s.theme.clone();
    // Two files selected, one of them later under the cursor.
    s.list.set_cursor(3);
    key(&mut s, ' ');
    key(&mut s, ' ');
    with_transfers(&mut s);
    assert!(s.panes.transfers, "the pane shows the transfers");
    let mut checked = 0;
    for phase in ["list focused", "tree focused", "sort menu open"] {
        match phase {
            "tree focused" => press(&mut s, KeyCode::Tab, KeyModifiers::NONE),
            "sort menu open" => {
                press(&mut s, KeyCode::BackTab, KeyModifiers::NONE);
                key(&mut s, 's');
            }
            _ => {}
        }
        for i in 0..s.list.len() {
            s.list.set_cursor(i);
            checked += check_bars(&buffer(&s), &theme, &format!("{phase}, list row {i}"));
        }
    }
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    // A range being selected.
    s.list.set_cursor(0);
    key(&mut s, 'v');
    for _ in 0..5 {
        key(&mut s, 'j');
        checked += check_bars(&buffer(&s), &theme, "range");
    }
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    // The tree's cursor on every folder, the current one (`/`) first.
    press(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    for i in 0..4 {
        checked += check_bars(&buffer(&s), &theme, &format!("tree row {i}"));
        key(&mut s, 'j');
    }
    // The transfer pane: every state under the bright and the dim cursor.
    press(&mut s, KeyCode::Char('t'), KeyModifiers::CONTROL);
    for i in 0..8 {
        checked += check_bars(&buffer(&s), &theme, &format!("transfer row {i}"));
        press(&mut s, KeyCode::Tab, KeyModifiers::NONE);
        checked += check_bars(&buffer(&s), &theme, &format!("transfer row {i}, unfocused"));
        press(&mut s, KeyCode::Char('t'), KeyModifiers::CONTROL);
        key(&mut s, 'j');
    }
    assert!(checked > 2000, "only {checked} cells on bars");
}

/// The tree's cursor on `/` (the folder shown) is readable while the list has the focus.
#[test]
fn the_root_stays_visible_under_the_trees_dim_cursor() {
    let s = root(120, 30, Theme::colored());
    let buf = buffer(&s);
    let cell = buf.cell((1, 1)).expect("the tree's first row");
    assert_eq!(cell.symbol(), "/");
    assert_eq!(Some(cell.bg), s.theme.cursor_dim.bg, "the dim bar");
    assert!(contrast(cell.fg, cell.bg).is_some_and(|c| c >= MIN_CONTRAST));
}

/// Selection shows under the cursor: a bar of its own colour and the `*` mark on it.
#[test]
fn a_selected_row_under_the_cursor_shows_that_it_is_selected() {
    let mut s = root(100, 16, Theme::colored());
    s.list.set_cursor(3);
    key(&mut s, ' ');
    key(&mut s, 'k');
    let buf = buffer(&s);
    // Tree 20 wide, the list's border, then the mark column.
    let y = 2 + 3;
    let mark = buf.cell((21, y)).expect("the mark");
    assert_eq!(mark.symbol(), "*", "{}", render(&s));
    assert_eq!(
        Some(mark.bg),
        s.theme.cursor_selected.bg,
        "the selected cursor bar"
    );
    assert_ne!(s.theme.cursor_selected.bg, s.theme.cursor.bg);
    assert!(contrast(mark.fg, mark.bg).is_some_and(|c| c >= MIN_CONTRAST));
    // Without colour: the bar is reversed and bold, the mark on it.
    let mut m = root(100, 16, Theme::monochrome());
    m.list.set_cursor(3);
    key(&mut m, ' ');
    key(&mut m, 'k');
    let buf = buffer(&m);
    let mark = buf.cell((21, y)).expect("the mark");
    assert_eq!(mark.symbol(), "*");
    assert!(mark.modifier.contains(Modifier::REVERSED | Modifier::BOLD));
    insta::assert_snapshot!(render(&m));
}

/// NO_COLOR: no colour anywhere; the cursor is reversed, a dim cursor underlined.
#[test]
fn no_color_draws_bars_with_attributes_only() {
    let mut s = root(120, 34, Theme::monochrome());
    s.list.set_cursor(4);
    key(&mut s, ' ');
    with_transfers(&mut s);
    key(&mut s, 'm');
    let buf = buffer(&s);
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let reversed = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED));
    assert!(reversed.count() > 20, "the picker's cursor is reversed");
    insta::assert_snapshot!(render(&s));
}

/// While a popup with its own cursor is open, the panes' cursors are dim.
#[test]
fn a_popup_dims_the_cursors_behind_it() {
    let mut s = root(120, 30, Theme::colored());
    let t = s.theme.clone();
    s.list.set_cursor(6);
    let row = |buf: &Buffer, y: u16| buf.cell((buf.area.width - 3, y)).map(|c| c.bg);
    // List row 6 is screen row 8 (border, header).
    assert_eq!(row(&buffer(&s), 8), t.cursor.bg, "bright before");
    key(&mut s, 's');
    let buf = buffer(&s);
    assert_eq!(row(&buf, 8), t.cursor_dim.bg, "dim under the sort menu");
    let bright = buf.content().iter().filter(|c| Some(c.bg) == t.cursor.bg).count();
    assert!(bright > 0, "the menu's own cursor is bright");
    press(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut s, 'm');
    assert_eq!(row(&buffer(&s), 8), t.cursor_dim.bg, "dim under the move picker");
}

/// What a terminal shows at (x, y): "" where a wide character to the left covers the cell.
fn shown(buf: &Buffer, x: u16, y: u16) -> String {
    let mut hidden_until = 0;
    for i in 0..=x {
        let sym = buf
            .cell((i, y))
            .map(|c| c.symbol().to_string())
            .unwrap_or_default();
        if i == x {
            return if i < hidden_until { String::new() } else { sym };
        }
        if i >= hidden_until {
            hidden_until = i + width(&sym).max(1) as u16;
        }
    }
    String::new()
}

/// At every width the move picker's left border is whole, wide names under it or not.
#[test]
fn popups_keep_their_left_border_over_wide_characters() {
    for w in 60..=130 {
        let mut s = root(w, 20, Theme::monochrome());
        s.list.set_cursor(3);
        key(&mut s, 'm');
        let buf = buffer(&s);
        let (x, top) = (0..w)
            .flat_map(|x| (0..20).map(move |y| (x, y)))
            .find(|&(x, y)| buf.cell((x, y)).is_some_and(|c| c.symbol() == "╭"))
            .expect("the picker's corner");
        for y in top + 1..20 {
            let s = shown(&buf, x, y);
            if s == "╰" {
                break;
            }
            assert_eq!(s, "│", "width {w}, row {y}: {}", render_rows(&buf));
        }
    }
    let mut s = root(80, 20, Theme::monochrome());
    s.list.set_cursor(3);
    key(&mut s, 'm');
    insta::assert_snapshot!(render(&s));
}

fn render_rows(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| shown(buf, x, y)).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The help is as wide as its rows need: nothing cut at 160 columns; a small screen still works.
#[test]
fn help_is_sized_to_its_rows_and_the_screen() {
    let mut s = root(160, 45, Theme::monochrome());
    key(&mut s, '?');
    let buf = buffer(&s);
    let out = render(&s);
    let corner = |sym: &str| {
        buf.content()
            .iter()
            .position(|c| c.symbol() == sym)
            .map(|i| (i % 160) as u16)
            .expect("the help's corners")
    };
    let (left, right) = (corner("╭"), corner("╮"));
    let text: String = (0..45)
        .map(|y| (left..=right).map(|x| shown(&buf, x, y)).collect::<String>())
        .collect();
    assert!(text.contains("go up to the parent folder"), "{out}");
    assert!(!text.contains('…'), "a description was cut:\n{out}");
    insta::assert_snapshot!("help_160x45", out);
    let mut s = root(80, 24, Theme::monochrome());
    key(&mut s, '?');
    insta::assert_snapshot!("help_80x24", render(&s));
}

/// Help rows with sections: headings, filter on the section too.
#[test]
fn help_draws_rows_under_their_sections() {
    use super::help::{HelpRow, draw_rows};
    let row = |section: &str, keys: &str, d: &str| HelpRow {
        section: section.into(),
        keys: keys.into(),
        description: d.into(),
    };
    let rows = vec![
        row("List", "j, Down", "move down"),
        row("List", "k, Up", "move up"),
        row("Transfers", "p", "pause or resume the transfer under the cursor"),
    ];
    let mut s = root(70, 12, Theme::monochrome());
    key(&mut s, '?');
    let help = s.overlays.help().cloned().expect("help open");
    let mut t = Terminal::new(TestBackend::new(70, 12)).expect("test terminal");
    t.draw(|f| draw_rows(f, f.area(), &s, &help, &rows))
        .expect("draw");
    insta::assert_snapshot!(t.backend().to_string());
}

/// A folder of videos.
fn movies(w: u16, h: u16, theme: Theme) -> State {
    let mut s = root(w, h, theme);
    // Movies is the second row (Documents, Movies, 写真 Photos).
    key(&mut s, 'j');
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let items = vec![
        folder("m24", "2024"),
        file("vb", "Big Buck Bunny.mp4", 2_621_447, "video/mp4"),
        blocked(
            "bl",
            "blocked video with a long name, blocked three times over.mp4",
            3,
        ),
        file("si", "Sintel.mkv", 1_048_583, "video/x-matroska"),
    ];
    update(
        &mut s,
        Msg::FilesPage {
            ticket: listing(&fx),
            offset: 0,
            result: Ok(items),
        },
    );
    let ids = vec!["vb".to_string(), "bl".to_string(), "si".to_string()];
    let answer = ids
        .iter()
        .map(|id| FileItem {
            id: id.clone(),
            video_info: Some(VideoInfo {
                duration: Some(596.458),
                width: Some(1920),
                height: Some(1080),
                format: Some("MPEG-4".into()),
                is_streamable: Some(true),
            }),
            ..FileItem::default()
        })
        .collect();
    update(
        &mut s,
        Msg::VideoInfo {
            ids,
            result: Ok(answer),
        },
    );
    s
}

/// At 80x24 the share link of a file with many fields stays on screen.
#[test]
fn details_keep_the_link_on_screen_at_80x24() {
    let mut s = movies(80, 24, Theme::monochrome());
    key(&mut s, 'j');
    key(&mut s, 'j');
    key(&mut s, 'i');
    let out = render(&s);
    assert!(out.contains("https://k2s.cc/file/bl/"), "{out}");
    insta::assert_snapshot!(out);
}

/// At 160x45 with the details open the list keeps the videos' duration and resolution.
#[test]
fn details_open_keeps_the_video_columns_at_160x45() {
    let mut s = movies(160, 45, Theme::monochrome());
    key(&mut s, 'j');
    key(&mut s, 'i');
    let out = render(&s);
    assert!(s.panes.details, "details shown");
    assert!(out.contains("Duration") && out.contains("1920x1080"), "{out}");
    assert!(out.contains("https://k2s.cc/file/vb/"), "{out}");
    insta::assert_snapshot!(out);
}
