//! Redaction of URLs before they are shown, logged or saved: a signed download URL's query
//! (`temp_url_sig=…`) is a credential, and so may be any other query string or fragment.
//! Scheme, host, port and path stay, so that a message still says where k2s was talking to.

/// Path segments this long are taken for tokens (a signature, a signed download key).
const TOKEN_LEN: usize = 32;

/// `url` without its query and fragment, without a user name or password, and with every path
/// segment of 32 characters or more (a token) shown as `…`:
/// `https://h/p/f.bin?temp_url_sig=x#y` -> `https://h/p/f.bin?…`.
pub fn redact_url(url: &str) -> String {
    let cut = url.find(['?', '#']);
    let (head, had_tail) = match cut {
        Some(i) => (&url[..i], true),
        None => (url, false),
    };
    let head = hide_tokens(&strip_userinfo(head));
    if had_tail { format!("{head}?…") } else { head }
}

/// Path segments of `TOKEN_LEN` characters or more replaced by `…` (scheme and host kept).
fn hide_tokens(head: &str) -> String {
    let start = head.find("://").map_or(0, |i| i + 3);
    let path_at = head[start..].find('/').map_or(head.len(), |i| start + i);
    let (authority, path) = head.split_at(path_at);
    let path: Vec<&str> = path
        .split('/')
        .map(|seg| {
            if seg.chars().count() >= TOKEN_LEN {
                "…"
            } else {
                seg
            }
        })
        .collect();
    format!("{authority}{}", path.join("/"))
}

/// `scheme://user:pass@host/…` -> `scheme://host/…` (only the authority part is looked at).
fn strip_userinfo(head: &str) -> String {
    let Some(start) = head.find("://").map(|i| i + 3) else {
        return head.to_string();
    };
    let rest = &head[start..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &head[..start], &rest[at + 1..]),
        None => head.to_string(),
    }
}

/// Every `http://` or `https://` URL inside free text (an error message, a log line) redacted
/// with `redact_url`. A URL ends at white space, a quote, `)`, `>`, `]` or the end of the text.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = find_scheme(rest) {
        out.push_str(&rest[..i]);
        let url_len = rest[i..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '>' | ']' | '<' | '`'))
            .unwrap_or(rest.len() - i);
        out.push_str(&redact_url(&rest[i..i + url_len]));
        rest = &rest[i + url_len..];
    }
    out.push_str(rest);
    out
}

/// Where the next `http://` or `https://` starts (ASCII case-insensitive).
fn find_scheme(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let a = lower.find("http://");
    let b = lower.find("https://");
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// A `tracing_subscriber` writer that redacts URLs in everything written through it: the log
/// file never holds a query string, whichever crate logged the line.
pub struct RedactingWriter<W>(pub W);

impl<W: std::io::Write> std::io::Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(redact_text(&text).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Makes a `RedactingWriter` around a shared file (opened for appending) for each log event.
pub struct RedactingFile(pub std::fs::File);

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for RedactingFile {
    type Writer = RedactingWriter<&'a std::fs::File>;
    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_query_fragment_and_userinfo() {
        assert_eq!(
            redact_url("http://127.0.0.1:5/dl/abc/f.bin?temp_url_sig=deadbeef&expires=9"),
            "http://127.0.0.1:5/dl/abc/f.bin?…"
        );
        assert_eq!(redact_url("https://h/p#frag"), "https://h/p?…");
        assert_eq!(redact_url("https://u:pw@h:8/p?q"), "https://h:8/p?…");
        assert_eq!(redact_url("https://h/a@b"), "https://h/a@b");
        assert_eq!(redact_url("not a url?x=1"), "not a url?…");
        let token = format!("{}.{}", "a".repeat(20), "0".repeat(32));
        assert_eq!(
            redact_url(&format!("http://h:9/dl/{token}/f.bin")),
            "http://h:9/dl/…/f.bin"
        );
    }

    #[test]
    fn text_keeps_everything_but_the_secrets() {
        let msg = "error sending request for url (http://h:1/dl/x?temp_url_sig=s3cr3t): refused";
        assert_eq!(
            redact_text(msg),
            "error sending request for url (http://h:1/dl/x?…): refused"
        );
        let two = "a HTTPS://x/y?k=1 b http://z/?t=2\nc";
        let r = redact_text(two);
        assert!(!r.contains("k=1") && !r.contains("t=2"), "{r}");
        assert_eq!(r, "a HTTPS://x/y?… b http://z/?…\nc");
        assert_eq!(redact_text("no urls here? none"), "no urls here? none");
        assert_eq!(redact_text("ünïcode http://h/ä?ö=1 ü"), "ünïcode http://h/ä?… ü");
    }

    /// reqwest names the URL in its errors; the error chain k2s shows never has its query.
    #[tokio::test]
    async fn transport_errors_are_redacted() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let url = format!("http://127.0.0.1:{port}/upload?key=s3cr3tkey");
        let err = reqwest::Client::new().get(&url).send().await.unwrap_err();
        assert!(err.to_string().contains("s3cr3tkey"), "reqwest changed: {err}");
        let shown = super::super::call::error_chain(&err);
        assert!(!shown.contains("s3cr3tkey"), "{shown}");
        assert!(shown.contains(&format!("127.0.0.1:{port}/upload?…")), "{shown}");
    }

    #[test]
    fn the_log_writer_redacts() {
        use std::io::Write;
        let mut w = RedactingWriter(Vec::new());
        w.write_all(b"GET http://h/f?temp_url_sig=abc done\n").unwrap();
        assert_eq!(String::from_utf8(w.0).unwrap(), "GET http://h/f?… done\n");
    }
}
