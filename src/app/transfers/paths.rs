//! Shell-like words for the upload dialog: paths separated by spaces, with '…' and "…" quoting
//! and backslash escapes; the word under the cursor for Tab completion; escaping a completed
//! path back into a word.

/// The words of a line ("a b" -> [a, b]; `"my file.txt"` and `my\ file.txt` are one word).
/// An unterminated quote runs to the end of the line.
pub fn split_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => match chars.next() {
                Some(n @ ('"' | '\\')) => cur.push(n),
                Some(n) => {
                    cur.push('\\');
                    cur.push(n);
                }
                None => cur.push('\\'),
            },
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// The word that ends at the cursor: where it starts (a char index) and its unquoted text.
/// After a space (outside quotes) it is an empty word starting at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordAt {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

pub fn word_at(line: &str, cursor: usize) -> WordAt {
    let before: String = line.chars().take(cursor).collect();
    let mut start = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in before.chars().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => escaped = true,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => escaped = true,
            (None, c) if c.is_whitespace() => start = i + 1,
            (None, _) => {}
        }
    }
    let raw: String = before.chars().skip(start).collect();
    let text = split_words(&raw).into_iter().next().unwrap_or_default();
    WordAt {
        start,
        end: cursor,
        text,
    }
}

/// A path as one word: spaces, quotes and backslashes escaped with a backslash.
pub fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_whitespace() || matches!(c, '\'' | '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// "dir/part" -> ("dir/", "part"); "part" -> ("", "part"); "~" -> ("", "~").
pub fn split_dir(word: &str) -> (&str, &str) {
    match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    }
}

/// The longest common prefix of the names (by characters).
pub fn common_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut it = names.into_iter();
    let Some(first) = it.next() else {
        return String::new();
    };
    let mut prefix: Vec<char> = first.chars().collect();
    for n in it {
        let common = prefix
            .iter()
            .zip(n.chars())
            .take_while(|(a, b)| **a == *b)
            .count();
        prefix.truncate(common);
    }
    prefix.into_iter().collect()
}

/// Replace the chars `start..end` of `line` with `with`; the new cursor (after `with`).
pub fn replace_range(line: &str, start: usize, end: usize, with: &str) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let mut out: String = chars[..start].iter().collect();
    out.push_str(with);
    let cursor = start + with.chars().count();
    out.extend(&chars[end..]);
    (out, cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_quotes_and_escapes() {
        assert_eq!(split_words("a b  c"), ["a", "b", "c"]);
        assert_eq!(
            split_words(r#""my file.txt" 'it''s' x\ y"#),
            ["my file.txt", "its", "x y"]
        );
        assert_eq!(split_words(r#""a \"q\" \\ \n""#), [r#"a "q" \ \n"#]);
        assert_eq!(split_words("  "), Vec::<String>::new());
        assert_eq!(split_words("\"\""), [""]);
        assert_eq!(split_words("\"open quote"), ["open quote"]);
        assert_eq!(split_words("日本 語"), ["日本", "語"]);
    }

    #[test]
    fn the_word_under_the_cursor() {
        let w = word_at("a.txt ~/Do", 10);
        assert_eq!((w.start, w.end, w.text.as_str()), (6, 10, "~/Do"));
        let w = word_at("a.txt ", 6);
        assert_eq!((w.start, w.text.as_str()), (6, ""));
        let w = word_at(r"x My\ Do", 8);
        assert_eq!((w.start, w.text.as_str()), (2, "My Do"));
        let w = word_at(r#""My Do"#, 6);
        assert_eq!((w.start, w.text.as_str()), (0, "My Do"));
        // The cursor in the middle: only what is before it counts.
        let w = word_at("abc def", 2);
        assert_eq!((w.start, w.end, w.text.as_str()), (0, 2, "ab"));
    }

    #[test]
    fn escape_round_trips() {
        for p in ["plain", "my file.txt", r#"q"uo'te\s"#, "写真 2024/"] {
            assert_eq!(split_words(&escape(p)), [p], "{p}");
        }
        assert_eq!(split_dir("~/Docs/re"), ("~/Docs/", "re"));
        assert_eq!(split_dir("re"), ("", "re"));
        assert_eq!(common_prefix(["report.pdf", "readme", "rest"]), "re");
        assert_eq!(common_prefix(["写真1", "写真2"]), "写真");
        assert_eq!(replace_range("ab cd", 3, 5, "xyz/"), ("ab xyz/".into(), 7));
    }
}
