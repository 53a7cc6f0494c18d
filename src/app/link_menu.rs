//! Copying share links in a format: `y` copies in the default format (config `link_format`),
//! the link menu offers every format with a preview of the text before it is copied.

use super::actions::Action;
use super::dialog::Target;
use super::msg::{CopyLabel, Effect};
use super::overlay::Overlay;
use super::state::State;
use crate::links::{Facts, LinkFields, LinkFormat, Named, link_fields};

/// The menu of link formats over the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkMenu {
    pub formats: Vec<LinkFormat>,
    pub cursor: usize,
    pub fields: Vec<LinkFields>,
}

impl LinkMenu {
    pub fn current(&self) -> Option<&LinkFormat> {
        self.formats.get(self.cursor)
    }
    /// The text the highlighted format makes, or why it can't.
    pub fn preview(&self) -> Result<String, String> {
        match self.current() {
            Some(f) => f.render(&self.fields),
            None => Err("no link formats".into()),
        }
    }
}

/// The fields of each target, from the listing (size, video info, md5) and the folder's path.
pub fn fields_for(state: &State, targets: &[Target]) -> Vec<LinkFields> {
    let folder = state.tree.tree.path_of(&state.list.folder);
    targets
        .iter()
        .map(|t| {
            let named = Named {
                id: &t.id,
                name: &t.raw_name,
                is_folder: t.is_folder,
            };
            let row = state.list.get(&t.id).map(|e| &e.item);
            let md5 = row.and_then(|r| r.md5());
            let facts = row.map(|r| Facts {
                size: r.size(),
                video: r.video(),
                md5: md5.as_deref(),
            });
            link_fields(&state.settings.link_domain, named, facts, None, folder.as_deref())
        })
        .collect()
}

/// The clipboard gets `text` for `count` links.
fn copy(state: &mut State, text: String, count: usize, fx: &mut Vec<Effect>) {
    state.clipboard = Some(text.clone());
    fx.push(Effect::Copy {
        text,
        label: CopyLabel { count, noun: "link" },
    });
}

/// `y`: the links of the targets in the default format.
pub fn copy_default(state: &mut State, targets: &[Target], fx: &mut Vec<Effect>) {
    let fields = fields_for(state, targets);
    let text = match state.settings.link_formats.first() {
        Some(f) => f.render(&fields),
        None => Ok(fields
            .iter()
            .map(|f| f.link.clone())
            .collect::<Vec<_>>()
            .join("\n")),
    };
    match text {
        Ok(text) => copy(state, text, fields.len(), fx),
        Err(e) => state.error(format!("link format: {e}")),
    }
}

/// The menu of formats over the targets.
pub fn open(state: &mut State, targets: &[Target]) {
    let fields = fields_for(state, targets);
    let formats = state.settings.link_formats.clone();
    state.overlays.open(Overlay::LinkMenu(LinkMenu {
        formats,
        cursor: 0,
        fields,
    }));
}

/// A key in the menu: move, copy the highlighted format, or close.
pub fn on_key(state: &mut State, a: Option<Action>, fx: &mut Vec<Effect>) {
    let Some(Overlay::LinkMenu(m)) = state.overlays.top() else {
        return;
    };
    let n = m.formats.len();
    let cursor = m.cursor;
    match a {
        Some(Action::Up) => set_cursor(state, (cursor + n.max(1) - 1) % n.max(1)),
        Some(Action::Down) => set_cursor(state, (cursor + 1) % n.max(1)),
        Some(Action::Cancel) => {
            close(state);
        }
        Some(Action::Submit) => {
            let Some(Overlay::LinkMenu(m)) = close(state) else {
                return;
            };
            match m.preview() {
                Ok(text) => copy(state, text, m.fields.len(), fx),
                Err(e) => state.error(format!("link format: {e}")),
            }
        }
        _ => {}
    }
}

fn set_cursor(state: &mut State, to: usize) {
    if let Some(m) = state.overlays.link_menu_mut() {
        m.cursor = to;
    }
}

fn close(state: &mut State) -> Option<Overlay> {
    state.overlays.close_link_menu().map(Overlay::LinkMenu)
}

#[cfg(test)]
mod tests {
    use super::super::tests_update::{browsing, code, key};
    use super::super::update;
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn copied(fx: &[Effect]) -> Option<&str> {
        fx.iter().find_map(|e| match e {
            Effect::Copy { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }

    fn bbcode_of(s: &State, id: &str, name: &str) -> String {
        let size = s
            .list
            .get(id)
            .and_then(|e| e.item.size())
            .map(crate::text::human_bytes);
        let link = crate::api::share_link("k2s.cc", id, Some(name));
        match size {
            Some(size) => format!("[url={link}]{name}[/url] ({size})"),
            None => format!("[url={link}]{name}[/url]"),
        }
    }

    #[test]
    fn y_copies_in_the_default_format() {
        let mut s = browsing();
        s.settings.link_formats = ["bbcode", "plain"]
            .iter()
            .filter_map(|n| LinkFormat::builtin(n))
            .collect();
        update(&mut s, key('j'));
        update(&mut s, key('j'));
        let id = s.list.current().unwrap().item.id.clone();
        let name = s.list.current().unwrap().item.name().to_string();
        let fx = update(&mut s, key('y'));
        assert_eq!(copied(&fx), Some(bbcode_of(&s, &id, &name).as_str()));
    }

    #[test]
    fn the_menu_previews_each_format_and_copies_the_chosen_one() {
        let mut s = browsing();
        update(&mut s, key('j'));
        update(&mut s, key('j'));
        let id = s.list.current().unwrap().item.id.clone();
        let name = s.list.current().unwrap().item.name().to_string();
        let alt_y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT);
        let fx = update(&mut s, super::super::Msg::Key(alt_y));
        assert!(copied(&fx).is_none(), "nothing copied before a format is chosen");
        let m = s.overlays.link_menu().expect("the link menu");
        let names: Vec<&str> = m.formats.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["plain", "bbcode", "html", "markdown"]);
        assert_eq!(
            m.preview().unwrap(),
            crate::api::share_link("k2s.cc", &id, Some(&name))
        );
        update(&mut s, key('j'));
        let m = s.overlays.link_menu().unwrap();
        assert_eq!(m.preview().unwrap(), bbcode_of(&s, &id, &name));
        let fx = update(&mut s, code(KeyCode::Enter));
        assert_eq!(copied(&fx), Some(bbcode_of(&s, &id, &name).as_str()));
        assert!(s.overlays.link_menu().is_none(), "closed after copying");
        update(&mut s, super::super::Msg::Key(alt_y));
        let fx = update(&mut s, code(KeyCode::Esc));
        assert!(copied(&fx).is_none() && s.overlays.link_menu().is_none());
    }
}
