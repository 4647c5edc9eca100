//! The tokenizers of fazhi's text fields.
//!
//! Paragraph text ([`WordTokenizer`]): jieba's words of two characters or more, at the
//! position of their first character, for ranking whole-word matches. Word segmentation
//! alone loses recall (a query word is found only where jieba cut the text the same way:
//! 调解 inside 人民调解员), so exact matching does not use these tokens at all: every
//! character's positions are kept by [`crate::index::char_index`] instead, which indexes them
//! far faster than tantivy's postings writer would as tokens. Jieba's default mode is
//! enough: the sub-words search mode adds (人民 inside 中华人民共和国) are found through the
//! characters, and not counting them as whole words is what ranking wants.
//!
//! Section headings ([`HeadingTokenizer`]): jieba's words only, for ranking; a heading is
//! repeated on every paragraph of its section, so the words of recent headings are reused.
//!
//! The jieba dictionary is loaded once per process, on the first word segmentation, so
//! commands that never segment (`mentions`) never pay for it.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::chars::is_ideograph;
use crate::index::stage_clock::{timed_call, Stage};
use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name under which [`WordTokenizer`] is registered with an index.
pub const WORD_TOKENIZER_NAME: &str = "fazhi";
/// The name under which [`HeadingTokenizer`] is registered with an index.
pub const HEADING_TOKENIZER_NAME: &str = "fazhi_heading";

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

/// A tantivy tokenizer emitting jieba's words of two characters or more.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    spans: Vec<Span>,
}

/// Where one word lies in the text: `[start, end)` in bytes, its position in characters.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
    position: usize,
}

impl WordTokenizer {
    /// Computes the spans of the words of `text`, in text order.
    fn fill_spans(&mut self, text: &str) {
        self.spans.clear();
        if text.chars().all(char::is_whitespace) {
            return;
        }
        // `cut` words do not overlap and come in text order, so positions only grow.
        let jieba = jieba();
        let words =
            timed_call(Stage::Segmentation, text.len(), || jieba.cut(text, true)).into_iter();
        self.spans.extend(
            words
                .filter(|w| w.end - w.start >= 2 && is_searchable_word(w.word))
                .map(|w| Span {
                    start: w.byte_start,
                    end: w.byte_end,
                    position: w.start,
                }),
        );
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.fill_spans(text);
        WordTokenStream {
            text,
            spans: &self.spans,
            next: 0,
            token: Token::default(),
        }
    }
}

/// The tokens of one text, produced by [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    spans: &'a [Span],
    next: usize,
    token: Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        let piece = &self.text[span.start..span.end];
        self.token.text.clear();
        self.token.text.push_str(piece);
        // Latin words are matched without case, as `word_term_text` looks them up.
        self.token.text.make_ascii_lowercase();
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = span.position;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// A tantivy tokenizer emitting jieba's words of a heading (single characters included).
///
/// A heading is repeated on every paragraph of its section, and a section's paragraphs
/// are spread over the indexing threads in batches, so each thread meets a heading again
/// after others: the words of the headings met lately are kept, not just the last one's
/// (keeping only the last, 108,000 of the dev corpus's 391,000 paragraphs had their heading
/// segmented again).
#[derive(Clone, Default)]
pub struct HeadingTokenizer {
    words: HashMap<String, Vec<Span>>,
}

/// Headings whose words each indexing thread keeps: more than a report has sections.
const HEADINGS_KEPT: usize = 1024;

impl HeadingTokenizer {
    /// The words of `text`, segmented if it is not kept.
    fn words(&mut self, text: &str) -> &[Span] {
        if !self.words.contains_key(text) {
            if self.words.len() >= HEADINGS_KEPT {
                self.words.clear();
            }
            let jieba = jieba();
            let words = timed_call(Stage::Segmentation, text.len(), || jieba.cut(text, true));
            let searchable = words.iter().filter(|w| is_searchable_word(w.word));
            let spans = searchable
                .enumerate()
                .map(|(position, word)| Span {
                    start: word.byte_start,
                    end: word.byte_end,
                    position,
                })
                .collect();
            self.words.insert(text.to_string(), spans);
        }
        &self.words[text]
    }
}

impl Tokenizer for HeadingTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            spans: self.words(text),
            next: 0,
            token: Token::default(),
        }
    }
}

/// The term a query word is indexed under when jieba emits it as a word.
pub fn word_term_text(word: &str) -> String {
    word.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn words_sit_at_their_first_character_with_byte_offsets() {
        let text = "推动村(居)法律顾问从有形覆盖向有效覆盖转变";
        let all = tokens(text);
        let word = all
            .iter()
            .find(|t| t.text == "法律顾问")
            .expect("法律顾问 is a word");
        assert_eq!(&text[word.offset_from..word.offset_to], "法律顾问");
        assert_eq!(word.position, text[..word.offset_from].chars().count());
        // Default mode: sub-words are not words here; they are found through the characters.
        assert!(!all.iter().any(|t| t.text == "顾问"));
        // Single characters are left to the character index.
        assert!(all.iter().all(|t| t.text.chars().count() >= 2), "{all:?}");
    }

    #[test]
    fn positions_never_decrease_and_offsets_are_char_boundaries() {
        let text = "三是法治队伍力量不足,部分单位行政复议专业人员、法制审核人员配备不足。 ABC def";
        let all = tokens(text);
        assert!(all.windows(2).all(|w| w[0].position <= w[1].position));
        for token in &all {
            assert!(text.is_char_boundary(token.offset_from));
            assert!(text.is_char_boundary(token.offset_to));
        }
        assert!(all.iter().any(|t| t.text == "abc"));
        assert!(all.iter().any(|t| t.text == "行政复议"));
    }

    #[test]
    fn empty_and_blank_texts_give_no_words() {
        assert!(tokens("").is_empty());
        assert!(tokens("  \n").is_empty());
    }

    fn heading_words(tokenizer: &mut HeadingTokenizer, text: &str) -> Vec<(String, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            words.push((stream.token().text.clone(), stream.token().position));
        }
        words
    }

    #[test]
    fn headings_give_their_words_and_reuse_them_for_the_same_text() {
        let mut tokenizer = HeadingTokenizer::default();
        let first = heading_words(&mut tokenizer, "二、存在的问题和不足");
        let words: Vec<&str> = first.iter().map(|(w, _)| w.as_str()).collect();
        assert!(words.contains(&"问题"), "{words:?}");
        assert!(words.contains(&"的"), "{words:?}");
        assert!(!words.contains(&"、"), "{words:?}");
        assert!(
            first.iter().enumerate().all(|(i, (_, p))| *p == i),
            "{first:?}"
        );
        // Another heading between, then the first again, and more headings than are kept:
        // the words stay those of each heading.
        let other = heading_words(&mut tokenizer, "三、下一步工作计划");
        assert!(other.iter().any(|(w, _)| w == "计划"), "{other:?}");
        assert_eq!(heading_words(&mut tokenizer, "二、存在的问题和不足"), first);
        for i in 0..HEADINGS_KEPT + 5 {
            let heading = format!("（{i}）推进依法行政");
            let words = heading_words(&mut tokenizer, &heading);
            assert!(words.iter().any(|(w, _)| w == "依法行政"), "{words:?}");
        }
        assert!(tokenizer.words.len() <= HEADINGS_KEPT);
        assert_eq!(heading_words(&mut tokenizer, "二、存在的问题和不足"), first);
    }
}
