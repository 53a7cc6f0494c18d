//! The key bar, from the bindings of the layer that has the keys: the layer's hints in rank
//! order (an overlay may word them its own way), and the key that opens help, which the bar
//! always shows.

use super::keymap::Action;
use super::layer::{self, Active, Layer};
use super::meta::Mode;
use super::state::State;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub label: String,
}

fn hint(key: impl Into<String>, label: impl Into<String>) -> Hint {
    Hint {
        key: key.into(),
        label: label.into(),
    }
}

/// The hints of what has the keys, most useful first (help's key not among them).
pub fn key_bar(state: &State) -> Vec<Hint> {
    let l = layer::layer(state);
    let top = match layer::active(state) {
        Active::Overlay(i) => state.overlays.get(i),
        _ => None,
    };
    let mut out: Vec<Hint> = state
        .keymap
        .hints(l)
        .into_iter()
        .filter(|(_, a)| top.is_none_or(|o| o.offers(*a)))
        .map(|(key, a)| {
            let label = top
                .and_then(|o| o.label(a))
                .map(str::to_string)
                .or_else(|| layer_label(l, a).map(str::to_string))
                .unwrap_or_else(|| a.short().to_string());
            hint(key, label)
        })
        .collect();
    if l == Layer::Editor {
        editor_keys(state, &mut out);
    }
    merge_same(out)
}

/// Hints that say the same thing share one entry: "k/j move".
fn merge_same(v: Vec<Hint>) -> Vec<Hint> {
    let mut out: Vec<Hint> = Vec::new();
    for h in v {
        match out.iter_mut().find(|o| o.label == h.label) {
            Some(o) => o.key = format!("{}/{}", o.key, h.key),
            None => out.push(h),
        }
    }
    out
}

/// The key that opens (or, in help, closes) help in this layer, to show at all times.
pub fn help_hint(state: &State) -> Option<Hint> {
    let l = layer::layer(state);
    if l == Layer::Help {
        return None;
    }
    // Only a key that opens help here: the layer's own, or the global one where the layer
    // falls back on it.
    let key = l
        .chain()
        .iter()
        .map(|&c| state.keymap.key_in(c, Action::Help))
        .find(|k| !k.is_empty())?;
    Some(hint(key, "help"))
}

/// Words that depend on the layer rather than on one overlay.
fn layer_label(l: Layer, a: Action) -> Option<&'static str> {
    Some(match (l, a) {
        (Layer::Filter, Action::Submit) => "keep",
        (Layer::Filter, Action::Cancel) => "clear",
        (
            Layer::Filter | Layer::Picker | Layer::Menu | Layer::Info | Layer::Help,
            Action::Up | Action::Down,
        ) => "move",
        (Layer::Details | Layer::Meta | Layer::Transfers, Action::Parent) => "back",
        (Layer::Found, Action::Open) => "go to file",
        (Layer::Found, Action::Cancel) => "back",
        (Layer::Found, Action::MetaFind) => "find again",
        (Layer::Editor, Action::MetaSave) => "save",
        (Layer::Editor, Action::MetaUndo) => "undo",
        (Layer::Confirm, Action::Yes) => "yes",
        (Layer::Confirm, Action::No) => "no",
        (Layer::Prompt | Layer::Form, Action::Complete) => "complete",
        (_, Action::Cancel) => "cancel",
        _ => return None,
    })
}

/// The editor's own keys (its text fields and chips are not rebindable).
fn editor_keys(state: &State, out: &mut Vec<Hint>) {
    let Some(ed) = &state.meta.editor else { return };
    if !ed.loaded() {
        out.insert(0, hint("type", "(kept until loaded)"));
        out.push(hint("Esc", "cancel"));
        return;
    }
    if ed.leaving {
        *out = vec![hint("s", "save"), hint("d", "discard"), hint("Esc", "stay")];
        return;
    }
    let own: &[(&str, &str)] = match ed.mode {
        Mode::InlineTitle => &[("Enter", "save"), ("Esc", "cancel")],
        Mode::InlineTags => &[
            ("Enter", "add / save"),
            ("←→", "chips"),
            ("Del", "remove chip"),
            ("Tab", "complete"),
            ("Esc", "cancel"),
        ],
        Mode::Pane => &[
            ("Tab", "next field"),
            ("Enter", "save / add chip"),
            ("←→", "chips"),
            ("Del", "remove chip"),
            ("Esc", "leave"),
        ],
    };
    let mut v: Vec<Hint> = own.iter().map(|(k, l)| hint(*k, *l)).collect();
    v.append(out);
    v.push(hint("Alt-b/f", "word"));
    *out = v;
}
