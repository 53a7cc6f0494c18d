//! Results of effects coming back as messages.

use super::msg::{ApiResult, Effect, Msg, Ticket, UpdateKind};
use super::nav;
use super::overlay::Overlay;
use super::plural::count;
use super::state::{Level, Screen, State};
use crate::api::{AccountInfo, ApiError, Captcha, Created, FileChanges, FileItem, FoldersList, UpdateItem};
use crate::folders::FolderTree;
use crate::text::sanitize;

/// The error as one safe line.
pub fn err_text(e: &ApiError) -> String {
    sanitize(&e.to_string())
}

/// The session ended and the client could not renew it: the login screen, place kept.
fn session_lost(state: &mut State, e: &ApiError) {
    if state.screen != Screen::Login {
        state.screen = Screen::Login;
        state.login.reason = Some(format!("please log in again ({})", err_text(e)));
    }
    state.login.busy = false;
}

/// Handles the error; true when it was a lost session.
pub(crate) fn check_session(state: &mut State, e: &ApiError) -> bool {
    if e.needs_login() {
        session_lost(state, e);
        true
    } else {
        false
    }
}

pub fn on_result(state: &mut State, msg: Msg, fx: &mut Vec<Effect>) {
    match msg {
        Msg::Account(r) => account(state, r),
        Msg::AccountView(f) => super::account_view::loaded(state, *f),
        Msg::Folders(ticket, r) => folders(state, ticket, r),
        Msg::FilesPage {
            ticket,
            offset,
            result,
        } => files_page(state, ticket, offset, result, fx),
        Msg::VideoInfo { ids, result } => video_info(state, ids, result),
        Msg::RowInfo { ids, result } => row_info(state, ids, result),
        Msg::FolderCreated { ticket, name, result } => {
            state.answered(ticket);
            folder_created(state, &name, result, fx);
            reopen_refused(state, ticket);
        }
        Msg::Updated {
            ticket,
            kind,
            ids,
            changes,
            result,
        } => {
            state.answered(ticket);
            match result {
                Ok(items) => updated(state, kind, &ids, &changes, &items, fx),
                Err(e) => failed(state, &format!("nothing {}", kind.verb()), &e),
            }
            reopen_refused(state, ticket);
        }
        Msg::Deleted { ticket, ids, result } => {
            state.answered(ticket);
            deleted(state, &ids, result, fx);
            reopen_refused(state, ticket);
        }
        Msg::Urls(ticket, answers) => {
            state.answered(ticket);
            urls(state, answers, fx)
        }
        Msg::Copied { label: _, report, ok } => {
            if ok {
                state.success(report)
            } else {
                state.error(report)
            }
        }
        Msg::Notice { text, error } => {
            if state.screen == Screen::Login {
                state.login.error = error.then(|| text.clone());
            }
            if error {
                state.error(text)
            } else {
                state.info(text)
            }
        }
        Msg::LoggedIn(r) => logged_in(state, r.map(|_| None), fx),
        Msg::TokenChecked(r) => logged_in(state, r.map(Some), fx),
        Msg::Captcha { recaptcha, result } => captcha(state, recaptcha, result, fx),
        // (update() hands these to app::meta and app::transfers.)
        Msg::Meta(_) | Msg::Transfer(_) | Msg::LinksChecked { .. } | Msg::Index(_) => {}
        Msg::Key(_) | Msg::Paste(_) | Msg::Mouse(_) | Msg::Resize(..) | Msg::Tick => {}
    }
}

fn account(state: &mut State, r: ApiResult<AccountInfo>) {
    state.account.loading = false;
    match r {
        Ok(info) => {
            state.account.info = Some(info);
            state.account.error = None;
        }
        Err(e) => {
            if !check_session(state, &e) {
                state.account.error = Some(err_text(&e));
            }
        }
    }
}

