//! How often a phrase is mentioned, in all and per group, from the index alone.
//!
//! Listing mentions ([`crate::query::mentions`]) reads every paragraph that has one: decompressing
//! the stored text costs thirty times a `grep` of the corpus for a common word. Counting
//! reads none. The character index gives every start of the phrase in each line
//! ([`crate::query::substring::for_each_start`]); the starts of one line are counted left to right
//! without overlap, as a scan of the text counts them (`哈哈` twice in `哈哈哈哈`, not three
//! times), so counts equal those of the listing. Filters are the same tantivy queries as
//! everywhere, and group keys and paragraph lengths come from fast fields: a paragraph's
//! place, issuer and year those of its report, through its path
//! ([`crate::index::report_tags`]).

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;

use serde::Serialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};

use tantivy::Searcher;

use crate::error::{Error, QueryProblem, Result};
use crate::index::char_index::SegmentChars;
use crate::index::columns::terms;
use crate::index::report_tags::{ReportTag, ReportTags, SegmentReports, TagColumn};
use crate::index::schema::{Fields, SECTION_KIND_FIELD};
use crate::query::filters::Filters;
use crate::query::mentions::{
    reading_threads, GroupBy, Listing, Matching, MentionsInParagraph, UNKNOWN_GROUP,
};
use crate::query::substring::for_each_start;

/// The mentions of one group and the text they were counted in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCount {
    /// The group's name (`(unknown)` where the tag is missing).
    pub key: String,
    /// Mentions (occurrences) in the group.
    pub count: u64,
    /// Characters of the group's indexed paragraphs (those passing the filters).
    pub chars: u64,
    /// Mentions per 10,000 characters of the group's text; `None` when it has none.
    pub rate: Option<f64>,
}

/// How often a phrase is mentioned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionCounts {
    /// The phrase as given.
    pub phrase: String,
    /// Number of occurrences.
    pub total: u64,
    /// Number of paragraphs where an occurrence starts.
    pub paragraphs: u64,
    /// Number of reports with at least one occurrence.
    pub reports: u64,
    /// Per group when counted by one: every year of the range for [`GroupBy::Year`]
    /// (zeros included, by year), else every group with a mention, most mentions first.
    pub groups: Vec<GroupCount>,
}

/// Mentions per this many characters, for [`GroupCount::rate`].
pub const RATE_PER_CHARS: f64 = 10_000.0;

/// Counts the mentions of `phrase` in the paragraphs that pass `filters`, once for each
/// of `bys` (in all for `None`, else by that group), from one pass over the mentions.
///
/// Exact matching reads no stored paragraph. Loose matching checks its candidates'
/// text, as the listing does, and groups them the same way.
pub fn count_mentions(
    searcher: &Searcher,
    fields: &Fields,
    phrase: &str,
    filters: &Filters,
    matching: Matching,
    bys: &[Option<GroupBy>],
) -> Result<Vec<MentionCounts>> {
    let readers = searcher.segment_readers();
    let per_segment: Vec<Vec<(DocId, u32)>> = match matching {
        Matching::Exact => {
            if phrase.is_empty() {
                return Err(Error::Query {
                    query: phrase.to_string(),
                    problem: QueryProblem::NothingToFind,
                });
            }
            let needle: Vec<char> = phrase.chars().collect();
            readers
                .iter()
                .map(|reader| exact_counts(reader, &needle))
                .collect::<tantivy::Result<_>>()?
        }
        Matching::Loose => {
            let mut per_segment = vec![Vec::new(); readers.len()];
            Listing {
                searcher,
                fields,
                phrase,
                filters,
                matching,
            }
            .each_shaped(
                reading_threads(),
                &|mentions: &MentionsInParagraph<'_>| mentions.highlights.len() as u32,
                |address, mentions| {
                    per_segment[address.segment_ord as usize].push((address.doc_id, mentions));
                    ControlFlow::Continue(())
                },
            )?;
            for docs in &mut per_segment {
                docs.sort_unstable();
            }
            per_segment
        }
    };
    bys.iter()
        .map(|&by| group_mentions(searcher, fields, phrase, filters, &per_segment, by))
        .collect()
}

