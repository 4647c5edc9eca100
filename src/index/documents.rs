//! How a [`Report`] becomes tantivy documents, and how stored documents are read back.
//!
//! A report is one report document (its [`ReportRecord`], stored as JSON) and one document
//! per paragraph, written in the same commit. Both kinds carry the report's path, the key
//! for updates. The place, issuer and year tags are indexed on the report document alone
//! and stored in its record; a paragraph reaches them through its path
//! ([`crate::index::report_tags`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::error::DataCorruption;
use tantivy::indexer::UserOperation;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, IndexWriter, Searcher, SegmentOrdinal, SegmentReader,
    TantivyDocument, TantivyError, Term, TERMINATED,
};

use crate::error::{Error, Result};
use crate::index::columns::terms;
use crate::index::paragraph_text::{DocumentText, LastBlock, SegmentTexts};
use crate::index::schema::{Fields, REPORT_DOC};
use crate::model::{Paragraph, Passage, Report, ReportRecord};

/// Reads stored paragraphs: text and heading path from the segments' paragraph texts, the
/// rest from columns, so that tantivy's document store is not read. Every segment is
/// opened once, up front; it keeps the block of texts it decompressed last, so a thread
/// that reads many paragraphs opens a store of its own.
pub struct ParagraphStore {
    segments: Vec<SegmentParagraphs>,
}

/// One segment's paragraph texts and columns.
struct SegmentParagraphs {
    texts: SegmentTexts,
    last_block: RefCell<LastBlock>,
    paths: Option<StrColumn>,
    numbers: Option<Column<u64>>,
    kinds: Option<Column<u64>>,
    /// The section kinds' names, by their number in the column.
    kind_names: Vec<String>,
}

/// One stored paragraph, borrowed from its [`ParagraphStore`].
pub struct StoredParagraph<'a> {
    /// The paragraph's text.
    pub text: DocumentText,
    /// Its heading path.
    pub section: &'a str,
    /// Its section kind's name.
    pub section_kind: &'a str,
    /// 1-based ordinal within the report (0 when missing).
    pub paragraph: u32,
}

impl ParagraphStore {
    /// Opens the paragraphs of every segment `searcher` reads.
    pub fn open(searcher: &Searcher, fields: &Fields) -> Result<ParagraphStore> {
        let schema = searcher.schema();
        let name = |field: Field| schema.get_field_name(field);
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let columns = reader.fast_fields();
                let kinds = columns.str(name(fields.section_kind))?;
                let kind_names = match &kinds {
                    Some(column) => {
                        let all: Vec<u64> = (0..column.num_terms() as u64).collect();
                        terms(column, &all)?
                    }
                    None => Vec::new(),
                };
                Ok(SegmentParagraphs {
                    texts: SegmentTexts::open(reader)?,
                    last_block: RefCell::default(),
                    paths: columns.str(name(fields.path))?,
                    numbers: columns.column_opt::<u64>(name(fields.paragraph))?,
                    kinds: kinds.map(|column| column.ords().clone()),
                    kind_names,
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(ParagraphStore { segments })
    }

    fn segment(&self, address: DocAddress) -> Result<&SegmentParagraphs> {
        self.segments
            .get(address.segment_ord as usize)
            .ok_or_else(|| no_such_paragraph(address))
    }

    /// The paragraph at `address`.
    pub fn get(&self, address: DocAddress) -> Result<StoredParagraph<'_>> {
        let segment = self.segment(address)?;
        let doc = address.doc_id;
        let kind = segment
            .kinds
            .as_ref()
            .and_then(|column| column.first(doc))
            .and_then(|ord| segment.kind_names.get(ord as usize));
        let number = segment
            .numbers
            .as_ref()
            .and_then(|column| column.first(doc));
        Ok(StoredParagraph {
            text: segment
                .texts
                .text(doc, &mut segment.last_block.borrow_mut())?,
            section: segment.texts.heading(doc)?.unwrap_or_default(),
            section_kind: kind.map_or("", String::as_str),
            paragraph: number.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
        })
    }

    /// The path of the report the paragraph at `address` belongs to (empty if none).
    pub fn path(&self, address: DocAddress) -> Result<String> {
        let segment = self.segment(address)?;
        let mut path = String::new();
        if let Some(column) = &segment.paths {
            if let Some(ord) = column.ords().first(address.doc_id) {
                column
                    .ord_to_str(ord, &mut path)
                    .map_err(TantivyError::from)?;
            }
        }
        Ok(path)
    }

    /// The paragraph at `address` with its report's tags, the records read through
    /// `reports`.
    pub fn passage(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        reports: &mut ReportCache,
        address: DocAddress,
    ) -> Result<Passage> {
        let path = self.path(address)?;
        let report = reports.get(searcher, fields, &path, Some(address.segment_ord), None)?;
        Ok(self.get(address)?.passage(path, report.as_deref()))
    }
}

impl StoredParagraph<'_> {
    /// The paragraph as a passage of the report at `path`, with the tags of its `report`.
    pub fn passage(&self, path: String, report: Option<&ReportRecord>) -> Passage {
        Passage::in_report(
            path,
            report,
            self.section,
            self.section_kind,
            self.paragraph,
            self.text.as_str(),
        )
    }
}

