//! A captcha image drawn on the terminal, so that it can be read over SSH where no browser can
//! open it: with the kitty graphics protocol or sixel where the terminal has them, else in half
//! blocks (`▀`, 24-bit colour: the upper pixel in the foreground, the lower in the background).

use base64::Engine as _;
use image::imageops::FilterType;
use std::fmt::Write;

/// How the captcha is drawn (`--captcha-view`, `K2S_CAPTCHA_VIEW`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CaptchaView {
    /// kitty or sixel where the terminal says it has them, else half blocks
    #[default]
    Auto,
    /// The kitty graphics protocol (kitty, WezTerm, Ghostty)
    Kitty,
    /// Sixel graphics (foot, mlterm, xterm -ti vt340, WezTerm, ...)
    Sixel,
    /// Coloured half blocks: any terminal with 24-bit colour, tmux, plain SSH
    Halfblocks,
    /// No picture: only the captcha's address
    None,
}

impl CaptchaView {
    /// A value of `K2S_CAPTCHA_VIEW`, any case; None when it is not one.
    pub fn parse(s: &str) -> Option<CaptchaView> {
        <CaptchaView as clap::ValueEnum>::from_str(s.trim(), true).ok()
    }

    /// `Auto` made definite from the terminal's environment (`vars` looks a variable up): the
    /// TUI's `K2S_GRAPHICS` when it names kitty, sixel or half blocks; inside tmux or screen half blocks (they do not pass the graphics through), kitty's
    /// protocol where kitty, WezTerm or Ghostty say they run, sixel in terminals known for it.
    pub fn resolve(self, vars: impl Fn(&str) -> Option<String>) -> CaptchaView {
        if self != CaptchaView::Auto {
            return self;
        }
        let var = |k: &str| vars(k).filter(|v| !v.is_empty());
        if let Some(v) = var("K2S_GRAPHICS").and_then(|v| CaptchaView::parse(&v))
            && v != CaptchaView::None
        {
            return v;
        }
        if var("TMUX").is_some() || var("STY").is_some() {
            return CaptchaView::Halfblocks;
        }
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        let program = var("TERM_PROGRAM").unwrap_or_default().to_ascii_lowercase();
        if term.contains("kitty")
            || term.contains("ghostty")
            || var("KITTY_WINDOW_ID").is_some()
            || matches!(program.as_str(), "wezterm" | "ghostty")
        {
            return CaptchaView::Kitty;
        }
        if ["foot", "mlterm", "contour", "yaft"]
            .iter()
            .any(|t| term.contains(t))
        {
            return CaptchaView::Sixel;
        }
        CaptchaView::Halfblocks
    }
}

/// The picture in the kitty graphics protocol, `cols` cells wide: a PNG sent in base64 chunks
/// of at most 4096 bytes (`m=1` while more follow), shown at the cursor. None when the bytes
/// are not an image.
pub fn kitty(bytes: &[u8], cols: u32) -> Option<String> {
    let img = image::load_from_memory(bytes).ok()?;
    if img.width() == 0 || img.height() == 0 || cols == 0 {
        return None;
    }
    let mut png = std::io::Cursor::new(Vec::new());
    img.to_rgba8().write_to(&mut png, image::ImageFormat::Png).ok()?;
    let data = base64::engine::general_purpose::STANDARD.encode(png.into_inner());
    let chunks: Vec<&[u8]> = data.as_bytes().chunks(4096).collect();
    let mut out = String::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let more = u8::from(i + 1 < chunks.len());
        let text = std::str::from_utf8(chunk).ok()?;
        if i == 0 {
            let _ = write!(out, "\x1b_Ga=T,f=100,t=d,q=2,c={cols},m={more};{text}\x1b\\");
        } else {
            let _ = write!(out, "\x1b_Gm={more};{text}\x1b\\");
        }
    }
    Some(out)
}

