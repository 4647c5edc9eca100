//! Where an indexing run spends its CPU time, counted by the indexing code itself.
//!
//! The stages run on different threads: reading, decoding, cleaning, layout and metadata on
//! the reading workers; word segmentation, the character index, postings and the document
//! store on tantivy's indexing threads; merges on tantivy's merge threads. Each is counted
//! where it runs, into process-wide counters that [`build_index`](crate::build_index) reads
//! before and after a run:
//!
//! - per file, on the workers: the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) around
//!   reading and decoding, cleaning and layout, metadata; on the thread that runs the job,
//!   around building each report's documents and handing them to tantivy;
//! - per batch of paragraphs (a few megabytes of text, see
//!   [`text_batch`](crate::index::text_batch)), on the indexing threads: jieba's
//!   segmentation of the texts in the text word index, and the character index plugin's
//!   work, by the thread's CPU clock, whose 2 µs a read are nothing next to a batch's
//!   milliseconds;
//! - per section heading segmented, on the indexing threads: jieba's segmentation of it,
//!   by a monotonic clock (tens of nanoseconds to read). A thread's CPU clock costs about
//!   2 µs to read on a virtual machine, as much as segmenting a short heading, and
//!   disturbs the call it times. The monotonic clock also counts time the thread waits for
//!   a core; so a call is counted for at most [`call_cap`] of its bytes, many times what
//!   the work costs but far less than a scheduler's time slice: a call that was preempted
//!   counts for the cap;
//! - per segment, on the indexing threads: the thread's CPU time from the segment's first
//!   document to the end of its serialization, which covers everything tantivy does for it;
//!   postings and store are that time minus segmentation and the character index, as
//!   tantivy's postings writer and store cannot be timed from outside;
//! - commit and merge: the process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`) while the run
//!   commits and waits for merges, minus what the indexing threads spent in the same span.
//!
//! Segmentation is thus a close estimate (its headings' part over-counted by the
//! preemptions shorter than the cap), and so are postings and store, their difference from
//! an exact total; the other stages are exact. Two runs at once in one process add to the
//! same counters.

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::indexer::doc_id_mapping::DocIdMapping;
use tantivy::schema::document::ErasedDocument;
use tantivy::schema::Schema;
use tantivy::{
    DocId, PluginMergeContext, PluginWriter, PluginWriterContext, Segment, SegmentPlugin,
};

/// A stage of indexing whose time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading a file, hashing and decoding it.
    Reading,
    /// Removing page boilerplate, splitting paragraphs and sections.
    CleaningLayout,
    /// Finding place, year and issuer.
    Metadata,
    /// jieba's word segmentation.
    Segmentation,
    /// The character index plugin.
    CharacterIndex,
    /// Everything tantivy's indexing threads do, segmentation and characters included.
    IndexingThreads,
    /// Building tantivy documents and handing them to the indexing threads.
    Documents,
}

const STAGES: usize = 7;

static NANOS: [AtomicU64; STAGES] = [const { AtomicU64::new(0) }; STAGES];

/// Adds `time` to `stage`.
pub fn add(stage: Stage, time: Duration) {
    NANOS[stage as usize].fetch_add(time.as_nanos() as u64, Ordering::Relaxed);
}

/// Runs `work`, adding the calling thread's CPU time in it to `stage`.
pub fn timed<T>(stage: Stage, work: impl FnOnce() -> T) -> T {
    let started = thread_cpu();
    let out = work();
    add(stage, thread_cpu().saturating_sub(started));
    out
}

/// The most a call on `bytes` of text is counted for: 20 µs and 50 ns a byte, five times
/// what segmenting them costs on a quiet machine and a fraction of a time slice.
pub fn call_cap(bytes: usize) -> Duration {
    Duration::from_nanos(20_000 + 50 * bytes as u64)
}

/// Runs `work`, a frequent call on `bytes` of text, adding its elapsed time to `stage`, at
/// most [`call_cap`] of them.
pub fn timed_call<T>(stage: Stage, bytes: usize, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = work();
    add(stage, started.elapsed().min(call_cap(bytes)));
    out
}