fn no_such_paragraph(address: DocAddress) -> Error {
    TantivyError::DataCorruption(DataCorruption::comment_only(format!(
        "no segment {} for paragraph {}",
        address.segment_ord, address.doc_id
    )))
    .into()
}

impl ReportRecord {
    /// The stored form, which keeps the hashes that output leaves out.
    fn to_stored_json(&self) -> String {
        #[derive(Serialize)]
        struct Stored<'a> {
            #[serde(flatten)]
            record: &'a ReportRecord,
            file_hash: &'a str,
            text_hash: &'a str,
        }
        serde_json::to_string(&Stored {
            record: self,
            file_hash: &self.file_hash,
            text_hash: &self.text_hash,
        })
        .expect("a report record always serializes")
    }

    fn from_doc(doc: &TantivyDocument, fields: &Fields) -> Option<ReportRecord> {
        let stored = doc.get_first(fields.report)?.as_str()?;
        serde_json::from_str(stored).ok()
    }
}

fn report_query(fields: &Fields) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(fields.doc_kind, REPORT_DOC),
        IndexRecordOption::Basic,
    )
}

/// The paragraph documents, scoring nothing: every document but the reports.
pub fn paragraphs_query(fields: &Fields) -> Box<dyn Query> {
    let paragraphs = BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, Box::new(report_query(fields))),
    ]);
    Box::new(ConstScoreQuery::new(Box::new(paragraphs), 0.0))
}

/// How many reports and paragraphs `searcher` sees: the reports counted from their kind's
/// postings, the paragraphs as the other live documents. Cheaper than reading the records,
/// which are spread over the whole document store.
pub fn document_counts(searcher: &Searcher, fields: &Fields) -> Result<(usize, usize)> {
    let reports = searcher.search(&report_query(fields), &Count)?;
    let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    Ok((reports, documents.saturating_sub(reports)))
}

/// Reads every report record visible to `searcher`, sorted by path.
pub fn report_records(searcher: &Searcher, fields: &Fields) -> Result<Vec<ReportRecord>> {
    let addresses = searcher.search(&report_query(fields), &DocSetCollector)?;
    let mut reports = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        reports.extend(ReportRecord::from_doc(&doc, fields));
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(reports)
}

/// Report records looked up by path as paragraphs need them, each read once.
#[derive(Default)]
pub struct ReportCache {
    by_path: HashMap<String, Option<Arc<ReportRecord>>>,
    /// Each segment's paragraph numbers, opened at the first lookup: opening a column
    /// reads its block headers.
    numbers: Option<Vec<Option<Column<u64>>>>,
}

impl ReportCache {
    /// The record of the report at `path`, if the index has one: read from `found`, its
    /// document, when the caller has found it (see [`report_docs_by_path`]), else looked
    /// for first in segment `near` when given: where one of its paragraphs is, as the
    /// report's own document mostly is.
    pub fn get(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        path: &str,
        near: Option<SegmentOrdinal>,
        found: Option<DocAddress>,
    ) -> Result<Option<Arc<ReportRecord>>> {
        if let Some(record) = self.by_path.get(path) {
            return Ok(record.clone());
        }
        if let Some(address) = found {
            return self.read(searcher, fields, path, Some(address));
        }
        let numbers = match &mut self.numbers {
            Some(numbers) => numbers,
            None => {
                let name = searcher.schema().get_field_name(fields.paragraph);
                let numbers = searcher
                    .segment_readers()
                    .iter()
                    .map(|segment| segment.fast_fields().column_opt::<u64>(name))
                    .collect::<tantivy::Result<_>>()?;
                self.numbers.insert(numbers)
            }
        };
        let address = report_address(searcher, fields, numbers, path, near)?;
        self.read(searcher, fields, path, address)
    }

    /// Reads and keeps the record of the report at `path`, whose document is at `address`.
    fn read(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        path: &str,
        address: Option<DocAddress>,
    ) -> Result<Option<Arc<ReportRecord>>> {
        let record = match address {
            Some(address) => {
                let doc: TantivyDocument = searcher.doc(address)?;
                ReportRecord::from_doc(&doc, fields).map(Arc::new)
            }
            None => None,
        };
        self.by_path.insert(path.to_string(), record.clone());
        Ok(record)
    }
}

/// The live report documents of `segment`, each with the number of its path in the
/// segment's path column `paths`, sorted by that number. Read from the postings of the
/// report kind and the column, a few microseconds for thousands of reports: a listing of
/// a common word names every report's record this way, where looking each one up by its
/// path's postings cost 3% of the listing's CPU time.
pub fn report_docs_by_path(
    segment: &SegmentReader,
    fields: &Fields,
    paths: &StrColumn,
) -> tantivy::Result<Vec<(u64, DocId)>> {
    let term = Term::from_field_text(fields.doc_kind, REPORT_DOC);
    let mut found = Vec::new();
    let Some(mut docs) = segment
        .inverted_index(fields.doc_kind)?
        .read_postings(&term, IndexRecordOption::Basic)?
    else {
        return Ok(found);
    };
    let alive = segment.alive_bitset();
    let mut doc = docs.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            found.extend(paths.ords().first(doc).map(|ord| (ord, doc)));
        }
        doc = docs.advance();
    }
    found.sort_unstable();
    Ok(found)
}

