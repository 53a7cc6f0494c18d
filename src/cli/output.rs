//! Printing for people (sanitized, aligned by display width) and for scripts (JSON).

use crate::api::{Access, FileItem};
use crate::text::{fit, fit_right, human_bytes, human_duration, sanitize};
use serde::Serialize;

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// A server string, safe for the terminal.
pub fn s(text: &str) -> String {
    sanitize(text)
}

pub fn access_str(a: Option<&Access>) -> &'static str {
    a.map_or("-", Access::as_str)
}

pub fn date_str(d: Option<crate::api::Timestamp>) -> String {
    d.map_or_else(|| "-".into(), |d| d.format("%Y-%m-%d %H:%M").to_string())
}

/// The marker column: "/" folder, "!" abuse-blocked, "x" unavailable, " " fine.
pub fn marker(f: &FileItem) -> char {
    if f.is_folder() {
        '/'
    } else if f.is_blocked() {
        '!'
    } else if f.is_available == Some(false) {
        'x'
    } else {
        ' '
    }
}

pub fn short_line(f: &FileItem) -> String {
    let name = s(f.name());
    if f.is_folder() {
        format!("{}  {name}/", s(&f.id))
    } else {
        format!("{}  {name}", s(&f.id))
    }
}

pub const LONG_HEADER: &str =
    "ID             M       SIZE  CREATED           ACCESS   DLS  LAST DOWNLOAD     NAME";

pub fn long_line(f: &FileItem) -> String {
    let size = if f.is_folder() {
        "-".to_string()
    } else {
        f.size().map_or("-".into(), human_bytes)
    };
    let mut name = s(f.name());
    if f.is_folder() {
        name.push('/');
    }
    if let Some(v) = f.video() {
        let mut extra = Vec::new();
        if let Some(d) = v.duration {
            extra.push(human_duration(d));
        }
        if let (Some(w), Some(h)) = (v.width, v.height) {
            extra.push(format!("{w}x{h}"));
        }
        if !extra.is_empty() {
            name.push_str(&format!("  [{}]", extra.join(" ")));
        }
    }
    format!(
        "{} {} {} {} {} {} {} {}",
        fit(&s(&f.id), 14),
        marker(f),
        fit_right(&size, 10),
        fit(&date_str(f.created()), 17),
        fit(access_str(f.access()), 7),
        fit_right(&f.downloads().map_or("-".into(), |d| d.to_string()), 5),
        fit(&date_str(f.last_download()), 17),
        name
    )
}
