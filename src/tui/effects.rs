//! Running effects: each becomes a tokio task calling the API client, whose result comes back
//! to the loop as a `Msg`. Nothing here blocks the loop.

use super::clipboard::{self, ClipEnv, Plan, SystemClipboard};
use crate::api::{Client, ClientConfig, Credentials, GetUrl, UrlAnswer};
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

    /// Start an effect. `Effect::Quit` is the loop's business and ignored here.
    pub fn run(&mut self, effect: Effect) {
        let c = self.client.clone();
        let tx = self.tx.clone();
        match effect {
            Effect::Quit => {}
            Effect::Meta(m) => super::meta_effects::run(c, tx, m),
            Effect::Transfer(t) => {
                if let Some(tr) = self.transfers.as_mut() {
                    tr.run(&c, &tx, t);
                }
            }
            Effect::LoadAccount => spawn(tx, async move { Msg::Account(c.account_info().await) }),
            Effect::LoadFolders(t) => {
                spawn(tx, async move { Msg::Folders(t, c.get_folders_list(None).await) })
            }
            Effect::LoadFiles { ticket, req } => spawn(tx, async move {
                let offset = req.offset;
                Msg::FilesPage {
                    ticket,
                    offset,
                    result: c.get_files_list(&req).await,
                }
            }),
            Effect::LoadVideoInfo(ids) => spawn(tx, async move {
                let result = c.get_files_info(&ids, true).await;
                Msg::VideoInfo { ids, result }
            }),
            Effect::CreateFolder(req) => spawn(tx, async move {
                let name = req.name.clone();
                Msg::FolderCreated {
                    name,
                    result: c.create_folder(&req).await,
                }
            }),
            Effect::UpdateFiles { kind, ids, changes } => spawn(tx, async move {
                let result = c.update_files(&ids, &changes).await;
                Msg::Updated {
                    kind,
                    ids,
                    changes,
                    result,
                }
            }),
            Effect::DeleteFiles(ids) => spawn(tx, async move {
                let result = c.delete_files(&ids).await;
                Msg::Deleted { ids, result }
            }),
            Effect::GetUrls(files) => spawn(tx, async move {
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
            }),
            Effect::Copy { text, label } => {
                let plan: Plan = clipboard::plan(self.clip_mode, &self.clip_env);
                if plan.osc52 {
                    self.osc52.push(clipboard::osc52_sequence(&text));
                }
                let system = self.system.clone();
                spawn(tx, clipboard::deliver(plan, plan.osc52, text, label, system));
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
                spawn(tx, async move {
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
                });
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
                spawn(tx, async move { Msg::LoggedIn(c.login(&req.0).await) });
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
                        spawn(tx, async move { Msg::TokenChecked(new.account_info().await) });
                    }
                    Err(e) => Self::send(&tx, Msg::TokenChecked(Err(e))),
                }
            }
            Effect::RequestCaptcha { recaptcha } => spawn(tx, async move {
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
            }),
        }
    }
}

fn spawn<F>(tx: UnboundedSender<Msg>, fut: F)
where
    F: std::future::Future<Output = Msg> + Send + 'static,
{
    tokio::spawn(async move {
        let msg = fut.await;
        let _ = tx.send(msg);
    });
}
