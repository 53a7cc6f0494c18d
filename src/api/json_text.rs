//! Reading a reply's JSON text, strictly first, then with the repairs the API reference's own
//! examples need: single-quoted strings (`['k2s.cc']`), a trailing comma before `}` or `]`, and
//! a missing comma between two values (`"message":"..." "errors":[...]`).
//!
//! A repair is tried only when the strict parse fails, and its result is used only when it
//! parses; otherwise the strict error is reported. None of the repairs can change the meaning
//! of valid JSON: valid JSON never has two values side by side, a comma before a closing
//! bracket, or a single quote outside a string.

use serde_json::Value;

/// Parse `body` as JSON, repairing the reference's slips when the strict parse fails.
pub(super) fn parse(body: &[u8]) -> Result<Value, serde_json::Error> {
    match serde_json::from_slice(body) {
        Ok(v) => Ok(v),
        Err(strict) => {
            let repaired = std::str::from_utf8(body).ok().and_then(repair);
            match repaired.map(|t| serde_json::from_str::<Value>(&t)) {
                Some(Ok(v)) => {
                    tracing::debug!("a reply that is not strict JSON was read after a repair ({strict})");
                    Ok(v)
                }
                _ => Err(strict),
            }
        }
    }
}

/// What the last significant token was: after a value, another value needs a comma first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Open,
    Value,
}

/// The repaired text, or None when it contains something no repair handles (or is cut short).
fn repair(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    let mut last = Last::Open;
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => out.push(c),
            '"' | '\'' => {
                if last == Last::Value {
                    out.push(',');
                }
                string(&mut chars, c, &mut out)?;
                last = Last::Value;
            }
            ',' => {
                let rest = text.get(i + 1..)?.trim_start();
                if !(rest.starts_with('}') || rest.starts_with(']')) {
                    out.push(',');
                }
                last = Last::Open;
            }
            ':' => {
                out.push(':');
                last = Last::Open;
            }
            '{' | '[' => {
                if last == Last::Value {
                    out.push(',');
                }
                out.push(c);
                last = Last::Open;
            }
            '}' | ']' => {
                out.push(c);
                last = Last::Value;
            }
            c if c.is_ascii_alphanumeric() || c == '-' => {
                if last == Last::Value {
                    out.push(',');
                }
                out.push(c);
                while let Some(&(_, n)) = chars.peek() {
                    if !(n.is_ascii_alphanumeric() || matches!(n, '-' | '+' | '.')) {
                        break;
                    }
                    out.push(n);
                    chars.next();
                }
                last = Last::Value;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Copy one string that opened with `quote` as a double-quoted JSON string.
fn string(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    quote: char,
    out: &mut String,
) -> Option<()> {
    out.push('"');
    loop {
        let (_, c) = chars.next()?;
        match c {
            '\\' => {
                let (_, e) = chars.next()?;
                if e == '\'' {
                    out.push('\'');
                } else {
                    out.push('\\');
                    out.push(e);
                }
            }
            c if c == quote => {
                out.push('"');
                return Some(());
            }
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn strict_json_is_read_as_it_is() {
        let v = parse(br#"{"a":"it's, [fine]","b":[1,2]}"#).unwrap();
        assert_eq!(v, json!({"a":"it's, [fine]","b":[1,2]}));
    }

    #[test]
    fn the_reference_slips_are_repaired() {
        let v = parse(b"{\"domains\":['k2s.cc', 'say \"hi\"', 'it\\'s']}").unwrap();
        assert_eq!(v, json!({"domains":["k2s.cc", "say \"hi\"", "it's"]}));
        let v = parse(b"{\"status\":\"success\",\n\"code\":202,\n}").unwrap();
        assert_eq!(v, json!({"status":"success","code":202}));
        let v = parse(b"{\"items\":[{\"a\":1,},],}").unwrap();
        assert_eq!(v, json!({"items":[{"a":1}]}));
        let v = parse(b"{\"message\":\"x\"\n  \"errors\":[{\"code\":1}]\n}").unwrap();
        assert_eq!(v, json!({"message":"x","errors":[{"code":1}]}));
        let v = parse(b"{\"a\":true \"b\":null \"c\":-1.5e3 \"d\":{} \"e\":[]}").unwrap();
        assert_eq!(v, json!({"a":true,"b":null,"c":-1500.0,"d":{},"e":[]}));
    }

    #[test]
    fn what_cannot_be_repaired_keeps_the_strict_error() {
        for body in [
            &b"{\"status\":\"success\",\"files\":[{\"id\":\"ab"[..],
            b"<html><title>502</title></html>",
            b"",
            b"{'a' 'b'}",
            b"{\"a\":1}}",
            b"\xff\xfe",
        ] {
            assert!(parse(body).is_err(), "{:?}", String::from_utf8_lossy(body));
        }
        let e = parse(b"{\"status\":\"success\",\"files\":[{\"id\":\"ab").unwrap_err();
        assert!(e.is_eof());
    }
}
