//! The default bindings of every layer: which keys run which action there, and how soon the
//! key bar shows it (`hint`: 1 first; 0 only in help). Help, the key bar and the key handlers
//! all read these tables (through `Keymap`), so what is shown is what works.

use super::actions::Action::{self, *};
use super::layer::Layer;

#[derive(Debug, Clone, Copy)]
pub struct Def {
    pub action: Action,
    pub keys: &'static [&'static str],
    pub hint: u8,
    /// What the action does in this layer, where that says more than its general description.
    pub desc: Option<&'static str>,
}

const fn d(action: Action, keys: &'static [&'static str], hint: u8) -> Def {
    Def {
        action,
        keys,
        hint,
        desc: None,
    }
}

/// A binding with its own description in this layer.
const fn dd(action: Action, keys: &'static [&'static str], hint: u8, desc: &'static str) -> Def {
    Def {
        action,
        keys,
        hint,
        desc: Some(desc),
    }
}

/// The description of an action in a layer (its own there, else the general one).
pub fn description(layer: Layer, action: Action) -> &'static str {
    defaults(layer)
        .iter()
        .find(|d| d.action == action)
        .and_then(|d| d.desc)
        .unwrap_or_else(|| action.description())
}

const MOTIONS: &[Def] = &[
    d(Up, &["k", "Up"], 0),
    d(Down, &["j", "Down"], 0),
    d(Top, &["g g", "Home"], 0),
    d(Bottom, &["G", "End"], 0),
    d(HalfPageDown, &["Ctrl-d"], 0),
    d(HalfPageUp, &["Ctrl-u"], 0),
    d(PageDown, &["PageDown"], 0),
    d(PageUp, &["PageUp"], 0),
];

const GLOBAL: &[Def] = &[
    d(Quit, &["q"], 3),
    d(ForceQuit, &["Ctrl-c"], 0),
    d(Help, &["?", "F1"], 0),
    d(NextPane, &["Tab"], 40),
    d(PrevPane, &["BackTab"], 0),
    d(Refresh, &["R"], 60),
    d(Details, &["i"], 30),
    d(MetaPane, &["M"], 70),
    d(Transfers, &["Ctrl-t"], 20),
    d(Upload, &["u"], 11),
    d(RemoteUpload, &["U"], 45),
    d(DownloadLinks, &["W"], 46),
    d(Suspend, &["Ctrl-z"], 0),
    d(Back, &["H", "Alt-Left"], 0),
    d(Forward, &["L", "Alt-Right"], 0),
    d(AccountView, &["I"], 0),
    d(CheckLinks, &["Ctrl-k"], 0),
    d(Finder, &["Ctrl-p"], 0),
    d(ProfilesView, &["Alt-p"], 0),
    d(UsageView, &["Alt-u"], 0),
    d(DupesView, &["Alt-d"], 0),
    d(HealthView, &["Alt-h"], 0),
];

const LIST: &[Def] = &[
    d(Open, &["l", "Right", "Enter"], 4),
    d(Parent, &["h", "Left", "Backspace"], 5),
    d(Select, &["Space"], 6),
    d(Filter, &["/"], 8),
    d(Download, &["w"], 10),
    d(CopyLinks, &["y"], 12),
    d(Move, &["m"], 14),
    d(Rename, &["r"], 15),
    d(Delete, &["d", "Delete"], 16),
    d(NewFolder, &["n"], 17),
    d(Sort, &["s"], 25),
    d(ReverseSort, &["S"], 0),
    d(EditTitle, &["t"], 31),
    d(EditTags, &["T"], 32),
    d(SelectRange, &["v"], 35),
    d(SelectAll, &["a"], 36),
    d(Access, &["A"], 37),
    d(EditMeta, &["e"], 50),
    d(MetaFind, &["F"], 51),
    d(MetaColumns, &["c"], 65),
    d(CopyUrls, &["Y"], 66),
    d(CopyLinksAs, &["Alt-y"], 0),
    d(OpenLink, &["o"], 67),
    d(ToggleAvailable, &["f"], 0),
    d(Clear, &["Esc"], 0),
    d(MetaApply, &["p"], 0),
    d(TagAdd, &["+"], 0),
    d(TagRemove, &["-"], 0),
    d(MetaDelete, &["D"], 0),
];

const TREE: &[Def] = &[
    dd(Open, &["l", "Right", "Enter"], 4, "open the folder in the list"),
    dd(
        Parent,
        &["h", "Left", "Backspace"],
        5,
        "collapse, or go to the parent folder",
    ),
    dd(Select, &["Space"], 6, "expand / collapse"),
    d(NewFolder, &["n"], 17),
];

