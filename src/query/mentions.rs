//! Every mention of a phrase, exactly: the same set, to the occurrence, as a substring
//! scan of the indexed paragraphs, but answered from the index.
//!
//! The character index makes a phrase of characters an exact substring test, so the
//! index gives the candidate paragraphs and the stored text gives the occurrences. No
//! word segmentation is involved, so this never loads the jieba dictionary.

use std::collections::HashMap;
use std::ops::{ControlFlow, Range};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::{
    DocAddress, DocId, Executor, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyError,
};

use crate::chars::is_punctuation_or_space;
use crate::error::{Error, QueryProblem, Result};
use crate::index::char_index::SegmentChars;
use crate::index::columns::terms;
use crate::index::damage::reading_for_guard;
use crate::index::documents::{report_docs_by_path, ParagraphStore, ReportCache, StoredParagraph};
use crate::index::report_tags::ReportTag;
use crate::index::schema::Fields;
use crate::model::{Passage, ReportRecord};
use crate::query::filters::Filters;
use crate::query::fold::{fold, variants};
use crate::query::highlight::{occurrences_found_by, serialize_ranges};
use crate::query::substring::{each_of_query, substring_query};

/// How a phrase is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// The phrase exactly, as a substring.
    #[default]
    Exact,
    /// The phrase's letters in order, with any punctuation, quote marks or white space
    /// between them (八五普法 finds “八五”普法), each in any of its written forms: full or
    /// half width, upper or lower case, traditional or simplified (as `search` folds them).
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

/// The mentions in one paragraph, borrowed from the index while a listing reads it: what
/// each output is made from, on the listing's reading threads, without copying the text.
#[derive(Debug, Clone, Copy)]
pub struct MentionsInParagraph<'a> {
    /// The report's path.
    pub path: &'a str,
    /// The report's record, when the index has one.
    pub report: Option<&'a ReportRecord>,
    /// The paragraph's heading path.
    pub section: &'a str,
    /// Its section kind's name.
    pub section_kind: &'a str,
    /// Its 1-based ordinal within the report.
    pub paragraph: u32,
    /// Its text.
    pub text: &'a str,
    /// Byte ranges in `text` of each occurrence.
    pub highlights: &'a [Range<usize>],
}

impl MentionsInParagraph<'_> {
    /// The same paragraph and mentions, owned.
    pub fn owned(&self) -> MentioningParagraph {
        MentioningParagraph {
            passage: Passage::in_report(
                self.path.to_string(),
                self.report,
                self.section,
                self.section_kind,
                self.paragraph,
                self.text,
            ),
            highlights: self.highlights.to_vec(),
        }
    }
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

impl GroupBy {
    /// The report tag grouped by, for the groups a paragraph's report decides.
    pub(crate) fn report_tag(self) -> Option<ReportTag> {
        match self {
            GroupBy::County => Some(ReportTag::County),
            GroupBy::City => Some(ReportTag::City),
            GroupBy::Province => Some(ReportTag::Province),
            GroupBy::Year => Some(ReportTag::Year),
            GroupBy::Issuer => Some(ReportTag::Issuer),
            GroupBy::Section | GroupBy::Report => None,
        }
    }
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

/// The paragraphs that mention a phrase among those that pass the filters, by report
/// path and paragraph order: read all at once, the first few, a page, or one by one.
pub struct Listing<'a> {
    /// The searcher over the last commit.
    pub searcher: &'a Searcher,
    /// The index's fields.
    pub fields: &'a Fields,
    /// The phrase as given.
    pub phrase: &'a str,
    /// The tag filters.
    pub filters: &'a Filters,
    /// Exact or loose matching.
    pub matching: Matching,
}

