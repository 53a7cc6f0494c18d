//! `k2s check [FILE|-]`: every K2S link in a text, and the state of each (`links::check`);
//! `--repair` brings dead ones back (`repair_cmd.rs`), `--rewrite` writes the text with them.

use super::args::CheckArgs;
use super::ctx::Ctx;
use super::exit::{Exit, Failure};
use super::output::{outln, print_json, s};
use crate::api::LinkKind;
use crate::links::{FoundLink, LinkReport, LinkState, check_links, domains_with, find_links};
use crate::text::human_bytes;
use serde_json::json;
use std::collections::HashMap;
use std::io::Read;
use std::process::ExitCode;

/// The text of FILE, or of standard input for "-" or no FILE (not UTF-8: replaced characters).
fn read_text(args: &CheckArgs) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    match args.file.as_deref().filter(|p| p.as_os_str() != "-") {
        Some(p) => {
            bytes = std::fs::read(p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?
        }
        None => {
            std::io::stdin().read_to_end(&mut bytes)?;
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The K2S domains: the known ones, the configured link domain and getDomainsList's (when the
/// account may ask it).
async fn domains(ctx: &Ctx) -> Vec<String> {
    let mut more: Vec<String> = ctx.config.link_domain.iter().cloned().collect();
    if ctx.client.has_credentials() {
        match ctx.client.get_domains_list().await {
            Ok(d) => more.extend(d.domains),
            Err(e) => tracing::debug!("getDomainsList: {e}"),
        }
    }
    domains_with(&more)
}

/// One line per distinct id, in the order the text names them: the first link written for it.
pub struct Row<'a> {
    pub link: &'a FoundLink,
    pub times: usize,
    pub report: &'a LinkReport,
}

pub fn rows<'a>(links: &'a [FoundLink], reports: &'a HashMap<String, LinkReport>) -> Vec<Row<'a>> {
    let mut out: Vec<Row> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for l in links {
        if let Some(&i) = at.get(l.id.as_str()) {
            out[i].times += 1;
            continue;
        }
        let Some(report) = reports.get(&l.id) else {
            continue;
        };
        at.insert(&l.id, out.len());
        out.push(Row {
            link: l,
            times: 1,
            report,
        });
    }
    out
}

fn line(r: &Row) -> String {
    let rep = r.report;
    let what = match rep.state {
        LinkState::Alive if rep.is_folder => format!("folder {}", s(rep.name.as_deref().unwrap_or(""))),
        LinkState::Alive => format!(
            "{}  {}",
            s(rep.name.as_deref().unwrap_or("")),
            rep.size.map(human_bytes).unwrap_or_default()
        ),
        _ => s(rep.reason.as_deref().unwrap_or("")),
    };
    let times = if r.times > 1 {
        format!("  (x{})", r.times)
    } else {
        String::new()
    };
    format!(
        "{:<12}  {}  {}{times}",
        rep.state.as_str(),
        s(&r.link.text),
        what.trim_end()
    )
}

fn row_json(r: &Row) -> serde_json::Value {
    let rep = r.report;
    json!({
        "link": r.link.text, "id": rep.id, "state": rep.state,
        "type": if rep.is_folder || r.link.kind == LinkKind::Folder { "folder" } else { "file" },
        "name": rep.name, "size": rep.size, "reason": rep.reason, "times": r.times,
    })
}

/// "N links (M distinct): a alive, d dead, ..."
fn summary(links: usize, rows: &[Row]) -> (String, serde_json::Value) {
    let count = |st: LinkState| rows.iter().filter(|r| r.report.state == st).count();
    let states = [
        LinkState::Alive,
        LinkState::Dead,
        LinkState::Blocked,
        LinkState::PremiumOnly,
        LinkState::Private,
    ];
    let parts: Vec<String> = states
        .iter()
        .map(|st| format!("{} {}", count(*st), st.as_str()))
        .collect();
    let mut v = json!({"links": links, "distinct": rows.len()});
    for st in states {
        v[st.key()] = json!(count(st));
    }
    (
        format!("{links} links ({} distinct): {}", rows.len(), parts.join(", ")),
        v,
    )
}

pub async fn check(ctx: &Ctx, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let stdin = args.file.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if args.rewrite && stdin {
        return Err(Failure::error(
            Exit::Usage,
            "--rewrite needs a FILE to write back (not standard input)",
        ));
    }
    let text = read_text(args)?;
    let links = find_links(&text, &domains(ctx).await);
    let wanted: Vec<(String, LinkKind)> = links.iter().map(|l| (l.id.clone(), l.kind)).collect();
    let reports = if wanted.is_empty() {
        HashMap::new()
    } else {
        check_links(&ctx.client, &wanted).await?
    };
    let rows = rows(&links, &reports);
    let repaired = if args.repair {
        super::repair_cmd::repair(ctx, args, &rows).await?
    } else {
        Vec::new()
    };
    let (sum_text, sum_json) = summary(links.len(), &rows);
    if ctx.json() {
        let v = json!({
            "links": rows.iter().map(row_json).collect::<Vec<_>>(),
            "summary": sum_json,
            "repaired": repaired.iter().map(super::repair_cmd::Repaired::json).collect::<Vec<_>>(),
        });
        print_json(&v)?;
    } else {
        for r in &rows {
            outln!("{}", line(r))?;
        }
        for r in &repaired {
            outln!("{}", r.line())?;
        }
        outln!("{sum_text}")?;
    }
    if args.rewrite
        && let Some(path) = &args.file
    {
        let map: HashMap<String, String> = repaired
            .iter()
            .filter_map(|r| Some((r.old.clone(), r.new.clone()?)))
            .collect();
        if !map.is_empty() {
            let new_text = crate::links::rewrite::rewrite(&text, &links, &map);
            crate::links::rewrite::write_atomic(path, &new_text)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!("k2s: {} rewritten with {} new links", path.display(), map.len());
        }
    }
    let fixed = |id: &str| repaired.iter().any(|r| r.old == id && r.new.is_some());
    let lost = rows
        .iter()
        .filter(|r| r.report.state.is_lost() && !fixed(&r.report.id))
        .count();
    Ok(if lost > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
