//! What people type, at scale: the judged Shenzhen queries (mean nDCG@10 through the
//! binary), honest totals, numbers matched whole, lone characters, pasted passages,
//! questions, snippets, headings and place names.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{json_at, text};
use serde_json::Value;

/// Mean nDCG@10 on the judged Shenzhen set must not fall below this: the value measured
/// when the set was last tuned, less a small margin for ties that reorder.
const NDCG_FLOOR: f64 = 0.70;

/// The Shenzhen reports of the dev corpus, when present.
fn shenzhen_corpus() -> Option<PathBuf> {
    let dir = common::dev_corpus()?.join("shenzhen/docs");
    dir.is_dir().then_some(dir)
}

/// An index of the Shenzhen reports, built once per test binary by `fazhi index`; `None`
/// (with a message) when the dev corpus is absent.
fn shenzhen_index(test: &str) -> Option<&'static Path> {
    static INDEX: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let corpus = shenzhen_corpus()?;
        let dir = tempfile::tempdir().expect("a temporary folder");
        common::index_command(&corpus, dir.path())
            .assert()
            .success();
        Some(dir)
    });
    if index.is_none() {
        eprintln!("{test}: skipped, the dev corpus (../shared/dev-corpus/shenzhen) is absent");
    }
    index.as_ref().map(|dir| dir.path())
}

fn hits(result: &Value) -> &Vec<Value> {
    result["hits"].as_array().expect("hits")
}

/// One graded paragraph: its report file, a substring that identifies it, its grade.
struct Judgment {
    file: String,
    substring: String,
    grade: u32,
}

/// The judged set, query -> judgments, in file order.
fn judged_set() -> Vec<(String, Vec<Judgment>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/judged/shenzhen.tsv");
    let data = std::fs::read_to_string(&path).expect("the judged set");
    let mut set: Vec<(String, Vec<Judgment>)> = Vec::new();
    for line in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "judged line {line:?}");
        let judgment = Judgment {
            file: fields[1].to_string(),
            substring: fields[2].to_string(),
            grade: fields[3].parse().expect("a grade"),
        };
        match set.iter_mut().find(|(q, _)| q == fields[0]) {
            Some((_, judgments)) => judgments.push(judgment),
            None => set.push((fields[0].to_string(), vec![judgment])),
        }
    }
    set
}

/// nDCG@10 of `hits` against `judgments`: gain 2^grade - 1, each judgment credited once.
fn ndcg_at_10(hits: &[Value], judgments: &[Judgment]) -> f64 {
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let gain = |grade: u32| f64::from((1u32 << grade) - 1);
    let mut credited = vec![false; judgments.len()];
    let mut dcg = 0.0;
    for (rank, hit) in hits.iter().take(10).enumerate() {
        let best = judgments
            .iter()
            .enumerate()
            .filter(|(k, j)| {
                !credited[*k]
                    && text(hit, "path") == j.file
                    && text(hit, "text").contains(&j.substring)
            })
            .max_by_key(|(_, j)| j.grade)
            .map(|(k, _)| k);
        if let Some(k) = best {
            credited[k] = true;
            dcg += gain(judgments[k].grade) * discount(rank);
        }
    }
    let mut grades: Vec<u32> = judgments.iter().map(|j| j.grade).collect();
    grades.sort_unstable_by(|a, b| b.cmp(a));
    let ideal: f64 = grades
        .iter()
        .take(10)
        .enumerate()
        .map(|(rank, &g)| gain(g) * discount(rank))
        .sum();
    dcg / ideal
}

#[test]
fn judged_shenzhen_queries_keep_their_mean_ndcg() {
    let Some(index) = shenzhen_index("judged_shenzhen_queries_keep_their_mean_ndcg") else {
        return;
    };
    let set = judged_set();
    assert!(set.len() >= 30, "the judged set has {} queries", set.len());
    let mut figures = BTreeMap::new();
    for (query, judgments) in &set {
        let result = json_at(index, &["search", query, "--limit", "10"]);
        figures.insert(query.clone(), ndcg_at_10(hits(&result), judgments));
    }
    let mean = figures.values().sum::<f64>() / figures.len() as f64;
    for (query, figure) in &figures {
        let shown: String = query.chars().take(30).collect();
        eprintln!("{figure:.3}  {shown}");
    }
    eprintln!("mean nDCG@10 {mean:.4} over {} queries", figures.len());
    assert!(mean >= NDCG_FLOOR, "mean nDCG@10 {mean:.4} < {NDCG_FLOOR}");
}

#[test]
fn every_judged_paragraph_is_in_the_index() {
    let Some(index) = shenzhen_index("every_judged_paragraph_is_in_the_index") else {
        return;
    };
    // A judgment whose substring no paragraph of its report holds could never be credited.
    let mut by_substring: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let set = judged_set();
    for (_, judgments) in &set {
        for j in judgments {
            by_substring.entry(&j.substring).or_default().push(&j.file);
        }
    }
    for (substring, files) in by_substring {
        let found = json_at(index, &["mentions", substring]);
        let paths: Vec<&str> = found["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .map(|p| text(p, "path"))
            .collect();
        for file in files {
            assert!(paths.contains(&file), "{substring:?} not in {file}");
        }
    }
}
