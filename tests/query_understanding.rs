//! What people type, at scale: the judged Shenzhen queries (mean nDCG@10 through the
//! binary), honest totals, numbers matched whole, lone characters, pasted passages,
//! questions, snippets, headings and place names.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{highlighted, json_at, text};
use serde_json::Value;

/// Mean nDCG@10 on the judged Shenzhen set must not fall below this: the value measured
/// when the set was last tuned, less a small margin for ties that reorder.
///
/// Measured (31 queries): 0.8065 before search folded written forms; 0.7951 with folding
/// (`1+3+N` then also finds `1＋3＋N`, which its judgments, made by exact search, miss:
/// 1.000 -> 0.648); 0.8171 with related words (pseudo-relevance feedback, README "Related
/// words"). `停车难` was judged by reading the paragraphs on parking before related words
/// were tried on it: 0.804 -> 0.873.
const NDCG_FLOOR: f64 = 0.80;

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

/// The paragraphs (path, number) of `mentions PHRASE` on `index`.
fn paragraphs_with(index: &Path, phrase: &str) -> Vec<(String, u64)> {
    json_at(index, &["mentions", phrase])["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                text(p, "path").to_string(),
                p["paragraph"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn total_counts_paragraphs_with_all_words_and_partial_those_with_some() {
    let index = common::sample_index();
    let result = json_at(index, &["search", "行政复议 办结", "--limit", "1"]);
    let first = paragraphs_with(index, "行政复议");
    let second = paragraphs_with(index, "办结");
    let both = first.iter().filter(|p| second.contains(p)).count();
    let either = first.len() + second.len() - both;
    assert!(both > 0 && both < either, "{both} of {either}");
    assert_eq!(result["total"].as_u64(), Some(both as u64), "{result}");
    assert_eq!(result["partial"].as_u64(), Some((either - both) as u64));
    let output = common::fazhi()
        .args(["search", "行政复议 办结", "--limit", "1", "--index"])
        .arg(index)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!(
            "{both} paragraphs match all of 行政复议 办结, {} more match some",
            either - both
        )),
        "{stdout}"
    );
}

#[test]
fn a_phrase_typed_without_spaces_is_counted_where_all_its_words_are() {
    let Some(index) =
        shenzhen_index("a_phrase_typed_without_spaces_is_counted_where_all_its_words_are")
    else {
        return;
    };
    let result = json_at(index, &["search", "城中村改造", "--limit", "100"]);
    let total = result["total"].as_u64().unwrap() as usize;
    let phrase = paragraphs_with(index, "城中村改造").len();
    assert!(
        total >= phrase && total < phrase * 6,
        "{total} for {phrase} with the phrase"
    );
    // The paragraphs with every word come first.
    for hit in hits(&result).iter().take(total.min(100)) {
        let t = text(hit, "text");
        assert!(t.contains("城中村") && t.contains("改造"), "{t}");
    }
}

#[test]
fn digit_and_letter_runs_match_whole_runs() {
    let index = common::sample_index();
    let result = json_at(index, &["search", "1+3+N", "--limit", "50"]);
    assert!(!hits(&result).is_empty(), "1+3+N is in the 新县 sample");
    let total = result["total"].as_u64().unwrap() as usize;
    assert!(total >= 1, "{result}");
    for (rank, hit) in hits(&result).iter().enumerate() {
        if rank < total {
            assert!(text(hit, "text").contains("1+3+N"), "{hit}");
        }
        // Partial matches show a digit only with its neighbour (3+N), never alone.
        for marked in highlighted(hit) {
            assert!(marked.contains('+'), "{marked:?} marked in {hit}");
        }
    }
    // 021 stands alone nowhere in the samples, though 2021 is everywhere.
    assert!(!paragraphs_with(index, "2021").is_empty());
    let result = json_at(index, &["search", "021", "--limit", "50"]);
    for hit in hits(&result) {
        let t = text(hit, "text");
        for range in hit["highlights"].as_array().unwrap() {
            let (start, end) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            let before = t[..start].chars().next_back();
            let after = t[end..].chars().next();
            assert!(
                !before.is_some_and(|c| c.is_ascii_digit())
                    && !after.is_some_and(|c| c.is_ascii_digit()),
                "021 marked inside a number: {t}"
            );
        }
    }
    assert_eq!(result["total"].as_u64(), Some(0), "{result}");
}

#[test]
fn a_lone_character_never_matches_alone() {
    let Some(index) = shenzhen_index("a_lone_character_never_matches_alone") else {
        return;
    };
    let result = json_at(index, &["search", "前海合作区", "--limit", "100"]);
    assert!(hits(&result).len() >= 50, "{}", hits(&result).len());
    for hit in hits(&result) {
        let t = text(hit, "text");
        assert!(t.contains("前海") || t.contains("合作区"), "{t}");
        assert!(
            highlighted(hit).iter().all(|m| m.chars().count() > 1),
            "a lone character marked in {hit}"
        );
    }
}

/// 260 characters pasted from 深圳市政府工作报告_2020年, across two paragraphs, quote marks
/// and all.
fn pasted_passage(corpus: &Path) -> String {
    let report = std::fs::read_to_string(corpus.join("深圳市政府工作报告_2020年.txt")).unwrap();
    let flat: String = report.lines().collect::<Vec<_>>().join("");
    let start = flat
        .find("医疗卫生体制改革持续深化")
        .expect("the source passage");
    flat[start..].chars().take(260).collect()
}

#[test]
fn a_pasted_passage_finds_its_source_paragraphs_first() {
    let Some(index) = shenzhen_index("a_pasted_passage_finds_its_source_paragraphs_first") else {
        return;
    };
    let passage = pasted_passage(&shenzhen_corpus().unwrap());
    assert!(passage.contains("“三医联动”") && passage.contains("“湾区通”"));
    let result = json_at(index, &["search", &passage, "--limit", "10"]);
    assert_eq!(result["passage"], Value::Bool(true));
    let top: Vec<&str> = hits(&result)
        .iter()
        .take(2)
        .map(|h| text(h, "text"))
        .collect();
    assert_eq!(top.len(), 2, "{result}");
    assert!(
        top.iter()
            .any(|t| t.contains("“三医联动”改革、药品和医用耗材")),
        "{top:?}"
    );
    assert!(
        top.iter()
            .any(|t| t.contains("推进“湾区通”工程，实施深港合作专项行动")),
        "{top:?}"
    );
    for hit in hits(&result).iter().take(2) {
        assert_eq!(text(hit, "path"), "深圳市政府工作报告_2020年.txt");
    }
}

#[test]
fn questions_keep_every_content_word_findable() {
    let Some(index) = shenzhen_index("questions_keep_every_content_word_findable") else {
        return;
    };
    // 化解矛盾 is one jieba word, but the text says 推动矛盾纠纷实质化解: asked as a
    // question, the same paragraphs hold all the words as when the words are typed apart.
    let question = json_at(index, &["search", "如何化解矛盾纠纷", "--limit", "100"]);
    let apart = json_at(index, &["search", "矛盾 纠纷 化解", "--limit", "1"]);
    assert!(apart["total"].as_u64().unwrap() > 50, "{apart}");
    assert_eq!(question["total"], apart["total"]);
    assert!(hits(&question)
        .iter()
        .any(|h| text(h, "text").contains("矛盾纠纷实质化解")));
    // “菜篮子”工程 in quotes holds the words of 菜篮子工程.
    let basket = json_at(index, &["search", "菜篮子工程", "--limit", "100"]);
    assert!(hits(&basket)
        .iter()
        .any(|h| text(h, "text").contains("“菜篮子”工程")));
}

#[test]
fn rare_words_outweigh_common_ones_and_centre_the_snippet() {
    let Some(index) = shenzhen_index("rare_words_outweigh_common_ones_and_centre_the_snippet")
    else {
        return;
    };
    for (query, rare) in [
        ("如何解决交通拥堵", "交通拥堵"),
        ("如何解决看病难问题", "看病难"),
    ] {
        let result = json_at(index, &["search", query, "--limit", "10"]);
        assert_eq!(hits(&result).len(), 10, "{query}");
        for hit in hits(&result) {
            let t = text(hit, "text");
            assert!(t.contains(rare), "{query}: {t}");
            assert!(
                text(hit, "snippet").contains(rare),
                "{query}: {}",
                text(hit, "snippet")
            );
        }
    }
}

#[test]
fn body_paragraphs_rank_above_bare_headings() {
    let Some(index) = shenzhen_index("body_paragraphs_rank_above_bare_headings") else {
        return;
    };
    let result = json_at(index, &["search", "营商环境", "--limit", "5"]);
    assert_eq!(hits(&result).len(), 5);
    for hit in hits(&result) {
        let own = text(hit, "section").rsplit(" > ").next().unwrap_or("");
        assert_ne!(text(hit, "text").trim(), own, "a bare heading: {hit}");
        assert!(!text(hit, "section").is_empty());
    }
}

#[test]
fn a_short_place_name_finds_the_one_place_it_starts() {
    let index = common::sample_index();
    for (flag, short, full) in [
        ("--province", "广东", "广东省"),
        ("--city", "梅州", "梅州市"),
        ("--county", "浦江", "浦江县"),
    ] {
        let by_short = json_at(index, &["search", "法治", flag, short, "--limit", "100"]);
        let by_full = json_at(index, &["search", "法治", flag, full, "--limit", "100"]);
        assert!(!hits(&by_full).is_empty(), "{full}");
        assert_eq!(by_short["hits"], by_full["hits"], "{short}");
    }
    let refused = |args: &[&str]| -> String {
        let output = common::fazhi()
            .args(args)
            .arg("--index")
            .arg(index)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    // No indexed county shares a character of 永嘉 with it: no suggestion.
    let message = refused(&["search", "法治", "--county", "永嘉县"]);
    assert!(
        message.contains("no report in the index is from there"),
        "{message}"
    );
    assert!(!message.contains("closest"), "{message}");
    // 江 is in 武江区 and 浦江县.
    let message = refused(&["search", "法治", "--county", "江山市"]);
    assert!(
        message.contains("武江区") && message.contains("浦江县"),
        "{message}"
    );
}
