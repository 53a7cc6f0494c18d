//! Lenient field decoders for the K2S API (see `shared/k2s-field-notes.md`).
//!
//! Every decoder here deserializes a `serde_json::Value` first, which cannot fail on valid
//! JSON, and then converts it, falling back to `None` / empty. One odd field therefore never
//! fails a whole record, and `vec_lenient` drops single bad records instead of the whole list.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A number that may arrive as a JSON number, a decimal string, or null.
pub fn to_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.is_finite())
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| *f >= 0.0 && f.is_finite())
                    .map(|f| f as u64)
            })
        }
        Value::Bool(b) => Some(u64::from(*b)),
        _ => None,
    }
}

pub fn to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().filter(|f| f.is_finite()).map(|f| f as i64))
        }
        _ => None,
    }
}

pub fn to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// true/false, 1/0, "1"/"0", "true"/"false", "yes"/"no".
pub fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Some(true),
            "0" | "false" | "no" | "off" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A string; numbers are turned into their decimal text, null and others into None.
pub fn to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `to_string` of a value the caller gives up: a string is moved, not copied.
pub fn into_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        other => to_string(&other),
    }
}

/// Dates: "2019-01-01 00:00:01" (no zone, taken as UTC), ISO 8601 / RFC 3339,
/// unix seconds (number or digit string), `false`/null/"" meaning "none".
pub fn to_datetime(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .and_then(|s| Utc.timestamp_opt(s, 0).single()),
        Value::String(s) => parse_datetime(s),
        _ => None,
    }
}

pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000-00-00") {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .ok()
            .and_then(|n| Utc.timestamp_opt(n, 0).single());
    }
    if let Some(d) = plain_datetime(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&n));
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| Utc.from_utc_datetime(&n));
    }
    None
}

/// The service's usual form, "2019-01-01 00:00:01" (or with a `T`), read without a format
/// string: a listing has one or two per row, and chrono's format parsing dominated decoding.
fn plain_datetime(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b' ' | b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let time = date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)?;
    Some(Utc.from_utc_datetime(&time))
}

/// A list of strings; non-string items are converted or dropped; a non-list becomes empty
/// (a single string becomes a one-item list).
pub fn to_string_vec(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(to_string).collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

// ---- serde `deserialize_with` adapters (use with `#[serde(default, deserialize_with = ...)]`) ----

pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(to_u64(&Value::deserialize(d)?))
}
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(to_i64(&Value::deserialize(d)?))
}
pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(to_u64(&Value::deserialize(d)?).and_then(|n| u32::try_from(n).ok()))
}
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(to_f64(&Value::deserialize(d)?))
}
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(to_bool(&Value::deserialize(d)?))
}
pub fn bool_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(to_bool(&Value::deserialize(d)?).unwrap_or(false))
}
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(to_string(&Value::deserialize(d)?))
}
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(to_string(&Value::deserialize(d)?).unwrap_or_default())
}
pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(to_datetime(&Value::deserialize(d)?))
}
pub fn string_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(to_string_vec(&Value::deserialize(d)?))
}

/// A list whose bad items are skipped (logged) instead of failing the list. A non-list value
/// yields an empty list; a single object yields a one-item list.
pub fn vec_lenient<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(values_to_vec(Value::deserialize(d)?))
}

pub fn values_to_vec<T: DeserializeOwned>(v: Value) -> Vec<T> {
    let items = match v {
        Value::Array(a) => a,
        Value::Object(_) => vec![v],
        _ => return Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| match serde_json::from_value::<T>(item) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!("skipping an undecodable item: {e}");
                None
            }
        })
        .collect()
}

/// An optional nested object: anything that does not decode becomes None.
pub fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    if !v.is_object() {
        return Ok(None);
    }
    Ok(serde_json::from_value(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_form_reads_as_chrono_reads_it_and_refuses_what_is_no_date() {
        for s in [
            "2019-01-01 00:00:01",
            "2024-02-29T23:59:59",
            "1999-12-31 12:00:00",
        ] {
            let slow = NaiveDateTime::parse_from_str(&s.replace('T', " "), "%Y-%m-%d %H:%M:%S")
                .map(|n| Utc.from_utc_datetime(&n))
                .ok();
            assert!(slow.is_some());
            assert_eq!(plain_datetime(s), slow, "{s}");
            assert_eq!(parse_datetime(s), slow, "{s}");
        }
        for s in [
            "2023-02-29 00:00:00",
            "2019-13-01 00:00:00",
            "2019-01-01 24:00:00",
            "2019-01-01 0a:00:00",
            "2019/01/01 00:00:00",
            "2019-01-01 00:00:0",
        ] {
            assert_eq!(plain_datetime(s), None, "{s}");
        }
        assert_eq!(parse_datetime("2023-02-29 00:00:00"), None);
        // Other forms still go the long way.
        assert!(parse_datetime("2019-01-01T00:00:01Z").is_some());
        assert!(parse_datetime("2019-01-01 00:00:01.250").is_some());
    }
}
