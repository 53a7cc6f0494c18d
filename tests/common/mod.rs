//! Shared by the end-to-end test files: run a test once per shape of the demo server.
#![allow(dead_code)]

pub mod cli_env;
pub mod output;
pub mod pty;
pub mod transfer_cli;

pub use k2s::demo::Shapes;

/// `k2s ARGS` against `api_url` with the demo partner token, its config and state in `dir`, no
/// display, stdin closed, stdout and stderr captured.
pub fn k2s_cmd(api_url: &str, dir: &std::path::Path, args: &[&str]) -> std::process::Command {
    use std::process::Stdio;
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_k2s"));
    c.args(args)
        .env("K2S_API_URL", api_url)
        .env("K2S_CONFIG_DIR", dir)
        .env("K2S_ACCESS_TOKEN", k2s::demo::accounts::PARTNER_TOKEN)
        .env_remove("K2S_LOG")
        .env_remove("K2S_PROFILE")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Every shape the client must handle: the reference's letter, and the live service's forms.
pub const SHAPES: [Shapes; 2] = [Shapes::Reference, Shapes::Live];

/// `shaped! { async fn name(shape) { ... } }` makes the module `name` with one test per shape,
/// `name::reference` and `name::live`, so a client change that handles one form only fails.
/// `shaped! { multi_thread; async fn ... }` runs them on a two-thread runtime.
#[macro_export]
macro_rules! shaped {
    (multi_thread; $(#[$m:meta])* async fn $name:ident($shape:ident) $body:block) => {
        $(#[$m])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($shape: k2s::demo::Shapes) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn reference() {
                run(k2s::demo::Shapes::Reference).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn live() {
                run(k2s::demo::Shapes::Live).await
            }
        }
    };
    ($(#[$m:meta])* async fn $name:ident($shape:ident) $body:block) => {
        $(#[$m])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($shape: k2s::demo::Shapes) $body
            #[tokio::test]
            async fn reference() {
                run(k2s::demo::Shapes::Reference).await
            }
            #[tokio::test]
            async fn live() {
                run(k2s::demo::Shapes::Live).await
            }
        }
    };
}

/// The demo server with its seed, answering in `shapes`.
pub async fn demo_server(shapes: Shapes) -> k2s::demo::DemoServer {
    k2s::demo::DemoServer::start(k2s::demo::DemoOptions {
        shapes,
        ..k2s::demo::DemoOptions::default()
    })
    .await
    .expect("demo server")
}

/// `k2s ARGS` run in `dir` with the folders a TUI spawned by [`pty::k2s_partner`] in `dir`
/// uses (config and state in `dir/config`), off the runtime's threads; its stdout. It must
/// succeed.
pub async fn k2s_ok(dir: &std::path::Path, api: &str, args: &[&str]) -> String {
    let mut c = k2s_cmd(api, &dir.join("config"), args);
    c.current_dir(dir);
    let shown = format!("{args:?}");
    let out = tokio::task::spawn_blocking(move || c.output())
        .await
        .expect("k2s ran")
        .expect("run k2s");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "k2s {shown} failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}
