//! upload, download, remote-upload, queue (being written: transfer helper).

use super::args::{DownloadArgs, QueueArgs, RemoteUploadArgs, UploadArgs};
use super::ctx::Ctx;
use std::process::ExitCode;

pub async fn upload(_ctx: &Ctx, _a: &UploadArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("upload is not available yet")
}
pub async fn download(_ctx: &Ctx, _a: &DownloadArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("download is not available yet")
}
pub async fn remote_upload(_ctx: &Ctx, _a: &RemoteUploadArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("remote-upload is not available yet")
}
pub async fn queue(_ctx: &Ctx, _a: &QueueArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("queue is not available yet")
}
