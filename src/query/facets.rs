//! How many hits each filter choice has: per province, city, county, year and section
//! kind, the number of paragraphs a search would find with that choice made.
//!
//! Each dimension is counted with the filters of the other dimensions applied and its own
//! left out (the place dimensions nest: the city counts keep the province filter, the
//! province counts drop all three), so the counts say what choosing another value gives,
//! not only how the current choice splits.
//!
//! Reading stored documents for thousands of hits would be slow. Each segment's tags are
//! turned once into a table from document to tag: section kinds from their column, places
//! and years from the paragraph's report ([`crate::index::report_tags`]). Segments never
//! change, and a report's paragraphs are replaced with it, so the tables are kept for as
//! long as their segment is searched. With the tables, one run of the query without
//! filters counts every dimension: each hit's tags say which filters it passes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::index::columns::terms;
use crate::index::report_tags::{ReportTag, ReportTags, SegmentReports, TagColumn};
use crate::index::schema::{Fields, SECTION_KIND_FIELD};
use crate::query::filters::{Filters, YearRange};

/// How many hits one choice of a filter has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The choice (`(unknown)` for hits whose report lacks the tag).
    pub key: String,
    /// Hits with it.
    pub count: usize,
}

/// Hit counts per choice of each filter, largest first (years in order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Per province.
    pub province: Vec<FacetCount>,
    /// Per city, within the chosen province.
    pub city: Vec<FacetCount>,
    /// Per county, within the chosen city and province.
    pub county: Vec<FacetCount>,
    /// Per report year.
    pub year: Vec<FacetCount>,
    /// Per section kind.
    pub section: Vec<FacetCount>,
}

/// Counts filter choices, keeping each segment's tag tables between searches.
#[derive(Default)]
pub struct FacetCounter {
    tables: Mutex<HashMap<SegmentId, Arc<SegmentTags>>>,
}

impl FacetCounter {
    /// Counts, for each dimension, the paragraphs `unfiltered` finds that pass `filters`
    /// with that dimension's own choice left out. `unfiltered` is the search's query with
    /// no filters but the one to paragraphs.
    pub fn count(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        filters: &Filters,
        unfiltered: &dyn Query,
    ) -> Result<Facets> {
        self.forget_other_segments(searcher);
        self.read_new_segments(searcher, fields)?;
        let collector = TagCollector {
            counter: self,
            filters,
        };
        let counts = searcher.search(unfiltered, &collector)?;
        let groups = |index: usize, by_year: bool| {
            let mut groups: Vec<FacetCount> = counts[index]
                .iter()
                .map(|(key, &count)| FacetCount {
                    key: key.clone(),
                    count,
                })
                .collect();
            if !by_year {
                groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            }
            groups
        };
        Ok(Facets {
            province: groups(PROVINCE, false),
            city: groups(CITY, false),
            county: groups(COUNTY, false),
            section: groups(SECTION, false),
            year: groups(YEAR, true),
        })
    }

