//! Operations on the selection (or the row under the cursor): dialogs to open, and the
//! effects sent when a dialog is submitted.

use super::dialog::{AccessForm, ConfirmForm, Dialog, MoveForm, NewFolderForm, Outcome, RenameForm, Target};
use super::keymap::Action;
use super::listing::Sort;
use super::msg::{Effect, UpdateKind};
use super::plural::count;
use super::state::State;
use crate::api::{Access, CreateFolder, FileChanges, folder_link, share_link};
use crate::app::overlay::Overlay;
use crate::folders::check_folder_name;
use crate::text::sanitize;
use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

/// The selection in list order, or the row under the cursor.
pub fn targets(state: &State) -> Vec<Target> {
    let ids = if state.list.selected.is_empty() {
        state
            .list
            .current()
            .map(|e| vec![e.item.id.clone()])
            .unwrap_or_default()
    } else {
        state.list.selected_in_order()
    };
    ids.into_iter()
        .map(|id| match state.list.get(&id) {
            Some(e) => Target {
                id,
                raw_name: e.item.name().to_string(),
                name: e.name.clone(),
                is_folder: e.is_folder(),
            },
            None => Target {
                raw_name: String::new(),
                name: id.clone(),
                id,
                is_folder: false,
            },
        })
        .collect()
}

/// `https://<domain>/file/<id>/<name>` for files, `https://<domain>/folder/<id>` for folders.
pub fn link_for(domain: &str, t: &Target) -> String {
    if t.is_folder {
        folder_link(domain, &t.id, None)
    } else {
        share_link(domain, &t.id, Some(&t.raw_name))
    }
}

pub fn start(state: &mut State, a: Action, fx: &mut Vec<Effect>) {
    if a == Action::NewFolder {
        state
            .overlays
            .open(Overlay::Dialog(Dialog::NewFolder(NewFolderForm {
                parent: state.list.folder.clone(),
                name: Input::default(),
                access: Access::Public,
                is_public: false,
                field: 0,
                error: None,
            })));
        return;
    }
    let targets = if a == Action::Rename || a == Action::OpenLink {
        // One item: the row under the cursor.
        let mut t = targets_of_cursor(state);
        t.truncate(1);
        t
    } else {
        targets(state)
    };
    if targets.is_empty() {
        state.info("nothing here to act on");
        return;
    }
    match a {
        Action::Rename => {
            let t = targets[0].clone();
            let input = Input::new(t.raw_name.clone());
            state.overlays.open(Overlay::Dialog(Dialog::Rename(RenameForm {
                target: t,
                input,
                error: None,
            })));
        }
        Action::Move => {
            if !state.tree.loaded {
                state.info("the folder tree is still loading; try again in a moment");
                return;
            }
            let picker = state.tree.picker();
            state.overlays.open(Overlay::Dialog(Dialog::Move(MoveForm {
                targets,
                picker,
                error: None,
                from: None,
            })));
        }
        Action::Access => open_access(state, targets),
        Action::Delete => {
            state
                .overlays
                .open(Overlay::Dialog(Dialog::ConfirmDelete(ConfirmForm {
                    targets,
                    note: None,
                    yes: false,
                    error: None,
                })));
        }
        Action::CopyLinks => super::link_menu::copy_default(state, &targets, fx),
        Action::CopyLinksAs => super::link_menu::open(state, &targets),
        Action::CopyUrls => copy_urls(state, &targets, fx),
        Action::OpenLink => {
            let link = link_for(&state.settings.link_domain, &targets[0]);
            fx.push(Effect::OpenUrl(link));
        }
        _ => {}
    }
}

fn targets_of_cursor(state: &State) -> Vec<Target> {
    state
        .list
        .current()
        .map(|e| {
            vec![Target {
                id: e.item.id.clone(),
                raw_name: e.item.name().to_string(),
                name: e.name.clone(),
                is_folder: e.is_folder(),
            }]
        })
        .unwrap_or_default()
}

/// A key for the dialog on top (`a`: what the dialog's layer binds the key to).
pub fn dialog_key(state: &mut State, a: Option<Action>, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(dialog) = state.overlays.dialog_mut() else {
        return;
    };
    match dialog.handle_key(a, key, &state.tree.tree) {
        Outcome::Stay => {}
        Outcome::Cancel => {
            state.overlays.close_dialog();
        }
        Outcome::Submit => submit_dialog(state, fx),
    }
}

/// The access dialog, showing the access the targets share (if they share one).
fn open_access(state: &mut State, targets: Vec<Target>) {
    let access_of = |t: &Target| state.list.get(&t.id).and_then(|e| e.item.access().cloned());
    let first = access_of(&targets[0]);
    let access = if targets.iter().all(|t| access_of(t) == first) {
        first
    } else {
        None
    };
    state.overlays.open(Overlay::Dialog(Dialog::Access(AccessForm {
        targets,
        access,
        is_public: None,
        field: 0,
        error: None,
    })));
}

fn copy_urls(state: &mut State, targets: &[Target], fx: &mut Vec<Effect>) {
    let files: Vec<(String, String)> = targets
        .iter()
        .filter(|t| !t.is_folder)
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    if files.is_empty() {
        state.info("folders have no download URL; select files");
        return;
    }
    let ticket = state.track();
    state.info(format!("asking for {} …", count(files.len(), "URL")));
    fx.push(Effect::GetUrls(ticket, files));
}

