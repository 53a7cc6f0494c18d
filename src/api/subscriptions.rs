//! A site domain's subscriptions, every page of them (getSubscriptions pages by limit/offset).

use super::client::{Client, Result};
use super::types::Subscriptions;

/// Subscriptions asked per page: the most the service gives at once.
const PAGE: u32 = 100;
/// Pages asked at most.
const MAX_PAGES: u32 = 100;

impl Client {
    /// All subscriptions of `domain`: pages until `total` is reached, a short page or
    /// `MAX_PAGES`. `total` is the server's when it sent one, else the number of items.
    pub async fn all_subscriptions(&self, domain: &str) -> Result<Subscriptions> {
        let mut out = Subscriptions::default();
        for page in 0..MAX_PAGES {
            let got = self
                .get_subscriptions(domain, Some(PAGE), Some(page * PAGE))
                .await?;
            let n = got.items.len();
            out.total = got.total.or(out.total);
            out.items.extend(got.items);
            let done = out.total.is_some_and(|t| out.items.len() as u64 >= t);
            if n < PAGE as usize || done {
                break;
            }
        }
        if out.total.is_none() {
            out.total = Some(out.items.len() as u64);
        }
        Ok(out)
    }
}

/// The domain of an e-mail address (`me@site.com` → `site.com`): where an account's own
/// subscriptions are looked for when no domain is given.
pub fn email_domain(username: &str) -> Option<String> {
    let (_, domain) = username.trim().rsplit_once('@')?;
    let domain = domain.trim().to_ascii_lowercase();
    (!domain.is_empty() && domain.contains('.')).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::email_domain;

    #[test]
    fn email_domain_takes_what_follows_the_last_at() {
        assert_eq!(email_domain("premium@Demo.K2S").as_deref(), Some("demo.k2s"));
        assert_eq!(email_domain("a@b@site.com").as_deref(), Some("site.com"));
        assert_eq!(email_domain("nobody"), None);
        assert_eq!(email_domain("x@"), None);
        assert_eq!(email_domain("x@localhost"), None);
    }
}
