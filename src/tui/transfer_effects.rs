//! The transfer runtime: starts the engine, forwards its events into the loop (coalesced, a
//! few times a second at most), runs the pane's effects, prepares captcha images for the
//! terminal, lists local folders for Tab completion, and saves the queue on the way out.

use crate::api::Client;
use crate::app::Msg;
use crate::app::transfers::{CaptchaPrompt, Command, TransferEffect, TransferMsg};
use crate::transfer::{self, CaptchaRequest, EngineOptions, Event, ProgressUpdate, TransferHandle};
use crate::ui::pictures::Pictures;
use ratatui_image::picker::{Picker, ProtocolType};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// The loop gets engine events at most this often.
const FORWARD_EVERY: Duration = Duration::from_millis(150);
/// Completion lists at most this many entries of a folder.
const MAX_LISTED: usize = 5_000;

pub struct Transfers {
    opts: EngineOptions,
    download_dir: PathBuf,
    cwd: PathBuf,
    picker: Picker,
    pictures: Pictures,
    handle: Option<TransferHandle>,
}

impl Transfers {
    pub fn new(
        config: &crate::config::Config,
        state_dir: PathBuf,
        picker: Picker,
        pictures: Pictures,
    ) -> Transfers {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let download_dir = match &config.download_dir {
            Some(d) => expand(&d.to_string_lossy(), &cwd),
            None => cwd.clone(),
        };
        Transfers {
            opts: EngineOptions::from_config(config, Some(state_dir)),
            download_dir,
            cwd,
            picker,
            pictures,
            handle: None,
        }
    }

    /// The engine, started (and its queue restored) on first use.
    fn engine(&mut self, client: &Client, tx: &UnboundedSender<Msg>) -> TransferHandle {
        if let Some(h) = &self.handle {
            return h.clone();
        }
        // The queue of the account logged in now (known only after the login screen).
        let mut opts = self.opts.clone();
        opts.state_dir = opts.state_dir.map(|d| d.join(client.account_key()));
        opts.account = Some(client.account_key());
        let (h, events) = transfer::start(client.clone(), opts);
        let _ = tx.send(Msg::Transfer(TransferMsg::Started {
            download_dir: self.download_dir.display().to_string(),
            persistent: h.is_persistent(),
        }));
        if let Some(text) = h.restore_notice() {
            let text = text.to_string();
            let _ = tx.send(Msg::Notice { text, error: true });
        }
        tokio::spawn(forward(
            events,
            tx.clone(),
            self.picker.clone(),
            self.pictures.clone(),
        ));
        self.handle = Some(h.clone());
        h
    }

    /// Transfers started from now on use `client` (when the engine runs already).
    pub fn set_client(&self, client: &Client) {
        if let Some(h) = &self.handle {
            h.set_client(client.clone());
        }
    }

    pub fn run(&mut self, client: &Client, tx: &UnboundedSender<Msg>, effect: TransferEffect) {
        if let TransferEffect::ListDir { ticket, dir } = effect {
            let (cwd, tx) = (self.cwd.clone(), tx.clone());
            tokio::spawn(async move {
                let result = tokio::task::spawn_blocking(move || list_dir(&expand(&dir, &cwd)))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                let _ = tx.send(Msg::Transfer(TransferMsg::Listed { ticket, result }));
            });
            return;
        }
        let h = self.engine(client, tx);
        match effect {
            TransferEffect::Start | TransferEffect::ListDir { .. } => {}
            TransferEffect::Upload {
                ticket,
                paths,
                parent,
            } => {
                let (cwd, tx) = (self.cwd.clone(), tx.clone());
                tokio::spawn(async move {
                    let typed = paths.clone();
                    let checked = tokio::task::spawn_blocking(move || {
                        let full: Vec<PathBuf> = paths.iter().map(|p| expand(p, &cwd)).collect();
                        let missing: Vec<String> = typed
                            .into_iter()
                            .zip(&full)
                            .filter(|(_, f)| std::fs::metadata(f).is_err())
                            .map(|(t, _)| t)
                            .collect();
                        if missing.is_empty() {
                            Ok(full)
                        } else {
                            Err(missing)
                        }
                    })
                    .await
                    .unwrap_or_else(|e| Err(vec![e.to_string()]));
                    let result = checked.map(|full| {
                        for p in &full {
                            h.upload(p.clone(), &parent, None, false);
                        }
                        full.len()
                    });
                    let _ = tx.send(Msg::Transfer(TransferMsg::UploadChecked { ticket, result }));
                });
            }
            TransferEffect::Download { files, folders } => {
                for (id, _name) in files {
                    h.download(&id, self.download_dir.clone(), None);
                }
                for (id, name) in folders {
                    h.download_folder(&id, Some(&name), self.download_dir.clone(), None);
                }
            }
            TransferEffect::Remote { urls } => {
                for u in urls {
                    h.remote_upload(&u, true);
                }
            }
            TransferEffect::Command(id, c) => match c {
                Command::Pause => h.pause(id),
                Command::Resume => h.resume(id),
                Command::Cancel => h.cancel(id),
                Command::Retry => h.retry(id),
                Command::Remove => h.remove(id),
                Command::MoveUp => h.move_up(id),
                Command::MoveDown => h.move_down(id),
            },
            TransferEffect::ClearFinished => h.clear_finished(),
            TransferEffect::AnswerCaptcha { id, answer } => h.answer_captcha(id, answer),
        }
    }

