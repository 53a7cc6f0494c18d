//! meta get/set/copy/rm/find.

use super::args::MetaCommand;
use super::ctx::Ctx;
use std::process::ExitCode;

pub async fn run(_ctx: &Ctx, _m: MetaCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("meta commands are not available yet")
}
