//! `k2s profiles`: the `[profiles.NAME]` of config.toml, the one chosen, and which have a
//! session or a token (no server is asked).

use super::args::GlobalArgs;
use super::ctx::{SESSION_FILE, profile_dir};
use super::output::{outln, print_json};
use crate::config::Config;
use std::path::Path;
use std::process::ExitCode;

#[derive(serde::Serialize)]
struct Row<'a> {
    name: &'a str,
    chosen: bool,
    api_url: &'a str,
    link_domain: &'a str,
    username: Option<&'a str>,
    /// "session" (a cached login), "token" (the variable it names is set), or "no".
    logged_in: &'static str,
}

pub fn run(global: &GlobalArgs, config: &Config, config_dir: &Path) -> anyhow::Result<ExitCode> {
    let rows: Vec<Row> = config
        .profiles
        .iter()
        .map(|(name, p)| {
            let token = p
                .access_token_env
                .as_ref()
                .is_some_and(|v| std::env::var(v).is_ok_and(|t| !t.trim().is_empty()));
            let session = profile_dir(config_dir, name).join(SESSION_FILE).is_file();
            Row {
                name,
                chosen: global.profile.as_deref() == Some(name.as_str()),
                api_url: p
                    .api_url
                    .as_deref()
                    .or(config.api_url.as_deref())
                    .unwrap_or(crate::api::DEFAULT_API_URL),
                link_domain: p
                    .link_domain
                    .as_deref()
                    .or(config.link_domain.as_deref())
                    .unwrap_or("k2s.cc"),
                username: p.username.as_deref(),
                logged_in: if session {
                    "session"
                } else if token {
                    "token"
                } else {
                    "no"
                },
            }
        })
        .collect();
    if global.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        outln!("no profiles: add [profiles.NAME] tables to config.toml (see README, Profiles)")?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let mark = if r.chosen { '*' } else { ' ' };
        // Names and addresses come from the config file: made terminal-safe like any text.
        let clean = crate::text::sanitize;
        let who = clean(r.username.unwrap_or("(token)"));
        let state = match r.logged_in {
            "session" => "logged in",
            "token" => "token set",
            _ => "not logged in",
        };
        outln!(
            "{mark} {}  {}  {}  {who}  {state}",
            r.name,
            r.api_url,
            r.link_domain
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
