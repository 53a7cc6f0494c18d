//! Snapshots of the link-check box (text only, the monochrome theme): the pasted text being
//! edited, the check under way, and each link with its state under the summary.

use crate::app::{Effect, Msg, State, update};
use crate::links::{LinkReport, LinkState};
use crate::ui::tests_support::{render, root_with};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

fn press(s: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

/// The empty root in a 90 x 24 terminal.
fn root() -> State {
    root_with(90, 24, Vec::new())
}

const POST: &str = "[b]My uploads[/b]\n\
    [url=https://k2s.cc/file/video00000001/Big_Buck_Bunny.mp4]Bunny[/url]\n\
    https://keep2share.cc/file/deadkept00001 https://k2s.cc/file/blocked000001\n\
    <a href=\"https://k2s.cc/file/premium000001\">premium</a> k2s.cc/f/private000001\n\
    https://k2s.cc/file/evilname0001";

fn report(
    id: &str,
    state: LinkState,
    name: Option<&str>,
    size: Option<u64>,
    why: Option<&str>,
) -> LinkReport {
    LinkReport {
        id: id.into(),
        state,
        is_folder: false,
        name: name.map(str::to_string),
        size,
        reason: why.map(str::to_string),
    }
}

fn reports() -> HashMap<String, LinkReport> {
    use LinkState::*;
    let bunny = Some("Big Buck Bunny.mp4");
    [
        report("video00000001", Alive, bunny, Some(2_621_440), None),
        report(
            "deadkept00001",
            Dead,
            None,
            None,
            Some("not found (deleted, or private)"),
        ),
        report("blocked000001", Blocked, None, None, Some("blocked")),
        report(
            "premium000001",
            PremiumOnly,
            Some("premium.bin"),
            Some(4096),
            None,
        ),
        report("private000001", Private, None, None, Some("private")),
        report(
            "evilname0001",
            Alive,
            Some("evil\u{1b}[31mred\u{7}.mp4"),
            Some(10),
            None,
        ),
    ]
    .into_iter()
    .map(|r| (r.id.clone(), r))
    .collect()
}

/// The box open with the post pasted; the ticket of the check once Enter was pressed.
fn pasted(enter: bool) -> (State, Option<u64>) {
    let mut s = root();
    press(&mut s, KeyCode::Char('k'), KeyModifiers::CONTROL);
    update(&mut s, Msg::Paste(POST.into()));
    if !enter {
        return (s, None);
    }
    let fx = press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    let ticket = fx.iter().find_map(|e| match e {
        Effect::CheckLinks { ticket, .. } => Some(*ticket),
        _ => None,
    });
    (s, ticket)
}

#[test]
fn the_pasted_text_is_shown_for_editing() {
    let (s, _) = pasted(false);
    insta::assert_snapshot!(render(&s));
}

#[test]
fn the_check_under_way() {
    let (s, ticket) = pasted(true);
    assert!(ticket.is_some(), "Enter checks");
    insta::assert_snapshot!(render(&s));
}

#[test]
fn each_link_with_its_state_and_a_summary() {
    let (mut s, ticket) = pasted(true);
    let ticket = ticket.expect("a check");
    update(
        &mut s,
        Msg::LinksChecked {
            ticket,
            result: Ok(reports()),
        },
    );
    let shown = render(&s);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "server names sanitized"
    );
    insta::assert_snapshot!(shown);
}
