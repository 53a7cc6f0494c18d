//! Overlays: every dialog, prompt, form, question and help is an `Overlay` on one stack in
//! `State`. The top one has the keys (`layer::active`); each says which binding layer it
//! uses, whether it is taking text, and how its key bar reads, and is drawn above the ones
//! below it. Opening a new kind of overlay means adding a variant here, its handler and its
//! drawing: the routing does not change.

use super::account_view::AccountView;
use super::dialog::Dialog;
use super::dupes::DupesView;
use super::finder::Finder;
use super::health::{DaysPrompt, HealthView};
use super::keymap::{Action, Key};
use super::layer::Layer;
use super::link_check::LinkCheck;
use super::link_menu::LinkMenu;
use super::meta::Prompt;
use super::msg::Effect;
use super::profiles_view::ProfilesView;
use super::state::{HelpState, State};
use super::transfers::Form;
use super::usage::UsageView;
use ratatui::crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub enum Overlay {
    Help(HelpState),
    /// Folder and file operations: new folder, rename, access, move, delete, sort.
    Dialog(Dialog),
    /// The metadata side: a question, a tag, a search.
    Meta(Prompt),
    /// The transfer side: upload, remote upload, links, captcha, quit, a transfer's details.
    Transfer(Form),
    /// The account: traffic, premium, balance, link domains, subscriptions.
    Account(AccountView),
    /// Copy links in a format, with a preview.
    LinkMenu(LinkMenu),
    /// The profiles of config.toml, to switch to another.
    Profiles(ProfilesView),
    /// Check the links of a pasted text.
    LinkCheck(LinkCheck),
    /// The global fuzzy finder over the account index.
    Finder(Finder),
    /// Folders by total size, from the account index.
    Usage(UsageView),
    /// Files stored more than once, from the account index.
    Dupes(DupesView),
    /// Files in trouble, from the account index.
    Health(HealthView),
    /// The health view's question: inactive for how many days?
    HealthDays(DaysPrompt),
}

impl Overlay {
    /// The binding layer its keys are looked up in.
    pub fn layer(&self) -> Layer {
        match self {
            Overlay::Help(_) => Layer::Help,
            Overlay::Dialog(d) => match d {
                Dialog::Move(_) => Layer::Picker,
                Dialog::Sort(_) => Layer::Menu,
                Dialog::ConfirmDelete(_) => Layer::Confirm,
                Dialog::NewFolder(_) | Dialog::Rename(_) | Dialog::Access(_) => Layer::Dialog,
            },
            Overlay::Meta(p) => match p {
                Prompt::Confirm(_) => Layer::Confirm,
                Prompt::Tag(_) | Prompt::Find(_) => Layer::Prompt,
            },
            Overlay::Transfer(f) => match f {
                Form::Upload(_) | Form::Remote(_) | Form::Links(_) => Layer::Form,
                Form::Captcha(_) => Layer::Captcha,
                Form::Quit(_) => Layer::Quit,
                Form::Details(_) => Layer::Info,
            },
            Overlay::Account(_) => Layer::Account,
            Overlay::LinkMenu(_) => Layer::Menu,
            Overlay::Profiles(_) => Layer::Profiles,
            Overlay::LinkCheck(_) => Layer::LinkCheck,
            Overlay::Finder(_) => Layer::Finder,
            Overlay::Usage(_) => Layer::Usage,
            Overlay::Dupes(_) => Layer::Dupes,
            Overlay::Health(_) => Layer::Health,
            Overlay::HealthDays(_) => Layer::Dialog,
        }
    }

    /// Whether printable keys go into a text field now.
    pub fn typing(&self) -> bool {
        match self {
            Overlay::Help(_) | Overlay::Finder(_) => true,
            Overlay::Dialog(d) => match d {
                Dialog::NewFolder(f) => f.field == 0,
                Dialog::Rename(_) => true,
                _ => false,
            },
            Overlay::Meta(p) => !matches!(p, Prompt::Confirm(_)),
            Overlay::Account(_) | Overlay::LinkMenu(_) | Overlay::Profiles(_) | Overlay::Usage(_) => false,
            Overlay::Dupes(_) => false,
            Overlay::Health(_) => false,
            Overlay::HealthDays(_) => true,
            Overlay::LinkCheck(b) => b.editing(),
            Overlay::Transfer(f) => matches!(
                f,
                Form::Upload(_) | Form::Remote(_) | Form::Links(_) | Form::Captcha(_)
            ),
        }
    }

    /// Whether the key bar offers `a` now (an overlay whose keys change with its mode leaves
    /// out what does nothing in this one).
    pub fn offers(&self, a: Action) -> bool {
        match self {
            Overlay::LinkCheck(b) => b.offers(a),
            // One line of digits: the dialog layer's fields and choices are not there.
            Overlay::HealthDays(_) => matches!(a, Action::Submit | Action::Cancel),
            _ => true,
        }
    }

