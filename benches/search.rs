//! Query latency on an index of the dev corpus, and what `mentions` saves over a scan.
//!
//! The index is built once, before any timing, from the `docs` folders of
//! `../shared/dev-corpus` (another place can be given with `FAZHI_DEV_CORPUS`); when the dev
//! corpus is missing it is built from the sample corpus in `corpus/`, saying so.
//!
//! Group `search`: ranked search (top 10, as the CLI) for a word (行政复议), a quoted phrase
//! ("枫桥经验"), a natural multi-word query (行政复议申请办结情况), and the word restricted to
//! reports of 2015..2020; `mentions` of a rare phrase (枫桥经验) and of a common one
//! (行政复议); and `full_scan`, the baseline `mentions` replaces: reading every stored
//! paragraph from the index's doc store and counting the rare phrase with `str::matches`.
//!
//! Group `cli`: `target/release/fazhi mentions 枫桥经验 --index <index>` end to end
//! (process start, index open, output), against `grep -rc 枫桥经验` over the same report
//! folders. Each is skipped, saying so, when missing: run `cargo build --release` first.
//!
//! Run with `cargo build --release && cargo bench --bench search`.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use fazhi::{Filters, Index, Matching, Query, YearRange};
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// A phrase found in few paragraphs.
const RARE: &str = "枫桥经验";
/// A phrase found in many paragraphs.
const COMMON: &str = "行政复议";
/// Hits asked of ranked search, the CLI's default.
const LIMIT: usize = 10;

/// Occurrences of `phrase` in every stored paragraph, read segment by segment from the
/// doc store: what answering `mentions` without the index would cost.
fn full_scan(index: &Path, phrase: &str) -> usize {
    let index = tantivy::Index::open_in_dir(index).expect("open the index with tantivy");
    let text = index.schema().get_field("text").expect("a text field");
    let searcher = index.reader().expect("a reader").searcher();
    let mut total = 0;
    for segment in searcher.segment_readers() {
        let docs = segment
            .get_store_reader(100)
            .expect("open the segment's doc store");
        for doc in docs.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc.expect("read a stored document");
            if let Some(text) = doc.get_first(text).and_then(|v| v.as_str()) {
                total += text.matches(phrase).count();
            }
        }
    }
    total
}

/// Runs `program` with `args` to completion, output discarded. Both commands benchmarked
/// find the rare phrase, so both succeed (grep fails when nothing matches).
fn run(program: &Path, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("run the command");
    assert!(status.success(), "{} failed: {status}", program.display());
}

fn benches(c: &mut Criterion) {
    let (corpus, _links, report_dirs) = match common::dev_corpus_docs() {
        Ok(docs) => {
            let linked = common::linked_corpus(&docs);
            (linked.path().to_path_buf(), Some(linked), docs)
        }
        Err(missing) => {
            eprintln!("{missing}: searching an index of the sample corpus instead");
            let sample = common::sample_corpus();
            (sample.clone(), None, vec![sample])
        }
    };
    let index = tempfile::tempdir().expect("create a temp index folder");
    let summary = common::build(&corpus, index.path(), 2);
    eprintln!(
        "index of {}: {} reports, {} paragraphs",
        corpus.display(),
        summary.reports,
        summary.paragraphs
    );
    let store = Index::open(index.path()).expect("open the index");

    let mut group = c.benchmark_group("search");
    // Up to ~10 ms a query: a hundred samples need more than the default five seconds.
    group.measurement_time(Duration::from_secs(10));
    let all = Filters::default();
    let years = Filters {
        year: Some(YearRange {
            from: 2015,
            to: 2020,
        }),
        ..Filters::default()
    };
    for (name, query, filters) in [
        ("word", COMMON, &all),
        ("phrase", "\"枫桥经验\"", &all),
        ("natural", "行政复议申请办结情况", &all),
        ("word_2015_2020", COMMON, &years),
    ] {
        let parsed = Query::parse(query).expect("parse the query");
        let total = store.search(&parsed, filters, LIMIT).expect("search").total;
        eprintln!("search/{name}: {query} matches {total} paragraphs");
        group.bench_function(name, |b| {
            b.iter(|| store.search(&parsed, filters, LIMIT).expect("search"))
        });
    }
    for (name, phrase) in [("mentions_rare", RARE), ("mentions_common", COMMON)] {
        let found = store
            .mentions(phrase, &all, Matching::Exact)
            .expect("mentions");
        // The baseline must find the same occurrences, or the comparison means nothing.
        assert_eq!(found.total, full_scan(index.path(), phrase), "{phrase}");
        eprintln!(
            "search/{name}: {phrase} occurs {} times in {} paragraphs",
            found.total,
            found.paragraphs.len()
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                store
                    .mentions(phrase, &all, Matching::Exact)
                    .expect("mentions")
            })
        });
    }
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("full_scan_rare", |b| {
        b.iter(|| black_box(full_scan(index.path(), RARE)))
    });
    group.finish();

    let mut group = c.benchmark_group("cli");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let fazhi = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/fazhi");
    if fazhi.is_file() {
        let index_arg = index.path().to_str().expect("a UTF-8 temp path");
        group.bench_function("fazhi_mentions_rare", |b| {
            b.iter(|| run(&fazhi, &["mentions", RARE, "--index", index_arg]))
        });
    } else {
        eprintln!(
            "{} not found: skipping the CLI (run cargo build --release first)",
            fazhi.display()
        );
    }
    let grep = PathBuf::from("grep");
    if Command::new(&grep).arg("--version").output().is_ok() {
        let mut args = vec!["-rc", RARE];
        args.extend(
            report_dirs
                .iter()
                .map(|d| d.to_str().expect("a UTF-8 path")),
        );
        group.bench_function("grep_rare", |b| b.iter(|| run(&grep, &args)));
    } else {
        eprintln!("grep not found: skipping the grep comparison");
    }
    group.finish();
}

criterion_group!(search_benches, benches);
criterion_main!(search_benches);
