//! `k2s keys`: the TUI's bindings, layer by layer, with config.toml's changes applied.

use super::args::KeysArgs;
use crate::app::keymap::Keymap;
use crate::app::keys_doc;
use crate::app::layer::Layer;
use crate::config::Config;
use std::process::ExitCode;

pub fn run(config: &Config, a: &KeysArgs) -> anyhow::Result<ExitCode> {
    let lines = |t: &str, k: &str| config.line(t, k);
    let km = Keymap::from_config(&config.keymap, &lines)
        .map_err(|e| anyhow::anyhow!("{}: {e}", config.origin()))?;
    let only = match &a.layer {
        Some(name) => Some(Layer::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Layer::ALL.iter().map(|l| l.name()).collect();
            anyhow::anyhow!("unknown layer {name:?} (layers: {})", names.join(", "))
        })?),
        None => None,
    };
    let text = if a.markdown {
        keys_doc::markdown(&km, only)
    } else {
        keys_doc::text(&km, only)
    };
    super::output::out(text.trim_end())?;
    Ok(ExitCode::SUCCESS)
}
