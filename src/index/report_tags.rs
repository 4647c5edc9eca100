//! A paragraph's place, issuer and year: its report's, reached through the report's path.
//!
//! Only report documents index these tags; a paragraph document carries its report's path
//! (see [`crate::index::documents`]). Indexing the five tags again on every paragraph cost
//! about 6% of indexing time (their postings, columns and the larger documents), for what
//! one table per query gives back: [`ReportTags`] reads every live report's tags from the
//! report documents' columns, and [`TagColumn`] turns one tag into a column of a segment's
//! documents, keyed by the segment's path column.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::Field;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::error::{PlaceTag, Result};
use crate::index::columns::terms;
use crate::index::documents::report_docs_by_path;
use crate::index::schema::Fields;

/// A tag of a report that its paragraphs share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportTag {
    /// County-level division.
    County,
    /// City.
    City,
    /// Province.
    Province,
    /// Issuer.
    Issuer,
    /// The year the report is about.
    Year,
}

impl From<PlaceTag> for ReportTag {
    fn from(place: PlaceTag) -> ReportTag {
        match place {
            PlaceTag::County => ReportTag::County,
            PlaceTag::City => ReportTag::City,
            PlaceTag::Province => ReportTag::Province,
        }
    }
}

/// The place names of [`ReportTag`]s, in this order, in [`TagValues::places`].
const PLACE_TAGS: [ReportTag; 4] = [
    ReportTag::County,
    ReportTag::City,
    ReportTag::Province,
    ReportTag::Issuer,
];

/// One report's tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagValues {
    /// County, city, province, issuer, in the order of [`PLACE_TAGS`].
    places: [Option<String>; 4],
    /// The year the report is about.
    pub year: Option<u16>,
}

impl TagValues {
    /// The value of `tag`, years written out.
    pub fn get(&self, tag: ReportTag) -> Option<String> {
        match tag {
            ReportTag::Year => self.year.map(|year| year.to_string()),
            place => self.place(place).map(str::to_string),
        }
    }

    /// The value of a place tag (`None` for [`ReportTag::Year`]).
    pub fn place(&self, tag: ReportTag) -> Option<&str> {
        let at = PLACE_TAGS.iter().position(|&place| place == tag)?;
        self.places[at].as_deref()
    }
}

/// The tags of every live report of an index, by path.
pub struct ReportTags {
    by_path: FxHashMap<String, TagValues>,
}

impl ReportTags {
    /// Reads the tags of the live reports `searcher` sees, from the report documents'
    /// columns: a few milliseconds for thousands of reports, no stored record read.
    pub fn read(searcher: &Searcher, fields: &Fields) -> Result<ReportTags> {
        ReportTags::read_where(searcher, fields, |_| true)
    }

    /// Reads the tags of the live reports whose tags pass `keep`. Only their paths are
    /// named, which is most of the cost when few pass.
    pub fn read_where(
        searcher: &Searcher,
        fields: &Fields,
        keep: impl Fn(&TagValues) -> bool,
    ) -> Result<ReportTags> {
        let mut by_path = FxHashMap::default();
        for segment in searcher.segment_readers() {
            let columns = SegmentTagColumns::open(segment, fields)?;
            let Some(paths) = &columns.paths else {
                continue;
            };
            let (ords, docs): (Vec<u64>, Vec<DocId>) = report_docs_by_path(segment, fields, paths)?
                .into_iter()
                .unzip();
            let (ords, values): (Vec<u64>, Vec<TagValues>) = ords
                .into_iter()
                .zip(columns.values(&docs)?)
                .filter(|(_, values)| keep(values))
                .unzip();
            by_path.extend(terms(paths, &ords)?.into_iter().zip(values));
        }
        Ok(ReportTags { by_path })
    }

    /// The paths of the reports read.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.by_path.keys().map(String::as_str)
    }

    fn of(&self, path: &str) -> Option<&TagValues> {
        self.by_path.get(path)
    }
}

/// The columns a segment's report documents keep their path and tags in.
struct SegmentTagColumns {
    paths: Option<StrColumn>,
    places: [Option<StrColumn>; 4],
    years: Option<Column<u64>>,
}

