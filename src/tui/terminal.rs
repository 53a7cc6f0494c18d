//! Terminal setup and restore: raw mode, alternate screen, bracketed paste, optional mouse
//! capture. Restored on drop, on panic (hook) and by the loop on signals.

use crate::app::State;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{execute, queue};
use std::io::{self, Stdout, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// The terminal is in TUI mode (restore has something to undo).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Put the terminal back as it was. Idempotent; safe from the panic hook.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

tokio::task_local! {
    /// Set while a background task runs whose panic is caught and reported as an error: the
    /// UI goes on, so the hook must neither restore the terminal nor print over the screen.
    pub static CAUGHT: ();
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAUGHT.try_with(|_| ()).is_ok() {
                tracing::error!("{info}");
                return;
            }
            restore_terminal();
            previous(info);
        }));
    });
}

pub struct Term {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    /// Images encoded for this terminal (captchas), drawn by id.
    pub pictures: crate::ui::pictures::Pictures,
}

impl Term {
    pub fn enter(mouse: bool) -> io::Result<Term> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        let setup = (|| -> io::Result<()> {
            execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
            if mouse {
                execute!(out, EnableMouseCapture)?;
                MOUSE.store(true, Ordering::SeqCst);
            }
            Ok(())
        })();
        if let Err(e) = setup {
            restore_terminal();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore_terminal();
                return Err(e);
            }
        };
        Ok(Term {
            terminal,
            pictures: Default::default(),
        })
    }

    pub fn size(&self) -> (u16, u16) {
        self.terminal
            .size()
            .map(|s| (s.width, s.height))
            .unwrap_or((80, 24))
    }

    /// One frame inside synchronized output (no tearing on terminals that support it).
    pub fn draw(&mut self, state: &State) -> io::Result<()> {
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        let pictures = self.pictures.clone();
        self.terminal
            .draw(|f| crate::ui::draw_with(f, state, &pictures))?;
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        Ok(())
    }

    /// Write raw bytes (OSC 52) between frames.
    pub fn write_raw(&mut self, s: &str) -> io::Result<()> {
        let b = self.terminal.backend_mut();
        b.write_all(s.as_bytes())?;
        b.flush()
    }

    /// Job control: put the terminal back, stop (SIGTSTP, as the shell's Ctrl-z would), and
    /// once continued (`fg`) take the terminal again and clear it, so that the next frame is
    /// drawn whole. Where the process cannot be stopped (an orphaned process group) it goes on
    /// at once.
    #[cfg(unix)]
    pub fn suspend(&mut self) -> io::Result<()> {
        let mouse = MOUSE.load(Ordering::SeqCst);
        restore_terminal();
        // SAFETY: raising a signal in this process; SIGTSTP keeps its default action (stop),
        // and the call returns once the process is continued.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        execute!(
            out,
            EnterAlternateScreen,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
            MOUSE.store(true, Ordering::SeqCst);
        }
        // A new terminal has no idea of the screen, so that the next frame is drawn whole
        // (`Terminal::clear` would ask the terminal for the cursor position, and wait).
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }

    pub fn restore(&mut self) {
        restore_terminal();
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        restore_terminal();
    }
}
