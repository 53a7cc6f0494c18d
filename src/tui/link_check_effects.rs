//! Running the link-check box's effect: `links::check_links` on the shared client (no login
//! needed), the reports back as one `Msg::LinksChecked`.

use crate::api::{Client, LinkKind};
use crate::app::{Msg, Ticket};
use tokio::sync::mpsc::UnboundedSender;

pub fn check(tx: UnboundedSender<Msg>, c: Client, ticket: Ticket, links: Vec<(String, LinkKind)>) {
    super::effects::spawn(
        tx,
        async move {
            let result = crate::links::check_links(&c, &links).await;
            Msg::LinksChecked { ticket, result }
        },
        move |e| Msg::LinksChecked {
            ticket,
            result: Err(e),
        },
    );
}
