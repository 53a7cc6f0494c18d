//! Every layer's bindings as text or Markdown (`k2s keys`, and README's key tables, which a
//! test compares with these).

use super::keymap::{HelpEntry, Keymap};
use super::layer::Layer;

fn entries(km: &Keymap, only: Option<Layer>) -> Vec<(Layer, Vec<HelpEntry>)> {
    let all = km.help_entries();
    Layer::ALL
        .iter()
        .copied()
        .filter(|l| only.is_none_or(|o| o == *l))
        .map(|l| {
            (
                l,
                all.iter().filter(|e| e.layer == l).cloned().collect::<Vec<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// One Markdown table per layer, headed by its title and its config section.
pub fn markdown(km: &Keymap, only: Option<Layer>) -> String {
    let mut out = String::new();
    for (l, v) in entries(km, only) {
        out.push_str(&format!(
            "**{}** (`[keymap.{}]`)\n\n| keys | action | name |\n|---|---|---|\n",
            l.title(),
            l.name()
        ));
        for e in v {
            let keys: Vec<String> = e
                .keys
                .split(", ")
                .map(|k| format!("`{}`", k.replace('|', "\\|")))
                .collect();
            out.push_str(&format!(
                "| {} | {} | `{}` |\n",
                keys.join(" "),
                e.description.replace('|', "\\|"),
                e.action.name()
            ));
        }
        out.push('\n');
    }
    out
}

/// Aligned plain text: a heading per layer, then `keys  description (name)`.
pub fn text(km: &Keymap, only: Option<Layer>) -> String {
    let groups = entries(km, only);
    let w = groups
        .iter()
        .flat_map(|(_, v)| v.iter().map(|e| crate::text::width(&e.keys)))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (l, v) in groups {
        out.push_str(&format!("{} [keymap.{}]\n", l.title(), l.name()));
        for e in v {
            let pad = w.saturating_sub(crate::text::width(&e.keys));
            out.push_str(&format!(
                "  {}{}  {} ({})\n",
                e.keys,
                " ".repeat(pad),
                e.description,
                e.action.name()
            ));
        }
        out.push('\n');
    }
    out
}
