//! Counting and listing mentions of common words, against `grep` over the same files, at
//! 1x and 4x the dev corpus.
//!
//! For each scale, an index is built before any timing from the `docs` folders of
//! `../shared/dev-corpus` (another place can be given with `FAZHI_DEV_CORPUS`); the 4x
//! corpus is made with `../shared/tools/scale-corpus` (copies whose lines are rotated and
//! years shifted, so none is a duplicate). `FAZHI_BENCH_SCALES=1` measures 1x only. When
//! the dev corpus is missing, the bench says so and measures nothing.
//!
//! Group `mentions_<k>x`:
//! - `count/<word>_by_<tag>`: [`count_mentions`] in-process, the counting path (人民 by year,
//!   的 by province, 建设 by year);
//! - `list/人民`: `Index::mentions` in-process, the listing path, which reads every
//!   mentioning paragraph and keeps them all;
//! - `cli_count/<word>`: `fazhi mentions WORD --by TAG` end to end, against
//!   `grep_count/<word>`: `grep -rFo WORD DIRS | wc -l`;
//! - `cli_csv/<word>`: `fazhi mentions WORD --csv > file` (streamed), against
//!   `grep_export/<word>`: `grep -rFo WORD DIRS > file`, for 人民 and 的.
//!
//! Before timing, each count is checked against the listing's total, so that the paths
//! measured give the same answer. Run with `cargo build --release && cargo bench --bench
//! mentions`.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use fazhi::{Filters, GroupBy, Index, Matching};
use tempfile::TempDir;

/// The counting cases: a word and the tag it is counted by.
const COUNTS: [(&str, GroupBy, &str); 3] = [
    ("人民", GroupBy::Year, "year"),
    ("的", GroupBy::Province, "province"),
    ("建设", GroupBy::Year, "year"),
];
/// The words exported (the first also listed in-process): a common word, and the most
/// common character, whose export must stream.
const LISTED: [&str; 2] = ["人民", "的"];

/// A corpus at one scale: the report folders grep reads, and the folder fazhi indexes.
struct ScaledCorpus {
    scale: usize,
    /// The folders of report files.
    report_dirs: Vec<PathBuf>,
    /// A folder whose sub-folders are links to `report_dirs`.
    corpus: PathBuf,
    _keep: Vec<TempDir>,
}

/// The dev corpus at `scale` (1: as it is; more: copies made by `scale-corpus`).
fn scaled_corpus(docs: &[PathBuf], scale: usize) -> ScaledCorpus {
    if scale == 1 {
        let linked = common::linked_corpus(docs);
        return ScaledCorpus {
            scale,
            report_dirs: docs.to_vec(),
            corpus: linked.path().to_path_buf(),
            _keep: vec![linked],
        };
    }
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/scale-corpus");
    let copies = tempfile::tempdir().expect("create a folder for the copies");
    let mut report_dirs = Vec::new();
    for dir in docs {
        let part = dir
            .parent()
            .and_then(Path::file_name)
            .expect("a docs folder has a named parent");
        let target = copies.path().join(part);
        let status = Command::new(&tool)
            .arg(dir)
            .arg(&target)
            .arg(scale.to_string())
            .stdout(Stdio::null())
            .status()
            .expect("run scale-corpus");
        assert!(status.success(), "scale-corpus failed on {}", dir.display());
        report_dirs.push(target);
    }
    ScaledCorpus {
        scale,
        corpus: copies.path().to_path_buf(),
        report_dirs,
        _keep: vec![copies],
    }
}

/// Runs `script` with `sh -c`, output discarded; panics when it fails.
fn shell(script: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdout(Stdio::null())
        .status()
        .expect("run sh");
    assert!(status.success(), "{script} failed: {status}");
}

/// `script`'s standard output, trimmed.
fn shell_output(script: &str) -> String {
    let output = Command::new("sh")
        .arg("-c")
        .arg(script)
        .output()
        .expect("run sh");
    assert!(output.status.success(), "{script} failed");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// `path` quoted for the shell.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

fn bench_scale(c: &mut Criterion, corpus: &ScaledCorpus) {
    let index = tempfile::tempdir().expect("create a temp index folder");
    let summary = common::build(&corpus.corpus, index.path(), 2);
    eprintln!(
        "{}x: {} reports, {} paragraphs, {:.1} MB read",
        corpus.scale,
        summary.reports,
        summary.paragraphs,
        summary.bytes as f64 / 1e6
    );
    let store = Index::open(index.path()).expect("open the index");
    let all = Filters::default();
    let dirs: Vec<String> = corpus.report_dirs.iter().map(|d| quoted(d)).collect();
    let dirs = dirs.join(" ");
    let fazhi = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/fazhi");
    let fazhi = fazhi.is_file().then(|| quoted(&fazhi));
    if fazhi.is_none() {
        eprintln!("target/release/fazhi not found: skipping the CLI cases (run cargo build --release first)");
    }
    let index_arg = quoted(index.path());

    let mut group = c.benchmark_group(format!("mentions_{}x", corpus.scale));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(1));
    for (word, by, tag) in COUNTS {
        let counted = store
            .count_mentions(word, &all, Matching::Exact, Some(by))
            .expect("count");
        let listed = store.mentions(word, &all, Matching::Exact).expect("list");
        // The two paths must agree, or the comparison means nothing.
        assert_eq!(counted.total as usize, listed.total, "{word}");
        let grep_count = shell_output(&format!("grep -rFo {word} {dirs} | wc -l"));
        eprintln!(
            "{}x: {word} {} mentions in the index, {grep_count} in the files by grep (titles and page furniture included)",
            corpus.scale, counted.total
        );
        drop(listed);
        group.bench_function(format!("count/{word}_by_{tag}"), |b| {
            b.iter(|| {
                black_box(
                    store
                        .count_mentions(word, &all, Matching::Exact, Some(by))
                        .expect("count"),
                )
            })
        });
        if let Some(fazhi) = &fazhi {
            let script = format!("{fazhi} mentions {word} --by {tag} --index {index_arg}");
            group.bench_function(format!("cli_count/{word}"), |b| b.iter(|| shell(&script)));
        }
        let script = format!("grep -rFo {word} {dirs} | wc -l");
        group.bench_function(format!("grep_count/{word}"), |b| b.iter(|| shell(&script)));
    }
    group.bench_function(format!("list/{}", LISTED[0]), |b| {
        b.iter(|| {
            black_box(
                store
                    .mentions(LISTED[0], &all, Matching::Exact)
                    .expect("list"),
            )
        })
    });
    let out = tempfile::tempdir().expect("create a folder for exports");
    let file = quoted(&out.path().join("export"));
    for word in LISTED {
        if let Some(fazhi) = &fazhi {
            let script = format!("{fazhi} mentions {word} --csv --index {index_arg} > {file}");
            group.bench_function(format!("cli_csv/{word}"), |b| b.iter(|| shell(&script)));
        }
        let script = format!("grep -rFo {word} {dirs} > {file}");
        group.bench_function(format!("grep_export/{word}"), |b| b.iter(|| shell(&script)));
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let docs = match common::dev_corpus_docs() {
        Ok(docs) => docs,
        Err(missing) => {
            eprintln!("{missing}: skipping the mentions bench, which measures the dev corpus");
            return;
        }
    };
    let scales: Vec<usize> = std::env::var("FAZHI_BENCH_SCALES")
        .unwrap_or_else(|_| "1,4".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    for scale in scales {
        let corpus = scaled_corpus(&docs, scale);
        bench_scale(c, &corpus);
    }
}

criterion_group!(mentions_benches, benches);
criterion_main!(mentions_benches);
