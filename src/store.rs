//! Opening an index folder: format stamp, writer lock, and damage reported as such.

use std::cell::Cell;
use std::io::ErrorKind;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Count, DocSetCollector};
use tantivy::directory::error::OpenReadError;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term};

use crate::error::{Error, Result};
use crate::report::ReportMeta;
use crate::schema::{index_exists, open_index, Fields, INDEX_FORMAT, PARAGRAPH_DOC, REPORT_DOC};

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
    /// Opens the index in `dir` for searching, checking it is a fazhi index of this format
    /// whose segment files are all there.
    pub fn open(dir: &Path) -> Result<IndexStore> {
        if !index_exists(dir) {
            return Err(Error::NoIndex {
                path: dir.to_path_buf(),
            });
        }
        let (index, reader) = open_checked(dir)?;
        let fields = Fields::of(&index.schema()).map_err(|err| Error::BrokenIndex {
            path: dir.to_path_buf(),
            reason: format!("its schema is not fazhi's ({err})"),
        })?;
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
        guard(&self.dir, || report_records(&self.searcher(), &self.fields))
    }
}

/// What the index holds about one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRecord {
    /// Path relative to the corpus folder.
    pub path: String,
    /// Title line, when the report has one.
    pub title: Option<String>,
    /// Place, issuer, year and publication date.
    #[serde(flatten)]
    pub meta: ReportMeta,
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

/// How many reports and paragraphs `searcher` sees, counted from the postings alone:
/// cheaper than reading the records, which are spread over the whole document store.
pub fn document_counts(searcher: &Searcher, fields: &Fields) -> Result<(usize, usize)> {
    let count = |kind: &str| {
        let query = TermQuery::new(
            Term::from_field_text(fields.doc_kind, kind),
            IndexRecordOption::Basic,
        );
        searcher.search(&query, &Count)
    };
    Ok((count(REPORT_DOC)?, count(PARAGRAPH_DOC)?))
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

/// How often opening is tried again when a concurrent `fazhi index` committed meanwhile.
const OPEN_ATTEMPTS: usize = 5;

/// Opens the index in `dir` with a reader over its last commit, checking that it is a fazhi
/// index of this format and that every file of its segments is there and whole.
///
/// Opening the reader opens every segment file, and tantivy checks each file's footer on
/// opening, so a deleted or truncated file is found here, as an error, rather than by a
/// search later. A `fazhi index` running in another process may commit and delete the
/// files of the commit being opened: then the new commit is opened instead.
pub fn open_checked(dir: &Path) -> Result<(Index, IndexReader)> {
    let mut attempt = 0;
    loop {
        let meta_before = std::fs::read(dir.join("meta.json")).ok();
        match try_open(dir) {
            Ok(opened) => return Ok(opened),
            Err(err) => {
                attempt += 1;
                let meta_after = std::fs::read(dir.join("meta.json")).ok();
                if attempt >= OPEN_ATTEMPTS || meta_before == meta_after {
                    return Err(err);
                }
            }
        }
    }
}

fn try_open(dir: &Path) -> Result<(Index, IndexReader)> {
    guard(dir, || {
        let index = open_index(dir)?;
        check_format(dir, &index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok((index, reader))
    })
}

thread_local! {
    static GUARDING: Cell<bool> = const { Cell::new(false) };
}

/// True while [`guard`] runs on this thread, so that the binary's panic hook can leave the
/// report of a panic there to the error it becomes.
pub fn guarding() -> bool {
    GUARDING.get()
}

/// Runs `read` on the index in `dir`, reporting what damage to its files makes tantivy do
/// as [`Error::BrokenIndex`]: its errors, and its panics.
///
/// tantivy checks each file's footer on opening (so a truncated or missing file is an
/// error), not its contents: bytes overwritten inside a file can make it fail with an I/O
/// error or panic on an assertion or index out of bounds while searching.
pub fn guard<T>(dir: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    let outer = GUARDING.replace(true);
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(read));
    GUARDING.set(outer);
    match outcome {
        Ok(Err(Error::Tantivy(err))) => Err(broken(dir, err)),
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let what = what.lines().next().unwrap_or_default();
            Err(Error::BrokenIndex {
                path: dir.to_path_buf(),
                reason: format!("its files are damaged: {what}"),
            })
        }
    }
}

/// [`Error::BrokenIndex`] for `dir`, saying in a few words what tantivy found wrong: its
/// own messages run over lines and quote whole files.
fn broken(dir: &Path, err: TantivyError) -> Error {
    let file = |path: &Path| {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        )
    };
    let reason = match &err {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("its file {} is missing", file(path))
        }
        TantivyError::OpenReadError(OpenReadError::IoError { filepath, io_error }) => {
            match io_error.kind() {
                ErrorKind::UnexpectedEof | ErrorKind::InvalidData => {
                    format!("its file {} is truncated or damaged", file(filepath))
                }
                _ => format!("its file {} cannot be opened: {io_error}", file(filepath)),
            }
        }
        TantivyError::DataCorruption(corruption)
            if format!("{corruption:?}").contains("meta.json") =>
        {
            "its meta.json is damaged".to_string()
        }
        TantivyError::DataCorruption(_) => "its files are damaged".to_string(),
        TantivyError::IoError(io_error) => {
            format!(
                "its files are damaged: {}",
                first_line(&io_error.to_string())
            )
        }
        other => first_line(&other.to_string()),
    };
    Error::BrokenIndex {
        path: dir.to_path_buf(),
        reason,
    }
}

/// The first line of a message from a library, at most 200 characters: errors are reported
/// on one line, and some of tantivy's (a damaged term dictionary's) run over several.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// Refuses an index written by another fazhi format (or not by fazhi at all).
///
/// An index that was created but never committed (the first `fazhi index` into it was
/// killed, or is still running) has no stamp and no segments: it is fazhi's, and empty.
pub fn check_format(dir: &Path, index: &Index) -> Result<()> {
    let metas = index.load_metas().map_err(|err| broken(dir, err))?;
    if metas.payload.is_none() && metas.segments.is_empty() && metas.opstamp == 0 {
        return Ok(());
    }
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
        other => broken(dir, other),
    }
}
