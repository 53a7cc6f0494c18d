//! Link formats: plain, BBCode, HTML, Markdown, named ones from config.toml `[link_formats]`
//! and templates given on the command line. A template names fields in single braces
//! (`[url={link}]{name}[/url] {size}`) or in the engine's own syntax (minijinja:
//! `{{ name }}`, `{% if duration %}...{% endif %}`); an unknown field is an error naming it.

use crate::config::LinkFormatConfig;
use minijinja::{Environment, UndefinedBehavior, Value};
use std::collections::BTreeMap;

/// The fields a link template may use.
pub const PLACEHOLDERS: [&str; 10] = [
    "name",
    "link",
    "size",
    "bytes",
    "duration",
    "resolution",
    "title",
    "tags",
    "folder",
    "md5",
];
/// The fields a header or a footer may use.
pub const SUMMARY_FIELDS: [&str; 2] = ["count", "total"];
/// The built-in formats, in menu order.
pub const BUILTIN: [&str; 4] = ["plain", "bbcode", "html", "markdown"];

/// Everything a template can show about one file or folder; missing values are empty.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LinkFields {
    pub name: String,
    pub link: String,
    /// Human size ("2.5 MiB"); empty for a folder.
    pub size: String,
    /// Size in bytes; empty when unknown.
    pub bytes: String,
    /// Video length ("9:56").
    pub duration: String,
    /// "1920x1080".
    pub resolution: String,
    pub title: String,
    /// Comma-separated.
    pub tags: String,
    /// The folder's path ("/Movies").
    pub folder: String,
    pub md5: String,
}

/// A format ready to render: a template for each item and optional header and footer.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkFormat {
    pub name: String,
    item: String,
    header: Option<String>,
    footer: Option<String>,
    separator: String,
    /// Values are HTML-escaped.
    html: bool,
}

const SIZE_NOTE: &str = "{% if size %} ({{ size }}{% if duration %}, {{ duration }}{% endif %}\
    {% if resolution %}, {{ resolution }}{% endif %}){% endif %}";

impl LinkFormat {
    fn new(name: &str, item: String, separator: &str, html: bool) -> LinkFormat {
        LinkFormat {
            name: name.to_string(),
            item,
            header: None,
            footer: None,
            separator: separator.to_string(),
            html,
        }
    }

    /// A built-in format by name.
    pub fn builtin(name: &str) -> Option<LinkFormat> {
        Some(match name {
            "plain" => LinkFormat::new(name, "{{ link }}".into(), "\n", false),
            "bbcode" => LinkFormat::new(
                name,
                format!("[url={{{{ link }}}}]{{{{ name }}}}[/url]{SIZE_NOTE}"),
                "\n",
                false,
            ),
            "html" => LinkFormat::new(
                name,
                format!("<a href=\"{{{{ link }}}}\">{{{{ name }}}}</a>{SIZE_NOTE}"),
                "<br>\n",
                true,
            ),
            "markdown" => LinkFormat::new(
                name,
                format!("[{{{{ name }}}}]({{{{ link }}}}){SIZE_NOTE}"),
                "\n",
                false,
            ),
            _ => return None,
        })
    }

    /// `spec`: a built-in name, a `[link_formats]` name, or a template (anything with a `{`).
    pub fn resolve(spec: &str, named: &BTreeMap<String, LinkFormatConfig>) -> Result<LinkFormat, String> {
        if let Some(c) = named.get(spec) {
            return LinkFormat::from_config(spec, c);
        }
        if let Some(f) = LinkFormat::builtin(spec) {
            return Ok(f);
        }
        if spec.contains('{') {
            return LinkFormat::template("template", spec);
        }
        Err(format!(
            "unknown link format {spec:?}: use one of {}, or a template such as '[url={{link}}]{{name}}[/url]'",
            format_names(named).join(", ")
        ))
    }

    /// A template given by the user.
    pub fn template(name: &str, text: &str) -> Result<LinkFormat, String> {
        let f = LinkFormat::new(name, engine_syntax(text), "\n", false);
        f.check()?;
        Ok(f)
    }

    fn from_config(name: &str, c: &LinkFormatConfig) -> Result<LinkFormat, String> {
        let mut f = match c {
            LinkFormatConfig::Item(t) => LinkFormat::new(name, engine_syntax(t), "\n", false),
            LinkFormatConfig::Full {
                item,
                header,
                footer,
                separator,
            } => LinkFormat {
                header: header.as_deref().map(engine_syntax),
                footer: footer.as_deref().map(engine_syntax),
                separator: separator.clone().unwrap_or_else(|| "\n".into()),
                ..LinkFormat::new(name, engine_syntax(item), "\n", false)
            },
        };
        f.html = name.ends_with("html");
        f.check().map_err(|e| format!("[link_formats] {name}: {e}"))?;
        Ok(f)
    }

