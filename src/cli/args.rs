//! Command-line arguments (clap).

use crate::demo::{DemoOptions, Shapes};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "k2s",
    version,
    about = "Keyboard-driven file manager and command line for Keep2Share cloud storage",
    long_about = "Without a command, k2s opens the terminal file manager.\n\
                  With a command, it runs it and exits (scriptable; add --json for machine-readable output)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// API base URL [default: https://keep2share.cc/api/v2]
    #[arg(long, env = "K2S_API_URL", global = true)]
    pub api_url: Option<String>,
    /// Permanent access token (partner token). Prefer the environment variable over the flag.
    #[arg(long, env = "K2S_ACCESS_TOKEN", global = true, hide_env_values = true)]
    pub access_token: Option<String>,
    /// Directory for config.toml and the cached session token
    #[arg(long, env = "K2S_CONFIG_DIR", global = true)]
    pub config_dir: Option<PathBuf>,
    /// Machine-readable JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// Run on the built-in demo server, logged in as its premium user
    #[arg(long, global = true)]
    pub demo: bool,
    /// With --demo: the forms the demo server replies in. `reference`: the API reference to the
    /// letter; `live`: what the live service has been seen sending (numbers as strings, 0/1
    /// booleans, `/name` folder names, the 200 free-download key, 403/11 on expiry, ...)
    #[arg(long, global = true, value_enum, default_value_t = Shapes::Reference)]
    pub shapes: Shapes,
    /// With --demo: the demo server's getFoldersList omits the parent arrays, as older servers do
    /// (the folder tree is then flat)
    #[arg(long, global = true)]
    pub no_parent_arrays: bool,
    /// API requests per second (throttle)
    #[arg(long, global = true)]
    pub rate: Option<u32>,
    /// Seconds an API call may take, its retries included, before it fails [default: 25]; also
    /// how long a transfer connection may stay silent
    #[arg(long, global = true)]
    pub timeout: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with username and password; the session token is cached (mode 0600), the password never
    Login(LoginArgs),
    /// Forget the cached session token
    Logout,
    /// Traffic left, premium expiry, balance, link domains and subscriptions
    Account(AccountArgs),
    /// A reseller code for N premium days (resellerGetCode); buys one from the balance
    ResellerCode(ResellerCodeArgs),
    /// Are these files or public folders available? (getFileStatus); exit 1 when any is not
    Status(StatusArgs),
    /// List a folder (id or path from the root; default the root)
    Ls(LsArgs),
    /// The whole folder tree
    Tree,
    /// Everything known about files: extended info and video info included
    Info(IdsArgs),
    /// Create a folder
    Mkdir(MkdirArgs),
    /// Move files or folders into a folder
    Mv(MvArgs),
    /// Rename a file or folder
    Rename(RenameArgs),
    /// Set access: public, private or premium
    Access(AccessArgs),
    /// Delete files or folders (asks first unless --yes)
    Rm(RmArgs),
    /// Share links, one per line
    Link(IdsArgs),
    /// The direct download URL (getUrl)
    Url(UrlArgs),
    /// Is this content already on the service? (findFile by md5)
    FindMd5(FindMd5Args),
    /// Upload files or folders
    Upload(UploadArgs),
    /// Download files, or folders recursively
    Download(DownloadArgs),
    /// Have the service fetch URLs into the account
    RemoteUpload(RemoteUploadArgs),
    /// Show or resume the saved transfer queue
    Queue(QueueArgs),
    /// File metadata: title, description, studio, categories, actresses, tags
    #[command(subcommand)]
    Meta(MetaCommand),
    /// Run the demo server alone; prints its API URL on the first line of stdout
    DemoServer(DemoOptions),
    /// The TUI's keys, layer by layer, as config.toml sets them
    Keys(KeysArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AccountArgs {
    /// A site domain whose subscriptions to list (repeatable) [default: the domain of the
    /// account's e-mail address]
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ResellerCodeArgs {
    /// Premium days the code gives
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// Hand back a code bought earlier for as many days, if there is one
    #[arg(long)]
    pub use_existing: bool,
    /// Never buy: fail when there is no code to hand back
    #[arg(long)]
    pub no_buy: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// File or folder ids, or share links
    #[arg(required = true, value_name = "ID|LINK")]
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct KeysArgs {
    /// Only this layer (list, tree, transfers, dialog, ...)
    #[arg(long)]
    pub layer: Option<String>,
    /// Markdown tables (as in README)
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    #[arg(long, short)]
    pub username: Option<String>,
    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LsArgs {
    /// Folder id or path ("/Movies/2024"); default the root
    pub folder: Option<String>,
    /// Size, date, access, downloads, availability
    #[arg(long, short)]
    pub long: bool,
    /// Sort order
    #[arg(long, value_enum, default_value_t = SortArg::Name)]
    pub sort: SortArg,
    /// Reverse the order (folders stay first)
    #[arg(long, short)]
    pub reverse: bool,
    /// Only files that can be downloaded
    #[arg(long)]
    pub only_available: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Name,
    Date,
    Size,
}

#[derive(Debug, Clone, Args)]
pub struct IdsArgs {
    #[arg(required = true)]
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FolderAccessArg {
    Public,
    Premium,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessArg {
    Public,
    Private,
    Premium,
}

impl From<AccessArg> for crate::api::Access {
    fn from(a: AccessArg) -> Self {
        match a {
            AccessArg::Public => crate::api::Access::Public,
            AccessArg::Private => crate::api::Access::Private,
            AccessArg::Premium => crate::api::Access::Premium,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct MkdirArgs {
    pub name: String,
    /// Parent folder id or path; default the root
    #[arg(long)]
    pub parent: Option<String>,
    #[arg(long, value_enum)]
    pub access: Option<FolderAccessArg>,
    /// Make the folder public (is_public)
    #[arg(long)]
    pub public: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MvArgs {
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Destination folder id or path ("/" for the root)
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Clone, Args)]
pub struct RenameArgs {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// File ids followed by the access level: ID... public|private|premium
    #[arg(required = true, num_args = 2..)]
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RmArgs {
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Do not ask
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct UrlArgs {
    pub id: String,
}

#[derive(Debug, Clone, Args)]
pub struct FindMd5Args {
    pub md5: String,
}

#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Destination folder id or path; default the root
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, value_enum)]
    pub access: Option<AccessArg>,
    /// Skip files already in the destination with the same name and size
    #[arg(long)]
    pub skip_existing: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DownloadArgs {
    /// File or folder ids, share links (https://k2s.cc/file/ID/...), or folder paths from the
    /// root (/Movies/2024)
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Where to save; default the configured download dir, else the current directory
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Connections per large file
    #[arg(long)]
    pub connections: Option<usize>,
    /// Check only the size, not the md5 (saves about 1.5 s of CPU per GiB)
    #[arg(long)]
    pub no_verify_md5: bool,
    /// Skip every file whose name is already taken in the destination, without reading it
    /// (by default only a file with the same size and md5 is skipped; another gets "name (1)")
    #[arg(long)]
    pub skip_existing: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RemoteUploadArgs {
    #[arg(required = true)]
    pub urls: Vec<String>,
    /// Wait until every accepted URL has finished
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Clone, Args)]
pub struct QueueArgs {
    /// Run the unfinished transfers of the saved queue
    #[arg(long)]
    pub resume: bool,
    /// With --resume: run the failed transfers again too
    #[arg(long, requires = "resume")]
    pub retry_failed: bool,
}

#[derive(Debug, Subcommand)]
pub enum MetaCommand {
    /// Show a file's metadata
    Get { id: String },
    /// Create or change metadata; only the fields given change
    Set(MetaSetArgs),
    /// Copy one file's metadata to others
    Copy {
        from: String,
        #[arg(long, required = true, num_args = 1..)]
        to: Vec<String>,
    },
    /// Delete a file's metadata
    Rm {
        id: String,
        #[arg(long, short)]
        yes: bool,
    },
    /// Files whose metadata has a tag, category or actress
    Find(MetaFindArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MetaSetArgs {
    pub id: String,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub studio: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[arg(long = "category")]
    pub categories: Vec<String>,
    #[arg(long = "actress")]
    pub actresses: Vec<String>,
    #[arg(long)]
    pub clear_tags: bool,
    #[arg(long)]
    pub clear_categories: bool,
    #[arg(long)]
    pub clear_actresses: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MetaFindArgs {
    #[arg(long)]
    pub tag: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub actress: Option<String>,
}
