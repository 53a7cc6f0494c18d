//! Names for the per-server and per-account state folders: `<host>-<port>` for an API base URL
//! and the username (or a digest of the permanent token, never the token) for an account.

/// `https://keep2share.cc/api/v2` -> `keep2share.cc-443`; anything unparsable -> a digest.
pub fn server_key(base_url: &str) -> String {
    match url::Url::parse(base_url.trim()) {
        Ok(u) if u.host_str().is_some() => {
            let host = u.host_str().unwrap_or_default().trim_matches(['[', ']']);
            let port = u.port_or_known_default().unwrap_or(0);
            format!("{}-{port}", safe_component(host))
        }
        _ => format!("server-{}", short_digest(base_url)),
    }
}

/// The account's folder name: `token-<digest>` for a permanent token, else the username
/// (lowercase, made safe as a file name), else `anonymous`.
pub fn account_key(access_token: Option<&str>, username: Option<&str>) -> String {
    if let Some(t) = access_token.map(str::trim).filter(|t| !t.is_empty()) {
        return format!("token-{}", short_digest(t));
    }
    match username.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => safe_component(&u.to_lowercase()),
        None => "anonymous".to_string(),
    }
}

/// The first 16 hex digits of the md5 of `s`: enough to tell accounts apart, useless to
/// recover the token.
fn short_digest(s: &str) -> String {
    let mut hex = crate::md5sum::Md5::hex_of(s.as_bytes());
    hex.truncate(16);
    hex
}

/// Letters, digits and `.-_@+` kept, anything else `_`; never empty, `.` or `..`.
fn safe_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '.') {
        out = format!("_{out}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_by_host_and_port() {
        assert_eq!(server_key("https://keep2share.cc/api/v2"), "keep2share.cc-443");
        assert_eq!(server_key("http://127.0.0.1:8080/api/v2/"), "127.0.0.1-8080");
        assert_eq!(server_key("http://[::1]:9/api"), "__1-9");
        assert!(server_key("garbage").starts_with("server-"));
    }

    #[test]
    fn accounts_never_show_the_token() {
        let k = account_key(Some("s3cr3t-token"), Some("me@x.com"));
        assert!(k.starts_with("token-") && !k.contains("s3cr3t"), "{k}");
        assert_eq!(k.len(), "token-".len() + 16);
        assert_eq!(account_key(None, Some("Me@X.com")), "me@x.com");
        assert_eq!(account_key(Some(" "), Some("../../etc")), ".._.._etc");
        assert_eq!(account_key(None, Some("..")), "_..");
        assert_eq!(account_key(None, None), "anonymous");
    }
}
