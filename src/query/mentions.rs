//! Every mention of a phrase, exactly: the same set, to the occurrence, as a substring
//! scan of the indexed paragraphs, but answered from the index.
//!
//! The character index makes a phrase of characters an exact substring test, so the
//! index gives the candidate paragraphs and the stored text gives the occurrences. No
//! word segmentation is involved, so this never loads the jieba dictionary.

use std::ops::Range;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Searcher};

use crate::chars::is_punctuation_or_space;
use crate::error::{Error, QueryProblem, Result};
use crate::index::char_index::SegmentChars;
use crate::index::documents::{load_passage, ReportCache};
use crate::index::schema::Fields;
use crate::model::Passage;
use crate::query::filters::Filters;
use crate::query::fold::{fold, variants};
use crate::query::highlight::{occurrences, serialize_ranges};
use crate::query::substring::{each_of_query, substring_query};

/// How a phrase is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// The phrase exactly, as a substring.
    #[default]
    Exact,
    /// The phrase's letters in order, with any punctuation, quote marks or white space
    /// between them (八五普法 finds “八五”普法), each in any of its written forms: full or
    /// half width, upper or lower case, traditional or simplified ([`crate::fold`]).
    Loose,
}

/// One paragraph that mentions the phrase.
#[derive(Debug, Clone, Serialize)]
pub struct MentioningParagraph {
    /// The paragraph and its report's tags.
    #[serde(flatten)]
    pub passage: Passage,
    /// Byte ranges in `text` of each occurrence.
    #[serde(serialize_with = "serialize_ranges")]
    pub highlights: Vec<Range<usize>>,
}

/// How paragraphs are grouped for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// By county.
    County,
    /// By city.
    City,
    /// By province.
    Province,
    /// By report year (sorted by year, not by count).
    Year,
    /// By section kind.
    Section,
    /// By report (its path).
    Report,
    /// By issuer.
    Issuer,
}

/// All mentions of a phrase.
#[derive(Debug, Clone, Serialize)]
pub struct Mentions {
    /// The phrase as given.
    pub phrase: String,
    /// Number of occurrences.
    pub total: usize,
    /// Number of reports with at least one occurrence.
    pub reports: usize,
    /// The paragraphs that mention it, by report path and paragraph order.
    pub paragraphs: Vec<MentioningParagraph>,
}

/// Name of the group of paragraphs without the tag grouped by.
pub const UNKNOWN_GROUP: &str = "(unknown)";

/// Finds every mention of `phrase` in the paragraphs that pass `filters`.
pub fn find_mentions(
    searcher: &Searcher,
    fields: &Fields,
    phrase: &str,
    filters: &Filters,
    matching: Matching,
) -> Result<Mentions> {
    let paragraphs: Vec<MentioningParagraph> =
        mentioning_paragraphs(searcher, fields, phrase, filters, matching, usize::MAX)?
            .into_iter()
            .map(|(_, paragraph)| paragraph)
            .collect();
    let total = paragraphs.iter().map(|p| p.highlights.len()).sum();
    let mut reports: Vec<&str> = paragraphs.iter().map(|p| p.passage.path.as_str()).collect();
    reports.dedup();
    Ok(Mentions {
        phrase: phrase.to_string(),
        total,
        reports: reports.len(),
        paragraphs,
    })
}

/// The first paragraphs, in the index's order, that mention `phrase` and pass `filters`,
/// until they hold `enough` mentions: a preview that reads no more than it shows.
pub fn first_mentions(
    searcher: &Searcher,
    fields: &Fields,
    phrase: &str,
    filters: &Filters,
    matching: Matching,
    enough: usize,
) -> Result<Vec<MentioningParagraph>> {
    Ok(
        mentioning_paragraphs(searcher, fields, phrase, filters, matching, enough)?
            .into_iter()
            .map(|(_, paragraph)| paragraph)
            .collect(),
    )
}

