//! The profile picker: one line per profile of config.toml, the one running marked `*`, and
//! whether each has a saved login.

use super::widgets::{centered, popup};
use crate::app::State;
use crate::app::profiles_view::ProfilesView;
use crate::text::{sanitize, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, state: &State, v: &ProfilesView) {
    let t = &state.theme;
    let all = &state.settings.profiles;
    let current = state.settings.profile.as_deref();
    let names: Vec<String> = all.iter().map(|p| sanitize(&p.name)).collect();
    let name_w = names.iter().map(|n| width(n)).max().unwrap_or(0).max(8);
    let w = (name_w as u16 + 24).min(area.width.saturating_sub(2)).max(20);
    let h = (all.len().min(200) as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    let inner = popup(f, r, "Profiles", state);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    // Keep the cursor in sight in a short box.
    let rows = usize::from(inner.height);
    let skip = v.cursor.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = all
        .iter()
        .zip(&names)
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(i, (p, name))| {
            let mark = if Some(p.name.as_str()) == current {
                "*"
            } else {
                " "
            };
            let login = if p.logged_in { "logged in" } else { "not logged in" };
            let text = format!("{mark} {name:<name_w$}  {login}");
            let pad = usize::from(inner.width).saturating_sub(width(&text));
            let style = if i == v.cursor {
                t.cursor
            } else if p.logged_in {
                t.base
            } else {
                t.dim
            };
            Line::from(Span::styled(format!("{text}{}", " ".repeat(pad)), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use crate::app::overlay::Overlay;
    use crate::app::profiles_view::{ProfileEntry, ProfilesView};
    use crate::app::{Keymap, Settings, State};
    use crate::theme::Theme;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn the_picker_marks_the_current_profile_and_says_which_are_logged_in() {
        let settings = Settings {
            profile: Some("main".into()),
            profiles: vec![
                ProfileEntry {
                    name: "free".into(),
                    logged_in: false,
                },
                ProfileEntry {
                    name: "main".into(),
                    logged_in: true,
                },
                ProfileEntry {
                    name: "odd\u{1b}[31m".into(),
                    logged_in: false,
                },
            ],
            ..Settings::default()
        };
        let mut s = State::new(settings, Keymap::defaults(), Theme::monochrome());
        s.size = (80, 20);
        s.overlays.open(Overlay::Profiles(ProfilesView { cursor: 0 }));
        let mut t = Terminal::new(TestBackend::new(80, 20)).expect("test terminal");
        t.draw(|f| crate::ui::draw_with(f, &s, &crate::ui::pictures::Pictures::default()))
            .expect("draw");
        let text = t.backend().to_string();
        assert!(text.contains("Profiles"), "{text}");
        assert!(
            text.contains("  free") && text.contains("not logged in"),
            "{text}"
        );
        assert!(text.contains("* main") && text.contains(" logged in"), "{text}");
        // A name from config.toml is made terminal-safe.
        assert!(text.contains("odd") && !text.contains('\u{1b}'), "{text}");
    }
}
