//! Arguments of the account index's commands (index, find, du, dupes, health, export).

use super::completions::remote_folders;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct IndexArgs {
    /// List the whole account again (new, changed and removed items), even when the index is complete
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Clone, Args)]
pub struct FindArgs {
    /// What to look for: letters in order, fuzzily ranked (`bbb` finds "Big Buck Bunny.mp4")
    #[arg(value_name = "PATTERN")]
    pub pattern: String,
    /// Show at most N matches, the best first
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// PATTERN is a glob over the whole name (`*.mp4`, `report-202?.pdf`), any case
    #[arg(long, conflicts_with = "regex")]
    pub glob: bool,
    /// PATTERN is a regular expression searched in the name
    #[arg(long)]
    pub regex: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DuArgs {
    /// Folder id or path (default the root)
    #[arg(value_name = "FOLDER", add = remote_folders())]
    pub folder: Option<String>,
    /// Folders down to N levels below FOLDER
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub depth: usize,
}

#[derive(Debug, Clone, Args)]
pub struct HealthArgs {
    /// A file not downloaded for more than N days counts as inactive (default: config
    /// `[index] inactive_days`, else 60)
    #[arg(long, value_name = "N")]
    pub inactive_days: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// csv (a header line, then a line per file) or json (an array of objects)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// Folder id or path: its files and those below it (default the whole account)
    #[arg(value_name = "FOLDER", add = remote_folders())]
    pub folder: Option<String>,
}
