//! The command line's help, completions and man page: README's command table against the clap
//! definitions, the help layout, and the completion and man commands against the demo server.

mod common;

use clap::CommandFactory;
use common::k2s_cmd;
use k2s::cli::args::{AccessArg, Cli, Command as Sub};
use k2s::demo::{DemoOptions, DemoServer};
use std::collections::BTreeSet;
use std::process::Output;

/// Every runnable subcommand, by its full name ("ls", "meta get"), with its clap definition.
fn leaf_commands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let name = format!("{prefix}{}", sub.get_name()).trim().to_string();
            if sub.has_subcommands() {
                walk(&format!("{name} "), sub, out);
            } else {
                out.push((name, sub.clone()));
            }
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk("", &cmd, &mut out);
    out
}

/// The first cells of README's command table ("k2s ls [FOLDER] [--long] ..."), unescaped.
fn readme_rows() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("| command | what it does |")
        .expect("README has the command table");
    readme[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cell = l.trim_start_matches('|').replace("\\|", "\u{1}");
            let first = cell
                .split('|')
                .next()?
                .trim()
                .trim_matches('`')
                .replace('\u{1}', "|");
            first.starts_with("k2s ").then_some(first)
        })
        .collect()
}

/// The row for a command: its words follow "k2s " and the next is not another command word.
fn row_for<'a>(rows: &'a [String], name: &str) -> Option<&'a String> {
    let head = format!("k2s {name}");
    rows.iter()
        .find(|r| *r == &head || r.starts_with(&format!("{head} ")))
}

fn own_longs(cmd: &clap::Command) -> BTreeSet<String> {
    cmd.get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_hide_set() && !a.is_positional())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .filter(|l| l != "--help")
        .collect()
}

fn all_longs(cmd: &clap::Command) -> BTreeSet<String> {
    cmd.get_arguments()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect()
}

fn longs_in(row: &str) -> BTreeSet<String> {
    row.split(|c: char| c.is_whitespace() || "[]".contains(c))
        .filter(|w| w.starts_with("--"))
        .map(|w| w.split('=').next().unwrap_or(w).to_string())
        .collect()
}

