//! What the views' snapshot tests share: a state drawn to text, a key sent, the browser on the
//! root with a given listing.

use crate::api::FileItem;
use crate::app::{Effect, Keymap, Msg, Settings, State, start, update};
use crate::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The screen `state` draws at its size, as text.
pub fn render(state: &State) -> String {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| crate::ui::draw_with(f, state, &crate::ui::pictures::Pictures::default()))
        .expect("draw");
    t.backend().to_string()
}

pub fn send(s: &mut State, code: KeyCode, m: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, m)))
}

/// The browser on the root listing `files`, in a `w` x `h` terminal (monochrome theme).
pub fn root_with(w: u16, h: u16, files: Vec<FileItem>) -> State {
    let mut s = State::new(Settings::default(), Keymap::defaults(), Theme::monochrome());
    s.size = (w, h);
    let fx = start(&mut s, true, None);
    let ticket = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadFiles { ticket, .. } => Some(*ticket),
            _ => None,
        })
        .expect("a listing");
    update(
        &mut s,
        Msg::FilesPage {
            ticket,
            offset: 0,
            result: Ok(files),
        },
    );
    s
}

/// The one file the index views' snapshots list at the root.
pub fn alpha() -> FileItem {
    FileItem {
        id: "a1".into(),
        name: Some("alpha.txt".into()),
        is_folder: Some(false),
        is_available: Some(true),
        size: Some(1234),
        ..FileItem::default()
    }
}