/// The CPU time of the calling thread so far.
pub fn thread_cpu() -> Duration {
    cpu_clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn cpu_clock(clock: libc::clockid_t) -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write into; the clock ids are constants.
    if unsafe { libc::clock_gettime(clock, &mut now) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The CPU time (user and system) of the whole process so far.
pub fn process_cpu() -> Duration {
    cpu_clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

/// A reading of every counter, to subtract from a later one.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    nanos: [u64; STAGES],
    process: Duration,
}

impl Reading {
    /// The counters now.
    pub fn now() -> Reading {
        Reading {
            nanos: std::array::from_fn(|i| NANOS[i].load(Ordering::Relaxed)),
            process: process_cpu(),
        }
    }

    /// Seconds counted for `stage` since `earlier`.
    fn since(&self, earlier: &Reading, stage: Stage) -> f64 {
        let i = stage as usize;
        self.nanos[i].saturating_sub(earlier.nanos[i]) as f64 / 1e9
    }

    /// Process CPU seconds since `earlier`.
    fn process_since(&self, earlier: &Reading) -> f64 {
        self.process.saturating_sub(earlier.process).as_secs_f64()
    }
}

/// CPU seconds an indexing run spent in each stage (see the module's documentation for how
/// each is counted). The stages add up to `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTimes {
    /// Reading files, hashing and decoding them (reading workers).
    pub reading_decoding: f64,
    /// Removing page boilerplate, splitting paragraphs and sections (reading workers).
    pub cleaning_layout: f64,
    /// Finding place, year and issuer, applying the manifest (reading workers).
    pub metadata: f64,
    /// Building tantivy documents and handing them to tantivy's indexing threads (the
    /// thread running the job).
    pub documents: f64,
    /// jieba's word segmentation of paragraphs and headings.
    pub word_segmentation: f64,
    /// Recording every character's positions for exact substring search.
    pub character_index: f64,
    /// The word indexes' postings, tantivy's postings of the tags, fast fields, field norms,
    /// the paragraph texts and the compressed document store.
    pub postings_store: f64,
    /// Committing and merging segments.
    pub commit_merge: f64,
    /// The rest: walking the corpus, opening the index, loading jieba's dictionary, and what
    /// the threads do between the stages counted (waiting for work, the window of files
    /// read ahead).
    pub other: f64,
    /// CPU seconds of the whole run.
    pub total: f64,
}

/// Counts what one run spends between [`RunClock::start`] and [`RunClock::finish`], the
/// commits and merges being marked with [`RunClock::committing`].
pub struct RunClock {
    start: Reading,
    commit_process: f64,
    commit_indexing: f64,
}

impl RunClock {
    /// Starts counting a run.
    pub fn start() -> RunClock {
        RunClock {
            start: Reading::now(),
            commit_process: 0.0,
            commit_indexing: 0.0,
        }
    }

    /// Runs `commit` (a commit, or waiting for merges), counting the process's time in it
    /// as committing and merging, except what the indexing threads did meanwhile.
    pub fn committing<T>(&mut self, commit: impl FnOnce() -> T) -> T {
        let before = Reading::now();
        let out = commit();
        let after = Reading::now();
        self.commit_process += after.process_since(&before);
        self.commit_indexing += after.since(&before, Stage::IndexingThreads);
        out
    }

    /// The stage times of the run so far.
    pub fn finish(&self) -> StageTimes {
        let now = Reading::now();
        let stage = |stage| now.since(&self.start, stage);
        let word_segmentation = stage(Stage::Segmentation);
        let character_index = stage(Stage::CharacterIndex);
        let postings_store =
            (stage(Stage::IndexingThreads) - word_segmentation - character_index).max(0.0);
        let commit_merge = (self.commit_process - self.commit_indexing).max(0.0);
        let mut times = StageTimes {
            reading_decoding: stage(Stage::Reading),
            cleaning_layout: stage(Stage::CleaningLayout),
            metadata: stage(Stage::Metadata),
            documents: stage(Stage::Documents),
            word_segmentation,
            character_index,
            postings_store,
            commit_merge,
            other: 0.0,
            total: now.process_since(&self.start),
        };
        let counted = times.reading_decoding
            + times.cleaning_layout
            + times.metadata
            + times.documents
            + times.word_segmentation
            + times.character_index
            + times.postings_store
            + times.commit_merge;
        times.other = (times.total - counted).max(0.0);
        times
    }
}

/// A segment plugin that counts the indexing thread's CPU time per segment, from the
/// creation of the segment's writers to the serialization of the plugin it wraps (see the
/// module's documentation); the wrapped plugin counts its own work.
#[derive(Debug)]
pub struct TimedPlugin<P> {
    inner: P,
}

impl<P> TimedPlugin<P> {
    /// Wraps `inner`.
    pub fn new(inner: P) -> TimedPlugin<P> {
        TimedPlugin { inner }
    }
}

impl<P: SegmentPlugin> SegmentPlugin for TimedPlugin<P> {
    fn extensions(&self) -> &[&str] {
        self.inner.extensions()
    }

    fn create_writer(&self, ctx: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        // tantivy creates a segment's writers on the indexing thread that then fills it.
        let thread_started = thread_cpu();
        let inner = self.inner.create_writer(ctx)?;
        Ok(Box::new(TimedWriter {
            inner,
            thread_started,
        }))
    }

    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        // Merges run while the run commits or waits for merges: counted there.
        self.inner.merge(ctx)
    }
}

