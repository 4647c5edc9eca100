//! The tag filters shared by `search` and `mentions`: place, year range, section kind.

use std::collections::BTreeSet;

use tantivy::query::{ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::error::{Error, PlaceTag, Result};
use crate::index::schema::{Fields, PARAGRAPH_DOC};
use crate::model::SectionKind;

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
        let mut queries: Vec<Box<dyn Query>> = vec![term_filter(fields.doc_kind, PARAGRAPH_DOC)];
        let places = [
            (PlaceTag::County, fields.county, &self.county),
            (PlaceTag::City, fields.city, &self.city),
            (PlaceTag::Province, fields.province, &self.province),
        ];
        for (tag, field, value) in places {
            let Some(value) = value else { continue };
            let term = Term::from_field_text(field, value);
            if searcher.doc_freq(&term)? == 0 {
                return Err(unknown_place(searcher, tag, field, value));
            }
            queries.push(term_filter(field, value));
        }
        if let Some(years) = self.year {
            let range = RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(fields.year, years.from.into())),
                std::ops::Bound::Included(Term::from_field_u64(fields.year, years.to.into())),
            );
            queries.push(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)));
        }
        if let Some(kind) = self.section {
            queries.push(term_filter(fields.section_kind, kind.as_str()));
        }
        Ok(queries.into_iter().map(|q| (Occur::Must, q)).collect())
    }
}

fn term_filter(field: Field, value: &str) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
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

fn unknown_place(searcher: &Searcher, tag: PlaceTag, field: Field, value: &str) -> Error {
    let known = indexed_values(searcher, field).unwrap_or_default();
    let mut ranked: Vec<(usize, &String)> = known
        .iter()
        .map(|name| (place_distance(value, name), name))
        .collect();
    ranked.sort();
    Error::UnknownPlace {
        tag,
        value: value.to_string(),
        closest: ranked.iter().take(3).map(|(_, n)| n.to_string()).collect(),
    }
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
    fn place_distance_prefers_suffix_completions() {
        assert_eq!(place_distance("浦江", "浦江县"), 0);
        assert!(place_distance("浦江县", "新县") > place_distance("浦江县", "浦北县"));
    }
}
