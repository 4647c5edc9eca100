//! The tag filters shared by `search` and `mentions`: place, year range, section kind.

use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::Arc;

use tantivy::query::{
    BitSetDocSet, ConstScoreQuery, ConstScorer, EnableScoring, Explanation, Occur, Query,
    RangeQuery, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use crate::error::{Error, PlaceTag, Result};
use crate::index::documents::paragraphs_query;
use crate::index::report_tags::{ReportTag, ReportTags};
use crate::index::schema::Fields;
use crate::model::SectionKind;
use crate::query::substring::explain_match;

/// An inclusive range of report years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// First year in the range.
    pub from: u16,
    /// Last year in the range.
    pub to: u16,
}

/// Why a text is not a year range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum YearRangeError {
    /// Not a year, nor two years around `..`.
    #[error("give a year such as 2023 or a range such as 2021..2023")]
    NotAYear,
    /// The first year is after the last.
    #[error("the range runs backwards; write {to}..{from}")]
    Backwards {
        /// The first year given.
        from: u16,
        /// The last year given.
        to: u16,
    },
}

impl std::str::FromStr for YearRange {
    type Err = YearRangeError;

    /// Parses `2023` or `2021..2023`.
    fn from_str(text: &str) -> std::result::Result<YearRange, YearRangeError> {
        let year = |part: &str| {
            part.trim()
                .parse::<u16>()
                .map_err(|_| YearRangeError::NotAYear)
        };
        let (from, to) = match text.split_once("..") {
            Some((from, to)) => (year(from)?, year(to)?),
            None => (year(text)?, year(text)?),
        };
        if from > to {
            return Err(YearRangeError::Backwards { from, to });
        }
        Ok(YearRange { from, to })
    }
}

/// Restrictions on which paragraphs a command looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only this county.
    pub county: Option<String>,
    /// Only this city.
    pub city: Option<String>,
    /// Only this province.
    pub province: Option<String>,
    /// Only reports about these years.
    pub year: Option<YearRange>,
    /// Only paragraphs of this kind of section.
    pub section: Option<SectionKind>,
}

impl Filters {
    /// The clauses (each required, scoring nothing) that restrict a search to paragraphs
    /// that pass the filters.
    ///
    /// Fails when a place is not in the index, naming the closest places that are.
    pub fn clauses(
        &self,
        searcher: &Searcher,
        fields: &Fields,
    ) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        let mut queries: Vec<Box<dyn Query>> = vec![paragraphs_query(fields)];
        let places = [
            (PlaceTag::County, fields.county, &self.county),
            (PlaceTag::City, fields.city, &self.city),
            (PlaceTag::Province, fields.province, &self.province),
        ];
        let mut wanted: Vec<(ReportTag, String)> = Vec::new();
        for (tag, field, value) in places {
            let Some(value) = value else { continue };
            wanted.push((tag.into(), resolve_place(searcher, tag, field, value)?));
        }
        if !wanted.is_empty() || self.year.is_some() {
            // Paragraphs carry their report's path, not its tags: the filter is the set of
            // paths of the reports that pass.
            let years = self.year;
            let reports = ReportTags::read_where(searcher, fields, |tags| {
                wanted
                    .iter()
                    .all(|(tag, value)| tags.place(*tag) == Some(value.as_str()))
                    && years.is_none_or(|range| {
                        tags.year
                            .is_some_and(|year| (range.from..=range.to).contains(&year))
                    })
            })?;
            let paths: Vec<String> = reports.paths().map(str::to_string).collect();
            queries.push(Box::new(ReportsQuery {
                path: fields.path,
                paths: Arc::new(paths),
            }));
        }
        if let Some(kind) = self.section {
            queries.push(column_filter(fields.section_kind, kind.as_str()));
        }
        Ok(queries.into_iter().map(|q| (Occur::Must, q)).collect())
    }
}

/// The documents of the reports at `paths`, scoring nothing.
///
/// Each segment's documents are read from the postings of each path, one dictionary
/// look-up per path. tantivy's `TermSetQuery` walks the whole term dictionary with an
/// automaton built from the paths instead: with a thousand paths out of 3,666, that made a
/// filtered query take 15 ms longer.
#[derive(Clone, Debug)]
struct ReportsQuery {
    path: Field,
    paths: Arc<Vec<String>>,
}

impl Query for ReportsQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for ReportsQuery {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inverted = reader.inverted_index(self.path)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for path in self.paths.iter() {
            let term = Term::from_field_text(self.path, path);
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                docs.insert(doc);
                doc = postings.advance();
            }
        }
        // A filter adds nothing to a paragraph's score, as the other filters' `ConstScoreQuery(_, 0.0)`.
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_match(self, reader, doc, "report filter", || {
            "is not in a report that passes the filters".to_string()
        })
    }
}

