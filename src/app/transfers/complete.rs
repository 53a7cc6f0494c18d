//! Tab completion of local paths in the upload dialog: the word before the cursor is split
//! into a directory (listed by the runtime) and a name prefix; one match completes, several
//! complete their common prefix and are shown, and Tab again cycles through them.

use super::forms::{Candidate, Pending, UploadForm};
use super::msg::TransferEffect;
use super::paths::{common_prefix, escape, replace_range, split_dir, word_at};
use crate::app::msg::Ticket;

/// Tab pressed: cycle through the candidates shown, or ask for a listing.
pub fn tab(form: &mut UploadForm, ticket: Ticket) -> Option<TransferEffect> {
    let row = form.text.row;
    let line = form.text.current().value().to_string();
    let cursor = form.text.current().cursor();
    let c = &mut form.completion;
    if let Some((arow, start, aline)) = &c.anchor
        && *arow == row
        && *aline == line
        && !c.shown.is_empty()
    {
        let next = c.index.map_or(0, |i| (i + 1) % c.shown.len());
        let (new, cur) = replace_range(&line, *start, cursor, &c.shown[next].word);
        c.index = Some(next);
        c.anchor = Some((row, *start, new.clone()));
        form.text.set_current(new, cur);
        return None;
    }
    let w = word_at(&line, cursor);
    let (dir, prefix) = split_dir(&w.text);
    let (dir, prefix) = (dir.to_string(), prefix.to_string());
    // "~" alone means the home folder.
    let (dir, prefix) = if dir.is_empty() && prefix == "~" {
        ("~/".to_string(), String::new())
    } else {
        (dir, prefix)
    };
    c.pending = Some(Pending {
        ticket,
        row,
        line,
        start: w.start,
        end: w.end,
        dir: dir.clone(),
        prefix,
    });
    c.shown.clear();
    c.index = None;
    c.anchor = None;
    Some(TransferEffect::ListDir { ticket, dir })
}

/// The listing came back.
pub fn listed(form: &mut UploadForm, ticket: Ticket, result: Result<Vec<(String, bool)>, String>) {
    let Some(p) = form.completion.pending.take_if(|p| p.ticket == ticket) else {
        return;
    };
    if form.text.row != p.row || form.text.current().value() != p.line {
        return; // typed on meanwhile
    }
    let entries = match result {
        Ok(e) => e,
        Err(e) => {
            form.error = Some(e);
            return;
        }
    };
    let hidden_ok = p.prefix.starts_with('.');
    let mut matches: Vec<(String, bool)> = entries
        .into_iter()
        .filter(|(n, _)| n.starts_with(&p.prefix) && (hidden_ok || !n.starts_with('.')))
        .collect();
    matches.sort_by(|a, b| a.0.to_lowercase().cmp(&b.0.to_lowercase()).then(a.0.cmp(&b.0)));
    form.error = None;
    let word = |name: &str, is_dir: bool| {
        let mut w = escape(&format!("{}{name}", p.dir));
        if is_dir {
            w.push('/');
        }
        w
    };
    match matches.as_slice() {
        [] => {
            form.error = Some(format!(
                "nothing matches {}",
                crate::text::sanitize(&format!("{}{}", p.dir, p.prefix))
            ));
        }
        [(name, is_dir)] => {
            let mut w = word(name, *is_dir);
            if !is_dir {
                w.push(' ');
            }
            let (new, cur) = replace_range(&p.line, p.start, p.end, &w);
            form.text.set_current(new, cur);
        }
        many => {
            let cp = common_prefix(many.iter().map(|(n, _)| n.as_str()));
            let (new, cur) = if cp.chars().count() > p.prefix.chars().count() {
                replace_range(&p.line, p.start, p.end, &word(&cp, false))
            } else {
                (p.line.clone(), p.end)
            };
            form.completion.shown = many
                .iter()
                .map(|(n, d)| Candidate {
                    label: format!("{}{}", crate::text::sanitize(n), if *d { "/" } else { "" }),
                    word: word(n, *d),
                })
                .collect();
            form.completion.anchor = Some((p.row, p.start, new.clone()));
            form.text.set_current(new, cur);
        }
    }
}
