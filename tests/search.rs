//! `fazhi search` on the bundled corpus: boilerplate, exact highlights, filters, sections,
//! ranking on judged queries.

mod common;

use common::{highlighted, json, text};
use serde_json::Value;

fn hits(result: &Value) -> &Vec<Value> {
    result["hits"].as_array().expect("hits")
}

#[test]
fn boilerplate_is_not_searchable() {
    for word in [
        "版权所有",
        "浏览次数",
        "当前位置",
        "国务院部门网站",
        "网站标识码",
        "相关附件",
    ] {
        let result = json(&["search", word, "--limit", "1000"]);
        for hit in hits(&result) {
            assert!(!text(hit, "text").contains(word), "{word} found in {hit}");
        }
    }
}

#[test]
fn every_paragraph_with_fengqiao_is_found_with_exact_highlights() {
    let result = json(&["search", "枫桥经验", "--limit", "1000"]);
    let with_phrase: Vec<&Value> = hits(&result)
        .iter()
        .filter(|h| text(h, "text").contains("枫桥经验"))
        .collect();
    let mut reports: Vec<&str> = with_phrase.iter().map(|h| text(h, "path")).collect();
    reports.sort();
    reports.dedup();
    assert!(reports.len() >= 4, "reports with 枫桥经验: {reports:?}");
    for hit in &with_phrase {
        let marked = highlighted(hit);
        assert_eq!(
            marked.len(),
            text(hit, "text").matches("枫桥经验").count(),
            "{hit}"
        );
        assert!(marked.iter().all(|m| m == "枫桥经验"), "{marked:?}");
    }
    // Paragraphs with the whole phrase rank above those with only one of its words.
    let first_without = hits(&result)
        .iter()
        .position(|h| !text(h, "text").contains("枫桥经验"))
        .unwrap_or(usize::MAX);
    assert!(
        first_without >= with_phrase.len(),
        "ranking mixes partial matches in"
    );
    // The same paragraphs as a plain scan of the corpus: every one is in the results.
    let mentions = json(&["mentions", "枫桥经验"]);
    assert_eq!(
        mentions["paragraphs"].as_array().unwrap().len(),
        with_phrase.len()
    );
}

#[test]
fn hits_carry_all_their_fields() {
    let result = json(&["search", "行政复议"]);
    assert_eq!(text(&result, "query"), "行政复议");
    assert!(result["total"].as_u64().unwrap() >= 5);
    let hit = &hits(&result)[0];
    for field in [
        "score",
        "path",
        "title",
        "county",
        "city",
        "province",
        "issuer",
        "year",
        "published",
        "section",
        "section_kind",
        "paragraph",
        "text",
        "snippet",
        "highlights",
    ] {
        assert!(hit.get(field).is_some(), "no {field} in {hit}");
    }
    assert!(highlighted(hit).iter().all(|m| m == "行政复议"));
}

#[test]
fn filters_combine() {
    let result = json(&[
        "search",
        "法治",
        "--county",
        "浦江县",
        "--year",
        "2023",
        "--limit",
        "50",
    ]);
    assert!(!hits(&result).is_empty());
    for hit in hits(&result) {
        assert_eq!(text(hit, "county"), "浦江县");
        assert_eq!(hit["year"].as_u64(), Some(2023));
    }
    let result = json(&["search", "法治", "--province", "广东省", "--limit", "200"]);
    let mut counties: Vec<&str> = hits(&result).iter().map(|h| text(h, "county")).collect();
    counties.sort();
    counties.dedup();
    assert_eq!(counties, vec!["五华县", "武江区"]);
    let result = json(&["search", "法治", "--year", "2021..2022", "--limit", "200"]);
    assert!(!hits(&result).is_empty());
    assert!(hits(&result)
        .iter()
        .all(|h| (2021..=2022).contains(&h["year"].as_u64().unwrap())));
    let result = json(&["search", "法治", "--section", "problems", "--limit", "200"]);
    assert!(!hits(&result).is_empty());
    assert!(hits(&result)
        .iter()
        .all(|h| text(h, "section_kind") == "problems"));
}