/// The counts of the mentions `per_segment` ((paragraph, mentions) by doc id) in the
/// paragraphs that pass `filters`, by `by` if given.
fn group_mentions(
    searcher: &Searcher,
    fields: &Fields,
    phrase: &str,
    filters: &Filters,
    per_segment: &[Vec<(DocId, u32)>],
    by: Option<GroupBy>,
) -> Result<MentionCounts> {
    let readers = searcher.segment_readers();
    let clauses: Vec<(Occur, Box<dyn Query>)> = filters.clauses(searcher, fields)?;
    let filter =
        BooleanQuery::new(clauses).weight(EnableScoring::disabled_from_searcher(searcher))?;

    let mut counts = MentionCounts {
        phrase: phrase.to_string(),
        total: 0,
        paragraphs: 0,
        reports: 0,
        groups: Vec::new(),
    };
    let mut reports: HashSet<String> = HashSet::new();
    let mut groups: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
    let report_tags = match by.and_then(GroupBy::report_tag) {
        Some(tag) => Some((tag, ReportTags::read(searcher, fields)?)),
        None => None,
    };
    for (reader, mentions) in readers.iter().zip(per_segment) {
        let keys = SegmentKeys::open(reader, fields, by, report_tags.as_ref())?;
        let alive = |doc: DocId| reader.alive_bitset().is_none_or(|bits| bits.is_alive(doc));
        // Slot per group key: its mentions and characters.
        let mut slots: Vec<(u64, u64)> = Vec::new();
        // Whether each report (by term number) has a mention.
        let mut mentioned: Vec<bool> =
            vec![false; keys.report.as_ref().map_or(0, |c| c.num_terms())];
        let mut passing = filter.scorer(reader, 1.0)?;
        for &(doc, count) in mentions {
            if passing.doc() < doc {
                passing.seek(doc);
            }
            if passing.doc() == TERMINATED {
                break;
            }
            if passing.doc() != doc || !alive(doc) {
                continue;
            }
            counts.total += u64::from(count);
            counts.paragraphs += 1;
            if let Some(ord) = keys.report.as_ref().and_then(|c| c.ords().first(doc)) {
                if let Some(seen) = mentioned.get_mut(ord as usize) {
                    *seen = true;
                }
            }
            if by.is_some() {
                slot(&mut slots, slot_of(keys.key(doc))).0 += u64::from(count);
            }
        }
        if by.is_some() {
            filter.for_each_no_score(reader, &mut |docs| {
                for &doc in docs {
                    if alive(doc) {
                        slot(&mut slots, slot_of(keys.key(doc))).1 += keys.chars(doc);
                    }
                }
            })?;
        }
        let used: Vec<usize> = (0..slots.len())
            .filter(|&index| slots[index] != (0, 0))
            .collect();
        for (index, name) in used.iter().zip(keys.names(&used)?) {
            let entry = groups.entry(name).or_default();
            entry.0 += slots[*index].0;
            entry.1 += slots[*index].1;
        }
        if let Some(paths) = &keys.report {
            let ords: Vec<u64> = (0..mentioned.len() as u64)
                .filter(|&ord| mentioned[ord as usize])
                .collect();
            reports.extend(terms(paths, &ords)?);
        }
    }
    counts.reports = reports.len() as u64;
    if let Some(by) = by {
        counts.groups = group_table(by, groups, filters);
    }
    Ok(counts)
}

/// The mentions of `needle` in one segment, as (paragraph, count) by doc id: the starts of
/// each line taken left to right, each one after the end of the last one taken, and
/// counted in the paragraph where it starts.
fn exact_counts(reader: &SegmentReader, needle: &[char]) -> tantivy::Result<Vec<(DocId, u32)>> {
    let chars = SegmentChars::open(reader)?;
    let length = needle.len() as u32;
    let mut pieces = chars.pieces();
    let mut found: Vec<(DocId, u32)> = Vec::new();
    let mut taken_until: Option<(DocId, u32)> = None;
    for_each_start(&chars, needle, |line, start| {
        if taken_until.is_some_and(|(taken_line, end)| taken_line == line && start < end) {
            return;
        }
        taken_until = Some((line, start.saturating_add(length)));
        let doc = pieces.piece_at(line, start).0;
        match found.last_mut() {
            Some((last, count)) if *last == doc => *count += 1,
            _ => found.push((doc, 1)),
        }
    });
    Ok(found)
}

/// The slot `index` of `slots`, grown as needed.
fn slot(slots: &mut Vec<(u64, u64)>, index: usize) -> &mut (u64, u64) {
    if index >= slots.len() {
        slots.resize(index + 1, (0, 0));
    }
    &mut slots[index]
}

/// The fast-field columns one segment's paragraphs are counted and grouped with.
struct SegmentKeys {
    /// The column grouped by, if any.
    by: Option<KeyColumn>,
    /// The report paths.
    report: Option<StrColumn>,
    /// Paragraph lengths in characters.
    chars: Option<Column<u64>>,
}

