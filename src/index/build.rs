//! Building and updating the index from a corpus folder.
//!
//! Each run compares the corpus with the index by file hash: unchanged files are not read
//! again, changed and added ones are (re)indexed, deleted ones removed. Changes become
//! visible only at a commit, and tantivy's commits are atomic, so a run that is killed
//! leaves the previous commit searchable; the next run picks up where it stopped.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, Term};

use crate::error::{CorpusProblem, Error, Result};
use crate::index::damage::guard;
use crate::index::documents::{add_report, document_counts, report_records};
use crate::index::folder::{lock_error, open_or_create, CommitStamp};
use crate::index::listing::{CorpusListing, LISTING_FILE};
use crate::index::read_ahead::read_ahead;
use crate::index::schema::Fields;
use crate::index::stage_clock::{self, RunClock, Stage, StageTimes};
use crate::index::tokenizers::jieba;
use crate::model::{Report, ReportRecord};
use crate::read::decode::decode_source;
use crate::read::manifest::Manifest;
use crate::read::read_report_in_steps;
use crate::read::walk::{self, CorpusFile, SkippedFile};

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

impl IndexOptions {
    /// Options to build or update the index of `corpus` in `index`, with the default
    /// threads and memory.
    pub fn new(corpus: PathBuf, index: PathBuf) -> IndexOptions {
        IndexOptions {
            corpus,
            index,
            rebuild: false,
            threads: None,
            memory_mb: None,
        }
    }
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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
    /// CPU seconds by stage of indexing.
    pub stages: StageTimes,
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
    let mut clock = RunClock::start();
    let (files, mut skipped) = walk::walk(&options.corpus)?;
    if files.is_empty() {
        // Indexing nothing would empty the index: refuse, so a wrong --corpus loses nothing.
        return Err(Error::Corpus {
            path: options.corpus.clone(),
            problem: CorpusProblem::NoReportFiles,
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
    let mut dictionary_loading = false;
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
            if !dictionary_loading {
                // jieba's dictionary takes over 100 ms to load on one core. Loaded on a
                // thread of its own, it loads while the workers read the next files and
                // tantivy's threads index the characters of the first (the words wait for
                // a full batch), and the first segmentation waits for it without spending
                // CPU time. A run that indexes nothing never loads it.
                std::thread::spawn(jieba);
                dictionary_loading = true;
            }
            stage_clock::timed(Stage::Documents, || {
                add_report(
                    &writer,
                    &fields,
                    &read.report,
                    &read.file_hash,
                    &read.text_hash,
                )
            })?;
            summary.indexed += 1;
            summary.indexed_paragraphs += read.report.paragraphs.len();
            summary.bytes += file.size;
            summary
                .warnings
                .extend(report_warnings(&read.report).map(|reason| SkippedFile {
                    path: file.path.clone(),
                    reason,
                }));
            since_commit += file.size;
            if since_commit >= commit_every {
                clock.committing(|| commit(&mut writer))?;
                since_commit = 0;
            }
            Ok::<(), Error>(())
        },
    )?;
    progress.finishing();
    clock.committing(|| {
        commit(&mut writer)?;
        writer
            .wait_merging_threads()
            .map_err(|err| lock_error(&options.index, err))
    })?;

    CorpusListing::of(&options.corpus, &files)
        .write(&options.index)
        .map_err(|source| Error::Io {
            path: options.index.join(LISTING_FILE),
            source,
        })?;

    let searcher = index.reader()?.searcher();
    (summary.reports, summary.paragraphs) =
        guard(&options.index, || document_counts(&searcher, &fields))?;
    summary.skipped = skipped;
    summary.seconds = started.elapsed().as_secs_f64();
    summary.stages = clock.finish();
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
/// Counts the worker's CPU time in each stage.
fn prepare(
    file: &CorpusFile,
    manifest: &Manifest,
    known: &HashMap<String, ReportRecord>,
) -> Prepared {
    let mut lap = Lap {
        stage: Stage::Reading,
        since: stage_clock::thread_cpu(),
    };
    let prepared = prepare_timed(file, manifest, known, &mut lap);
    lap.next(lap.stage);
    prepared
}

/// The stage a worker is in, and its thread's CPU time when that stage began.
struct Lap {
    stage: Stage,
    since: std::time::Duration,
}

impl Lap {
    /// Ends the current stage, counting its time, and begins `stage`.
    fn next(&mut self, stage: Stage) {
        let now = stage_clock::thread_cpu();
        stage_clock::add(self.stage, now.saturating_sub(self.since));
        (self.stage, self.since) = (stage, now);
    }
}

fn prepare_timed(
    file: &CorpusFile,
    manifest: &Manifest,
    known: &HashMap<String, ReportRecord>,
    lap: &mut Lap,
) -> Prepared {
    let bytes = match std::fs::read(&file.fs_path) {
        Ok(bytes) => bytes,
        Err(err) => return Prepared::Skipped(format!("cannot be read: {err}")),
    };
    let file_hash = content_hash(&bytes, manifest.fingerprint(&file.path).as_deref());
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
    lap.next(Stage::CleaningLayout);
    // Metadata goes on with the manifest, below.
    let mut report = read_report_in_steps(&file.path, &source, &mut || lap.next(Stage::Metadata));
    drop(source);
    manifest.apply(&mut report);
    if report.paragraphs.is_empty() {
        return Prepared::Skipped("no report text left once page boilerplate is removed".into());
    }
    let text_hash = text_hash(report.paragraphs.iter().map(|p| p.text.as_str()));
    Prepared::Read(Box::new(ReadReport {
        report,
        file_hash,
        text_hash,
    }))
}

/// The hash that says whether a report must be read again: its file's bytes and what the
/// manifest says of it, so that editing, adding or removing a manifest entry re-reads the
/// report on the next plain `fazhi index`.
fn content_hash(bytes: &[u8], manifest_entry: Option<&str>) -> String {
    let mut hasher = match manifest_entry {
        None => blake3::Hasher::new(),
        Some(entry) => {
            // Another hash function (blake3's key derivation mode), so that no file's bytes
            // alone hash like a file with an entry; the entry's length keeps it apart from
            // the bytes that follow.
            let mut hasher =
                blake3::Hasher::new_derive_key("fazhi 2025 report with manifest entry");
            hasher.update(&(entry.len() as u64).to_le_bytes());
            hasher.update(entry.as_bytes());
            hasher
        }
    };
    hasher.update(bytes);
    hasher.finalize().to_hex().to_string()
}

/// What to tell the user about a report: what it lacks that a manifest could give it, and
/// what was doubtful in reading it.
fn report_warnings(report: &Report) -> impl Iterator<Item = String> + '_ {
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
    .map(str::to_string)
    .chain(report.warnings.iter().map(ToString::to_string))
}

/// The hash of a report's paragraph texts, each followed by a line feed: two files with
/// the same text are one report.
fn text_hash<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    // blake3 hashes several 1 KB chunks at once with SIMD when it is given them at once;
    // fed a paragraph at a time (180 bytes on average) it compresses 64 bytes at a time.
    // The hash is the same either way.
    const PIECE: usize = 64 * 1024;
    let mut hasher = blake3::Hasher::new();
    let mut piece = Vec::with_capacity(PIECE);
    for text in texts {
        piece.extend_from_slice(text.as_bytes());
        piece.push(b'\n');
        if piece.len() >= PIECE {
            hasher.update(&piece);
            piece.clear();
        }
    }
    hasher.update(&piece);
    hasher.finalize().to_hex().to_string()
}

fn commit(writer: &mut IndexWriter) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&CommitStamp::current());
    prepared.commit()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_hash_is_that_of_the_texts_each_ending_a_line() {
        let long = "依法行政".repeat(10_000);
        let cases: [Vec<&str>; 4] = [
            vec![],
            vec!["一、主要工作"],
            vec!["一、主要工作", "全县办结行政复议案件五十件。", ""],
            vec!["短", &long, "短", &long, &long],
        ];
        for texts in cases {
            let whole: String = texts.iter().map(|text| format!("{text}\n")).collect();
            assert_eq!(
                text_hash(texts.iter().copied()),
                blake3::hash(whole.as_bytes()).to_hex().to_string(),
                "{} texts, {} bytes",
                texts.len(),
                whole.len()
            );
        }
    }
}
