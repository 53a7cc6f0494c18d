//! The profile picker: the `[profiles.NAME]` of config.toml, which one runs and which have a
//! saved login. Choosing another asks the runtime to switch (`Effect::SwitchProfile`): it saves
//! this profile's queue, stops its engine and starts again on the other profile's config.

use super::keymap::Action;
use super::msg::Effect;
use super::overlay::Overlay;
use super::state::State;

/// One profile as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileEntry {
    pub name: String,
    /// A saved session, or the token variable it names is set.
    pub logged_in: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfilesView {
    pub cursor: usize,
}

/// Open the picker on the profile running, or say there are none.
pub fn open(state: &mut State) {
    let all = &state.settings.profiles;
    if all.is_empty() {
        state.info("no profiles: add [profiles.NAME] tables to config.toml (see README, Profiles)");
        return;
    }
    let current = state.settings.profile.as_deref();
    let cursor = all
        .iter()
        .position(|p| Some(p.name.as_str()) == current)
        .unwrap_or(0);
    state.overlays.open(Overlay::Profiles(ProfilesView { cursor }));
}

pub fn on_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let n = state.settings.profiles.len();
    let Some(v) = state.overlays.profiles_mut() else {
        return;
    };
    let last = n.saturating_sub(1);
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_profiles();
        }
        Some(Action::Up) => v.cursor = v.cursor.saturating_sub(1),
        Some(Action::Down) => v.cursor = (v.cursor + 1).min(last),
        Some(Action::Top) => v.cursor = 0,
        Some(Action::Bottom) => v.cursor = last,
        Some(Action::Submit) => {
            let cursor = v.cursor;
            state.overlays.close_profiles();
            choose(state, cursor, fx);
        }
        _ => {}
    }
}

fn choose(state: &mut State, i: usize, fx: &mut Vec<Effect>) {
    let Some(p) = state.settings.profiles.get(i) else {
        return;
    };
    let name = p.name.clone();
    if state.settings.profile.as_deref() == Some(name.as_str()) {
        state.info(format!("already on profile {}", crate::text::sanitize(&name)));
        return;
    }
    state.info(format!("switching to profile {}…", crate::text::sanitize(&name)));
    fx.push(Effect::SwitchProfile(name));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::layer::{self, Layer};
    use crate::app::tests_update::{browsing, code, key};
    use crate::app::update;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn alt(c: char) -> crate::app::Msg {
        crate::app::Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
    }

    fn with_profiles(current: Option<&str>) -> State {
        let mut s = browsing();
        s.settings.profile = current.map(Into::into);
        s.settings.profiles = vec![
            ProfileEntry {
                name: "main".into(),
                logged_in: true,
            },
            ProfileEntry {
                name: "free".into(),
                logged_in: false,
            },
        ];
        s
    }

    fn switches(fx: &[Effect]) -> Vec<String> {
        fx.iter()
            .filter_map(|e| match e {
                Effect::SwitchProfile(n) => Some(n.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn alt_p_opens_the_picker_on_the_current_profile_and_enter_switches() {
        let mut s = with_profiles(Some("main"));
        assert!(update(&mut s, alt('p')).is_empty());
        assert_eq!(layer::layer(&s), Layer::Profiles);
        assert_eq!(s.overlays.profiles().map(|v| v.cursor), Some(0));
        update(&mut s, key('j'));
        update(&mut s, key('j'));
        assert_eq!(
            s.overlays.profiles().map(|v| v.cursor),
            Some(1),
            "stops at the last"
        );
        let fx = update(&mut s, code(KeyCode::Enter));
        assert_eq!(switches(&fx), ["free"]);
        assert!(s.overlays.profiles().is_none(), "the picker closed");
        assert!(s.status.as_ref().is_some_and(|st| st.text.contains("free")));
    }

    #[test]
    fn choosing_the_current_profile_or_escaping_switches_nothing() {
        let mut s = with_profiles(Some("free"));
        update(&mut s, alt('p'));
        assert_eq!(s.overlays.profiles().map(|v| v.cursor), Some(1));
        assert!(switches(&update(&mut s, code(KeyCode::Enter))).is_empty());
        assert!(s.status.as_ref().is_some_and(|st| st.text.contains("already")));
        update(&mut s, alt('p'));
        update(&mut s, key('k'));
        assert!(switches(&update(&mut s, code(KeyCode::Esc))).is_empty());
        assert!(s.overlays.is_empty());
    }

    #[test]
    fn the_account_view_opens_the_picker_with_p() {
        let mut s = with_profiles(None);
        update(&mut s, key('I'));
        assert_eq!(layer::layer(&s), Layer::Account);
        update(&mut s, key('p'));
        assert_eq!(layer::layer(&s), Layer::Profiles);
        assert!(s.overlays.account().is_none(), "the account view gave way");
        // No profile running: the cursor starts on the first.
        assert_eq!(s.overlays.profiles().map(|v| v.cursor), Some(0));
        let fx = update(&mut s, code(KeyCode::Enter));
        assert_eq!(switches(&fx), ["main"]);
    }

    #[test]
    fn without_profiles_it_says_how_to_add_them() {
        let mut s = browsing();
        let fx = update(&mut s, alt('p'));
        assert!(fx.is_empty() && s.overlays.is_empty());
        assert!(
            s.status
                .as_ref()
                .is_some_and(|st| st.text.contains("[profiles.NAME]"))
        );
    }
}
