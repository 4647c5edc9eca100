//! Incremental indexing: a second run reads only what changed and ends where a full
//! rebuild ends.

mod common;

use std::fs;
use std::path::Path;

use common::{index_command, json_at, sample_corpus, text};
use serde_json::Value;

fn run_json(args: &[&str], corpus: &Path, index: &Path) -> Value {
    let corpus = corpus.to_str().expect("a UTF-8 temporary path");
    json_at(index, &[args, &["--corpus", corpus]].concat())
}

fn copy_samples(to: &Path) {
    for entry in fs::read_dir(sample_corpus()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// What a user sees of an index: its reports and where some phrases are.
fn visible_state(corpus: &Path, index: &Path) -> Value {
    let mut state = run_json(&["reports"], corpus, index);
    for phrase in ["枫桥经验", "行政复议", "新增段落", "、"] {
        let mentions = run_json(&["mentions", phrase], corpus, index);
        state[phrase] = mentions["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                serde_json::json!([
                    p["path"],
                    p["paragraph"],
                    p["text"],
                    p["section"],
                    p["county"]
                ])
            })
            .collect();
    }
    state
}

#[test]
fn added_changed_and_deleted_files_are_picked_up_like_a_rebuild() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    copy_samples(corpus.path());
    let first = run_json(&["index"], corpus.path(), index.path());
    assert_eq!(first["indexed"], 5);
    assert_eq!(first["reports"], 5);

    // Unchanged: nothing is read again.
    let again = run_json(&["index"], corpus.path(), index.path());
    assert_eq!(again["indexed"], 0);
    assert_eq!(again["unchanged"], 5);
    assert_eq!(again["paragraphs"], first["paragraphs"]);

    // Change 001 (a new paragraph), delete 003, add a new report made from 000's text.
    let changed = corpus.path().join("001_2d60e079f71ee17a.txt");
    let original = fs::read_to_string(&changed).unwrap();
    let edited = original.replacen(
        "五、其他需要报告的情况",
        "南岸区新增段落:持续深化“枫桥经验”南岸实践。\n五、其他需要报告的情况",
        1,
    );
    fs::write(&changed, edited).unwrap();
    fs::remove_file(corpus.path().join("003_e0872561a26c69b6.txt")).unwrap();
    let base = fs::read_to_string(corpus.path().join("000_17297affa439b9c0.txt")).unwrap();
    let added = base.replace("五华县", "兴宁市").replace(
        "2023年法治政府建设年度报告",
        "2023年法治政府建设年度报告(新增段落)",
    );
    fs::write(corpus.path().join("005_added.txt"), added).unwrap();

    let update = run_json(&["index"], corpus.path(), index.path());
    assert_eq!(update["indexed"], 2, "{update}");
    assert_eq!(update["unchanged"], 3, "{update}");
    assert_eq!(update["removed"], 1, "{update}");
    assert_eq!(update["reports"], 5, "{update}");

    let rebuilt = tempfile::tempdir().unwrap();
    run_json(&["index"], corpus.path(), rebuilt.path());
    let incremental_state = visible_state(corpus.path(), index.path());
    assert_eq!(
        incremental_state,
        visible_state(corpus.path(), rebuilt.path())
    );
    let reports = incremental_state["reports"].as_array().unwrap();
    assert!(reports.iter().all(|r| !text(r, "path").starts_with("003_")));
    let added = reports
        .iter()
        .find(|r| text(r, "path") == "005_added.txt")
        .expect("the added report is listed");
    assert_eq!(text(added, "county"), "兴宁市");
    assert!(incremental_state["新增段落"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == "001_2d60e079f71ee17a.txt"));

    // --rebuild starts over and ends the same.
    let rebuild = run_json(&["index", "--rebuild"], corpus.path(), index.path());
    assert_eq!(rebuild["indexed"], 5);
    assert_eq!(
        visible_state(corpus.path(), index.path()),
        incremental_state
    );
}

