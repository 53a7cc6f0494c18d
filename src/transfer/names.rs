//! Local file names for downloads: server-supplied names made safe, unique names that never
//! overwrite, and a rename that refuses to replace.

use std::path::{Component, Path, PathBuf};

/// The longest name we create, in bytes (room is left for " (999).part.k2s").
pub const MAX_NAME_BYTES: usize = 200;

/// Suffix of an unfinished download, and of its sidecar (completed byte ranges).
pub const PART_SUFFIX: &str = ".part";
pub const SIDECAR_SUFFIX: &str = ".part.k2s";

/// A server-supplied name made into one safe path component: no separators, no "." or "..",
/// no control characters or escape sequences, no characters Windows refuses, not empty,
/// at most `MAX_NAME_BYTES`. `fallback` (e.g. the file id) is used when nothing is left.
pub fn sanitize_file_name(name: &str, fallback: &str) -> String {
    // Escape sequences go whole; remaining controls become U+FFFD, then '_'.
    let text = crate::text::sanitize(name);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\u{fffd}' => out.push('_'),
            c if c.is_control() => out.push('_'),
            c => out.push(c),
        }
    }
    // "..", leading dots (hidden files, "."), and trailing dots/spaces (Windows) go.
    while out.contains("..") {
        out = out.replace("..", ".");
    }
    let mut out = out
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    if is_windows_reserved(&out) {
        out.insert(0, '_');
    }
    if out.is_empty() {
        out = if fallback.is_empty() {
            "download".into()
        } else {
            sanitize_file_name(fallback, "download")
        };
    }
    let out = limit_len(&out, MAX_NAME_BYTES);
    debug_assert!(is_single_component(&out), "{out:?}");
    out
}

fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// Cut to `max` bytes on a char boundary, keeping a short extension.
fn limit_len(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = split_ext(name);
    let ext = if ext.len() <= 16 { ext } else { "" };
    let mut cut = max.saturating_sub(ext.len());
    while cut > 0 && !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &stem[..cut.min(stem.len())], ext)
}

/// ("movie", ".mp4"); a name without a dot (or only a leading one) has no extension.
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    }
}

/// True when `name` is exactly one normal path component.
pub fn is_single_component(name: &str) -> bool {
    let mut comps = Path::new(name).components();
    matches!((comps.next(), comps.next()), (Some(Component::Normal(_)), None)) && !name.contains(['/', '\\'])
}

/// "name.ext", "name (1).ext", "name (2).ext", ...
pub fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_string();
    }
    let (stem, ext) = split_ext(name);
    format!("{stem} ({n}){ext}")
}

pub fn part_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{PART_SUFFIX}"))
}

pub fn sidecar_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{SIDECAR_SUFFIX}"))
}

/// Move `from` to `dir/name`, or to `dir/name (1)`, ... when that exists: never replaces a
/// file. Returns the final path.
pub fn rename_no_clobber(from: &Path, dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    for n in 0..10_000 {
        let to = dir.join(numbered(name, n));
        match std::fs::hard_link(from, &to) {
            Ok(()) => {
                std::fs::remove_file(from)?;
                return Ok(to);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {
                // No hard links here (some filesystems): check, then rename.
                if std::fs::symlink_metadata(&to).is_ok() {
                    continue;
                }
                std::fs::rename(from, &to)?;
                return Ok(to);
            }
        }
    }
    Err(std::io::Error::other("no free file name left"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_one_component() {
        for (input, want) in [
            ("../../x", "_._x"),
            ("/etc/passwd", "_etc_passwd"),
            ("..", "id123"),
            (".", "id123"),
            ("", "id123"),
            ("a\u{1b}[31mred\u{1b}[0m.txt", "ared.txt"),
            ("bell\u{7}.bin", "bell_.bin"),
            ("C:\\win\\x.exe", "C__win_x.exe"),
            (".hidden", "hidden"),
            ("trail. . ", "trail"),
            ("NUL.txt", "_NUL.txt"),
            ("映画 🎬.mp4", "映画 🎬.mp4"),
        ] {
            let got = sanitize_file_name(input, "id123");
            assert_eq!(got, want, "{input:?}");
            assert!(is_single_component(&got), "{got:?}");
        }
        let long = format!("{}.mkv", "é".repeat(300));
        let got = sanitize_file_name(&long, "x");
        assert!(got.len() <= MAX_NAME_BYTES && got.ends_with(".mkv"), "{got}");
    }

    #[test]
    fn numbering_and_no_clobber() {
        assert_eq!(numbered("a.tar.gz", 2), "a.tar (2).gz");
        assert_eq!(numbered("README", 1), "README (1)");
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("f.txt"), b"old").unwrap();
        let part = d.path().join("f.txt.part");
        std::fs::write(&part, b"new").unwrap();
        let to = rename_no_clobber(&part, d.path(), "f.txt").unwrap();
        assert_eq!(to, d.path().join("f (1).txt"));
        assert_eq!(std::fs::read(d.path().join("f.txt")).unwrap(), b"old");
        assert_eq!(std::fs::read(&to).unwrap(), b"new");
        assert!(!part.exists());
    }
}
