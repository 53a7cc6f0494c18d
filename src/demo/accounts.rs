//! The demo server's accounts.
//!
//! | account | login | storage | notes |
//! |---|---|---|---|
//! | premium | `premium@demo.k2s` / `premium-pass` | the main seed tree | premium until 2030 |
//! | free | `free@demo.k2s` / `free-pass` | a small tree of its own | getUrl needs captcha + wait |
//! | reCaptcha | `captcha@demo.k2s` / `captcha-pass` | one file | login answers 406/33 until a solved reCaptcha is sent |
//! | partner token | `access_token: "demo-partner-token"` | the premium user's storage | never expires |

pub const PREMIUM_USER: &str = "premium@demo.k2s";
pub const PREMIUM_PASSWORD: &str = "premium-pass";
pub const FREE_USER: &str = "free@demo.k2s";
pub const FREE_PASSWORD: &str = "free-pass";
pub const RECAPTCHA_USER: &str = "captcha@demo.k2s";
pub const RECAPTCHA_PASSWORD: &str = "captcha-pass";
/// Permanent partner access token; acts on the premium user's storage.
pub const PARTNER_TOKEN: &str = "demo-partner-token";
/// The domain whose subscriptions getSubscriptions lists (premium account only).
pub const SUBSCRIPTION_DOMAIN: &str = "demo.k2s";

/// One of the demo accounts (each has its own storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Acct {
    Premium,
    Free,
    Recaptcha,
}

impl Acct {
    pub(crate) const ALL: [Acct; 3] = [Acct::Premium, Acct::Free, Acct::Recaptcha];

    pub(crate) fn email(self) -> &'static str {
        match self {
            Acct::Premium => PREMIUM_USER,
            Acct::Free => FREE_USER,
            Acct::Recaptcha => RECAPTCHA_USER,
        }
    }
    fn password(self) -> &'static str {
        match self {
            Acct::Premium => PREMIUM_PASSWORD,
            Acct::Free => FREE_PASSWORD,
            Acct::Recaptcha => RECAPTCHA_PASSWORD,
        }
    }
    /// Premium accounts download without captcha and may fetch premium-only files.
    pub(crate) fn is_premium(self) -> bool {
        matches!(self, Acct::Premium)
    }
    pub(crate) fn needs_recaptcha(self) -> bool {
        matches!(self, Acct::Recaptcha)
    }
    /// Short stable name used inside signed upload params.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Acct::Premium => "premium",
            Acct::Free => "free",
            Acct::Recaptcha => "captcha",
        }
    }
    pub(crate) fn from_tag(tag: &str) -> Option<Acct> {
        Acct::ALL.into_iter().find(|a| a.tag() == tag)
    }
    /// The account a username names (case-insensitive, trimmed).
    pub(crate) fn by_username(name: &str) -> Option<Acct> {
        let name = name.trim();
        Acct::ALL
            .into_iter()
            .find(|a| a.email().eq_ignore_ascii_case(name))
    }
    pub(crate) fn password_ok(self, password: &str) -> bool {
        self.password() == password
    }
    /// Download traffic left, in bytes.
    pub(crate) fn traffic(self) -> u64 {
        match self {
            Acct::Premium => 53_687_091_200,
            Acct::Free => 1_073_741_824,
            Acct::Recaptcha => 0,
        }
    }
    pub(crate) fn initial_balance(self) -> f64 {
        match self {
            Acct::Premium => 12.5,
            _ => 0.0,
        }
    }
}