/// The picture as one sixel sequence (DCS `q` ... ST) at most `max_px` pixels wide, in a
/// palette of 6×6×6 colours. None when the bytes are not an image.
pub fn sixel(bytes: &[u8], max_px: u32) -> Option<String> {
    let img = image::load_from_memory(bytes).ok()?.to_rgb8();
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 || max_px == 0 {
        return None;
    }
    let img = if w > max_px {
        let nh = ((h as u64 * max_px as u64) / w as u64).max(1) as u32;
        image::imageops::resize(&img, max_px, nh, FilterType::Triangle)
    } else {
        img
    };
    let (w, h) = img.dimensions();
    let level = |c: u8| (u16::from(c) * 5 + 127) / 255;
    let index: Vec<u16> = img
        .pixels()
        .map(|p| level(p.0[0]) * 36 + level(p.0[1]) * 6 + level(p.0[2]))
        .collect();
    let mut out = format!("\x1bP0;1;0q\"1;1;{w};{h}");
    for i in 0..216u16 {
        let pct = |l: u16| l * 100 / 5;
        let _ = write!(out, "#{i};2;{};{};{}", pct(i / 36), pct(i / 6 % 6), pct(i % 6));
    }
    for top in (0..h).step_by(6) {
        sixel_band(
            &mut out,
            &index,
            w as usize,
            top as usize,
            (h - top).min(6) as usize,
        );
        out.push('-');
    }
    out.push_str("\x1b\\");
    Some(out)
}

/// One band of six pixel rows: for each colour in it, its sixels from the left (runs of the
/// same sixel compressed as `!N`), then back to the band's start (`$`).
fn sixel_band(out: &mut String, index: &[u16], w: usize, top: usize, rows: usize) {
    let mut used = [false; 216];
    for r in 0..rows {
        for x in 0..w {
            used[usize::from(index[(top + r) * w + x])] = true;
        }
    }
    for colour in (0..216u16).filter(|c| used[usize::from(*c)]) {
        let _ = write!(out, "#{colour}");
        let sixels = (0..w).map(|x| {
            let bits = (0..rows)
                .filter(|r| index[(top + r) * w + x] == colour)
                .fold(0u8, |b, r| b | (1 << r));
            char::from(63 + bits)
        });
        let mut run: Option<(char, usize)> = None;
        for c in sixels.chain(std::iter::once('\0')) {
            match run {
                Some((p, n)) if p == c => run = Some((p, n + 1)),
                _ => {
                    if let Some((p, n)) = run {
                        push_run(out, p, n);
                    }
                    run = Some((c, 1));
                }
            }
        }
        out.push('$');
    }
}

fn push_run(out: &mut String, c: char, n: usize) {
    if n > 3 {
        let _ = write!(out, "!{n}{c}");
    } else {
        (0..n).for_each(|_| out.push(c));
    }
}

