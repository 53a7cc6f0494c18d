//! Command-line arguments (clap).

use super::completions::{local_paths, remote_folders};
use crate::demo::{DemoOptions, Shapes};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
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

/// Options every command takes, shown under their own heading. The environment variables are
/// read after parsing (`Cli::parse_with_env`), not by clap: clap counts a value from the
/// environment as given on the command line and prints it in the usage line of every error.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// API base URL [env: K2S_API_URL] [default: https://keep2share.cc/api/v2]
    #[arg(long, global = true, value_name = "URL", value_hint = ValueHint::Url)]
    pub api_url: Option<String>,
    /// Permanent access token (partner token) [env: K2S_ACCESS_TOKEN]. Prefer the environment
    /// variable over the flag.
    #[arg(long, global = true, value_name = "TOKEN")]
    pub access_token: Option<String>,
    /// Directory for config.toml and the cached session token [env: K2S_CONFIG_DIR]
    #[arg(long, global = true, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub config_dir: Option<PathBuf>,
    /// The account or sister site of `[profiles.NAME]` in config.toml; its session, queue and
    /// state are its own [env: K2S_PROFILE]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
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
    #[arg(long, global = true, value_name = "N")]
    pub rate: Option<u32>,
    /// Seconds an API call may take, its retries included, before it fails [default: 25]; also
    /// how long a transfer connection may stay silent
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// How a free download's captcha is drawn on the terminal [env: K2S_CAPTCHA_VIEW]
    /// [default: auto]
    #[arg(long, global = true, value_enum, value_name = "VIEW")]
    pub captcha_view: Option<super::captcha_art::CaptchaView>,
}

impl Cli {
    /// The command line of this process, with the environment filled in (see `GlobalArgs`).
    pub fn parse_with_env() -> Cli {
        let mut cli = Cli::parse();
        cli.global.fill_from_env();
        cli
    }
}

