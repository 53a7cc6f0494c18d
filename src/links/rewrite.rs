//! A text with some links replaced: each found link whose id has a new one is written with the
//! new id in the same form (domain, `/file/` or `/f/`, name, query kept).

use super::find::FoundLink;
use std::collections::HashMap;
use std::path::Path;

/// `text` with every link in `links` whose id is a key of `new_ids` pointing at the new id.
/// `links` must come from `find_links(text, ..)` (in order, not overlapping).
pub fn rewrite(text: &str, links: &[FoundLink], new_ids: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for l in links {
        let Some(new) = new_ids.get(&l.id) else {
            continue;
        };
        if l.start < at || l.end > text.len() {
            continue;
        }
        out.push_str(&text[at..l.start]);
        out.push_str(&replace_id(&l.text, &l.id, new));
        at = l.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The link with its id segment (after `/file/`, `/f/` or `/folder/`, followed by `/`, `?`, `#`
/// or the end) replaced.
fn replace_id(link: &str, old: &str, new: &str) -> String {
    let lower = link.to_ascii_lowercase();
    for marker in ["/file/", "/f/", "/folder/"] {
        let mut from = 0;
        while let Some(rel) = lower[from..].find(marker) {
            let at = from + rel + marker.len();
            let end = at + old.len();
            from = at;
            let rest = link.get(end..).unwrap_or("/");
            if link.get(at..end) == Some(old) && (rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
                return format!("{}{new}{rest}", &link[..at]);
            }
        }
    }
    link.to_string()
}

/// Write `text` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::{domains_with, find_links};

    #[test]
    fn links_keep_their_form() {
        let text = "[url=https://k2s.cc/file/olda1234/a.mp4]a[/url] k2s.cc/f/olda1234?x=1 \
            https://k2s.cc/file/keep5678 https://keep2share.cc/file/olda1234";
        let links = find_links(text, &domains_with(&[]));
        let map = HashMap::from([("olda1234".to_string(), "newb9999".to_string())]);
        assert_eq!(
            rewrite(text, &links, &map),
            "[url=https://k2s.cc/file/newb9999/a.mp4]a[/url] k2s.cc/f/newb9999?x=1 \
            https://k2s.cc/file/keep5678 https://keep2share.cc/file/newb9999"
        );
        assert_eq!(
            replace_id("https://k2s.cc/file/ab/abc", "abc", "x"),
            "https://k2s.cc/file/ab/abc"
        );
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("post.txt");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