#[test]
fn the_summary_reports_size_time_and_speed() {
    let index = tempfile::tempdir().unwrap();
    let summary = run_json(&["index"], &sample_corpus(), index.path());
    assert_eq!(summary["reports"], 5);
    assert!(summary["paragraphs"].as_u64().unwrap() > 100);
    assert!(summary["bytes"].as_u64().unwrap() > 50_000);
    assert!(summary["seconds"].as_f64().unwrap() > 0.0);
    let skipped = summary["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| text(s, "path") == "SOURCE.md"));

    let output = index_command(&sample_corpus(), index.path())
        .args(["--threads", "1", "--memory", "64"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let human = String::from_utf8(output.stdout).unwrap();
    assert!(
        human.contains("5 reports") && human.contains("MB/s") && human.contains("5 unchanged"),
        "{human}"
    );
}

/// A long-running reader (the web server) sees what a `fazhi index` run commits, without
/// being opened again.
#[test]
fn an_open_index_follows_new_commits() {
    let corpus = tempfile::tempdir().unwrap();
    copy_samples(corpus.path());
    let index = tempfile::tempdir().unwrap();
    index_command(corpus.path(), index.path())
        .assert()
        .success();
    let handle = fazhi::Index::open(index.path()).unwrap();
    let filters = fazhi::Filters::default();
    let count = |phrase: &str| {
        handle
            .mentions(phrase, &filters, fazhi::Matching::Exact)
            .unwrap()
            .total
    };
    assert_eq!(handle.reports().unwrap().len(), 5);
    assert_eq!(count("新增段落"), 0);

    common::write(
        corpus.path(),
        "005_added.txt",
        "某某县2023年法治政府建设年度报告\n一、主要举措\n本年度新增段落一处。\n",
    );
    index_command(corpus.path(), index.path())
        .assert()
        .success();
    // The next read finds the new commit and reloads before answering.
    assert_eq!(handle.reports().unwrap().len(), 6, "the new commit is seen");
    assert_eq!(count("新增段落"), 1);
}

/// A listing names each paragraph's report from the report's own document: after a
/// manifest gives a report other tags, its rows carry the new ones, never the replaced
/// document's, and the other reports keep theirs.
#[test]
fn listings_carry_the_tags_of_a_report_indexed_again() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    copy_samples(corpus.path());
    run_json(&["index"], corpus.path(), index.path());
    let retagged = "002_f4d1361488eadf97.txt";
    common::write(
        corpus.path(),
        "fazhi.csv",
        format!("file,county,issuer\n{retagged},重标县,重标县司法局\n"),
    );
    let update = run_json(&["index"], corpus.path(), index.path());
    assert_eq!(update["indexed"], 1, "{update}");

    let output = common::fazhi()
        .args(["mentions", "、", "--csv", "--index"])
        .arg(index.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut rows = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = rows.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (path, county, issuer) = (column("path"), column("county"), column("issuer"));
    let mut tags = std::collections::BTreeMap::new();
    for row in rows.records() {
        let row = row.unwrap();
        tags.insert(
            row[path].to_string(),
            (row[county].to_string(), row[issuer].to_string()),
        );
    }
    assert_eq!(tags.len(), 5, "every report mentions 、: {tags:?}");
    assert_eq!(
        tags[retagged],
        ("重标县".to_string(), "重标县司法局".to_string())
    );
    let reports = run_json(&["reports"], corpus.path(), index.path());
    let reports = reports["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 5);
    for report in reports {
        let tag = |name: &str| report[name].as_str().unwrap_or_default().to_string();
        assert_eq!(
            tags[text(report, "path")],
            (tag("county"), tag("issuer")),
            "{report}"
        );
    }
    let json = run_json(&["mentions", "、"], corpus.path(), index.path());
    let paragraphs = json["paragraphs"].as_array().unwrap();
    assert!(paragraphs
        .iter()
        .any(|p| p["path"] == retagged && p["county"] == "重标县"));
    assert!(paragraphs
        .iter()
        .all(|p| p["path"] != retagged || p["county"] == "重标县"));
}
