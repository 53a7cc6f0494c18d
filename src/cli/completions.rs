//! Shell completions and the manual page, both made from the clap definitions in `args`.
//!
//! Completion is dynamic: the script `k2s completions SHELL` prints only registers `k2s` with
//! the shell, which then runs `COMPLETE=SHELL k2s -- <the words so far>` on every Tab. So
//! subcommands, options and their values always match this binary, and a folder argument
//! completes the account's folder paths, asked of the server with the environment's and
//! config.toml's settings (not those typed on the line being completed).

use super::args::{Cli, Command, CompletionsArgs, GlobalArgs, ManArgs, ShellArg};
use super::ctx;
use crate::api::Client;
use crate::folders::FolderTree;
use clap::{CommandFactory, Parser};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate, PathCompleter};
use clap_complete::env::{CompleteEnv, Shells};
use std::ffi::OsStr;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// The variable the registration scripts set to ask `k2s` for completions.
pub const COMPLETE_VAR: &str = "COMPLETE";

/// How long a Tab may wait for the folder list.
const FOLDER_LIST_TIMEOUT: Duration = Duration::from_secs(4);

/// Answers a completion request and exits when the shell asked for one; returns otherwise.
/// Call it first thing in `main`.
pub fn complete_if_asked() {
    CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .complete();
}

/// Commands that need no configuration, no server and no login: `completions` and `man`.
pub fn run_standalone(command: &Option<Command>) -> Option<anyhow::Result<ExitCode>> {
    match command {
        Some(Command::Completions(a)) => Some(print_registration(a)),
        Some(Command::Man(a)) => Some(man(a)),
        _ => None,
    }
}

fn print_registration(a: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let name = match a.shell {
        ShellArg::Bash => "bash",
        ShellArg::Zsh => "zsh",
        ShellArg::Fish => "fish",
        ShellArg::Elvish => "elvish",
        ShellArg::Powershell => "powershell",
    };
    let shells = Shells::builtins();
    let shell = shells
        .completer(name)
        .ok_or_else(|| anyhow::anyhow!("no completion support for {name}"))?;
    let mut buf = Vec::new();
    shell.write_registration(COMPLETE_VAR, "k2s", "k2s", "k2s", &mut buf)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `k2s man`: k2s(1) on stdout; `--dir DIR`: k2s.1 and k2s-<command>.1 for every command.
fn man(a: &ManArgs) -> anyhow::Result<ExitCode> {
    let cmd = Cli::command();
    if let Some(dir) = &a.dir {
        std::fs::create_dir_all(dir)?;
        clap_mangen::generate_to(cmd, dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Completes a folder argument with the account's folder paths ("/Movies/2024").
pub fn remote_folders() -> ArgValueCompleter {
    ArgValueCompleter::new(complete_remote_folder)
}

/// Completes local files and folders.
pub fn local_paths() -> ArgValueCompleter {
    ArgValueCompleter::new(PathCompleter::any())
}

/// Only paths (a word starting with "/", or nothing yet) are completed; ids and links are not.
fn complete_remote_folder(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(prefix) = current.to_str() else {
        return Vec::new();
    };
    if !prefix.is_empty() && !prefix.starts_with('/') {
        return Vec::new();
    }
    let paths = folder_paths().unwrap_or_default();
    matching(&paths, prefix)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The paths that start with what was typed, case-insensitively (as paths resolve), sorted.
pub fn matching(paths: &[String], prefix: &str) -> Vec<String> {
    let lower = prefix.to_lowercase();
    let mut out: Vec<String> = paths
        .iter()
        .filter(|p| p.to_lowercase().starts_with(&lower))
        .cloned()
        .collect();
    out.sort();
    out
}

/// Every folder path of the account, or None when there is no login, no server, or only a flat
/// folder list (no parent ids: a path cannot be told from it).
fn folder_paths() -> Option<Vec<String>> {
    let mut global: GlobalArgs = Cli::try_parse_from(["k2s"]).ok()?.global;
    global.fill_from_env();
    let (config, config_dir, _) = ctx::load_config(&global).ok()?;
    let mut cc = ctx::client_config(&global, &config, &config_dir);
    // A Tab must never ask for a password, nor wait long.
    cc.password_prompt = None;
    cc.timeout = FOLDER_LIST_TIMEOUT;
    let client = Client::new(cc).ok()?;
    if !client.has_credentials() {
        return None;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let list = runtime.block_on(client.get_folders_list(None)).ok()?;
    let tree = FolderTree::from_list(&list);
    if !tree.hierarchical {
        return None;
    }
    let mut paths = vec!["/".to_string()];
    paths.extend(tree.walk().into_iter().filter_map(|(_, id)| tree.path_of(&id)));
    Some(paths)
}
