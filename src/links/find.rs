//! Finding K2S links in any text: a forum post (BBCode), an HTML page, Markdown, a plain list.
//! Every form (`/file/<id>`, `/f/<id>`, `/folder/<id>`, with or without a name, a query or a
//! fragment; with or without the scheme) on every K2S domain.

use crate::api::{LinkKind, parse_link};

/// The domains K2S links are known on without asking the service (getDomainsList adds more).
pub const KNOWN_DOMAINS: [&str; 3] = ["k2s.cc", "keep2share.cc", "keep2s.cc"];

/// One link found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The link as it is written, and where (byte offsets into the text).
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub id: String,
    pub kind: LinkKind,
    /// The (decoded) name after the id, when the link carries one.
    pub name: Option<String>,
}

/// A character that can't be part of a link (and ends one).
fn stops(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '[' | ']' | '(' | ')' | '`' | '|' | '{' | '}' | '\\'
        )
}

/// Whether `host` is one of `domains` or a subdomain of one (`www.k2s.cc`).
fn on_domain(host: &str, domains: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    domains.iter().any(|d| {
        let d = d.trim().trim_start_matches("www.").to_ascii_lowercase();
        !d.is_empty() && (host == d || host.ends_with(&format!(".{d}")))
    })
}

/// The host of a link written with or without the scheme.
fn host_of(link: &str) -> Option<String> {
    let full = if link.contains("://") {
        link.to_string()
    } else {
        format!("https://{link}")
    };
    url::Url::parse(&full).ok()?.host_str().map(str::to_string)
}

/// The decoded path segment after the id, if any.
fn name_after(link: &str, id: &str) -> Option<String> {
    let path = link.split(['?', '#']).next().unwrap_or("");
    let rest = path.split_once(&format!("/{id}/"))?.1;
    let seg = rest.split('/').next().filter(|s| !s.is_empty())?;
    let name = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
    Some(name.into_owned())
}

/// Where the link around the match at `at` starts: after the last stop character, or after a
/// `=` (`[url=https://...]`, `href=https://...`).
fn token_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| stops(*c) || *c == '=')
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn token_end(text: &str, at: usize) -> usize {
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| stops(*c))
        .map_or(text.len(), |(i, _)| at + i);
    // Punctuation that ends a sentence is not part of the link.
    let trimmed = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '*']);
    trimmed.len().max(at)
}

/// Every K2S link in `text` on one of `domains`, in order. The same link written twice is
/// found twice (each place is rewritten on its own).
pub fn find_links(text: &str, domains: &[String]) -> Vec<FoundLink> {
    let mut out: Vec<FoundLink> = Vec::new();
    let mut from = 0;
    while let Some(rel) = next_marker(&text[from..]) {
        let at = from + rel;
        let start = token_start(text, at);
        let end = token_end(text, at + 1);
        from = end.max(at + 1);
        if out.last().is_some_and(|l| l.end > start) {
            continue;
        }
        let link = &text[start..end];
        let Some(r) = parse_link(link).filter(|r| r.kind != LinkKind::Unknown) else {
            continue;
        };
        if !host_of(link).is_some_and(|h| on_domain(&h, domains)) {
            continue;
        }
        out.push(FoundLink {
            text: link.to_string(),
            start,
            end,
            name: name_after(link, &r.id),
            id: r.id,
            kind: r.kind,
        });
    }
    out
}

/// The byte offset of the next `/file/`, `/f/` or `/folder/` (any case).
fn next_marker(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    ["/file/", "/f/", "/folder/"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
}

/// The known domains with `more` (getDomainsList's, the configured link domain) added.
pub fn domains_with(more: &[String]) -> Vec<String> {
    let mut all: Vec<String> = KNOWN_DOMAINS.iter().map(|s| s.to_string()).collect();
    for d in more {
        let d = d
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let d = d.trim_end_matches('/').to_ascii_lowercase();
        if !d.is_empty() && !all.contains(&d) {
            all.push(d);
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(String, LinkKind, Option<String>)> {
        find_links(text, &domains_with(&["tezfiles.com".into()]))
            .into_iter()
            .map(|l| (l.id, l.kind, l.name))
            .collect()
    }

    #[test]
    fn every_form_in_every_markup() {
        use LinkKind::*;
        let post = "Part 1: [url=https://k2s.cc/file/aaaa1111/Part%201.mp4]Part 1[/url]\n\
            <a href=\"https://keep2share.cc/f/bbbb2222\">two</a>, \
            [three](http://www.k2s.cc/folder/cccc3333/My%20Set?x=1).\n\
            plain k2s.cc/file/dddd4444 and https://tezfiles.com/file/eeee5555/e.zip!\n\
            not ours: https://example.com/file/ffff6666 nor https://k2s.cc/files/gggg7777\n\
            '/file/hhhh8888' (no host) KEEP2SHARE.CC/FILE/iiii9999/x";
        assert_eq!(
            ids(post),
            vec![
                ("aaaa1111".into(), File, Some("Part 1.mp4".into())),
                ("bbbb2222".into(), File, None),
                ("cccc3333".into(), Folder, Some("My Set".into())),
                ("dddd4444".into(), File, None),
                ("eeee5555".into(), File, Some("e.zip".into())),
                ("iiii9999".into(), File, Some("x".into())),
            ]
        );
    }

    #[test]
    fn offsets_cover_the_link_exactly() {
        let text = "see [url=https://k2s.cc/file/abcd1234/a.mp4]a[/url].";
        let l = &find_links(text, &domains_with(&[]))[0];
        assert_eq!(&text[l.start..l.end], "https://k2s.cc/file/abcd1234/a.mp4");
        let text = "end: https://k2s.cc/f/abcd1234.";
        let l = &find_links(text, &domains_with(&[]))[0];
        assert_eq!(l.text, "https://k2s.cc/f/abcd1234");
    }

    #[test]
    fn odd_text_finds_nothing_and_does_not_panic() {
        for text in [
            "",
            "/file/",
            "https:///file/x",
            "é/f/ü",
            "k2s.cc/folder/",
            "/f//f//f/",
        ] {
            assert!(find_links(text, &domains_with(&[])).is_empty(), "{text:?}");
        }
    }
}