    /// Drops the tables of segments a new commit merged away.
    fn forget_other_segments(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentTags>>> {
        // A panic while a table was inserted leaves nothing half-written in the map.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the tables of the segments searched for the first time, their reports' tags
    /// read once for all of them.
    fn read_new_segments(&self, searcher: &Searcher, fields: &Fields) -> Result<()> {
        let new: Vec<&SegmentReader> = searcher
            .segment_readers()
            .iter()
            .filter(|segment| !self.lock().contains_key(&segment.segment_id()))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let reports = ReportTags::read(searcher, fields)?;
        for segment in new {
            let tags = Arc::new(SegmentTags::read(segment, fields, &reports)?);
            self.lock().insert(segment.segment_id(), tags);
        }
        Ok(())
    }

    fn tags(&self, segment: &SegmentReader) -> Option<Arc<SegmentTags>> {
        self.lock().get(&segment.segment_id()).cloned()
    }
}

/// Positions of the dimensions in [`TagCounts`] and of the tables in [`SegmentTags`].
const PROVINCE: usize = 0;
const CITY: usize = 1;
const COUNTY: usize = 2;
const SECTION: usize = 3;
const YEAR: usize = 4;

/// Hits per tag value, by dimension.
type TagCounts = [BTreeMap<String, usize>; 5];

/// One tag field of a segment as a table: each document's term number, and the terms.
struct TagTable {
    /// Term number of each document; [`NO_TAG`] where it has none.
    ordinals: Vec<u32>,
    /// The terms, by number.
    names: Vec<String>,
}

const NO_TAG: u32 = u32::MAX;

impl TagTable {
    /// The table of the text column `field` of `segment`.
    fn read(segment: &SegmentReader, field: &str) -> Result<TagTable> {
        let max_doc = segment.max_doc();
        let Some(column) = segment.fast_fields().str(field)? else {
            return Ok(TagTable::empty(max_doc));
        };
        let ords: Vec<u64> = (0..column.num_terms() as u64).collect();
        Ok(TagTable {
            ordinals: (0..max_doc)
                .map(|doc| column.ords().first(doc).map_or(NO_TAG, |ord| ord as u32))
                .collect(),
            names: terms(&column, &ords)?,
        })
    }

    /// A table of `max_doc` documents without the tag.
    fn empty(max_doc: DocId) -> TagTable {
        TagTable {
            ordinals: vec![NO_TAG; max_doc as usize],
            names: Vec::new(),
        }
    }

    /// The table of a report tag: each document's value is its report's.
    fn of_reports(column: Option<TagColumn>, max_doc: DocId) -> TagTable {
        match column {
            Some(column) => TagTable {
                ordinals: (0..max_doc)
                    .map(|doc| column.ordinal(doc).unwrap_or(NO_TAG))
                    .collect(),
                names: column.names().to_vec(),
            },
            None => TagTable::empty(max_doc),
        }
    }

    fn tag_of(&self, doc: DocId) -> Option<u32> {
        self.ordinals
            .get(doc as usize)
            .copied()
            .filter(|&o| o != NO_TAG)
    }
}

/// The tag tables of one segment: province, city, county, section kind; and the years.
struct SegmentTags {
    tables: [TagTable; 4],
    /// Each document's report year; [`NO_YEAR`] where it has none.
    years: Vec<u16>,
}

const NO_YEAR: u16 = 0;

impl SegmentTags {
    fn read(segment: &SegmentReader, fields: &Fields, reports: &ReportTags) -> Result<SegmentTags> {
        let max_doc = segment.max_doc();
        let segment_reports = SegmentReports::open(segment, fields, reports)?;
        let of_reports = |tag| {
            let column = segment_reports.as_ref().map(|r| r.column(tag));
            TagTable::of_reports(column, max_doc)
        };
        let years = of_reports(ReportTag::Year);
        let year_values: Vec<u16> = years
            .names
            .iter()
            .map(|name| name.parse().unwrap_or(NO_YEAR))
            .collect();
        Ok(SegmentTags {
            tables: [
                of_reports(ReportTag::Province),
                of_reports(ReportTag::City),
                of_reports(ReportTag::County),
                TagTable::read(segment, SECTION_KIND_FIELD)?,
            ],
            years: years
                .ordinals
                .iter()
                .map(|&ordinal| {
                    year_values
                        .get(ordinal as usize)
                        .copied()
                        .unwrap_or(NO_YEAR)
                })
                .collect(),
        })
    }

    fn year(&self, doc: DocId) -> Option<u16> {
        self.years
            .get(doc as usize)
            .copied()
            .filter(|&year| year != NO_YEAR)
    }
}

/// Collects [`TagCounts`] of the documents a query finds.
struct TagCollector<'a> {
    counter: &'a FacetCounter,
    filters: &'a Filters,
}

/// What one tag filter asks of a segment's documents.
#[derive(Clone, Copy)]
enum Wanted {
    /// No filter.
    Any,
    /// This term number.
    Tag(u32),
    /// A value no document of the segment has.
    Absent,
}

impl Wanted {
    fn of(table: &TagTable, value: Option<&str>) -> Wanted {
        match value {
            None => Wanted::Any,
            Some(value) => match table
                .names
                .binary_search_by(|name| name.as_str().cmp(value))
            {
                Ok(ordinal) => Wanted::Tag(ordinal as u32),
                Err(_) => Wanted::Absent,
            },
        }
    }

