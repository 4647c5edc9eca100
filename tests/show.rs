//! `fazhi show`: a hit's paragraph in its report, and whole reports, through the binary.

mod common;

use common::{fazhi, json, sample_index, text};
use serde_json::Value;

fn numbers(shown: &Value) -> Vec<u64> {
    shown["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| p["paragraph"].as_u64().expect("a number"))
        .collect()
}

#[test]
fn a_hit_is_shown_in_its_context_with_the_same_text_and_highlights() {
    let results = json(&["search", "枫桥经验"]);
    let hits = results["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "{results}");
    for hit in hits {
        let number = hit["paragraph"].as_u64().expect("paragraph");
        let target = format!("{}#{number}", text(hit, "path"));
        let shown = json(&["show", &target, "--query", "枫桥经验"]);
        let count = shown["paragraph_count"].as_u64().expect("paragraph_count");
        let expected: Vec<u64> =
            (number.saturating_sub(2).max(1)..=(number + 2).min(count)).collect();
        assert_eq!(numbers(&shown), expected, "{target}");
        let paragraph = shown["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["paragraph"].as_u64() == Some(number))
            .expect("the paragraph asked for");
        for field in ["text", "section", "section_kind", "highlights"] {
            assert_eq!(paragraph[field], hit[field], "{target} {field}");
        }
        for field in [
            "path",
            "title",
            "county",
            "city",
            "province",
            "issuer",
            "year",
            "published",
        ] {
            assert_eq!(shown[field], hit[field], "{target} {field}");
        }
    }
}

#[test]
fn context_is_clipped_at_the_report_edges_and_can_be_zero() {
    let reports = json(&["reports"]);
    let first = &reports["reports"][0];
    let path = text(first, "path");
    let count = first["paragraphs"].as_u64().expect("a count");
    assert!(count > 4, "{first}");
    let start = json(&["show", &format!("{path}#1"), "--context", "3"]);
    assert_eq!(numbers(&start), vec![1, 2, 3, 4]);
    let end = json(&["show", &format!("{path}#{count}"), "--context", "1"]);
    assert_eq!(numbers(&end), vec![count - 1, count]);
    let alone = json(&["show", &format!("{path}#2"), "--context", "0"]);
    assert_eq!(numbers(&alone), vec![2]);
    assert!(alone["paragraphs"][0]["highlights"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn a_whole_report_has_every_paragraph_in_order() {
    let reports = json(&["reports"]);
    let listed = reports["reports"].as_array().expect("reports");
    assert!(!listed.is_empty());
    for report in listed {
        let shown = json(&["show", text(report, "path")]);
        let count = report["paragraphs"].as_u64().unwrap();
        assert_eq!(numbers(&shown), (1..=count).collect::<Vec<_>>());
        assert_eq!(shown["paragraph_count"], report["paragraphs"]);
        assert_eq!(shown["title"], report["title"]);
    }
}

#[test]
fn people_see_numbers_headings_the_pointed_paragraph_and_marks() {
    let hit = &json(&["search", "枫桥经验"])["hits"][0];
    let target = format!("{}#{}", text(hit, "path"), hit["paragraph"]);
    let output = fazhi()
        .args(["show", &target, "--query", "枫桥经验", "--index"])
        .arg(sample_index())
        .output()
        .expect("fazhi runs");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    let pointed: Vec<&str> = printed.lines().filter(|l| l.starts_with('»')).collect();
    assert_eq!(pointed.len(), 1, "{printed}");
    assert!(pointed[0].contains("【枫桥经验】"), "{printed}");
    assert!(
        printed.contains(&format!("§ {}", text(hit, "section"))),
        "{printed}"
    );
    assert!(
        printed.lines().nth(1).unwrap().contains(text(hit, "path")),
        "{printed}"
    );
}

#[test]
fn unknown_reports_and_paragraphs_are_one_line_and_exit_2() {
    let path = text(&json(&["reports"])["reports"][0], "path").to_string();
    for target in [
        "nothing-here.txt".to_string(),
        "../../etc/passwd".to_string(),
        "/etc/passwd#1".to_string(),
        format!("{path}#0"),
        format!("{path}#99999"),
    ] {
        let output = fazhi()
            .args(["show", &target, "--index"])
            .arg(sample_index())
            .output()
            .expect("fazhi runs");
        assert_eq!(output.status.code(), Some(2), "{target}");
        assert!(output.stdout.is_empty(), "{target}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{target}: {stderr}");
        assert!(
            stderr.contains("no report") || stderr.contains("no paragraph"),
            "{target}: {stderr}"
        );
    }
}

#[test]
fn a_malformed_query_is_refused_before_showing() {
    let path = text(&json(&["reports"])["reports"][0], "path").to_string();
    fazhi()
        .args(["show", &path, "--query", "\"枫桥", "--index"])
        .arg(sample_index())
        .assert()
        .code(2);
}
