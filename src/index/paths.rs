//! The folder tree as the index holds it: paths of folders, children, a folder by path or id.

use super::{Index, Result};
use std::collections::HashMap;

pub const ROOT: &str = "/";

/// Every folder of the index, the root ("/") included.
#[derive(Debug, Default, Clone)]
pub struct Folders {
    /// id -> (parent, name)
    by_id: HashMap<String, (Option<String>, String)>,
    /// parent -> child ids, sorted by name
    children: HashMap<String, Vec<String>>,
}

impl Folders {
    pub fn load(index: &Index) -> Result<Folders> {
        let mut stmt = index
            .conn()
            .prepare("SELECT id, parent, name FROM folders ORDER BY name, id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut f = Folders::default();
        for row in rows {
            let (id, parent, name) = row?;
            if let Some(p) = &parent
                && id != ROOT
            {
                f.children.entry(p.clone()).or_default().push(id.clone());
            }
            f.by_id.insert(id, (parent, name));
        }
        Ok(f)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn children(&self, id: &str) -> &[String] {
        self.children.get(id).map_or(&[], |v| v.as_slice())
    }

    pub fn name(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(|(_, n)| n.as_str())
    }

    pub fn parent(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).and_then(|(p, _)| p.as_deref())
    }

    /// "/Movies/2024" for a folder, "/" for the root; a folder whose parents are unknown (or
    /// that loops) is shown under the root.
    pub fn path_of(&self, id: &str) -> String {
        let mut parts = Vec::new();
        let mut cur = id;
        for _ in 0..=self.by_id.len() {
            if cur == ROOT {
                break;
            }
            let Some((parent, name)) = self.by_id.get(cur) else {
                break;
            };
            parts.push(name.as_str());
            match parent {
                Some(p) => cur = p,
                None => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// The path of a file named `name` in folder `parent`.
    pub fn file_path(&self, parent: &str, name: &str) -> String {
        let dir = self.path_of(parent);
        if dir == ROOT {
            format!("/{name}")
        } else {
            format!("{dir}/{name}")
        }
    }

    /// A folder named by its id or its path ("/", "/Movies/2024", "Movies/2024").
    pub fn resolve(&self, spec: &str) -> Option<String> {
        let spec = spec.trim();
        if self.by_id.contains_key(spec) {
            return Some(spec.to_string());
        }
        let mut cur = ROOT.to_string();
        for part in spec.split('/').filter(|p| !p.is_empty()) {
            let next = self.children(&cur).iter().find(|c| self.name(c) == Some(part))?;
            cur = next.clone();
        }
        Some(cur)
    }

    /// `id` and every folder below it.
    pub fn below(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![id.to_string()];
        while let Some(cur) = stack.pop() {
            if out.len() > self.by_id.len() {
                break;
            }
            stack.extend(self.children(&cur).iter().rev().cloned());
            out.push(cur);
        }
        out
    }
}
