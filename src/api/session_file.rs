//! The session-token cache: a small JSON file (mode 0600) under the config dir.
//! It holds the auth_token, the username and the API base URL it belongs to; never a password.

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedSession {
    pub auth_token: String,
    #[serde(default)]
    pub username: Option<String>,
    pub base_url: String,
    /// Unix seconds.
    #[serde(default)]
    pub saved_at: i64,
}

/// The cached session for `base_url`, if the file exists, is readable and belongs to that URL.
pub fn load(path: &Path, base_url: &str) -> Option<CachedSession> {
    if !private_enough(path) {
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!("cannot read the session cache {}: {e}", path.display());
            return None;
        }
    };
    let cached: CachedSession = match serde_json::from_slice(&bytes) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("ignoring an unreadable session cache {}: {e}", path.display());
            return None;
        }
    };
    if super::client::normalize_base(&cached.base_url) != super::client::normalize_base(base_url) {
        tracing::debug!("the session cache belongs to another API URL; not used");
        return None;
    }
    if cached.auth_token.trim().is_empty() {
        return None;
    }
    Some(cached)
}

/// A session file that others may read is tightened to 0600 (and the log says so); one that
/// belongs to another user is not used.
fn private_enough(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return true; // missing: load says so
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me || !meta.is_file() {
            tracing::warn!(
                "not using the session cache {}: not a file of yours",
                path.display()
            );
            return false;
        }
        if let Err(e) = crate::config::tighten_file(path) {
            tracing::warn!(
                "not using the session cache {}: cannot make it private: {e}",
                path.display()
            );
            return false;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    true
}

/// Write the cache atomically with mode 0600.
pub fn save(path: &Path, token: &str, username: Option<&str>, base_url: &str) -> std::io::Result<()> {
    let cached = CachedSession {
        auth_token: token.to_string(),
        username: username.map(str::to_string),
        base_url: super::client::normalize_base(base_url),
        saved_at: chrono::Utc::now().timestamp(),
    };
    let bytes = serde_json::to_vec_pretty(&cached).map_err(std::io::Error::other)?;
    crate::config::write_atomic(path, &bytes, true)
}

/// Delete the cache; a missing file is fine.
pub fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_private_and_bound_to_the_url() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("session.json");
        save(&p, "tok123", Some("me@x"), "http://h/api/v2/").unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.contains("saved_at") && text.contains("\"username\": \"me@x\""),
            "{text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let c = load(&p, "http://h/api/v2").unwrap();
        assert_eq!(c.auth_token, "tok123");
        assert!(load(&p, "http://other/api/v2").is_none());
        remove(&p).unwrap();
        assert!(load(&p, "http://h/api/v2").is_none());
        remove(&p).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_loose_cache_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("session.json");
        save(&p, "tok123", None, "http://h/api/v2").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(load(&p, "http://h/api/v2").unwrap().auth_token, "tok123");
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn garbage_cache_is_ignored() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("session.json");
        std::fs::write(&p, b"{not json").unwrap();
        assert!(load(&p, "http://h/api/v2").is_none());
    }
}
