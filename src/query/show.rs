//! A report's paragraphs in order, whole or around one paragraph: how a hit (`path#19`) is
//! read in its context.
//!
//! Paragraphs are found in the index by the report's `path` term and their stored numbers,
//! never by opening a file: a path given by a user (or a web request) only ever names a
//! term to look up, so nothing outside the index can be shown.

use std::ops::Range;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use crate::error::{Error, Result};
use crate::index::documents::paragraphs_query;
use crate::index::documents::{ParagraphStore, ReportCache};
use crate::index::schema::Fields;
use crate::model::ReportMeta;
use crate::query::highlight::{highlight_ranges, occurrences, serialize_ranges};
use crate::query::mentions::{loose_letters, loose_occurrences, Matching};
use crate::query::parse::Query;
use crate::query::search::highlight_targets;

/// Paragraphs shown on each side of the one asked for, unless told otherwise.
pub const DEFAULT_CONTEXT: u32 = 2;

/// Which paragraphs of a report to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// All of them.
    Whole,
    /// Paragraph `paragraph` and `context` paragraphs before and after it.
    Around {
        /// The 1-based paragraph number, as hits print it after `#`.
        paragraph: u32,
        /// Paragraphs on each side.
        context: u32,
    },
}

/// What to mark in the shown paragraphs.
#[derive(Debug, Clone, Default)]
pub enum Marking {
    /// Nothing.
    #[default]
    Nothing,
    /// What a search query marks, as in its hits.
    Query(Query),
    /// Each mention of a phrase, as `mentions` finds them.
    Mentions {
        /// The phrase.
        phrase: String,
        /// Exact or loose.
        matching: Matching,
    },
}

/// Gives the byte ranges to mark in a paragraph's text.
type Marker<'a> = Box<dyn Fn(&str) -> Vec<Range<usize>> + 'a>;

impl Marking {
    /// A function giving the byte ranges to mark in a paragraph's text; a query is cut into
    /// words with the index's vocabulary, as search does.
    fn marker<'a>(&'a self, searcher: &Searcher, fields: &Fields) -> Result<Marker<'a>> {
        Ok(match self {
            Marking::Nothing => Box::new(|_| Vec::new()),
            Marking::Query(query) => {
                let targets = highlight_targets(searcher, fields, query)?;
                Box::new(move |text| highlight_ranges(text, &targets))
            }
            Marking::Mentions {
                phrase,
                matching: Matching::Exact,
            } => Box::new(move |text| occurrences(text, phrase)),
            Marking::Mentions {
                phrase,
                matching: Matching::Loose,
            } => {
                let letters = loose_letters(phrase);
                Box::new(move |text| loose_occurrences(text, &letters))
            }
        })
    }
}

/// A report's tags and the paragraphs shown of it.
#[derive(Debug, Clone, Serialize)]
pub struct ShownReport {
    /// The report's path, relative to the corpus folder.
    pub path: String,
    /// Its title line.
    pub title: Option<String>,
    /// Place, issuer, year and publication date.
    #[serde(flatten)]
    pub meta: ReportMeta,
    /// How many paragraphs the whole report has.
    pub paragraph_count: usize,
    /// The paragraphs shown, in order.
    pub paragraphs: Vec<ShownParagraph>,
}

/// One paragraph of a shown report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownParagraph {
    /// 1-based number within the report.
    pub paragraph: u32,
    /// Heading path.
    pub section: String,
    /// Section kind name.
    pub section_kind: String,
    /// The whole paragraph.
    pub text: String,
    /// Byte ranges in `text` to mark; empty without a [`Marking`].
    #[serde(serialize_with = "serialize_ranges")]
    pub highlights: Vec<Range<usize>>,
}

/// Splits `path#19` as hits print it into the path and the paragraph number. A `#` not
/// followed by a number is part of the path.
pub fn split_target(target: &str) -> (&str, Option<u32>) {
    match target.rsplit_once('#') {
        Some((path, number)) if !number.is_empty() => match number.parse::<u32>() {
            Ok(n) => (path, Some(n)),
            Err(_) => (target, None),
        },
        _ => (target, None),
    }
}

/// The paragraphs of the report at `path` (as `reports` lists it) that `extent` asks for,
/// marked as `marking` says.
///
/// Fails with [`Error::UnknownReport`] when the index has no report at `path`, and with
/// [`Error::UnknownParagraph`] when the report has no paragraph of that number.
pub fn show(
    searcher: &Searcher,
    fields: &Fields,
    path: &str,
    extent: Extent,
    marking: &Marking,
) -> Result<ShownReport> {
    let Some(record) = ReportCache::default().get(searcher, fields, path, None, None)? else {
        return Err(Error::UnknownReport {
            path: path.to_string(),
        });
    };
    let mark = marking.marker(searcher, fields)?;
    let query = BooleanQuery::new(vec![
        (Occur::Must, paragraphs_query(fields)),
        (Occur::Must, term_query(fields.path, path)),
    ]);
    let mut addresses: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    // A report's paragraphs were written together, in order: reading them in address
    // order decompresses each block of texts once.
    addresses.sort();
    let wanted = |number: u32| match extent {
        Extent::Whole => true,
        Extent::Around { paragraph, context } => number.abs_diff(paragraph) <= context,
    };
    let store = ParagraphStore::open(searcher, fields)?;
    let mut paragraphs = Vec::new();
    for address in addresses {
        let stored = store.get(address)?;
        if !wanted(stored.paragraph) {
            continue;
        }
        let body = stored.text.as_str();
        paragraphs.push(ShownParagraph {
            paragraph: stored.paragraph,
            section: stored.section.to_string(),
            section_kind: stored.section_kind.to_string(),
            highlights: mark(body),
            text: body.to_string(),
        });
    }
    paragraphs.sort_by_key(|p| p.paragraph);
    if let Extent::Around { paragraph, .. } = extent {
        if !paragraphs.iter().any(|p| p.paragraph == paragraph) {
            return Err(Error::UnknownParagraph {
                path: path.to_string(),
                paragraph,
                paragraphs: record.paragraphs,
            });
        }
    }
    Ok(ShownReport {
        path: record.path.clone(),
        title: record.title.clone(),
        meta: record.meta.clone(),
        paragraph_count: record.paragraphs,
        paragraphs,
    })
}

fn term_query(field: Field, value: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_at_the_last_hash_followed_by_a_number() {
        assert_eq!(split_target("a.txt#19"), ("a.txt", Some(19)));
        assert_eq!(split_target("a#b.txt#3"), ("a#b.txt", Some(3)));
        assert_eq!(split_target("a#b.txt"), ("a#b.txt", None));
        assert_eq!(split_target("a.txt#"), ("a.txt#", None));
        assert_eq!(split_target("a.txt"), ("a.txt", None));
        assert_eq!(split_target("a.txt#-1"), ("a.txt#-1", None));
    }
}
