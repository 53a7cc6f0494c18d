//! The typed async client for the K2S API v2. Knows nothing of the UI.

pub mod account_key;
mod auth;
mod call;
pub mod client;
mod decode;
pub mod error;
mod files_page;
mod free_url;
mod json_text;
pub mod lenient;
pub mod links;
mod methods;
mod public_folder;
pub mod redact;
pub mod rfc2047;
pub mod session_file;
mod shapes;
mod subscriptions;
pub mod types;
mod upload;

#[cfg(test)]
mod tests_decode;
#[cfg(test)]
mod tests_files_page;
#[cfg(test)]
mod tests_flows;
#[cfg(test)]
mod tests_pipeline;
#[cfg(test)]
mod tests_reference;
#[cfg(test)]
mod tests_retry;
#[cfg(test)]
mod tests_shapes;

pub use client::{Client, ClientConfig, Credentials, DEFAULT_API_URL, PasswordPrompt};
pub use error::{ApiError, ErrorCode, Recovery, SubError};
pub use free_url::{MAX_FREE_WAIT, WAIT_FREE, WAIT_SERVICE, get_url_free_flow};
pub use links::{LinkKind, LinkRef, file_id_from_link, folder_link, looks_like_id, parse_link, share_link};
pub use methods::FILES_INFO_BATCH;
pub use public_folder::PUBLIC_FOLDER_PAGE;
pub use redact::{redact_text, redact_url};
pub use subscriptions::email_domain;
pub use types::*;