    /// The key bar's word for an action, where this overlay says it better.
    pub fn label(&self, a: Action) -> Option<&'static str> {
        Some(match (self, a) {
            (Overlay::Help(_), Action::Cancel) => "close",
            (Overlay::Dialog(Dialog::ConfirmDelete(_)), Action::Yes) => "delete",
            (Overlay::Dialog(Dialog::Move(_)), Action::Submit) => "move here",
            (Overlay::Dialog(Dialog::Sort(_)), Action::Submit) => "sort",
            (Overlay::Meta(Prompt::Tag(_)), Action::Submit) => "apply",
            (Overlay::Meta(Prompt::Find(_)), Action::Submit) => "find",
            (Overlay::Meta(Prompt::Find(_)), Action::PrevField) => "by",
            (Overlay::Transfer(Form::Upload(_)), Action::Submit) => "upload",
            (Overlay::Transfer(Form::Remote(_)), Action::Submit) => "next line / start",
            (Overlay::Transfer(Form::Links(_)), Action::Submit) => "next line / download",
            (Overlay::Transfer(Form::Captcha(_)), Action::Submit) => "send",
            (Overlay::Transfer(Form::Captcha(_)), Action::Cancel) => "skip",
            (Overlay::Transfer(Form::Quit(_)), Action::Yes) => "quit",
            (Overlay::Transfer(Form::Quit(_)), Action::No) => "stay",
            (Overlay::Transfer(Form::Details(_)), Action::CopyLinks) => "copy",
            (Overlay::Account(_), Action::Cancel) => "close",
            (Overlay::LinkMenu(_), Action::Submit) => "copy",
            (Overlay::Account(_), Action::ProfilesView) => "profiles",
            (Overlay::Profiles(_), Action::Cancel) => "close",
            (Overlay::Profiles(_), Action::Submit) => "switch",
            (Overlay::LinkCheck(_), Action::Submit) => "check",
            (Overlay::LinkCheck(_), Action::CopyLinks) => "copy dead",
            (Overlay::LinkCheck(_), Action::Parent) => "edit",
            (Overlay::LinkCheck(_), Action::Cancel) => "close",
            (Overlay::Finder(_), Action::Submit) => "open",
            (Overlay::Finder(_), Action::Cancel) => "close",
            (Overlay::Usage(_), Action::Cancel) => "close",
            (Overlay::Usage(_), Action::Submit) => "show",
            (Overlay::Usage(_), Action::Open) => "into",
            (Overlay::Usage(_), Action::Parent) => "back",
            (Overlay::Dupes(_), Action::Cancel) => "close",
            (Overlay::Dupes(_), Action::Select) => "keep",
            (Overlay::Dupes(_), Action::Submit) => "show",
            (Overlay::Dupes(_), Action::Delete) => "delete extra",
            (Overlay::Dupes(_), Action::DeleteAllDupes) => "delete all extra",
            (Overlay::Usage(_), Action::DupesView) => "duplicates",
            (Overlay::Health(v), Action::Submit) if v.no_index => "build",
            (Overlay::Health(_), Action::Submit) => "show",
            (Overlay::Health(_), Action::NextField) => "section",
            (Overlay::Health(_), Action::Select) => "mark",
            (Overlay::Health(_), Action::SetDays) => "days…",
            (Overlay::Health(_), Action::MoreDays) => "days+",
            (Overlay::Health(_), Action::FewerDays) => "days-",
            (Overlay::Health(_), Action::Cancel) => "close",
            (Overlay::HealthDays(_), Action::Submit) => "set days",
            (Overlay::HealthDays(_), Action::Cancel) => "keep",
            (_, Action::ChangeNext) => "choose",
            _ => return None,
        })
    }
}

/// The overlay stack, bottom first.
#[derive(Debug, Clone, Default)]
pub struct Overlays(Vec<Overlay>);

macro_rules! family {
    ($get:ident, $get_mut:ident, $close:ident, $variant:ident, $ty:ty) => {
        /// The topmost overlay of this family.
        pub fn $get(&self) -> Option<&$ty> {
            self.0.iter().rev().find_map(|o| match o {
                Overlay::$variant(x) => Some(x),
                _ => None,
            })
        }
        pub fn $get_mut(&mut self) -> Option<&mut $ty> {
            self.0.iter_mut().rev().find_map(|o| match o {
                Overlay::$variant(x) => Some(x),
                _ => None,
            })
        }
        /// Close the topmost overlay of this family; it is returned.
        pub fn $close(&mut self) -> Option<$ty> {
            let i = self
                .0
                .iter()
                .rposition(|o| matches!(o, Overlay::$variant(_)))?;
            match self.0.remove(i) {
                Overlay::$variant(x) => Some(x),
                _ => None,
            }
        }
    };
}

