//! Folding characters that readers take for the same: full-width and half-width forms
//! (`１９５５年` and `1955年`, `ＡＢＣ` and `ABC`, `＋` and `+`), Latin case (`5g` and `5G`),
//! traditional and simplified characters (`調解委員會` and `调解委员会`).
//!
//! Loose matching compares folded characters, so it finds every written form of a phrase
//! while the highlights stay on the text as written. Traditional characters are mapped to
//! simplified ones one character at a time, with fast2s's table (OpenCC's characters): a
//! character-level mapping is what lets the character index be asked for every variant
//! of each character of a phrase.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The folded form of `ch`: half-width, lower case, simplified.
pub fn fold(ch: char) -> char {
    match usize::try_from(u32::from(ch)) {
        Ok(code) if code < BMP => folded_bmp()[code],
        // Outside the Basic Multilingual Plane: no width, case or script variants here.
        _ => ch,
    }
}

/// Every character that folds to the same as `ch`, `ch` included, in code point order.
pub fn variants(ch: char) -> Vec<char> {
    let folded = fold(ch);
    let mut all = vec![folded];
    if let Some(others) = unfolded().get(&folded) {
        all.extend(others);
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// `text` as a search looks its words up: full-width forms half-width and Latin letters
/// lower case (as the index's words are), and each character that has other script forms
/// in the form the index holds most often, by `occurrences` (the folded form on a tie).
///
/// Script forms are chosen by the index rather than always simplified, because the
/// conversion table also maps characters of everyday simplified text (`呵` of `呵护`,
/// `捍` of `捍卫`) to rarer variants: folded, such a word would not be found among the
/// index's words, and the query would be cut and ranked worse.
pub fn query_form(text: &str, occurrences: impl Fn(char) -> u64) -> String {
    text.chars()
        .map(|ch| {
            let ch = width_and_case(ch);
            let forms = variants(ch);
            if ch.is_ascii() || forms.len() == 1 {
                return ch;
            }
            let folded = fold(ch);
            forms
                .into_iter()
                .filter(|&form| width_and_case(form) == form)
                .max_by_key(|&form| (occurrences(form), form == folded))
                .unwrap_or(folded)
        })
        .collect()
}

/// Code points of the Basic Multilingual Plane.
const BMP: usize = 0x1_0000;

/// The folded form of every character of the Basic Multilingual Plane, by code point (a
/// surrogate, which is no character, maps to itself as U+FFFD, never a letter of a phrase).
fn folded_bmp() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..BMP as u32)
            .map(|code| char::from_u32(code).map_or(char::REPLACEMENT_CHARACTER, fold_one))
            .collect()
    })
}

/// The characters that fold to another, keyed by what they fold to.
fn unfolded() -> &'static HashMap<char, Vec<char>> {
    static TABLE: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<char, Vec<char>> = HashMap::new();
        for (code, &folded) in folded_bmp().iter().enumerate() {
            match char::from_u32(code as u32) {
                Some(ch) if ch != folded => table.entry(folded).or_default().push(ch),
                _ => {}
            }
        }
        table
    })
}

/// The half-width, lower-case form of `ch`.
fn width_and_case(ch: char) -> char {
    let ch = half_width(ch);
    let mut lower = ch.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        // Lower case of more than one character (İ): left as it is.
        _ => ch,
    }
}

/// Whether `ch` is a CJK ideograph, unified or compatibility: the only characters the
/// conversion table has traditional forms among.
fn is_ideograph(ch: char) -> bool {
    matches!(ch, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Folds one character, without the table.
fn fold_one(ch: char) -> char {
    if !is_ideograph(ch) {
        // Ideographs have no case and no full-width form; nothing else has a script form
        // (the table is built on a search's path: looking up only ideographs halves it).
        return width_and_case(ch);
    }
    let mut buffer = [0u8; 4];
    let simplified = fast2s::convert(ch.encode_utf8(&mut buffer));
    let mut chars = simplified.chars();
    match (chars.next(), chars.next()) {
        (Some(single), None) => single,
        _ => ch,
    }
}

/// The half-width form of a full-width ASCII character or the ideographic space.
fn half_width(ch: char) -> char {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(ch) - 0xFEE0).unwrap_or(ch),
        '\u{3000}' => ' ',
        _ => ch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        text.chars().map(fold).collect()
    }

    #[test]
    fn width_case_and_script_fold_to_one_form() {
        assert_eq!(folded("１９５５年"), "1955年");
        assert_eq!(folded("ＡＢＣ＋abc"), "abc+abc");
        assert_eq!(folded("5G"), folded("5g"));
        assert_eq!(folded("調解委員會"), "调解委员会");
        assert_eq!(folded("法治政府建設"), "法治政府建设");
        assert_eq!(folded("，（一）"), ",(一)");
        // What has one form keeps it.
        assert_eq!(folded("法治。、“”😀𠀀"), "法治。、“”😀𠀀");
    }

    #[test]
    fn the_conversion_table_changes_only_ideographs() {
        let mut buffer = [0u8; 4];
        for ch in (0..BMP as u32).filter_map(char::from_u32) {
            if !is_ideograph(ch) {
                assert_eq!(
                    fast2s::convert(ch.encode_utf8(&mut buffer)),
                    ch.to_string(),
                    "{ch:?}"
                );
            }
        }
    }

    #[test]
    fn a_query_takes_the_script_forms_the_index_holds_most() {
        // An index of simplified text: 呵 is the form it holds, though the table folds
        // it to 嗬; traditional characters become simplified.
        let simplified = |ch: char| match ch {
            '呵' => 5,
            '调' | '解' | '委' | '员' | '会' => 100,
            _ => 0,
        };
        assert_eq!(query_form("呵护", simplified), "呵护");
        assert_eq!(query_form("調解委員會", simplified), "调解委员会");
        assert_eq!(
            query_form("１９５５年ＡＢＣ＋5G", simplified),
            "1955年abc+5g"
        );
        // An index of traditional text: a simplified query takes its forms.
        let traditional = |ch: char| match ch {
            '調' | '會' => 100,
            _ => 0,
        };
        assert_eq!(query_form("调解委员会", traditional), "調解委员會");
        // Nothing known: the folded form.
        assert_eq!(query_form("調解", |_| 0), "调解");
    }

    #[test]
    fn variants_are_every_form_that_folds_alike() {
        assert_eq!(variants('g'), vec!['G', 'g', 'Ｇ', 'ｇ']);
        assert_eq!(variants('Ｇ'), variants('g'));
        assert_eq!(variants('5'), vec!['5', '５']);
        let tiao = variants('调');
        assert!(tiao.contains(&'調') && tiao.contains(&'调'), "{tiao:?}");
        assert_eq!(variants('調'), tiao);
        assert_eq!(variants('法'), vec!['法']);
        for ch in variants('会') {
            assert_eq!(fold(ch), '会');
        }
    }
}
