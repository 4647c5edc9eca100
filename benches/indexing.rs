//! Indexing throughput, next to the floor set by word segmentation alone.
//!
//! Group `indexing`, throughput in bytes of report files read:
//!
//! - `sample/…`: the five reports bundled in `corpus/` (~56 KB).
//! - `dev/…`: the dev corpus, the `docs` folders of `../shared/dev-corpus` (~72 MB; another
//!   place can be given with `FAZHI_DEV_CORPUS`). Skipped, saying so, when it is missing.
//!   About three and a half minutes on two cores.
//!
//! For each corpus, `index_Nt` builds a fresh index in a temp folder with N indexing threads
//! (the temp folder's creation and removal are not timed), and `segment_Nt` runs only
//! jieba's `cut_for_search(text, true)` over the same files' decoded text, held in memory,
//! on N threads: the ratio of the two at the same N is what the rest of indexing costs.
//! Each indexing benchmark prints once the index size on disk relative to the input.
//!
//! `plain_2t` (dev corpus only) is the reference the issue and `NOTES-chinese-search.md`
//! quote: a plain tantivy indexer of the same decoded text, one document per line, one
//! stored field of jieba `cut_for_search` words, 2 threads, a 1 GB budget, one commit. It
//! has no exact-match path and starts from text in memory, so it bounds from above what
//! any indexer built on tantivy's postings writer can reach on this machine, in this run.
//! It records document ids only (tantivy's default, `IndexRecordOption::Basic`), which is
//! not enough to rank; `plain_freqs_2t` is the same indexer recording each word's count in
//! each document too, as BM25 needs and as fazhi's word indexes do.
//!
//! `paired_2t` (dev corpus only) runs fazhi's indexer and `plain_2t`'s in turn, build after
//! build, and prints the median of the ratios of their times: unlike two benchmarks run one
//! after the other, it is not swayed by a change in the machine's load between them.
//! `paired_freqs_2t` does the same against `plain_freqs_2t`.
//!
//! Both indexers run with the allocator the `fazhi` binary ships with (mimalloc, without
//! transparent huge pages), so that `index_Nt` measures indexing as users run it. The plain
//! indexer gains more from mimalloc than fazhi (it allocates a `String` per token): with the
//! system allocator the ratio of the two is higher. It would gain from huge pages, which
//! fazhi's binary goes without (see its `main.rs`).
//!
//! Run with `cargo bench --bench indexing` (add `-- dev` for the dev corpus only).

mod common;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use jieba_rs::Jieba;
use std::sync::LazyLock;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, Index};
use walkdir::WalkDir;

/// jieba with its default dictionary, as the indexer loads it, shared by every thread.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

fn jieba() -> &'static Jieba {
    &JIEBA
}

/// A corpus to index, with its reports' text read once for the segmentation floor.
struct Corpus {
    /// Prefix of the benchmark names.
    name: &'static str,
    /// The folder given to the indexer.
    dir: PathBuf,
    /// Decoded text of each report file, in walk order.
    texts: Vec<String>,
    /// Bytes of the report files.
    bytes: u64,
}

impl Corpus {
    /// Reads the files the indexer would read, decoded as the indexer decodes them.
    fn load(name: &'static str, dir: &Path) -> Corpus {
        let (files, _skipped) = fazhi::walk_corpus(dir).expect("walk the corpus");
        let texts = files
            .iter()
            .filter_map(|file| {
                let bytes = std::fs::read(&file.fs_path).expect("read a report file");
                fazhi::decode_source(&file.fs_path, &bytes)
                    .ok()
                    .map(|source| source.text)
            })
            .collect();
        Corpus {
            name,
            dir: dir.to_path_buf(),
            texts,
            bytes: files.iter().map(|file| file.size).sum(),
        }
    }
}