/// Filters choose paragraphs and score nothing: a filter every sample report passes gives
/// the ranking of no filter, scores included. (Scores of a narrower filter differ: the
/// words a search adds come from its best paragraphs.)
#[test]
fn a_filter_all_reports_pass_leaves_the_ranking_as_it_is() {
    let ranking = |filter: &[&str]| -> Vec<(String, Option<u64>, f64)> {
        let mut args = vec!["search", "行政复议 法治", "--limit", "500"];
        args.extend_from_slice(filter);
        hits(&json(&args))
            .iter()
            .map(|hit| {
                (
                    text(hit, "path").to_string(),
                    hit["paragraph"].as_u64(),
                    hit["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let unfiltered = ranking(&[]);
    assert!(unfiltered.len() > 20, "{unfiltered:?}");
    assert_eq!(ranking(&["--year", "2000..2100"]), unfiltered);
}

/// Every paragraph of the sample reports: the union of the mentions of common marks,
/// checked against the paragraph counts `reports` gives.
fn all_paragraphs() -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    for mark in ["、", "。", ",", "，", "(", "（", "；", ":", "："] {
        for paragraph in json(&["mentions", mark])["paragraphs"].as_array().unwrap() {
            let key = (text(paragraph, "path"), paragraph["paragraph"].as_u64());
            if !all
                .iter()
                .any(|p| (text(p, "path"), p["paragraph"].as_u64()) == key)
            {
                all.push(paragraph.clone());
            }
        }
    }
    let listing = json(&["reports"]);
    let expected: u64 = listing["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["paragraphs"].as_u64().unwrap())
        .sum();
    assert_eq!(
        all.len() as u64,
        expected,
        "some paragraph has none of the marks"
    );
    all
}

#[test]
fn section_paths_and_kinds_are_right_on_the_samples() {
    let paragraphs = all_paragraphs();
    let find = |path_prefix: &str, text_prefix: &str| -> &Value {
        paragraphs
            .iter()
            .find(|p| {
                text(p, "path").starts_with(path_prefix) && text(p, "text").starts_with(text_prefix)
            })
            .unwrap_or_else(|| panic!("no paragraph {path_prefix} {text_prefix}"))
    };
    // 五华县: problems and plans sections.
    let heading = find("000_", "二、存在困难和问题");
    assert_eq!(text(heading, "section_kind"), "problems");
    let heading = find("000_", "三、下一步工作计划");
    assert_eq!(text(heading, "section_kind"), "plans");
    let sub = find("000_", "(四)深化基层社会治理");
    assert_eq!(
        text(sub, "section"),
        "一、工作开展情况及成效 > (四)深化基层社会治理,推动矛盾纠纷实质化解"
    );
    assert_eq!(text(sub, "section_kind"), "achievements");
    // 南岸区: a paragraph opening with its own heading extends the path.
    let own = find("001_", "(一)统筹推进依法治区。");
    assert!(
        text(own, "section").ends_with("> (一)统筹推进依法治区"),
        "{own}"
    );
    assert_eq!(
        text(find("001_", "二、2022年党政主要负责人"), "section_kind"),
        "duties"
    );
    assert_eq!(
        text(
            find("001_", "三、2022年推进法治政府建设存在的不足"),
            "section_kind"
        ),
        "problems"
    );
    assert_eq!(
        text(
            find("001_", "四、2023年推进法治政府建设的工作思路"),
            "section_kind"
        ),
        "plans"
    );
    // 新县.
    assert_eq!(
        text(find("002_", "一、党政主要负责人履行"), "section_kind"),
        "duties"
    );
    assert_eq!(
        text(find("002_", "三、存在不足"), "section_kind"),
        "problems"
    );
    assert_eq!(
        text(find("002_", "四、2025年工作安排"), "section_kind"),
        "plans"
    );
    assert_eq!(
        text(find("002_", "2024年,新县在市委"), "section_kind"),
        "preamble"
    );
    // 武江区: a mixed problems-and-plans section.
    assert_eq!(
        text(find("003_", "我区法治政府建设工作虽然取得"), "section_kind"),
        "problems"
    );
    assert_eq!(text(find("003_", "下一步,我区将"), "section_kind"), "plans");
    // 浦江县.
    assert_eq!(
        text(find("004_", "(一)行政决策制度体系有待"), "section_kind"),
        "problems"
    );
    assert_eq!(
        text(find("004_", "(三)深化企业合规改革"), "section_kind"),
        "plans"
    );
    // Signature lines are not passages.
    assert!(!paragraphs.iter().any(|p| text(p, "text") == "2024年2月1日"));
    assert!(!paragraphs
        .iter()
        .any(|p| text(p, "text") == "重庆市南岸区司法局"));
}

/// Judged queries: the paragraphs a reader means come first.
#[test]
fn judged_queries_rank_the_expected_paragraphs_first() {
    // 存在的问题和不足 -> the problems sections.
    let result = json(&["search", "存在的问题和不足", "--limit", "5"]);
    assert_eq!(hits(&result).len(), 5, "存在的问题和不足");
    for hit in hits(&result) {
        assert_eq!(text(hit, "section_kind"), "problems", "{hit}");
    }
    // 法律顾问: paragraphs about legal advisers, whole word first.
    let result = json(&["search", "法律顾问", "--limit", "3"]);
    assert_eq!(hits(&result).len(), 3, "法律顾问");
    for hit in hits(&result) {
        assert!(text(hit, "text").contains("法律顾问"), "{hit}");
    }
    // 行政复议办结情况 typed without spaces: not one long phrase, the paragraph with the
    // numbers of received and settled cases comes first.
    let result = json(&["search", "行政复议办结情况", "--limit", "3"]);
    let first = text(&hits(&result)[0], "text");
    assert!(
        first.contains("行政复议") && first.contains("办结"),
        "{first}"
    );
    // Two words typed apart: paragraphs with both come first.
    let result = json(&["search", "出庭 应诉 败诉", "--limit", "2"]);
    assert_eq!(hits(&result).len(), 2, "出庭 应诉 败诉");
    for hit in hits(&result) {
        let t = text(hit, "text");
        assert!(
            t.contains("出庭") && t.contains("应诉") && t.contains("败诉"),
            "{t}"
        );
    }
    // A question: its question words do not count, the problems sections come first.
    let result = json(&["search", "法治建设存在哪些问题", "--limit", "3"]);
    assert_eq!(hits(&result).len(), 3, "法治建设存在哪些问题");
    for hit in hits(&result) {
        assert_eq!(text(hit, "section_kind"), "problems", "{hit}");
    }
    // A quoted phrase is exact.
    let result = json(&["search", "\"一规划两纲要\"", "--limit", "100"]);
    assert!(!hits(&result).is_empty());
    assert!(hits(&result)
        .iter()
        .all(|h| text(h, "text").contains("一规划两纲要")));
    // -word excludes, +word requires.
    let result = json(&["search", "行政复议 -应诉", "--limit", "100"]);
    assert!(!hits(&result).is_empty());
    assert!(hits(&result)
        .iter()
        .all(|h| !text(h, "text").contains("应诉")));
    let result = json(&["search", "法治 +枫桥", "--limit", "100"]);
    assert!(!hits(&result).is_empty());
    assert!(hits(&result)
        .iter()
        .all(|h| text(h, "text").contains("枫桥")));
}

#[test]
fn terminal_less_output_marks_highlights_with_brackets_and_cuts_long_paragraphs() {
    let output = common::fazhi()
        .args(["search", "枫桥经验", "--index"])
        .arg(common::sample_index())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("【枫桥经验】"), "{stdout}");
    for line in stdout.lines().filter(|l| l.starts_with("   ")) {
        let shown = line.replace(['【', '】'], "");
        assert!(shown.trim().chars().count() <= 125, "too long: {line}");
    }
}
