//! The tree from every form of getFoldersList: parent ids with an unlisted root id, "/" or
//! null parents, names as `name`, `/name` or full paths, no parent arrays, loops.

use super::*;
use crate::api::FolderEntry;

fn entry(id: &str, name: &str, parent: Option<&str>) -> FolderEntry {
    FolderEntry {
        id: id.into(),
        name: name.into(),
        parent_id: parent.map(Into::into),
        parent_name: None,
    }
}

fn list(folders: Vec<FolderEntry>, has_parents: bool) -> FoldersList {
    FoldersList { folders, has_parents }
}

#[test]
fn builds_paths_from_parent_ids() {
    let list = FoldersList {
        folders: vec![
            entry("a", "Movies", Some("/")),
            entry("b", "2024", Some("a")),
            entry("c", "Docs", None),
            entry("d", "orphan", Some("zzz")),
            entry("e", "loop1", Some("f")),
            entry("f", "loop2", Some("e")),
        ],
        has_parents: true,
    };
    let t = FolderTree::from_list(&list);
    assert_eq!(t.path_of("b").as_deref(), Some("/Movies/2024"));
    assert_eq!(t.id_of_path("/movies/2024").as_deref(), Some("b"));
    assert_eq!(t.id_of_path("/").as_deref(), Some("/"));
    assert_eq!(t.id_of_path("/Nope"), None);
    assert_eq!(t.path_of("d").as_deref(), Some("/orphan"));
    assert_eq!(t.path_of("e").as_deref(), Some("/loop1"));
    assert_eq!(t.path_of("f").as_deref(), Some("/loop2"));
    assert!(t.is_descendant("b", "a"));
    assert!(!t.is_descendant("a", "b"));
    let walk: Vec<String> = t.walk().into_iter().map(|(d, id)| format!("{d}{id}")).collect();
    assert_eq!(walk[0], "0c");
    assert!(walk.contains(&"1b".to_string()));
}

#[test]
fn flat_without_parent_ids() {
    let list = FoldersList {
        folders: vec![entry("a", "Movies", None), entry("b", "Sub", None)],
        has_parents: false,
    };
    let t = FolderTree::from_list(&list);
    assert!(!t.hierarchical);
    assert_eq!(t.children(ROOT).len(), 2);
    assert_eq!(t.path_of("b").as_deref(), Some("/Sub"));
}

const R: &str = "root000000001";
const DOCS: &str = "docs000000001";
const ARCH: &str = "arch000000001";
const TOP_ARCH: &str = "arch000000002";
const Y2024: &str = "y202400000001";

/// The reference's form: the root has its own id, parent of the top-level folders, unlisted.
fn reference_tree(names: [&str; 4]) -> FolderTree {
    FolderTree::from_list(&list(
        vec![
            entry(DOCS, names[0], Some(R)),
            entry(ARCH, names[1], Some(DOCS)),
            entry(TOP_ARCH, names[2], Some(R)),
            entry(Y2024, names[3], Some(ARCH)),
        ],
        true,
    ))
}

fn check_documents_tree(t: &FolderTree, form: &str) {
    assert!(t.hierarchical, "{form}");
    assert_eq!(t.path_of(ARCH).as_deref(), Some("/Documents/Archive"), "{form}");
    assert_eq!(t.path_of(TOP_ARCH).as_deref(), Some("/Archive"), "{form}");
    assert_eq!(
        t.path_of(Y2024).as_deref(),
        Some("/Documents/Archive/2024"),
        "{form}"
    );
    assert_eq!(
        t.id_of_path("/Documents/Archive").as_deref(),
        Some(ARCH),
        "{form}"
    );
    assert_eq!(
        t.id_of_path("Documents/Archive/2024").as_deref(),
        Some(Y2024),
        "{form}"
    );
    assert_eq!(t.id_of_path("/Archive").as_deref(), Some(TOP_ARCH), "{form}");
    assert_eq!(t.get(ARCH).map(|f| f.name.as_str()), Some("Archive"), "{form}");
    assert_eq!(t.parent(DOCS), Some(ROOT), "{form}");
    assert_eq!(
        t.children(ROOT),
        [TOP_ARCH.to_string(), DOCS.to_string()],
        "{form}"
    );
    let walk: Vec<(usize, String)> = t.walk();
    assert_eq!(
        walk,
        vec![
            (0, TOP_ARCH.to_string()),
            (0, DOCS.to_string()),
            (1, ARCH.to_string()),
            (2, Y2024.to_string())
        ],
        "{form}"
    );
}

