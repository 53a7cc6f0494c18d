//! Counted nouns for messages and dialogs.

/// "1 file", "3 files": `n` and `noun`, with an "s" unless `n` is 1.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
