//! Layers: who gets a key. The screen, then the overlays (top first), then what a pane is
//! doing (an editor, search results, the filter), then the focused pane. `active` is the one
//! place that decides; keys, pastes, the mouse, the key bar, help and the drawing order all
//! follow it.

use super::state::{Pane, Screen, State};

macro_rules! layers {
    ($($variant:ident => $name:literal, $title:literal;)*) => {
        /// A set of key bindings, and the part of the screen that has the keys.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Layer { $($variant),* }

        impl Layer {
            pub const ALL: &'static [Layer] = &[$(Layer::$variant),*];
            /// The section of `[keymap]` in config.toml (`[keymap.list]`).
            pub fn name(self) -> &'static str {
                match self { $(Layer::$variant => $name),* }
            }
            /// The heading in help.
            pub fn title(self) -> &'static str {
                match self { $(Layer::$variant => $title),* }
            }
            pub fn from_name(name: &str) -> Option<Layer> {
                match name { $($name => Some(Layer::$variant),)* _ => None }
            }
        }
    };
}

layers! {
    Global => "global", "Everywhere in the browser (every pane)";
    List => "list", "File list";
    Tree => "tree", "Folder tree";
    Details => "details", "Details pane";
    Meta => "meta", "Metadata pane";
    Transfers => "transfers", "Transfer pane";
    Filter => "filter", "Filter (typing a name)";
    Found => "found", "Files found by metadata";
    Editor => "editor", "Metadata editor";
    Dialog => "dialog", "Dialogs: new folder, rename, access";
    Picker => "picker", "Folder picker (move)";
    Menu => "menu", "Menus (sort)";
    Confirm => "confirm", "Questions (delete, copy metadata)";
    Quit => "quit", "Quit with transfers running";
    Prompt => "prompt", "One-line prompts (tag, find)";
    Form => "form", "Upload, remote upload, links";
    Captcha => "captcha", "Captcha";
    Info => "info", "Transfer details";
    Account => "account", "Account view";
    Profiles => "profiles", "Profile picker";
    LinkCheck => "link_check", "Link check (paste a post, see each link's state)";
    Finder => "finder", "Finder (any name of the account)";
    Usage => "usage", "Usage view (folders by size)";
    Dupes => "dupes", "Duplicates view (same md5)";
    Health => "health", "Health view (files in trouble)";
    Help => "help", "Help";
    Login => "login", "Login screen";
}

impl Layer {
    /// The pane layers fall back on the global bindings.
    pub fn is_pane(self) -> bool {
        matches!(
            self,
            Layer::List | Layer::Tree | Layer::Details | Layer::Meta | Layer::Transfers
        )
    }

    /// The layers a lookup in this one consults, in order.
    pub fn chain(self) -> &'static [Layer] {
        match self {
            Layer::List => &[Layer::List, Layer::Global],
            Layer::Tree => &[Layer::Tree, Layer::Global],
            Layer::Details => &[Layer::Details, Layer::Global],
            Layer::Meta => &[Layer::Meta, Layer::Global],
            Layer::Transfers => &[Layer::Transfers, Layer::Global],
            Layer::Filter => &[Layer::Filter],
            Layer::Found => &[Layer::Found],
            Layer::Editor => &[Layer::Editor],
            Layer::Dialog => &[Layer::Dialog],
            Layer::Picker => &[Layer::Picker],
            Layer::Menu => &[Layer::Menu],
            Layer::Confirm => &[Layer::Confirm],
            Layer::Quit => &[Layer::Quit],
            Layer::Prompt => &[Layer::Prompt],
            Layer::Form => &[Layer::Form],
            Layer::Captcha => &[Layer::Captcha],
            Layer::Info => &[Layer::Info],
            Layer::Account => &[Layer::Account],
            Layer::Profiles => &[Layer::Profiles],
            Layer::LinkCheck => &[Layer::LinkCheck],
            Layer::Finder => &[Layer::Finder],
            Layer::Usage => &[Layer::Usage],
            Layer::Dupes => &[Layer::Dupes],
            Layer::Health => &[Layer::Health],
            Layer::Help => &[Layer::Help],
            Layer::Login => &[Layer::Login],
            Layer::Global => &[Layer::Global],
        }
    }

    pub fn of_pane(p: Pane) -> Layer {
        match p {
            Pane::Tree => Layer::Tree,
            Pane::Files => Layer::List,
            Pane::Details => Layer::Details,
            Pane::Meta => Layer::Meta,
            Pane::Transfers => Layer::Transfers,
        }
    }
}

/// What has the keys now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Active {
    Login,
    /// The overlay on top of the stack (its index).
    Overlay(usize),
    Editor,
    Found,
    Filter,
    Pane(Pane),
}

/// The one function that decides who gets input.
pub fn active(state: &State) -> Active {
    if state.screen == Screen::Login {
        return Active::Login;
    }
    if !state.overlays.is_empty() {
        return Active::Overlay(state.overlays.len() - 1);
    }
    if state.meta.editor.is_some() {
        return Active::Editor;
    }
    if state.meta.found.is_some() {
        return Active::Found;
    }
    if state.filter_edit.is_some() {
        return Active::Filter;
    }
    Active::Pane(state.focus)
}

/// The binding layer of what has the keys.
pub fn layer(state: &State) -> Layer {
    match active(state) {
        Active::Login => Layer::Login,
        Active::Overlay(i) => state.overlays.get(i).map_or(Layer::Global, |o| o.layer()),
        Active::Editor => Layer::Editor,
        Active::Found => Layer::Found,
        Active::Filter => Layer::Filter,
        Active::Pane(p) => Layer::of_pane(p),
    }
}

/// Whether printable keys are typed into a text field now (so single-letter bindings rest).
pub fn typing(state: &State) -> bool {
    match active(state) {
        Active::Login | Active::Editor | Active::Filter => true,
        Active::Overlay(i) => state.overlays.get(i).is_some_and(|o| o.typing()),
        Active::Found | Active::Pane(_) => false,
    }
}

/// Whether a pane is only being looked at (no overlay, editor, filter or search results):
/// the moment a queued captcha may open.
pub fn idle(state: &State) -> bool {
    matches!(active(state), Active::Pane(_))
}

/// The layer under the help overlay (the one help was opened from).
pub fn layer_below_help(state: &State) -> Layer {
    let n = state.overlays.len();
    match state.overlays.top() {
        Some(super::overlay::Overlay::Help(_)) if n >= 2 => {
            state.overlays.get(n - 2).map_or(Layer::List, |o| o.layer())
        }
        Some(super::overlay::Overlay::Help(_)) => {
            if state.meta.editor.is_some() {
                Layer::Editor
            } else if state.meta.found.is_some() {
                Layer::Found
            } else if state.filter_edit.is_some() {
                Layer::Filter
            } else {
                Layer::of_pane(state.focus)
            }
        }
        _ => layer(state),
    }
}