    fn passes(self, tag: Option<u32>) -> bool {
        match self {
            Wanted::Any => true,
            Wanted::Tag(wanted) => tag == Some(wanted),
            Wanted::Absent => false,
        }
    }
}

impl Collector for TagCollector<'_> {
    type Fruit = TagCounts;
    type Child = SegmentTagCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTagCollector> {
        let tags = self.counter.tags(segment).ok_or_else(|| {
            tantivy::TantivyError::InternalError("a segment's tags were not read".into())
        })?;
        let filters = self.filters;
        let section = filters.section.map(|kind| kind.as_str());
        let values = [
            filters.province.as_deref(),
            filters.city.as_deref(),
            filters.county.as_deref(),
            section,
        ];
        let wanted = std::array::from_fn(|i| Wanted::of(&tags.tables[i], values[i]));
        Ok(SegmentTagCollector {
            counts: std::array::from_fn(|i| vec![0; tags.tables[i].names.len()]),
            years: BTreeMap::new(),
            wanted,
            years_wanted: filters.year,
            tags,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TagCounts>) -> tantivy::Result<TagCounts> {
        let mut merged = TagCounts::default();
        for fruit in fruits {
            for (into, from) in merged.iter_mut().zip(fruit) {
                for (key, count) in from {
                    *into.entry(key).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

/// Counts one segment's hits by term number, named at harvest.
struct SegmentTagCollector {
    tags: Arc<SegmentTags>,
    /// The filters of province, city, county, section, as term numbers of this segment.
    wanted: [Wanted; 4],
    years_wanted: Option<YearRange>,
    /// Hits per term number of province, city, county, section.
    counts: [Vec<usize>; 4],
    years: BTreeMap<u16, usize>,
}

impl SegmentCollector for SegmentTagCollector {
    type Fruit = TagCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let tags: [Option<u32>; 4] = std::array::from_fn(|i| self.tags.tables[i].tag_of(doc));
        let year = self.tags.year(doc);
        let pass: [bool; 4] = std::array::from_fn(|i| self.wanted[i].passes(tags[i]));
        let year_passes = self
            .years_wanted
            .is_none_or(|range| year.is_some_and(|y| (range.from..=range.to).contains(&y)));
        // Which filters each dimension keeps: not its own, nor the places inside it.
        let keeps = [
            year_passes && pass[SECTION],
            pass[PROVINCE] && year_passes && pass[SECTION],
            pass[PROVINCE] && pass[CITY] && year_passes && pass[SECTION],
            pass[PROVINCE] && pass[CITY] && pass[COUNTY] && year_passes,
        ];
        for i in 0..4 {
            if let (true, Some(tag)) = (keeps[i], tags[i]) {
                self.counts[i][tag as usize] += 1;
            }
        }
        if let (true, Some(year)) = (
            pass[PROVINCE] && pass[CITY] && pass[COUNTY] && pass[SECTION],
            year,
        ) {
            *self.years.entry(year).or_default() += 1;
        }
    }

    fn harvest(self) -> TagCounts {
        let mut counts = TagCounts::default();
        for (i, table) in self.tags.tables.iter().enumerate() {
            counts[i] = self.counts[i]
                .iter()
                .enumerate()
                .filter(|(_, &count)| count > 0)
                .map(|(ordinal, &count)| (table.names[ordinal].clone(), count))
                .collect();
        }
        counts[YEAR] = self
            .years
            .iter()
            .map(|(year, &count)| (year.to_string(), count))
            .collect();
        counts
    }
}
