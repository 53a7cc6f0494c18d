//! Reading answers from the user: a line from stdin (scripts) or the terminal (people).
use super::captcha_art::CaptchaView;
use std::io::{BufRead, IsTerminal, Write};

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// Whether a browser can be opened (a graphical display exists, or macOS / Windows).
pub fn has_display() -> bool {
    cfg!(any(target_os = "macos", windows))
        || std::env::var_os("DISPLAY").is_some_and(|v| !v.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty())
}

/// Print `question` on stderr and read one line from stdin (trimmed). None at end of input.
pub fn ask_line(question: &str) -> anyhow::Result<Option<String>> {
    eprint!("{question}");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    let n = std::io::stdin().lock().read_line(&mut line)?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\r', '\n']).trim().to_string()))
}

/// Read a password without echo when stdin is a terminal.
pub fn ask_password(question: &str) -> anyhow::Result<String> {
    if stdin_is_terminal() {
        Ok(rpassword::prompt_password(question)?)
    } else {
        anyhow::bail!("no terminal to ask for the password: use --password-stdin")
    }
}

/// y/N confirmation on the terminal.
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    Ok(matches!(
        ask_line(&format!("{question} [y/N] "))?.as_deref(),
        Some("y" | "Y" | "yes" | "YES" | "Yes")
    ))
}

/// Show a captcha page/image URL, open it when possible, and read the answer.
pub fn solve_captcha(kind: &str, url: &str) -> anyhow::Result<String> {
    solve_captcha_image(kind, url, None, CaptchaView::None)
}

/// As `solve_captcha`, drawing the image itself first (over SSH, where no browser opens), the
/// address under it: as `view` says, and for `Auto` only when stderr is a terminal with colour
/// (kitty or sixel graphics where the terminal has them, else half blocks).
pub fn solve_captcha_image(
    kind: &str,
    url: &str,
    image: Option<&[u8]>,
    view: CaptchaView,
) -> anyhow::Result<String> {
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let shown = view != CaptchaView::Auto || (colour && std::io::stderr().is_terminal());
    let view = view.resolve(|k| std::env::var(k).ok());
    let picture = image.filter(|_| shown).and_then(|bytes| picture(bytes, view));
    match picture {
        Some(lines) => {
            eprintln!("{kind} required. Type the characters of this picture:");
            for l in lines {
                eprintln!("  {l}");
            }
            eprintln!("(the image is also at {url})");
        }
        None => {
            eprintln!("{kind} required. Open this address, solve it, and paste the answer:");
            eprintln!("  {url}");
        }
    }
    if has_display()
        && let Err(e) = open::that_detached(url)
    {
        tracing::debug!("could not open a browser: {e}");
    }
    match ask_line("answer: ")? {
        Some(a) if !a.is_empty() => Ok(a),
        _ => Err(super::exit::Failure::error(
            super::exit::Exit::Auth,
            "no captcha answer given",
        )),
    }
}

/// The picture as lines for stderr, as `view` says (a definite view, not `Auto`); None when
/// none is to be drawn or the bytes are not an image.
fn picture(bytes: &[u8], view: CaptchaView) -> Option<Vec<String>> {
    let cols = ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w);
    let cols = u32::from(cols.saturating_sub(4).clamp(8, 64));
    match view {
        CaptchaView::Halfblocks | CaptchaView::Auto => super::captcha_art::half_blocks(bytes, cols),
        CaptchaView::Kitty => super::captcha_art::kitty(bytes, cols).map(|s| vec![s]),
        // About ten pixels a cell: as wide as the half blocks would be, or the image's own size.
        CaptchaView::Sixel => super::captcha_art::sixel(bytes, cols * 10).map(|s| vec![s]),
        CaptchaView::None => None,
    }
}

/// The client's prompt for the password when a password session ends: on a terminal only (the
/// password is read without echo and kept in memory), never in scripts.
pub fn session_password_prompt() -> Option<crate::api::PasswordPrompt> {
    if !stdin_is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    Some(crate::api::PasswordPrompt(std::sync::Arc::new(|user: &str| {
        let user = crate::text::sanitize(user);
        let question = format!("k2s: the session of {user} has ended; password (not stored): ");
        match rpassword::prompt_password(question) {
            Ok(p) if !p.is_empty() => Some(p),
            _ => None,
        }
    })))
}