/// The picture as lines of half blocks at most `cols` wide, or `None` when the bytes are not
/// an image.
pub fn half_blocks(bytes: &[u8], cols: u32) -> Option<Vec<String>> {
    let img = image::load_from_memory(bytes).ok()?.to_rgb8();
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 || cols == 0 {
        return None;
    }
    let cw = w.min(cols);
    // Cells are about twice as tall as wide; each cell holds two pixel rows.
    let ch = ((h as u64 * cw as u64) / (w as u64)).max(2) as u32;
    let ch = ch + ch % 2;
    let small = image::imageops::resize(&img, cw, ch, FilterType::Triangle);
    let mut out = Vec::new();
    for y in (0..ch).step_by(2) {
        let mut line = String::new();
        for x in 0..cw {
            let top = small.get_pixel(x, y).0;
            let bottom = small.get_pixel(x, (y + 1).min(ch - 1)).0;
            let _ = write!(
                line,
                "\x1b[38;2;{};{};{}m\x1b[48;2;{};{};{}m▀",
                top[0], top[1], top[2], bottom[0], bottom[1], bottom[2]
            );
        }
        line.push_str("\x1b[0m");
        out.push(line);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn an_image_becomes_lines_of_coloured_half_blocks() {
        let lines = half_blocks(&png(120, 40), 60).expect("a picture");
        assert!(!lines.is_empty() && lines.len() <= 20, "{}", lines.len());
        for l in &lines {
            assert_eq!(l.matches('▀').count(), 60, "60 cells wide");
            assert!(l.ends_with("\x1b[0m"));
        }
        assert!(lines[0].starts_with("\x1b[38;2;255;0;0m"), "red on the left");
        assert!(lines[0].contains("\x1b[38;2;0;0;255m"), "blue on the right");
    }

    #[test]
    fn kitty_sends_a_png_in_apc_chunks() {
        let s = kitty(&png(300, 200), 40).expect("a picture");
        assert!(s.starts_with("\x1b_Ga=T,f=100,t=d,q=2,c=40,"), "{}", &s[..40]);
        assert!(s.ends_with("\x1b\\"));
        let chunks = s.matches("\x1b_G").count();
        assert_eq!(s.matches("m=0;").count(), 1, "one last chunk");
        assert_eq!(s.matches("m=1;").count(), chunks - 1);
        let first = s.split("\x1b\\").next().unwrap();
        let data = first.split(';').next_back().unwrap();
        assert!(data.len() <= 4096);
        let all: String = s.split("\x1b\\").filter_map(|c| c.split(';').nth(1)).collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(all).unwrap();
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 300);
    }

    #[test]
    fn sixel_is_one_dcs_sequence_with_the_size_and_colours() {
        // Scaled down to at most 60 pixels wide.
        let big = sixel(&png(120, 40), 60).expect("a picture");
        assert!(big.starts_with("\x1bP0;1;0q\"1;1;60;20"), "{}", &big[..30]);
        let s = sixel(&png(60, 20), 60).expect("a picture");
        assert!(s.starts_with("\x1bP0;1;0q\"1;1;60;20"), "{}", &s[..30]);
        assert!(s.ends_with("-\x1b\\"));
        // 20 rows: four bands, each ending in '-'.
        let body = &s[s.find("#215;2;100;100;100").unwrap()..];
        assert_eq!(body.matches('-').count(), 4);
        // Red (5,0,0) is colour 180 and blue (0,0,5) colour 5: both used, each left or right.
        assert!(body.contains("#180!30~!30?$"), "red fills the left half");
        assert!(body.contains("#5!30?!30~$"), "blue fills the right half");
        // The last band has two rows: the bits of rows 0 and 1 only ('B' = 63 + 3).
        assert!(body.ends_with("#5!30?!30B$#180!30B!30?$-\x1b\\"), "{body}");
    }

    #[test]
    fn auto_follows_the_terminal() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let auto = CaptchaView::Auto;
        assert_eq!(auto.resolve(env(&[("TERM", "xterm-kitty")])), CaptchaView::Kitty);
        assert_eq!(
            auto.resolve(env(&[("TERM_PROGRAM", "WezTerm")])),
            CaptchaView::Kitty
        );
        assert_eq!(auto.resolve(env(&[("TERM", "foot")])), CaptchaView::Sixel);
        assert_eq!(
            auto.resolve(env(&[("TERM", "xterm-256color")])),
            CaptchaView::Halfblocks
        );
        let tmux = env(&[("TERM", "xterm-kitty"), ("TMUX", "/tmp/tmux-0/default,1,0")]);
        assert_eq!(auto.resolve(tmux), CaptchaView::Halfblocks);
        assert_eq!(CaptchaView::Sixel.resolve(env(&[])), CaptchaView::Sixel);
        let tui_says = env(&[("TERM", "xterm-256color"), ("K2S_GRAPHICS", "sixel")]);
        assert_eq!(auto.resolve(tui_says), CaptchaView::Sixel);
        assert_eq!(
            auto.resolve(env(&[("K2S_GRAPHICS", "query")])),
            CaptchaView::Halfblocks
        );
        assert_eq!(CaptchaView::parse(" KITTY "), Some(CaptchaView::Kitty));
        assert_eq!(CaptchaView::parse("pictures"), None);
    }

    #[test]
    fn not_an_image_is_none() {
        assert!(kitty(b"nope", 40).is_none());
        assert!(sixel(b"nope", 40).is_none());
        assert!(half_blocks(b"<html>nope</html>", 60).is_none());
        assert!(half_blocks(&png(4, 4), 0).is_none());
    }
}
