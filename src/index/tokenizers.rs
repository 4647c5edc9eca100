//! jieba's words of fazhi's text fields, which the [`word_index`](crate::index::word_index)
//! records for ranking.
//!
//! Paragraph text ([`TextWords`]): jieba's words of two characters or more, for ranking
//! whole-word matches. Word segmentation alone loses recall (a query word is found only
//! where jieba cut the text the same way: 调解 inside 人民调解员), so exact matching does
//! not use these words at all: every character's positions are kept by
//! [`crate::index::char_index`] instead. Jieba's default mode is enough: the sub-words search
//! mode adds (人民 inside 中华人民共和国) are found through the characters, and not counting
//! them as whole words is what ranking wants.
//!
//! Section headings ([`heading_words`]): all of jieba's words.
//!
//! The jieba dictionary is loaded once per process, on the first word segmentation, so
//! commands that never segment (`mentions`, `search`) never pay for it.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::chars::is_ideograph;
use crate::index::stage_clock::{timed_call, Stage};
use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The process-wide jieba segmenter, loaded on first use.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// True for jieba words worth indexing: not punctuation or spaces.
fn is_searchable_word(word: &str) -> bool {
    // Most words open with a CJK ideograph: answer those without Unicode table lookups.
    word.chars()
        .any(|ch| is_ideograph(ch) || ch.is_alphanumeric())
}

/// Where one word lies in a text: `[start, end)` in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the word's first character.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// Finds jieba's words of two characters or more in paragraph texts.
#[derive(Clone, Default)]
pub struct TextWords {
    spans: Vec<Span>,
}

impl TextWords {
    /// The words of `text`, in text order.
    pub fn of(&mut self, text: &str) -> &[Span] {
        self.spans.clear();
        if text.chars().all(char::is_whitespace) {
            return &self.spans;
        }
        let words = jieba().cut(text, true);
        self.spans.extend(
            words
                .into_iter()
                .filter(|w| w.end - w.start >= 2 && is_searchable_word(w.word))
                .map(|w| Span {
                    start: w.byte_start,
                    end: w.byte_end,
                }),
        );
        &self.spans
    }
}

/// jieba's words of a section heading, single characters included, in text order.
pub fn heading_words(text: &str) -> Vec<Span> {
    let jieba = jieba();
    let words = timed_call(Stage::Segmentation, text.len(), || jieba.cut(text, true));
    words
        .iter()
        .filter(|w| is_searchable_word(w.word))
        .map(|word| Span {
            start: word.byte_start,
            end: word.byte_end,
        })
        .collect()
}

/// The form a word is indexed and looked up under: Latin letters in lower case, so that
/// they match without case. Borrowed when it is already that form, as almost every word is.
pub fn word_term(word: &str) -> Cow<'_, str> {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// [`word_term`] as an owned string, for queries.
pub fn word_term_text(word: &str) -> String {
    word_term(word).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        TextWords::default()
            .of(text)
            .iter()
            .map(|span| &text[span.start..span.end])
            .collect()
    }

    #[test]
    fn text_words_are_jiebas_words_of_two_characters_or_more() {
        let text = "推动村(居)法律顾问从有形覆盖向有效覆盖转变";
        let all = words(text);
        assert!(all.contains(&"法律顾问"), "{all:?}");
        // Default mode: sub-words are not words here; they are found through the characters.
        assert!(!all.contains(&"顾问"), "{all:?}");
        // Single characters are left to the character index.
        assert!(all.iter().all(|w| w.chars().count() >= 2), "{all:?}");
    }

    #[test]
    fn text_words_come_in_order_on_char_boundaries() {
        let text = "三是法治队伍力量不足,部分单位行政复议专业人员、法制审核人员配备不足。 ABC def";
        let spans = TextWords::default().of(text).to_vec();
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
        for span in &spans {
            assert!(text.is_char_boundary(span.start));
            assert!(text.is_char_boundary(span.end));
        }
        let all = words(text);
        assert!(all.contains(&"ABC"), "{all:?}");
        assert!(all.contains(&"行政复议"), "{all:?}");
    }

    #[test]
    fn latin_words_are_indexed_in_lower_case_and_borrowed_when_already() {
        assert_eq!(word_term("ABC"), "abc");
        assert!(matches!(word_term("行政复议"), Cow::Borrowed("行政复议")));
        assert!(matches!(word_term("abc"), Cow::Borrowed(_)));
        assert_eq!(word_term_text("PPP项目"), "ppp项目");
    }

    #[test]
    fn empty_and_blank_texts_give_no_words() {
        assert!(words("").is_empty());
        assert!(words("  \n").is_empty());
    }

    #[test]
    fn headings_give_all_their_words_but_punctuation() {
        let text = "二、存在的问题和不足";
        let words: Vec<&str> = heading_words(text)
            .iter()
            .map(|span| &text[span.start..span.end])
            .collect();
        assert!(words.contains(&"问题"), "{words:?}");
        assert!(words.contains(&"的"), "{words:?}");
        assert!(!words.contains(&"、"), "{words:?}");
    }
}
