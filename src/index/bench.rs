//! Benchmarking indexing: how fast a corpus is indexed, with how much memory, where the
//! CPU time goes, and how that compares with word segmentation alone.
//!
//! Each round indexes the corpus from scratch into a temporary folder (removed afterwards)
//! through an [`IndexRound`], which the binary implements by running `fazhi index` as a
//! child process: the wall time is then the whole command's, start to exit, and the peak
//! resident memory is the child's own, as the kernel counts it. Right after, in the same
//! round, jieba's `cut_for_search` alone segments the same paragraphs on as many threads:
//! the segmentation floor, measured under the same load, so that the ratio of the two is
//! steadier than either figure on a shared machine. Rounds go through the thread counts
//! in turn, so that a busy minute spreads over all of them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::build::IndexSummary;
use crate::index::read_ahead::read_ahead;
use crate::index::stage_clock::StageTimes;
use crate::index::tokenizers::jieba;
use crate::read::decode::decode_source;
use crate::read::manifest::Manifest;
use crate::read::read_report;
use crate::read::walk;

/// What to benchmark.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The folder of report files to index.
    pub corpus: PathBuf,
    /// The indexing thread counts to measure, each in every round.
    pub threads: Vec<usize>,
    /// Rounds per thread count (at least one).
    pub rounds: usize,
}

/// One indexing run, as measured from outside it.
#[derive(Debug, Clone)]
pub struct MeasuredRun {
    /// What the run reported.
    pub summary: IndexSummary,
    /// Its peak resident memory, in bytes.
    pub peak_rss_bytes: u64,
}

/// Runs one indexing round: `corpus` indexed from scratch into the new folder `index`.
pub trait IndexRound {
    /// Indexes `corpus` into `index` with `threads` indexing threads.
    fn index(&mut self, corpus: &Path, index: &Path, threads: usize) -> Result<MeasuredRun>;
}

/// Progress callbacks of a benchmark, so that the binary can draw a bar.
pub trait BenchProgress {
    /// The corpus is being read for the segmentation floor.
    fn reading(&mut self);
    /// Rounds are about to start: `total` of them, all thread counts together.
    fn start(&mut self, total: usize);
    /// A round with `threads` threads starts (`round` counts from 1).
    fn round(&mut self, threads: usize, round: usize);
    /// Every round is done.
    fn finish(&mut self);
}

/// A [`BenchProgress`] that shows nothing.
pub struct NoBenchProgress;

impl BenchProgress for NoBenchProgress {
    fn reading(&mut self) {}
    fn start(&mut self, _total: usize) {}
    fn round(&mut self, _threads: usize, _round: usize) {}
    fn finish(&mut self) {}
}

/// The median and range of one figure over the rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// The median (of an even count, the mean of the middle two).
    pub median: f64,
    /// The lowest value.
    pub min: f64,
    /// The highest value.
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (all zero when there are none).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Spread {
        let mut values: Vec<f64> = values.into_iter().collect();
        if values.is_empty() {
            return Spread::default();
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Spread {
            median,
            min: values[0],
            max: values[n - 1],
        }
    }
}

/// One round at one thread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchRound {
    /// Wall seconds of the indexing run, process start to exit.
    pub seconds: f64,
    /// Input megabytes (10^6 bytes) per wall second.
    pub mb_per_second: f64,
    /// Paragraphs indexed per wall second.
    pub paragraphs_per_second: f64,
    /// Peak resident memory of the indexing process, in MB.
    pub peak_rss_mb: f64,
    /// Bytes of the index folder.
    pub index_bytes: u64,
    /// Index size over input size.
    pub index_to_input: f64,
    /// Wall seconds of segmenting the same paragraphs with jieba alone, same threads.
    pub floor_seconds: f64,
    /// Input megabytes per second of the segmentation floor.
    pub floor_mb_per_second: f64,
    /// Indexing throughput over the floor's (floor seconds over indexing seconds).
    pub ratio_to_floor: f64,
    /// CPU seconds by stage, as the indexing run counted them.
    pub stages: StageTimes,
}

/// The rounds at one thread count, summarized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadsResult {
    /// Indexing threads (and threads of the floor).
    pub threads: usize,
    /// Input MB per wall second.
    pub mb_per_second: Spread,
    /// Paragraphs per wall second.
    pub paragraphs_per_second: Spread,
    /// Peak resident memory in MB.
    pub peak_rss_mb: Spread,
    /// Index size over input size.
    pub index_to_input: Spread,
    /// Input MB per second of the segmentation floor.
    pub floor_mb_per_second: Spread,
    /// Indexing throughput over the floor's, round by round.
    pub ratio_to_floor: Spread,
    /// The median CPU seconds of each stage.
    pub stages: StageTimes,
    /// Every round, in the order run.
    pub rounds: Vec<BenchRound>,
}

