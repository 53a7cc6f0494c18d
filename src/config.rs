//! The configuration file (TOML) and the directories k2s uses.
//!
//! Precedence for every setting: command-line flag, then environment variable, then this file,
//! then the default.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "config.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardMode {
    /// OSC 52 over SSH, tmux buffer inside tmux, the system clipboard when a display exists.
    #[default]
    Auto,
    Osc52,
    Tmux,
    System,
    Off,
}

/// Everything the config file can hold. Unknown keys are refused (with the line named) so
/// that a typo does not silently do nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub api_url: Option<String>,
    /// Permanent partner token. Prefer K2S_ACCESS_TOKEN; if stored here, keep the file 0600.
    pub access_token: Option<String>,
    pub username: Option<String>,
    /// API requests per second (throttle).
    pub requests_per_second: u32,
    /// Seconds before an API request is abandoned.
    pub timeout_secs: u64,
    /// `[keymap]`: action name -> key or keys (`up = ["k", "Up"]`) wherever the action is
    /// bound, and `[keymap.LAYER]` tables for one layer (`[keymap.list]`, `[keymap.dialog]`).
    pub keymap: KeymapConfig,
    /// element name -> colour, e.g. `selection_bg = "#334455"` or `"blue"`.
    pub theme: BTreeMap<String, String>,
    pub clipboard: ClipboardMode,
    pub mouse: bool,
    /// Domain for share links (one of getDomainsList); default k2s.cc.
    pub link_domain: Option<String>,
    /// getFilesList page size (1 to 10000).
    pub page_size: u32,
    /// Where downloads go; default the current directory.
    pub download_dir: Option<PathBuf>,
    /// Simultaneous transfers.
    pub concurrency: usize,
    /// Connections per large download.
    pub connections: usize,
    /// Check every download's md5 against the service's (about 1.5 s of CPU per GiB).
    pub verify_md5: bool,
    /// Folders before files in every sort of the file list and of `ls` (false: sorted in).
    pub folders_first: bool,
    /// Named accounts and sister sites: `[profiles.NAME]`, chosen with `--profile NAME` or
    /// `K2S_PROFILE`.
    pub profiles: BTreeMap<String, Profile>,
    /// `[link_formats]`: named link formats for `k2s link --format NAME` and the TUI's menu,
    /// each a template (`"[url={link}]{name}[/url]"`) or a table with `item`, `header`, `footer`.
    pub link_formats: BTreeMap<String, LinkFormatConfig>,
    /// The format links are copied in (a built-in or a `[link_formats]` name); default plain.
    pub link_format: Option<String>,
    /// `[index]`: the account index's queries.
    pub index: IndexConfig,
    /// Where this configuration came from (file and text), to name lines in later errors.
    #[serde(skip)]
    pub source: Option<(PathBuf, String)>,
}

/// `[index]` of config.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IndexConfig {
    /// Days without a download before a file counts as inactive (`k2s health`, the health
    /// view); 1 to 3650, default 60.
    pub inactive_days: u64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            inactive_days: crate::app::health::DEFAULT_INACTIVE_DAYS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// One `[link_formats]` entry: a template for each link, or a table with a header and a footer
/// around the whole selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LinkFormatConfig {
    Item(String),
    Full {
        item: String,
        #[serde(default)]
        header: Option<String>,
        #[serde(default)]
        footer: Option<String>,
        /// Between two items; default a new line.
        #[serde(default)]
        separator: Option<String>,
    },
}

/// One `[profiles.NAME]`: what it changes in the configuration. Its session, queue and every
/// per-account file live in a folder of its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The API of this account's site (a sister site speaks the same API at its own address).
    pub api_url: Option<String>,
    /// The domain of its share links.
    pub link_domain: Option<String>,
    pub username: Option<String>,
    /// The name of an environment variable holding a permanent access token for it (the
    /// token itself is never written in the config).
    pub access_token_env: Option<String>,
}

