//! Share links and ids: making `https://<domain>/file/<id>/<name>` and `/folder/<id>` links,
//! and reading every link form of the service (`/file/<id>`, `/f/<id>`, `/folder/<id>`, each
//! optionally followed by `/<name>`, a query or a fragment; any http(s) host, with or without
//! the scheme) or a bare id.

/// A path segment keeps RFC 3986's unreserved characters and encodes everything else.
const NAME_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `/file/<id>` or `/f/<id>`.
    File,
    /// `/folder/<id>`.
    Folder,
    /// A bare id: a file or a folder.
    Unknown,
}

/// The id a link or a bare id names, and what kind of item it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub id: String,
    pub kind: LinkKind,
}

fn link(domain: &str, kind: &str, id: &str, name: Option<&str>) -> String {
    let domain = domain
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let domain = if domain.is_empty() { "k2s.cc" } else { domain };
    match name.filter(|n| !n.is_empty()) {
        Some(n) => format!(
            "https://{domain}/{kind}/{id}/{}",
            percent_encoding::utf8_percent_encode(n, NAME_SEGMENT)
        ),
        None => format!("https://{domain}/{kind}/{id}"),
    }
}

/// Share link `https://<domain>/file/<id>/<url-encoded name>`.
pub fn share_link(domain: &str, id: &str, name: Option<&str>) -> String {
    link(domain, "file", id, name)
}

/// Folder link `https://<domain>/folder/<id>/<url-encoded name>`.
pub fn folder_link(domain: &str, id: &str, name: Option<&str>) -> String {
    link(domain, "folder", id, name)
}

/// Whether `s` can be a file or folder id (4 to 64 letters, digits, `-` or `_`).
pub fn looks_like_id(s: &str) -> bool {
    (4..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A bare id (kind `Unknown`), or the id of a file or folder link on any http(s) host, with or
/// without the scheme, `www.` or not; a path alone (`/file/<id>`) too. None for anything else.
pub fn parse_link(text: &str) -> Option<LinkRef> {
    let text = text.trim();
    if looks_like_id(text) {
        return Some(LinkRef {
            id: text.to_string(),
            kind: LinkKind::Unknown,
        });
    }
    let url = if text.starts_with('/') && !text.starts_with("//") {
        url::Url::parse("https://k2s.cc").ok()?.join(text).ok()?
    } else if text.contains("://") {
        url::Url::parse(text).ok()?
    } else {
        url::Url::parse(&format!("https://{text}")).ok()?
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    let segs: Vec<&str> = url.path_segments()?.collect();
    segs.windows(2).find_map(|w| {
        let kind = match w[0].to_ascii_lowercase().as_str() {
            "file" | "f" => LinkKind::File,
            "folder" => LinkKind::Folder,
            _ => return None,
        };
        looks_like_id(w[1]).then(|| LinkRef {
            id: w[1].to_string(),
            kind,
        })
    })
}

/// The file id of a file link or a bare id; None for a folder link and anything else.
pub fn file_id_from_link(text: &str) -> Option<String> {
    parse_link(text)
        .filter(|l| l.kind != LinkKind::Folder)
        .map(|l| l.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Option<(String, LinkKind)> {
        parse_link(text).map(|l| (l.id, l.kind))
    }

    #[test]
    fn every_link_form() {
        use LinkKind::*;
        let id = "a1b2c3d4e5f6g";
        let cases: Vec<(String, Option<LinkKind>)> = vec![
            (id.into(), Some(Unknown)),
            (format!("  {id}\n"), Some(Unknown)),
            (format!("https://k2s.cc/file/{id}"), Some(File)),
            (format!("https://k2s.cc/file/{id}/"), Some(File)),
            (format!("https://k2s.cc/file/{id}/Some%20video.mp4"), Some(File)),
            (
                format!("https://k2s.cc/file/{id}/name.zip?site=a#top"),
                Some(File),
            ),
            (format!("https://k2s.cc/f/{id}"), Some(File)),
            (format!("https://k2s.cc/f/{id}/a.mp4"), Some(File)),
            (format!("https://k2s.cc/folder/{id}"), Some(Folder)),
            (format!("https://k2s.cc/folder/{id}/My%20Folder"), Some(Folder)),
            (format!("https://k2s.cc/folder/{id}?lang=en"), Some(Folder)),
            (format!("http://keep2share.cc/file/{id}/x"), Some(File)),
            (format!("https://www.keep2share.cc/f/{id}"), Some(File)),
            (format!("keep2s.cc/folder/{id}/x"), Some(Folder)),
            (format!("k2s.cc/file/{id}"), Some(File)),
            (format!("www.k2s.cc/file/{id}#x"), Some(File)),
            (format!("https://k2s.cc/FILE/{id}"), Some(File)),
            (format!("http://127.0.0.1:8080/file/{id}"), Some(File)),
            (format!("/file/{id}/name"), Some(File)),
            (format!("/folder/{id}"), Some(Folder)),
            (format!("https://k2s.cc/en/file/{id}"), Some(File)),
        ];
        for (text, want) in cases {
            assert_eq!(parsed(&text), want.map(|k| (id.to_string(), k)), "{text:?}");
        }
        for text in [
            "https://k2s.cc/file/",
            "https://k2s.cc/folder/",
            "https://k2s.cc/",
            "https://k2s.cc/files/a1b2c3d4e5f6g",
            "https://k2s.cc/file/bad id!",
            "ftp://k2s.cc/file/a1b2c3d4e5f6g",
            "mailto:a1b2c3d4e5f6g",
            "k2s.cc",
            "not an id!",
            "",
            "abc",
        ] {
            assert_eq!(parsed(text), None, "{text:?}");
        }
    }

    #[test]
    fn file_ids_from_links() {
        let link = share_link("k2s.cc", "abc123def", Some("a b.mp4"));
        assert_eq!(file_id_from_link(&link).as_deref(), Some("abc123def"));
        for (text, want) in [
            ("abc123def", Some("abc123def")),
            ("  https://keep2share.cc/file/x1y2z3/name.zip  ", Some("x1y2z3")),
            ("k2s.cc/file/x1y2z3", Some("x1y2z3")),
            ("http://k2s.cc/file/x1y2z3?site=a", Some("x1y2z3")),
            ("https://k2s.cc/f/x1y2z3/a", Some("x1y2z3")),
            ("https://k2s.cc/folder/x1y2z3", None),
            ("https://k2s.cc/file/", None),
            ("ftp://k2s.cc/file/x1y2z3", None),
            ("not an id!", None),
            ("", None),
        ] {
            assert_eq!(file_id_from_link(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn links_are_made_with_the_name_encoded_and_read_back() {
        assert_eq!(
            share_link("https://k2s.cc/", "abc123def", Some("a b/é.mp4")),
            "https://k2s.cc/file/abc123def/a%20b%2F%C3%A9.mp4"
        );
        assert_eq!(share_link("", "abc123def", None), "https://k2s.cc/file/abc123def");
        let f = folder_link("keep2share.cc", "fold12345", Some("My Folder"));
        assert_eq!(f, "https://keep2share.cc/folder/fold12345/My%20Folder");
        assert_eq!(
            parse_link(&f),
            Some(LinkRef {
                id: "fold12345".into(),
                kind: LinkKind::Folder
            })
        );
        assert_eq!(
            folder_link("k2s.cc", "fold12345", Some("")),
            "https://k2s.cc/folder/fold12345"
        );
    }
}