/// Segments `texts` on `threads` threads, each taking a contiguous run of about equal bytes;
/// returns the number of tokens so that the work cannot be optimized away.
fn segment(texts: &[String], threads: usize) -> usize {
    let total: usize = texts.iter().map(String::len).sum();
    let share = total.div_ceil(threads);
    let mut chunks: Vec<&[String]> = Vec::with_capacity(threads);
    let (mut start, mut bytes) = (0, 0);
    for (i, text) in texts.iter().enumerate() {
        bytes += text.len();
        if bytes >= share && chunks.len() + 1 < threads {
            chunks.push(&texts[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    chunks.push(&texts[start..]);
    let count = |chunk: &[String]| -> usize {
        chunk
            .iter()
            .map(|text| jieba().cut_for_search(text, true).len())
            .sum()
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|&chunk| scope.spawn(move || count(chunk)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// Total size of the files under `dir`.
fn size_on_disk(dir: &Path) -> u64 {
    WalkDir::new(dir)
        .into_iter()
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

/// Times `build` into a fresh temp folder, once per iteration; the folder's creation and
/// removal are not timed. `inspect` sees the first folder of each batch, once built.
fn time_fresh_builds(
    b: &mut criterion::Bencher,
    mut build: impl FnMut(&Path),
    mut inspect: impl FnMut(&Path),
) {
    b.iter_custom(|iters| {
        let mut first = true;
        let mut elapsed = Duration::ZERO;
        for _ in 0..iters {
            let index = tempfile::tempdir().expect("create a temp index folder");
            let started = Instant::now();
            build(index.path());
            elapsed += started.elapsed();
            if std::mem::take(&mut first) {
                inspect(index.path());
            }
        }
        elapsed
    })
}

/// Benchmarks building an index of `corpus` from scratch with `threads` indexing threads,
/// and prints the index size once.
fn bench_index(group: &mut BenchmarkGroup<WallTime>, corpus: &Corpus, threads: usize) {
    group.throughput(Throughput::Bytes(corpus.bytes));
    let mut size_reported = false;
    group.bench_function(format!("{}/index_{threads}t", corpus.name), |b| {
        time_fresh_builds(
            b,
            |index| {
                black_box(common::build(&corpus.dir, index, threads));
            },
            |index| {
                if std::mem::replace(&mut size_reported, true) {
                    return;
                }
                let size = size_on_disk(index);
                eprintln!(
                    "{}: index {:.1} MB on disk for {:.1} MB of reports, ratio {:.2}",
                    corpus.name,
                    size as f64 / 1e6,
                    corpus.bytes as f64 / 1e6,
                    size as f64 / corpus.bytes as f64
                );
            },
        )
    });
}

/// Benchmarks fazhi's indexer and the plain one of `record` on `corpus` in turn, build after
/// build, and prints how many times faster fazhi was (the plain indexer's time over
/// fazhi's) for each pair. Criterion times the benchmarks one after the other, so a change
/// in the machine's load between them shows as a difference between the indexers; in pairs
/// taken in turn, each pair sees about the same load, and which indexer goes first
/// alternates. The time criterion reports for this benchmark is fazhi's.
fn bench_paired(
    group: &mut BenchmarkGroup<WallTime>,
    corpus: &Corpus,
    threads: usize,
    record: IndexRecordOption,
) {
    let timed = |build: &dyn Fn(&Path)| {
        let index = tempfile::tempdir().expect("create a temp index folder");
        let started = Instant::now();
        build(index.path());
        started.elapsed()
    };
    let fazhi = |index: &Path| {
        black_box(common::build(&corpus.dir, index, threads));
    };
    let plain = |index: &Path| {
        black_box(plain_index(&corpus.texts, index, threads, record));
    };
    let mut ratios = Vec::new();
    let name = format!("{}/paired{}_{threads}t", corpus.name, recorded(record));
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            for _ in 0..iters {
                let (fazhi, plain) = if ratios.len() % 2 == 0 {
                    (timed(&fazhi), timed(&plain))
                } else {
                    let plain = timed(&plain);
                    (timed(&fazhi), plain)
                };
                ratios.push(plain.as_secs_f64() / fazhi.as_secs_f64());
                elapsed += fazhi;
            }
            elapsed
        })
    });
    ratios.sort_by(f64::total_cmp);
    if let (Some(low), Some(high)) = (ratios.first(), ratios.last()) {
        eprintln!(
            "{}: fazhi against the plain indexer ({record:?}), {threads} threads, in turn: \
             {:.3} times as fast (median of {} pairs, {low:.3}-{high:.3})",
            corpus.name,
            ratios[ratios.len() / 2],
            ratios.len(),
        );
    }
}

/// Benchmarks the segmentation floor of `corpus` on `threads` threads.
fn bench_segment(group: &mut BenchmarkGroup<WallTime>, corpus: &Corpus, threads: usize) {
    group.throughput(Throughput::Bytes(corpus.bytes));
    group.bench_function(format!("{}/segment_{threads}t", corpus.name), |b| {
        b.iter(|| segment(&corpus.texts, threads))
    });
}

/// jieba's search-mode words at their first character's position: the tokenizer of the
/// plain reference indexer (tantivy-jieba's, without its per-token allocations).
#[derive(Clone)]
struct JiebaSearchTokenizer;

/// The tokens of one text for [`JiebaSearchTokenizer`], computed up front.
struct JiebaSearchTokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for JiebaSearchTokenizer {
    type TokenStream<'a> = JiebaSearchTokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaSearchTokens {
        let tokens = jieba()
            .cut_for_search(text, true)
            .into_iter()
            .map(|word| Token {
                offset_from: word.byte_start,
                offset_to: word.byte_end,
                position: word.start,
                text: word.word.to_string(),
                position_length: 1,
            })
            .collect();
        JiebaSearchTokens { tokens, next: 0 }
    }
}

impl TokenStream for JiebaSearchTokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Indexes `texts` into a fresh plain tantivy index in `dir`: one document per non-blank
/// line, one stored jieba field whose postings record `record`; returns the number of
/// documents.
fn plain_index(texts: &[String], dir: &Path, threads: usize, record: IndexRecordOption) -> u64 {
    let mut builder = Schema::builder();
    let options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("jieba_search")
                .set_index_option(record),
        )
        .set_stored();
    let text = builder.add_text_field("text", options);
    let index = Index::create_in_dir(dir, builder.build()).expect("create the plain index");
    index
        .tokenizers()
        .register("jieba_search", JiebaSearchTokenizer);
    let mut writer = index
        .writer_with_num_threads::<tantivy::TantivyDocument>(threads, 1 << 30)
        .expect("open the plain index writer");
    let mut docs = 0;
    for line in texts.iter().flat_map(|t| t.lines()) {
        if !line.trim().is_empty() {
            writer.add_document(doc!(text => line)).expect("add a line");
            docs += 1;
        }
    }
    writer.commit().expect("commit the plain index");
    writer.wait_merging_threads().expect("finish merges");
    docs
}

/// What the plain indexer's postings record, as its benchmarks' names say it after `plain`
/// or `paired`: nothing for document ids only.
fn recorded(record: IndexRecordOption) -> &'static str {
    match record {
        IndexRecordOption::Basic => "",
        IndexRecordOption::WithFreqs => "_freqs",
        IndexRecordOption::WithFreqsAndPositions => "_positions",
    }
}

/// Benchmarks the plain reference indexer on `corpus` with `threads` threads, its postings
/// recording `record`.
fn bench_plain(
    group: &mut BenchmarkGroup<WallTime>,
    corpus: &Corpus,
    threads: usize,
    record: IndexRecordOption,
) {
    group.throughput(Throughput::Bytes(corpus.bytes));
    let name = format!("{}/plain{}_{threads}t", corpus.name, recorded(record));
    group.bench_function(name, |b| {
        time_fresh_builds(
            b,
            |index| {
                black_box(plain_index(&corpus.texts, index, threads, record));
            },
            |_| {},
        )
    });
}

fn indexing(c: &mut Criterion) {
    // Load the dictionary now, so that no measurement includes it.
    jieba();
    let mut group = c.benchmark_group("indexing");

    let sample = Corpus::load("sample", &common::sample_corpus());
    // An index of the sample takes ~0.15 s, mostly the fixed cost of creating and committing
    // an index; segmenting it, ~2 ms.
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(5));
    for threads in [1, 2] {
        bench_index(&mut group, &sample, threads);
        bench_segment(&mut group, &sample, threads);
    }

    match common::dev_corpus_docs() {
        Ok(docs) => {
            let linked = common::linked_corpus(&docs);
            let dev = Corpus::load("dev", linked.path());
            // A run over the dev corpus takes 1.5-12 s: ten samples of one run each, after one
            // run of warm-up. The target times are shorter than that on purpose, so criterion
            // warns that it cannot meet them rather than taking several runs per sample.
            // Indexing with one thread is left out to keep the group near three minutes.
            group
                .sample_size(10)
                .warm_up_time(Duration::from_millis(1))
                .measurement_time(Duration::from_millis(1));
            bench_index(&mut group, &dev, 2);
            bench_plain(&mut group, &dev, 2, IndexRecordOption::Basic);
            bench_plain(&mut group, &dev, 2, IndexRecordOption::WithFreqs);
            bench_paired(&mut group, &dev, 2, IndexRecordOption::Basic);
            bench_paired(&mut group, &dev, 2, IndexRecordOption::WithFreqs);
            bench_segment(&mut group, &dev, 2);
            bench_segment(&mut group, &dev, 1);
        }
        Err(missing) => eprintln!("{missing}: skipping"),
    }
    group.finish();
}

criterion_group!(benches, indexing);
criterion_main!(benches);
