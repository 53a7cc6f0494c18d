//! `k2s ls` orders: folders first in every sort (A to Z among themselves when they have no size),
//! `--reverse`, the config's `folders_first = false`, and a server that ignores the order asked.

mod common;

use k2s::demo::{Faults, Shapes};
use std::process::Output;

use common::cli_env::CliEnv as Env;

async fn env_in(shapes: Shapes) -> Env {
    Env::start(shapes).await
}

impl Env {
    /// The names `k2s --json ls /Documents ARGS` prints, in order.
    async fn names(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["--json", "ls", "/Documents"];
        all.extend_from_slice(args);
        let mut c = common::k2s_cmd(&self.server.api_url(), self.dir.path(), &all);
        let out: Output = tokio::task::spawn_blocking(move || c.output().unwrap())
            .await
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "ls {args:?} failed: {err}");
        let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("a JSON list");
        items
            .iter()
            .map(|i| {
                i["name"]
                    .as_str()
                    .unwrap_or("?")
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect()
    }
}

const BY_NAME: [&str; 6] = [
    "Archive",
    "Private",
    "budget 2024.xlsx",
    "contract.docx",
    "private-notes.txt",
    "report.pdf",
];
const LARGEST: [&str; 6] = [
    "Archive",
    "Private",
    "report.pdf",
    "budget 2024.xlsx",
    "contract.docx",
    "private-notes.txt",
];

shaped! {
    async fn folders_stay_first_and_reverse_turns_the_rest(shape) {
        let e = env_in(shape).await;
        for faults in [Faults::default(), Faults { unsorted_listing: true, ..Faults::default() }] {
            let why = format!("unsorted_listing {}", faults.unsorted_listing);
            e.server.set_faults(faults);
            assert_eq!(e.names(&[]).await, BY_NAME, "{why}");
            assert_eq!(e.names(&["--sort", "size"]).await, LARGEST, "{why}");
            assert_eq!(
                e.names(&["--sort", "size", "--reverse"]).await,
                ["Archive", "Private", "private-notes.txt", "contract.docx", "budget 2024.xlsx", "report.pdf"],
                "smallest first, folders still first and A to Z ({why})"
            );
            assert_eq!(
                e.names(&["--reverse"]).await,
                ["Private", "Archive", "report.pdf", "private-notes.txt", "contract.docx", "budget 2024.xlsx"],
                "{why}"
            );
            assert_eq!(
                e.names(&["--sort", "date"]).await,
                ["Archive", "Private", "private-notes.txt", "contract.docx", "budget 2024.xlsx", "report.pdf"],
                "newest first ({why})"
            );
            assert_eq!(
                e.names(&["--sort", "date", "-r"]).await,
                ["Private", "Archive", "report.pdf", "budget 2024.xlsx", "contract.docx", "private-notes.txt"],
                "oldest first ({why})"
            );
        }
    }
}

shaped! {
    async fn the_config_can_sort_folders_in_among_the_files(shape) {
        let e = env_in(shape).await;
        std::fs::write(e.dir.path().join("config.toml"), "folders_first = false\n").unwrap();
        let mut by_name = BY_NAME.to_vec();
        by_name.sort_by_key(|n| n.to_lowercase());
        assert_eq!(e.names(&[]).await, by_name);
        assert_eq!(
            e.names(&["--sort", "size"]).await,
            ["report.pdf", "budget 2024.xlsx", "contract.docx", "private-notes.txt", "Archive", "Private"],
            "folders have no size: they come last, largest first"
        );
    }
}
