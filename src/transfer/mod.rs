//! The transfer queue engine: uploads, downloads, remote uploads. Independent of the UI.
//!
//! ```ignore
//! let (handle, mut events) = transfer::start(client, EngineOptions::from_config(&config, Some(state_dir)));
//! let id = handle.download("abc123def4567", dir, None);
//! while let Some(ev) = events.recv().await { /* Event::Added / Updated / Progress / Captcha / ... */ }
//! ```
//!
//! * `start` loads the saved queue (`<state dir>/queue.json`, owned through a lock file) and
//!   runs a task that starts transfers within the concurrency limit.
//! * `TransferHandle` (cheap to clone) takes commands: add, pause, resume, cancel, retry,
//!   remove, move up/down, clear finished, answer a captcha; `snapshot()` reads the list.
//! * Events arrive on an unbounded channel; progress at most every `EngineOptions::tick`.

mod commands;
mod download;
mod engine;
mod fetch;
mod folder;
mod geturl;
mod handle;
mod hasher;
mod item;
mod job;
mod meter;
mod model;
pub mod names;
mod options;
mod plan;
mod remote;
mod remote_list;
mod store;
mod ticker;
mod upload;

pub use engine::start;
pub use handle::TransferHandle;
pub use model::{
    Aggregate, CaptchaRequest, Direction, DownloadSpec, Event, FolderSpec, HashMemo, Outcome, ProgressUpdate,
    RemoteSpec, Spec, State, TransferId, TransferView, UploadSpec,
};
pub use options::EngineOptions;
pub use store::{QUEUE_FILE, Saved, SavedItem};

use job::{JobCtx, JobEnd};

async fn run_job(ctx: &std::sync::Arc<JobCtx>, spec: Spec) -> Result<JobEnd, String> {
    match spec {
        Spec::Upload(u) => upload::run(ctx, u).await,
        Spec::UploadFolder(f) => folder::run(ctx, f).await,
        Spec::Download(d) => download::run(ctx, d).await,
        Spec::Remote(r) => remote::run(ctx, r).await,
    }
}
