//! Running effects: each becomes a tokio task calling the API client, whose result comes back
//! to the loop as a `Msg`. Nothing here blocks the loop.

use super::clipboard::{self, ClipEnv, Plan, SystemClipboard};
use crate::api::{
    ApiError, Client, ClientConfig, CreateFolder, Credentials, FileChanges, GetUrl, LoginRequest, UrlAnswer,
};
use crate::app::account_view::AccountFigures;
use crate::app::{CopyLabel, Effect, Msg, Ticket, UpdateKind};
use crate::config::ClipboardMode;
use tokio::sync::mpsc::UnboundedSender;

pub struct Runner {
    client: Client,
    base: ClientConfig,
    tx: UnboundedSender<Msg>,
    clip_mode: ClipboardMode,
    clip_env: ClipEnv,
    system: SystemClipboard,
    /// OSC 52 sequences for the loop to write between frames.
    pub osc52: Vec<String>,
    /// The client authenticates with a permanent access token.
    token_in_use: bool,
    /// The transfer engine's side (set up by the loop).
    pub transfers: Option<super::transfer_effects::Transfers>,
    /// The account index side (set up by the loop).
    pub index: Option<super::index_effects::IndexSide>,
    /// The listing page asked for ahead.
    ahead: super::listing_effects::Ahead,
}

impl Runner {
    pub fn new(
        client: Client,
        base: ClientConfig,
        tx: UnboundedSender<Msg>,
        clip_mode: ClipboardMode,
    ) -> Runner {
        let token_in_use = base
            .credentials
            .access_token
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        Runner {
            token_in_use,
            client,
            base,
            tx,
            clip_mode,
            clip_env: ClipEnv::detect(),
            system: SystemClipboard::default(),
            osc52: Vec::new(),
            transfers: None,
            index: None,
            ahead: Default::default(),
        }
    }

    fn send(tx: &UnboundedSender<Msg>, msg: Msg) {
        // The loop is gone only while quitting: nothing to tell then.
        let _ = tx.send(msg);
    }

    /// A new client (another token or account): the transfer engine takes it too, so that its
    /// next transfers do not run on the old credentials.
    fn replace_client(&mut self, client: Client) {
        if let Some(tr) = self.transfers.as_ref() {
            tr.set_client(&client);
        }
        self.client = client;
    }

    /// Tell the account index of a result on its way to the state (see `IndexSide::observe`).
    pub fn observe(&self, shown: &str, listing: Ticket, msg: &Msg) {
        if let Some(ix) = self.index.as_ref() {
            ix.observe(&self.client, &self.tx, shown, listing, msg);
        }
    }

    /// Start an effect. `Effect::Quit` and `Effect::Suspend` are the loop's business and
    /// ignored here.
    pub fn run(&mut self, effect: Effect) {
        let c = self.client.clone();
        let tx = self.tx.clone();
        match effect {
            Effect::Quit | Effect::Suspend | Effect::SwitchProfile(_) => {}
            Effect::Meta(m) => super::meta_effects::run(c, tx, m),
            Effect::Index(e) => {
                if let Some(ix) = self.index.as_ref() {
                    ix.run(&c, &tx, e);
                }
            }
            Effect::Transfer(t) => {
                if let Some(tr) = self.transfers.as_mut() {
                    tr.run(&c, &tx, t);
                }
            }
            Effect::LoadAccount => spawn(tx, async move { Msg::Account(c.account_info().await) }, |e| {
                Msg::Account(Err(e))
            }),
            Effect::LoadAccountView => spawn(
                tx,
                async move { Msg::AccountView(Box::new(account_figures(&c).await)) },
                |e| Msg::AccountView(Box::new(AccountFigures::failed(e))),
            ),
            Effect::LoadFolders(t) => spawn(
                tx,
                async move { Msg::Folders(t, c.get_folders_list(None).await) },
                move |e| Msg::Folders(t, Err(e)),
            ),
            Effect::LoadFiles { ticket, req } => {
                super::listing_effects::load_files(tx, c, &self.ahead, ticket, req)
            }
            Effect::LoadVideoInfo(ids) => load_video_info(tx, c, ids, false),
            Effect::LoadRowInfo(ids) => load_video_info(tx, c, ids, true),
            Effect::CreateFolder(ticket, req) => create_folder(tx, c, ticket, req),
            Effect::UpdateFiles {
                ticket,
                kind,
                ids,
                changes,
            } => update_files(tx, c, ticket, kind, ids, changes),
            Effect::DeleteFiles(ticket, ids) => delete_files(tx, c, ticket, ids),
            Effect::GetUrls(ticket, files) => spawn_urls(tx, c, ticket, files),
            Effect::Copy { text, label } => self.copy(tx, text, label),
            Effect::OpenUrl(url) => open_url(tx, url),
            Effect::Login(req) => self.login(c, tx, req.0),
            Effect::UseAccessToken(token) => self.use_access_token(tx, token.0),
            Effect::RequestCaptcha { recaptcha } => request_captcha(tx, c, recaptcha),
            Effect::CheckLinks { ticket, links } => super::link_check_effects::check(tx, c, ticket, links),
        }
    }

