//! Links for forums and sites: formats (`format`), finding links in any text (`find`), checking
//! what state each one is in (`check`), what a repair of dead ones works from (`repair`)
//! and rewriting a text with new links (`rewrite`).

pub mod check;
pub mod fields;
pub mod find;
pub mod format;
pub mod repair;
pub mod rewrite;

pub use check::{LinkReport, LinkState, check_links};
pub use fields::{Facts, Named, link_fields};
pub use find::{FoundLink, KNOWN_DOMAINS, domains_with, find_links};
pub use format::{LinkFields, LinkFormat, PLACEHOLDERS, format_names};