    /// Whether the item template may use `field` (to skip asking for what it does not show).
    pub fn uses(&self, field: &str) -> bool {
        self.item.contains(field)
    }

    /// Every field the templates use is known; they compile.
    fn check(&self) -> Result<(), String> {
        check_fields(&self.item, &PLACEHOLDERS)?;
        for t in [&self.header, &self.footer].into_iter().flatten() {
            check_fields(t, &SUMMARY_FIELDS)?;
        }
        Ok(())
    }

    /// The text for a whole selection: header, the items, footer.
    pub fn render(&self, items: &[LinkFields]) -> Result<String, String> {
        let env = environment();
        let mut parts = Vec::new();
        let total: u64 = items.iter().filter_map(|i| i.bytes.parse::<u64>().ok()).sum();
        let summary = minijinja::context! {
            count => items.len(),
            total => crate::text::human_bytes(total),
        };
        if let Some(h) = &self.header {
            parts.push(render_one(&env, h, summary.clone())?);
        }
        let body: Result<Vec<String>, String> = items
            .iter()
            .map(|i| {
                let fields = if self.html { i.escaped() } else { i.clone() };
                render_one(&env, &self.item, Value::from_serialize(&fields))
            })
            .collect();
        parts.push(body?.join(&self.separator));
        if let Some(f) = &self.footer {
            parts.push(render_one(&env, f, summary)?);
        }
        Ok(parts.join("\n"))
    }
}

/// Built-in names and `[link_formats]` names, for messages and menus.
pub fn format_names(named: &BTreeMap<String, LinkFormatConfig>) -> Vec<String> {
    let mut out: Vec<String> = BUILTIN.iter().map(|s| s.to_string()).collect();
    out.extend(named.keys().filter(|k| !BUILTIN.contains(&k.as_str())).cloned());
    out
}

/// The formats of the TUI's copy menu: the configured `link_format` (default plain) first,
/// then the built-in ones and the `[link_formats]` ones. A bad one is an error naming it.
pub fn menu_formats(config: &crate::config::Config) -> anyhow::Result<Vec<LinkFormat>> {
    let first = config.link_format.as_deref().unwrap_or("plain");
    let mut names = vec![first.to_string()];
    names.extend(
        format_names(&config.link_formats)
            .into_iter()
            .filter(|n| n != first),
    );
    names
        .iter()
        .map(|n| {
            LinkFormat::resolve(n, &config.link_formats)
                .map_err(|e| anyhow::anyhow!("{}: {e}", config.origin()))
        })
        .collect()
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl LinkFields {
    /// Every value HTML-escaped.
    fn escaped(&self) -> LinkFields {
        let e = |s: &String| html_escape(s);
        LinkFields {
            name: e(&self.name),
            link: e(&self.link),
            size: e(&self.size),
            bytes: e(&self.bytes),
            duration: e(&self.duration),
            resolution: e(&self.resolution),
            title: e(&self.title),
            tags: e(&self.tags),
            folder: e(&self.folder),
            md5: e(&self.md5),
        }
    }
}

fn render_one(env: &Environment<'static>, source: &str, ctx: Value) -> Result<String, String> {
    env.render_str(source, ctx).map_err(|e| describe(&e))
}

fn describe(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("bad template: {} ({d})", e.kind()),
        None => format!("bad template: {}", e.kind()),
    }
}

