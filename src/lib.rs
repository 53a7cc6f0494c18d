//! k2s: a terminal file manager and command line for Keep2Share.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod folders;
pub mod index;
pub mod links;
pub mod logging;
pub mod md5sum;
pub mod metadata;
pub mod text;
pub mod theme;
pub mod transfer;
pub mod tui;
pub mod ui;
