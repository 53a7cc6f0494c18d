//! Keys and the keymap: the bindings of every layer (`bindings::defaults`), overridden per
//! layer by config.toml: `[keymap.list]`, `[keymap.transfers]`, ... with `action = "key"` or
//! `action = ["key", "key"]` (sequences are keys separated by spaces, like `"g g"`). Plain
//! `action = ...` lines in `[keymap]` itself are the `global` layer, and an action that is not
//! global is looked up in the pane layers it belongs to.

pub use super::actions::Action;
use super::bindings;
use super::layer::Layer;
use crate::config::{KeyList, KeymapConfig, KeymapEntry};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// One key press, normalized: shifted letters carry no SHIFT (their case says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // Ctrl-letters are case-less.
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    /// A key that types a character (no Ctrl or Alt).
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    pub fn plain(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// "j", "G", "Ctrl-d", "C-d", "Alt-x", "Shift-Tab", "Space", "PageDown", "PgDn", "F1".
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut rest = s;
        let mut mods = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = [
                "ctrl-", "ctrl+", "c-", "alt-", "alt+", "a-", "m-", "shift-", "shift+", "s-",
            ]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(p) = prefix else { break };
            mods |= match p.as_bytes()[0] {
                b'c' => KeyModifiers::CONTROL,
                b'a' | b'm' => KeyModifiers::ALT,
                _ => KeyModifiers::SHIFT,
            };
            rest = &rest[p.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" | "spc" => KeyCode::Char(' '),
                "enter" | "return" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {s:?}")),
                },
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        Ok(Key::new(code, mods))
    }

    /// How the key is written in help and the key bar (parseable by `parse`).
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Delete => out.push_str("Delete"),
            KeyCode::Insert => out.push_str("Insert"),
            KeyCode::Up => out.push_str("Up"),
            KeyCode::Down => out.push_str("Down"),
            KeyCode::Left => out.push_str("Left"),
            KeyCode::Right => out.push_str("Right"),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

/// Parse "g g" into a sequence.
pub fn parse_seq(s: &str) -> Result<Vec<Key>, String> {
    let t = s.trim();
    if t == " " || t.is_empty() && !s.is_empty() {
        return Ok(vec![Key::plain(' ')]);
    }
    let keys = t
        .split_whitespace()
        .map(Key::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err("empty key".into());
    }
    Ok(keys)
}

pub fn seq_label(seq: &[Key]) -> String {
    seq.iter().map(Key::label).collect::<Vec<_>>().join(" ")
}

/// What a (partial) key sequence means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// The keys so far start a longer binding: wait for the next key.
    Pending,
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    /// Key bar rank (1 first, 0 never).
    pub hint: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    layers: BTreeMap<Layer, Vec<Binding>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::defaults()
    }
}

/// Where a config line is: (table, key) -> line number.
pub type LineOf<'a> = &'a dyn Fn(&str, &str) -> Option<usize>;

/// One action given keys by the config, and the table it was written in.
struct Given {
    action: Action,
    keys: KeyList,
    table: String,
}

fn known(name: &str, table: &str, lines: LineOf) -> Result<Action, String> {
    Action::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        format!(
            "{}{table}: unknown action {name:?} (known: {})",
            at(lines, table, name),
            names.join(", ")
        )
    })
}

fn at(lines: LineOf, table: &str, key: &str) -> String {
    lines(table, key)
        .map(|n| format!("line {n}: "))
        .unwrap_or_default()
}

impl Keymap {
    pub fn defaults() -> Keymap {
        let mut layers = BTreeMap::new();
        for &l in Layer::ALL {
            let mut v = Vec::new();
            for def in bindings::defaults(l) {
                for k in def.keys {
                    if let Ok(keys) = parse_seq(k) {
                        v.push(Binding {
                            keys,
                            action: def.action,
                            hint: def.hint,
                        });
                    }
                }
            }
            layers.insert(l, v);
        }
        Keymap { layers }
    }