/// What a benchmark measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// Report files in it.
    pub files: usize,
    /// Their bytes: the input of every throughput figure.
    pub input_bytes: u64,
    /// Paragraphs read from them (what the floor segments).
    pub paragraphs: usize,
    /// Rounds per thread count.
    pub rounds: usize,
    /// One result per thread count, in the order asked.
    pub results: Vec<ThreadsResult>,
}

/// Runs the benchmark described by `options`, indexing with `indexer`.
pub fn run_bench(
    options: &BenchOptions,
    indexer: &mut dyn IndexRound,
    progress: &mut dyn BenchProgress,
) -> Result<BenchReport> {
    progress.reading();
    let (files, _skipped) = walk::walk(&options.corpus)?;
    let input_bytes: u64 = files.iter().map(|file| file.size).sum();
    let paragraphs = read_paragraphs(&options.corpus, &files)?;
    // Loaded once, outside every timed floor, as indexing loads it once per run.
    jieba();

    let rounds = options.rounds.max(1);
    let mut measured: Vec<Vec<BenchRound>> = vec![Vec::new(); options.threads.len()];
    let scratch = Scratch::new()?;
    progress.start(rounds * options.threads.len());
    for round in 1..=rounds {
        for (slot, &threads) in options.threads.iter().enumerate() {
            progress.round(threads, round);
            let index = scratch.path.join(format!("index-{threads}t-{round}"));
            let started = Instant::now();
            let run = indexer.index(&options.corpus, &index, threads)?;
            let seconds = started.elapsed().as_secs_f64();
            let index_bytes = folder_bytes(&index);
            remove_folder(&index)?;
            let floor_seconds = segmentation_floor(&paragraphs, threads).as_secs_f64();
            measured[slot].push(BenchRound::new(
                input_bytes,
                seconds,
                &run,
                index_bytes,
                floor_seconds,
            ));
        }
    }
    progress.finish();

    let results = options
        .threads
        .iter()
        .zip(measured)
        .map(|(&threads, rounds)| ThreadsResult::of(threads, rounds))
        .collect();
    Ok(BenchReport {
        corpus: options.corpus.clone(),
        files: files.len(),
        input_bytes,
        paragraphs: paragraphs.len(),
        rounds,
        results,
    })
}

impl BenchRound {
    fn new(
        input_bytes: u64,
        seconds: f64,
        run: &MeasuredRun,
        index_bytes: u64,
        floor_seconds: f64,
    ) -> BenchRound {
        let per_second = |amount: f64, seconds: f64| {
            if seconds > 0.0 {
                amount / seconds
            } else {
                0.0
            }
        };
        let input_mb = input_bytes as f64 / 1e6;
        BenchRound {
            seconds,
            mb_per_second: per_second(input_mb, seconds),
            paragraphs_per_second: per_second(run.summary.indexed_paragraphs as f64, seconds),
            peak_rss_mb: run.peak_rss_bytes as f64 / 1e6,
            index_bytes,
            index_to_input: per_second(index_bytes as f64, input_bytes as f64),
            floor_seconds,
            floor_mb_per_second: per_second(input_mb, floor_seconds),
            ratio_to_floor: per_second(floor_seconds, seconds),
            stages: run.summary.stages,
        }
    }
}

impl ThreadsResult {
    fn of(threads: usize, rounds: Vec<BenchRound>) -> ThreadsResult {
        let spread = |figure: fn(&BenchRound) -> f64| Spread::of(rounds.iter().map(figure));
        let stage = |figure: fn(&StageTimes) -> f64| {
            Spread::of(rounds.iter().map(|round| figure(&round.stages))).median
        };
        ThreadsResult {
            threads,
            mb_per_second: spread(|r| r.mb_per_second),
            paragraphs_per_second: spread(|r| r.paragraphs_per_second),
            peak_rss_mb: spread(|r| r.peak_rss_mb),
            index_to_input: spread(|r| r.index_to_input),
            floor_mb_per_second: spread(|r| r.floor_mb_per_second),
            ratio_to_floor: spread(|r| r.ratio_to_floor),
            stages: StageTimes {
                reading_decoding: stage(|s| s.reading_decoding),
                cleaning_layout: stage(|s| s.cleaning_layout),
                metadata: stage(|s| s.metadata),
                documents: stage(|s| s.documents),
                word_segmentation: stage(|s| s.word_segmentation),
                character_index: stage(|s| s.character_index),
                postings_store: stage(|s| s.postings_store),
                commit_merge: stage(|s| s.commit_merge),
                other: stage(|s| s.other),
                total: stage(|s| s.total),
            },
            rounds,
        }
    }
}

