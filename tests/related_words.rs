//! Words the best hits discuss a query with (pseudo-relevance feedback) reorder what the
//! query's own words found, and change neither what counts nor what is highlighted.

mod common;

use common::{highlighted, index_command, json_at, text};
use serde_json::Value;

/// An invented report: paragraphs on parking that keep mentioning 泊位 and 立体车库 beside
/// 停车难, one that mentions 停车难 with neither, and one on 泊位 without 停车难.
const REPORT: &str = "某某区2023年政府工作报告
一、主要工作
着力解决停车难问题，新增泊位八百个，建成立体车库三座。
缓解老旧小区停车难，盘活泊位资源，推进立体车库建设。
破解停车难题的同时，缓解停车难，新增泊位，试点立体车库。
停车难问题有所缓解，我们继续改进文化活动和体育设施。
停车难问题有所缓解，我们继续增加泊位和立体车库设施。
港口新增集装箱泊位两个，立体车库规划启动。
";

fn search(index: &std::path::Path, query: &str) -> Value {
    json_at(index, &["search", query, "--limit", "20"])
}

#[test]
fn related_words_reorder_hits_but_change_no_count_or_highlight() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    common::write(&corpus, "a.txt", REPORT);
    let index = dir.path().join("index");
    index_command(&corpus, &index).assert().success();

    let result = search(&index, "停车难");
    let hits = result["hits"].as_array().expect("hits");
    let texts: Vec<&str> = hits.iter().map(|h| text(h, "text")).collect();
    // Exactly the paragraphs holding 停车难: the port paragraph has the related words only.
    assert_eq!(result["total"].as_u64(), Some(5), "{texts:?}");
    assert_eq!(result["partial"].as_u64(), Some(0), "{texts:?}");
    assert_eq!(texts.len(), 5, "{texts:?}");
    assert!(texts.iter().all(|t| t.contains("停车难")), "{texts:?}");
    // Two paragraphs alike but for their other words: the one on parking ranks first,
    // though the other comes first in the report.
    let on_parking = texts.iter().position(|t| t.contains("增加泊位")).unwrap();
    let on_culture = texts.iter().position(|t| t.contains("文化活动")).unwrap();
    assert!(on_parking < on_culture, "{texts:?}");
    // Only the query's own words are highlighted.
    for hit in hits {
        let marked = highlighted(hit);
        assert!(!marked.is_empty(), "{hit}");
        assert!(marked.iter().all(|m| m == "停车难"), "{marked:?}");
    }
}
