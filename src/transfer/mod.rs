//! The transfer queue engine: uploads, downloads, remote uploads. Independent of the UI.
//!
//! ```ignore
//! let opts = EngineOptions::from_config(&config, Some(state_dir));
//! let (handle, mut events) = transfer::start(client, opts); // inside a tokio runtime
//! let id = handle.download("abc123def4567", dir, None);
//! while let Some(ev) = events.recv().await { /* Event::Added / Updated / Progress / Captcha / ... */ }
//! ```
//!
//! * `start` loads the saved queue (`<state dir>/queue.json`, owned through a lock file: a
//!   second process gets an unsaved queue, see `TransferHandle::is_persistent`) and runs a task
//!   that starts transfers in queue order within the concurrency limit.
//! * `TransferHandle` (cheap to clone, every method returns at once): `add` / `upload` /
//!   `download` (a file, or a folder id: recursively) / `download_folder` / `remote_upload`,
//!   `pause`, `resume`, `cancel`, `retry`, `remove`, `move_up`, `move_down`, `clear_finished`,
//!   `pause_all`, `resume_all`, `answer_captcha`, `set_concurrency`; `snapshot()` and
//!   `aggregate()` read the state (refreshed every tick); `shutdown().await` stops the tasks
//!   and saves.
//! * `Event`s arrive on an unbounded channel: `Added`, `Updated` (state, detail, outcome),
//!   `Removed`, `Order`, `Progress` (at most once per `EngineOptions::tick`, with the
//!   `Aggregate`), `Captcha` (a free download waits for `answer_captcha`), `Idle`.
//! * For remote uploads `done`/`total` are percent (total 100), not bytes.

mod batch_stop;
mod commands;
mod download;
mod engine;
mod error;
mod fetch;
mod folder;
mod folder_download;
mod gather;
mod geturl;
mod handle;
mod hasher;
mod item;
mod job;
mod meter;
mod model;
pub mod names;
mod options;
mod part_file;
mod plan;
mod ramp;
mod remote;
pub mod remote_list;
mod store;
mod ticker;
mod upload;
mod upload_race;

pub use engine::start;
pub use error::{ApiRecovery, BatchCause, IoAction, Remedy, TransferError};
pub use handle::TransferHandle;
pub use model::{
    Aggregate, CaptchaRequest, Direction, DownloadFolderSpec, DownloadSpec, Event, FolderSpec, HashMemo,
    LocalSkip, Outcome, ProgressUpdate, RemoteSpec, Spec, State, TransferId, TransferView, UploadSpec,
};
pub use options::EngineOptions;
pub use store::{QUEUE_FILE, Saved, SavedItem, queue_in_use};

use job::{JobCtx, JobEnd};

async fn run_job(ctx: &std::sync::Arc<JobCtx>, spec: Spec) -> Result<JobEnd, TransferError> {
    if let Some(owner) = &ctx.opts.account {
        let now = ctx.client.account_key();
        if *owner != now {
            return Err(TransferError::WrongAccount {
                owner: owner.clone(),
                now,
            });
        }
    }
    match spec {
        Spec::Upload(u) => upload::run(ctx, u).await,
        Spec::UploadFolder(f) => folder::run(ctx, f).await,
        Spec::Download(d) => download::run(ctx, d).await,
        Spec::DownloadFolder(f) => folder_download::run(ctx, f).await,
        Spec::Remote(r) => remote::run(ctx, r).await,
    }
}