impl SegmentTagColumns {
    fn open(segment: &SegmentReader, fields: &Fields) -> tantivy::Result<SegmentTagColumns> {
        let columns = segment.fast_fields();
        let schema = segment.schema();
        let text = |field: Field| columns.str(schema.get_field_name(field));
        Ok(SegmentTagColumns {
            paths: text(fields.path)?,
            places: [
                text(fields.county)?,
                text(fields.city)?,
                text(fields.province)?,
                text(fields.issuer)?,
            ],
            years: columns.column_opt::<u64>(schema.get_field_name(fields.year))?,
        })
    }

    /// The tags of the report documents `docs`. Each column's values are named in one
    /// pass over its dictionary: naming them one by one decompresses a block each, which
    /// made a filtered query over 3,666 reports take 15 ms longer.
    fn values(&self, docs: &[DocId]) -> tantivy::Result<Vec<TagValues>> {
        let mut values: Vec<TagValues> = docs
            .iter()
            .map(|&doc| TagValues {
                year: self
                    .years
                    .as_ref()
                    .and_then(|column| column.first(doc))
                    .and_then(|year| u16::try_from(year).ok()),
                ..TagValues::default()
            })
            .collect();
        for (at, column) in self.places.iter().enumerate() {
            let Some(column) = column else { continue };
            let ords: Vec<Option<u64>> = docs.iter().map(|&doc| column.ords().first(doc)).collect();
            let mut used: Vec<u64> = ords.iter().flatten().copied().collect();
            used.sort_unstable();
            used.dedup();
            let names = terms(column, &used)?;
            for (value, ord) in values.iter_mut().zip(&ords) {
                value.places[at] =
                    ord.and_then(|ord| used.binary_search(&ord).ok().map(|i| names[i].clone()));
            }
        }
        Ok(values)
    }
}

/// Marks a path whose report has no value for the tag.
const NO_VALUE: u32 = u32::MAX;

/// A segment's path column with, for each of its paths, the tags of the report it names:
/// read once per segment, however many tag columns are made of it.
pub struct SegmentReports<'a> {
    paths: StrColumn,
    /// Per term number of the path column.
    tags: Vec<Option<&'a TagValues>>,
}

impl<'a> SegmentReports<'a> {
    /// The paths of `segment` and their reports' tags in `reports`; `None` when the
    /// segment has no paths.
    pub fn open(
        segment: &SegmentReader,
        fields: &Fields,
        reports: &'a ReportTags,
    ) -> tantivy::Result<Option<SegmentReports<'a>>> {
        let schema = segment.schema();
        let Some(paths) = segment
            .fast_fields()
            .str(schema.get_field_name(fields.path))?
        else {
            return Ok(None);
        };
        let all: Vec<u64> = (0..paths.num_terms() as u64).collect();
        let tags = terms(&paths, &all)?
            .iter()
            .map(|path| reports.of(path))
            .collect();
        Ok(Some(SegmentReports { paths, tags }))
    }

    /// The column of `tag`.
    pub fn column(&self, tag: ReportTag) -> TagColumn {
        let values: Vec<Option<String>> = self
            .tags
            .iter()
            .map(|tags| tags.and_then(|tags| tags.get(tag)))
            .collect();
        let names: Vec<String> = values
            .iter()
            .flatten()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let by_path = values
            .iter()
            .map(|value| match value {
                Some(value) => names.binary_search(value).map_or(NO_VALUE, |at| at as u32),
                None => NO_VALUE,
            })
            .collect();
        TagColumn {
            paths: self.paths.clone(),
            by_path,
            names,
        }
    }
}

/// One report tag as a column of a segment's documents: each document's value is that of
/// the report its path names, numbered in the segment's own order of the values.
pub struct TagColumn {
    paths: StrColumn,
    /// Per term number of the path column: the number of its report's value, or
    /// [`NO_VALUE`].
    by_path: Vec<u32>,
    /// The values the segment's reports have, sorted (years sort as numbers: they are all
    /// four digits).
    names: Vec<String>,
}

impl TagColumn {
    /// The number of `doc`'s value in [`TagColumn::names`], if its report has one.
    pub fn ordinal(&self, doc: DocId) -> Option<u32> {
        let path = self.paths.ords().first(doc)?;
        self.by_path
            .get(path as usize)
            .copied()
            .filter(|&ordinal| ordinal != NO_VALUE)
    }

    /// The values, by number.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}
