//! The link-check box: paste a forum post (or type links), check every K2S link in it
//! (getFilesInfo, no login needed) and see each link's state with a summary; `y` copies the
//! links readers can no longer get.

use super::actions::Action;
use super::msg::{ApiResult, CopyLabel, Effect, Ticket};
use super::overlay::Overlay;
use super::state::State;
use super::transfers::forms::Lines;
use crate::api::LinkKind;
use crate::links::{LinkReport, LinkState, domains_with, find_links};
use ratatui::crossterm::event::KeyEvent;
use std::collections::{HashMap, HashSet};

/// One distinct link of the text, and its state once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedLink {
    /// The link as it is first written in the text.
    pub link: String,
    pub id: String,
    pub kind: LinkKind,
    /// None until the answer comes (or when the answer did not name it).
    pub report: Option<LinkReport>,
}

impl CheckedLink {
    pub fn state(&self) -> Option<LinkState> {
        self.report.as_ref().map(|r| r.state)
    }
}

#[derive(Debug, Clone, Default)]
pub struct LinkCheck {
    pub text: Lines,
    /// The links found at the last check, in the order of the text.
    pub links: Vec<CheckedLink>,
    /// The check in flight.
    pub checking: Option<Ticket>,
    /// The links were checked (the rows are shown instead of the text).
    pub checked: bool,
    pub error: Option<String>,
    pub scroll: usize,
}

impl LinkCheck {
    /// The text is being edited (printable keys type).
    pub fn editing(&self) -> bool {
        !self.checked && self.checking.is_none()
    }

    /// Whether the key bar offers `a` now: while the text is edited only checking, closing
    /// and help (letters and Backspace type, the arrows move in the text); while the check
    /// runs only closing and help; once checked, everything.
    pub fn offers(&self, a: Action) -> bool {
        match a {
            Action::CopyLinks | Action::Parent | Action::Up | Action::Down => self.checked,
            Action::Submit => self.checking.is_none(),
            _ => true,
        }
    }

    /// The links readers can't get (dead or blocked), as written.
    pub fn lost(&self) -> Vec<&str> {
        self.links
            .iter()
            .filter(|l| l.state().is_some_and(LinkState::is_lost))
            .map(|l| l.link.as_str())
            .collect()
    }

    /// "5 links: 2 alive, 1 dead, 1 blocked, 1 premium only".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let states = [
            LinkState::Alive,
            LinkState::Dead,
            LinkState::Blocked,
            LinkState::PremiumOnly,
            LinkState::Private,
        ];
        for s in states {
            let n = self.links.iter().filter(|l| l.state() == Some(s)).count();
            if n > 0 {
                parts.push(format!("{n} {}", s.as_str()));
            }
        }
        let unknown = self.links.iter().filter(|l| l.report.is_none()).count();
        if unknown > 0 {
            parts.push(format!("{unknown} unknown"));
        }
        let all = super::plural::count(self.links.len(), "link");
        if parts.is_empty() {
            all
        } else {
            format!("{all}: {}", parts.join(", "))
        }
    }
}

/// Open the box (empty), or bring back the one already open.
pub fn open(state: &mut State) {
    if state.overlays.link_check().is_none() {
        state.overlays.open(Overlay::LinkCheck(LinkCheck::default()));
    }
}

/// The distinct links of `text` on the K2S domains (and the configured link domain).
fn distinct_links(state: &State, text: &str) -> Vec<CheckedLink> {
    let domains = domains_with(std::slice::from_ref(&state.settings.link_domain));
    let mut seen = HashSet::new();
    find_links(text, &domains)
        .into_iter()
        .filter(|l| seen.insert(l.id.clone()))
        .map(|l| CheckedLink {
            link: l.text,
            id: l.id,
            kind: l.kind,
            report: None,
        })
        .collect()
}

/// Check the links of the text: one effect, answered by `Msg::LinksChecked`.
fn check(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(text) = state.overlays.link_check().map(|b| b.text.values().join("\n")) else {
        return;
    };
    let links = distinct_links(state, &text);
    if links.is_empty() {
        if let Some(b) = state.overlays.link_check_mut() {
            b.error = Some("no K2S links in the text".into());
        }
        return;
    }
    let ticket = state.track();
    let ask = links.iter().map(|l| (l.id.clone(), l.kind)).collect();
    if let Some(b) = state.overlays.link_check_mut() {
        b.links = links;
        b.checking = Some(ticket);
        b.checked = false;
        b.error = None;
        b.scroll = 0;
    }
    fx.push(Effect::CheckLinks { ticket, links: ask });
}

