//! The TUI runtime: terminal setup and restore, the event loop, running effects.
//!
//! One loop selects over terminal events, the messages effects send back, a frame timer and
//! the signals. Messages are applied with `app::update`; pending ones are drained before a
//! frame is drawn, and a frame is drawn at most once per frame interval, only when something
//! changed.

mod clipboard;
mod effects;
mod index_dupes;
mod index_effects;
mod link_check_effects;
mod listing_effects;
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
    /// Every profile of config.toml, for the profile picker.
    pub profiles: Vec<app::profiles_view::ProfileEntry>,
    /// The options of another profile, to switch to it while running (None: no switching).
    pub switch: Option<Switcher>,
}

/// Makes the options of the profile named (its config, session, state folder).
pub type Switcher = std::sync::Arc<dyn Fn(&str) -> anyhow::Result<TuiOptions> + Send + Sync>;

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
        profiles: opts.profiles.clone(),
        folders_first: opts.config.folders_first,
        inactive_days: opts.config.index.inactive_days,
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

/// What the effects asked of the loop itself.
#[derive(Default)]
struct Asked {
    quit: bool,
    suspend: bool,
    /// The last profile asked to switch to.
    switch: Option<String>,
}

/// Start the effects; what is the loop's is returned.
fn run_effects(runner: &mut effects::Runner, fx: Vec<Effect>, asked: &mut Asked) {
    for e in fx {
        match e {
            Effect::Quit => asked.quit = true,
            Effect::Suspend => asked.suspend = true,
            Effect::SwitchProfile(name) => asked.switch = Some(name),
            e => runner.run(e),
        }
    }
}

/// Apply the messages and start their effects.
fn apply(state: &mut State, runner: &mut effects::Runner, msgs: Vec<Msg>) -> Asked {
    let mut asked = Asked::default();
    for m in msgs {
        runner.observe(&state.list.folder, state.list.ticket, &m);
        run_effects(runner, app::update(state, m), &mut asked);
    }
    asked
}

/// The end of this profile's run, to go on with the profile named; None when it cannot be
/// switched to (the status bar says why, and the TUI stays on the one it runs).
fn switch_to(opts: &TuiOptions, state: &mut State, name: &str) -> Option<End> {
    match prepare_switch(opts, name) {
        Ok(next) => Some(End::Switch(Box::new(next))),
        Err(e) => {
            let why = crate::text::sanitize(&format!("{e:#}"));
            let name = crate::text::sanitize(name);
            state.error(format!("cannot switch to profile {name}: {why}"));
            None
        }
    }
}

/// The state and options of the profile named, or why it cannot be switched to.
fn prepare_switch(opts: &TuiOptions, name: &str) -> anyhow::Result<(TuiOptions, State)> {
    let switch = opts
        .switch
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("profiles cannot be switched here"))?;
    let next = switch(name)?;
    let state = initial_state(&next)?;
    Ok((next, state))
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

