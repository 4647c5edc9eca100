//! `fazhi bench` and the stage timings of `fazhi index --json`, through the binary: the
//! report's fields and their consistency, never how fast anything ran.

mod common;

use std::path::Path;

use common::{fazhi, index_command, sample_corpus};
use serde_json::Value;

/// The stage fields of an indexing summary and of a benchmark, in order.
const STAGES: [&str; 10] = [
    "reading_decoding",
    "cleaning_layout",
    "metadata",
    "documents",
    "word_segmentation",
    "character_index",
    "postings_store",
    "commit_merge",
    "other",
    "total",
];

/// A corpus of two of the sample reports; returns it with its size in bytes.
fn tiny_corpus() -> (tempfile::TempDir, u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = 0;
    for name in ["000_17297affa439b9c0.txt", "001_2d60e079f71ee17a.txt"] {
        let from = sample_corpus().join(name);
        std::fs::copy(&from, dir.path().join(name)).unwrap();
        bytes += std::fs::metadata(from).unwrap().len();
    }
    (dir, bytes)
}

/// Checks that `stages` has every stage, none negative, and that they add up to the total.
fn assert_stages(stages: &Value) {
    let value = |name: &str| {
        stages[name]
            .as_f64()
            .unwrap_or_else(|| panic!("no stage {name} in {stages}"))
    };
    for name in STAGES {
        assert!(value(name) >= 0.0, "{name} in {stages}");
    }
    assert!(value("total") > 0.0, "{stages}");
    let parts: f64 = STAGES[..9].iter().map(|name| value(name)).sum();
    // `other` is the rest of the total, unless the counted stages exceed it.
    assert!(parts >= value("total") - 1e-6, "{stages}");
}

fn bench(corpus: &Path, temp: &Path, args: &[&str]) -> std::process::Output {
    fazhi()
        .env("TMPDIR", temp)
        .arg("--corpus")
        .arg(corpus)
        .arg("bench")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bench_json_reports_every_figure_for_each_thread_count() {
    let (corpus, bytes) = tiny_corpus();
    let temp = tempfile::tempdir().unwrap();
    let output = bench(
        corpus.path(),
        temp.path(),
        &["--threads", "1", "--rounds", "1", "--json"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["files"], 2, "{report}");
    assert_eq!(report["input_bytes"].as_u64(), Some(bytes));
    assert_eq!(report["rounds"], 1);
    let paragraphs = report["paragraphs"].as_u64().unwrap();
    assert!(paragraphs > 20, "{report}");

    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{report}");
    let result = &results[0];
    assert_eq!(result["threads"], 1);
    let rounds = result["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 1, "{result}");
    let round = &rounds[0];
    for figure in [
        "mb_per_second",
        "paragraphs_per_second",
        "peak_rss_mb",
        "index_to_input",
        "floor_mb_per_second",
        "ratio_to_floor",
    ] {
        let spread = &result[figure];
        let median = spread["median"].as_f64().unwrap();
        assert!(median > 0.0, "{figure}: {spread}");
        // One round: the median is that round's figure, and the range is that one value.
        assert_eq!(spread["min"], spread["max"], "{figure}");
        assert_eq!(round[figure].as_f64(), Some(median), "{figure}");
    }
    // The figures agree with each other.
    let seconds = round["seconds"].as_f64().unwrap();
    let mb_per_second = round["mb_per_second"].as_f64().unwrap();
    assert!((mb_per_second * seconds - bytes as f64 / 1e6).abs() < 1e-6);
    let index_bytes = round["index_bytes"].as_u64().unwrap();
    assert!(index_bytes > 0);
    let ratio = round["index_to_input"].as_f64().unwrap();
    assert!((ratio - index_bytes as f64 / bytes as f64).abs() < 1e-9);
    let floor_seconds = round["floor_seconds"].as_f64().unwrap();
    let to_floor = round["ratio_to_floor"].as_f64().unwrap();
    assert!((to_floor - floor_seconds / seconds).abs() < 1e-9);
    assert_stages(&round["stages"]);
    assert_stages(&result["stages"]);
    // The peak memory is the indexing process's: at least jieba's dictionary.
    assert!(round["peak_rss_mb"].as_f64().unwrap() > 10.0, "{round}");

    // The temporary indexes are gone.
    let left: Vec<_> = std::fs::read_dir(temp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn bench_for_a_person_shows_a_row_per_thread_count_and_the_stages() {
    let (corpus, _) = tiny_corpus();
    let temp = tempfile::tempdir().unwrap();
    let output = bench(
        corpus.path(),
        temp.path(),
        &["--threads", "1,2", "--rounds", "1"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("2 files"), "{stdout}");
    assert!(stdout.contains("1 round per thread count"), "{stdout}");
    for column in [
        "threads",
        "MB/s",
        "paragraphs/s",
        "peak RSS MB",
        "index/input",
    ] {
        assert!(stdout.contains(column), "{column}: {stdout}");
    }
    assert!(stdout.contains("ratio to floor"), "{stdout}");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("1 ") || line.starts_with("2 "))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    for stage in [
        "reading, decoding",
        "cleaning, layout",
        "metadata",
        "documents",
        "word segmentation",
        "character index",
        "postings, store",
        "commit, merge",
        "other",
        "total",
    ] {
        let line = stdout
            .lines()
            .find(|line| line.starts_with(stage))
            .unwrap_or_else(|| panic!("no {stage} row: {stdout}"));
        // One figure per thread count.
        assert_eq!(line[stage.len()..].split_whitespace().count(), 2, "{line}");
    }
}

#[test]
fn bad_bench_arguments_are_refused_in_one_line() {
    let (corpus, _) = tiny_corpus();
    let temp = tempfile::tempdir().unwrap();
    let missing = temp.path().join("no such corpus");
    for (corpus, args, says) in [
        (corpus.path(), vec!["--threads", "0"], "--threads \"0\""),
        (corpus.path(), vec!["--threads", "1,x"], "--threads \"x\""),
        (corpus.path(), vec!["--threads", "99"], "from 1 to 8"),
        (corpus.path(), vec!["--rounds", "0"], "--rounds \"0\""),
        (missing.as_path(), vec![], "no such folder"),
    ] {
        let output = bench(corpus, temp.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("For more information"))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn index_json_reports_cpu_time_by_stage() {
    let (corpus, _) = tiny_corpus();
    let index = tempfile::tempdir().unwrap();
    let output = index_command(corpus.path(), &index.path().join("index"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success());
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["indexed"], 2, "{summary}");
    let stages = &summary["stages"];
    assert_stages(stages);
    // Two reports were read, segmented and indexed by character: each took some time.
    for stage in [
        "reading_decoding",
        "cleaning_layout",
        "word_segmentation",
        "character_index",
    ] {
        assert!(stages[stage].as_f64().unwrap() > 0.0, "{stage}: {stages}");
    }
}