/// The answer of a check: each link gets its report; a failure is shown in the box.
pub fn on_checked(state: &mut State, ticket: Ticket, result: ApiResult<HashMap<String, LinkReport>>) {
    state.answered(ticket);
    let Some(b) = state.overlays.link_check_mut() else {
        return;
    };
    if b.checking != Some(ticket) {
        return;
    }
    b.checking = None;
    match result {
        Ok(mut reports) => {
            for l in b.links.iter_mut() {
                l.report = reports.remove(&l.id);
            }
            b.checked = true;
        }
        Err(e) => b.error = Some(format!("check failed: {e}")),
    }
}

/// A key in the box: edit the text, check, scroll the rows, copy the lost links, close.
pub fn on_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(b) = state.overlays.link_check_mut() else {
        return;
    };
    let editing = b.editing();
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_link_check();
        }
        Some(Action::Submit) if b.checking.is_none() => check(state, fx),
        Some(Action::CopyLinks) if !editing => copy_lost(state, fx),
        Some(Action::Parent) if !editing && b.checking.is_none() => b.checked = false,
        Some(Action::Up) if !editing => b.scroll = b.scroll.saturating_sub(1),
        Some(Action::Down) if !editing => {
            b.scroll = (b.scroll + 1).min(b.links.len().saturating_sub(1));
        }
        _ if editing => {
            b.error = None;
            b.text.key(key);
        }
        _ => {}
    }
}

/// Pasted text goes into the text (back to editing when the rows were shown).
pub fn on_paste(state: &mut State, raw: &str) {
    let Some(b) = state.overlays.link_check_mut() else {
        return;
    };
    if b.checking.is_some() {
        return;
    }
    if b.checked {
        b.checked = false;
        b.text = Lines::default();
    }
    b.error = None;
    b.text.paste(raw, str::to_string);
}

