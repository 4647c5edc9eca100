//! How long a line is in characters, asked cheaply: the reading stages ask it of every line,
//! often of lines thousands of characters long.

/// True when `text` has more than `n` characters, as `text.chars().nth(n).is_some()`, without
/// walking a long line character by character: a UTF-8 character takes one to four bytes, so
/// the byte length alone answers unless it lies between `n` and `4n`.
pub fn more_chars_than(text: &str, n: usize) -> bool {
    if text.len() <= n {
        false
    } else if text.len() > n.saturating_mul(4) {
        true
    } else {
        text.chars().count() > n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_walking_the_characters() {
        let texts = [
            "",
            "a",
            "新",
            "ab",
            "新县",
            "a新",
            "😀",
            "😀😀a",
            "é\u{a0}新县\u{3000}城区😀",
        ];
        for text in texts {
            for n in 0..=12 {
                assert_eq!(
                    more_chars_than(text, n),
                    text.chars().nth(n).is_some(),
                    "{text:?} {n}"
                );
            }
        }
        // Lengths at the edges of the byte bounds: n bytes, 4n bytes and one more.
        for (unit, n) in [("a", 5), ("新", 5), ("😀", 5), ("😀", 4), ("新", 7)] {
            for count in 0..=4 * n + 1 {
                let text = unit.repeat(count);
                assert_eq!(
                    more_chars_than(&text, n),
                    count > n,
                    "{unit} x {count}, {n}"
                );
            }
        }
        assert!(!more_chars_than("a", usize::MAX));
    }
}
