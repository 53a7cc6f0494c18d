//! Colours and styles. `[theme]` in the config overrides elements by name; with NO_COLOR set
//! (to anything non-empty) no colour is used at all, only bold / reverse / dim.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub color: bool,
    pub base: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub header: Style,
    pub cursor: Style,
    pub selected: Style,
    pub range: Style,
    pub folder: Style,
    pub dim: Style,
    pub error: Style,
    pub success: Style,
    pub info: Style,
    pub badge: Style,
    pub key: Style,
    pub blocked: Style,
}

/// The element names `[theme]` accepts.
pub const ELEMENTS: &[&str] = &[
    "fg",
    "bg",
    "border",
    "border_focus",
    "title",
    "header",
    "cursor_fg",
    "cursor_bg",
    "selection_fg",
    "selection_bg",
    "folder",
    "dim",
    "error",
    "success",
    "info",
    "badge_fg",
    "badge_bg",
    "key",
    "blocked",
];

impl Default for Theme {
    fn default() -> Self {
        Theme::colored()
    }
}

impl Theme {
    pub fn colored() -> Theme {
        Theme {
            color: true,
            base: Style::default(),
            border: Style::default().fg(Color::DarkGray),
            border_focus: Style::default().fg(Color::Cyan),
            title: Style::default().add_modifier(Modifier::BOLD),
            header: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            cursor: Style::default().fg(Color::Black).bg(Color::Cyan),
            selected: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            range: Style::default().bg(Color::DarkGray),
            folder: Style::default().fg(Color::Blue).add_modifier(Modifier::BOLD),
            dim: Style::default().fg(Color::DarkGray),
            error: Style::default().fg(Color::Red),
            success: Style::default().fg(Color::Green),
            info: Style::default(),
            badge: Style::default().fg(Color::Black).bg(Color::Magenta),
            key: Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            blocked: Style::default().fg(Color::Red),
        }
    }

    /// No colour: attributes only.
    pub fn monochrome() -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        Theme {
            color: false,
            base: Style::default(),
            border: Style::default(),
            border_focus: bold,
            title: bold,
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            cursor: Style::default().add_modifier(Modifier::REVERSED),
            selected: bold,
            range: Style::default().add_modifier(Modifier::UNDERLINED),
            folder: bold,
            dim: Style::default().add_modifier(Modifier::DIM),
            error: bold,
            success: Style::default(),
            info: Style::default(),
            badge: Style::default().add_modifier(Modifier::REVERSED),
            key: bold,
            blocked: Style::default().add_modifier(Modifier::CROSSED_OUT),
        }
    }

    /// From `[theme]` in the config; NO_COLOR wins over everything.
    pub fn from_config(map: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, String> {
        for name in map.keys() {
            if !ELEMENTS.contains(&name.as_str()) {
                return Err(format!(
                    "theme: unknown element {name:?} (known: {})",
                    ELEMENTS.join(", ")
                ));
            }
        }
        if no_color {
            return Ok(Theme::monochrome());
        }
        let mut t = Theme::colored();
        let color = |name: &str| -> Result<Option<Color>, String> {
            map.get(name)
                .map(|v| {
                    Color::from_str(v.trim()).map_err(|_| format!("theme.{name}: {v:?} is not a colour"))
                })
                .transpose()
        };
        if let Some(c) = color("fg")? {
            t.base = t.base.fg(c);
        }
        if let Some(c) = color("bg")? {
            t.base = t.base.bg(c);
        }
        let fg = |s: &mut Style, name: &str| -> Result<(), String> {
            if let Some(c) = color(name)? {
                *s = s.fg(c);
            }
            Ok(())
        };
        fg(&mut t.border, "border")?;
        fg(&mut t.border_focus, "border_focus")?;
        fg(&mut t.title, "title")?;
        fg(&mut t.header, "header")?;
        fg(&mut t.cursor, "cursor_fg")?;
        fg(&mut t.selected, "selection_fg")?;
        fg(&mut t.folder, "folder")?;
        fg(&mut t.dim, "dim")?;
        fg(&mut t.error, "error")?;
        fg(&mut t.success, "success")?;
        fg(&mut t.info, "info")?;
        fg(&mut t.badge, "badge_fg")?;
        fg(&mut t.key, "key")?;
        fg(&mut t.blocked, "blocked")?;
        if let Some(c) = color("cursor_bg")? {
            t.cursor = t.cursor.bg(c);
        }
        if let Some(c) = color("selection_bg")? {
            t.selected = t.selected.bg(c);
        }
        if let Some(c) = color("badge_bg")? {
            t.badge = t.badge.bg(c);
        }
        Ok(t)
    }

    /// NO_COLOR is set to something non-empty (https://no-color.org).
    pub fn no_color_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}