/// The documents whose column of the text `field` holds `value`, scoring nothing.
fn column_filter(field: Field, value: &str) -> Box<dyn Query> {
    let term = Term::from_field_text(field, value);
    // A range of one term, on a field that is a column only, is answered from the column.
    let query = RangeQuery::new(Bound::Included(term.clone()), Bound::Included(term));
    Box::new(ConstScoreQuery::new(Box::new(query), 0.0))
}

/// Every value of a place field in the index.
pub fn indexed_values(searcher: &Searcher, field: Field) -> Result<BTreeSet<String>> {
    let mut values = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream().map_err(|err| Error::Io {
            path: "index".into(),
            source: err,
        })?;
        while stream.advance() {
            if let Ok(value) = std::str::from_utf8(stream.key()) {
                values.insert(value.to_string());
            }
        }
    }
    Ok(values)
}

/// The indexed place `value` names: itself when indexed, else the one indexed place whose
/// name it starts (深圳 -> 深圳市, 南山 -> 南山区), as people shorten place names.
///
/// Fails when there is no such place, or several, naming the closest indexed places.
fn resolve_place(searcher: &Searcher, tag: PlaceTag, field: Field, value: &str) -> Result<String> {
    if searcher.doc_freq(&Term::from_field_text(field, value))? > 0 {
        return Ok(value.to_string());
    }
    let known = indexed_values(searcher, field)?;
    let started: Vec<&String> = known.iter().filter(|n| n.starts_with(value)).collect();
    if let [only] = started.as_slice() {
        return Ok(only.to_string());
    }
    let closest = if started.is_empty() {
        closest_places(value, &known)
    } else {
        started.iter().map(|n| n.to_string()).collect()
    };
    Err(Error::UnknownPlace {
        tag,
        value: value.to_string(),
        closest,
        any_indexed: !known.is_empty(),
    })
}

/// Characters that only say a place's level: sharing them says nothing about the name.
const LEVEL_SUFFIXES: [char; 6] = ['省', '市', '县', '区', '旗', '州'];

/// Up to three indexed places that share characters of their name with `typed` (the
/// level suffix aside), most shared first, then by edit distance; none when no name does.
fn closest_places(typed: &str, known: &BTreeSet<String>) -> Vec<String> {
    let shared = |name: &str| {
        let mut chars: Vec<char> = name
            .chars()
            .filter(|c| !LEVEL_SUFFIXES.contains(c) && typed.contains(*c))
            .collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    let mut ranked: Vec<(std::cmp::Reverse<usize>, usize, &String)> = known
        .iter()
        .map(|name| {
            (
                std::cmp::Reverse(shared(name)),
                place_distance(typed, name),
                name,
            )
        })
        .filter(|(shared, _, _)| shared.0 > 0)
        .collect();
    ranked.sort();
    ranked
        .iter()
        .take(3)
        .map(|(_, _, n)| n.to_string())
        .collect()
}

/// Edit distance between place names in characters, with a name that merely adds a
/// suffix (浦江 -> 浦江县) counted as closest.
fn place_distance(typed: &str, known: &str) -> usize {
    if known.starts_with(typed) || typed.starts_with(known) {
        return 0;
    }
    let a: Vec<char> = typed.chars().collect();
    let b: Vec<char> = known.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges_parse_and_backwards_ones_are_refused() {
        assert_eq!(
            "2023".parse::<YearRange>(),
            Ok(YearRange {
                from: 2023,
                to: 2023
            })
        );
        assert_eq!(
            "2021..2023".parse::<YearRange>(),
            Ok(YearRange {
                from: 2021,
                to: 2023
            })
        );
        let err = "2023..2021".parse::<YearRange>().unwrap_err();
        assert!(err.to_string().contains("2021..2023"), "{err}");
        assert_eq!("twenty".parse::<YearRange>(), Err(YearRangeError::NotAYear));
    }

    #[test]
    fn close_places_share_characters_of_the_name_not_only_its_level() {
        let known: BTreeSet<String> = ["光明区", "南山区", "坪山区", "浦江县", "永康市"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(closest_places("永嘉县", &known) == vec!["永康市".to_string()]);
        assert!(closest_places("乐清市", &known).is_empty());
        assert_eq!(closest_places("南山", &known)[0], "南山区");
    }

    #[test]
    fn place_distance_prefers_suffix_completions() {
        assert_eq!(place_distance("浦江", "浦江县"), 0);
        assert!(place_distance("浦江县", "新县") > place_distance("浦江县", "浦北县"));
    }
}
