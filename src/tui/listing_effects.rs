//! Listing pages. A full page after the first one means there is more: the next page is asked
//! for at once, while the state takes this one in, and handed over when the state asks for it
//! (the same folder, ticket and request). Requests still go through the client's throttle; a
//! page asked ahead that the state does not want (it went elsewhere) is dropped.

use super::effects::{spawn, test_panic};
use crate::api::{ApiError, Client, FileItem, ListFiles};
use crate::app::{Msg, Ticket};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

type Page = Result<Vec<FileItem>, ApiError>;

/// The page asked ahead, if any.
#[derive(Clone, Default)]
pub struct Ahead(Arc<Mutex<Option<(Ticket, ListFiles, JoinHandle<Page>)>>>);

impl Ahead {
    /// The page asked ahead for exactly this request; any other one is dropped.
    fn take(&self, ticket: Ticket, req: &ListFiles) -> Option<JoinHandle<Page>> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match slot.take() {
            Some((t, r, task)) if t == ticket && &r == req => Some(task),
            Some((_, _, task)) => {
                task.abort();
                None
            }
            None => None,
        }
    }

    fn ask(&self, c: &Client, ticket: Ticket, req: ListFiles) {
        let c = c.clone();
        let asked = req.clone();
        let task = tokio::spawn(async move { c.get_files_list(&asked).await });
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, _, old)) = slot.replace((ticket, req, task)) {
            old.abort();
        }
    }
}

/// The request the state makes after a full page `req` of `n` items (see `app::nav::list_page`):
/// only after the first page, whose size and extended info differ from the rest.
fn next_after(req: &ListFiles, n: usize) -> Option<ListFiles> {
    (req.offset > 0 && n >= req.limit as usize).then(|| ListFiles {
        offset: req.offset + n as u64,
        ..req.clone()
    })
}

pub(super) fn load_files(tx: UnboundedSender<Msg>, c: Client, ahead: &Ahead, ticket: Ticket, req: ListFiles) {
    let offset = req.offset;
    let asked = ahead.take(ticket, &req);
    let ahead = ahead.clone();
    spawn(
        tx,
        async move {
            if test_panic("listing") {
                panic!("K2S_TEST_PANIC: forced panic in a listing task");
            }
            let result = match asked {
                Some(task) => match task.await {
                    Ok(page) => page,
                    Err(_) => c.get_files_list(&req).await,
                },
                None => c.get_files_list(&req).await,
            };
            if let Some(next) = result.as_ref().ok().and_then(|items| next_after(&req, items.len())) {
                ahead.ask(&c, ticket, next);
            }
            Msg::FilesPage {
                ticket,
                offset,
                result,
            }
        },
        move |e| Msg::FilesPage {
            ticket,
            offset,
            result: Err(e),
        },
    )
}
