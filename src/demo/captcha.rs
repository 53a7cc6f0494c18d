//! requestCaptcha and the captcha image: a PNG of ~6 characters drawn with a built-in 5x7 font.

use super::routes::{ApiError, Reply, json_response, ok};
use super::server::Shared;
use super::state::random_id;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::json;

/// Characters a captcha uses (no 0/O, 1/I).
pub(crate) const ALPHABET: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
pub(crate) const CAPTCHA_LEN: usize = 6;
const SCALE: usize = 5;
const MARGIN: usize = 10;
const INK: u8 = 30;
const PAPER: u8 = 235;

/// 5x7 glyphs, one row per byte, bit 4 = leftmost column; same order as ALPHABET.
#[rustfmt::skip]
const GLYPHS: [[u8; 7]; 32] = [
    [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001], // A
    [0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110], // B
    [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110], // C
    [0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110], // D
    [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111], // E
    [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000], // F
    [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111], // G
    [0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001], // H
    [0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100], // J
    [0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001], // K
    [0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111], // L
    [0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001], // M
    [0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001], // N
    [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000], // P
    [0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101], // Q
    [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001], // R
    [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110], // S
    [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100], // T
    [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110], // U
    [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100], // V
    [0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010], // W
    [0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001], // X
    [0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0b00100], // Y
    [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111], // Z
    [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111], // 2
    [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110], // 3
    [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010], // 4
    [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110], // 5
    [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110], // 6
    [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000], // 7
    [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110], // 8
    [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100], // 9
];

fn glyph(c: char) -> Option<&'static [u8; 7]> {
    ALPHABET.chars().position(|a| a == c).and_then(|i| GLYPHS.get(i))
}

/// Image size for `n` characters.
pub(crate) fn dimensions(n: usize) -> (usize, usize) {
    (MARGIN * 2 + n * 6 * SCALE, MARGIN * 2 + 7 * SCALE)
}

/// A grayscale PNG showing `text` (dark ink on light paper, with light-gray noise).
pub(crate) fn render_png(text: &str) -> Result<Vec<u8>, png::EncodingError> {
    let chars: Vec<char> = text.chars().collect();
    let (w, h) = dimensions(chars.len());
    let mut px = vec![PAPER; w * h];
    let mut rng = rand::rng();
    for _ in 0..(w * h / 12) {
        let i = rng.random_range(0..w * h);
        px[i] = rng.random_range(150..=215);
    }
    for _ in 0..3 {
        let (y0, y1) = (rng.random_range(0..h) as f64, rng.random_range(0..h) as f64);
        for x in 0..w {
            let y = (y0 + (y1 - y0) * x as f64 / w as f64) as usize;
            if y < h {
                px[y * w + x] = 170;
            }
        }
    }
    for (ci, c) in chars.iter().enumerate() {
        let Some(g) = glyph(*c) else { continue };
        let x0 = MARGIN + ci * 6 * SCALE;
        for (row, bits) in g.iter().enumerate() {
            for col in 0..5 {
                if bits & (1 << (4 - col)) == 0 {
                    continue;
                }
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        px[(MARGIN + row * SCALE + dy) * w + x0 + col * SCALE + dx] = INK;
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w as u32, h as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header()?;
        writer.write_image_data(&px)?;
        writer.finish()?;
    }
    Ok(out)
}

/// Reads back the text of an image made by `render_png` (grayscale pixels, row-major), by
/// matching each character cell against the font. For tests.
#[cfg(test)]
pub(crate) fn read_text(px: &[u8], w: usize, n: usize) -> String {
    (0..n)
        .map(|ci| {
            let x0 = MARGIN + ci * 6 * SCALE;
            let ink = |row: usize, col: usize| {
                let (y, x) = (MARGIN + row * SCALE + SCALE / 2, x0 + col * SCALE + SCALE / 2);
                px.get(y * w + x).is_some_and(|v| *v < 100)
            };
            ALPHABET
                .chars()
                .zip(GLYPHS.iter())
                .find(|(_, g)| (0..7).all(|r| (0..5).all(|c| ink(r, c) == (g[r] & (1 << (4 - c)) != 0))))
                .map_or('?', |(ch, _)| ch)
        })
        .collect()
}

pub(crate) fn request(sh: &Shared) -> Result<Reply, ApiError> {
    let challenge = random_id(13);
    let mut rng = rand::rng();
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let answer: String = (0..CAPTCHA_LEN)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())])
        .collect();
    sh.st().captchas.insert(challenge.clone(), answer);
    let url = format!("{}/captcha?id={challenge}", sh.api_url());
    ok(json!({"challenge": challenge, "captcha_url": url}))
}

/// `GET /api/v2/captcha?id=`.
pub(crate) fn image(sh: &Shared, id: &str) -> Response {
    let Some(answer) = sh.st().captchas.get(id).cloned() else {
        return json_response(
            400,
            &json!({"status": "error", "code": 400, "message": "Id not found"}),
        );
    };
    match render_png(&answer) {
        Ok(png) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            png,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!("captcha png: {e}");
            json_response(
                500,
                &json!({"status": "error", "code": 500, "message": "Captcha error"}),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_shows_the_answer() {
        for text in ["ABCDEF", "XYZ234", "56789G", "HJKLMN", "PQRSTU", "VW2345"] {
            let png = render_png(text).expect("encode");
            let dec = png::Decoder::new(std::io::Cursor::new(png));
            let mut reader = dec.read_info().expect("png header");
            let mut buf = vec![0; reader.output_buffer_size().expect("size")];
            let info = reader.next_frame(&mut buf).expect("frame");
            assert_eq!(info.color_type, png::ColorType::Grayscale);
            assert_eq!(read_text(&buf, info.width as usize, text.len()), text);
        }
    }

    #[test]
    fn glyphs_are_distinct() {
        for (i, a) in GLYPHS.iter().enumerate() {
            for b in GLYPHS.iter().skip(i + 1) {
                assert_ne!(a, b);
            }
        }
    }
}
