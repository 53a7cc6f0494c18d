//! Snapshots of the health view (text only, the monochrome theme) at 80x24 and 160x45: the
//! sections with their counts, a section's files with their figures, a marked file, the
//! empty section, the no-index note and the question for the days.

use crate::app::finder::IndexMsg;
use crate::app::health::{HealthFile, Problem};
use crate::app::overlay::Overlay;
use crate::app::{Msg, State, update};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::tests_support::{alpha, render, root_with, send};

/// The root with one file, in a `w` x `h` terminal.
fn root(w: u16, h: u16) -> State {
    root_with(w, h, vec![alpha()])
}

fn file(problem: Problem, id: &str, path: &str, size: u64, downloads: u64, last: Option<i64>) -> HealthFile {
    HealthFile {
        problem,
        id: id.into(),
        parent: "/".into(),
        raw_name: path.rsplit('/').next().unwrap_or(path).into(),
        path: path.into(),
        size: Some(size),
        downloads: Some(downloads),
        last_download: last,
        created: Some(1_690_000_000),
    }
}

/// The view opened and answered with `files`.
fn health(w: u16, h: u16, files: Option<Vec<HealthFile>>) -> State {
    let mut s = root(w, h);
    send(&mut s, KeyCode::Char('h'), KeyModifiers::ALT);
    let ticket = match s.overlays.top() {
        Some(Overlay::Health(v)) => v.ticket,
        _ => panic!("the health view is open"),
    };
    let answer = Ok(files.map(Into::into));
    update(&mut s, Msg::Index(IndexMsg::Health { ticket, answer }));
    s
}

fn some_files() -> Vec<HealthFile> {
    let day = 86_400;
    vec![
        file(
            Problem::Blocked,
            "b1",
            "/Movies/2024/Holiday 2024.mp4",
            734_003_200,
            12,
            Some(1_700_000_000),
        ),
        file(
            Problem::Blocked,
            "b2",
            "/Music/a very long folder name indeed/and a long file name too.flac",
            41_000_000,
            3,
            Some(1_700_000_000 + day),
        ),
        file(Problem::Gone, "g1", "/Documents/report.pdf", 120_000, 0, None),
        file(
            Problem::NeverDownloaded,
            "n1",
            "/Documents/never.txt",
            900,
            0,
            None,
        ),
        file(
            Problem::NeverDownloaded,
            "n2",
            "/never again.bin",
            9_000_000,
            0,
            None,
        ),
        file(
            Problem::Inactive,
            "i1",
            "/Archive/old.zip",
            3_000_000_000,
            40,
            Some(1_600_000_000),
        ),
    ]
}

#[test]
fn health_blocked_section_with_a_marked_file_80x24() {
    let mut s = health(80, 24, Some(some_files()));
    send(&mut s, KeyCode::Char(' '), KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn health_never_downloaded_section_160x45() {
    let mut s = health(160, 45, Some(some_files()));
    send(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    send(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    send(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn health_empty_section_80x24() {
    let mut s = health(80, 24, Some(some_files()));
    send(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    send(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn health_without_an_index_160x45() {
    let s = health(160, 45, None);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn health_days_prompt_with_an_error_80x24() {
    let mut s = health(80, 24, Some(some_files()));
    send(&mut s, KeyCode::Char('n'), KeyModifiers::NONE);
    send(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    send(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    send(&mut s, KeyCode::Char('0'), KeyModifiers::NONE);
    send(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    insta::assert_snapshot!(render(&s));
}
