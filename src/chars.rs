//! Character classes that reading, indexing and querying must agree on.

/// CJK unified ideographs (and extension A): the characters Chinese words and place
/// names are made of.
pub fn is_ideograph(ch: char) -> bool {
    matches!(ch, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// True for characters that carry no searchable content on their own: punctuation,
/// symbols and white space.
pub fn is_punctuation_or_space(ch: char) -> bool {
    ch.is_whitespace() || !ch.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographs_and_punctuation() {
        assert!(is_ideograph('法') && is_ideograph('㐀'));
        assert!(!is_ideograph('A') && !is_ideograph('，'));
        assert!(is_punctuation_or_space('“') && is_punctuation_or_space('\u{3000}'));
        assert!(!is_punctuation_or_space('5') && !is_punctuation_or_space('治'));
    }
}
