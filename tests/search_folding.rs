//! `search` folds full-width and half-width forms, Latin case and traditional/simplified
//! characters, as a search box does, and highlights exactly the original text.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{highlighted, index_command, json_at, text};
use serde_json::Value;

/// An invented report, each paragraph writing its subject in another form.
const REPORT: &str = "某某县2023年法治政府建设年度报告
一、主要成效
１９５５年的档案已全部整理归档。
1955年的旧账本另行保管。
２１９５５年不是一个年份，只是编号。
建成５Ｇ基站一百个，推进数字政府。
5g网络覆盖全部乡镇。
15G流量包和5GHz频段与本报告无关。
县人民調解委員會调处纠纷三百件。
乡镇人民调解委员会化解矛盾二百件。
推行ＡＢＣ分类管理办法。
推行abc分级服务清单。
矛盾纠纷化解“１＋３＋Ｎ”工作机制全面运行。
龙岗区法律顾问覆盖率达到百分之百。
";

/// The invented corpus's index, built once per test binary.
fn index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let corpus = dir.path().join("corpus");
            common::write(&corpus, "a.txt", REPORT);
            index_command(&corpus, &dir.path().join("index"))
                .assert()
                .success();
            dir
        })
        .path()
}

fn search(query: &str) -> Value {
    json_at(&index().join("index"), &["search", query, "--limit", "20"])
}

/// For each hit, its text and what is highlighted in it.
fn found(result: &Value) -> Vec<(String, Vec<String>)> {
    result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| (text(hit, "text").to_string(), highlighted(hit)))
        .collect()
}

/// Asserts that the paragraphs holding all of `query`'s words (`total`, ranked first) are
/// those containing one of the `expected` paragraphs' texts, with its `marked` text
/// highlighted.
fn finds(query: &str, expected: &[(&str, &str)]) {
    let result = search(query);
    let hits = found(&result);
    assert_eq!(
        result["total"].as_u64(),
        Some(expected.len() as u64),
        "{query}: {hits:?}"
    );
    let all_words = &hits[..expected.len()];
    for (paragraph, marked) in expected {
        let hit = all_words
            .iter()
            .find(|(t, _)| t.contains(paragraph))
            .unwrap_or_else(|| panic!("{query}: no hit holds {paragraph}: {hits:?}"));
        assert_eq!(hit.1, vec![marked.to_string()], "{query} in {paragraph}");
    }
}

#[test]
fn width_folds_both_ways_and_runs_stay_whole() {
    let both = [("档案", "１９５５年"), ("旧账本", "1955年")];
    finds("1955年", &both);
    finds("１９５５年", &both);
    // A run of digits only whole: ２１９５５ is not 1955.
    let result = search("1955");
    let texts: Vec<String> = found(&result).into_iter().map(|(t, _)| t).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.iter().all(|t| !t.contains("编号")), "{texts:?}");
}

#[test]
fn latin_case_and_width_fold_and_runs_stay_whole() {
    let five_g = [("基站", "５Ｇ"), ("乡镇", "5g")];
    finds("5G", &five_g);
    finds("5g", &five_g);
    finds("５ｇ", &five_g);
    let abc = [("分类", "ＡＢＣ"), ("分级", "abc")];
    finds("ABC", &abc);
    finds("ａｂｃ", &abc);
}

#[test]
fn full_width_signs_fold() {
    finds("1+3+N", &[("工作机制", "１＋３＋Ｎ")]);
}

#[test]
fn traditional_and_simplified_characters_fold() {
    let both = [("調解委員會", "調解委員會"), ("调解委员会", "调解委员会")];
    finds("调解委员会", &both);
    finds("調解委員會", &both);
    // A required phrase and an excluded one fold too.
    let required = search("\"調解委員會\"");
    assert_eq!(required["total"].as_u64(), Some(2), "{required}");
    let excluded = search("人民 -調解委員會");
    assert_eq!(
        excluded["hits"].as_array().map(Vec::len),
        Some(0),
        "{excluded}"
    );
}

#[test]
fn a_traditional_query_marks_the_simplified_text_whole() {
    // Typed in traditional characters, the query takes the forms the index holds.
    let result = search("龍崗區法律顧問");
    let hits = found(&result);
    assert_eq!(result["total"].as_u64(), Some(1), "{hits:?}");
    assert_eq!(hits[0].1, vec!["龙岗区法律顾问".to_string()]);
}

/// The paths and paragraph numbers of a result's paragraphs or hits.
fn places(items: &Value) -> Vec<(String, u64)> {
    let mut places: Vec<(String, u64)> = items
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                text(p, "path").to_string(),
                p["paragraph"].as_u64().unwrap(),
            )
        })
        .collect();
    places.sort();
    places
}

#[test]
fn national_reports_are_found_in_every_written_form() {
    let Some(corpus) = common::dev_corpus().map(|dir| dir.join("national/docs")) else {
        eprintln!("national_reports_are_found_in_every_written_form: skipped, the dev corpus (../shared/dev-corpus/national) is absent");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    index_command(&corpus, dir.path()).assert().success();
    for (query, written) in [("1955年", "１９５５年"), ("5g", "5G")] {
        let searched = json_at(dir.path(), &["search", query, "--limit", "1000"]);
        // Exact mentions of the form the reports use: all of them are found by the search.
        let exact = json_at(dir.path(), &["mentions", written, "--limit", "0"]);
        let written_in = places(&exact["paragraphs"]);
        assert!(!written_in.is_empty(), "{written}");
        let hits = searched["hits"].as_array().unwrap();
        let total = searched["total"].as_u64().unwrap() as usize;
        let all_words = Value::Array(hits[..total.min(hits.len())].to_vec());
        let found = places(&all_words);
        for place in &written_in {
            assert!(found.contains(place), "{query}: {place:?} not found");
        }
        // And the search counts what loose mentions count.
        let loose = json_at(dir.path(), &["mentions", query, "--loose", "--limit", "0"]);
        assert_eq!(found, places(&loose["paragraphs"]), "{query}");
        for hit in hits.iter().take(total) {
            assert!(!highlighted(hit).is_empty(), "{query}: {hit}");
        }
    }
}
