//! The TUI runtime: terminal setup and restore, the event loop, running effects.
//!
//! One loop selects over terminal events, the messages effects send back, a frame timer and
//! the signals. Messages are applied with `app::update`; pending ones are drained before a
//! frame is drawn, and a frame is drawn at most once per frame interval, only when something
//! changed.

mod clipboard;
mod effects;
mod link_check_effects;
mod meta_effects;
mod terminal;
mod transfer_effects;

use crate::app::{self, Effect, Keymap, Msg, Settings, State};
use crate::theme::Theme;
use anyhow::Context;
use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

pub use clipboard::{has_display, osc52_sequence};
pub use terminal::restore_terminal;

pub struct TuiOptions {
    pub config: crate::config::Config,
    pub config_dir: PathBuf,
    /// The API server's state folder: the queue goes into the logged-in account's folder
    /// inside it (chosen when the transfer engine starts), the log (when the CLI has not set
    /// one up) into it.
    pub state_dir: PathBuf,
    pub client_config: crate::api::ClientConfig,
    /// Show a "demo" badge.
    pub demo: bool,
    /// The profile chosen, for the status bar.
    pub profile: Option<String>,
}

const FRAME: Duration = Duration::from_millis(16);
const TICK: Duration = Duration::from_millis(150);

/// The initial state from the configuration (keymap and theme errors are reported here,
/// before the terminal is touched).
pub fn initial_state(opts: &TuiOptions) -> anyhow::Result<State> {
    let lines = |table: &str, key: &str| opts.config.line(table, key);
    let keymap = Keymap::from_config(&opts.config.keymap, &lines)
        .map_err(|e| anyhow::anyhow!("{}: {e}", opts.config.origin()))?;
    let theme = Theme::from_config(&opts.config.theme, Theme::no_color_env())
        .map_err(|e| anyhow::anyhow!(opts.config.locate_error(&e)))?;
    let settings = Settings {
        link_domain: opts
            .config
            .link_domain
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| "k2s.cc".into()),
        page_size: opts.config.page_size.clamp(1, 10_000),
        mouse: opts.config.mouse,
        demo: opts.demo,
        profile: opts.profile.clone(),
        folders_first: opts.config.folders_first,
        link_formats: crate::links::format::menu_formats(&opts.config)?,
    };
    Ok(State::new(settings, keymap, theme))
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::FocusGained | Event::FocusLost => None,
    }
}

/// Whether credentials may work, and the username: for `app::start`.
type Start = (bool, Option<String>);

/// The API client and the effect runner, the channel their answers come on, and `Start`.
fn runner_for(opts: &TuiOptions) -> anyhow::Result<(effects::Runner, mpsc::UnboundedReceiver<Msg>, Start)> {
    let client =
        crate::api::Client::new(opts.client_config.clone()).context("cannot set up the API client")?;
    let start = (
        client.has_credentials() || client.can_relogin(),
        client.username(),
    );
    let (tx, rx) = mpsc::unbounded_channel::<Msg>();
    let runner = effects::Runner::new(client, opts.client_config.clone(), tx, opts.config.clipboard);
    Ok((runner, rx, start))
}

/// Start the effects: (quit, suspend) asked for, which are the loop's.
fn run_effects(runner: &mut effects::Runner, fx: Vec<Effect>) -> (bool, bool) {
    let (mut quit, mut suspend) = (false, false);
    for e in fx {
        match e {
            Effect::Quit => quit = true,
            Effect::Suspend => suspend = true,
            e => runner.run(e),
        }
    }
    (quit, suspend)
}

/// Apply the messages and start their effects: (quit, suspend) asked for.
fn apply(state: &mut State, runner: &mut effects::Runner, msgs: Vec<Msg>) -> (bool, bool) {
    let (mut quit, mut suspend) = (false, false);
    for m in msgs {
        let (q, s) = run_effects(runner, app::update(state, m));
        quit |= q;
        suspend |= s;
    }
    (quit, suspend)
}

/// The clipboard sequences the runner queued, written between frames.
fn write_osc52(term: &mut terminal::Term, runner: &mut effects::Runner) {
    for seq in runner.osc52.drain(..) {
        if let Err(e) = term.write_raw(&seq) {
            tracing::warn!("OSC 52 write failed: {e}");
        }
    }
}

