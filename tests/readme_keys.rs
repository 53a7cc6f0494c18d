//! README's key tables are the bindings the TUI runs on.

use k2s::app::keymap::Keymap;
use k2s::app::keys_doc;

#[test]
fn readme_key_tables_match_the_bindings() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let (start, end) = ("<!-- keys:start -->", "<!-- keys:end -->");
    let a = readme.find(start).expect("the keys:start marker") + start.len();
    let b = readme.find(end).expect("the keys:end marker");
    let shown = readme[a..b].trim();
    let made = keys_doc::markdown(&Keymap::defaults(), None);
    assert_eq!(
        shown,
        made.trim(),
        "README's key tables are out of date: run `k2s keys --markdown` and paste its output between the markers"
    );
}