    fn copy(&mut self, tx: UnboundedSender<Msg>, text: String, label: CopyLabel) {
        let plan: Plan = clipboard::plan(self.clip_mode, &self.clip_env);
        if plan.osc52 {
            self.osc52.push(clipboard::osc52_sequence(&text));
        }
        let system = self.system.clone();
        spawn(
            tx,
            clipboard::deliver(plan, plan.osc52, text, label, system),
            |e| Msg::Notice {
                text: format!("copying failed: {e}"),
                error: true,
            },
        );
    }

    fn login(&mut self, c: Client, tx: UnboundedSender<Msg>, req: LoginRequest) {
        let c = if self.token_in_use {
            // A permanent token would win over the new session: drop it.
            let mut cfg = self.base.clone();
            cfg.credentials = Credentials::default();
            match Client::new(cfg) {
                Ok(new) => {
                    self.replace_client(new.clone());
                    self.token_in_use = false;
                    new
                }
                Err(e) => return Self::send(&tx, Msg::LoggedIn(Err(e))),
            }
        } else {
            c
        };
        spawn(tx, async move { Msg::LoggedIn(c.login(&req).await) }, |e| {
            Msg::LoggedIn(Err(e))
        });
    }

    fn use_access_token(&mut self, tx: UnboundedSender<Msg>, token: String) {
        let mut cfg = self.base.clone();
        cfg.credentials = Credentials {
            access_token: Some(token),
            username: None,
            password: None,
        };
        cfg.session_file = None;
        match Client::new(cfg) {
            Ok(new) => {
                self.replace_client(new.clone());
                self.token_in_use = true;
                spawn(
                    tx,
                    async move { Msg::TokenChecked(new.account_info().await) },
                    |e| Msg::TokenChecked(Err(e)),
                );
            }
            Err(e) => Self::send(&tx, Msg::TokenChecked(Err(e))),
        }
    }
}

/// getFilesInfo with extended info: for the video info (`rows` false) or all of it.
fn load_video_info(tx: UnboundedSender<Msg>, c: Client, ids: Vec<String>, rows: bool) {
    let again = ids.clone();
    let answer = move |ids, result| {
        if rows {
            Msg::RowInfo { ids, result }
        } else {
            Msg::VideoInfo { ids, result }
        }
    };
    spawn(
        tx,
        async move {
            let result = c.get_files_info(&ids, true).await;
            answer(ids, result)
        },
        move |e| answer(again, Err(e)),
    )
}