/// The paragraphs that mention `phrase` and pass `filters`, with their addresses, by report
/// path and paragraph order; read in the index's order, stopping once they hold `enough`
/// mentions (`usize::MAX` for all), as a preview needs no more.
///
/// A line cut into several paragraphs for length is scanned whole, so that a mention
/// across a cut is found; it is listed with the paragraph where it starts, its highlight
/// running to that paragraph's end.
pub(crate) fn mentioning_paragraphs(
    searcher: &Searcher,
    fields: &Fields,
    phrase: &str,
    filters: &Filters,
    matching: Matching,
    enough: usize,
) -> Result<Vec<(DocAddress, MentioningParagraph)>> {
    let error = |problem: QueryProblem| Error::Query {
        query: phrase.to_string(),
        problem,
    };
    if phrase.is_empty() {
        return Err(error(QueryProblem::NothingToFind));
    }
    let letters = loose_letters(phrase);
    let candidates: Box<dyn Query> = match matching {
        Matching::Exact => substring_query(fields.text, phrase),
        Matching::Loose if letters.is_empty() => {
            return Err(error(QueryProblem::NothingLeftWhenLoose))
        }
        Matching::Loose => {
            let forms: Vec<Vec<char>> = letters.chars().map(variants).collect();
            each_of_query(fields.text, &forms)
        }
    };
    let find = |text: &str| match matching {
        Matching::Exact => occurrences(text, phrase),
        Matching::Loose => loose_occurrences(text, &letters),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters.clauses(searcher, fields)?;
    clauses.push((Occur::Must, candidates));
    let mut addresses: Vec<DocAddress> = searcher
        .search(&BooleanQuery::new(clauses), &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort_unstable();
    let mut found = Vec::new();
    let mut reports = ReportCache::default();
    let mut segment: Option<(u32, SegmentChars)> = None;
    let mut scanned_line: Option<DocAddress> = None;
    let mut mentions_found = 0;
    for address in addresses {
        if mentions_found >= enough {
            break;
        }
        if segment
            .as_ref()
            .is_none_or(|(ord, _)| *ord != address.segment_ord)
        {
            let reader = searcher.segment_reader(address.segment_ord);
            segment = Some((address.segment_ord, SegmentChars::open(reader)?));
        }
        let chars = &segment.as_ref().expect("opened above").1;
        let pieces = if chars.has_cut_lines() {
            chars.line_pieces(chars.line_of(address.doc_id).0)
        } else {
            Vec::new()
        };
        if pieces.len() <= 1 {
            let passage = load_passage(searcher, fields, &mut reports, address)?;
            let highlights = find(&passage.text);
            if !highlights.is_empty() {
                mentions_found += highlights.len();
                found.push((
                    address,
                    MentioningParagraph {
                        passage,
                        highlights,
                    },
                ));
            }
            continue;
        }
        let line = DocAddress::new(address.segment_ord, pieces[0].0);
        if scanned_line == Some(line) {
            continue;
        }
        scanned_line = Some(line);
        let mut passages = Vec::with_capacity(pieces.len());
        for &(doc, _) in &pieces {
            let address = DocAddress::new(address.segment_ord, doc);
            passages.push((
                address,
                load_passage(searcher, fields, &mut reports, address)?,
            ));
        }
        let in_line = mentions_in_line(passages, find);
        mentions_found += in_line
            .iter()
            .map(|(_, p)| p.highlights.len())
            .sum::<usize>();
        found.extend(in_line);
    }
    found.sort_by(|(_, a), (_, b)| {
        (&a.passage.path, a.passage.paragraph).cmp(&(&b.passage.path, b.passage.paragraph))
    });
    Ok(found)
}

/// The mentions in a line cut into `pieces` (in order), found in the whole line by `find`,
/// each listed with the piece where it starts and highlighted up to that piece's end.
fn mentions_in_line<T>(
    pieces: Vec<(T, Passage)>,
    find: impl Fn(&str) -> Vec<Range<usize>>,
) -> Vec<(T, MentioningParagraph)> {
    let line: String = pieces.iter().map(|(_, p)| p.text.as_str()).collect();
    let mut starts = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for (_, passage) in &pieces {
        starts.push(at);
        at += passage.text.len();
    }
    let mut highlights: Vec<Vec<Range<usize>>> = vec![Vec::new(); pieces.len()];
    for range in find(&line) {
        let piece = starts.partition_point(|&start| start <= range.start) - 1;
        let start = starts[piece];
        let end = (range.end - start).min(pieces[piece].1.text.len());
        highlights[piece].push(range.start - start..end);
    }
    pieces
        .into_iter()
        .zip(highlights)
        .filter(|(_, highlights)| !highlights.is_empty())
        .map(|((key, passage), highlights)| {
            (
                key,
                MentioningParagraph {
                    passage,
                    highlights,
                },
            )
        })
        .collect()
}

/// The letters of `phrase` that loose matching looks for: all but punctuation and spaces.
pub fn loose_letters(phrase: &str) -> String {
    phrase
        .chars()
        .filter(|&c| !is_punctuation_or_space(c))
        .collect()
}

/// Byte ranges of the non-overlapping matches of `letters` in `text`, where anything that
/// is punctuation or space may stand between two letters, and letters are compared
/// folded ([`fold`]). Each range runs from the first letter to the last, so it covers the
/// matched span of the original text.
pub fn loose_occurrences(text: &str, letters: &str) -> Vec<Range<usize>> {
    let wanted: Vec<char> = letters.chars().map(fold).collect();
    let Some(&first) = wanted.first() else {
        return Vec::new();
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if fold(chars[i].1) != first {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut matched = 1;
        while matched < wanted.len() && j < chars.len() {
            let ch = chars[j].1;
            if fold(ch) == wanted[matched] {
                matched += 1;
            } else if !is_punctuation_or_space(ch) {
                break;
            }
            j += 1;
        }
        if matched == wanted.len() {
            let (last_start, last_char) = chars[j - 1];
            found.push(chars[i].0..last_start + last_char.len_utf8());
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_matching_skips_quote_marks_between_letters() {
        let text = "把学习贯彻融入“八五”普法工作,持续开展“枫桥式”司法所创建工作";
        let ranges = loose_occurrences(text, "八五普法");
        assert_eq!(ranges.len(), 1);
        assert_eq!(&text[ranges[0].clone()], "八五”普法");
        let ranges = loose_occurrences(text, "枫桥式司法所");
        assert_eq!(&text[ranges[0].clone()], "枫桥式”司法所");
    }

    #[test]
    fn loose_matching_folds_width_case_and_script() {
        let text = "１９５５年，5g 网络与ＡＢＣ；調解委員會";
        let found = |letters: &str| -> Vec<&str> {
            loose_occurrences(text, letters)
                .into_iter()
                .map(|r| &text[r])
                .collect()
        };
        assert_eq!(found("1955年"), ["１９５５年"]);
        assert_eq!(found("5G"), ["5g"]);
        assert_eq!(found("abc"), ["ＡＢＣ"]);
        assert_eq!(found("调解委员会"), ["調解委員會"]);
        assert_eq!(found("調解委员會"), ["調解委員會"]);
    }

    #[test]
    fn loose_matching_does_not_skip_letters() {
        assert!(loose_occurrences("八五期间普法", "八五普法").is_empty());
        assert!(loose_occurrences("", "八五").is_empty());
        assert!(loose_occurrences("八五", "").is_empty());
    }
}