impl Overlays {
    /// Put an overlay on top. One of the same layer is replaced (one question, one form, one
    /// help at a time); others stay below it, and come back when it closes.
    pub fn open(&mut self, o: Overlay) {
        let layer = o.layer();
        self.0.retain(|x| x.layer() != layer);
        self.0.push(o);
    }

    /// Close the topmost overlay `pick` accepts.
    pub fn close_if(&mut self, pick: impl Fn(&Overlay) -> bool) -> Option<Overlay> {
        let i = self.0.iter().rposition(pick)?;
        Some(self.0.remove(i))
    }

    /// The topmost transfer form `pick` accepts (an answer for a form that a question now
    /// covers still finds it).
    pub fn find_form_mut<T>(&mut self, pick: impl Fn(&mut Form) -> Option<&mut T>) -> Option<&mut T> {
        self.0.iter_mut().rev().find_map(|o| match o {
            Overlay::Transfer(f) => pick(f),
            _ => None,
        })
    }
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn get(&self, i: usize) -> Option<&Overlay> {
        self.0.get(i)
    }
    /// Bottom first, the drawing order.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.0.iter()
    }
    family!(help, help_mut, close_help, Help, HelpState);
    family!(dialog, dialog_mut, close_dialog, Dialog, Dialog);
    family!(prompt, prompt_mut, close_prompt, Meta, Prompt);
    family!(form, form_mut, close_form, Transfer, Form);
    family!(account, account_mut, close_account, Account, AccountView);
    family!(link_menu, link_menu_mut, close_link_menu, LinkMenu, LinkMenu);
    family!(profiles, profiles_mut, close_profiles, Profiles, ProfilesView);
    family!(link_check, link_check_mut, close_link_check, LinkCheck, LinkCheck);
    family!(finder, finder_mut, close_finder, Finder, Finder);
    family!(usage, usage_mut, close_usage, Usage, UsageView);
    family!(dupes, dupes_mut, close_dupes, Dupes, DupesView);
    family!(health, health_mut, close_health, Health, HealthView);
    family!(
        health_days,
        health_days_mut,
        close_health_days,
        HealthDays,
        DaysPrompt
    );
}

/// A key for the overlay on top: the action its layer binds the key to (none for a
/// printable key while it takes text), then the overlay's own handler.
pub fn on_key(state: &mut State, key: &KeyEvent, fx: &mut Vec<Effect>) {
    let Some(top) = state.overlays.top() else { return };
    let k = Key::from_event(key);
    let a = if top.typing() && k.is_printable() {
        None
    } else {
        state.keymap.action_in(top.layer(), k)
    };
    match top {
        Overlay::Help(_) => super::help::on_key(state, a, key),
        Overlay::Dialog(_) => super::ops::dialog_key(state, a, key, fx),
        Overlay::Meta(_) => super::meta::on_key(state, a, key, fx),
        Overlay::Transfer(_) => super::transfers::on_key(state, a, key, fx),
        Overlay::Account(_) => super::account_view::on_key(state, a, fx),
        Overlay::LinkMenu(_) => super::link_menu::on_key(state, a, fx),
        Overlay::Profiles(_) => super::profiles_view::on_key(state, a, fx),
        Overlay::LinkCheck(_) => super::link_check::on_key(state, a, key, fx),
        Overlay::Finder(_) => super::finder::on_key(state, a, key, fx),
        Overlay::Usage(_) => super::usage::on_key(state, a, fx),
        Overlay::Dupes(_) => super::dupes::on_key(state, a, fx),
        Overlay::Health(_) => super::health::on_key(state, a, fx),
        Overlay::HealthDays(_) => super::health::days_key(state, a, key, fx),
    }
}

/// Pasted text for the overlay on top (already made safe where it is typed in one line).
pub fn on_paste(state: &mut State, raw: &str) {
    match state.overlays.top() {
        Some(Overlay::Help(_)) => super::help::on_paste(state, raw),
        Some(Overlay::Dialog(_)) => {
            if let Some(d) = state.overlays.dialog_mut() {
                d.paste(&crate::text::sanitize(raw));
            }
        }
        Some(Overlay::Meta(_)) => super::meta::on_paste(state, raw),
        Some(Overlay::Transfer(_)) => super::transfers::on_paste(state, raw),
        Some(Overlay::LinkCheck(_)) => super::link_check::on_paste(state, raw),
        Some(Overlay::HealthDays(_)) => super::health::days_paste(state, &crate::text::sanitize(raw)),
        Some(
            Overlay::Account(_)
            | Overlay::LinkMenu(_)
            | Overlay::Profiles(_)
            | Overlay::Finder(_)
            | Overlay::Usage(_)
            | Overlay::Dupes(_)
            | Overlay::Health(_),
        )
        | None => {}
    }
}
