//! The names the service accepts for folders (and, by the same rule, for renamed files).

use std::fmt;

pub const MIN_NAME: usize = 3;
pub const MAX_NAME: usize = 255;

/// Why a name would be refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Fewer than `MIN_NAME` characters (after trimming); the count.
    TooShort(usize),
    /// More than `MAX_NAME` characters; the count.
    TooLong(usize),
    /// A `/` or a control character.
    BadCharacter,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::TooShort(0) => write!(f, "type a name"),
            NameError::TooShort(n) => write!(
                f,
                "the name is too short ({n}): names need at least {MIN_NAME} characters"
            ),
            NameError::TooLong(n) => write!(
                f,
                "the name is too long ({n}): names may be at most {MAX_NAME} characters"
            ),
            NameError::BadCharacter => write!(f, "names may not contain '/' or control characters"),
        }
    }
}

impl std::error::Error for NameError {}

/// `name` (trimmed, as it will be sent) is 3 to 255 characters without `/` or control
/// characters.
pub fn check_folder_name(name: &str) -> Result<(), NameError> {
    let n = name.trim();
    if n.contains('/') || n.chars().any(char::is_control) {
        return Err(NameError::BadCharacter);
    }
    let count = n.chars().count();
    if count < MIN_NAME {
        return Err(NameError::TooShort(count));
    }
    if count > MAX_NAME {
        return Err(NameError::TooLong(count));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_three_to_255_characters_without_slashes() {
        assert_eq!(check_folder_name("  "), Err(NameError::TooShort(0)));
        assert_eq!(check_folder_name(" ab "), Err(NameError::TooShort(2)));
        assert!(
            check_folder_name("ab")
                .unwrap_err()
                .to_string()
                .contains("at least 3")
        );
        assert_eq!(check_folder_name("abc"), Ok(()));
        assert_eq!(check_folder_name("ééé"), Ok(()));
        assert_eq!(check_folder_name(&"x".repeat(255)), Ok(()));
        assert_eq!(check_folder_name(&"x".repeat(256)), Err(NameError::TooLong(256)));
        assert_eq!(check_folder_name("a/bc"), Err(NameError::BadCharacter));
        assert_eq!(check_folder_name("ab\u{7}c"), Err(NameError::BadCharacter));
    }
}