/// A column of group keys.
enum KeyColumn {
    /// Terms: the slot of a paragraph is its term's number plus one.
    Text(StrColumn),
    /// Its report's tag: the slot of a paragraph is the value's number plus one.
    Report(TagColumn),
}

impl SegmentKeys {
    /// The columns of `reader`, grouping by `by`; `report_tags` holds the tag `by` names
    /// and every report's tags, when `by` is a report tag.
    fn open(
        reader: &SegmentReader,
        fields: &Fields,
        by: Option<GroupBy>,
        report_tags: Option<&(ReportTag, ReportTags)>,
    ) -> tantivy::Result<SegmentKeys> {
        let fast = reader.fast_fields();
        let text =
            |field: &str| Ok::<_, tantivy::TantivyError>(fast.str(field)?.map(KeyColumn::Text));
        let by = match (by, report_tags) {
            (None, _) => None,
            (Some(GroupBy::Report), _) => text("path")?,
            (Some(GroupBy::Section), _) => text(SECTION_KIND_FIELD)?,
            (Some(_), Some((tag, reports))) => SegmentReports::open(reader, fields, reports)?
                .map(|segment| KeyColumn::Report(segment.column(*tag))),
            (Some(_), None) => None,
        };
        Ok(SegmentKeys {
            by,
            report: fast.str("path")?,
            chars: fast.column_opt::<u64>("chars")?,
        })
    }

    /// The group key of `doc`: a term number or a year.
    fn key(&self, doc: DocId) -> Option<u64> {
        match &self.by {
            None => None,
            Some(KeyColumn::Text(column)) => column.ords().first(doc),
            Some(KeyColumn::Report(column)) => column.ordinal(doc).map(u64::from),
        }
    }

    /// The names of the groups in `slots` (in increasing order); `None` for paragraphs
    /// without the tag.
    fn names(&self, slots: &[usize]) -> tantivy::Result<Vec<Option<String>>> {
        let unknown = slots.first() == Some(&0);
        let values: Vec<u64> = slots
            .iter()
            .filter_map(|&slot| slot.checked_sub(1))
            .map(|v| v as u64)
            .collect();
        let known = match &self.by {
            Some(KeyColumn::Text(column)) => terms(column, &values)?,
            Some(KeyColumn::Report(column)) => values
                .iter()
                .map(|&value| column.names()[value as usize].clone())
                .collect(),
            None => Vec::new(),
        };
        Ok(unknown
            .then_some(None)
            .into_iter()
            .chain(known.into_iter().map(Some))
            .collect())
    }

    /// The length of `doc` in characters.
    fn chars(&self, doc: DocId) -> u64 {
        self.chars
            .as_ref()
            .and_then(|column| column.first(doc))
            .unwrap_or(0)
    }
}

/// The slot of a group key: 0 for a paragraph without the tag, else the key plus one.
fn slot_of(key: Option<u64>) -> usize {
    key.map_or(0, |value| value as usize + 1)
}

/// The groups as shown: years in order with every year of the range, else by count.
fn group_table(
    by: GroupBy,
    mut groups: BTreeMap<Option<String>, (u64, u64)>,
    filters: &Filters,
) -> Vec<GroupCount> {
    if by == GroupBy::Year {
        let years: Vec<u16> = groups
            .keys()
            .flatten()
            .filter_map(|year| year.parse().ok())
            .collect();
        let range = match filters.year {
            Some(range) => Some((range.from, range.to)),
            None => years
                .iter()
                .min()
                .zip(years.iter().max())
                .map(|(a, b)| (*a, *b)),
        };
        if let Some((from, to)) = range {
            for year in from..=to {
                groups.entry(Some(year.to_string())).or_default();
            }
        }
    } else {
        groups.retain(|_, (count, _)| *count > 0);
    }
    let mut table: Vec<GroupCount> = groups
        .into_iter()
        .map(|(key, (count, chars))| GroupCount {
            key: key.unwrap_or_else(|| UNKNOWN_GROUP.to_string()),
            count,
            chars,
            rate: (chars > 0).then(|| count as f64 * RATE_PER_CHARS / chars as f64),
        })
        .collect();
    if by == GroupBy::Year {
        // Years sort as numbers of one width; the unknown year goes last.
        table.sort_by_key(|g| (g.key == UNKNOWN_GROUP, g.key.len(), g.key.clone()));
    } else {
        table.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    }
    table
}
