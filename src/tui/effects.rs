//! Running effects: each becomes a tokio task calling the API client, whose result comes back
//! to the loop as a `Msg`. Nothing here blocks the loop.

use super::clipboard::{self, ClipEnv, Plan, SystemClipboard};
use crate::api::{ApiError, Client, ClientConfig, Credentials, GetUrl, UrlAnswer};
use crate::app::{Effect, Msg};
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

    /// Start an effect. `Effect::Quit` and `Effect::Suspend` are the loop's business and
    /// ignored here.
    pub fn run(&mut self, effect: Effect) {
        let c = self.client.clone();
        let tx = self.tx.clone();
        match effect {
            Effect::Quit | Effect::Suspend => {}
            Effect::Meta(m) => super::meta_effects::run(c, tx, m),
            Effect::Transfer(t) => {
                if let Some(tr) = self.transfers.as_mut() {
                    tr.run(&c, &tx, t);
                }
            }
            Effect::LoadAccount => spawn(tx, async move { Msg::Account(c.account_info().await) }, |e| {
                Msg::Account(Err(e))
            }),
            Effect::LoadFolders(t) => spawn(
                tx,
                async move { Msg::Folders(t, c.get_folders_list(None).await) },
                move |e| Msg::Folders(t, Err(e)),
            ),
            Effect::LoadFiles { ticket, req } => {
                let offset = req.offset;
                spawn(
                    tx,
                    async move {
                        if test_panic("listing") {
                            panic!("K2S_TEST_PANIC: forced panic in a listing task");
                        }
                        Msg::FilesPage {
                            ticket,
                            offset,
                            result: c.get_files_list(&req).await,
                        }
                    },
                    move |e| Msg::FilesPage {
                        ticket,
                        offset,
                        result: Err(e),
                    },
                )
            }
            Effect::LoadVideoInfo(ids) => {
                let again = ids.clone();
                spawn(
                    tx,
                    async move {
                        let result = c.get_files_info(&ids, true).await;
                        Msg::VideoInfo { ids, result }
                    },
                    move |e| Msg::VideoInfo {
                        ids: again,
                        result: Err(e),
                    },
                )
            }
            Effect::CreateFolder(req) => {
                let name = req.name.clone();
                let again = name.clone();
                spawn(
                    tx,
                    async move {
                        Msg::FolderCreated {
                            name,
                            result: c.create_folder(&req).await,
                        }
                    },
                    move |e| Msg::FolderCreated {
                        name: again,
                        result: Err(e),
                    },
                )
            }
            Effect::UpdateFiles { kind, ids, changes } => {
                let (k2, ids2, ch2) = (kind, ids.clone(), changes.clone());
                spawn(
                    tx,
                    async move {
                        let result = c.update_files(&ids, &changes).await;
                        Msg::Updated {
                            kind,
                            ids,
                            changes,
                            result,
                        }
                    },
                    move |e| Msg::Updated {
                        kind: k2,
                        ids: ids2,
                        changes: ch2,
                        result: Err(e),
                    },
                )
            }
            Effect::DeleteFiles(ids) => {
                let again = ids.clone();
                spawn(
                    tx,
                    async move {
                        let result = c.delete_files(&ids).await;
                        Msg::Deleted { ids, result }
                    },
                    move |e| Msg::Deleted {
                        ids: again,
                        result: Err(e),
                    },
                )
            }
            Effect::GetUrls(files) => {
                let again = files.clone();
                spawn_urls(tx, c, files, again)
            }
            Effect::Copy { text, label } => {
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
            Effect::OpenUrl(url) => {
                if !clipboard::has_display() {
                    Self::send(
                        &tx,
                        Msg::Notice {
                            text: format!("no display to open a browser; the link: {url}"),
                            error: false,
                        },
                    );
                    return;
                }
                spawn(
                    tx,
                    async move {
                        let u = url.clone();
                        match tokio::task::spawn_blocking(move || open::that_detached(&u)).await {
                            Ok(Ok(())) => Msg::Notice {
                                text: "opened in the browser".into(),
                                error: false,
                            },
                            Ok(Err(e)) => Msg::Notice {
                                text: format!("could not open a browser: {e}"),
                                error: true,
                            },
                            Err(e) => Msg::Notice {
                                text: format!("could not open a browser: {e}"),
                                error: true,
                            },
                        }
                    },
                    |e| Msg::Notice {
                        text: format!("could not open a browser: {e}"),
                        error: true,
                    },
                );
            }
            Effect::Login(req) => {
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
                spawn(tx, async move { Msg::LoggedIn(c.login(&req.0).await) }, |e| {
                    Msg::LoggedIn(Err(e))
                });
            }
            Effect::UseAccessToken(token) => {
                let mut cfg = self.base.clone();
                cfg.credentials = Credentials {
                    access_token: Some(token.0),
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
            Effect::RequestCaptcha { recaptcha } => spawn(
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
            ),
        }
    }
}

/// Direct download URLs for `files` (the `Y` key).
fn spawn_urls(
    tx: UnboundedSender<Msg>,
    c: Client,
    files: Vec<(String, String)>,
    again: Vec<(String, String)>,
) {
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
            Msg::Urls(out)
        },
        move |e| {
            Msg::Urls(
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
fn test_panic(place: &str) -> bool {
    std::env::var("K2S_TEST_PANIC").is_ok_and(|v| v == place)
}
