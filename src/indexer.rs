//! Building and updating the index from a corpus folder.
//!
//! Each run compares the corpus with the index by file hash: unchanged files are not read
//! again, changed and added ones are (re)indexed, deleted ones removed. Changes become
//! visible only at a commit, and tantivy's commits are atomic, so a run that is killed
//! leaves the previous commit searchable; the next run picks up where it stopped.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};

use crate::char_index;
use crate::corpus::{self, CorpusFile, SkippedFile};
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::read_ahead::read_ahead;
use crate::reader::read_report;
use crate::report::{Paragraph, Report};
use crate::schema::{
    index_builder, index_exists, register_tokenizer, Fields, PARAGRAPH_DOC, REPORT_DOC,
};
use crate::source::decode_source;
use crate::store::{
    document_counts, guard, lock_error, open_checked, report_records, CommitStamp, ReportRecord,
};

/// How to run an indexing job.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The folder of report files.
    pub corpus: PathBuf,
    /// The index folder (created when missing).
    pub index: PathBuf,
    /// Start over instead of updating.
    pub rebuild: bool,
    /// Indexing threads; `None` for one per core.
    pub threads: Option<usize>,
    /// Total memory budget of the indexing threads, in MB; `None` for the default.
    pub memory_mb: Option<usize>,
}

/// Progress callbacks, so that the binary can draw a bar without the library knowing how.
pub trait Progress {
    /// Called once the corpus has been walked.
    fn start(&mut self, files: usize, bytes: u64);
    /// Called after each file, with its size.
    fn file_done(&mut self, bytes: u64);
    /// Called when all files are read and the index is being committed.
    fn finishing(&mut self);
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _files: usize, _bytes: u64) {}
    fn file_done(&mut self, _bytes: u64) {}
    fn finishing(&mut self) {}
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Reports in the index after the run.
    pub reports: usize,
    /// Paragraphs in the index after the run.
    pub paragraphs: usize,
    /// Reports read and (re)indexed by this run.
    pub indexed: usize,
    /// Paragraphs written by this run.
    pub indexed_paragraphs: usize,
    /// Reports left as they were because their file did not change.
    pub unchanged: usize,
    /// Reports removed because their file is gone.
    pub removed: usize,
    /// Bytes of the files read by this run.
    pub bytes: u64,
    /// Wall time of the run.
    pub seconds: f64,
    /// Files not indexed, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// Reports indexed with something missing (no county, no year).
    pub warnings: Vec<SkippedFile>,
}