    /// Stop the engine and save its queue (unfinished transfers continue at the next start).
    pub async fn shutdown(&mut self) {
        if let Some(h) = self.handle.take()
            && tokio::time::timeout(Duration::from_secs(10), h.shutdown())
                .await
                .is_err()
        {
            tracing::warn!("the transfer engine did not stop in time");
        }
    }
}

/// `~` and `~/x` from the home folder, relative paths from `cwd`.
pub fn expand(typed: &str, cwd: &Path) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if typed == "~" {
        return home().unwrap_or_else(|| cwd.to_path_buf());
    }
    if let Some(rest) = typed.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    if typed.is_empty() {
        return cwd.to_path_buf();
    }
    cwd.join(typed)
}

/// A folder's entries: (name, is a folder); names that are not UTF-8 are left out.
fn list_dir(dir: &Path) -> Result<Vec<(String, bool)>, String> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", crate::text::sanitize(&dir.display().to_string())))?;
    let mut out = Vec::new();
    for entry in rd.flatten().take(MAX_LISTED) {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        // Follow symlinks: a link to a folder completes like a folder.
        let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
        out.push((name, is_dir));
    }
    Ok(out)
}

/// Forward engine events: what is waiting is taken at once, progress merged (latest per
/// transfer), then a pause, so the loop hears from the engine a few times a second at most.
async fn forward(
    mut rx: UnboundedReceiver<Event>,
    tx: UnboundedSender<Msg>,
    picker: Picker,
    pictures: Pictures,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(e) = rx.try_recv() {
            batch.push(e);
        }
        let (events, captchas) = coalesce(batch);
        if !events.is_empty() && tx.send(Msg::Transfer(TransferMsg::Events(events))).is_err() {
            return;
        }
        for c in captchas {
            let prompt = prepare_captcha(&picker, &pictures, c).await;
            if tx.send(Msg::Transfer(TransferMsg::Captcha(prompt))).is_err() {
                return;
            }
        }
        tokio::time::sleep(FORWARD_EVERY).await;
    }
}

/// Progress events merged into one (where the first was, latest values per transfer);
/// captcha requests taken out.
pub fn coalesce(batch: Vec<Event>) -> (Vec<Event>, Vec<CaptchaRequest>) {
    let mut out = Vec::with_capacity(batch.len());
    let mut captchas = Vec::new();
    let mut progress_at: Option<usize> = None;
    let mut items: Vec<ProgressUpdate> = Vec::new();
    let mut index: HashMap<crate::transfer::TransferId, usize> = HashMap::new();
    let mut last_aggregate = None;
    for ev in batch {
        match ev {
            Event::Progress {
                items: its,
                aggregate,
            } => {
                if progress_at.is_none() {
                    progress_at = Some(out.len());
                    // A placeholder, replaced below.
                    out.push(Event::Idle);
                }
                for p in its {
                    match index.get(&p.id) {
                        Some(&i) => items[i] = p,
                        None => {
                            index.insert(p.id, items.len());
                            items.push(p);
                        }
                    }
                }
                last_aggregate = Some(aggregate);
            }
            Event::Captcha(c) => captchas.push(c),
            other => out.push(other),
        }
    }
    if let (Some(at), Some(aggregate)) = (progress_at, last_aggregate) {
        out[at] = Event::Progress { items, aggregate };
    }
    (out, captchas)
}

/// Decode the captcha image and encode it for the terminal, sized to fit a dialog.
async fn prepare_captcha(picker: &Picker, pictures: &Pictures, c: CaptchaRequest) -> CaptchaPrompt {
    let (tw, th) = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let cols = tw.saturating_sub(8).clamp(8, 64);
    let rows = th.saturating_sub(12).clamp(2, 12);
    let mut prompt = CaptchaPrompt {
        id: c.id,
        challenge: c.challenge,
        image_url: c.image_url,
        picture: None,
        note: None,
        last_wrong: c.wrong_answer,
    };
    let Some(bytes) = c.image else {
        prompt.note = Some("the image could not be fetched".into());
        return prompt;
    };
    let (picker, pictures) = (picker.clone(), pictures.clone());
    let made = tokio::task::spawn_blocking(move || pictures.encode(&picker, &bytes, cols, rows))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    match made {
        Ok(p) => prompt.picture = Some(p),
        Err(e) => prompt.note = Some(format!("the image cannot be shown: {e}")),
    }
    prompt
}