impl GlobalArgs {
    /// What the command line left unset, from K2S_API_URL, K2S_ACCESS_TOKEN and K2S_CONFIG_DIR
    /// (an empty or non-UTF-8 variable counts as unset; a directory may be any bytes).
    pub fn fill_from_env(&mut self) {
        fn var(name: &str) -> Option<String> {
            std::env::var(name).ok().filter(|v| !v.is_empty())
        }
        if self.api_url.is_none() {
            self.api_url = var("K2S_API_URL");
        }
        if self.access_token.is_none() {
            self.access_token = var("K2S_ACCESS_TOKEN");
        }
        if self.profile.is_none() {
            self.profile = var("K2S_PROFILE");
        }
        if self.captcha_view.is_none() {
            self.captcha_view =
                var("K2S_CAPTCHA_VIEW").and_then(|v| super::captcha_art::CaptchaView::parse(&v));
        }
        if self.config_dir.is_none() {
            self.config_dir = std::env::var_os("K2S_CONFIG_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from);
        }
    }
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
    /// Share links, one per line, or formatted for forums (--format bbcode|html|markdown|TEMPLATE)
    Link(LinkArgs),
    /// Check every K2S link in a text (a post, a page, a list): alive, dead, blocked, premium
    /// only or private; exit 1 when any is dead or blocked
    Check(CheckArgs),
    /// The direct download URL (getUrl)
    Url(UrlArgs),
    /// Is this content already on the service? (findFile by md5)
    FindMd5(FindMd5Args),
    /// Build the account index (a local database of every folder and file), or resume it
    Index(super::index_args::IndexArgs),
    /// Find files and folders by name in the index: fuzzy, ranked (--glob, --regex)
    Find(super::index_args::FindArgs),
    /// Space used by folders, everything below them included (from the index)
    Du(super::index_args::DuArgs),
    /// Files stored more than once: groups with the same md5 (from the index)
    Dupes,
    /// Blocked, gone, unavailable, never or long not downloaded files (from the index)
    Health(super::index_args::HealthArgs),
    /// Every file of a folder and below as CSV or JSON, streamed (from the index)
    Export(super::index_args::ExportArgs),
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
    /// The profiles of config.toml, which one is chosen and which are logged in
    Profiles,
    /// A shell's completion script, to source from its startup file (see README)
    Completions(CompletionsArgs),
    /// The manual page (roff) on stdout, or one page per command into a folder
    Man(ManArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write k2s.1 and a page per command (k2s-ls.1, ...) into this folder instead
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
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
    /// File or folder ids, share links, or paths like /Movies/x.mp4 (paths need a login)
    #[arg(required = true, value_name = "ID|LINK|PATH")]
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct KeysArgs {
    /// Only this layer (list, tree, transfers, dialog, ...)
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
    /// Markdown tables (as in README)
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// Account name (e-mail); default the config's `username`, else asked on the terminal
    #[arg(long, short, value_name = "USER")]
    pub username: Option<String>,
    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LsArgs {
    /// Folder id, path ("/Movies/2024") or folder link; default the root
    #[arg(value_name = "FOLDER", add = remote_folders())]
    pub folder: Option<String>,
    /// Size, date, access, downloads, availability
    #[arg(long, short)]
    pub long: bool,
    /// Sort order
    #[arg(long, value_name = "ORDER", value_enum, default_value_t = SortArg::Name)]
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
    /// By name
    Name,
    /// By date
    Date,
    /// By size
    Size,
}

#[derive(Debug, Clone, Args)]
pub struct IdsArgs {
    /// Files or folders: ids, paths from the root ("/Movies/x.mp4") or share links
    #[arg(required = true, value_name = "ID|PATH|LINK", add = remote_folders())]
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct LinkArgs {
    /// Files or folders: ids, paths from the root ("/Movies/x.mp4") or share links
    #[arg(required = true, value_name = "ID|PATH|LINK", add = remote_folders())]
    pub ids: Vec<String>,
    /// plain, bbcode, html, markdown, a [link_formats] name from config.toml, or a template
    /// with {name} {link} {size} {bytes} {duration} {resolution} {title} {tags} {folder} {md5};
    /// default the config's link_format, else plain
    #[arg(long, short = 'f', value_name = "FORMAT")]
    pub format: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The text to read; "-" or nothing: standard input
    #[arg(value_name = "FILE|-", value_hint = ValueHint::FilePath)]
    pub file: Option<PathBuf>,
    /// Bring dead links back: the same content again by hash (the md5 from the account index,
    /// or of a local copy) when the service still has it, else uploaded from --from; prints the
    /// old-to-new map
    #[arg(long)]
    pub repair: bool,
    /// Local copies of the files, found by size and md5 (files the index knows) or by the name
    /// the dead link carries (needed for --repair without an account index)
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, requires = "repair")]
    pub from: Option<PathBuf>,
    /// With --repair: write the text back to FILE with the new links (atomically)
    #[arg(long, requires = "repair")]
    pub rewrite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FolderAccessArg {
    /// Anyone with the link
    Public,
    /// Premium users only
    Premium,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessArg {
    /// Anyone with the link
    Public,
    /// The owner only
    Private,
    /// Premium users only
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
    /// Name of the new folder
    pub name: String,
    /// Parent folder id, path or link; default the root
    #[arg(long, value_name = "FOLDER", add = remote_folders())]
    pub parent: Option<String>,
    /// Access of the new folder
    #[arg(long, value_enum, value_name = "ACCESS")]
    pub access: Option<FolderAccessArg>,
    /// Make the folder public (is_public)
    #[arg(long)]
    pub public: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MvArgs {
    /// Files or folders to move: ids, paths from the root or share links
    #[arg(required = true, value_name = "ID|PATH|LINK", add = remote_folders())]
    pub ids: Vec<String>,
    /// Destination folder id, path ("/" for the root) or link
    #[arg(long, value_name = "FOLDER", add = remote_folders())]
    pub to: String,
}

#[derive(Debug, Clone, Args)]
pub struct RenameArgs {
    /// The file or folder: id, path from the root or share link
    #[arg(value_name = "ID|PATH|LINK", add = remote_folders())]
    pub id: String,
    /// Its new name
    #[arg(value_name = "NEW_NAME")]
    pub name: String,
}

#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// Files (or folders) to change: ids, paths from the root or share links
    #[arg(required = true, value_name = "ID|PATH|LINK", add = remote_folders())]
    pub ids: Vec<String>,
    /// The new access level
    #[arg(value_enum, value_name = "ACCESS")]
    pub access: AccessArg,
}

#[derive(Debug, Clone, Args)]
pub struct RmArgs {
    /// Files or folders to delete: ids, paths from the root or share links
    #[arg(required = true, value_name = "ID|PATH|LINK", add = remote_folders())]
    pub ids: Vec<String>,
    /// Do not ask
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct UrlArgs {
    /// The file: id, path from the root or share link
    #[arg(value_name = "ID|PATH|LINK", add = remote_folders())]
    pub id: String,
}

#[derive(Debug, Clone, Args)]
pub struct FindMd5Args {
    /// The content's md5, 32 hex digits (as `md5sum` prints it)
    #[arg(value_name = "MD5")]
    pub md5: String,
}

#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    /// Local files or folders (a folder is uploaded with its structure)
    #[arg(required = true, value_name = "LOCAL_PATH", add = local_paths())]
    pub paths: Vec<PathBuf>,
    /// Destination folder id, path or link; default the root
    #[arg(long, value_name = "FOLDER", add = remote_folders())]
    pub to: Option<String>,
    /// Access of the uploaded files
    #[arg(long, value_enum, value_name = "ACCESS")]
    pub access: Option<AccessArg>,
    /// Skip files already in the destination with the same name and size
    #[arg(long)]
    pub skip_existing: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DownloadArgs {
    /// File or folder ids, share links (https://k2s.cc/file/ID/...), or folder paths from the
    /// root (/Movies/2024)
    #[arg(required = true, value_name = "ID|PATH|LINK", add = remote_folders())]
    pub ids: Vec<String>,
    /// Where to save; default the configured download dir, else the current directory
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// Connections per large file
    #[arg(long, value_name = "N")]
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
    /// Addresses (http, https, ftp) for the service to fetch
    #[arg(required = true, value_name = "URL", value_hint = ValueHint::Url)]
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
    Get {
        /// The file: id, path from the root or share link
        #[arg(value_name = "ID|PATH|LINK")]
        id: String,
    },
    /// Create or change metadata; only the fields given change
    Set(MetaSetArgs),
    /// Copy one file's metadata to others
    Copy {
        /// The file whose metadata is copied: id, path or share link
        #[arg(value_name = "ID|PATH|LINK")]
        from: String,
        /// The files that get it
        #[arg(long, required = true, num_args = 1.., value_name = "ID|PATH|LINK")]
        to: Vec<String>,
    },
    /// Delete a file's metadata
    Rm {
        /// The file: id, path from the root or share link
        #[arg(value_name = "ID|PATH|LINK")]
        id: String,
        /// Do not ask
        #[arg(long, short)]
        yes: bool,
    },
    /// Files whose metadata has a tag, category or actress
    Find(MetaFindArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MetaSetArgs {
    /// The file: id, path from the root or share link
    #[arg(value_name = "ID|PATH|LINK")]
    pub id: String,
    /// The title
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The studio
    #[arg(long, value_name = "NAME")]
    pub studio: Option<String>,
    /// A tag (repeat for more; the list given replaces the file's tags)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A category (repeat for more; replaces the file's categories)
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// An actress (repeat for more; replaces the file's actresses)
    #[arg(long = "actress", value_name = "NAME")]
    pub actresses: Vec<String>,
    /// Remove every tag
    #[arg(long)]
    pub clear_tags: bool,
    /// Remove every category
    #[arg(long)]
    pub clear_categories: bool,
    /// Remove every actress
    #[arg(long)]
    pub clear_actresses: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MetaFindArgs {
    /// Files with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Files in this category
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Files with this actress
    #[arg(long, value_name = "NAME")]
    pub actress: Option<String>,
}
