use super::listing::*;
use crate::api::FileItem;
use chrono::{TimeZone, Utc};

pub fn file(id: &str, name: &str, size: u64, day: u32) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(false),
        size: Some(size),
        date_created: Utc.with_ymd_and_hms(2024, 1, day.clamp(1, 28), 0, 0, 0).single(),
        ..FileItem::default()
    }
}

pub fn folder(id: &str, name: &str) -> FileItem {
    FileItem {
        id: id.into(),
        name: Some(name.into()),
        is_folder: Some(true),
        ..FileItem::default()
    }
}

fn names(l: &Listing) -> Vec<String> {
    l.rows(0, usize::MAX).map(|(_, e)| e.name.clone()).collect()
}

#[test]
fn folders_first_then_by_name_or_size_or_date() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(vec![
        file("a", "b.txt", 10, 3),
        folder("f", "Zeta"),
        file("b", "A.txt", 30, 1),
        file("c", "c.txt", 20, 2),
    ]);
    assert_eq!(names(&l), ["Zeta", "A.txt", "b.txt", "c.txt"]);
    l.set_sort(Sort {
        key: SortKey::Size,
        desc: true,
    });
    assert_eq!(names(&l), ["Zeta", "A.txt", "c.txt", "b.txt"]);
    l.set_sort(Sort {
        key: SortKey::Date,
        desc: true,
    });
    assert_eq!(names(&l), ["Zeta", "b.txt", "c.txt", "A.txt"]);
    l.set_sort(Sort {
        key: SortKey::Name,
        desc: true,
    });
    assert_eq!(names(&l), ["Zeta", "c.txt", "b.txt", "A.txt"]);
}

#[test]
fn cursor_follows_its_item_through_sort_filter_and_pages() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(vec![
        file("a", "alpha", 1, 1),
        file("b", "beta", 2, 2),
        file("c", "gamma", 3, 3),
    ]);
    l.set_cursor(1);
    assert_eq!(l.current().unwrap().id(), "b");
    l.set_sort(Sort {
        key: SortKey::Size,
        desc: true,
    });
    assert_eq!(l.current().unwrap().id(), "b");
    l.append(vec![file("d", "aaa first", 4, 4)]);
    assert_eq!(l.current().unwrap().id(), "b");
    l.set_filter("ta");
    assert_eq!(names(&l), ["beta"]);
    assert_eq!(l.current().unwrap().id(), "b");
    l.set_filter("");
    assert_eq!(l.len(), 4);
    assert_eq!(l.current().unwrap().id(), "b");
}

#[test]
fn filter_is_case_insensitive_and_narrows_incrementally() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(vec![
        file("a", "Big Buck Bunny.mp4", 1, 1),
        file("b", "bunny ears.jpg", 2, 2),
        file("c", "Sintel.mkv", 3, 3),
    ]);
    l.set_filter("b");
    assert_eq!(l.len(), 2);
    l.set_filter("bun");
    assert_eq!(l.len(), 2);
    l.set_filter("bun mp4");
    assert_eq!(names(&l), ["Big Buck Bunny.mp4"]);
    // Shorter again: rebuilt from the full list, not from the narrowed view.
    l.set_filter("s");
    assert_eq!(l.len(), 2, "{:?}", names(&l));
}

#[test]
fn escape_sequences_never_reach_the_name() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(vec![file("x", "\u{1b}[31mred\u{1b}[0m.txt", 1, 1)]);
    assert_eq!(l.current().unwrap().name, "red.txt");
}

#[test]
fn selection_ranges_and_all() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(
        (0..10)
            .map(|i| file(&format!("id{i}"), &format!("f{i}"), i, 1))
            .collect(),
    );
    l.set_cursor(2);
    l.anchor = l.current().map(|e| e.id().to_string());
    l.set_cursor(5);
    assert_eq!(l.range(), Some((2, 5)));
    assert_eq!(l.commit_range(), 4);
    assert_eq!(l.selected.len(), 4);
    assert!(l.anchor.is_none());
    assert!(l.toggle_all());
    assert_eq!(l.selected.len(), 10);
    assert!(!l.toggle_all());
    assert!(l.selected.is_empty());
    l.set_filter("f1");
    l.toggle_all();
    assert_eq!(l.selected_in_order(), vec!["id1".to_string()]);
}