    /// The defaults, with each action named in the config bound to exactly the keys given
    /// there, in its layer. Unknown layers, actions and keys are errors that name them; two
    /// actions given one key in one layer is an error naming both and their lines; a
    /// printable key given to a layer where one types text is refused.
    pub fn from_config(cfg: &KeymapConfig, lines: LineOf) -> Result<Keymap, String> {
        let mut km = Keymap::defaults();
        let mut per_layer: BTreeMap<Layer, Vec<Given>> = BTreeMap::new();
        for (section, entry) in cfg {
            match entry {
                KeymapEntry::Keys(keys) => {
                    let action = known(section, "keymap", lines)?;
                    let layers = flat_layers(action);
                    for l in layers {
                        per_layer.entry(l).or_default().push(Given {
                            action,
                            keys: keys.clone(),
                            table: "keymap".into(),
                        });
                    }
                }
                KeymapEntry::Layer(map) => {
                    let layer = Layer::from_name(section).ok_or_else(|| {
                        let names: Vec<&str> = Layer::ALL.iter().map(|l| l.name()).collect();
                        format!(
                            "{}keymap: unknown action or layer {section:?} (layers: {})",
                            at(lines, "keymap", section),
                            names.join(", ")
                        )
                    })?;
                    let table = format!("keymap.{section}");
                    for (name, keys) in map {
                        let action = known(name, &table, lines)?;
                        per_layer.entry(layer).or_default().push(Given {
                            action,
                            keys: keys.clone(),
                            table: table.clone(),
                        });
                    }
                }
            }
        }
        for (layer, given) in per_layer {
            km.apply(layer, given, lines)?;
        }
        Ok(km)
    }

    fn apply(&mut self, layer: Layer, given: Vec<Given>, lines: LineOf) -> Result<(), String> {
        let mut seqs: Vec<(Vec<Key>, &Given)> = Vec::new();
        for g in &given {
            let (table, name) = (g.table.as_str(), g.action.name());
            for k in g.keys.keys() {
                let seq =
                    parse_seq(&k).map_err(|e| format!("{}{table}.{name}: {e}", at(lines, table, name)))?;
                if layer_types_text(layer) && seq.iter().any(Key::is_printable) {
                    return Err(format!(
                        "{}{table}.{name}: {k:?} would be typed as text in the {} layer; use a key with Ctrl or Alt, or a named key",
                        at(lines, table, name),
                        layer.name()
                    ));
                }
                if let Some((_, other)) = seqs.iter().find(|(s, o)| *s == seq && o.action != g.action) {
                    let line = |t: &str, a: Action| {
                        lines(t, a.name())
                            .map(|n| format!(" (line {n})"))
                            .unwrap_or_default()
                    };
                    return Err(format!(
                        "keymap.{}: {k:?} is bound to both {}{} and {}{}",
                        layer.name(),
                        other.action.name(),
                        line(&other.table, other.action),
                        name,
                        line(table, g.action)
                    ));
                }
                seqs.push((seq, g));
            }
        }
        let ranks: Vec<(Action, u8)> = bindings::defaults(layer)
            .iter()
            .map(|d| (d.action, d.hint))
            .collect();
        let rank = |a: Action| ranks.iter().find(|(x, _)| *x == a).map_or(50, |(_, h)| *h);
        let v = self.layers.entry(layer).or_default();
        v.retain(|b| !given.iter().any(|g| g.action == b.action));
        // A key the user gave to an action leaves every other action of the layer.
        v.retain(|b| !seqs.iter().any(|(s, _)| *s == b.keys));
        for (keys, g) in seqs {
            v.push(Binding {
                keys,
                action: g.action,
                hint: rank(g.action),
            });
        }
        Ok(())
    }

    /// The bindings of one layer (not those it falls back on).
    pub fn layer(&self, layer: Layer) -> &[Binding] {
        self.layers.get(&layer).map_or(&[], Vec::as_slice)
    }

    /// The action of a (partial) sequence in a layer, falling back along `Layer::chain`.
    pub fn lookup(&self, layer: Layer, seq: &[Key]) -> Lookup {
        if seq.is_empty() {
            return Lookup::None;
        }
        let mut pending = false;
        for &l in layer.chain() {
            let bs = self.layer(l);
            if !pending && let Some(b) = bs.iter().find(|b| b.keys.as_slice() == seq) {
                return Lookup::Action(b.action);
            }
            pending |= bs
                .iter()
                .any(|b| b.keys.len() > seq.len() && b.keys.starts_with(seq));
        }
        if pending { Lookup::Pending } else { Lookup::None }
    }