const DETAILS: &[Def] = &[dd(Parent, &["h", "Left", "Esc"], 5, "back to the file list")];

const META: &[Def] = &[
    dd(Open, &["l", "Right", "Enter"], 4, "edit the metadata in the pane"),
    d(EditMeta, &["e"], 5),
    dd(Parent, &["h", "Left", "Esc"], 6, "back to the file list"),
    d(EditTitle, &["t"], 7),
    d(EditTags, &["T"], 8),
];

const TRANSFERS: &[Def] = &[
    dd(
        Open,
        &["l", "Right", "Enter"],
        4,
        "details: destination, full error, attempts, link",
    ),
    d(PauseResume, &["P"], 5),
    d(CancelTransfer, &["x"], 6),
    d(RetryTransfer, &["Ctrl-r"], 7),
    d(RemoveTransfer, &["X"], 8),
    d(ClearFinished, &["C"], 9),
    dd(
        CopyLinks,
        &["y"],
        12,
        "copy the link of a finished upload, or the path of a download",
    ),
    d(TransferUp, &["K"], 30),
    d(TransferDown, &["J"], 31),
    dd(Parent, &["h", "Left", "Esc"], 32, "back to the file list"),
    dd(Delete, &["d", "Delete"], 0, "remove the transfer from the list"),
];

const FILTER: &[Def] = &[
    dd(Submit, &["Enter"], 1, "keep the filter"),
    dd(Cancel, &["Esc"], 2, "clear the filter"),
    d(Up, &["Up"], 3),
    d(Down, &["Down"], 3),
    d(PageUp, &["PageUp"], 0),
    d(PageDown, &["PageDown"], 0),
];

const FOUND: &[Def] = &[
    dd(Open, &["Enter", "l", "Right"], 1, "go to the file, in its folder"),
    dd(MetaFind, &["F"], 3, "find again"),
    dd(Cancel, &["Esc", "h", "Left", "q"], 4, "back to the folder"),
    dd(Refresh, &["R"], 5, "ask the server again"),
    d(Help, &["?", "F1"], 0),
];

const EDITOR: &[Def] = &[d(MetaSave, &["Ctrl-s"], 1), d(MetaUndo, &["Ctrl-z"], 2)];

const DIALOG: &[Def] = &[
    d(Submit, &["Enter"], 1),
    d(Cancel, &["Esc"], 2),
    d(NextField, &["Tab", "Down"], 3),
    d(PrevField, &["BackTab", "Up"], 0),
    d(ChangeNext, &["Right", "Space", "l"], 4),
    d(ChangePrev, &["Left", "h"], 0),
    d(SetPublic, &["p"], 0),
    d(SetPrivate, &["r"], 0),
    d(SetPremium, &["m"], 0),
];

const PICKER: &[Def] = &[
    dd(Submit, &["Enter"], 1, "move into the highlighted folder"),
    d(Cancel, &["Esc"], 2),
    d(Up, &["k", "Up"], 3),
    d(Down, &["j", "Down"], 3),
    d(Expand, &["l", "Right"], 4),
    d(Collapse, &["h", "Left", "Backspace"], 5),
    d(ToggleExpand, &["Space"], 0),
    d(PageUp, &["PageUp"], 0),
    d(PageDown, &["PageDown"], 0),
    d(Top, &["g", "Home"], 0),
    d(Bottom, &["G", "End"], 0),
];

const MENU: &[Def] = &[
    dd(
        Submit,
        &["Enter", "Space", "l"],
        1,
        "sort by the highlighted order",
    ),
    d(Cancel, &["Esc", "q"], 2),
    d(Up, &["k", "Up"], 3),
    d(Down, &["j", "Down"], 3),
];

const CONFIRM: &[Def] = &[
    d(Yes, &["y", "Y"], 1),
    d(No, &["n", "N", "Esc"], 2),
    dd(Submit, &["Enter"], 3, "the highlighted answer"),
    dd(
        ChangeNext,
        &["Left", "Right", "Tab", "BackTab", "h", "l"],
        4,
        "highlight the other answer",
    ),
];

const QUIT: &[Def] = &[
    dd(
        Yes,
        &["y", "Y", "q"],
        1,
        "quit (the queue is saved and continues next time)",
    ),
    dd(No, &["n", "N", "Esc"], 2, "stay"),
    dd(Submit, &["Enter"], 3, "the highlighted answer"),
    dd(
        ChangeNext,
        &["Left", "Right", "Tab", "BackTab"],
        4,
        "highlight the other answer",
    ),
];

