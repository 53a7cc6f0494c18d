//! The result of a command on many items, one per item, printed alike by every batch command
//! (mv, access, rm, link, info, meta copy): text, one line per item and a summary; JSON, an
//! array of `{arg, id, name, ok, error}`.

use super::ctx::Ctx;
use super::exit::Exit;
use super::locate::{ItemRef, ResolveError, Resolved};
use super::output::{outln, print_json, s};
use serde::Serialize;

/// What became of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    /// What the user gave for it (an id, a link or a path).
    pub arg: String,
    /// Its id; None when what was given names no item.
    pub id: Option<String>,
    pub name: Option<String>,
    pub ok: bool,
    pub error: Option<String>,
    /// For a path that names several items: their ids and names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<serde_json::Value>>,
    /// The failure is that the item does not exist (exit 4 when every item is so).
    #[serde(skip)]
    pub not_found: bool,
}

impl ItemResult {
    pub fn done(arg: &str, item: &ItemRef) -> ItemResult {
        ItemResult {
            arg: arg.to_string(),
            id: Some(item.id.clone()),
            name: Some(item.name.clone()),
            ok: true,
            error: None,
            candidates: None,
            not_found: false,
        }
    }

    pub fn failed(arg: &str, item: &ItemRef, why: impl Into<String>) -> ItemResult {
        ItemResult {
            ok: false,
            error: Some(why.into()),
            ..ItemResult::done(arg, item)
        }
    }

    /// An argument that names no item.
    pub fn unresolved(arg: &str, e: &ResolveError) -> ItemResult {
        let why = match e {
            ResolveError::NotFound { why, .. } => why.clone(),
            other => other.to_string(),
        };
        let id = match e {
            ResolveError::NotFound { .. } => crate::api::parse_link(arg).map(|l| l.id),
            _ => None,
        };
        ItemResult {
            arg: arg.to_string(),
            id,
            name: None,
            ok: false,
            error: Some(why),
            candidates: match e {
                ResolveError::Ambiguous { candidates, .. } => Some(
                    candidates
                        .iter()
                        .map(|(id, name)| serde_json::json!({"id": id, "name": name}))
                        .collect(),
                ),
                _ => None,
            },
            not_found: matches!(e, ResolveError::NotFound { .. }),
        }
    }

    /// The id when known, else what the user gave.
    pub fn label(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.arg)
    }
}

/// The items found among `resolved`, and a failed result for each argument that names none.
pub fn split(resolved: Vec<Resolved>) -> (Vec<(String, ItemRef)>, Vec<ItemResult>) {
    let mut found = Vec::new();
    let mut failed = Vec::new();
    for (arg, r) in resolved {
        match r {
            Ok(item) => found.push((arg, item)),
            Err(e) => failed.push(ItemResult::unresolved(&arg, &e)),
        }
    }
    (found, failed)
}

/// Results back in the order the arguments were given.
pub fn in_order(args: &[String], mut rows: Vec<ItemResult>) -> Vec<ItemResult> {
    let mut out = Vec::with_capacity(rows.len());
    for a in args {
        if let Some(i) = rows.iter().position(|r| &r.arg == a) {
            out.push(rows.remove(i));
        }
    }
    out.extend(rows);
    out
}

/// Print the results (on stdout "VERB ID NAME" for each item done, on stderr "k2s: not VERB
/// ID: reason" for each one not done and a summary; or the JSON array on stdout) and say how
/// the command ends.
pub fn report(ctx: &Ctx, verb: &str, rows: &[ItemResult]) -> anyhow::Result<Exit> {
    let failed = rows.iter().filter(|r| !r.ok).count();
    let not_found = rows.iter().filter(|r| !r.ok && r.not_found).count();
    if ctx.json() {
        print_json(rows)?;
    } else {
        for r in rows {
            if r.ok {
                outln!("{verb} {} {}", s(r.label()), s(r.name.as_deref().unwrap_or("")))?;
            } else {
                eprintln!(
                    "k2s: not {verb} {}: {}",
                    s(r.label()),
                    s(r.error.as_deref().unwrap_or("failed"))
                );
            }
        }
    }
    summary(verb, rows.len(), failed);
    Ok(Exit::of_batch(failed, not_found, rows.len()))
}

/// "k2s: error: 1 of 3 not deleted" when some failed; "k2s: deleted 3 of 3" for several.
pub fn summary(verb: &str, total: usize, failed: usize) {
    if failed > 0 {
        eprintln!("k2s: error: {failed} of {total} not {verb}");
    } else if total > 1 {
        eprintln!("k2s: {verb} {total} of {total}");
    }
}
