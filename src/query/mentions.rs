//! Every mention of a phrase, exactly: the same set, to the occurrence, as a substring
//! scan of the indexed paragraphs, but answered from the index.
//!
//! The character index makes a phrase of characters an exact substring test, so the
//! index gives the candidate paragraphs and the stored text gives the occurrences. No
//! word segmentation is involved, so this never loads the jieba dictionary.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::Searcher;

use crate::chars::is_punctuation_or_space;
use crate::error::{Error, QueryProblem, Result};
use crate::index::documents::{load_passage, ReportCache};
use crate::index::schema::Fields;
use crate::model::Passage;
use crate::query::filters::Filters;
use crate::query::highlight::{occurrences, serialize_ranges};
use crate::query::substring::{all_characters_query, substring_query};

/// How a phrase is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// The phrase exactly, as a substring.
    #[default]
    Exact,
    /// The phrase's letters in order, with any punctuation, quote marks or white space
    /// between them (八五普法 finds “八五”普法).
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
}

/// The number of mentions in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCount {
    /// The group's name (`(unknown)` where the tag is missing).
    pub key: String,
    /// Mentions (occurrences) in the group.
    pub count: usize,
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
        Matching::Loose => all_characters_query(fields.text, &letters),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters.clauses(searcher, fields)?;
    clauses.push((Occur::Must, candidates));
    let addresses = searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
    let mut paragraphs = Vec::new();
    let mut reports = ReportCache::default();
    for address in addresses {
        let passage = load_passage(searcher, fields, &mut reports, address)?;
        let highlights = match matching {
            Matching::Exact => occurrences(&passage.text, phrase),
            Matching::Loose => loose_occurrences(&passage.text, &letters),
        };
        if !highlights.is_empty() {
            paragraphs.push(MentioningParagraph {
                passage,
                highlights,
            });
        }
    }
    paragraphs.sort_by(|a, b| {
        (&a.passage.path, a.passage.paragraph).cmp(&(&b.passage.path, b.passage.paragraph))
    });
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

/// The letters of `phrase` that loose matching looks for: all but punctuation and spaces.
pub fn loose_letters(phrase: &str) -> String {
    phrase
        .chars()
        .filter(|&c| !is_punctuation_or_space(c))
        .collect()
}

/// Byte ranges of the non-overlapping matches of `letters` in `text`, where anything that
/// is punctuation or space may stand between two letters. Each range runs from the first
/// letter to the last, so it covers the matched span of the original text.
pub fn loose_occurrences(text: &str, letters: &str) -> Vec<Range<usize>> {
    let wanted: Vec<char> = letters.chars().collect();
    let Some(&first) = wanted.first() else {
        return Vec::new();
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].1 != first {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut matched = 1;
        while matched < wanted.len() && j < chars.len() {
            let ch = chars[j].1;
            if ch == wanted[matched] {
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

impl Mentions {
    /// Counts of mentions per group, largest first (by year for [`GroupBy::Year`]).
    pub fn group_counts(&self, by: GroupBy) -> Vec<GroupCount> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for paragraph in &self.paragraphs {
            let p = &paragraph.passage;
            let key = match by {
                GroupBy::County => p.meta.county.clone(),
                GroupBy::City => p.meta.city.clone(),
                GroupBy::Province => p.meta.province.clone(),
                GroupBy::Year => p.meta.year.map(|y| y.to_string()),
                GroupBy::Section => Some(p.section_kind.clone()),
            };
            *counts
                .entry(key.unwrap_or_else(|| UNKNOWN_GROUP.to_string()))
                .or_default() += paragraph.highlights.len();
        }
        let mut groups: Vec<GroupCount> = counts
            .into_iter()
            .map(|(key, count)| GroupCount { key, count })
            .collect();
        if by != GroupBy::Year {
            groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        }
        groups
    }
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
    fn loose_matching_does_not_skip_letters() {
        assert!(loose_occurrences("八五期间普法", "八五普法").is_empty());
        assert!(loose_occurrences("", "八五").is_empty());
        assert!(loose_occurrences("八五", "").is_empty());
    }
}