const PROMPT: &[Def] = &[
    dd(Submit, &["Enter"], 1, "apply the tag / find"),
    d(Complete, &["Tab"], 2),
    dd(PrevField, &["BackTab"], 3, "find by: tag, category, actress"),
    d(Cancel, &["Esc"], 4),
    dd(Up, &["Up"], 0, "previous candidate"),
    dd(Down, &["Down"], 0, "next candidate"),
    d(MetaUndo, &["Ctrl-z"], 0),
];

const FORM: &[Def] = &[
    dd(
        Submit,
        &["Enter", "Ctrl-s"],
        1,
        "upload; in a list of URLs or links Enter starts a new line, and on an empty line or with Ctrl-s starts",
    ),
    dd(
        Complete,
        &["Tab"],
        2,
        "complete the local path (again: the next candidate)",
    ),
    d(Cancel, &["Esc"], 3),
];

const CAPTCHA: &[Def] = &[
    dd(Submit, &["Enter"], 1, "send the answer"),
    dd(
        Cancel,
        &["Esc"],
        2,
        "skip: that download fails (retry it to try again)",
    ),
];

const INFO: &[Def] = &[
    dd(Cancel, &["Esc", "Enter", "q"], 1, "close"),
    dd(CopyLinks, &["y"], 2, "copy the link or the path"),
    dd(Up, &["k", "Up"], 3, "scroll up"),
    dd(Down, &["j", "Down"], 3, "scroll down"),
];

const PROFILES: &[Def] = &[
    d(Up, &["k", "Up"], 3),
    d(Down, &["j", "Down"], 3),
    d(Top, &["g g", "Home"], 0),
    d(Bottom, &["G", "End"], 0),
    dd(Submit, &["Enter"], 1, "switch to the profile"),
    dd(Cancel, &["Esc", "q"], 2, "close"),
];

const FINDER: &[Def] = &[
    dd(Up, &["Up", "Ctrl-k"], 3, "previous match"),
    dd(Down, &["Down", "Ctrl-j"], 3, "next match"),
    d(PageUp, &["PageUp"], 0),
    d(PageDown, &["PageDown"], 0),
    dd(
        Submit,
        &["Enter"],
        1,
        "open the match's folder on it (no index yet: build it)",
    ),
    dd(Cancel, &["Esc"], 2, "close"),
];

const USAGE: &[Def] = &[
    dd(Open, &["Enter", "Right", "l"], 1, "into the folder"),
    dd(Parent, &["Left", "Backspace", "h"], 2, "back up"),
    dd(Submit, &["o"], 3, "show the folder in the browser"),
    dd(Cancel, &["Esc", "q"], 4, "close"),
    dd(
        Delete,
        &["d", "Delete"],
        5,
        "delete the folder and everything in it",
    ),
    dd(Move, &["m"], 6, "move the folder"),
    dd(DupesView, &["D"], 7, "the duplicates view"),
];

const DUPES: &[Def] = &[
    dd(
        Select,
        &["Space"],
        1,
        "keep / do not keep the file under the cursor",
    ),
    dd(
        Delete,
        &["d", "Delete"],
        2,
        "delete the files not kept of this group",
    ),
    dd(
        DeleteAllDupes,
        &["D"],
        3,
        "delete the files not kept of every group",
    ),
    dd(Submit, &["o", "Enter"], 4, "show the file in the browser"),
    dd(Cancel, &["Esc", "q"], 5, "close"),
];

const HEALTH: &[Def] = &[
    dd(NextField, &["Tab", "Right", "l"], 1, "the next section"),
    dd(PrevField, &["BackTab", "Left", "h"], 0, "the section before"),
    dd(Select, &["Space"], 2, "mark the file (and go down)"),
    dd(
        SelectAll,
        &["a"],
        3,
        "mark every file of the section (again: none)",
    ),
    dd(
        Delete,
        &["d", "Delete"],
        4,
        "delete the marked files (or the highlighted one), after a question",
    ),
    dd(
        CopyLinks,
        &["y"],
        5,
        "copy the links of the marked files (or the highlighted one)",
    ),
    dd(
        Submit,
        &["Enter", "o"],
        6,
        "show the file in its folder (no index yet: build it)",
    ),
    dd(
        SetDays,
        &["n"],
        7,
        "ask how many days without a download make a file inactive",
    ),
    d(MoreDays, &["+", "="], 8),
    d(FewerDays, &["-"], 8),
    dd(Refresh, &["R"], 0, "ask the index again"),
    dd(Cancel, &["Esc", "q"], 9, "close"),
];