/// A profile name is a folder name: letters, digits, `-` and `_`, 1 to 64 of them.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a profile name: use 1 to 64 letters, digits, - or _"
        ))
    }
}

/// A line of `[keymap]`: keys for an action, or a layer's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeymapEntry {
    Keys(KeyList),
    Layer(BTreeMap<String, KeyList>),
}

pub type KeymapConfig = BTreeMap<String, KeymapEntry>;

impl KeyList {
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(v) => v.clone(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_url: None,
            access_token: None,
            username: None,
            requests_per_second: 5,
            timeout_secs: 25,
            keymap: BTreeMap::new(),
            theme: BTreeMap::new(),
            clipboard: ClipboardMode::Auto,
            mouse: true,
            link_domain: None,
            page_size: 10_000,
            download_dir: None,
            concurrency: 3,
            connections: 16,
            verify_md5: true,
            folders_first: true,
            profiles: BTreeMap::new(),
            link_formats: BTreeMap::new(),
            link_format: None,
            index: IndexConfig::default(),
            source: None,
        }
    }
}

impl Config {
    /// Read `<dir>/config.toml`; a missing file gives the defaults, a bad one an error that
    /// names the file, the line and the column.
    pub fn load(dir: &Path) -> anyhow::Result<Config> {
        let path = dir.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            return Ok(Config::default());
        }
        check_trusted(&path)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        let mut cfg = Config::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        cfg.source = Some((path, text));
        Ok(cfg)
    }

    /// This configuration as profile `name` makes it: its API, link domain, user name and
    /// token (read from the variable it names). An unknown name is an error listing the known.
    pub fn with_profile(&self, name: &str) -> Result<Config, String> {
        check_profile_name(name)?;
        let Some(p) = self.profiles.get(name) else {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            return Err(if known.is_empty() {
                format!("no profile {name:?}: config.toml has no [profiles.NAME] table")
            } else {
                format!("no profile {name:?} (profiles: {})", known.join(", "))
            });
        };
        let mut c = self.clone();
        if p.api_url.is_some() {
            c.api_url = p.api_url.clone();
        }
        if p.link_domain.is_some() {
            c.link_domain = p.link_domain.clone();
        }
        if p.username.is_some() {
            c.username = p.username.clone();
            c.access_token = None;
        }
        if let Some(var) = &p.access_token_env {
            c.access_token = std::env::var(var).ok().filter(|t| !t.trim().is_empty());
            if c.access_token.is_none() && p.username.is_none() {
                return Err(format!(
                    "profile {name:?}: the variable {var} holds no access token"
                ));
            }
        }
        Ok(c)
    }

    /// The line of `key` in `[table]` ("keymap.list"), when the configuration came from a file.
    pub fn line(&self, table: &str, key: &str) -> Option<usize> {
        let (_, text) = self.source.as_ref()?;
        line_of(text, Some(table), key)
    }

    /// The file the configuration came from, for errors ("config" when none).
    pub fn origin(&self) -> String {
        self.source
            .as_ref()
            .map_or_else(|| "config".to_string(), |(p, _)| p.display().to_string())
    }

    /// An error about `table.key` (e.g. "keymap.up: unknown key"), with the file and line of
    /// that key when the configuration came from a file.
    pub fn locate_error(&self, msg: &str) -> String {
        let Some((path, text)) = &self.source else {
            return format!("config: {msg}");
        };
        let key = msg.split(':').next().unwrap_or("");
        let line = match key.split_once('.') {
            Some((table, k)) => line_of(text, Some(table), k),
            None => line_of(text, None, key),
        };
        match line {
            Some(n) => format!("{}: line {n}: {msg}", path.display()),
            None => format!("{}: {msg}", path.display()),
        }
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let line_col = e.span().map(|sp| {
                let before = &text[..sp.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {col}: ")
            });
            format!("{}{}", line_col.unwrap_or_default(), e.message())
        })?;
        cfg.validate().map_err(|(key, msg)| {
            let line = match key.split_once('.') {
                Some((table, k)) => line_of(text, Some(table), k),
                None => line_of(text, None, key),
            };
            match line {
                Some(n) => format!("line {n}: {msg}"),
                None => msg,
            }
        })?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        let n = self.page_size;
        if !(1..=10_000).contains(&n) {
            return Err((
                "page_size",
                format!("page_size must be between 1 and 10000, not {n}"),
            ));
        }
        if self.requests_per_second == 0 {
            return Err((
                "requests_per_second",
                "requests_per_second must be at least 1".into(),
            ));
        }
        if self.concurrency == 0 {
            return Err(("concurrency", "concurrency must be at least 1".into()));
        }
        if self.connections == 0 {
            return Err(("connections", "connections must be at least 1".into()));
        }
        let days = crate::app::health::INACTIVE_DAYS_RANGE;
        let n = self.index.inactive_days;
        if !days.contains(&n) {
            return Err((
                "index.inactive_days",
                format!(
                    "index.inactive_days must be between {} and {}, not {n}",
                    days.start(),
                    days.end()
                ),
            ));
        }
        Ok(())
    }
}