    /// The single-key action of `key` in a layer (no sequences).
    pub fn action_in(&self, layer: Layer, key: Key) -> Option<Action> {
        layer
            .chain()
            .iter()
            .flat_map(|&l| self.layer(l))
            .find(|b| b.keys.len() == 1 && b.keys[0] == key)
            .map(|b| b.action)
    }

    /// The keys of an action in a layer (and what it falls back on), as written in help.
    pub fn keys_in(&self, layer: Layer, action: Action) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for &l in layer.chain() {
            for b in self.layer(l).iter().filter(|b| b.action == action) {
                let s = seq_label(&b.keys);
                if !v.contains(&s) {
                    v.push(s);
                }
            }
            if !v.is_empty() {
                break;
            }
        }
        v
    }

    /// The first key of an action, looked for in the pane layers first ("" when unbound).
    pub fn first_key(&self, action: Action) -> String {
        [
            Layer::Global,
            Layer::List,
            Layer::Transfers,
            Layer::Tree,
            Layer::Meta,
        ]
        .into_iter()
        .chain(Layer::ALL.iter().copied())
        .find_map(|l| {
            self.layer(l)
                .iter()
                .find(|b| b.action == action)
                .map(|b| seq_label(&b.keys))
        })
        .unwrap_or_default()
    }

    /// The first key of an action in a layer ("" when unbound there).
    pub fn key_in(&self, layer: Layer, action: Action) -> String {
        self.keys_in(layer, action).into_iter().next().unwrap_or_default()
    }

    /// The key bar of a layer: (key, action) by rank, one per action, the layer's own first.
    pub fn hints(&self, layer: Layer) -> Vec<(String, Action)> {
        let mut v: Vec<(u8, usize, String, Action)> = Vec::new();
        for (depth, &l) in layer.chain().iter().enumerate() {
            for b in self.layer(l) {
                if b.hint == 0 || b.action == Action::Help || v.iter().any(|x| x.3 == b.action) {
                    continue;
                }
                v.push((b.hint, depth, seq_label(&b.keys), b.action));
            }
        }
        v.sort_by_key(|x| (x.0, x.1));
        v.into_iter().map(|x| (x.2, x.3)).collect()
    }

    /// Every binding of every layer, for help: (layer, action, keys).
    pub fn help_entries(&self) -> Vec<HelpEntry> {
        let mut out = Vec::new();
        for &l in Layer::ALL {
            let mut seen: Vec<Action> = Vec::new();
            for b in self.layer(l) {
                if seen.contains(&b.action) {
                    continue;
                }
                seen.push(b.action);
                out.push(HelpEntry {
                    layer: l,
                    action: b.action,
                    keys: self
                        .layer(l)
                        .iter()
                        .filter(|x| x.action == b.action)
                        .map(|x| seq_label(&x.keys))
                        .collect::<Vec<_>>()
                        .join(", "),
                    description: bindings::description(l, b.action),
                });
            }
        }
        out
    }
}

/// Where a plain `[keymap]` line applies: the browsing layers that bind the action by
/// default; for an action only dialogs or editors bind (save, undo, submit), those; else
/// the global layer.
fn flat_layers(action: Action) -> Vec<Layer> {
    let has = |l: Layer| bindings::defaults(l).iter().any(|d| d.action == action);
    let browsing = [
        Layer::Global,
        Layer::List,
        Layer::Tree,
        Layer::Details,
        Layer::Meta,
        Layer::Transfers,
        Layer::Found,
    ];
    let mut v: Vec<Layer> = browsing.into_iter().filter(|&l| has(l)).collect();
    if v.is_empty() {
        v = Layer::ALL.iter().copied().filter(|&l| has(l)).collect();
    }
    if v.is_empty() {
        v.push(Layer::Global);
    }
    v
}

/// Layers where printable keys are typed into a field most of the time.
fn layer_types_text(layer: Layer) -> bool {
    matches!(
        layer,
        Layer::Filter | Layer::Editor | Layer::Prompt | Layer::Form | Layer::Captcha | Layer::Help
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct HelpEntry {
    pub layer: Layer,
    pub action: Action,
    pub keys: String,
    pub description: &'static str,
}

impl HelpEntry {
    pub fn matches(&self, filter: &str) -> bool {
        let f = filter.trim().to_lowercase();
        f.is_empty()
            || self.action.name().contains(&f)
            || self.description.to_lowercase().contains(&f)
            || self.keys.to_lowercase().contains(&f)
            || self.layer.name().contains(&f)
    }
}
