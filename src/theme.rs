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
    /// The cursor bar of the focused pane (both colours set: text on it is checked against
    /// its background, see `on_bar`).
    pub cursor: Style,
    /// The cursor bar on a selected row.
    pub cursor_selected: Style,
    /// The cursor bar of a pane without focus, or under a popup with its own cursor.
    pub cursor_dim: Style,
    pub selected: Style,
    /// Rows in a range being selected (a bar too).
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
    "cursor_selected_fg",
    "cursor_selected_bg",
    "cursor_dim_fg",
    "cursor_dim_bg",
    "range_fg",
    "range_bg",
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
            cursor_selected: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            // Fixed 256-colour greys and blue: the same in every palette.
            cursor_dim: Style::default().fg(Color::Indexed(255)).bg(Color::Indexed(239)),
            selected: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            range: Style::default().fg(Color::Indexed(255)).bg(Color::Indexed(24)),
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
            cursor_selected: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            cursor_dim: Style::default().add_modifier(Modifier::UNDERLINED),
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
        fg(&mut t.cursor_selected, "cursor_selected_fg")?;
        fg(&mut t.cursor_dim, "cursor_dim_fg")?;
        fg(&mut t.range, "range_fg")?;
        for (style, name) in [
            (&mut t.cursor_selected, "cursor_selected_bg"),
            (&mut t.cursor_dim, "cursor_dim_bg"),
            (&mut t.range, "range_bg"),
        ] {
            if let Some(c) = color(name)? {
                *style = style.bg(c);
            }
        }
        if let Some(c) = color("selection_bg")? {
            t.selected = t.selected.bg(c);
        }
        if let Some(c) = color("badge_bg")? {
            t.badge = t.badge.bg(c);
        }
        Ok(t)
    }

    /// `span` drawn on `bar`: the bar's background, both sets of attributes, and the span's
    /// own colour only where it keeps `KEEP_CONTRAST` against the bar (else the bar's colour).
    pub fn on_bar(&self, span: Style, bar: Style) -> Style {
        if !self.color {
            return span.patch(bar);
        }
        let keep = match (span.fg, bar.bg) {
            (Some(fg), Some(bg)) => contrast(fg, bg).is_some_and(|c| c >= KEEP_CONTRAST),
            _ => false,
        };
        let mut s = span.patch(bar);
        if keep {
            s.fg = span.fg;
        }
        s
    }

    /// NO_COLOR is set to something non-empty (https://no-color.org).
    pub fn no_color_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}

/// The least contrast (WCAG 2) of text on a bar.
pub const MIN_CONTRAST: f64 = 4.5;
/// A colour of its own stays on a bar from this contrast (WCAG AAA) with the xterm palette:
/// the margin keeps it above `MIN_CONTRAST` in palettes that differ a little (blue on cyan
/// passes 4.5 in xterm's and is unreadable in many others).
pub const KEEP_CONTRAST: f64 = 7.0;

/// A colour as RGB, named colours by the xterm palette; `None` for the terminal's default.
pub fn rgb(c: Color) -> Option<(u8, u8, u8)> {
    const BASE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    let indexed = |n: u8| -> (u8, u8, u8) {
        match n {
            0..=15 => BASE[n as usize],
            16..=231 => {
                let steps = [0u8, 95, 135, 175, 215, 255];
                let n = (n - 16) as usize;
                (steps[n / 36], steps[(n / 6) % 6], steps[n % 6])
            }
            _ => {
                let v = 8 + (n - 232) * 10;
                (v, v, v)
            }
        }
    };
    Some(match c {
        Color::Reset => return None,
        Color::Black => BASE[0],
        Color::Red => BASE[1],
        Color::Green => BASE[2],
        Color::Yellow => BASE[3],
        Color::Blue => BASE[4],
        Color::Magenta => BASE[5],
        Color::Cyan => BASE[6],
        Color::Gray => BASE[7],
        Color::DarkGray => BASE[8],
        Color::LightRed => BASE[9],
        Color::LightGreen => BASE[10],
        Color::LightYellow => BASE[11],
        Color::LightBlue => BASE[12],
        Color::LightMagenta => BASE[13],
        Color::LightCyan => BASE[14],
        Color::White => BASE[15],
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(n) => indexed(n),
    })
}

/// WCAG 2 relative luminance.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG 2 contrast ratio of two colours (1 to 21); `None` when one is the terminal default.
pub fn contrast(a: Color, b: Color) -> Option<f64> {
    let (la, lb) = (luminance(rgb(a)?), luminance(rgb(b)?));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_by_wcag() {
        let c = contrast(Color::Black, Color::White).unwrap_or_default();
        assert!((c - 21.0).abs() < 0.01, "{c}");
        assert_eq!(contrast(Color::Reset, Color::White), None);
        // Blue on cyan passes 4.5 with xterm's values but not the margin for keeping it.
        let blue = contrast(Color::Blue, Color::Cyan).unwrap_or_default();
        assert!((MIN_CONTRAST..KEEP_CONTRAST).contains(&blue), "{blue}");
        let t = Theme::colored();
        assert_eq!(t.on_bar(t.folder, t.cursor).fg, Some(Color::Black));
        assert!(t.on_bar(t.folder, t.cursor).add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn bar_colours_from_the_config() {
        let map: BTreeMap<String, String> = [
            ("cursor_dim_bg", "#202020"),
            ("cursor_selected_fg", "white"),
            ("range_bg", "blue"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let t = Theme::from_config(&map, false).expect("a valid theme");
        assert_eq!(t.cursor_dim.bg, Some(Color::Rgb(0x20, 0x20, 0x20)));
        assert_eq!(t.cursor_selected.fg, Some(Color::White));
        assert_eq!(t.range.bg, Some(Color::Blue));
    }
}
