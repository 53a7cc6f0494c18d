//! File metadata rules shared by the CLI and the TUI editor: the service's limits, validation
//! that names the field and the limit, and the patch that sends only what changed.

use crate::api::{FileMeta, MetaPatch};

pub const MAX_TITLE: usize = 255;
pub const MAX_ITEMS: usize = 50;

/// The three list fields, for messages and generic editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListField {
    Categories,
    Actresses,
    Tags,
}

impl ListField {
    pub const ALL: [ListField; 3] = [ListField::Categories, ListField::Actresses, ListField::Tags];
    pub fn name(self) -> &'static str {
        match self {
            ListField::Categories => "categories",
            ListField::Actresses => "actresses",
            ListField::Tags => "tags",
        }
    }
    pub fn singular(self) -> &'static str {
        match self {
            ListField::Categories => "category",
            ListField::Actresses => "actress",
            ListField::Tags => "tag",
        }
    }
    pub fn get(self, m: &FileMeta) -> &Vec<String> {
        match self {
            ListField::Categories => &m.categories,
            ListField::Actresses => &m.actresses,
            ListField::Tags => &m.tags,
        }
    }
    pub fn get_mut(self, m: &mut FileMeta) -> &mut Vec<String> {
        match self {
            ListField::Categories => &mut m.categories,
            ListField::Actresses => &mut m.actresses,
            ListField::Tags => &mut m.tags,
        }
    }
}

/// Why one more item can't join a list: empty, a duplicate (ignoring case), or the list is full.
pub fn check_new_item(field: ListField, list: &[String], item: &str) -> Result<String, String> {
    let item = item.trim();
    if item.is_empty() {
        return Err(format!("an empty {} is not allowed", field.singular()));
    }
    if item.chars().any(char::is_control) {
        return Err(format!(
            "a {} may not contain control characters",
            field.singular()
        ));
    }
    if list.iter().any(|x| x.eq_ignore_ascii_case(item)) {
        return Err(format!("{} already has {item:?}", field.name()));
    }
    if list.len() >= MAX_ITEMS {
        return Err(format!("{} are full: at most {MAX_ITEMS} items", field.name()));
    }
    Ok(item.to_string())
}

/// Validate a whole record before sending: title length, list sizes, empty or duplicate items.
pub fn validate(m: &FileMeta) -> Result<(), String> {
    let n = m.title.chars().count();
    if n > MAX_TITLE {
        return Err(format!(
            "title is {n} characters: at most {MAX_TITLE} are allowed"
        ));
    }
    for f in ListField::ALL {
        let list = f.get(m);
        if list.len() > MAX_ITEMS {
            return Err(format!(
                "{} has {} items: at most {MAX_ITEMS} are allowed",
                f.name(),
                list.len()
            ));
        }
        for (i, item) in list.iter().enumerate() {
            if item.trim().is_empty() {
                return Err(format!("{} has an empty item", f.name()));
            }
            if list[..i].iter().any(|x| x.eq_ignore_ascii_case(item)) {
                return Err(format!("{} has {item:?} twice", f.name()));
            }
        }
    }
    Ok(())
}

/// The updateFileMeta body taking `old` to `new`: only changed fields, `Some(vec![])` to clear.
pub fn diff(old: &FileMeta, new: &FileMeta) -> MetaPatch {
    let s = |a: &String, b: &String| (a != b).then(|| b.clone());
    let l = |a: &Vec<String>, b: &Vec<String>| (a != b).then(|| b.clone());
    MetaPatch {
        title: s(&old.title, &new.title),
        description: s(&old.description, &new.description),
        studio: s(&old.studio, &new.studio),
        categories: l(&old.categories, &new.categories),
        actresses: l(&old.actresses, &new.actresses),
        tags: l(&old.tags, &new.tags),
    }
}

/// The createFileMeta body for a file with no metadata yet: every non-empty field.
pub fn create_body(new: &FileMeta) -> MetaPatch {
    diff(&FileMeta::default(), new)
}

