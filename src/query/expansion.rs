//! Words people use for the same thing, found in the corpus: pseudo-relevance feedback.
//!
//! A researcher asking about 城中村改造 also wants the paragraphs on 三大工程 and 保障性住房
//! that the best hits discuss it with; one asking about 停车难 wants those that add 停车位
//! and 泊位. The words that recur across the best paragraphs of a first ranking, weighted by
//! rarity, are such words. They only reorder what the query's own words found, by a score
//! below any of those words, so totals and highlights stay those of the words typed.
//!
//! Measured on the judged Shenzhen set (tests/query_understanding.rs), see README.

use std::collections::HashMap;

use crate::chars::is_ideograph;
use crate::query::words::segment_query;

/// How many of the best paragraphs of the first ranking the related words are taken from.
pub const FEEDBACK_PARAGRAPHS: usize = 10;
/// How many related words a query gets at most.
pub const RELATED_WORDS: usize = 5;
/// In how many of the feedback paragraphs a word must occur to be related: once is chance.
const RELATED_IN_PARAGRAPHS: usize = 3;

/// One word related to a query, with its share of the related words' weight.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedWord {
    /// The word, as the index holds it.
    pub word: String,
    /// Its weight relative to the strongest related word (which has 1).
    pub weight: f32,
}

/// The words of `paragraphs` (the best of a first ranking, best first) that are related to
/// the query whose own words are `literal`: those in at least
/// [`RELATED_IN_PARAGRAPHS`] of them, scored by in how many they are times their rarity
/// (`idf`, from the number of paragraphs of the index holding them, `document_frequency`),
/// the best [`RELATED_WORDS`].
///
/// Words of Chinese characters only (numbers and years recur by chance), of two characters
/// or more, never a word of the query, a part of one or one holding one, and never a word
/// that only asks or joins (`function_word`).
pub fn related_words(
    paragraphs: &[&str],
    literal: &[String],
    document_frequency: impl Fn(&str) -> u64,
    idf: impl Fn(u64) -> f32,
    function_word: impl Fn(&str) -> bool,
) -> Vec<RelatedWord> {
    let mut in_paragraphs: HashMap<String, usize> = HashMap::new();
    for paragraph in paragraphs.iter().take(FEEDBACK_PARAGRAPHS) {
        let mut words = segment_query(paragraph, &document_frequency);
        words.sort_unstable();
        words.dedup();
        for word in words {
            *in_paragraphs.entry(word).or_default() += 1;
        }
    }
    let mut scored: Vec<(f32, String)> = in_paragraphs
        .into_iter()
        .filter(|(word, count)| {
            *count >= RELATED_IN_PARAGRAPHS
                && word.chars().count() > 1
                && word.chars().all(is_ideograph)
                && !function_word(word)
                && !literal
                    .iter()
                    .any(|l| l.contains(word.as_str()) || word.contains(l.as_str()))
        })
        .filter_map(|(word, count)| {
            let df = document_frequency(&word);
            (df > 0).then(|| (count as f32 * idf(df), word))
        })
        .collect();
    // Best first; equal scores in the words' order, so that the choice does not vary.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    // A word inside a stronger one, or holding one, says the same again (住房 in 保障性住房).
    let mut chosen: Vec<(f32, String)> = Vec::new();
    for (score, word) in scored {
        if chosen.len() == RELATED_WORDS {
            break;
        }
        if !chosen
            .iter()
            .any(|(_, c)| c.contains(word.as_str()) || word.contains(c.as_str()))
        {
            chosen.push((score, word));
        }
    }
    let scored = chosen;
    let strongest = scored.first().map_or(1.0, |(score, _)| *score);
    scored
        .into_iter()
        .map(|(score, word)| RelatedWord {
            word,
            weight: score / strongest,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vocabulary of a few words with their paragraph counts, in an index of 1,000.
    fn vocabulary(candidate: &str) -> u64 {
        match candidate {
            "城中村" => 40,
            "改造" => 300,
            "城中村改造" => 30,
            "三大工程" => 12,
            "保障性住房" => 25,
            "建设" => 900,
            "推进" => 800,
            "如何" => 5,
            _ => 0,
        }
    }

    fn idf(df: u64) -> f32 {
        (1000.0 / df as f32).ln()
    }

    #[test]
    fn recurring_rare_words_are_related_and_the_query_s_own_are_not() {
        let paragraphs = [
            "推进城中村改造和保障性住房建设，实施三大工程。",
            "三大工程：保障性住房建设、城中村改造。",
            "加快三大工程建设，推进城中村改造，2024年完成。",
            "保障性住房建设提速，如何推进。",
            "其他内容。",
        ];
        let literal = vec!["城中村改造".to_string()];
        let related = related_words(&paragraphs, &literal, vocabulary, idf, |w| w == "如何");
        let words: Vec<&str> = related.iter().map(|r| r.word.as_str()).collect();
        // 三大工程 and 保障性住房 recur and are rare; 建设 and 推进 recur but are common;
        // 城中村 and 改造 are the query's own; 如何 occurs once and only asks.
        assert_eq!(&words[..2], ["三大工程", "保障性住房"]);
        assert_eq!(related[0].weight, 1.0);
        assert!(related.iter().all(|r| r.weight > 0.0 && r.weight <= 1.0));
        assert!(!words
            .iter()
            .any(|w| ["城中村", "改造", "城中村改造", "如何"].contains(w)));
        let common = related
            .iter()
            .find(|r| r.word == "建设")
            .expect("建设 recurs");
        assert!(common.weight < related[1].weight);
    }

    #[test]
    fn words_in_too_few_paragraphs_are_not_related() {
        let paragraphs = ["三大工程。", "三大工程。", "其他。"];
        let related = related_words(&paragraphs, &[], vocabulary, idf, |_| false);
        assert!(related.is_empty(), "{related:?}");
    }
}