/// Refuse, as ssh does, a config file that someone else could have written: a dangling
/// symlink, a file owned by another user (root excepted), a file or folder that the group or
/// others may write. The error names the file and the fix.
fn check_trusted(path: &Path) -> anyhow::Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let target = std::fs::read_link(path).map_or_else(|_| "?".into(), |t| t.display().to_string());
            anyhow::bail!(
                "{} is a symlink to {target}, which does not exist: fix or remove the link",
                path.display()
            );
        }
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    };
    if !meta.is_file() {
        anyhow::bail!("{} is not a regular file", path.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let shown = path.display();
        if meta.uid() != me && meta.uid() != 0 {
            anyhow::bail!(
                "refusing {shown}: it belongs to another user (uid {}), who could point k2s anywhere; \
                 check it, then make it yours (`sudo chown {me} {shown}`)",
                meta.uid()
            );
        }
        if meta.mode() & 0o022 != 0 {
            anyhow::bail!(
                "refusing {shown}: others may write it (mode {:04o}); fix it with `chmod go-w {shown}`",
                meta.mode() & 0o7777
            );
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(dir) = real.parent()
            && let Ok(d) = std::fs::metadata(dir)
            && d.mode() & 0o022 != 0
            && d.mode() & 0o1000 == 0
        {
            anyhow::bail!(
                "refusing {shown}: others may write its folder {} (mode {:04o}); fix it with `chmod go-w {}`",
                dir.display(),
                d.mode() & 0o7777,
                dir.display()
            );
        }
    }
    Ok(())
}

/// The 1-based line where `key` is set, in `table` (None: the top level, before any table).
fn line_of(text: &str, table: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            current = Some(name.trim().to_string());
            continue;
        }
        let Some((k, _)) = t.split_once('=') else { continue };
        let k = k.trim().trim_matches('"').trim_matches('\'');
        if k == key && current.as_deref() == table {
            return Some(i + 1);
        }
    }
    None
}

/// The platform config dir (~/.config/k2s on Linux) unless overridden.
pub fn default_config_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "k2s")
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".k2s"))
}

/// State (transfer queue, logs): the platform state/data dir, or `<config dir>/state` when the
/// config dir was given explicitly.
pub fn state_dir(config_dir: &Path, explicit: bool) -> PathBuf {
    if explicit {
        return config_dir.join("state");
    }
    directories::ProjectDirs::from("", "", "k2s")
        .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
        .unwrap_or_else(|| config_dir.join("state"))
}

/// Create `dir` (and missing parents) with mode 0700 on Unix, and tighten an existing `dir`
/// of ours that others can read or write into to 0700.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let meta = std::fs::metadata(dir)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.mode() & 0o077 != 0 && meta.uid() == me {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            tracing::info!("tightened {} to mode 0700", dir.display());
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Set an existing file of ours that others may read or write to 0600. True when it was
/// loose (and is now tightened); a missing file is fine.
pub fn tighten_file(path: &Path) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        if !meta.is_file() || meta.mode() & 0o077 == 0 {
            return Ok(false);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        tracing::info!("tightened {} to mode 0600", path.display());
        Ok(true)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(false)
    }
}