/// The text of every paragraph indexing would write, read as indexing reads it.
fn read_paragraphs(corpus: &Path, files: &[walk::CorpusFile]) -> Result<Vec<String>> {
    let manifest = Manifest::load(corpus)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut paragraphs = Vec::new();
    read_ahead(
        files,
        workers,
        |file| {
            let bytes = std::fs::read(&file.fs_path).ok()?;
            let source = decode_source(&file.fs_path, &bytes).ok()?;
            let mut report = read_report(&file.path, &source);
            manifest.apply(&mut report);
            Some(report.paragraphs)
        },
        |_, read| {
            paragraphs.extend(read.into_iter().flatten().map(|p| p.text));
            Ok::<(), Error>(())
        },
    )?;
    Ok(paragraphs)
}

/// Wall time of jieba's `cut_for_search` over `paragraphs` on `threads` threads, each
/// taking a contiguous run of about equal bytes.
pub fn segmentation_floor(paragraphs: &[String], threads: usize) -> Duration {
    let threads = threads.max(1);
    let total: usize = paragraphs.iter().map(String::len).sum();
    let share = total.div_ceil(threads);
    let mut chunks: Vec<&[String]> = Vec::with_capacity(threads);
    let (mut start, mut bytes) = (0, 0);
    for (i, text) in paragraphs.iter().enumerate() {
        bytes += text.len();
        if bytes >= share && chunks.len() + 1 < threads {
            chunks.push(&paragraphs[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    chunks.push(&paragraphs[start..]);
    let jieba = jieba();
    let started = Instant::now();
    let words: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|&chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|text| jieba.cut_for_search(text, true).len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a segmentation thread never panics"))
            .sum()
    });
    let elapsed = started.elapsed();
    std::hint::black_box(words);
    elapsed
}

/// Runs `command`, an indexing run printing its [`IndexSummary`] as JSON, and measures its
/// peak resident memory as the kernel reports it for the child process.
pub fn run_indexing_process(mut command: Command) -> Result<MeasuredRun> {
    let program = PathBuf::from(command.get_program());
    let io = |source| Error::Io {
        path: program.clone(),
        source,
    };
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(io)?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Read stderr meanwhile, so that a child writing much there never blocks.
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = String::new();
    let read = child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_string(&mut stdout);
    let (status, peak_rss_bytes) = wait_with_peak_rss(child.id()).map_err(io)?;
    read.map_err(io)?;
    let errors = errors.join().unwrap_or_default();
    let failed = |reason: String| Error::IndexingRun {
        program: program.clone(),
        reason,
    };
    if !status.success() {
        let last = errors.lines().rev().find(|line| !line.trim().is_empty());
        return Err(failed(
            last.unwrap_or("exited without a message").to_string(),
        ));
    }
    let summary = serde_json::from_str(&stdout)
        .map_err(|err| failed(format!("printed no indexing summary ({err})")))?;
    Ok(MeasuredRun {
        summary,
        peak_rss_bytes,
    })
}

/// Waits for the child `pid` to exit; returns its status and its peak resident memory.
fn wait_with_peak_rss(pid: u32) -> std::io::Result<(std::process::ExitStatus, u64)> {
    use std::os::unix::process::ExitStatusExt;
    let mut status = 0;
    // SAFETY: rusage is plain data, all zeroes is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for; the pointers are valid.
        let waited = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if waited >= 0 {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    // Linux counts ru_maxrss in kilobytes.
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    Ok((std::process::ExitStatus::from_raw(status), peak))
}

/// A temporary folder for the rounds' indexes, removed with everything in it when dropped.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        let base = std::env::temp_dir();
        for attempt in 0..100u32 {
            let path = base.join(format!("fazhi-bench-{}-{attempt}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Scratch { path }),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
        Err(Error::Io {
            path: base,
            source: std::io::Error::other("no free name for a temporary folder"),
        })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn remove_folder(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Total bytes of the files under `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_have_the_median_of_odd_and_even_counts() {
        let odd = Spread::of([3.0, 1.0, 2.0]);
        assert_eq!((odd.median, odd.min, odd.max), (2.0, 1.0, 3.0));
        let even = Spread::of([4.0, 1.0, 2.0, 3.0]);
        assert_eq!((even.median, even.min, even.max), (2.5, 1.0, 4.0));
        assert_eq!(Spread::of([]), Spread::default());
    }

    #[test]
    fn the_floor_segments_on_any_thread_count() {
        let paragraphs: Vec<String> = (0..50)
            .map(|i| format!("第{i}条 推进法治政府建设,深化行政复议体制改革。"))
            .collect();
        for threads in [1, 2, 7, 80] {
            assert!(segmentation_floor(&paragraphs, threads) > Duration::ZERO);
        }
        assert!(segmentation_floor(&[], 2) < Duration::from_secs(1));
    }
}
