//! A captcha image drawn on the terminal in half blocks (`▀`, 24-bit colour: the upper pixel in
//! the foreground, the lower in the background), so that it can be read over SSH where no
//! browser can open it.

use image::imageops::FilterType;
use std::fmt::Write;

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
    fn not_an_image_is_none() {
        assert!(half_blocks(b"<html>nope</html>", 60).is_none());
        assert!(half_blocks(&png(4, 4), 0).is_none());
    }
}
