//! Every file of a folder (and below), row by row, as CSV or JSON, written as it is read.

use super::paths::Folders;
use super::rows::FileRow;
use super::{Index, Result};
use std::collections::HashSet;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

const HEADER: [&str; 15] = [
    "id",
    "path",
    "name",
    "size",
    "md5",
    "access",
    "available",
    "created",
    "downloads",
    "last_download",
    "blocked",
    "storage",
    "content_type",
    "title",
    "tags",
];

/// Write the files below `top` to `out`; returns how many.
/// `terminal`: the output is shown, not stored: server names are made terminal-safe (see
/// `text::sanitize`); else they are written as they are (JSON escapes DEL and C1 either way).
pub fn export(
    index: &Index,
    folders: &Folders,
    top: &str,
    format: Format,
    terminal: bool,
    out: &mut dyn Write,
) -> Result<u64> {
    let wanted: HashSet<String> = folders.below(top).into_iter().collect();
    let sql = format!("SELECT {} FROM files ORDER BY parent, name", FileRow::COLUMNS);
    let mut stmt = index.conn().prepare(&sql)?;
    let io = |e: std::io::Error| super::IndexError::Other(format!("writing the export: {e}"));
    match format {
        Format::Csv => writeln!(out, "{}", HEADER.join(",")).map_err(io)?,
        Format::Json => writeln!(out, "[").map_err(io)?,
    }
    let mut n = 0u64;
    for row in stmt.query_map([], FileRow::read)? {
        let f = row?;
        if !wanted.contains(&f.parent) {
            continue;
        }
        let path = folders.file_path(&f.parent, &f.name);
        match format {
            Format::Csv => {
                let line = csv_line(&f, &path);
                let line = if terminal {
                    crate::text::sanitize(&line)
                } else {
                    line
                };
                writeln!(out, "{line}").map_err(io)?
            }
            Format::Json => {
                let sep = if n == 0 { "" } else { ",\n" };
                write!(out, "{sep}{}", escape_c1(&json_line(&f, &path))).map_err(io)?;
            }
        }
        n += 1;
    }
    if format == Format::Json {
        writeln!(out, "{}]", if n == 0 { "" } else { "\n" }).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(n)
}

fn time(t: Option<i64>) -> String {
    t.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|d| d.to_rfc3339())
        .unwrap_or_default()
}

/// A field quoted when it must be; one that a spreadsheet would run as a formula is
/// prefixed with `'`.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_line(f: &FileRow, path: &str) -> String {
    let opt = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_default();
    let b = |v: Option<bool>| v.map(|x| x.to_string()).unwrap_or_default();
    let fields = [
        f.id.clone(),
        path.to_string(),
        f.name.clone(),
        opt(f.size),
        f.md5.clone().unwrap_or_default(),
        f.access.clone().unwrap_or_default(),
        b(f.available),
        time(f.created),
        opt(f.downloads),
        time(f.last_download),
        f.is_blocked().to_string(),
        f.storage.clone().unwrap_or_default(),
        f.content_type.clone().unwrap_or_default(),
        f.title.clone().unwrap_or_default(),
        tags_text(f.tags.as_deref()),
    ];
    fields.iter().map(|s| csv_field(s)).collect::<Vec<_>>().join(",")
}

/// The tags of the JSON array, joined with "; " for a CSV cell.
fn tags_text(tags: Option<&str>) -> String {
    tags.and_then(|t| serde_json::from_str::<Vec<String>>(t).ok())
        .unwrap_or_default()
        .join("; ")
}

fn json_line(f: &FileRow, path: &str) -> String {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
    };
    serde_json::json!({
        "id": f.id,
        "path": path,
        "name": f.name,
        "parent": f.parent,
        "size": f.size,
        "md5": f.md5,
        "access": f.access,
        "available": f.available,
        "available_for_free": f.available_free,
        "created": f.created.map(|t| time(Some(t))),
        "downloads": f.downloads,
        "last_download": f.last_download.map(|t| time(Some(t))),
        "blocked": f.is_blocked(),
        "abuses": parse(&f.abuses),
        "storage": f.storage,
        "content_type": f.content_type,
        "video": parse(&f.video),
        "title": f.title,
        "tags": parse(&f.tags),
    })
    .to_string()
}

/// DEL and the C1 controls, which serde_json leaves raw, as `\u007f`..`\u009f`.
fn escape_c1(json: &str) -> String {
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
