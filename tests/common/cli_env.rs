//! A demo server and a folder for the config and state of `k2s` commands run against it.

use k2s::demo::{DemoServer, Shapes, accounts};
use std::process::Output;

pub struct CliEnv {
    pub server: DemoServer,
    pub dir: tempfile::TempDir,
}

impl CliEnv {
    /// The seeded demo server answering in `shapes`, and an empty folder.
    pub async fn start(shapes: Shapes) -> CliEnv {
        CliEnv {
            server: super::demo_server(shapes).await,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// `k2s ARGS` with `token` (None: anonymously), off the runtime's threads.
    pub async fn run_as(&self, token: Option<&str>, args: &[&str]) -> Output {
        let mut c = super::k2s_cmd(&self.server.api_url(), self.dir.path(), args);
        match token {
            Some(t) => c.env("K2S_ACCESS_TOKEN", t),
            None => c.env_remove("K2S_ACCESS_TOKEN"),
        };
        tokio::task::spawn_blocking(move || c.output().expect("run k2s"))
            .await
            .expect("k2s ran")
    }

    /// `k2s ARGS` with the demo partner token.
    pub async fn run(&self, args: &[&str]) -> Output {
        self.run_as(Some(accounts::PARTNER_TOKEN), args).await
    }

    /// Write `text` to `name` in the env's folder; its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).expect("write a file");
        p.to_string_lossy().into_owned()
    }
}