/// Open `path` for appending, created 0600 (an existing loose file is tightened), its folder
/// created 0700.
pub fn open_private_append(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    private_open(path, &mut o)
}

/// Open `path` with `options`, creating it 0600 (an existing loose file is tightened), its
/// folder created 0700.
pub fn private_open(path: &Path, options: &mut std::fs::OpenOptions) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_dir(dir)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    tighten_file(path)?;
    Ok(file)
}

/// Write `bytes` to `path` atomically (temp file in the same dir, fsync, rename), with mode
/// 0600 on Unix when `private`.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    if private {
        private_dir(dir)?;
    } else {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_config_names_the_line() {
        let err = Config::parse("mouse = true\npage_size = \"x\"\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = Config::parse("mouse = true\nnot_a_key = 1\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("not_a_key"), "{err}");
    }

    #[test]
    fn invalid_values_name_their_line() {
        let err = Config::parse("mouse = true\n\npage_size = 0\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        let mut c = Config::parse("[keymap]\ndown = \"j\"\nup = \"Ctrl-Banana\"\n").unwrap();
        c.source = Some((
            PathBuf::from("/x/config.toml"),
            "[keymap]\ndown = \"j\"\nup = \"Ctrl-Banana\"\n".into(),
        ));
        assert_eq!(
            c.locate_error("keymap.up: unknown key"),
            "/x/config.toml: line 3: keymap.up: unknown key"
        );
    }

    #[test]
    fn inactive_days_are_read_from_index_and_a_bad_value_names_its_line() {
        assert_eq!(Config::default().index.inactive_days, 60);
        let c = Config::parse("mouse = true\n[index]\ninactive_days = 120\n").unwrap();
        assert_eq!(c.index.inactive_days, 120);
        let err = Config::parse("mouse = true\n\n[index]\ninactive_days = 0\n").unwrap_err();
        assert!(err.starts_with("line 4:") && err.contains("1 and 3650"), "{err}");
        let err = Config::parse("[index]\ninactive_days = 3651\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        let err = Config::parse("[index]\ninactive_days = \"soon\"\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = Config::parse("[index]\ninactve_days = 9\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("inactve_days"), "{err}");
    }

    #[test]
    fn good_config() {
        let c =
            Config::parse("clipboard = \"osc52\"\n[keymap]\nup = [\"k\", \"Up\"]\nquit = \"q\"\n").unwrap();
        assert_eq!(c.clipboard, ClipboardMode::Osc52);
        assert!(matches!(&c.keymap["up"], KeymapEntry::Keys(k) if k.keys() == vec!["k", "Up"]));
        assert_eq!(Config::default().page_size, 10_000);
    }

    #[cfg(unix)]
    #[test]
    fn untrusted_config_files_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(CONFIG_FILE);
        std::fs::write(&p, "api_url = \"http://evil/api/v2\"\n").unwrap();
        let mode = |m| std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).unwrap();
        mode(0o664);
        let err = format!("{:#}", Config::load(d.path()).unwrap_err());
        assert!(err.contains(&format!("chmod go-w {}", p.display())), "{err}");
        mode(0o646);
        assert!(Config::load(d.path()).is_err());
        mode(0o644);
        assert_eq!(
            Config::load(d.path()).unwrap().api_url.as_deref(),
            Some("http://evil/api/v2")
        );
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = format!("{:#}", Config::load(d.path()).unwrap_err());
        assert!(err.contains("its folder") && err.contains("chmod go-w"), "{err}");
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink(d.path().join("gone.toml"), &p).unwrap();
        let err = format!("{:#}", Config::load(d.path()).unwrap_err());
        assert!(
            err.contains("gone.toml") && err.contains("does not exist"),
            "{err}"
        );
    }

    #[test]
    fn atomic_write_is_private() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sub/token");
        write_atomic(&p, b"secret", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
