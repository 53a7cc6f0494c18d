//! File items read leniently field by field (`FileItem`'s `Deserialize`), and getFilesList's
//! pages read straight from the reply's bytes: the envelope's few fields as JSON values, the
//! `files` item by item, without a JSON tree of the whole page in between.
//!
//! The rules are those of `lenient`: a field of the wrong type is None (or empty), an unknown
//! field is skipped, an item that is not an object is skipped (logged), a repeated field takes
//! its last value. Only text that is not JSON fails, and then the page is read the long way
//! (`decode::envelope`, which repairs the reference's slips).

use super::decode::{self, Object};
use super::error::ApiError;
use super::lenient as l;
use super::shapes::fix_item;
use super::types::{Access, FileItem};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, de};
use serde_json::Value;
use std::fmt;

/// The fields of an item that are kept.
enum Field {
    Id,
    Name,
    IsFolder,
    IsAvailable,
    Free,
    Access,
    Created,
    Size,
    Md5,
    Parent,
    Extended,
    Video,
    Other,
}

impl Field {
    fn of(name: &str) -> Field {
        match name {
            "id" => Field::Id,
            "name" => Field::Name,
            "is_folder" => Field::IsFolder,
            "is_available" => Field::IsAvailable,
            "isAvailableForFree" => Field::Free,
            "access" => Field::Access,
            "date_created" | "created_at" => Field::Created,
            "size" => Field::Size,
            "md5" => Field::Md5,
            "parent_id" => Field::Parent,
            "extended_info" => Field::Extended,
            "video_info" => Field::Video,
            _ => Field::Other,
        }
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Field, E> {
                Ok(Field::of(s))
            }
            fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Field, E> {
                Ok(std::str::from_utf8(b).map_or(Field::Other, Field::of))
            }
        }
        d.deserialize_identifier(Name)
    }
}

/// An optional nested record: anything but an object, or an object that does not decode, is None.
fn nested<T: de::DeserializeOwned>(v: Value) -> Option<T> {
    if v.is_object() {
        serde_json::from_value(v).ok()
    } else {
        None
    }
}

fn access(v: &Value) -> Option<Access> {
    match v {
        Value::String(s) => Access::parse(s),
        _ => l::to_string(v).and_then(|s| Access::parse(&s)),
    }
}

fn set(item: &mut FileItem, field: Field, v: Value) {
    match field {
        Field::Id => item.id = l::into_string(v).unwrap_or_default(),
        Field::Name => item.name = l::into_string(v),
        Field::IsFolder => item.is_folder = l::to_bool(&v),
        Field::IsAvailable => item.is_available = l::to_bool(&v),
        Field::Free => item.is_available_for_free = l::to_bool(&v),
        Field::Access => item.access = access(&v),
        Field::Created => item.date_created = l::to_datetime(&v),
        Field::Size => item.size = l::to_u64(&v),
        Field::Md5 => item.md5 = l::into_string(v),
        Field::Parent => item.parent_id = l::into_string(v),
        Field::Extended => item.extended_info = nested(v),
        Field::Video => item.video_info = nested(v),
        Field::Other => {}
    }
}

/// An item's fields, from any map (a JSON object in the text, or a `Value`).
fn item_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<FileItem, A::Error> {
    let mut item = FileItem::default();
    while let Some(field) = map.next_key::<Field>()? {
        if let Field::Other = field {
            map.next_value::<IgnoredAny>()?;
        } else {
            let v: Value = map.next_value()?;
            set(&mut item, field, v);
        }
    }
    Ok(item)
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = FileItem;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file item (an object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FileItem, A::Error> {
        item_from_map(map)
    }
}

impl<'de> Deserialize<'de> for FileItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FileItem, D::Error> {
        d.deserialize_map(ItemVisitor)
    }
}

/// One entry of a list: an item, or None for anything that is not an object (skipped, never a
/// failed list).
struct MaybeItem(Option<FileItem>);

impl<'de> Deserialize<'de> for MaybeItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MaybeItem, D::Error> {
        d.deserialize_any(MaybeVisitor).map(MaybeItem)
    }
}

struct MaybeVisitor;

/// Anything that is not an object: skipped.
macro_rules! skip_scalars {
    ($($name:ident: $t:ty),*) => {
        $(fn $name<E: de::Error>(self, _: $t) -> Result<Self::Value, E> {
            Ok(Default::default())
        })*
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}

impl<'de> Visitor<'de> for MaybeVisitor {
    type Value = Option<FileItem>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file item")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        item_from_map(map).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    skip_scalars!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// `files`: a list (bad entries skipped), one object (a one-item list), or anything else
/// (empty). `capacity` is the page size asked for, so that a full page is not grown by doubling.
struct Items {
    capacity: usize,
}

impl<'de> DeserializeSeed<'de> for Items {
    type Value = Vec<FileItem>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<FileItem>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Items {
    type Value = Vec<FileItem>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of file items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(self.capacity);
        while let Some(MaybeItem(entry)) = seq.next_element()? {
            match entry {
                Some(item) => out.push(fix_item(item)),
                None => tracing::warn!("skipping an undecodable item: not an object"),
            }
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        item_from_map(map).map(|item| vec![fix_item(item)])
    }
    skip_scalars!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// A whole reply: the envelope's other fields, and `files` read by `Items`.
struct Page {
    capacity: usize,
}

impl<'de> DeserializeSeed<'de> for Page {
    type Value = (Object, Vec<FileItem>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Page {
    type Value = (Object, Vec<FileItem>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut rest, mut files) = (Object::new(), Vec::new());
        while let Some(key) = map.next_key::<String>()? {
            if key == "files" {
                files = map.next_value_seed(Items {
                    capacity: self.capacity,
                })?;
            } else {
                let v: Value = map.next_value()?;
                rest.insert(key, v);
            }
        }
        Ok((rest, files))
    }
}

/// getFilesList's reply: its items, or the error its envelope carries. `capacity`: the page
/// size asked for.
pub(super) fn files_page(
    method: &str,
    http: u16,
    body: &[u8],
    capacity: usize,
) -> Result<Vec<FileItem>, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let direct = Page {
        capacity: capacity.min(10_000),
    }
    .deserialize(&mut de)
    .and_then(|page| de.end().map(|()| page));
    match direct {
        Ok((rest, files)) => decode::check_envelope(method, http, rest, decode::refuse).map(|_| files),
        // Not strict JSON (or not an object): the long way, with its repairs and its errors.
        Err(_) => {
            let mut map = decode::envelope(method, http, body)?;
            Ok(super::shapes::file_items_owned(map.remove("files")))
        }
    }
}
