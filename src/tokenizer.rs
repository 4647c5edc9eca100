//! The tokenizers of fazhi's text fields.
//!
//! Paragraph text ([`FazhiTokenizer`]): every character, plus jieba's words, in one position
//! space. Word segmentation alone loses recall: a query word is found only where jieba cut
//! the text the same way (调解 inside 人民调解员). So every character is emitted as a token at
//! position = its character index, which makes a phrase of characters an exact substring
//! test, and jieba's words (two characters or more) are emitted on top, at the position of
//! their first character, for ranking whole-word matches. One field, one postings list per
//! term, one pass over the text: cheaper than a separate n-gram field. Jieba's default mode
//! is enough: the sub-words search mode adds (人民 inside 中华人民共和国) are found through
//! the characters, and not counting them as whole words is what ranking wants.
//!
//! Section headings ([`HeadingTokenizer`]): jieba's words only, for ranking; a heading is
//! repeated on every paragraph of its section, so the last one's words are reused.
//!
//! The jieba dictionary is loaded once per process, on the first word segmentation, so
//! commands that never segment (`mentions`) never pay for it.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name under which [`FazhiTokenizer`] is registered with an index.
pub const TOKENIZER_NAME: &str = "fazhi";
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
        .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch) || ch.is_alphanumeric())
}

/// A tantivy tokenizer emitting one token per character and one per jieba word.
#[derive(Clone, Default)]
pub struct FazhiTokenizer {
    spans: Vec<Span>,
}

/// Where one token lies in the text: `[start, end)` in bytes, its position in characters.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
    position: usize,
    /// Word tokens are lower-cased (Latin words); character tokens are kept as written.
    is_word: bool,
}

impl FazhiTokenizer {
    /// Computes the spans of `text` in position order, each character before the word
    /// that starts at it, so that every term's positions are increasing.
    fn fill_spans(&mut self, text: &str) {
        self.spans.clear();
        let words = if text.chars().any(|ch| !ch.is_whitespace()) {
            jieba().cut(text, true)
        } else {
            Vec::new()
        };
        // `cut` words do not overlap and come in text order: merge them with the characters.
        let mut words = words
            .into_iter()
            .filter(|w| w.end - w.start >= 2 && is_searchable_word(w.word))
            .peekable();
        for (position, (start, ch)) in text.char_indices().enumerate() {
            self.spans.push(Span {
                start,
                end: start + ch.len_utf8(),
                position,
                is_word: false,
            });
            if let Some(word) = words.next_if(|w| w.byte_start == start) {
                self.spans.push(Span {
                    start: word.byte_start,
                    end: word.byte_end,
                    position,
                    is_word: true,
                });
            }
        }
    }
}

impl Tokenizer for FazhiTokenizer {
    type TokenStream<'a> = FazhiTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FazhiTokenStream<'a> {
        self.fill_spans(text);
        FazhiTokenStream {
            text,
            spans: &self.spans,
            next: 0,
            token: Token::default(),
        }
    }
}

/// The tokens of one text, produced by [`FazhiTokenizer`].
pub struct FazhiTokenStream<'a> {
    text: &'a str,
    spans: &'a [Span],
    next: usize,
    token: Token,
}

impl TokenStream for FazhiTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        let piece = &self.text[span.start..span.end];
        self.token.text.clear();
        if span.is_word && !piece.is_ascii() {
            self.token.text.push_str(piece);
        } else if span.is_word {
            self.token
                .text
                .extend(piece.chars().map(|ch| ch.to_ascii_lowercase()));
        } else {
            self.token.text.push_str(piece);
        }
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
#[derive(Clone, Default)]
pub struct HeadingTokenizer {
    last_text: String,
    words: Vec<Span>,
}

impl Tokenizer for HeadingTokenizer {
    type TokenStream<'a> = FazhiTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FazhiTokenStream<'a> {
        if text != self.last_text {
            self.last_text.clear();
            self.last_text.push_str(text);
            self.words.clear();
            let words = jieba().cut(text, true);
            let searchable = words.iter().filter(|w| is_searchable_word(w.word));
            for (position, word) in searchable.enumerate() {
                self.words.push(Span {
                    start: word.byte_start,
                    end: word.byte_end,
                    position,
                    is_word: true,
                });
            }
        }
        FazhiTokenStream {
            text,
            spans: &self.words,
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
        let mut tokenizer = FazhiTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn every_character_is_a_token_at_its_character_index() {
        let text = "深化“枫桥经验”南岸实践,2023年ICP";
        let chars: Vec<Token> = tokens(text)
            .into_iter()
            .filter(|t| t.text.chars().count() == 1)
            .collect();
        assert_eq!(chars.len(), text.chars().count());
        for (index, token) in chars.iter().enumerate() {
            assert_eq!(token.position, index);
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
        }
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
        assert!(all.iter().any(|t| t.text == "A"));
    }

    #[test]
    fn empty_and_blank_texts_give_no_words() {
        assert!(tokens("").is_empty());
        assert_eq!(tokens("  \n").len(), 3);
    }

    #[test]
    fn headings_give_their_words_and_reuse_them_for_the_same_text() {
        let mut tokenizer = HeadingTokenizer::default();
        for _ in 0..2 {
            let mut stream = tokenizer.token_stream("二、存在的问题和不足");
            let mut words = Vec::new();
            while stream.advance() {
                words.push(stream.token().text.clone());
            }
            assert!(words.contains(&"问题".to_string()), "{words:?}");
            assert!(words.contains(&"的".to_string()), "{words:?}");
            assert!(!words.contains(&"、".to_string()), "{words:?}");
        }
    }
}