impl IndexSummary {
    /// Throughput of this run over the bytes it read, in MB/s.
    pub fn mb_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// Commit at least this often, so that a killed run loses little work.
const COMMIT_EVERY_BYTES: u64 = 256 * 1024 * 1024;
/// Overrides [`COMMIT_EVERY_BYTES`]: the crash-safety tests commit often, so that a run
/// they kill has committed some reports and not others.
const COMMIT_EVERY_ENV: &str = "FAZHI_COMMIT_EVERY_BYTES";
const DEFAULT_MEMORY_MB: usize = 512;
const MIN_MEMORY_MB_PER_THREAD: usize = 20;

/// Builds or updates the index of `options.corpus` in `options.index`.
pub fn build_index(options: &IndexOptions, progress: &mut dyn Progress) -> Result<IndexSummary> {
    let started = Instant::now();
    let (files, mut skipped) = corpus::walk(&options.corpus)?;
    if files.is_empty() {
        // Indexing nothing would empty the index: refuse, so a wrong --corpus loses nothing.
        return Err(Error::Corpus {
            path: options.corpus.clone(),
            reason:
                "holds no report files (.txt, .html); give the folder of reports with --corpus DIR"
                    .into(),
        });
    }
    let manifest = Manifest::load(&options.corpus)?;
    let index = open_or_create(&options.index, options.rebuild)?;
    let fields = Fields::of(&index.schema())?;
    let mut writer = open_writer(&index, &options.index, options)?;

    let mut known = if options.rebuild {
        writer.delete_all_documents()?;
        HashMap::new()
    } else {
        indexed_reports(&index, &options.index, &fields)?
    };

    let mut summary = IndexSummary::default();
    let unmatched = manifest.unmatched(files.iter().map(|f| f.path.as_str()));
    summary
        .warnings
        .extend(unmatched.into_iter().map(|entry| SkippedFile {
            path: entry.to_string(),
            reason: "the manifest names this file, but the corpus has no such file".into(),
        }));
    let on_disk: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let gone: Vec<String> = known
        .keys()
        .filter(|path| !on_disk.contains(path.as_str()))
        .cloned()
        .collect();
    for path in gone {
        writer.delete_term(Term::from_field_text(fields.path, &path));
        known.remove(&path);
        summary.removed += 1;
    }

    let total_bytes = files.iter().map(|f| f.size).sum();
    progress.start(files.len(), total_bytes);
    let mut texts_seen: HashMap<String, String> = known
        .iter()
        .map(|(path, report)| (report.text_hash.clone(), path.clone()))
        .collect();
    let mut since_commit = 0u64;
    let commit_every = commit_every_bytes();
    let workers = writer_threads(options);
    read_ahead(
        &files,
        workers,
        |file| prepare(file, &manifest, &known),
        |file, prepared| {
            progress.file_done(file.size);
            let previously_indexed = known.contains_key(&file.path);
            let outcome = match prepared {
                Prepared::Unchanged => {
                    summary.unchanged += 1;
                    return Ok(());
                }
                Prepared::Skipped(reason) => Err(reason),
                Prepared::Read(read) => match texts_seen.get(&read.text_hash) {
                    Some(original) if original != &file.path => {
                        Err(format!("duplicate of {original} (same text)"))
                    }
                    _ => Ok(read),
                },
            };
            // Whatever happens to a changed file, its old version goes.
            if previously_indexed {
                writer.delete_term(Term::from_field_text(fields.path, &file.path));
            }
            let read = match outcome {
                Ok(read) => read,
                Err(reason) => {
                    skipped.push(SkippedFile {
                        path: file.path.clone(),
                        reason,
                    });
                    return Ok(());
                }
            };
            texts_seen.insert(read.text_hash.clone(), file.path.clone());
            add_report(
                &writer,
                &fields,
                &read.report,
                &read.file_hash,
                &read.text_hash,
            )?;
            summary.indexed += 1;
            summary.indexed_paragraphs += read.report.paragraphs.len();
            summary.bytes += file.size;
            summary
                .warnings
                .extend(missing_metadata(&read.report).map(|reason| SkippedFile {
                    path: file.path.clone(),
                    reason: reason.to_string(),
                }));
            since_commit += file.size;
            if since_commit >= commit_every {
                commit(&mut writer)?;
                since_commit = 0;
            }
            Ok::<(), Error>(())
        },
    )?;
    progress.finishing();
    commit(&mut writer)?;
    writer
        .wait_merging_threads()
        .map_err(|err| lock_error(&options.index, err))?;

    let searcher = index.reader()?.searcher();
    (summary.reports, summary.paragraphs) =
        guard(&options.index, || document_counts(&searcher, &fields))?;
    summary.skipped = skipped;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn commit_every_bytes() -> u64 {
    std::env::var(COMMIT_EVERY_ENV)
        .ok()
        .and_then(|bytes| bytes.parse().ok())
        .unwrap_or(COMMIT_EVERY_BYTES)
}

/// A corpus file after the costly part of indexing, done on a worker thread.
enum Prepared {
    /// The file's bytes are those already indexed.
    Unchanged,
    /// The file is not indexed, for this reason.
    Skipped(String),
    /// The file was read into a report (boxed: it is far larger than the other variants).
    Read(Box<ReadReport>),
}

/// A report read from a file, with the hashes the index keeps.
struct ReadReport {
    report: Report,
    file_hash: String,
    text_hash: String,
}

/// Reads, hashes, decodes and lays out one file: everything that can run in parallel.
fn prepare(
    file: &CorpusFile,
    manifest: &Manifest,
    known: &HashMap<String, ReportRecord>,
) -> Prepared {
    let bytes = match std::fs::read(&file.fs_path) {
        Ok(bytes) => bytes,
        Err(err) => return Prepared::Skipped(format!("cannot be read: {err}")),
    };
    let file_hash = blake3::hash(&bytes).to_hex().to_string();
    if known
        .get(&file.path)
        .is_some_and(|p| p.file_hash == file_hash)
    {
        return Prepared::Unchanged;
    }
    let source = match decode_source(&file.fs_path, &bytes) {
        Ok(source) => source,
        Err(reason) => return Prepared::Skipped(reason.to_string()),
    };
    drop(bytes);
    let mut report = read_report(&file.path, &source);
    drop(source);
    manifest.apply(&mut report);
    if report.paragraphs.is_empty() {
        return Prepared::Skipped("no report text left once page boilerplate is removed".into());
    }
    let text_hash = text_hash(&report);
    Prepared::Read(Box::new(ReadReport {
        report,
        file_hash,
        text_hash,
    }))
}

/// What a report lacks that a manifest could give it.
fn missing_metadata(report: &Report) -> impl Iterator<Item = &'static str> {
    let meta = &report.meta;
    let no_place = meta.county.is_none() && meta.city.is_none() && meta.province.is_none();
    [
        no_place.then_some("no place (county, city or province) found; add it to a manifest"),
        meta.year
            .is_none()
            .then_some("no report year found; add it to a manifest"),
    ]
    .into_iter()
    .flatten()
}

fn text_hash(report: &Report) -> String {
    let mut hasher = blake3::Hasher::new();
    for paragraph in &report.paragraphs {
        hasher.update(paragraph.text.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().to_hex().to_string()
}

/// The fields a report and each of its paragraphs share: its key and its filter tags.
fn report_fields(fields: &Fields, report: &Report, doc_kind: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.doc_kind, doc_kind);
    doc.add_text(fields.path, &report.path);
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
    doc
}

fn add_report(
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
    let mut doc = report_fields(fields, report, REPORT_DOC);
    doc.add_text(fields.report, record.to_stored_json());
    writer.add_document(doc)?;
    let paragraph_doc = |paragraph: &Paragraph| {
        let mut doc = report_fields(fields, report, PARAGRAPH_DOC);
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
    // The pieces of a line cut for length go to the writer as one group: tantivy keeps a
    // group in one segment, in order, which the character index needs to find phrases
    // across the cuts.
    for line in report.paragraphs.chunk_by(|_, next| next.line_offset > 0) {
        if let [paragraph] = line {
            writer.add_document(paragraph_doc(paragraph))?;
        } else {
            writer.run(
                line.iter()
                    .map(|p| UserOperation::Add(paragraph_doc(p)))
                    .collect::<Vec<_>>(),
            )?;
        }
    }
    Ok(())
}

fn commit(writer: &mut IndexWriter) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&CommitStamp::current());
    prepared.commit()?;
    Ok(())
}

/// Opens the index in `dir`, or creates it when there is none (or when a broken one is
/// to be rebuilt: there is nothing left to keep in it).
fn open_or_create(dir: &Path, rebuild: bool) -> Result<Index> {
    if index_exists(dir) {
        match open_checked(dir) {
            Ok((index, _reader)) => return Ok(index),
            Err(err) if !rebuild => return Err(err),
            Err(_) => remove_index_files(dir)?,
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    // zstd stores Chinese text in about two thirds of lz4's space, at a small cost in
    // indexing time; fetching a few stored paragraphs per query stays fast.
    let settings = IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        // Larger blocks compress better; a hit then decompresses 64 KB, a fraction of a ms.
        docstore_blocksize: 64 * 1024,
        ..IndexSettings::default()
    };
    let index = index_builder()
        .settings(settings)
        .create_in_dir(dir)
        .map_err(|err| match err {
            tantivy::TantivyError::IndexAlreadyExists => Error::BrokenIndex {
                path: dir.to_path_buf(),
                reason: "it holds leftover index files".into(),
            },
            other => other.into(),
        })?;
    register_tokenizer(&index);
    Ok(index)
}

/// Deletes what a broken index left in `dir`, refusing folders that hold anything but
/// index files, so that a mistyped `--index` never deletes a user's documents.
fn remove_index_files(dir: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .collect();
    let is_index_file = |name: &str| {
        name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy")
            // tantivy writes meta.json through a temporary file: a run killed then leaves it.
            || name.starts_with(".tmp")
            || name.ends_with(".idx")
            || name.ends_with(".pos")
            || name.ends_with(".term")
            || name.ends_with(".store")
            || name.ends_with(".fast")
            || name.ends_with(".fieldnorm")
            || name.ends_with(".del")
            || name.ends_with(&format!(".{}", char_index::EXTENSION))
    };
    if let Some(foreign) = entries
        .iter()
        .find(|e| !is_index_file(&e.file_name().to_string_lossy()))
    {
        return Err(Error::BrokenIndex {
            path: dir.to_path_buf(),
            reason: format!(
                "it holds {}, which is not an index file; remove the folder by hand",
                foreign.file_name().to_string_lossy()
            ),
        });
    }
    for entry in entries {
        std::fs::remove_file(entry.path()).map_err(io)?;
    }
    Ok(())
}

/// Indexing threads: as asked, else one per core (tantivy uses at most 8).
fn writer_threads(options: &IndexOptions) -> usize {
    options
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .clamp(1, 8)
}

fn open_writer(index: &Index, dir: &Path, options: &IndexOptions) -> Result<IndexWriter> {
    let threads = writer_threads(options);
    let memory_mb = options
        .memory_mb
        .unwrap_or(DEFAULT_MEMORY_MB)
        .max(threads * MIN_MEMORY_MB_PER_THREAD);
    index
        .writer_with_num_threads(threads, memory_mb * 1024 * 1024)
        .map_err(|err| lock_error(dir, err))
}

/// The report records of the index's last commit, by path.
fn indexed_reports(
    index: &Index,
    dir: &Path,
    fields: &Fields,
) -> Result<HashMap<String, ReportRecord>> {
    let searcher = index.reader()?.searcher();
    Ok(guard(dir, || report_records(&searcher, fields))?
        .into_iter()
        .map(|record| (record.path.clone(), record))
        .collect())
}
