//! Segmenting a query into words with the index's own vocabulary, without jieba.
//!
//! Loading jieba's dictionary takes over 100 ms, more than the rest of a search. The index
//! already holds every word jieba found in the text, with its document frequency: the query
//! is cut into the fewest such words (the more frequent on a tie), as jieba cuts text into
//! its most probable words. A run of characters that no indexed word covers stays one unit
//! (a name the text never had as a word, such as 新县), as jieba's HMM joins unknown
//! characters.

use std::ops::Range;

use crate::chars::is_punctuation_or_space;

/// Longest word, in characters, looked up in the vocabulary.
const MAX_WORD_CHARS: usize = 8;

/// Cuts `term` into words. `document_frequency` says how many paragraphs hold a candidate
/// (two characters or more) as a word, `0` when it is not a word of the index.
/// Punctuation and spaces separate words and are dropped.
pub fn segment_query(term: &str, document_frequency: impl Fn(&str) -> u64) -> Vec<String> {
    segment_spans(term, document_frequency)
        .into_iter()
        .map(|span| term[span].to_string())
        .collect()
}

/// The words of [`segment_query`] as byte ranges of `term`, in order.
pub fn segment_spans(term: &str, document_frequency: impl Fn(&str) -> u64) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    for run in term
        .split(is_punctuation_or_space)
        .filter(|run| !run.is_empty())
    {
        // `split` hands out slices of `term`: their distance from its start is their offset.
        let offset = run.as_ptr() as usize - term.as_ptr() as usize;
        segment_run(run, &document_frequency, &mut |span: Range<usize>| {
            spans.push(span.start + offset..span.end + offset)
        });
    }
    spans
}

/// Another way to cut `word` into index words of two characters or more, without using
/// `word` itself, when there is one: 化解矛盾 -> 化解 + 矛盾, 菜篮子工程 -> 菜篮子 + 工程.
///
/// A query word jieba joined may stand apart in the text (推动矛盾纠纷实质化解), or be
/// broken by quote marks (“菜篮子”工程): its parts keep it findable there.
pub fn alternative_cut(
    word: &str,
    document_frequency: impl Fn(&str) -> u64,
) -> Option<Vec<String>> {
    if word.chars().count() < 3 {
        return None;
    }
    let parts = segment_query(word, |w| if w == word { 0 } else { document_frequency(w) });
    (parts.len() > 1 && parts.iter().all(|p| p.chars().count() > 1)).then_some(parts)
}

/// The best way to cut the first `i` characters of a run.
#[derive(Clone, Copy)]
struct Cut {
    /// Number of words (fewer is better).
    words: usize,
    /// Sum of the words' log frequencies (more is better).
    weight: f64,
    /// Where the last word starts.
    from: usize,
}