struct TimedWriter {
    inner: Box<dyn PluginWriter>,
    /// The indexing thread's CPU time when the segment was started.
    thread_started: Duration,
}

impl PluginWriter for TimedWriter {
    fn add_document(
        &mut self,
        doc_id: DocId,
        doc: &dyn ErasedDocument,
        schema: &Schema,
    ) -> tantivy::Result<()> {
        self.inner.add_document(doc_id, doc, schema)
    }

    fn serialize(
        self: Box<Self>,
        segment: &Segment,
        doc_id_map: Option<&DocIdMapping>,
    ) -> tantivy::Result<()> {
        let TimedWriter {
            inner,
            thread_started,
        } = *self;
        let out = inner.serialize(segment, doc_id_map);
        // Custom plugins are serialized last: the segment is now written.
        add(
            Stage::IndexingThreads,
            thread_cpu().saturating_sub(thread_started),
        );
        out
    }

    fn mem_usage(&self) -> usize {
        self.inner.mem_usage()
    }

    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self.inner.as_any_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_clocks_advance_with_work() {
        let (thread, process) = (thread_cpu(), process_cpu());
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        assert!(thread_cpu() > thread);
        assert!(process_cpu() > process);
    }

    #[test]
    fn a_call_counts_its_time_up_to_the_cap() {
        let before = Reading::now();
        timed_call(Stage::Metadata, 0, || {
            std::thread::sleep(Duration::from_millis(5));
        });
        let counted = Reading::now().since(&before, Stage::Metadata);
        // Other tests may add to the same counter meanwhile, but never sleep in it.
        assert!(counted >= call_cap(0).as_secs_f64(), "{counted}");
        assert!(counted < 0.005, "{counted}");
    }

    #[test]
    fn a_run_counts_its_stages_and_they_add_up() {
        let clock = RunClock::start();
        add(Stage::Reading, Duration::from_millis(3));
        add(Stage::IndexingThreads, Duration::from_millis(2));
        add(Stage::Segmentation, Duration::from_millis(1));
        let times = clock.finish();
        // Other tests may run at once and add to the same counters: at least ours are there.
        assert!(times.reading_decoding >= 0.003, "{times:?}");
        assert!(times.word_segmentation >= 0.001, "{times:?}");
        let fields = [
            times.cleaning_layout,
            times.metadata,
            times.character_index,
            times.postings_store,
            times.commit_merge,
            times.other,
            times.total,
        ];
        assert!(
            fields.iter().all(|t| t.is_finite() && *t >= 0.0),
            "{times:?}"
        );
    }
}