fn folders(state: &mut State, ticket: Ticket, r: ApiResult<FoldersList>) {
    if ticket != state.tree.ticket {
        return;
    }
    match r {
        Ok(list) => {
            let first = !state.tree.loaded;
            let tree = FolderTree::from_list(&list);
            if first && !tree.hierarchical && !tree.is_empty() {
                state.info("the server sent no parent folder ids: the tree is shown flat");
            }
            state.tree.set_tree(tree);
            if first {
                let folder = state.list.folder.clone();
                state.tree.view.reveal(&state.tree.tree, &folder);
            }
        }
        Err(e) => {
            state.tree.loading = false;
            if !check_session(state, &e) {
                state.tree.error = Some(err_text(&e));
            }
        }
    }
}

fn video_info(state: &mut State, ids: Vec<String>, result: ApiResult<Vec<FileItem>>) {
    for id in &ids {
        state.video_pending.remove(id);
    }
    match result {
        Ok(items) => {
            for item in items {
                let v = item.video().cloned();
                state.video.insert(item.id.clone(), v);
            }
            // Ids the server did not answer: remember there is nothing to show.
            for id in ids {
                state.video.entry(id).or_insert(None);
            }
        }
        Err(e) => {
            if !check_session(state, &e) {
                for id in ids {
                    state.video.insert(id, None);
                }
                tracing::warn!("video info: {e}");
            }
        }
    }
}

/// The extended info of rows on screen: kept in the rows (an id the server did not answer, or
/// a failed request, marks its row as asked), their video info with the rest.
fn row_info(state: &mut State, ids: Vec<String>, result: ApiResult<Vec<FileItem>>) {
    for id in &ids {
        state.info_pending.remove(id);
    }
    let mut answers: std::collections::HashMap<String, FileItem> = match result {
        Ok(items) => items.into_iter().map(|i| (i.id.clone(), i)).collect(),
        Err(e) => {
            if check_session(state, &e) {
                return;
            }
            tracing::warn!("row info: {e}");
            Default::default()
        }
    };
    for id in ids {
        let answer = answers.remove(&id).unwrap_or_else(|| FileItem {
            id: id.clone(),
            ..FileItem::default()
        });
        state.video.insert(id.clone(), answer.video().cloned());
        state.list.set_extended(&id, answer);
    }
}

fn folder_created(state: &mut State, name: &str, result: ApiResult<Created>, fx: &mut Vec<Effect>) {
    match result {
        Ok(created) => {
            state.success(format!("created folder {}", sanitize(name)));
            reload_tree(state, fx);
            nav::reload(state, fx);
            state.list.want_cursor = Some(created.id);
        }
        Err(e) => failed(state, &format!("could not create folder {}", sanitize(name)), &e),
    }
}

fn deleted(state: &mut State, ids: &[String], result: ApiResult<u64>, fx: &mut Vec<Effect>) {
    match result {
        Ok(n) if n as usize >= ids.len() => {
            let folders = ids
                .iter()
                .any(|id| state.list.get(id).is_some_and(|e| e.is_folder()));
            state.list.remove(ids);
            state.success(format!("deleted {}", count(ids.len(), "item")));
            if folders {
                reload_tree(state, fx);
            }
        }
        Ok(n) => {
            state.error(format!(
                "deleted {n} of {}; {} could not be deleted (the list is reloaded)",
                ids.len(),
                ids.len() - n as usize
            ));
            reload_tree(state, fx);
            nav::reload(state, fx);
        }
        Err(e) => failed(state, "nothing deleted", &e),
    }
}

fn captcha(state: &mut State, recaptcha: bool, result: ApiResult<(Captcha, String)>, fx: &mut Vec<Effect>) {
    state.login.busy = false;
    match result {
        Ok((c, url)) => {
            state.login.captcha = Some(super::login::CaptchaPrompt {
                recaptcha,
                challenge: c.challenge,
                url: url.clone(),
                answer: tui_input::Input::default(),
            });
            state.login.field = super::login::LoginField::Captcha;
            fx.push(Effect::OpenUrl(url));
        }
        Err(e) => state.login.error = Some(err_text(&e)),
    }
}

