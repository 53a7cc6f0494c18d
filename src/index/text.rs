//! Strings of the finder's names, held compactly: the bytes of many names in one shared
//! chunk, each name a 16-byte handle (the chunk and a range) instead of an allocation of its own.

use rusqlite::types::ValueRef;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Bytes of one chunk (a longer string gets a chunk of its own).
pub(crate) const CHUNK: usize = 1 << 20;

/// A string inside a shared chunk.
#[derive(Clone, Default)]
pub struct Text {
    chunk: Arc<String>,
    start: u32,
    len: u32,
}

impl Text {
    pub fn as_str(&self) -> &str {
        let (start, len) = (self.start as usize, self.len as usize);
        self.chunk.get(start..start + len).unwrap_or_default()
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a string went in the chunk being filled.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

/// The chunk being filled: strings are pushed, then the chunk is sealed and the spans become
/// [`Text`]s of it.
#[derive(Debug, Default)]
pub(crate) struct Filling {
    buf: String,
}

impl Filling {
    /// Whether `more` bytes would overflow the chunk (an empty chunk takes anything).
    pub(crate) fn full_for(&self, more: usize) -> bool {
        !self.buf.is_empty() && self.buf.len() + more > CHUNK
    }

    /// Append `s` (a string too long for a handle is cut at a character boundary: at most
    /// 4 GiB, more than SQLite holds in a value).
    pub(crate) fn push(&mut self, s: &str) -> Span {
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(CHUNK.max(s.len()));
        }
        let room = (u32::MAX as usize).saturating_sub(self.buf.len());
        let mut cut = s.len().min(room);
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        let start = self.buf.len() as u32;
        self.buf.push_str(&s[..cut]);
        Span {
            start,
            len: cut as u32,
        }
    }

    /// The chunk, shared, with the filling started anew.
    pub(crate) fn seal(&mut self) -> Arc<String> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.shrink_to_fit();
        Arc::new(buf)
    }
}

/// The text of `span` in a sealed chunk.
pub(crate) fn text(chunk: &Arc<String>, span: Span) -> Text {
    Text {
        chunk: chunk.clone(),
        start: span.start,
        len: span.len,
    }
}

/// A text column read leniently: bytes that are not UTF-8 become replacement characters, a
/// number its digits, NULL nothing.
pub(crate) fn lenient<'a>(v: ValueRef<'a>) -> Cow<'a, str> {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => String::from_utf8_lossy(b),
        ValueRef::Integer(i) => Cow::Owned(i.to_string()),
        ValueRef::Real(f) => Cow::Owned(f.to_string()),
        ValueRef::Null => Cow::Borrowed(""),
    }
}