fn create_folder(tx: UnboundedSender<Msg>, c: Client, ticket: Ticket, req: CreateFolder) {
    let name = req.name.clone();
    let again = name.clone();
    spawn(
        tx,
        async move {
            Msg::FolderCreated {
                ticket,
                name,
                result: c.create_folder(&req).await,
            }
        },
        move |e| Msg::FolderCreated {
            ticket,
            name: again,
            result: Err(e),
        },
    )
}

fn update_files(
    tx: UnboundedSender<Msg>,
    c: Client,
    ticket: Ticket,
    kind: UpdateKind,
    ids: Vec<String>,
    changes: FileChanges,
) {
    let (ids2, ch2) = (ids.clone(), changes.clone());
    spawn(
        tx,
        async move {
            let result = c.update_files(&ids, &changes).await;
            Msg::Updated {
                ticket,
                kind,
                ids,
                changes,
                result,
            }
        },
        move |e| Msg::Updated {
            ticket,
            kind,
            ids: ids2,
            changes: ch2,
            result: Err(e),
        },
    )
}

fn delete_files(tx: UnboundedSender<Msg>, c: Client, ticket: Ticket, ids: Vec<String>) {
    let again = ids.clone();
    spawn(
        tx,
        async move {
            let result = c.delete_files(&ids).await;
            Msg::Deleted { ticket, ids, result }
        },
        move |e| Msg::Deleted {
            ticket,
            ids: again,
            result: Err(e),
        },
    )
}

/// Open in a browser when a display exists, else say where the link is.
fn open_url(tx: UnboundedSender<Msg>, url: String) {
    if !clipboard::has_display() {
        Runner::send(
            &tx,
            Msg::Notice {
                text: format!("no display to open a browser; the link: {url}"),
                error: false,
            },
        );
        return;
    }
    let failed = |e: String| Msg::Notice {
        text: format!("could not open a browser: {e}"),
        error: true,
    };
    spawn(
        tx,
        async move {
            let u = url.clone();
            match tokio::task::spawn_blocking(move || open::that_detached(&u)).await {
                Ok(Ok(())) => Msg::Notice {
                    text: "opened in the browser".into(),
                    error: false,
                },
                Ok(Err(e)) => failed(e.to_string()),
                Err(e) => failed(e.to_string()),
            }
        },
        move |e| failed(e.to_string()),
    );
}

/// requestReCaptcha or requestCaptcha, with the page (or image) URL to show.
fn request_captcha(tx: UnboundedSender<Msg>, c: Client, recaptcha: bool) {
    spawn(
        tx,
        async move {
            let result = if recaptcha {
                c.request_recaptcha().await.map(|cap| {
                    let url = c.recaptcha_page_url(&cap.challenge);
                    (cap, url)
                })
            } else {
                c.request_captcha().await.map(|cap| {
                    let url = if cap.captcha_url.is_empty() {
                        c.captcha_image_url(&cap.challenge)
                    } else {
                        cap.captcha_url.clone()
                    };
                    (cap, url)
                })
            };
            Msg::Captcha { recaptcha, result }
        },
        move |e| Msg::Captcha {
            recaptcha,
            result: Err(e),
        },
    )
}

/// Direct download URLs for `files` (the `Y` key).
fn spawn_urls(tx: UnboundedSender<Msg>, c: Client, ticket: Ticket, files: Vec<(String, String)>) {
    let again = files.clone();
    spawn(
        tx,
        async move {
            let mut out = Vec::new();
            for (id, name) in files {
                let req = GetUrl {
                    file_id: id.clone(),
                    ..Default::default()
                };
                let r = match c.get_url(&req).await {
                    Ok(UrlAnswer::Url(u)) => Ok(u),
                    Ok(UrlAnswer::FreeKey { .. }) => {
                        Err("a free account must wait for this file; use `k2s download`".to_string())
                    }
                    Err(e) => Err(e.to_string()),
                };
                out.push((id, name, r));
            }
            Msg::Urls(ticket, out)
        },
        move |e| {
            Msg::Urls(
                ticket,
                again
                    .into_iter()
                    .map(|(id, name)| (id, name, Err(e.to_string())))
                    .collect(),
            )
        },
    )
}

