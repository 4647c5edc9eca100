//! The tag filters shared by `search` and `mentions`: place, year range, section kind.

use std::collections::BTreeSet;

use tantivy::query::{ConstScoreQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
use crate::schema::{Fields, PARAGRAPH_DOC};
use crate::section::SectionKind;

/// An inclusive range of report years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// First year in the range.
    pub from: u16,
    /// Last year in the range.
    pub to: u16,
}

impl std::str::FromStr for YearRange {
    type Err = String;

    /// Parses `2023` or `2021..2023`.
    fn from_str(text: &str) -> std::result::Result<YearRange, String> {
        let year = |part: &str| {
            part.trim().parse::<u16>().map_err(|_| {
                format!("--year {text:?}: give a year such as 2023 or a range such as 2021..2023")
            })
        };
        let (from, to) = match text.split_once("..") {
            Some((from, to)) => (year(from)?, year(to)?),
            None => (year(text)?, year(text)?),
        };
        if from > to {
            return Err(format!(
                "--year {text}: the range runs backwards; write {to}..{from}"
            ));
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

/// Parses a `--section` value, or says which kinds exist.
pub fn parse_section_kind(name: &str) -> std::result::Result<SectionKind, String> {
    SectionKind::from_name(name).ok_or_else(|| {
        let kinds: Vec<&str> = SectionKind::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "--section {name:?} is not a section kind; use one of: {}",
            kinds.join(", ")
        )
    })
}

impl Filters {
    /// The filter queries (scoring nothing) that restrict a search to matching paragraphs.
    ///
    /// Fails when a place is not in the index, naming the closest places that are.
    pub fn queries(&self, searcher: &Searcher, fields: &Fields) -> Result<Vec<Box<dyn Query>>> {
        let mut queries: Vec<Box<dyn Query>> = vec![term_filter(fields.doc_kind, PARAGRAPH_DOC)];
        let places = [
            ("--county", fields.county, &self.county),
            ("--city", fields.city, &self.city),
            ("--province", fields.province, &self.province),
        ];
        for (option, field, value) in places {
            let Some(value) = value else { continue };
            let term = Term::from_field_text(field, value);
            if searcher.doc_freq(&term)? == 0 {
                return Err(unknown_place(searcher, option, field, value));
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
        Ok(queries)
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

fn unknown_place(searcher: &Searcher, option: &str, field: Field, value: &str) -> Error {
    let known = indexed_values(searcher, field).unwrap_or_default();
    let mut ranked: Vec<(usize, &String)> = known
        .iter()
        .map(|name| (place_distance(value, name), name))
        .collect();
    ranked.sort();
    let closest: Vec<&str> = ranked.iter().take(3).map(|(_, n)| n.as_str()).collect();
    if closest.is_empty() {
        return Error::Filter(format!(
            "{option} {value}: no report in the index has a {}",
            &option[2..]
        ));
    }
    Error::Filter(format!(
        "{option} {value}: no report in the index is from there; closest known: {}",
        closest.join(", ")
    ))
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
        assert!(err.contains("2021..2023"), "{err}");
        assert!("twenty".parse::<YearRange>().is_err());
    }

    #[test]
    fn section_kinds_are_named_in_the_error() {
        assert_eq!(parse_section_kind("problems"), Ok(SectionKind::Problems));
        let err = parse_section_kind("problem").unwrap_err();
        assert!(err.contains("problems") && err.contains("plans"));
    }

    #[test]
    fn place_distance_prefers_suffix_completions() {
        assert_eq!(place_distance("浦江", "浦江县"), 0);
        assert!(place_distance("浦江县", "新县") > place_distance("浦江县", "浦北县"));
    }
}
