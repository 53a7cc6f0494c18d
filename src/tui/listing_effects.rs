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

/// A page asked ahead: for which ticket and request, and its task.
type Asked = (Ticket, ListFiles, JoinHandle<Page>);

/// The page asked ahead, if any.
#[derive(Clone, Default)]
pub struct Ahead(Arc<Mutex<Option<Asked>>>);

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
            if let Some(next) = result
                .as_ref()
                .ok()
                .and_then(|items| next_after(&req, items.len()))
            {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ClientConfig, Credentials, SortField};
    use crate::demo::{DemoOptions, DemoServer, accounts};

    async fn page(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>) -> Vec<FileItem> {
        match rx.recv().await {
            Some(Msg::FilesPage {
                result: Ok(items), ..
            }) => items,
            _ => panic!("expected a page"),
        }
    }

    #[tokio::test]
    async fn a_full_page_asks_for_the_next_at_once_handed_over_only_for_the_same_request() {
        let opts = DemoOptions {
            big_folder: Some(10),
            ..DemoOptions::default()
        };
        let d = DemoServer::start(opts).await.expect("demo");
        let c = Client::new(ClientConfig {
            base_url: d.api_url(),
            credentials: Credentials {
                access_token: Some(accounts::PARTNER_TOKEN.into()),
                ..Credentials::default()
            },
            ..ClientConfig::default()
        })
        .expect("client");
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let ahead = Ahead::default();
        let req = ListFiles {
            parent: "big0000000001".into(),
            limit: 4,
            offset: 2,
            sort: Some((SortField::Name, 1)),
            ..ListFiles::default()
        };
        load_files(tx.clone(), c.clone(), &ahead, 7, req.clone());
        assert_eq!(page(&mut rx).await.len(), 4);
        let next = ListFiles {
            offset: 6,
            ..req.clone()
        };
        let task = ahead.take(7, &next).expect("the next page, asked ahead");
        let items = task.await.expect("task").expect("page");
        assert_eq!(items.first().map(FileItem::name), Some("big-000007.bin"));
        // Full again: the one after is asked, but another ticket's request drops it.
        load_files(tx, c, &ahead, 7, next);
        assert_eq!(page(&mut rx).await.len(), 4);
        let last = ListFiles { offset: 10, ..req };
        assert!(ahead.take(8, &last).is_none());
        assert!(ahead.take(7, &last).is_none(), "dropped, not kept");
        // The first page (another size, with extended info) asks nothing ahead.
        assert!(next_after(&ListFiles::default(), 100).is_none());
    }
}
