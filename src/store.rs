//! Opening an index folder: format stamp, writer lock, and damage reported as such.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term};

use crate::error::{Error, Result};
use crate::schema::{index_exists, register_tokenizer, Fields, INDEX_FORMAT, REPORT_DOC};

/// What fazhi writes into every commit, to recognise its own indexes and their format.
#[derive(Debug, Serialize, Deserialize)]
pub struct CommitStamp {
    /// The index layout version, [`INDEX_FORMAT`] when written by this build.
    pub fazhi_index_format: u32,
}

impl CommitStamp {
    /// The stamp of this build's format, as the commit payload string.
    pub fn current() -> String {
        serde_json::to_string(&CommitStamp {
            fazhi_index_format: INDEX_FORMAT,
        })
        .expect("a stamp always serializes")
    }
}

/// An opened index with its fields and a searcher over its last commit.
pub struct IndexStore {
    /// The folder the index lives in.
    pub dir: PathBuf,
    /// The tantivy index, with fazhi's tokenizer registered.
    pub index: Index,
    /// The schema's fields.
    pub fields: Fields,
    reader: IndexReader,
}

impl IndexStore {
    /// Opens the index in `dir` for searching, checking it is a fazhi index of this format.
    pub fn open(dir: &Path) -> Result<IndexStore> {
        if !index_exists(dir) {
            return Err(Error::NoIndex {
                path: dir.to_path_buf(),
            });
        }
        let broken = |reason: String| Error::BrokenIndex {
            path: dir.to_path_buf(),
            reason,
        };
        let index = Index::open_in_dir(dir).map_err(|err| broken(err.to_string()))?;
        check_format(dir, &index)?;
        register_tokenizer(&index);
        let fields = Fields::of(&index.schema()).map_err(|err| broken(err.to_string()))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err: TantivyError| broken(err.to_string()))?;
        Ok(IndexStore {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader,
        })
    }

    /// A searcher over the last commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The reports of the last commit, sorted by path.
    pub fn reports(&self) -> Result<Vec<ReportRecord>> {
        report_records(&self.searcher(), &self.fields)
    }
}

/// What the index holds about one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRecord {
    /// Path relative to the corpus folder.
    pub path: String,
    /// Title line, when the report has one.
    pub title: Option<String>,
    /// County-level division.
    pub county: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Province.
    pub province: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Year the report is about.
    pub year: Option<u16>,
    /// Publication date, ISO.
    pub published: Option<String>,
    /// Number of indexed paragraphs.
    pub paragraphs: usize,
    /// Hash of the file's bytes when indexed, to skip unchanged files.
    #[serde(skip_serializing, default)]
    pub file_hash: String,
    /// Hash of the report's paragraphs, to recognise duplicates.
    #[serde(skip_serializing, default)]
    pub text_hash: String,
}

impl ReportRecord {
    /// The stored form, which keeps the hashes that output leaves out.
    pub fn to_stored_json(&self) -> String {
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
}

impl ReportCache {
    /// The record of the report at `path`, if the index has one.
    pub fn get(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        path: &str,
    ) -> Result<Option<Arc<ReportRecord>>> {
        if let Some(record) = self.by_path.get(path) {
            return Ok(record.clone());
        }
        let query = BooleanQuery::intersection(vec![
            Box::new(report_query(fields)),
            Box::new(TermQuery::new(
                Term::from_field_text(fields.path, path),
                IndexRecordOption::Basic,
            )),
        ]);
        let found = searcher.search(&query, &DocSetCollector)?;
        let record = match found.into_iter().next() {
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
/// Refuses an index written by another fazhi format (or not by fazhi at all).
pub fn check_format(dir: &Path, index: &Index) -> Result<()> {
    let metas = index.load_metas().map_err(|err| Error::BrokenIndex {
        path: dir.to_path_buf(),
        reason: err.to_string(),
    })?;
    let stamp = metas
        .payload
        .as_deref()
        .and_then(|payload| serde_json::from_str::<CommitStamp>(payload).ok());
    match stamp {
        Some(stamp) if stamp.fazhi_index_format == INDEX_FORMAT => Ok(()),
        Some(stamp) => Err(Error::BrokenIndex {
            path: dir.to_path_buf(),
            reason: format!(
                "it has index format {}, this fazhi reads format {INDEX_FORMAT}",
                stamp.fazhi_index_format
            ),
        }),
        None => Err(Error::BrokenIndex {
            path: dir.to_path_buf(),
            reason: "it carries no fazhi format stamp".into(),
        }),
    }
}

/// Maps tantivy's writer-lock failure to [`Error::IndexLocked`], other errors unchanged.
pub fn lock_error(dir: &Path, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(..) => Error::IndexLocked {
            path: dir.to_path_buf(),
        },
        other => Error::BrokenIndex {
            path: dir.to_path_buf(),
            reason: other.to_string(),
        },
    }
}