const ACCOUNT: &[Def] = &[
    dd(Cancel, &["Esc", "Enter", "q"], 1, "close"),
    dd(Refresh, &["R"], 2, "ask the server again"),
    dd(Up, &["k", "Up"], 3, "scroll up"),
    dd(Down, &["j", "Down"], 3, "scroll down"),
    dd(ProfilesView, &["p"], 4, "switch to another profile"),
];

const LINK_CHECK: &[Def] = &[
    dd(
        Submit,
        &["Enter", "Ctrl-s"],
        1,
        "check every K2S link of the text (again)",
    ),
    dd(Cancel, &["Esc"], 2, "close"),
    dd(
        CopyLinks,
        &["y"],
        3,
        "copy the dead and blocked links (once checked)",
    ),
    dd(
        Parent,
        &["e", "Backspace"],
        4,
        "back to the text to edit it (once checked)",
    ),
    dd(Up, &["k", "Up"], 0, "scroll up (once checked)"),
    dd(Down, &["j", "Down"], 0, "scroll down (once checked)"),
    // F1 only: "?" types while the text is edited.
    d(Help, &["F1"], 0),
];

const HELP: &[Def] = &[
    dd(
        Cancel,
        &["Esc", "Enter", "F1"],
        1,
        "close help (Esc clears the filter first; ? closes while it is empty)",
    ),
    dd(Up, &["Up"], 2, "scroll up"),
    dd(Down, &["Down"], 2, "scroll down"),
    d(PageUp, &["PageUp"], 0),
    d(PageDown, &["PageDown"], 0),
];

const LOGIN: &[Def] = &[
    d(Submit, &["Enter"], 1),
    d(NextField, &["Tab", "Down"], 2),
    d(PrevField, &["BackTab", "Up"], 0),
    dd(
        ChangeNext,
        &["Left", "Right", "Space"],
        3,
        "switch between password and access token (on that line)",
    ),
    dd(Cancel, &["Esc"], 0, "clear the error"),
];

/// The defaults of one layer (motions first where the layer moves a cursor).
pub fn defaults(layer: Layer) -> Vec<Def> {
    let (motions, own): (bool, &[Def]) = match layer {
        Layer::Global => (false, GLOBAL),
        Layer::List => (true, LIST),
        Layer::Tree => (true, TREE),
        Layer::Details => (true, DETAILS),
        Layer::Meta => (true, META),
        Layer::Transfers => (true, TRANSFERS),
        Layer::Filter => (false, FILTER),
        Layer::Found => (true, FOUND),
        Layer::Editor => (false, EDITOR),
        Layer::Dialog => (false, DIALOG),
        Layer::Picker => (false, PICKER),
        Layer::Menu => (false, MENU),
        Layer::Confirm => (false, CONFIRM),
        Layer::Quit => (false, QUIT),
        Layer::Prompt => (false, PROMPT),
        Layer::Form => (false, FORM),
        Layer::Captcha => (false, CAPTCHA),
        Layer::Info => (false, INFO),
        Layer::Account => (false, ACCOUNT),
        Layer::Profiles => (false, PROFILES),
        Layer::LinkCheck => (false, LINK_CHECK),
        Layer::Finder => (false, FINDER),
        Layer::Usage => (true, USAGE),
        Layer::Dupes => (true, DUPES),
        Layer::Health => (true, HEALTH),
        Layer::Help => (false, HELP),
        Layer::Login => (false, LOGIN),
    };
    let mut v: Vec<Def> = if motions { MOTIONS.to_vec() } else { Vec::new() };
    v.extend_from_slice(own);
    if let Some(help) = help_of(layer, &v) {
        v.push(help);
    }
    v
}

/// Help's binding in a layer that neither binds it nor falls back on the global layer: F1
/// everywhere, and `?` too where no text is typed and `?` is free. (Panes have the global
/// `?`; the login screen draws no help.)
fn help_of(layer: Layer, own: &[Def]) -> Option<Def> {
    let none = matches!(layer, Layer::Global | Layer::Help | Layer::Login)
        || layer.chain().contains(&Layer::Global)
        || own.iter().any(|d| d.action == Help);
    if none {
        return None;
    }
    let text = matches!(
        layer,
        Layer::Filter
            | Layer::Editor
            | Layer::Dialog
            | Layer::Prompt
            | Layer::Form
            | Layer::Captcha
            | Layer::Finder
            | Layer::LinkCheck
    );
    let question_free = !own.iter().any(|d| d.keys.contains(&"?"));
    Some(if text || !question_free {
        d(Help, &["F1"], 0)
    } else {
        d(Help, &["?", "F1"], 0)
    })
}
