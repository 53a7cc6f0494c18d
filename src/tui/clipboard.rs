//! Copying text: OSC 52 to the terminal (works over SSH with no display), the tmux buffer,
//! and the system clipboard (arboard) only when a display exists. The report says exactly
//! what was done.

use crate::app::{CopyLabel, Msg};
use crate::config::ClipboardMode;
use base64::Engine;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the environment offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClipEnv {
    pub ssh: bool,
    pub tmux: bool,
    pub display: bool,
}

fn set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

impl ClipEnv {
    pub fn detect() -> ClipEnv {
        ClipEnv {
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            tmux: set("TMUX"),
            display: has_display(),
        }
    }
}

/// Whether a graphical session can show a browser or hold a clipboard.
pub fn has_display() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// Where a copy goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Plan {
    pub osc52: bool,
    pub tmux: bool,
    pub system: bool,
}

pub fn plan(mode: ClipboardMode, env: &ClipEnv) -> Plan {
    match mode {
        ClipboardMode::Auto => Plan {
            osc52: env.ssh || !env.display,
            tmux: env.tmux,
            system: env.display && !env.ssh,
        },
        ClipboardMode::Osc52 => Plan {
            osc52: true,
            ..Plan::default()
        },
        ClipboardMode::Tmux => Plan {
            tmux: true,
            ..Plan::default()
        },
        ClipboardMode::System => Plan {
            system: true,
            ..Plan::default()
        },
        ClipboardMode::Off => Plan::default(),
    }
}

/// `ESC ] 52 ; c ; <base64> BEL`.
pub fn osc52_sequence(text: &str) -> String {
    format!(
        "\u{1b}]52;c;{}\u{7}",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

/// The system clipboard, created on first use (never before the terminal is set up) and kept
/// alive so that X11 keeps serving the selection.
#[derive(Clone, Default)]
pub struct SystemClipboard(Arc<Mutex<Option<arboard::Clipboard>>>);

impl SystemClipboard {
    /// Blocking: call from spawn_blocking.
    fn set_text(&self, text: &str) -> Result<(), String> {
        let mut guard = self.0.lock().map_err(|_| "clipboard lock poisoned".to_string())?;
        if guard.is_none() {
            *guard = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        match guard.as_mut() {
            Some(c) => c.set_text(text.to_string()).map_err(|e| e.to_string()),
            None => Err("no clipboard".into()),
        }
    }
}

async fn tmux_load(text: String) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new("tmux")
        .args(["load-buffer", "-w", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot run tmux: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
    }
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .map_err(|_| "tmux did not answer".to_string())?
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("tmux load-buffer failed ({status})"))
    }
}

/// Do the tmux and system parts (the OSC 52 part is written by the loop between frames) and
/// report. `osc52` says whether the sequence was queued.
pub async fn deliver(
    plan: Plan,
    osc52: bool,
    text: String,
    label: CopyLabel,
    system: SystemClipboard,
) -> Msg {
    let what = label.text();
    let mut done: Vec<&str> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    if osc52 {
        done.push("the terminal clipboard (OSC 52)");
    }
    if plan.tmux {
        match tmux_load(text.clone()).await {
            Ok(()) => done.push("the tmux buffer"),
            Err(e) => failed.push(format!("tmux: {e}")),
        }
    }
    if plan.system {
        let t = text.clone();
        let r = tokio::time::timeout(
            Duration::from_secs(5),
            tokio::task::spawn_blocking(move || system.set_text(&t)),
        )
        .await;
        match r {
            Ok(Ok(Ok(()))) => done.push("the system clipboard"),
            Ok(Ok(Err(e))) => failed.push(format!("system clipboard: {e}")),
            Ok(Err(e)) => failed.push(format!("system clipboard: {e}")),
            Err(_) => failed.push("system clipboard: no answer".into()),
        }
    }
    let (report, ok) = report(&what, &done, &failed, osc52);
    Msg::Copied { label, report, ok }
}

fn report(what: &str, done: &[&str], failed: &[String], osc52: bool) -> (String, bool) {
    let places = match done.len() {
        0 => String::new(),
        1 => done[0].to_string(),
        n => format!("{} and {}", done[..n - 1].join(", "), done[n - 1]),
    };
    let verb = if osc52 { "sent" } else { "copied" };
    match (done.is_empty(), failed.is_empty()) {
        (true, true) => (
            format!("{what} kept inside k2s (clipboard off or unavailable)"),
            true,
        ),
        (true, false) => (
            format!("could not copy {what} ({}); kept inside k2s", failed.join("; ")),
            false,
        ),
        (false, true) => (format!("{verb} {what} to {places}"), true),
        (false, false) => (format!("{verb} {what} to {places}; {}", failed.join("; ")), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_follow_the_environment() {
        let ssh = ClipEnv {
            ssh: true,
            tmux: false,
            display: false,
        };
        assert_eq!(
            plan(ClipboardMode::Auto, &ssh),
            Plan {
                osc52: true,
                tmux: false,
                system: false
            }
        );
        let desktop = ClipEnv {
            ssh: false,
            tmux: false,
            display: true,
        };
        assert_eq!(
            plan(ClipboardMode::Auto, &desktop),
            Plan {
                osc52: false,
                tmux: false,
                system: true
            }
        );
        let tmux_ssh = ClipEnv {
            ssh: true,
            tmux: true,
            display: true,
        };
        assert_eq!(
            plan(ClipboardMode::Auto, &tmux_ssh),
            Plan {
                osc52: true,
                tmux: true,
                system: false
            }
        );
        assert_eq!(plan(ClipboardMode::Off, &tmux_ssh), Plan::default());
        assert_eq!(
            plan(ClipboardMode::Osc52, &desktop),
            Plan {
                osc52: true,
                ..Plan::default()
            }
        );
    }

    #[test]
    fn osc52_is_base64() {
        assert_eq!(osc52_sequence("hi"), "\u{1b}]52;c;aGk=\u{7}");
    }

    #[test]
    fn reports_are_truthful() {
        let (r, ok) = report("3 links", &["the terminal clipboard (OSC 52)"], &[], true);
        assert_eq!(r, "sent 3 links to the terminal clipboard (OSC 52)");
        assert!(ok);
        let (r, ok) = report("1 URL", &[], &["tmux: cannot run tmux".into()], false);
        assert!(r.starts_with("could not copy 1 URL") && !ok, "{r}");
        let (r, _) = report(
            "2 links",
            &["the terminal clipboard (OSC 52)", "the tmux buffer"],
            &[],
            true,
        );
        assert_eq!(
            r,
            "sent 2 links to the terminal clipboard (OSC 52) and the tmux buffer"
        );
    }
}