/// How one profile's run of the loop ended.
enum End {
    /// Quit, a signal, or a terminal failure (the reason, for the log).
    Quit(&'static str),
    /// Go on with another profile: its options and first state.
    Switch(Box<(TuiOptions, State)>),
}

/// What a profile's run shares with the next one: the terminal and its input.
struct Screen {
    term: terminal::Term,
    events: EventStream,
    signals: Signals,
    picker: ratatui_image::picker::Picker,
}

/// Run the TUI until the user quits or a signal ends it; switching profile starts it again
/// on the other profile without leaving the terminal. The terminal is restored in every
/// case, panics included.
pub async fn run(opts: TuiOptions) -> anyhow::Result<()> {
    // A file log when nobody set one up yet (the CLI normally has).
    let _ = crate::logging::init(&opts.state_dir);
    let mut state = initial_state(&opts)?;
    let signals = Signals::watch()?;
    let term = terminal::Term::enter(opts.config.mouse).context("cannot set up the terminal")?;
    // Before the event stream reads the terminal: the graphics query needs its answers.
    let picker = transfer_effects::pick_graphics().await;
    let mut screen = Screen {
        term,
        events: EventStream::new(),
        signals,
        picker,
    };
    let mut opts = opts;
    let reason = loop {
        match session(&opts, state, &mut screen).await {
            Ok(End::Quit(reason)) => break reason,
            Ok(End::Switch(next)) => {
                let (o, s) = *next;
                tracing::info!("switching to profile {:?}", o.profile);
                opts = o;
                state = s;
            }
            Err(e) => {
                screen.term.restore();
                return Err(e);
            }
        }
    };
    screen.term.restore();
    tracing::info!("TUI ended ({reason})");
    Ok(())
}

/// One profile's run: its client, engine and state, until the user quits or switches. Its
/// transfer engine is stopped (the queue saved) before it returns.
async fn session(opts: &TuiOptions, mut state: State, screen: &mut Screen) -> anyhow::Result<End> {
    let (mut runner, mut rx, start) = runner_for(opts)?;
    state.size = screen.term.size();
    runner.index = Some(index_effects::IndexSide::new(opts.state_dir.clone()));
    runner.transfers = Some(transfer_effects::Transfers::new(
        &opts.config,
        opts.state_dir.clone(),
        screen.picker.clone(),
        screen.term.pictures.clone(),
    ));
    session_loop(opts, state, screen, runner, &mut rx, start).await
}

/// The event loop of `session`; its transfer engine is stopped before it returns.
async fn session_loop(
    opts: &TuiOptions,
    mut state: State,
    screen: &mut Screen,
    mut runner: effects::Runner,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    start: Start,
) -> anyhow::Result<End> {
    let test_panic = std::env::var("K2S_TEST_PANIC").is_ok_and(|v| v == "1");
    tracing::info!("TUI started");
    let mut asked = Asked::default();
    run_effects(&mut runner, app::start(&mut state, start.0, start.1), &mut asked);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut next_frame = Instant::now();
    let mut end = End::Quit("quit");

    while !asked.quit {
        let animating = state.busy() > 0 || state.list.loading || state.tree.loading || state.login.busy;
        let mut msgs: Vec<Msg> = Vec::new();
        let sig = screen.signals.recv();
        tokio::select! {
            ev = screen.events.next() => match ev {
                Some(Ok(ev)) => msgs.extend(to_msg(ev)),
                Some(Err(e)) => {
                    tracing::error!("terminal input failed: {e}");
                    end = End::Quit("input error");
                    break;
                }
                None => {
                    end = End::Quit("input closed");
                    break;
                }
            },
            Some(msg) = rx.recv() => msgs.push(msg),
            _ = tokio::time::sleep_until(next_frame), if dirty => {
                if let Err(e) = screen.term.draw(&state) {
                    tracing::error!("drawing failed: {e}");
                    end = End::Quit("draw error");
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
                end = End::Quit(s);
                break;
            }
        }
        // Drain what else is waiting, then draw once.
        while let Ok(m) = rx.try_recv() {
            msgs.push(m);
        }
        dirty |= !msgs.is_empty();
        asked = apply(&mut state, &mut runner, msgs);
        if let Some(name) = asked.switch.take()
            && let Some(next) = switch_to(opts, &mut state, &name)
        {
            end = next;
            break;
        }
        if asked.suspend {
            if let Err(e) = screen.term.suspend() {
                tracing::error!("resuming the terminal failed: {e}");
                end = End::Quit("terminal error");
                break;
            }
            // The window may have changed size meanwhile.
            state.size = screen.term.size();
            dirty = true;
            next_frame = Instant::now();
        }
        write_osc52(&mut screen.term, &mut runner);
    }
    if matches!(end, End::Quit(_)) {
        screen.term.restore();
    }
    if let Some(t) = runner.transfers.as_mut() {
        t.shutdown().await;
    }
    Ok(end)
}