/// The open dialog was submitted: validate, then close it and send the request.
pub fn submit_dialog(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(dialog) = state.overlays.close_dialog() else {
        return;
    };
    let kept = dialog.clone();
    let sent = fx.len();
    send_dialog(state, dialog, fx);
    // Kept until the server answers: a refusal opens it again as it was, with the reason.
    if let Some(t) = fx[sent..].iter().find_map(request_ticket) {
        state.sent_dialog = Some((t, kept));
    }
}

fn request_ticket(e: &Effect) -> Option<super::msg::Ticket> {
    match e {
        Effect::CreateFolder(t, _) | Effect::DeleteFiles(t, _) => Some(*t),
        Effect::UpdateFiles { ticket, .. } => Some(*ticket),
        _ => None,
    }
}

/// The request of a submitted dialog, after its last checks.
fn send_dialog(state: &mut State, dialog: Dialog, fx: &mut Vec<Effect>) {
    match dialog {
        Dialog::NewFolder(mut f) => {
            let name = f.name.value().trim().to_string();
            if let Err(e) = check_folder_name(&name) {
                f.error = Some(e.to_string());
                state.overlays.open(Overlay::Dialog(Dialog::NewFolder(f)));
                return;
            }
            let ticket = state.track();
            state.info(format!("creating folder {} …", sanitize(&name)));
            fx.push(Effect::CreateFolder(
                ticket,
                CreateFolder {
                    name,
                    parent: f.parent,
                    access: Some(f.access),
                    is_public: Some(f.is_public),
                },
            ));
        }
        Dialog::Rename(f) => send_rename(state, f, fx),
        Dialog::Access(f) => {
            if f.access.is_none() && f.is_public.is_none() {
                state.info("nothing to change");
                return;
            }
            let ids = f.targets.into_iter().map(|t| t.id).collect();
            let changes = FileChanges {
                new_access: f.access,
                new_is_public: f.is_public,
                ..Default::default()
            };
            update(state, UpdateKind::Access, ids, changes, fx);
        }
        Dialog::Move(f) => send_move(state, f, fx),
        Dialog::ConfirmDelete(f) => {
            let ids: Vec<String> = f.targets.into_iter().map(|t| t.id).collect();
            let ticket = state.track();
            state.info(format!("deleting {} …", count(ids.len(), "item")));
            fx.push(Effect::DeleteFiles(ticket, ids));
        }
        Dialog::Sort(m) => {
            let sort = Sort::MENU[m.cursor.min(Sort::MENU.len() - 1)];
            state.list.set_sort(sort);
            state.info(format!("sorted by {}", sort.label()));
        }
    }
}

fn send_rename(state: &mut State, mut f: RenameForm, fx: &mut Vec<Effect>) {
    let name = f.input.value().trim().to_string();
    if name.is_empty() {
        f.error = Some("type a name".into());
        state.overlays.open(Overlay::Dialog(Dialog::Rename(f)));
        return;
    }
    if name == f.target.raw_name {
        state.info("name unchanged");
        return;
    }
    if f.target.is_folder
        && let Err(e) = check_folder_name(&name)
    {
        f.error = Some(e.to_string());
        state.overlays.open(Overlay::Dialog(Dialog::Rename(f)));
        return;
    }
    update(
        state,
        UpdateKind::Rename,
        vec![f.target.id],
        FileChanges {
            new_name: Some(name),
            ..Default::default()
        },
        fx,
    );
}

fn send_move(state: &mut State, mut f: MoveForm, fx: &mut Vec<Effect>) {
    let dest = f.picker.current_id().to_string();
    let tree = &state.tree.tree;
    let bad = f
        .targets
        .iter()
        .find(|t| t.id == dest || (t.is_folder && tree.is_descendant(&dest, &t.id)));
    if let Some(t) = bad {
        f.error = Some(format!("{} cannot go into itself", t.name));
        state.overlays.open(Overlay::Dialog(Dialog::Move(f)));
        return;
    }
    if dest == *f.from.as_ref().unwrap_or(&state.list.folder) {
        f.error = Some("that is the folder they are in".into());
        state.overlays.open(Overlay::Dialog(Dialog::Move(f)));
        return;
    }
    let ids = f.targets.into_iter().map(|t| t.id).collect();
    let changes = FileChanges {
        new_parent: Some(dest),
        ..Default::default()
    };
    update(state, UpdateKind::Move, ids, changes, fx);
}

fn update(state: &mut State, kind: UpdateKind, ids: Vec<String>, changes: FileChanges, fx: &mut Vec<Effect>) {
    let ticket = state.track();
    state.info(format!("working on {} …", count(ids.len(), "item")));
    fx.push(Effect::UpdateFiles {
        ticket,
        kind,
        ids,
        changes,
    });
}

/// Stop to the shell; the runtime restores the terminal first and redraws on resume.
pub fn suspend(state: &mut State, fx: &mut Vec<Effect>) {
    state.pending.clear();
    state.status = None;
    fx.push(Effect::Suspend);
}
