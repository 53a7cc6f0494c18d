//! Making untrusted text safe for a terminal, and laying it out by display width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What an invisible or reordering character is shown as: visible, one cell wide.
pub const PLACEHOLDER: char = '\u{fffd}';

/// Remove escape sequences and control characters from server- or user-supplied text before it
/// reaches a terminal. ESC-initiated sequences (CSI, OSC, DCS, ...) are dropped whole; other
/// control characters (C0, DEL, C1) and the invisible format characters that can reorder or
/// hide text (bidi overrides and isolates, zero-width spaces and joiners, U+2028/U+2029, BOM,
/// blank fillers: see `is_invisible`) become a visible U+FFFD; tabs and newlines become spaces.
/// Printable text, CJK and emoji pass through, including the joiners and tags inside emoji
/// sequences (👨‍👩‍👧, flags of regions).
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS introducers: drop the sequence that follows too.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push(PLACEHOLDER),
            // A joiner between two emoji builds one picture; anywhere else it hides text.
            '\u{200d}' if prev.is_some_and(is_emoji) && chars.peek().copied().is_some_and(is_emoji) => {
                out.push(c)
            }
            // Tag characters spell a region after the black flag (and end with U+E007F).
            '\u{e0020}'..='\u{e007f}' if prev.is_some_and(|p| p == '\u{1f3f4}' || is_tag(p)) => out.push(c),
            c if is_invisible(c) => out.push(PLACEHOLDER),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// Format characters (Unicode category Cf), line and paragraph separators, and blank fillers:
/// they draw nothing, or move or reorder what is drawn after them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{115f}'..='\u{1160}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

fn is_tag(c: char) -> bool {
    ('\u{e0020}'..='\u{e007e}').contains(&c)
}

/// Pictographs, and the modifiers and selector that go with them, as far as joiners go.
fn is_emoji(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27bf}' | '\u{1f000}'..='\u{1faff}' | '\u{fe0f}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string(chars),
        // Two-character sequences (ESC c, ESC 7, ESC ( B ...): drop one more for charset picks.
        Some('(') | Some(')') | Some('*') | Some('+') | Some('#') | Some('%') => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameters and intermediates until a final byte in 0x40..=0x7e.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/...: until BEL, ST (ESC \) or C1 ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` cells, ending with "…" when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` cells.
pub fn fit(s: &str, cols: usize) -> String {
    let mut t = truncate(s, cols);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    t
}

/// Right-aligned version of `fit`.
pub fn fit_right(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let w = width(&t);
    let mut out: String = std::iter::repeat_n(' ', cols.saturating_sub(w)).collect();
    out.push_str(&t);
    out
}

/// 1536 -> "1.5 KiB".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if v >= 100.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// 1692.4 -> "28:12"; 5392 -> "1:29:52".
pub fn human_duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m"), "ared");
        assert_eq!(sanitize("x\u{1b}]52;c;ZXZpbA==\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(sanitize("bell\u{7}"), "bell\u{fffd}");
        assert_eq!(sanitize("a\tb\nc"), "a b c");
        assert_eq!(sanitize("\u{9b}2Jz"), "z");
        // A right-to-left override would show "evilexe.txt": it shows as a visible mark instead.
        assert_eq!(sanitize("evil\u{202e}txt.exe"), "evil\u{fffd}txt.exe");
    }

    #[test]
    fn invisible_format_characters_become_visible() {
        for c in [
            '\u{2028}',
            '\u{2029}',
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{2060}',
            '\u{feff}',
            '\u{ad}',
            '\u{61c}',
            '\u{3164}',
            '\u{e0041}',
        ] {
            let shown = sanitize(&format!("pay{c}pal"));
            assert_eq!(shown, "pay\u{fffd}pal", "U+{:04X}", c as u32);
            assert_eq!(width(&shown), 7, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn emoji_sequences_keep_their_joiners_and_tags() {
        let family = "👨\u{200d}👩\u{200d}👧.jpg";
        assert_eq!(sanitize(family), family);
        let scotland = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
        assert_eq!(sanitize(scotland), scotland);
        assert_eq!(sanitize("a\u{200d}👩"), "a\u{fffd}👩");
    }

    #[test]
    fn keeps_wide_text() {
        assert_eq!(sanitize("映画 🎬.mp4"), "映画 🎬.mp4");
        assert_eq!(width("映画"), 4);
        assert_eq!(truncate("映画映画", 5), "映画…");
        assert_eq!(width(&fit("映画", 7)), 7);
        assert_eq!(fit_right("ab", 4), "  ab");
    }

    #[test]
    fn human_units() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_duration(1692.473), "28:12");
        assert_eq!(human_duration(5392.92), "1:29:53");
    }
}