/// `m` with `patch` applied (what the server will hold after a successful update).
pub fn apply(m: &FileMeta, patch: &MetaPatch) -> FileMeta {
    let mut out = m.clone();
    if let Some(t) = &patch.title {
        out.title = t.clone();
    }
    if let Some(t) = &patch.description {
        out.description = t.clone();
    }
    if let Some(t) = &patch.studio {
        out.studio = t.clone();
    }
    if let Some(v) = &patch.categories {
        out.categories = v.clone();
    }
    if let Some(v) = &patch.actresses {
        out.actresses = v.clone();
    }
    if let Some(v) = &patch.tags {
        out.tags = v.clone();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(title: &str, tags: &[&str]) -> FileMeta {
        FileMeta {
            title: title.into(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            ..FileMeta::default()
        }
    }

    #[test]
    fn diff_sends_only_changes_and_clears_with_empty_lists() {
        let old = meta("A", &["x", "y"]);
        let mut new = old.clone();
        new.tags.clear();
        let p = diff(&old, &new);
        assert_eq!(
            p,
            MetaPatch {
                tags: Some(vec![]),
                ..MetaPatch::default()
            }
        );
        assert!(diff(&old, &old).is_empty());
        assert_eq!(apply(&old, &p), new);
        let c = create_body(&meta("T", &[]));
        assert_eq!(
            c,
            MetaPatch {
                title: Some("T".into()),
                ..MetaPatch::default()
            }
        );
    }

    #[test]
    fn apply_sets_given_fields_clears_empty_lists_and_keeps_the_rest() {
        let old = FileMeta {
            file_id: "f1".into(),
            title: "Old".into(),
            description: "D".into(),
            studio: "S".into(),
            categories: vec!["c".into()],
            actresses: vec!["a".into()],
            tags: vec!["x".into(), "y".into()],
        };
        let patch = MetaPatch {
            title: Some("New".into()),
            studio: Some(String::new()),
            tags: Some(vec![]),
            actresses: Some(vec!["b".into()]),
            ..MetaPatch::default()
        };
        let new = apply(&old, &patch);
        assert_eq!(new.file_id, "f1");
        assert_eq!(new.title, "New");
        assert_eq!(new.description, "D");
        assert_eq!(new.studio, "");
        assert_eq!(new.categories, vec!["c".to_string()]);
        assert_eq!(new.actresses, vec!["b".to_string()]);
        assert!(new.tags.is_empty());
        // An empty patch changes nothing, and the diff back is the patch's own changes.
        assert_eq!(apply(&old, &MetaPatch::default()), old);
        assert_eq!(apply(&old, &diff(&old, &new)), new);
    }

    #[test]
    fn validation_names_field_and_limit() {
        let long = "x".repeat(300);
        assert!(validate(&meta(&long, &[])).unwrap_err().contains("at most 255"));
        let tags: Vec<String> = (0..51).map(|i| format!("t{i}")).collect();
        let m = FileMeta {
            tags,
            ..FileMeta::default()
        };
        assert!(validate(&m).unwrap_err().contains("tags has 51 items"));
        assert!(validate(&meta("ok", &["a", "A"])).unwrap_err().contains("twice"));
        assert!(validate(&meta("ok", &["a", "b"])).is_ok());
    }

    #[test]
    fn new_items_are_checked() {
        let list: Vec<String> = vec!["Rock".into()];
        assert!(check_new_item(ListField::Tags, &list, "  ").is_err());
        assert!(
            check_new_item(ListField::Tags, &list, "rock")
                .unwrap_err()
                .contains("already")
        );
        assert_eq!(check_new_item(ListField::Tags, &list, " jazz ").unwrap(), "jazz");
        let full: Vec<String> = (0..50).map(|i| i.to_string()).collect();
        assert!(
            check_new_item(ListField::Tags, &full, "new")
                .unwrap_err()
                .contains("at most 50")
        );
    }
}
