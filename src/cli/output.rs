//! Printing for people (sanitized, aligned by display width) and for scripts (JSON).

use crate::api::{Access, FileItem};
use crate::text::{fit, fit_right, human_bytes, human_duration, sanitize};
use serde::Serialize;
use std::io::Write;

/// Print a line on stdout like `println!`, but return an error instead of panicking when stdout
/// cannot take it (a full disk, `> /dev/full`). A closed pipe still ends the process quietly
/// (SIGPIPE).
macro_rules! outln {
    () => {
        $crate::cli::output::out("")
    };
    ($($arg:tt)*) => {
        $crate::cli::output::out(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// Write `line` and a newline on stdout, flushed; an error names what went wrong.
pub fn out(line: impl std::fmt::Display) -> anyhow::Result<()> {
    let mut o = std::io::stdout().lock();
    writeln!(o, "{line}")
        .and_then(|()| o.flush())
        .map_err(|e| anyhow::anyhow!("cannot write the output: {e}"))
}

/// Retries of API calls shown on stderr as they happen: "k2s: retrying in 4 s (2 of 5):
/// connection refused".
pub fn retry_notice() -> crate::api::client::RetryNotice {
    crate::api::client::RetryNotice(std::sync::Arc::new(|r| eprintln!("k2s: {r}")))
}

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    out(json_text(v, true)?)
}

/// Print a value as one line of JSON on stdout.
pub fn print_json_line<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    out(json_text(v, false)?)
}

/// A value as JSON (pretty or on one line) that is harmless on a terminal: every character is
/// kept, DEL and the C1 controls (U+007F..U+009F, which serde_json leaves raw) are escaped as
/// `\u007f`..`\u009f` like the C0 ones. Every JSON the CLI prints goes through here.
pub fn json_text<T: Serialize + ?Sized>(v: &T, pretty: bool) -> anyhow::Result<String> {
    let text = if pretty {
        serde_json::to_string_pretty(v)?
    } else {
        serde_json::to_string(v)?
    };
    Ok(escape_c1(&text))
}

/// `\u007f`..`\u009f` for DEL and the C1 controls; they can only be inside JSON strings, where
/// the escape means the same character.
pub fn escape_c1(json: &str) -> String {
    let mut s = String::with_capacity(json.len());
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) {
            s.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            s.push(c);
        }
    }
    s
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

/// A file or folder as `ls --json` and `info --json` print it: the same keys for every item,
/// whichever API call and reply form they came from (null when the service did not say).
/// README's "JSON output" lists them.
#[derive(Debug, Clone, Serialize)]
pub struct ItemJson {
    pub id: String,
    pub name: String,
    /// "file" or "folder".
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub size: Option<u64>,
    pub md5: Option<String>,
    pub created: Option<crate::api::Timestamp>,
    /// "public", "private" or "premium".
    pub access: Option<&'static str>,
    /// Whether others may list the folder; the service's file lists do not say (null).
    pub is_public: Option<bool>,
    pub is_available: Option<bool>,
    pub is_available_for_free: Option<bool>,
    /// Blocked by an abuse report.
    pub blocked: bool,
    pub downloads: Option<u64>,
    pub last_download: Option<crate::api::Timestamp>,
    pub content_type: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// "1920x1080".
    pub resolution: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The folder id it is in ("/" for the root).
    pub parent: Option<String>,
    /// "/Movies/x.mp4", when the folder's path is known.
    pub path: Option<String>,
    /// The share link (`https://DOMAIN/folder/ID` for a folder, as `k2s link` prints).
    pub link: Option<String>,
}

/// `f` in the shape of [`ItemJson`]; `folder_path` is the path of the folder it is in, when known.
pub fn item_json(
    f: &FileItem,
    parent: Option<&str>,
    folder_path: Option<&str>,
    link_domain: &str,
) -> ItemJson {
    let video = f.video();
    let (width, height) = (video.and_then(|v| v.width), video.and_then(|v| v.height));
    let path = folder_path.map(|p| format!("{}/{}", p.trim_end_matches('/'), f.name()));
    ItemJson {
        id: f.id.clone(),
        name: f.name().to_string(),
        kind: if f.is_folder() { "folder" } else { "file" },
        size: if f.is_folder() { None } else { f.size() },
        md5: f.md5.clone(),
        created: f.created(),
        access: f.access().map(Access::as_str),
        is_public: None,
        is_available: f.is_available,
        is_available_for_free: f.is_available_for_free,
        blocked: f.is_blocked(),
        downloads: f.downloads(),
        last_download: f.last_download(),
        content_type: f.content_type().map(str::to_string),
        duration: video.and_then(|v| v.duration),
        resolution: width.zip(height).map(|(w, h)| format!("{w}x{h}")),
        width,
        height,
        parent: parent.map(str::to_string).or_else(|| f.parent_id.clone()),
        path,
        link: Some(if f.is_folder() {
            format!("https://{link_domain}/folder/{}", f.id)
        } else {
            crate::api::share_link(link_domain, &f.id, f.name.as_deref())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_del_and_c1_and_keeps_the_rest() {
        let name = "a\u{7f}b\u{80}c\u{9b}d\u{9f}e\u{a0}f\u{202e}g\u{1b}h";
        let text = json_text(&serde_json::json!({ "name": name }), false).unwrap();
        assert_eq!(
            text,
            r#"{"name":"a\u007fb\u0080c\u009bd\u009fe"#.to_string() + "\u{a0}f\u{202e}g" + r#"\u001bh"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], name);
    }
}
