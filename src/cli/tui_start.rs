//! The TUI's options for the profile chosen, and how it gets those of another profile when
//! the user switches while it runs (the same steps as `k2s --profile NAME`).

use super::args::GlobalArgs;
use super::ctx::{self, SESSION_FILE, profile_dir};
use crate::api::ClientConfig;
use crate::app::profiles_view::ProfileEntry;
use crate::config::Config;
use crate::tui::TuiOptions;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The options of this start. With `--demo` the profiles are not offered: its server lives in
/// this process and knows none of them.
pub fn options(
    global: &GlobalArgs,
    config: Config,
    config_dir: PathBuf,
    server_dir: PathBuf,
    client_config: ClientConfig,
    demo: bool,
) -> TuiOptions {
    let profiles = if demo {
        Vec::new()
    } else {
        entries(&config, &config_dir)
    };
    let switch: Option<crate::tui::Switcher> = (!demo).then(|| {
        let global = global.clone();
        Arc::new(move |name: &str| {
            let mut g = global.clone();
            g.profile = Some(name.to_string());
            for_profile(&g)
        }) as crate::tui::Switcher
    });
    TuiOptions {
        config,
        config_dir,
        state_dir: server_dir,
        client_config,
        demo,
        profile: global.profile.clone(),
        profiles,
        switch,
    }
}

/// Everything again for the profile in `global` (its config, session, state folder).
fn for_profile(global: &GlobalArgs) -> anyhow::Result<TuiOptions> {
    let (config, config_dir, state_dir) = ctx::load_config(global)?;
    let cc = ctx::client_config(global, &config, &config_dir);
    let server_dir = ctx::server_state_dir(&state_dir, &cc.base_url, false);
    Ok(options(global, config, config_dir, server_dir, cc, false))
}

/// The profiles of config.toml, each with whether it has a saved session or its token.
fn entries(config: &Config, config_dir: &Path) -> Vec<ProfileEntry> {
    config
        .profiles
        .iter()
        .map(|(name, p)| {
            let token = p
                .access_token_env
                .as_ref()
                .is_some_and(|v| std::env::var(v).is_ok_and(|t| !t.trim().is_empty()));
            let session = profile_dir(config_dir, name).join(SESSION_FILE).is_file();
            ProfileEntry {
                name: name.clone(),
                logged_in: session || token,
            }
        })
        .collect()
}
