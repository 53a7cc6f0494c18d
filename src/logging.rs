//! The log file, set up once per process by whichever front end starts first (the CLI, or the
//! TUI when run on its own).

use std::path::Path;

/// Log to `<state dir>/k2s.log` (0600 in a 0700 folder), never to the terminal, every URL in
/// it redacted. Level from K2S_LOG (default info). Does nothing when logging is set up already;
/// `None` when the file cannot be opened or a subscriber exists.
pub fn init(state_dir: &Path) -> Option<()> {
    use tracing_subscriber::EnvFilter;
    let file = crate::config::open_private_append(&state_dir.join("k2s.log")).ok()?;
    let filter = EnvFilter::try_from_env("K2S_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(crate::api::redact::RedactingFile(file))
        .try_init()
        .ok()
}