/// Fails naming the first field the template uses that is not one of `known`.
fn check_fields(source: &str, known: &[&str]) -> Result<(), String> {
    let env = environment();
    let tpl = env.template_from_str(source).map_err(|e| describe(&e))?;
    let mut used: Vec<String> = tpl.undeclared_variables(false).into_iter().collect();
    used.sort();
    match used.iter().find(|v| !known.contains(&v.as_str())) {
        Some(v) => Err(format!(
            "unknown placeholder {{{v}}}: known are {}",
            known
                .iter()
                .map(|k| format!("{{{k}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        )),
        None => Ok(()),
    }
}

/// A template in single braces (`{name}`) turned into the engine's syntax (`{{ name }}`); one
/// already in the engine's syntax (`{{`, `{%`) as it is.
pub fn engine_syntax(text: &str) -> String {
    if text.contains("{{") || text.contains("{%") || text.contains("{#") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let word_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if word_len > 0 && after[word_len..].starts_with('}') {
            out.push_str(&format!("{{{{ {} }}}}", &after[..word_len]));
            rest = &after[word_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bunny() -> LinkFields {
        LinkFields {
            name: "Big <Buck> Bunny.mp4".into(),
            link: "https://k2s.cc/file/video00000001/Big%20Buck%20Bunny.mp4".into(),
            size: "2.5 MiB".into(),
            bytes: "2621447".into(),
            duration: "9:56".into(),
            resolution: "1920x1080".into(),
            title: "Big Buck Bunny".into(),
            tags: "bunny, open-movie".into(),
            folder: "/Movies".into(),
            md5: "0123".into(),
        }
    }

    fn render(spec: &str) -> Result<String, String> {
        LinkFormat::resolve(spec, &BTreeMap::new())?.render(&[bunny()])
    }

    #[test]
    fn builtins() {
        let link = bunny().link;
        assert_eq!(render("plain").unwrap(), link);
        assert_eq!(
            render("bbcode").unwrap(),
            format!("[url={link}]Big <Buck> Bunny.mp4[/url] (2.5 MiB, 9:56, 1920x1080)")
        );
        assert_eq!(
            render("html").unwrap(),
            format!("<a href=\"{link}\">Big &lt;Buck&gt; Bunny.mp4</a> (2.5 MiB, 9:56, 1920x1080)")
        );
        assert_eq!(
            render("markdown").unwrap(),
            format!("[Big <Buck> Bunny.mp4]({link}) (2.5 MiB, 9:56, 1920x1080)")
        );
        let folder = LinkFields {
            name: "Movies".into(),
            link: "L".into(),
            ..LinkFields::default()
        };
        let f = LinkFormat::builtin("bbcode").unwrap();
        assert_eq!(f.render(&[folder]).unwrap(), "[url=L]Movies[/url]");
    }

    #[test]
    fn single_brace_templates_and_every_placeholder() {
        let all = PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join("|");
        let out = render(&all).unwrap();
        let b = bunny();
        let want = [
            &b.name,
            &b.link,
            &b.size,
            &b.bytes,
            &b.duration,
            &b.resolution,
            &b.title,
            &b.tags,
            &b.folder,
            &b.md5,
        ]
        .map(|s| s.as_str())
        .join("|");
        assert_eq!(out, want);
        assert_eq!(render("{name} {x").unwrap(), "Big <Buck> Bunny.mp4 {x");
        assert_eq!(render("{{ name|upper }}").unwrap(), "BIG <BUCK> BUNNY.MP4");
    }

    #[test]
    fn unknown_placeholders_and_formats_are_named() {
        let e = render("[url={link}]{nmae}[/url]").unwrap_err();
        assert!(e.contains("unknown placeholder {nmae}"), "{e}");
        assert!(e.contains("{name}"), "{e}");
        let e = render("{{ link }} {{ sizee }}").unwrap_err();
        assert!(e.contains("{sizee}"), "{e}");
        let e = render("bbcod").unwrap_err();
        assert!(
            e.contains("unknown link format \"bbcod\"") && e.contains("bbcode"),
            "{e}"
        );
        let e = render("{% if name %}").unwrap_err();
        assert!(e.contains("bad template"), "{e}");
    }

    #[test]
    fn named_formats_with_header_and_footer() {
        let mut named = BTreeMap::new();
        named.insert(
            "forum".to_string(),
            LinkFormatConfig::Full {
                item: "{name}: {link}".into(),
                header: Some("[b]{count} files, {total}[/b]".into()),
                footer: Some("[i]mirror welcome[/i]".into()),
                separator: None,
            },
        );
        named.insert("short".to_string(), LinkFormatConfig::Item("{link}".into()));
        let f = LinkFormat::resolve("forum", &named).unwrap();
        let out = f.render(&[bunny(), bunny()]).unwrap();
        let line = format!("{}: {}", bunny().name, bunny().link);
        assert_eq!(
            out,
            format!("[b]2 files, 5.0 MiB[/b]\n{line}\n{line}\n[i]mirror welcome[/i]")
        );
        assert_eq!(
            format_names(&named),
            ["plain", "bbcode", "html", "markdown", "forum", "short"]
        );
        named.insert("bad".into(), LinkFormatConfig::Item("{nope}".into()));
        let e = LinkFormat::resolve("bad", &named).unwrap_err();
        assert!(e.contains("[link_formats] bad") && e.contains("{nope}"), "{e}");
    }
}