#[test]
fn remove_and_modify_keep_views_right() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(vec![
        file("a", "a", 1, 1),
        file("b", "b", 1, 1),
        file("c", "c", 1, 1),
    ]);
    l.selected.insert("b".into());
    l.remove(&["b".to_string()]);
    assert_eq!(names(&l), ["a", "c"]);
    assert!(l.selected.is_empty());
    l.modify("a", |it| it.name = Some("z".into()));
    assert_eq!(names(&l), ["c", "z"]);
    assert!(l.get("a").is_some());
}

#[test]
fn scroll_keeps_the_cursor_on_screen() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(
        (0..100)
            .map(|i| file(&format!("{i:03}"), &format!("{i:03}"), 1, 1))
            .collect(),
    );
    l.set_cursor(50);
    l.scroll_into_view(10);
    assert_eq!(l.offset, 41);
    l.set_cursor(3);
    l.scroll_into_view(10);
    assert_eq!(l.offset, 3);
    l.set_cursor(99);
    l.scroll_into_view(10);
    assert_eq!(l.offset, 90);
}

/// 50,000 entries: the operations done per key stay cheap (generous bound, debug build).
#[test]
fn fifty_thousand_files_stay_usable() {
    let mut l = Listing::default();
    l.reset("/", 1);
    for page in 0..5 {
        let items = (0..10_000).map(|i| {
            let n = page * 10_000 + i;
            file(&format!("b{n:012}"), &format!("big-{n:06}.bin"), n as u64, 1)
        });
        l.append(items.collect());
    }
    assert_eq!(l.len(), 50_000);
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        l.move_by(1);
        l.scroll_into_view(40);
        let _rows: Vec<_> = l.rows(l.offset, 40).collect();
    }
    for f in ["4", "49", "499", "4999"] {
        l.set_filter(f);
    }
    // big-0?4999 (5) and big-04999? (10)
    assert_eq!(l.len(), 15);
    assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
}

#[test]
fn folders_stay_first_and_a_to_z_when_the_key_does_not_order_them() {
    let mut l = Listing::default();
    l.reset("/", 1);
    l.append(vec![
        folder("fa", "Alpha"),
        file("s", "small", 1, 1),
        folder("fz", "Zeta"),
        file("b", "big", 9, 2),
        folder("fm", "Music"),
    ]);
    let largest = Sort {
        key: SortKey::Size,
        desc: true,
    };
    l.set_sort(largest);
    assert_eq!(
        names(&l),
        ["Alpha", "Music", "Zeta", "big", "small"],
        "not Z to A"
    );
    l.set_sort(largest.reversed());
    assert_eq!(l.sort().label(), "smallest first");
    assert_eq!(names(&l), ["Alpha", "Music", "Zeta", "small", "big"]);
    // Only a sort by name turns the names round, folders still first.
    l.set_sort(Sort::default().reversed());
    assert_eq!(names(&l), ["Zeta", "Music", "Alpha", "small", "big"]);
}

#[test]
fn folders_can_be_sorted_in_among_the_files_and_that_survives_a_new_folder() {
    let mut l = Listing::default();
    l.set_folders_first(false);
    l.reset("/", 1);
    assert!(!l.folders_first());
    l.append(vec![
        file("b", "beta", 5, 1),
        folder("fa", "Alpha"),
        file("g", "gamma", 7, 2),
        folder("fd", "Delta"),
    ]);
    assert_eq!(names(&l), ["Alpha", "beta", "Delta", "gamma"]);
    l.set_sort(Sort {
        key: SortKey::Size,
        desc: true,
    });
    assert_eq!(
        names(&l),
        ["gamma", "beta", "Alpha", "Delta"],
        "no size: last, by name"
    );
    l.set_folders_first(true);
    assert_eq!(names(&l), ["Alpha", "Delta", "gamma", "beta"]);
}

#[test]
fn reversing_keeps_each_key_and_flips_its_direction() {
    for s in Sort::MENU {
        let r = s.reversed();
        assert_eq!((r.key, r.desc), (s.key, !s.desc));
        assert!(Sort::MENU.contains(&r), "{} has its menu entry", r.label());
        assert_eq!(r.reversed(), s);
    }
}
