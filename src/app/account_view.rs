//! The account view: an overlay with what `k2s account` prints (traffic, premium expiry,
//! balance, link domains, subscriptions), loaded when it opens and again on refresh.

use super::keymap::Action;
use super::msg::{ApiResult, Effect};
use super::overlay::Overlay;
use super::state::State;
use crate::api::{AccountInfo, Subscriptions};

/// What the server said, each part on its own: only the account info is needed; the extras
/// may fail alone.
#[derive(Debug, Clone)]
pub struct AccountFigures {
    pub info: ApiResult<AccountInfo>,
    pub balance: Result<Option<f64>, String>,
    pub domains: Result<Vec<String>, String>,
    /// Per site domain (the account's e-mail domain), its subscriptions or why not.
    pub subscriptions: Vec<(String, Result<Subscriptions, String>)>,
}

impl AccountFigures {
    /// Nothing could be asked.
    pub fn failed(e: crate::api::ApiError) -> AccountFigures {
        let text = e.to_string();
        AccountFigures {
            info: Err(e),
            balance: Err(text.clone()),
            domains: Err(text),
            subscriptions: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AccountView {
    pub loading: bool,
    pub figures: Option<AccountFigures>,
    pub error: Option<String>,
    pub scroll: usize,
}

/// Open the view and ask for its figures.
pub fn open(state: &mut State, fx: &mut Vec<Effect>) {
    state.overlays.open(Overlay::Account(AccountView {
        loading: true,
        ..AccountView::default()
    }));
    fx.push(Effect::LoadAccountView);
}

pub fn on_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let Some(v) = state.overlays.account_mut() else {
        return;
    };
    match a {
        Some(Action::Cancel) => {
            state.overlays.close_account();
        }
        Some(Action::Up) => v.scroll = v.scroll.saturating_sub(1),
        Some(Action::Down) => v.scroll = v.scroll.saturating_add(1).min(200),
        Some(Action::ProfilesView) => {
            state.overlays.close_account();
            super::profiles_view::open(state);
        }
        Some(Action::Refresh) if !v.loading => {
            v.loading = true;
            fx.push(Effect::LoadAccountView);
        }
        _ => {}
    }
}

/// The figures arrived: into the view when it is still open, and the account info into the
/// status bar as well.
pub fn loaded(state: &mut State, figures: AccountFigures) {
    if let Ok(info) = &figures.info {
        state.account.info = Some(info.clone());
        state.account.error = None;
    }
    if let Err(e) = &figures.info {
        super::results::check_session(state, e);
    }
    let Some(v) = state.overlays.account_mut() else {
        return;
    };
    v.loading = false;
    v.error = figures.info.as_ref().err().map(ToString::to_string);
    v.figures = Some(figures);
}
