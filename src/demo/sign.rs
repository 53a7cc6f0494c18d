//! Signatures with the server's per-run random secret: HMAC-MD5, hex.
//! Used for upload form params and download URL tokens.

use crate::md5sum::Md5;

pub(crate) fn hmac(secret: &[u8; 32], msg: &[u8]) -> String {
    let mut key = [0u8; 64];
    key[..32].copy_from_slice(secret);
    let mut inner = Md5::new();
    inner.update(&key.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Md5::new();
    outer.update(&key.map(|b| b ^ 0x5c));
    outer.update(&inner.finalize());
    outer.hex()
}

/// Constant-time string comparison.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A download token: `<file_id>.<expires unix ms>.<nonce>.<signature>`.
pub(crate) fn download_token(secret: &[u8; 32], file_id: &str, expires_ms: u64, nonce: &str) -> String {
    let payload = format!("{file_id}.{expires_ms}.{nonce}");
    let sig = hmac(secret, payload.as_bytes());
    format!("{payload}.{sig}")
}

/// Why a download token was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TokenError {
    Malformed,
    BadSignature,
    Expired,
}

/// Checks a download token; returns the file id.
pub(crate) fn check_download_token(
    secret: &[u8; 32],
    token: &str,
    now_ms: u64,
) -> Result<String, TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [file_id, expires, nonce, sig] = parts.as_slice() else {
        return Err(TokenError::Malformed);
    };
    let payload = format!("{file_id}.{expires}.{nonce}");
    if !same(&hmac(secret, payload.as_bytes()), sig) {
        return Err(TokenError::BadSignature);
    }
    let expires: u64 = expires.parse().map_err(|_| TokenError::Malformed)?;
    if now_ms > expires {
        return Err(TokenError::Expired);
    }
    Ok(file_id.to_string())
}

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_md5_matches_rfc2104_shape_and_tokens_check() {
        let s = [7u8; 32];
        assert_eq!(hmac(&s, b"abc").len(), 32);
        assert_ne!(hmac(&s, b"abc"), hmac(&s, b"abd"));
        let t = download_token(&s, "abcdefghijk12", 1_000, "n1");
        assert_eq!(check_download_token(&s, &t, 999).as_deref(), Ok("abcdefghijk12"));
        assert_eq!(check_download_token(&s, &t, 1_001), Err(TokenError::Expired));
        let tampered = t.replace("abcdefghijk12", "abcdefghijk13");
        assert_eq!(
            check_download_token(&s, &tampered, 999),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            check_download_token(&[8u8; 32], &t, 999),
            Err(TokenError::BadSignature)
        );
        assert_eq!(check_download_token(&s, "x.y", 0), Err(TokenError::Malformed));
    }
}