fn segment_run(
    run: &str,
    document_frequency: &impl Fn(&str) -> u64,
    words: &mut impl FnMut(Range<usize>),
) {
    let starts: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain([run.len()])
        .collect();
    let n = starts.len() - 1;
    let piece = |from: usize, to: usize| &run[starts[from]..starts[to]];
    let mut best: Vec<Option<Cut>> = vec![None; n + 1];
    best[0] = Some(Cut {
        words: 0,
        weight: 0.0,
        from: 0,
    });
    for from in 0..n {
        let Some(here) = best[from] else { continue };
        let mut offer = |to: usize, weight: f64| {
            let cut = Cut {
                words: here.words + 1,
                weight: here.weight + weight,
                from,
            };
            let better = match best[to] {
                None => true,
                Some(old) => (cut.words, -cut.weight) < (old.words, -old.weight),
            };
            if better {
                best[to] = Some(cut);
            }
        };
        // A run of ASCII letters and digits is one word, as jieba keeps it.
        let ascii_end = (from..n)
            .take_while(|&i| piece(i, i + 1).is_ascii())
            .last()
            .map(|last| last + 1);
        if let Some(end) = ascii_end {
            offer(end, 0.0);
            continue;
        }
        offer(from + 1, 0.0);
        for to in from + 2..=n.min(from + MAX_WORD_CHARS) {
            let frequency = document_frequency(&piece(from, to).to_ascii_lowercase());
            if frequency > 0 {
                offer(to, (frequency as f64).ln());
            }
        }
    }
    let mut bounds = Vec::new();
    let mut at = n;
    while at > 0 {
        let cut = best[at].expect("every prefix can be cut into characters");
        bounds.push((cut.from, at));
        at = cut.from;
    }
    bounds.reverse();
    // Characters no word covers stay together: they are one unknown word to the reader.
    let mut merged: Vec<(usize, usize, bool)> = Vec::new();
    for (from, to) in bounds {
        let single = to - from == 1;
        match merged.last_mut() {
            Some(last) if single && last.2 => last.1 = to,
            _ => merged.push((from, to, single)),
        }
    }
    for (from, to, _) in merged {
        words(starts[from]..starts[to]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vocabulary of a few words with frequencies, as an index would give.
    fn vocabulary<'a>(words: &'a [(&'a str, u64)]) -> impl Fn(&str) -> u64 + 'a {
        move |candidate| {
            words
                .iter()
                .find(|(word, _)| *word == candidate)
                .map_or(0, |(_, df)| *df)
        }
    }

    #[test]
    fn a_query_typed_without_spaces_is_cut_into_index_words() {
        let vocab = vocabulary(&[
            ("行政复议", 40),
            ("行政", 90),
            ("复议", 45),
            ("办结", 12),
            ("情况", 300),
        ]);
        assert_eq!(
            segment_query("行政复议办结情况", vocab),
            vec!["行政复议", "办结", "情况"]
        );
    }

    #[test]
    fn function_characters_between_words_stay_single() {
        let vocab = vocabulary(&[("存在", 50), ("问题", 80), ("不足", 30)]);
        assert_eq!(
            segment_query("存在的问题和不足", vocab),
            vec!["存在", "的", "问题", "和", "不足"]
        );
    }

    #[test]
    fn uncovered_characters_stay_one_word_and_punctuation_separates() {
        let vocab = vocabulary(&[("法治", 100)]);
        assert_eq!(segment_query("新县法治", &vocab), vec!["新县", "法治"]);
        assert_eq!(segment_query("“八五”普法", &vocab), vec!["八五", "普法"]);
        assert_eq!(
            segment_query("ICP备2021", &vocab),
            vec!["ICP", "备", "2021"]
        );
        assert!(segment_query("，。 ", &vocab).is_empty());
    }

    #[test]
    fn frequency_breaks_ties_between_equal_cuts() {
        let vocab = vocabulary(&[
            ("研究生", 2),
            ("研究", 50),
            ("生命", 40),
            ("命起", 1),
            ("起源", 30),
        ]);
        assert_eq!(
            segment_query("研究生命起源", vocab),
            vec!["研究", "生命", "起源"]
        );
    }

    #[test]
    fn joined_words_have_an_alternative_cut_into_their_parts() {
        let vocab = vocabulary(&[("化解矛盾", 5), ("化解", 90), ("矛盾", 80), ("合作", 60)]);
        assert_eq!(
            alternative_cut("化解矛盾", &vocab),
            Some(vec!["化解".to_string(), "矛盾".to_string()])
        );
        // A part of one character is no alternative: it would match anywhere.
        assert_eq!(alternative_cut("合作区", &vocab), None);
        assert_eq!(alternative_cut("矛盾", &vocab), None);
    }

    #[test]
    fn spans_are_byte_ranges_of_the_term() {
        let vocab = vocabulary(&[("普法", 10)]);
        let term = "“八五”普法";
        let spans = segment_spans(term, vocab);
        let words: Vec<&str> = spans.iter().map(|s| &term[s.clone()]).collect();
        assert_eq!(words, vec!["八五", "普法"]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_cut_without_panic_into_its_own_letters(term in "\\PC{0,40}") {
            let vocab = vocabulary(&[("法治", 9), ("ab", 3), ("治建", 1)]);
            let words = segment_query(&term, vocab);
            let letters: String = term.chars().filter(|&c| !is_punctuation_or_space(c)).collect();
            proptest::prop_assert_eq!(words.concat(), letters);
        }
    }
}