/// How captcha images are drawn. `K2S_GRAPHICS`: `halfblocks` (never ask the terminal),
/// `query` (ask it), `kitty` / `sixel` / `iterm2` (ask for the cell size, force the protocol),
/// or `auto` (the default: ask only terminals known to answer and to draw images; half blocks
/// elsewhere, which work everywhere, SSH included). Call before reading terminal events.
pub async fn pick_graphics() -> Picker {
    let choice = std::env::var("K2S_GRAPHICS")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let forced = match choice.as_str() {
        "kitty" => Some(ProtocolType::Kitty),
        "sixel" => Some(ProtocolType::Sixel),
        "iterm2" => Some(ProtocolType::Iterm2),
        _ => None,
    };
    let ask = match choice.as_str() {
        "halfblocks" | "off" | "none" => false,
        "query" => true,
        _ if forced.is_some() => true,
        _ => graphics_terminal(),
    };
    if !ask {
        return Picker::halfblocks();
    }
    let queried = tokio::task::spawn_blocking(Picker::from_query_stdio).await;
    let mut picker = match queried {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            tracing::info!("terminal graphics query failed ({e}); half blocks");
            Picker::halfblocks()
        }
        Err(e) => {
            tracing::info!("terminal graphics query failed ({e}); half blocks");
            Picker::halfblocks()
        }
    };
    if let Some(p) = forced {
        picker.set_protocol_type(p);
    }
    tracing::info!("captcha images: {:?}", picker.protocol_type());
    picker
}

/// Terminals that answer the graphics query and can draw images (from their environment).
fn graphics_terminal() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default().to_ascii_lowercase();
    let term = var("TERM");
    let program = var("TERM_PROGRAM");
    !var("KITTY_WINDOW_ID").is_empty()
        || ["kitty", "foot", "wezterm", "ghostty", "mlterm", "contour"]
            .iter()
            .any(|t| term.contains(t))
        || ["wezterm", "ghostty", "iterm", "rio", "warp", "vscode"]
            .iter()
            .any(|t| program.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::{Aggregate, TransferId};

    fn progress(id: u64, done: u64) -> Event {
        Event::Progress {
            items: vec![ProgressUpdate {
                id: TransferId(id),
                done,
                total: Some(100),
                speed: 1.0,
                eta: None,
            }],
            aggregate: Aggregate {
                bytes_done: done,
                ..Aggregate::default()
            },
        }
    }

    #[test]
    fn progress_is_merged_where_it_first_came() {
        let captcha = CaptchaRequest {
            id: TransferId(3),
            challenge: "c".into(),
            image_url: "u".into(),
            image: None,
            wrong_answer: false,
        };
        let batch = vec![
            Event::Removed(TransferId(9)),
            progress(1, 10),
            progress(2, 5),
            Event::Captcha(captcha.clone()),
            progress(1, 40),
            Event::Idle,
        ];
        let (events, captchas) = coalesce(batch);
        assert_eq!(captchas, vec![captcha]);
        assert_eq!(events.len(), 3, "{events:?}");
        assert_eq!(events[0], Event::Removed(TransferId(9)));
        match &events[1] {
            Event::Progress { items, aggregate } => {
                let got: Vec<(u64, u64)> = items.iter().map(|p| (p.id.0, p.done)).collect();
                assert_eq!(got, [(1, 40), (2, 5)]);
                assert_eq!(aggregate.bytes_done, 40, "the latest aggregate");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(events[2], Event::Idle);
        let (events, _) = coalesce(vec![Event::Idle]);
        assert_eq!(events, vec![Event::Idle], "no progress: nothing invented");
    }

    #[test]
    fn typed_paths_are_expanded() {
        let cwd = Path::new("/work/here");
        assert_eq!(expand("a b.txt", cwd), PathBuf::from("/work/here/a b.txt"));
        assert_eq!(expand("/abs/x", cwd), PathBuf::from("/abs/x"));
        assert_eq!(expand("", cwd), PathBuf::from("/work/here"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand("~/x", cwd), PathBuf::from(home).join("x"));
        }
    }

    #[test]
    fn listing_a_folder_marks_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("f.txt"), b"x").unwrap();
        let mut got = list_dir(dir.path()).unwrap();
        got.sort();
        assert_eq!(got, [("f.txt".to_string(), false), ("sub".to_string(), true)]);
        assert!(list_dir(&dir.path().join("missing")).is_err());
    }
}