#[test]
fn the_reference_form_nests_under_an_unlisted_root_id() {
    for (form, names) in [
        ("name", ["Documents", "Archive", "Archive", "2024"]),
        ("/name", ["/Documents", "/Archive", "/Archive", "/2024"]),
        (
            "full path",
            [
                "/Documents",
                "/Documents/Archive",
                "/Archive",
                "/Documents/Archive/2024",
            ],
        ),
    ] {
        let t = reference_tree(names);
        check_documents_tree(&t, form);
        assert_eq!(t.root_id(), Some(R), "{form}");
        assert_eq!(t.len(), 4);
    }
}

#[test]
fn the_root_id_is_the_root_everywhere() {
    let t = reference_tree(["Documents", "Archive", "Archive", "2024"]);
    assert_eq!(t.canonical(R), ROOT);
    assert_eq!(t.canonical(ROOT), ROOT);
    assert_eq!(t.canonical(DOCS), DOCS);
    assert!(t.is_root(R) && t.is_root(ROOT) && !t.is_root(DOCS));
    assert!(t.contains(R));
    assert!(t.get(R).is_none(), "the root has no record");
    assert_eq!(t.path_of(R).as_deref(), Some("/"));
    assert_eq!(t.children(R), t.children(ROOT));
    assert_eq!(t.parent(R), None);
    assert_eq!(t.parent(TOP_ARCH), Some(ROOT), "going up lands on /");
    assert!(t.is_descendant(Y2024, R));
    assert!(t.is_descendant(DOCS, ROOT));
    assert!(!t.is_descendant(R, DOCS));
    assert_eq!(t.child_named(R, "documents"), Ok(Some(DOCS.to_string())));
    assert_eq!(t.id_of_path("/Documents/..").as_deref(), Some(ROOT));
    assert_eq!(
        t.id_of_path("/Documents/./Archive/../Archive").as_deref(),
        Some(ARCH)
    );
    assert!(!t.contains("zzzzzzzzzzzzz"));
}

#[test]
fn slash_and_null_parents_are_the_root_too() {
    let t = FolderTree::from_list(&list(
        vec![
            entry(DOCS, "/Documents", None),
            entry(ARCH, "/Archive", Some(DOCS)),
            entry(TOP_ARCH, "/Archive", Some("/")),
            entry(Y2024, "/2024", Some(ARCH)),
        ],
        true,
    ));
    check_documents_tree(&t, "no root id");
    assert_eq!(t.root_id(), None);
}

#[test]
fn several_unlisted_parent_ids_the_most_frequent_is_the_root() {
    let t = FolderTree::from_list(&list(
        vec![
            entry("a0000", "A", Some("other")),
            entry("b0000", "B", Some(R)),
            entry("c0000", "C", Some(R)),
            entry("d0000", "D", Some("b0000")),
        ],
        true,
    ));
    assert_eq!(t.root_id(), Some(R));
    assert_eq!(t.path_of("a0000").as_deref(), Some("/A"));
    assert_eq!(t.path_of("d0000").as_deref(), Some("/B/D"));
    assert!(!t.is_root("other"));
    // A tie: the one seen first.
    let t = FolderTree::from_list(&list(
        vec![
            entry("a0000", "A", Some("first")),
            entry("b0000", "B", Some("second")),
        ],
        true,
    ));
    assert_eq!(t.root_id(), Some("first"));
}

#[test]
fn full_paths_without_parent_arrays_build_the_tree() {
    let t = FolderTree::from_list(&list(
        vec![
            entry(ARCH, "/Documents/Archive", None),
            entry(Y2024, "/Documents/Archive/2024", None),
            entry(DOCS, "/Documents", None),
            entry(TOP_ARCH, "/Archive", None),
        ],
        false,
    ));
    check_documents_tree(&t, "paths only");
    assert_eq!(t.root_id(), None);
    // A folder whose parent path is not listed goes under its nearest listed ancestor.
    let t = FolderTree::from_list(&list(
        vec![
            entry("a0000", "/A", None),
            entry("c0000", "/A/B/C", None),
            entry("z0000", "/X/Y/Z", None),
        ],
        false,
    ));
    assert!(t.hierarchical);
    assert_eq!(t.path_of("c0000").as_deref(), Some("/A/C"));
    assert_eq!(t.path_of("z0000").as_deref(), Some("/Z"));
}