/// The answer to a dialog's request came: when it was refused (an error said), the dialog
/// opens again as it was, with the reason; if something else has the keys by now, once that
/// closes (`reopen_when_idle`).
fn reopen_refused(state: &mut State, ticket: Ticket) {
    let Some((t, mut dialog)) = state.sent_dialog.take() else {
        return;
    };
    if t != ticket {
        state.sent_dialog = Some((t, dialog));
        return;
    }
    let refused = state
        .status
        .as_ref()
        .filter(|s| s.level == Level::Error)
        .map(|s| s.text.clone());
    if let Some(why) = refused
        && state.screen == Screen::Browse
    {
        dialog.set_error(why);
        state.refused_dialog = Some(dialog);
        reopen_when_idle(state);
    }
}

/// After every update: a refused dialog waiting for the keys opens once nothing else (an
/// overlay, the editor, the filter, the files found) has them.
pub fn reopen_when_idle(state: &mut State) {
    if state.screen == Screen::Browse
        && super::layer::idle(state)
        && let Some(dialog) = state.refused_dialog.take()
    {
        state.overlays.open(Overlay::Dialog(dialog));
    }
}

fn failed(state: &mut State, what: &str, e: &ApiError) {
    if !check_session(state, e) {
        state.error(format!("{what}: {}", err_text(e)));
    }
}

fn reload_tree(state: &mut State, fx: &mut Vec<Effect>) {
    let t = state.ticket();
    state.tree.ticket = t;
    state.tree.loading = true;
    fx.push(Effect::LoadFolders(t));
}

fn files_page(
    state: &mut State,
    ticket: u64,
    offset: u64,
    result: ApiResult<Vec<crate::api::FileItem>>,
    fx: &mut Vec<Effect>,
) {
    if ticket != state.list.ticket || offset != state.list.next_offset {
        return;
    }
    match result {
        Ok(items) => {
            let n = items.len() as u64;
            let limit = u64::from(nav::page_limit(state, offset));
            state.list.append(items);
            state.list.next_offset += n;
            state.list.error = None;
            if n >= limit {
                fx.push(nav::list_page(state, state.list.next_offset));
            } else {
                state.list.loading = false;
                state.list.complete = true;
                state.list.want_cursor = None;
                state.list.prune_selection();
                if state
                    .list
                    .anchor
                    .as_deref()
                    .is_some_and(|a| state.list.get(a).is_none())
                {
                    state.list.anchor = None;
                }
            }
        }
        Err(e) => {
            state.list.loading = false;
            if !check_session(state, &e) {
                state.list.error = Some(err_text(&e));
            }
        }
    }
}

fn updated(
    state: &mut State,
    kind: UpdateKind,
    ids: &[String],
    changes: &FileChanges,
    items: &[UpdateItem],
    fx: &mut Vec<Effect>,
) {
    let mut failures = Vec::new();
    let mut ok_ids = Vec::new();
    for id in ids {
        match items.iter().find(|i| &i.id == id) {
            Some(item) if !item.ok() => {
                let name = state.list.get(id).map_or_else(|| id.clone(), |e| e.name.clone());
                let why = if item.errors.is_empty() {
                    item.status.clone().unwrap_or_else(|| "failed".into())
                } else {
                    item.errors.join("; ")
                };
                failures.push(format!("{name}: {}", sanitize(&why)));
            }
            _ => ok_ids.push(id.clone()),
        }
    }
    let folders = ids
        .iter()
        .any(|id| state.list.get(id).is_some_and(|e| e.is_folder()));
    apply_update(state, kind, &ok_ids, changes);
    if folders {
        reload_tree(state, fx);
    }
    let what = update_wording(state, kind, ok_ids.len(), changes);
    if failures.is_empty() {
        state.success(what);
    } else {
        state.error(format!(
            "{} of {} done ({what}); failed: {}",
            ok_ids.len(),
            ids.len(),
            failures.join(" | ")
        ));
    }
}