/// Every signal that would end the process ends the loop instead, so that the terminal is
/// restored and the queue saved (in raw mode Ctrl-C is a key, but `kill -INT` is not).
struct Signals {
    #[cfg(unix)]
    watched: Vec<(tokio::signal::unix::Signal, &'static str)>,
}

impl Signals {
    fn watch() -> anyhow::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut watched = Vec::new();
            for (kind, name) in [
                (SignalKind::terminate(), "SIGTERM"),
                (SignalKind::hangup(), "SIGHUP"),
                (SignalKind::interrupt(), "SIGINT"),
                (SignalKind::quit(), "SIGQUIT"),
            ] {
                let s = signal(kind).with_context(|| format!("cannot watch {name}"))?;
                watched.push((s, name));
            }
            Ok(Signals { watched })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// The name of the next signal that came.
    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            let waits = self.watched.iter_mut().map(|(s, name)| {
                let name: &'static str = name;
                Box::pin(async move {
                    s.recv().await;
                    name
                })
            });
            futures::future::select_all(waits).await.0
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

/// Run the TUI until the user quits or a signal ends it. The terminal is restored in every
/// case, panics included.
pub async fn run(opts: TuiOptions) -> anyhow::Result<()> {
    // A file log when nobody set one up yet (the CLI normally has).
    let _ = crate::logging::init(&opts.state_dir);
    let mut state = initial_state(&opts)?;
    let (mut runner, mut rx, start) = runner_for(&opts)?;
    let mut signals = Signals::watch()?;

    let mut term = terminal::Term::enter(opts.config.mouse).context("cannot set up the terminal")?;
    state.size = term.size();
    // Before the event stream reads the terminal: the graphics query needs its answers.
    let picker = transfer_effects::pick_graphics().await;
    runner.transfers = Some(transfer_effects::Transfers::new(
        &opts.config,
        opts.state_dir.clone(),
        picker,
        term.pictures.clone(),
    ));
    let test_panic = std::env::var("K2S_TEST_PANIC").is_ok_and(|v| v == "1");
    tracing::info!("TUI started");

    let (mut quit, _) = run_effects(&mut runner, app::start(&mut state, start.0, start.1));
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut next_frame = Instant::now();
    let mut reason = "quit";

    while !quit {
        let animating = state.busy() > 0 || state.list.loading || state.tree.loading || state.login.busy;
        let mut msgs: Vec<Msg> = Vec::new();
        let sig = signals.recv();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => msgs.extend(to_msg(ev)),
                Some(Err(e)) => {
                    tracing::error!("terminal input failed: {e}");
                    reason = "input error";
                    break;
                }
                None => {
                    reason = "input closed";
                    break;
                }
            },
            Some(msg) = rx.recv() => msgs.push(msg),
            _ = tokio::time::sleep_until(next_frame), if dirty => {
                if let Err(e) = term.draw(&state) {
                    tracing::error!("drawing failed: {e}");
                    reason = "draw error";
                    break;
                }
                dirty = false;
                next_frame = Instant::now() + FRAME;
                if test_panic {
                    panic!("K2S_TEST_PANIC: forced panic after the first draw");
                }
                continue;
            }
            _ = tick.tick(), if animating => msgs.push(Msg::Tick),
            s = sig => {
                reason = s;
                break;
            }
        }
        // Drain what else is waiting, then draw once.
        while let Ok(m) = rx.try_recv() {
            msgs.push(m);
        }
        dirty |= !msgs.is_empty();
        let (q, suspend) = apply(&mut state, &mut runner, msgs);
        quit |= q;
        if suspend {
            if let Err(e) = term.suspend() {
                tracing::error!("resuming the terminal failed: {e}");
                reason = "terminal error";
                break;
            }
            // The window may have changed size meanwhile.
            state.size = term.size();
            dirty = true;
            next_frame = Instant::now();
        }
        write_osc52(&mut term, &mut runner);
    }
    term.restore();
    if let Some(t) = runner.transfers.as_mut() {
        t.shutdown().await;
    }
    tracing::info!("TUI ended ({reason})");
    Ok(())
}