#[test]
fn own_names_without_parent_arrays_are_flat_and_may_be_ambiguous() {
    let t = FolderTree::from_list(&list(
        vec![
            entry(DOCS, "/Documents", None),
            entry(ARCH, "/Archive", None),
            entry(TOP_ARCH, "/Archive", None),
        ],
        false,
    ));
    assert!(!t.hierarchical);
    assert_eq!(t.children(ROOT).len(), 3);
    let both = vec![ARCH.to_string(), TOP_ARCH.to_string()];
    assert_eq!(t.child_named(ROOT, "Archive"), Err(both.clone()));
    assert_eq!(t.id_of_path("/Archive"), None);
    assert_eq!(
        t.resolve_path("/Archive"),
        Err(PathError::Ambiguous {
            parent: "/".into(),
            name: "Archive".into(),
            candidates: both
        })
    );
    let msg = t.resolve_path("/archive").unwrap_err().to_string();
    assert!(msg.contains(ARCH) && msg.contains(TOP_ARCH), "{msg}");
}

#[test]
fn names_match_exactly_first_then_ignoring_case() {
    let t = FolderTree::from_list(&list(
        vec![
            entry("a0000", "Docs", None),
            entry("b0000", "docs", None),
            entry("c0000", "Été", None),
        ],
        false,
    ));
    assert_eq!(t.child_named(ROOT, "Docs"), Ok(Some("a0000".into())));
    assert_eq!(t.child_named(ROOT, "docs"), Ok(Some("b0000".into())));
    assert_eq!(
        t.child_named(ROOT, "DOCS"),
        Err(vec!["a0000".to_string(), "b0000".to_string()])
    );
    assert_eq!(t.child_named(ROOT, "ÉTÉ"), Ok(Some("c0000".into())));
    assert_eq!(t.child_named(ROOT, "nope"), Ok(None));
    assert_eq!(t.child_named("unknown", "Docs"), Ok(None));
    assert_eq!(
        t.resolve_path("/Docs/Sub"),
        Err(PathError::Missing {
            parent: "/Docs".into(),
            name: "Sub".into()
        })
    );
}

#[test]
fn loops_and_self_parents_stay_safe() {
    let t = FolderTree::from_list(&list(
        vec![
            entry("self0", "Self", Some("self0")),
            entry("e0000", "E", Some("f0000")),
            entry("f0000", "F", Some("e0000")),
            entry("g0000", "G", Some("e0000")),
            entry("h0000", "H", Some("g0000")),
        ],
        true,
    ));
    assert_eq!(t.path_of("self0").as_deref(), Some("/Self"));
    assert_eq!(t.path_of("e0000").as_deref(), Some("/E"));
    assert_eq!(t.path_of("f0000").as_deref(), Some("/F"));
    assert_eq!(
        t.path_of("h0000").as_deref(),
        Some("/E/G/H"),
        "below a loop: kept"
    );
    assert_eq!(t.walk().len(), 5);
    assert!(!t.is_descendant("e0000", "f0000"));
    assert_eq!(t.root_id(), None);
}

#[test]
fn odd_entries_never_panic() {
    let t = FolderTree::from_list(&list(
        vec![
            entry("", "empty id", Some(R)),
            entry("/", "the root", None),
            entry("a0000", "", Some(R)),
            entry("a0000", "twice", Some(R)),
            entry("b0000", "///", Some("  ")),
        ],
        true,
    ));
    assert_eq!(t.len(), 2);
    assert_eq!(t.get("a0000").map(|f| f.name.as_str()), Some(""));
    assert_eq!(t.path_of("b0000").as_deref(), Some("/"));
    assert_eq!(FolderTree::default().resolve_path(""), Ok(ROOT.to_string()));
}

#[test]
fn the_root_id_can_be_learnt_later() {
    let mut t = FolderTree::from_list(&list(vec![entry(DOCS, "Documents", None)], false));
    assert_eq!(t.root_id(), None);
    assert!(!t.learn_root_id(""));
    assert!(!t.learn_root_id(ROOT));
    assert!(!t.learn_root_id(DOCS), "a listed folder is not the root");
    assert!(t.learn_root_id(R));
    assert!(t.learn_root_id(R));
    assert!(!t.learn_root_id("other"));
    assert_eq!(t.root_id(), Some(R));
    assert!(t.contains(R));
    assert_eq!(t.children(R), [DOCS.to_string()]);
    assert_eq!(t.path_of(R).as_deref(), Some("/"));
}