/// Where the report document of the report at `path` is: among the live documents with
/// its path, the one without a paragraph number ([`add_report`] gives every paragraph
/// one), looked for in segment `near` first. Read from the path's postings and each
/// segment's number column (`numbers`): a search per report cost a listing of a common
/// word more than reading its paragraphs.
fn report_address(
    searcher: &Searcher,
    fields: &Fields,
    numbers: &[Option<Column<u64>>],
    path: &str,
    near: Option<SegmentOrdinal>,
) -> Result<Option<DocAddress>> {
    let term = Term::from_field_text(fields.path, path);
    let segments = searcher.segment_readers();
    let near = near.filter(|&ord| (ord as usize) < segments.len());
    let others = (0..segments.len() as SegmentOrdinal).filter(|&ord| Some(ord) != near);
    for ord in near.into_iter().chain(others) {
        let segment = &segments[ord as usize];
        let Some(mut docs) = segment
            .inverted_index(fields.path)?
            .read_postings(&term, IndexRecordOption::Basic)?
        else {
            continue;
        };
        let numbers = numbers.get(ord as usize).and_then(Option::as_ref);
        let alive = segment.alive_bitset();
        let mut doc = docs.doc();
        while doc != TERMINATED {
            let live = alive.is_none_or(|alive| alive.is_alive(doc));
            let numbered = numbers.is_some_and(|column| column.first(doc).is_some());
            if live && !numbered {
                return Ok(Some(DocAddress::new(ord, doc)));
            }
            doc = docs.advance();
        }
    }
    Ok(None)
}

/// A document of `report` (the report's own or one of its paragraphs'), with the report's
/// path, which both carry.
fn document_of(fields: &Fields, report: &Report) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.path, &report.path);
    doc
}

/// The report document: its kind, path, filter tags and stored record.
fn report_doc(fields: &Fields, report: &Report, record: &ReportRecord) -> TantivyDocument {
    let mut doc = document_of(fields, report);
    doc.add_text(fields.doc_kind, REPORT_DOC);
    let meta = &report.meta;
    let tags = [
        (fields.county, &meta.county),
        (fields.city, &meta.city),
        (fields.province, &meta.province),
        (fields.issuer, &meta.issuer),
    ];
    for (field, value) in tags {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    if let Some(year) = meta.year {
        doc.add_u64(fields.year, u64::from(year));
    }
    doc.add_text(fields.report, record.to_stored_json());
    doc
}

pub fn add_report(
    writer: &IndexWriter,
    fields: &Fields,
    report: &Report,
    file_hash: &str,
    text_hash: &str,
) -> tantivy::Result<()> {
    let record = ReportRecord {
        path: report.path.clone(),
        title: report.title.clone(),
        meta: report.meta.clone(),
        paragraphs: report.paragraphs.len(),
        file_hash: file_hash.to_string(),
        text_hash: text_hash.to_string(),
    };
    let doc = report_doc(fields, report, &record);
    let paragraph_doc = |paragraph: &Paragraph| {
        let mut doc = document_of(fields, report);
        doc.add_text(fields.section, &paragraph.section);
        doc.add_text(fields.section_kind, paragraph.section_kind.as_str());
        doc.add_u64(fields.paragraph, u64::from(paragraph.ordinal));
        doc.add_u64(fields.chars, paragraph.text.chars().count() as u64);
        if paragraph.line_offset > 0 {
            doc.add_u64(fields.line_offset, u64::from(paragraph.line_offset));
        }
        doc.add_text(fields.text, &paragraph.text);
        doc
    };
    let mut batch = Vec::with_capacity(DOCS_PER_BATCH);
    batch.push(UserOperation::Add(doc));
    // The pieces of a line cut for length go to the writer in one batch: tantivy keeps a
    // batch in one segment, in order, which the character index needs to find phrases
    // across the cuts.
    for line in report.paragraphs.chunk_by(|_, next| next.line_offset > 0) {
        if !batch.is_empty() && batch.len() + line.len() > DOCS_PER_BATCH {
            writer.run(std::mem::take(&mut batch))?;
        }
        batch.extend(line.iter().map(|p| UserOperation::Add(paragraph_doc(p))));
    }
    writer.run(batch)?;
    Ok(())
}

/// Documents handed to tantivy's indexing threads at once. One at a time, the thread
/// running the job woke up and went back to sleep on tantivy's full queue for every
/// paragraph: with one indexing thread that cost more CPU time than reading the files.
/// tantivy's queue holds up to 10,000 batches, so this also bounds the paragraphs in
/// flight (320,000, about 60 MB of the dev corpus's text; at most 2,000 characters each).
const DOCS_PER_BATCH: usize = 8;