#[test]
fn readme_table_has_a_row_for_every_command_with_its_options_and_arguments() {
    let rows = readme_rows();
    assert!(rows.len() > 10, "README's table was not found whole: {rows:?}");
    let mut problems = Vec::new();
    for (name, cmd) in leaf_commands() {
        let Some(row) = row_for(&rows, &name) else {
            problems.push(format!("no README row for `k2s {name}`"));
            continue;
        };
        let known = all_longs(&cmd);
        for long in longs_in(row) {
            if !known.contains(&long) {
                problems.push(format!("`k2s {name}` has no {long} (README: {row})"));
            }
        }
        // "[OPTIONS]" in a row says its options are described elsewhere (the demo server's knobs).
        if !row.contains("[OPTIONS]") {
            for long in own_longs(&cmd).difference(&longs_in(row)) {
                problems.push(format!("README's row for `k2s {name}` lacks {long}"));
            }
        }
        for arg in cmd.get_arguments().filter(|a| a.is_positional()) {
            for value in arg.get_value_names().unwrap_or_default() {
                if !row.contains(value.as_str()) {
                    problems.push(format!("README's row for `k2s {name}` lacks {value}"));
                }
            }
        }
    }
    for row in &rows {
        let named = leaf_commands()
            .iter()
            .any(|(n, _)| row_for(std::slice::from_ref(row), n).is_some());
        if !named {
            problems.push(format!("README row for no command: {row}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_argument_and_option_is_described() {
    let mut bare = Vec::new();
    for (name, cmd) in leaf_commands() {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                bare.push(format!("k2s {name}: {}", arg.get_id()));
            }
            let takes_value = arg.get_action().takes_values();
            if arg.is_positional() && arg.get_value_names().is_none() && takes_value {
                // A derived name (the field's) is fine only when it says what goes there.
                let id = arg.get_id().as_str();
                if ["args", "ids", "id"].contains(&id) {
                    bare.push(format!("k2s {name}: positional {id} has no value name"));
                }
            }
        }
    }
    assert!(bare.is_empty(), "undescribed:\n{}", bare.join("\n"));
}

fn help_of(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = k2s_cmd("http://127.0.0.1:9/api/v2", dir.path(), args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn global_options_have_their_own_heading_after_the_commands_own() {
    for cmd in ["ls", "download", "meta set", "access"] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let help = help_of(&args);
        let at = help
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{cmd}: no Global options heading:\n{help}"));
        let (own, global) = help.split_at(at);
        for g in [
            "--api-url",
            "--access-token",
            "--config-dir",
            "--json",
            "--timeout",
        ] {
            assert!(
                !own.contains(g),
                "{cmd}: {g} among the command's own options:\n{help}"
            );
            assert!(
                global.contains(g),
                "{cmd}: {g} missing under Global options:\n{help}"
            );
        }
        assert!(own.contains("\nOptions:\n"), "{cmd}: {help}");
    }
}

#[test]
fn access_usage_names_the_ids_then_the_level() {
    let help = help_of(&["access", "--help"]);
    assert!(
        help.contains("Usage: k2s access [OPTIONS] <ID|PATH|LINK>... <ACCESS>"),
        "{help}"
    );
    assert!(!help.contains("<ARGS>"), "{help}");
    for level in ["public", "private", "premium"] {
        assert!(help.contains(level), "{help}");
    }
    use clap::Parser;
    let parsed = Cli::try_parse_from(["k2s", "access", "a1", "/Movies/x.mp4", "premium"]);
    match parsed.map(|c| c.command) {
        Ok(Some(Sub::Access(a))) => {
            assert_eq!(a.ids, ["a1", "/Movies/x.mp4"]);
            assert_eq!(a.access, AccessArg::Premium);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_access_level_is_a_usage_error_listing_the_levels() {
    let dir = tempfile::tempdir().unwrap();
    let out = k2s_cmd(
        "http://127.0.0.1:9/api/v2",
        dir.path(),
        &["access", "a1", "secret"],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("public, private, premium"), "{err}");
}

#[test]
fn a_missing_argument_shows_only_what_was_typed_in_the_usage_line() {
    // k2s_cmd sets K2S_API_URL, K2S_CONFIG_DIR and K2S_ACCESS_TOKEN, as a user's profile might.
    let dir = tempfile::tempdir().unwrap();
    let out = k2s_cmd("http://127.0.0.1:9/api/v2", dir.path(), &["info"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Usage: k2s info <ID|PATH|LINK>..."), "{err}");
    for env_set in ["--api-url", "--access-token", "--config-dir"] {
        assert!(!err.contains(env_set), "{env_set} in the usage line:\n{err}");
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn completions_print_a_registration_script_for_every_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = k2s_cmd("http://127.0.0.1:9/api/v2", dir.path(), &["completions", shell])
            .output()
            .unwrap();
        let script = ok(&out);
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
        assert!(script.contains("k2s"), "{shell}: {script}");
    }
    let out = k2s_cmd("http://127.0.0.1:9/api/v2", dir.path(), &["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// What `k2s` answers the shell for the words typed so far (fish's protocol: one per line).
fn complete(api_url: &str, dir: &std::path::Path, words: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "k2s"];
    args.extend_from_slice(words);
    let out = k2s_cmd(api_url, dir, &args)
        .env("COMPLETE", "fish")
        .output()
        .unwrap();
    ok(&out)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or(l).to_string())
        .collect()
}

shaped! {
    async fn completion_offers_the_accounts_folder_paths(shape) {
        let server = DemoServer::start(DemoOptions { shapes: shape, ..DemoOptions::default() })
            .await
            .unwrap();
        let url = server.api_url();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        let got = tokio::task::spawn_blocking(move || {
            (
                complete(&url, &d, &["ls", "/mo"]),
                complete(&url, &d, &["mv", "x", "--to", "/Movies/"]),
                complete(&url, &d, &["download", "/"]),
                complete(&url, &d, &["ls", "movies0000001"]),
                complete(&url, &d, &["acc"]),
            )
        })
        .await
        .unwrap();
        let (ls, mv_to, download, by_id, commands) = got;
        assert_eq!(ls, ["/Movies", "/Movies/2024"], "{shape:?}");
        assert_eq!(mv_to, ["/Movies/2024"], "{shape:?}");
        assert!(download.contains(&"/".to_string()) && download.contains(&"/Movies".to_string()), "{download:?}");
        assert!(by_id.is_empty(), "ids are not completed: {by_id:?}");
        assert_eq!(commands, ["account", "access"]);
        server.shutdown().await;
    }
}

#[tokio::test]
async fn completion_without_a_server_offers_nothing_and_fails_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let got = tokio::task::spawn_blocking(move || complete("http://127.0.0.1:9/api/v2", &d, &["ls", "/M"]))
        .await
        .unwrap();
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn man_page_has_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let page = ok(&k2s_cmd("http://127.0.0.1:9/api/v2", dir.path(), &["man"])
        .output()
        .unwrap());
    assert!(page.contains(".TH k2s 1"), "{page}");
    for (name, _) in leaf_commands() {
        let top = name.split(' ').next().unwrap_or(&name).to_string();
        assert!(page.contains(&top.replace('-', "\\-")), "man page lacks {top}");
    }
    let pages = dir.path().join("man1");
    ok(&k2s_cmd(
        "http://127.0.0.1:9/api/v2",
        dir.path(),
        &["man", "--dir", pages.to_str().unwrap()],
    )
    .output()
    .unwrap());
    for file in ["k2s.1", "k2s-ls.1", "k2s-access.1", "k2s-meta-set.1"] {
        let text = std::fs::read_to_string(pages.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains(".TH"), "{file}");
    }
    let access = std::fs::read_to_string(pages.join("k2s-access.1")).unwrap();
    assert!(access.contains("ACCESS"), "{access}");
}