/// Run `fut` and send its message. A task that panics still answers, with `failed` of an error
/// saying so, so that nothing waits for it for good (loading flags, the busy count).
/// The account view's figures, asked at once; subscriptions of the account's e-mail domain.
async fn account_figures(c: &Client) -> AccountFigures {
    let domain = c.username().as_deref().and_then(crate::api::email_domain);
    let subs = async {
        match &domain {
            Some(d) => vec![(d.clone(), c.all_subscriptions(d).await.map_err(|e| e.to_string()))],
            None => Vec::new(),
        }
    };
    let (info, balance, domains, subscriptions) =
        tokio::join!(c.account_info(), c.get_balance(), c.get_domains_list(), subs);
    AccountFigures {
        info,
        balance: balance.map(|b| b.balance).map_err(|e| e.to_string()),
        domains: domains.map(|d| d.domains).map_err(|e| e.to_string()),
        subscriptions,
    }
}

pub(super) fn spawn<F, E>(tx: UnboundedSender<Msg>, fut: F, failed: E)
where
    F: std::future::Future<Output = Msg> + Send + 'static,
    E: FnOnce(ApiError) -> Msg + Send + 'static,
{
    use futures::FutureExt;
    tokio::spawn(async move {
        let caught = std::panic::AssertUnwindSafe(fut).catch_unwind();
        let msg = match super::terminal::CAUGHT.scope((), caught).await {
            Ok(msg) => msg,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a task panicked".into());
                tracing::error!("a background task panicked: {what}");
                failed(ApiError::local(format!("internal error (a task failed: {what})")))
            }
        };
        let _ = tx.send(msg);
    });
}

/// `K2S_TEST_PANIC=<where>`: the tests' way to make a task panic.
pub(super) fn test_panic(place: &str) -> bool {
    std::env::var("K2S_TEST_PANIC").is_ok_and(|v| v == place)
}

#[cfg(test)]
mod account_tests {
    use super::account_figures;
    use crate::api::{Client, ClientConfig, Credentials};
    use crate::demo::{DemoOptions, DemoServer, accounts};

    fn client(d: &DemoServer, access_token: Option<&str>, user: Option<&str>) -> Client {
        Client::new(ClientConfig {
            base_url: d.api_url(),
            credentials: Credentials {
                access_token: access_token.map(str::to_string),
                username: user.map(str::to_string),
                password: user.map(|_| accounts::PREMIUM_PASSWORD.to_string()),
            },
            ..ClientConfig::default()
        })
        .expect("client")
    }

    #[tokio::test]
    async fn the_account_view_gets_every_figure_from_the_server() {
        let d = DemoServer::start(DemoOptions::default()).await.expect("demo");
        let f = account_figures(&client(&d, None, Some(accounts::PREMIUM_USER))).await;
        assert!(
            f.info.as_ref().is_ok_and(|i| i.account_expires.is_some()),
            "{f:?}"
        );
        assert!(f.balance.as_ref().is_ok_and(|b| b.is_some()), "{f:?}");
        assert!(
            f.domains.as_ref().is_ok_and(|d| d.iter().any(|d| d == "k2s.cc")),
            "{f:?}"
        );
        let (domain, subs) = f
            .subscriptions
            .first()
            .expect("the e-mail domain's subscriptions");
        assert_eq!(domain, accounts::SUBSCRIPTION_DOMAIN);
        assert_eq!(subs.as_ref().map(|s| s.items.len()), Ok(3), "{f:?}");
        // A partner token has no e-mail address: no domain to ask.
        let f = account_figures(&client(&d, Some(accounts::PARTNER_TOKEN), None)).await;
        assert!(f.info.is_ok() && f.subscriptions.is_empty(), "{f:?}");
    }
}