impl Listing<'_> {
    /// Every mention.
    pub fn all(&self) -> Result<Mentions> {
        let mut paragraphs = Vec::new();
        self.each_shaped(
            reading_threads(),
            &|mentions: &MentionsInParagraph<'_>| mentions.owned(),
            |_, paragraph| {
                paragraphs.push(paragraph);
                ControlFlow::Continue(())
            },
        )?;
        let total = paragraphs.iter().map(|p| p.highlights.len()).sum();
        let mut reports: Vec<&str> = paragraphs.iter().map(|p| p.passage.path.as_str()).collect();
        reports.dedup();
        Ok(Mentions {
            phrase: self.phrase.to_string(),
            total,
            reports: reports.len(),
            paragraphs,
        })
    }

    /// The first paragraphs, until they hold `enough` mentions: a preview that reads
    /// little more than it shows.
    pub fn first(&self, enough: usize) -> Result<Vec<MentioningParagraph>> {
        if enough == 0 {
            return Ok(Vec::new());
        }
        let mut mentions = 0;
        // One thread: more would read ahead paragraphs that are never shown.
        self.collect(1, |paragraph| {
            mentions += paragraph.highlights.len();
            (true, mentions < enough)
        })
    }

    /// Paragraphs `skip..skip + take`: a page, read no further than its end.
    pub fn page(&self, skip: usize, take: usize) -> Result<Vec<MentioningParagraph>> {
        if take == 0 {
            return Ok(Vec::new());
        }
        let mut seen = 0usize;
        // A first page is read on one thread: more would read ahead what is not shown.
        let threads = if skip < CHUNK_CANDIDATES {
            1
        } else {
            reading_threads()
        };
        self.collect(threads, |_| {
            seen += 1;
            (seen > skip, seen < skip.saturating_add(take))
        })
    }

    /// Calls `visit` with what `render` makes of the paragraphs, in order, a few hundred at
    /// a time, holding only the few being handed over in memory, whatever their number.
    /// `render` runs on the reading threads, on each paragraph as read, so that making the
    /// output is shared by them: it appends the paragraph's bytes to the buffer it is given
    /// and returns what else `visit` needs. `visit` gets what it returned for each
    /// paragraph and their bytes end to end, to write at once. `Err` from `visit` stops the
    /// reading and is returned as [`Error::Output`].
    pub fn each<T: Send>(
        &self,
        render: &(impl Fn(&MentionsInParagraph<'_>, &mut Vec<u8>) -> T + Sync),
        mut visit: impl FnMut(Vec<T>, &[u8]) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut failed = None;
        self.each_paragraph(reading_threads(), render, |paragraphs, bytes| {
            let rendered = paragraphs.into_iter().map(|(_, made)| made).collect();
            match visit(rendered, bytes) {
                Ok(()) => ControlFlow::Continue(()),
                Err(err) => {
                    failed = Some(err);
                    ControlFlow::Break(())
                }
            }
        })?;
        failed.map_or(Ok(()), |err| Err(Error::Output(err)))
    }

    /// Calls `visit` with what `shape` makes of each paragraph, with its address, until it
    /// breaks: [`Listing::each_paragraph`] one paragraph at a time, with no bytes made.
    pub(crate) fn each_shaped<T: Send>(
        &self,
        threads: usize,
        shape: &(impl Fn(&MentionsInParagraph<'_>) -> T + Sync),
        mut visit: impl FnMut(DocAddress, T) -> ControlFlow<()>,
    ) -> Result<()> {
        self.each_paragraph(
            threads,
            &|mentions: &MentionsInParagraph<'_>, _: &mut Vec<u8>| shape(mentions),
            |paragraphs, _| {
                paragraphs
                    .into_iter()
                    .try_for_each(|(address, made)| visit(address, made))
            },
        )
    }

    /// Calls `visit` with what `shape` makes of the paragraphs, with their addresses, and
    /// the bytes `shape` appended for them, a piece of work at a time, until it breaks;
    /// read and shaped on `threads` threads, each a few pieces of work ahead of `visit` at
    /// most. A piece of work's paragraphs share one buffer, handed back to its thread once
    /// visited, so that output made on the reading threads costs no allocation per
    /// paragraph.
    ///
    /// A line cut into several paragraphs for length is scanned whole, so that a mention
    /// across a cut is found; it is listed with the paragraph where it starts, its highlight
    /// running to that paragraph's end.
    pub(crate) fn each_paragraph<T: Send>(
        &self,
        threads: usize,
        shape: &(impl Fn(&MentionsInParagraph<'_>, &mut Vec<u8>) -> T + Sync),
        mut visit: impl FnMut(Vec<(DocAddress, T)>, &[u8]) -> ControlFlow<()>,
    ) -> Result<()> {
        let Listing {
            searcher,
            fields,
            filters,
            ..
        } = *self;
        let phrase = Phrase::new(self.phrase, self.matching)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters.clauses(searcher, fields)?;
        clauses.push((Occur::Must, phrase.candidates()));
        let query = BooleanQuery::new(clauses);
        let collector = ByReport { fields: *fields };
        let reports = match threads {
            0 | 1 => searcher.search(&query, &collector)?,
            _ => searcher.search_with_executor(
                &query,
                &collector,
                &segment_threads(threads)?,
                EnableScoring::disabled_from_searcher(searcher),
            )?,
        };
        // Each segment's character index is opened once: reports of all segments come
        // interleaved in path order.
        let mut segment_chars: Vec<Option<SegmentChars>> = (0..searcher.segment_readers().len())
            .map(|_| None)
            .collect();
        for address in reports.iter().flat_map(|report| &report.docs) {
            let ord = address.segment_ord as usize;
            if segment_chars[ord].is_none() {
                segment_chars[ord] = Some(SegmentChars::open(
                    searcher.segment_reader(address.segment_ord),
                )?);
            }
        }
        let chunks = chunks(reports);
        // Hands a piece of work's paragraphs to `visit`, and gives back its buffer, for the
        // next piece: kept at its size, it is neither grown again nor touched afresh.
        let mut hand_over = |chunk: Shaped<T>| {
            let flow = visit(chunk.paragraphs, &chunk.bytes);
            (flow, chunk.bytes)
        };
        let threads = threads.min(chunks.len());
        if threads <= 1 {
            let store = ParagraphStore::open(searcher, fields)?;
            let mut reader =
                ParagraphReader::new(searcher, fields, &phrase, &segment_chars, &store);
            let mut bytes = Vec::new();
            for chunk in &chunks {
                let flow;
                (flow, bytes) = hand_over(reader.read(chunk, shape, bytes)?);
                if flow.is_break() {
                    break;
                }
            }
            return Ok(());
        }
        // Each thread reads through a store of its own, which keeps its last block.
        let stores = (0..threads)
            .map(|_| ParagraphStore::open(searcher, fields))
            .collect::<Result<Vec<_>>>()?;
        std::thread::scope(|scope| {
            // Thread `t` reads chunks t, t + threads, …, so taking them from the threads in
            // turn restores their order without holding any back.
            let mut results = Vec::with_capacity(threads);
            let mut buffers = Vec::with_capacity(threads);
            for (first, store) in stores.into_iter().enumerate() {
                let (send, receive) = sync_channel(CHUNKS_AHEAD);
                results.push(receive);
                let (give_back, take_back) = channel::<Vec<u8>>();
                buffers.push(give_back);
                let (chunks, phrase, segment_chars) = (&chunks, &phrase, &segment_chars);
                scope.spawn(move || {
                    // A damaged file can make tantivy panic: the panic goes to the calling
                    // thread, which reports damage as such.
                    reading_for_guard();
                    let mut reader =
                        ParagraphReader::new(searcher, fields, phrase, segment_chars, &store);
                    for chunk in chunks.iter().skip(first).step_by(threads) {
                        let bytes = take_back.try_recv().unwrap_or_default();
                        let read =
                            catch_unwind(AssertUnwindSafe(|| reader.read(chunk, shape, bytes)));
                        let stop = !matches!(read, Ok(Ok(_)));
                        // A closed channel means the writer stopped: so does the reading.
                        if send.send(read).is_err() || stop {
                            break;
                        }
                    }
                });
            }
            for turn in 0..chunks.len() {
                let Ok(read) = results[turn % threads].recv() else {
                    break;
                };
                let read = read.unwrap_or_else(|panic| resume_unwind(panic));
                let (flow, bytes) = hand_over(read?);
                if flow.is_break() {
                    break;
                }
                // A thread that has finished no longer takes its buffers back.
                let _ = buffers[turn % threads].send(bytes);
            }
            Ok(())
        })
    }

    /// The paragraphs `choose` keeps, until it says that enough were read: it answers
    /// (keep this one, read on).
    fn collect(
        &self,
        threads: usize,
        mut choose: impl FnMut(&MentioningParagraph) -> (bool, bool),
    ) -> Result<Vec<MentioningParagraph>> {
        let mut kept = Vec::new();
        self.each_shaped(
            threads,
            &|mentions: &MentionsInParagraph<'_>| mentions.owned(),
            |_, paragraph| {
                let (keep, read_on) = choose(&paragraph);
                if keep {
                    kept.push(paragraph);
                }
                if read_on {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            },
        )?;
        Ok(kept)
    }
}

/// Threads that read stored paragraphs for a whole listing: decompressing the stored text
/// is most of its cost, and paragraphs are independent.
pub(crate) fn reading_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Threads that search `threads` segments at once for the candidates of a listing: for a
/// common word, finding and grouping them took a fifth of a listing's time before any
/// paragraph was read. Their panics, like the reading threads', are the caller's to report.
fn segment_threads(threads: usize) -> Result<Executor> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .start_handler(|_| reading_for_guard())
        .build()
        .map_err(|err| Error::Tantivy(TantivyError::SystemError(err.to_string())))?;
    Ok(Executor::ThreadPool(Arc::new(pool)))
}

/// Candidate paragraphs read per piece of work handed to a reading thread: enough to pay
/// for the hand-over, few enough that the threads share the work evenly.
const CHUNK_CANDIDATES: usize = 256;

/// Pieces of work a reading thread may finish before the writer takes them: the
/// paragraphs held in memory at once, whatever the number of mentions.
const CHUNKS_AHEAD: usize = 2;

/// Collects the matching paragraphs grouped by report, in the listing's order: reports by
/// path, each report's paragraphs in index order. Each segment groups its own paragraphs
/// by their number in the path column and reads the paths in one pass over its dictionary
/// (looking them up one by one would decompress a block each), so that a search on
/// several threads does that work in parallel; the segments' lists, each by path, are
/// then merged. tantivy's `DocSetCollector` would put the paragraphs in a hash set, which
/// then needs sorting.
struct ByReport {
    fields: Fields,
}

/// The paragraphs of one segment collected by [`ByReport`]: its path column, its report
/// documents by path number, and, for each path number met, in the order met, the
/// paragraphs.
struct SegmentReports {
    segment: SegmentOrdinal,
    paths: Option<StrColumn>,
    records: Vec<(u64, DocId)>,
    reports: Vec<(Option<u64>, Vec<DocId>)>,
}

impl Collector for ByReport {
    type Fruit = Vec<ReportCandidates>;
    type Child = SegmentByReport;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentByReport> {
        let paths = reader
            .fast_fields()
            .str(reader.schema().get_field_name(self.fields.path))?;
        let records = match &paths {
            Some(paths) => report_docs_by_path(reader, &self.fields, paths)?,
            None => Vec::new(),
        };
        Ok(SegmentByReport {
            found: SegmentReports {
                segment,
                paths,
                records,
                reports: Vec::new(),
            },
            slot_of: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        per_segment: Vec<tantivy::Result<Vec<ReportCandidates>>>,
    ) -> tantivy::Result<Vec<ReportCandidates>> {
        let mut reports: Vec<ReportCandidates> = Vec::new();
        for found in per_segment {
            reports = merged_by_path(reports, found?);
        }
        Ok(reports)
    }
}

impl SegmentReports {
    /// The segment's reports by path, with their paths: a path column numbers its paths
    /// in their order, so sorting by number sorts by path.
    fn by_path(self) -> tantivy::Result<Vec<ReportCandidates>> {
        let mut reports = self.reports;
        // Paragraphs without a path (none are written so) come first, as the empty path.
        reports.sort_unstable_by_key(|(ord, _)| *ord);
        let ords: Vec<u64> = reports.iter().filter_map(|(ord, _)| *ord).collect();
        let mut names = match &self.paths {
            Some(column) => terms(column, &ords)?,
            None => Vec::new(),
        }
        .into_iter();
        let segment = self.segment;
        let records = records_of(reports.iter().map(|(ord, _)| *ord), self.records);
        Ok(reports
            .into_iter()
            .zip(records)
            .map(|((ord, docs), record)| ReportCandidates {
                path: ord.and_then(|_| names.next()).unwrap_or_default(),
                record: record.map(|doc| DocAddress::new(segment, doc)),
                docs: docs
                    .into_iter()
                    .map(|doc| DocAddress::new(segment, doc))
                    .collect(),
            })
            .collect())
    }
}

/// For each of the path numbers `ords` (in increasing order), the report document of
/// `records` (sorted by path number) that has it, if any: both are walked once.
fn records_of(
    ords: impl Iterator<Item = Option<u64>>,
    records: Vec<(u64, DocId)>,
) -> Vec<Option<DocId>> {
    let mut records = records.into_iter().peekable();
    ords.map(|ord| {
        let ord = ord?;
        while records.next_if(|&(record, _)| record < ord).is_some() {}
        records
            .next_if(|&(record, _)| record == ord)
            .map(|(_, doc)| doc)
    })
    .collect()
}

/// Two lists of reports by path merged into one by path, a report in both becoming one
/// with its paragraphs of both in index order.
fn merged_by_path(
    first: Vec<ReportCandidates>,
    second: Vec<ReportCandidates>,
) -> Vec<ReportCandidates> {
    let mut merged = Vec::with_capacity(first.len().max(second.len()));
    let mut second = second.into_iter().peekable();
    for mut report in first {
        while let Some(next) = second.next_if(|next| next.path < report.path) {
            merged.push(next);
        }
        if let Some(same) = second.next_if(|next| next.path == report.path) {
            report.record = report.record.or(same.record);
            report.docs.extend(same.docs);
            // Segments may be searched in any order; each one's paragraphs come in order.
            report.docs.sort_unstable();
        }
        merged.push(report);
    }
    merged.extend(second);
    merged
}

/// [`ByReport`] within one segment.
struct SegmentByReport {
    found: SegmentReports,
    /// Where each path number met is in `found.reports`.
    slot_of: HashMap<Option<u64>, usize>,
}

impl SegmentCollector for SegmentByReport {
    /// The segment's reports by path, named on the thread that searched it.
    type Fruit = tantivy::Result<Vec<ReportCandidates>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let ord = self.found.paths.as_ref().and_then(|c| c.ords().first(doc));
        let reports = &mut self.found.reports;
        // A report's paragraphs are mostly consecutive: the last report is checked first.
        match reports.last_mut() {
            Some((last, docs)) if *last == ord => docs.push(doc),
            _ => {
                let slot = *self.slot_of.entry(ord).or_insert_with(|| {
                    reports.push((ord, Vec::new()));
                    reports.len() - 1
                });
                reports[slot].1.push(doc);
            }
        }
    }

    fn harvest(self) -> tantivy::Result<Vec<ReportCandidates>> {
        self.found.by_path()
    }
}

/// What a phrase is matched as: a query for the candidate paragraphs, and the test that
/// finds its occurrences in a candidate's text.
struct Phrase {
    matching: Matching,
    /// The phrase as given, for exact matching.
    exact: String,
    /// A searcher for it, built once: building one per paragraph cost as much as a
    /// tenth of the listing's search.
    finder: memchr::memmem::Finder<'static>,
    /// Its letters, for loose matching.
    letters: String,
}

impl Phrase {
    fn new(phrase: &str, matching: Matching) -> Result<Phrase> {
        let error = |problem: QueryProblem| Error::Query {
            query: phrase.to_string(),
            problem,
        };
        if phrase.is_empty() {
            return Err(error(QueryProblem::NothingToFind));
        }
        let letters = loose_letters(phrase);
        if matching == Matching::Loose && letters.is_empty() {
            return Err(error(QueryProblem::NothingLeftWhenLoose));
        }
        Ok(Phrase {
            matching,
            exact: phrase.to_string(),
            finder: memchr::memmem::Finder::new(phrase).into_owned(),
            letters,
        })
    }

    /// The paragraphs that may hold the phrase (for exact matching, those that do).
    fn candidates(&self) -> Box<dyn Query> {
        match self.matching {
            Matching::Exact => substring_query(&self.exact),
            Matching::Loose => {
                let forms: Vec<Vec<char>> = self.letters.chars().map(variants).collect();
                each_of_query(&forms)
            }
        }
    }

    /// Byte ranges of the phrase's occurrences in `text`.
    fn find(&self, text: &str) -> Vec<Range<usize>> {
        match self.matching {
            Matching::Exact => occurrences_found_by(&self.finder, text),
            Matching::Loose => loose_occurrences(text, &self.letters),
        }
    }
}

/// The candidate paragraphs of one report: a report's paragraphs may lie in several
/// segments, since they reach tantivy's indexing threads in small batches.
struct ReportCandidates {
    path: String,
    /// The report's own document, when it is in a segment with candidates.
    record: Option<DocAddress>,
    docs: Vec<DocAddress>,
}

/// Reports put together into pieces of work of about [`CHUNK_CANDIDATES`] paragraphs,
/// in order; a report is never split.
fn chunks(reports: Vec<ReportCandidates>) -> Vec<Vec<ReportCandidates>> {
    let mut chunks: Vec<Vec<ReportCandidates>> = Vec::new();
    let mut size = 0;
    for report in reports {
        if chunks.is_empty() || size >= CHUNK_CANDIDATES {
            chunks.push(Vec::new());
            size = 0;
        }
        size += report.docs.len();
        chunks.last_mut().expect("pushed above").push(report);
    }
    chunks
}

/// What a reading thread made of one piece of work: for each paragraph, in order, its
/// address and what the listing's `shape` returned; and the bytes `shape` made of them.
struct Shaped<T> {
    paragraphs: Vec<(DocAddress, T)>,
    bytes: Vec<u8>,
}

/// A paragraph that mentions the phrase, as read: its address, its stored fields and the
/// byte ranges of the mentions in its text.
type Mentioning<'a> = (DocAddress, StoredParagraph<'a>, Vec<Range<usize>>);

/// Reads candidate paragraphs and finds the phrase in them, on one thread.
struct ParagraphReader<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    phrase: &'a Phrase,
    /// The character index of each segment with candidates, for the cut lines.
    segment_chars: &'a [Option<SegmentChars>],
    store: &'a ParagraphStore,
    reports: ReportCache,
}

impl<'a> ParagraphReader<'a> {
    fn new(
        searcher: &'a Searcher,
        fields: &'a Fields,
        phrase: &'a Phrase,
        segment_chars: &'a [Option<SegmentChars>],
        store: &'a ParagraphStore,
    ) -> Self {
        ParagraphReader {
            searcher,
            fields,
            phrase,
            segment_chars,
            store,
            reports: ReportCache::default(),
        }
    }

    /// What `shape` makes of the paragraphs of `chunk` that mention the phrase, by report
    /// path and paragraph, their bytes written over `bytes`.
    fn read<T>(
        &mut self,
        chunk: &[ReportCandidates],
        shape: &impl Fn(&MentionsInParagraph<'_>, &mut Vec<u8>) -> T,
        mut bytes: Vec<u8>,
    ) -> Result<Shaped<T>> {
        bytes.clear();
        let mut shaped = Shaped {
            paragraphs: Vec::new(),
            bytes,
        };
        for report in chunk {
            let near = report.docs.first().map(|address| address.segment_ord);
            let record = self.reports.get(
                self.searcher,
                self.fields,
                &report.path,
                near,
                report.record,
            )?;
            let mut mentioning = self.read_report(report)?;
            // A report's paragraphs may come from several segments.
            mentioning.sort_by_key(|(_, paragraph, _)| paragraph.paragraph);
            for (address, paragraph, highlights) in &mentioning {
                let mentions = MentionsInParagraph {
                    path: &report.path,
                    report: record.as_deref(),
                    section: paragraph.section,
                    section_kind: paragraph.section_kind,
                    paragraph: paragraph.paragraph,
                    text: paragraph.text.as_str(),
                    highlights,
                };
                let made = shape(&mentions, &mut shaped.bytes);
                shaped.paragraphs.push((*address, made));
            }
        }
        Ok(shaped)
    }

    /// The paragraphs of `report` that mention the phrase, with the mentions' byte ranges.
    fn read_report(&self, report: &ReportCandidates) -> Result<Vec<Mentioning<'a>>> {
        let mut found = Vec::new();
        let mut scanned_line: Option<DocAddress> = None;
        for &address in &report.docs {
            let chars = self.segment_chars[address.segment_ord as usize]
                .as_ref()
                .expect("opened for every segment with candidates");
            let pieces = if chars.has_cut_lines() {
                chars.line_pieces(chars.line_of(address.doc_id).0)
            } else {
                Vec::new()
            };
            if pieces.len() <= 1 {
                let paragraph = self.store.get(address)?;
                let highlights = self.phrase.find(paragraph.text.as_str());
                if !highlights.is_empty() {
                    found.push((address, paragraph, highlights));
                }
                continue;
            }
            let line = DocAddress::new(address.segment_ord, pieces[0].0);
            if scanned_line == Some(line) {
                continue;
            }
            scanned_line = Some(line);
            let mut paragraphs = Vec::with_capacity(pieces.len());
            for &(doc, _) in &pieces {
                let address = DocAddress::new(address.segment_ord, doc);
                paragraphs.push((address, self.store.get(address)?));
            }
            let texts: Vec<&str> = paragraphs.iter().map(|(_, p)| p.text.as_str()).collect();
            let highlights = mentions_in_line(&texts, |text| self.phrase.find(text));
            found.extend(
                paragraphs
                    .into_iter()
                    .zip(highlights)
                    .filter(|(_, highlights)| !highlights.is_empty())
                    .map(|((address, paragraph), highlights)| (address, paragraph, highlights)),
            );
        }
        Ok(found)
    }
}

/// The mentions in a line cut into pieces of `texts` (in order), found in the whole line by
/// `find`: for each piece, those that start there, highlighted up to the piece's end.
fn mentions_in_line(
    texts: &[&str],
    find: impl Fn(&str) -> Vec<Range<usize>>,
) -> Vec<Vec<Range<usize>>> {
    let line: String = texts.concat();
    let mut starts = Vec::with_capacity(texts.len());
    let mut at = 0;
    for text in texts {
        starts.push(at);
        at += text.len();
    }
    let mut highlights: Vec<Vec<Range<usize>>> = vec![Vec::new(); texts.len()];
    for range in find(&line) {
        let piece = starts.partition_point(|&start| start <= range.start) - 1;
        let start = starts[piece];
        let end = (range.end - start).min(texts[piece].len());
        highlights[piece].push(range.start - start..end);
    }
    highlights
}

/// Characters of context a mention is shown or exported with on each side.
pub const CONTEXT_CHARS: usize = 30;

/// The byte range of `text` around `range`: `range` with up to `chars` characters on each
/// side, as a concordance shows a mention.
pub fn context_around(text: &str, range: Range<usize>, chars: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    chars_before(bytes, range.start, chars)..chars_after(bytes, range.end, chars)
}

// Characters are counted by the bytes that start one (all but UTF-8's continuation bytes,
// 0b10xxxxxx): cheaper than decoding them. A listing finds two contexts a row, so the bytes
// are looked at eight at a time, as one word whose bytes that start a character are marked
// by their top bit; the character sought is then picked out of its word by bit counts.

/// Whether `byte` starts a character.
fn starts_char(byte: u8) -> bool {
    (byte & 0xc0) != 0x80
}

/// The top bit of each byte.
const TOP_BITS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` from `at`, as one word, with the top bit (alone) set on each
/// byte that starts a character.
fn char_start_bits(bytes: &[u8], at: usize) -> u64 {
    let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    // A continuation byte has its top bit set and the next one clear.
    !(word & !(word << 1)) & TOP_BITS
}

/// Where the `chars` characters before the character boundary `from` start (0 at most).
fn chars_before(bytes: &[u8], from: usize, chars: usize) -> usize {
    let (mut at, mut left) = (from, chars);
    while left > 0 && at >= 8 {
        let mut starts = char_start_bits(bytes, at - 8);
        let found = starts.count_ones() as usize;
        if found >= left {
            // The context starts at the `left`th start from the word's end: its last byte.
            for _ in 1..left {
                starts &= !(1 << (63 - starts.leading_zeros()));
            }
            return at - 8 + (63 - starts.leading_zeros() as usize) / 8;
        }
        left -= found;
        at -= 8;
    }
    while left > 0 && at > 0 {
        at -= 1;
        left -= usize::from(starts_char(bytes[at]));
    }
    at
}

/// Where the `chars` characters after the character boundary `from` end (the end of
/// `bytes` at most): the start of the character after them.
fn chars_after(bytes: &[u8], from: usize, chars: usize) -> usize {
    let (mut at, mut left) = (from, chars);
    while at + 8 <= bytes.len() {
        let mut starts = char_start_bits(bytes, at);
        let found = starts.count_ones() as usize;
        if found > left {
            // The `left` starts first in the word are the context's; the next one ends it.
            for _ in 0..left {
                starts &= starts - 1;
            }
            return at + starts.trailing_zeros() as usize / 8;
        }
        left -= found;
        at += 8;
    }
    while at < bytes.len() {
        if starts_char(bytes[at]) {
            if left == 0 {
                return at;
            }
            left -= 1;
        }
        at += 1;
    }
    at
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
    use crate::query::highlight::occurrences;

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
    fn context_is_counted_in_characters_and_stops_at_the_ends() {
        let text = "一二三四五六七八九十";
        let range = |needle: &str| occurrences(text, needle)[0].clone();
        assert_eq!(
            &text[context_around(text, range("五六"), 2)],
            "三四五六七八"
        );
        assert_eq!(&text[context_around(text, range("一"), 3)], "一二三四");
        assert_eq!(&text[context_around(text, range("十"), 30)], text);
        assert_eq!(&text[context_around(text, range("五"), 0)], "五");
    }

    proptest::proptest! {
        /// Context takes as many characters as asked on each side, or all there are: as
        /// counting character by character gives, on texts of one- to four-byte
        /// characters long enough for many words of eight bytes.
        #[test]
        fn context_is_what_counting_one_character_at_a_time_gives(
            text in "[a-z1 ,法治“”，。é𝄞]{0,200}",
            at in 0usize..200,
            len in 0usize..6,
            chars in 0usize..40,
        ) {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let start = at.min(bounds.len() - 1);
            let end = (start + len).min(bounds.len() - 1);
            let expected = bounds[start.saturating_sub(chars)]..bounds[(end + chars).min(bounds.len() - 1)];
            proptest::prop_assert_eq!(context_around(&text, bounds[start]..bounds[end], chars), expected);
        }
    }

    #[test]
    fn each_report_gets_the_document_of_its_own_path_or_none() {
        let ords = [None, Some(1), Some(3), Some(4), Some(7), Some(9)];
        let records = vec![(0, 10), (3, 13), (4, 14), (8, 18), (9, 19)];
        assert_eq!(
            records_of(ords.into_iter(), records),
            [None, None, Some(13), Some(14), None, Some(19)]
        );
        assert_eq!(records_of([Some(2)].into_iter(), Vec::new()), [None]);
    }

    #[test]
    fn reports_of_two_segments_merge_by_path_with_their_paragraphs_in_order() {
        let reports = |segment: u32, list: &[(&str, &[u32])]| -> Vec<ReportCandidates> {
            list.iter()
                .map(|(path, docs)| ReportCandidates {
                    path: path.to_string(),
                    record: None,
                    docs: docs
                        .iter()
                        .map(|&doc| DocAddress::new(segment, doc))
                        .collect(),
                })
                .collect()
        };
        // The second segment searched first: its paragraphs still come after the first's.
        let mut second = reports(
            0,
            &[("a.txt", &[9]), ("a/2021.txt", &[5, 7]), ("d.txt", &[4])],
        );
        // The report document of a/2021.txt is in the segment searched second.
        second[1].record = Some(DocAddress::new(0, 6));
        let merged = merged_by_path(
            reports(1, &[("", &[0]), ("a/2021.txt", &[3]), ("c.txt", &[1, 2])]),
            second,
        );
        let records: Vec<Option<DocAddress>> = merged.iter().map(|r| r.record).collect();
        assert_eq!(
            records,
            [None, None, Some(DocAddress::new(0, 6)), None, None]
        );
        let got: Vec<(&str, Vec<(u32, u32)>)> = merged
            .iter()
            .map(|report| {
                let docs = report
                    .docs
                    .iter()
                    .map(|a| (a.segment_ord, a.doc_id))
                    .collect();
                (report.path.as_str(), docs)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("", vec![(1, 0)]),
                ("a.txt", vec![(0, 9)]),
                ("a/2021.txt", vec![(0, 5), (0, 7), (1, 3)]),
                ("c.txt", vec![(1, 1), (1, 2)]),
                ("d.txt", vec![(0, 4)]),
            ]
        );
    }

    #[test]
    fn loose_matching_does_not_skip_letters() {
        assert!(loose_occurrences("八五期间普法", "八五普法").is_empty());
        assert!(loose_occurrences("", "八五").is_empty());
        assert!(loose_occurrences("八五", "").is_empty());
    }
}