/// The listing after an update: moved items leave, renamed or re-accessed ones change.
fn apply_update(state: &mut State, kind: UpdateKind, ok_ids: &[String], changes: &FileChanges) {
    match kind {
        UpdateKind::Move => {
            if changes.new_parent.as_deref() != Some(state.list.folder.as_str()) {
                state.list.remove(ok_ids);
            }
        }
        UpdateKind::Rename | UpdateKind::Access => {
            for id in ok_ids {
                state.list.modify(id, |item| {
                    if let Some(n) = &changes.new_name {
                        item.name = Some(n.as_str().into());
                    }
                    if let Some(a) = &changes.new_access {
                        item.access = Some(a.clone());
                        if let Some(x) = item.extended_info.as_mut() {
                            x.access = Some(a.clone());
                        }
                    }
                });
            }
        }
    }
}

/// What an update did, for the status line (`done` items).
fn update_wording(state: &State, kind: UpdateKind, done: usize, changes: &FileChanges) -> String {
    match kind {
        UpdateKind::Move => {
            let dest = changes.new_parent.as_deref().unwrap_or("/");
            let path = state.tree.tree.path_of(dest).unwrap_or_else(|| dest.to_string());
            format!("{} {} to {}", kind.verb(), count(done, "item"), sanitize(&path))
        }
        UpdateKind::Rename => match &changes.new_name {
            Some(n) => format!("renamed to {}", sanitize(n)),
            None => "renamed".into(),
        },
        UpdateKind::Access => {
            let mut parts = Vec::new();
            if let Some(a) = &changes.new_access {
                parts.push(format!("access {a}"));
            }
            if let Some(p) = changes.new_is_public {
                parts.push(if p {
                    "public flag on".into()
                } else {
                    "public flag off".to_string()
                });
            }
            format!("{}: {}", count(done, "item"), parts.join(", "))
        }
    }
}

fn urls(state: &mut State, answers: Vec<(String, String, Result<String, String>)>, fx: &mut Vec<Effect>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (_, name, r) in answers {
        match r {
            Ok(u) => good.push(u),
            Err(e) => bad.push(format!("{name}: {}", sanitize(&e))),
        }
    }
    if good.is_empty() {
        state.error(format!("no download URL: {}", bad.join(" | ")));
        return;
    }
    let label = super::msg::CopyLabel {
        count: good.len(),
        noun: "URL",
    };
    let text = good.join("\n");
    state.clipboard = Some(text.clone());
    if !bad.is_empty() {
        state.error(format!("{} failed: {}", count(bad.len(), "URL"), bad.join(" | ")));
    }
    fx.push(Effect::Copy { text, label });
}

fn logged_in(state: &mut State, r: ApiResult<Option<crate::api::AccountInfo>>, fx: &mut Vec<Effect>) {
    state.login.busy = false;
    match r {
        Ok(info) => {
            state.screen = Screen::Browse;
            state.login.password.reset();
            state.login.token.reset();
            state.login.captcha = None;
            state.login.error = None;
            state.login.reason = None;
            let had = info.is_some();
            if let Some(i) = info {
                state.account.info = Some(i);
            }
            nav::load_all(state, fx);
            if had {
                // The token check already brought the account.
                fx.retain(|e| !matches!(e, Effect::LoadAccount));
                state.account.loading = false;
            }
            state.success("logged in");
        }
        Err(e) => {
            let captcha = if e.is_recaptcha_required() {
                Some(true)
            } else if e.is_captcha_required() || e.is_captcha_wrong() {
                Some(false)
            } else {
                None
            };
            if let Some(recaptcha) = captcha {
                state.login.busy = true;
                state.login.error = state
                    .login
                    .captcha
                    .is_some()
                    .then(|| "the captcha answer was not accepted; here is a new one".to_string());
                fx.push(Effect::RequestCaptcha { recaptcha });
            } else {
                state.login.error = Some(err_text(&e));
            }
        }
    }
}
