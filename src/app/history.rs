//! Back and forward through the folders visited, as in a web browser or ranger: a bounded list
//! of visits on each side of the folder shown.

/// One folder visited: its id and the (id, name) chain from the root, so that the path shows
/// right even before the folder tree is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub folder: String,
    pub crumbs: Vec<(String, String)>,
}

/// Visits kept on each side.
pub const HISTORY_LIMIT: usize = 100;

#[derive(Debug, Clone, Default)]
pub struct History {
    /// Older visits, the most recent last.
    back: Vec<Visit>,
    /// Visits left by going back, the nearest last.
    forward: Vec<Visit>,
}

impl History {
    /// The user went from `from` to another folder (not by back or forward): `from` becomes
    /// the way back, and the way forward is forgotten.
    pub fn leave(&mut self, from: Visit) {
        if self.back.last() != Some(&from) {
            push_bounded(&mut self.back, from);
        }
        self.forward.clear();
    }

    /// The nearest visit back for which `usable` holds (the others, folders since deleted, are
    /// dropped), with `current` kept for going forward again.
    pub fn back(&mut self, current: Visit, usable: impl Fn(&Visit) -> bool) -> Option<Visit> {
        let to = pop_usable(&mut self.back, &current, usable)?;
        push_bounded(&mut self.forward, current);
        Some(to)
    }

    /// The nearest visit forward for which `usable` holds, with `current` kept for going back.
    pub fn forward(&mut self, current: Visit, usable: impl Fn(&Visit) -> bool) -> Option<Visit> {
        let to = pop_usable(&mut self.forward, &current, usable)?;
        push_bounded(&mut self.back, current);
        Some(to)
    }

    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }
    pub fn can_go_forward(&self) -> bool {
        !self.forward.is_empty()
    }
    /// How many visits each side holds (back, forward).
    pub fn depth(&self) -> (usize, usize) {
        (self.back.len(), self.forward.len())
    }
}

/// Pop visits until one is usable and not the folder shown.
fn pop_usable(v: &mut Vec<Visit>, current: &Visit, usable: impl Fn(&Visit) -> bool) -> Option<Visit> {
    while let Some(to) = v.pop() {
        if to.folder != current.folder && usable(&to) {
            return Some(to);
        }
    }
    None
}

fn push_bounded(v: &mut Vec<Visit>, visit: Visit) {
    if v.len() >= HISTORY_LIMIT {
        v.remove(0);
    }
    v.push(visit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(id: &str) -> Visit {
        Visit {
            folder: id.into(),
            crumbs: vec![(id.into(), id.to_uppercase())],
        }
    }

    fn any(_: &Visit) -> bool {
        true
    }

    #[test]
    fn back_and_forward_walk_the_visits_and_a_new_visit_drops_forward() {
        let mut h = History::default();
        assert_eq!(h.back(at("a"), any), None, "nothing to go back to");
        assert_eq!(h.depth(), (0, 0), "nor anything to come forward to");
        h.leave(at("a"));
        h.leave(at("b"));
        // Now at c.
        assert_eq!(h.back(at("c"), any), Some(at("b")));
        assert_eq!(h.back(at("b"), any), Some(at("a")));
        assert_eq!(h.back(at("a"), any), None);
        assert_eq!(h.forward(at("a"), any), Some(at("b")));
        assert!(h.can_go_forward());
        // A new visit from b forgets the way forward to c.
        h.leave(at("b"));
        assert!(!h.can_go_forward());
        assert_eq!(h.forward(at("d"), any), None);
        assert_eq!(h.depth(), (2, 0));
    }

    #[test]
    fn the_lists_are_bounded_and_gone_folders_are_skipped() {
        let mut h = History::default();
        for i in 0..HISTORY_LIMIT + 20 {
            h.leave(at(&format!("f{i}")));
        }
        assert_eq!(h.depth(), (HISTORY_LIMIT, 0));
        h.leave(at("f119"));
        assert_eq!(
            h.depth().0,
            HISTORY_LIMIT,
            "the same folder twice in a row is one visit"
        );
        let to = h.back(at("x"), |v| v.folder != "f119" && v.folder != "f118");
        assert_eq!(to, Some(at("f117")));
        assert_eq!(h.depth(), (HISTORY_LIMIT - 3, 1));
        assert_eq!(h.forward(at("f117"), any), Some(at("x")));
    }
}