fn copy_lost(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(b) = state.overlays.link_check() else {
        return;
    };
    let lost = b.lost();
    if lost.is_empty() {
        state.info("no dead or blocked links to copy");
        return;
    }
    let text = lost.join("\n");
    let count = lost.len();
    state.clipboard = Some(text.clone());
    fx.push(Effect::Copy {
        text,
        label: CopyLabel { count, noun: "link" },
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests_update::{browsing, code, ctrl, key};
    use super::super::{Msg, update};
    use super::*;
    use ratatui::crossterm::event::KeyCode;

    const POST: &str = "[url=https://k2s.cc/file/video00000001/bunny.mp4]Bunny[/url]\r\n\
        mirror: https://keep2share.cc/file/deadkept00001 and k2s.cc/file/blocked000001\n\
        again https://k2s.cc/file/video00000001/bunny.mp4, not ours: https://example.com/file/x1";

    pub(crate) fn report(id: &str, state: LinkState, name: Option<&str>, size: Option<u64>) -> LinkReport {
        LinkReport {
            id: id.into(),
            state,
            is_folder: false,
            name: name.map(str::to_string),
            size,
            reason: (state != LinkState::Alive).then(|| "gone".to_string()),
        }
    }

    fn checks(fx: &[Effect]) -> Option<(Ticket, Vec<String>)> {
        fx.iter().find_map(|e| match e {
            Effect::CheckLinks { ticket, links } => {
                Some((*ticket, links.iter().map(|(id, _)| id.clone()).collect()))
            }
            _ => None,
        })
    }

    fn reports() -> HashMap<String, LinkReport> {
        [
            report(
                "video00000001",
                LinkState::Alive,
                Some("bunny.mp4"),
                Some(2_621_440),
            ),
            report("deadkept00001", LinkState::Dead, None, None),
            report("blocked000001", LinkState::Blocked, Some("x.bin"), None),
        ]
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect()
    }

    /// The box open with the post pasted and checked.
    pub(crate) fn checked_box() -> State {
        let mut s = browsing();
        update(&mut s, ctrl('k'));
        update(&mut s, Msg::Paste(POST.into()));
        let fx = update(&mut s, code(KeyCode::Enter));
        let (ticket, _) = checks(&fx).expect("a check");
        let result = Ok(reports());
        update(&mut s, Msg::LinksChecked { ticket, result });
        s
    }

    #[test]
    fn a_pasted_post_is_checked_and_each_link_shown_with_its_state() {
        let mut s = browsing();
        update(&mut s, ctrl('k'));
        assert!(s.overlays.link_check().is_some(), "Ctrl-k opens the box");
        update(&mut s, Msg::Paste(POST.into()));
        let b = s.overlays.link_check().unwrap();
        assert!(b.editing() && b.text.lines.len() == 3, "{:?}", b.text.values());
        let fx = update(&mut s, code(KeyCode::Enter));
        let (ticket, ids) = checks(&fx).expect("Enter checks");
        assert_eq!(
            ids,
            ["video00000001", "deadkept00001", "blocked000001"],
            "distinct, in order"
        );
        assert!(s.busy() > 0, "the spinner turns while checking");
        assert!(!s.overlays.link_check().unwrap().editing());
        update(
            &mut s,
            Msg::LinksChecked {
                ticket: ticket + 99,
                result: Ok(HashMap::new()),
            },
        );
        assert!(
            s.overlays.link_check().unwrap().checking.is_some(),
            "a stale answer is dropped"
        );
        update(
            &mut s,
            Msg::LinksChecked {
                ticket,
                result: Ok(reports()),
            },
        );
        let b = s.overlays.link_check().unwrap();
        assert!(b.checked && b.checking.is_none() && s.busy() == 0);
        let states: Vec<_> = b.links.iter().map(CheckedLink::state).collect();
        use LinkState::*;
        assert_eq!(states, [Some(Alive), Some(Dead), Some(Blocked)]);
        assert_eq!(b.summary(), "3 links: 1 alive, 1 dead, 1 blocked");
    }

    #[test]
    fn y_copies_the_lost_links_and_esc_closes() {
        let mut s = checked_box();
        let fx = update(&mut s, key('y'));
        let copied = fx.iter().find_map(|e| match e {
            Effect::Copy { text, label } => Some((text.clone(), label.count)),
            _ => None,
        });
        let lost = "https://keep2share.cc/file/deadkept00001\nk2s.cc/file/blocked000001";
        assert_eq!(copied, Some((lost.to_string(), 2)));
        update(&mut s, key('e'));
        assert!(
            s.overlays.link_check().unwrap().editing(),
            "e goes back to the text"
        );
        update(&mut s, key('y'));
        let b = s.overlays.link_check().unwrap();
        assert!(b.text.values().concat().ends_with('y'), "y types while editing");
        update(&mut s, code(KeyCode::Esc));
        assert!(s.overlays.link_check().is_none(), "Esc closes");
    }

    #[test]
    fn a_text_without_links_or_a_failed_check_says_so() {
        let mut s = browsing();
        update(&mut s, ctrl('k'));
        update(
            &mut s,
            Msg::Paste("nothing here https://example.com/file/abc".into()),
        );
        let fx = update(&mut s, code(KeyCode::Enter));
        assert!(checks(&fx).is_none());
        let b = s.overlays.link_check().unwrap();
        assert_eq!(b.error.as_deref(), Some("no K2S links in the text"));
        update(&mut s, Msg::Paste(" k2s.cc/f/abc123".into()));
        let fx = update(&mut s, code(KeyCode::Enter));
        let (ticket, _) = checks(&fx).expect("a check");
        let err = crate::api::ApiError::Transport {
            method: "getFilesInfo".into(),
            detail: "reset".into(),
            timeout: false,
        };
        update(
            &mut s,
            Msg::LinksChecked {
                ticket,
                result: Err(err),
            },
        );
        let b = s.overlays.link_check().unwrap();
        assert!(b.editing(), "the text stays to try again");
        assert!(b.error.as_deref().is_some_and(|e| e.starts_with("check failed")));
    }
    /// The key bar as "key label" pairs.
    fn bar(s: &State) -> Vec<String> {
        let mut v: Vec<String> = crate::app::hints::key_bar(s)
            .into_iter()
            .map(|h| format!("{} {}", h.key, h.label))
            .collect();
        v.extend(crate::app::hints::help_hint(s).map(|h| format!("{} {}", h.key, h.label)));
        v
    }

    #[test]
    fn the_key_bar_offers_what_works_in_each_mode() {
        let mut s = browsing();
        update(&mut s, ctrl('k'));
        update(&mut s, Msg::Paste(POST.into()));
        assert_eq!(
            bar(&s),
            ["Enter check", "Esc close", "F1 help"],
            "typing: y and e type, ? too"
        );
        let fx = update(&mut s, code(KeyCode::Enter));
        let (ticket, _) = checks(&fx).expect("a check");
        assert_eq!(bar(&s), ["Esc close", "F1 help"], "while checking");
        let result = Ok(reports());
        update(&mut s, Msg::LinksChecked { ticket, result });
        assert_eq!(
            bar(&s),
            ["Enter check", "Esc close", "y copy dead", "e edit", "F1 help"],
            "once checked"
        );
        update(&mut s, code(KeyCode::F(1)));
        assert!(
            matches!(s.overlays.top(), Some(Overlay::Help(_))),
            "F1 opens help over the box"
        );
        update(&mut s, code(KeyCode::Esc));
        assert!(s.overlays.link_check().is_some(), "and Esc comes back to it");
    }
}
