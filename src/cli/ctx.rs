//! Everything a command needs: the merged configuration, the directories and the client.

use super::args::GlobalArgs;
use crate::api::{self, ApiError, Client, ClientConfig, Credentials, FileItem};
use crate::config::{self, Config};
use crate::folders::FolderTree;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const SESSION_FILE: &str = "session.json";

pub struct Ctx {
    pub global: GlobalArgs,
    pub config: Config,
    pub config_dir: PathBuf,
    pub state_dir: PathBuf,
    pub client: Client,
}

/// Resolve dirs and config from flags, environment and file.
pub fn load_config(global: &GlobalArgs) -> anyhow::Result<(Config, PathBuf, PathBuf)> {
    let explicit = global.config_dir.is_some();
    let config_dir = global
        .config_dir
        .clone()
        .unwrap_or_else(config::default_config_dir);
    let mut config = Config::load(&config_dir)?;
    // It holds the session cache: private, like the state folder.
    if config_dir.is_dir()
        && let Err(e) = config::private_dir(&config_dir)
    {
        tracing::warn!("cannot make {} private: {e}", config_dir.display());
    }
    let mut state_dir = config::state_dir(&config_dir, explicit);
    if let Some(name) = &global.profile {
        config = config
            .with_profile(name)
            .map_err(|e| super::exit::Failure::error(super::exit::Exit::Usage, e))?;
        let states = state_dir.join("profiles");
        state_dir = states.join(name);
        let sessions = profile_dir(&config_dir, name);
        let all_sessions = config_dir.join("profiles");
        for d in [&all_sessions, &sessions, &states, &state_dir] {
            if let Err(e) = std::fs::create_dir_all(d).and_then(|()| config::private_dir(d)) {
                tracing::warn!("cannot make {} private: {e}", d.display());
            }
        }
    }
    Ok((config, config_dir, state_dir))
}

/// Where a profile's session cache lives: `<config dir>/profiles/<name>/`.
pub fn profile_dir(config_dir: &Path, name: &str) -> PathBuf {
    config_dir.join("profiles").join(name)
}

/// The session cache of this invocation (its profile's when one is chosen).
pub fn session_path(global: &GlobalArgs, config_dir: &Path) -> PathBuf {
    match &global.profile {
        Some(name) => profile_dir(config_dir, name).join(SESSION_FILE),
        None => config_dir.join(SESSION_FILE),
    }
}

/// The client configuration: flag / env first, then the config file, then defaults.
pub fn client_config(global: &GlobalArgs, config: &Config, config_dir: &std::path::Path) -> ClientConfig {
    let base_url = global
        .api_url
        .clone()
        .or_else(|| config.api_url.clone())
        .unwrap_or_else(|| api::DEFAULT_API_URL.to_string());
    ClientConfig {
        base_url,
        timeout: Duration::from_secs(global.timeout.unwrap_or(config.timeout_secs).max(1)),
        requests_per_second: global.rate.unwrap_or(config.requests_per_second).max(1),
        credentials: Credentials {
            access_token: global
                .access_token
                .clone()
                .or_else(|| config.access_token.clone()),
            username: config.username.clone(),
            password: None,
        },
        session_file: Some(session_path(global, config_dir)),
        password_prompt: super::prompt::session_password_prompt(),
        ..ClientConfig::default()
    }
}

/// The state folder for one API server: `<state dir>/<host>-<port>`, or `<state dir>/demo` for
/// `--demo` (whose server has a new port every time). Each account has its folder inside it
/// (see `Client::account_key`), holding its queue.
pub fn server_state_dir(state_root: &Path, base_url: &str, demo: bool) -> PathBuf {
    warn_about_legacy_queue(state_root);
    if demo {
        return state_root.join("demo");
    }
    state_root.join(api::account_key::server_key(base_url))
}

/// Earlier versions kept one queue for every server and account in `<state dir>/queue.json`:
/// it cannot be tied to an account, so it is left where it is, and the log says so.
fn warn_about_legacy_queue(state_root: &Path) {
    let old = state_root.join(crate::transfer::QUEUE_FILE);
    if old.exists() {
        tracing::warn!(
            "{} is a transfer queue from an older k2s, shared by every server and account; it is \
             no longer used: move it into <server>/<account>/ under {} to resume its transfers there",
            old.display(),
            state_root.display()
        );
    }
}

impl Ctx {
    /// `state_dir` is the server's state folder; the context's is the account's inside it.
    pub fn new(
        global: GlobalArgs,
        cc: ClientConfig,
        config: Config,
        config_dir: PathBuf,
        state_dir: PathBuf,
    ) -> anyhow::Result<Ctx> {
        let client = Client::new(cc).map_err(|e| anyhow::anyhow!("{e}"))?;
        let state_dir = state_dir.join(client.account_key());
        Ok(Ctx {
            global,
            config,
            config_dir,
            state_dir,
            client,
        })
    }

    pub fn json(&self) -> bool {
        self.global.json
    }

    pub fn link_domain(&self) -> &str {
        self.config.link_domain.as_deref().unwrap_or("k2s.cc")
    }

    /// Fail early, with a clear message, when there is nothing to authenticate with.
    /// (Exit code 3, authentication needed.)
    pub fn require_credentials(&self) -> anyhow::Result<()> {
        if self.client.has_credentials() {
            Ok(())
        } else {
            Err(super::exit::Failure::error(
                super::exit::Exit::Auth,
                "not logged in: run `k2s login`, or set K2S_ACCESS_TOKEN / --access-token",
            ))
        }
    }

    pub async fn folder_tree(&self) -> Result<FolderTree, ApiError> {
        Ok(FolderTree::from_list(&self.client.get_folders_list(None).await?))
    }

    /// getFilesInfo for ids given by the user; unknown ids are an error naming them.
    pub async fn files_info(&self, ids: &[String], extended: bool) -> Result<Vec<FileItem>, ApiError> {
        let (items, unknown) = self.files_info_each(ids, extended).await?;
        if !unknown.is_empty() {
            let ids: Vec<&str> = unknown.iter().map(|(id, _)| id.as_str()).collect();
            return Err(ApiError::local(format!("unknown id: {}", ids.join(", "))));
        }
        Ok(items)
    }

    /// getFilesInfo for ids (or share links) given by the user, in the order given: the items
    /// found, and `(what was given, why not)` for each one that is not an id or not known.
    pub async fn files_info_each(
        &self,
        specs: &[String],
        extended: bool,
    ) -> Result<(Vec<FileItem>, Vec<(String, String)>), ApiError> {
        let mut failed = Vec::new();
        let mut wanted: Vec<(String, String)> = Vec::new();
        for spec in specs {
            match item_id(spec) {
                Some(id) => wanted.push((spec.clone(), id)),
                None => failed.push((spec.clone(), "not a file id or share link".to_string())),
            }
        }
        let ids: Vec<String> = wanted.iter().map(|(_, id)| id.clone()).collect();
        let found = if ids.is_empty() {
            Vec::new()
        } else {
            self.client.get_files_info(&ids, extended).await?
        };
        let mut items = Vec::new();
        for (spec, id) in wanted {
            match found.iter().find(|f| f.id == id && f.exists()) {
                Some(f) => items.push(f.clone()),
                None => failed.push((spec, "unknown id".to_string())),
            }
        }
        Ok((items, failed))
    }
}

/// The id in what the user gave for a file or folder: an id, or a share link of any form.
pub fn item_id(spec: &str) -> Option<String> {
    crate::api::parse_link(spec).map(|l| l.id)
}

/// Ids: see `api::looks_like_id`.
pub use crate::api::looks_like_id;
