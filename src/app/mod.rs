//! The TUI state machine: State, Msg, pure update() returning Effects.
//!
//! Nothing here does I/O: the runtime (`crate::tui`) turns terminal events and effect results
//! into `Msg`s, calls `update`, performs the returned `Effect`s and draws `State` with `crate::ui`.

pub mod account_view;
pub mod actions;
pub mod bindings;
pub mod dialog;
pub mod dupes;
pub mod finder;
pub mod health;
mod help;
pub mod hints;
pub mod history;
mod id_index;
pub mod keymap;
pub mod keys_doc;
pub mod layer;
pub mod layout;
pub mod link_check;
pub mod link_menu;
pub mod listing;
pub mod login;
pub mod meta;
pub mod msg;
mod nav;
mod ops;
pub mod overlay;
pub mod plural;
pub mod profiles_view;
mod results;
mod row_info;
mod scroll;
pub mod state;
pub mod transfers;
pub mod tree;
mod update;
pub mod usage;

#[cfg(test)]
mod tests_busy;
#[cfg(test)]
mod tests_dupes;
#[cfg(test)]
mod tests_finder;
#[cfg(test)]
mod tests_health;
#[cfg(test)]
mod tests_keymap;
#[cfg(test)]
mod tests_layers;
#[cfg(test)]
mod tests_listing;
#[cfg(test)]
mod tests_login;
#[cfg(test)]
mod tests_meta;
#[cfg(test)]
mod tests_meta_bulk;
#[cfg(test)]
mod tests_meta_index;
#[cfg(test)]
mod tests_names;
#[cfg(test)]
mod tests_nav_tree;
#[cfg(test)]
mod tests_ops;
#[cfg(test)]
mod tests_row_info;
#[cfg(test)]
mod tests_suspend;
#[cfg(test)]
mod tests_transfers;
#[cfg(test)]
mod tests_update;
#[cfg(test)]
mod tests_usage;

pub use keymap::{Action, Key, Keymap};
pub use msg::{
    CopyLabel, Effect, MetaEffect, MetaMsg, Msg, Redacted, Ticket, TransferEffect, TransferMsg, UpdateKind,
};
pub use ops::link_for;
pub use state::{Level, Pane, Panes, Screen, Settings, State, Status};
pub use update::{start, update};
